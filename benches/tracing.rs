//! What tracing costs an eval: the 64-row `stories` eval end to end, with tracing as it runs
//! by default (every span kept for `traces.jsonl`, messages captured) and with `--trace off`,
//! alternated five times each in this one run; the medians are compared (target < 5%).
//!
//! Run: `cargo bench --bench tracing` (needs the test model: `make model`).

#[path = "support/stories.rs"]
mod stories;

use std::process::Command;
use std::time::Instant;

fn main() {
    let bin = env!("CARGO_BIN_EXE_llmops");
    let dir = stories::workspace(bin);
    let root = dir.path();
    let run = |extra: &[&str]| {
        let start = Instant::now();
        let out = Command::new(bin).current_dir(root).args(["-q", "eval", "stories", "--no-cache", "--no-record"]).args(extra).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        start.elapsed().as_secs_f64()
    };
    run(&[]); // warm the page cache
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        on.push(run(&[]));
        off.push(run(&["--trace", "off"]));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (on, off) = (median(&mut on), median(&mut off));
    println!("64-row eval, median of 5 each: traced {on:.2} s, --trace off {off:.2} s");
    println!("tracing costs {:+.1}% of the eval's wall time (target < 5%)", 100.0 * (on - off) / off);
}
