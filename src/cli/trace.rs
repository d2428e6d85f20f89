use std::process::ExitCode;

use serde_json::Value;

use super::{CommandError, Ctx, ExitKind};
use crate::ledger;
use crate::printer::{Printer, Style};
use crate::trace::genai as attr;
use crate::trace::otlp_json::{attribute, plain};
use crate::trace::tree::{SpanTree, duration_ms};

/// Read the spans a recorded run kept (`traces.jsonl`)
#[derive(Debug, clap::Subcommand)]
pub enum TraceCommand {
    /// The span tree of a run, with durations, tokens and evaluation scores
    Show(ShowArgs),
    /// Send a recorded run's spans to an OTLP/HTTP collector (Phoenix, Jaeger, Tempo) as
    /// OTLP/JSON, with their ids and times
    Export(ExportArgs),
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// A run id (prefix) or EVAL, EVAL~N
    pub run: String,
    /// The collector (`http://localhost:4318`, or a URL ending in `/v1/traces`); default:
    /// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL), else OTEL_EXPORTER_OTLP_ENDPOINT
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// A header for the collector (`api-key=SECRET`, `Authorization: Bearer T`), repeatable;
    /// default: OTEL_EXPORTER_OTLP_TRACES_HEADERS, else OTEL_EXPORTER_OTLP_HEADERS
    /// (`k=v,k2=v2`, values percent-encoded). Never printed
    #[arg(long = "header", value_name = "NAME=VALUE")]
    pub headers: Vec<String>,
}

/// Header values stay out of debug output.
impl std::fmt::Debug for ExportArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportArgs").field("run", &self.run).field("endpoint", &self.endpoint.as_deref().map(crate::endpoint::redact_url)).field("headers", &self.headers.len()).finish()
    }
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// A run id (prefix) or EVAL, EVAL~N
    pub run: String,
    /// Only the sample with this row id
    #[arg(long, value_name = "ID")]
    pub sample: Option<String>,
}

/// The `traces.jsonl` of run `run`, with the run's short id.
fn run_traces(ws: &crate::workspace::Workspace, run: &str) -> Result<(String, Vec<u8>), CommandError> {
    let (id, eval) = ledger::resolve(&ws.repo, run).map_err(|e| CommandError::usage(e.to_string()).hint("`llmops log` lists the runs"))?;
    let short = crate::version::short(&id);
    let Some(bytes) = ledger::traces(&ws.repo, id).map_err(|e| CommandError::new(ExitKind::Provider, e.to_string()))? else {
        return Err(CommandError::usage(format!("run {short} of `{eval}` has no `{}`", ledger::TRACES_FILE))
            .hint("it was recorded with `--trace off`, or by an llmops without tracing"));
    };
    Ok((short.to_string(), bytes))
}

fn export(ctx: &Ctx, printer: &Printer, args: ExportArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    // The signal's own variable is the full URL, as OpenTelemetry's exporters read it; the
    // others are the collector's base.
    let url = match (args.endpoint, std::env::var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").ok().filter(|v| !v.is_empty())) {
        (Some(endpoint), _) => crate::trace::replay::traces_url(&endpoint),
        (None, Some(full)) => full,
        (None, None) => crate::trace::replay::traces_url(
            &std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT")
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| CommandError::usage("no collector: pass `--endpoint URL` (e.g. http://localhost:4318) or set OTEL_EXPORTER_OTLP_ENDPOINT"))?,
        ),
    };
    // Headers from the command line, else from the environment as OpenTelemetry's exporters
    // read them (the signal's own variable first).
    let headers = if args.headers.is_empty() {
        let var = ["OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"].into_iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()).map(|v| (k, v)));
        match var {
            Some((name, value)) => crate::trace::replay::parse_headers(name, &value),
            None => Ok(Vec::new()),
        }
    } else {
        args.headers.iter().enumerate().map(|(i, h)| crate::trace::replay::parse_header_arg(i + 1, h)).collect()
    }
    .map_err(|e| CommandError::usage(e.to_string()))?;
    let (short, bytes) = run_traces(&ws, &args.run)?;
    let sent = crate::trace::replay::replay(&bytes, &url, &headers).map_err(|e| match e {
        crate::trace::replay::ReplayError::Parse { .. } => CommandError::new(ExitKind::Verdict, format!("run {short}: {e}")),
        crate::trace::replay::ReplayError::Send { .. } | crate::trace::replay::ReplayError::Header { .. } => CommandError::new(ExitKind::Provider, e.to_string()),
    })?;
    if printer.json {
        printer.json_value(&serde_json::json!({"run": short, "spans": sent, "url": crate::endpoint::redact_url(&url)}))?;
    } else {
        printer.write(&format!("sent {sent} spans of run {short} to {}\n", crate::endpoint::redact_url(&url)))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn cmd_trace(ctx: &Ctx, printer: &Printer, cmd: TraceCommand) -> Result<ExitCode, CommandError> {
    let args = match cmd {
        TraceCommand::Show(args) => args,
        TraceCommand::Export(args) => return export(ctx, printer, args),
    };
    let ws = ctx.workspace()?;
    let (short, bytes) = run_traces(&ws, &args.run)?;
    let tree = SpanTree::parse(&bytes).map_err(|e| CommandError::new(ExitKind::Verdict, format!("run {short}: `{}` {e}", ledger::TRACES_FILE)))?;
    let roots: Vec<usize> = match &args.sample {
        Some(sample) => {
            let found = tree.sample(sample);
            if found.is_empty() {
                return Err(CommandError::usage(format!("run {short} has no sample `{sample}`")));
            }
            found
        }
        None => tree.roots().to_vec(),
    };
    if printer.json {
        printer.json_value(&roots.iter().flat_map(|&r| tree.subtree(r)).collect::<Vec<_>>())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    for r in roots {
        render(&tree, printer, r, "", true, true, &mut out);
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn render(tree: &SpanTree, printer: &Printer, i: usize, prefix: &str, last: bool, root: bool, out: &mut String) {
    let span = tree.span(i);
    let get = |k: &str| attribute(span, k).map(plain);
    let mut line = format!("{}  {}", printer.paint(span["name"].as_str().unwrap_or("?"), Style::Bold), fmt_ms(duration_ms(span)));
    if let (Some(input), Some(output)) = (get(attr::USAGE_INPUT_TOKENS), get(attr::USAGE_OUTPUT_TOKENS)) {
        line.push_str(&format!("  tokens {input} in / {output} out"));
    }
    if let Some(ttft) = get(attr::TIME_TO_FIRST_TOKEN).and_then(|v| v.as_f64()) {
        line.push_str(&format!("  first token {}", fmt_ms(ttft * 1000.0)));
    }
    if get(attr::RESPONSE_CACHED) == Some(Value::Bool(true)) {
        line.push_str("  cached");
    }
    for (score, pass) in [(attr::SAMPLE_SCORE, attr::SAMPLE_PASS), (attr::RUN_SCORE, attr::RUN_PASS)] {
        if let Some(s) = get(score).and_then(|v| v.as_f64()) {
            let verdict = if get(pass) == Some(Value::Bool(true)) { printer.paint("pass", Style::Green) } else { printer.paint("fail", Style::Red) };
            line.push_str(&format!("  score {s:.2} {verdict}"));
        }
    }
    if span["status"]["code"] == 2 {
        line.push_str(&format!("  {}: {}", printer.paint("error", Style::Red), span["status"]["message"].as_str().unwrap_or("")));
    }
    let (branch, next) = match (root, last) {
        (true, _) => ("", String::new()),
        (false, true) => ("└─ ", format!("{prefix}   ")),
        (false, false) => ("├─ ", format!("{prefix}│  ")),
    };
    out.push_str(&format!("{prefix}{branch}{line}\n"));
    let kids = tree.children(i);
    let events = span["events"].as_array().map(Vec::as_slice).unwrap_or_default();
    for e in events.iter().filter(|e| e["name"] == attr::EVALUATION_RESULT) {
        let a = |k: &str| attribute(e, k).map(plain).unwrap_or(Value::Null);
        let bar = if kids.is_empty() { "   " } else { "│  " };
        out.push_str(&format!(
            "{next}{bar}{} {} {:.2} {}  {}\n",
            printer.paint("·", Style::Dim),
            a(attr::EVALUATION_NAME).as_str().unwrap_or("?"),
            a(attr::EVALUATION_SCORE_VALUE).as_f64().unwrap_or(0.0),
            a(attr::EVALUATION_SCORE_LABEL).as_str().unwrap_or(""),
            printer.paint(a(attr::EVALUATION_EXPLANATION).as_str().unwrap_or(""), Style::Dim),
        ));
    }
    for (n, &c) in kids.iter().enumerate() {
        render(tree, printer, c, &next, n + 1 == kids.len(), false, out);
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 1000.0 { format!("{:.2} s", ms / 1000.0) } else { format!("{ms:.1} ms") }
}
