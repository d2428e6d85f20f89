//! Retrieval indexes through the real binary: build, status, BM25 search, filters, staleness
//! and the errors a person meets.

mod common;

use common::TestEnv;
use serde_json::Value;

const DOCS: &str = r#"{"id": "apple-pie", "vars": {"title": "Apple pie", "body": "Apple pie is baked with apples, apples and more apples.", "kind": "recipe"}}
{"id": "apple-tree", "vars": {"title": "Apple trees", "body": "An apple tree grows in gardens and orchards.", "kind": "garden"}}
{"id": "banana", "vars": {"title": "Bananas", "body": "Bananas are yellow fruit that grow in bunches.", "kind": "fruit"}}
{"id": "runner", "vars": {"title": "Mornings", "body": "She runs every morning; runners like it.", "kind": "sport"}}
"#;

fn workspace(index: &str) -> TestEnv {
    let env = TestEnv::initialized();
    env.write("datasets/docs.jsonl", DOCS);
    let config = env.read(".llmops/config.yaml");
    env.write(".llmops/config.yaml", &format!("{config}indexes:\n  docs:\n{index}"));
    env.commit_all("docs and their index");
    env
}

const INDEX: &str = "    dataset: docs\n    text: \"{{ title }}\\n{{ body }}\"\n";

fn search(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["search", "docs", "--json"];
    full.extend_from_slice(args);
    let out = env.llmops(&full);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    serde_json::from_str(&out.stdout).unwrap()
}

fn docs(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["doc"].as_str().unwrap()).collect()
}

#[test]
fn an_index_builds_searches_by_bm25_goes_stale_and_rebuilds() {
    let env = workspace(INDEX);
    let status: Value = serde_json::from_str(&env.llmops(&["index", "status", "--json"]).stdout).unwrap();
    assert_eq!(status[0]["state"], "missing");
    let out = env.llmops(&["search", "docs", "apple"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("index `docs` is not built") && out.stderr.contains("llmops index build docs"), "{}", out.stderr);

    // A workspace whose `.gitignore` predates indexes: the index folder ignores itself.
    env.write(".gitignore", &env.read(".gitignore").replace(".llmops/index/\n", ""));
    env.commit_all("an older .gitignore");
    let out = env.llmops(&["index", "build"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stderr.contains("built `docs`: 4 documents, 4 chunks from `docs`"), "{}", out.stderr);
    assert_eq!(env.git(&["status", "--porcelain"]), "", "a built index is never something to commit");

    // Term frequency ranks the pie (three apples) over the tree (one); bananas do not match.
    let hits = search(&env, &["apples"]);
    assert_eq!(docs(&hits), ["apple-pie", "apple-tree"]);
    assert!(hits[0]["score"].as_f64().unwrap() > hits[1]["score"].as_f64().unwrap());
    assert_eq!(hits[0]["rank"], 1);
    assert_eq!(hits[0]["meta"]["kind"], "recipe");
    // Stemming: "running" finds "runs" and "runners"; a stop word alone finds nothing, though
    // two documents have "and".
    assert_eq!(docs(&search(&env, &["running"])), ["runner"]);
    assert!(search(&env, &["and"]).is_empty());
    // The row id is a filter field too; a large k is no more than there are chunks.
    assert_eq!(docs(&search(&env, &["apple", "--filter", "id=apple-tree"])), ["apple-tree"]);
    assert_eq!(search(&env, &["apple", "-k", "4000000000"]).len(), 2);
    // Query syntax is not interpreted: quotes, colons and operators are plain text.
    let mut any = docs(&search(&env, &["\"apple\" AND title:(bananas"])).into_iter().map(str::to_owned).collect::<Vec<_>>();
    any.sort();
    assert_eq!(any, ["apple-pie", "apple-tree", "banana"], "any of the words, none required");
    // Filters on row variables.
    assert_eq!(docs(&search(&env, &["apple", "--filter", "kind=garden"])), ["apple-tree"]);
    assert!(search(&env, &["apple", "--filter", "kind=garden", "--filter", "kind=recipe"]).is_empty());
    assert_eq!(search(&env, &["apple", "-k", "1"]).len(), 1);
    let table = env.llmops(&["search", "docs", "apples"]);
    assert!(table.stdout.starts_with("#  DOC") && table.stdout.contains("apple-pie"), "{}", table.stdout);

    // Settings changed since the build: the index still answers as it was built (English
    // stems), with a warning, until it is built again.
    let config = env.read(".llmops/config.yaml");
    env.write(".llmops/config.yaml", &config.replace(INDEX, &format!("{INDEX}    bm25: {{language: de}}\n")));
    let out = env.llmops(&["search", "docs", "running"]);
    assert!(out.stderr.contains("index `docs` is stale"), "{}", out.stderr);
    assert!(out.stdout.contains("runner"), "searched with the built index's language: {}", out.stdout);
    env.write(".llmops/config.yaml", &config);
    // A changed dataset makes the index stale until it is built again.
    env.write("datasets/docs.jsonl", &format!("{DOCS}{{\"id\": \"cider\", \"vars\": {{\"title\": \"Cider\", \"body\": \"Cider is pressed from apples.\", \"kind\": \"drink\"}}}}\n"));
    let status: Value = serde_json::from_str(&env.llmops(&["index", "status", "--json"]).stdout).unwrap();
    assert_eq!(status[0]["state"], "stale");
    let out = env.llmops(&["search", "docs", "cider"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stderr.contains("index `docs` is stale"), "{}", out.stderr);
    assert!(out.stdout.is_empty() || !out.stdout.contains("cider"), "the old index has no cider: {}", out.stdout);
    assert_eq!(env.llmops(&["index", "build", "docs"]).code, 0);
    let status: Value = serde_json::from_str(&env.llmops(&["index", "status", "--json"]).stdout).unwrap();
    assert_eq!((status[0]["state"].as_str(), status[0]["manifest"]["docs"].as_u64()), (Some("built"), Some(5)));
    assert_eq!(docs(&search(&env, &["cider"])), ["cider"]);
}

#[test]
fn long_texts_are_cut_into_overlapping_chunks() {
    let env = workspace("    dataset: docs\n    text: \"{{ body }}\"\n    chunk: {max_tokens: 4, overlap: 1}\n");
    assert_eq!(env.llmops(&["index", "build"]).code, 0);
    let status: Value = serde_json::from_str(&env.llmops(&["index", "status", "--json"]).stdout).unwrap();
    // 10, 8, 8 and 7 words: windows of 4 that step by 3.
    assert_eq!(status[0]["manifest"]["chunks"], 3 + 3 + 3 + 2);
    let hits = search(&env, &["orchards"]);
    assert_eq!((hits[0]["doc"].as_str(), hits[0]["chunk"].as_u64()), (Some("apple-tree"), Some(2)));
    assert_eq!(hits[0]["text"], "and orchards.", "the last window: words 7 and 8 of 8");
}

#[test]
fn bad_input_gets_a_clear_error() {
    let env = workspace(INDEX);
    assert_eq!(env.llmops(&["index", "build"]).code, 0);
    for (args, code, wanted) in [
        (vec!["search", "nope", "apple"], 2, "no index `nope` in `.llmops/config.yaml` (indexes: docs)"),
        (vec!["search", "docs", "  "], 2, "the query is empty"),
        (vec!["search", "docs", "\"!?\""], 2, "the query is empty"),
        (vec!["search", "docs", "apple", "-k", "0"], 2, "-k"),
        (vec!["search", "docs", "apple", "--filter", "kind"], 2, "`--filter kind` is not FIELD=VALUE"),
        (vec!["index", "build", "nope"], 2, "no index `nope`"),
    ] {
        let out = env.llmops(&args);
        assert_eq!(out.code, code, "{args:?}: {}", out.snapshot());
        assert!(out.stderr.contains(wanted), "{args:?}: {}", out.stderr);
    }
    // A damaged index folder: the error names it and says how to mend it.
    std::fs::write(env.root().join(".llmops/index/docs/manifest.json"), "{not json").unwrap();
    let out = env.llmops(&["search", "docs", "apple"]);
    assert_eq!(out.code, 3, "{}", out.snapshot());
    assert!(out.stderr.contains(".llmops/index/docs/manifest.json") && out.stderr.contains("llmops index build docs"), "{}", out.stderr);
    assert_eq!(env.llmops(&["index", "build", "docs"]).code, 0);
    for entry in std::fs::read_dir(env.root().join(".llmops/index/docs/bm25")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::write(&path, b"garbage").unwrap();
    }
    let out = env.llmops(&["search", "docs", "apple"]);
    assert_eq!(out.code, 3, "{}", out.snapshot());
    assert!(out.stderr.contains("cannot be read") && out.stderr.contains("llmops index build docs"), "{}", out.stderr);

    // An index folder that is a link to elsewhere is neither written nor removed.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep"), "mine").unwrap();
    std::fs::remove_dir_all(env.root().join(".llmops/index/docs")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), env.root().join(".llmops/index/docs")).unwrap();
    let out = env.llmops(&["index", "build", "docs"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("`.llmops/index/docs` is a symbolic link"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(elsewhere.path().join("keep")).unwrap(), "mine");
    assert_eq!(env.llmops(&["search", "docs", "apple"]).code, 2);
    std::fs::remove_file(env.root().join(".llmops/index/docs")).unwrap();
    assert_eq!(env.llmops(&["index", "build", "docs"]).code, 0);

    // A row the text template cannot render: the dataset file, the row's line, the variable.
    let config = env.read(".llmops/config.yaml").replace("{{ title }}", "{{ subtitle }}");
    env.write(".llmops/config.yaml", &config);
    let out = env.llmops(&["index", "build", "docs"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("datasets/docs.jsonl:1") && out.stderr.contains("`subtitle`"), "{}", out.stderr);

    // Settings are checked with the config, with their line.
    let config = env.read(".llmops/config.yaml").replace("    dataset: docs\n", "    dataset: docs\n    bm25: {language: xx}\n    chunk: {max_tokens: 4, overlap: 4}\n");
    env.write(".llmops/config.yaml", &config);
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("`xx` is not a language BM25 can stem here"), "{}", out.stderr);
    assert!(out.stderr.contains("`overlap` below it (got 4 and 4)"), "{}", out.stderr);
    // An index over a dataset that does not exist.
    let config = env.read(".llmops/config.yaml").replace("    bm25: {language: xx}\n    chunk: {max_tokens: 4, overlap: 4}\n", "").replace("dataset: docs", "dataset: documents");
    env.write(".llmops/config.yaml", &config);
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("index `docs` reads dataset `documents`, which does not exist"), "{}", out.stderr);
}
