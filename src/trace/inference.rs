//! Inference spans: `{operation} {model}` for every generation, with the request's parameters,
//! the response's finish reason, token usage and time to first token, and (when content is
//! captured) the messages. Kind INTERNAL for the in-process engine, CLIENT for an endpoint.

use std::time::{Duration, SystemTime};

use opentelemetry::trace::{Span as _, SpanKind, Status};
use opentelemetry::{Context, KeyValue};

use super::genai as attr;
use crate::engine::{ChatRequest, Completion, EngineError, Event, ModelIdentity, Provider};

/// The model name a span reports: the endpoint's name for the model, or the config's name for
/// a local one.
fn model_name(identity: &ModelIdentity) -> String {
    match identity.id.split_once('#') {
        Some((_, model)) if identity.provider == "openai" => model.to_owned(),
        _ => identity.name.clone(),
    }
}

fn kind(identity: &ModelIdentity) -> SpanKind {
    if identity.provider == "openai" { SpanKind::Client } else { SpanKind::Internal }
}

fn messages_json(messages: impl Iterator<Item = (String, String)>) -> String {
    let parts: Vec<serde_json::Value> = messages
        .map(|(role, content)| serde_json::json!({"role": role, "parts": [{"type": "text", "content": content}]}))
        .collect();
    serde_json::Value::Array(parts).to_string()
}

/// The attributes known before the answer.
pub fn request_attributes(identity: &ModelIdentity, request: &ChatRequest) -> Vec<KeyValue> {
    let p = &request.params;
    let mut out = vec![
        KeyValue::new(attr::OPERATION_NAME, attr::CHAT),
        KeyValue::new(attr::OPENINFERENCE_KIND, "LLM"),
        KeyValue::new(attr::PROVIDER_NAME, identity.provider.clone()),
        KeyValue::new(attr::REQUEST_MODEL, model_name(identity)),
        KeyValue::new(attr::REQUEST_TEMPERATURE, request.temperature()),
        KeyValue::new(attr::REQUEST_MAX_TOKENS, i64::from(request.max_tokens())),
        KeyValue::new(attr::OUTPUT_TYPE, if request.response_format.is_some() { "json" } else { "text" }),
    ];
    if let Some(top_p) = p.top_p {
        out.push(KeyValue::new(attr::REQUEST_TOP_P, top_p));
    }
    if let Some(top_k) = p.top_k {
        out.push(KeyValue::new(attr::REQUEST_TOP_K, i64::from(top_k)));
    }
    if let Some(seed) = p.seed {
        out.push(KeyValue::new(attr::REQUEST_SEED, seed as i64 + i64::from(request.repeat_index)));
    }
    if !p.stop.is_empty() {
        let stops: Vec<opentelemetry::StringValue> = p.stop.iter().map(|s| s.clone().into()).collect();
        out.push(KeyValue::new(attr::REQUEST_STOP_SEQUENCES, opentelemetry::Value::Array(stops.into())));
    }
    if super::capture_content() {
        out.push(KeyValue::new(attr::INPUT_MESSAGES, messages_json(request.messages.iter().map(|m| (m.role.clone(), m.content.clone())))));
    }
    out
}

/// The attributes of the answer.
pub fn response_attributes(identity: &ModelIdentity, completion: &Completion) -> Vec<KeyValue> {
    let reasons: Vec<opentelemetry::StringValue> = vec![completion.finish_reason.as_str().into()];
    let mut out = vec![
        KeyValue::new(attr::RESPONSE_MODEL, model_name(identity)),
        KeyValue::new(attr::RESPONSE_FINISH_REASONS, opentelemetry::Value::Array(reasons.into())),
        KeyValue::new(attr::USAGE_INPUT_TOKENS, i64::from(completion.usage.input_tokens)),
        KeyValue::new(attr::USAGE_OUTPUT_TOKENS, i64::from(completion.usage.output_tokens)),
        KeyValue::new(attr::TIME_TO_FIRST_TOKEN, completion.timings.ttft_ms / 1000.0),
        KeyValue::new(attr::RESPONSE_CACHED, completion.cached),
    ];
    if super::capture_content() {
        out.push(KeyValue::new(attr::OUTPUT_MESSAGES, messages_json(std::iter::once(("assistant".to_owned(), completion.text.clone())))));
    }
    out
}

/// Records one finished inference as a span from `start` to `end` under `parent`.
pub fn record(identity: &ModelIdentity, request: &ChatRequest, result: &Result<Completion, EngineError>, start: SystemTime, end: SystemTime) {
    let parent = request.trace.as_ref().map(super::child_of).unwrap_or_else(Context::new);
    let tracer = super::tracer();
    let mut span = opentelemetry::trace::Tracer::build_with_context(
        &tracer,
        opentelemetry::trace::SpanBuilder::from_name(format!("{} {}", attr::CHAT, model_name(identity)))
            .with_kind(kind(identity))
            .with_start_time(start)
            .with_attributes(request_attributes(identity, request)),
        &parent,
    );
    match result {
        Ok(c) => span.set_attributes(response_attributes(identity, c)),
        Err(e) => {
            span.set_attribute(KeyValue::new(attr::ERROR_TYPE, error_type(e)));
            span.set_status(Status::error(e.to_string()));
        }
    }
    span.end_with_timestamp(end);
}

fn error_type(e: &EngineError) -> &'static str {
    match e {
        EngineError::Interrupted => "interrupted",
        EngineError::Stopped => "stopped",
        EngineError::Cancelled => "cancelled",
        _ => "engine_error",
    }
}

/// `provider.generate`, with one inference span per request, each from its submission to its
/// answer (the engine answers requests of a batch at different times).
pub fn generate(provider: &dyn Provider, requests: &[ChatRequest], on_event: &mut dyn FnMut(&Event)) -> Vec<Result<Completion, EngineError>> {
    generate_cancellable(provider, requests, std::sync::Arc::default(), on_event)
}

/// [`generate`] with a flag that stops it early ([`Provider::generate_cancellable`]).
pub fn generate_cancellable(
    provider: &dyn Provider,
    requests: &[ChatRequest],
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    on_event: &mut dyn FnMut(&Event),
) -> Vec<Result<Completion, EngineError>> {
    let submitted = SystemTime::now();
    let mut finished: Vec<Option<SystemTime>> = vec![None; requests.len()];
    let results = provider.generate_cancellable(requests, cancel, &mut |event| {
        if let Event::Done { index, .. } = event {
            if let Some(slot) = finished.get_mut(*index) {
                *slot = Some(SystemTime::now());
            }
        }
        on_event(event);
    });
    let now = SystemTime::now();
    for ((request, result), end) in requests.iter().zip(&results).zip(finished) {
        record(provider.identity(), request, result, submitted, end.unwrap_or(now));
    }
    results
}

/// A cache hit as a span of no duration, marked cached.
pub fn record_cached(identity: &ModelIdentity, request: &ChatRequest, completion: &Completion) {
    let now = SystemTime::now();
    record(identity, request, &Ok(completion.clone()), now, now + Duration::from_nanos(1));
}

/// A span around an operation that is not a generation: a batch of embeddings, or a tool run.
pub struct OperationSpan {
    span: opentelemetry::global::BoxedSpan,
    /// `error.type` when it fails.
    error_type: &'static str,
}

impl OperationSpan {
    /// `embeddings MODEL`, around a batch of `inputs` texts.
    pub fn embeddings(identity: &ModelIdentity, parent: &Context, inputs: usize) -> OperationSpan {
        let attributes = vec![
            KeyValue::new(attr::OPERATION_NAME, attr::EMBEDDINGS),
            KeyValue::new(attr::PROVIDER_NAME, identity.provider.clone()),
            KeyValue::new(attr::REQUEST_MODEL, model_name(identity)),
            KeyValue::new(attr::EMBEDDINGS_INPUTS, inputs as i64),
        ];
        let span = super::start(format!("{} {}", attr::EMBEDDINGS, model_name(identity)), kind(identity), parent, attributes);
        OperationSpan { span, error_type: "embeddings_error" }
    }

    /// `retrieval INDEX`, around one search of a retrieval index for `k` chunks in `mode`.
    pub fn retrieval(index: &str, mode: &str, k: usize, query: &str, parent: &Context) -> OperationSpan {
        let mut attributes = vec![
            KeyValue::new(attr::OPERATION_NAME, attr::RETRIEVAL),
            KeyValue::new(attr::DATA_SOURCE_ID, index.to_owned()),
            KeyValue::new(attr::RETRIEVAL_MODE, mode.to_owned()),
            KeyValue::new(attr::RETRIEVAL_TOP_K, k as i64),
        ];
        if super::capture_content() {
            attributes.push(KeyValue::new(attr::RETRIEVAL_QUERY, query.to_owned()));
        }
        let span = super::start(format!("{} {index}", attr::RETRIEVAL), SpanKind::Client, parent, attributes);
        OperationSpan { span, error_type: "retrieval_error" }
    }

    /// The span's context, for the operations beneath it.
    pub fn context(&self) -> Context {
        super::child_of(self.span.span_context())
    }

    /// Ends a retrieval span with what it found: the count, and the ids when content is
    /// captured.
    pub fn end_retrieval(mut self, found: Result<Vec<&str>, String>) {
        match found {
            Ok(ids) => {
                self.span.set_attribute(KeyValue::new(attr::RETRIEVAL_RESULTS, ids.len() as i64));
                if super::capture_content() {
                    let ids: Vec<opentelemetry::StringValue> = ids.into_iter().map(|s| s.to_owned().into()).collect();
                    self.span.set_attribute(KeyValue::new(attr::RETRIEVAL_IDS, opentelemetry::Value::Array(ids.into())));
                }
                self.end(None);
            }
            Err(e) => self.end(Some(&e)),
        }
    }

    /// `execute_tool NAME`, around one tool call of an agent loop; the arguments go in when
    /// content is captured.
    pub fn tool_call(tool: &str, id: &str, arguments: &serde_json::Value, parent: &Context) -> OperationSpan {
        let mut attributes = vec![
            KeyValue::new(attr::OPERATION_NAME, attr::EXECUTE_TOOL),
            KeyValue::new(attr::TOOL_NAME, tool.to_owned()),
            KeyValue::new(attr::TOOL_CALL_ID, id.to_owned()),
        ];
        if super::capture_content() {
            attributes.push(KeyValue::new(attr::TOOL_CALL_ARGUMENTS, arguments.to_string()));
        }
        let span = super::start(format!("{} {tool}", attr::EXECUTE_TOOL), SpanKind::Internal, parent, attributes);
        OperationSpan { span, error_type: "tool_error" }
    }

    /// Ends a tool call's span with its result (when content is captured) or its error.
    /// The span's own context, for a loop that runs beneath it.
    pub fn span_context(&self) -> opentelemetry::trace::SpanContext {
        use opentelemetry::trace::Span as _;
        self.span.span_context().clone()
    }

    pub fn end_call(mut self, result: Option<&str>, error: Option<&str>) {
        if let (Some(r), true) = (result, super::capture_content()) {
            self.span.set_attribute(KeyValue::new(attr::TOOL_CALL_RESULT, r.to_owned()));
        }
        self.end(error);
    }

    /// `execute_tool NAME`, around a command grader's run.
    pub fn tool(tool: &str, parent: Option<&opentelemetry::trace::SpanContext>) -> OperationSpan {
        let parent = parent.map(super::child_of).unwrap_or_default();
        let attributes = vec![KeyValue::new(attr::OPERATION_NAME, attr::EXECUTE_TOOL), KeyValue::new(attr::TOOL_NAME, tool.to_owned())];
        let span = super::start(format!("{} {tool}", attr::EXECUTE_TOOL), SpanKind::Internal, &parent, attributes);
        OperationSpan { span, error_type: "tool_error" }
    }

    pub fn end(mut self, error: Option<&str>) {
        if let Some(e) = error {
            self.span.set_attribute(KeyValue::new(attr::ERROR_TYPE, self.error_type));
            self.span.set_status(Status::error(e.to_owned()));
        }
        self.span.end();
    }
}
