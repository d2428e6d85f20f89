//! `llmops report`: one self-contained HTML file (inline CSS, JS and SVG; nothing fetched at
//! view time) of the recorded runs: per eval, the score and pass-rate trend over its runs with a
//! marker per prompt version and the gate's thresholds, the latest run's dimensions with their
//! intervals, a comparison of two runs (flipped rows, outputs side by side with a word diff),
//! and every sample of the latest run with its drill-down (variables, output, expected, grades,
//! trajectory, the span waterfall). The data is built here ([`Page`]) and embedded once as JSON;
//! the page's script draws it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ledger::{self, LedgerError, StoredRun};
use crate::run::SampleRecord;

/// Everything the page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub llmops_version: String,
    pub evals: Vec<EvalPage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalPage {
    pub eval: String,
    /// The latest run's gate thresholds, drawn on the trend.
    pub min_score: Option<f64>,
    pub min_pass_rate: Option<f64>,
    /// Oldest first.
    pub runs: Vec<RunPoint>,
    /// The run whose dimensions and samples are shown: the latest, or B of `--compare`.
    pub shown: String,
    /// Its dimensions.
    pub dimensions: Vec<DimensionRow>,
    /// Its samples (stored once; the comparison refers to them by index).
    pub samples: Vec<SampleRow>,
    pub compare: Option<Comparison>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunPoint {
    pub id: String,
    pub time: i64,
    pub prompt: String,
    pub prompt_version: String,
    pub model: String,
    pub score: f64,
    pub pass_rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub gate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionRow {
    pub name: String,
    pub score: f64,
    pub pass_rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradeRow {
    pub name: String,
    pub score: f64,
    pub pass: bool,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpanBar {
    pub name: String,
    pub depth: usize,
    /// Milliseconds from the sample span's start.
    pub start_ms: f64,
    pub duration_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SampleRow {
    pub id: String,
    pub repeat: u32,
    pub pass: bool,
    pub score: f64,
    pub vars: serde_json::Map<String, serde_json::Value>,
    pub output: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub grades: Vec<GradeRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<SpanBar>,
}

/// Two runs of one eval, the base `a` and `b` (whose samples are the page's).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub deltas: Vec<ledger::compare::DimensionDelta>,
    /// Samples of `b` whose pass differs from `a`'s, with `a`'s output.
    pub flipped: Vec<Flip>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Flip {
    /// Index into the eval's `samples`.
    pub sample: usize,
    pub a_pass: bool,
    pub a_score: f64,
    pub a_output: String,
}

/// Two runs of one eval to compare (base, other), chosen by the caller.
#[derive(Debug, Clone)]
pub struct Pair {
    pub eval: String,
    pub a: gix::ObjectId,
    pub b: gix::ObjectId,
}

/// The page for `evals` (all evals with runs when empty): the last `runs` runs of each, and
/// the comparison of `compare` for its eval, else of each eval's two latest runs. A run whose
/// `run.yaml` cannot be read is left out of the trend.
pub fn build(repo: &gix::Repository, evals: &[String], runs: usize, compare: Option<&Pair>) -> Result<Page, LedgerError> {
    let names = if evals.is_empty() { ledger::evals(repo)? } else { evals.to_vec() };
    let mut out = Vec::new();
    for eval in names {
        let entries: Vec<_> = ledger::log(repo, &eval)?.into_iter().take(runs.max(1)).collect();
        // Oldest first; only run.yaml is read for the trend.
        let mut points: Vec<(gix::ObjectId, RunPoint)> = Vec::new();
        for e in entries.iter().rev() {
            let Ok(id) = gix::ObjectId::from_hex(e.id.as_bytes()) else { continue };
            if let Ok(meta) = ledger::load_meta(repo, id) {
                points.push((id, point(&id.to_string(), &meta)));
            }
        }
        let Some(&(latest, _)) = points.last() else { continue };
        let (a, b) = match compare.filter(|p| p.eval == eval) {
            Some(p) => (Some(p.a), p.b),
            None => (points.len().checked_sub(2).map(|i| points[i].0), latest),
        };
        let b = ledger::load(repo, b, &eval)?;
        let a = a.map(|a| ledger::load(repo, a, &eval)).transpose()?;
        let traces = ledger::traces(repo, b.id)?.and_then(|t| crate::trace::tree::SpanTree::parse(&t).ok());
        let by_key = traces.as_ref().map(|t| t.samples_by_key()).unwrap_or_default();
        let expected = expected_of(repo, &b);
        let samples: Vec<SampleRow> = crate::run::read_samples(&b.samples_jsonl)
            .into_iter()
            .map(|s| {
                let e = expected.get(&s.id).cloned();
                let root = by_key.get(&(s.id.clone(), s.repeat)).copied();
                SampleRow { expected: e, ..sample_row(s, traces.as_ref().zip(root)) }
            })
            .collect();
        let comparison = a.map(|a| {
            let diff = ledger::compare::compare(&a, &b);
            let before: BTreeMap<(String, u32), SampleRecord> = crate::run::read_samples(&a.samples_jsonl).into_iter().map(|s| ((s.id.clone(), s.repeat), s)).collect();
            let flipped = samples
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let old = before.get(&(s.id.clone(), s.repeat))?;
                    (old.pass != s.pass).then(|| Flip { sample: i, a_pass: old.pass, a_score: old.score, a_output: old.output.clone() })
                })
                .collect();
            Comparison { a: a.id.to_string(), b: b.id.to_string(), deltas: diff.dimensions, flipped }
        });
        let shown = &b.meta;
        out.push(EvalPage {
            eval: eval.clone(),
            min_score: shown.gate.as_ref().and_then(|g| g.min_score),
            min_pass_rate: shown.gate.as_ref().and_then(|g| g.min_pass_rate),
            runs: points.into_iter().map(|(_, p)| p).collect(),
            shown: b.id.to_string(),
            dimensions: shown
                .dimensions
                .iter()
                .map(|(name, s)| DimensionRow { name: name.clone(), score: s.mean_score, pass_rate: s.pass_rate, ci_low: s.ci_low, ci_high: s.ci_high })
                .chain(std::iter::once(DimensionRow { name: "overall".into(), score: shown.overall.mean_score, pass_rate: shown.overall.pass_rate, ci_low: shown.overall.ci_low, ci_high: shown.overall.ci_high }))
                .collect(),
            samples,
            compare: comparison,
        });
    }
    Ok(Page { llmops_version: env!("CARGO_PKG_VERSION").to_owned(), evals: out })
}

fn point(id: &str, m: &ledger::RunMeta) -> RunPoint {
    RunPoint {
        id: id.to_owned(),
        time: m.finished,
        prompt: m.prompt.name.clone(),
        prompt_version: crate::version::short_str(&m.prompt.blob).to_owned(),
        model: m.model.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "(outputs file)".into()),
        score: m.overall.mean_score,
        pass_rate: m.overall.pass_rate,
        ci_low: m.overall.ci_low,
        ci_high: m.overall.ci_high,
        gate: m.verdict.pass,
        experiment: m.experiment.clone(),
        set: (!m.overrides.is_empty()).then(|| ledger::describe_overrides(&m.overrides)),
    }
}

/// A sample as the page shows it; `span`: the tree and the sample's own span in it.
fn sample_row(s: SampleRecord, span: Option<(&crate::trace::tree::SpanTree, usize)>) -> SampleRow {
    let mut spans = Vec::new();
    if let Some((tree, root)) = span {
        let origin = crate::trace::tree::start_ns(tree.span(root));
        let mut stack = vec![(root, 0usize)];
        while let Some((i, depth)) = stack.pop() {
            let span = tree.span(i);
            spans.push(SpanBar {
                name: span["name"].as_str().unwrap_or_default().to_owned(),
                depth,
                start_ms: crate::trace::tree::start_ns(span).saturating_sub(origin) as f64 / 1e6,
                duration_ms: crate::trace::tree::duration_ms(span),
            });
            stack.extend(tree.children(i).iter().rev().map(|&c| (c, depth + 1)));
        }
    }
    SampleRow {
        grades: s.grades.iter().map(|(name, g)| GradeRow { name: name.clone(), score: g.score, pass: g.pass, reason: g.reason.clone() }).collect(),
        trajectory: s.trajectory.as_ref().and_then(|t| serde_json::to_value(t).ok()),
        id: s.id,
        repeat: s.repeat,
        pass: s.pass,
        score: s.score,
        vars: s.vars,
        output: s.output,
        expected: None,
        error: s.error,
        spans,
    }
}

/// Each row's `expected`, as text, from the dataset version the run pinned (a JSONL dataset;
/// none for other formats).
fn expected_of(repo: &gix::Repository, run: &StoredRun) -> BTreeMap<String, String> {
    let Ok(id) = run.meta.dataset.blob.parse::<gix::ObjectId>() else { return BTreeMap::new() };
    let Ok(blob) = repo.find_blob(id) else { return BTreeMap::new() };
    String::from_utf8_lossy(&blob.data)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| Some((crate::grade::text_of(v.get("id")?), crate::grade::text_of(v.get("expected")?))))
        .collect()
}

/// The page as one HTML file: the data embedded once as JSON, drawn by the inline script.
pub fn render(page: &Page) -> String {
    // No `<` inside the script element (no `</script>`, no `<!--`): `\u003c` is the same JSON
    // string, and `<` occurs only inside strings.
    let data = serde_json::to_string(page).unwrap_or_else(|_| "{}".into()).replace('<', "\\u003c");
    TEMPLATE.replace("/*DATA*/null", &data)
}

const TEMPLATE: &str = include_str!("report.html");
