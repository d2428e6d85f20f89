//! What `verify`, `promote` and the gate ask of a recorded run. A run must agree with itself
//! and with the eval it pins: every grade's pass flag, every sample's score and pass, the
//! aggregates and the verdict are recomputed from the eval file at the pinned blob id (its
//! graders' weights and thresholds, its gate), never from what `run.yaml` says the gate was.
//! And it must be whole: a run counts only when its samples are exactly the pinned dataset's
//! rows times the eval's `repeat`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::StoredRun;
use crate::grade::{self, Grade};
use crate::run::stats::{Accumulator, Stats};
use crate::spec::dataset::{DatasetFormat, RowReader};
use crate::spec::eval::EvalSpec;

/// Where a run keeps the files it evaluated, by their work-tree paths.
pub const INPUTS_DIR: &str = "inputs";

/// Whether a run evaluated every row of its dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "coverage")]
pub enum Coverage {
    Complete,
    /// Some rows are missing or repeated; `selection` is what the run says it selected.
    Partial { samples: usize, expected: usize, missing: usize, extra: usize, selection: Option<String> },
    /// The pinned dataset is not in this repository (or the run predates recorded inputs).
    Unknown { why: String },
}

impl Coverage {
    pub fn is_complete(&self) -> bool {
        *self == Coverage::Complete
    }

    /// One line for a person: why the run does not count.
    pub fn describe(&self) -> String {
        match self {
            Coverage::Complete => "covers every row".into(),
            Coverage::Partial { samples, expected, missing, extra, selection } => {
                let how = selection.as_deref().map(|s| format!(" (selected with {s})")).unwrap_or_default();
                let extra = if *extra > 0 { format!(", {extra} samples not in the dataset or repeated") } else { String::new() };
                format!("is partial{how}: {samples} samples where the dataset gives {expected}, {missing} missing{extra}")
            }
            Coverage::Unknown { why } => format!("cannot be checked for completeness: {why}"),
        }
    }
}

/// The eval file at the run's pinned blob id.
pub fn pinned_eval(repo: &gix::Repository, run: &StoredRun) -> Result<EvalSpec, String> {
    let text = blob_text(repo, &run.meta.eval.blob).map_err(|e| format!("eval `{}` at its pinned version {}: {e}", run.eval, short(&run.meta.eval.blob)))?;
    let path = format!("evals/{}.yaml", run.eval);
    EvalSpec::parse(Path::new(&path), &text).map_err(|diags| {
        format!("eval `{}` at its pinned version {} does not parse: {}", run.eval, short(&run.meta.eval.blob), diags.first().map(|d| d.message.clone()).unwrap_or_default())
    })
}

fn short(id: &str) -> &str {
    crate::version::short_str(id)
}

fn blob_text(repo: &gix::Repository, id: &str) -> Result<String, String> {
    let oid: gix::ObjectId = id.parse().map_err(|_| format!("`{id}` is not a blob id"))?;
    let blob = repo.find_blob(oid).map_err(|_| "not in this repository".to_owned())?;
    String::from_utf8(blob.data.clone()).map_err(|_| "not UTF-8 text".to_owned())
}

/// Everything that does not add up in `run`, in words; empty when it verifies.
pub fn verify(repo: &gix::Repository, run: &StoredRun) -> Vec<String> {
    let spec = match pinned_eval(repo, run) {
        Ok(spec) => spec,
        Err(e) => return vec![format!("cannot recompute the run: {e}")],
    };
    verify_against(&spec, run)
}

/// What a run's samples give under an eval: the aggregates and verdict, recomputed, and what
/// in the samples does not add up.
#[derive(Debug, Clone)]
pub struct Recomputed {
    pub overall: Stats,
    pub dimensions: BTreeMap<String, Stats>,
    /// With `repeat` above 1: the share of rows whose every repeat passed.
    pub pass_k: Option<f64>,
    /// Under the eval's gate, with `uncalibrated` judges left out.
    pub verdict: crate::run::verdict::Verdict,
    /// Distinct row ids.
    pub rows: u64,
    pub problems: Vec<String>,
}

/// The verdict of a run's aggregates under `gate`: judges in `uncalibrated` decide nothing
/// (their dimension's rule goes), and one the policy requires fails the run.
pub fn verdict_of(gate: Option<&crate::spec::eval::GateSpec>, overall: &Stats, dimensions: &BTreeMap<String, Stats>, uncalibrated: &[super::Uncalibrated]) -> crate::run::verdict::Verdict {
    let left_out: Vec<&str> = uncalibrated.iter().map(|u| u.grader.as_str()).collect();
    let mut verdict = crate::run::verdict::evaluate(crate::run::verdict::without_dimensions(gate, &left_out).as_ref(), overall, dimensions);
    for u in uncalibrated {
        verdict.reasons.push(format!("{}: judge `{}` is uncalibrated and does not count: {}", if u.required { "FAIL" } else { "warning" }, u.grader, u.reason));
        verdict.pass &= !u.required;
    }
    verdict
}

/// Recomputes `samples_jsonl` under `spec` (its graders' thresholds and weights, its gate),
/// with the judges of `uncalibrated` weighing 0.
pub fn recompute(spec: &EvalSpec, uncalibrated: &[super::Uncalibrated], samples_jsonl: &[u8]) -> Recomputed {
    let mut problems = Vec::new();
    // Judges the run left uncalibrated counted with weight 0: only judges that ask for a
    // calibration may be left out.
    for u in uncalibrated {
        if !spec.graders.iter().any(|g| g.dimension() == u.grader && g.kind == crate::spec::eval::GraderKind::Judge && g.calibration.is_some()) {
            problems.push(format!("run.yaml leaves out `{}` as uncalibrated, which is no judge with a `calibration:` bar", u.grader));
        }
    }
    let mut specs = spec.graders.clone();
    for g in specs.iter_mut().filter(|g| uncalibrated.iter().any(|u| u.grader == g.dimension())) {
        g.weight = 0.0;
    }
    let graders = match grade::build(&specs) {
        Ok(g) => g,
        Err(e) => {
            let nothing = Accumulator::default().stats();
            let verdict = crate::run::verdict::Verdict { pass: false, reasons: vec![] };
            return Recomputed { overall: nothing, dimensions: BTreeMap::new(), pass_k: None, verdict, rows: 0, problems: vec![format!("the pinned eval's graders do not build: {e}")] };
        }
    };
    let dimensions: BTreeSet<&str> = graders.iter().map(|g| g.dimension.as_str()).collect();
    let mut overall = Accumulator::default();
    let mut dims: BTreeMap<String, Accumulator> = graders.iter().map(|g| (g.dimension.clone(), Accumulator::default())).collect();
    let mut by_row: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let report = |problems: &mut Vec<String>, what: String| {
        // A forged file can be wrong on every line: the first ten say enough.
        if problems.len() < 10 {
            problems.push(what);
        } else if problems.len() == 10 {
            problems.push("… more problems not shown".into());
        }
    };
    for (i, line) in samples_jsonl.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let at = format!("samples.jsonl line {}", i + 1);
        let sample: serde_json::Value = match serde_json::from_slice(line) {
            Ok(v) => v,
            Err(e) => {
                report(&mut problems, format!("{at}: {e}"));
                continue;
            }
        };
        let id = crate::grade::text_of(&sample["id"]);
        let stored: BTreeMap<String, Grade> = match serde_json::from_value(sample["grades"].clone()) {
            Ok(g) => g,
            Err(e) => {
                report(&mut problems, format!("{at} (`{id}`): grades: {e}"));
                continue;
            }
        };
        let extra: Vec<&String> = stored.keys().filter(|d| !dimensions.contains(d.as_str())).collect();
        if !extra.is_empty() {
            report(&mut problems, format!("{at} (`{id}`): grades {extra:?}, which the eval has no grader for"));
        }
        // Each grade's pass flag from its score and the eval's threshold; a missing grade or a
        // grader error fails.
        let mut grades = Vec::with_capacity(graders.len());
        for g in &graders {
            let Some(grade) = stored.get(&g.dimension) else {
                report(&mut problems, format!("{at} (`{id}`): no grade for `{}`", g.dimension));
                grades.push(Grade::error("missing"));
                continue;
            };
            if !(grade.score.is_finite() && (0.0..=1.0).contains(&grade.score)) {
                report(&mut problems, format!("{at} (`{id}`): `{}` has score {}, outside 0..1", g.dimension, grade.score));
            }
            let pass = !grade.error && grade.score.is_finite() && (0.0..=1.0).contains(&grade.score) && grade.score >= g.threshold();
            if pass != grade.pass {
                report(&mut problems, format!("{at} (`{id}`): `{}` says pass={} for score {}, the threshold {} gives {pass}", g.dimension, grade.pass, grade.score, g.threshold()));
            }
            grades.push(Grade { pass, ..grade.clone() });
        }
        let (score, pass) = grade::compose(&graders, &grades);
        let pass = pass && sample["error"].is_null();
        let stored_score = sample["score"].as_f64().unwrap_or(f64::NAN);
        if !((stored_score - score).abs() < 1e-9) || sample["pass"].as_bool() != Some(pass) {
            report(
                &mut problems,
                format!("{at} (`{id}`): says score {stored_score} pass={}, its grades give {score:.6} pass={pass}", sample["pass"]),
            );
        }
        overall.add(score, pass);
        for (g, grade) in graders.iter().zip(&grades) {
            if let Some(acc) = dims.get_mut(&g.dimension) {
                acc.add(grade.score, grade.pass);
            }
        }
        let entry = by_row.entry(id).or_default();
        entry.0 += u32::from(pass);
        entry.1 += 1;
    }
    let overall = overall.stats();
    let dimensions: BTreeMap<String, Stats> = dims.into_iter().map(|(k, v)| (k, v.stats())).collect();
    let pass_k = (spec.repeat > 1).then(|| by_row.values().filter(|(p, n)| p == n).count() as f64 / by_row.len().max(1) as f64);
    let verdict = verdict_of(spec.gate.as_ref(), &overall, &dimensions, uncalibrated);
    Recomputed { overall, dimensions, pass_k, verdict, rows: by_row.len() as u64, problems }
}

/// [`verify`] with the pinned eval already parsed.
pub fn verify_against(spec: &EvalSpec, run: &StoredRun) -> Vec<String> {
    let meta = &run.meta;
    let Recomputed { overall: recomputed, dimensions: recomputed_dims, pass_k, verdict, mut problems, .. } = recompute(spec, &meta.uncalibrated, &run.samples_jsonl);
    let same = |a: &Stats, b: &Stats| {
        a.n == b.n && a.passed == b.passed && (a.mean_score - b.mean_score).abs() < 1e-9 && (a.ci_low - b.ci_low).abs() < 1e-9 && (a.ci_high - b.ci_high).abs() < 1e-9
    };
    if !same(&recomputed, &meta.overall) {
        problems.push(format!(
            "overall: run.yaml says {:.4} ({}/{}), samples give {:.4} ({}/{})",
            meta.overall.mean_score, meta.overall.passed, meta.overall.n, recomputed.mean_score, recomputed.passed, recomputed.n
        ));
    }
    if meta.samples != recomputed.n {
        problems.push(format!("run.yaml counts {} samples, samples.jsonl has {}", meta.samples, recomputed.n));
    }
    for (dim, stats) in &recomputed_dims {
        match meta.dimensions.get(dim) {
            Some(s) if same(s, stats) => {}
            Some(s) => problems.push(format!("{dim}: run.yaml says {:.4} ({}/{}), samples give {:.4} ({}/{})", s.mean_score, s.passed, s.n, stats.mean_score, stats.passed, stats.n)),
            None => problems.push(format!("{dim}: a grader of the eval, missing from run.yaml")),
        }
    }
    for dim in meta.dimensions.keys().filter(|d| !recomputed_dims.contains_key(*d)) {
        problems.push(format!("{dim}: in run.yaml, but the eval has no such grader"));
    }
    if let Some(all) = pass_k {
        if meta.pass_k.is_none_or(|k| (k - all).abs() > 1e-9) {
            problems.push(format!("pass^{}: run.yaml says {:?}, samples give {all:.4}", spec.repeat, meta.pass_k));
        }
    }
    if meta.gate.as_ref() != spec.gate.as_ref() {
        problems.push("run.yaml's `gate` is not the pinned eval's `gate:` block".into());
    }
    if verdict.pass != meta.verdict.pass {
        problems.push(format!(
            "gate: run.yaml says {}, the eval's gate on the samples gives {}",
            if meta.verdict.pass { "PASS" } else { "FAIL" },
            if verdict.pass { "PASS" } else { "FAIL" }
        ));
    }
    problems
}

/// Whether `run` evaluated every row of its pinned dataset `repeat` times, and nothing else.
/// `dataset_path` is the dataset's work-tree path (`datasets/capitals.jsonl`): its format is
/// the workspace's, never one the run's own tree suggests.
pub fn coverage(repo: &gix::Repository, run: &StoredRun, spec: &EvalSpec, dataset_path: &str) -> Coverage {
    let selection = run.meta.selection.as_ref().map(|s| s.describe());
    let Some((path, text)) = pinned_dataset(repo, run, dataset_path) else {
        return Coverage::Unknown {
            why: format!("dataset `{}` at {} is not among the run's inputs (recorded by an older llmops?)", run.meta.dataset.name, short(&run.meta.dataset.blob)),
        };
    };
    let format = DatasetFormat::from_extension(path.rsplit('.').next().unwrap_or_default()).unwrap_or(DatasetFormat::Jsonl);
    let mut expected: BTreeMap<(String, u32), u32> = BTreeMap::new();
    for row in RowReader::new(Path::new(&path), format, std::io::Cursor::new(text.into_bytes())) {
        match row {
            Ok(row) => {
                for k in 0..spec.repeat.max(1) {
                    expected.insert((row.id.clone(), k), 0);
                }
            }
            Err(d) => return Coverage::Unknown { why: format!("the pinned dataset does not parse: {}", d.message) },
        }
    }
    let mut samples = 0usize;
    let mut extra = 0usize;
    for line in run.samples_jsonl.split(|b| *b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)) {
        samples += 1;
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(line) else {
            extra += 1;
            continue;
        };
        let key = (crate::grade::text_of(&v["id"]), v["repeat"].as_u64().unwrap_or(0) as u32);
        match expected.get_mut(&key) {
            Some(seen) if *seen == 0 => *seen = 1,
            _ => extra += 1,
        }
    }
    let missing = expected.values().filter(|seen| **seen == 0).count();
    if missing == 0 && extra == 0 {
        Coverage::Complete
    } else {
        Coverage::Partial { samples, expected: expected.len(), missing, extra, selection }
    }
}

/// The row ids of the pinned dataset (at `path` among the run's inputs), in file order; `None`
/// when it is not there or does not parse.
pub fn pinned_row_ids(repo: &gix::Repository, run: &StoredRun, path: &str) -> Option<Vec<String>> {
    let (path, text) = pinned_dataset(repo, run, path)?;
    let format = DatasetFormat::from_extension(path.rsplit('.').next().unwrap_or_default()).unwrap_or(DatasetFormat::Jsonl);
    RowReader::new(Path::new(&path), format, std::io::Cursor::new(text.into_bytes())).map(|r| r.ok().map(|r| r.id)).collect()
}

/// The dataset file `path` among the run's inputs, if it holds the pinned blob: its text.
fn pinned_dataset(repo: &gix::Repository, run: &StoredRun, path: &str) -> Option<(String, String)> {
    let commit = repo.find_commit(run.id).ok()?;
    let tree = commit.tree().ok()?;
    let entry = tree.lookup_entry_by_path(format!("{INPUTS_DIR}/{path}")).ok()??;
    if entry.object_id().to_string() != run.meta.dataset.blob {
        return None;
    }
    let blob = repo.find_blob(entry.object_id()).ok()?;
    Some((path.to_owned(), String::from_utf8(blob.data.clone()).ok()?))
}
