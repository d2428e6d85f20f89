use std::collections::HashMap;
use std::io::{BufRead, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use super::{CommandError, Ctx, ExitKind};
use crate::engine::cache::ResponseCache;
use crate::engine::{self, INTERRUPTED, Provider, RunOptions};
use crate::grade;
use crate::printer::{Printer, Style};
use crate::report::table::{Table, clip};
use crate::run::{self, Plan, Progress, RunError, Selection, Source, Summary};
use crate::spec::eval::GraderKind;
use crate::workspace::{FileKind, Workspace};

/// Score a prompt version against a dataset: render every row, generate (batched), grade,
/// aggregate, and check the gate. No EVAL: every eval in `evals/`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    pub evals: Vec<String>,
    /// Only the first N rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only rows whose id (`*` wildcards) or label matches; repeatable
    #[arg(long, value_name = "EXPR")]
    pub filter: Vec<String>,
    /// A model from `.llmops/config.yaml` instead of the eval's
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Evaluate this version of the prompt (a blob prefix or a git revision), read from git
    #[arg(long, value_name = "REF")]
    pub prompt_version: Option<String>,
    /// Neither read nor write the response cache
    #[arg(long)]
    pub no_cache: bool,
    /// Grade outputs someone else produced (JSONL: `{"id", "output"}`), with no model
    #[arg(long, value_name = "FILE")]
    pub outputs: Option<PathBuf>,
    /// Let `command` graders run the programs the eval names (an eval file cannot grant this)
    #[arg(long)]
    pub allow_exec: bool,
    /// Decode threads (default: the cores this process may use)
    #[arg(long, value_name = "N", env = "LLMOPS_THREADS")]
    pub threads: Option<u32>,
    /// Do not record the run on `refs/llmops/runs/<eval>`
    #[arg(long, conflicts_with = "sign")]
    pub no_record: bool,
    /// Sign the run commit with your git signing key (`user.signingkey`, `gpg.format`), for
    /// channels whose policy requires signed runs
    #[arg(long)]
    pub sign: bool,
}

pub fn cmd_eval(ctx: &Ctx, printer: &Printer, args: EvalArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let names: Vec<String> = if args.evals.is_empty() {
        ws.list(FileKind::Eval)?.0.into_iter().map(|f| f.name.to_string()).collect()
    } else {
        args.evals.clone()
    };
    if names.is_empty() {
        return Err(CommandError::usage("no evals: add one under `evals/`"));
    }
    let reports = eval_all(&ws, printer, &args, &names)?;
    let all_pass = reports.iter().all(|r| r["summary"]["verdict"]["pass"] == true);
    if printer.json {
        printer.json_value(&reports)?;
    }
    Ok(if all_pass { ExitCode::SUCCESS } else { ExitCode::from(ExitKind::Verdict as u8) })
}

impl EvalArgs {
    /// Evaluate `evals` on `prompt_version` (the work tree's when `None`), recording the runs.
    pub fn recorded(evals: Vec<String>, prompt_version: Option<String>, allow_exec: bool) -> EvalArgs {
        EvalArgs {
            evals,
            limit: None,
            filter: Vec::new(),
            model: None,
            prompt_version,
            no_cache: false,
            outputs: None,
            allow_exec,
            threads: std::env::var("LLMOPS_THREADS").ok().and_then(|t| t.parse().ok()),
            no_record: false,
            sign: false,
        }
    }
}

/// Runs each eval in `names`, loading each model once; one report per eval. Ctrl-C finishes
/// the requests in flight (a second one quits at once).
pub(super) fn eval_all(ws: &Workspace, printer: &Printer, args: &EvalArgs, names: &[String]) -> Result<Vec<serde_json::Value>, CommandError> {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            crate::trace::flush_before_exit();
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: finishing the requests in flight; Ctrl-C again to quit now");
    });
    let mut providers: HashMap<String, Box<dyn Provider>> = HashMap::new();
    let mut reports = Vec::new();
    for name in names {
        reports.push(eval_one(ws, printer, args, name, &mut providers)?);
    }
    Ok(reports)
}

fn read_outputs(path: &Path) -> Result<HashMap<(String, u32), String>, CommandError> {
    let file = std::fs::File::open(path).map_err(|e| CommandError::usage(format!("cannot read `{}`: {e}", path.display())))?;
    let mut out = HashMap::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| CommandError::usage(format!("`{}` line {}: not JSON: {e}", path.display(), i + 1)))?;
        let id = v.get("id").map(grade::text_of).ok_or_else(|| {
            CommandError::usage(format!("`{}` line {}: no `id`", path.display(), i + 1))
        })?;
        let output = v.get("output").map(grade::text_of).ok_or_else(|| {
            CommandError::usage(format!("`{}` line {}: no `output`", path.display(), i + 1))
        })?;
        let repeat = v.get("repeat").and_then(serde_json::Value::as_u64).unwrap_or(0) as u32;
        out.insert((id, repeat), output);
    }
    Ok(out)
}

struct Bar {
    bar: Option<indicatif::ProgressBar>,
    printer: Printer,
    started: std::time::Instant,
}

impl Progress for Bar {
    fn start(&mut self, rows: u64, samples: u64) {
        self.started = std::time::Instant::now();
        match &self.bar {
            Some(bar) => bar.set_length(samples),
            None => self.printer.status(format!("generating and grading {samples} samples ({rows} rows)")),
        }
    }
    fn advance(&mut self, done: u64, tokens: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{:.0} tokens/s", tokens as f64 / secs));
        }
    }
}

fn eval_one(
    ws: &Workspace,
    printer: &Printer,
    args: &EvalArgs,
    name: &str,
    providers: &mut HashMap<String, Box<dyn Provider>>,
) -> Result<serde_json::Value, CommandError> {
    let (eval_source, spec) = ws.load_eval(name)?;
    let prompt_ref = match &args.prompt_version {
        Some(v) => format!("{}@{v}", spec.prompt),
        None => spec.prompt.clone(),
    };
    let (prompt_source, prompt) = ws.load_prompt(&prompt_ref)?;
    let graders = grade::build(&spec.graders).map_err(|e| CommandError::usage(format!("`{}`: {e}", eval_source.file.rel_path)))?;
    refuse_exec_unless_granted(&spec, &eval_source.file.rel_path, args.allow_exec)?;
    let mut judge_prompts = HashMap::new();
    let mut judge_pins = Vec::new();
    for g in &graders {
        if g.spec.kind == GraderKind::Judge {
            let judge_name = g.spec.prompt.clone().unwrap_or_default();
            let (judge_source, p) = ws.load_prompt(&judge_name).map_err(|e| {
                CommandError::from(e).cause(format!("the judge prompt of grader `{}` in `{}`", g.dimension, eval_source.file.rel_path))
            })?;
            judge_pins.push((judge_name.clone(), judge_source));
            judge_prompts.insert(judge_name, p);
        }
    }
    let mut plan = Plan {
        eval: &spec,
        prompt: &prompt,
        graders,
        judge_prompts,
        allow_exec: args.allow_exec,
        use_cache: !args.no_cache,
        trace: None,
    };
    // One pass before any model runs: every row parses and renders, and the selected ones are
    // counted. Rows are read again, streaming, when they run, so no dataset is held whole.
    let selection = Selection { filter: args.filter.clone() };
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
        if args.limit.is_some_and(|n| total >= n as u64) {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(CommandError::invalid(problems));
    }
    if !unrenderable.is_empty() {
        return Err(run_error(RunError::Rows(unrenderable)));
    }
    let selected = || -> Result<Box<dyn Iterator<Item = crate::spec::dataset::Row>>, CommandError> {
        let (_, _, rows) = ws.open_dataset(&spec.dataset)?;
        let selection = selection.clone();
        Ok(Box::new(rows.filter_map(Result::ok).filter(move |r| selection.admits(r)).take(total as usize)))
    };
    let model = run::model_name(args.model.as_deref(), &spec, prompt.model.as_deref(), &ws.config)
        .ok_or_else(|| CommandError::usage("no model: set `default_model` in `.llmops/config.yaml`"))?;
    let needs_model_graders = run::needs_grader_model(&spec);
    let judge_model = run::grader_model(&spec, &|p| plan.judge_prompts.get(p).and_then(|j| j.model.clone())).unwrap_or_else(|| model.clone());
    let options = RunOptions { threads: args.threads, verbose: printer.verbose, ..Default::default() };
    let mut open = |m: &str| -> Result<(), CommandError> {
        if !providers.contains_key(m) {
            printer.status(format!("loading model `{m}`"));
            providers.insert(m.to_owned(), engine::open(&ws.root, &ws.config, m, &options)?);
        }
        Ok(())
    };
    let outputs = match &args.outputs {
        Some(path) => Some(read_outputs(path)?),
        None => {
            open(&model)?;
            None
        }
    };
    if needs_model_graders {
        open(&judge_model)?;
    }
    let cache = ResponseCache::open(&ws.cache_dir());
    let source = match outputs {
        Some(map) => Source::Outputs(map),
        None => Source::Model { provider: providers[&model].as_ref(), cache: Some(&cache) },
    };
    printer.status(format!(
        "eval {name}: prompt {}@{}, dataset {}@{}, {}",
        prompt_source.file.name,
        prompt_source.version(),
        spec.dataset,
        crate::version::short(&dataset_blob),
        if args.outputs.is_some() { "outputs from file".to_owned() } else { format!("model {model}") }
    ));
    let bar = if printer.quiet || printer.json || !std::io::stderr().is_terminal() {
        None
    } else {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} rows  eta {eta}  {msg}") {
            bar.set_style(style);
        }
        Some(bar)
    };
    let mut progress = Bar { bar, printer: printer.clone(), started: std::time::Instant::now() };
    let judge = if needs_model_graders { providers.get(&judge_model).map(|p| p.as_ref()) } else { None };
    let mut rows = selected()?;
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
    let result = run::run(&plan, &mut rows, total, &source, judge, &mut progress, &INTERRUPTED, &mut |sample| {
        if !args.no_record {
            if let Ok(line) = serde_json::to_vec(sample) {
                samples_jsonl.extend(line);
                samples_jsonl.push(b'\n');
            }
        }
    });
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
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
    let summary = result.map_err(run_error)?;
    if !printer.json {
        printer.write(&render_summary(printer, name, &plan, &summary))?;
    }
    let run_id = if args.no_record {
        None
    } else {
        let files = [
            (eval_source.file.rel_path.clone(), eval_source.blob, eval_source.origin.clone()),
            (prompt_source.file.rel_path.clone(), prompt_source.blob, prompt_source.origin.clone()),
            (dataset_file.rel_path.clone(), dataset_blob, crate::version::Origin::WorkTree),
        ];
        let judge_files = judge_pins.iter().map(|(_, s)| (s.file.rel_path.clone(), s.blob, s.origin.clone()));
        let all: Vec<_> = files.into_iter().chain(judge_files).collect();
        let meta = crate::ledger::RunMeta {
            eval: crate::ledger::Pin { name: name.to_owned(), blob: eval_source.blob.to_string() },
            prompt: crate::ledger::Pin { name: prompt_source.file.name.to_string(), blob: prompt_source.blob.to_string() },
            dataset: crate::ledger::Pin { name: spec.dataset.clone(), blob: dataset_blob.to_string() },
            judges: judge_pins.iter().map(|(name, s)| crate::ledger::Pin { name: name.clone(), blob: s.blob.to_string() }).collect(),
            model: match &source {
                Source::Model { provider, .. } => Some(model_pin(*provider, serde_json::to_value(&prompt.params).unwrap_or_default())),
                Source::Outputs(_) => None,
            },
            judge_model: judge.map(|p| model_pin(p, serde_json::Value::Null)),
            selection: (!args.filter.is_empty() || args.limit.is_some())
                .then(|| crate::ledger::RowSelection { filter: args.filter.clone(), limit: args.limit.map(|n| n as u64) }),
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
        };
        use crate::ledger::{Input, InputData};
        let mut inputs = vec![
            Input { path: eval_source.file.rel_path.clone(), blob: eval_source.blob, data: InputData::Bytes(eval_source.text.as_bytes()) },
            Input { path: prompt_source.file.rel_path.clone(), blob: prompt_source.blob, data: InputData::Bytes(prompt_source.text.as_bytes()) },
            Input { path: dataset_file.rel_path.clone(), blob: dataset_blob, data: InputData::File(crate::workspace::files::open(&ws.root, &dataset_file.rel_path)?) },
        ];
        inputs.extend(judge_pins.iter().map(|(_, s)| Input { path: s.file.rel_path.clone(), blob: s.blob, data: InputData::Bytes(s.text.as_bytes()) }));
        let id = crate::ledger::record(&ws.root, name, &meta, &samples_jsonl, traces.as_mut().map(|(file, len)| (file, *len)), inputs, args.sign)
            .map_err(|e| CommandError::new(ExitKind::Provider, format!("cannot record the run: {e}")))?;
        printer.status(format!("recorded run {} on `{}`", crate::version::short(&id), crate::ledger::ref_name(name)));
        Some(id.to_string())
    };
    Ok(serde_json::json!({
        "eval": name,
        "eval_version": eval_source.version(),
        "prompt": prompt_source.file.name,
        "prompt_version": prompt_source.version(),
        "dataset": spec.dataset,
        "dataset_version": crate::version::short(&dataset_blob),
        "model": if args.outputs.is_some() { None } else { Some(model) },
        "run": run_id,
        "summary": summary,
        "peak_rss_mib": crate::report::peak_rss_mib(),
    }))
}


/// What a run records of a model it used.
fn model_pin(provider: &dyn Provider, params: serde_json::Value) -> crate::ledger::ModelPin {
    let identity = provider.identity();
    crate::ledger::ModelPin { name: identity.name.clone(), provider: identity.provider.clone(), id: identity.id.clone(), params }
}

/// Command graders run programs named by the eval file, which may come from a pulled branch:
/// only the person at the keyboard grants that, with `--allow-exec`. The file can only say
/// that it needs it.
fn refuse_exec_unless_granted(spec: &crate::spec::eval::EvalSpec, path: &str, granted: bool) -> Result<(), CommandError> {
    if granted {
        return Ok(());
    }
    let commands: Vec<String> = spec
        .graders
        .iter()
        .filter(|g| g.kind == GraderKind::Command)
        .map(|g| {
            let env = g.env.as_ref().filter(|e| !e.is_empty()).map(|e| format!(" (with ${})", e.join(", $"))).unwrap_or_default();
            format!("`{}` runs `{}`{env}", g.dimension(), g.command.as_deref().unwrap_or_default().join(" "))
        })
        .collect();
    if commands.is_empty() {
        return Ok(());
    }
    let mut err = CommandError::usage(format!("`{path}` has command graders, which run programs; they run only with `--allow-exec`"));
    for c in commands {
        err = err.cause(c);
    }
    if spec.allow_exec {
        err = err.cause("`allow_exec: true` in the eval declares that it needs execution; only the command line grants it");
    }
    Err(err.hint("read the commands, then add `--allow-exec` if you trust them"))
}

/// HEAD, and whether any pinned file differs from its version at HEAD.
fn source_state(ws: &Workspace, files: &[(String, gix::ObjectId, crate::version::Origin)]) -> crate::ledger::SourceState {
    let head = ws.repo.head_commit().ok();
    let tree = head.as_ref().and_then(|c| c.tree().ok());
    let dirty = files.iter().any(|(path, blob, origin)| {
        *origin == crate::version::Origin::WorkTree
            && tree
                .as_ref()
                .and_then(|t| t.lookup_entry_by_path(path).ok().flatten())
                .map(|e| e.object_id() != *blob)
                .unwrap_or(true)
    });
    crate::ledger::SourceState { commit: head.map(|c| c.id.to_string()), dirty }
}

fn run_error(e: RunError) -> CommandError {
    match e {
        RunError::Rows(diags) => {
            let mut err = CommandError::invalid(diags);
            err.message = "rows that cannot be rendered; no model was run".into();
            err
        }
        RunError::MissingOutput(_) => CommandError::usage(e.to_string()),
        RunError::Interrupted => CommandError::new(ExitKind::Interrupted, "interrupted; finished answers are cached, run again to resume"),
        RunError::Engine(inner) => inner.into(),
    }
}

fn render_summary(printer: &Printer, name: &str, plan: &Plan<'_>, s: &Summary) -> String {
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let mut table = Table::new(["DIMENSION", "WEIGHT", "THRESHOLD", "SCORE", "PASSED", "PASS RATE", "95% CI"]);
    for g in &plan.graders {
        let st = s.dimensions.get(&g.dimension).copied().unwrap_or_default();
        table.row([
            g.dimension.clone(),
            format!("{}", g.weight()),
            format!("{:.2}", g.threshold()),
            format!("{:.3}", st.mean_score),
            format!("{}/{}", st.passed, st.n),
            pct(st.pass_rate),
            format!("{}–{}", pct(st.ci_low), pct(st.ci_high)),
        ]);
    }
    let o = &s.overall;
    table.row([
        "overall".to_owned(),
        String::new(),
        String::new(),
        format!("{:.3}", o.mean_score),
        format!("{}/{}", o.passed, o.n),
        pct(o.pass_rate),
        format!("{}–{}", pct(o.ci_low), pct(o.ci_high)),
    ]);
    let mut out = format!("{}\n", printer.paint(&format!("eval {name}"), Style::Bold));
    out.push_str(&table.render());
    if let Some(k) = s.pass_k {
        out.push_str(&format!("pass^{}: {}   flaky rows: {}\n", plan.eval.repeat, pct(k), if s.flaky_rows.is_empty() { "none".to_owned() } else { s.flaky_rows.join(", ") }));
    }
    if !s.failures.is_empty() {
        out.push_str(&format!("failed rows ({} of {}):\n", s.samples - s.overall.passed, s.samples));
        for f in s.failures.iter().take(10) {
            let reasons: Vec<String> = f
                .grades
                .iter()
                .filter(|(d, g)| !g.pass && plan.graders.iter().any(|gr| &gr.dimension == *d && gr.weight() > 0.0))
                .map(|(d, g)| format!("{d}: {}", g.reason))
                .collect();
            let why = f.error.clone().unwrap_or_else(|| reasons.join("; "));
            let rep = if plan.eval.repeat > 1 { format!("#{}", f.repeat) } else { String::new() };
            out.push_str(&format!("  {}{rep}  {}  output: {:?}\n", f.id, clip(&why, 90), clip(&f.output, 50)));
        }
        if s.failures.len() > 10 {
            out.push_str(&format!("  … {} more with `--json`\n", s.samples - s.overall.passed - 10));
        }
    }
    let verdict = if s.verdict.pass { printer.paint("PASS", Style::Green) } else { printer.paint("FAIL", Style::Red) };
    out.push_str(&format!("gate {verdict}: {}\n", s.verdict.reasons.join(", ")));
    let tokens = if s.output_tokens > 0 {
        format!(", {} output tokens at {:.0} tokens/s, {} cached", s.output_tokens, s.tokens_per_s, s.cache_hits)
    } else {
        String::new()
    };
    out.push_str(&format!("{} samples in {:.1} s{tokens}\n", s.samples, s.wall_ms / 1000.0));
    out
}
