use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::Subcommand;
use serde_json::Value;

use super::{CommandError, Ctx};
use crate::diagnostic::Diagnostic;
use crate::printer::Printer;
use crate::report::table::Table;
use crate::text::clip;
use crate::spec::dataset::Row;
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
}

pub fn cmd_dataset(ctx: &Ctx, printer: &Printer, cmd: DatasetCommand) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    match cmd {
        DatasetCommand::List => list(&ws, printer),
        DatasetCommand::Show { reference, limit, row } => show(&ws, printer, &reference, limit, row.as_deref()),
        DatasetCommand::Validate { names } => validate(&ws, printer, names),
        DatasetCommand::Stats { reference } => stats(&ws, printer, &reference),
    }
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
        items.push(serde_json::json!({
            "name": file.name,
            "version": version::short(&blob),
            "blob": blob.to_string(),
            "path": file.rel_path,
            "format": dataset_format(&file),
            "rows": good,
            "invalid_rows": bad,
        }));
    }
    if printer.json {
        printer.json_value(&items)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(["NAME", "VERSION", "FORMAT", "ROWS"]);
    for item in &items {
        let invalid = item["invalid_rows"].as_u64().unwrap_or(0);
        let rows = match invalid {
            0 => item["rows"].to_string(),
            n => format!("{} ({n} invalid)", item["rows"]),
        };
        table.row([
            item["name"].as_str().unwrap_or_default().to_owned(),
            item["version"].as_str().unwrap_or_default().to_owned(),
            item["format"].as_str().unwrap_or_default().to_owned(),
            rows,
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

#[derive(Default, serde::Serialize)]
struct VarStats {
    rows: usize,
    mean_chars: f64,
}

fn stats(ws: &Workspace, printer: &Printer, reference: &str) -> Result<ExitCode, CommandError> {
    let (source, rows) = ws.dataset_rows(reference)?;
    let mut count = 0usize;
    let mut invalid = 0usize;
    let mut with_expected = 0usize;
    let mut with_relevant = 0usize;
    let mut vars: BTreeMap<String, VarStats> = BTreeMap::new();
    let mut labels: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows {
        let Ok(row) = row else {
            invalid += 1;
            continue;
        };
        count += 1;
        with_expected += usize::from(row.expected.is_some());
        with_relevant += usize::from(!row.relevant.is_empty());
        for (k, v) in &row.vars {
            let chars = match v {
                Value::String(s) => s.chars().count(),
                other => other.to_string().chars().count(),
            };
            let s = vars.entry(k.clone()).or_default();
            s.rows += 1;
            s.mean_chars += chars as f64;
        }
        for l in &row.labels {
            *labels.entry(l.clone()).or_default() += 1;
        }
    }
    for s in vars.values_mut() {
        s.mean_chars /= s.rows.max(1) as f64;
    }
    if printer.json {
        printer.json_value(&serde_json::json!({
            "name": source.file.name,
            "version": source.version(),
            "rows": count,
            "invalid_rows": invalid,
            "with_expected": with_expected,
            "with_relevant": with_relevant,
            "vars": vars,
            "labels": labels,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let pct = |n: usize| if count == 0 { 0.0 } else { 100.0 * n as f64 / count as f64 };
    let mut out = format!("{}@{}\n", source.file.name, source.version());
    out.push_str(&format!("rows          {count}{}\n", if invalid > 0 { format!(" ({invalid} invalid)") } else { String::new() }));
    out.push_str(&format!("expected      {with_expected} ({:.0}%)\n", pct(with_expected)));
    out.push_str(&format!("relevant      {with_relevant} ({:.0}%)\n", pct(with_relevant)));
    let mut table = Table::new(["VARIABLE", "ROWS", "COVERAGE", "MEAN CHARS"]);
    for (name, s) in &vars {
        table.row([name.clone(), s.rows.to_string(), format!("{:.0}%", pct(s.rows)), format!("{:.1}", s.mean_chars)]);
    }
    out.push('\n');
    out.push_str(&table.render());
    if !labels.is_empty() {
        let mut table = Table::new(["LABEL", "ROWS"]);
        for (l, n) in &labels {
            table.row([l.clone(), n.to_string()]);
        }
        out.push('\n');
        out.push_str(&table.render());
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}
