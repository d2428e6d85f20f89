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
    // `--version` picks the prompt version (not llmops's own version flag).
    let out = env.llmops(&["promote", "capital", "--version", &v, "--to", "staging"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let releases: Value = serde_json::from_str(&env.llmops(&["releases", "--json"]).stdout).unwrap();
    assert_eq!(releases["prompts"]["capital"]["staging"]["version"], release["version"]);
}

#[test]
fn a_prompt_edit_that_fails_its_gate_cannot_be_promoted() {
    let env = TestEnv::with_model();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("What is the capital of", "What is a famous dish of"));
    assert_eq!(env.llmops(&["eval", "capital"]).code, 1);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    // The pass rate is the model's (another CPU may answer another row right): redacted.
    let stderr = regex::Regex::new(r"[0-9a-f]{10}").unwrap().replace_all(&out.stderr, "[ID]").into_owned();
    let stderr = regex::Regex::new(r"pass rate \d\.\d{3} <").unwrap().replace_all(&stderr, "pass rate [RATE] <").into_owned();
    assert_snapshot!(stderr, @r"
        failed capital: run [ID] failed the gate: FAIL: pass rate [RATE] < 0.6
        error: `capital@[ID]` cannot be promoted to `production`
        caused by: capital: run [ID] failed the gate: FAIL: pass rate [RATE] < 0.6
        hint: improve the prompt, then run `llmops eval capital`
        ");
}

#[test]
fn a_tampered_run_does_not_vouch_for_a_version() {
    let env = TestEnv::with_model();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("What is the capital of", "What is a famous dish of"));
    env.llmops(&["eval", "capital"]);
    // Flip the recorded verdict to PASS by hand.
    forge_run(&env, "capital", |yaml| yaml.replace("  pass: false", "  pass: true"));
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    // The forged run is passed over: the sound run beneath it failed.
    assert!(out.stderr.contains("failed the gate"), "{}", out.stderr);
}

#[test]
fn a_canary_takes_its_share_of_keys_and_each_key_sticks() {
    let env = TestEnv::with_model();
    env.llmops(&["eval", "capital"]);
    // A canary needs a stable release beside it: refused, nothing written.
    let out = env.llmops(&["promote", "capital", "--canary", "30"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("a canary needs a stable version beside it") && out.stderr.contains("hint: promote without `--canary` first"), "{}", out.stderr);
    assert!(!env.root().join(".llmops/releases.yaml").exists(), "no lockfile was written");
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

/// Replaces the newest run of `eval` with a copy whose `run.yaml` went through `edit`, keeping
/// its samples: what a hand-edited ledger looks like.
fn forge_run(env: &TestEnv, eval: &str, edit: impl Fn(&str) -> String) {
    forge_file(env, eval, "run.yaml", edit);
}

/// Commits a copy of the newest run of `eval` with `file` edited and everything else kept
/// (as a forger with push access would), and moves the ref to it.
fn forge_file(env: &TestEnv, eval: &str, file: &str, edit: impl Fn(&str) -> String) {
    let reference = format!("refs/llmops/runs/{eval}");
    let tip = env.git(&["rev-parse", &reference]).trim().to_owned();
    let commit = common::forge_commit(env, &tip, file, &tip, edit);
    env.git(&["update-ref", &reference, &commit]);
}

/// Evaluates and promotes the work tree's `capital`, and commits everything.
fn released() -> TestEnv {
    let env = TestEnv::with_model();
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    env.commit_all("release capital");
    env
}

fn ids_redacted(text: &str) -> String {
    regex::Regex::new(r"[0-9a-f]{10}").unwrap().replace_all(text, "[ID]").into_owned()
}

#[test]
fn the_hook_refuses_unevaluated_and_tampered_releases_and_lets_other_commits_through() {
    let env = released();
    // A hook that was there before keeps running, first.
    env.write(".git/hooks/pre-commit", "#!/bin/sh\ntouch \"$(git rev-parse --git-dir)/earlier-hook-ran\"\n");
    std::process::Command::new("chmod").args(["+x", ".git/hooks/pre-commit"]).current_dir(env.root()).status().unwrap();
    let out = env.llmops(&["hook", "install"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert_snapshot!(env.llmops(&["hook", "install"]).stderr, @"kept `.git/hooks/pre-commit` was installed already (refreshed)");

    // A commit that touches no prompt, dataset, eval or lockfile passes, quickly.
    env.write("README.md", "notes\n");
    env.git(&["add", "README.md"]);
    let out = env.git_output(&["commit", "-q", "-m", "notes"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(env.root().join(".git/earlier-hook-ran").exists(), "the earlier hook ran");
    env.write("README.md", "more notes\n");
    env.git(&["add", "README.md"]);
    // Nothing relevant staged passes (how fast: `cargo bench --bench startup`).
    assert_eq!(env.llmops(&["gate", "--staged"]).code, 0);
    env.git(&["commit", "-q", "-m", "more notes"]);

    // A hand-edited lockfile pointing at a version nobody evaluated.
    let released = env.git(&["hash-object", "prompts/capital.yaml"]).trim().to_owned();
    let original = env.read("prompts/capital.yaml");
    env.write("prompts/capital.yaml", &original.replace("max_tokens: 24", "max_tokens: 20"));
    let unevaluated = env.git(&["hash-object", "-w", "prompts/capital.yaml"]).trim().to_owned();
    env.write("prompts/capital.yaml", &original);
    let lockfile = env.read(".llmops/releases.yaml");
    env.write(".llmops/releases.yaml", &lockfile.replace(&released, &unevaluated));
    env.git(&["add", ".llmops/releases.yaml"]);
    let out = env.git_output(&["commit", "-q", "-m", "release by hand"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    // git shows the hook's output on stderr.
    assert_snapshot!(ids_redacted(&out.stderr), @r"
        PROMPT              VERSION     EVAL     STATUS    RUN         REASON
        capital@production  [ID]  capital  tampered  [ID]  run [ID] evaluated version [ID], not the released [ID]
        error: the gate failed: 1 of 1 checks
        caused by: capital@production / capital: run [ID] evaluated version [ID], not the released [ID]
        hint: run `llmops eval capital --prompt-version [ID]`, then `llmops promote capital --version [ID] --to production`
        ");
    env.git(&["reset", "-q", "--hard"]);

    // A failing version whose run was forged to pass, and a lockfile pointing at the forgery.
    env.write("prompts/capital.yaml", &original.replace("What is the capital of", "What is a famous dish of"));
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 1);
    forge_run(&env, "capital", |yaml| yaml.replace("  pass: false", "  pass: true"));
    let bad = env.git(&["hash-object", "prompts/capital.yaml"]).trim().to_owned();
    let forged = env.git(&["rev-parse", "refs/llmops/runs/capital"]).trim().to_owned();
    let good_run = listed_run(&lockfile);
    env.write(".llmops/releases.yaml", &lockfile.replace(&released, &bad).replace(&good_run, &forged));
    env.git(&["add", "-A"]);
    let out = env.git_output(&["commit", "-q", "-m", "release the forgery"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert_snapshot!(ids_redacted(&out.stderr), @r"
        PROMPT              VERSION     EVAL     STATUS    RUN         REASON
        capital@production  [ID]  capital  tampered  [ID]  run [ID] does not match its own samples: gate: run.yaml says PASS, the eval's gate …
        capital (changed)   [ID]  capital  failed    [ID]  run [ID] failed the gate: FAIL: pass rate 0.200 < 0.6
        error: the gate failed: 2 of 2 checks
        caused by: capital@production / capital: run [ID] does not match its own samples: gate: run.yaml says PASS, the eval's gate on the samples gives FAIL
        caused by: capital (changed) / capital: run [ID] failed the gate: FAIL: pass rate 0.200 < 0.6
        hint: run `llmops eval capital --prompt-version [ID]`, then `llmops promote capital --version [ID] --to production`
        hint: improve the prompt, then run `llmops eval capital`
        ");
    env.git(&["reset", "-q", "--hard"]);
    assert_eq!(env.llmops(&["hook", "uninstall"]).code, 0);
    assert_eq!(env.read(".git/hooks/pre-commit"), "#!/bin/sh\ntouch \"$(git rev-parse --git-dir)/earlier-hook-ran\"\n", "the earlier hook is back");
}

/// The run id the lockfile lists for `capital`.
fn listed_run(lockfile: &str) -> String {
    let line = lockfile.lines().find(|l| l.trim_start().starts_with("capital: ") && l.trim().len() > 40).expect("a listed run");
    line.trim().trim_start_matches("capital: ").to_owned()
}

#[test]
fn gate_base_in_a_ci_clone_passes_a_good_branch_and_fails_a_regressing_one() {
    let env = released();
    let original = env.read("prompts/capital.yaml");
    env.git(&["checkout", "-q", "-b", "good"]);
    env.write("prompts/capital.yaml", &original.replace("max_tokens: 24", "max_tokens: 20"));
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    env.commit_all("shorter answers");
    env.git(&["checkout", "-q", "-b", "bad", "main"]);
    env.write("prompts/capital.yaml", &original.replace("What is the capital of", "What is a famous dish of"));
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 1);
    env.commit_all("ask about food");
    env.git(&["checkout", "-q", "main"]);

    // CI: a fresh clone, the ledger fetched, no model and no cache.
    let ci = env.temp().join("ci");
    env.git(&["clone", "-q", env.root().to_str().unwrap(), ci.to_str().unwrap()]);
    let git_ci = |args: &[&str]| {
        let out = std::process::Command::new("git").current_dir(&ci).args(args).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git_ci(&["fetch", "-q", "origin", "+refs/llmops/*:refs/llmops/*"]);
    let junit = env.temp().join("gate.xml");
    let summary = env.temp().join("summary.md");
    let gate = |branch: &str| {
        git_ci(&["checkout", "-q", branch]);
        let _ = std::fs::remove_file(&summary);
        env.llmops_in(&ci, &["gate", "--base", "origin/main", "--junit", junit.to_str().unwrap(), "--summary", summary.to_str().unwrap()])
    };

    let out = gate("good");
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("valid JUnit XML");
    let suites = doc.root_element();
    assert_eq!((suites.tag_name().name(), suites.attribute("tests"), suites.attribute("failures")), ("testsuites", Some("2"), Some("0")));
    assert!(std::fs::read_to_string(&summary).unwrap().starts_with("## ✅ llmops gate passed"));

    let out = gate("bad");
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert_snapshot!(ids_redacted(&out.stderr), @r"
        error: the gate failed: 1 of 2 checks
        caused by: capital (changed) / capital: run [ID] failed the gate: FAIL: pass rate 0.200 < 0.6
        hint: improve the prompt, then run `llmops eval capital`
        ");
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("valid JUnit XML");
    assert_eq!(doc.root_element().attribute("failures"), Some("1"));
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).expect("a <failure>");
    assert_eq!(failure.attribute("type"), Some("failed"));
    assert!(failure.parent().unwrap().attribute("name").unwrap().starts_with("capital (changed) / capital"));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert_snapshot!(ids_redacted(&md), @r"
        ## ❌ llmops gate failed: 1 of 2 checks

        Checked every release in `.llmops/releases.yaml` and the prompts in the changes since `origin/main`.

        | prompt | version | eval | status | run | reason |
        |---|---|---|---|---|---|
        | capital@production | `[ID]` | capital | ✅ pass | `[ID]` | run [ID] passed and verifies |
        | capital (changed) | `[ID]` | capital | ❌ failed | `[ID]` | run [ID] failed the gate: FAIL: pass rate 0.200 < 0.6 |

        **What to run next**

        - improve the prompt, then run `llmops eval capital`
        ");
}

#[test]
fn a_stale_release_fails_the_gate_unless_the_policy_only_warns() {
    let env = released();
    assert_eq!(env.llmops(&["gate"]).code, 0);
    let rows = env.read("datasets/capitals.jsonl");
    env.write("datasets/capitals.jsonl", &format!("{rows}{{\"id\": \"peru\", \"vars\": {{\"country\": \"Peru\"}}, \"expected\": \"Lima\"}}\n"));
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert_snapshot!(ids_redacted(&out.stderr), @r"
        error: the gate failed: 1 of 1 checks
        caused by: capital@production / capital: stale: dataset `capitals` changed since run [ID]
        hint: run `llmops eval capital --prompt-version [ID]`, then `llmops promote capital --version [ID] --to production`
        hint: or let the gate run the missing evals: `llmops gate --run`
        ");
    let config = env.read(".llmops/config.yaml");
    env.write(".llmops/config.yaml", &format!("{config}gate:\n  stale_releases: warn\n"));
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stdout.contains("stale (warn)"), "{}", out.stdout);
    // `--run` evaluates the released version on the new dataset; a new promotion then lists it.
    env.write(".llmops/config.yaml", &config);
    let out = env.llmops(&["gate", "--run"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("llmops promote capital --version"), "{}", out.stderr);
    assert_eq!(env.llmops(&["promote", "capital"]).code, 0);
    assert_eq!(env.llmops(&["gate"]).code, 0);
}

#[test]
fn gate_run_supplies_the_missing_eval_of_a_changed_prompt() {
    let env = released();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("max_tokens: 24", "max_tokens: 20"));
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("hint: or let the gate run the missing evals: `llmops gate --run`"), "{}", out.stderr);
    let out = env.llmops(&["gate", "--run", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let review: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(review["pass"], true);
    let statuses: Vec<_> = review["findings"].as_array().unwrap().iter().map(|f| (f["role"].as_str().unwrap(), f["status"].as_str().unwrap())).collect();
    assert_eq!(statuses, [("release", "pass"), ("changed", "pass")]);
}

/// `gate --staged --run` evaluates what is staged: with a prompt change staged and another
/// change on top of it left unstaged, the run it records pins the staged blob, and the gate
/// that reviews the index then passes.
#[test]
fn gate_staged_run_evaluates_the_staged_version() {
    let env = released();
    let original = env.read("prompts/capital.yaml");
    env.write("prompts/capital.yaml", &original.replace("max_tokens: 24", "max_tokens: 20"));
    env.git(&["add", "prompts/capital.yaml"]);
    env.write("prompts/capital.yaml", &original.replace("max_tokens: 24", "max_tokens: 16"));
    let staged = env.git(&["rev-parse", ":prompts/capital.yaml"]).trim().to_owned();
    assert_ne!(staged, env.git(&["rev-parse", "HEAD:prompts/capital.yaml"]).trim(), "a change is staged");
    let out = env.llmops(&["gate", "--staged", "--run", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let run: Value = serde_yaml_ng::from_str(&env.git(&["show", "refs/llmops/runs/capital:run.yaml"])).unwrap();
    assert_eq!(run["prompt"]["blob"].as_str(), Some(staged.as_str()), "the run pins the staged prompt");
    assert_eq!(env.read("prompts/capital.yaml"), original.replace("max_tokens: 24", "max_tokens: 16"), "the work tree is untouched");
}

#[test]
fn bad_gate_configuration_and_unknown_bases_exit_2() {
    let env = TestEnv::initialized();
    let config = env.read(".llmops/config.yaml");
    assert!(config.contains("  changed_prompts: require\n"), "the template states the policy");
    env.write(".llmops/config.yaml", &config.replace("  changed_prompts: require\n", "  changed_prompts: maybe\n"));
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    let line = config.lines().position(|l| l.contains("changed_prompts: require")).unwrap() + 1;
    assert!(out.stderr.contains(&format!(".llmops/config.yaml:{line}:")), "{}", out.stderr);
    assert!(out.stderr.contains("maybe"), "{}", out.stderr);
    env.write(".llmops/config.yaml", &config);
    let out = env.llmops(&["gate", "--base", "no-such-branch"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 2
        --- stdout
        --- stderr
        error: `no-such-branch` is not a revision of this repository
        hint: in a shallow CI clone, fetch the base first: `git fetch origin main` (and `fetch-depth: 0`)
        ");
}

#[test]
fn init_ci_github_writes_a_workflow_that_runs_the_gate() {
    let env = TestEnv::initialized();
    let out = env.llmops(&["init", "--ci", "github"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let workflow = env.read(".github/workflows/llmops.yml");
    let parsed: Value = serde_yaml_ng::from_str(&workflow).expect("valid YAML");
    let steps = parsed["jobs"]["gate"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.contains("refs/llmops/*")), "{runs:?}");
    assert!(runs.iter().any(|r| r.contains("llmops gate") && r.contains("--junit llmops-gate.xml") && r.contains("$GITHUB_STEP_SUMMARY") && r.contains("--report llmops-report.html")), "{runs:?}");
    // The JUnit file and the HTML report are uploaded.
    let upload = steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-artifact"))).expect("an upload step");
    let paths = upload["with"]["path"].as_str().unwrap();
    assert!(paths.contains("llmops-gate.xml") && paths.contains("llmops-report.html"), "{paths}");
    // Never overwritten.
    env.write(".github/workflows/llmops.yml", "mine\n");
    assert_eq!(env.llmops(&["init", "--ci", "github"]).code, 0);
    assert_eq!(env.read(".github/workflows/llmops.yml"), "mine\n");
}

#[test]
fn init_ci_github_with_shards_writes_a_matrix_whose_last_job_merges_and_gates() {
    let env = TestEnv::initialized();
    let out = env.llmops(&["init", "--ci", "github", "--shards", "4"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let parsed: Value = serde_yaml_ng::from_str(&env.read(".github/workflows/llmops.yml")).expect("valid YAML");
    let jobs = &parsed["jobs"];
    assert_eq!(jobs["shard"]["strategy"]["matrix"]["shard"], serde_json::json!([1, 2, 3, 4]));
    let runs = |job: &str| -> Vec<String> { jobs[job]["steps"].as_array().unwrap().iter().filter_map(|s| s["run"].as_str().map(str::to_owned)).collect() };
    let shard = runs("shard");
    assert!(shard.iter().any(|r| r.starts_with("llmops eval --shard ${{ matrix.shard }}/4")), "{shard:?}");
    assert!(shard.iter().any(|r| r.contains("git push origin \"refs/llmops/runs/*:$SHARDS_REF/${{ matrix.shard }}/*\"")), "{shard:?}");
    assert_eq!(jobs["gate"]["needs"], "shard");
    let gate = runs("gate");
    let merge = gate.iter().position(|r| r.contains("llmops merge --refs \"$SHARDS_REF\"")).expect("a merge step");
    let gating = gate.iter().position(|r| r.contains("llmops gate") && r.contains("--junit llmops-gate.xml")).expect("a gate step");
    assert!(merge < gating, "merged before the gate: {gate:?}");
    assert!(gate.iter().any(|r| r.contains("$SHARDS_REF/*:$SHARDS_REF/*")), "the gate job fetches the shards: {gate:?}");
    assert!(parsed["env"]["SHARDS_REF"].as_str().unwrap().starts_with("refs/llmops/shards/"));
    assert_eq!(parsed["permissions"]["contents"], "write");
    // The shard refs go whatever happened.
    assert_eq!((jobs["cleanup"]["if"].as_str(), &jobs["cleanup"]["needs"]), (Some("always()"), &serde_json::json!(["shard", "gate"])));
    assert!(runs("cleanup").iter().any(|r| r.contains("--delete") && r.contains("$SHARDS_REF")), "{:?}", runs("cleanup"));
    let out = env.llmops(&["init", "--shards", "4"]);
    assert_eq!(out.code, 2, "--shards needs --ci: {}", out.snapshot());
}

// ---- Holes that used to let the gate pass what was not evaluated (issue: trust) ----

#[test]
fn a_partial_run_never_vouches_for_a_version() {
    let env = TestEnv::with_model();
    // One row that passes: a run of the whole dataset would be needed.
    assert_eq!(env.llmops(&["eval", "capital", "--filter", "france", "-q"]).code, 0);
    assert!(env.git(&["show", "refs/llmops/runs/capital:run.yaml"]).contains("selection:"), "the selection is recorded");
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("is partial (selected with `--filter france`): 1 samples where the dataset gives 5, 4 missing"), "{}", out.stderr);
    assert!(out.stderr.contains("without `--filter` or `--limit`"), "{}", out.stderr);
    assert_eq!(env.llmops(&["eval", "capital", "--limit", "1", "-q"]).code, 0);
    assert_eq!(env.llmops(&["promote", "capital"]).code, 1, "--limit is partial too");
    // The whole dataset: now it counts.
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
}

#[test]
fn a_run_cannot_declare_its_own_gate_or_flip_its_samples() {
    let env = TestEnv::with_model();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("What is the capital of", "What is a famous dish of"));
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 1);
    // The run says it had no gate, and that it passed: recomputed against the eval at its pinned
    // blob id, it fails.
    forge_run(&env, "capital", |yaml| {
        let mut out = String::new();
        let mut in_gate = false;
        for line in yaml.lines() {
            if line == "gate:" {
                in_gate = true;
                out.push_str("gate: null\n");
                continue;
            }
            if in_gate && line.starts_with("  ") {
                continue;
            }
            in_gate = false;
            out.push_str(&line.replace("  pass: false", "  pass: true"));
            out.push('\n');
        }
        out
    });
    let out = env.llmops(&["verify"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stdout.contains("run.yaml's `gate` is not the pinned eval's `gate:` block"), "{}", out.stdout);
    assert_eq!(env.llmops(&["promote", "capital"]).code, 1);
    // Every sample's own pass flag flipped, its grades left as they were: the grades give it away.
    assert_eq!(env.llmops(&["eval", "capital", "-q", "--no-cache"]).code, 1);
    forge_file(&env, "capital", "samples.jsonl", |s| s.replace("\"pass\":false}\n", "\"pass\":true}\n"));
    let out = env.llmops(&["verify", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stdout.contains("its grades give"), "{}", out.stdout);
    assert_eq!(env.llmops(&["promote", "capital"]).code, 1);
    // A grade outside 0..1 is impossible, however consistent the rest.
    forge_file(&env, "capital", "samples.jsonl", |s| s.replacen("\"score\":0.0,\"pass\":false,\"reason\"", "\"score\":50.0,\"pass\":true,\"reason\"", 1));
    let out = env.llmops(&["verify", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stdout.contains("outside 0..1"), "{}", out.stdout);
}

#[test]
fn a_forged_newer_run_does_not_hide_a_sound_older_one() {
    let env = TestEnv::with_model();
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    forge_run(&env, "capital", |yaml| yaml.replacen("passed: 4", "passed: 5", 1));
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let listed = env.read(".llmops/releases.yaml");
    let forged = env.git(&["rev-parse", "refs/llmops/runs/capital"]).trim().to_owned();
    assert!(!listed.contains(&forged), "the forged run was listed: {listed}");
}

#[test]
fn an_unreadable_lockfile_is_an_error_never_an_empty_one() {
    let env = released();
    let before = env.read(".llmops/releases.yaml");
    // Not UTF-8: the gate used to pass and promote to drop every other release.
    std::fs::write(env.root().join(".llmops/releases.yaml"), b"prompts:\n  capital: \xff\n").unwrap();
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("the releases lockfile cannot be read"), "{}", out.stderr);
    let out = env.llmops(&["promote", "capital", "--to", "staging"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    // `NAME@channel` does not fall back to a git revision named like the channel.
    env.git(&["branch", "production"]);
    let out = env.llmops(&["prompt", "show", "capital@production"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    // A folder, and a link, are errors too.
    std::fs::remove_file(env.root().join(".llmops/releases.yaml")).unwrap();
    std::fs::create_dir(env.root().join(".llmops/releases.yaml")).unwrap();
    assert_eq!(env.llmops(&["gate"]).code, 2);
    std::fs::remove_dir(env.root().join(".llmops/releases.yaml")).unwrap();
    env.write("elsewhere.yaml", &before);
    std::os::unix::fs::symlink(env.root().join("elsewhere.yaml"), env.root().join(".llmops/releases.yaml")).unwrap();
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
}

#[test]
fn a_branch_cannot_relax_its_own_gate_in_ci() {
    let env = released();
    env.git(&["checkout", "-q", "-b", "relax"]);
    // The branch lowers the bar, switches off the changed-prompt rule and changes the prompt.
    env.write("evals/capital.yaml", &env.read("evals/capital.yaml").replace("min_pass_rate: 0.6", "min_pass_rate: 0.0"));
    let config = env.read(".llmops/config.yaml");
    env.write(".llmops/config.yaml", &format!("{config}gate:\n  changed_prompts: ignore\n"));
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("What is the capital of", "Name the capital of"));
    env.commit_all("relax the gate");
    let out = env.llmops(&["gate", "--base", "main"]);
    assert_eq!(out.code, 1, "the base's policy still requires a run of the changed prompt: {}", out.snapshot());
    assert!(out.stdout.contains("policy-changed (warn)"), "{}", out.stdout);
    assert!(out.stdout.contains("gate.min_pass_rate: 0.6 → 0"), "{}", out.stdout);
    assert!(out.stdout.contains("changed_prompts: require → ignore"), "{}", out.stdout);
    // With a run of the changed prompt under the relaxed bar, released on the branch, only the
    // base's `policy_changes` stands between the branch and a pass: `warn` (the default)
    // reports it.
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    assert_eq!(env.llmops(&["promote", "capital", "--commit"]).code, 0);
    let out = env.llmops(&["gate", "--base", "main"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stdout.contains("policy-changed (warn)"), "{}", out.stdout);
    // With the base requiring review of such changes, the same relaxation fails the gate by itself.
    env.git(&["checkout", "-q", "main"]);
    env.write(".llmops/config.yaml", &config.replace("default_model: smollm2", "default_model: smollm2\ngate:\n  policy_changes: require"));
    env.commit_all("policy changes need review");
    env.git(&["checkout", "-q", "-b", "relax-again"]);
    env.write("evals/capital.yaml", &env.read("evals/capital.yaml").replace("min_pass_rate: 0.6", "min_pass_rate: 0.0"));
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("What is the capital of", "Name the capital of"));
    env.commit_all("relax the gate again");
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    assert_eq!(env.llmops(&["promote", "capital", "--commit"]).code, 0);
    let out = env.llmops(&["gate", "--base", "main"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("the bar of eval `capital` changed: gate.min_pass_rate: 0.6 → 0"), "{}", out.stderr);
    env.git(&["checkout", "-q", "main"]);
    env.git(&["checkout", "-q", "-b", "drop-eval"]);
    std::fs::remove_file(env.root().join("evals/capital.yaml")).unwrap();
    env.commit_all("remove the eval");
    let out = env.llmops(&["gate", "--base", "main", "--junit", "gate.xml"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("eval `capital` was removed, and prompt `capital` has releases that rest on it"), "{}", out.stderr);
    assert!(env.read("gate.xml").contains("<testsuite name=\"policy\""), "{}", env.read("gate.xml"));
}

#[test]
fn a_channel_can_require_runs_signed_by_an_allowed_key() {
    let env = TestEnv::with_model();
    let keys = tempfile::tempdir().unwrap();
    for k in ["ci", "intruder"] {
        let status = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", k, "-f"])
            .arg(keys.path().join(k))
            .status()
            .expect("ssh-keygen");
        assert!(status.success());
    }
    let public = |k: &str| std::fs::read_to_string(keys.path().join(format!("{k}.pub"))).unwrap();
    env.write(".llmops/allowed_signers", &format!("test@example.com namespaces=\"git\" {}", public("ci")));
    let config = env.read(".llmops/config.yaml");
    env.write(".llmops/config.yaml", &format!("{config}gate:\n  signed_runs:\n    channels: [production]\n    allowed_signers: .llmops/allowed_signers\n"));
    env.commit_all("production needs signed runs");
    env.git(&["config", "gpg.format", "ssh"]);
    let use_key = |k: &str| env.git(&["config", "user.signingkey", &keys.path().join(format!("{k}.pub")).display().to_string()]);

    // An unsigned run vouches for staging, not for production.
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("requires runs signed by an allowed signer (`.llmops/allowed_signers`), and run"), "{}", out.stderr);
    assert!(out.stderr.contains("it is not signed"), "{}", out.stderr);
    assert!(out.stderr.contains("llmops eval capital --sign"), "{}", out.stderr);
    assert_eq!(env.llmops(&["promote", "capital", "--to", "staging"]).code, 0);
    // Signed by a key that is not allowed: refused.
    use_key("intruder");
    assert_eq!(env.llmops(&["eval", "capital", "-q", "--sign"]).code, 0);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("is not in the allowed signers"), "{}", out.stderr);
    // Signed by the allowed key: promoted, and the gate agrees.
    use_key("ci");
    assert_eq!(env.llmops(&["eval", "capital", "-q", "--sign"]).code, 0);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    env.commit_all("release");
    assert_eq!(env.llmops(&["gate"]).code, 0);
    // The pre-commit gate reads the index's snapshot and checks the same signature (in the
    // repository: the snapshot is no repository).
    let lock = env.read(".llmops/releases.yaml");
    env.write(".llmops/releases.yaml", &format!("{lock}# reviewed\n"));
    env.git(&["add", ".llmops/releases.yaml"]);
    let out = env.llmops(&["gate", "--staged"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    env.write(".llmops/releases.yaml", &lock);
    env.git(&["add", ".llmops/releases.yaml"]);
    // An unsigned copy of the signed run (anyone with push access can write one) does not
    // stand in for it.
    forge_run(&env, "capital", |yaml| yaml.replacen("invocation: ", "invocation: x", 1));
    let forged = env.git(&["rev-parse", "refs/llmops/runs/capital"]).trim().to_owned();
    let lock = env.read(".llmops/releases.yaml");
    let listed = lock.lines().find_map(|l| l.trim().strip_prefix("capital: ")).unwrap().to_owned();
    env.write(".llmops/releases.yaml", &lock.replace(&listed, &forged));
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("it is not signed"), "{}", out.stderr);
    env.git(&["add", ".llmops/releases.yaml"]);
    let out = env.llmops(&["gate", "--staged"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("it is not signed"), "{}", out.stderr);
}
