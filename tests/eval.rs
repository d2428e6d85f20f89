//! `llmops eval` end to end on the real test model, and with `--outputs` (no model).

mod common;

use common::TestEnv;
use insta::assert_snapshot;
use serde_json::Value;

fn without_timing(stdout: &str) -> String {
    stdout.lines().filter(|l| !l.contains(" samples in ")).collect::<Vec<_>>().join("\n")
}

#[test]
fn eval_prints_the_table_and_a_rerun_comes_from_the_cache() {
    let env = TestEnv::with_model();
    let out = env.llmops(&["eval", "capital"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    // The table's shape, not the model's words: another CPU answers some rows differently.
    let stdout = without_timing(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "eval capital");
    assert_eq!(lines[1], "DIMENSION  WEIGHT  THRESHOLD  SCORE  PASSED  PASS RATE  95% CI");
    for (line, dimension) in lines[2..5].iter().zip(["correct    1       1.00", "brief      0       1.00", "overall  "]) {
        assert!(line.starts_with(dimension), "{line:?} in\n{stdout}");
        assert!(line.contains("/5"), "{line:?}");
    }
    assert!(lines.last().is_some_and(|l| l.starts_with("gate PASS: ok: pass rate") || l.starts_with("gate FAIL: FAIL: pass rate")), "{stdout}");
    assert_eq!(out.code == 0, stdout.contains("gate PASS"));
    // Failed rows name their reason and output.
    for line in lines.iter().skip_while(|l| !l.starts_with("failed rows")).skip(1).take_while(|l| !l.starts_with("gate ")) {
        assert!(line.contains("correct: output lacks") && line.contains("output: \""), "{line:?}");
    }
    // Run again from the cache: the same table, byte for byte.
    let cached = env.llmops(&["eval", "capital"]);
    assert_eq!(without_timing(&cached.stdout), stdout);
    let first: Value = serde_json::from_str(&env.llmops(&["eval", "capital", "--json"]).stdout).unwrap();
    let summary = &first[0]["summary"];
    assert_eq!(summary["cache_hits"], summary["samples"], "the second run is served from the cache");
    let again: Value = serde_json::from_str(&env.llmops(&["eval", "capital", "--json"]).stdout).unwrap();
    assert_eq!(again[0]["summary"]["overall"], summary["overall"]);
    assert_eq!(again[0]["prompt_version"], first[0]["prompt_version"]);
}

#[test]
fn a_worse_prompt_version_fails_the_gate_and_the_good_one_passes_from_git() {
    let env = TestEnv::with_model();
    // A careless edit: the question no longer asks for the capital.
    let worse = env.read("prompts/capital.yaml").replace("What is the capital of", "What is a famous dish of");
    env.write("prompts/capital.yaml", &worse);
    let out = env.llmops(&["eval", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stdout.contains("gate FAIL"), "{}", out.stdout);
    let out = env.llmops(&["eval", "capital", "--prompt-version", "HEAD"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stdout.contains("gate PASS"), "{}", out.stdout);
}

#[test]
fn outputs_from_a_file_are_graded_without_a_model() {
    let env = TestEnv::initialized();
    env.write(
        "outputs.jsonl",
        "{\"id\": \"france\", \"output\": \"Paris\"}\n{\"id\": \"japan\", \"output\": \"Kyoto\"}\n{\"id\": \"italy\", \"output\": \"Rome\"}\n{\"id\": \"egypt\", \"output\": \"Cairo\"}\n{\"id\": \"germany\", \"output\": \"Berlin\"}\n",
    );
    let out = env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert_snapshot!(without_timing(&out.stdout), @r#"
        eval capital
        DIMENSION  WEIGHT  THRESHOLD  SCORE  PASSED  PASS RATE  95% CI
        correct    1       1.00       0.800  4/5     80%        38%–96%
        brief      0       1.00       1.000  5/5     100%       57%–100%
        overall                       0.800  4/5     80%        38%–96%
        failed rows (1 of 5):
          japan  correct: output lacks "Tokyo" (any case)  output: "Kyoto"
        gate PASS: ok: pass rate 0.800 >= 0.6
        "#);
    let out = env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl", "--filter", "japan"]);
    assert_eq!(out.code, 1, "one row, failing: the gate fails");
}

#[test]
fn command_graders_that_hang_or_crash_fail_their_sample_only() {
    let env = TestEnv::initialized();
    env.write("outputs.jsonl", "{\"id\": \"france\", \"output\": \"Paris\"}\n{\"id\": \"japan\", \"output\": \"Tokyo\"}\n");
    env.write(
        "evals/cmd.yaml",
        "prompt: capital\ndataset: capitals\nallow_exec: true\ngraders:\n  - name: script\n    type: command\n    timeout_s: 1\n    command: [sh, -c, 'read x; case \"$x\" in *Paris*) echo \"{\\\"score\\\": 1, \\\"reason\\\": \\\"ok\\\"}\";; *) sleep 30;; esac']\n  - name: crash\n    type: command\n    command: [sh, -c, 'exit 3']\n    weight: 0\n",
    );
    let out = env.llmops(&["eval", "cmd", "--outputs", "outputs.jsonl", "--filter", "france", "--filter", "japan", "--json", "--allow-exec"]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.snapshot()));
    let s = &report[0]["summary"];
    assert_eq!(s["samples"], 2);
    assert_eq!(s["dimensions"]["script"]["passed"], 1);
    let failure = &s["failures"][0];
    assert_eq!(failure["id"], "japan");
    let reason = failure["grades"]["script"]["reason"].as_str().unwrap();
    assert!(reason.contains("did not finish within 1.0 s and was killed"), "{reason}");
    assert!(s["failures"][0]["grades"]["crash"]["reason"].as_str().unwrap().contains("failed"));
    // The eval file declares `allow_exec: true`, which grants nothing: without the flag,
    // nothing runs and the refusal names the commands.
    let marker = env.root().join("ran");
    env.write("evals/cmd.yaml", &env.read("evals/cmd.yaml").replace("exit 3", &format!("touch {}; exit 3", marker.display())));
    let out = env.llmops(&["eval", "cmd", "--outputs", "outputs.jsonl", "--filter", "france"]);
    assert_snapshot!(out.snapshot().replace(&marker.display().to_string(), "[MARKER]"), @r#"
        exit: 2
        --- stdout
        --- stderr
        error: `evals/cmd.yaml` has command graders, which run programs; they run only with `--allow-exec`
        caused by: `script` runs `sh -c read x; case "$x" in *Paris*) echo "{\"score\": 1, \"reason\": \"ok\"}";; *) sleep 30;; esac`
        caused by: `crash` runs `sh -c touch [ROOT]/ran; exit 3`
        caused by: `allow_exec: true` in the eval declares that it needs execution; only the command line grants it
        hint: read the commands, then add `--allow-exec` if you trust them
        "#);
    assert!(!marker.exists(), "a command ran without --allow-exec");
}

#[test]
fn command_graders_get_a_cleared_environment_and_bounded_output_and_die_with_their_children() {
    let env = TestEnv::initialized();
    env.write("outputs.jsonl", "{\"id\": \"france\", \"output\": \"Paris\"}\n");
    let pidfile = env.root().join("child.pid");
    env.write(
        "evals/cmd.yaml",
        &format!(
            "prompt: capital\ndataset: capitals\ngraders:\n  - name: env\n    type: command\n    env: [LISTED]\n    command: [sh, -c, 'if [ -n \"$SECRET_TOKEN\" ]; then echo 0; elif [ \"$LISTED\" = yes ]; then echo 1; else echo 0; fi']\n  - name: flood\n    type: command\n    command: [sh, -c, 'yes 0 | head -c 3000000']\n  - name: orphan\n    type: command\n    timeout_s: 1\n    command: [sh, -c, 'sleep 300 & echo $! > {}; wait']\n",
            pidfile.display()
        ),
    );
    let out = env.llmops_with(
        env.root(),
        &[("SECRET_TOKEN", "s3cr3t"), ("LISTED", "yes")],
        &["eval", "cmd", "--outputs", "outputs.jsonl", "--filter", "france", "--json", "--allow-exec", "--no-record"],
    );
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.snapshot()));
    let s = &report[0]["summary"];
    assert_eq!(s["dimensions"]["env"]["passed"], 1, "the listed variable arrives, the secret does not: {s}");
    let grades = &s["failures"][0]["grades"];
    assert!(grades["flood"]["reason"].as_str().unwrap().contains("more than 1024 KiB"), "{grades}");
    assert!(grades["orphan"]["reason"].as_str().unwrap().contains("was killed"), "{grades}");
    // The grader's own child was in its process group: it is gone too.
    let pid = std::fs::read_to_string(&pidfile).unwrap().trim().to_owned();
    std::thread::sleep(std::time::Duration::from_millis(200));
    // Gone, or a zombie waiting for a reaper that this container may not have.
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let alive = state.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z'));
    assert!(!alive, "the grader's child {pid} outlived the timeout: {state}");
}

#[test]
fn rows_missing_a_variable_stop_the_eval_before_any_model_runs() {
    let env = TestEnv::initialized();
    let data = env.read("datasets/capitals.jsonl").replace("{\"country\": \"Japan\"}", "{}");
    env.write("datasets/capitals.jsonl", &data);
    // No model file exists: reaching the model would fail differently (exit 3).
    let out = env.llmops(&["eval", "capital"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 2
        --- stdout
        --- stderr
        error: row `japan`: message 2 needs variable `country`, which the row does not have
          --> datasets/capitals.jsonl:2

        error: rows that cannot be rendered; no model was run
        ");
}

#[test]
fn a_judge_with_a_missing_prompt_is_reported_by_validate() {
    let env = TestEnv::initialized();
    env.write("evals/judged.yaml", "prompt: capital\ndataset: capitals\ngraders:\n  - type: judge\n    prompt: no-such-judge\n");
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("prompt `no-such-judge` does not exist"), "{}", out.stderr);
}

#[test]
fn the_example_judge_eval_runs_with_label_probabilities() {
    let env = TestEnv::with_model();
    env.write("prompts/judge-capital.yaml", include_str!("../prompts/judge-capital.yaml"));
    env.write("evals/capital-judged.yaml", include_str!("../evals/capital-judged.yaml"));
    let out = env.llmops(&["eval", "capital-judged", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let judge = &report[0]["summary"]["dimensions"]["judge"];
    assert_eq!(judge["n"], 5);
    let score = judge["mean_score"].as_f64().unwrap();
    assert!(score > 0.0 && score < 1.0, "a probability-weighted score, not a hard label: {score}");
}

#[test]
fn repeats_report_pass_k_and_the_rows_that_disagree_with_themselves() {
    let env = TestEnv::initialized();
    env.write("evals/capital.yaml", &env.read("evals/capital.yaml").replace("graders:", "repeat: 2\ngraders:"));
    let mut outputs = String::new();
    for (id, city) in [("france", "Paris"), ("japan", "Tokyo"), ("italy", "Rome"), ("egypt", "Cairo"), ("germany", "Berlin")] {
        outputs.push_str(&format!("{{\"id\": \"{id}\", \"repeat\": 0, \"output\": \"{city}\"}}\n"));
        let second = if id == "japan" { "Kyoto" } else { city };
        outputs.push_str(&format!("{{\"id\": \"{id}\", \"repeat\": 1, \"output\": \"{second}\"}}\n"));
    }
    env.write("outputs.jsonl", &outputs);
    let out = env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl", "--json"]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.snapshot()));
    let s = &report[0]["summary"];
    assert_eq!(s["samples"], 10);
    assert_eq!(s["rows"], 5);
    assert_eq!(s["pass_k"], 0.8);
    assert_eq!(s["flaky_rows"], serde_json::json!(["japan"]));
}

#[test]
fn ctrl_c_stops_cleanly_keeps_finished_answers_and_exits_130() {
    let env = TestEnv::with_model();
    let rows: String = (0..200)
        .map(|i| format!("{{\"id\": \"r{i}\", \"vars\": {{\"country\": \"country number {i}\"}}, \"expected\": \"x\"}}\n"))
        .collect();
    env.write("datasets/capitals.jsonl", &rows);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_llmops"))
        .current_dir(env.root())
        .env("LLMOPS_THREADS", "1")
        .args(["-q", "eval", "capital"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until some answers are cached, then interrupt.
    let responses = env.root().join(".git/llmops/cache/responses");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while count_files(&responses) < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("interrupted"), "{stderr}");
    let kept = count_files(&responses);
    assert!(kept >= 3, "finished answers stay cached ({kept})");
    // No temporary files are left behind.
    let tmp = walk(&responses).into_iter().filter(|p| p.to_string_lossy().ends_with(".tmp")).count();
    assert_eq!(tmp, 0);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out
}

fn count_files(dir: &std::path::Path) -> usize {
    walk(dir).into_iter().filter(|p| !p.to_string_lossy().ends_with(".tmp")).count()
}
