use std::process::ExitCode;

use clap::Subcommand;
use serde_json::Value;

use super::{CommandError, Ctx};
use crate::diagnostic::Diagnostic;
use crate::printer::Printer;
use crate::report::table::Table;
use crate::text::clip;
use crate::spec::dataset::{DatasetFormat, DatasetStats, Row};
use crate::version;
use crate::workspace::{FileKind, Workspace, dataset_format};

/// Datasets: list them, show rows of any version, validate them, summarise them.
#[derive(Debug, Subcommand)]
pub enum DatasetCommand {
    /// List the datasets with their format, row count and version
    List,
    /// Print rows; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>
    Show {
        reference: String,
        /// At most this many rows
        #[arg(long, short = 'n', value_name = "N")]
        limit: Option<usize>,
        /// Only the row with this id
        #[arg(long, value_name = "ID")]
        row: Option<String>,
    },
    /// Check every row of the named datasets (default: all)
    Validate { names: Vec<String> },
    /// Row count, variable coverage, labels and sizes
    Stats { reference: String },
    /// Turn a request log of `llmops serve --log FILE` into a dataset: one row per distinct
    /// set of variables sent to a released prompt, labelled with the version served
    Import(ImportArgs),
    /// Append samples of a recorded run as rows (their variables, and as `expected` the
    /// answer a reviewer wrote, else the original row's, else the output a reviewer passed), so
    /// reviewed failures become regression tests
    Add(AddArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The dataset to append to: `datasets/NAME.jsonl` (created when new)
    pub name: String,
    /// The run (id prefix, `EVAL` for its latest, or `EVAL~N`)
    #[arg(long, value_name = "RUN")]
    pub from_run: String,
    /// Only samples that failed
    #[arg(long)]
    pub failed: bool,
    /// Only samples someone labelled (`llmops review`, `llmops label`)
    #[arg(long)]
    pub labelled: bool,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The request log (JSON lines)
    pub file: std::path::PathBuf,
    /// The dataset to write: `datasets/NAME.jsonl`
    #[arg(long)]
    pub name: String,
    /// Only requests to this released prompt
    #[arg(long, value_name = "PROMPT")]
    pub prompt: Option<String>,
    /// Keep each served answer as the row's `expected` (a baseline for later versions)
    #[arg(long)]
    pub expected_from_output: bool,
    /// At most N rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Replace a dataset of that name
    #[arg(long)]
    pub force: bool,
}

pub fn cmd_dataset(ctx: &Ctx, printer: &Printer, cmd: DatasetCommand) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    match cmd {
        DatasetCommand::List => list(&ws, printer),
        DatasetCommand::Show { reference, limit, row } => show(&ws, printer, &reference, limit, row.as_deref()),
        DatasetCommand::Validate { names } => validate(&ws, printer, names),
        DatasetCommand::Stats { reference } => stats(&ws, printer, &reference),
        DatasetCommand::Import(args) => import(&ws, printer, args),
        DatasetCommand::Add(args) => add(&ws, printer, args),
    }
}

fn add(ws: &crate::workspace::Workspace, printer: &Printer, args: AddArgs) -> Result<ExitCode, CommandError> {
    let done = crate::calibration::curate(ws, &args.name, &args.from_run, args.failed, args.labelled)?;
    if printer.json {
        printer.json_value(&done)?;
    } else {
        let mut out = format!("added {} row{} to `{}`", done.added.len(), if done.added.len() == 1 { "" } else { "s" }, done.path);
        if !done.added.is_empty() {
            out.push_str(&format!(": {}", done.added.join(", ")));
        }
        out.push('\n');
        if !done.existing.is_empty() {
            out.push_str(&format!("left out (the dataset has them already): {}\n", done.existing.join(", ")));
        }
        printer.write(&out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One dataset as `dataset list` shows it.
#[derive(serde::Serialize)]
struct DatasetEntry {
    name: String,
    version: String,
    blob: String,
    path: String,
    format: DatasetFormat,
    rows: usize,
    invalid_rows: usize,
}

fn list(ws: &Workspace, printer: &Printer) -> Result<ExitCode, CommandError> {
    let (files, problems) = ws.list(FileKind::Dataset)?;
    for p in problems {
        printer.warn(p);
    }
    let mut items = Vec::new();
    for file in files {
        let (file, blob, rows) = ws.open_dataset(file.name.as_str())?;
        let (mut good, mut bad) = (0usize, 0usize);
        for row in rows {
            if row.is_ok() { good += 1 } else { bad += 1 }
        }
        items.push(DatasetEntry {
            name: file.name.to_string(),
            version: version::short(&blob),
            blob: blob.to_string(),
            format: dataset_format(&file),
            path: file.rel_path,
            rows: good,
            invalid_rows: bad,
        });
    }
    if printer.json {
        printer.json_value(&items)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(["NAME", "VERSION", "FORMAT", "ROWS"]);
    for d in items {
        table.row([
            d.name,
            d.version,
            d.format.as_str().to_owned(),
            match d.invalid_rows {
                0 => d.rows.to_string(),
                n => format!("{} ({n} invalid)", d.rows),
            },
        ]);
    }
    if table.is_empty() {
        printer.status("no datasets yet: add one under `datasets/`");
    } else {
        printer.write(&table.render())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn show(ws: &Workspace, printer: &Printer, reference: &str, limit: Option<usize>, only: Option<&str>) -> Result<ExitCode, CommandError> {
    let (source, rows) = ws.dataset_rows(reference)?;
    printer.status(format!("{}@{} (`{}`)", source.file.name, source.version(), source.file.rel_path));
    let mut selected: Vec<Row> = Vec::new();
    let mut problems = Vec::new();
    for row in rows {
        match row {
            Ok(row) if only.is_none_or(|id| id == row.id) => selected.push(row),
            Ok(_) => {}
            Err(d) => problems.push(d),
        }
        if limit.is_some_and(|n| selected.len() >= n) {
            break;
        }
    }
    if let Some(id) = only {
        if selected.is_empty() {
            return Err(CommandError::usage(format!("no row `{id}` in `{}`", source.file.rel_path)));
        }
    }
    if printer.json {
        printer.json_value(&selected)?;
    } else {
        let mut table = Table::new(["ID", "VARS", "EXPECTED", "LABELS"]);
        for row in &selected {
            let expected = match &row.expected {
                None => "-".to_owned(),
                Some(Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
            };
            table.row([
                row.id.clone(),
                clip(&Value::Object(row.vars.clone()).to_string(), 60),
                clip(&expected, 30),
                row.labels.join(","),
            ]);
        }
        printer.write(&table.render())?;
    }
    if !problems.is_empty() {
        return Err(CommandError::invalid(problems));
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(ws: &Workspace, printer: &Printer, names: Vec<String>) -> Result<ExitCode, CommandError> {
    let names = if names.is_empty() {
        ws.list(FileKind::Dataset)?.0.into_iter().map(|f| f.name.to_string()).collect()
    } else {
        names
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut results = Vec::new();
    for name in &names {
        let (file, blob, rows) = ws.open_dataset(name)?;
        let (mut good, mut bad) = (0usize, 0usize);
        for row in rows {
            match row {
                Ok(_) => good += 1,
                Err(d) => {
                    bad += 1;
                    problems.push(d);
                }
            }
        }
        results.push(serde_json::json!({"name": file.name, "version": version::short(&blob), "rows": good, "invalid_rows": bad}));
        if bad == 0 {
            printer.status(format!("ok: `{}` ({good} rows)", file.rel_path));
        }
    }
    if printer.json {
        printer.json_value(&serde_json::json!({"datasets": results, "diagnostics": problems}))?;
        return Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) });
    }
    if problems.is_empty() { Ok(ExitCode::SUCCESS) } else { Err(CommandError::invalid(problems)) }
}

fn stats(ws: &Workspace, printer: &Printer, reference: &str) -> Result<ExitCode, CommandError> {
    let (source, rows) = ws.dataset_rows(reference)?;
    let stats = DatasetStats::of(rows);
    if printer.json {
        printer.json_value(&serde_json::json!({
            "name": source.file.name,
            "version": source.version(),
            "rows": stats.rows,
            "invalid_rows": stats.invalid_rows,
            "with_expected": stats.with_expected,
            "with_relevant": stats.with_relevant,
            "vars": stats.vars,
            "labels": stats.labels,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let (count, invalid, pct) = (stats.rows, stats.invalid_rows, |n: usize| stats.percent(n));
    let mut out = format!("{}@{}\n", source.file.name, source.version());
    out.push_str(&format!("rows          {count}{}\n", if invalid > 0 { format!(" ({invalid} invalid)") } else { String::new() }));
    out.push_str(&format!("expected      {} ({:.0}%)\n", stats.with_expected, pct(stats.with_expected)));
    out.push_str(&format!("relevant      {} ({:.0}%)\n", stats.with_relevant, pct(stats.with_relevant)));
    let mut table = Table::new(["VARIABLE", "ROWS", "COVERAGE", "MEAN CHARS"]);
    for (name, s) in &stats.vars {
        table.row([name.clone(), s.rows.to_string(), format!("{:.0}%", pct(s.rows)), format!("{:.1}", s.mean_chars)]);
    }
    out.push('\n');
    out.push_str(&table.render());
    if !stats.labels.is_empty() {
        let mut table = Table::new(["LABEL", "ROWS"]);
        for (l, n) in &stats.labels {
            table.row([l.clone(), n.to_string()]);
        }
        out.push('\n');
        out.push_str(&table.render());
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn import(ws: &Workspace, printer: &Printer, args: ImportArgs) -> Result<ExitCode, CommandError> {
    let text = std::fs::read_to_string(&args.file).map_err(|e| CommandError::usage(format!("cannot read `{}`: {e}", args.file.display())))?;
    let options = crate::serve::log::ImportOptions { prompt: args.prompt, expected_from_output: args.expected_from_output, limit: args.limit };
    let imported = crate::serve::log::import(&args.file, &text, &options).map_err(|d| CommandError::invalid(vec![d]))?;
    if imported.rows.is_empty() {
        return Err(CommandError::usage(format!("`{}` has no successful requests to a released prompt with their variables ({} lines read)", args.file.display(), imported.lines))
            .hint("serve with `--log FILE` and without `--no-log-content`, and ask for `PROMPT@CHANNEL` with `variables`"));
    }
    let path = ws.write_dataset(&args.name, &imported.rows, args.force)?;
    if printer.json {
        printer.json_value(&serde_json::json!({"path": path, "rows": imported.rows.len(), "lines": imported.lines, "skipped": imported.skipped, "duplicates": imported.duplicates}))?;
    } else {
        printer.status(format!(
            "wrote `{path}`: {} rows from {} lines ({} skipped, {} repeated variables)",
            imported.rows.len(),
            imported.lines,
            imported.skipped,
            imported.duplicates
        ));
    }
    Ok(ExitCode::SUCCESS)
}
