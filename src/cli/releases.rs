use std::process::ExitCode;

use super::{CommandError, Ctx};
use crate::release::Releases;
use crate::printer::Printer;
use crate::report::format_time;
use crate::report::table::Table;

/// List the released prompt versions per channel, with canaries and their shares
#[derive(Debug, clap::Args)]
pub struct ReleasesArgs {}

pub fn cmd_releases(ctx: &Ctx, printer: &Printer, _args: ReleasesArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let releases = Releases::read(&ws.root).map_err(|d| CommandError::invalid(vec![d]))?;
    if printer.json {
        printer.json_value(&releases)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(["PROMPT", "CHANNEL", "VERSION", "RUNS", "RELEASED (UTC)", "CANARY"]);
    for (prompt, channels) in &releases.prompts {
        for (channel, c) in channels {
            table.row([
                prompt.clone(),
                channel.clone(),
                crate::version::short_str(&c.stable.version).to_owned(),
                c.stable.runs.len().to_string(),
                format_time(c.stable.released),
                c.canary.as_ref().map(|k| format!("{} ({}%)", crate::version::short_str(&k.release.version), k.share)).unwrap_or_else(|| "-".into()),
            ]);
        }
    }
    if table.is_empty() {
        printer.status("nothing released yet: `llmops promote NAME`");
    } else {
        printer.write(&table.render())?;
    }
    Ok(ExitCode::SUCCESS)
}
