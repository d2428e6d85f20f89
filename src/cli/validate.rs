use std::process::ExitCode;

use super::{CommandError, Ctx};
use crate::printer::Printer;

/// Check every prompt, dataset and eval of the workspace, and the references between them;
/// report all problems at once.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {}

pub fn cmd_validate(ctx: &Ctx, printer: &Printer, _args: ValidateArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let report = ws.validate()?;
    if printer.json {
        printer.json_value(&report)?;
        return Ok(if report.diagnostics.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) });
    }
    if !report.diagnostics.is_empty() {
        return Err(CommandError::invalid(report.diagnostics));
    }
    printer.status(format!(
        "ok: {} prompt{}, {} dataset{} ({} rows), {} eval{}",
        report.prompts,
        plural(report.prompts),
        report.datasets,
        plural(report.datasets),
        report.rows,
        report.evals,
        plural(report.evals),
    ));
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
