use std::process::ExitCode;

use clap::Subcommand;

use super::{CommandError, Ctx};
use crate::engine::cache::ResponseCache;
use crate::printer::Printer;

/// The response cache (in the git directory: `.git/llmops/cache/`)
#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Number of cached answers and their size
    Stats,
    /// Remove every cached answer
    Clear,
}

pub fn cmd_cache(ctx: &Ctx, printer: &Printer, cmd: CacheCommand) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let cache = ResponseCache::open(&ws.cache_dir());
    let (stats, verb) = match cmd {
        CacheCommand::Stats => (cache.stats()?, "cached"),
        CacheCommand::Clear => (cache.clear()?, "removed"),
    };
    if printer.json {
        printer.json_value(&stats)?;
    } else {
        printer.line(format!("{verb}: {} answers, {:.1} KiB", stats.entries, stats.bytes as f64 / 1024.0))?;
    }
    Ok(ExitCode::SUCCESS)
}
