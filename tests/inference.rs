//! The inference engine through the real binary and the real test model, and the
//! OpenAI-compatible client against a server that speaks the wire format.

mod common;

use common::http::{Reply, serve};
use common::{TestEnv, model_config, model_path};
use insta::assert_snapshot;
use serde_json::{Value, json};

fn run_json(env: &TestEnv, args: &[&str]) -> Value {
    let mut full = vec!["run", "--json"];
    full.extend_from_slice(args);
    let out = env.llmops(&full);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn run_answers_a_capital_question_and_greedy_runs_repeat_exactly() {
    let env = TestEnv::with_model();
    let a = run_json(&env, &["capital", "--var", "country=France", "--no-cache"]);
    assert!(a["text"].as_str().unwrap().contains("Paris"), "{a}");
    assert_eq!(a["finish_reason"], "stop");
    assert!(a["usage"]["input_tokens"].as_u64().unwrap() > 10);
    assert!(a["timings"]["tokens_per_s"].as_f64().unwrap() > 0.0);
    let b = run_json(&env, &["capital", "--var", "country=France", "--no-cache"]);
    assert_eq!(a["text"], b["text"]);
    // Streaming mode prints the same text.
    let out = env.llmops(&["run", "capital", "--var", "country=France", "--no-cache"]);
    assert_eq!(out.stdout.trim_end(), a["text"].as_str().unwrap());
    assert!(out.stderr.contains("tokens/s"), "{}", out.stderr);
}

#[test]
fn seeded_sampling_is_reproducible_and_seeds_differ() {
    let env = TestEnv::with_model();
    let sample = |seed: &str| {
        run_json(&env, &["capital", "--var", "country=Peru", "--temperature", "0.8", "--seed", seed, "--max-tokens", "40", "--no-cache"])["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(sample("7"), sample("7"));
    let others: Vec<String> = ["8", "9", "10"].iter().map(|s| sample(s)).collect();
    assert!(others.iter().any(|o| *o != sample("7")), "three other seeds all gave {:?}", sample("7"));
}

#[test]
fn a_response_schema_yields_valid_json_for_every_row() {
    let env = TestEnv::with_model();
    env.write("prompts/extract.yaml", include_str!("../prompts/extract.yaml"));
    env.write("datasets/orders.jsonl", include_str!("../datasets/orders.jsonl"));
    // The prompt's own schema, which every answer must satisfy.
    let prompt: Value = serde_yaml_ng::from_str(include_str!("../prompts/extract.yaml")).unwrap();
    let schema = &prompt["response_format"]["schema"];
    assert_eq!(schema["required"], json!(["product", "quantity"]), "the schema under test");
    for row in 1..=6 {
        let id = format!("order-{row}");
        let out = run_json(&env, &["extract", "--row", &id, "--dataset", "orders", "--no-cache"]);
        let value: Value = serde_json::from_str(out["text"].as_str().unwrap()).unwrap_or_else(|e| panic!("{id}: {e}: {out}"));
        assert!(value["quantity"].is_i64(), "{id}: {value}");
        assert!(value["product"].is_string(), "{id}: {value}");
        assert!(value.as_object().unwrap().keys().all(|k| k == "product" || k == "quantity"), "{id}: {value}");
        llmops::json_schema::validate(schema, &value).unwrap_or_else(|e| panic!("{id}: {value} breaks the prompt's schema: {e}"));
    }
}

#[test]
fn answers_are_cached_and_the_cache_can_be_cleared() {
    let env = TestEnv::with_model();
    let first = run_json(&env, &["capital", "--var", "country=Italy"]);
    assert_eq!(first["cached"], false);
    let second = run_json(&env, &["capital", "--var", "country=Italy"]);
    assert_eq!(second["cached"], true);
    assert_eq!(first["text"], second["text"]);
    // A different parameter is a different key.
    let third = run_json(&env, &["capital", "--var", "country=Italy", "--max-tokens", "5"]);
    assert_eq!(third["cached"], false);
    assert_eq!(env.llmops(&["cache", "stats"]).stdout, "cached: 2 answers, 0.5 KiB\n".replace("0.5", &cache_kib(&env)));
    assert_eq!(env.llmops(&["cache", "clear", "--json"]).code, 0);
    let stats: Value = serde_json::from_str(&env.llmops(&["cache", "stats", "--json"]).stdout).unwrap();
    assert_eq!(stats["entries"], 0);
}

fn cache_kib(env: &TestEnv) -> String {
    let stats: Value = serde_json::from_str(&env.llmops(&["cache", "stats", "--json"]).stdout).unwrap();
    format!("{:.1}", stats["bytes"].as_f64().unwrap() / 1024.0)
}

#[test]
fn model_info_reads_the_gguf_metadata() {
    let env = TestEnv::with_model();
    let out = env.llmops(&["model", "info", "smollm2", "--json"]);
    let info: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(info["architecture"], "llama");
    assert_eq!(info["quantization"], "Q4_1");
    assert_eq!(info["context_length"], 8192);
    assert!(info["chat_template"].as_str().unwrap().contains("<|im_start|>"));
    // SmolLM2's template knows no tools.
    assert_eq!(info["tool_syntax"], "generic");
    let out = env.llmops(&["model", "verify", "smollm2"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
}

#[test]
fn a_missing_model_file_says_how_to_get_it() {
    let env = TestEnv::initialized();
    let out = env.llmops(&["run", "capital", "--var", "country=Chile"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 3
        --- stdout
        --- stderr
        error: model file `.llmops/models/SmolLM2-135M-Instruct.Q4_1.gguf` is missing
        hint: run `llmops model pull smollm2`
        ");
}

#[test]
fn a_file_that_does_not_match_its_pin_is_never_loaded() {
    let env = TestEnv::initialized();
    env.write(".llmops/models/SmolLM2-135M-Instruct.Q4_1.gguf", "not the model\n");
    let out = env.llmops(&["run", "capital", "--var", "country=Chile"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 3
        --- stdout
        --- stderr
        error: model file `.llmops/models/SmolLM2-135M-Instruct.Q4_1.gguf` does not match its sha256 pin: expected b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53, found aa3461f05d5697062bc2e96ee0a04bc0fee9295d30c1dc5f3db46e9b848d70ee
        hint: the file is corrupt or another model: delete it and run `llmops model pull NAME`, or fix `sha256` in `.llmops/config.yaml`
        ");
}

#[test]
fn truncated_and_foreign_files_are_refused_with_a_reason() {
    let env = TestEnv::initialized();
    let model = std::fs::read(model_path()).unwrap();
    let truncated = &model[..4096];
    let digest = sha256(truncated);
    env.write(".llmops/config.yaml", &model_config("cut.gguf", &format!("  zip:\n    path: .llmops/models/zip.gguf\n    sha256: {}\n", sha256(b"PK\x03\x04zip"))).replace(common::MODEL_SHA256, &digest));
    std::fs::create_dir_all(env.root().join(".llmops/models")).unwrap();
    std::fs::write(env.root().join(".llmops/models/cut.gguf"), truncated).unwrap();
    std::fs::write(env.root().join(".llmops/models/zip.gguf"), b"PK\x03\x04zip").unwrap();
    let out = env.llmops(&["run", "capital", "--var", "country=Chile"]);
    assert_snapshot!(out.snapshot(), @r"
        exit: 3
        --- stdout
        --- stderr
        error: `[ROOT]/.llmops/models/cut.gguf` is not a usable GGUF file: the file ends inside its header: it is truncated
        hint: delete the file and run `llmops model pull NAME`
        ");
    let out = env.llmops(&["run", "capital", "--var", "country=Chile", "--model", "zip"]);
    assert_snapshot!(out.snapshot(), @r#"
        exit: 3
        --- stdout
        --- stderr
        error: `[ROOT]/.llmops/models/zip.gguf` is not a usable GGUF file: not a GGUF file (it starts with "PK\u{3}\u{4}", not "GGUF")
        hint: delete the file and run `llmops model pull NAME`
        "#);
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_prompt_longer_than_the_context_is_a_clear_error() {
    let env = TestEnv::with_model();
    env.write(".llmops/config.yaml", &model_config(common::TEST_MODEL_FILE, "").replace("context: 2048", "context: 64"));
    let long = "word ".repeat(200);
    let out = env.llmops(&["run", "capital", "--var", &format!("country={long}")]);
    assert_eq!(out.code, 3, "{}", out.snapshot());
    assert_snapshot!(out.stderr.lines().filter(|l| !l.contains("tokens")).collect::<Vec<_>>().join("\n"), @r"
        hint: raise `context` of the model in `.llmops/config.yaml` or shorten the prompt
        ");
    assert!(out.stderr.contains("more than the context of 64"), "{}", out.stderr);
}

#[test]
fn model_pull_downloads_verifies_and_resumes() {
    let body: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let digest = sha256(&body);
    let served = body.clone();
    let server = serve(move |req| {
        let start = req
            .header("range")
            .and_then(|r| r.strip_prefix("bytes=")?.strip_suffix('-')?.parse::<usize>().ok());
        match start {
            Some(s) => Reply { status: 206, headers: vec![], body: served[s..].to_vec() },
            None => Reply { status: 200, headers: vec![], body: served.clone() },
        }
    });
    let env = TestEnv::initialized();
    let extra = format!("  dl:\n    path: .llmops/models/dl.gguf\n    sha256: {digest}\n    source: {}/files/dl.gguf\n", server.url);
    env.write(".llmops/config.yaml", &model_config("unused.gguf", &extra));
    // A partial file from an earlier, interrupted pull is resumed.
    env.write(".llmops/models/dl.gguf.partial", &String::from_utf8_lossy(&body[..1000]));
    std::fs::write(env.root().join(".llmops/models/dl.gguf.partial"), &body[..1000]).unwrap();
    let out = env.llmops(&["model", "pull", "dl"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert_eq!(std::fs::read(env.root().join(".llmops/models/dl.gguf")).unwrap(), body);
    assert!(!env.root().join(".llmops/models/dl.gguf.partial").exists());
    assert_eq!(server.received.lock().unwrap()[0].header("range"), Some("bytes=1000-"));
    // A source that serves the wrong bytes leaves nothing behind.
    let wrong = format!("  bad:\n    path: .llmops/models/bad.gguf\n    sha256: {}\n    source: {}/files/bad.gguf\n", "0".repeat(64), server.url);
    env.write(".llmops/config.yaml", &model_config("unused.gguf", &wrong));
    let out = env.llmops(&["model", "pull", "bad"]);
    assert_eq!(out.code, 3, "{}", out.snapshot());
    assert!(out.stderr.contains("does not match the sha256 pin"), "{}", out.stderr);
    let left: Vec<_> = std::fs::read_dir(env.root().join(".llmops/models")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("dl.gguf")]);
}

fn endpoint_env(url: &str, key_env: bool) -> TestEnv {
    let env = TestEnv::initialized();
    let key = if key_env { "    api_key_env: TEST_KEY\n" } else { "" };
    let extra = format!("  remote:\n    base_url: {url}/v1\n    model: served-model\n    timeout_s: 5\n{key}");
    env.write(".llmops/config.yaml", &model_config("unused.gguf", &extra));
    env
}

fn chat_reply(text: &str) -> Reply {
    Reply::json(200, json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": "served-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 21, "completion_tokens": 3, "total_tokens": 24}
    }))
}

#[test]
fn the_openai_client_speaks_the_wire_format_and_retries() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = calls.clone();
    let server = serve(move |_| {
        if counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            let mut r = Reply::json(429, json!({"error": {"message": "slow down", "type": "rate_limit"}}));
            r.headers.push(("Retry-After".into(), "0".into()));
            r
        } else {
            chat_reply("Santiago")
        }
    });
    let env = endpoint_env(&server.url, false);
    let out = run_json(&env, &["capital", "--var", "country=Chile", "--model", "remote"]);
    assert_eq!(out["text"], "Santiago");
    assert_eq!(out["usage"]["input_tokens"], 21);
    let received = server.received.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "one 429, then a retry");
    assert_eq!(received[1].method, "POST");
    assert_eq!(received[1].path, "/v1/chat/completions");
    let body = received[1].json();
    assert_eq!(body["model"], "served-model");
    assert_eq!(body["messages"][1]["content"], "What is the capital of Chile?");
    assert_eq!(body["temperature"], 0.0);
    assert_eq!(body["max_tokens"], 24);
}

#[test]
fn endpoint_errors_are_clear() {
    let server = serve(|req| match req.header("authorization") {
        Some("Bearer good") if req.json()["messages"][1]["content"].as_str().unwrap().contains("Chile") => {
            Reply::json(404, json!({"error": {"message": "The model `served-model` does not exist", "type": "invalid_request_error"}}))
        }
        Some("Bearer good") => Reply { status: 200, headers: vec![], body: b"{not json".to_vec() },
        _ => Reply::json(401, json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})),
    });
    let env = endpoint_env(&server.url, true);
    let url = server.url.clone();
    let run = |key: Option<&str>, country: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_llmops"));
        cmd.env_clear().env("PATH", std::env::var_os("PATH").unwrap()).env("NO_COLOR", "1").current_dir(env.root());
        if let Some(k) = key {
            cmd.env("TEST_KEY", k);
        }
        cmd.args(["run", "capital", "--model", "remote", "--no-cache", "--var", &format!("country={country}")]);
        let out = cmd.output().unwrap();
        (out.status.code().unwrap(), String::from_utf8_lossy(&out.stderr).replace(&url, "[URL]"))
    };
    let (code, stderr) = run(None, "Chile");
    assert_eq!(code, 3);
    assert_snapshot!(stderr, @r"
        error: model `remote` takes its API key from `$TEST_KEY`, which is not set
        hint: export TEST_KEY=...
        ");
    let (code, stderr) = run(Some("bad"), "Chile");
    assert_eq!(code, 3);
    assert_snapshot!(stderr, @r"
        error: endpoint `[URL]/v1/chat/completions`: HTTP 401, not authorised: Incorrect API key provided (check the key in `TEST_KEY`)
        ");
    let (code, stderr) = run(Some("good"), "Chile");
    assert_eq!(code, 3);
    assert_snapshot!(stderr, @r"
        error: endpoint `[URL]/v1/chat/completions`: HTTP 404, not found: The model `served-model` does not exist (check `base_url` and that the endpoint serves model `served-model`)
        ");
    let (code, stderr) = run(Some("good"), "Peru");
    assert_eq!(code, 3);
    assert_snapshot!(stderr, @r"
        error: endpoint `[URL]/v1/chat/completions`: malformed reply (key must be a string at line 1 column 2): {not json
        ");
}

#[test]
fn an_unreachable_endpoint_is_a_provider_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let env = endpoint_env(&url, false);
    let out = env.llmops(&["run", "capital", "--var", "country=Chile", "--model", "remote"]);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("cannot connect (is the server running?)"), "{}", out.stderr);
}

#[test]
fn bench_reports_every_figure_and_checks_the_anchor_tools_first() {
    let env = TestEnv::with_model();
    let out = env.llmops(&["bench", "--json", "--requests", "2", "--new-tokens", "4", "--parallel", "2"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let r: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((r["requests"].as_u64(), r["new_tokens"].as_u64(), r["parallel"].as_u64()), (Some(2), Some(4), Some(2)));
    for (group, figure) in [
        ("single", "decode_tokens_per_s"),
        ("sequential", "seconds"),
        ("batched", "total_tokens_per_s"),
        ("throughput_mode", "batched_seconds"),
        ("shared_prefix", "without_reuse_seconds"),
        ("shared_prefix", "with_reuse_seconds"),
    ] {
        let v = r[group][figure].as_f64().unwrap_or(f64::NAN);
        assert!(v.is_finite() && v > 0.0, "{group}.{figure} = {}", r[group][figure]);
    }
    // The shared prefix is the 40-rule style guide: far longer than the question.
    assert!(r["shared_prefix"]["prompt_tokens_per_request"].as_u64().unwrap() > 200, "{}", r["shared_prefix"]);
    assert!(r["llama_cpp"].is_null());

    // A wrong tool directory is refused before anything is measured.
    let out = env.llmops(&["bench", "--vs-llama-cpp", "no-such-dir"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("cannot run `no-such-dir/llama-bench`"), "{}", out.stderr);
    assert!(out.stderr.contains("scripts/build-llama-tools.sh"), "{}", out.stderr);
    assert!(!out.stderr.contains("single sequence"), "it measured first: {}", out.stderr);
}

#[test]
fn gpu_settings_load_and_a_build_without_a_gpu_backend_answers_on_the_cpu_alike() {
    let env = TestEnv::with_model();
    let cpu = run_json(&env, &["capital", "--var", "country=France", "--no-cache"]);
    // Offload every layer: a build with a GPU backend puts them there; this one (the default,
    // CPU only, as `llmops version` says) has nowhere to put them and answers as before.
    let config = env.read(".llmops/config.yaml");
    env.write(".llmops/config.yaml", &config.replace("    context: 2048\n", "    context: 2048\n    gpu_layers: 999\n    main_gpu: 0\n    split_mode: layer\n"));
    let version: Value = serde_json::from_str(&env.llmops(&["version", "--json"]).stdout).unwrap();
    let offloaded = run_json(&env, &["capital", "--var", "country=France", "--no-cache"]);
    if version["gpu_backends"].as_array().unwrap().is_empty() {
        assert_eq!(offloaded["text"], cpu["text"]);
    }
    // Offloading is pinned: a run on the GPU never vouches for the CPU, nor the reverse.
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    let pin: Value = serde_yaml_ng::from_str(&env.git(&["show", "refs/llmops/runs/capital:run.yaml"])).unwrap();
    assert_eq!(pin["model"]["id"], format!("sha256:{}#gpu_layers=999#main_gpu=0#split_mode=layer", common::MODEL_SHA256));
    assert!(version["devices"].as_array().unwrap().iter().any(|d| d["kind"] == "cpu"), "{version}");
    // GPU settings are for local models; a wrong split mode is refused at its line.
    env.write(".llmops/config.yaml", &format!("{config}  remote:\n    base_url: http://localhost:9/v1\n    model: m\n    gpu_layers: 10\n"));
    let out = env.llmops(&["validate"]);
    assert!(out.code == 2 && out.stderr.contains("`gpu_layers` applies to local models"), "{}", out.snapshot());
    env.write(".llmops/config.yaml", &config.replace("    context: 2048\n", "    context: 2048\n    split_mode: diagonal\n"));
    let out = env.llmops(&["validate"]);
    assert!(out.code == 2 && out.stderr.contains("split_mode"), "{}", out.snapshot());
}
