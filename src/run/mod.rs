//! The eval runner: render every row → generate through the engine (batched) → grade →
//! aggregate. Rows stream from the dataset in blocks and samples stream to the caller, so
//! memory does not grow with the dataset; each answer is cached as soon as it exists, so an interrupted run loses nothing.

pub mod agreement;
pub mod stats;
pub mod verdict;

use opentelemetry::KeyValue;
use opentelemetry::trace::{Span as _, SpanContext};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::engine::cache::{Purpose, ResponseCache};
use crate::engine::{ChatRequest, Completion, EngineError, Event, Provider};
use crate::grade::judge::{Judge, embedding_grades};
use crate::grade::{Grade, Grader, Sample, compose};
use crate::spec::dataset::Row;
use crate::spec::eval::{EvalSpec, GraderKind};
use crate::spec::prompt::Prompt;
use stats::{Accumulator, Stats};
use verdict::Verdict;

/// Rows generated and graded together.
const BLOCK: usize = 64;
/// Failed samples kept for the report.
const MAX_FAILURES: usize = 50;

/// Everything an eval run needs, resolved.
pub struct Plan<'a> {
    pub eval: &'a EvalSpec,
    pub prompt: &'a Prompt,
    pub graders: Vec<Grader>,
    /// Judge prompts by name.
    pub judge_prompts: HashMap<String, Prompt>,
    pub allow_exec: bool,
    pub use_cache: bool,
    /// The eval's span: each sample's span goes under it.
    pub trace: Option<opentelemetry::trace::SpanContext>,
    /// The prompt's `retrieve:` with its index opened, for a RAG prompt.
    pub retriever: Option<Retriever<'a>>,
    /// The prompt's tools, ready, for a prompt that runs as a tool-calling loop.
    pub agent: Option<crate::agent::Tools<'a>>,
}

/// A RAG prompt's retrieval, ready: its `retrieve:` block and the index it searches.
pub struct Retriever<'a> {
    pub spec: &'a crate::spec::prompt::RetrieveSpec,
    pub index: &'a crate::retrieval::Opened,
}

/// The model a prompt runs on, the one rule for every command: the command line's, else the
/// eval's (when an eval runs it), else the prompt's, else the config's default.
pub fn model_name(cli: Option<&str>, eval: Option<&EvalSpec>, prompt_model: Option<&str>, config: &crate::spec::config::Config) -> Option<String> {
    cli.or(eval.and_then(|e| e.model.as_deref())).or(prompt_model).or(config.default_model.as_deref()).map(str::to_owned)
}

/// The model judges and embedding graders run on, when the eval has any: the first such
/// grader's `model`, else (for a judge) its prompt's `model`; `None` leaves it to the eval's
/// own model. `judge_prompt_model` gives a judge prompt's `model:` by prompt name.
pub fn grader_model(eval: &EvalSpec, judge_prompt_model: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    eval.graders.iter().find_map(|g| match g.kind {
        GraderKind::Judge => g.model.clone().or_else(|| g.prompt.as_deref().and_then(judge_prompt_model)),
        GraderKind::EmbeddingSimilarity => g.model.clone(),
        _ => None,
    })
}

/// Whether the eval has graders that need a model (judges, embeddings).
pub fn needs_grader_model(eval: &EvalSpec) -> bool {
    eval.graders.iter().any(|g| matches!(g.kind, GraderKind::Judge | GraderKind::EmbeddingSimilarity))
}

/// Which rows run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Ids or labels; a row runs when it matches any (`*` wildcards in ids).
    pub filter: Vec<String>,
    /// Only the rows of this shard.
    pub shard: Option<Shard>,
}

impl Selection {
    pub fn admits(&self, row: &Row) -> bool {
        (self.filter.is_empty() || self.filter.iter().any(|f| wildcard(f, &row.id) || row.labels.iter().any(|l| l == f)))
            && self.shard.is_none_or(|s| s.contains(&row.id))
    }
}

/// Shard `index` of `count` (1-based, `--shard 2/4`): the rows whose id hashes to it. A row's
/// shard depends on its id alone, so rows added later do not move the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `I/N` with 1 ≤ I ≤ N ≤ 10,000.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard: write I/N, e.g. 2/4 (the second of four)");
        let (i, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if count == 0 || count > 10_000 {
            return Err(format!("`{text}`: the number of shards must be 1 to 10000"));
        }
        if index == 0 || index > count {
            return Err(format!("`{text}`: shards are numbered 1 to {count}"));
        }
        Ok(Shard { index, count })
    }

    /// The shard (1-based) of `count` that row `id` belongs to: the first 8 bytes of the
    /// sha256 of the id, big-endian, modulo `count`, plus one.
    pub fn of(id: &str, count: u32) -> u32 {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(id.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32 + 1
    }

    pub fn contains(&self, id: &str) -> bool {
        Shard::of(id, self.count) == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl TryFrom<String> for Shard {
    type Error = String;
    fn try_from(s: String) -> Result<Shard, String> {
        Shard::parse(&s)
    }
}

impl From<Shard> for String {
    fn from(s: Shard) -> String {
        s.to_string()
    }
}

fn wildcard(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => text.starts_with(head) && text.len() >= head.len() && wildcard_tail(tail, &text[head.len()..]),
    }
}

fn wildcard_tail(pattern: &str, text: &str) -> bool {
    if !pattern.contains('*') {
        return text.ends_with(pattern);
    }
    (0..=text.len()).filter(|i| text.is_char_boundary(*i)).any(|i| wildcard(pattern, &text[i..]))
}

/// One graded sample, as recorded (a line of a run's `samples.jsonl`).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct SampleRecord {
    pub id: String,
    #[serde(default)]
    pub repeat: u32,
    #[serde(default)]
    pub vars: serde_json::Map<String, Value>,
    #[serde(default)]
    pub output: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<Completion>,
    #[serde(default)]
    pub grades: BTreeMap<String, Grade>,
    #[serde(default)]
    pub score: f64,
    #[serde(default)]
    pub pass: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What the prompt's `retrieve:` found, best first (a RAG prompt's samples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<Vec<crate::retrieval::Retrieved>>,
    /// What the tool-calling loop did, step by step (a prompt with tools).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<crate::grade::trajectory::Trajectory>,
}

/// The samples of a `samples.jsonl`, in order; lines that are not samples are skipped.
pub fn read_samples(jsonl: &[u8]) -> Vec<SampleRecord> {
    jsonl.split(|b| *b == b'\n').filter(|l| !l.is_empty()).filter_map(|l| serde_json::from_slice(l).ok()).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum OutputsError {
    #[error("cannot read `{}`: {source}", .path.display())]
    Read { path: std::path::PathBuf, source: std::io::Error },
    #[error("`{}` line {line}: {message}", .path.display())]
    Line { path: std::path::PathBuf, line: usize, message: String },
}

/// An `--outputs` file: one JSON object a line with the row's `id`, its `output` and
/// optionally its `repeat`; by (id, repeat).
pub fn read_outputs(path: &std::path::Path) -> Result<HashMap<(String, u32), String>, OutputsError> {
    use std::io::BufRead;
    let read = |source| OutputsError::Read { path: path.to_owned(), source };
    let file = std::fs::File::open(path).map_err(read)?;
    let mut out = HashMap::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(read)?;
        if line.trim().is_empty() {
            continue;
        }
        let at = |message: String| OutputsError::Line { path: path.to_owned(), line: i + 1, message };
        let v: Value = serde_json::from_str(&line).map_err(|e| at(format!("not JSON: {e}")))?;
        let id = v.get("id").map(crate::grade::text_of).ok_or_else(|| at("no `id`".into()))?;
        let output = v.get("output").map(crate::grade::text_of).ok_or_else(|| at("no `output`".into()))?;
        let repeat = v.get("repeat").and_then(Value::as_u64).unwrap_or(0) as u32;
        out.insert((id, repeat), output);
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub samples: u64,
    pub rows: u64,
    pub overall: Stats,
    pub dimensions: BTreeMap<String, Stats>,
    /// With `repeat: k`: the share of rows that passed all k times.
    pub pass_k: Option<f64>,
    /// Rows whose repeats disagree with each other.
    pub flaky_rows: Vec<String>,
    pub failures: Vec<SampleRecord>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_hits: u64,
    pub errors: u64,
    pub wall_ms: f64,
    /// Tokens generated (not served from cache) per second of generation time.
    pub tokens_per_s: f64,
    pub verdict: Verdict,
}

/// What the runner (and [`crate::evaluation::execute`] around it) reports while it works.
pub trait Progress {
    fn start(&mut self, rows: u64, samples: u64);
    fn advance(&mut self, samples_done: u64, output_tokens: u64);
    /// A sample has its answer (generated, cached or given) and waits for its grades:
    /// `samples_generated` so far, with `output_tokens` so far. Called once per sample, as
    /// each finishes, so a display moves however large the blocks are.
    fn generated(&mut self, _samples_generated: u64, _output_tokens: u64) {}
    /// A line about what happens next (a model loads, which versions run).
    fn status(&mut self, _message: &str) {}
    /// The run is over: a progress display can go.
    fn finish(&mut self) {}
}

/// Progress that nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn start(&mut self, _: u64, _: u64) {}
    fn advance(&mut self, _: u64, _: u64) {}
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{} row{} cannot be rendered", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Rows(Vec<Diagnostic>),
    #[error("`--outputs` has no output for row `{0}`")]
    MissingOutput(String),
    #[error("interrupted")]
    Interrupted,
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// Where outputs come from: a model, a file of outputs someone else produced, or (an eval
/// with `target: retrieval`) the retrieved ids themselves, as a JSON array.
pub enum Source<'a> {
    Model { provider: &'a dyn Provider, cache: Option<&'a ResponseCache> },
    Outputs(&'a HashMap<(String, u32), String>),
    Retrieval,
}

/// Why `row` cannot be rendered by the plan's prompt, if it cannot: checked for every row
/// before any model runs.
pub fn render_problem(plan: &Plan<'_>, row: &Row, dataset_path: &Path) -> Option<Diagnostic> {
    let problem = match &plan.retriever {
        // The retrieval's query and filters render, and the messages with (no) chunks.
        Some(r) => r
            .spec
            .filter
            .values()
            .chain(std::iter::once(&r.spec.query))
            .find_map(|t| crate::template::render_text(t, &row.vars).err().map(|e| format!("the retrieval query {e}")))
            .or_else(|| crate::template::render_messages(plan.prompt, &crate::retrieval::with_context(&row.vars, r.spec, &[])).err().map(|e| e.to_string())),
        None => crate::template::render_messages(plan.prompt, &row.vars).err().map(|e| e.to_string()),
    }?;
    let mut d = Diagnostic::new(dataset_path, format!("row `{}`: {problem}", row.id));
    d.line = Some(row.line);
    Some(d)
}

/// What retrieval found for each row of a block (`None` without a retriever), searched
/// under the span of the row's first sample, and the rows with the chunks as a variable.
fn retrieve_block(plan: &Plan<'_>, block: Vec<Row>, first_spans: &[SpanContext]) -> (Vec<Row>, Vec<Option<Result<Vec<crate::retrieval::Hit>, String>>>) {
    let Some(r) = &plan.retriever else {
        let n = block.len();
        return (block, (0..n).map(|_| None).collect());
    };
    let found: Vec<_> = block
        .iter()
        .zip(first_spans)
        .map(|(row, span)| Some(crate::retrieval::retrieve(r.index, r.spec, &row.vars, Some(span)).map_err(|e| format!("retrieval: {e}"))))
        .collect();
    let rows = block
        .into_iter()
        .zip(&found)
        .map(|(mut row, f)| {
            let hits = f.as_ref().and_then(|f| f.as_ref().ok()).map(Vec::as_slice).unwrap_or(&[]);
            row.vars = crate::retrieval::with_context(&row.vars, r.spec, hits);
            row
        })
        .collect();
    (rows, found)
}

/// Runs the eval over `rows` (`total` of them), pulling them a block at a time, and calls
/// `on_sample` with every graded sample.
#[allow(clippy::too_many_arguments)]
pub fn run(
    plan: &Plan<'_>,
    rows: &mut dyn Iterator<Item = Row>,
    total: u64,
    source: &Source<'_>,
    judge_provider: Option<&dyn Provider>,
    progress: &mut dyn Progress,
    cancel: &AtomicBool,
    on_sample: &mut dyn FnMut(&SampleRecord),
) -> Result<Summary, RunError> {
    let started = Instant::now();
    let repeat = plan.eval.repeat.max(1);
    progress.start(total, total * u64::from(repeat));
    let mut overall = Accumulator::default();
    let mut dims: BTreeMap<String, Accumulator> = plan.graders.iter().map(|g| (g.dimension.clone(), Accumulator::default())).collect();
    let mut by_row: HashMap<String, (u32, u32)> = HashMap::new();
    let mut summary = Summary {
        samples: 0,
        rows: 0,
        overall: Stats::default(),
        dimensions: BTreeMap::new(),
        pass_k: None,
        flaky_rows: Vec::new(),
        failures: Vec::new(),
        input_tokens: 0,
        output_tokens: 0,
        cache_hits: 0,
        errors: 0,
        wall_ms: 0.0,
        tokens_per_s: 0.0,
        verdict: Verdict { pass: false, reasons: vec![] },
    };
    let mut generating_s = 0.0;
    let mut generated_tokens = 0u64;
    loop {
        let block: Vec<Row> = (&mut *rows).take(BLOCK).collect();
        if block.is_empty() {
            break;
        }
        summary.rows += block.len() as u64;
        if cancel.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted);
        }
        let spans: Vec<SampleSpan> = block.iter().flat_map(|r| (0..repeat).map(move |k| (r, k))).map(|(row, k)| SampleSpan::start(plan, row, k)).collect();
        let contexts: Vec<SpanContext> = spans.iter().map(SampleSpan::context).collect();
        let firsts: Vec<SpanContext> = contexts.iter().step_by(repeat as usize).cloned().collect();
        let (block, found) = retrieve_block(plan, block, &firsts);
        let jobs: Vec<(&Row, u32)> = block.iter().flat_map(|r| (0..repeat).map(move |k| (r, k))).collect();
        // Per sample: the retrieved document ids, or why retrieval failed.
        let retrieved: Vec<Option<Result<Vec<crate::retrieval::Hit>, String>>> = found.iter().flat_map(|f| (0..repeat).map(move |_| f.clone())).collect();
        let gen_start = Instant::now();
        let (base_samples, base_tokens) = (summary.samples, summary.output_tokens);
        let (mut done, mut tokens) = (0u64, 0u64);
        // Only samples whose retrieval worked are generated.
        let live: Vec<usize> = (0..jobs.len()).filter(|&i| !matches!(retrieved[i], Some(Err(_)))).collect();
        let mut outputs: Vec<Result<(String, Option<Completion>), String>> =
            retrieved.iter().map(|r| Err(r.as_ref().and_then(|r| r.as_ref().err().cloned()).unwrap_or_default())).collect();
        let mut trajectories: Vec<Option<crate::grade::trajectory::Trajectory>> = (0..jobs.len()).map(|_| None).collect();
        let produced = match source {
            Source::Model { provider, cache } if plan.agent.is_some() => {
                let live_jobs: Vec<(&Row, u32)> = live.iter().map(|&i| jobs[i]).collect();
                let live_contexts: Vec<SpanContext> = live.iter().map(|&i| contexts[i].clone()).collect();
                let cache = cache.filter(|_| plan.use_cache);
                let outcomes = agent_loops(plan, *provider, cache, &live_jobs, &live_contexts, &mut |_, step| tokens += u64::from(step.output_tokens));
                let mut out = Vec::with_capacity(outcomes.len());
                for (n, outcome) in outcomes.into_iter().enumerate() {
                    done += 1;
                    progress.generated(base_samples + done, base_tokens + tokens);
                    // A loop that failed keeps the steps it took.
                    let (trajectory, result) = outcome;
                    trajectories[live[n]] = trajectory;
                    out.push(result.map(|c| (c.text.clone(), Some(c))));
                }
                out
            }
            Source::Retrieval => live
                .iter()
                .enumerate()
                .map(|(n, &i)| {
                    let ids = retrieved[i].as_ref().and_then(|r| r.as_ref().ok()).map(|hits| crate::retrieval::doc_ids(hits.iter().map(|h| h.doc.as_str()))).unwrap_or_default();
                    progress.generated(base_samples + n as u64 + 1, base_tokens);
                    Ok((serde_json::to_string(&ids).expect("JSON"), None))
                })
                .collect(),
            _ => {
                let live_jobs: Vec<(&Row, u32)> = live.iter().map(|&i| jobs[i]).collect();
                let live_contexts: Vec<SpanContext> = live.iter().map(|&i| contexts[i].clone()).collect();
                produce(plan, &live_jobs, &live_contexts, source, &mut |output_tokens| {
                    done += 1;
                    tokens += output_tokens;
                    progress.generated(base_samples + done, base_tokens + tokens);
                })?
            }
        };
        generating_s += gen_start.elapsed().as_secs_f64();
        if produced.iter().any(|o| matches!(o, Err(EngineError::Interrupted))) || cancel.load(Ordering::Relaxed) {
            return Err(RunError::Interrupted);
        }
        for (&i, o) in live.iter().zip(produced) {
            outputs[i] = o.map_err(|e| e.to_string());
        }
        let ids: Vec<Option<Vec<String>>> = retrieved
            .iter()
            .map(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|hits| crate::retrieval::doc_ids(hits.iter().map(|h| h.doc.as_str()))))
            .collect();
        let found: Vec<Option<Vec<crate::retrieval::Retrieved>>> =
            retrieved.iter().map(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|hits| hits.iter().map(crate::retrieval::Hit::retrieved).collect())).collect();
        let records = grade_block(plan, &jobs, &contexts, outputs, &ids, found, trajectories, judge_provider, source);
        for (record, span) in records.iter().zip(spans) {
            span.end(record);
        }
        for record in records {
            summary.samples += 1;
            overall.add(record.score, record.pass);
            for (dim, grade) in &record.grades {
                if let Some(acc) = dims.get_mut(dim) {
                    acc.add(grade.score, grade.pass);
                }
            }
            if let Some(c) = &record.completion {
                summary.input_tokens += u64::from(c.usage.input_tokens);
                summary.output_tokens += u64::from(c.usage.output_tokens);
                summary.cache_hits += u64::from(c.cached);
                if !c.cached {
                    generated_tokens += u64::from(c.usage.output_tokens);
                }
            }
            summary.errors += u64::from(record.error.is_some() || record.grades.values().any(|g| g.error));
            let entry = by_row.entry(record.id.clone()).or_default();
            entry.0 += u32::from(record.pass);
            entry.1 += 1;
            on_sample(&record);
            if !record.pass && summary.failures.len() < MAX_FAILURES {
                summary.failures.push(record);
            }
        }
        progress.advance(summary.samples, summary.output_tokens);
    }
    summary.overall = overall.stats();
    summary.dimensions = dims.into_iter().map(|(k, v)| (k, v.stats())).collect();
    if repeat > 1 {
        let all = by_row.values().filter(|(p, n)| p == n).count();
        summary.pass_k = Some(all as f64 / by_row.len().max(1) as f64);
        let mut flaky: Vec<String> = by_row.iter().filter(|(_, (p, n))| *p > 0 && p < n).map(|(id, _)| id.clone()).collect();
        flaky.sort();
        summary.flaky_rows = flaky;
    }
    summary.wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    summary.tokens_per_s = if generating_s > 0.0 { generated_tokens as f64 / generating_s } else { 0.0 };
    summary.verdict = verdict::evaluate(plan.eval.gate.as_ref(), &summary.overall, &summary.dimensions);
    Ok(summary)
}

type Output = Result<(String, Option<Completion>), EngineError>;

/// The tool-calling loops of `jobs`, batched: each sample's trajectory (when its loop ran)
/// and its answer, or why there is none.
fn agent_loops(
    plan: &Plan<'_>,
    provider: &dyn Provider,
    cache: Option<&ResponseCache>,
    jobs: &[(&Row, u32)],
    contexts: &[SpanContext],
    on_step: &mut (dyn FnMut(usize, &crate::grade::trajectory::Step) + Send),
) -> Vec<(Option<crate::grade::trajectory::Trajectory>, Result<Completion, EngineError>)> {
    let tools = plan.agent.as_ref().expect("an agent plan");
    let mut loops = Vec::new();
    let mut out: Vec<Option<(Option<crate::grade::trajectory::Trajectory>, Result<Completion, EngineError>)>> = (0..jobs.len()).map(|_| None).collect();
    let mut at = Vec::new();
    for (i, ((row, k), trace)) in jobs.iter().zip(contexts).enumerate() {
        match crate::template::render_messages(plan.prompt, &row.vars) {
            Ok(messages) => {
                loops.push(crate::agent::Job { messages, row, repeat: *k, trace: Some(trace.clone()) });
                at.push(i);
            }
            Err(e) => out[i] = Some((None, Err(EngineError::Llama(e.to_string())))),
        }
    }
    for (i, outcome) in at.into_iter().zip(crate::agent::run_loops(provider, plan.prompt, &plan.eval.prompt, loops, tools, cache, on_step)) {
        let result = match outcome.error {
            Some(e) => Err(e),
            None => Ok(outcome.completion),
        };
        out[i] = Some((Some(outcome.trajectory), result));
    }
    out.into_iter().map(|o| o.unwrap_or((None, Err(EngineError::Stopped)))).collect()
}

/// The request that generates repeat `k` of `row` under a prompt without tools or retrieval:
/// what an eval sends, and what the response cache knows it by.
pub fn sample_request(prompt: &crate::spec::prompt::Prompt, row: &Row, k: u32) -> Result<ChatRequest, crate::template::TemplateError> {
    let messages = crate::template::render_messages(prompt, &row.vars)?;
    let mut request = ChatRequest::new(messages, prompt.params.clone());
    request.response_format = prompt.response_format.clone();
    request.repeat_index = k;
    Ok(request)
}

/// Outputs for a block: from the cache, the model (batched), or the outputs file.
/// `on_answer` hears of each sample's answer as it exists, with its output tokens.
fn produce(plan: &Plan<'_>, jobs: &[(&Row, u32)], contexts: &[SpanContext], source: &Source<'_>, on_answer: &mut dyn FnMut(u64)) -> Result<Vec<Output>, RunError> {
    match source {
        Source::Outputs(map) => jobs
            .iter()
            .map(|(row, k)| {
                let output = map
                    .get(&(row.id.clone(), *k))
                    .or_else(|| map.get(&(row.id.clone(), 0)).filter(|_| *k == 0))
                    .map(|o| Ok((o.clone(), None)))
                    .ok_or_else(|| RunError::MissingOutput(row.id.clone()));
                on_answer(0);
                output
            })
            .collect(),
        Source::Retrieval => Ok(jobs.iter().map(|_| Err(EngineError::Stopped)).collect()),
        Source::Model { provider, cache } => {
            let mut out: Vec<Option<Output>> = (0..jobs.len()).map(|_| None).collect();
            let mut pending: Vec<(usize, String, ChatRequest)> = Vec::new();
            for (i, (row, k)) in jobs.iter().enumerate() {
                let mut request = match sample_request(plan.prompt, row, *k) {
                    Ok(r) => r,
                    Err(e) => {
                        out[i] = Some(Err(EngineError::Llama(e.to_string())));
                        on_answer(0);
                        continue;
                    }
                };
                request.trace = Some(contexts[i].clone());
                let key = ResponseCache::key(Purpose::Generate, provider.identity(), &request);
                match cache.filter(|_| plan.use_cache).and_then(|c| c.get(&key)) {
                    Some(hit) => {
                        crate::trace::inference::record_cached(provider.identity(), &request, &hit);
                        on_answer(u64::from(hit.usage.output_tokens));
                        out[i] = Some(Ok((hit.text.clone(), Some(hit))));
                    }
                    None => pending.push((i, key, request)),
                }
            }
            if !pending.is_empty() {
                let requests: Vec<ChatRequest> = pending.iter().map(|(_, _, r)| r.clone()).collect();
                let keys: Vec<String> = pending.iter().map(|(_, k, _)| k.clone()).collect();
                let results = crate::trace::inference::generate(*provider, &requests, &mut |event| {
                    // Stored the moment it exists: Ctrl-C or a crash loses no finished answer.
                    if let (Event::Done { index, result: Ok(c) }, Some(cache)) = (event, cache.filter(|_| plan.use_cache)) {
                        let _ = cache.put(&keys[*index], c);
                    }
                    if let Event::Done { result, .. } = event {
                        on_answer(result.as_ref().map(|c| u64::from(c.usage.output_tokens)).unwrap_or(0));
                    }
                });
                for ((i, _, _), result) in pending.iter().zip(results) {
                    out[*i] = Some(result.map(|c| (c.text.clone(), Some(c))));
                }
            }
            Ok(out.into_iter().map(|o| o.unwrap_or(Err(EngineError::Stopped))).collect())
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn grade_block(
    plan: &Plan<'_>,
    jobs: &[(&Row, u32)],
    contexts: &[SpanContext],
    outputs: Vec<Result<(String, Option<Completion>), String>>,
    ids: &[Option<Vec<String>>],
    mut found: Vec<Option<Vec<crate::retrieval::Retrieved>>>,
    mut trajectories: Vec<Option<crate::grade::trajectory::Trajectory>>,
    judge_provider: Option<&dyn Provider>,
    source: &Source<'_>,
) -> Vec<SampleRecord> {
    let texts: Vec<(String, Option<Completion>, Option<String>)> = outputs
        .into_iter()
        .map(|o| match o {
            Ok((t, c)) => (t, c, None),
            Err(e) => (String::new(), None, Some(e)),
        })
        .collect();
    let samples: Vec<Sample<'_>> = jobs
        .iter()
        .zip(&texts)
        .zip(contexts)
        .zip(ids)
        .zip(&trajectories)
        .map(|(((((row, _), (text, completion, _)), trace), ids), trajectory)| Sample {
            row,
            output: text,
            completion: completion.as_ref(),
            trace: Some(trace),
            retrieved: ids.as_deref(),
            trajectory: trajectory.as_ref(),
        })
        .collect();
    // Model-backed graders run over the whole block at once.
    let mut batched: HashMap<usize, Vec<Grade>> = HashMap::new();
    for (gi, grader) in plan.graders.iter().enumerate() {
        if !grader.needs_model() {
            continue;
        }
        let grades = match judge_provider {
            None => samples.iter().map(|_| Grade::error("no model to grade with (outputs were given with `--outputs`)")).collect(),
            Some(provider) => match grader.spec.kind {
                GraderKind::EmbeddingSimilarity => {
                    let parent = plan.trace.as_ref().map(crate::trace::child_of).unwrap_or_default();
                    let span = crate::trace::inference::OperationSpan::embeddings(provider.identity(), &parent, samples.len());
                    let grades = embedding_grades(grader, &samples, provider);
                    span.end(grades.iter().find(|g| g.error).map(|g| g.reason.as_str()));
                    grades
                }
                _ => {
                    let name = grader.spec.prompt.clone().unwrap_or_default();
                    match plan.judge_prompts.get(&name) {
                        Some(prompt) => {
                            let cache = match source {
                                Source::Model { cache, .. } => cache.filter(|_| plan.use_cache),
                                Source::Outputs(_) | Source::Retrieval => None,
                            };
                            Judge { grader, prompt, provider, cache }.grade_all(&samples)
                        }
                        None => samples.iter().map(|_| Grade::error(format!("judge prompt `{name}` is missing"))).collect(),
                    }
                }
            },
        };
        batched.insert(gi, grades);
    }
    let mut records: Vec<SampleRecord> = jobs
        .iter()
        .zip(texts.iter())
        .enumerate()
        .map(|(si, ((row, k), (text, completion, error)))| {
            let sample = &samples[si];
            let grades: Vec<Grade> = plan
                .graders
                .iter()
                .enumerate()
                .map(|(gi, g)| match (&error, batched.get(&gi)) {
                    (Some(e), _) => Grade::error(format!("no output: {e}")),
                    (None, Some(b)) => b[si].clone(),
                    (None, None) if g.spec.kind == GraderKind::Command => {
                        let span = crate::trace::inference::OperationSpan::tool(&g.dimension, sample.trace);
                        let grade = g.grade(sample, plan.allow_exec);
                        span.end(grade.error.then_some(grade.reason.as_str()));
                        grade
                    }
                    (None, None) => g.grade(sample, plan.allow_exec),
                })
                .collect();
            let (score, pass) = compose(&plan.graders, &grades);
            // The chunks are recorded once, as `retrieved`, not again among the variables.
            let mut vars = row.vars.clone();
            if let Some(r) = &plan.retriever {
                vars.remove(&r.spec.var);
            }
            SampleRecord {
                id: row.id.clone(),
                repeat: *k,
                vars,
                output: text.clone(),
                completion: completion.clone(),
                grades: plan.graders.iter().map(|g| g.dimension.clone()).zip(grades).collect(),
                score,
                pass: pass && error.is_none(),
                error: error.clone(),
                retrieved: found[si].take(),
                trajectory: None,
            }
        })
        .collect();
    drop(samples);
    for (record, trajectory) in records.iter_mut().zip(trajectories.drain(..)) {
        record.trajectory = trajectory;
    }
    records
}

/// A sample's span: from its submission to its grades, which it carries as
/// `gen_ai.evaluation.result` events.
struct SampleSpan {
    span: opentelemetry::global::BoxedSpan,
}

impl SampleSpan {
    fn start(plan: &Plan<'_>, row: &Row, repeat: u32) -> SampleSpan {
        use crate::trace::genai as attr;
        let parent = plan.trace.as_ref().map(crate::trace::child_of).unwrap_or_default();
        let attributes = vec![KeyValue::new(attr::SAMPLE_ID, row.id.clone()), KeyValue::new(attr::SAMPLE_REPEAT, i64::from(repeat))];
        SampleSpan { span: crate::trace::start(format!("sample {}", row.id), opentelemetry::trace::SpanKind::Internal, &parent, attributes) }
    }

    fn context(&self) -> SpanContext {
        self.span.span_context().clone()
    }

    fn end(mut self, record: &SampleRecord) {
        use crate::trace::genai as attr;
        for (dimension, grade) in &record.grades {
            self.span.add_event(
                attr::EVALUATION_RESULT,
                vec![
                    KeyValue::new(attr::EVALUATION_NAME, dimension.clone()),
                    KeyValue::new(attr::EVALUATION_SCORE_VALUE, grade.score),
                    KeyValue::new(attr::EVALUATION_SCORE_LABEL, if grade.error { "error" } else if grade.pass { "pass" } else { "fail" }),
                    KeyValue::new(attr::EVALUATION_EXPLANATION, grade.reason.clone()),
                ],
            );
        }
        self.span.set_attributes([KeyValue::new(attr::SAMPLE_SCORE, record.score), KeyValue::new(attr::SAMPLE_PASS, record.pass)]);
        if let Some(e) = &record.error {
            self.span.set_status(opentelemetry::trace::Status::error(e.clone()));
        }
        self.span.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The progress hears of every sample as its answer exists, one at a time, before the
    /// block's grades: a 3-row eval reports generated 1, 2, 3, then graded 3.
    #[test]
    fn progress_moves_with_each_sample() {
        #[derive(Default)]
        struct Log(Vec<String>);
        impl Progress for Log {
            fn start(&mut self, rows: u64, samples: u64) {
                self.0.push(format!("start {rows} {samples}"));
            }
            fn advance(&mut self, done: u64, _: u64) {
                self.0.push(format!("graded {done}"));
            }
            fn generated(&mut self, done: u64, _: u64) {
                self.0.push(format!("generated {done}"));
            }
        }
        let eval = EvalSpec::parse(Path::new("evals/e.yaml"), "prompt: p\ndataset: d\ngraders:\n  - type: icontains\n    value: a\n").unwrap();
        let prompt = Prompt::parse(Path::new("prompts/p.yaml"), "messages:\n  - role: user\n    content: \"{{ q }}\"\n").unwrap();
        let plan = Plan { eval: &eval, prompt: &prompt, graders: crate::grade::build(&eval.graders).unwrap(), judge_prompts: HashMap::new(), allow_exec: false, use_cache: false, trace: None, retriever: None, agent: None };
        let rows: Vec<Row> = (0..3)
            .map(|i| Row { id: format!("r{i}"), vars: [("q".to_owned(), Value::from("x"))].into_iter().collect(), expected: None, relevant: vec![], labels: vec![], tool_results: Default::default(), line: i + 1 })
            .collect();
        let outputs = (0..3).map(|i| ((format!("r{i}"), 0), "a".to_owned())).collect();
        let mut log = Log::default();
        let summary = run(&plan, &mut rows.into_iter(), 3, &Source::Outputs(&outputs), None, &mut log, &AtomicBool::new(false), &mut |_| {}).unwrap();
        assert_eq!(summary.samples, 3);
        assert_eq!(log.0, ["start 3 3", "generated 1", "generated 2", "generated 3", "graded 3"]);
    }

    #[test]
    fn shards_are_the_reference_hash_and_split_rows_disjointly_and_completely() {
        // tests/reference/shards.py: sha256 of the id, first 8 bytes big-endian, mod N, plus one.
        let cases: Vec<Value> = serde_json::from_str(include_str!("../../tests/data/shard_reference.json")).unwrap();
        assert_eq!(cases.len(), 300);
        for case in &cases {
            let id = case["id"].as_str().unwrap();
            for (n, want) in case["shards"].as_object().unwrap() {
                assert_eq!(u64::from(Shard::of(id, n.parse().unwrap())), want.as_u64().unwrap(), "{id:?} of {n}");
            }
        }
        let ids: Vec<String> = (0..1000).map(|i| format!("row-{i}")).collect();
        for count in [1, 2, 3, 4, 5, 8, 13] {
            let shards: Vec<Shard> = (1..=count).map(|index| Shard { index, count }).collect();
            let mut sizes = vec![0usize; count as usize];
            for id in &ids {
                let holders: Vec<&Shard> = shards.iter().filter(|s| s.contains(id)).collect();
                assert_eq!(holders.len(), 1, "{id} of {count}: in exactly one shard");
                sizes[holders[0].index as usize - 1] += 1;
            }
            // Roughly even: no shard holds less than half or more than twice its share.
            let share = ids.len() / count as usize;
            assert!(sizes.iter().all(|&n| n * 2 >= share && n <= share * 2), "{count}: {sizes:?}");
        }
        let row = Row { id: "row-1".into(), vars: Default::default(), expected: None, relevant: vec![], labels: vec!["easy".into()], tool_results: Default::default(), line: 1 };
        let mine = Shard { index: Shard::of("row-1", 4), count: 4 };
        let other = Shard { index: mine.index % 4 + 1, count: 4 };
        assert!(Selection { filter: vec![], shard: Some(mine) }.admits(&row));
        assert!(!Selection { filter: vec![], shard: Some(other) }.admits(&row));
        assert!(!Selection { filter: vec!["hard".into()], shard: Some(mine) }.admits(&row), "filter and shard both apply");
        assert_eq!(Shard::parse(" 2/4 "), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(serde_json::to_string(&Shard { index: 2, count: 4 }).unwrap(), "\"2/4\"");
        for bad in ["0/4", "5/4", "1/0", "x/4", "2", "1/20000", "-1/4"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_match_ids_with_wildcards_and_labels() {
        let row = Row { id: "order-12".into(), vars: Default::default(), expected: None, relevant: vec![], labels: vec!["easy".into()], tool_results: Default::default(), line: 1 };
        let sel = |f: &[&str]| Selection { filter: f.iter().map(|s| s.to_string()).collect(), shard: None };
        assert!(sel(&[]).admits(&row));
        assert!(sel(&["order-*"]).admits(&row));
        assert!(sel(&["*-12"]).admits(&row));
        assert!(sel(&["easy"]).admits(&row));
        assert!(!sel(&["order-1"]).admits(&row));
        assert!(!sel(&["hard", "x*"]).admits(&row));
    }
}
