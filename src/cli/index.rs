use std::process::ExitCode;

use super::{CommandError, Ctx, ExitKind};
use crate::printer::Printer;
use crate::report::table::Table;
use crate::retrieval::{self, RetrievalError};
use crate::text::clip;

/// Retrieval indexes of `.llmops/config.yaml` (`indexes:`): build them, see how they stand
#[derive(Debug, clap::Subcommand)]
pub enum IndexCommand {
    /// Build the named indexes (default: every one) from the work tree's datasets
    Build { names: Vec<String> },
    /// Every index: built, stale (its dataset or settings changed) or missing, with sizes
    Status,
}

/// Search an index: ranked document ids, scores and snippets
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The index
    pub index: String,
    /// What to look for, in plain words
    pub query: String,
    /// How many results
    #[arg(long, short = 'k', default_value_t = 10, value_name = "K", value_parser = clap::value_parser!(u32).range(1..))]
    pub k: u32,
    /// Only chunks of rows whose variable FIELD equals VALUE (repeatable; all must hold)
    #[arg(long = "filter", value_name = "FIELD=VALUE")]
    pub filters: Vec<String>,
}

pub(super) fn retrieval_error(e: RetrievalError) -> CommandError {
    match e {
        RetrievalError::Workspace(e) => e.into(),
        RetrievalError::Invalid(d) => CommandError::invalid(d),
        RetrievalError::NotBuilt { ref name } => {
            let hint = format!("`llmops index build {name}`");
            CommandError::usage(e.to_string()).hint(hint)
        }
        RetrievalError::Corrupt { ref name, .. } => {
            let hint = format!("rebuild it: `llmops index build {name}`");
            CommandError::new(ExitKind::Provider, e.to_string()).hint(hint)
        }
        RetrievalError::Write { .. } => CommandError::new(ExitKind::Provider, e.to_string()),
        RetrievalError::Unknown { .. } | RetrievalError::EmptyQuery | RetrievalError::BadFilter(_) | RetrievalError::Symlink { .. } => CommandError::usage(e.to_string()),
    }
}

pub fn cmd_index(ctx: &Ctx, printer: &Printer, cmd: IndexCommand) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    match cmd {
        IndexCommand::Build { names } => {
            let names = if names.is_empty() { ws.config.indexes.keys().cloned().collect() } else { names };
            if names.is_empty() {
                printer.status("no indexes in `.llmops/config.yaml`: add one under `indexes:`");
                return Ok(ExitCode::SUCCESS);
            }
            let mut built = Vec::new();
            for name in &names {
                let started = std::time::Instant::now();
                let m = retrieval::build(&ws, name).map_err(retrieval_error)?;
                printer.status(format!("built `{name}`: {} documents, {} chunks from `{}` in {:.2} s", m.docs, m.chunks, m.dataset, started.elapsed().as_secs_f64()));
                built.push(serde_json::json!({"name": name, "manifest": m}));
            }
            if printer.json {
                printer.json_value(&built)?;
            }
        }
        IndexCommand::Status => {
            let mut all = Vec::new();
            for name in ws.config.indexes.keys() {
                all.push(retrieval::status(&ws, name).map_err(retrieval_error)?);
            }
            if printer.json {
                printer.json_value(&all)?;
                return Ok(ExitCode::SUCCESS);
            }
            if all.is_empty() {
                printer.status("no indexes in `.llmops/config.yaml`: add one under `indexes:`");
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(["INDEX", "DATASET", "STATE", "DOCS", "CHUNKS", "SIZE"]);
            for s in &all {
                table.row([
                    s.name.clone(),
                    s.dataset.clone(),
                    s.state.to_owned(),
                    s.manifest.as_ref().map(|m| m.docs.to_string()).unwrap_or_else(|| "-".into()),
                    s.manifest.as_ref().map(|m| m.chunks.to_string()).unwrap_or_else(|| "-".into()),
                    if s.bytes == 0 { "-".into() } else { format!("{:.1} KiB", s.bytes as f64 / 1024.0) },
                ]);
            }
            printer.write(&table.render())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn cmd_search(ctx: &Ctx, printer: &Printer, args: SearchArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let status = retrieval::status(&ws, &args.index).map_err(retrieval_error)?;
    if status.state == "stale" {
        printer.warn(format!("index `{}` is stale (its dataset or settings changed): `llmops index build {}`", args.index, args.index));
    }
    let hits = retrieval::search(&ws, &args.index, &args.query, args.k as usize, &args.filters).map_err(retrieval_error)?;
    if printer.json {
        printer.json_value(&hits)?;
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        printer.status("no match");
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(["#", "DOC", "CHUNK", "SCORE", "TEXT"]);
    for h in &hits {
        table.row([h.rank.to_string(), h.doc.clone(), h.chunk.to_string(), format!("{:.3}", h.score), clip(&h.text, 70)]);
    }
    printer.write(&table.render())?;
    Ok(ExitCode::SUCCESS)
}
