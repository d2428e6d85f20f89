//! The per-run verdict: whether a run clears its eval's `gate:` block. Part of the run layer,
//! below the ledger and the gate: a run carries its verdict, the ledger records and verifies
//! it, the gate reads it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::stats::Stats;
use crate::spec::eval::GateSpec;

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Verdict {
    pub pass: bool,
    /// One line per rule: what was required and what the run had.
    pub reasons: Vec<String>,
}

/// Checks overall and per-dimension aggregates against the gate. An eval without a gate
/// passes. (`max_regression` needs a released version to compare with and is checked at
/// promotion.)
pub fn evaluate(gate: Option<&GateSpec>, overall: &Stats, dimensions: &BTreeMap<String, Stats>) -> Verdict {
    let Some(gate) = gate else {
        return Verdict { pass: true, reasons: vec!["no gate".into()] };
    };
    let mut pass = true;
    let mut reasons = Vec::new();
    // "ok: score 0.900 >= 0.8" or "FAIL: score 0.700 < 0.8".
    let mut check = |what: String, value: f64, min: f64| {
        let ok = value >= min;
        pass &= ok;
        reasons.push(if ok { format!("ok: {what} {value:.3} >= {min}") } else { format!("FAIL: {what} {value:.3} < {min}") });
    };
    if let Some(min) = gate.min_score {
        check("score".into(), overall.mean_score, min);
    }
    if let Some(min) = gate.min_pass_rate {
        if gate.use_lower_bound {
            check("pass rate lower bound".into(), overall.ci_low, min);
        } else {
            check("pass rate".into(), overall.pass_rate, min);
        }
    }
    for (dimension, min) in &gate.dimensions {
        // A dimension that no sample has counts as a score of 0.
        let value = dimensions.get(dimension).map(|s| s.mean_score).unwrap_or(0.0);
        check(dimension.clone(), value, *min);
    }
    if reasons.is_empty() {
        reasons.push("the gate sets no bar".into());
    }
    Verdict { pass, reasons }
}

/// `gate` without the per-dimension rules of `left_out` (judges that do not count for want of
/// calibration).
pub fn without_dimensions(gate: Option<&GateSpec>, left_out: &[&str]) -> Option<GateSpec> {
    gate.map(|g| {
        let mut g = g.clone();
        g.dimensions.retain(|d, _| !left_out.contains(&d.as_str()));
        g
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::stats::Accumulator;

    #[test]
    fn every_rule_is_checked_and_reported() {
        let mut acc = Accumulator::default();
        for i in 0..10 {
            acc.add(if i < 8 { 1.0 } else { 0.0 }, i < 8);
        }
        let overall = acc.stats();
        let dims: BTreeMap<String, Stats> = [("correct".to_owned(), overall)].into();
        let gate = GateSpec { min_pass_rate: Some(0.75), min_score: Some(0.9), ..Default::default() };
        let v = evaluate(Some(&gate), &overall, &dims);
        assert!(!v.pass);
        assert_eq!(v.reasons, ["FAIL: score 0.800 < 0.9", "ok: pass rate 0.800 >= 0.75"]);
        let gate = GateSpec { min_pass_rate: Some(0.75), use_lower_bound: true, ..Default::default() };
        assert!(!evaluate(Some(&gate), &overall, &dims).pass, "the lower bound of 8/10 is 0.49");
    }
}
