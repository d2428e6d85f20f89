use std::process::{Command, ExitCode};

use super::{CommandError, Ctx, ExitKind};
use crate::printer::Printer;

/// Push and fetch the recorded runs (`refs/llmops/*`) through git
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The remote (default: origin)
    #[arg(default_value = "origin")]
    pub remote: String,
}

pub fn cmd_sync(ctx: &Ctx, printer: &Printer, args: SyncArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let git = |what: &str, refspec: &str| -> Result<(), CommandError> {
        let out = Command::new("git")
            .current_dir(&ws.root)
            .args([what, "--quiet", &args.remote, refspec])
            .output()
            .map_err(|e| CommandError::new(ExitKind::Provider, format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(CommandError::new(ExitKind::Provider, format!("`git {what} {} {refspec}` failed", args.remote))
                .cause(String::from_utf8_lossy(&out.stderr).trim().to_owned()));
        }
        Ok(())
    };
    // Fetch first: runs recorded elsewhere land under their own refs; a ref that moved on
    // both sides is not overwritten by a push (no `+`).
    git("fetch", "refs/llmops/*:refs/llmops/*")?;
    git("push", "refs/llmops/*:refs/llmops/*")?;
    printer.status(format!("synced `refs/llmops/*` with `{}`", args.remote));
    Ok(ExitCode::SUCCESS)
}
