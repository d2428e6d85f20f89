//! Tracing: every eval keeps its OpenTelemetry GenAI spans in the run's `traces.jsonl`, can send
//! them to an OTLP collector, and never fails because a collector is down or slow.

mod common;

use common::TestEnv;
use common::http::{Reply, serve};
use insta::assert_snapshot;
use serde_json::Value;

fn traces(env: &TestEnv) -> Vec<Value> {
    traces_of(env, "capital")
}

fn traces_of(env: &TestEnv, eval: &str) -> Vec<Value> {
    common::trace_spans(&env.git(&["show", &format!("refs/llmops/runs/{eval}:traces.jsonl")]))
}

/// An OTLP/HTTP collector that answers 200 and keeps what it gets.
fn collector() -> common::http::Server {
    serve(|_| Reply { status: 200, headers: vec![("Content-Type".into(), "application/x-protobuf".into())], body: Vec::new() })
}

/// Every span the collector received: (name, span id, parent span id) in hex.
fn received_spans(collector: &common::http::Server) -> Vec<(String, String, String)> {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    use prost::Message;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let mut out = Vec::new();
    for r in collector.received.lock().unwrap().iter() {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1/traces"));
        assert_eq!(r.header("content-type"), Some("application/x-protobuf"));
        let request = ExportTraceServiceRequest::decode(r.body.as_slice()).expect("OTLP protobuf");
        for rs in &request.resource_spans {
            for ss in &rs.scope_spans {
                out.extend(ss.spans.iter().map(|s| (s.name.clone(), hex(&s.span_id), hex(&s.parent_span_id))));
            }
        }
    }
    out
}

fn attr<'a>(span: &'a Value, key: &str) -> Option<&'a Value> {
    span["attributes"].as_array().unwrap().iter().find(|a| a["key"] == key).map(|a| &a["value"])
}

fn string(span: &Value, key: &str) -> String {
    attr(span, key).and_then(|v| v["stringValue"].as_str()).unwrap_or_else(|| panic!("no string `{key}` in {span}")).to_owned()
}

fn int(span: &Value, key: &str) -> i64 {
    attr(span, key).and_then(|v| v["intValue"].as_str()).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no int `{key}` in {span}"))
}

#[test]
fn an_eval_keeps_genai_spans_parented_under_samples_with_evaluation_events() {
    let env = TestEnv::with_model();
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let traceparent = format!("00-{trace_id}-00f067aa0ba902b7-01");
    let out = env.llmops_with(env.root(), &[("TRACEPARENT", &traceparent)], &["eval", "capital", "--no-cache"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let spans = traces(&env);
    let named = |prefix: &str| spans.iter().filter(|s| s["name"].as_str().unwrap().starts_with(prefix)).collect::<Vec<_>>();
    let roots = named("eval capital");
    assert_eq!(roots.len(), 1);
    let root = roots[0];
    // A child of the caller's trace.
    assert_eq!(root["traceId"], trace_id);
    assert_eq!(root["parentSpanId"], "00f067aa0ba902b7");
    assert_eq!(string(root, "llmops.prompt.version"), env.git(&["hash-object", "prompts/capital.yaml"]).trim());
    assert_eq!(string(root, "llmops.dataset.name"), "capitals");
    let samples = named("sample ");
    let chats = named("chat ");
    assert_eq!((samples.len(), chats.len(), spans.len()), (5, 5, 11), "one sample and one inference span per row");
    for sample in &samples {
        assert_eq!(sample["parentSpanId"], root["spanId"]);
        assert_eq!(sample["traceId"], trace_id);
        let events = sample["events"].as_array().unwrap();
        let mut names: Vec<&str> = events.iter().map(|e| {
            assert_eq!(e["name"], "gen_ai.evaluation.result");
            let label = attr(e, "gen_ai.evaluation.score.label").unwrap()["stringValue"].as_str().unwrap();
            assert!(["pass", "fail"].contains(&label), "{label}");
            assert!(attr(e, "gen_ai.evaluation.score.value").unwrap()["doubleValue"].is_number());
            assert!(attr(e, "gen_ai.evaluation.explanation").is_some());
            attr(e, "gen_ai.evaluation.name").unwrap()["stringValue"].as_str().unwrap()
        }).collect();
        names.sort();
        assert_eq!(names, ["brief", "correct"]);
    }
    for chat in &chats {
        assert_eq!(chat["name"], "chat smollm2");
        assert_eq!(chat["kind"], 1, "INTERNAL: the model runs in-process");
        let parent = samples.iter().find(|s| s["spanId"] == chat["parentSpanId"]).expect("parented under a sample span");
        assert_eq!(string(chat, "gen_ai.operation.name"), "chat");
        // OpenInference's kinds beside the GenAI attributes, for Phoenix.
        assert_eq!(string(chat, "openinference.span.kind"), "LLM");
        assert_eq!(string(parent, "openinference.span.kind"), "CHAIN");
        assert_eq!(string(root, "openinference.span.kind"), "EVALUATOR");
        assert_eq!(string(chat, "gen_ai.provider.name"), "llama.cpp");
        assert_eq!(string(chat, "gen_ai.request.model"), "smollm2");
        assert_eq!(int(chat, "gen_ai.request.max_tokens"), 24);
        assert_eq!(attr(chat, "gen_ai.request.temperature").unwrap()["doubleValue"], 0.0);
        let reasons = &attr(chat, "gen_ai.response.finish_reasons").unwrap()["arrayValue"]["values"][0]["stringValue"];
        assert!(reasons == "stop" || reasons == "length", "{reasons}");
        assert!(int(chat, "gen_ai.usage.input_tokens") > 10);
        assert!(int(chat, "gen_ai.usage.output_tokens") > 0);
        assert!(attr(chat, "llmops.response.time_to_first_token").unwrap()["doubleValue"].as_f64().unwrap() > 0.0);
        let input: Value = serde_json::from_str(&string(chat, "gen_ai.input.messages")).unwrap();
        let country = string(parent, "llmops.sample.id");
        assert!(input[1]["parts"][0]["content"].as_str().unwrap().to_lowercase().contains(&country), "{input}");
        assert!(string(chat, "gen_ai.output.messages").contains("\"role\":\"assistant\""));
    }

    // Content stays out when asked.
    let out = env.llmops(&["eval", "capital", "--no-cache", "--no-capture-content"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let spans = traces(&env);
    assert_eq!(spans.len(), 11);
    assert!(spans.iter().all(|s| attr(s, "gen_ai.input.messages").is_none() && attr(s, "gen_ai.output.messages").is_none()));

    // The tree in the terminal.
    let out = env.llmops(&["trace", "show", "capital", "--json"]);
    let shown: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(shown.len(), 11, "--json gives every span");
    let out = env.llmops(&["trace", "show", "capital", "--sample", "france"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    // Durations, and the answer's length (another CPU may word it differently), are redacted.
    let shown = regex::Regex::new(r"\d+\.\d+ m?s").unwrap().replace_all(&out.stdout, "[T]");
    let shown = regex::Regex::new(r"\d+ words|/ \d+ out").unwrap().replace_all(&shown, "[N]");
    assert_snapshot!(shown, @r#"
        sample france  [T]  score 1.00 pass
        │  · brief 1.00 pass  [N], wanted <= 8
        │  · correct 1.00 pass  output contains "Paris" (any case)
        └─ chat smollm2  [T]  tokens 36 in [N]  first token [T]
        "#);
}

#[test]
fn otlp_export_delivers_every_span_to_a_collector() {
    let env = TestEnv::with_model();
    let collector = collector();
    let out = env.llmops_with(env.root(), &[("OTEL_EXPORTER_OTLP_ENDPOINT", &collector.url)], &["eval", "capital", "--no-cache", "--trace", "otlp"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    let received = received_spans(&collector);
    let local = traces(&env);
    assert_eq!(received.len(), local.len(), "every span of traces.jsonl reached the collector");
    assert_eq!(received.iter().filter(|(n, _, _)| n.starts_with("chat ")).count(), 5);

    // `llmops run`: a root span and its inference span.
    let collector = self::collector();
    let out = env.llmops_with(env.root(), &[("OTEL_EXPORTER_OTLP_ENDPOINT", &collector.url)], &["run", "capital", "--row", "france", "--no-cache", "--trace", "otlp"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let spans = received_spans(&collector);
    let names: Vec<&str> = spans.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["chat smollm2", "run capital"]);
    assert_eq!(spans[0].2, spans[1].1, "the inference span is the run span's child");
}

#[test]
fn command_graders_and_embedding_graders_get_their_own_spans() {
    let env = TestEnv::with_model();
    env.write(
        "evals/tools.yaml",
        "prompt: capital\ndataset: capitals\nallow_exec: true\ngraders:\n  - name: correct\n    type: icontains\n    value: \"{{ expected }}\"\n  - name: script\n    type: command\n    command: [sh, -c, 'echo \"{\\\"score\\\": 1}\"']\n    weight: 0\n  - name: similar\n    type: embedding-similarity\n    value: \"{{ expected }}\"\n    weight: 0\n",
    );
    let out = env.llmops(&["eval", "tools", "--no-cache", "--allow-exec"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let spans = traces_of(&env, "tools");
    let root = spans.iter().find(|s| s["name"] == "eval tools").unwrap();
    let samples: Vec<&Value> = spans.iter().filter(|s| s["name"].as_str().unwrap().starts_with("sample ")).collect();
    let tools: Vec<&Value> = spans.iter().filter(|s| s["name"] == "execute_tool script").collect();
    assert_eq!(tools.len(), 5, "one per sample");
    for t in &tools {
        assert_eq!(string(t, "gen_ai.operation.name"), "execute_tool");
        assert_eq!(string(t, "gen_ai.tool.name"), "script");
        assert_eq!(string(t, "openinference.span.kind"), "TOOL");
        assert!(samples.iter().any(|s| s["spanId"] == t["parentSpanId"]), "under its sample");
        assert!(t.get("status").is_none(), "{t}");
    }
    let embeddings: Vec<&Value> = spans.iter().filter(|s| s["name"] == "embeddings smollm2").collect();
    assert_eq!(embeddings.len(), 1, "one batch of 5 samples");
    assert_eq!(string(embeddings[0], "gen_ai.operation.name"), "embeddings");
    assert_eq!(string(embeddings[0], "openinference.span.kind"), "EMBEDDING");
    assert_eq!(embeddings[0]["parentSpanId"], root["spanId"]);
    let events = samples[0]["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "correct, script and similar");
}

#[test]
fn a_collector_that_is_down_or_slow_never_fails_or_stalls_the_eval() {
    let env = TestEnv::with_model();
    // Down: nothing listens on the port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = env.llmops_with(env.root(), &[("OTEL_EXPORTER_OTLP_ENDPOINT", &url)], &["eval", "capital", "--no-cache"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert_eq!(out.stderr.matches("warning: OTLP export failed").count(), 1, "{}", out.stderr);
    assert_eq!(traces(&env).len(), 11, "traces.jsonl is complete");

    // Slow: accepts and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let held = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = held.clone();
    std::thread::spawn(move || {
        for s in silent.incoming().flatten() {
            keep.lock().unwrap().push(s);
        }
    });
    let started = std::time::Instant::now();
    let out = env.llmops_with(env.root(), &[("OTEL_EXPORTER_OTLP_ENDPOINT", &url), ("OTEL_EXPORTER_OTLP_TIMEOUT", "1000")], &["eval", "capital", "--no-cache"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "took {:?}", started.elapsed());
    assert_eq!(out.stderr.matches("warning: OTLP export failed").count(), 1, "{}", out.stderr);
    assert_eq!(traces(&env).len(), 11);
}

#[test]
fn every_command_is_a_span_in_the_callers_trace_and_stdout_shows_spans() {
    let env = TestEnv::initialized();
    let collector = collector();
    let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    let out = env.llmops_with(
        env.root(),
        &[("OTEL_EXPORTER_OTLP_ENDPOINT", &collector.url), ("TRACEPARENT", traceparent)],
        &["gate", "--json"],
    );
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let spans = received_spans(&collector);
    assert_eq!(spans.len(), 1);
    assert_eq!((spans[0].0.as_str(), spans[0].2.as_str()), ("llmops gate", "b7ad6b7169203331"), "a child of the CI step's span");

    let out = env.llmops(&["validate", "--trace", "stdout"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stdout.contains("Name         : llmops validate"), "{}", out.stdout);
    assert!(out.stdout.contains("llmops.command: String(Static(\"validate\"))"), "{}", out.stdout);
}

#[test]
fn an_endpoint_model_gets_client_spans() {
    let server = serve(|_| {
        Reply::json(200, serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion", "model": "served-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 21, "completion_tokens": 3, "total_tokens": 24}
        }))
    });
    let env = TestEnv::initialized();
    let extra = format!("  remote:\n    base_url: {}/v1\n    model: served-model\n    timeout_s: 5\n", server.url);
    env.write(".llmops/config.yaml", &common::model_config("unused.gguf", &extra));
    let out = env.llmops(&["eval", "capital", "--model", "remote", "--no-cache"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let chats: Vec<Value> = traces(&env).into_iter().filter(|s| s["name"].as_str().unwrap().starts_with("chat ")).collect();
    assert_eq!(chats.len(), 5);
    for chat in &chats {
        assert_eq!(chat["name"], "chat served-model");
        assert_eq!(chat["kind"], 3, "CLIENT: the model is behind HTTP");
        assert_eq!(string(chat, "gen_ai.provider.name"), "openai");
        assert_eq!(int(chat, "gen_ai.usage.input_tokens"), 21);
    }
}

#[test]
fn a_recorded_run_is_replayed_to_a_collector_with_its_ids_and_times() {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    let env = TestEnv::with_model();
    let out = env.llmops(&["eval", "capital", "--no-cache"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    // Every line of traces.jsonl is an ExportTraceServiceRequest the proto types read.
    let local = traces(&env);
    assert_eq!(local.len(), 11);
    let collector = collector();
    // The collector's key from the environment, as OpenTelemetry's exporters read it.
    let vars = [("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr%3Dt,x-tenant=team-a")];
    let out = env.llmops_with(env.root(), &vars, &["trace", "export", "capital", "--endpoint", &collector.url, "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(!out.stdout.contains("s3cr") && !out.stderr.contains("s3cr"), "{}", out.snapshot());
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["spans"], 11);
    let mut received = Vec::new();
    for r in collector.received.lock().unwrap().iter() {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1/traces"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!((r.header("api-key"), r.header("x-tenant")), (Some("s3cr=t"), Some("team-a")));
        let request: ExportTraceServiceRequest = serde_json::from_slice(&r.body).expect("OTLP/JSON");
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        for rs in &request.resource_spans {
            for ss in &rs.scope_spans {
                received.extend(ss.spans.iter().map(|s| (hex(&s.trace_id), hex(&s.span_id), hex(&s.parent_span_id), s.name.clone(), s.start_time_unix_nano, s.end_time_unix_nano)));
            }
        }
    }
    let mut wanted: Vec<_> = local
        .iter()
        .map(|s| {
            let nanos = |k: &str| s[k].as_str().unwrap().parse::<u64>().unwrap();
            (s["traceId"].as_str().unwrap().to_owned(), s["spanId"].as_str().unwrap().to_owned(), s["parentSpanId"].as_str().unwrap_or_default().to_owned(), s["name"].as_str().unwrap().to_owned(), nanos("startTimeUnixNano"), nanos("endTimeUnixNano"))
        })
        .collect();
    received.sort();
    wanted.sort();
    assert_eq!(received, wanted, "every span, with its ids and times");
    // `--header` replaces the environment's; a header that cannot be sent is refused without
    // quoting its value.
    let before = collector.received.lock().unwrap().len();
    let out = env.llmops_with(env.root(), &vars, &["trace", "export", "capital", "--endpoint", &collector.url, "--header", "Authorization: Bearer tok"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let last = collector.received.lock().unwrap().last().map(|r| (r.header("authorization").map(str::to_owned), r.header("api-key").map(str::to_owned))).unwrap();
    assert_eq!(last, (Some("Bearer tok".to_owned()), None));
    assert_eq!(collector.received.lock().unwrap().len(), before + 1);
    // Written wrong: the error says which pair, and quotes nothing of it.
    for bad in ["api-key=abc%zz", "Authorization: Bearer abc", "api-key=ab,c"] {
        let out = env.llmops_with(env.root(), &[("OTEL_EXPORTER_OTLP_HEADERS", bad)], &["trace", "export", "capital", "--endpoint", &collector.url]);
        assert!(out.code == 2 && out.stderr.contains("OTEL_EXPORTER_OTLP_HEADERS, pair ") && !out.stderr.contains("abc") && !out.stderr.contains("Bearer"), "{bad}: {}", out.snapshot());
    }
    // A collector that refuses the key and echoes it back: the key is not printed.
    let echo = serve(|r| Reply { status: 401, headers: vec![], body: format!("bad key {}", r.header("api-key").unwrap_or_default()).into_bytes() });
    let out = env.llmops_with(env.root(), &vars, &["trace", "export", "capital", "--endpoint", &echo.url]);
    assert!(out.code == 3 && out.stderr.contains("HTTP 401") && out.stderr.contains("bad key (hidden)") && !out.stderr.contains("s3cr"), "{}", out.snapshot());
    // No collector named: a usage error that says how to name one.
    let out = env.llmops(&["trace", "export", "capital"]);
    assert!(out.code == 2 && out.stderr.contains("--endpoint"), "{}", out.snapshot());
}
