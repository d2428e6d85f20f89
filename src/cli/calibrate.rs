use std::process::ExitCode;

use super::{CommandError, Ctx};
use crate::printer::{Printer, Style};
use crate::report::table::Table;
use crate::run::agreement::{Agreement, Estimate};

/// How far each judge grader of an eval agrees with people's labels: accuracy, Cohen's kappa,
/// Krippendorff's alpha with 95% bootstrap intervals, the confusion matrix, per-label
/// precision and recall, and the samples where they disagree. Recorded on
/// `refs/llmops/calibrations/<eval>`, pinning the judge prompt version and model; a judge with
/// `calibration:` counts toward verdicts only while such a record meets its bar
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    pub eval: String,
    /// Only this judge grader (its dimension name)
    #[arg(long, value_name = "NAME")]
    pub grader: Option<String>,
    /// The model the eval runs on (`llmops eval --model`), which judges without a model of
    /// their own use
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Do not record the calibration
    #[arg(long)]
    pub no_record: bool,
}

pub fn cmd_calibrate(ctx: &Ctx, printer: &Printer, args: CalibrateArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let c = crate::calibration::calibrate(&ws, &args.eval, args.grader.as_deref(), args.model.as_deref(), !args.no_record)?;
    if printer.json {
        let bars: serde_json::Map<String, serde_json::Value> = c
            .bars
            .iter()
            .map(|(g, b)| (g.clone(), match b {
                None => serde_json::Value::Null,
                Some(Ok(why)) => serde_json::json!({"meets": true, "why": why}),
                Some(Err(why)) => serde_json::json!({"meets": false, "why": why}),
            }))
            .collect();
        printer.json_value(&serde_json::json!({"calibration": c.meta, "recorded": c.recorded, "bars": bars}))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    for g in &c.meta.graders {
        out.push_str(&format!(
            "judge `{}` (prompt {}@{}, model {}): {} of {} labels are of outputs this judge version graded\n",
            g.grader,
            g.judge_prompt.name,
            crate::version::short_str(&g.judge_prompt.blob),
            g.judge_model.name,
            g.matched,
            g.labels
        ));
        if g.matched == 0 {
            out.push_str(&format!("  nothing to compare: run `llmops eval {}` so the judge grades the labelled outputs\n\n", c.meta.eval));
            continue;
        }
        out.push_str(&stats_table("pass/fail", &g.pass_fail));
        out.push_str(&confusion(&g.pass_fail, &["fail", "pass"]));
        if let Some(s) = &g.scores {
            out.push_str(&stats_table("scores", s));
        }
        match c.bars.get(&g.grader) {
            Some(Some(Ok(why))) => out.push_str(&format!("  calibration bar: {} ({why})\n", printer.paint("met", Style::Green))),
            Some(Some(Err(why))) => out.push_str(&format!("  calibration bar: {} ({why}): the judge does not count toward verdicts\n", printer.paint("not met", Style::Red))),
            _ => {}
        }
        if !g.disagreements.is_empty() {
            out.push_str(&format!("  {} disagreement{}:\n", g.disagreements.len(), if g.disagreements.len() == 1 { "" } else { "s" }));
            for d in g.disagreements.iter().take(20) {
                let note = d.note.as_ref().map(|n| format!(" — {}", crate::text::clip(n, 60))).unwrap_or_default();
                out.push_str(&format!("    {}#{}  {} says {}, the judge {}{note}\n", crate::text::clip(&d.id, 40), d.repeat, crate::text::clip(&d.reviewer, 60), d.label, crate::text::clip(&d.judge, 80)));
            }
            if g.disagreements.len() > 20 {
                out.push_str(&format!("    … {} more (`--json` lists all)\n", g.disagreements.len() - 20));
            }
        }
        out.push('\n');
    }
    if let Some(p) = &c.meta.people {
        let alpha = |a: Option<f64>| a.map(|v| format!("{v:.3}")).unwrap_or_else(|| "undefined".into());
        out.push_str(&format!(
            "between people ({} reviewers, {} samples labelled by two or more): Krippendorff's alpha {} (pass/fail){}\n",
            p.reviewers.len(),
            p.units,
            alpha(p.alpha_pass_fail),
            p.alpha_scores.map(|a| format!(", {a:.3} (scores, interval)")).unwrap_or_default()
        ));
        for pair in &p.pairs {
            out.push_str(&format!("  {} and {}: {} samples, kappa {}\n", crate::text::clip(&pair.a, 60), crate::text::clip(&pair.b, 60), pair.items, interval(&pair.agreement.kappa)));
        }
    }
    printer.write(&out)?;
    if let Some(id) = &c.recorded {
        printer.status(format!("recorded calibration {} on `{}`", crate::version::short_str(id), crate::ledger::calibration::ref_name(&c.meta.eval)));
    }
    Ok(ExitCode::SUCCESS)
}

fn interval(e: &Estimate) -> String {
    match (e.value, e.low, e.high) {
        (Some(v), Some(lo), Some(hi)) => format!("{v:.3} [{lo:.3}, {hi:.3}]"),
        (Some(v), _, _) => format!("{v:.3}"),
        _ => "undefined".into(),
    }
}

fn stats_table(what: &str, a: &Agreement) -> String {
    let mut t = Table::new([format!("  {what} ({} items)", a.items), "VALUE [95% INTERVAL]".into()]);
    for (name, e) in [
        ("accuracy", &a.accuracy),
        ("Cohen's kappa", &a.kappa),
        ("Cohen's kappa, quadratic", &a.kappa_quadratic),
        ("Krippendorff's alpha, nominal", &a.alpha_nominal),
        ("Krippendorff's alpha, ordinal", &a.alpha_ordinal),
        ("Krippendorff's alpha, interval", &a.alpha_interval),
    ] {
        t.row([format!("  {name}"), interval(e)]);
    }
    t.render()
}

/// The confusion matrix (people down, judge across) and each label's precision and recall.
fn confusion(a: &Agreement, names: &[&str]) -> String {
    let name = |v: f64| names.get(v as usize).filter(|_| v.fract() == 0.0).map(|s| s.to_string()).unwrap_or_else(|| format!("{v}"));
    let mut header = vec!["  people \\ judge".to_owned()];
    header.extend(a.labels.iter().map(|l| name(*l)));
    header.extend(["PRECISION".to_owned(), "RECALL".to_owned()]);
    let mut t = Table::new(header);
    for (i, row) in a.confusion.iter().enumerate() {
        let mut cells = vec![format!("  {}", name(a.labels[i]))];
        cells.extend(row.iter().map(|n| n.to_string()));
        let p = &a.per_label[i];
        let pct = |v: Option<f64>| v.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "-".into());
        cells.extend([pct(p.precision), pct(p.recall)]);
        t.row(cells);
    }
    t.render()
}
