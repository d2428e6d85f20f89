//! Running prompts against models. A [`Provider`] turns a batch of chat requests into
//! completions: [`local::LocalEngine`] runs a GGUF file in-process through llama.cpp with
//! continuous batching; [`openai::OpenAiClient`] speaks to any OpenAI-compatible endpoint.
//! Responses are cached by [`cache::ResponseCache`].

pub mod cache;
pub mod grants;
pub mod chat_template;
pub mod gguf;
pub mod local;
pub mod model_file;
pub mod openai;
pub mod threads;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::spec::prompt::{Params, ResponseFormat};
use crate::template::RenderedMessage;

/// Set once by a Ctrl-C handler: every engine stops its requests in flight, and runners
/// stop between blocks. Finished answers are already cached.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// One chat request: rendered messages and everything that shapes the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    pub messages: Vec<RenderedMessage>,
    pub params: Params,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Which repetition of the same row this is; it shifts the seed.
    #[serde(default)]
    pub repeat_index: u32,
    /// Generate `max_tokens` whatever the model says (benchmarks).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_eos: bool,
    /// Labels whose probabilities as the first answer token are wanted (choice judges).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// Plain text to continue, instead of `messages` through the chat template (a raw
    /// completion; local models only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_prompt: Option<String>,
    /// A GBNF grammar the answer must follow (an agent's tool calls); local models only, and
    /// it takes the place of `response_format`'s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grammar: Option<String>,
    /// Tools in OpenAI's function format, for a chat template that renders them itself (see
    /// [`chat_template::ToolSyntax`]); local models only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<serde_json::Value>>,
    /// Refuse the request when a message (or the raw prompt) spells one of the model's special
    /// tokens (`<|im_start|>`): text from a client must not open turns of its own. Not part
    /// of the request's identity.
    #[serde(skip)]
    pub refuse_special: bool,
    /// The span this request's inference span goes under (not part of the request itself).
    #[serde(skip)]
    pub trace: Option<opentelemetry::trace::SpanContext>,
}

impl ChatRequest {
    pub fn new(messages: Vec<RenderedMessage>, params: Params) -> Self {
        ChatRequest { messages, params, response_format: None, repeat_index: 0, ignore_eos: false, choices: Vec::new(), raw_prompt: None, grammar: None, tools: None, refuse_special: false, trace: None }
    }

    /// Tokens to generate at most (default 256).
    pub fn max_tokens(&self) -> u32 {
        self.params.max_tokens.unwrap_or(256)
    }

    /// Temperature 0, the default, decodes greedily.
    pub fn temperature(&self) -> f64 {
        self.params.temperature.unwrap_or(0.0)
    }

    /// The sampling seed: the prompt's seed (default 0) plus the repeat index, so a run is
    /// reproducible and repeats differ.
    pub fn seed(&self) -> u32 {
        (self.params.seed.unwrap_or(0) as u32).wrapping_add(self.repeat_index)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// End of generation or a stop sequence.
    Stop,
    /// `max_tokens` reached.
    Length,
}

impl FinishReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u32,
    pub output_tokens: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// From submission to the first generated token.
    pub ttft_ms: f64,
    pub total_ms: f64,
    /// Output tokens per second after the first token.
    pub tokens_per_s: f64,
}

/// A model's answer to one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub text: String,
    pub finish_reason: FinishReason,
    pub usage: Usage,
    pub timings: Timings,
    /// Served from the response cache.
    #[serde(default)]
    pub cached: bool,
    /// For requests with `choices`: each label's probability as the first token,
    /// normalised over the labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_probs: Option<std::collections::BTreeMap<String, f64>>,
}

/// Softmax over the logits of each label's first token.
pub fn choice_distribution(labels: &[String], logit_of: impl Fn(&str) -> Option<f64>) -> Option<std::collections::BTreeMap<String, f64>> {
    let logits: Vec<(String, f64)> = labels.iter().filter_map(|l| logit_of(l).map(|x| (l.clone(), x))).collect();
    if logits.is_empty() {
        return None;
    }
    let max = logits.iter().map(|(_, x)| *x).fold(f64::NEG_INFINITY, f64::max);
    let total: f64 = logits.iter().map(|(_, x)| (x - max).exp()).sum();
    Some(logits.into_iter().map(|(l, x)| (l, (x - max).exp() / total)).collect())
}

/// What a provider reports while it works.
#[derive(Debug)]
pub enum Event {
    /// New text of request `index`.
    Token { index: usize, text: String },
    /// Request `index` is finished.
    Done { index: usize, result: Result<Completion, EngineError> },
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    #[error("model file `{path}` is missing")]
    MissingModel { path: String, model: String },
    #[error("model file `{path}` does not match its sha256 pin: expected {expected}, found {found}")]
    ShaMismatch { path: String, expected: String, found: String },
    #[error("`{path}` is not a usable GGUF file: {detail}")]
    BadModel { path: String, detail: String },
    #[error("the prompt has {tokens} tokens, more than the context of {context}")]
    PromptTooLong { tokens: usize, context: u32 },
    #[error("llama.cpp failed: {0}")]
    Llama(String),
    #[error("endpoint `{url}`: {detail}")]
    Http { url: String, detail: String, status: Option<u16> },
    #[error("the output does not match the response schema: {0}")]
    Schema(String),
    #[error("the engine stopped")]
    Stopped,
    #[error("interrupted")]
    Interrupted,
    /// Message `message` (0-based; the raw prompt is 0) spells a special token of the model.
    #[error("message {message} contains text that is one of the model's special tokens")]
    SpecialToken { message: usize },
    /// A tool definition (0-based) spells a special token of the model.
    #[error("tool {tool} contains text that is one of the model's special tokens")]
    SpecialTokenInTool { tool: usize },
    /// The prompt has no tokens (an empty raw prompt).
    #[error("the prompt is empty")]
    EmptyPrompt,
    /// The caller went away (`generate_cancellable`'s flag was set).
    #[error("cancelled")]
    Cancelled,
}

/// What identifies a model for caching and records: the GGUF sha256, or the endpoint and
/// the model name it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelIdentity {
    pub name: String,
    pub provider: String,
    /// `sha256:<hex>` for a local file, `<base_url>#<model>` for an endpoint.
    pub id: String,
}

/// Runs chat requests and embeddings.
pub trait Provider: Send + Sync {
    fn identity(&self) -> &ModelIdentity;

    /// Generates every request, reporting progress through `on_event`; the results come
    /// back in request order.
    fn generate(
        &self,
        requests: &[ChatRequest],
        on_event: &mut dyn FnMut(&Event),
    ) -> Vec<Result<Completion, EngineError>>;

    /// `generate`, stopped early once `cancel` is set (the caller went away): requests not yet
    /// finished end with [`EngineError::Cancelled`], and their sequences are freed at once.
    /// Providers that cannot stop a request midway finish it.
    fn generate_cancellable(
        &self,
        requests: &[ChatRequest],
        cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
        on_event: &mut dyn FnMut(&Event),
    ) -> Vec<Result<Completion, EngineError>> {
        let _ = cancel;
        self.generate(requests, on_event)
    }

    /// One normalised embedding per text.
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EngineError>;

    /// Facts about an in-process model; `None` for an endpoint.
    fn local_info(&self) -> Option<&local::EngineInfo> {
        None
    }

    /// How many requests it answers at once: a local engine's sequences, an endpoint's
    /// concurrency (a pool's, summed).
    fn concurrency(&self) -> usize {
        1
    }

    /// What each endpoint did so far (endpoint models; empty for a local one).
    fn endpoint_uses(&self) -> Vec<openai::EndpointUse> {
        Vec::new()
    }
}

/// How to run a model, beyond what the config says.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub threads: Option<u32>,
    pub parallel: Option<u32>,
    /// Share evaluated prompt prefixes between sequences (default on).
    pub no_prefix_reuse: bool,
    pub verbose: bool,
    /// Overrides the model's `deterministic` setting.
    pub deterministic: Option<bool>,
}

/// Opens the model `name` of the config: a local GGUF (its sha256 checked first) or an
/// endpoint.
pub fn open(
    root: &std::path::Path,
    config: &crate::spec::config::Config,
    name: &str,
    options: &RunOptions,
) -> Result<Box<dyn Provider>, OpenError> {
    use crate::spec::config::Provider as Kind;
    let spec = config.models.get(name).ok_or_else(|| OpenError::Unknown {
        name: name.to_owned(),
        known: config.models.keys().cloned().collect(),
    })?;
    match spec.provider() {
        Kind::LlamaCpp => {
            let (path, _) = model_file::verify(root, name, spec, false)?;
            let identity = ModelIdentity { name: name.to_owned(), provider: "llama.cpp".into(), id: model_id(spec) };
            let local = local::LocalConfig {
                path,
                context: spec.context.unwrap_or(2048),
                threads: threads::decode_threads(options.threads.or(spec.threads)),
                parallel: options.parallel.or(spec.parallel).unwrap_or(local::LocalConfig::DEFAULT_PARALLEL),
                batch: local::LocalConfig::DEFAULT_BATCH,
                prefix_reuse: !options.no_prefix_reuse,
                verbose: options.verbose,
                deterministic: options.deterministic.or(spec.deterministic).unwrap_or(true),
                gpu_layers: spec.gpu_layers.unwrap_or(0),
                main_gpu: spec.main_gpu.unwrap_or(0),
                split_mode: spec.split_mode.unwrap_or(crate::spec::config::SplitMode::Layer),
            };
            Ok(Box::new(local::LocalEngine::start(identity, local)?))
        }
        Kind::OpenAi => {
            let urls = spec.base_urls();
            for base_url in &urls {
                crate::spec::config::check_base_url(base_url, spec.allow_insecure)
                    .map_err(|why| OpenError::Insecure { model: name.to_owned(), detail: format!("`base_url` {}: {why}", crate::endpoint::redact_url(base_url)) })?;
                if let (Some(var), Some((host, false))) = (&spec.api_key_env, crate::endpoint::host_of(base_url)) {
                    if !grants::is_granted(var, &host) {
                        return Err(OpenError::KeyNotGranted { model: name.to_owned(), var: var.clone(), host });
                    }
                }
            }
            let model = spec.model.clone().unwrap_or_default();
            let api_key = match &spec.api_key_env {
                Some(var) => match std::env::var(var) {
                    Ok(key) if !key.is_empty() => Some(key),
                    _ => return Err(OpenError::MissingKey { model: name.to_owned(), var: var.clone() }),
                },
                None => None,
            };
            let concurrency = spec.concurrency.unwrap_or(4) as usize;
            let endpoints = match &spec.endpoints {
                Some(pool) => pool
                    .iter()
                    .map(|e| openai::EndpointConfig { base_url: e.base_url.clone(), weight: e.weight.unwrap_or(1.0), concurrency: e.concurrency.map(|c| c as usize).unwrap_or(concurrency) })
                    .collect(),
                None => vec![openai::EndpointConfig { base_url: spec.base_url.clone().unwrap_or_default(), weight: 1.0, concurrency }],
            };
            let identity = ModelIdentity { name: name.to_owned(), provider: "openai".into(), id: model_id(spec) };
            let client = openai::OpenAiClient::new(
                identity,
                openai::OpenAiConfig {
                    endpoints,
                    model,
                    api_key,
                    api_key_env: spec.api_key_env.clone(),
                    timeout: Duration::from_secs_f64(spec.timeout_s.filter(|t| crate::spec::config::valid_timeout(*t)).unwrap_or(120.0)),
                    max_retries: 4,
                    check_models: spec.endpoints.is_some(),
                },
            )?;
            Ok(Box::new(client))
        }
    }
}

/// What a model is pinned by, in runs, cache keys and the gate: `sha256:<hex>` for a local
/// GGUF (with `#gpu_layers=N`, and the GPU and split mode, when layers are offloaded),
/// `<base_url>#<model>` (credentials and query left out) for an endpoint, every endpoint of a
/// pool sorted and joined by commas.
pub fn model_id(spec: &crate::spec::config::ModelSpec) -> String {
    use crate::spec::config::Provider as Kind;
    match spec.provider() {
        // Offloaded layers compute on another device, with other arithmetic: pinned too.
        Kind::LlamaCpp => {
            let mut id = format!("sha256:{}", spec.sha256.clone().unwrap_or_default().to_ascii_lowercase());
            if let Some(n) = spec.gpu_layers.filter(|n| *n > 0) {
                id.push_str(&format!("#gpu_layers={n}"));
                if let Some(g) = spec.main_gpu {
                    id.push_str(&format!("#main_gpu={g}"));
                }
                if let Some(m) = spec.split_mode {
                    id.push_str(&format!("#split_mode={}", serde_json::to_value(m).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()));
                }
            }
            id
        }
        // A pool: every endpoint, sorted (the order of the list changes nothing).
        Kind::OpenAi => {
            let mut urls: Vec<String> = spec.base_urls().into_iter().map(crate::endpoint::redact_url).collect();
            urls.sort();
            format!("{}#{}", urls.join(","), spec.model.clone().unwrap_or_default())
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no model `{name}` in `.llmops/config.yaml`")]
    Unknown { name: String, known: Vec<String> },
    #[error("model `{model}`: {detail}")]
    Insecure { model: String, detail: String },
    #[error("model `{model}` would send `${var}` to `{host}`, which you have not allowed (the repository's config names both)")]
    KeyNotGranted { model: String, var: String, host: String },
    #[error("model `{model}` takes its API key from `${var}`, which is not set")]
    MissingKey { model: String, var: String },
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// Scales `v` to unit length (left as is when it is all zeros).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

pub(crate) fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
