//! Aggregates: mean score, pass rate with its 95% Wilson interval; and the paired tests that
//! say whether two results on the same rows differ: McNemar's exact test for pass/fail, a
//! seeded paired bootstrap interval for scores.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub n: u64,
    pub passed: u64,
    pub mean_score: f64,
    pub pass_rate: f64,
    /// 95% Wilson score interval of the pass rate.
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Accumulates scores and passes, then summarises them.
#[derive(Debug, Clone, Default)]
pub struct Accumulator {
    n: u64,
    passed: u64,
    score_sum: f64,
}

impl Accumulator {
    pub fn add(&mut self, score: f64, pass: bool) {
        self.n += 1;
        self.passed += u64::from(pass);
        self.score_sum += score;
    }

    pub fn stats(&self) -> Stats {
        let (low, high) = wilson(self.passed, self.n);
        let n = self.n.max(1) as f64;
        Stats {
            n: self.n,
            passed: self.passed,
            mean_score: if self.n == 0 { 0.0 } else { self.score_sum / n },
            pass_rate: if self.n == 0 { 0.0 } else { self.passed as f64 / n },
            ci_low: low,
            ci_high: high,
        }
    }
}

/// The 95% Wilson score interval for `passed` successes in `n` trials.
pub fn wilson(passed: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = passed as f64 / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// McNemar's exact test (two-sided) of paired pass/fail results: `b` rows passed the first
/// and failed the second, `c` the other way round. The p-value, as statsmodels'
/// `mcnemar(table, exact=True)` gives it: twice the binomial probability of a count at most
/// `min(b, c)` in `b + c` fair trials, at most 1.
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    let n = b + c;
    let m = b.min(c);
    // ln C(n, k) + n ln(1/2), term by term, summed in log space.
    let base = n as f64 * 0.5f64.ln();
    let mut log_term = base;
    let mut terms = Vec::with_capacity(m as usize + 1);
    terms.push(log_term);
    for k in 1..=m {
        log_term += ((n - k + 1) as f64).ln() - (k as f64).ln();
        terms.push(log_term);
    }
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let cdf = top.exp() * terms.iter().map(|t| (t - top).exp()).sum::<f64>();
    (2.0 * cdf).min(1.0)
}

/// splitmix64: a small generator whose stream any language reproduces exactly.
pub(super) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 95% paired bootstrap interval of the mean difference `a - b` over the same rows:
/// `resamples` resamples of the rows (with replacement, drawn from `seed`), the 2.5th and
/// 97.5th percentiles of their means. An interval that excludes 0 says the two differ.
pub fn paired_bootstrap(a: &[f64], b: &[f64], seed: u64, resamples: usize) -> (f64, f64) {
    let diffs: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = diffs.len();
    if n == 0 || resamples == 0 {
        return (0.0, 0.0);
    }
    let mut state = seed;
    let mut means: Vec<f64> = (0..resamples)
        .map(|_| {
            let mut total = 0.0;
            for _ in 0..n {
                total += diffs[(splitmix64(&mut state) % n as u64) as usize];
            }
            total / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    (means[resamples * 25 / 1000], means[(resamples * 975).div_ceil(1000) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against statsmodels' McNemar on 300 tables and the reference bootstrap (the same
    /// generator and arithmetic, in Python) on 40 pairs of score lists:
    /// tests/reference/significance.py.
    #[test]
    fn paired_tests_match_their_references() {
        let data: serde_json::Value = serde_json::from_str(include_str!("../../tests/data/significance_reference.json")).unwrap();
        let tables = data["mcnemar"].as_array().unwrap();
        assert_eq!(tables.len(), 300);
        for t in tables {
            let want = t["p"].as_f64().unwrap();
            let got = mcnemar_exact(t["b"].as_u64().unwrap(), t["c"].as_u64().unwrap());
            // scipy rounds p-values below about 1e-300 to 0.
            assert!((got - want).abs() <= 1e-9 * want + 1e-250, "{t}: {got}");
        }
        let cases = data["bootstrap"].as_array().unwrap();
        assert_eq!(cases.len(), 40);
        for c in cases {
            let list = |k: &str| -> Vec<f64> { c[k].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect() };
            let seed: u64 = c["seed"].as_str().unwrap().parse().unwrap();
            let (lo, hi) = paired_bootstrap(&list("a"), &list("b"), seed, c["resamples"].as_u64().unwrap() as usize);
            assert_eq!((lo, hi), (c["low"].as_f64().unwrap(), c["high"].as_f64().unwrap()), "{c}");
        }
    }

    #[test]
    fn paired_tests_say_when_results_differ() {
        // Ten rows only the first passes, none the other way: significant; five each way: not.
        assert!(mcnemar_exact(10, 0) < 0.01);
        assert_eq!(mcnemar_exact(5, 5), 1.0);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        let a: Vec<f64> = (0..40).map(|i| 0.6 + f64::from(i % 5) * 0.05).collect();
        let b: Vec<f64> = a.iter().map(|x| x - 0.2).collect();
        let (lo, hi) = paired_bootstrap(&a, &b, 7, 2000);
        assert!(lo > 0.19 && hi < 0.21, "{lo} {hi}");
        let (lo, hi) = paired_bootstrap(&a, &a, 7, 2000);
        assert_eq!((lo, hi), (0.0, 0.0));
    }

    #[test]
    fn wilson_matches_statsmodels() {
        // statsmodels.stats.proportion.proportion_confint(17, 20, method="wilson")
        // = (0.6396, 0.9476)
        let (lo, hi) = wilson(17, 20);
        assert!((lo - 0.6396).abs() < 1e-4 && (hi - 0.9476).abs() < 1e-4, "{lo} {hi}");
        // proportion_confint(0, 10, method="wilson") = (0.0, 0.2775)
        let (lo, hi) = wilson(0, 10);
        assert!(lo.abs() < 1e-12 && (hi - 0.2775).abs() < 1e-4, "{lo} {hi}");
    }
}
