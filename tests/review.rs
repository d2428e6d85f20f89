//! Human review and judge calibration: the terminal reviewer driven in a real terminal
//! (tmux), labels in git, `llmops calibrate` against the judge's grades, judges that count
//! only while calibrated, and reviewed samples curated into a dataset. Real model; its answers
//! and the judge's verdicts are never asserted, only compared with what the run recorded.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::TestEnv;
use serde_json::Value;

/// A workspace whose `capital-judged` eval has a model judge, run once.
fn judged() -> (TestEnv, String) {
    let env = TestEnv::with_model();
    env.write("prompts/judge-capital.yaml", include_str!("../prompts/judge-capital.yaml"));
    env.write("evals/capital-judged.yaml", include_str!("../evals/capital-judged.yaml"));
    env.commit_all("a judged eval");
    let out = env.llmops(&["eval", "capital-judged", "--json"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let run = v[0]["run"].as_str().unwrap().to_owned();
    (env, run)
}

/// `llmops review ARGS` in a tmux session of its own (its own server socket).
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(env: &TestEnv, args: &str) -> Tmux {
        // A server of its own each time: a new session on the socket of a server still shutting
        // down (`kill-server` returns before it is gone) fails with "server exited unexpectedly".
        static STARTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("llmops-review-{}-{n}-{}", std::process::id(), env.root().file_name().unwrap().to_string_lossy());
        let script = format!(
            "cd '{}' && env -i PATH=\"$PATH\" HOME='{}' LLMOPS_THREADS=1 GIT_CONFIG_NOSYSTEM=1 GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.com TERM=xterm '{}' review {args}; echo EXITED $?; sleep 60",
            env.root().display(),
            env.root().join(".home").display(),
            env!("CARGO_BIN_EXE_llmops"),
        );
        let out = Command::new("tmux").args(["-L", &socket, "new-session", "-d", "-x", "120", "-y", "40", &script]).output().expect("tmux (apt-get install tmux)");
        assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
        Tmux { socket }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "waited for {text:?}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        assert!(Command::new("tmux").args(["-L", &self.socket, "send-keys"]).args(keys).status().unwrap().success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn labels(env: &TestEnv) -> Vec<Value> {
    std::fs::read_to_string(env.root().join(".llmops/labels/capital-judged.jsonl")).unwrap_or_default().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn the_reviewer_labels_undoes_resumes_and_quits_in_a_real_terminal() {
    let (env, run) = judged();
    let tmux = Tmux::start(&env, "capital-judged");
    let screen = tmux.wait_for("sample 1 of 5: france#0");
    // The sample as recorded: its variables, expected answer, output and each grader.
    let samples: Vec<Value> = env.git(&["show", &format!("{run}:samples.jsonl")]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let first_line = samples[0]["output"].as_str().unwrap().lines().next().unwrap_or_default().to_owned();
    for wanted in ["country: France", "expected: Paris", "0 of 5 labelled by Ada <ada@example.com>"] {
        assert!(screen.contains(wanted), "{wanted:?} missing from:\n{screen}");
    }
    // The output's first characters, and each grader's line with its verdict and score.
    let shown: String = first_line.trim().chars().take(40).collect();
    assert!(screen.contains(&shown), "{shown:?} missing from:\n{screen}");
    for (dimension, grade) in samples[0]["grades"].as_object().unwrap() {
        let line = format!("  {dimension}  {} {:.3}", if grade["pass"] == true { "pass" } else { "FAIL" }, grade["score"].as_f64().unwrap());
        assert!(screen.contains(&line), "{line:?} missing from:\n{screen}");
    }
    tmux.keys(&["p"]);
    tmux.wait_for("sample 2 of 5: japan#0");
    tmux.keys(&["f"]);
    tmux.wait_for("2 of 5 labelled");
    // Undo takes the fail back and returns to its sample.
    tmux.keys(&["u"]);
    let screen = tmux.wait_for("undone: fail of `japan`");
    assert!(screen.contains("sample 2 of 5: japan#0") && screen.contains("1 of 5 labelled") && screen.contains("your label: (none)"), "{screen}");
    // A score on the eval's scale, typed in; then a note on it.
    tmux.keys(&["s"]);
    tmux.wait_for("score (0 to 1):");
    tmux.keys(&["0.25", "Enter"]);
    tmux.wait_for("sample 3 of 5: italy#0");
    tmux.keys(&["b"]);
    tmux.wait_for("your label: score 0.25");
    tmux.keys(&["n"]);
    tmux.wait_for("note:");
    tmux.keys(&["half right", "Enter"]);
    // The note joins the label; the reviewer stays on the sample.
    let screen = tmux.wait_for("note: half right");
    assert!(screen.contains("sample 2 of 5: japan#0") && screen.contains("your label: score 0.25"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED 0");
    let l = labels(&env);
    assert_eq!(l.len(), 2, "{l:?}");
    assert_eq!((l[0]["id"].as_str(), l[0]["label"].as_str()), (Some("france"), Some("pass")));
    assert_eq!((l[1]["id"].as_str(), l[1]["label"].as_f64(), l[1]["note"].as_str()), (Some("japan"), Some(0.25), Some("half right")));
    assert_eq!(l[0]["reviewer"], "Ada <ada@example.com>");
    assert_eq!(l[0]["output_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(l[0]["run"], run.as_str());
    drop(tmux);

    // It resumes at the first sample not labelled yet.
    let tmux = Tmux::start(&env, "capital-judged");
    tmux.wait_for("sample 3 of 5: italy#0");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED 0");
    drop(tmux);
    // `--failed` shows only the samples the run failed.
    let failed = samples.iter().filter(|s| s["pass"] == false).count();
    if failed > 0 {
        let tmux = Tmux::start(&env, "capital-judged --failed");
        tmux.wait_for(&format!(" of {failed}: "));
    }

    // Labels are versioned files: committed, they come back from git as they were.
    env.commit_all("labels");
    assert_eq!(env.git(&["show", "HEAD:.llmops/labels/capital-judged.jsonl"]), std::fs::read_to_string(env.root().join(".llmops/labels/capital-judged.jsonl")).unwrap());
    // Off a terminal it refuses and says what to use instead.
    let out = env.llmops(&["review", "capital-judged"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("needs a terminal") && out.stderr.contains("llmops label RUN SAMPLE"), "{}", out.stderr);
}

#[test]
fn calibration_measures_the_judge_against_the_labels_and_gates_it() {
    let (env, run) = judged();
    let samples: Vec<Value> = env.git(&["show", &format!("{run}:samples.jsonl")]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // Label each sample against what the judge said for some, with it for others: the
    // labels' agreement with the judge is known to the test.
    let mut agree = 0;
    for (i, s) in samples.iter().enumerate() {
        let judge_pass = s["grades"]["judge"]["pass"].as_bool().unwrap();
        let person_pass = if i % 2 == 0 { judge_pass } else { !judge_pass };
        agree += usize::from(person_pass == judge_pass);
        let id = s["id"].as_str().unwrap();
        let out = env.llmops(&["label", &run[..10], id, if person_pass { "--pass" } else { "--fail" }, "--expected", &format!("{id}-city")]);
        assert_eq!(out.code, 0, "{}", out.snapshot());
    }
    // A score off the eval's scale, or a sample the run does not have, is refused.
    assert_eq!(env.llmops(&["label", "capital-judged", "france", "--score", "3"]).code, 2);
    let out = env.llmops(&["label", "capital-judged", "atlantis", "--pass"]);
    assert!(out.code == 2 && out.stderr.contains("no sample `atlantis`"), "{}", out.snapshot());

    let out = env.llmops(&["calibrate", "capital-judged", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let g = &v["calibration"]["graders"][0];
    assert_eq!(g["grader"], "judge");
    assert_eq!(g["matched"], 5);
    assert_eq!(g["pass_fail"]["accuracy"]["value"].as_f64().unwrap(), agree as f64 / 5.0, "{g}");
    assert_eq!(g["disagreements"].as_array().unwrap().len(), 5 - agree, "{g}");
    let confusion: u64 = g["pass_fail"]["confusion"].as_array().unwrap().iter().flat_map(|r| r.as_array().unwrap()).map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(confusion, 5);
    let recorded = v["recorded"].as_str().unwrap();
    assert_eq!(env.git(&["rev-parse", "refs/llmops/calibrations/capital-judged"]).trim(), recorded);
    let stored = env.git(&["show", &format!("{recorded}:calibration.yaml")]);
    assert!(stored.contains("judge_prompt:") && stored.contains("judge-capital"), "{stored}");
    let text = env.llmops(&["calibrate", "capital-judged", "--no-record"]);
    assert!(text.stdout.contains("Cohen's kappa") && text.stdout.contains("Krippendorff's alpha, nominal") && text.stdout.contains("people \\ judge"), "{}", text.stdout);

    // The judge counts only while a calibration of it meets its bar: 30 labels are wanted,
    // 5 exist, so it is reported and weighed 0.
    let eval = env.read("evals/capital-judged.yaml").replace("    choices: {\"yes\": 1, \"no\": 0}\n    weight: 0", "    choices: {\"yes\": 1, \"no\": 0}\n    calibration: {min_kappa: -1, min_labels: 30}");
    assert!(eval.contains("min_labels: 30"), "{eval}");
    env.write("evals/capital-judged.yaml", &eval);
    let out = env.llmops(&["eval", "capital-judged", "--json"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let reasons = report[0]["summary"]["verdict"]["reasons"].to_string();
    assert!(reasons.contains("warning: judge `judge` is uncalibrated and does not count: 5 labels of outputs graded by judge prompt `judge-capital@") && reasons.contains("fewer than 30"), "{reasons}");
    let uncalibrated_run = report[0]["run"].as_str().unwrap().to_owned();
    let meta = env.git(&["show", &format!("{uncalibrated_run}:run.yaml")]);
    assert!(meta.contains("uncalibrated:") && meta.contains("grader: judge"), "{meta}");
    assert_eq!(env.llmops(&["verify"]).code, 0, "{}", env.llmops(&["verify"]).snapshot());
    // `require` fails the run for it.
    env.write(".llmops/config.yaml", &format!("{}gate:\n  uncalibrated_judges: require\n", env.read(".llmops/config.yaml")));
    let out = env.llmops(&["eval", "capital-judged", "--json"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stdout.contains("FAIL: judge `judge` is uncalibrated"), "{}", out.stdout);
    assert_eq!(env.llmops(&["verify"]).code, 0, "{}", env.llmops(&["verify"]).snapshot());
    // Enough labels, but a kappa below the bar (two of five labels disagree with the judge).
    env.write("evals/capital-judged.yaml", &eval.replace("min_kappa: -1, min_labels: 30", "min_kappa: 1, min_labels: 5"));
    let out = env.llmops(&["eval", "capital-judged", "--json"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stdout.contains("FAIL: judge `judge` is uncalibrated and does not count: kappa ") && out.stdout.contains(" < 1 over 5 labels"), "{}", out.stdout);
    // With a bar the labels meet, the judge counts again: no reason, nothing recorded.
    env.write("evals/capital-judged.yaml", &eval.replace("min_labels: 30", "min_labels: 5"));
    let out = env.llmops(&["eval", "capital-judged", "--json"]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(!report[0]["summary"]["verdict"]["reasons"].to_string().contains("uncalibrated"), "{}", out.stdout);
    let meta = env.git(&["show", &format!("{}:run.yaml", report[0]["run"].as_str().unwrap())]);
    assert!(!meta.contains("uncalibrated:"), "{meta}");
    // A changed judge prompt has no calibration: uncalibrated again.
    env.write("prompts/judge-capital.yaml", &format!("{}\n# reworded\n", env.read("prompts/judge-capital.yaml")));
    let out = env.llmops(&["eval", "capital-judged", "--json"]);
    assert!(out.stdout.contains("0 labels of outputs graded by judge prompt `judge-capital@"), "{}", out.stdout);

    // Reviewed samples become rows of a dataset, with the reviewer's answer as expected.
    let out = env.llmops(&["dataset", "add", "regressions", "--from-run", &run[..10], "--labelled"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stdout.contains("added 5 rows to `datasets/regressions.jsonl`"), "{}", out.stdout);
    let rows = env.read("datasets/regressions.jsonl");
    assert!(rows.contains(r#""id":"france","vars":{"country":"France"},"expected":"france-city""#), "{rows}");
    assert_eq!(env.llmops(&["dataset", "validate", "regressions"]).code, 0);
    // Adding them again adds nothing.
    let out = env.llmops(&["dataset", "add", "regressions", "--from-run", &run[..10], "--labelled"]);
    assert!(out.stdout.contains("added 0 rows") && out.stdout.contains("left out (the dataset has them already)"), "{}", out.stdout);
}

#[test]
fn agreement_between_people_is_measured_on_the_samples_they_share() {
    let (env, run) = judged();
    for (who, marks) in [("Ada", ["--pass", "--fail", "--pass", "--pass", "--fail"]), ("Bo", ["--pass", "--fail", "--fail", "--pass", "--fail"])] {
        for (id, mark) in ["france", "japan", "italy", "egypt", "germany"].iter().zip(marks) {
            let out = env.llmops_with(env.root(), &[("GIT_COMMITTER_NAME", who), ("GIT_COMMITTER_EMAIL", &format!("{}@example.com", who.to_lowercase()))], &["label", &run[..10], id, mark]);
            assert_eq!(out.code, 0, "{}", out.snapshot());
        }
    }
    let v: Value = serde_json::from_str(&env.llmops(&["calibrate", "capital-judged", "--json", "--no-record"]).stdout).unwrap();
    let people = &v["calibration"]["people"];
    assert_eq!(people["units"], 5);
    assert_eq!(people["reviewers"].as_array().unwrap().len(), 2);
    let pair = &people["pairs"][0];
    assert_eq!(pair["items"], 5);
    // 4 of 5 agree; sklearn's cohen_kappa_score([1,0,1,1,0], [1,0,0,1,0]) = 0.6153846153846154.
    assert_eq!(pair["agreement"]["accuracy"]["value"], 0.8);
    assert!((pair["agreement"]["kappa"]["value"].as_f64().unwrap() - 0.6153846153846154).abs() < 1e-12, "{pair}");
    // krippendorff.alpha([[1,0,1,1,0],[1,0,0,1,0]], level_of_measurement="nominal") = 0.64
    assert!((people["alpha_pass_fail"].as_f64().unwrap() - 0.64).abs() < 1e-12, "{people}");
    // Each reviewer's label of the judge counts: ten labels, all matched.
    assert_eq!(v["calibration"]["graders"][0]["matched"], 10);
}
