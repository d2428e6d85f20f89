//! Endpoint pools: a model served by several OpenAI-compatible endpoints. Requests go to the
//! least-loaded healthy one; an endpoint that refuses connections or answers 5xx is left out a
//! while and its requests go elsewhere; every endpoint must serve the model (`/v1/models`);
//! the run records which endpoints served it. Test servers on loopback answer.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::TestEnv;
use common::http::{Reply, serve};
use serde_json::Value;

/// An endpoint serving `model`: answers every chat with the capital the prompt asks for
/// (Paris whatever the country, good enough to route), after `fail_after` chats answers 500.
fn endpoint(model: &'static str, fail_after: usize) -> (common::http::Server, Arc<AtomicUsize>) {
    let chats = Arc::new(AtomicUsize::new(0));
    let count = chats.clone();
    let server = serve(move |r| {
        if r.path.ends_with("/models") {
            return Reply::json(200, serde_json::json!({"object": "list", "data": [{"id": model, "object": "model"}]}));
        }
        if count.fetch_add(1, Ordering::SeqCst) >= fail_after {
            return Reply::json(500, serde_json::json!({"error": {"message": "the GPU fell over"}}));
        }
        Reply::json(200, serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 21, "completion_tokens": 1, "total_tokens": 22}
        }))
    });
    (server, chats)
}

/// A URL nothing listens on.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

fn pool_config(env: &TestEnv, urls: &[&str]) {
    pool_config_weighted(env, &urls.iter().map(|u| (*u, 1.0)).collect::<Vec<_>>());
}

fn pool_config_weighted(env: &TestEnv, urls: &[(&str, f64)]) {
    let endpoints: String = urls.iter().map(|(u, w)| format!("      - base_url: {u}/v1\n        concurrency: 1\n        weight: {w}\n")).collect();
    let extra = format!("  pool:\n    model: served-model\n    timeout_s: 5\n    endpoints:\n{endpoints}");
    env.write(".llmops/config.yaml", &common::model_config("unused.gguf", &extra));
    env.commit_all("a pool");
}

fn served_by(env: &TestEnv) -> Vec<Value> {
    let yaml: Value = serde_yaml_ng::from_str(&env.git(&["show", "refs/llmops/runs/capital:run.yaml"])).unwrap();
    yaml["served_by"].as_array().cloned().unwrap_or_default()
}

fn samples_with_errors(env: &TestEnv) -> usize {
    env.git(&["show", "refs/llmops/runs/capital:samples.jsonl"]).lines().filter(|l| !serde_json::from_str::<Value>(l).unwrap()["error"].is_null()).count()
}

#[test]
fn a_pool_spreads_requests_over_its_endpoints_and_records_them() {
    let (a, a_chats) = endpoint("served-model", usize::MAX);
    let (b, b_chats) = endpoint("served-model", usize::MAX);
    let env = TestEnv::initialized();
    pool_config(&env, &[&a.url, &b.url]);
    let out = env.llmops(&["eval", "capital", "--model", "pool", "--no-cache", "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let (na, nb) = (a_chats.load(Ordering::SeqCst), b_chats.load(Ordering::SeqCst));
    assert_eq!(na + nb, 5, "one request a row");
    assert!(na >= 1 && nb >= 1, "both endpoints served: {na} and {nb}");
    let used = served_by(&env);
    assert_eq!(used.len(), 2, "{used:?}");
    for (u, (server, n)) in used.iter().zip([(&a, na), (&b, nb)]) {
        assert_eq!(u["base_url"], format!("{}/v1", server.url));
        assert_eq!(u["served"], n as u64);
        assert_eq!(u["failed"], 0);
        assert_eq!(u["serves"], serde_json::json!(["served-model"]), "what /v1/models listed");
        assert_eq!(u["model"], "pool");
    }
    // Every endpoint was asked what it serves.
    assert!(a.received.lock().unwrap().iter().any(|r| r.method == "GET" && r.path == "/v1/models"));
    // The model is pinned by its endpoints, whatever their order.
    let yaml: Value = serde_yaml_ng::from_str(&env.git(&["show", "refs/llmops/runs/capital:run.yaml"])).unwrap();
    let mut urls = [format!("{}/v1", a.url), format!("{}/v1", b.url)];
    urls.sort();
    assert_eq!(yaml["model"]["id"], format!("{}#served-model", urls.join(",")));
}

#[test]
fn a_pool_survives_an_endpoint_that_dies_mid_run_or_was_never_there() {
    // A dies after two answers; the dead URL never answers; B carries the rest of 20 rows.
    let (a, _) = endpoint("served-model", 2);
    let (b, b_chats) = endpoint("served-model", usize::MAX);
    let dead = dead_url();
    let env = TestEnv::initialized();
    let rows: Vec<String> = (0..20).map(|i| serde_json::json!({"id": format!("r{i}"), "vars": {"country": format!("C{i}")}, "expected": "Paris"}).to_string()).collect();
    env.write("datasets/capitals.jsonl", &(rows.join("\n") + "\n"));
    // A is preferred whenever it is free, so it is surely asked again after its two answers.
    pool_config_weighted(&env, &[(&a.url, 10.0), (&dead, 1.0), (&b.url, 1.0)]);
    let out = env.llmops(&["eval", "capital", "--model", "pool", "--no-cache", "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    assert_eq!(samples_with_errors(&env), 0, "nothing lost");
    let used = served_by(&env);
    let find = |url: &str| used.iter().find(|u| u["base_url"] == format!("{url}/v1")).cloned();
    let ua = find(&a.url).expect("A served some");
    assert!(ua["served"].as_u64().unwrap() <= 2 && ua["failed"].as_u64().unwrap() >= 1, "{used:?}");
    let ub = find(&b.url).expect("B served the rest");
    assert_eq!(ua["served"].as_u64().unwrap() + ub["served"].as_u64().unwrap(), 20, "{used:?}");
    assert!(b_chats.load(Ordering::SeqCst) >= 18);
    // The dead endpoint answered nothing; whatever was tried there failed.
    if let Some(d) = find(&dead) {
        assert_eq!(d["served"], 0, "{used:?}");
    }
}

#[test]
fn every_endpoint_of_a_pool_must_serve_the_model_and_bad_pools_are_refused() {
    let (a, _) = endpoint("served-model", usize::MAX);
    let (b, b_chats) = endpoint("another-model", usize::MAX);
    let env = TestEnv::initialized();
    pool_config(&env, &[&a.url, &b.url]);
    let out = env.llmops(&["eval", "capital", "--model", "pool", "--no-cache", "-q"]);
    assert!(out.code >= 2, "{}", out.snapshot());
    assert!(out.stderr.contains("serves `another-model`, not `served-model`") && out.stderr.contains(&b.url), "{}", out.snapshot());
    assert_eq!(b_chats.load(Ordering::SeqCst), 0, "no request went out");
    // No endpoint answers at all.
    pool_config(&env, &[&dead_url(), &dead_url()]);
    let out = env.llmops(&["eval", "capital", "--model", "pool", "--no-cache", "-q"]);
    assert!(out.code >= 2 && out.stderr.contains("no endpoint of the pool answers"), "{}", out.snapshot());
    // A pool written wrong: each problem at its line.
    let extra = format!("  pool:\n    model: m\n    base_url: {0}/v1\n    endpoints:\n      - base_url: {0}/v1\n        weight: 0\n      - base_url: {0}/v1\n", a.url);
    env.write(".llmops/config.yaml", &common::model_config("unused.gguf", &extra));
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    for wanted in ["has both `base_url` and `endpoints`", "`weight` 0 must be above 0", "is in the pool twice"] {
        assert!(out.stderr.contains(wanted), "{wanted}: {}", out.snapshot());
    }
}

#[test]
fn an_endpoint_checked_late_or_answering_404_never_answers_for_the_pool() {
    // A answers slowly enough that the run outlasts B's first time out.
    let a_chats = Arc::new(AtomicUsize::new(0));
    let count = a_chats.clone();
    let a = serve(move |r| {
        if r.path.ends_with("/models") {
            return Reply::json(200, serde_json::json!({"data": [{"id": "served-model"}]}));
        }
        count.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(40));
        Reply::json(200, serde_json::json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 1, "completion_tokens": 1}}))
    });
    // B cannot say what it serves at the start; asked again before its first request, it
    // serves another model: it never gets a chat.
    let b_models = Arc::new(AtomicUsize::new(0));
    let b_chats = Arc::new(AtomicUsize::new(0));
    let (bm, bc) = (b_models.clone(), b_chats.clone());
    let b = serve(move |r| {
        if r.path.ends_with("/models") {
            if bm.fetch_add(1, Ordering::SeqCst) == 0 {
                return Reply::json(500, serde_json::json!({"error": {"message": "starting"}}));
            }
            return Reply::json(200, serde_json::json!({"data": [{"id": "another-model"}]}));
        }
        bc.fetch_add(1, Ordering::SeqCst);
        Reply::json(200, serde_json::json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": "WRONG"}, "finish_reason": "stop"}]}))
    });
    // C lists the model but answers every chat 404 (restarted with another one): in a pool
    // its requests go elsewhere.
    let c = serve(|r| {
        if r.path.ends_with("/models") {
            return Reply::json(200, serde_json::json!({"data": [{"id": "served-model"}]}));
        }
        Reply::json(404, serde_json::json!({"error": {"message": "model not found"}}))
    });
    let env = TestEnv::initialized();
    let rows: Vec<String> = (0..20).map(|i| serde_json::json!({"id": format!("r{i}"), "vars": {"country": format!("C{i}")}, "expected": "Paris"}).to_string()).collect();
    env.write("datasets/capitals.jsonl", &(rows.join("\n") + "\n"));
    pool_config(&env, &[&a.url, &b.url, &c.url]);
    let out = env.llmops(&["eval", "capital", "--model", "pool", "--no-cache", "-q"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    assert_eq!(samples_with_errors(&env), 0, "{}", out.snapshot());
    assert_eq!(a_chats.load(Ordering::SeqCst), 20, "A answered every row");
    assert_eq!(b_chats.load(Ordering::SeqCst), 0, "B serves another model");
    assert!(b_models.load(Ordering::SeqCst) >= 2, "B was asked again before use");
    let used = served_by(&env);
    let c_use = used.iter().find(|u| u["base_url"] == format!("{}/v1", c.url)).expect("C was tried");
    assert_eq!(c_use["served"], 0, "{used:?}");
    assert!(c_use["failed"].as_u64().unwrap() >= 1, "{used:?}");
}
