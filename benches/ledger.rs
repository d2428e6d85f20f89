//! The ledger at scale: writing a run of 1,000 samples (target < 100 ms) and listing 10,000
//! runs with `llmops log` (target < 1 s, process start included).
//!
//! Run: `cargo bench --bench ledger`.

use std::process::Command;
use std::time::Instant;

use llmops::run::verdict::Verdict;
use llmops::ledger::{self, Pin, RunMeta, SourceState};
use llmops::run::stats::Accumulator;

fn meta(samples: u64) -> RunMeta {
    let mut acc = Accumulator::default();
    for i in 0..samples {
        acc.add(if i % 5 == 0 { 0.0 } else { 1.0 }, i % 5 != 0);
    }
    let pin = |n: &str| Pin { name: n.into(), blob: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391".into() };
    RunMeta {
        eval: pin("capital"),
        prompt: pin("capital"),
        dataset: pin("capitals"),
        judges: vec![],
        agents: vec![],
        model: None,
        judge_model: None,
        indexes: vec![],
        selection: None,
        llmops_version: "bench".into(),
        invocation: String::new(),
        source: SourceState { commit: None, dirty: false },
        started: 0,
        finished: 1,
        input_tokens: 0,
        output_tokens: 0,
        samples,
        rows: samples,
        overall: acc.stats(),
        dimensions: [("correct".to_owned(), acc.stats())].into(),
        pass_k: None,
        gate: None,
        verdict: Verdict { pass: true, reasons: vec!["no gate".into()] },
        experiment: None,
        overrides: Default::default(),
        uncalibrated: Vec::new(),
        shards: Vec::new(),
        served_by: Vec::new(),
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert!(Command::new("git").current_dir(root).args(["init", "-q"]).status().unwrap().success());
    let bin = env!("CARGO_BIN_EXE_llmops");
    assert!(Command::new(bin).current_dir(root).args(["-q", "init"]).status().unwrap().success());

    let samples: Vec<u8> = (0..1000)
        .flat_map(|i| {
            let mut line = serde_json::to_vec(&serde_json::json!({
                "id": format!("row-{i}"), "repeat": 0, "vars": {"country": "France"}, "output": "The capital of France is Paris.",
                "grades": {"correct": {"score": if i % 5 == 0 { 0.0 } else { 1.0 }, "pass": i % 5 != 0, "reason": "output contains \"Paris\""}},
                "score": if i % 5 == 0 { 0.0 } else { 1.0 }, "pass": i % 5 != 0
            }))
            .unwrap();
            line.push(b'\n');
            line
        })
        .collect();
    let big = meta(1000);
    let mut times = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        ledger::record(root, "big", &big, &samples, None, Vec::new(), false).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("record a run of 1000 samples: median {:.1} ms (target < 100 ms)", times[3]);

    let small = meta(5);
    let start = Instant::now();
    for _ in 0..10_000 {
        ledger::record(root, "capital", &small, b"{}\n", None, Vec::new(), false).unwrap();
    }
    println!("recorded 10000 runs in {:.1} s", start.elapsed().as_secs_f64());
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let out = Command::new(bin).current_dir(root).args(["log", "capital", "--json"]).output().unwrap();
        times.push(start.elapsed().as_secs_f64());
        let runs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(runs.as_array().unwrap().len(), 10_000);
    }
    times.sort_by(f64::total_cmp);
    println!("llmops log over 10000 runs: median {:.3} s (target < 1 s)", times[2]);
}
