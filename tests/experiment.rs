//! Experiments: `llmops eval` with several prompt versions and models runs every cell as an
//! ordinary recorded run, grouped by the experiment's id, and compares them. Real model; the
//! answers themselves are not asserted (another CPU may answer otherwise).

mod common;

use common::TestEnv;
use serde_json::Value;

#[test]
fn every_cell_is_a_recorded_run_of_the_experiment_and_the_cells_are_compared() {
    let env = TestEnv::with_model();
    // Two model entries on the same file with other settings, and two prompt versions: the
    // committed one and a draft in the work tree.
    env.write(
        ".llmops/config.yaml",
        &common::model_config(common::TEST_MODEL_FILE, &format!("  small-context:\n    path: .llmops/models/{}\n    sha256: {}\n    context: 1024\n", common::TEST_MODEL_FILE, common::MODEL_SHA256)),
    );
    env.commit_all("two model entries");
    let committed = env.git(&["rev-parse", "HEAD:prompts/capital.yaml"]).trim().to_owned();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("Answer with the name of the city only.", "Reply with the city name alone."));
    let draft = env.git(&["hash-object", "prompts/capital.yaml"]).trim().to_owned();

    let out = env.llmops(&["eval", "capital", "--prompt-version", "HEAD", "--prompt-version", "work", "--model", "smollm2", "--model", "small-context", "--json"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    // Four cells, then the comparison.
    assert_eq!(items.len(), 5, "{v}");
    let experiment = &items[4];
    let id = experiment["experiment"].as_str().unwrap();
    assert!(id.starts_with("exp-"), "{experiment}");
    let matrix = &experiment["matrix"];
    let cells = matrix["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 4);
    // Each cell is its own run with its own pins: prompt version × model, in flag order.
    let wanted = [(&committed, "smollm2"), (&committed, "small-context"), (&draft, "smollm2"), (&draft, "small-context")];
    for ((cell, (blob, model)), report) in cells.iter().zip(wanted).zip(&items[..4]) {
        assert!(blob.starts_with(cell["prompt_version"].as_str().unwrap()), "{cell}");
        assert_eq!(cell["model"], model);
        assert_eq!(cell["run"], report["run"]);
        let run = cell["run"].as_str().unwrap();
        let meta = env.git(&["show", &format!("{run}:run.yaml")]);
        assert!(meta.contains(&format!("experiment: {id}")), "{meta}");
        assert!(meta.contains(blob.as_str()), "{meta}");
    }
    // The cells' samples were generated together before the cells ran: each run found all
    // of its answers in the response cache.
    for report in &items[..4] {
        assert_eq!(report["summary"]["cache_hits"], 5, "{report}");
    }
    // The best per dimension is a cell; the best overall is compared with the runner-up.
    let best = matrix["best"]["overall"].as_u64().unwrap() as usize;
    let score = |i: usize| cells[i]["scores"]["overall"].as_f64().unwrap();
    assert!((0..4).all(|i| score(i) <= score(best)), "{matrix}");
    let versus = &matrix["versus"];
    assert_eq!(versus["best"].as_u64().unwrap() as usize, best);
    assert_eq!(versus["paired"]["samples"], 5);
    // McNemar's p follows the rows that flipped between the two: 1 when as many flipped each
    // way, below 1 otherwise.
    let p = versus["paired"]["mcnemar_p"].as_f64().unwrap();
    let (b, r) = (best, versus["runner_up"].as_u64().unwrap() as usize);
    let rows = matrix["rows"].as_array().unwrap();
    let flips = |from: bool| rows.iter().filter(|row| row["cells"][r]["pass"] == from && row["cells"][b]["pass"] != from).count();
    assert_eq!(p == 1.0, flips(true) == flips(false), "{versus}");
    // All four runs are on the ledger, and `show` names the experiment.
    assert_eq!(env.git(&["rev-list", "--count", "refs/llmops/runs/capital"]).trim(), "4");
    let shown = env.llmops(&["show", "capital"]);
    assert!(shown.stdout.contains(&format!("experiment {id}")), "{}", shown.stdout);
    assert_eq!(env.llmops(&["verify"]).code, 0, "{}", env.llmops(&["verify"]).snapshot());
    // `log` shows the experiment of each run, and lists one experiment's cells.
    let log = env.llmops(&["log"]);
    assert!(log.stdout.contains("EXPERIMENT") && log.stdout.matches(id).count() == 4, "{}", log.stdout);
    let cells_logged: Value = serde_json::from_str(&env.llmops(&["log", "--experiment", id, "--json"]).stdout).unwrap();
    assert_eq!(cells_logged.as_array().unwrap().len(), 4);
    assert_eq!(serde_json::from_str::<Value>(&env.llmops(&["log", "--experiment", "exp-none", "--json"]).stdout).unwrap(), serde_json::json!([]));

    // A cell that cannot run stops the experiment before any cell runs.
    let out = env.llmops(&["eval", "capital", "--prompt-version", "HEAD", "--model", "smollm2", "--model", "nope"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("no model `nope`"), "{}", out.stderr);
    assert_eq!(env.git(&["rev-list", "--count", "refs/llmops/runs/capital"]).trim(), "4", "nothing recorded");

    // The table: a column per cell, the best marked, the verdict on the difference. A draft
    // outside `prompts/` is a cell too, pinned by its blob id; a path out of the workspace is
    // refused.
    std::fs::create_dir_all(env.root().join("drafts")).unwrap();
    env.write("drafts/brief.yaml", &env.read("prompts/capital.yaml").replace("max_tokens: 24", "max_tokens: 8"));
    let brief = env.git(&["hash-object", "drafts/brief.yaml"]).trim().to_owned();
    let out = env.llmops(&["eval", "capital", "--prompt-version", "HEAD", "--prompt-file", "../brief.yaml"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    let out = env.llmops(&["eval", "capital", "--prompt-version", "HEAD", "--prompt-file", "drafts/brief.yaml"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    assert!(out.stdout.contains(&format!("[2] capital@{}", &brief[..10])), "{}", out.stdout);
    assert!(out.stdout.contains("experiment exp-") && out.stdout.contains(": 2 cells"), "{}", out.stdout);
    assert!(out.stdout.contains("[1] capital@") && out.stdout.contains("[2] capital@"), "{}", out.stdout);
    assert!(out.stdout.contains("best overall [") && out.stdout.contains("over 5 samples"), "{}", out.stdout);
    // The best cell of each dimension is marked, once.
    let overall = out.stdout.lines().rev().find(|l| l.starts_with("overall")).unwrap_or_else(|| panic!("{}", out.stdout));
    assert_eq!(overall.matches('*').count(), 1, "{overall}");
    // `--rows`: a row per sample, a column per cell, as the JSON has them.
    let out = env.llmops(&["eval", "capital", "--prompt-version", "HEAD", "--prompt-file", "drafts/brief.yaml", "--rows", "outputs"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let v: Value = serde_json::from_str(&env.llmops(&["eval", "capital", "--prompt-version", "HEAD", "--prompt-file", "drafts/brief.yaml", "--json"]).stdout).unwrap();
    let rows = v[2]["matrix"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let differ = rows.iter().filter(|r| r["cells"][0]["pass"] != r["cells"][1]["pass"]).count();
    assert!(out.stdout.contains(&format!("{differ} of 5 samples differ in pass/fail between cells")), "{}", out.stdout);
    for r in rows {
        let id = r["id"].as_str().unwrap();
        let line = out.stdout.lines().find(|l| l.starts_with(id)).unwrap_or_else(|| panic!("no row {id}: {}", out.stdout));
        let mark = |c: &Value| if c["pass"] == true { "pass" } else { "FAIL" };
        let marks: Vec<&str> = line.split_whitespace().filter(|w| *w == "pass" || *w == "FAIL").collect();
        assert_eq!(marks, [mark(&r["cells"][0]), mark(&r["cells"][1])], "{line}");
    }
}

#[test]
fn set_makes_a_cell_per_value_and_such_runs_never_vouch_for_a_promotion() {
    let env = TestEnv::with_model();
    let out = env.llmops(&["eval", "capital", "--set", "temperature=0,0.5", "--set", "max_tokens=6", "--json"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3, "two cells and the comparison: {v}");
    let cells = items[2]["cells"].as_array().unwrap();
    assert_eq!(cells[0]["overrides"], serde_json::json!({"max_tokens": 6, "temperature": 0}));
    assert_eq!(cells[1]["overrides"], serde_json::json!({"max_tokens": 6, "temperature": 0.5}));
    for (report, want) in items[..2].iter().zip([0.0, 0.5]) {
        let run = report["run"].as_str().unwrap();
        let meta = env.git(&["show", &format!("{run}:run.yaml")]);
        assert!(meta.contains("overrides:") && meta.contains("max_tokens: 6"), "{meta}");
        // The model pin records the parameters the samples were generated with.
        let m: serde_yaml_ng::Value = serde_yaml_ng::from_str(&meta).unwrap();
        assert_eq!(m["model"]["params"]["temperature"].as_f64(), Some(want), "{meta}");
        assert!(report["summary"]["output_tokens"].as_u64().unwrap() <= 5 * 6, "{report}");
    }
    // A run with parameters set otherwise says nothing of the prompt as written.
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("no run of eval `capital` pins this prompt version") && out.stderr.contains("model and parameters"), "{}", out.stderr);
    // Even a value the prompt has already: a run with `--set` never vouches.
    let out = env.llmops(&["eval", "capital", "--set", "max_tokens=24", "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("set the prompt's parameters otherwise (max_tokens=24)") && out.stderr.contains("without `--set`"), "{}", out.stderr);
    // `log` and `show` say what a run set.
    assert!(env.llmops(&["log"]).stdout.contains("(set max_tokens=24)"), "{}", env.llmops(&["log"]).stdout);
    assert!(env.llmops(&["show", "capital"]).stdout.contains("set otherwise (--set): max_tokens=24"), "{}", env.llmops(&["show", "capital"]).stdout);
    assert!(env.llmops(&["eval", "capital", "-q"]).code <= 1);
    let out = env.llmops(&["promote", "capital"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    // Unknown parameters and values out of range are refused before anything runs.
    for (set, wanted) in [("temprature=1", "`temprature` is not a prompt parameter"), ("temperature=9", "out of range"), ("max_tokens=many", "--set"), ("stop=\"\"", "out of range")] {
        let out = env.llmops(&["eval", "capital", "--set", set]);
        assert_eq!(out.code, 2, "{}", out.snapshot());
        assert!(out.stderr.contains(wanted), "{set}: {}", out.stderr);
    }
    let out = env.llmops(&["eval", "capital", "--set", "temperature=0", "--set", "temperature=1"]);
    assert!(out.code == 2 && out.stderr.contains("given twice"), "{}", out.snapshot());
    // A list value keeps its commas: two cells, each with its stop list.
    let v: Value = serde_json::from_str(&env.llmops(&["eval", "capital", "--no-record", "--set", r#"stop=["\n","."],["!"]"#, "--json"]).stdout).unwrap();
    assert_eq!(v[2]["cells"][0]["overrides"]["stop"], serde_json::json!(["\n", "."]), "{v}");
    assert_eq!(v[2]["cells"][1]["overrides"]["stop"], serde_json::json!(["!"]), "{v}");
}

#[test]
fn an_experiment_block_runs_its_cells_unrecorded_too_and_a_cell_that_fails_its_gate_fails_the_command() {
    let env = TestEnv::with_model();
    // A draft that cannot name a city: every letter stops its answer.
    let letters: Vec<String> = ('a'..='z').chain('A'..='Z').map(|c| format!("\"{c}\"")).collect();
    std::fs::create_dir_all(env.root().join("drafts")).unwrap();
    env.write("drafts/mute.yaml", &env.read("prompts/capital.yaml").replace("  max_tokens: 24", &format!("  max_tokens: 24\n  stop: [{}]", letters.join(", "))));
    env.write("evals/capital.yaml", &format!("{}experiment:\n  prompt_versions: [work]\n  prompt_files: [drafts/mute.yaml]\n", env.read("evals/capital.yaml")));
    env.commit_all("an experiment");
    assert_eq!(env.llmops(&["validate"]).code, 0, "{}", env.llmops(&["validate"]).snapshot());

    let out = env.llmops(&["eval", "capital", "--no-record", "--json"]);
    // The mute cell fails the eval's gate, so the command does.
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert_eq!(out.stderr.matches("loading model `smollm2`").count(), 1, "one load for both cells: {}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3, "two cells and the comparison: {v}");
    assert_eq!(items[1]["summary"]["verdict"]["pass"], false, "{}", items[1]);
    let cells = items[2]["matrix"]["cells"].as_array().unwrap();
    assert_eq!(cells[1]["gate_pass"], false, "{}", items[2]);
    assert_eq!(cells[1]["scores"]["correct"], 0.0, "{}", items[2]);
    // Compared without being recorded.
    assert!(cells.iter().all(|c| c["run"].is_null()), "{}", items[2]);
    assert_eq!(items[2]["matrix"]["versus"]["paired"]["samples"], 5, "{}", items[2]);
    assert!(env.git_output(&["rev-parse", "--verify", "-q", "refs/llmops/runs/capital"]).code != 0, "nothing recorded");
    let out = env.llmops(&["eval", "capital", "--no-record"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    let gate_row = out.stdout.lines().rev().find(|l| l.starts_with("gate")).unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(gate_row.trim_end().ends_with("FAIL"), "{gate_row}");

    // The command line replaces an axis of the block and keeps the others.
    let v: Value = serde_json::from_str(&env.llmops(&["eval", "capital", "--no-record", "--set", "max_tokens=4,8", "--json"]).stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5, "two prompts × two settings and the comparison: {v}");
    let v: Value = serde_json::from_str(&env.llmops(&["eval", "capital", "--no-record", "--prompt-version", "HEAD", "--json"]).stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "one prompt on the eval's model is one run: {v}");
    let v: Value = serde_json::from_str(&env.llmops(&["eval", "capital", "--no-record", "--no-experiment", "--json"]).stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "the eval's own cell: {v}");
    // A draft the eval file names must be committed: an ignored file is never read as one.
    env.write(".gitignore", "secret.yaml\n");
    env.write("secret.yaml", "api_key: sk-not-a-prompt\n");
    let committed = env.read("evals/capital.yaml");
    env.write("evals/capital.yaml", &committed.replace("[drafts/mute.yaml]", "[secret.yaml]"));
    for args in [&["eval", "capital"][..], &["validate"]] {
        let out = env.llmops(args);
        assert_eq!(out.code, 2, "{}", out.snapshot());
        assert!(out.stderr.contains("draft `secret.yaml`") && out.stderr.contains("not committed"), "{}", out.stderr);
        assert!(!out.stderr.contains("sk-not-a-prompt"), "{}", out.stderr);
    }
    env.write("evals/capital.yaml", &committed);
    // The gate evaluates a changed prompt as the eval names it: one run, not the experiment.
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("the city only", "the city alone"));
    let out = env.llmops(&["gate", "--run"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    assert_eq!(env.git(&["rev-list", "--count", "refs/llmops/runs/capital"]).trim(), "1");
}

#[test]
fn a_wrong_experiment_block_is_refused_with_its_lines() {
    let env = TestEnv::initialized();
    env.write(
        "evals/capital.yaml",
        &format!("{}experiment:\n  models: [smollm3]\n  prompt_files: [drafts/none.yaml, ../outside.yaml]\n  set:\n    temprature: [0, 1]\n    temperature: [0, 9]\n", env.read("evals/capital.yaml")),
    );
    let out = env.llmops(&["validate"]);
    insta::assert_snapshot!(out.snapshot(), @r"
        exit: 2
        --- stdout
        --- stderr
        error: temperature=9 is out of range (temperature 0..=5, top_p (0, 1], min_p 0..=1, repeat_penalty above 0, max_tokens at least 1, no empty stop)
          --> evals/capital.yaml:20:5
           |
        20 |     temperature: [0, 9]
           |     ^

        error: `temprature` is not a prompt parameter (one of temperature, top_p, top_k, min_p, repeat_penalty, max_tokens, seed, stop)
          --> evals/capital.yaml:19:5
           |
        19 |     temprature: [0, 1]
           |     ^
        hint: did you mean `temperature`?

        error: `../outside.yaml` is not a path inside the workspace
          --> evals/capital.yaml:17:3
           |
        17 |   prompt_files: [drafts/none.yaml, ../outside.yaml]
           |   ^

        error: model `smollm3` is not defined in `.llmops/config.yaml`
          --> evals/capital.yaml:16:3
           |
        16 |   models: [smollm3]
           |   ^
        hint: did you mean `smollm2`?

        error: draft `drafts/none.yaml` is not committed: an `experiment:` block may name committed files only
          --> evals/capital.yaml:17:3
           |
        17 |   prompt_files: [drafts/none.yaml, ../outside.yaml]
           |   ^

        error: 5 problems found
        ");
}
