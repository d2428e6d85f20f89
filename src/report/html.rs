//! `llmops report`: one self-contained HTML file (inline CSS, JS and SVG; nothing fetched at
//! view time) of the recorded runs: per eval, the score and pass-rate trend over its runs with a
//! marker per prompt version and the gate's thresholds, an experiment's cells as a matrix, the
//! latest run's dimensions with their intervals, a comparison of any two of the latest runs
//! (picked in the page: flipped rows, outputs side by side with a word diff), and every sample
//! of the latest run with people's labels and its drill-down (variables, output, expected,
//! grades, trajectory, the span waterfall). The data is built here ([`Page`]) and embedded once
//! as JSON: the shown run's samples in full, the other comparable runs as how they differ from
//! them. The page's script draws it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ledger::{self, LedgerError, StoredRun};
use crate::run::SampleRecord;
use crate::workspace::Workspace;

/// Everything the page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub llmops_version: String,
    pub evals: Vec<EvalPage>,
    /// What the report left out, for the caller to say (a labels file that does not read).
    #[serde(skip)]
    pub warnings: Vec<String>,
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
    /// Its samples, stored once: other runs refer to them by index.
    pub samples: Vec<SampleRow>,
    /// The pair compared when the page opens (A, B): `--compare`, else the two latest runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<[String; 2]>,
    /// The other runs that can be picked for a comparison in the page, each as it differs from
    /// the shown run's samples.
    pub outcomes: Vec<RunOutcomes>,
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
    /// By dimension, `overall` last (the page's deltas between any two runs).
    pub dimensions: Vec<DimensionRow>,
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

/// A person's label of a sample's output (`llmops review`, `llmops label`).
#[derive(Debug, Clone, Serialize)]
pub struct LabelRow {
    /// The reviewer's name (without their email address).
    pub reviewer: String,
    /// `pass`, `fail` or `score N`.
    pub label: String,
    /// Whether the person passed it (none for a score).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<LabelRow>,
}

/// Another run of the eval, as it differs from the shown run's samples.
#[derive(Debug, Clone, Serialize)]
pub struct RunOutcomes {
    pub run: String,
    /// Per sample of the page, by index: `1` passed, `0` failed, `-` not in this run.
    pub pass: String,
    /// Per sample of the page, by index (none where the run lacks it).
    pub scores: Vec<Option<f64>>,
    /// Its outputs that differ from the shown sample's, by sample index.
    pub outputs: BTreeMap<usize, String>,
    /// Sample indexes whose differing output was left out to bound the file's size (see
    /// [`OUTPUT_BUDGET`]).
    pub outputs_left_out: Vec<usize>,
    /// Its samples that the shown run lacks, which a comparison cannot show.
    pub unmatched: usize,
}

/// Two runs of one eval to compare (base, other), chosen by the caller.
#[derive(Debug, Clone)]
pub struct Pair {
    pub eval: String,
    pub a: gix::ObjectId,
    pub b: gix::ObjectId,
}

/// What the report is made of.
#[derive(Debug, Clone)]
pub struct Options {
    /// The evals to show (every eval with runs when empty).
    pub evals: Vec<String>,
    /// The last `runs` runs of each eval make its trend.
    pub runs: usize,
    /// The latest `comparable` runs of each eval (and the pair of `compare`) can be compared in
    /// the page.
    pub comparable: usize,
    pub compare: Option<Pair>,
}

/// The most bytes of other runs' outputs (as embedded, escapes included) one report holds,
/// shared evenly by its evals; beyond it a comparison shows pass and score only, and says which
/// outputs it left out. The opening pair's outputs come first.
pub const OUTPUT_BUDGET: usize = 8 << 20;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// The page for the evals and runs `options` names. A run whose `run.yaml` cannot be read is
/// left out of the trend; only the comparable runs' samples are read.
pub fn build(ws: &Workspace, options: &Options) -> Result<Page, ReportError> {
    let repo = &ws.repo;
    let names = if options.evals.is_empty() { ledger::evals(repo)? } else { options.evals.clone() };
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for eval in &names {
        let eval = eval.clone();
        let mut budget = OUTPUT_BUDGET / names.len().max(1);
        let entries: Vec<_> = ledger::log(repo, &eval)?.into_iter().take(options.runs.max(1)).collect();
        // Oldest first; only run.yaml is read for the trend.
        let mut points: Vec<(gix::ObjectId, RunPoint)> = Vec::new();
        for e in entries.iter().rev() {
            let Ok(id) = gix::ObjectId::from_hex(e.id.as_bytes()) else { continue };
            if let Ok(meta) = ledger::load_meta(repo, id) {
                points.push((id, point(&id.to_string(), &meta)));
            }
        }
        let pair = options.compare.as_ref().filter(|p| p.eval == eval);
        // A run of `--compare` older than the runs shown joins them, before them.
        for id in pair.map(|p| [p.b, p.a]).into_iter().flatten() {
            if !points.iter().any(|(p, _)| *p == id) {
                let meta = ledger::load_meta(repo, id)?;
                points.insert(0, (id, point(&id.to_string(), &meta)));
            }
        }
        let Some(&(latest, _)) = points.last() else { continue };
        let (a, b) = match pair {
            Some(p) => (Some(p.a), p.b),
            None => (points.len().checked_sub(2).map(|i| points[i].0), latest),
        };
        let b = ledger::load(repo, b, &eval)?;
        let traces = ledger::traces(repo, b.id)?.and_then(|t| crate::trace::tree::SpanTree::parse(&t).ok());
        let by_key = traces.as_ref().map(|t| t.samples_by_key()).unwrap_or_default();
        let rows = ws.pinned_rows(&b.meta.dataset.name, &b.meta.dataset.blob);
        // Labels that do not read cost a warning, not the report.
        let labels = crate::labels::read(&ws.root, &eval).unwrap_or_else(|e| {
            warnings.push(format!("eval `{eval}`: the labels are left out: {e}"));
            Vec::new()
        });
        let mut labels_of: BTreeMap<(String, u32, String), Vec<LabelRow>> = BTreeMap::new();
        for l in &labels {
            labels_of.entry((l.id.clone(), l.repeat, l.output_sha256.clone())).or_default().push(label_row(l));
        }
        let samples: Vec<SampleRow> = crate::run::read_samples(&b.samples_jsonl)
            .into_iter()
            .map(|s| {
                let expected = rows.get(&s.id).and_then(|r| r.expected.as_ref()).map(crate::grade::text_of);
                let labels = labels_of.remove(&(s.id.clone(), s.repeat, crate::labels::output_sha256(&s.output))).unwrap_or_default();
                let root = by_key.get(&(s.id.clone(), s.repeat)).copied();
                SampleRow { expected, labels, ..sample_row(s, traces.as_ref().zip(root)) }
            })
            .collect();
        // The runs a comparison can pick: the opening pair's A first (its outputs come first),
        // then the latest `comparable`.
        let mut comparable: Vec<gix::ObjectId> = a.into_iter().collect();
        comparable.extend(points.iter().rev().take(options.comparable).map(|(id, _)| *id));
        let index: BTreeMap<(&str, u32), usize> = samples.iter().enumerate().map(|(i, s)| ((s.id.as_str(), s.repeat), i)).collect();
        let mut outcomes: Vec<RunOutcomes> = Vec::new();
        for id in comparable {
            if id == b.id || outcomes.iter().any(|o| o.run == id.to_string()) {
                continue;
            }
            let run = ledger::load(repo, id, &eval)?;
            outcomes.push(outcomes_of(&run, &samples, &index, &mut budget));
        }
        let shown = &b.meta;
        out.push(EvalPage {
            eval: eval.clone(),
            min_score: shown.gate.as_ref().and_then(|g| g.min_score),
            min_pass_rate: shown.gate.as_ref().and_then(|g| g.min_pass_rate),
            runs: points.into_iter().map(|(_, p)| p).collect(),
            shown: b.id.to_string(),
            dimensions: dimension_rows(shown),
            samples,
            compare: a.map(|a| [a.to_string(), b.id.to_string()]),
            outcomes,
        });
    }
    Ok(Page { llmops_version: env!("CARGO_PKG_VERSION").to_owned(), evals: out, warnings })
}

/// How `run`'s samples differ from the page's `samples` (`index`: by id and repeat); its
/// differing outputs are embedded while `budget` bytes last.
fn outcomes_of(run: &StoredRun, samples: &[SampleRow], index: &BTreeMap<(&str, u32), usize>, budget: &mut usize) -> RunOutcomes {
    let mut pass = vec![b'-'; samples.len()];
    let mut scores = vec![None; samples.len()];
    let (mut outputs, mut outputs_left_out, mut unmatched) = (BTreeMap::new(), Vec::new(), 0);
    for s in crate::run::read_samples(&run.samples_jsonl) {
        let Some(&i) = index.get(&(s.id.as_str(), s.repeat)) else {
            unmatched += 1;
            continue;
        };
        pass[i] = if s.pass { b'1' } else { b'0' };
        scores[i] = Some(s.score);
        if s.output != samples[i].output {
            // As embedded: a JSON string, and `<` written as `\u003c` (see `render`).
            let size = serde_json::to_string(&s.output).map(|t| t.len()).unwrap_or(usize::MAX) + 5 * s.output.matches('<').count();
            if size <= *budget {
                *budget -= size;
                outputs.insert(i, s.output);
            } else {
                outputs_left_out.push(i);
            }
        }
    }
    RunOutcomes { run: run.id.to_string(), pass: String::from_utf8(pass).unwrap_or_default(), scores, outputs, outputs_left_out, unmatched }
}

fn label_row(l: &crate::labels::Label) -> LabelRow {
    let pass = match l.label {
        crate::labels::Mark::Pass => Some(true),
        crate::labels::Mark::Fail => Some(false),
        crate::labels::Mark::Score(_) => None,
    };
    // The name alone: a report is often published, and an email address need not be.
    let reviewer = l.reviewer.split(" <").next().unwrap_or_default().to_owned();
    LabelRow { reviewer, label: l.label.describe(), pass, note: l.note.clone() }
}

fn dimension_rows(m: &ledger::RunMeta) -> Vec<DimensionRow> {
    m.dimensions
        .iter()
        .map(|(name, s)| (name.as_str(), s))
        .chain(std::iter::once(("overall", &m.overall)))
        .map(|(name, s)| DimensionRow { name: name.to_owned(), score: s.mean_score, pass_rate: s.pass_rate, ci_low: s.ci_low, ci_high: s.ci_high })
        .collect()
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
        dimensions: dimension_rows(m),
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
        labels: Vec::new(),
    }
}

/// The page as one HTML file: the data embedded once as JSON, drawn by the inline script.
pub fn render(page: &Page) -> String {
    // No `<` inside the script element (no `</script>`, no `<!--`): `\u003c` is the same JSON
    // string, and `<` occurs only inside strings.
    let data = serde_json::to_string(page).unwrap_or_else(|_| "{}".into()).replace('<', "\\u003c");
    TEMPLATE.replace("/*DATA*/null", &data)
}

const TEMPLATE: &str = include_str!("report.html");
