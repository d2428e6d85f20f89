use std::process::ExitCode;

use super::log::ledger_error;
use super::{CommandError, Ctx};
use crate::ledger;
use crate::printer::Printer;
use crate::report::format_time;
use crate::report::table::Table;
use crate::text::clip;

/// Show a recorded run: its pins, dimensions and failures. RUN is an id prefix or `EVAL~N`
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    pub run: String,
    /// Print every sample
    #[arg(long)]
    pub samples: bool,
    /// Print the failed samples
    #[arg(long)]
    pub failed: bool,
    /// Print one row's samples in full: output, grades, what was retrieved, and an agent's
    /// steps with their tool calls
    #[arg(long, value_name = "ID")]
    pub row: Option<String>,
}

pub fn cmd_show(ctx: &Ctx, printer: &Printer, args: ShowArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let (id, eval) = ledger::resolve(&ws.repo, &args.run).map_err(ledger_error)?;
    let run = ledger::load(&ws.repo, id, &eval).map_err(ledger_error)?;
    let samples: Vec<crate::run::SampleRecord> = crate::run::read_samples(&run.samples_jsonl)
        .into_iter()
        .filter(|s| match &args.row {
            Some(id) => s.id == *id,
            None => args.samples || (args.failed && !s.pass),
        })
        .collect();
    if let Some(row) = args.row.as_ref().filter(|_| samples.is_empty()) {
        return Err(CommandError::usage(format!("run {} has no row `{row}`", crate::version::short_str(&id.to_string()))).hint("`llmops show RUN --samples` lists its rows"));
    }
    if args.row.is_some() && !printer.json {
        let mut out = String::new();
        for s in &samples {
            out.push_str(&sample_in_full(s));
        }
        printer.write(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if printer.json {
        printer.json_value(&serde_json::json!({"id": id.to_string(), "run": run.meta, "samples": samples}))?;
        return Ok(ExitCode::SUCCESS);
    }
    let m = &run.meta;
    let mut out = format!("run {id}\n");
    out.push_str(&format!("eval     {}@{}\n", m.eval.name, crate::version::short_str(&m.eval.blob)));
    out.push_str(&format!("prompt   {}@{}\n", m.prompt.name, crate::version::short_str(&m.prompt.blob)));
    out.push_str(&format!("dataset  {}@{}\n", m.dataset.name, crate::version::short_str(&m.dataset.blob)));
    for j in &m.judges {
        out.push_str(&format!("judge    {}@{}\n", j.name, crate::version::short_str(&j.blob)));
    }
    if !m.overrides.is_empty() {
        out.push_str(&format!("set otherwise (--set): {}; this run never counts for promotion\n", crate::ledger::describe_overrides(&m.overrides)));
    }
    if let Some(e) = &m.experiment {
        out.push_str(&format!("experiment {e}\n"));
    }
    for a in &m.agents {
        out.push_str(&format!("agent    {}@{}\n", a.name, crate::version::short_str(&a.blob)));
    }
    match &m.model {
        Some(model) => out.push_str(&format!("model    {} ({} {})\n", model.name, model.provider, model.id)),
        None if m.indexes.is_empty() => out.push_str("model    none (outputs from a file)\n"),
        None => out.push_str("model    none (outputs from a file, or retrieval only)\n"),
    }
    for i in &m.indexes {
        out.push_str(&format!("index    {} ({})\n", i.name, crate::version::short_str(&i.identity)));
    }
    out.push_str(&format!(
        "source   {}{}\n",
        m.source.commit.as_deref().map(crate::version::short_str).unwrap_or("(no commit)"),
        if m.source.dirty { " with uncommitted changes" } else { "" }
    ));
    out.push_str(&format!("time     {} ({:.0} s), llmops {}\n", format_time(m.started), (m.finished - m.started) as f64, m.llmops_version));
    out.push_str(&format!("tokens   {} in, {} out\n\n", m.input_tokens, m.output_tokens));
    let mut table = Table::new(["DIMENSION", "SCORE", "PASSED", "PASS RATE", "95% CI"]);
    for (d, s) in m.dimensions.iter().map(|(d, s)| (d.as_str(), s)).chain(std::iter::once(("overall", &m.overall))) {
        table.row([
            d.to_owned(),
            format!("{:.3}", s.mean_score),
            format!("{}/{}", s.passed, s.n),
            format!("{:.0}%", s.pass_rate * 100.0),
            format!("{:.0}%–{:.0}%", s.ci_low * 100.0, s.ci_high * 100.0),
        ]);
    }
    out.push_str(&table.render());
    out.push_str(&format!("gate {}: {}\n", if m.verdict.pass { "PASS" } else { "FAIL" }, m.verdict.reasons.join(", ")));
    for s in &samples {
        let reasons: Vec<String> = s.grades.iter().filter(|(_, g)| !g.pass).map(|(d, g)| format!("{d}: {}", g.reason)).collect();
        out.push_str(&format!(
            "  {} {}  {:.3}  {}  output: {:?}\n",
            if s.pass { "pass" } else { "FAIL" },
            s.id,
            s.score,
            clip(&reasons.join("; "), 70),
            clip(&s.output, 50)
        ));
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// A loop's steps and calls, indented by `indent`; a sub-agent's loop under its call.
fn steps_in_full(t: &crate::grade::trajectory::Trajectory, indent: &str, out: &mut String) {
    for (i, step) in t.steps.iter().enumerate() {
        out.push_str(&format!("{indent}step {}  {} → {} tokens, {:.0} ms\n", i + 1, step.input_tokens, step.output_tokens, step.ms));
        if step.calls.is_empty() {
            out.push_str(&format!("{indent}  answer: {:?}\n", clip(&step.output, 90)));
        }
        for c in &step.calls {
            out.push_str(&format!("{indent}  {} {}({})  {}\n", c.id, c.name, clip(&c.arguments.to_string(), 60), clip(&c.outcome(), 80)));
            if let Some(sub) = &c.trajectory {
                out.push_str(&format!("{indent}    sub-agent: {} steps, ended by {}\n", sub.steps.len(), sub.finish));
                steps_in_full(sub, &format!("{indent}    "), out);
            }
        }
    }
}

/// One sample as `show --row` prints it.
fn sample_in_full(s: &crate::run::SampleRecord) -> String {
    let mut out = format!("row {} (repeat {}): {}  score {:.3}\n", s.id, s.repeat, if s.pass { "pass" } else { "FAIL" }, s.score);
    if !s.vars.is_empty() {
        out.push_str(&format!("vars     {}\n", clip(&serde_json::Value::Object(s.vars.clone()).to_string(), 100)));
    }
    if let Some(found) = &s.retrieved {
        let ids: Vec<String> = found.iter().map(|r| format!("{} ({:.3})", r.id, r.score)).collect();
        out.push_str(&format!("retrieved {}\n", ids.join(", ")));
    }
    if let Some(t) = &s.trajectory {
        out.push_str(&format!("agent    {} steps, ended by {}\n", t.steps.len(), t.finish));
        steps_in_full(t, "  ", &mut out);
    }
    if let Some(e) = &s.error {
        out.push_str(&format!("error    {e}\n"));
    }
    out.push_str(&format!("output   {:?}\n", clip(&s.output, 200)));
    for (d, g) in &s.grades {
        out.push_str(&format!("  {} {d}: {:.3}  {}\n", if g.pass { "pass" } else { "FAIL" }, g.score, clip(&g.reason, 90)));
    }
    out
}
