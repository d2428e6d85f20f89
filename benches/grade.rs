//! Deterministic graders over 100,000 samples (target: under 1 s), and the peak memory of
//! an eval of 100,000 rows graded from `--outputs` with no model (target: under 300 MB).
//!
//! Run: `cargo bench --bench grade`.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use llmops::grade::{Sample, build, compose};
use llmops::spec::dataset::Row;
use llmops::spec::eval::EvalSpec;
use serde_json::json;

const GRADERS: &str = "\
prompt: p
dataset: d
graders:
  - type: icontains
    value: \"{{ expected }}\"
  - type: regex
    pattern: '^[A-Z][a-z]+'
  - type: word-count
    max: 12
  - type: levenshtein
  - type: token-f1
  - type: rouge-l
";

fn main() {
    let spec = EvalSpec::parse(std::path::Path::new("e.yaml"), GRADERS).unwrap();
    let graders = build(&spec.graders).unwrap();
    let rows: Vec<Row> = (0..100_000)
        .map(|i| Row {
            id: i.to_string(),
            vars: Default::default(),
            expected: Some(json!(format!("Paris number {}", i % 97))),
            relevant: vec![],
            labels: vec![],
            tool_results: Default::default(),
            line: i + 1,
        })
        .collect();
    let outputs: Vec<String> = (0..100_000).map(|i| format!("The capital is Paris number {}.", i % 89)).collect();
    let start = Instant::now();
    let mut passed = 0usize;
    for (row, output) in rows.iter().zip(&outputs) {
        let sample = Sample { row, output, completion: None, trace: None, retrieved: None, trajectory: None };
        let grades: Vec<_> = graders.iter().map(|g| g.grade(&sample, false)).collect();
        passed += usize::from(compose(&graders, &grades).1);
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "graded 100000 samples x {} deterministic graders in {:.3} s ({:.0} samples/s; {passed} passed; target < 1 s)",
        graders.len(),
        elapsed,
        100_000.0 / elapsed
    );

    // The same through the binary: an eval of 100,000 rows graded from `--outputs`.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let git = |args: &[&str]| assert!(Command::new("git").current_dir(root).args(args).output().unwrap().status.success());
    git(&["init", "-q"]);
    let bin = env!("CARGO_BIN_EXE_llmops");
    assert!(Command::new(bin).current_dir(root).args(["-q", "init"]).status().unwrap().success());
    let mut data = std::fs::File::create(root.join("datasets/big.jsonl")).unwrap();
    let mut outs = std::fs::File::create(root.join("outputs.jsonl")).unwrap();
    for i in 0..100_000 {
        writeln!(data, "{}", json!({"id": format!("r{i}"), "vars": {"country": format!("Land {i}")}, "expected": format!("City {}", i % 101)})).unwrap();
        writeln!(outs, "{}", json!({"id": format!("r{i}"), "output": format!("The capital is City {}.", i % 103)})).unwrap();
    }
    drop((data, outs));
    std::fs::write(root.join("evals/big.yaml"), format!("prompt: capital\ndataset: big\n{}", &GRADERS[GRADERS.find("graders").unwrap()..])).unwrap();
    let start = Instant::now();
    let out = Command::new(bin).current_dir(root).args(["eval", "big", "--outputs", "outputs.jsonl", "--json"]).output().unwrap();
    let wall = start.elapsed().as_secs_f64();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    println!(
        "llmops eval of 100000 rows from --outputs: {:.2} s wall, peak RSS {:.0} MiB (target < 300 MB), {} samples",
        wall,
        report[0]["peak_rss_mib"].as_f64().unwrap_or(f64::NAN),
        report[0]["summary"]["samples"]
    );
}
