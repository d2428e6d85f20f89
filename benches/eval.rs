//! An eval of 64 rows through the local engine, end to end (process start, model load,
//! generation, grading): its output tokens/s against the engine benchmark's batched
//! tokens/s (target ≥ 85%), and its wall time against the same rows generated one after
//! another (target ≥ 1.5× faster). All three are measured in this one run.
//!
//! Run: `cargo bench --bench eval` (needs the test model: `make model`).

#[path = "support/stories.rs"]
mod stories;

use std::process::Command;
use std::time::Instant;

use stories::config;

fn main() {
    let bin = env!("CARGO_BIN_EXE_llmops");
    let dir = stories::workspace(bin);
    let root = dir.path();
    std::fs::write(root.join(".llmops/config.yaml"), config(8)).unwrap();
    let engine = Command::new(bin).current_dir(root).args(["bench", "--json", "--skip-prefix", "--requests", "32"]).output().unwrap();
    let engine: serde_json::Value = serde_json::from_slice(&engine.stdout).expect("bench --json");
    let engine_batched = engine["batched"]["gen_tokens_per_s"].as_f64().unwrap();

    let run = |parallel: u32| {
        std::fs::write(root.join(".llmops/config.yaml"), config(parallel)).unwrap();
        let start = Instant::now();
        let out = Command::new(bin).current_dir(root).args(["eval", "stories", "--no-cache", "--json"]).output().unwrap();
        let wall = start.elapsed().as_secs_f64();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("eval --json");
        (wall, report[0]["summary"]["output_tokens"].as_f64().unwrap())
    };
    let (batched_wall, tokens) = run(8);
    let (sequential_wall, _) = run(1);
    let eval_rate = tokens / batched_wall;
    println!("threads {}, 64 rows, {} output tokens", engine["threads"], tokens);
    println!("engine benchmark, batched:        {engine_batched:>7.1} output tokens/s");
    println!(
        "llmops eval, end to end, batched: {eval_rate:>7.1} output tokens/s  ({:.0}% of the engine's; target >= 85%)",
        100.0 * eval_rate / engine_batched
    );
    println!(
        "64 rows: batched {batched_wall:.1} s, one after another {sequential_wall:.1} s  ({:.2}x; target >= 1.5x)",
        sequential_wall / batched_wall
    );
}
