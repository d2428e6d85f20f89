//! Aggregates: mean score, pass rate with its 95% Wilson interval.

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

#[cfg(test)]
mod tests {
    use super::*;

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
