//! Sharded evals: `llmops eval --shard I/N` evaluates the rows whose id hashes to shard I, and
//! `llmops merge` makes one complete run of the N shard runs, which the gate then treats like
//! any run; a shard alone never counts. Outputs come from files (`--outputs`) where the model
//! does not matter, so every value is known.

mod common;

use std::collections::BTreeSet;

use common::TestEnv;
use serde_json::Value;

/// A 40-row dataset for eval `capital`, and outputs that get every third row wrong.
fn forty_rows(env: &TestEnv) -> std::path::PathBuf {
    let rows: Vec<String> = (0..40).map(|i| serde_json::json!({"id": format!("row-{i}"), "vars": {"country": format!("Country {i}")}, "expected": format!("City {i}")}).to_string()).collect();
    env.write("datasets/capitals.jsonl", &(rows.join("\n") + "\n"));
    env.commit_all("forty rows");
    let answers: Vec<String> = (0..40).map(|i| serde_json::json!({"id": format!("row-{i}"), "output": if i % 3 == 0 { "no idea".to_owned() } else { format!("City {i}") }}).to_string()).collect();
    let file = env.root().join(".home/outputs.jsonl");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, answers.join("\n")).unwrap();
    file
}

fn run_yaml(env: &TestEnv, rev: &str) -> Value {
    serde_yaml_ng::from_str(&env.git(&["show", &format!("{rev}:run.yaml")])).unwrap()
}

fn sample_ids(env: &TestEnv, rev: &str) -> Vec<String> {
    env.git(&["show", &format!("{rev}:samples.jsonl")]).lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_owned()).collect()
}

fn tip(env: &TestEnv) -> String {
    env.git(&["rev-parse", "refs/llmops/runs/capital"]).trim().to_owned()
}

#[test]
fn shards_split_the_rows_disjointly_and_a_merge_equals_the_unsharded_run() {
    let env = TestEnv::initialized();
    let outputs = forty_rows(&env);
    let outputs = outputs.to_str().unwrap();
    let out = env.llmops(&["eval", "capital", "--outputs", outputs, "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let whole = tip(&env);
    let all: BTreeSet<String> = sample_ids(&env, &whole).into_iter().collect();
    assert_eq!(all.len(), 40);
    for n in [2, 3, 4, 7] {
        let mut shards = Vec::new();
        let mut seen = BTreeSet::new();
        for i in 1..=n {
            let out = env.llmops(&["eval", "capital", "--outputs", outputs, "--shard", &format!("{i}/{n}"), "-q"]);
            assert!(out.code <= 1, "{}", out.snapshot());
            let run = tip(&env);
            assert_eq!(run_yaml(&env, &run)["selection"]["shard"], format!("{i}/{n}"));
            for id in sample_ids(&env, &run) {
                assert!(seen.insert(id.clone()), "{id} in two shards of {n}");
            }
            shards.push(run);
        }
        assert_eq!(seen, all, "the {n} shards cover every row");
        // Merged in any order: the unsharded run's aggregates and verdict.
        shards.reverse();
        let mut args = vec!["merge", "--json"];
        args.extend(shards.iter().map(String::as_str));
        let out = env.llmops(&args);
        assert_eq!(out.code, 0, "{}", out.snapshot());
        let merged: Value = serde_json::from_str(&out.stdout).unwrap();
        let id = merged[0]["run"].as_str().unwrap().to_owned();
        assert_eq!(id, tip(&env), "recorded on the eval's ref");
        let (m, w) = (run_yaml(&env, &id), run_yaml(&env, &whole));
        for key in ["overall", "dimensions", "verdict", "samples", "rows", "pass_k", "prompt", "dataset", "eval", "gate"] {
            assert_eq!(m[key], w[key], "{key} of {n} shards merged");
        }
        assert!(m["selection"].is_null(), "{m:?}");
        shards.reverse();
        assert_eq!(m["shards"], serde_json::json!(shards), "the shard runs, in shard order");
        // In the dataset's order, as an unsharded run.
        assert_eq!(sample_ids(&env, &id), sample_ids(&env, &whole));
        assert!(!env.git(&["show", &format!("{id}:traces.jsonl")]).is_empty(), "the shards' spans");
    }
    let out = env.llmops(&["verify"]);
    assert_eq!(out.code, 0, "every shard and merged run verifies: {}", out.snapshot());
}

#[test]
fn merge_refuses_gaps_overlaps_other_pins_and_runs_that_are_not_shards() {
    let env = TestEnv::initialized();
    let outputs = forty_rows(&env);
    let outputs = outputs.to_str().unwrap();
    let shard = |i: u32, n: u32| {
        let out = env.llmops(&["eval", "capital", "--outputs", outputs, "--shard", &format!("{i}/{n}"), "-q"]);
        assert!(out.code <= 1, "{}", out.snapshot());
        tip(&env)
    };
    let (a, b, c) = (shard(1, 3), shard(2, 3), shard(3, 3));
    let refused = |runs: &[&str], why: &str| {
        let mut args = vec!["merge"];
        args.extend(runs);
        let out = env.llmops(&args);
        assert!(out.code == 1 && out.stderr.contains(why), "{why}: {}", out.snapshot());
    };
    refused(&[&a, &b], "shard 3/3 of eval `capital` is missing: run `llmops eval capital --shard 3/3` first");
    let b2 = shard(2, 3);
    refused(&[&a, &b, &b2, &c], "shard 2/3 is given 2 times");
    refused(&[&a, &shard(2, 4), &c], "the shards of one split share their N");
    let out = env.llmops(&["eval", "capital", "--outputs", outputs, "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    refused(&[&a, &b, &tip(&env)], "is not a shard run");
    let out = env.llmops(&["eval", "capital", "--outputs", outputs, "--shard", "3/3", "--filter", "row-1*", "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    refused(&[&a, &b, &tip(&env)], "only whole shards (`--shard I/N` alone) merge");
    // Another prompt version for one shard: the pins differ, and the error names them.
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("the city only", "the city alone"));
    let other = shard(3, 3);
    refused(&[&a, &b, &other], "the shards did not measure the same thing: `prompt`");
    let out = env.llmops(&["merge", "no-such-run", &a]);
    assert!(out.code == 2 && out.stderr.contains("no run matches `no-such-run`"), "{}", out.snapshot());
    // Nothing was recorded by a refused merge: the tip is still the last shard.
    assert_eq!(tip(&env), other);
    // The shards CI jobs pushed to refs of their own merge from there.
    for (i, run) in [&a, &b, &c].iter().enumerate() {
        env.git(&["update-ref", &format!("refs/llmops/shards/77/{}/capital", i + 1), run]);
    }
    let out = env.llmops(&["merge", "--refs", "refs/llmops/shards/77", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let merged: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(merged[0]["shards"], serde_json::json!([a, b, c]));
    assert_eq!(merged[0]["samples"], 40);
    // Two splits of one eval under one prefix would be two complete runs: refused, and
    // nothing recorded.
    let before = tip(&env);
    env.git(&["update-ref", "refs/llmops/shards/77/4/capital", &shard(2, 4)]);
    let before = if before == tip(&env) { before } else { tip(&env) };
    let out = env.llmops(&["merge", "--refs", "refs/llmops/shards/77"]);
    assert!(out.code == 1 && out.stderr.contains("split 3 and 4 ways"), "{}", out.snapshot());
    assert_eq!(tip(&env), before);
    // A shard whose run.yaml was edited (a forger with push access) does not verify, nor does
    // one given a row of another shard.
    let forged = common::forge_commit(&env, &b, "run.yaml", &format!("{b}^"), |yaml| {
        let mut done = false;
        yaml.lines().map(|l| if !done && l.trim_start().starts_with("mean_score:") { done = true; format!("{}mean_score: 0.99\n", &l[..l.len() - l.trim_start().len()]) } else { format!("{l}\n") }).collect()
    });
    refused(&[&a, &forged, &c], "shard 2/3 (run ");
    refused(&[&a, &forged, &c], "does not verify");
    let stolen = env.git(&["show", &format!("{a}:samples.jsonl")]).lines().next().unwrap().to_owned();
    let moved = common::forge_commit(&env, &b, "samples.jsonl", &format!("{b}^"), |jsonl| format!("{jsonl}{stolen}\n"));
    // (Its run.yaml no longer adds up; one rewritten to match would be refused for holding
    // row `{id}` of shard 1/3.)
    refused(&[&a, &moved, &c], "does not verify");
    let out = env.llmops(&["merge", "--refs", "refs/llmops/shards/78"]);
    assert!(out.code == 2 && out.stderr.contains("no shard runs"), "{}", out.snapshot());
    let out = env.llmops(&["eval", "capital", "--outputs", outputs, "--shard", "4/3"]);
    assert!(out.code == 2 && out.stderr.contains("shards are numbered 1 to 3"), "{}", out.snapshot());
}

#[test]
fn four_merged_shards_are_accepted_by_the_gate_like_one_run_and_a_shard_alone_never() {
    let env = TestEnv::with_model();
    let mut shards = Vec::new();
    for i in 1..=4 {
        let out = env.llmops(&["eval", "capital", "--shard", &format!("{i}/4"), "-q"]);
        assert!(out.code <= 1, "{}", out.snapshot());
        shards.push(tip(&env));
    }
    // A shard alone is partial.
    let out = env.llmops(&["promote", "capital"]);
    assert!(out.code == 1 && out.stderr.contains("is partial (selected with `--shard 4/4`)"), "{}", out.snapshot());
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    let out = env.llmops(&args);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let merged = tip(&env);
    // The test model answers these five rows well enough to pass (as `llmops eval capital`
    // does in the other tests): the merged run vouches for the version.
    assert_eq!(run_yaml(&env, &merged)["verdict"]["pass"], true);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let releases: Value = serde_json::from_str(&env.llmops(&["releases", "--json"]).stdout).unwrap();
    assert_eq!(releases["prompts"]["capital"]["production"]["runs"]["capital"], merged.as_str());
    // The same answer as one run of the whole dataset on this machine.
    let out = env.llmops(&["eval", "capital", "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let whole = run_yaml(&env, &tip(&env));
    let m = run_yaml(&env, &merged);
    assert_eq!((&m["overall"], &m["verdict"]), (&whole["overall"], &whole["verdict"]));
}
