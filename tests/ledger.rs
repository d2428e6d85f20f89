//! Runs as git commits: recording leaves the work tree alone, races lose nothing, runs
//! travel through a remote, and a hand-edited record is caught.

mod common;

use common::TestEnv;
use serde_json::Value;

const OUTPUTS: &str = "{\"id\": \"france\", \"output\": \"Paris\"}\n{\"id\": \"japan\", \"output\": \"Kyoto\"}\n{\"id\": \"italy\", \"output\": \"Rome\"}\n{\"id\": \"egypt\", \"output\": \"Cairo\"}\n{\"id\": \"germany\", \"output\": \"Berlin\"}\n";

fn with_outputs() -> TestEnv {
    let env = TestEnv::initialized();
    env.write(".gitignore", &format!("{}outputs.jsonl\n", env.read(".gitignore")));
    env.write("outputs.jsonl", OUTPUTS);
    env.commit_all("ignore outputs");
    env
}

#[test]
fn a_run_is_a_commit_that_leaves_the_work_tree_alone() {
    let env = with_outputs();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("max_tokens: 24", "max_tokens: 20"));
    let status_before = env.git(&["status", "--porcelain"]);
    let out = env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stderr.contains("recorded run "), "{}", out.stderr);
    assert_eq!(env.git(&["status", "--porcelain"]), status_before);
    assert_eq!(env.git(&["stash", "list"]), "");
    assert_eq!(env.git(&["fsck", "--strict"]), "");
    let log = env.git(&["log", "--format=%s", "refs/llmops/runs/capital"]);
    assert_eq!(log, "eval capital: 0.80, 4/5 passed, gate PASS\n");
    let trailers = env.git(&["log", "-1", "--format=%(trailers:key=Llmops-Gate,valueonly)", "refs/llmops/runs/capital"]);
    assert_eq!(trailers.trim(), "PASS");
    let run: Value = serde_json::from_str(&env.llmops(&["show", "capital~0", "--json", "--samples"]).stdout).unwrap();
    assert_eq!(run["run"]["source"]["dirty"], true, "the prompt was edited and not committed");
    assert_eq!(run["run"]["prompt"]["blob"], env.git(&["hash-object", "prompts/capital.yaml"]).trim());
    assert_eq!(run["samples"].as_array().unwrap().len(), 5);
    assert_eq!(env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl", "--no-record"]).code, 0);
    assert_eq!(env.git(&["rev-list", "--count", "refs/llmops/runs/capital"]).trim(), "1");
}

#[test]
fn eight_evals_started_at_once_all_record_in_one_chain() {
    let env = with_outputs();
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_llmops"))
                .current_dir(env.root())
                .args(["-q", "eval", "capital", "--outputs", "outputs.jsonl"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(env.git(&["rev-list", "--count", "--first-parent", "refs/llmops/runs/capital"]).trim(), "8");
    assert_eq!(env.git(&["rev-list", "--count", "refs/llmops/runs/capital"]).trim(), "8");
    let log: Value = serde_json::from_str(&env.llmops(&["log", "--json"]).stdout).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 8);
    // A commit that lost its race is left dangling for `git gc`; nothing is corrupt.
    assert_eq!(env.git(&["fsck", "--strict", "--no-dangling"]), "");
}

#[test]
fn runs_travel_through_a_remote_with_sync() {
    let env = with_outputs();
    let remote = env.temp().join("remote.git");
    std::process::Command::new("git").args(["init", "-q", "--bare"]).arg(&remote).status().unwrap();
    env.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    env.git(&["push", "-q", "origin", "main"]);
    // Exit 1 is a failed gate, still a recorded run; anything else recorded nothing.
    for args in [&["eval", "capital", "--outputs", "outputs.jsonl"][..], &["eval", "capital", "--outputs", "outputs.jsonl", "--filter", "japan"]] {
        let out = env.llmops(args);
        assert!(out.code <= 1, "{}", out.snapshot());
    }
    let out = env.llmops(&["sync"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let clone = env.temp().join("clone");
    std::process::Command::new("git").args(["clone", "-q", "-b", "main"]).arg(&remote).arg(&clone).status().unwrap();
    let bin = env!("CARGO_BIN_EXE_llmops");
    let log_in = |dir: &std::path::Path| {
        let out = std::process::Command::new(bin).current_dir(dir).args(["log", "--json"]).output().unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    assert_eq!(log_in(env.root()).as_array().unwrap().len(), 2, "both runs are in the log to compare");
    assert_eq!(log_in(&clone).as_array().unwrap().len(), 0, "a plain clone has no runs");
    assert!(std::process::Command::new(bin).current_dir(&clone).args(["sync"]).status().unwrap().success());
    assert_eq!(log_in(&clone), log_in(env.root()));
}

#[test]
fn a_hand_edited_run_is_caught_by_verify() {
    let env = with_outputs();
    env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl"]);
    assert_eq!(env.llmops(&["verify"]).code, 0);
    // Rewrite run.yaml to claim a perfect score, and commit that on the run ref by hand.
    let tip = env.git(&["rev-parse", "refs/llmops/runs/capital"]).trim().to_owned();
    let yaml = env.git(&["show", &format!("{tip}:run.yaml")]);
    let forged = yaml.replacen("passed: 4", "passed: 5", 1).replacen("mean_score: 0.8", "mean_score: 1.0", 1);
    assert_ne!(forged, yaml);
    env.write("forged.yaml", &forged);
    let blob = env.git(&["hash-object", "-w", "forged.yaml"]).trim().to_owned();
    let samples = env.git(&["rev-parse", &format!("{tip}:samples.jsonl")]).trim().to_owned();
    let tree_input = format!("100644 blob {blob}\trun.yaml\n100644 blob {samples}\tsamples.jsonl\n");
    let tree = {
        let mut c = std::process::Command::new("git")
            .current_dir(env.root())
            .args(["mktree"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(c.stdin.as_mut().unwrap(), tree_input.as_bytes()).unwrap();
        String::from_utf8(c.wait_with_output().unwrap().stdout).unwrap().trim().to_owned()
    };
    let commit = env.git(&["commit-tree", &tree, "-p", &tip, "-m", "eval capital: 1.00, 5/5 passed, gate PASS"]).trim().to_owned();
    env.git(&["update-ref", "refs/llmops/runs/capital", &commit]);
    let out = env.llmops(&["verify"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stdout.contains("does not match its samples"), "{}", out.stdout);
    assert!(out.stdout.contains("overall: run.yaml says 1.0000 (5/5), samples give 0.8000 (4/5)"), "{}", out.stdout);
}

#[test]
fn diff_names_flipped_rows_and_exits_1_on_regression() {
    let env = with_outputs();
    env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl"]);
    env.write("outputs.jsonl", &OUTPUTS.replace("Kyoto", "Tokyo").replace("Rome", "Milan"));
    env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl"]);
    let out = env.llmops(&["diff", "capital~1", "capital~0", "--json"]);
    let d: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(d["pass_to_fail"], serde_json::json!(["italy"]));
    assert_eq!(d["fail_to_pass"], serde_json::json!(["japan"]));
    // One flip each way: no difference beyond chance.
    assert_eq!(d["paired"]["samples"], 5);
    assert_eq!(d["paired"]["mcnemar_p"], 1.0);
    assert!(d["paired"]["score_delta_low"].as_f64().unwrap() < 0.0 && d["paired"]["score_delta_high"].as_f64().unwrap() > 0.0, "{d}");
    assert_eq!(env.llmops(&["diff", "capital~1", "capital~0", "--exit-code"]).code, 1);
    assert_eq!(env.llmops(&["diff", "capital~0", "capital~0", "--exit-code"]).code, 0);
    let same = env.llmops(&["diff", "capital~1", "capital~0"]);
    assert!(same.stdout.contains("paired over 5 samples: pass/fail McNemar p = 1.000") && same.stdout.contains("no difference beyond chance"), "{}", same.stdout);
    // Every answer wrong: four rows fail that passed, and the score interval lies below 0; yet
    // four flips of five rows are not beyond chance by McNemar's test (p = 0.125).
    env.write("outputs.jsonl", &OUTPUTS.replace("Paris", "x").replace("Kyoto", "x").replace("Rome", "x").replace("Cairo", "x").replace("Berlin", "x"));
    env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl"]);
    let worse = env.llmops(&["diff", "capital~2", "capital~0"]);
    assert!(worse.stdout.contains("McNemar p = 0.125; score B - A 95% interval [-1.000, -0.") && worse.stdout.contains("no difference beyond chance"), "{}", worse.stdout);
}
