//! One evaluation, end to end, for every caller: `llmops eval` and `gate --run` today, and
//! later `serve` and sharded runs. It loads the eval, its prompt version and judges,
//! refuses command graders the caller did not grant, checks every row before any model runs,
//! opens the models (each once per [`Models`]), runs [`crate::run::run`] under the eval's root
//! span, and records the run on the ledger. It prints nothing: progress and status lines go
//! through [`Progress`], the result comes back as a [`RunReport`].

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::engine::cache::ResponseCache;
use crate::engine::{self, INTERRUPTED, OpenError, Provider, RunOptions};
use crate::grade;
use crate::ledger::{self, Input, InputData, LedgerError};
use crate::run::{self, Plan, Progress, RunError, Selection, Source, Summary};
use crate::spec::eval::{EvalSpec, GraderKind};
use crate::version::{self, Origin};
use crate::workspace::{Workspace, WorkspaceError};

/// What to evaluate and how.
#[derive(Debug, Clone, Default)]
pub struct EvalRequest {
    /// The eval's name (`evals/NAME.yaml`).
    pub eval: String,
    /// Only the first N selected rows.
    pub limit: Option<usize>,
    /// Only rows whose id (`*` wildcards) or label matches one of these.
    pub filter: Vec<String>,
    /// Only the rows of this shard (`--shard 2/4`).
    pub shard: Option<crate::run::Shard>,
    /// A model of the config instead of the eval's.
    pub model: Option<String>,
    /// The prompt version to evaluate (a blob prefix, a git revision or a release channel);
    /// `None`: the work tree's.
    pub prompt_version: Option<String>,
    pub use_cache: bool,
    /// Grade these outputs, by (row id, repeat), instead of generating (shared, not copied,
    /// by the evals of one invocation).
    pub outputs: Option<std::sync::Arc<HashMap<(String, u32), String>>>,
    /// The person at the keyboard lets command graders run.
    pub allow_exec: bool,
    pub options: RunOptions,
    /// Record the run on `refs/llmops/runs/<eval>`.
    pub record: bool,
    /// Sign the run commit.
    pub sign: bool,
    /// The experiment the run is a cell of.
    pub experiment: Option<String>,
    /// A draft of the prompt in this file of the workspace, instead of `prompt_version`.
    pub prompt_file: Option<String>,
    /// Prompt parameters set otherwise (`--set temperature=0.7`), by name.
    pub overrides: std::collections::BTreeMap<String, serde_json::Value>,
    /// How judges without the calibration they ask for are held (`gate --base`: the merge
    /// base's policy); `None`: the workspace's policy.
    pub uncalibrated_judges: Option<crate::spec::config::Demand>,
}

/// Models opened by the evals of one invocation, each loaded once.
#[derive(Default)]
pub struct Models(HashMap<String, Box<dyn Provider>>);

impl Models {
    fn open(&mut self, ws: &Workspace, name: &str, options: &RunOptions, progress: &mut dyn Progress) -> Result<(), OpenError> {
        if !self.0.contains_key(name) {
            progress.status(&format!("loading model `{name}`"));
            self.0.insert(name.to_owned(), engine::open(&ws.repo_root(), &ws.config, name, options)?);
        }
        Ok(())
    }
}

/// A grader's dimension as the report shows it.
#[derive(Debug, Clone)]
pub struct Dimension {
    pub name: String,
    pub weight: f64,
    pub threshold: f64,
}

/// One cell of an experiment: a prompt version (`None`: the work tree's) and a model
/// (`None`: the eval's).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cell {
    /// Parameters set otherwise than the prompt says (`--set`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub overrides: std::collections::BTreeMap<String, serde_json::Value>,
    pub prompt_version: Option<String>,
    /// A draft file instead of a version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_file: Option<String>,
    pub model: Option<String>,
}

/// The axes of an experiment as the command line gives them; an axis left empty is the eval
/// file's `experiment:` axis, or else the eval's own.
#[derive(Debug, Clone, Default)]
pub struct Axes {
    /// Prompt versions (`work`: the work tree's).
    pub prompt_versions: Vec<String>,
    pub prompt_files: Vec<String>,
    pub models: Vec<String>,
    /// Parameters, each with every value it takes, in order.
    pub set: Vec<(String, Vec<serde_json::Value>)>,
    /// Leave the eval file's `experiment:` out.
    pub own_only: bool,
}

/// The cells of eval `eval`: every prompt version, then every draft, on every model, with
/// every combination of the parameters set; one cell, the eval's own, when no axis is given
/// on the command line or in the eval's `experiment:`.
pub fn cells(ws: &Workspace, eval: &str, given: &Axes) -> Result<Vec<Cell>, EvaluationError> {
    let (_, spec) = ws.load_eval(eval)?;
    let block = if given.own_only { Default::default() } else { spec.experiment.unwrap_or_default() };
    let pick = |cli: &Vec<String>, file: Vec<String>| if cli.is_empty() { file } else { cli.clone() };
    // The command line replaces the prompt axis whole: versions and drafts together.
    let prompts_given = !given.prompt_versions.is_empty() || !given.prompt_files.is_empty();
    if !prompts_given {
        // Drafts named by an eval file (which may come from a pulled branch) must be committed
        // prompt files: an untracked or ignored file (`.env`, a key) is never read as a draft.
        for file in &block.prompt_files {
            if !ws.is_committed(file) {
                return Err(WorkspaceError::UncommittedDraft { eval: eval.to_owned(), path: file.clone() }.into());
            }
        }
    }
    let (versions, files) = if prompts_given { (given.prompt_versions.clone(), given.prompt_files.clone()) } else { (block.prompt_versions, block.prompt_files) };
    let models = pick(&given.models, block.models);
    let set: Vec<(String, Vec<serde_json::Value>)> = if given.set.is_empty() { block.set.into_iter().collect() } else { given.set.clone() };
    Ok(cross(&versions, &files, &models, &set))
}

/// Every prompt (versions, then drafts) × model × combination of parameter values.
fn cross(versions: &[String], files: &[String], models: &[String], set: &[(String, Vec<serde_json::Value>)]) -> Vec<Cell> {
    let mut prompts: Vec<(Option<String>, Option<String>)> = versions.iter().map(|v| ((v != "work").then(|| v.clone()), None)).collect();
    prompts.extend(files.iter().map(|f| (None, Some(f.clone()))));
    if prompts.is_empty() {
        prompts.push((None, None));
    }
    let models: Vec<Option<String>> = if models.is_empty() { vec![None] } else { models.iter().cloned().map(Some).collect() };
    let mut settings: Vec<std::collections::BTreeMap<String, serde_json::Value>> = vec![Default::default()];
    for (key, values) in set {
        // `stop` is a list: a single value is one stop sequence.
        let values: Vec<serde_json::Value> = values.iter().map(|v| if key == "stop" && !v.is_array() { serde_json::Value::Array(vec![v.clone()]) } else { v.clone() }).collect();
        settings = settings.iter().flat_map(|s| values.iter().map(move |v| { let mut s = s.clone(); s.insert(key.clone(), v.clone()); s })).collect();
    }
    prompts
        .iter()
        .flat_map(|(v, f)| models.iter().map(move |m| (v, f, m)))
        .flat_map(|(v, f, m)| settings.iter().map(move |o| Cell { overrides: o.clone(), prompt_version: v.clone(), prompt_file: f.clone(), model: m.clone() }))
        .collect()
}

/// What an experiment produced: a run per cell (recorded unless `--no-record`), and their
/// comparison.
#[derive(Debug, Clone)]
pub struct ExperimentReport {
    pub id: String,
    pub eval: String,
    pub cells: Vec<Cell>,
    pub reports: Vec<RunReport>,
    pub matrix: Option<crate::ledger::compare::Matrix>,
    /// Seconds spent generating every cell's samples together, before the cells ran (their
    /// own wall times leave it out).
    pub generation_s: f64,
}

/// Evaluates `request`'s eval once per cell (prompt version × model), each an ordinary run
/// recorded with the experiment's id, the models loaded once for all cells; then compares the
/// recorded cells. `on_report` hears of each cell's run as it ends.
pub fn experiment(
    ws: &Workspace,
    request: &EvalRequest,
    cells: &[Cell],
    models: &mut Models,
    progress: &mut dyn Progress,
    on_report: &mut dyn FnMut(&RunReport),
) -> Result<ExperimentReport, EvaluationError> {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    hash.update(request.eval.as_bytes());
    hash.update(serde_json::to_vec(cells).unwrap_or_default());
    hash.update(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0).to_le_bytes());
    let id = format!("exp-{}", &crate::engine::model_file::hex(&hash.finalize())[..10]);
    // Every cell's prompt version loads and its model exists before any cell runs.
    let (eval_source, spec) = ws.load_eval(&request.eval)?;
    for cell in cells {
        let (_, prompt) = cell_prompt(ws, spec.prompt.as_str(), cell)?;
        prompt.params.with_overrides(&cell.overrides).map_err(EvaluationError::Overrides)?;
        // Every cell's command tools are granted (or refused) before any cell runs.
        let agents = if prompt.is_agent() { crate::agent::load_subagents(ws, &prompt)? } else { Default::default() };
        refuse_exec_unless_granted(&spec, &prompt, &agents, &eval_source.file.rel_path, request.allow_exec)?;
        if let Some(m) = cell.model.as_ref().filter(|m| !ws.config.models.contains_key(*m)) {
            return Err(OpenError::Unknown { name: m.clone(), known: ws.config.models.keys().cloned().collect() }.into());
        }
    }
    // Cells share their generation: every cell's samples on one model go to that model's
    // engine together, into the response cache, and each cell's run finds its answers there.
    let started = std::time::Instant::now();
    if request.use_cache && request.outputs.is_none() && spec.target.is_generation() {
        generate_together(ws, request, &spec, cells, models, progress)?;
    }
    let generation_s = started.elapsed().as_secs_f64();
    let mut reports = Vec::with_capacity(cells.len());
    for cell in cells {
        let cell_request = EvalRequest {
            prompt_version: cell.prompt_version.clone(),
            prompt_file: cell.prompt_file.clone(),
            model: cell.model.clone(),
            experiment: Some(id.clone()),
            overrides: cell.overrides.clone(),
            ..request.clone()
        };
        progress.status(&format!(
            "experiment {id}: prompt {} on {}",
            cell.prompt_file.as_deref().or(cell.prompt_version.as_deref()).unwrap_or("(work tree)"),
            cell.model.as_deref().unwrap_or("the eval's model")
        ));
        let report = execute(ws, &cell_request, models, progress)?;
        on_report(&report);
        reports.push(report);
    }
    let runs: Option<Vec<crate::ledger::compare::CellRun<'_>>> = reports
        .iter()
        .map(|r| r.kept.as_deref().map(|k| crate::ledger::compare::CellRun { run: r.run.clone(), meta: &k.meta, samples_jsonl: &k.samples_jsonl }))
        .collect();
    let matrix = runs.map(|runs| crate::ledger::compare::matrix(&runs));
    Ok(ExperimentReport { id, eval: request.eval.clone(), cells: cells.to_vec(), reports, matrix, generation_s })
}

/// The prompt `name` as `cell` asks for it: a draft file, a version, or the work tree's.
fn cell_prompt(ws: &Workspace, name: &str, cell: &Cell) -> Result<(crate::workspace::Source, crate::spec::prompt::Prompt), WorkspaceError> {
    match (&cell.prompt_file, &cell.prompt_version) {
        (Some(path), _) => ws.load_prompt_file(name, path),
        (None, Some(v)) => crate::release::load_prompt(ws, &format!("{name}@{v}")),
        (None, None) => crate::release::load_prompt(ws, name),
    }
}

/// The samples of every cell whose prompt answers in one step (no tools, no retrieval),
/// generated model by model in one batch across the cells, each answer stored in the response
/// cache as it comes. Requests the cache already answers are not asked again; a request that
/// fails is left to its cell's run.
fn generate_together(ws: &Workspace, request: &EvalRequest, spec: &EvalSpec, cells: &[Cell], models: &mut Models, progress: &mut dyn Progress) -> Result<(), EvaluationError> {
    use crate::engine::cache::Purpose;
    let selection = Selection { filter: request.filter.clone(), shard: request.shard };
    let (_, _, rows) = ws.open_dataset(&spec.dataset)?;
    let rows: Vec<crate::spec::dataset::Row> = rows.filter_map(Result::ok).filter(|r| selection.admits(r)).take(request.limit.unwrap_or(usize::MAX)).collect();
    let mut by_model: std::collections::BTreeMap<String, Vec<engine::ChatRequest>> = Default::default();
    for cell in cells {
        let (_, mut prompt) = cell_prompt(ws, spec.prompt.as_str(), cell)?;
        if prompt.is_agent() || prompt.retrieve.is_some() {
            continue;
        }
        prompt.params = prompt.params.with_overrides(&cell.overrides).map_err(EvaluationError::Overrides)?;
        let model = run::model_name(cell.model.as_deref(), Some(spec), prompt.model.as_deref(), &ws.config).ok_or(EvaluationError::NoModel)?;
        let asked = by_model.entry(model).or_default();
        for row in &rows {
            for k in 0..spec.repeat.max(1) {
                asked.extend(run::sample_request(&prompt, row, k).ok());
            }
        }
    }
    let cache = ResponseCache::open(&ws.cache_dir());
    for (model, requests) in by_model {
        models.open(ws, &model, &request.options, progress)?;
        let provider = models.0[&model].as_ref();
        let mut seen = std::collections::HashSet::new();
        let (keys, missing): (Vec<String>, Vec<engine::ChatRequest>) = requests
            .into_iter()
            .map(|r| (ResponseCache::key(Purpose::Generate, provider.identity(), &r), r))
            .filter(|(key, _)| seen.insert(key.clone()) && cache.get(key).is_none())
            .unzip();
        if missing.is_empty() {
            continue;
        }
        progress.status(&format!("generating {} samples of {} cells on `{model}` together", missing.len(), cells.len()));
        provider.generate(&missing, &mut |event| {
            if let engine::Event::Done { index, result: Ok(c) } = event {
                let _ = cache.put(&keys[*index], c);
            }
        });
    }
    Ok(())
}

/// What one evaluation produced.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub eval: String,
    pub eval_version: String,
    pub prompt: String,
    pub prompt_version: String,
    pub dataset: String,
    pub dataset_version: String,
    /// The model that generated; `None` for outputs from a file.
    pub model: Option<String>,
    /// The recorded run's commit.
    pub run: Option<String>,
    pub summary: Summary,
    /// The graders' dimensions, in the eval's order.
    pub dimensions: Vec<Dimension>,
    /// Samples per row (`repeat:`).
    pub repeat: u32,
    /// This process's peak memory when the run ended.
    pub peak_rss_mib: Option<f64>,
    /// An experiment's cell: what the run recorded (or would have), for the comparison.
    pub kept: Option<std::sync::Arc<KeptRun>>,
}

/// A run's metadata and samples, kept in memory.
#[derive(Debug)]
pub struct KeptRun {
    pub meta: ledger::RunMeta,
    pub samples_jsonl: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("`{path}`: {message}")]
    Graders { path: String, message: String },
    /// The judge prompt of a grader cannot be loaded.
    #[error("{source}")]
    JudgePrompt { grader: String, path: String, source: WorkspaceError },
    /// Command graders without `--allow-exec`: each entry says what runs.
    #[error("`{path}` has command graders, which run programs; they run only with `--allow-exec`")]
    ExecNotGranted { path: String, commands: Vec<String>, declared: bool },
    #[error("{} problem{} found", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Diagnostic>),
    #[error("no model: set `default_model` in `.llmops/config.yaml`")]
    NoModel,
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Retrieval(#[from] crate::retrieval::RetrievalError),
    #[error("index `{name}` is {state}: build it from the current rows and settings first (`llmops index build {name}`)")]
    IndexNotReady { name: String, state: &'static str },
    #[error("`{path}` has `target: retrieval`, but prompt `{prompt}` has no `retrieve:` to score")]
    NothingRetrieved { path: String, prompt: String },
    /// `--set` names no parameter, or a value of the wrong kind.
    #[error("--set: {0}")]
    Overrides(String),
    #[error(transparent)]
    Calibration(#[from] crate::calibration::CalibrationError),
    /// The run finished but could not be recorded: its report, with no run id.
    #[error("cannot record the run: {0}")]
    Record(LedgerError, Box<RunReport>),
}

/// Evaluates `request.eval` in `ws`, opening models into `models`. The eval, prompt and
/// dataset are read from `ws.root` (a snapshot of the index for `gate --staged`); models and
/// the ledger are the repository's.
pub fn execute(ws: &Workspace, request: &EvalRequest, models: &mut Models, progress: &mut dyn Progress) -> Result<RunReport, EvaluationError> {
    let name = request.eval.as_str();
    let (eval_source, spec) = ws.load_eval(name)?;
    let prompt_ref = match &request.prompt_version {
        Some(v) => format!("{}@{v}", spec.prompt),
        None => spec.prompt.clone(),
    };
    let (prompt_source, mut prompt) = match &request.prompt_file {
        Some(path) => ws.load_prompt_file(&spec.prompt, path)?,
        None => crate::release::load_prompt(ws, &prompt_ref)?,
    };
    if !request.overrides.is_empty() {
        prompt.params = prompt.params.with_overrides(&request.overrides).map_err(EvaluationError::Overrides)?;
    }
    // Without a model of their own, judges use the eval's model; in an experiment that stays
    // the eval's own model for every cell, so no cell is graded by the model it compares.
    let judge_fallback = if request.experiment.is_some() { run::model_name(None, Some(&spec), prompt.model.as_deref(), &ws.config) } else { None }
        .or_else(|| run::model_name(request.model.as_deref(), Some(&spec), prompt.model.as_deref(), &ws.config));
    // A judge with a `calibration:` bar that no calibration of its prompt and model meets
    // counts with weight 0.
    let uncalibrated = crate::calibration::uncalibrated(ws, name, &spec, judge_fallback.as_deref(), request.uncalibrated_judges.unwrap_or(ws.config.gate.uncalibrated_judges))?;
    let mut grader_specs = spec.graders.clone();
    for g in grader_specs.iter_mut().filter(|g| uncalibrated.iter().any(|u| u.grader == g.dimension())) {
        g.weight = 0.0;
    }
    let graders = grade::build(&grader_specs).map_err(|e| EvaluationError::Graders { path: eval_source.file.rel_path.clone(), message: e.to_string() })?;
    let agents = if prompt.is_agent() { crate::agent::load_subagents(ws, &prompt)? } else { Default::default() };
    refuse_exec_unless_granted(&spec, &prompt, &agents, &eval_source.file.rel_path, request.allow_exec)?;
    let judges = crate::release::load_judges(ws, &spec).map_err(|(i, source)| EvaluationError::JudgePrompt {
        // `grade::build` makes one grader per entry of `graders:`, in order.
        grader: graders.get(i).map(|g| g.dimension.clone()).unwrap_or_default(),
        path: eval_source.file.rel_path.clone(),
        source,
    })?;
    let judge_pins: Vec<(String, crate::workspace::Source)> = judges.iter().map(|j| (j.reference.clone(), j.source.clone())).collect();
    let generates = spec.target.is_generation();
    if !generates && prompt.retrieve.is_none() {
        return Err(EvaluationError::NothingRetrieved { path: eval_source.file.rel_path.clone(), prompt: prompt_source.file.name.to_string() });
    }
    // A RAG prompt searches its index as built from the current rows and settings: the run
    // pins that index's identity.
    let index = match &prompt.retrieve {
        Some(r) => {
            let status = crate::retrieval::status(ws, &r.index)?;
            if status.state != "built" {
                return Err(EvaluationError::IndexNotReady { name: r.index.clone(), state: if status.state == "stale" { "stale" } else { "not built" } });
            }
            progress.status(&format!("opening index `{}`", r.index));
            Some((crate::retrieval::Opened::open(ws, &r.index, r.mode)?, status.identity))
        }
        None => None,
    };
    // The indexes an agent's `retrieve:` tools (and its sub-agents') search, opened once for
    // the whole run.
    let mut tool_indexes: Vec<(String, crate::retrieval::Opened)> = Vec::new();
    if prompt.is_agent() {
        for name in crate::agent::tool_indexes(&prompt, &agents) {
            let status = crate::retrieval::status(ws, &name)?;
            if status.state != "built" {
                return Err(EvaluationError::IndexNotReady { name: name.clone(), state: if status.state == "stale" { "stale" } else { "not built" } });
            }
            tool_indexes.push((name.clone(), crate::retrieval::Opened::open(ws, &name, None)?));
        }
    }
    let judge_prompts: HashMap<String, crate::spec::prompt::Prompt> = judges.into_iter().map(|j| (j.reference, j.prompt)).collect();
    let mut plan = Plan {
        eval: &spec,
        prompt: &prompt,
        graders,
        judge_prompts,
        allow_exec: request.allow_exec,
        use_cache: request.use_cache,
        trace: None,
        retriever: prompt.retrieve.as_ref().zip(index.as_ref()).map(|(spec, (index, _))| run::Retriever { spec, index }),
        agent: prompt.is_agent().then(|| crate::agent::Tools {
            tools: &prompt.tools,
            allow_exec: request.allow_exec,
            indexes: tool_indexes.iter().map(|(n, i)| (n.clone(), i)).collect(),
            agents: &agents,
        }),
    };
    // One pass before any model runs: every row parses and renders, and the selected ones are
    // counted. Rows are read again, streaming, when they run, so no dataset is held whole.
    let selection = Selection { filter: request.filter.clone(), shard: request.shard };
    let (dataset_file, dataset_blob, rows) = ws.open_dataset(&spec.dataset)?;
    let mut problems = Vec::new();
    let mut unrenderable = Vec::new();
    let mut total = 0u64;
    for row in rows {
        match row {
            Ok(row) if selection.admits(&row) => {
                total += 1;
                if unrenderable.len() < 20 {
                    unrenderable.extend(run::render_problem(&plan, &row, Path::new(&dataset_file.rel_path)));
                }
            }
            Ok(_) => {}
            Err(d) => problems.push(d),
        }
        if request.limit.is_some_and(|n| total >= n as u64) {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(EvaluationError::Invalid(problems));
    }
    if !unrenderable.is_empty() {
        return Err(RunError::Rows(unrenderable).into());
    }
    let model = run::model_name(request.model.as_deref(), Some(&spec), prompt.model.as_deref(), &ws.config).ok_or(EvaluationError::NoModel)?;
    let needs_model_graders = run::needs_grader_model(&spec);
    let judge_model = run::grader_model(&spec, &|p| plan.judge_prompts.get(p).and_then(|j| j.model.clone())).or(judge_fallback).unwrap_or_else(|| model.clone());
    if request.outputs.is_none() && generates {
        models.open(ws, &model, &request.options, progress)?;
    }
    if needs_model_graders {
        models.open(ws, &judge_model, &request.options, progress)?;
    }
    // What the endpoints have done so far: the run records what they did for it.
    let used_models = [&model, &judge_model];
    let uses_before = endpoint_uses(models, &used_models);
    let cache = ResponseCache::open(&ws.cache_dir());
    let source = match &request.outputs {
        _ if !generates => Source::Retrieval,
        Some(map) => Source::Outputs(map),
        None => Source::Model { provider: models.0[&model].as_ref(), cache: Some(&cache) },
    };
    progress.status(&format!(
        "eval {name}: prompt {}@{}, dataset {}@{}, {}",
        prompt_source.file.name,
        prompt_source.version(),
        spec.dataset,
        version::short(&dataset_blob),
        match (&source, &index) {
            (Source::Retrieval, Some((i, _))) => format!("retrieval only, index {} ({})", i.name, i.mode.as_str()),
            (Source::Outputs(_), _) => "outputs from file".to_owned(),
            _ => format!("model {model}"),
        }
    ));
    let judge = if needs_model_graders { models.0.get(&judge_model).map(|p| p.as_ref()) } else { None };
    let (_, _, rows) = ws.open_dataset(&spec.dataset)?;
    let mut rows = rows.filter_map(Result::ok).filter(|r| selection.admits(r)).take(total as usize);
    let started = crate::report::now_seconds();
    // The eval's root span (a child of the caller's `TRACEPARENT`, if any); its spans are taken
    // for the run's `traces.jsonl` when it ends.
    let _ = crate::trace::take_recorded();
    let mut root = {
        use crate::trace::genai as attr;
        use opentelemetry::KeyValue;
        crate::trace::start(
            format!("eval {name}"),
            opentelemetry::trace::SpanKind::Internal,
            &crate::trace::root_context(),
            vec![
                KeyValue::new(attr::EVAL_NAME, name.to_owned()),
                KeyValue::new(attr::EVAL_VERSION, eval_source.blob.to_string()),
                KeyValue::new(attr::PROMPT_NAME, prompt_source.file.name.to_string()),
                KeyValue::new(attr::PROMPT_VERSION, prompt_source.blob.to_string()),
                KeyValue::new(attr::DATASET_NAME, spec.dataset.clone()),
                KeyValue::new(attr::DATASET_VERSION, dataset_blob.to_string()),
            ],
        )
    };
    plan.trace = Some(opentelemetry::trace::Span::span_context(&root).clone());
    let mut samples_jsonl: Vec<u8> = Vec::new();
    // An experiment's cells are compared from their samples, recorded or not.
    let keep_samples = request.record || request.experiment.is_some();
    let result = run::run(&plan, &mut rows, total, &source, judge, progress, &INTERRUPTED, &mut |sample| {
        if keep_samples {
            if let Ok(line) = serde_json::to_vec(sample) {
                samples_jsonl.extend(line);
                samples_jsonl.push(b'\n');
            }
        }
    });
    progress.finish();
    {
        use opentelemetry::trace::Span as _;
        match &result {
            Ok(summary) => root.set_attributes([
                opentelemetry::KeyValue::new(crate::trace::genai::RUN_SCORE, summary.overall.mean_score),
                opentelemetry::KeyValue::new(crate::trace::genai::RUN_PASS, summary.verdict.pass),
            ]),
            Err(e) => root.set_status(opentelemetry::trace::Status::error(e.to_string())),
        }
        root.end();
    }
    let mut traces = crate::trace::take_recorded();
    let mut summary = result?;
    if !uncalibrated.is_empty() {
        // A judge that does not count decides nothing: its dimension's gate rule goes too.
        summary.verdict = ledger::verify::verdict_of(spec.gate.as_ref(), &summary.overall, &summary.dimensions, &uncalibrated);
    }
    let mut kept = None;
    let run_id = if keep_samples {
        let files = [
            (eval_source.file.rel_path.clone(), eval_source.blob, eval_source.origin.clone()),
            (prompt_source.file.rel_path.clone(), prompt_source.blob, prompt_source.origin.clone()),
            (dataset_file.rel_path.clone(), dataset_blob, Origin::WorkTree),
        ];
        let judge_files = judge_pins.iter().map(|(_, s)| s).chain(agents.values().map(|(s, _)| s)).map(|s| (s.file.rel_path.clone(), s.blob, s.origin.clone()));
        let all: Vec<_> = files.into_iter().chain(judge_files).collect();
        let meta = ledger::RunMeta {
            eval: ledger::Pin { name: name.to_owned(), blob: eval_source.blob.to_string() },
            prompt: ledger::Pin { name: prompt_source.file.name.to_string(), blob: prompt_source.blob.to_string() },
            dataset: ledger::Pin { name: spec.dataset.clone(), blob: dataset_blob.to_string() },
            judges: judge_pins.iter().map(|(name, s)| ledger::Pin { name: name.clone(), blob: s.blob.to_string() }).collect(),
            agents: agents.iter().map(|(name, (s, _))| ledger::Pin { name: name.clone(), blob: s.blob.to_string() }).collect(),
            model: match &source {
                Source::Model { provider, .. } => Some(model_pin(*provider, serde_json::to_value(&prompt.params).unwrap_or_default())),
                Source::Outputs(_) | Source::Retrieval => None,
            },
            indexes: prompt
                .retrieve
                .as_ref()
                .zip(index.as_ref())
                .map(|(r, (_, identity))| ledger::IndexPin { name: r.index.clone(), identity: identity.clone() })
                .into_iter()
                .chain(tool_indexes.iter().filter(|(n, _)| prompt.retrieve.as_ref().is_none_or(|r| r.index != *n)).map(|(n, i)| ledger::IndexPin { name: n.clone(), identity: i.manifest.identity.clone() }))
                .collect(),
            judge_model: judge.map(|p| model_pin(p, serde_json::Value::Null)),
            selection: (!request.filter.is_empty() || request.limit.is_some() || request.shard.is_some())
                .then(|| ledger::RowSelection { filter: request.filter.clone(), limit: request.limit.map(|n| n as u64), shard: request.shard }),
            llmops_version: env!("CARGO_PKG_VERSION").to_owned(),
            invocation: format!(
                "{}-{}",
                std::process::id(),
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
            ),
            source: source_state(ws, &all),
            started,
            finished: crate::report::now_seconds(),
            input_tokens: summary.input_tokens,
            output_tokens: summary.output_tokens,
            samples: summary.samples,
            rows: summary.rows,
            overall: summary.overall,
            dimensions: summary.dimensions.clone(),
            pass_k: summary.pass_k,
            gate: spec.gate.clone(),
            verdict: summary.verdict.clone(),
            experiment: request.experiment.clone(),
            overrides: request.overrides.clone(),
            uncalibrated: uncalibrated.clone(),
            shards: Vec::new(),
            served_by: uses_since(&uses_before, endpoint_uses(models, &used_models)),
        };
        if request.experiment.is_some() {
            kept = Some(std::sync::Arc::new(KeptRun { meta: meta.clone(), samples_jsonl: samples_jsonl.clone() }));
        }
        if !request.record {
            None
        } else {
        let mut inputs = vec![
            Input { path: eval_source.file.rel_path.clone(), blob: eval_source.blob, data: InputData::Bytes(eval_source.text.as_bytes()) },
            Input { path: prompt_source.file.rel_path.clone(), blob: prompt_source.blob, data: InputData::Bytes(prompt_source.text.as_bytes()) },
            Input { path: dataset_file.rel_path.clone(), blob: dataset_blob, data: InputData::File(crate::workspace::files::open(&ws.root, &dataset_file.rel_path)?) },
        ];
        inputs.extend(judge_pins.iter().map(|(_, s)| s).chain(agents.values().map(|(s, _)| s)).map(|s| Input { path: s.file.rel_path.clone(), blob: s.blob, data: InputData::Bytes(s.text.as_bytes()) }));
        Some(ledger::record(&ws.repo_root(), name, &meta, &samples_jsonl, traces.as_mut().map(|(file, len)| (file, *len)), inputs, request.sign))
        }
    } else {
        None
    };
    let report = RunReport {
        eval: name.to_owned(),
        eval_version: eval_source.version(),
        prompt: prompt_source.file.name.to_string(),
        prompt_version: prompt_source.version(),
        dataset: spec.dataset.clone(),
        dataset_version: version::short(&dataset_blob).to_owned(),
        model: (request.outputs.is_none() && generates).then_some(model),
        run: None,
        dimensions: plan.graders.iter().map(|g| Dimension { name: g.dimension.clone(), weight: g.weight(), threshold: g.threshold() }).collect(),
        repeat: spec.repeat,
        summary,
        peak_rss_mib: crate::report::peak_rss_mib(),
        kept,
    };
    match run_id {
        Some(Err(e)) => Err(EvaluationError::Record(e, Box::new(report))),
        Some(Ok(id)) => Ok(RunReport { run: Some(id.to_string()), ..report }),
        None => Ok(report),
    }
}

/// What a run records of a model it used.
fn model_pin(provider: &dyn Provider, params: serde_json::Value) -> ledger::ModelPin {
    let identity = provider.identity();
    ledger::ModelPin { name: identity.name.clone(), provider: identity.provider.clone(), id: identity.id.clone(), params }
}

/// Command graders run programs named by the eval file, which may come from a pulled branch:
/// only the person at the keyboard grants that, with `--allow-exec`. The file can only say
/// that it needs it.
/// Command graders, and the command tools of an agent prompt, run only with `--allow-exec`.
fn refuse_exec_unless_granted(spec: &EvalSpec, prompt: &crate::spec::prompt::Prompt, agents: &crate::agent::SubAgents, path: &str, granted: bool) -> Result<(), EvaluationError> {
    if granted {
        return Ok(());
    }
    let graders = spec
        .graders
        .iter()
        .filter(|g| g.kind == GraderKind::Command)
        .map(|g| format!("`{}` runs `{}`", g.dimension(), crate::spec::command_line(g.command.as_deref(), g.env.as_deref())));
    let tools = std::iter::once((spec.prompt.as_str(), prompt))
        .chain(agents.iter().map(|(name, (_, p))| (name.as_str(), p)))
        .filter(|(_, p)| p.is_agent())
        .flat_map(|(name, p)| p.tools.iter().filter(|t| t.command.is_some()).map(move |t| (name, t)))
        .map(|(name, t)| format!("tool `{}` of prompt `{name}` runs `{}`", t.name, crate::spec::command_line(t.command.as_deref(), t.env.as_deref())));
    let commands: Vec<String> = graders.chain(tools).collect();
    if commands.is_empty() {
        return Ok(());
    }
    Err(EvaluationError::ExecNotGranted { path: path.to_owned(), commands, declared: spec.allow_exec })
}

/// HEAD, and whether any pinned file differs from its version at HEAD.
fn source_state(ws: &Workspace, files: &[(String, gix::ObjectId, Origin)]) -> ledger::SourceState {
    let head = ws.repo.head_commit().ok();
    let tree = head.as_ref().and_then(|c| c.tree().ok());
    let dirty = files.iter().any(|(path, blob, origin)| {
        *origin == Origin::WorkTree
            && tree
                .as_ref()
                .and_then(|t| t.lookup_entry_by_path(path).ok().flatten())
                .map(|e| e.object_id() != *blob)
                .unwrap_or(true)
    });
    ledger::SourceState { commit: head.map(|c| c.id.to_string()), dirty }
}

/// What the endpoints of models `names` have done so far (each model once).
fn endpoint_uses(models: &Models, names: &[&String]) -> Vec<crate::engine::openai::EndpointUse> {
    let mut seen = std::collections::BTreeSet::new();
    names.iter().filter(|n| seen.insert(n.as_str())).filter_map(|n| models.0.get(*n)).flat_map(|p| p.endpoint_uses()).collect()
}

/// What each endpoint did between `before` and `now`; endpoints that did nothing left out.
fn uses_since(before: &[crate::engine::openai::EndpointUse], now: Vec<crate::engine::openai::EndpointUse>) -> Vec<crate::engine::openai::EndpointUse> {
    now.into_iter()
        .map(|mut u| {
            if let Some(b) = before.iter().find(|b| b.model == u.model && b.base_url == u.base_url) {
                u.served -= b.served.min(u.served);
                u.failed -= b.failed.min(u.failed);
            }
            u
        })
        .filter(|u| u.served + u.failed > 0)
        .collect()
}
