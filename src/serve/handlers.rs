//! The HTTP routes of `llmops serve`.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use opentelemetry::KeyValue;
use opentelemetry::trace::SpanKind;
use serde_json::{Value, json};

use super::api::{self, ChatCompletionRequest, CompletionRequest, EmbeddingRequest, PromptText};
use super::prompts::{Served, merge_params};
use super::{State, constant_time_eq};
use crate::engine::{ChatRequest, Completion, EngineError, Provider};
use crate::invoke::{self, Answer, Called};
use crate::agent::protocol::ToolSyntax;
use crate::spec::prompt::{ResponseFormat, ResponseKind, Tool};
use crate::template::RenderedMessage;

type Shared = Arc<State>;

pub(super) fn router(state: Shared) -> Router {
    let limit = state.options.body_limit;
    Router::new()
        .route("/v1/chat/completions", post(chat))
        .route("/v1/completions", post(completions))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/models", get(models))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "invalid_request_error", "no such route").into_response() })
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// An error in OpenAI's shape.
#[derive(Debug)]
pub(super) struct ApiError {
    status: StatusCode,
    kind: &'static str,
    code: Option<&'static str>,
    param: Option<String>,
    message: String,
    retry_after: Option<u32>,
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, kind, code: None, param: None, message: message.into(), retry_after: None }
    }
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request_error", message)
    }
    fn param(mut self, p: &str) -> ApiError {
        self.param = Some(p.to_owned());
        self
    }
    fn code(mut self, c: &'static str) -> ApiError {
        self.code = Some(c);
        self
    }
    fn retry(mut self, seconds: u32) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }
    fn body(&self) -> Value {
        serde_json::to_value(api::ErrorBody { error: api::ErrorDetail { message: self.message.clone(), kind: self.kind, param: self.param.clone(), code: self.code } })
            .unwrap_or(Value::Null)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(s) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        response
    }
}

fn engine_error(e: &EngineError) -> ApiError {
    match e {
        EngineError::PromptTooLong { .. } => ApiError::bad(e.to_string()).param("messages").code("context_length_exceeded"),
        EngineError::Interrupted | EngineError::Stopped => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "server_error", e.to_string()).retry(5),
        EngineError::EmptyPrompt => ApiError::bad(e.to_string()).param("prompt"),
        EngineError::SpecialToken { .. } => ApiError::bad(e.to_string()).param("messages"),
        EngineError::SpecialTokenInTool { .. } => ApiError::bad(e.to_string()).param("tools"),
        // Only a shutdown whose grace ran out cancels a request whose client is still there.
        EngineError::Cancelled => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "server_error", "the server is shutting down").retry(5),
        _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", e.to_string()),
    }
}

fn authorize(state: &State, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(key) = &state.options.api_key else { return Ok(()) };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .unwrap_or("");
    if constant_time_eq(given.as_bytes(), key.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_request_error", "a valid API key is required (`Authorization: Bearer ...`)").code("invalid_api_key"))
    }
}

fn read_body<T: serde::de::DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "invalid_request_error", "the request body is larger than the server's `--max-body`")
        } else {
            ApiError::bad(e.body_text())
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::bad(format!("the request body is not a valid request: {e}")))
}

fn models_ready(state: &State) -> Result<&std::collections::HashMap<String, Arc<dyn Provider>>, ApiError> {
    state.models.get().ok_or_else(|| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "server_error", "the models are still loading").retry(5))
}

/// The caller's trace context from `traceparent`/`tracestate`.
fn parent_context(headers: &HeaderMap) -> opentelemetry::Context {
    use opentelemetry::propagation::TextMapPropagator;
    let mut carrier = std::collections::HashMap::new();
    for name in ["traceparent", "tracestate"] {
        if let Some(v) = headers.get(name).and_then(|v| v.to_str().ok()) {
            carrier.insert(name.to_owned(), v.to_owned());
        }
    }
    if carrier.is_empty() {
        return crate::trace::root_context();
    }
    opentelemetry_sdk::propagation::TraceContextPropagator::new().extract(&carrier)
}

/// What a generation request becomes before it runs.
#[derive(Clone)]
struct Prepared {
    provider: Arc<dyn Provider>,
    request: ChatRequest,
    /// What the response names as its model: `name@<blob>` for a released prompt.
    label: String,
    served: Option<Served>,
    /// The sticky key (canary split), for the log.
    variables: serde_json::Map<String, Value>,
    /// The tools the client offered: the answer's calls are returned as `tool_calls`.
    tools: Option<Vec<Tool>>,
    /// How the model writes calls.
    syntax: ToolSyntax,
}

fn sticky_key(user: Option<&str>, headers: &HeaderMap) -> String {
    headers.get("x-llmops-key").and_then(|v| v.to_str().ok()).map(str::to_owned).or_else(|| user.map(str::to_owned)).unwrap_or_default()
}

fn response_format(format: &Option<api::ResponseFormat>) -> Result<Option<ResponseFormat>, ApiError> {
    let Some(f) = format else { return Ok(None) };
    match f.kind.as_str() {
        "text" => Ok(None),
        "json_object" => Ok(Some(ResponseFormat { kind: ResponseKind::JsonObject, schema: None })),
        "json_schema" => {
            let schema = f.json_schema.as_ref().and_then(|s| s.schema.clone()).ok_or_else(|| ApiError::bad("`response_format.json_schema.schema` is required").param("response_format"))?;
            Ok(Some(ResponseFormat { kind: ResponseKind::JsonSchema, schema: Some(schema) }))
        }
        other => Err(ApiError::bad(format!("`response_format.type` `{other}` is not one of text, json_object, json_schema")).param("response_format")),
    }
}

fn cap_tokens(state: &State, asked: Option<u32>) -> Result<Option<u32>, ApiError> {
    match asked {
        Some(0) => Err(ApiError::bad("`max_tokens` must be at least 1").param("max_tokens")),
        Some(n) => Ok(Some(n.min(state.options.max_tokens))),
        None => Ok(None),
    }
}

/// A plain model's parameters: what the request sets, the engine's defaults otherwise.
fn params_of(s: api::Sampling) -> crate::spec::prompt::Params {
    crate::spec::prompt::Params {
        temperature: s.temperature,
        top_p: s.top_p,
        top_k: s.top_k,
        min_p: s.min_p,
        repeat_penalty: s.repeat_penalty,
        max_tokens: s.max_tokens,
        seed: s.seed,
        stop: s.stop.unwrap_or_default(),
    }
}

/// A model of the request: a loaded model by name, or `PROMPT@CHANNEL` / `PROMPT@<version>`.
fn prepare_chat(state: &State, body: &ChatCompletionRequest, headers: &HeaderMap) -> Result<Prepared, ApiError> {
    let models = models_ready(state)?;
    if body.n.is_some_and(|n| n != 1) {
        return Err(ApiError::bad("only `n: 1` is served").param("n"));
    }
    if body.logprobs == Some(true) || body.top_logprobs.is_some() {
        return Err(ApiError::bad("this server does not return logprobs").param("logprobs"));
    }
    let mut asked = body.sampling.clone();
    asked.max_tokens = cap_tokens(state, body.max_completion_tokens.or(asked.max_tokens))?;
    let format = response_format(&body.response_format)?;
    match body.model.split_once('@') {
        Some((name, reference)) => {
            let key = sticky_key(body.user.as_deref(), headers);
            let served = state
                .catalogue
                .resolve(name, reference, &key, &|m| state.warn(m))
                .map_err(|e| ApiError::new(StatusCode::NOT_FOUND, "invalid_request_error", e.to_string()).param("model").code("model_not_found"))?;
            if served.prompt.is_agent() {
                return Err(ApiError::bad(format!("`{}` runs its own tool-calling loop, which runs in `llmops eval` and `llmops run`; serve its model, or a prompt without tools, and send `tools` to run the loop yourself", body.model)).param("model"));
            }
            let model = crate::run::model_name(None, None, served.prompt.model.as_deref(), &state.config).unwrap_or_default();
            let provider = models.get(&model).cloned().ok_or_else(|| {
                ApiError::new(StatusCode::NOT_FOUND, "invalid_request_error", format!("`{}` runs on model `{model}`, which this server does not serve (`--model {model}`)", body.model))
                    .param("model")
                    .code("model_not_found")
            })?;
            // A RAG prompt retrieves first (the query's embedding may wait on a model).
            let variables = tokio::task::block_in_place(|| state.catalogue.retrieve(&served.prompt, &body.variables, &|m| state.warn(m))).map_err(|e| match e {
                crate::retrieval::RetrievalError::Query(_) | crate::retrieval::RetrievalError::EmptyQuery => ApiError::bad(format!("`{}`: {e}", body.model)).param("variables"),
                e => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "server_error", format!("`{}`: {e}", body.model)),
            })?;
            let mut rendered = crate::template::render_messages(&served.prompt, &variables).map_err(|e| ApiError::bad(format!("`{}`: {e}", body.model)).param("variables"))?;
            let syntax = crate::agent::protocol::syntax_of(provider.as_ref());
            rendered.extend(conversation(&body.messages, provider.local_info().is_some(), syntax)?);
            let params = merge_params(&served.prompt, &asked).map_err(|e| ApiError::bad(format!("`{}`: {e}", body.model)))?;
            let mut request = ChatRequest::new(rendered, params);
            request.response_format = match (&served.prompt.response_format, format) {
                (Some(own), None) => Some(own.clone()),
                (None, asked) => asked,
                (Some(_), Some(_)) => return Err(ApiError::bad(format!("`{}` fixes its own response format", body.model)).param("response_format")),
            };
            request.refuse_special = true;
            let tools = offer_tools(body, &mut request, provider.local_info().is_some(), syntax)?;
            let label = format!("{name}@{}", served.version);
            Ok(Prepared { provider, request, label, served: Some(served), variables: body.variables.clone(), tools, syntax })
        }
        None => {
            let provider = models.get(&body.model).cloned().ok_or_else(|| unknown_model(state, &body.model))?;
            let syntax = crate::agent::protocol::syntax_of(provider.as_ref());
            let messages = conversation(&body.messages, provider.local_info().is_some(), syntax)?;
            if messages.is_empty() {
                return Err(ApiError::bad("`messages` is empty").param("messages"));
            }
            let mut request = ChatRequest::new(messages, params_of(asked));
            request.response_format = format;
            request.refuse_special = true;
            let tools = offer_tools(body, &mut request, provider.local_info().is_some(), syntax)?;
            Ok(Prepared { provider, request, label: body.model.clone(), served: None, variables: Default::default(), tools, syntax })
        }
    }
}

/// The request's messages as the model reads them: `developer` as `system`; an assistant's
/// `tool_calls` written as the model writes calls; a `tool` message as a tool result (a `tool`
/// turn for a local model, whose template renders it, a `<tool_response>` for an endpoint).
fn conversation(messages: &[api::ChatMessage], local: bool, syntax: ToolSyntax) -> Result<Vec<RenderedMessage>, ApiError> {
    let mut out = Vec::with_capacity(messages.len());
    // Which tool each call id called, for the results that answer it.
    let mut called: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for (i, m) in messages.iter().enumerate() {
        let content = m.content.text().map_err(|kind| ApiError::bad(format!("message {i} has a `{kind}` part; only text is served")).param("messages"))?;
        match m.role.as_str() {
            "system" | "developer" | "user" => out.push(RenderedMessage { role: if m.role == "user" { "user".into() } else { "system".into() }, content }),
            "assistant" => {
                let mut text = content;
                for c in &m.tool_calls {
                    let arguments: Value = serde_json::from_str(if c.function.arguments.trim().is_empty() { "{}" } else { &c.function.arguments })
                        .map_err(|e| ApiError::bad(format!("message {i}: the arguments of its call of `{}` are not JSON: {e}", c.function.name)).param("messages"))?;
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(&crate::agent::protocol::call_text(&c.function.name, &arguments, syntax));
                    if let Some(id) = &c.id {
                        called.insert(id, &c.function.name);
                    }
                }
                out.push(RenderedMessage { role: "assistant".into(), content: text });
            }
            "tool" => {
                let name = m.tool_call_id.as_deref().and_then(|id| called.get(id)).copied().ok_or_else(|| {
                    ApiError::bad(format!("message {i} has role `tool` but its `tool_call_id` answers no call of an earlier assistant message")).param("messages")
                })?;
                out.push(crate::agent::protocol::result_message(name, content, local));
            }
            other => return Err(ApiError::bad(format!("message {i} has role `{other}`; served roles are system, developer, user, assistant and tool")).param("messages")),
        }
    }
    Ok(out)
}

/// Offers the request's `tools` to the model as `tool_choice` says: the tools and the call
/// format told in the system message and, for a local model, the reply decoded under a
/// grammar of calls matching the tools' schemas. `None` when no tools are offered.
fn offer_tools(body: &ChatCompletionRequest, request: &mut ChatRequest, local: bool, syntax: ToolSyntax) -> Result<Option<Vec<Tool>>, ApiError> {
    use crate::agent::protocol::{self, Turn};
    let bad = |message: String| ApiError::bad(message).param("tools");
    let mut tools: Vec<Tool> = Vec::with_capacity(body.tools.len());
    for (i, t) in body.tools.iter().enumerate() {
        if t.kind != "function" {
            return Err(bad(format!("tool {i} has type `{}`; only `function` tools are served", t.kind)));
        }
        let f = &t.function;
        if f.name.is_empty() || f.name.len() > 64 || !f.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(bad(format!("tool {i}: the name `{}` must be 1 to 64 letters, digits, `_` or `-`", f.name)));
        }
        if tools.iter().any(|t| t.name == f.name) {
            return Err(bad(format!("tool `{}` is given twice", f.name)));
        }
        let parameters = f.parameters.clone().unwrap_or_else(|| json!({"type": "object", "properties": {}}));
        crate::json_schema::check_schema(&parameters).map_err(|e| bad(format!("tool `{}`: `parameters` is not a JSON schema: {e}", f.name)))?;
        if parameters.to_string().contains("\"$ref\"") {
            return Err(bad(format!("tool `{}`: `$ref` in `parameters` is not served: write the schema out", f.name)));
        }
        tools.push(serde_json::from_value(json!({"name": f.name, "description": f.description, "parameters": parameters})).map_err(|e| bad(e.to_string()))?);
    }
    let choice = body.tool_choice.as_ref();
    let turn = match choice {
        None | Some(Value::Null) => Turn::Either,
        Some(Value::String(s)) if s == "auto" => Turn::Either,
        Some(Value::String(s)) if s == "none" => return Ok(None),
        Some(Value::String(s)) if s == "required" => Turn::Call(None),
        Some(v) => match v.pointer("/function/name").and_then(Value::as_str) {
            Some(name) if tools.iter().any(|t| t.name == name) => Turn::Call(Some(name)),
            Some(name) => return Err(ApiError::bad(format!("`tool_choice` names `{name}`, which is not among `tools`")).param("tool_choice")),
            None => return Err(ApiError::bad("`tool_choice` is `auto`, `none`, `required` or {\"type\": \"function\", \"function\": {\"name\": …}}").param("tool_choice")),
        },
    };
    if tools.is_empty() {
        return match turn {
            Turn::Either => Ok(None),
            _ => Err(ApiError::bad("`tool_choice` asks for a call, but `tools` is empty").param("tool_choice")),
        };
    }
    if request.response_format.is_some() {
        return Err(ApiError::bad("`response_format` together with `tools` is not served: one grammar constrains the reply").param("response_format"));
    }
    let (messages, definitions) = protocol::offer(&request.messages, &tools, syntax);
    request.messages = messages;
    request.tools = definitions;
    if local {
        request.grammar = Some(protocol::grammar(&tools, turn, body.parallel_tool_calls.unwrap_or(true), syntax).map_err(|e| bad(format!("the tools' schemas make no grammar: {e}")))?);
    }
    Ok(Some(tools))
}

/// The calls in `text` that stand against `tools`, as OpenAI's `tool_calls` (each with its
/// `index`, which streamed deltas carry); `None` when the text calls nothing that stands.
fn tool_calls(text: &str, tools: &[Tool], syntax: ToolSyntax, id: &str) -> Option<Value> {
    let calls: Vec<Value> = crate::agent::protocol::parse(text, syntax)
        .into_iter()
        .filter(|c| crate::agent::protocol::check(c, tools).is_none())
        .enumerate()
        .map(|(n, c)| json!({"index": n, "id": format!("call_{id}_{}", n + 1), "type": "function", "function": {"name": c.name, "arguments": c.arguments.to_string()}}))
        .collect();
    (!calls.is_empty()).then_some(Value::Array(calls))
}

fn unknown_model(state: &State, model: &str) -> ApiError {
    let served: Vec<String> = state.models.get().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    ApiError::new(StatusCode::NOT_FOUND, "invalid_request_error", format!("the model `{model}` is not served here (served: {}; released prompts as PROMPT@CHANNEL)", served.join(", ")))
        .param("model")
        .code("model_not_found")
}

/// A request that counts against the queue until it is dropped.
struct Ticket {
    state: Shared,
    id: u64,
    cancel: Arc<AtomicBool>,
    started: Instant,
    first: Option<Instant>,
    done: bool,
}

impl Ticket {
    fn take(state: &Shared) -> Result<Ticket, ApiError> {
        let slots = *state.slots.lock().unwrap_or_else(|e| e.into_inner());
        let limit = (slots + state.options.queue) as i64;
        let before = state.metrics.in_flight.fetch_add(1, Ordering::SeqCst);
        if before >= limit {
            state.metrics.in_flight.fetch_sub(1, Ordering::SeqCst);
            state.metrics.rejected.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limit_error", format!("the queue is full ({limit} requests in flight)")).retry(1));
        }
        state.metrics.requests.fetch_add(1, Ordering::Relaxed);
        let id = state.next_id.fetch_add(1, Ordering::Relaxed);
        let cancel = Arc::new(AtomicBool::new(false));
        state.cancels.lock().unwrap_or_else(|e| e.into_inner()).insert(id, cancel.clone());
        Ok(Ticket { state: state.clone(), id, cancel, started: Instant::now(), first: None, done: false })
    }

    fn first_piece(&mut self) {
        if self.first.is_none() {
            let now = Instant::now();
            self.first = Some(now);
            self.state.metrics.ttft.observe((now - self.started).as_secs_f64());
            self.state.metrics.generating.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// An answer with no tokens to count (embeddings).
    fn succeed(&mut self) {
        self.done = true;
        self.state.metrics.latency.observe(self.started.elapsed().as_secs_f64());
    }

    /// The end of a generation: its tokens, or an error. (Time to first token is observed only
    /// when a first piece of text came.)
    fn finish(&mut self, completion: Option<&Completion>) {
        if completion.is_some_and(|c| !c.text.is_empty()) {
            self.first_piece();
        }
        self.done = true;
        let m = &self.state.metrics;
        m.latency.observe(self.started.elapsed().as_secs_f64());
        match completion {
            Some(c) => {
                m.prompt_tokens.fetch_add(u64::from(c.usage.input_tokens), Ordering::Relaxed);
                m.completion_tokens.fetch_add(u64::from(c.usage.output_tokens), Ordering::Relaxed);
                if c.cached {
                    m.cache_hits.fetch_add(1, Ordering::Relaxed);
                }
            }
            None => {
                m.errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        // A client that went away stops its generation.
        if !self.done {
            self.cancel.store(true, Ordering::Relaxed);
        }
        if self.first.is_some() {
            self.state.metrics.generating.fetch_sub(1, Ordering::SeqCst);
        }
        self.state.metrics.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.state.cancels.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.id);
    }
}

enum Piece {
    Text(String),
    Done(Result<Answer, EngineError>),
}

/// Starts the generation on a blocking thread; its text and end come through the channel.
fn start(state: &Shared, prepared: &Prepared, ticket: &Ticket, headers: &HeaderMap, path: &'static str) -> tokio::sync::mpsc::UnboundedReceiver<Piece> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let provider = prepared.provider.clone();
    let request = prepared.request.clone();
    let cancel = ticket.cancel.clone();
    let parent = parent_context(headers);
    let served = prepared.served.as_ref().map(|s| (s.name.clone(), s.version.clone()));
    let label = prepared.label.clone();
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let span = format!("serve {label}");
        let attributes = vec![KeyValue::new("http.request.method", "POST"), KeyValue::new("url.path", path)];
        let called = Called { span: &span, kind: SpanKind::Server, parent: Some(parent), prompt: served.as_ref().map(|(n, v)| (n.as_str(), v.as_str())), attributes };
        let text_tx = tx.clone();
        let flag = cancel.clone();
        let result = invoke::answer(provider.as_ref(), state.cache.as_ref(), called, request, cancel, &mut |text| {
            if text_tx.send(Piece::Text(text.to_owned())).is_err() {
                flag.store(true, Ordering::Relaxed);
            }
        });
        if let Ok(a) = &result {
            if let Some(e) = &a.cache_error {
                state.warn(format!("cannot write the response cache: {e}"));
            }
        }
        let _ = tx.send(Piece::Done(result));
    });
    rx
}

/// What came next from a generation.
enum Step {
    Text(String),
    /// Its end: the answer, or why there is none.
    End(Result<Completion, ApiError>),
}

fn timed_out() -> ApiError {
    ApiError::new(StatusCode::GATEWAY_TIMEOUT, "timeout", "the request took longer than the server's `--timeout`")
}

impl Ticket {
    /// Turns what the generation's channel gave (or the deadline passing) into a step, with
    /// the request's accounting done: a timeout cancels the generation.
    fn step(&mut self, next: Result<Option<Piece>, tokio::time::error::Elapsed>) -> Step {
        match next {
            Err(_) => {
                self.cancel.store(true, Ordering::Relaxed);
                self.finish(None);
                Step::End(Err(timed_out()))
            }
            Ok(None) => {
                self.finish(None);
                Step::End(Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "the generation ended without an answer")))
            }
            Ok(Some(Piece::Text(text))) => {
                self.first_piece();
                Step::Text(text)
            }
            Ok(Some(Piece::Done(Ok(answer)))) => {
                self.finish(Some(&answer.completion));
                Step::End(Ok(answer.completion))
            }
            Ok(Some(Piece::Done(Err(e)))) => {
                self.finish(None);
                Step::End(Err(engine_error(&e)))
            }
        }
    }

    /// The time by which the request must be answered.
    fn deadline(&self, state: &State) -> tokio::time::Instant {
        tokio::time::Instant::from_std(self.started + state.options.timeout)
    }
}

/// Waits for the end of a generation, within the server's timeout.
async fn collect(state: &State, rx: &mut tokio::sync::mpsc::UnboundedReceiver<Piece>, ticket: &mut Ticket) -> Result<Completion, ApiError> {
    let deadline = ticket.deadline(state);
    loop {
        if let Step::End(result) = ticket.step(tokio::time::timeout_at(deadline, rx.recv()).await) {
            return result;
        }
    }
}

fn completion_id(prefix: &str, ticket: &Ticket) -> String {
    format!("{prefix}-{:x}{:06x}", crate::report::now_seconds(), ticket.id)
}

fn with_version(mut response: Response, prepared: &Prepared) -> Response {
    if let Some(s) = &prepared.served {
        if let Ok(v) = HeaderValue::from_str(&format!("{}@{}", s.name, s.version)) {
            response.headers_mut().insert("x-llmops-prompt-version", v);
        }
    }
    response
}

/// One line of `--log` per answered request.
fn log_request(state: &State, prepared: &Prepared, messages: Option<&[RenderedMessage]>, result: &Result<Completion, ApiError>, ticket: &Ticket, trace_id: Option<String>) {
    let Some(log) = &state.log else { return };
    let content = state.options.capture_content;
    let served = prepared.served.as_ref();
    let mut line = super::log::LogLine {
        time: crate::report::now_seconds(),
        model: prepared.label.clone(),
        prompt: served.map(|s| s.name.clone()),
        version: served.map(|s| s.version.clone()),
        channel: served.and_then(|s| s.channel.clone()),
        canary: served.map(|s| s.canary),
        latency_ms: ticket.started.elapsed().as_secs_f64() * 1000.0,
        ttft_ms: ticket.first.map(|f| (f - ticket.started).as_secs_f64() * 1000.0),
        trace_id,
        ..Default::default()
    };
    match result {
        Ok(c) => {
            line.usage = Some(json!(api::Usage::new(c.usage.input_tokens, c.usage.output_tokens)));
            line.finish_reason = Some(c.finish_reason.as_str().to_owned());
            line.cached = Some(c.cached);
            if content {
                line.output = Some(c.text.clone());
            }
        }
        Err(e) => line.error = Some(e.message.clone()),
    }
    if content {
        line.variables = Some(prepared.variables.clone());
        line.messages = Some(json!(messages));
    }
    let Ok(line) = serde_json::to_value(&line) else { return };
    let mut text = line.to_string();
    text.push('\n');
    let mut file = log.lock().unwrap_or_else(|e| e.into_inner());
    if let Err(e) = std::io::Write::write_all(&mut *file, text.as_bytes()) {
        state.warn(format!("cannot write the request log: {e}"));
    }
}

fn trace_id(headers: &HeaderMap) -> Option<String> {
    use opentelemetry::trace::TraceContextExt;
    let ctx = parent_context(headers);
    let id = ctx.span().span_context().trace_id();
    (id != opentelemetry::trace::TraceId::INVALID).then(|| id.to_string())
}

fn sse(value: &Value) -> Bytes {
    Bytes::from(format!("data: {value}\n\n"))
}

/// Streams server-sent events: `chunk(text, finish)` makes each event's JSON; the last
/// carries the finish reason, then usage when asked, then `[DONE]`.
fn stream_response(
    state: Shared,
    mut rx: tokio::sync::mpsc::UnboundedReceiver<Piece>,
    mut ticket: Ticket,
    prepared: Prepared,
    include_usage: bool,
    chunk: impl Fn(Option<&str>, Option<&str>, Option<api::Usage>) -> Value + Send + 'static,
    first: Option<Value>,
    trace: Option<String>,
) -> Response {
    let deadline = ticket.deadline(&state);
    let messages = prepared.request.messages.clone();
    let trace = trace;
    let call_id = format!("{:x}", ticket.id);
    let stream = async_stream(move |tx: tokio::sync::mpsc::Sender<Bytes>| async move {
        if let Some(first) = first {
            if tx.send(sse(&first)).await.is_err() {
                return;
            }
        }
        // With tools offered, text that may begin a call is held until it is known not to.
        let mut held = prepared.tools.as_ref().map(|_| String::new());
        let result = loop {
            // A client that leaves while its request waits or prefills is noticed at once.
            let next = tokio::select! {
                _ = tx.closed() => return,
                next = tokio::time::timeout_at(deadline, rx.recv()) => next,
            };
            match ticket.step(next) {
                Step::Text(mut text) => {
                    if let Some(h) = &mut held {
                        h.push_str(&text);
                        if crate::agent::protocol::may_begin_call(h, prepared.syntax) {
                            continue;
                        }
                        text = std::mem::take(h);
                        held = None;
                    }
                    // The client left: dropping the ticket cancels the generation.
                    if tx.send(sse(&chunk(Some(&text), None, None))).await.is_err() {
                        return;
                    }
                }
                Step::End(result) => break result,
            }
        };
        match &result {
            Ok(c) => {
                let calls = prepared.tools.as_deref().and_then(|t| tool_calls(&c.text, t, prepared.syntax, &call_id));
                let finish = if calls.is_some() { "tool_calls" } else { c.finish_reason.as_str() };
                match calls {
                    Some(calls) => {
                        let mut delta = chunk(None, None, None);
                        delta["choices"][0]["delta"] = json!({"tool_calls": calls});
                        let _ = tx.send(sse(&delta)).await;
                    }
                    // Held text that called nothing after all.
                    None => {
                        if let Some(text) = held.filter(|h| !h.is_empty()) {
                            let _ = tx.send(sse(&chunk(Some(&text), None, None))).await;
                        }
                    }
                }
                // A cached answer arrives whole, as text, before its end.
                let _ = tx.send(sse(&chunk(None, Some(finish), None))).await;
                if include_usage {
                    let _ = tx.send(sse(&chunk(None, None, Some(api::Usage::new(c.usage.input_tokens, c.usage.output_tokens))))).await;
                }
            }
            Err(e) => {
                let _ = tx.send(sse(&e.body())).await;
            }
        }
        let _ = tx.send(Bytes::from_static(b"data: [DONE]\n\n")).await;
        log_request(&state, &prepared, Some(&messages), &result, &ticket, trace);
    });
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A stream fed by a task: the task ends when the receiving side is dropped.
fn async_stream<F, Fut>(body: F) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> + Send
where
    F: FnOnce(tokio::sync::mpsc::Sender<Bytes>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(16);
    tokio::spawn(body(tx));
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (Ok(b), rx)) })
}

/// `POST /v1/chat/completions`.
async fn chat(AxState(state): AxState<Shared>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let body: ChatCompletionRequest = read_body(body)?;
    let prepared = prepare_chat(&state, &body, &headers)?;
    let mut ticket = Ticket::take(&state)?;
    let mut rx = start(&state, &prepared, &ticket, &headers, "/v1/chat/completions");
    let id = completion_id("chatcmpl", &ticket);
    let created = crate::report::now_seconds();
    let label = prepared.label.clone();
    if body.stream {
        let include_usage = body.stream_options.as_ref().is_some_and(|o| o.include_usage);
        let (id2, label2) = (id.clone(), label.clone());
        let chunk = move |text: Option<&str>, finish: Option<&str>, usage: Option<api::Usage>| {
            let choices = if usage.is_some() { json!([]) } else { json!([{"index": 0, "delta": text.map(|t| json!({"content": t})).unwrap_or(json!({})), "logprobs": null, "finish_reason": finish}]) };
            json!({"id": id2, "object": "chat.completion.chunk", "created": created, "model": label2, "system_fingerprint": null, "choices": choices, "usage": usage})
        };
        let first = json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": label, "system_fingerprint": null,
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]});
        let response = stream_response(state, rx, ticket, prepared.clone(), include_usage, chunk, Some(first), trace_id(&headers));
        return Ok(with_version(response, &prepared));
    }
    let result = collect(&state, &mut rx, &mut ticket).await;
    log_request(&state, &prepared, Some(&prepared.request.messages), &result, &ticket, trace_id(&headers));
    let c = result?;
    let (message, finish) = match prepared.tools.as_deref().and_then(|t| tool_calls(&c.text, t, prepared.syntax, &format!("{:x}", ticket.id))) {
        Some(mut calls) => {
            for call in calls.as_array_mut().into_iter().flatten() {
                call.as_object_mut().map(|o| o.remove("index"));
            }
            (json!({"role": "assistant", "content": null, "tool_calls": calls, "refusal": null}), "tool_calls")
        }
        None => (json!({"role": "assistant", "content": c.text, "refusal": null}), c.finish_reason.as_str()),
    };
    let response = axum::Json(json!({
        "id": id, "object": "chat.completion", "created": created, "model": label, "system_fingerprint": null,
        "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish}],
        "usage": api::Usage::new(c.usage.input_tokens, c.usage.output_tokens),
    }))
    .into_response();
    Ok(with_version(response, &prepared))
}

/// `POST /v1/completions`.
async fn completions(AxState(state): AxState<Shared>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let body: CompletionRequest = read_body(body)?;
    let models = models_ready(&state)?;
    if body.n.is_some_and(|n| n != 1) {
        return Err(ApiError::bad("only `n: 1` is served").param("n"));
    }
    let provider = models.get(&body.model).cloned().ok_or_else(|| unknown_model(&state, &body.model))?;
    if provider.local_info().is_none() {
        return Err(ApiError::bad(format!("`{}` is an endpoint model: raw completions run on local models only", body.model)).param("model"));
    }
    let prompt = match body.prompt {
        PromptText::One(p) => p,
        PromptText::Many(mut v) if v.len() == 1 => v.remove(0),
        PromptText::Many(_) => return Err(ApiError::bad("one prompt per request is served").param("prompt")),
    };
    let mut asked = body.sampling;
    asked.max_tokens = cap_tokens(&state, asked.max_tokens)?;
    let mut request = ChatRequest::new(Vec::new(), params_of(asked));
    request.raw_prompt = Some(prompt);
    request.refuse_special = true;
    let prepared = Prepared { provider, request, label: body.model.clone(), served: None, variables: Default::default(), tools: None, syntax: ToolSyntax::Generic };
    let mut ticket = Ticket::take(&state)?;
    let mut rx = start(&state, &prepared, &ticket, &headers, "/v1/completions");
    let id = completion_id("cmpl", &ticket);
    let created = crate::report::now_seconds();
    let label = prepared.label.clone();
    if body.stream {
        let include_usage = body.stream_options.as_ref().is_some_and(|o| o.include_usage);
        let chunk = move |text: Option<&str>, finish: Option<&str>, usage: Option<api::Usage>| {
            let choices = if usage.is_some() { json!([]) } else { json!([{"index": 0, "text": text.unwrap_or(""), "logprobs": null, "finish_reason": finish}]) };
            json!({"id": id, "object": "text_completion", "created": created, "model": label, "choices": choices, "usage": usage})
        };
        return Ok(stream_response(state, rx, ticket, prepared, include_usage, chunk, None, trace_id(&headers)));
    }
    let result = collect(&state, &mut rx, &mut ticket).await;
    log_request(&state, &prepared, None, &result, &ticket, trace_id(&headers));
    let c = result?;
    Ok(axum::Json(json!({
        "id": id, "object": "text_completion", "created": created, "model": label,
        "choices": [{"index": 0, "text": c.text, "logprobs": null, "finish_reason": c.finish_reason.as_str()}],
        "usage": api::Usage::new(c.usage.input_tokens, c.usage.output_tokens),
    }))
    .into_response())
}

/// Texts one embeddings request may carry.
const MAX_EMBEDDING_INPUTS: usize = 2048;

/// Little-endian f32 bytes in standard base64, as OpenAI's `encoding_format: base64`.
fn base64_f32(values: &[f32]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `POST /v1/embeddings`.
async fn embeddings(AxState(state): AxState<Shared>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let body: EmbeddingRequest = read_body(body)?;
    let models = models_ready(&state)?;
    let provider = models.get(&body.model).cloned().ok_or_else(|| unknown_model(&state, &body.model))?;
    let texts = match body.input {
        PromptText::One(t) => vec![t],
        PromptText::Many(v) => v,
    };
    if texts.is_empty() {
        return Err(ApiError::bad("`input` is empty").param("input"));
    }
    if texts.len() > MAX_EMBEDDING_INPUTS {
        return Err(ApiError::bad(format!("`input` has {} texts; at most {MAX_EMBEDDING_INPUTS} per request", texts.len())).param("input"));
    }
    let base64 = match body.encoding_format.as_deref() {
        None | Some("float") => false,
        Some("base64") => true,
        Some(other) => return Err(ApiError::bad(format!("`encoding_format` `{other}` is not float or base64")).param("encoding_format")),
    };
    let mut ticket = Ticket::take(&state)?;
    let count = texts.len();
    let deadline = ticket.deadline(&state);
    // The ticket stays with the work: a client that leaves does not free its place in the
    // queue before the embedding is done.
    let work = tokio::task::spawn_blocking(move || {
        let result = provider.embed(&texts);
        match &result {
            Ok(_) => ticket.succeed(),
            Err(_) => ticket.finish(None),
        }
        result
    });
    let vectors = match tokio::time::timeout_at(deadline, work).await {
        Err(_) => return Err(timed_out()),
        Ok(Err(join)) => return Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", join.to_string())),
        Ok(Ok(Err(e))) => return Err(engine_error(&e)),
        Ok(Ok(Ok(v))) => v,
    };
    let data: Vec<Value> = vectors
        .iter()
        .enumerate()
        .map(|(i, v)| json!({"object": "embedding", "index": i, "embedding": if base64 { json!(base64_f32(v)) } else { json!(v) }}))
        .collect();
    debug_assert_eq!(data.len(), count);
    Ok(axum::Json(json!({"object": "list", "data": data, "model": body.model, "usage": {"prompt_tokens": 0, "total_tokens": 0}})).into_response())
}

async fn models(AxState(state): AxState<Shared>, headers: HeaderMap) -> Response {
    if let Err(e) = authorize(&state, &headers) {
        return e.into_response();
    }
    let mut data: Vec<Value> = Vec::new();
    let loaded: Vec<String> = {
        let mut v: Vec<String> = state.models.get().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        v.sort();
        v
    };
    for m in &loaded {
        data.push(json!({"id": m, "object": "model", "created": 0, "owned_by": "llmops"}));
    }
    let releases = state.catalogue.releases(&|m| state.warn(m));
    for (prompt, channels) in &releases.prompts {
        for channel in channels.keys() {
            data.push(json!({"id": format!("{prompt}@{channel}"), "object": "model", "created": 0, "owned_by": "llmops"}));
        }
    }
    axum::Json(json!({"object": "list", "data": data})).into_response()
}

async fn health(AxState(state): AxState<Shared>) -> Response {
    match state.models.get() {
        Some(_) => axum::Json(json!({"status": "ok"})).into_response(),
        None => {
            let mut r = (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({"status": "loading"}))).into_response();
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(5u32));
            r
        }
    }
}

async fn metrics(AxState(state): AxState<Shared>, headers: HeaderMap) -> Response {
    if let Err(e) = authorize(&state, &headers) {
        return e.into_response();
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}

#[cfg(test)]
mod tests {
    use super::base64_f32;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        // 1.0f32 = 00 00 80 3f; [1.0, -2.0] = 00 00 80 3f 00 00 00 c0.
        assert_eq!(base64_f32(&[1.0]), "AACAPw==");
        assert_eq!(base64_f32(&[1.0, -2.0]), "AACAPwAAAMA=");
        assert_eq!(base64_f32(&[]), "");
    }
}
