//! The same request gets the same answer however it is batched: `llmops run` one row at a
//! time, `llmops eval` at `parallel` 1, 4, 8 and 16, in any row order, and again. Checked on
//! 22 open questions with long answers (where near-ties in the logits show) and on every
//! example eval, with the real model. Answers are compared within this machine only: another
//! CPU may answer differently, but it must agree with itself the same way.

mod common;

use std::collections::BTreeMap;

use common::TestEnv;
use serde_json::Value;

/// The repository's own example workspace, with the test model.
fn examples() -> TestEnv {
    let env = TestEnv::with_model();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["prompts", "datasets", "evals"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            env.write(&format!("{dir}/{}", path.file_name().unwrap().to_string_lossy()), &std::fs::read_to_string(&path).unwrap());
        }
    }
    env.commit_all("the example workspace");
    env
}

fn set_parallel(env: &TestEnv, parallel: u32) {
    let config = common::model_config(common::TEST_MODEL_FILE, "").replace("context: 2048", &format!("context: 2048\n    parallel: {parallel}"));
    env.write(".llmops/config.yaml", &config);
}

/// Every row's answer from a recorded eval, by row id.
fn eval_answers(env: &TestEnv, eval: &str) -> BTreeMap<String, String> {
    eval_answers_with(env, eval, &[])
}

fn eval_answers_with(env: &TestEnv, eval: &str, vars: &[(&str, &str)]) -> BTreeMap<String, String> {
    let out = env.llmops_with(env.root(), vars, &["eval", eval, "--no-cache", "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    env.git(&["show", &format!("refs/llmops/runs/{eval}:samples.jsonl")])
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_owned(), v["output"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn dataset_of(env: &TestEnv, eval: &str) -> (String, String) {
    let spec = env.read(&format!("evals/{eval}.yaml"));
    let field = |key: &str| spec.lines().find_map(|l| l.strip_prefix(&format!("{key}: "))).unwrap().trim().to_owned();
    (field("prompt"), field("dataset"))
}

fn differing(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    a.iter().filter(|(k, v)| b[*k] != **v).map(|(k, v)| format!("{k}: {v:?} vs {:?}", b[k])).collect()
}

#[test]
fn run_and_eval_agree_byte_for_byte_at_every_parallel_and_row_order() {
    let env = examples();
    for eval in ["explain", "capital", "extract", "rank", "capital-judged"] {
        let (prompt, dataset) = dataset_of(&env, eval);
        let rows: Vec<String> = env
            .read(&format!("datasets/{dataset}.jsonl"))
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_owned())
            .collect();
        // One at a time, as a user reproducing a row would.
        let alone: BTreeMap<String, String> = rows
            .iter()
            .map(|id| {
                let out = env.llmops(&["run", &prompt, "--row", id, "--dataset", &dataset, "--no-cache", "--json"]);
                assert_eq!(out.code, 0, "{}", out.snapshot());
                let v: Value = serde_json::from_str(&out.stdout).unwrap();
                (id.clone(), v["text"].as_str().unwrap().to_owned())
            })
            .collect();
        for parallel in [1, 4, 8, 16] {
            set_parallel(&env, parallel);
            let batched = eval_answers(&env, eval);
            let diff = differing(&alone, &batched);
            assert!(diff.is_empty(), "eval `{eval}` at parallel {parallel} differs from `run` on {} rows:\n{}", diff.len(), diff.join("\n"));
        }
        // The rows in reverse order, and a second time: still the same answers.
        let original = env.read(&format!("datasets/{dataset}.jsonl"));
        let reversed: String = original.lines().rev().map(|l| format!("{l}\n")).collect();
        env.write(&format!("datasets/{dataset}.jsonl"), &reversed);
        set_parallel(&env, 8);
        assert!(differing(&alone, &eval_answers(&env, eval)).is_empty(), "eval `{eval}` with its rows reversed");
        assert!(differing(&alone, &eval_answers(&env, eval)).is_empty(), "eval `{eval}` run again");
        env.write(&format!("datasets/{dataset}.jsonl"), &original);
    }
}

/// Where a one-row step computes like a batched one (this project's machine), steps go
/// unpadded; elsewhere the engine pads them with throw-away rows. `LLMOPS_PAD_STEPS=1` forces
/// the padding here, so its bookkeeping (rows in idle slots and the spare sequence, their
/// cells freed after each step, the logits each sequence reads) is checked on any machine:
/// padded and unpadded, at `parallel` 3 (gaps between stepping slots and lone tails) and 8,
/// and one row at a time, every answer is the same.
#[test]
fn padded_steps_change_no_answer() {
    let env = examples();
    let pad = [("LLMOPS_PAD_STEPS", "1")];
    for eval in ["capital", "explain"] {
        set_parallel(&env, 8);
        let plain = eval_answers(&env, eval);
        for parallel in [3, 8] {
            set_parallel(&env, parallel);
            let padded = eval_answers_with(&env, eval, &pad);
            let diff = differing(&plain, &padded);
            assert!(diff.is_empty(), "eval `{eval}` padded at parallel {parallel} differs on {} rows:\n{}", diff.len(), diff.join("\n"));
        }
        let (prompt, dataset) = dataset_of(&env, eval);
        for id in plain.keys().take(3) {
            let out = env.llmops_with(env.root(), &pad, &["run", &prompt, "--row", id, "--dataset", &dataset, "--no-cache", "--json"]);
            assert_eq!(out.code, 0, "{}", out.snapshot());
            let v: Value = serde_json::from_str(&out.stdout).unwrap();
            assert_eq!(v["text"].as_str().unwrap(), plain[id], "`run` of `{id}` padded");
        }
    }
}
