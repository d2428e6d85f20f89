use std::process::ExitCode;

use super::log::ledger_error;
use super::{CommandError, Ctx, ExitKind};
use crate::ledger;
use crate::printer::Printer;

/// Recompute each run's aggregates from its own samples and report any run whose run.yaml
/// disagrees (a hand-edited record). No RUN: every run
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    pub runs: Vec<String>,
}

pub fn cmd_verify(ctx: &Ctx, printer: &Printer, args: VerifyArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let mut targets = Vec::new();
    if args.runs.is_empty() {
        for eval in ledger::evals(&ws.repo).map_err(ledger_error)? {
            for run in ledger::log(&ws.repo, &eval).map_err(ledger_error)? {
                targets.push((run.id.parse().map_err(|e| CommandError::new(ExitKind::Provider, format!("{e}")))?, eval.clone()));
            }
        }
    } else {
        for spec in &args.runs {
            targets.push(ledger::resolve(&ws.repo, spec).map_err(ledger_error)?);
        }
    }
    let mut bad = Vec::new();
    for (id, eval) in &targets {
        let problems = match ledger::load(&ws.repo, *id, eval) {
            Ok(run) => ledger::verify(&ws.repo, &run),
            Err(e) => vec![e.to_string()],
        };
        if !problems.is_empty() {
            bad.push(ledger::Discrepancy { id: id.to_string(), eval: eval.clone(), problems });
        }
    }
    if printer.json {
        printer.json_value(&serde_json::json!({"checked": targets.len(), "bad": bad}))?;
    } else {
        for d in &bad {
            printer.line(format!("run {} ({}) does not match its samples:", crate::version::short_str(&d.id), d.eval))?;
            for p in &d.problems {
                printer.line(format!("  {p}"))?;
            }
        }
        printer.status(format!("checked {} runs, {} bad", targets.len(), bad.len()));
    }
    Ok(if bad.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(ExitKind::Verdict as u8) })
}
