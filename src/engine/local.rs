//! The in-process llama.cpp engine. One context lives on its own thread (a `LlamaContext`
//! is not `Send`-safe to share) and is fed through channels. Requests are decoded with
//! continuous batching: up to `parallel` sequences share each `llama_decode` call, a new
//! request takes the first free slot as soon as one finishes, and its prompt prefill rides
//! in the same batch as the other sequences' decode steps. A prompt prefix that any slot has
//! already evaluated (a system prompt, few-shot examples) is not evaluated again: its KV
//! cells are copied into the new sequence with `llama_memory_seq_cp`.

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Instant;

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::{LlamaContextParams, LlamaPoolingType};
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

use super::{ChatRequest, Completion, EngineError, Event, FinishReason, ModelIdentity, Provider, Timings, Usage, millis, normalize};
use crate::spec::prompt::ResponseKind;

/// How the engine runs a model file.
#[derive(Debug, Clone)]
pub struct LocalConfig {
    pub path: PathBuf,
    /// Context per sequence, in tokens.
    pub context: u32,
    pub threads: u32,
    /// Sequences decoded together.
    pub parallel: u32,
    /// Tokens per `llama_decode` call.
    pub batch: u32,
    /// Share evaluated prompt prefixes between sequences.
    pub prefix_reuse: bool,
    /// Let llama.cpp log to stderr.
    pub verbose: bool,
    /// Batch-invariant decoding: a request's answer does not depend on which other requests
    /// share its batches (see [`Scheduler::step`]).
    pub deterministic: bool,
    /// Layers offloaded to a GPU (0: none), the main GPU, and how layers split over GPUs.
    pub gpu_layers: u32,
    pub main_gpu: u32,
    pub split_mode: crate::spec::config::SplitMode,
}

impl LocalConfig {
    pub const DEFAULT_PARALLEL: u32 = 8;
    pub const DEFAULT_BATCH: u32 = 512;
}

/// In deterministic mode, a prompt is evaluated in chunks of at least this many tokens (a
/// reused prefix is shortened to leave them), so every prefill takes the kernels of a
/// multi-token batch.
const MIN_PREFILL: usize = 8;
/// A reused prefix is cut to a multiple of this, so a prompt's tokens are grouped the same way
/// by kernels that work on groups of rows, whatever was reused.
const REUSE_ALIGN: usize = 32;

/// Facts about the loaded model.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EngineInfo {
    pub n_ctx_train: u32,
    pub n_params: u64,
    /// `gguf-jinja` when the GGUF's template renders with minijinja, `llama.cpp-builtin` otherwise.
    pub chat_template: String,
    pub threads: u32,
    pub parallel: u32,
    pub load_ms: f64,
    /// Deterministic mode pads generation steps, because a one-row step computed differently
    /// from a batched one on this build and CPU.
    pub padded_steps: bool,
    /// How the model calls tools, as its chat template shows.
    pub tool_syntax: super::chat_template::ToolSyntax,
}

enum Message {
    /// A job: its requests, where its events go, and a flag its caller sets on leaving.
    Generate { requests: Vec<ChatRequest>, events: Sender<Event>, cancel: Arc<AtomicBool> },
    Embed { texts: Vec<String>, reply: Sender<Result<Vec<Vec<f32>>, EngineError>> },
}

pub struct LocalEngine {
    identity: ModelIdentity,
    info: EngineInfo,
    tx: Option<Sender<Message>>,
    thread: Option<JoinHandle<()>>,
    cancel: Arc<AtomicBool>,
}

fn backend() -> Result<&'static LlamaBackend, EngineError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| LlamaBackend::init().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| EngineError::Llama(e.clone()))
}

unsafe extern "C" fn silent_log(
    _level: llama_cpp_sys_2::ggml_log_level,
    _text: *const std::os::raw::c_char,
    _user_data: *mut std::os::raw::c_void,
) {
}

impl LocalEngine {
    /// Loads the model on a new engine thread; returns once it is ready to generate.
    pub fn start(identity: ModelIdentity, config: LocalConfig) -> Result<LocalEngine, EngineError> {
        let shown = config.path.display().to_string();
        // Refuse what llama.cpp would choke on, with a reason, before it sees the file.
        super::gguf::read(&config.path).map_err(|e| EngineError::BadModel { path: shown.clone(), detail: e.to_string() })?;
        if !config.verbose {
            // SAFETY: installs a log callback that ignores its arguments.
            unsafe { llama_cpp_sys_2::llama_log_set(Some(silent_log), std::ptr::null_mut()) };
        }
        let (tx, rx) = mpsc::channel();
        let (ready_tx, ready_rx) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let worker_cancel = cancel.clone();
        let thread = std::thread::Builder::new()
            .name("llmops-engine".into())
            .spawn(move || worker(config, ready_tx, rx, worker_cancel))
            .map_err(|e| EngineError::Llama(format!("cannot start the engine thread: {e}")))?;
        let info = ready_rx.recv().map_err(|_| EngineError::Stopped)??;
        Ok(LocalEngine { identity, info, tx: Some(tx), thread: Some(thread), cancel })
    }

    pub fn info(&self) -> &EngineInfo {
        &self.info
    }

    /// A flag that, once set, stops every request in flight (Ctrl-C).
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }
}

impl Drop for LocalEngine {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Provider for LocalEngine {
    fn concurrency(&self) -> usize {
        self.info.parallel as usize
    }

    fn identity(&self) -> &ModelIdentity {
        &self.identity
    }

    fn local_info(&self) -> Option<&EngineInfo> {
        Some(&self.info)
    }

    fn generate(&self, requests: &[ChatRequest], on_event: &mut dyn FnMut(&Event)) -> Vec<Result<Completion, EngineError>> {
        self.generate_cancellable(requests, Arc::new(AtomicBool::new(false)), on_event)
    }

    /// Jobs from any number of threads join the running batch as slots free up.
    fn generate_cancellable(&self, requests: &[ChatRequest], cancel: Arc<AtomicBool>, on_event: &mut dyn FnMut(&Event)) -> Vec<Result<Completion, EngineError>> {
        let mut results: Vec<Option<Result<Completion, EngineError>>> = vec![None; requests.len()];
        let (events_tx, events_rx) = mpsc::channel();
        let sent = self
            .tx
            .as_ref()
            .map(|tx| tx.send(Message::Generate { requests: requests.to_vec(), events: events_tx, cancel }).is_ok())
            .unwrap_or(false);
        if sent {
            let mut remaining = requests.len();
            while remaining > 0 {
                let Ok(event) = events_rx.recv() else { break };
                on_event(&event);
                if let Event::Done { index, result } = event {
                    results[index] = Some(result);
                    remaining -= 1;
                }
            }
        }
        results.into_iter().map(|r| r.unwrap_or(Err(EngineError::Stopped))).collect()
    }

    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EngineError> {
        let (reply, rx) = mpsc::channel();
        let tx = self.tx.as_ref().ok_or(EngineError::Stopped)?;
        tx.send(Message::Embed { texts: texts.to_vec(), reply }).map_err(|_| EngineError::Stopped)?;
        rx.recv().map_err(|_| EngineError::Stopped)?
    }
}

fn worker(config: LocalConfig, ready: Sender<Result<EngineInfo, EngineError>>, rx: Receiver<Message>, cancel: Arc<AtomicBool>) {
    let started = Instant::now();
    let shown = config.path.display().to_string();
    let setup = (|| {
        let backend = backend()?;
        use crate::spec::config::SplitMode;
        use llama_cpp_2::model::params::LlamaSplitMode;
        // Explicitly: llama.cpp's own default offloads every layer when a GPU is there.
        let params = LlamaModelParams::default()
            .with_n_gpu_layers(config.gpu_layers)
            .with_main_gpu(i32::try_from(config.main_gpu).unwrap_or(0))
            .with_split_mode(match config.split_mode {
                SplitMode::None => LlamaSplitMode::None,
                SplitMode::Layer => LlamaSplitMode::Layer,
                SplitMode::Row => LlamaSplitMode::Row,
            });
        let model = LlamaModel::load_from_file(backend, &config.path, &params)
            .map_err(|e| EngineError::BadModel { path: shown.clone(), detail: e.to_string() })?;
        Ok::<_, EngineError>((backend, model))
    })();
    let (backend, model) = match setup {
        Ok(v) => v,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let parallel = config.parallel.max(1);
    let kv_per_seq = kv_cells(1, config.context);
    let mut ctx = match new_context(&model, backend, &config, kv_per_seq) {
        Ok(c) => c,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    // `LLMOPS_PAD_STEPS=1` pads even where it is not needed (tests/determinism.rs checks the
    // padding on machines that do not need it).
    let forced = std::env::var("LLMOPS_PAD_STEPS").is_ok_and(|v| v == "1");
    let pad_steps = config.deterministic && (forced || one_row_steps_differ(&mut ctx, &model));
    let template = ChatFormat::of(&model);
    let info = EngineInfo {
        n_ctx_train: model.n_ctx_train(),
        n_params: model.n_params(),
        chat_template: template.name().into(),
        threads: config.threads,
        parallel,
        load_ms: millis(started.elapsed()),
        padded_steps: pad_steps,
        tool_syntax: template.tool_syntax(),
    };
    if ready.send(Ok(info)).is_err() {
        return;
    }
    let mut scheduler = Scheduler::new(&model, backend, ctx, kv_per_seq, template, &config, cancel, pad_steps);
    let mut embedder: Option<LlamaContext<'_>> = None;
    // Waits for work when there is none; between decode steps, takes whatever has arrived, so
    // jobs from several callers share the batch. Ends when every sender is gone and all is done.
    loop {
        let mut next = if scheduler.busy() {
            rx.try_recv().ok()
        } else {
            match rx.recv() {
                Ok(message) => Some(message),
                Err(_) => return,
            }
        };
        while let Some(message) = next.take() {
            match message {
                Message::Generate { requests, events, cancel } => scheduler.enqueue(requests, events, cancel),
                Message::Embed { texts, reply } => {
                    let result = embed(&model, backend, &mut embedder, &config, &texts);
                    let _ = reply.send(result);
                }
            }
            next = rx.try_recv().ok();
        }
        scheduler.tick();
    }
}

/// How long requests that fit the streams may go ahead of one that waits for them to grow.
const OVERTAKE_FOR: std::time::Duration = std::time::Duration::from_secs(1);

/// KV cells per sequence come in steps of this many: llama.cpp attends over a multiple of 256
/// cells whatever a stream's size, so a stream of any such size gives the same arithmetic.
const KV_STEP: u32 = 256;

/// KV cells per sequence for a job whose longest request needs `need` (prompt, new tokens and
/// one): the next step up, at most the configured context. Decoding slows as streams grow
/// (eight streams of 2,048 cells decoded 10–20% slower than of 256 in `llmops bench`, and
/// `parallel: 32` at 2,048 would hold 1.5 GB of KV), so streams are sized for the job.
fn kv_cells(need: usize, context: u32) -> u32 {
    let need = u32::try_from(need).unwrap_or(u32::MAX);
    need.div_ceil(KV_STEP).max(1).saturating_mul(KV_STEP).min(context.max(1))
}

/// A context with one KV stream of `per_seq` cells per sequence (and, in deterministic mode,
/// one more for the padding row of single-sequence steps).
fn new_context<'m>(model: &'m LlamaModel, backend: &LlamaBackend, config: &LocalConfig, per_seq: u32) -> Result<LlamaContext<'m>, EngineError> {
    let streams = config.parallel.max(1) + u32::from(config.deterministic);
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(per_seq.saturating_mul(streams)))
        .with_n_batch(config.batch)
        .with_n_ubatch(config.batch)
        .with_n_seq_max(streams)
        .with_n_threads(config.threads as i32)
        .with_n_threads_batch(config.threads as i32)
        // One KV stream per sequence: attention of a sequence spans its own cells only,
        // not every sequence's, which matters once prompts are long.
        .with_kv_unified(false)
        .with_flash_attention_policy(flash_attention());
    model.new_context(backend, params).map_err(|e| EngineError::Llama(format!("cannot create a context: {e}")))
}

/// Whether the engine asks for flash attention (`on`, or `auto`, which turns it on for the CPU).
pub fn flash_attention_on() -> bool {
    flash_attention() != llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_DISABLED
}

/// llama.cpp's flash-attention policy: `LLMOPS_FLASH_ATTN=on|off|auto` (default off).
fn flash_attention() -> llama_cpp_sys_2::llama_flash_attn_type {
    match std::env::var("LLMOPS_FLASH_ATTN").as_deref() {
        Ok("on") => llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_ENABLED,
        Ok("off") => llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_DISABLED,
        Ok("auto") => llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_AUTO,
        // On CPU, flash attention decoded 5x slower at a 930-token context in our probe.
        _ => llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_DISABLED,
    }
}

/// How chat messages become prompt text for this model.
enum ChatFormat {
    Jinja { template: String, bos: String, eos: String, builtin: Option<llama_cpp_2::model::LlamaChatTemplate> },
    Builtin(llama_cpp_2::model::LlamaChatTemplate),
}

impl ChatFormat {
    fn of(model: &LlamaModel) -> ChatFormat {
        let piece = |t: LlamaToken| String::from_utf8_lossy(&model.vocab().token_to_piece(t, true, None)).into_owned();
        let builtin = model.chat_template(None).ok();
        match model.meta_val_str("tokenizer.chat_template") {
            Ok(template) => ChatFormat::Jinja {
                template,
                bos: piece(model.vocab().bos()),
                eos: piece(model.vocab().eos()),
                builtin,
            },
            Err(_) => ChatFormat::Builtin(
                builtin.unwrap_or_else(|| llama_cpp_2::model::LlamaChatTemplate::new("chatml").expect("static name")),
            ),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            ChatFormat::Jinja { .. } => "gguf-jinja",
            ChatFormat::Builtin(_) => "llama.cpp-builtin",
        }
    }

    fn tool_syntax(&self) -> super::chat_template::ToolSyntax {
        match self {
            ChatFormat::Jinja { template, .. } => super::chat_template::ToolSyntax::of(template),
            ChatFormat::Builtin(_) => super::chat_template::ToolSyntax::Generic,
        }
    }

    fn render(&self, model: &LlamaModel, messages: &[crate::template::RenderedMessage], tools: Option<&[serde_json::Value]>) -> Result<String, EngineError> {
        let builtin = |t: &llama_cpp_2::model::LlamaChatTemplate| {
            let chat: Result<Vec<_>, _> =
                messages.iter().map(|m| LlamaChatMessage::new(m.role.clone(), m.content.clone())).collect();
            let chat = chat.map_err(|e| EngineError::Llama(e.to_string()))?;
            model.apply_chat_template(t, &chat, true).map_err(|e| EngineError::Llama(format!("chat template: {e}")))
        };
        match self {
            ChatFormat::Jinja { template, bos, eos, builtin: fallback } => {
                match super::chat_template::render_with_tools(template, messages, tools, bos, eos) {
                    Ok(text) => Ok(text),
                    // The built-in templates know no tools.
                    Err(e) if tools.is_some() => Err(EngineError::Llama(format!("chat template: {e}"))),
                    Err(e) => match fallback {
                        Some(t) => builtin(t),
                        None => Err(EngineError::Llama(format!("chat template: {e}"))),
                    },
                }
            }
            ChatFormat::Builtin(t) => builtin(t),
        }
    }
}

/// One sequence of the batch and the KV cells it holds.
struct Slot {
    seq: i32,
    /// Tokens whose KV cells this sequence holds or is about to hold.
    tokens: Vec<LlamaToken>,
    /// How many of `tokens` are evaluated.
    evaluated: usize,
    active: Option<Active>,
}

/// A request being generated in a slot.
struct Active {
    index: usize,
    /// Where its job's events go, and the flag its caller sets on leaving.
    events: Sender<Event>,
    cancel: Arc<AtomicBool>,
    prompt_len: usize,
    /// `None`: plain greedy decoding, the first token of highest logit ([`argmax`]).
    sampler: Option<LlamaSampler>,
    /// A grammar checked lazily under greedy decoding ([`greedy_under`]).
    grammar: Option<LlamaSampler>,
    max_tokens: u32,
    ignore_eos: bool,
    stop: Vec<String>,
    schema: Option<serde_json::Value>,
    wants_json: bool,
    bytes: Vec<u8>,
    text: String,
    streamed: usize,
    generated: u32,
    /// The token sampled last, to be fed in the next decode.
    next: Option<LlamaToken>,
    /// Batch index of this slot's logits after the coming decode.
    logits_at: Option<i32>,
    submitted: Instant,
    first_token: Option<Instant>,
    choices: Vec<String>,
    choice_probs: Option<std::collections::BTreeMap<String, f64>>,
}

struct Scheduler<'m> {
    model: &'m LlamaModel,
    backend: &'m LlamaBackend,
    config: LocalConfig,
    ctx: LlamaContext<'m>,
    /// KV cells each sequence's stream holds in `ctx`.
    kv_per_seq: u32,
    template: ChatFormat,
    slots: Vec<Slot>,
    batch: LlamaBatch<'static>,
    batch_size: usize,
    context: u32,
    prefix_reuse: bool,
    cancel: Arc<AtomicBool>,
    /// Deterministic mode, where a one-row step computes differently from a batched one
    /// ([`one_row_steps_differ`]): steps are padded to contiguous runs of two or more rows.
    pad_steps: bool,
    /// Sequences holding a throw-away row of the step being decoded, emptied after it.
    pads: Vec<i32>,
    /// Requests waiting for a slot, first come first served.
    queue: VecDeque<Queued>,
}

/// Pending request: its index in the job and its tokens.
struct Queued {
    index: usize,
    events: Sender<Event>,
    cancel: Arc<AtomicBool>,
    request: ChatRequest,
    tokens: Vec<LlamaToken>,
    submitted: Instant,
}

fn common_prefix(a: &[LlamaToken], b: &[LlamaToken]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

impl<'m> Scheduler<'m> {
    fn new(
        model: &'m LlamaModel,
        backend: &'m LlamaBackend,
        ctx: LlamaContext<'m>,
        kv_per_seq: u32,
        template: ChatFormat,
        config: &LocalConfig,
        cancel: Arc<AtomicBool>,
        pad_steps: bool,
    ) -> Self {
        let parallel = config.parallel.max(1) as i32;
        let slots = (0..parallel).map(|seq| Slot { seq, tokens: Vec::new(), evaluated: 0, active: None }).collect();
        Scheduler {
            model,
            backend,
            config: config.clone(),
            ctx,
            kv_per_seq,
            template,
            slots,
            batch: LlamaBatch::new(config.batch as usize, parallel),
            batch_size: config.batch as usize,
            context: config.context,
            prefix_reuse: config.prefix_reuse,
            cancel,
            pad_steps,
            pads: Vec::new(),
            queue: VecDeque::new(),
        }
    }

    fn tokenize(&self, request: &ChatRequest) -> Result<Vec<LlamaToken>, EngineError> {
        if request.refuse_special {
            let vocab = self.model.vocab();
            let texts = request.raw_prompt.iter().map(String::as_str).chain(request.messages.iter().map(|m| m.content.as_str()));
            for (message, text) in texts.enumerate() {
                // Read with special tokens and without: the same tokens unless the text spells one.
                if vocab.tokenize(text.as_bytes(), false, true) != vocab.tokenize(text.as_bytes(), false, false) {
                    return Err(EngineError::SpecialToken { message });
                }
            }
            // Tools a template renders are text of the prompt too (names, descriptions, schemas).
            for (tool, definition) in request.tools.iter().flatten().enumerate() {
                let text = definition.to_string();
                if vocab.tokenize(text.as_bytes(), false, true) != vocab.tokenize(text.as_bytes(), false, false) {
                    return Err(EngineError::SpecialTokenInTool { tool });
                }
            }
        }
        let text = match &request.raw_prompt {
            Some(raw) => raw.clone(),
            None => self.template.render(self.model, &request.messages, request.tools.as_deref())?,
        };
        let vocab = self.model.vocab();
        let bos = String::from_utf8_lossy(&vocab.token_to_piece(vocab.bos(), true, None)).into_owned();
        let add_bos = vocab.should_add_bos() && !(bos.len() > 0 && text.starts_with(&bos));
        let tokens = vocab.tokenize(text.as_bytes(), add_bos, true);
        if tokens.is_empty() {
            return Err(EngineError::EmptyPrompt);
        }
        if tokens.len() >= self.context as usize {
            return Err(EngineError::PromptTooLong { tokens: tokens.len(), context: self.context });
        }
        Ok(tokens)
    }

    /// Whether a request's grammar is checked lazily: under plain greedy decoding (no
    /// penalty), the grammar needs to judge only the token of highest logit, and all of them
    /// only when it refuses that one ([`greedy_under`]), which gives the same token as masking
    /// every candidate first at a fraction of the cost.
    fn lazy(request: &ChatRequest) -> bool {
        request.grammar.is_some() && request.temperature() <= 0.0 && request.params.repeat_penalty.is_none()
    }

    fn lazy_grammar(&self, request: &ChatRequest) -> Result<Option<LlamaSampler>, EngineError> {
        match &request.grammar {
            Some(g) if Self::lazy(request) => LlamaSampler::grammar(self.model, g, "root").map(Some).map_err(|e| EngineError::Llama(format!("grammar: {e}"))),
            _ => Ok(None),
        }
    }

    /// The request's sampler chain; `None` for plain greedy decoding, which needs no chain
    /// (llama.cpp's would copy all 49k logits into a candidate array per token).
    fn sampler(&self, request: &ChatRequest) -> Result<(Option<LlamaSampler>, Option<serde_json::Value>, bool), EngineError> {
        let p = &request.params;
        let mut chain = Vec::new();
        let mut schema = None;
        let mut wants_json = false;
        if let Some(grammar) = request.grammar.as_ref().filter(|_| !Self::lazy(request)) {
            chain.push(LlamaSampler::grammar(self.model, grammar, "root").map_err(|e| EngineError::Llama(format!("grammar: {e}")))?);
        } else if let Some(format) = &request.response_format {
            let schema_text = match format.kind {
                ResponseKind::Text => None,
                ResponseKind::JsonObject => Some("{\"type\": \"object\"}".to_owned()),
                ResponseKind::JsonSchema => format.schema.as_ref().map(|s| s.to_string()),
            };
            if let Some(schema_text) = schema_text {
                wants_json = true;
                schema = format.schema.clone();
                let grammar = llama_cpp_2::json_schema_to_grammar(&schema_text)
                    .map_err(|e| EngineError::Llama(format!("the response schema has no grammar: {e}")))?;
                chain.push(
                    LlamaSampler::grammar(self.model, &grammar, "root")
                        .map_err(|e| EngineError::Llama(format!("grammar: {e}")))?,
                );
            }
        }
        if let Some(penalty) = p.repeat_penalty {
            chain.push(LlamaSampler::penalties(self.model.n_vocab(), 64, penalty as f32, 0.0, 0.0));
        }
        if request.temperature() <= 0.0 {
            if chain.is_empty() {
                return Ok((None, schema, wants_json));
            }
            chain.push(LlamaSampler::greedy());
        } else {
            if let Some(k) = p.top_k {
                chain.push(LlamaSampler::top_k(k as i32));
            }
            if let Some(top_p) = p.top_p {
                chain.push(LlamaSampler::top_p(top_p as f32, 1));
            }
            if let Some(min_p) = p.min_p {
                chain.push(LlamaSampler::min_p(min_p as f32, 1));
            }
            chain.push(LlamaSampler::temp(request.temperature() as f32));
            chain.push(LlamaSampler::dist(request.seed()));
        }
        Ok((Some(LlamaSampler::chain_simple(chain)), schema, wants_json))
    }

    /// Queues the requests of one job; one that cannot be tokenized ends at once.
    fn enqueue(&mut self, requests: Vec<ChatRequest>, events: Sender<Event>, cancel: Arc<AtomicBool>) {
        for (index, request) in requests.into_iter().enumerate() {
            let submitted = Instant::now();
            match self.tokenize(&request) {
                Ok(tokens) => self.queue.push_back(Queued { index, events: events.clone(), cancel: cancel.clone(), request, tokens, submitted }),
                Err(e) => {
                    let _ = events.send(Event::Done { index, result: Err(e) });
                }
            }
        }
    }

    /// Whether any request is generating or waiting.
    fn busy(&self) -> bool {
        !self.queue.is_empty() || self.slots.iter().any(|s| s.active.is_some())
    }

    /// One round: drops what was cancelled, sizes the streams when every slot is free, fills
    /// free slots, and decodes one step.
    fn tick(&mut self) {
        let all = self.cancel.load(Ordering::Relaxed) || super::INTERRUPTED.load(Ordering::Relaxed);
        for slot in &mut self.slots {
            if slot.active.as_ref().is_some_and(|a| all || a.cancel.load(Ordering::Relaxed)) {
                let active = slot.active.take().expect("checked");
                let error = if all { EngineError::Interrupted } else { EngineError::Cancelled };
                let _ = active.events.send(Event::Done { index: active.index, result: Err(error) });
                // The cells past what was evaluated are not valid: the prefix stays reusable.
                slot.tokens.truncate(slot.evaluated);
            }
        }
        let mut kept = VecDeque::with_capacity(self.queue.len());
        for q in self.queue.drain(..) {
            if all || q.cancel.load(Ordering::Relaxed) {
                let error = if all { EngineError::Interrupted } else { EngineError::Cancelled };
                let _ = q.events.send(Event::Done { index: q.index, result: Err(error) });
            } else {
                kept.push_back(q);
            }
        }
        self.queue = kept;
        if self.slots.iter().all(|s| s.active.is_none()) && !self.queue.is_empty() {
            if let Err(e) = self.fit_streams() {
                for q in self.queue.drain(..) {
                    let _ = q.events.send(Event::Done { index: q.index, result: Err(e.clone()) });
                }
                return;
            }
        }
        self.assign();
        if self.slots.iter().any(|s| s.active.is_some()) {
            self.step();
        }
    }

    /// Sizes the KV streams for the queued requests (only when no slot is active): grown when the longest needs more cells,
    /// shrunk when it needs a quarter or less. A new context holds no evaluated prefixes.
    /// Both contexts live while the new one is made: growing, the old one is the smaller;
    /// shrinking, the new one is at most a quarter of the old.
    fn fit_streams(&mut self) -> Result<(), EngineError> {
        let Some(need) = self.queue.iter().map(|q| q.tokens.len() + q.request.max_tokens() as usize + 1).max() else {
            return Ok(());
        };
        let target = kv_cells(need, self.context);
        if target > self.kv_per_seq || target.saturating_mul(4) <= self.kv_per_seq {
            self.ctx = new_context(self.model, self.backend, &self.config, target)?;
            self.kv_per_seq = target;
            for slot in &mut self.slots {
                slot.tokens.clear();
                slot.evaluated = 0;
            }
        }
        Ok(())
    }

    /// Moves queued requests into free slots, first come first served, reusing the longest
    /// evaluated prefix any slot holds. A request whose stream would need more cells than the
    /// streams have waits until the running requests finish and the streams grow; those behind
    /// it that fit go ahead of it, for at most [`OVERTAKE_FOR`], then wait too.
    fn assign(&mut self) {
        while let Some(free) = self.slots.iter().position(|s| s.active.is_none()) {
            let fits = |q: &Queued| kv_cells(q.tokens.len() + q.request.max_tokens() as usize + 1, self.context) <= self.kv_per_seq;
            let Some(head) = self.queue.front() else { return };
            let index = if fits(head) {
                0
            } else if head.submitted.elapsed() < OVERTAKE_FOR {
                match self.queue.iter().position(fits) {
                    Some(i) => i,
                    None => return,
                }
            } else {
                return;
            };
            let next = &self.queue[index];
            // Best evaluated prefix, and the best one that is still being prefilled.
            let mut best = (0usize, free);
            let mut pending_best = 0usize;
            for (i, slot) in self.slots.iter().enumerate() {
                if !self.prefix_reuse {
                    continue;
                }
                let done = common_prefix(&slot.tokens[..slot.evaluated], &next.tokens);
                if done > best.0 {
                    best = (done, i);
                }
                if slot.active.is_some() {
                    pending_best = pending_best.max(common_prefix(&slot.tokens, &next.tokens));
                }
            }
            // A long prefix that another slot is evaluating right now: wait for it rather
            // than evaluate it twice.
            if self.prefix_reuse && pending_best >= best.0 + 32 && self.slots.iter().any(|s| s.active.is_some()) {
                return;
            }
            let q = self.queue.remove(index).expect("the index is in the queue");
            let reuse = if self.config.deterministic {
                let keep = q.tokens.len().saturating_sub(MIN_PREFILL).min(best.0);
                keep - keep % REUSE_ALIGN
            } else {
                best.0.min(q.tokens.len() - 1)
            };
            let seq = self.slots[free].seq;
            if best.1 != free && reuse > 0 {
                // Streams are separate buffers: llama.cpp copies a whole stream, then this
                // slot drops what lies past the shared prefix.
                let src = self.slots[best.1].seq;
                let _ = self.ctx.copy_kv_cache_seq(src, seq, None, None);
            }
            let _ = self.ctx.clear_kv_cache_seq(Some(seq as u32), Some(reuse as u32), None);
            let grammar = match self.lazy_grammar(&q.request) {
                Ok(g) => g,
                Err(e) => {
                    let _ = q.events.send(Event::Done { index: q.index, result: Err(e) });
                    continue;
                }
            };
            let (sampler, schema, wants_json) = match self.sampler(&q.request) {
                Ok(s) => s,
                Err(e) => {
                    let _ = q.events.send(Event::Done { index: q.index, result: Err(e) });
                    continue;
                }
            };
            let slot = &mut self.slots[free];
            slot.tokens = q.tokens;
            slot.evaluated = reuse;
            slot.active = Some(Active {
                index: q.index,
                events: q.events,
                cancel: q.cancel,
                prompt_len: slot.tokens.len(),
                sampler,
                grammar,
                max_tokens: q.request.max_tokens(),
                ignore_eos: q.request.ignore_eos,
                stop: q.request.params.stop.clone(),
                schema,
                wants_json,
                bytes: Vec::new(),
                text: String::new(),
                streamed: 0,
                generated: 0,
                next: None,
                logits_at: None,
                submitted: q.submitted,
                first_token: None,
                choices: q.request.choices.clone(),
                choice_probs: None,
            });
        }
    }

    /// One `llama_decode`: decode steps of generating slots, then prompt chunks of the others.
    ///
    /// Deterministic mode makes each request's arithmetic independent of its neighbours.
    /// llama.cpp picks matrix kernels by the shape of a batch: one row or several (on CPUs
    /// with AMX, a vector kernel for one row and tile kernels for more), and it splits a batch
    /// that mixes sequences into equal-sized pieces per sequence, so a prompt mixed with other
    /// sequences' steps is evaluated in pieces that depend on them. So here a prompt is
    /// evaluated alone, in chunks of at least [`MIN_PREFILL`] tokens, with logits for its last
    /// two tokens, and generation steps carry only one token per sequence. Where a one-row step
    /// computes differently from a batched one (checked when the engine starts), steps are
    /// padded with throw-away rows so that llama.cpp decodes them as one run of two or more.
    fn step(&mut self) {
        self.batch.clear();
        if self.config.deterministic {
            if !self.prefill_together() {
                self.decode_steps();
            }
        } else {
            self.mixed();
        }
        self.finish_step();
    }

    /// Deterministic mode: the next chunk of the shortest prompt waiting for prefill, with the
    /// same chunk of every other waiting prompt that can take it, in a batch of their own (no
    /// generation steps). Whether there was one. Prompts share a call only where one-row and
    /// batched steps agree (no padding needed) and the chunk has at least [`MIN_PREFILL`]
    /// tokens; elsewhere each prompt is evaluated alone, as its own `run` would.
    fn prefill_together(&mut self) -> bool {
        let mut waiting: Vec<(usize, usize)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.active.as_ref().filter(|a| a.next.is_none() && s.evaluated < a.prompt_len).map(|a| (i, a.prompt_len - s.evaluated)))
            .collect();
        let chunk = prefill_chunk(&waiting.iter().map(|w| w.1).collect::<Vec<_>>(), self.batch_size);
        if chunk == 0 {
            return false;
        }
        // The shortest goes first and always takes its chunk; the others only join it.
        let shortest = (0..waiting.len()).min_by_key(|&i| waiting[i].1).unwrap_or(0);
        let first = waiting.remove(shortest);
        let together = !self.pad_steps && chunk >= MIN_PREFILL;
        let joining: Vec<(usize, usize)> = if together { waiting.into_iter().filter(|w| joins_chunk(w.1, chunk)).collect() } else { Vec::new() };
        let mut members = vec![first];
        members.extend(joining);
        members.sort_unstable();
        for other in &mut self.slots {
            if let Some(a) = other.active.as_mut().filter(|a| a.next.is_some()) {
                a.logits_at = None;
            }
        }
        let mut row = 0i32;
        for (i, _) in members {
            if row > 0 && row as usize + chunk > self.batch_size {
                continue;
            }
            let slot = &mut self.slots[i];
            let active = slot.active.as_mut().expect("active slot");
            let end = slot.evaluated + chunk;
            for pos in slot.evaluated..end {
                let _ = self.batch.add(slot.tokens[pos], pos as i32, &[slot.seq], pos + 2 >= active.prompt_len);
                if pos + 1 == active.prompt_len {
                    active.logits_at = Some(row);
                }
                row += 1;
            }
            slot.evaluated = end;
        }
        true
    }

    /// Adds the next token of every generating sequence to the batch; how many.
    fn add_generation_steps(&mut self) -> usize {
        let mut used = 0usize;
        for slot in &mut self.slots {
            let Some(active) = slot.active.as_mut() else { continue };
            active.logits_at = None;
            if let Some(token) = active.next.take() {
                slot.tokens.push(token);
                let _ = self.batch.add(token, slot.tokens.len() as i32 - 1, &[slot.seq], true);
                active.logits_at = Some(used as i32);
                used += 1;
            }
        }
        used
    }

    /// Deterministic mode: one generation step of every generating sequence, with the padding
    /// rows [`step_rows`] asks for, every row in ascending sequence order (llama.cpp takes a
    /// run of consecutive sequences in batch order). A padding row goes to an idle slot's
    /// sequence, whose cached prefix is dropped first, or to the spare sequence after the slots.
    fn decode_steps(&mut self) {
        if !self.pad_steps {
            self.add_generation_steps();
            return;
        }
        for active in self.slots.iter_mut().filter_map(|s| s.active.as_mut()) {
            active.logits_at = None;
        }
        let stepping: Vec<i32> = self.slots.iter().filter(|s| s.active.as_ref().is_some_and(|a| a.next.is_some())).map(|s| s.seq).collect();
        let token = self.slots.iter().find_map(|s| s.tokens.first().copied()).unwrap_or(LlamaToken(0));
        for (row, (seq, padding)) in step_rows(&stepping, self.slots.len() as i32).into_iter().enumerate() {
            if padding {
                if let Some(idle) = self.slots.get_mut(seq as usize) {
                    idle.tokens.clear();
                    idle.evaluated = 0;
                }
                let _ = self.ctx.clear_kv_cache_seq(Some(seq as u32), None, None);
                let _ = self.batch.add(token, 0, &[seq], true);
                self.pads.push(seq);
                continue;
            }
            let slot = &mut self.slots[seq as usize];
            let active = slot.active.as_mut().expect("a stepping slot is active");
            let next = active.next.take().expect("a stepping slot has its next token");
            slot.tokens.push(next);
            let _ = self.batch.add(next, slot.tokens.len() as i32 - 1, &[slot.seq], true);
            active.logits_at = Some(row as i32);
        }
    }

    /// Throughput mode: every generating sequence's step, then prompt chunks of the others, in
    /// one batch.
    fn mixed(&mut self) {
        let mut used = self.add_generation_steps();
        for slot in &mut self.slots {
            let Some(active) = slot.active.as_mut() else { continue };
            if active.logits_at.is_some() || slot.evaluated >= active.prompt_len {
                continue;
            }
            let room = self.batch_size - used;
            if room == 0 {
                break;
            }
            let end = active.prompt_len.min(slot.evaluated + room);
            for pos in slot.evaluated..end {
                let last = pos + 1 == active.prompt_len;
                let _ = self.batch.add(slot.tokens[pos], pos as i32, &[slot.seq], last);
                if last {
                    active.logits_at = Some(used as i32);
                }
                used += 1;
            }
            slot.evaluated = end;
        }
    }

    /// Decodes the batch built for this step and samples every sequence that has logits.
    /// The cells of padding rows are freed again after the decode.
    fn finish_step(&mut self) {
        if self.batch.n_tokens() == 0 {
            return;
        }
        let decoded = self.ctx.decode(&mut self.batch);
        for seq in self.pads.drain(..) {
            let _ = self.ctx.clear_kv_cache_seq(Some(seq as u32), None, None);
        }
        if let Err(e) = decoded {
            for slot in &mut self.slots {
                if let Some(active) = slot.active.take() {
                    if active.logits_at.is_some() || slot.evaluated < active.prompt_len {
                        let _ = active.events.send(Event::Done { index: active.index, result: Err(EngineError::Llama(e.to_string())) });
                        slot.tokens.clear();
                        slot.evaluated = 0;
                        let _ = self.ctx.clear_kv_cache_seq(Some(slot.seq as u32), None, None);
                    } else {
                        slot.active = Some(active);
                    }
                }
            }
            return;
        }
        let vocab = self.model.vocab();
        for slot in &mut self.slots {
            let done = {
                let Some(active) = slot.active.as_mut() else { continue };
                let Some(at) = active.logits_at else { continue };
                // Every token the slot has fed is evaluated now.
                slot.evaluated = slot.tokens.len();
                if active.generated == 0 && !active.choices.is_empty() {
                    let logits = self.ctx.get_logits_ith(at);
                    active.choice_probs = super::choice_distribution(&active.choices, |label| {
                        let first = *vocab.tokenize(label.as_bytes(), false, false).first()?;
                        logits.get(first.0 as usize).map(|x| f64::from(*x))
                    });
                }
                let token = match (active.sampler.as_mut(), active.grammar.as_mut()) {
                    (Some(sampler), _) => sampler.sample(&self.ctx, at),
                    (None, Some(grammar)) => greedy_under(grammar, self.ctx.get_logits_ith(at)),
                    (None, None) => argmax(self.ctx.get_logits_ith(at)),
                };
                let now = Instant::now();
                active.first_token.get_or_insert(now);
                if vocab.is_eog(token) && !active.ignore_eos {
                    Some(FinishReason::Stop)
                } else {
                    active.generated += 1;
                    active.bytes.extend(vocab.token_to_piece(token, false, None));
                    decode_utf8(&mut active.bytes, &mut active.text);
                    let stopped = find_stop(&active.text, &active.stop);
                    if let Some(cut) = stopped {
                        active.text.truncate(cut);
                    }
                    stream(active, stopped.is_some());
                    if stopped.is_some() {
                        Some(FinishReason::Stop)
                    } else if active.generated >= active.max_tokens
                        || slot.tokens.len() + 1 >= self.kv_per_seq as usize
                    {
                        Some(FinishReason::Length)
                    } else {
                        active.next = Some(token);
                        None
                    }
                }
            };
            if let Some(reason) = done {
                let mut active = slot.active.take().expect("active slot");
                active.text.push_str(&String::from_utf8_lossy(&active.bytes));
                active.bytes.clear();
                stream(&mut active, true);
                let result = finish(&active, reason);
                let _ = active.events.send(Event::Done { index: active.index, result });
            }
        }
    }
}

/// The chunk length of a deterministic prefill step, given the tokens each waiting prompt has
/// left: what the shortest would take alone (all of it, or up to a batch while leaving at least
/// [`MIN_PREFILL`] for its last chunk). 0 when none waits.
fn prefill_chunk(remaining: &[usize], batch: usize) -> usize {
    let Some(&shortest) = remaining.iter().min() else { return 0 };
    if shortest <= batch { shortest } else { batch.min(shortest - MIN_PREFILL) }
}

/// Whether a prompt with `remaining` tokens left takes a chunk of `chunk` tokens: every chunk
/// but a prompt's whole remainder has at least [`MIN_PREFILL`] tokens, and so does what is left.
fn joins_chunk(remaining: usize, chunk: usize) -> bool {
    remaining == chunk || (chunk >= MIN_PREFILL && remaining >= chunk + MIN_PREFILL)
}

/// The rows of a padded step of the sequences `stepping` (ascending) among `slots` slot
/// sequences, the spare sequence `slots` after them, in batch order: `(sequence, padding)`.
/// Padding fills the idle sequences between the first and the last, and pairs a lone sequence
/// with the next (or, for the spare's neighbour, the previous). With separate KV streams,
/// llama.cpp decodes a batch in runs of consecutive sequences taken in batch order
/// (`split_equal`), so a gap, an out-of-order row or a single sequence would otherwise be
/// decoded as one-row pieces.
fn step_rows(stepping: &[i32], slots: i32) -> Vec<(i32, bool)> {
    let (Some(&first), Some(&last)) = (stepping.first(), stepping.last()) else { return Vec::new() };
    let (lo, hi) = if first == last { if first < slots { (first, first + 1) } else { (first - 1, first) } } else { (first, last) };
    (lo..=hi).map(|seq| (seq, stepping.binary_search(&seq).is_err())).collect()
}

/// Whether a step of one sequence computes differently from the same step in a batch on this
/// build and CPU: the same prompt is stepped twice, alone and beside a throw-away row of the
/// neighbouring sequence, and all logits are compared bit for bit. (On this project's AMX
/// machine they agree; kernels chosen by row count, such as llamafile's for two rows or more
/// and the vector dot products for one, may not.) Any failure answers yes: padding is safe.
fn one_row_steps_differ(ctx: &mut LlamaContext<'_>, model: &LlamaModel) -> bool {
    // Sequence 1 (a slot, or the spare when `parallel` is 1): next to 0, so llama.cpp decodes
    // both rows as one piece.
    let pad = 1;
    let n_vocab = model.n_vocab().max(1);
    let token = |i: i32| LlamaToken((100 + 37 * i).rem_euclid(n_vocab));
    let mut batch = LlamaBatch::new(32, 1);
    let mut differs = || -> Result<bool, Box<dyn std::error::Error>> {
        for pos in 0..16 {
            batch.add(token(pos), pos, &[0], false)?;
        }
        ctx.decode(&mut batch)?;
        let mut differ = false;
        for pos in 16..18 {
            batch.clear();
            batch.add(token(pos), pos, &[0], true)?;
            ctx.decode(&mut batch)?;
            let alone = ctx.get_logits_ith(0).to_vec();
            ctx.clear_kv_cache_seq(Some(0), Some(pos as u32), None)?;
            batch.clear();
            batch.add(token(pos), pos, &[0], true)?;
            batch.add(token(0), 0, &[pad], true)?;
            ctx.decode(&mut batch)?;
            differ |= alone.iter().zip(ctx.get_logits_ith(0)).any(|(a, b)| a.to_bits() != b.to_bits());
            ctx.clear_kv_cache_seq(Some(pad as u32), None, None)?;
        }
        Ok(differ)
    };
    let answer = differs().unwrap_or(true);
    ctx.clear_kv_cache();
    answer
}

/// The token of highest logit, the first of equals: what llama.cpp's greedy sampler picks.
fn argmax(logits: &[f32]) -> LlamaToken {
    let mut best = 0;
    for (i, x) in logits.iter().enumerate().skip(1) {
        if *x > logits[best] {
            best = i;
        }
    }
    LlamaToken(best as i32)
}

/// The greedy token under `grammar`, which then accepts it: the best of the candidates the
/// grammar allows, found by judging the best token, then the 32 of highest logit one at a
/// time, best first, and
/// every candidate at once only when it refuses them all (as llama.cpp's common sampler
/// judges its pick before masking). The same token as masking first: the first allowed in
/// that order has the highest logit of all allowed, the lowest id among equals, as llama.cpp's
/// greedy sampler picks.
fn greedy_under(grammar: &mut LlamaSampler, logits: &[f32]) -> LlamaToken {
    use llama_cpp_2::token::data::LlamaTokenData;
    use llama_cpp_2::token::data_array::LlamaTokenDataArray;
    const FIRST: usize = 32;
    let allows = |grammar: &mut LlamaSampler, i: usize| {
        let mut one = LlamaTokenDataArray::from_iter([LlamaTokenData::new(LlamaToken(i as i32), logits[i], 0.0)], false);
        grammar.apply(&mut one);
        one.data[0].logit().is_finite()
    };
    // Most often the best token of all is allowed: one pass finds it, with no allocation.
    let best = argmax(logits);
    if allows(grammar, best.0 as usize) {
        grammar.accept(best);
        return best;
    }
    let order = |a: &usize, b: &usize| logits[*b].total_cmp(&logits[*a]).then(a.cmp(b));
    let mut top: Vec<usize> = (0..logits.len()).collect();
    let n = FIRST.min(top.len());
    if n < top.len() {
        top.select_nth_unstable_by(n - 1, order);
        top.truncate(n);
    }
    top.sort_by(order);
    let token = match top.into_iter().find(|&i| allows(grammar, i)) {
        Some(i) => LlamaToken(i as i32),
        None => {
            let mut all = LlamaTokenDataArray::from_iter(logits.iter().enumerate().map(|(i, l)| LlamaTokenData::new(LlamaToken(i as i32), *l, 0.0)), false);
            grammar.apply(&mut all);
            let allowed: Vec<f32> = all.data.iter().map(|d| d.logit()).collect();
            argmax(&allowed)
        }
    };
    grammar.accept(token);
    token
}

/// Moves the valid UTF-8 prefix of `bytes` into `text`; a character split across tokens
/// waits for its next bytes.
fn decode_utf8(bytes: &mut Vec<u8>, text: &mut String) {
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            text.push_str(s);
            bytes.clear();
        }
        Err(e) => {
            let valid = e.valid_up_to();
            text.push_str(std::str::from_utf8(&bytes[..valid]).expect("valid prefix"));
            let rest_start = match e.error_len() {
                // Bytes that can never become valid are replaced, not kept.
                Some(len) => {
                    text.push('\u{fffd}');
                    valid + len
                }
                None => valid,
            };
            bytes.drain(..rest_start);
        }
    }
}

/// The byte offset of the first stop sequence in `text`.
fn find_stop(text: &str, stops: &[String]) -> Option<usize> {
    stops.iter().filter(|s| !s.is_empty()).filter_map(|s| text.find(s.as_str())).min()
}

/// Sends the text not yet streamed, holding back a tail that could begin a stop sequence.
fn stream(active: &mut Active, all: bool) {
    let hold = if all { 0 } else { active.stop.iter().map(|s| s.len().saturating_sub(1)).max().unwrap_or(0) };
    let mut end = active.text.len().saturating_sub(hold).max(active.streamed);
    while !active.text.is_char_boundary(end) {
        end -= 1;
    }
    if end > active.streamed {
        let piece = active.text[active.streamed..end].to_owned();
        active.streamed = end;
        // A caller that has gone cannot hear it: its request stops at the next round.
        if active.events.send(Event::Token { index: active.index, text: piece }).is_err() {
            active.cancel.store(true, Ordering::Relaxed);
        }
    }
}

fn finish(active: &Active, reason: FinishReason) -> Result<Completion, EngineError> {
    let end = Instant::now();
    let first = active.first_token.unwrap_or(end);
    let decode_s = (end - first).as_secs_f64();
    let completion = Completion {
        text: active.text.clone(),
        finish_reason: reason,
        usage: Usage { input_tokens: active.prompt_len as u32, output_tokens: active.generated },
        timings: Timings {
            ttft_ms: millis(first - active.submitted),
            total_ms: millis(end - active.submitted),
            tokens_per_s: if decode_s > 0.0 { active.generated.saturating_sub(1) as f64 / decode_s } else { 0.0 },
        },
        cached: false,
        choice_probs: active.choice_probs.clone(),
    };
    if active.wants_json {
        let value: serde_json::Value = serde_json::from_str(completion.text.trim())
            .map_err(|e| EngineError::Schema(format!("{e} in {:?}", completion.text)))?;
        if let Some(schema) = &active.schema {
            crate::json_schema::validate(schema, &value).map_err(EngineError::Schema)?;
        }
    }
    Ok(completion)
}

/// Pooled, normalised embeddings from a second context with embeddings switched on.
fn embed<'m>(
    model: &'m LlamaModel,
    backend: &LlamaBackend,
    embedder: &mut Option<LlamaContext<'m>>,
    config: &LocalConfig,
    texts: &[String],
) -> Result<Vec<Vec<f32>>, EngineError> {
    const SEQS: u32 = 8;
    // No longer than the model was trained for (an encoder has no positions past it).
    let context = match model.n_ctx_train() {
        0 => config.context,
        trained => config.context.min(trained),
    };
    if embedder.is_none() {
        // The pooling the model's file declares (an embedding model says how it was trained
        // to be pooled); mean pooling for a model that declares none, such as a chat model.
        let arch = model.meta_val_str("general.architecture").unwrap_or_default();
        let pooling = if model.meta_val_str(&format!("{arch}.pooling_type")).is_ok() { LlamaPoolingType::Unspecified } else { LlamaPoolingType::Mean };
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(context))
            .with_n_batch(context)
            .with_n_ubatch(context)
            .with_n_seq_max(SEQS)
            .with_n_threads(config.threads as i32)
            .with_n_threads_batch(config.threads as i32)
            .with_embeddings(true)
            .with_pooling_type(pooling);
        *embedder = Some(model.new_context(backend, params).map_err(|e| EngineError::Llama(e.to_string()))?);
    }
    let ctx = embedder.as_mut().expect("created above");
    let vocab = model.vocab();
    // A text longer than the context is cut to its first tokens.
    let tokenized: Vec<Vec<LlamaToken>> = texts
        .iter()
        .map(|t| {
            let mut tokens = vocab.tokenize(t.as_bytes(), true, false);
            if tokens.len() > context as usize {
                // The end token an encoder adds (BERT's [SEP]) stays at the end.
                let last = *tokens.last().expect("longer than the context");
                tokens.truncate(context as usize);
                if vocab.is_eog(last) {
                    *tokens.last_mut().expect("context is at least 1") = last;
                }
            }
            tokens
        })
        .collect();
    let mut out = Vec::with_capacity(texts.len());
    let mut i = 0;
    while i < tokenized.len() {
        ctx.clear_kv_cache();
        let mut batch = LlamaBatch::new(context as usize, SEQS as i32);
        let mut used = 0usize;
        let mut seqs = 0;
        while i + seqs < tokenized.len() && seqs < SEQS as usize {
            let tokens = &tokenized[i + seqs];
            if used + tokens.len() > context as usize && seqs > 0 {
                break;
            }
            for (pos, t) in tokens.iter().enumerate() {
                batch.add(*t, pos as i32, &[seqs as i32], true).map_err(|e| EngineError::Llama(e.to_string()))?;
            }
            used += tokens.len();
            seqs += 1;
        }
        ctx.decode(&mut batch).map_err(|e| EngineError::Llama(e.to_string()))?;
        for s in 0..seqs {
            let mut v = ctx.embeddings_seq_ith(s as i32).map_err(|e| EngineError::Llama(e.to_string()))?.to_vec();
            normalize(&mut v);
            out.push(v);
        }
        i += seqs;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic pseudo-random source for the property tests below.
    fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    #[test]
    fn utf8_split_across_tokens_waits_for_its_bytes() {
        let mut bytes = "é".as_bytes()[..1].to_vec();
        let mut text = String::new();
        decode_utf8(&mut bytes, &mut text);
        assert_eq!((text.as_str(), bytes.len()), ("", 1));
        bytes.extend(&"é".as_bytes()[1..]);
        decode_utf8(&mut bytes, &mut text);
        assert_eq!((text.as_str(), bytes.len()), ("é", 0));
    }

    /// Against llama.cpp's own greedy sampler on 400 random logit vectors, a third of them with
    /// ties for the maximum (coarse values), some with NaN or infinities.
    #[test]
    fn argmax_picks_what_the_greedy_sampler_picks() {
        use llama_cpp_2::token::data::LlamaTokenData;
        use llama_cpp_2::token::data_array::LlamaTokenDataArray;
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        for case in 0..400 {
            let n = 1 + (next() % 3000) as usize;
            let logits: Vec<f32> = (0..n)
                .map(|_| {
                    let r = next();
                    match (case % 3, r % 97) {
                        (_, 0) if case % 5 == 0 => f32::NAN,
                        (_, 1) if case % 7 == 0 => f32::INFINITY,
                        (_, 2) if case % 7 == 0 => f32::NEG_INFINITY,
                        (0, _) => (r % 5) as f32,
                        _ => (r >> 11) as f32 / (1u64 << 53) as f32 * 40.0 - 20.0,
                    }
                })
                .collect();
            let mut data = LlamaTokenDataArray::from_iter(logits.iter().enumerate().map(|(i, l)| LlamaTokenData::new(LlamaToken(i as i32), *l, 0.0)), false);
            data.apply_sampler(&mut LlamaSampler::greedy());
            assert_eq!(Some(argmax(&logits)), data.selected_token(), "case {case}: {n} logits");
        }
    }

    /// On 500 random sets of stepping sequences, the rows of a padded step in batch order (not
    /// sorted afterwards): one run of consecutive ids, two or more, within the slots and the
    /// spare, every stepping sequence exactly once and not as padding.
    #[test]
    fn padded_steps_are_one_run_in_batch_order() {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
        assert_eq!(step_rows(&[], 8), Vec::<(i32, bool)>::new());
        assert_eq!(step_rows(&[0], 1), vec![(0, false), (1, true)]);
        assert_eq!(step_rows(&[3], 8), vec![(3, false), (4, true)]);
        assert_eq!(step_rows(&[1, 2, 5], 8), vec![(1, false), (2, false), (3, true), (4, true), (5, false)]);
        for _ in 0..500 {
            let slots = 1 + (next() % 32) as i32;
            let stepping: Vec<i32> = (0..slots).filter(|_| next() % 3 == 0).collect();
            let rows = step_rows(&stepping, slots);
            if stepping.is_empty() {
                assert!(rows.is_empty());
                continue;
            }
            assert!(rows.len() >= 2, "{stepping:?}: {rows:?}");
            assert!(rows.windows(2).all(|w| w[1].0 == w[0].0 + 1), "{stepping:?}: {rows:?} is not one run in order");
            assert!(rows[0].0 >= 0 && rows.last().unwrap().0 <= slots, "{stepping:?}: {rows:?} within 0..={slots}");
            let stepped: Vec<i32> = rows.iter().filter(|r| !r.1).map(|r| r.0).collect();
            assert_eq!(stepped, stepping, "every stepping sequence once, none as padding");
        }
    }

    /// Prompts prefilled together keep the rules of a prompt prefilled alone, on 500 random
    /// sets, batches of any size: the chunk is what the shortest takes alone; a prompt joins
    /// with all it has left or leaves at least MIN_PREFILL; a chunk that is not a joining
    /// prompt's whole remainder has at least MIN_PREFILL tokens.
    #[test]
    fn prompts_prefilled_together_keep_the_rules_of_one_alone() {
        let mut next = xorshift(0x1234_5678_9abc_def1u64);
        assert_eq!(prefill_chunk(&[], 512), 0);
        assert_eq!(prefill_chunk(&[41, 45], 512), 41);
        assert_eq!(prefill_chunk(&[600], 512), 512);
        assert_eq!(prefill_chunk(&[515], 512), 507);
        assert!(joins_chunk(41, 41) && joins_chunk(49, 41) && !joins_chunk(45, 41));
        assert!(joins_chunk(5, 5) && !joins_chunk(9, 5));
        for _ in 0..500 {
            let batch = 1 + (next() % 600) as usize;
            let remaining: Vec<usize> = (0..1 + next() % 8).map(|_| 1 + (next() % 1200) as usize).collect();
            let chunk = prefill_chunk(&remaining, batch);
            let shortest = *remaining.iter().min().unwrap();
            assert!(chunk >= 1 && chunk <= batch && chunk <= shortest);
            // The shortest takes the chunk, whatever its size, and keeps MIN_PREFILL for later.
            assert!(shortest == chunk || shortest - chunk >= MIN_PREFILL, "{remaining:?}: chunk {chunk}");
            for &r in &remaining {
                if joins_chunk(r, chunk) {
                    let left = r - chunk;
                    assert!(left == 0 || left >= MIN_PREFILL, "{r} leaves {left}");
                    assert!(left == 0 || chunk >= MIN_PREFILL, "chunk {chunk} of {r}");
                }
            }
        }
    }

    #[test]
    fn kv_streams_come_in_steps_up_to_the_context() {
        assert_eq!(kv_cells(1, 2048), 256);
        assert_eq!(kv_cells(256, 2048), 256);
        assert_eq!(kv_cells(257, 2048), 512);
        assert_eq!(kv_cells(2000, 2048), 2048);
        assert_eq!(kv_cells(5000, 2048), 2048);
        assert_eq!(kv_cells(300, 100), 100);
        assert_eq!(kv_cells(usize::MAX, 4096), 4096);
    }

    #[test]
    fn the_first_stop_sequence_wins() {
        let stops = vec!["\n\n".to_owned(), "END".to_owned()];
        assert_eq!(find_stop("abc END x\n\n", &stops), Some(4));
        assert_eq!(find_stop("abc", &stops), None);
    }
}
