//! How far raters agree: a model judge with people (`llmops calibrate`), and people with each
//! other. Cohen's kappa as scikit-learn's `cohen_kappa_score` computes it, Krippendorff's alpha
//! as the `krippendorff` package does, and the tables around them: accuracy, the confusion
//! matrix, per-label precision and recall, and seeded bootstrap intervals. Checked against both
//! on random ratings (tests/reference/agreement.py).

use serde::{Deserialize, Serialize};

/// How Cohen's kappa weighs a disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// Any disagreement counts the same (nominal labels).
    Plain,
    /// By the squared distance between the labels' positions (ordinal scores).
    Quadratic,
}

/// Krippendorff's level of measurement: the distance between two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Nominal,
    Ordinal,
    Interval,
}

/// The distinct values of `values`, in order.
fn domain<'a>(values: impl IntoIterator<Item = &'a f64>) -> Vec<f64> {
    let mut d: Vec<f64> = values.into_iter().copied().filter(|v| !v.is_nan()).collect();
    d.sort_by(f64::total_cmp);
    d.dedup();
    d
}

fn position(domain: &[f64], v: f64) -> usize {
    domain.partition_point(|x| *x < v)
}

/// The confusion matrix of `a` (rows) against `b` (columns) over `labels`.
pub fn confusion(a: &[f64], b: &[f64], labels: &[f64]) -> Vec<Vec<u64>> {
    let mut m = vec![vec![0u64; labels.len()]; labels.len()];
    for (x, y) in a.iter().zip(b) {
        m[position(labels, *x)][position(labels, *y)] += 1;
    }
    m
}

/// Cohen's kappa between two raters of the same items; `None` where it is undefined (no
/// items, or one label only), as scikit-learn returns NaN.
pub fn cohen_kappa(a: &[f64], b: &[f64], weights: Weights) -> Option<f64> {
    let labels = domain(a.iter().chain(b));
    let c = confusion(a, b, &labels);
    let k = labels.len();
    let sum0: Vec<f64> = (0..k).map(|j| (0..k).map(|i| c[i][j] as f64).sum()).collect();
    let sum1: Vec<f64> = (0..k).map(|i| c[i].iter().map(|&x| x as f64).sum()).collect();
    let total: f64 = sum0.iter().sum();
    if total == 0.0 {
        return None;
    }
    let w = |i: usize, j: usize| match weights {
        Weights::Plain => f64::from(u8::from(i != j)),
        Weights::Quadratic => (i as f64 - j as f64).powi(2),
    };
    // scikit-learn's `expected` is outer(sum0, sum1) / total: row i pairs with sum0[i].
    let (mut observed, mut expected) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            observed += w(i, j) * c[i][j] as f64;
            expected += w(i, j) * (sum0[i] * sum1[j] / total);
        }
    }
    (expected != 0.0).then(|| 1.0 - observed / expected)
}

/// Krippendorff's alpha over units each rated by any number of raters (a unit's ratings,
/// missing ones left out); `None` where it is undefined (fewer than two values, or no unit
/// rated twice), as the `krippendorff` package refuses.
pub fn krippendorff_alpha(units: &[Vec<f64>], level: Level) -> Option<f64> {
    let values = domain(units.iter().flatten());
    let v = values.len();
    if v <= 1 || units.iter().all(|u| u.len() <= 1) {
        return None;
    }
    // The coincidence matrix: within each unit, every ordered pair of ratings by different
    // raters, weighted 1 / (ratings in the unit - 1).
    let mut o = vec![vec![0.0f64; v]; v];
    for unit in units {
        let mut counts = vec![0.0f64; v];
        for x in unit {
            counts[position(&values, *x)] += 1.0;
        }
        let pairable = (unit.len() as f64).max(2.0);
        for c in 0..v {
            for k in 0..v {
                let pairs = counts[c] * counts[k] - if c == k { counts[c] } else { 0.0 };
                o[c][k] += pairs / (pairable - 1.0);
            }
        }
    }
    let n_v: Vec<f64> = (0..v).map(|k| (0..v).map(|c| o[c][k]).sum()).collect();
    let n: f64 = n_v.iter().sum();
    let delta = |c: usize, k: usize| -> f64 {
        match level {
            Level::Nominal => f64::from(u8::from(c != k)),
            Level::Interval => (values[c] - values[k]).powi(2),
            Level::Ordinal => {
                let (lo, hi) = (c.min(k), c.max(k));
                let between: f64 = n_v[lo..=hi].iter().sum();
                (between - (n_v[lo] + n_v[hi]) / 2.0).powi(2)
            }
        }
    };
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..v {
        for k in 0..v {
            let d = delta(c, k);
            observed += o[c][k] * d;
            let e = (n_v[c] * n_v[k] - if c == k { n_v[c] } else { 0.0 }) / (n - 1.0);
            expected += e * d;
        }
    }
    (expected != 0.0 && expected.is_finite()).then(|| 1.0 - observed / expected)
}

/// One label's precision and recall, the reference rater's labels taken as the truth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerLabel {
    pub label: f64,
    /// Items the reference rater gave this label.
    pub support: u64,
    /// Of the items the other rater gave this label, the share the reference agrees on.
    pub precision: Option<f64>,
    /// Of the items the reference gave this label, the share the other rater found.
    pub recall: Option<f64>,
}

/// A statistic and its 95% bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Everything `calibrate` says of two raters on the same items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub items: usize,
    pub accuracy: Estimate,
    /// Cohen's kappa, unweighted.
    pub kappa: Estimate,
    /// Cohen's kappa, quadratic-weighted (ordinal scores).
    pub kappa_quadratic: Estimate,
    pub alpha_nominal: Estimate,
    pub alpha_ordinal: Estimate,
    pub alpha_interval: Estimate,
    /// The labels, in order, of the confusion matrix's rows (the reference) and columns.
    pub labels: Vec<f64>,
    pub confusion: Vec<Vec<u64>>,
    pub per_label: Vec<PerLabel>,
}

/// Resamples of the bootstrap, and its fixed seed: the same ratings give the same intervals.
pub const RESAMPLES: usize = 1000;
const SEED: u64 = 0x6361_6c69_6272_6174;

/// How far `other` agrees with `reference` on the same items, with 95% bootstrap intervals
/// (the items resampled with replacement, seeded).
pub fn agreement(reference: &[f64], other: &[f64]) -> Agreement {
    let n = reference.len().min(other.len());
    let (reference, other) = (&reference[..n], &other[..n]);
    let labels = domain(reference.iter().chain(other));
    let c = confusion(reference, other, &labels);
    let stats = |a: &[f64], b: &[f64]| -> [Option<f64>; 6] {
        let units: Vec<Vec<f64>> = a.iter().zip(b).map(|(x, y)| vec![*x, *y]).collect();
        [
            (!a.is_empty()).then(|| a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64),
            cohen_kappa(a, b, Weights::Plain),
            cohen_kappa(a, b, Weights::Quadratic),
            krippendorff_alpha(&units, Level::Nominal),
            krippendorff_alpha(&units, Level::Ordinal),
            krippendorff_alpha(&units, Level::Interval),
        ]
    };
    let point = stats(reference, other);
    // The bootstrap: each resample's statistics, then the 2.5th and 97.5th percentiles of
    // those that are defined.
    let mut draws: [Vec<f64>; 6] = Default::default();
    let mut state = SEED;
    let (mut ra, mut rb) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..if n == 0 { 0 } else { RESAMPLES } {
        ra.clear();
        rb.clear();
        for _ in 0..n {
            let i = (super::stats::splitmix64(&mut state) % n as u64) as usize;
            ra.push(reference[i]);
            rb.push(other[i]);
        }
        for (d, s) in draws.iter_mut().zip(stats(&ra, &rb)) {
            d.extend(s);
        }
    }
    let mut estimate = |i: usize| -> Estimate {
        let d = &mut draws[i];
        d.sort_by(f64::total_cmp);
        let (low, high) = if d.is_empty() { (None, None) } else { (Some(d[d.len() * 25 / 1000]), Some(d[(d.len() * 975).div_ceil(1000) - 1])) };
        Estimate { value: point[i], low, high }
    };
    let per_label = (0..labels.len())
        .map(|i| {
            let support: u64 = c[i].iter().sum();
            let predicted: u64 = c.iter().map(|row| row[i]).sum();
            PerLabel {
                label: labels[i],
                support,
                precision: (predicted > 0).then(|| c[i][i] as f64 / predicted as f64),
                recall: (support > 0).then(|| c[i][i] as f64 / support as f64),
            }
        })
        .collect();
    Agreement {
        items: n,
        accuracy: estimate(0),
        kappa: estimate(1),
        kappa_quadratic: estimate(2),
        alpha_nominal: estimate(3),
        alpha_ordinal: estimate(4),
        alpha_interval: estimate(5),
        labels,
        confusion: c,
        per_label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: Option<f64>, want: &serde_json::Value, what: &str) {
        match (got, want.as_f64()) {
            (None, None) => {}
            (Some(g), Some(w)) => assert!((g - w).abs() <= 1e-9, "{what}: {g} against {w}"),
            _ => panic!("{what}: {got:?} against {want}"),
        }
    }

    /// Against scikit-learn and the `krippendorff` package on 300 random cases each.
    #[test]
    fn kappa_and_alpha_match_their_references() {
        let data: serde_json::Value = serde_json::from_str(include_str!("../../tests/data/agreement_reference.json")).unwrap();
        let list = |v: &serde_json::Value| -> Vec<f64> { v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
        let kappa = data["kappa"].as_array().unwrap();
        assert_eq!(kappa.len(), 300);
        let mut defined = 0;
        for c in kappa {
            let (a, b) = (list(&c["a"]), list(&c["b"]));
            close(cohen_kappa(&a, &b, Weights::Plain), &c["plain"], &format!("plain kappa of {c}"));
            close(cohen_kappa(&a, &b, Weights::Quadratic), &c["quadratic"], &format!("quadratic kappa of {c}"));
            defined += usize::from(c["plain"].is_f64());
        }
        assert!(defined > 250, "most cases are defined: {defined}");
        let alpha = data["alpha"].as_array().unwrap();
        assert_eq!(alpha.len(), 300);
        for c in alpha {
            let units: Vec<Vec<f64>> = c["units"].as_array().unwrap().iter().map(|u| u.as_array().unwrap().iter().filter_map(|x| x.as_f64()).collect()).collect();
            for (level, key) in [(Level::Nominal, "nominal"), (Level::Ordinal, "ordinal"), (Level::Interval, "interval")] {
                close(krippendorff_alpha(&units, level), &c[key], &format!("{key} alpha of {c}"));
            }
        }
    }

    #[test]
    fn the_tables_and_intervals_describe_the_ratings() {
        // People: 6 pass, 4 fail; the judge misses two passes and one fail.
        let people = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        let judge = [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        let a = agreement(&people, &judge);
        assert_eq!(a.labels, [0.0, 1.0]);
        assert_eq!(a.confusion, [[3, 1], [2, 4]]);
        assert_eq!(a.accuracy.value, Some(0.7));
        assert_eq!(a.per_label[1], PerLabel { label: 1.0, support: 6, precision: Some(0.8), recall: Some(4.0 / 6.0) });
        for e in [a.accuracy, a.kappa, a.alpha_nominal] {
            let (v, lo, hi) = (e.value.unwrap(), e.low.unwrap(), e.high.unwrap());
            assert!(lo < v && v < hi, "{e:?}");
        }
        // Perfect agreement: kappa 1, and an interval that is a point.
        let a = agreement(&people, &people);
        assert_eq!((a.kappa.value, a.kappa.low, a.kappa.high), (Some(1.0), Some(1.0), Some(1.0)));
        // One label only: kappa is undefined, accuracy is not.
        let a = agreement(&[1.0, 1.0], &[1.0, 1.0]);
        assert_eq!((a.kappa.value, a.accuracy.value), (None, Some(1.0)));
        assert_eq!(agreement(&[], &[]).kappa, Estimate { value: None, low: None, high: None });
    }
}
