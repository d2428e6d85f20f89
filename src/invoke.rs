//! One prompt version answered once, under its own span: `llmops run` per invocation and
//! `llmops serve` per request. The answer streams token by token; a greedy answer can come
//! from (and go to) the response cache.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use opentelemetry::KeyValue;
use opentelemetry::trace::{Span, SpanKind, Status};

use crate::engine::cache::{Purpose, ResponseCache};
use crate::engine::{ChatRequest, Completion, EngineError, Event, Provider};
use crate::spec::prompt::Prompt;
use crate::template::RenderedMessage;
use crate::trace::genai as attr;

/// Sampling settings that replace the prompt's own for one call.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub temperature: Option<f64>,
    pub seed: Option<u64>,
    pub max_tokens: Option<u32>,
}

/// The request for `messages` rendered from `prompt`: its parameters and response format,
/// with `overrides` applied.
pub fn chat_request(prompt: &Prompt, messages: Vec<RenderedMessage>, overrides: &Overrides) -> ChatRequest {
    let mut request = ChatRequest::new(messages, prompt.params.clone());
    request.response_format = prompt.response_format.clone();
    if overrides.temperature.is_some() {
        request.params.temperature = overrides.temperature;
    }
    if overrides.seed.is_some() {
        request.params.seed = overrides.seed;
    }
    if overrides.max_tokens.is_some() {
        request.params.max_tokens = overrides.max_tokens;
    }
    request
}

/// Which prompt version a call answers, for its span.
#[derive(Debug, Clone)]
pub struct Called<'a> {
    /// The span's name, e.g. `run capital`.
    pub span: &'a str,
    /// `Internal` for a command, `Server` for a served request.
    pub kind: SpanKind,
    /// The caller's trace (a `traceparent` header); `None`: `TRACEPARENT`, if set.
    pub parent: Option<opentelemetry::Context>,
    /// The prompt and version, when one was rendered (a raw model call has none).
    pub prompt: Option<(&'a str, &'a str)>,
    /// More attributes for the span.
    pub attributes: Vec<KeyValue>,
}

#[derive(Debug)]
pub struct Answer {
    pub completion: Completion,
    /// The answer is right, but it could not be cached.
    pub cache_error: Option<std::io::Error>,
}

/// Answers `request` on `provider` under a span (a child of the caller's trace) with the
/// inference span beneath it. `on_text` hears each piece of text as it comes (a cached answer
/// in one piece). With a `cache`, an answer found there is returned without generating, and a
/// new one is stored. Setting `cancel` stops the generation (the caller went away).
pub fn answer(
    provider: &dyn Provider,
    cache: Option<&ResponseCache>,
    called: Called<'_>,
    mut request: ChatRequest,
    cancel: Arc<AtomicBool>,
    on_text: &mut dyn FnMut(&str),
) -> Result<Answer, EngineError> {
    let key = cache.map(|_| ResponseCache::key(Purpose::Generate, provider.identity(), &request));
    let cached = cache.zip(key.as_deref()).and_then(|(c, k)| c.get(k));
    let mut attributes = called.attributes;
    if let Some((prompt, blob)) = called.prompt {
        attributes.push(KeyValue::new(attr::PROMPT_NAME, prompt.to_owned()));
        attributes.push(KeyValue::new(attr::PROMPT_VERSION, blob.to_owned()));
    }
    let parent = called.parent.unwrap_or_else(crate::trace::root_context);
    let mut root = crate::trace::start(called.span.to_owned(), called.kind, &parent, attributes);
    request.trace = Some(root.span_context().clone());
    let mut cache_error = None;
    let completion = match cached {
        Some(c) => {
            crate::trace::inference::record_cached(provider.identity(), &request, &c);
            on_text(&c.text);
            c
        }
        None => {
            let mut results = crate::trace::inference::generate_cancellable(provider, std::slice::from_ref(&request), cancel, &mut |event| {
                if let Event::Token { text, .. } = event {
                    on_text(text);
                }
            });
            let completion = results.pop().expect("one result per request").inspect_err(|e| root.set_status(Status::error(e.to_string())))?;
            if let (Some(cache), Some(key)) = (cache, &key) {
                cache_error = cache.put(key, &completion).err();
            }
            completion
        }
    };
    root.end();
    Ok(Answer { completion, cache_error })
}
