use std::process::ExitCode;

use super::{CommandError, Ctx};
use crate::printer::{Printer, Style};
use crate::workspace::{self, Action};

/// Write the workspace skeleton into this git repository: `.llmops/config.yaml`, an example
/// prompt, dataset and eval, and `.gitignore` lines. Never overwrites a file.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Also write a CI workflow that runs `llmops gate` on every pull request
    #[arg(long, value_enum, value_name = "SYSTEM")]
    pub ci: Option<CiSystem>,
    /// With `--ci github`: split every eval over N jobs (`llmops eval --shard I/N`), merge
    /// their runs (`llmops merge`), then gate
    #[arg(long, value_name = "N", requires = "ci", value_parser = clap::value_parser!(u32).range(2..=256))]
    pub shards: Option<u32>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CiSystem {
    /// GitHub Actions: `.github/workflows/llmops.yml`
    Github,
}

pub fn cmd_init(ctx: &Ctx, printer: &Printer, args: InitArgs) -> Result<ExitCode, CommandError> {
    let (root, mut done) = workspace::init(&ctx.cwd)?;
    match args.ci {
        Some(CiSystem::Github) => done.push(workspace::github_workflow(&ctx.cwd, args.shards)?),
        None => {}
    }
    if printer.json {
        printer.json_value(&serde_json::json!({ "root": root, "files": done }))?;
        return Ok(ExitCode::SUCCESS);
    }
    for item in &done {
        let (word, style) = match item.action {
            Action::Created => ("created", Style::Green),
            Action::Updated => ("updated", Style::Green),
            Action::Kept => ("kept", Style::Dim),
        };
        printer.status(format!("{:>8} {}", printer.paint_err(word, style), item.path));
    }
    printer.status(format!("workspace ready at `{}`; next: `llmops validate`", root.display()));
    Ok(ExitCode::SUCCESS)
}
