use std::process::ExitCode;

use super::{CommandError, Ctx};
use crate::gate::release::{Releases, resolve};
use crate::printer::Printer;
use crate::report::format_time;
use crate::report::table::Table;

/// List the released prompt versions per channel, with canaries and their shares
#[derive(Debug, clap::Args)]
pub struct ReleasesArgs {
    /// Which version KEY gets on CHANNEL of PROMPT (canary or stable, sticky per key)
    #[arg(long, value_names = ["PROMPT", "CHANNEL", "KEY"], num_args = 3)]
    pub resolve: Option<Vec<String>>,
}

pub fn cmd_releases(ctx: &Ctx, printer: &Printer, args: ReleasesArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let releases = Releases::read(&ws.root).map_err(|d| CommandError::invalid(vec![d]))?;
    if let Some(v) = args.resolve {
        let (prompt, channel, key) = (&v[0], &v[1], &v[2]);
        let c = releases
            .channel(prompt, channel)
            .ok_or_else(|| CommandError::usage(format!("`{prompt}` has no release on `{channel}`")))?;
        let r = resolve(c, prompt, key);
        if printer.json {
            printer.json_value(&serde_json::json!({"prompt": prompt, "channel": channel, "key": key, "version": r.version, "canary": c.canary.as_ref().map(|k| k.release.version == r.version).unwrap_or(false)}))?;
        } else {
            printer.line(&r.version)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
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
                c.stable.version[..10.min(c.stable.version.len())].to_owned(),
                c.stable.runs.len().to_string(),
                format_time(c.stable.released),
                c.canary.as_ref().map(|k| format!("{} ({}%)", &k.release.version[..10.min(k.release.version.len())], k.share)).unwrap_or_else(|| "-".into()),
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
