//! `llmops report`: the self-contained HTML report, its embedded data (snapshotted), and the
//! page itself opened in a real headless Chromium (Debian's `chromium`): no script errors, a
//! point per run on the trend, a row's drill-down, the flipped rows, and a 10,000-sample run that
//! draws in under 2 s. Outputs come from files (`--outputs`), so every value is known.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestEnv;
use serde_json::Value;

/// Records a run of eval `capital` that grades `answers` (row id → output).
fn run_with(env: &TestEnv, answers: &[(&str, &str)]) {
    let lines: Vec<String> = answers.iter().map(|(id, out)| serde_json::json!({"id": id, "output": out}).to_string()).collect();
    let file = env.root().join(".home/outputs.jsonl");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = env.llmops(&["eval", "capital", "--outputs", file.to_str().unwrap()]);
    assert!(out.code <= 1, "{}", out.snapshot());
}

/// The JSON the page embeds.
fn embedded(html: &str) -> Value {
    let start = html.find(r#"<script type="application/json" id="data">"#).unwrap() + r#"<script type="application/json" id="data">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// Opens `page` at `#selftest` in headless Chromium; what the page's self-test found.
fn selftest(page: &Path, profile: &Path) -> Value {
    let out = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}#selftest", page.display()))
        .output()
        .expect("chromium (apt-get install chromium)");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<title>selftest ").unwrap_or_else(|| panic!("no self-test result in the page:\n{}\n{}", &dom[..dom.len().min(2000)], String::from_utf8_lossy(&out.stderr))) + "<title>selftest ".len();
    let end = start + dom[start..].find("</title>").unwrap();
    serde_json::from_str(&dom[start..end].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")).unwrap()
}

#[test]
fn the_report_shows_trends_the_comparison_and_a_drill_down_in_a_real_browser() {
    let env = TestEnv::initialized();
    run_with(&env, &[("france", "Paris"), ("japan", "Tokyo"), ("italy", "Rome"), ("egypt", "Cairo"), ("germany", "Berlin")]);
    // A second prompt version whose answer for Japan is wrong: one row flips. Markup and a
    // script in an output stay text on the page.
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("the city only", "the city alone"));
    let kyoto = "Kyoto, <b>I think</b></ScRiPt><script>window.pwned=1</script><!--";
    run_with(&env, &[("france", "Paris"), ("japan", kyoto), ("italy", "Rome"), ("egypt", "Cairo"), ("germany", "Berlin")]);
    // A person passes that answer (the label follows the output to the next run).
    let out = env.llmops(&["label", "capital", "japan", "--pass", "--note", "Kyoto was the capital once"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    // The latest run gets Italy wrong too: against the run before, Italy flips; against the
    // first run, both.
    run_with(&env, &[("france", "Paris"), ("japan", kyoto), ("italy", "Milan"), ("egypt", "Cairo"), ("germany", "Berlin")]);
    let out = env.llmops(&["report", "-o", "report.html", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let html = env.read("report.html");
    // Self-contained: nothing is fetched when it is viewed (no element or rule loads anything).
    for loads in [" src=", "<link", "@import", "url(", "fetch(", "XMLHttpRequest", "https://"] {
        assert!(!html.contains(loads), "the page loads something: {loads}");
    }
    // The data, embedded once; ids and times vary run to run.
    let mut data = embedded(&html);
    let e = &mut data["evals"][0];
    assert_eq!(e["runs"].as_array().unwrap().len(), 3);
    assert_eq!(e["shown"], e["runs"][2]["id"], "the latest run's samples");
    assert_eq!(e["compare"], serde_json::json!([e["runs"][1]["id"], e["runs"][2]["id"]]), "the two latest runs");
    assert_eq!(e["outcomes"][0]["run"], e["runs"][1]["id"], "the comparable runs, newest first");
    assert_eq!(e["outcomes"][1]["run"], e["runs"][0]["id"]);
    for (i, r) in e["runs"].as_array_mut().unwrap().iter_mut().enumerate() {
        r["id"] = format!("run-{i}").into();
        r["time"] = 0.into();
    }
    e["shown"] = "run-2".into();
    e["compare"] = serde_json::json!(["run-1", "run-2"]);
    e["outcomes"][0]["run"] = "run-1".into();
    e["outcomes"][1]["run"] = "run-0".into();
    for s in e["samples"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("spans");
    }
    data["llmops_version"] = "X".into();
    insta::assert_json_snapshot!(data);

    // The gate writes the same report for the evals it looked at (here the changed prompt's).
    let out = env.llmops(&["gate", "--report", "gate-report.html"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let gate_data = embedded(&env.read("gate-report.html"));
    assert_eq!(gate_data["evals"].as_array().unwrap().len(), 1, "{gate_data}");
    assert_eq!(gate_data["evals"][0]["eval"], "capital");

    // In a real browser.
    let profile = tempfile::tempdir().unwrap();
    let result = selftest(&env.root().join("report.html"), profile.path());
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(result["points"], 3, "a point per run: {result}");
    assert_eq!(result["thresholds"], 1, "the gate's min_pass_rate: {result}");
    assert_eq!(result["drill"], 1, "clicking the first row opens its drill-down: {result}");
    assert_eq!(result["drilled"], "Paris", "{result}");
    assert_eq!(result["flipped"], serde_json::json!(["italy"]), "the two latest runs: {result}");
    assert_eq!(result["picked"], serde_json::json!(["japan", "italy"]), "A picked as the first run: {result}");
    assert_eq!(result["disagree"], serde_json::json!(["japan"]), "the sample a person passed and the graders failed: {result}");
    assert_eq!(result["matrix_cells"], 0, "no experiment: {result}");
    assert_eq!((result["elements_from_data"].as_u64(), result["pwned"].as_bool()), (Some(0), Some(false)), "{result}");
    // The drill-down's waterfall: the sample's own span at least.
    assert!(result["spans"].as_u64().unwrap() >= 1, "{result}");
    // `--compare` takes two runs of one eval; B's samples are shown, and A can be picked
    // beyond the comparable runs.
    let out = env.llmops(&["report", "--compare", "capital~2", "capital~1", "--comparable", "1", "-o", "cmp.html"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let cmp = embedded(&env.read("cmp.html"));
    let runs = &cmp["evals"][0]["runs"];
    assert_eq!(cmp["evals"][0]["shown"], runs[1]["id"], "{cmp}");
    let outcomes: Vec<&Value> = cmp["evals"][0]["outcomes"].as_array().unwrap().iter().map(|o| &o["run"]).collect();
    assert_eq!(outcomes, [&runs[0]["id"], &runs[2]["id"]], "A (its outputs first), then the latest run: {cmp}");
    // Older than the runs the trend shows (`--runs 1`): they join it.
    let out = env.llmops(&["report", "--compare", "capital~2", "capital~1", "--runs", "1", "-o", "cmp.html"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let result = selftest(&env.root().join("cmp.html"), profile.path());
    assert_eq!((&result["errors"], &result["flipped"], &result["points"]), (&serde_json::json!([]), &serde_json::json!(["japan"]), &serde_json::json!(3)), "{result}");
    // A labels file that does not read costs a warning, not the report.
    env.write(".llmops/labels/capital.jsonl", "not a label\n");
    let out = env.llmops(&["report", "-o", "nolabels.html"]);
    assert!(out.code == 0 && out.stderr.contains("the labels are left out") && out.stderr.contains("line 1"), "{}", out.snapshot());
    let out = env.llmops(&["report", "no-such-eval", "-o", "none.html"]);
    assert!(out.code == 0 && out.stderr.contains("eval `no-such-eval` has no runs"), "{}", out.snapshot());
    // A screenshot, kept as a test artifact.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    let _ = std::fs::remove_file(&shot);
    let status = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--window-size=1280,1800"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", env.root().join("report.html").display()))
        .output()
        .unwrap();
    assert!(std::fs::metadata(&shot).map(|m| m.len() > 10_000).unwrap_or(false), "no screenshot: {}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn a_report_of_ten_thousand_samples_draws_in_under_two_seconds() {
    let env = TestEnv::initialized();
    let rows: Vec<String> = (0..10_000).map(|i| serde_json::json!({"id": format!("r{i}"), "vars": {"country": format!("Country {i}")}, "expected": format!("City {i}")}).to_string()).collect();
    env.write("datasets/capitals.jsonl", &(rows.join("\n") + "\n"));
    let answers: Vec<String> = (0..10_000).map(|i| serde_json::json!({"id": format!("r{i}"), "output": if i % 7 == 0 { "no idea".to_owned() } else { format!("It is City {i}.") }}).to_string()).collect();
    let file = env.root().join(".home/outputs.jsonl");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, answers.join("\n")).unwrap();
    let out = env.llmops(&["eval", "capital", "--outputs", file.to_str().unwrap(), "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    // A second run that fails other rows, so the page compares 10,000 samples of two runs.
    let answers: Vec<String> = (0..10_000).map(|i| serde_json::json!({"id": format!("r{i}"), "output": if i % 5 == 0 { "no idea".to_owned() } else { format!("It is City {i}.") }}).to_string()).collect();
    std::fs::write(&file, answers.join("\n")).unwrap();
    let out = env.llmops(&["eval", "capital", "--outputs", file.to_str().unwrap(), "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let out = env.llmops(&["report", "-o", "big.html"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let profile = tempfile::tempdir().unwrap();
    let result = selftest(&env.root().join("big.html"), profile.path());
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(result["drill"], 1, "{result}");
    // Rows failing in one run only: i % 5 == 0 or i % 7 == 0, not both.
    let flips = (0..10_000).filter(|i| (i % 5 == 0) != (i % 7 == 0)).count();
    assert!(result["flipped"].as_array().unwrap().len() == 100.min(flips), "the first page of {flips} flipped rows: {result}");
    // From the start of navigation to the page drawn: the file read, its data parsed, the
    // first page of samples drawn.
    let ms = result["load_ms"].as_f64().unwrap();
    assert!(ms < 2000.0, "loaded and drawn in {ms} ms: {result}");
}

#[test]
fn an_experiment_is_drawn_as_a_matrix_of_its_cells() {
    let env = TestEnv::initialized();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("the city only", "the city alone"));
    let file = env.root().join(".home/outputs.jsonl");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let answers = [("france", "Paris"), ("japan", "Tokyo"), ("italy", "Rome"), ("egypt", "Cairo"), ("germany", "Berlin")];
    std::fs::write(&file, answers.map(|(id, out)| serde_json::json!({"id": id, "output": out}).to_string()).join("\n")).unwrap();
    // Two prompt versions grading the same outputs: two cells of one experiment.
    let out = env.llmops(&["eval", "capital", "--prompt-version", "HEAD", "--prompt-version", "work", "--outputs", file.to_str().unwrap(), "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let out = env.llmops(&["report", "-o", "exp.html"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let data = embedded(&env.read("exp.html"));
    let runs = data["evals"][0]["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{data}");
    assert!(runs[0]["experiment"].is_string() && runs[0]["experiment"] == runs[1]["experiment"], "{data}");
    let profile = tempfile::tempdir().unwrap();
    let result = selftest(&env.root().join("exp.html"), profile.path());
    assert_eq!(result["errors"], serde_json::json!([]), "{result}");
    assert_eq!(result["matrix_cells"], 2, "a cell per prompt version: {result}");
    // Prompt versions down, models across.
    assert_eq!(result["matrix_head"], serde_json::json!(["prompt version", "(outputs file)"]), "{result}");
    let versions: Vec<String> = runs.iter().map(|r| format!("capital@{}", r["prompt_version"].as_str().unwrap())).collect();
    assert_eq!(result["matrix_rows"], serde_json::json!(versions), "{result}");
}
