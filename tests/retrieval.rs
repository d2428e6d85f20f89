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

    // A file of the index that is a link is not read; an index committed to git (a pulled
    // branch's) is not trusted as built.
    let chunks = env.root().join(".llmops/index/docs/chunks.jsonl");
    std::fs::rename(&chunks, env.root().join("chunks.jsonl")).unwrap();
    std::os::unix::fs::symlink(env.root().join("chunks.jsonl"), &chunks).unwrap();
    let out = env.llmops(&["search", "docs", "apple"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("`.llmops/index/docs/chunks.jsonl` is a symbolic link"), "{}", out.stderr);
    std::fs::remove_file(&chunks).unwrap();
    std::fs::remove_file(env.root().join("chunks.jsonl")).unwrap();
    assert_eq!(env.llmops(&["index", "build", "docs"]).code, 0);
    env.git(&["add", "-f", ".llmops/index/docs/manifest.json"]);
    for args in [vec!["search", "docs", "apple"], vec!["index", "build", "docs"], vec!["index", "status"]] {
        let out = env.llmops(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.snapshot());
        assert!(out.stderr.contains("`.llmops/index/docs/manifest.json` is tracked by git"), "{args:?}: {}", out.stderr);
    }
    env.git(&["rm", "-q", "-r", "--cached", ".llmops/index"]);
    assert_eq!(env.llmops(&["search", "docs", "apple"]).code, 0);

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

/// A workspace with the test chat model, the test embedding model as `minilm`, and index
/// `docs` over [`DOCS`] with `index` settings (after the dataset and text).
fn with_vectors(index: &str) -> TestEnv {
    let env = TestEnv::with_model();
    std::os::unix::fs::symlink(common::embed_model_path(), env.root().join(".llmops/models/minilm.gguf")).unwrap();
    env.write("datasets/docs.jsonl", DOCS);
    let minilm = format!("  minilm:\n    path: .llmops/models/minilm.gguf\n    sha256: {MINILM_SHA256}\n");
    env.write(".llmops/config.yaml", &format!("{}indexes:\n  docs:\n{INDEX}{index}", common::model_config(common::TEST_MODEL_FILE, &minilm)));
    env.commit_all("docs, an embedding model and an index with vectors");
    env
}

const MINILM_SHA256: &str = "711390d0c77d6f43bb8e2c97e89914c4b6ef569d3e60b36a79ad2771da96e4f1";

fn status(env: &TestEnv) -> Value {
    let out = env.llmops(&["index", "status", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    serde_json::from_str::<Value>(&out.stdout).unwrap()[0].clone()
}

#[test]
fn vectors_find_by_meaning_fuse_with_bm25_and_a_rebuild_embeds_only_what_changed() {
    let env = with_vectors("    embed_model: minilm\n");
    let out = env.llmops(&["index", "build"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stderr.contains("4 embedded by `minilm` and 0 kept from the last build"), "{}", out.stderr);
    let s = status(&env);
    assert_eq!((s["state"].as_str(), s["manifest"]["dims"].as_u64()), (Some("built"), Some(384)));
    assert!(env.llmops(&["index", "status"]).stdout.contains("4 × 384"));

    // No word in common with any document: BM25 finds nothing, vectors find the runner.
    assert!(search(&env, &["jogging at dawn", "--mode", "bm25"]).is_empty());
    let hits = search(&env, &["jogging at dawn", "--mode", "vector"]);
    assert_eq!(hits.len(), 4, "every chunk has a similarity");
    assert_eq!(hits[0]["doc"], "runner");
    assert!(hits.windows(2).all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64()));
    // Hybrid (the default with an embedding model): the runner, from the vectors alone.
    assert_eq!(search(&env, &["jogging at dawn"])[0]["doc"], "runner");
    // Words for BM25, a meaning for vectors, both for hybrid: each finds the pie; a filter
    // holds in every mode.
    for (mode, query) in [("bm25", "apples"), ("vector", "a dessert"), ("hybrid", "apple dessert")] {
        assert_eq!(search(&env, &[query, "--mode", mode])[0]["doc"], "apple-pie", "{mode}");
        assert_eq!(docs(&search(&env, &["apples", "--mode", mode, "--filter", "kind=fruit"])), ["banana"][..usize::from(mode != "bm25")], "{mode}");
    }

    // One row changed: only its chunk is embedded again.
    env.write("datasets/docs.jsonl", &DOCS.replace("yellow fruit", "long yellow fruit"));
    assert_eq!(status(&env)["state"], "stale");
    let out = env.llmops(&["index", "build", "docs"]);
    assert!(out.stderr.contains("1 embedded by `minilm` and 3 kept from the last build"), "{}", out.stderr);
    assert_eq!(status(&env)["state"], "built");

    // Another embedding model (the chat model, mean-pooled): the index is stale, its vectors
    // cannot answer queries embedded by the new model, and a rebuild embeds every chunk.
    let config = env.read(".llmops/config.yaml");
    env.write(".llmops/config.yaml", &config.replace("embed_model: minilm", "embed_model: smollm2"));
    assert_eq!(status(&env)["state"], "stale");
    let out = env.llmops(&["search", "docs", "apples", "--mode", "vector"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("was built with embedding model sha256:711390d0") && out.stderr.contains("llmops index build docs"), "{}", out.stderr);
    let out = env.llmops(&["index", "build", "docs"]);
    assert!(out.stderr.contains("4 embedded by `smollm2` and 0 kept"), "{}", out.stderr);
    assert_eq!(status(&env)["manifest"]["dims"], 576);
    assert_eq!(search(&env, &["apples", "--mode", "vector"]).len(), 4);
    // BM25 still answers from the same index.
    assert_eq!(search(&env, &["apples", "--mode", "bm25"])[0]["doc"], "apple-pie");
}

#[test]
fn vector_errors_are_clear() {
    let env = with_vectors("    embed_model: minilm\n    vectors: {quantization: i8}\n");
    assert_eq!(env.llmops(&["index", "build"]).code, 0);
    assert_eq!(search(&env, &["a dessert", "--mode", "vector"])[0]["doc"], "apple-pie", "i8 storage answers too");
    // A damaged graph is refused before it is read.
    let graph = env.root().join(".llmops/index/docs/vectors.usearch");
    let mut bytes = std::fs::read(&graph).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&graph, &bytes).unwrap();
    let out = env.llmops(&["search", "docs", "apples", "--mode", "vector"]);
    assert_eq!(out.code, 3, "{}", out.snapshot());
    assert!(out.stderr.contains(".llmops/index/docs/vectors.usearch") && out.stderr.contains("sha256 differs") && out.stderr.contains("llmops index build docs"), "{}", out.stderr);
    // BM25 does not need the graph.
    assert_eq!(search(&env, &["apples", "--mode", "bm25"])[0]["doc"], "apple-pie");
    std::fs::write(&graph, b"").unwrap();
    assert_eq!(env.llmops(&["search", "docs", "apples", "--mode", "vector"]).code, 3);
    // An empty query has nothing to embed.
    assert_eq!(env.llmops(&["index", "build"]).code, 0);
    let out = env.llmops(&["search", "docs", " ", "--mode", "vector"]);
    assert!(out.code == 2 && out.stderr.contains("the query is empty"), "{}", out.snapshot());

    // An index without an embedding model has no vectors; the config says what is wrong.
    let config = env.read(".llmops/config.yaml");
    env.write(".llmops/config.yaml", &config.replace("    embed_model: minilm\n", ""));
    assert_eq!(env.llmops(&["index", "build"]).code, 0);
    let out = env.llmops(&["search", "docs", "apples", "--mode", "vector"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("index `docs` has no vectors") && out.stderr.contains("--mode bm25"), "{}", out.stderr);
    for (change, wanted) in [
        ("    embed_model: nope\n", "`embed_model` names `nope`, which is not under `models:`"),
        ("    mode: vector\n", "mode `vector` needs vectors: name an `embed_model`"),
        ("    embed_model: minilm\n    hybrid: {weight: 2}\n", "`weight` 0 to 1"),
        ("    embed_model: minilm\n    vectors: {quantization: f8}\n", "f8"),
    ] {
        env.write(".llmops/config.yaml", &format!("{config}").replace("    embed_model: minilm\n", change));
        let out = env.llmops(&["validate"]);
        assert_eq!(out.code, 2, "{change}: {}", out.snapshot());
        assert!(out.stderr.contains(wanted) && out.stderr.contains(".llmops/config.yaml:"), "{change}: {}", out.stderr);
    }
}

const QUESTIONS: &str = r#"{"id": "q1", "vars": {"question": "What is baked with apples?"}, "relevant": ["apple-pie"]}
{"id": "q2", "vars": {"question": "Which bananas are yellow?"}, "relevant": ["banana"]}
{"id": "q3", "vars": {"question": "Where do apple trees grow?"}, "relevant": ["apple-tree", "apple-pie"]}
"#;

const RAG: &str = "retrieve:\n  index: docs\n  query: \"{{ question }}\"\n  k: 2\nparams:\n  max_tokens: 4\nmessages:\n  - role: system\n    content: |\n      Notes:\n      {% for c in context %}[{{ c.id }}] {{ c.text }}\n      {% endfor %}\n  - role: user\n    content: \"{{ question }}\"\n";

#[test]
fn rag_and_retrieval_evals_record_what_was_retrieved_and_pin_the_index() {
    let env = with_vectors("    embed_model: minilm\n");
    env.write("datasets/questions.jsonl", QUESTIONS);
    env.write("prompts/rag.yaml", RAG);
    env.write("evals/rag-retrieval.yaml", "prompt: rag\ndataset: questions\ntarget: retrieval\ngraders:\n  - type: hit-at-k\n    k: 1\n  - type: mrr\n  - type: context-recall\n");
    env.write("evals/rag.yaml", "prompt: rag\ndataset: questions\ngraders:\n  - type: context-recall\n  - type: length\n    min: 1\n");
    env.commit_all("a RAG prompt and its evals");
    assert_eq!(env.llmops(&["validate"]).code, 0, "{}", env.llmops(&["validate"]).snapshot());
    // Not built: the eval says what to run, before any model loads.
    let out = env.llmops(&["eval", "rag"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("index `docs` is not built") && out.stderr.contains("llmops index build docs") && !out.stderr.contains("loading model"), "{}", out.stderr);
    assert_eq!(env.llmops(&["index", "build"]).code, 0);
    let identity = status(&env)["identity"].as_str().unwrap().to_owned();

    // The retriever alone: no model generates; each sample's output is its ranked ids.
    let out = env.llmops(&["eval", "rag-retrieval", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(!out.stderr.contains("loading model"), "{}", out.stderr);
    let run = env.git(&["rev-parse", "refs/llmops/runs/rag-retrieval"]).trim().to_owned();
    let samples: Vec<Value> = env.git(&["show", &format!("{run}:samples.jsonl")]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(samples.len(), 3);
    for s in &samples {
        let ids: Vec<&str> = s["retrieved"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 2, "k: 2");
        let output: Vec<String> = serde_json::from_str(s["output"].as_str().unwrap()).unwrap();
        assert_eq!(output, ids);
        // The grades are what the recorded ids give against `relevant`.
        let row: Value = QUESTIONS.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).find(|r| r["id"] == s["id"]).unwrap();
        let relevant: Vec<&str> = row["relevant"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let first = ids.iter().position(|id| relevant.contains(id)).map_or(0.0, |i| 1.0 / (i + 1) as f64);
        assert_eq!(s["grades"]["mrr"]["score"].as_f64().unwrap(), first, "{s}");
        assert_eq!(s["grades"]["hit-at-k"]["score"].as_f64().unwrap(), f64::from(u8::from(relevant.contains(&ids[0]))), "{s}");
        let recall = relevant.iter().filter(|r| ids.contains(r)).count() as f64 / relevant.len() as f64;
        assert_eq!(s["grades"]["context-recall"]["score"].as_f64().unwrap(), recall, "{s}");
    }
    assert_eq!(samples[0]["retrieved"][0]["id"], "apple-pie");
    let meta = env.git(&["show", &format!("{run}:run.yaml")]);
    assert!(meta.contains(&format!("identity: {identity}")) && !meta.contains("\nmodel:\n  name"), "{meta}");

    // The RAG eval: generated with the chunks in the prompt; the chunks are recorded once
    // (`retrieved`), not among the variables; the spans show each retrieval.
    let out = env.llmops(&["eval", "rag"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let run = env.git(&["rev-parse", "refs/llmops/runs/rag"]).trim().to_owned();
    let samples = env.git(&["show", &format!("{run}:samples.jsonl")]);
    let first: Value = serde_json::from_str(samples.lines().next().unwrap()).unwrap();
    assert_eq!(first["retrieved"][0]["id"], "apple-pie");
    assert!(first["vars"].get("context").is_none(), "{first}");
    assert!(first["completion"]["usage"]["input_tokens"].as_u64().unwrap() > 20, "the chunks were in the prompt");
    let traces = env.git(&["show", &format!("{run}:traces.jsonl")]);
    assert_eq!(traces.matches("\"retrieval docs\"").count(), 3, "{traces}");
    assert!(traces.contains("gen_ai.data_source.id") && traces.contains("embeddings minilm"), "{traces}");
    let rendered = env.llmops(&["prompt", "render", "rag", "--row", "q1"]);
    assert!(rendered.stdout.contains("[apple-pie] Apple pie"), "{}", rendered.snapshot());

    // Released, then the index's rows change: the release is stale until evaluated again on
    // the rebuilt index; an eval refuses a stale index.
    assert_eq!(env.llmops(&["promote", "rag"]).code, 0);
    env.commit_all("release rag");
    assert_eq!(env.llmops(&["gate"]).code, 0, "{}", env.llmops(&["gate"]).snapshot());
    env.write("datasets/docs.jsonl", &format!("{DOCS}{{\"id\": \"cider\", \"vars\": {{\"title\": \"Cider\", \"body\": \"Cider is pressed from apples.\", \"kind\": \"drink\"}}}}\n"));
    let out = env.llmops(&["eval", "rag-retrieval"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("index `docs` is stale"), "{}", out.stderr);
    assert_eq!(env.llmops(&["index", "build"]).code, 0);
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("stale: index `docs` changed since run"), "{}", out.stderr);
    // Evaluated again on the rebuilt index and promoted again: the gate passes.
    for eval in ["rag-retrieval", "rag"] {
        assert_eq!(env.llmops(&["eval", eval, "-q"]).code, 0);
    }
    assert_eq!(env.llmops(&["promote", "rag"]).code, 0);
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
}

#[test]
fn rag_settings_are_checked_with_their_lines() {
    let env = workspace(INDEX);
    env.write("datasets/questions.jsonl", QUESTIONS);
    env.write("prompts/rag.yaml", &RAG.replace("index: docs", "index: doc"));
    env.write("evals/rag.yaml", "prompt: rag\ndataset: questions\ntarget: retrieval\ngraders:\n  - type: icontains\n    value: x\n");
    env.write("prompts/plain.yaml", "messages:\n  - role: user\n    content: \"{{ question }}\"\n");
    env.write("evals/plain.yaml", "prompt: plain\ndataset: questions\ntarget: retrieval\ngraders:\n  - type: mrr\n");
    env.write("evals/ctx.yaml", "prompt: plain\ndataset: questions\ngraders:\n  - type: context-recall\n");
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    for wanted in [
        "prompts/rag.yaml:2",
        "index `doc` is not under `indexes:`",
        "did you mean `docs`?",
        "evals/rag.yaml:5",
        "`target: retrieval` scores retrieved ids, which grader `icontains` does not grade",
        "evals/plain.yaml:3",
        "`target: retrieval` scores what prompt `plain` retrieves, and it has no `retrieve:`",
        "evals/ctx.yaml:4",
        "`context-recall` grades what prompt `plain` retrieves, and it has no `retrieve:`",
    ] {
        assert!(out.stderr.contains(wanted), "{wanted}: {}", out.stderr);
    }
    env.write("prompts/rag.yaml", &RAG.replace("k: 2", "k: 0"));
    let out = env.llmops(&["validate"]);
    assert!(out.stderr.contains("prompts/rag.yaml:4") && out.stderr.contains("`k` 0 must be 1 to 100"), "{}", out.stderr);
    // A row whose variables make no query is named before anything runs.
    env.write("prompts/rag.yaml", RAG);
    env.write("evals/rag.yaml", "prompt: rag\ndataset: questions\ntarget: retrieval\ngraders:\n  - type: mrr\n");
    env.write("evals/plain.yaml", "prompt: plain\ndataset: questions\ngraders:\n  - type: mrr\n    field: $.ids\n");
    std::fs::remove_file(env.root().join("evals/ctx.yaml")).unwrap();
    env.write("datasets/questions.jsonl", &format!("{QUESTIONS}{{\"id\": \"q4\", \"vars\": {{\"topic\": \"apples\"}}, \"relevant\": [\"apple-pie\"]}}\n"));
    assert_eq!(env.llmops(&["index", "build"]).code, 0);
    let out = env.llmops(&["eval", "rag"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("datasets/questions.jsonl:4") && out.stderr.contains("row `q4`") && out.stderr.contains("question"), "{}", out.stderr);
}
