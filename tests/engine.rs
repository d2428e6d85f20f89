//! The local engine through the library: batching, prefix sharing and embeddings on the
//! real test model.

mod common;

use llmops::engine::local::{LocalConfig, LocalEngine};
use llmops::engine::{ChatRequest, ModelIdentity, Provider};
use llmops::spec::prompt::Params;
use llmops::template::RenderedMessage;

fn engine(parallel: u32, prefix_reuse: bool) -> LocalEngine {
    let identity = ModelIdentity { name: "smollm2".into(), provider: "llama.cpp".into(), id: "sha256:test".into() };
    let config = LocalConfig {
        path: common::model_path(),
        context: 1024,
        threads: 1,
        parallel,
        batch: 512,
        prefix_reuse,
        verbose: false,
        deterministic: true,
        gpu_layers: 0,
        main_gpu: 0,
        split_mode: llmops::spec::config::SplitMode::Layer,
    };
    LocalEngine::start(identity, config).unwrap()
}

fn ask(system: &str, question: &str) -> ChatRequest {
    ChatRequest::new(
        vec![
            RenderedMessage { role: "system".into(), content: system.into() },
            RenderedMessage { role: "user".into(), content: question.into() },
        ],
        Params { max_tokens: Some(12), ..Default::default() },
    )
}

#[test]
fn batched_and_prefix_shared_generation_matches_one_by_one() {
    let system = "You are a geography expert. Answer with the name of the city only. Be brief and exact.";
    let countries = ["France", "Japan", "Italy", "Egypt", "Germany", "Spain", "Kenya", "Peru", "Chile", "Greece"];
    let requests: Vec<ChatRequest> =
        countries.iter().map(|c| ask(system, &format!("What is the capital of {c}?"))).collect();
    let sequential: Vec<String> = {
        let e = engine(1, false);
        requests.iter().map(|r| e.generate(std::slice::from_ref(r), &mut |_| {}).pop().unwrap().unwrap().text).collect()
    };
    let batched: Vec<String> = engine(4, true)
        .generate(&requests, &mut |_| {})
        .into_iter()
        .map(|r| r.unwrap().text)
        .collect();
    assert_eq!(batched, sequential);
    assert!(sequential[0].contains("Paris"), "{sequential:?}");
}

#[test]
fn jobs_from_other_threads_join_the_running_batch_and_answer_as_alone() {
    let e = engine(2, true);
    let mut long = ask("You are a storyteller.", "Tell a long story about the sea.");
    long.params.max_tokens = Some(200);
    long.ignore_eos = true;
    let short = ask("You are a geography expert. Answer with the name of the city only.", "What is the capital of Japan?");
    let alone = e.generate(std::slice::from_ref(&short), &mut |_| {}).pop().unwrap().unwrap().text;
    let (long_done, short_done, joined) = std::thread::scope(|scope| {
        let started = std::sync::mpsc::channel();
        let long_thread = scope.spawn(|| {
            let tx = started.0;
            let mut first = true;
            e.generate(std::slice::from_ref(&long), &mut |event| {
                if first && matches!(event, llmops::engine::Event::Token { .. }) {
                    first = false;
                    let _ = tx.send(());
                }
            });
            std::time::Instant::now()
        });
        started.1.recv().unwrap();
        // The long job is generating: the short one, from this thread, joins its batch.
        let joined = e.generate(std::slice::from_ref(&short), &mut |_| {}).pop().unwrap().unwrap().text;
        let short_done = std::time::Instant::now();
        (long_thread.join().unwrap(), short_done, joined)
    });
    assert!(short_done < long_done, "the short job waited for the 200-token one to finish");
    assert_eq!(joined, alone, "an answer does not depend on what shares its batch");
}

#[test]
fn a_cancelled_job_ends_at_once_and_frees_its_slot() {
    let e = engine(1, true);
    let mut long = ask("You are a storyteller.", "Tell a long story about the sea.");
    long.params.max_tokens = Some(400);
    long.ignore_eos = true;
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tokens = 0;
    let result = e
        .generate_cancellable(std::slice::from_ref(&long), cancel.clone(), &mut |event| {
            if matches!(event, llmops::engine::Event::Token { .. }) {
                tokens += 1;
                if tokens == 5 {
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
        })
        .pop()
        .unwrap();
    assert!(matches!(result, Err(llmops::engine::EngineError::Cancelled)), "{result:?}");
    assert!(tokens < 10, "{tokens} tokens came after the cancel");
    // The one slot serves the next job, reusing what the cancelled one had evaluated, with the
    // answer a fresh engine gives.
    let mut next = long.clone();
    next.params.max_tokens = Some(24);
    next.ignore_eos = false;
    let answer = e.generate(std::slice::from_ref(&next), &mut |_| {}).pop().unwrap().unwrap().text;
    let fresh = engine(1, true).generate(std::slice::from_ref(&next), &mut |_| {}).pop().unwrap().unwrap().text;
    assert_eq!(answer, fresh);
}

#[test]
fn a_bert_embedding_model_embeds_alike_alone_and_in_a_batch_and_ranks_paraphrases_first() {
    let identity = ModelIdentity { name: "minilm".into(), provider: "llama.cpp".into(), id: "sha256:test".into() };
    let config = LocalConfig {
        path: common::embed_model_path(),
        context: 512,
        threads: 1,
        parallel: 1,
        batch: 512,
        prefix_reuse: false,
        verbose: false,
        deterministic: true,
        gpu_layers: 0,
        main_gpu: 0,
        split_mode: llmops::spec::config::SplitMode::Layer,
    };
    let e = LocalEngine::start(identity, config).unwrap();
    let texts: Vec<String> = ["A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby.", "A man is riding a horse."]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let batch = e.embed(&texts).unwrap();
    assert_eq!(batch.len(), 4);
    for v in &batch {
        assert_eq!(v.len(), 384, "all-MiniLM-L6-v2 has 384 dimensions");
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    }
    let cos = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    // The paraphrase is far nearer than either unrelated sentence (mean pooling over a
    // bidirectional encoder; a causal model's mean would not separate them this well).
    let (para, horse, baby) = (cos(&batch[0], &batch[1]), cos(&batch[0], &batch[3]), cos(&batch[0], &batch[2]));
    assert!(para > 0.6 && para > horse + 0.3 && para > baby + 0.3, "{para} {horse} {baby}");
    // A text embeds nearly the same alone as in a batch. (Not bit for bit: embeddings are
    // not batch-invariant, unlike generation; the last bits move with the batch.)
    let alone = e.embed(&texts[1..2]).unwrap().pop().unwrap();
    let drift = alone.iter().zip(&batch[1]).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
    assert!(drift < 1e-5, "{drift}");
}

#[test]
fn embeddings_are_normalised_and_meaningful() {
    let e = engine(1, true);
    let texts: Vec<String> = ["The cat sat on the mat.", "A cat is sitting on a rug.", "Quarterly revenue grew by eight percent."]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let v = e.embed(&texts).unwrap();
    assert_eq!(v.len(), 3);
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    for x in &v {
        assert!((dot(x, x) - 1.0).abs() < 1e-3);
    }
    assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]), "cat/cat {} vs cat/revenue {}", dot(&v[0], &v[1]), dot(&v[0], &v[2]));
}

use common::http;

#[test]
fn the_openai_client_reads_embeddings_in_index_order() {
    use llmops::engine::openai::{OpenAiClient, OpenAiConfig};
    let server = http::serve(|req| {
        assert_eq!(req.path, "/v1/embeddings");
        assert_eq!(req.json()["input"], serde_json::json!(["a", "b"]));
        http::Reply::json(200, serde_json::json!({
            "object": "list",
            "data": [
                {"object": "embedding", "index": 1, "embedding": [0.0, 2.0]},
                {"object": "embedding", "index": 0, "embedding": [3.0, 4.0]}
            ],
            "model": "e", "usage": {"prompt_tokens": 2, "total_tokens": 2}
        }))
    });
    let identity = ModelIdentity { name: "e".into(), provider: "openai".into(), id: "x".into() };
    let client = OpenAiClient::new(
        identity,
        OpenAiConfig {
            endpoints: vec![llmops::engine::openai::EndpointConfig { base_url: format!("{}/v1", server.url), weight: 1.0, concurrency: 1 }],
            model: "e".into(),
            api_key: None,
            api_key_env: None,
            timeout: std::time::Duration::from_secs(5),
            max_retries: 0,
            check_models: false,
        },
    )
    .unwrap();
    let v = client.embed(&["a".to_owned(), "b".to_owned()]).unwrap();
    assert_eq!(v, vec![vec![0.6, 0.8], vec![0.0, 1.0]]);
}

/// A grammar under greedy decoding is checked lazily (the best token first); the answers are
/// those of the full mask (forced here by a no-op repeat penalty, which takes the chain path),
/// for the tool-call grammar and the answer grammar, batched.
#[test]
fn a_lazily_checked_grammar_gives_the_answers_of_the_full_mask() {
    use llmops::agent::protocol::{self, ToolSyntax, Turn};
    let tools: Vec<llmops::spec::prompt::Tool> = serde_json::from_value(serde_json::json!([
        {"name": "get_weather", "description": "The weather in a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}, "required": ["city"]}},
        {"name": "get_time", "description": "The time in a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
    ]))
    .unwrap();
    let system = format!("You help travellers.\n\n{}", protocol::instructions(&tools));
    let questions = ["What is the weather in Paris?", "What time is it in Lima?", "Is it raining in Oslo tomorrow?", "Tell me a joke about Rome."];
    let e = engine(4, true);
    // Each syntax's grammar, as llama.cpp parses and applies it (the test model's template
    // knows no tools; the grammar alone makes it write each syntax's calls).
    for (syntax, turn) in [
        (ToolSyntax::Generic, Turn::Call(None)),
        (ToolSyntax::Generic, Turn::Either),
        (ToolSyntax::Generic, Turn::Answer),
        (ToolSyntax::Hermes, Turn::Call(None)),
        (ToolSyntax::Llama3, Turn::Call(None)),
        (ToolSyntax::Llama3, Turn::Answer),
    ] {
        // One call at most, so that a call ends within `max_tokens`.
        let grammar = protocol::grammar(&tools, turn, turn == Turn::Either, syntax).unwrap();
        let requests = |penalty: Option<f64>| -> Vec<ChatRequest> {
            questions
                .iter()
                .map(|q| {
                    let mut r = ask(&system, q);
                    r.params.max_tokens = Some(64);
                    r.params.repeat_penalty = penalty;
                    r.grammar = Some(grammar.clone());
                    r.tools = (syntax != ToolSyntax::Generic).then(|| protocol::definitions(&tools));
                    r
                })
                .collect()
        };
        let lazy: Vec<_> = e.generate(&requests(None), &mut |_| {}).into_iter().map(|r| r.unwrap()).collect();
        let masked: Vec<String> = e.generate(&requests(Some(1.0)), &mut |_| {}).into_iter().map(|r| r.unwrap().text).collect();
        let lazy_text: Vec<String> = lazy.iter().map(|c| c.text.clone()).collect();
        assert_eq!(lazy_text, masked, "{syntax:?} {turn:?}");
        if turn == Turn::Call(None) {
            let opening = if syntax == ToolSyntax::Llama3 { "{" } else { "<tool_call>" };
            assert!(lazy_text.iter().all(|t| t.starts_with(opening)), "{lazy_text:?}");
            // A call that ended (not cut by `max_tokens`) parses and matches its schema.
            let ended: Vec<_> = lazy.iter().filter(|c| c.finish_reason == llmops::engine::FinishReason::Stop).collect();
            assert!(!ended.is_empty(), "{lazy_text:?}");
            for c in ended {
                let calls = protocol::parse(&c.text, syntax);
                assert!(!calls.is_empty() && calls.iter().all(|call| protocol::check(call, &tools).is_none()), "{syntax:?}: {}", c.text);
            }
        }
        let lazy = lazy_text;
        if turn == Turn::Answer {
            let barred = if syntax == ToolSyntax::Llama3 { '{' } else { '<' };
            assert!(lazy.iter().all(|t| !t.is_empty() && !t.starts_with(barred)), "{lazy:?}");
        }
    }
}
