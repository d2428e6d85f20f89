use std::io::IsTerminal;
use std::process::ExitCode;

use super::{CommandError, Ctx, ExitKind};
use crate::printer::Printer;
use crate::report::table::Table;
use crate::retrieval::{self, BuildStage, RetrievalError};
use crate::spec::config::SearchMode;
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
    /// Rank by words (bm25), by embeddings (vector) or both fused (hybrid); default: the
    /// index's `mode`, else hybrid when it has an `embed_model` and bm25 when not
    #[arg(long, value_name = "MODE", value_parser = ["bm25", "vector", "hybrid"])]
    pub mode: Option<String>,
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
        RetrievalError::Write { .. } | RetrievalError::Embed { .. } => CommandError::new(ExitKind::Provider, e.to_string()),
        RetrievalError::ModelChanged { .. } => CommandError::usage(e.to_string()),
        RetrievalError::Unknown { .. }
        | RetrievalError::EmptyQuery
        | RetrievalError::BadFilter(_)
        | RetrievalError::Symlink { .. }
        | RetrievalError::Tracked { .. }
        | RetrievalError::NoVectors { .. }
        | RetrievalError::Query(_) => CommandError::usage(e.to_string()),
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
                let mut bar = BuildBar::new(printer);
                let m = retrieval::build(&ws, name, &mut |stage| bar.show(stage));
                bar.finish();
                let m = m.map_err(retrieval_error)?;
                let vectors = match &m.embed_model {
                    Some(model) => format!(", {} embedded by `{model}` and {} kept from the last build", m.embedded, m.reused),
                    None => String::new(),
                };
                printer.status(format!(
                    "built `{name}`: {} documents, {} chunks from `{}`{vectors} in {:.2} s",
                    m.docs,
                    m.chunks,
                    m.dataset,
                    started.elapsed().as_secs_f64()
                ));
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
            let mut table = Table::new(["INDEX", "DATASET", "STATE", "DOCS", "CHUNKS", "VECTORS", "SIZE"]);
            for s in &all {
                table.row([
                    s.name.clone(),
                    s.dataset.clone(),
                    s.state.to_owned(),
                    s.manifest.as_ref().map(|m| m.docs.to_string()).unwrap_or_else(|| "-".into()),
                    s.manifest.as_ref().map(|m| m.chunks.to_string()).unwrap_or_else(|| "-".into()),
                    match &s.manifest {
                        Some(m) if m.dims > 0 => format!("{} × {}", m.chunks, m.dims),
                        _ => "-".into(),
                    },
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
        printer.warn(format!("index `{}` is stale (its dataset, settings or embedding model changed): `llmops index build {}`", args.index, args.index));
    }
    let mode = args.mode.as_deref().map(|m| m.parse::<SearchMode>()).transpose().map_err(CommandError::usage)?;
    let hits = retrieval::search(&ws, &args.index, &args.query, args.k as usize, mode, &args.filters).map_err(retrieval_error)?;
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
        table.row([h.rank.to_string(), h.doc.clone(), h.chunk.to_string(), format!("{:.4}", h.score), clip(&h.text, 70)]);
    }
    printer.write(&table.render())?;
    Ok(ExitCode::SUCCESS)
}

/// A build's progress on stderr: a bar of embedded chunks (with embeddings per second and the
/// time left) on a terminal, status lines otherwise.
struct BuildBar {
    printer: Printer,
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

impl BuildBar {
    fn new(printer: &Printer) -> BuildBar {
        BuildBar { printer: printer.clone(), bar: None, started: std::time::Instant::now() }
    }

    fn show(&mut self, stage: BuildStage) {
        match stage {
            BuildStage::Chunked { docs, chunks } => self.printer.status(format!("{docs} documents, {chunks} chunks")),
            BuildStage::Embedding { done: 0, total } => {
                self.started = std::time::Instant::now();
                if self.printer.quiet || self.printer.json || !std::io::stderr().is_terminal() {
                    self.printer.status(format!("embedding {total} chunks"));
                } else {
                    let bar = indicatif::ProgressBar::new(total as u64);
                    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} chunks embedded  {msg}  eta {eta}") {
                        bar.set_style(style);
                    }
                    self.bar = Some(bar);
                }
            }
            BuildStage::Embedding { done, .. } => {
                if let Some(bar) = &self.bar {
                    bar.set_position(done as u64);
                    bar.set_message(format!("{:.0} embeddings/s", done as f64 / self.started.elapsed().as_secs_f64().max(1e-3)));
                }
            }
            BuildStage::Writing => self.finish(),
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
