//! The response cache on the path of a fully cached re-run: 1,000 requests, each keyed
//! (sha256 over the canonical request) and read back. Target: under 0.5 s in all.
//!
//! Run: `cargo bench --bench cache`.

use std::time::Instant;

use llmops::engine::cache::{Purpose, ResponseCache};
use llmops::engine::{ChatRequest, Completion, FinishReason, ModelIdentity, Timings, Usage};
use llmops::spec::prompt::Params;
use llmops::template::RenderedMessage;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let cache = ResponseCache::open(dir.path());
    let model = ModelIdentity { name: "m".into(), provider: "llama.cpp".into(), id: "sha256:00".into() };
    let requests: Vec<ChatRequest> = (0..1000)
        .map(|i| {
            ChatRequest::new(
                vec![
                    RenderedMessage { role: "system".into(), content: "You are a support agent. ".repeat(20) },
                    RenderedMessage { role: "user".into(), content: format!("Question number {i}: where is my order?") },
                ],
                Params { max_tokens: Some(64), ..Default::default() },
            )
        })
        .collect();
    for r in &requests {
        let key = ResponseCache::key(Purpose::Generate, &model, r);
        let c = Completion {
            text: "Your order is on its way and should arrive within three days.".into(),
            finish_reason: FinishReason::Stop,
            usage: Usage { input_tokens: 120, output_tokens: 14 },
            timings: Timings::default(),
            cached: false,
            choice_probs: None,
        };
        cache.put(&key, &c).unwrap();
    }
    let start = Instant::now();
    let mut hits = 0;
    for r in &requests {
        let key = ResponseCache::key(Purpose::Generate, &model, r);
        hits += usize::from(cache.get(&key).is_some());
    }
    let elapsed = start.elapsed();
    assert_eq!(hits, 1000);
    println!("1000 cached requests keyed and read in {:.1} ms (target < 500 ms)", elapsed.as_secs_f64() * 1000.0);
}
