//! Two recorded runs side by side: per-dimension deltas, rows that flipped, the pins that
//! changed, and the regression rule (`llmops diff --exit-code`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{RunMeta, StoredRun};
use crate::version::short_str;

/// One dimension (or `overall`) of run A against run B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionDelta {
    pub dimension: String,
    /// `None` when run A has no such dimension.
    pub a: Option<f64>,
    pub b: f64,
    pub pass_rate_a: Option<f64>,
    pub pass_rate_b: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDiff {
    pub a: String,
    pub b: String,
    pub dimensions: Vec<DimensionDelta>,
    /// Row ids that passed in A and fail in B (per repeat, so an id may appear twice).
    pub pass_to_fail: Vec<String>,
    pub fail_to_pass: Vec<String>,
    /// `what: a -> b` for each pinned file, model or parameter set that differs.
    pub changed_pins: Vec<String>,
    /// B regresses against A: a lower overall score, or any row that went from pass to fail.
    pub regressed: bool,
    /// Whether the two differ beyond chance, over the samples both runs have.
    pub paired: Paired,
}

/// The paired tests over the samples (row and repeat) both runs have.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paired {
    pub samples: usize,
    /// The rows those samples are of (their repeats count as one).
    pub rows: usize,
    /// McNemar's exact test of the rows whose pass/fail flipped (two-sided; a row passes when
    /// all its repeats pass).
    pub mcnemar_p: f64,
    /// The 95% paired bootstrap interval of the mean score of B minus A, resampling rows
    /// (with their repeats).
    pub score_delta_low: f64,
    pub score_delta_high: f64,
}

impl Paired {
    /// At the 5% level, by McNemar's test of the pass/fail flips. (The bootstrap interval of
    /// the scores is shown beside it, not counted: a percentile interval over a few samples is
    /// too narrow to decide on.)
    pub fn significant(&self) -> bool {
        self.mcnemar_p < 0.05
    }
}

/// Resamples of the paired bootstrap, and its fixed seed: the same runs always give the same
/// interval.
const RESAMPLES: usize = 2000;
const SEED: u64 = 0x6c6c_6d6f_7073;

/// Each sample's pass and score, by (row id, repeat).
fn outcomes(samples_jsonl: &[u8]) -> BTreeMap<(String, u64), (bool, f64)> {
    crate::run::read_samples(samples_jsonl).into_iter().map(|s| ((s.id, u64::from(s.repeat)), (s.pass, s.score))).collect()
}

/// The paired tests of B against A over the samples both have.
fn paired(oa: &BTreeMap<(String, u64), (bool, f64)>, ob: &BTreeMap<(String, u64), (bool, f64)>) -> Paired {
    let samples = ob.keys().filter(|k| oa.contains_key(*k)).count();
    // The bootstrap resamples rows, not samples: a row's repeats share its input and are not
    // independent draws. Each row contributes the mean of its repeats (with one repeat per
    // row, the samples themselves).
    // McNemar's test likewise counts rows: a row passes when all its repeats pass.
    let mut by_row: BTreeMap<&str, (f64, f64, f64, bool, bool)> = BTreeMap::new();
    for (key, b) in ob {
        if let Some(a) = oa.get(key) {
            let e = by_row.entry(key.0.as_str()).or_insert((0.0, 0.0, 0.0, true, true));
            *e = (e.0 + b.1, e.1 + a.1, e.2 + 1.0, e.3 && a.0, e.4 && b.0);
        }
    }
    let flips = |from: bool| by_row.values().filter(|r| r.3 == from && r.4 != from).count() as u64;
    let scores_b: Vec<f64> = by_row.values().map(|r| r.0 / r.2).collect();
    let scores_a: Vec<f64> = by_row.values().map(|r| r.1 / r.2).collect();
    let (low, high) = crate::run::stats::paired_bootstrap(&scores_b, &scores_a, SEED, RESAMPLES);
    Paired { samples, rows: by_row.len(), mcnemar_p: crate::run::stats::mcnemar_exact(flips(true), flips(false)), score_delta_low: low, score_delta_high: high }
}

fn changed_pins(ma: &RunMeta, mb: &RunMeta) -> Vec<String> {
    let mut pins = Vec::new();
    for (what, x, y) in [
        ("eval", &ma.eval.blob, &mb.eval.blob),
        ("prompt", &ma.prompt.blob, &mb.prompt.blob),
        ("dataset", &ma.dataset.blob, &mb.dataset.blob),
    ] {
        if x != y {
            pins.push(format!("{what}: {} -> {}", short_str(x), short_str(y)));
        }
    }
    let model = |m: &RunMeta| {
        m.model
            .as_ref()
            .map(|m| format!("{} {}", m.name, m.id))
            .unwrap_or_default()
    };
    if model(ma) != model(mb) {
        pins.push(format!("model: {} -> {}", model(ma), model(mb)));
    }
    let params = |m: &RunMeta| {
        m.model
            .as_ref()
            .map(|m| m.params.to_string())
            .unwrap_or_default()
    };
    if params(ma) != params(mb) {
        pins.push(format!("params: {} -> {}", params(ma), params(mb)));
    }
    pins
}

/// The cells of an experiment side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    pub cells: Vec<CellSummary>,
    /// Per dimension (and `overall`), the cell with the highest mean score (the first among
    /// equals).
    pub best: BTreeMap<String, usize>,
    /// The best cell overall against the runner-up, over the samples both ran.
    pub versus: Option<Versus>,
    /// Each sample (row and repeat) in every cell, in the first cell's order.
    pub rows: Vec<RowCells>,
}

/// One sample across the cells: its pass, score and output in each (`None` where a cell did
/// not run it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowCells {
    pub id: String,
    pub repeat: u32,
    pub cells: Vec<Option<CellSample>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellSample {
    pub pass: bool,
    pub score: f64,
    pub output: String,
}

impl RowCells {
    /// Whether the cells that ran the sample disagree on its pass.
    pub fn disagree(&self) -> bool {
        let mut passes = self.cells.iter().flatten().map(|c| c.pass);
        passes.next().is_some_and(|first| passes.any(|p| p != first))
    }
}

/// A cell to compare: its run (`None` when not recorded), metadata and samples.
pub struct CellRun<'a> {
    pub run: Option<String>,
    pub meta: &'a RunMeta,
    pub samples_jsonl: &'a [u8],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellSummary {
    /// The recorded run; `None` with `--no-record`.
    pub run: Option<String>,
    pub prompt: String,
    pub prompt_version: String,
    /// The model's name in the config; `None` for outputs graded from a file.
    pub model: Option<String>,
    /// Mean score per dimension, and `overall`.
    pub scores: BTreeMap<String, f64>,
    pub pass_rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub output_tokens: u64,
    pub wall_s: f64,
    pub gate_pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Versus {
    pub best: usize,
    pub runner_up: usize,
    pub paired: Paired,
}

/// The recorded cells of an experiment compared: each cell's scores, pass rate with its
/// interval, tokens and time; the best per dimension; and whether the best overall differs
/// from the runner-up beyond chance.
pub fn matrix(runs: &[CellRun<'_>]) -> Matrix {
    let cells: Vec<CellSummary> = runs
        .iter()
        .map(|r| {
            let m = r.meta;
            let mut scores: BTreeMap<String, f64> = m.dimensions.iter().map(|(d, s)| (d.clone(), s.mean_score)).collect();
            scores.insert("overall".into(), m.overall.mean_score);
            CellSummary {
                run: r.run.clone(),
                prompt: m.prompt.name.clone(),
                prompt_version: short_str(&m.prompt.blob).to_owned(),
                model: m.model.as_ref().map(|p| p.name.clone()),
                scores,
                pass_rate: m.overall.pass_rate,
                ci_low: m.overall.ci_low,
                ci_high: m.overall.ci_high,
                output_tokens: m.output_tokens,
                wall_s: (m.finished - m.started) as f64,
                gate_pass: m.verdict.pass,
            }
        })
        .collect();
    let mut best = BTreeMap::new();
    for dimension in cells.iter().flat_map(|c| c.scores.keys()).collect::<std::collections::BTreeSet<_>>() {
        let score = |i: usize| cells[i].scores.get(dimension).copied().unwrap_or(f64::NEG_INFINITY);
        if let Some(top) = (0..cells.len()).reduce(|a, b| if score(b) > score(a) { b } else { a }) {
            best.insert(dimension.clone(), top);
        }
    }
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by(|&a, &b| cells[b].scores["overall"].total_cmp(&cells[a].scores["overall"]).then(a.cmp(&b)));
    let versus = match order[..] {
        [first, second, ..] => {
            let (oa, ob) = (outcomes(runs[second].samples_jsonl), outcomes(runs[first].samples_jsonl));
            Some(Versus { best: first, runner_up: second, paired: paired(&oa, &ob) })
        }
        _ => None,
    };
    // Samples by (id, repeat) per cell; the order is the first cell's, then any others'.
    let samples: Vec<Vec<crate::run::SampleRecord>> = runs.iter().map(|r| crate::run::read_samples(r.samples_jsonl)).collect();
    let mut keys: Vec<(String, u32)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in samples.iter().flatten() {
        if seen.insert((s.id.clone(), s.repeat)) {
            keys.push((s.id.clone(), s.repeat));
        }
    }
    let index: Vec<std::collections::HashMap<(String, u32), &crate::run::SampleRecord>> =
        samples.iter().map(|cell| cell.iter().map(|s| ((s.id.clone(), s.repeat), s)).collect()).collect();
    let rows = keys
        .into_iter()
        .map(|key| RowCells {
            cells: index.iter().map(|cell| cell.get(&key).map(|s| CellSample { pass: s.pass, score: s.score, output: s.output.clone() })).collect(),
            id: key.0,
            repeat: key.1,
        })
        .collect();
    Matrix { cells, best, versus, rows }
}

/// Compares run `b` with the base run `a`.
pub fn compare(a: &StoredRun, b: &StoredRun) -> RunDiff {
    let (oa, ob) = (outcomes(&a.samples_jsonl), outcomes(&b.samples_jsonl));
    let flipped = |to: bool| -> Vec<String> {
        ob.iter()
            .filter(|(k, (p, _))| *p == to && oa.get(*k).is_some_and(|(q, _)| *q != to))
            .map(|(k, _)| k.0.clone())
            .collect()
    };
    let (pass_to_fail, fail_to_pass) = (flipped(false), flipped(true));
    let (ma, mb) = (&a.meta, &b.meta);
    let dimensions = mb
        .dimensions
        .iter()
        .map(|(d, s)| (d.as_str(), s, ma.dimensions.get(d)))
        .chain(std::iter::once(("overall", &mb.overall, Some(&ma.overall))))
        .map(|(d, sb, sa)| DimensionDelta {
            dimension: d.to_owned(),
            a: sa.map(|s| s.mean_score),
            b: sb.mean_score,
            pass_rate_a: sa.map(|s| s.pass_rate),
            pass_rate_b: sb.pass_rate,
        })
        .collect();
    let regressed =
        !pass_to_fail.is_empty() || mb.overall.mean_score < ma.overall.mean_score - 1e-12;
    RunDiff {
        a: a.id.to_string(),
        b: b.id.to_string(),
        dimensions,
        pass_to_fail,
        fail_to_pass,
        changed_pins: changed_pins(ma, mb),
        regressed,
        paired: paired(&oa, &ob),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Pin;
    use crate::run::stats::Stats;

    fn run(
        overall: f64,
        dims: &[(&str, f64)],
        samples: &[(&str, u64, bool)],
        prompt: &str,
    ) -> StoredRun {
        let pin = |name: &str, blob: &str| Pin {
            name: name.into(),
            blob: blob.into(),
        };
        let stats = |s: f64| Stats {
            n: 4,
            passed: 2,
            mean_score: s,
            pass_rate: 0.5,
            ci_low: 0.0,
            ci_high: 1.0,
        };
        let meta_json = serde_json::json!({
            "eval": pin("e", "aaaa"), "prompt": pin("p", prompt), "dataset": pin("d", "cccc"),
            "model": null, "llmops_version": "0", "source": {"commit": null, "dirty": false},
            "started": 0, "finished": 0, "input_tokens": 0, "output_tokens": 0, "samples": 0, "rows": 0,
            "verdict": {"pass": true, "reasons": []}, "overall": stats(overall),
            "dimensions": dims.iter().map(|(d, s)| (d.to_string(), stats(*s))).collect::<BTreeMap<_, _>>(),
        });
        let meta: RunMeta = match serde_json::from_value(meta_json.clone()) {
            Ok(m) => m,
            Err(e) => panic!("{e}: a RunMeta field is missing from the test's JSON {meta_json}"),
        };
        let samples_jsonl = samples
            .iter()
            .map(|(id, repeat, pass)| {
                serde_json::json!({"id": id, "repeat": repeat, "pass": pass}).to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes();
        StoredRun {
            id: gix::ObjectId::empty_blob(gix::hash::Kind::Sha1),
            eval: "e".into(),
            meta,
            samples_jsonl,
        }
    }

    #[test]
    fn the_bootstrap_resamples_rows_with_their_repeats() {
        let outcomes = |rows: &[(&str, &[f64])]| -> BTreeMap<(String, u64), (bool, f64)> {
            rows.iter().flat_map(|(id, scores)| scores.iter().enumerate().map(move |(k, s)| ((id.to_string(), k as u64), (*s >= 0.5, *s)))).collect()
        };
        // One row, four repeats: every resample draws that row, so the interval is its mean
        // difference exactly (resampling samples would spread it).
        let p = paired(&outcomes(&[("r1", &[0.0, 1.0, 0.0, 1.0])]), &outcomes(&[("r1", &[1.0, 1.0, 1.0, 1.0])]));
        assert_eq!((p.samples, p.score_delta_low, p.score_delta_high), (4, 0.5, 0.5));
        // Two rows whose repeats differ by 0 and by 1 on average: the interval spans 0 to 1.
        let p = paired(&outcomes(&[("r1", &[1.0, 1.0]), ("r2", &[0.0, 0.0])]), &outcomes(&[("r1", &[1.0, 1.0]), ("r2", &[1.0, 1.0])]));
        assert_eq!((p.score_delta_low, p.score_delta_high), (0.0, 1.0));
        // McNemar counts rows: two rows that flip on all of three repeats are two flips (p =
        // 0.5), not six (p = 0.03).
        let p = paired(&outcomes(&[("r1", &[1.0; 3]), ("r2", &[1.0; 3])]), &outcomes(&[("r1", &[0.0; 3]), ("r2", &[0.0; 3])]));
        assert_eq!((p.samples, p.rows, p.mcnemar_p), (6, 2, 0.5));
    }

    #[test]
    fn a_row_that_flips_to_fail_regresses_even_when_the_score_rises() {
        let a = run(0.5, &[], &[("r1", 0, true), ("r2", 0, false)], "bbbb");
        let b = run(0.6, &[], &[("r1", 0, false), ("r2", 0, true)], "bbbb");
        let d = compare(&a, &b);
        assert_eq!(d.pass_to_fail, ["r1"]);
        assert_eq!(d.fail_to_pass, ["r2"]);
        assert!(d.regressed);
        assert!(d.changed_pins.is_empty(), "{:?}", d.changed_pins);
    }

    #[test]
    fn a_lower_score_regresses_and_an_equal_one_does_not() {
        let same = [("r1", 0, true)];
        let a = run(0.5, &[], &same, "bbbb");
        assert!(compare(&a, &run(0.49, &[], &same, "bbbb")).regressed);
        assert!(!compare(&a, &run(0.5, &[], &same, "bbbb")).regressed);
        assert!(!compare(&a, &run(0.7, &[], &same, "bbbb")).regressed);
    }

    #[test]
    fn repeats_are_matched_separately_and_new_rows_do_not_flip() {
        let a = run(0.5, &[], &[("r1", 0, true), ("r1", 1, false)], "bbbb");
        let b = run(
            0.5,
            &[],
            &[("r1", 0, true), ("r1", 1, true), ("new", 0, false)],
            "bbbb",
        );
        let d = compare(&a, &b);
        assert_eq!(d.fail_to_pass, ["r1"]);
        assert!(d.pass_to_fail.is_empty());
        assert!(!d.regressed);
    }

    #[test]
    fn dimensions_missing_from_a_have_no_delta_and_pins_name_the_change() {
        let a = run(0.5, &[("style", 0.4)], &[], "bbbb");
        let b = run(0.5, &[("style", 0.6), ("facts", 0.9)], &[], "dddd");
        let d = compare(&a, &b);
        let names: Vec<&str> = d.dimensions.iter().map(|x| x.dimension.as_str()).collect();
        assert_eq!(names, ["facts", "style", "overall"]);
        assert_eq!(d.dimensions[0].a, None);
        assert_eq!(d.dimensions[1].a, Some(0.4));
        assert_eq!(d.changed_pins, ["prompt: bbbb -> dddd"]);
    }
}
