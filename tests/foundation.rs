//! The workspace, versioned files and their commands, driven through the real binary.

mod common;

use common::TestEnv;
use insta::assert_snapshot;

#[test]
fn init_then_validate_passes() {
    let env = TestEnv::new();
    let out = env.llmops(&["init"]);
    assert_snapshot!(out.snapshot(), @r"
    exit: 0
    --- stdout
    --- stderr
     created .llmops/config.yaml
     created prompts/capital.yaml
     created datasets/capitals.jsonl
     created evals/capital.yaml
     created .gitignore
    workspace ready at `[ROOT]`; next: `llmops validate`
    ");
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert_eq!(out.stderr, "ok: 1 prompt, 1 dataset (5 rows), 1 eval\n");
    let ignore = env.read(".gitignore");
    for line in [".llmops/models/", ".llmops/cache/", ".llmops/index/"] {
        assert!(ignore.lines().any(|l| l == line), "{ignore}");
    }
}

#[test]
fn init_is_idempotent_and_never_overwrites() {
    let env = TestEnv::new();
    env.write(".gitignore", "target/\n.llmops/models/\n");
    env.llmops(&["init"]);
    env.write("prompts/capital.yaml", "edited by hand\n");
    let out = env.llmops(&["init"]);
    assert_eq!(out.code, 0);
    assert_snapshot!(out.stderr, @r"
        kept .llmops/config.yaml
        kept prompts/capital.yaml
        kept datasets/capitals.jsonl
        kept evals/capital.yaml
        kept .gitignore
    workspace ready at `[ROOT]`; next: `llmops validate`
    ");
    assert_eq!(env.read("prompts/capital.yaml"), "edited by hand\n");
    let ignore = env.read(".gitignore");
    assert_eq!(ignore.matches(".llmops/models/").count(), 1, "{ignore}");
    assert!(ignore.starts_with("target/\n"), "{ignore}");
}

#[test]
fn init_in_a_sub_folder_writes_at_the_repository_root() {
    let env = TestEnv::new();
    let sub = env.root().join("deep/er");
    std::fs::create_dir_all(&sub).unwrap();
    let out = env.llmops_in(&sub, &["init"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(env.root().join(".llmops/config.yaml").is_file());
    assert!(!sub.join(".llmops").exists());
    assert_eq!(env.llmops_in(&sub, &["validate"]).code, 0);
}

#[test]
fn init_outside_a_git_repository_refuses_with_a_hint() {
    let env = TestEnv::new();
    let outside = env.temp().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    // A directory beside the repository, not inside it.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = env.llmops_in(elsewhere.path(), &["init"]);
    assert_eq!(out.code, 2);
    let stderr = out.stderr.replace(&elsewhere.path().canonicalize().unwrap().display().to_string(), "[DIR]");
    let stderr = stderr.replace(&elsewhere.path().display().to_string(), "[DIR]");
    assert_snapshot!(stderr, @r"
    error: `[DIR]` is not inside a git repository
    hint: run `git init` first, then `llmops init`
    ");
}

#[test]
fn commands_outside_a_workspace_hint_at_init() {
    let env = TestEnv::new();
    let out = env.llmops(&["validate"]);
    assert_snapshot!(out.snapshot(), @r"
    exit: 2
    --- stdout
    --- stderr
    error: `[ROOT]` is not an llmops workspace (no `.llmops/config.yaml`)
    hint: run `llmops init`
    ");
}

fn hash_object(env: &TestEnv, path: &str) -> String {
    env.git(&["hash-object", path]).trim().to_owned()
}

#[test]
fn a_version_is_the_git_blob_id_before_and_after_commit() {
    let env = TestEnv::new();
    env.llmops(&["init"]);
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("city only", "city, nothing else"));
    let version_of = |env: &TestEnv| {
        let out = env.llmops(&["prompt", "list", "--json"]);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        (v[0]["version"].as_str().unwrap().to_owned(), v[0]["blob"].as_str().unwrap().to_owned())
    };
    let (short, blob) = version_of(&env);
    assert_eq!(blob, hash_object(&env, "prompts/capital.yaml"));
    assert!(blob.starts_with(&short) && short.len() == 10);
    env.commit_all("edit");
    assert_eq!(version_of(&env), (short, blob));
}

#[test]
fn prompt_log_lists_versions_in_order_of_first_appearance() {
    let env = TestEnv::initialized();
    let v1 = hash_object(&env, "prompts/capital.yaml");
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("max_tokens: 24", "max_tokens: 16"));
    env.commit_all("shorter answers");
    let v2 = hash_object(&env, "prompts/capital.yaml");
    env.write("README.md", "unrelated\n");
    env.commit_all("unrelated change");
    let out = env.llmops(&["prompt", "log", "capital"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let stdout = out.stdout.replace(&v1[..10], "[V1]").replace(&v2[..10], "[V2]");
    let stdout = regex_replace(&stdout, r"\b[0-9a-f]{10}\b", "[COMMIT]");
    assert_snapshot!(stdout, @r"
        #   VERSION     COMMIT      DATE (UTC)        SUBJECT
        1   [V1]  [COMMIT]  2026-01-02 03:04  init
        2*  [V2]  [COMMIT]  2026-01-02 03:04  shorter answers
        ");
    // An uncommitted edit is listed last.
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("max_tokens: 16", "max_tokens: 8"));
    let out = env.llmops(&["prompt", "log", "capital", "--json"]);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 3);
    assert_eq!(log[2]["commit"], serde_json::Value::Null);
    assert_eq!(log[0]["blob"], v1.as_str());
}

fn regex_replace(text: &str, pattern: &str, with: &str) -> String {
    regex::Regex::new(pattern).unwrap().replace_all(text, with).into_owned()
}

#[test]
fn old_versions_are_read_from_git_without_checkout() {
    let env = TestEnv::initialized();
    let v1 = hash_object(&env, "prompts/capital.yaml");
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("What is the capital", "Name the capital"));
    env.commit_all("reword");
    let render = |reference: &str| env.llmops(&["prompt", "render", reference, "--var", "country=Chile"]).stdout;
    assert!(render("capital").contains("Name the capital of Chile?"));
    for old in ["capital@HEAD~1", &format!("capital@{}", &v1[..7]), "capital@main~1"] {
        assert!(render(old).contains("What is the capital of Chile?"), "{old}: {}", render(old));
    }
    assert_eq!(env.git(&["status", "--porcelain"]), "");
    let out = env.llmops(&["prompt", "show", "capital@deadbeef"]);
    assert_eq!(out.code, 2);
    assert_snapshot!(out.stderr, @r"
    error: prompt `capital`: no version `deadbeef` of `prompts/capital.yaml` found in the work tree or in the history of HEAD
    hint: `llmops prompt log NAME` lists the versions
    ");
}

#[test]
fn broken_yaml_names_file_and_line() {
    let env = TestEnv::initialized();
    env.write("prompts/capital.yaml", "description: \"unterminated\nmessages:\n  - role: user\n    content: hi\n");
    let out = env.llmops(&["validate"]);
    assert_snapshot!(out.snapshot(), @r#"
        exit: 2
        --- stdout
        --- stderr
        error: found unexpected end of stream, while scanning a quoted scalar
          --> prompts/capital.yaml:1:14
          |
        1 | description: "unterminated
          |              ^

        error: prompt `capital` has problems of its own (listed above)
          --> evals/capital.yaml:3:1
          |
        3 | prompt: capital
          | ^

        error: 2 problems found
        "#);
}

#[test]
fn an_unknown_key_suggests_the_nearest_valid_key() {
    let env = TestEnv::initialized();
    env.write("prompts/capital.yaml", &env.read("prompts/capital.yaml").replace("max_tokens", "max_tokns"));
    let out = env.llmops(&["validate"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 2
        --- stdout
        --- stderr
        error: params: unknown field `max_tokns`, expected one of `temperature`, `top_p`, `top_k`, `min_p`, `repeat_penalty`, `max_tokens`, `seed`, `stop`
          --> prompts/capital.yaml:5:3
          |
        5 |   max_tokns: 24
          |   ^
        hint: did you mean `max_tokens`?

        error: prompt `capital` has problems of its own (listed above)
          --> evals/capital.yaml:3:1
          |
        3 | prompt: capital
          | ^

        error: 2 problems found
        ");
}

#[test]
fn a_dataset_line_that_is_not_json_names_its_line() {
    let env = TestEnv::initialized();
    let mut data = env.read("datasets/capitals.jsonl");
    data = data.replacen("{\"id\": \"japan\"", "{\"id\": \"japan\",,", 1);
    env.write("datasets/capitals.jsonl", &data);
    let out = env.llmops(&["validate"]);
    assert_snapshot!(out.snapshot(), @r#"
        exit: 2
        --- stdout
        --- stderr
        error: line 2 is not valid JSON: key must be a string
          --> datasets/capitals.jsonl:2:16
          |
        2 | {"id": "japan",,, "vars": {"country": "Japan"}, "expected": "Tokyo", "labels": ["asia"]}
          |                ^

        error: 1 problem found
        "#);
    let out = env.llmops(&["dataset", "validate", "capitals"]);
    assert_eq!(out.code, 2);
}

#[test]
fn a_missing_template_variable_names_the_variable_and_the_row() {
    let env = TestEnv::initialized();
    let data = env.read("datasets/capitals.jsonl").replace("{\"country\": \"Egypt\"}", "{\"land\": \"Egypt\"}");
    env.write("datasets/capitals.jsonl", &data);
    let out = env.llmops(&["validate"]);
    assert_snapshot!(out.snapshot(), @r#"
        exit: 2
        --- stdout
        --- stderr
        error: row `egypt` has no variable `country`, which prompt `capital` needs (eval `capital`)
          --> datasets/capitals.jsonl:4:1
          |
        4 | {"id": "egypt", "vars": {"land": "Egypt"}, "expected": "Cairo", "labels": ["africa"]}
          | ^
        hint: add `"country"` to the row's `vars`

        error: 1 problem found
        "#);
    let out = env.llmops(&["prompt", "render", "capital", "--row", "egypt"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 2
        --- stdout
        --- stderr
        error: cannot render `prompts/capital.yaml`: message 2 needs variable `country`, which the row does not have
        caused by: variables from row `egypt`
        hint: pass `--var country=...` or `--row ID`
        ");
}

#[test]
fn a_name_with_dot_dot_is_refused_before_any_file_is_opened() {
    let env = TestEnv::initialized();
    for args in [
        &["prompt", "show", "../.llmops/config"][..],
        &["prompt", "render", "../../etc/passwd"],
        &["dataset", "show", "a/../capitals"],
    ] {
        let out = env.llmops(args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains("`.` and `..` are not allowed"), "{}", out.stderr);
    }
    let out = env.llmops(&["prompt", "show", "../.llmops/config"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 2
        --- stdout
        --- stderr
        error: invalid name `../.llmops/config`: `.` and `..` are not allowed
        ");
}

#[test]
fn validate_reports_every_problem_at_once() {
    let env = TestEnv::initialized();
    env.write("evals/capital.yaml", &env.read("evals/capital.yaml").replace("prompt: capital", "prompt: capitol").replace("max: 8", "max: 8\n    k: 2"));
    env.write("evals/other.yaml", "prompt: capital\ndataset: nothing\nmodel: gpt\ngraders:\n  - type: regex\n    pattern: '(unclosed'\n");
    env.write("datasets/more.csv", "id,country,expected\na,France,Paris\na,Spain,Madrid\n");
    let out = env.llmops(&["validate"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 2
        --- stdout
        --- stderr
        error: row id `a` appears more than once
          --> datasets/more.csv:3
        hint: every row needs its own `id`

        error: `k` does not apply to grader `word-count`
          --> evals/capital.yaml:12:5
           |
        12 |     k: 2
           |     ^

        error: prompt `capitol` does not exist (no `prompts/capitol.yaml`)
          --> evals/capital.yaml:3:1
          |
        3 | prompt: capitol
          | ^
        hint: did you mean `capital`?

        error: regex `(unclosed` does not compile: unclosed group
          --> evals/other.yaml:6:5
          |
        6 |     pattern: '(unclosed'
          |     ^

        error: model `gpt` is not defined in `.llmops/config.yaml`
          --> evals/other.yaml:3:1
          |
        3 | model: gpt
          | ^
        hint: add it under `models:` in `.llmops/config.yaml`

        error: dataset `nothing` does not exist (no `datasets/nothing.jsonl|csv|yaml`)
          --> evals/other.yaml:2:1
          |
        2 | dataset: nothing
          | ^

        error: 6 problems found
        ");
}

#[test]
fn datasets_in_csv_and_yaml_are_read_like_jsonl() {
    let env = TestEnv::initialized();
    env.write("datasets/csv-set.csv", "id,country,expected,labels\nfr,France,Paris,europe|big\n");
    env.write("datasets/yaml-set.yaml", "- id: fr\n  vars: {country: France}\n  expected: Paris\n  relevant: {doc-1: 2}\n");
    let out = env.llmops(&["dataset", "list"]);
    assert_snapshot!(out.stdout, @r"
        NAME      VERSION     FORMAT  ROWS
        capitals  7859c5e35a  jsonl   5
        csv-set   4fa4baeb4f  csv     1
        yaml-set  d2ab133d92  yaml    1
        ");
    for name in ["csv-set", "yaml-set"] {
        let out = env.llmops(&["dataset", "show", name, "--json"]);
        let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(rows[0]["vars"]["country"], "France", "{name}");
        assert_eq!(rows[0]["expected"], "Paris", "{name}");
    }
    let out = env.llmops(&["prompt", "render", "capital", "--row", "fr", "--dataset", "csv-set", "--json"]);
    let rendered: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rendered["messages"][1]["content"], "What is the capital of France?");
}

#[test]
fn dataset_stats_summarise_rows() {
    let env = TestEnv::initialized();
    let out = env.llmops(&["dataset", "stats", "capitals"]);
    let out = regex_replace(&out.stdout, r"@[0-9a-f]{10}", "@[VERSION]");
    assert_snapshot!(out, @r"
        capitals@[VERSION]
        rows          5
        expected      5 (100%)
        relevant      0 (0%)

        VARIABLE  ROWS  COVERAGE  MEAN CHARS
        country   5     100%      5.6

        LABEL   ROWS
        africa  1
        asia    1
        europe  3
        ");
}

#[test]
fn json_output_goes_to_stdout_and_quiet_mutes_status() {
    let env = TestEnv::initialized();
    let out = env.llmops(&["-q", "prompt", "render", "capital", "--var", "country=Peru"]);
    assert_eq!(out.stderr, "");
    assert_eq!(out.stdout, "[system]\nYou are a geography expert. Answer with the name of the city only.\n[user]\nWhat is the capital of Peru?\n");
    let out = env.llmops(&["validate", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["rows"], 5);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::initialized();
    assert_eq!(env.llmops(&["no-such-command"]).code, 2);
    assert_eq!(env.llmops(&["prompt", "render", "capital", "--var", "novalue"]).code, 2);
    assert_eq!(env.llmops(&["--help"]).code, 0);
}
