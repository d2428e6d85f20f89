//! Promotion: a prompt version is released only when every eval that uses it has a passing,
//! untampered run of exactly that version.

mod common;

use common::TestEnv;
use insta::assert_snapshot;
use serde_json::Value;

fn version(env: &TestEnv) -> String {
    env.git(&["hash-object", "prompts/capital.yaml"]).trim()[..10].to_owned()
}

#[test]
fn promote_refuses_before_any_eval_and_succeeds_after_a_passing_one() {
    let env = TestEnv::with_model();
    let out = env.llmops(&["promote", "capital"]);
    let v = version(&env);
    assert_snapshot!(out.snapshot().replace(&v, "[VERSION]"), @r"
        exit: 1
        --- stdout
        --- stderr
        missing capital: eval `capital` has no runs
        error: `capital@[VERSION]` cannot be promoted to `production`
        caused by: capital: eval `capital` has no runs
        hint: run `llmops eval capital`
        ");
    assert!(!env.root().join(".llmops/releases.yaml").exists());
    assert_eq!(env.llmops(&["eval", "capital"]).code, 0);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let releases: Value = serde_json::from_str(&env.llmops(&["releases", "--json"]).stdout).unwrap();
    let release = &releases["prompts"]["capital"]["production"];
    assert_eq!(release["version"], env.git(&["hash-object", "prompts/capital.yaml"]).trim());
    let run = env.git(&["rev-parse", "refs/llmops/runs/capital"]);
    assert_eq!(release["runs"]["capital"], run.trim());
}

#[test]
fn a_prompt_edit_that_fails_its_gate_cannot_be_promoted() {
    let env = TestEnv::with_model();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("What is the capital of", "What is a famous dish of"));
    assert_eq!(env.llmops(&["eval", "capital"]).code, 1);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    let stderr = regex::Regex::new(r"[0-9a-f]{10}").unwrap().replace_all(&out.stderr, "[ID]").into_owned();
    assert_snapshot!(stderr, @r"
        missing capital: run [ID] failed the gate: FAIL: pass rate 0.200 < 0.6
        error: `capital@[ID]` cannot be promoted to `production`
        caused by: capital: run [ID] failed the gate: FAIL: pass rate 0.200 < 0.6
        hint: improve the prompt, then run `llmops eval capital`
        ");
}

#[test]
fn a_tampered_run_does_not_vouch_for_a_version() {
    let env = TestEnv::with_model();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("What is the capital of", "What is a famous dish of"));
    env.llmops(&["eval", "capital"]);
    // Flip the recorded verdict to PASS by hand.
    let tip = env.git(&["rev-parse", "refs/llmops/runs/capital"]).trim().to_owned();
    let yaml = env.git(&["show", &format!("{tip}:run.yaml")]);
    let forged = yaml.replace("  pass: false", "  pass: true");
    assert_ne!(forged, yaml);
    env.write("forged.yaml", &forged);
    let blob = env.git(&["hash-object", "-w", "forged.yaml"]).trim().to_owned();
    std::fs::remove_file(env.root().join("forged.yaml")).unwrap();
    let samples = env.git(&["rev-parse", &format!("{tip}:samples.jsonl")]).trim().to_owned();
    let mut mktree = std::process::Command::new("git")
        .current_dir(env.root())
        .arg("mktree")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(mktree.stdin.as_mut().unwrap(), format!("100644 blob {blob}\trun.yaml\n100644 blob {samples}\tsamples.jsonl\n").as_bytes()).unwrap();
    let tree = String::from_utf8(mktree.wait_with_output().unwrap().stdout).unwrap().trim().to_owned();
    let commit = env.git(&["commit-tree", &tree, "-p", &tip, "-m", "eval capital: forged"]).trim().to_owned();
    env.git(&["update-ref", "refs/llmops/runs/capital", &commit]);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("does not match its own samples"), "{}", out.stderr);
}

#[test]
fn a_canary_takes_its_share_of_keys_and_each_key_sticks() {
    let env = TestEnv::with_model();
    env.llmops(&["eval", "capital"]);
    assert_eq!(env.llmops(&["promote", "capital"]).code, 0);
    let stable = env.git(&["hash-object", "prompts/capital.yaml"]).trim().to_owned();
    env.commit_all("release");
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("max_tokens: 24", "max_tokens: 20"));
    let canary = env.git(&["hash-object", "prompts/capital.yaml"]).trim().to_owned();
    env.llmops(&["eval", "capital"]);
    let out = env.llmops(&["promote", "capital", "--canary", "30"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let mut to_canary = 0;
    for k in 0..40 {
        let key = format!("user-{k}");
        let first = env.llmops(&["prompt", "resolve", "capital", "--channel", "production", "--key", &key]).stdout;
        assert_eq!(first, env.llmops(&["prompt", "resolve", "capital", "--key", &key]).stdout, "sticky per key");
        let first = first.trim();
        assert!(first == stable || first == canary, "{first}");
        to_canary += usize::from(first == canary);
    }
    assert!((4..=20).contains(&to_canary), "about 30% of 40 keys, got {to_canary}");
    // The released version reads from git by channel name, whatever the work tree holds.
    let shown = env.llmops(&["prompt", "show", "capital@production", "--json"]);
    let shown: Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(shown["blob"], stable.as_str());
    assert_eq!(shown["prompt"]["params"]["max_tokens"], 24);
}
