use std::process::ExitCode;

use super::{CommandError, Ctx, ExitKind};
use crate::gate::hook::{self, Outcome};
use crate::printer::{Printer, Style};
use crate::workspace::discover_repo;

/// Install or remove the git pre-commit hook that runs `llmops gate --staged`
#[derive(Debug, clap::Subcommand)]
pub enum HookCommand {
    /// Write `.git/hooks/pre-commit` (an existing hook is kept and runs first; idempotent)
    Install,
    /// Remove the hook and put back the one it replaced
    Uninstall,
}

pub fn cmd_hook(ctx: &Ctx, printer: &Printer, cmd: HookCommand) -> Result<ExitCode, CommandError> {
    let (_, root) = discover_repo(&ctx.cwd)?;
    let failed = |e: hook::HookError| CommandError::new(ExitKind::Usage, e.to_string());
    let (path, outcome) = match cmd {
        HookCommand::Install => {
            let binary = std::env::current_exe()?;
            hook::install(&root, &binary).map_err(|e| failed(e).hint("move the other hook aside, or call `llmops gate --staged` from it"))?
        }
        HookCommand::Uninstall => hook::uninstall(&root).map_err(failed)?,
    };
    if printer.json {
        printer.json_value(&serde_json::json!({ "hook": path, "outcome": outcome }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let shown = path.strip_prefix(&root).unwrap_or(&path).display();
    let message = match outcome {
        Outcome::Installed => format!("{} `{shown}`: commits now pass `llmops gate --staged` first", printer.paint_err("installed", Style::Green)),
        Outcome::Chained => format!(
            "{} `{shown}`: the hook that was there runs first, from `{shown}.before-llmops`",
            printer.paint_err("installed", Style::Green)
        ),
        Outcome::Refreshed => format!("{} `{shown}` was installed already (refreshed)", printer.paint_err("kept", Style::Dim)),
        Outcome::Removed => format!("{} `{shown}`", printer.paint_err("removed", Style::Green)),
        Outcome::Absent => format!("no hook at `{shown}`: nothing to remove"),
    };
    printer.status(message);
    Ok(ExitCode::SUCCESS)
}
