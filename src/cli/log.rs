use std::process::ExitCode;

use super::{CommandError, Ctx, ExitKind};
use crate::ledger::{self, RunEntry};
use crate::printer::{Printer, Style};
use crate::report::format_time;
use crate::report::table::Table;

/// List recorded runs, newest first, with prompt version, score, pass rate, gate, date and
/// experiment
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// One eval (default: all)
    pub eval: Option<String>,
    /// At most N runs per eval
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Only the cells of this experiment (`exp-…`)
    #[arg(long, value_name = "ID")]
    pub experiment: Option<String>,
}

pub(super) fn ledger_error(e: ledger::LedgerError) -> CommandError {
    match e {
        ledger::LedgerError::NotFound(_) | ledger::LedgerError::Ambiguous { .. } => {
            CommandError::usage(e.to_string()).hint("`llmops log` lists the runs")
        }
        _ => CommandError::new(ExitKind::Provider, e.to_string()),
    }
}

pub fn cmd_log(ctx: &Ctx, printer: &Printer, args: LogArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let evals = match &args.eval {
        Some(e) => vec![e.clone()],
        None => ledger::evals(&ws.repo).map_err(ledger_error)?,
    };
    let mut runs: Vec<RunEntry> = Vec::new();
    for eval in &evals {
        let mut r = ledger::log(&ws.repo, eval).map_err(ledger_error)?;
        if let Some(e) = &args.experiment {
            r.retain(|r| r.experiment.as_deref() == Some(e.as_str()));
        }
        if let Some(n) = args.limit {
            r.truncate(n);
        }
        runs.extend(r);
    }
    runs.sort_by(|a, b| b.time.cmp(&a.time));
    if printer.json {
        printer.json_value(&runs)?;
        return Ok(ExitCode::SUCCESS);
    }
    if runs.is_empty() {
        printer.status("no runs recorded yet: `llmops eval` records one");
        return Ok(ExitCode::SUCCESS);
    }
    // The experiment column shows only when some run is a cell of one.
    let experiments = runs.iter().any(|r| r.experiment.is_some());
    let mut header = vec!["RUN", "EVAL", "PROMPT", "SCORE", "PASS RATE", "GATE", "DATE (UTC)"];
    if experiments {
        header.push("EXPERIMENT");
    }
    let mut table = Table::new(header);
    for r in &runs {
        let mut prompt = match r.prompt_version.split_once('@') {
            Some((n, v)) => format!("{n}@{}", crate::version::short_str(v)),
            None => r.prompt_version.clone(),
        };
        if let Some(set) = &r.overrides {
            prompt.push_str(&format!(" (set {set})"));
        }
        let mut row = vec![
            crate::version::short_str(&r.id).to_owned(),
            r.eval.clone(),
            prompt,
            format!("{:.3}", r.score),
            format!("{:.0}%", r.pass_rate * 100.0),
            if r.gate { printer.paint("PASS", Style::Green) } else { printer.paint("FAIL", Style::Red) },
            format_time(r.time),
        ];
        if experiments {
            row.push(r.experiment.clone().unwrap_or_default());
        }
        table.row(row);
    }
    let mut out = table.render();
    // Score trend per eval and prompt version (on each model and set of parameters), oldest
    // run first.
    let mut trends: Vec<((String, String), Vec<f64>)> = Vec::new();
    for r in runs.iter().rev() {
        let mut prompt = format!("{} on {}", r.prompt_version, r.model);
        if let Some(set) = &r.overrides {
            prompt.push_str(&format!(" (set {set})"));
        }
        let key = (r.eval.clone(), prompt);
        match trends.iter_mut().find(|(k, _)| *k == key) {
            Some((_, scores)) => scores.push(r.score),
            None => trends.push((key, vec![r.score])),
        }
    }
    out.push_str("\ntrend (oldest → newest):\n");
    for ((eval, prompt), scores) in &trends {
        let shown: Vec<String> = scores.iter().rev().take(8).rev().map(|s| format!("{s:.2}")).collect();
        let prompt = match prompt.split_once('@') {
            Some((n, v)) => format!("{n}@{}{}", crate::version::short_str(v), v.get(40..).unwrap_or_default()),
            None => prompt.clone(),
        };
        out.push_str(&format!("  {eval}  {prompt}  {} run{}: {}  {}\n", scores.len(), if scores.len() == 1 { "" } else { "s" }, sparkline(scores), shown.join(" → ")));
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Scores from 0 to 1 as a line of bars, the last 16, oldest first (`▁` 0, `█` 1).
fn sparkline(scores: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let start = scores.len().saturating_sub(16);
    scores[start..].iter().map(|s| BARS[((s.clamp(0.0, 1.0) * 7.0).round()) as usize]).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sparkline_maps_scores_to_bars_and_keeps_the_last_sixteen() {
        assert_eq!(super::sparkline(&[0.0, 0.5, 1.0, 1.7, -1.0]), "▁▅██▁");
        let many: Vec<f64> = (0..20).map(|i| if i < 4 { 1.0 } else { 0.0 }).collect();
        assert_eq!(super::sparkline(&many), "▁".repeat(16));
    }
}
