//! Human review and judge calibration: people label samples of recorded runs
//! ([`label`], and `llmops review` in the terminal), [`calibrate`] measures how far each judge
//! grader of an eval agrees with those labels and records it on the ledger, and [`uncalibrated`]
//! tells an evaluation which judges have not earned the right to count toward its verdict.

use std::collections::{BTreeMap, HashMap};

use crate::labels::{self, Label, LabelsError, Mark};
use crate::ledger::calibration::{CalibrationMeta, Disagreement, GraderCalibration, PeopleAgreement, ReviewerPair};
use crate::ledger::{self, LedgerError, Pin};
use crate::run::agreement::{self, Level};
use crate::run::SampleRecord;
use crate::spec::eval::{EvalSpec, GraderKind};
use crate::workspace::{Workspace, WorkspaceError};

#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Labels(#[from] LabelsError),
    #[error("run {run} has no sample `{sample}`{}", if .known.is_empty() { String::new() } else { format!(" (it has {})", .known) })]
    NoSample { run: String, sample: String, known: String },
    #[error("score {score} is outside the eval's scale [{lo}, {hi}]")]
    OffScale { score: f64, lo: f64, hi: f64 },
    #[error("eval `{eval}` has no judge grader{}", .grader.as_ref().map(|g| format!(" named `{g}`")).unwrap_or_default())]
    NoJudge { eval: String, grader: Option<String> },
    #[error("eval `{0}` has no labels yet (`.llmops/labels/{0}.jsonl`): label samples with `llmops review RUN` or `llmops label RUN SAMPLE --pass`")]
    NoLabels(String),
}

/// One sample of a run, as a reviewer sees it.
#[derive(Debug, Clone)]
pub struct ReviewItem {
    pub sample: SampleRecord,
    pub output_sha256: String,
    pub expected: Option<String>,
}

/// The run `run_spec` names (an id prefix, `EVAL` or `EVAL~N`): its id, eval and samples.
pub fn open_run(ws: &Workspace, run_spec: &str) -> Result<(ledger::StoredRun, Vec<SampleRecord>), CalibrationError> {
    let (id, eval) = ledger::resolve(&ws.repo, run_spec)?;
    crate::names::Name::parse(&eval).map_err(WorkspaceError::from)?;
    let run = ledger::load(&ws.repo, id, &eval)?;
    let samples = crate::run::read_samples(&run.samples_jsonl);
    Ok((run, samples))
}

/// The range people score on for eval `spec`: its first `json` judge's `scale`, else 0..1.
pub fn scale(spec: &EvalSpec) -> (f64, f64) {
    spec.graders
        .iter()
        .filter(|g| g.kind == GraderKind::Judge)
        .find_map(|g| match g.scale.as_deref() {
            Some([lo, hi]) if lo < hi => Some((*lo, *hi)),
            _ => None,
        })
        .unwrap_or((0.0, 1.0))
}

/// What [`label`] did.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub eval: String,
    pub label: Label,
    /// The reviewer's earlier label of the same output, which this one replaced.
    pub replaced: Option<Label>,
}

/// Finds sample `sample` (`ID`, or `ID#REPEAT`) of a run's samples.
pub fn find_sample<'a>(run: &str, samples: &'a [SampleRecord], sample: &str) -> Result<&'a SampleRecord, CalibrationError> {
    let (id, repeat) = match sample.rsplit_once('#') {
        Some((id, k)) if k.parse::<u32>().is_ok() => (id, k.parse::<u32>().ok()),
        _ => (sample, None),
    };
    samples.iter().find(|s| s.id == id && repeat.is_none_or(|k| s.repeat == k)).ok_or_else(|| CalibrationError::NoSample {
        run: crate::version::short_str(run).to_owned(),
        sample: sample.to_owned(),
        known: samples.iter().take(5).map(|s| format!("`{}`", s.id)).collect::<Vec<_>>().join(", "),
    })
}

/// Labels sample `sample` of run `run_spec` for the person at the keyboard (their git
/// identity): a score must lie on the eval's scale. Replaces their earlier label of the same
/// output.
pub fn label(ws: &Workspace, run_spec: &str, sample: &str, mark: Mark, note: Option<String>, expected: Option<String>) -> Result<Labelled, CalibrationError> {
    let (run, samples) = open_run(ws, run_spec)?;
    let found = find_sample(&run.id.to_string(), &samples, sample)?;
    check_mark(ws, &run.eval, mark)?;
    let label = new_label(ws, &run.id.to_string(), found, mark, note, expected)?;
    let replaced = labels::put(&ws.root, &run.eval, label.clone())?;
    Ok(Labelled { eval: run.eval, label, replaced })
}

/// A score label must lie on the eval's scale (the eval as the work tree has it).
pub fn check_mark(ws: &Workspace, eval: &str, mark: Mark) -> Result<(), CalibrationError> {
    if let Mark::Score(score) = mark {
        let (_, spec) = ws.load_eval(eval)?;
        let (lo, hi) = scale(&spec);
        if !(lo..=hi).contains(&score) {
            return Err(CalibrationError::OffScale { score, lo, hi });
        }
    }
    Ok(())
}

/// The label the person at the keyboard gives `sample` of run `run`.
pub fn new_label(ws: &Workspace, run: &str, sample: &SampleRecord, mark: Mark, note: Option<String>, expected: Option<String>) -> Result<Label, CalibrationError> {
    Ok(Label {
        id: sample.id.clone(),
        repeat: sample.repeat,
        output_sha256: labels::output_sha256(&sample.output),
        reviewer: labels::reviewer(&ws.repo)?,
        label: mark,
        note: note.filter(|n| !n.trim().is_empty()),
        expected,
        time: crate::report::now_seconds(),
        run: Some(run.to_owned()),
    })
}

/// A judge grader of an eval as the work tree has it: its prompt version and model now.
#[derive(Debug, Clone)]
struct CurrentJudge {
    dimension: String,
    prompt: Pin,
    model: Pin,
    scale: (f64, f64),
    threshold: f64,
    bar: Option<crate::spec::eval::CalibrationBar>,
}

/// Each judge grader of `spec` with its current prompt blob and model (config entry and id);
/// `model` is the model the eval runs on (a judge without one of its own uses it).
fn current_judges(ws: &Workspace, spec: &EvalSpec, model: Option<&str>) -> Result<Vec<CurrentJudge>, WorkspaceError> {
    let judges = crate::release::load_judges(ws, spec).map_err(|(_, e)| e)?;
    let judge_models: HashMap<String, Option<String>> = judges.iter().map(|j| (j.reference.clone(), j.prompt.model.clone())).collect();
    let model_name = crate::run::grader_model(spec, &|p| judge_models.get(p).cloned().flatten()).or(model.map(str::to_owned)).unwrap_or_default();
    let model_id = ws.config.models.get(&model_name).map(crate::engine::model_id).unwrap_or_default();
    let graders = crate::grade::build(&spec.graders).map_err(|e| WorkspaceError::Invalid(vec![crate::diagnostic::Diagnostic::new("evals", e.to_string())]))?;
    Ok(judges
        .iter()
        .map(|j| {
            let g = &spec.graders[j.grader];
            let scale = match g.scale.as_deref() {
                Some([lo, hi]) if lo < hi => (*lo, *hi),
                _ => (0.0, 1.0),
            };
            CurrentJudge {
                dimension: g.dimension(),
                prompt: Pin { name: j.reference.clone(), blob: j.source.blob.to_string() },
                model: Pin { name: model_name.clone(), blob: model_id.clone() },
                scale,
                threshold: graders.get(j.grader).map(|g| g.threshold()).unwrap_or(0.5),
                bar: g.calibration,
            }
        })
        .collect())
}

/// The model eval `spec` runs on without `--model`.
fn eval_model(ws: &Workspace, spec: &EvalSpec) -> Option<String> {
    let prompt_model = crate::release::load_prompt(ws, &spec.prompt).ok().and_then(|(_, p)| p.model);
    crate::run::model_name(None, Some(spec), prompt_model.as_deref(), &ws.config)
}

/// What [`calibrate`] found, and the calibration's commit when it was recorded.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub meta: CalibrationMeta,
    pub recorded: Option<String>,
    /// Per grader, whether it meets its `calibration:` bar (`None`: it declares none).
    pub bars: BTreeMap<String, Option<Result<String, String>>>,
}

/// How far each judge grader of `eval` (or only `grader`) agrees with the eval's labels, over
/// the outputs its current prompt version and model (the judge's own, else `model`, else the
/// eval's) graded in recorded runs; recorded on `refs/llmops/calibrations/<eval>` when
/// `record`.
pub fn calibrate(ws: &Workspace, eval: &str, grader: Option<&str>, model: Option<&str>, record: bool) -> Result<Calibration, CalibrationError> {
    crate::names::Name::parse(eval).map_err(WorkspaceError::from)?;
    let (_, spec) = ws.load_eval(eval)?;
    let all_labels = labels::read(&ws.root, eval)?;
    if all_labels.is_empty() {
        return Err(CalibrationError::NoLabels(eval.to_owned()));
    }
    let model = model.map(str::to_owned).or_else(|| eval_model(ws, &spec));
    let all_judges = current_judges(ws, &spec, model.as_deref())?;
    let judges: Vec<CurrentJudge> = all_judges.iter().filter(|j| grader.is_none_or(|g| g == j.dimension)).cloned().collect();
    if judges.is_empty() {
        return Err(CalibrationError::NoJudge { eval: eval.to_owned(), grader: grader.map(str::to_owned) });
    }
    let graders = measure(ws, eval, &judges, &all_labels)?;
    let bars = judges.iter().zip(&graders).map(|(j, g)| (j.dimension.clone(), j.bar.map(|bar| meets(&bar, g)))).collect();
    let labels_rel = labels::rel_path(eval);
    let labels_bytes = crate::workspace::files::read_if_exists(&ws.root, &labels_rel)?.unwrap_or_default();
    let meta = CalibrationMeta {
        eval: eval.to_owned(),
        labels: Pin { name: labels_rel, blob: crate::version::blob_id(&labels_bytes).to_string() },
        graders,
        // Between people, a score passes at the first judge's threshold, on the eval's scale.
        people: people_agreement(&all_labels, scale(&spec), all_judges.first().map(|j| j.threshold).unwrap_or(0.5)),
        time: crate::report::now_seconds(),
        llmops_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let recorded = if record { Some(ledger::calibration::record(&ws.repo_root(), &meta, &labels_bytes)?.to_string()) } else { None };
    Ok(Calibration { meta, recorded, bars })
}

/// Each judge's agreement with `all_labels`, over the outputs its current version graded in
/// the runs of `eval` on the ledger (newest grade first).
fn measure(ws: &Workspace, eval: &str, judges: &[CurrentJudge], all_labels: &[Label]) -> Result<Vec<GraderCalibration>, CalibrationError> {
    // Every grade the current judges gave, by (row id, output sha256), newest run first.
    let mut grades: Vec<HashMap<(String, String), crate::grade::Grade>> = vec![HashMap::new(); judges.len()];
    for entry in ledger::log(&ws.repo, eval)? {
        let Ok(id) = entry.id.parse() else { continue };
        // `run.yaml` first: only the runs a current judge graded are read in full.
        let Ok(meta) = ledger::load_meta(&ws.repo, id) else { continue };
        let model_id = meta.judge_model.as_ref().map(|m| m.id.clone()).unwrap_or_default();
        let wanted: Vec<usize> = (0..judges.len())
            .filter(|&i| model_id == judges[i].model.blob && meta.judges.iter().any(|p| *p == judges[i].prompt))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let Ok(run) = ledger::load(&ws.repo, id, eval) else { continue };
        for sample in crate::run::read_samples(&run.samples_jsonl) {
            let sha = labels::output_sha256(&sample.output);
            for &i in &wanted {
                if let Some(g) = sample.grades.get(&judges[i].dimension).filter(|g| !g.error) {
                    grades[i].entry((sample.id.clone(), sha.clone())).or_insert_with(|| g.clone());
                }
            }
        }
    }
    let mut graders = Vec::new();
    for (judge, grades) in judges.iter().zip(&grades) {
        let (lo, hi) = judge.scale;
        let passes = |mark: Mark| match mark {
            Mark::Pass => Some(1.0),
            Mark::Fail => Some(0.0),
            Mark::Score(x) if (lo..=hi).contains(&x) => Some(f64::from(u8::from((x - lo) / (hi - lo) >= judge.threshold - 1e-12))),
            Mark::Score(_) => None,
        };
        let (mut people, mut judged, mut people_scores, mut judged_scores, mut disagreements) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for l in all_labels {
            let (Some(grade), Some(human)) = (grades.get(&(l.id.clone(), l.output_sha256.clone())), passes(l.label)) else { continue };
            let machine = f64::from(u8::from(grade.pass));
            people.push(human);
            judged.push(machine);
            if let Mark::Score(x) = l.label {
                people_scores.push(x);
                judged_scores.push(((lo + grade.score * (hi - lo)) * 1e6).round() / 1e6);
            }
            if human != machine {
                disagreements.push(Disagreement {
                    id: l.id.clone(),
                    repeat: l.repeat,
                    reviewer: l.reviewer.clone(),
                    label: l.label.describe(),
                    judge: format!("{} ({})", if grade.pass { "pass" } else { "fail" }, crate::text::clip(&grade.reason, 120)),
                    note: l.note.clone(),
                });
            }
        }
        graders.push(GraderCalibration {
            grader: judge.dimension.clone(),
            judge_prompt: judge.prompt.clone(),
            judge_model: judge.model.clone(),
            labels: all_labels.len(),
            matched: people.len(),
            pass_fail: agreement::agreement(&people, &judged),
            scores: (!people_scores.is_empty()).then(|| agreement::agreement(&people_scores, &judged_scores)),
            disagreements,
        });
    }
    Ok(graders)
}

/// Whether a judge's measured agreement meets `bar`: `Ok(why)` or `Err(why not)`.
fn meets(bar: &crate::spec::eval::CalibrationBar, g: &GraderCalibration) -> Result<String, String> {
    let (kappa, labels) = (g.pass_fail.kappa.value, g.matched);
    let shown = kappa.map(|k| format!("{k:.3}")).unwrap_or_else(|| "undefined (one label value only)".into());
    let judge = format!("judge prompt `{}@{}` on `{}`", g.judge_prompt.name, crate::version::short_str(&g.judge_prompt.blob), g.judge_model.name);
    if labels < bar.min_labels as usize {
        return Err(format!("{labels} labels of outputs graded by {judge}, fewer than {}", bar.min_labels));
    }
    match kappa {
        Some(k) if k >= bar.min_kappa => Ok(format!("kappa {shown} >= {} over {labels} labels", bar.min_kappa)),
        _ => Err(format!("kappa {shown} < {} over {labels} labels of outputs graded by {judge}", bar.min_kappa)),
    }
}

/// Agreement between reviewers on the samples two or more of them labelled: pass/fail (a
/// score passes at `threshold` on `scale`) and scores.
fn people_agreement(all: &[Label], (lo, hi): (f64, f64), threshold: f64) -> Option<PeopleAgreement> {
    let mut by_sample: BTreeMap<(String, u32, String), BTreeMap<String, Mark>> = BTreeMap::new();
    for l in all {
        by_sample.entry((l.id.clone(), l.repeat, l.output_sha256.clone())).or_default().insert(l.reviewer.clone(), l.label);
    }
    let reviewers: Vec<String> = all.iter().map(|l| l.reviewer.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    if reviewers.len() < 2 {
        return None;
    }
    let pass = |m: &Mark| match m {
        Mark::Pass => 1.0,
        Mark::Fail => 0.0,
        Mark::Score(x) => f64::from(u8::from((x - lo) / (hi - lo) >= threshold - 1e-12)),
    };
    let shared: Vec<&BTreeMap<String, Mark>> = by_sample.values().filter(|r| r.len() >= 2).collect();
    let units: Vec<Vec<f64>> = shared.iter().map(|r| r.values().map(pass).collect()).collect();
    let score_units: Vec<Vec<f64>> = shared
        .iter()
        .map(|r| r.values().filter_map(|m| if let Mark::Score(x) = m { Some(*x) } else { None }).collect::<Vec<f64>>())
        .filter(|u| u.len() >= 2)
        .collect();
    let mut pairs = Vec::new();
    for (i, a) in reviewers.iter().enumerate() {
        for b in &reviewers[i + 1..] {
            let (xs, ys): (Vec<f64>, Vec<f64>) = by_sample.values().filter_map(|r| Some((pass(r.get(a)?), pass(r.get(b)?)))).unzip();
            if !xs.is_empty() {
                pairs.push(ReviewerPair { a: a.clone(), b: b.clone(), items: xs.len(), agreement: agreement::agreement(&xs, &ys) });
            }
        }
    }
    Some(PeopleAgreement {
        reviewers,
        units: shared.len(),
        alpha_pass_fail: agreement::krippendorff_alpha(&units, Level::Nominal),
        alpha_scores: (!score_units.is_empty()).then(|| agreement::krippendorff_alpha(&score_units, Level::Interval)).flatten(),
        pairs,
    })
}

/// The judge graders of `spec` with a `calibration:` bar (and a weight) whose agreement with
/// the eval's labels does not meet it, measured afresh from the labels file as the workspace has
/// it and the runs on the ledger (recorded calibrations are history, never trusted);
/// `model` is the model the eval runs on. None under `uncalibrated_judges: ignore`.
pub fn uncalibrated(ws: &Workspace, eval: &str, spec: &EvalSpec, model: Option<&str>, policy: crate::spec::config::Demand) -> Result<Vec<ledger::Uncalibrated>, CalibrationError> {
    use crate::spec::config::Demand;
    // A judge of weight 0 counts toward nothing anyway.
    let barred = |dimension: &str| spec.graders.iter().any(|g| g.kind == GraderKind::Judge && g.calibration.is_some() && g.weight > 0.0 && g.dimension() == dimension);
    if policy == Demand::Ignore || !spec.graders.iter().any(|g| barred(&g.dimension())) {
        return Ok(Vec::new());
    }
    let judges: Vec<CurrentJudge> = current_judges(ws, spec, model)?.into_iter().filter(|j| barred(&j.dimension)).collect();
    let all_labels = labels::read(&ws.root, eval)?;
    let measured = measure(ws, eval, &judges, &all_labels)?;
    Ok(judges
        .iter()
        .zip(&measured)
        .filter_map(|(j, g)| {
            let bar = j.bar?;
            meets(&bar, g).err().map(|reason| ledger::Uncalibrated { grader: j.dimension.clone(), reason, required: policy == Demand::Require })
        })
        .collect())
}

/// What [`curate`] added to a dataset.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Curated {
    pub path: String,
    /// Row ids added.
    pub added: Vec<String>,
    /// Row ids left out because the dataset has them already.
    pub existing: Vec<String>,
}

/// Appends samples of run `run_spec` to dataset `dataset` (created as JSONL when new) as rows:
/// their variables, the original row's labels and mocked tool results, and as `expected` the
/// answer a reviewer wrote, else the original row's, else the output a reviewer passed. Only
/// failed samples with `failed`, only labelled ones with `labelled`. A row id the dataset has
/// already is left out.
pub fn curate(ws: &Workspace, dataset: &str, run_spec: &str, failed: bool, labelled: bool) -> Result<Curated, CalibrationError> {
    let (run, samples) = open_run(ws, run_spec)?;
    let labels = labels::read(&ws.root, &run.eval)?;
    let originals = ws.pinned_rows(&run.meta.dataset.name, &run.meta.dataset.blob);
    let (_, spec) = ws.load_eval(&run.eval)?;
    let (_, hi) = scale(&spec);
    let mut existing_ids = std::collections::HashSet::new();
    match ws.open_dataset(dataset) {
        Ok((_, _, rows)) => existing_ids.extend(rows.filter_map(Result::ok).map(|r| r.id)),
        Err(WorkspaceError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let (mut rows, mut added, mut existing) = (Vec::new(), Vec::new(), Vec::new());
    for s in &samples {
        let sha = labels::output_sha256(&s.output);
        // The newest label of this output, whoever gave it.
        let label = labels.iter().filter(|l| l.id == s.id && l.output_sha256 == sha).max_by_key(|l| l.time);
        if (failed && s.pass) || (labelled && label.is_none()) {
            continue;
        }
        // A row's other repeats: one row is enough.
        if added.contains(&s.id) {
            continue;
        }
        if existing_ids.contains(&s.id) {
            if !existing.contains(&s.id) {
                existing.push(s.id.clone());
            }
            continue;
        }
        let base = originals.get(&s.id);
        // An output a reviewer passed outright (or scored at the top of the scale).
        let passed_by_person = label.is_some_and(|l| match l.label {
            Mark::Pass => true,
            Mark::Fail => false,
            Mark::Score(x) => x >= hi,
        });
        let expected = label
            .and_then(|l| l.expected.clone())
            .map(serde_json::Value::String)
            .or_else(|| base.and_then(|b| b.expected.clone()))
            .or_else(|| passed_by_person.then(|| serde_json::Value::String(s.output.clone())));
        let mut row_labels = base.map(|b| b.labels.clone()).unwrap_or_default();
        row_labels.push(format!("from-run-{}", crate::version::short_str(&run.id.to_string())));
        rows.push(crate::spec::dataset::Row {
            id: s.id.clone(),
            vars: s.vars.clone(),
            expected,
            relevant: base.map(|b| b.relevant.clone()).unwrap_or_default(),
            labels: row_labels,
            tool_results: base.map(|b| b.tool_results.clone()).unwrap_or_default(),
            line: 0,
        });
        added.push(s.id.clone());
    }
    let path = ws.append_rows(dataset, &rows)?;
    Ok(Curated { path, added, existing })
}

/// The samples of a run a reviewer goes through, and where they stopped.
#[derive(Debug, Clone)]
pub struct ReviewQueue {
    pub eval: String,
    pub run: String,
    pub items: Vec<ReviewItem>,
    /// The scale scores are given on.
    pub scale: (f64, f64),
    pub reviewer: String,
    /// The graders' dimensions in the eval's order (`--grader` first).
    pub dimensions: Vec<String>,
}

impl ReviewQueue {
    /// The reviewer's label of item `i`, from the labels as they are now.
    pub fn label_of<'a>(&self, labels: &'a [Label], i: usize) -> Option<&'a Label> {
        let item = &self.items[i];
        labels.iter().find(|l| l.id == item.sample.id && l.repeat == item.sample.repeat && l.output_sha256 == item.output_sha256 && l.reviewer == self.reviewer)
    }

    /// Where to resume: the first item the reviewer has not labelled (the first of all when
    /// every one is).
    pub fn resume_at(&self, labels: &[Label]) -> usize {
        (0..self.items.len()).find(|&i| self.label_of(labels, i).is_none()).unwrap_or(0)
    }
}

/// The samples of run `run_spec` to review: only failed ones with `failed`; only those grader
/// `grader` graded (and its grade shown first) with `grader`.
pub fn review_queue(ws: &Workspace, run_spec: &str, failed: bool, grader: Option<&str>) -> Result<ReviewQueue, CalibrationError> {
    let (run, samples) = open_run(ws, run_spec)?;
    let (_, spec) = ws.load_eval(&run.eval)?;
    let mut dimensions: Vec<String> = spec.graders.iter().map(|g| g.dimension()).collect();
    if let Some(g) = grader {
        let Some(i) = dimensions.iter().position(|d| d == g) else {
            return Err(CalibrationError::NoJudge { eval: run.eval.clone(), grader: Some(g.to_owned()) });
        };
        let first = dimensions.remove(i);
        dimensions.insert(0, first);
    }
    let expected: HashMap<String, String> = ws
        .pinned_rows(&run.meta.dataset.name, &run.meta.dataset.blob)
        .into_iter()
        .filter_map(|(id, r)| Some((id, crate::grade::text_of(r.expected.as_ref()?))))
        .collect();
    let items = samples
        .into_iter()
        .filter(|s| !failed || !s.pass)
        .filter(|s| grader.is_none_or(|g| s.grades.contains_key(g)))
        .map(|s| ReviewItem { output_sha256: labels::output_sha256(&s.output), expected: expected.get(&s.id).cloned(), sample: s })
        .collect();
    Ok(ReviewQueue { eval: run.eval.clone(), run: run.id.to_string(), items, scale: scale(&spec), reviewer: labels::reviewer(&ws.repo)?, dimensions })
}
