use std::collections::BTreeMap;
use std::process::ExitCode;

use serde_json::Value;

use super::{CommandError, Ctx, ExitKind};
use crate::ledger;
use crate::printer::{Printer, Style};
use crate::trace::genai as attr;
use crate::trace::otlp_json::{attribute, plain};

/// Read the spans a recorded run kept (`traces.jsonl`)
#[derive(Debug, clap::Subcommand)]
pub enum TraceCommand {
    /// The span tree of a run, with durations, tokens and evaluation scores
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// A run id (prefix) or EVAL, EVAL~N
    pub run: String,
    /// Only the sample with this row id
    #[arg(long, value_name = "ID")]
    pub sample: Option<String>,
}

pub fn cmd_trace(ctx: &Ctx, printer: &Printer, cmd: TraceCommand) -> Result<ExitCode, CommandError> {
    let TraceCommand::Show(args) = cmd;
    let ws = ctx.workspace()?;
    let (id, eval) = ledger::resolve(&ws.repo, &args.run).map_err(|e| CommandError::usage(e.to_string()).hint("`llmops log` lists the runs"))?;
    let short = crate::version::short(&id);
    let Some(bytes) = ledger::traces(&ws.repo, id).map_err(|e| CommandError::new(ExitKind::Provider, e.to_string()))? else {
        return Err(CommandError::usage(format!("run {short} of `{eval}` has no `{}`", ledger::TRACES_FILE))
            .hint("it was recorded with `--trace off`, or by an llmops without tracing"));
    };
    let mut spans = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let span: Value = serde_json::from_slice(line)
            .map_err(|e| CommandError::new(ExitKind::Verdict, format!("run {short}: `{}` line {}: {e}", ledger::TRACES_FILE, i + 1)))?;
        spans.push(span);
    }
    let tree = Tree::new(&spans);
    let roots: Vec<usize> = match &args.sample {
        Some(sample) => {
            let found: Vec<usize> = (0..spans.len())
                .filter(|&i| attribute(&spans[i], attr::SAMPLE_ID).map(plain).is_some_and(|v| v == sample.as_str()))
                .collect();
            if found.is_empty() {
                return Err(CommandError::usage(format!("run {short} has no sample `{sample}`")));
            }
            found
        }
        None => tree.roots.clone(),
    };
    if printer.json {
        let mut chosen = Vec::new();
        for r in &roots {
            tree.collect(*r, &mut chosen);
        }
        printer.json_value(&chosen.iter().map(|&i| &spans[i]).collect::<Vec<_>>())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    for r in roots {
        tree.render(printer, r, "", true, true, &mut out);
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}

struct Tree<'a> {
    spans: &'a [Value],
    children: BTreeMap<usize, Vec<usize>>,
    roots: Vec<usize>,
}

fn start_ns(span: &Value) -> u128 {
    span["startTimeUnixNano"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn duration_ms(span: &Value) -> f64 {
    let end: u128 = span["endTimeUnixNano"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
    end.saturating_sub(start_ns(span)) as f64 / 1e6
}

/// A span that is its own ancestor (a hand-edited or corrupt `traces.jsonl`) would make the
/// tree endless: the edge that closes each cycle is cut, and that span becomes a root.
fn cut_cycles(parent: &mut [Option<usize>]) {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const SETTLED: u8 = 2;
    let mut state = vec![NEW; parent.len()];
    for start in 0..parent.len() {
        let mut path = Vec::new();
        let mut i = start;
        loop {
            match state[i] {
                SETTLED => break,
                ON_PATH => {
                    parent[i] = None;
                    break;
                }
                _ => {
                    state[i] = ON_PATH;
                    path.push(i);
                    match parent[i] {
                        Some(p) => i = p,
                        None => break,
                    }
                }
            }
        }
        for j in path {
            state[j] = SETTLED;
        }
    }
}

impl<'a> Tree<'a> {
    fn new(spans: &'a [Value]) -> Tree<'a> {
        let index_of: BTreeMap<&str, usize> = spans.iter().enumerate().filter_map(|(i, s)| s["spanId"].as_str().map(|id| (id, i))).collect();
        let mut parent: Vec<Option<usize>> = spans.iter().map(|s| s["parentSpanId"].as_str().and_then(|p| index_of.get(p)).copied()).collect();
        cut_cycles(&mut parent);
        let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children.entry(*p).or_default().push(i),
                None => roots.push(i),
            }
        }
        for list in children.values_mut() {
            list.sort_by_key(|&i| start_ns(&spans[i]));
        }
        roots.sort_by_key(|&i| start_ns(&spans[i]));
        Tree { spans, children, roots }
    }

    fn collect(&self, i: usize, out: &mut Vec<usize>) {
        out.push(i);
        for &c in self.children.get(&i).map(Vec::as_slice).unwrap_or_default() {
            self.collect(c, out);
        }
    }

    fn render(&self, printer: &Printer, i: usize, prefix: &str, last: bool, root: bool, out: &mut String) {
        let span = &self.spans[i];
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
        let kids = self.children.get(&i).map(Vec::as_slice).unwrap_or_default();
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
            self.render(printer, c, &next, n + 1 == kids.len(), false, out);
        }
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 1000.0 { format!("{:.2} s", ms / 1000.0) } else { format!("{ms:.1} ms") }
}

#[cfg(test)]
mod tests {
    use super::cut_cycles;

    #[test]
    fn cycles_are_cut_and_every_span_stays() {
        // 0 ← 1 ← 2 ← 0 (a cycle), 3 its own parent, 4 under 0, 5 a root.
        let mut parent = vec![Some(2), Some(0), Some(1), Some(3), Some(0), None];
        cut_cycles(&mut parent);
        let roots: Vec<usize> = (0..parent.len()).filter(|&i| parent[i].is_none()).collect();
        assert_eq!(roots.len(), 3, "{parent:?}");
        assert_eq!(parent[3], None);
        assert_eq!(parent[4], Some(0));
        for start in 0..parent.len() {
            let (mut i, mut steps) = (start, 0);
            while let Some(p) = parent[i] {
                i = p;
                steps += 1;
                assert!(steps <= parent.len(), "a cycle is left at {start}: {parent:?}");
            }
        }
    }
}
