//! Startup cost of commands that load no model (`llmops validate`, the pre-commit hook's
//! `llmops gate --staged`…) on this repository's example workspace, against spawning `true`
//! (the floor of any process) in the same run.
//!
//! Run: `cargo bench --bench startup` (or `make bench`).

use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 60;

fn time(mut make: impl FnMut() -> Command) -> Vec<Duration> {
    let mut samples: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let mut cmd = make();
            let start = Instant::now();
            let status = cmd.status().expect("spawn");
            let elapsed = start.elapsed();
            assert!(status.success(), "{cmd:?} failed");
            elapsed
        })
        .collect();
    samples.sort();
    samples
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let bin = env!("CARGO_BIN_EXE_llmops");
    let floor = time(|| Command::new("true"));
    let cases: [(&str, &[&str]); 4] = [
        ("validate", &["-q", "validate"]),
        ("prompt list", &["prompt", "list"]),
        ("prompt render --row", &["prompt", "render", "capital", "--row", "france"]),
        // The pre-commit hook's cost on a commit that stages no workspace file.
        ("gate --staged", &["-q", "gate", "--staged"]),
    ];
    println!("startup, {RUNS} runs each, wall time (median / p90):");
    println!("  {:<22} {:>7.2} ms / {:>7.2} ms", "true (process floor)", ms(floor[RUNS / 2]), ms(floor[RUNS * 9 / 10]));
    for (name, args) in cases {
        let samples = time(|| {
            let mut c = Command::new(bin);
            c.current_dir(root).args(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
            c
        });
        let median = samples[RUNS / 2];
        println!(
            "  llmops {:<15} {:>7.2} ms / {:>7.2} ms   ({:.1}x the floor; target < 50 ms)",
            name,
            ms(median),
            ms(samples[RUNS * 9 / 10]),
            ms(median) / ms(floor[RUNS / 2]).max(0.001),
        );
    }
}
