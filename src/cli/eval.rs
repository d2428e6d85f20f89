use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use super::{CommandError, Ctx, ExitKind};
use crate::engine::{INTERRUPTED, RunOptions};
use crate::evaluation::{self, EvalRequest, Models, RunReport};
use crate::printer::{Printer, Style};
use crate::report::table::Table;
use crate::run::Progress;
use crate::text::clip;
use crate::workspace::{FileKind, Workspace};

/// Score a prompt version against a dataset: render every row, generate (batched), grade,
/// aggregate, and check the gate. No EVAL: every eval in `evals/`. An eval with an
/// `experiment:` block runs each of its cells; a flag below replaces that axis of the block.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    pub evals: Vec<String>,
    /// Only the first N rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only rows whose id (`*` wildcards) or label matches; repeatable
    #[arg(long, value_name = "EXPR")]
    pub filter: Vec<String>,
    /// Only shard I of N (`2/4`): the rows whose id hashes to it. Recorded as a shard run,
    /// which the gate never accepts alone; `llmops merge` makes one run of all N
    #[arg(long, value_name = "I/N", value_parser = crate::run::Shard::parse)]
    pub shard: Option<crate::run::Shard>,
    /// A model from `.llmops/config.yaml` instead of the eval's; repeat it (or
    /// `--prompt-version`) for an experiment: every prompt version on every model
    #[arg(long, value_name = "NAME")]
    pub model: Vec<String>,
    /// Evaluate this version of the prompt (a blob prefix, a git revision or `work` for the
    /// work tree), read from git; repeatable, for an experiment
    #[arg(long, value_name = "REF")]
    pub prompt_version: Vec<String>,
    /// Evaluate a draft of the prompt in this file of the workspace (recorded by its blob id);
    /// repeatable, and with `--prompt-version`, for an experiment
    #[arg(long, value_name = "PATH")]
    pub prompt_file: Vec<String>,
    /// Set a prompt parameter otherwise, one cell per value (`temperature=0,0.7`); repeatable.
    /// Such runs are recorded but never count for promotion
    #[arg(long = "set", value_name = "KEY=V1,V2")]
    pub set: Vec<String>,
    /// Run the eval's own cell only, not its `experiment:` block
    #[arg(long)]
    pub no_experiment: bool,
    /// With an experiment: a row × cell matrix of pass/fail after the comparison (`outputs`:
    /// with each cell's output too)
    #[arg(long, value_name = "WHAT", num_args = 0..=1, default_missing_value = "pass", value_enum)]
    pub rows: Option<RowsView>,
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

/// What `--rows` shows of each sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RowsView {
    /// Pass or fail, and the score
    Pass,
    /// That, and the output
    Outputs,
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
    let mut experiments = Vec::new();
    let reports = eval_all(&ws, printer, &args, &names, &mut experiments)?;
    let all_pass = reports.iter().all(|r| r.summary.verdict.pass);
    if printer.json {
        let mut out: Vec<serde_json::Value> = reports.iter().map(report_json).collect();
        // An experiment's cells are among the reports; its comparison follows them.
        out.extend(experiments.iter().map(|e| serde_json::json!({"experiment": e.id, "eval": e.eval, "cells": e.cells, "generation_s": e.generation_s, "matrix": e.matrix})));
        printer.json_value(&out)?;
    }
    Ok(if all_pass { ExitCode::SUCCESS } else { ExitCode::from(ExitKind::Verdict as u8) })
}

/// Runs each eval in `names`, loading each model once; one report per eval (printed as a table
/// unless `--json`). Ctrl-C finishes the requests in flight (a second one quits at once).
pub(super) fn eval_all(ws: &Workspace, printer: &Printer, args: &EvalArgs, names: &[String], experiments: &mut Vec<evaluation::ExperimentReport>) -> Result<Vec<RunReport>, CommandError> {
    catch_interrupts();
    let outputs = args
        .outputs
        .as_deref()
        .map(crate::run::read_outputs)
        .transpose()
        .map_err(|e| CommandError::usage(e.to_string()))?
        .map(std::sync::Arc::new);
    let mut models = Models::default();
    let mut reports = Vec::new();
    let axes = axes(args)?;
    // A draft is a draft of one prompt: of one eval's.
    if !args.prompt_file.is_empty() && names.len() != 1 {
        return Err(CommandError::usage("--prompt-file drafts one eval's prompt: name that eval (`llmops eval NAME --prompt-file PATH`)"));
    }
    for name in names {
        let cells = evaluation::cells(ws, name, &axes)?;
        let request = EvalRequest {
            eval: name.clone(),
            limit: args.limit,
            filter: args.filter.clone(),
            shard: args.shard,
            model: cells[0].model.clone(),
            prompt_version: cells[0].prompt_version.clone(),
            prompt_file: cells[0].prompt_file.clone(),
            use_cache: !args.no_cache,
            outputs: outputs.clone(),
            allow_exec: args.allow_exec,
            options: RunOptions { threads: args.threads, verbose: printer.verbose, ..Default::default() },
            record: !args.no_record,
            sign: args.sign,
            experiment: None,
            overrides: cells[0].overrides.clone(),
            uncalibrated_judges: None,
        };
        if cells.len() > 1 {
            let mut on_report = |report: &RunReport| {
                if !printer.json {
                    let _ = printer.write(&render_summary(printer, report));
                }
            };
            let experiment = evaluation::experiment(ws, &request, &cells, &mut models, &mut progress(printer), &mut on_report)?;
            if !printer.json {
                printer.write(&render_matrix(&experiment))?;
                if let (Some(view), Some(m)) = (args.rows, &experiment.matrix) {
                    printer.write(&render_rows(m, view))?;
                }
            }
            reports.extend(experiment.reports.iter().cloned());
            experiments.push(experiment);
            continue;
        }
        // A run that finished but could not be recorded still shows its results.
        let report = match evaluation::execute(ws, &request, &mut models, &mut progress(printer)) {
            Err(evaluation::EvaluationError::Record(e, report)) => {
                if !printer.json {
                    printer.write(&render_summary(printer, &report))?;
                }
                return Err(evaluation::EvaluationError::Record(e, report).into());
            }
            other => other?,
        };
        if !printer.json {
            printer.write(&render_summary(printer, &report))?;
        }
        if let Some(id) = &report.run {
            printer.status(format!("recorded run {} on `{}`", crate::version::short_str(id), crate::ledger::ref_name(name)));
        }
        reports.push(report);
    }
    Ok(reports)
}

/// The experiment axes the flags give: `--set KEY=V1,V2` takes each value as JSON, or else as
/// text.
fn axes(args: &EvalArgs) -> Result<evaluation::Axes, CommandError> {
    let mut set: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for item in &args.set {
        let (key, values) = item.split_once('=').ok_or_else(|| CommandError::usage(format!("--set `{item}`: write KEY=V1,V2")))?;
        let key = key.trim().to_owned();
        if set.iter().any(|(k, _)| *k == key) {
            return Err(CommandError::usage(format!("--set `{key}` is given twice: list its values in one flag (`{key}=V1,V2`)")));
        }
        let values = split_values(values).into_iter().map(|v| serde_json::from_str(v.trim()).unwrap_or_else(|_| serde_json::Value::String(v.trim().to_owned()))).collect();
        set.push((key, values));
    }
    Ok(evaluation::Axes { prompt_versions: args.prompt_version.clone(), prompt_files: args.prompt_file.clone(), models: args.model.clone(), set, own_only: args.no_experiment })
}

/// `V1,V2` split at the commas outside JSON brackets and strings (`stop=["a","b"],["c"]` is
/// two values).
fn split_values(text: &str) -> Vec<&str> {
    let (mut out, mut depth, mut quoted, mut escaped, mut start) = (Vec::new(), 0i32, false, false, 0);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => depth += 1,
            ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth <= 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// An experiment's comparison: a column per cell, the best per dimension marked `*`, and the
/// best overall against the runner-up.
fn render_matrix(e: &evaluation::ExperimentReport) -> String {
    let mut out = format!("experiment {} of eval `{}`: {} cells\n", e.id, e.eval, e.cells.len());
    let Some(m) = &e.matrix else {
        out.push_str("(not compared: a cell kept no samples)\n");
        return out;
    };
    let label = |i: usize| {
        let c = &m.cells[i];
        let set: Vec<String> = e.cells[i].overrides.iter().map(|(k, v)| format!(" {k}={v}")).collect();
        format!("{}@{} {}{}", c.prompt, c.prompt_version, c.model.as_deref().unwrap_or("-"), set.concat())
    };
    let mut header = vec![String::new()];
    header.extend((0..m.cells.len()).map(|i| format!("[{}] {}", i + 1, label(i))));
    let mut table = Table::new(header);
    let dimensions: Vec<&String> = m.best.keys().filter(|d| d.as_str() != "overall").chain(m.best.keys().filter(|d| d.as_str() == "overall")).collect();
    for d in dimensions {
        let mut row = vec![d.clone()];
        row.extend(m.cells.iter().enumerate().map(|(i, c)| {
            let star = if m.best.get(d) == Some(&i) { "*" } else { "" };
            c.scores.get(d).map(|s| format!("{s:.3}{star}")).unwrap_or_else(|| "-".into())
        }));
        table.row(row);
    }
    let mut row = vec!["pass rate".to_owned()];
    row.extend(m.cells.iter().map(|c| format!("{:.0}% [{:.0}-{:.0}]", c.pass_rate * 100.0, c.ci_low * 100.0, c.ci_high * 100.0)));
    table.row(row);
    let mut row = vec!["gate".to_owned()];
    row.extend(m.cells.iter().map(|c| if c.gate_pass { "PASS".to_owned() } else { "FAIL".to_owned() }));
    table.row(row);
    let mut row = vec!["output tokens".to_owned()];
    row.extend(m.cells.iter().map(|c| c.output_tokens.to_string()));
    table.row(row);
    let mut row = vec!["wall s".to_owned()];
    row.extend(m.cells.iter().map(|c| format!("{:.0}", c.wall_s)));
    table.row(row);
    out.push_str(&table.render());
    out.push_str(&format!("the cells' samples were generated together first, in {:.1} s (not in the cells' wall s)\n", e.generation_s));
    if let Some(v) = &m.versus {
        let p = &v.paired;
        out.push_str(&format!(
            "best overall [{}] against [{}], over {} samples{}: McNemar p = {:.3}, score difference 95% interval [{:+.3}, {:+.3}]: {}\n",
            v.best + 1,
            v.runner_up + 1,
            p.samples,
            if p.rows != p.samples { format!(" of {} rows", p.rows) } else { String::new() },
            p.mcnemar_p,
            p.score_delta_low,
            p.score_delta_high,
            if p.significant() { "a real difference (5% level)" } else { "no difference beyond chance" }
        ));
    }
    out
}

/// An experiment's samples, a row per sample and a column per cell: `pass`/`FAIL` and the
/// score (and with `outputs`, the output, clipped); rows where the cells disagree marked `≠`.
fn render_rows(m: &crate::ledger::compare::Matrix, view: RowsView) -> String {
    let mut header = vec!["ROW".to_owned(), String::new()];
    header.extend((0..m.cells.len()).map(|i| format!("[{}]", i + 1)));
    let mut table = Table::new(header);
    for r in &m.rows {
        let id = if r.repeat > 0 { format!("{} #{}", r.id, r.repeat) } else { r.id.clone() };
        let mut row = vec![id, if r.disagree() { "≠".to_owned() } else { String::new() }];
        row.extend(r.cells.iter().map(|c| match (c, view) {
            (None, _) => "-".to_owned(),
            (Some(c), RowsView::Pass) => format!("{} {:.2}", if c.pass { "pass" } else { "FAIL" }, c.score),
            (Some(c), RowsView::Outputs) => format!("{} {:.2} {:?}", if c.pass { "pass" } else { "FAIL" }, c.score, clip(&c.output, 40)),
        }));
        table.row(row);
    }
    let disagree = m.rows.iter().filter(|r| r.disagree()).count();
    format!("{}{disagree} of {} samples differ in pass/fail between cells\n", table.render(), m.rows.len())
}

/// The first Ctrl-C lets the requests in flight finish (their answers are cached); a second
/// one quits at once.
pub(super) fn catch_interrupts() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            crate::trace::flush_before_exit();
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: finishing the requests in flight; Ctrl-C again to quit now");
    });
}

/// An eval's report as `--json` prints it.
pub(super) fn report_json(r: &RunReport) -> serde_json::Value {
    serde_json::json!({
        "eval": r.eval,
        "eval_version": r.eval_version,
        "prompt": r.prompt,
        "prompt_version": r.prompt_version,
        "dataset": r.dataset,
        "dataset_version": r.dataset_version,
        "model": r.model,
        "run": r.run,
        "summary": r.summary,
        "peak_rss_mib": r.peak_rss_mib,
    })
}

/// The eval's progress on stderr: a bar on a terminal, status lines otherwise.
pub(super) fn progress(printer: &Printer) -> Bar {
    let bar = if printer.quiet || printer.json || !std::io::stderr().is_terminal() {
        None
    } else {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} samples  eta {eta}  {msg}") {
            bar.set_style(style);
        }
        Some(bar)
    };
    Bar { bar, printer: printer.clone(), started: std::time::Instant::now() }
}

pub(super) struct Bar {
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
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{done} graded, {:.0} tokens/s", tokens as f64 / secs));
        }
    }
    fn generated(&mut self, done: u64, tokens: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{:.0} tokens/s", tokens as f64 / secs));
        }
    }
    fn status(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| self.printer.status(message.to_owned())),
            None => self.printer.status(message.to_owned()),
        }
    }
    fn finish(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn render_summary(printer: &Printer, report: &RunReport) -> String {
    let (name, s) = (&report.eval, &report.summary);
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let mut table = Table::new(["DIMENSION", "WEIGHT", "THRESHOLD", "SCORE", "PASSED", "PASS RATE", "95% CI"]);
    for g in &report.dimensions {
        let st = s.dimensions.get(&g.name).copied().unwrap_or_default();
        table.row([
            g.name.clone(),
            format!("{}", g.weight),
            format!("{:.2}", g.threshold),
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
        out.push_str(&format!("pass^{}: {}   flaky rows: {}\n", report.repeat, pct(k), if s.flaky_rows.is_empty() { "none".to_owned() } else { s.flaky_rows.join(", ") }));
    }
    if !s.failures.is_empty() {
        out.push_str(&format!("failed rows ({} of {}):\n", s.samples - s.overall.passed, s.samples));
        for f in s.failures.iter().take(10) {
            let reasons: Vec<String> = f
                .grades
                .iter()
                .filter(|(d, g)| !g.pass && report.dimensions.iter().any(|gr| &gr.name == *d && gr.weight > 0.0))
                .map(|(d, g)| format!("{d}: {}", g.reason))
                .collect();
            let why = f.error.clone().unwrap_or_else(|| reasons.join("; "));
            let rep = if report.repeat > 1 { format!("#{}", f.repeat) } else { String::new() };
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

#[cfg(test)]
mod tests {
    #[test]
    fn set_values_split_outside_brackets_and_strings() {
        assert_eq!(super::split_values("0,0.7"), ["0", "0.7"]);
        assert_eq!(super::split_values(r#"["a","b"],[","]"#), [r#"["a","b"]"#, r#"[","]"#]);
        assert_eq!(super::split_values(r#""x,y",z"#), [r#""x,y""#, "z"]);
    }
}
