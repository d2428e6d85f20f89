//! Ranked-retrieval metrics with trec_eval's definitions: precision@k, recall@k, hit@k,
//! reciprocal rank, average precision and nDCG@k (graded relevance, linear gain).

use std::collections::HashMap;

/// Relevance grade of each relevant id (0 or absent: not relevant).
pub type Judgments = HashMap<String, f64>;

fn rel(judgments: &Judgments, id: &str) -> f64 {
    judgments.get(id).copied().unwrap_or(0.0)
}

fn relevant_count(judgments: &Judgments) -> usize {
    judgments.values().filter(|g| **g > 0.0).count()
}

/// |relevant ∩ top-k| / k
pub fn precision_at(ranked: &[String], judgments: &Judgments, k: usize) -> f64 {
    let hits = ranked.iter().take(k).filter(|id| rel(judgments, id) > 0.0).count();
    hits as f64 / k as f64
}

/// |relevant ∩ top-k| / |relevant|
pub fn recall_at(ranked: &[String], judgments: &Judgments, k: usize) -> f64 {
    let total = relevant_count(judgments);
    if total == 0 {
        return 0.0;
    }
    let hits = ranked.iter().take(k).filter(|id| rel(judgments, id) > 0.0).count();
    hits as f64 / total as f64
}

pub fn hit_at(ranked: &[String], judgments: &Judgments, k: usize) -> f64 {
    f64::from(u8::from(ranked.iter().take(k).any(|id| rel(judgments, id) > 0.0)))
}

/// 1 / rank of the first relevant id within the first `k` (all when `None`), else 0.
pub fn reciprocal_rank(ranked: &[String], judgments: &Judgments, k: Option<usize>) -> f64 {
    ranked
        .iter()
        .take(k.unwrap_or(usize::MAX))
        .position(|id| rel(judgments, id) > 0.0)
        .map(|i| 1.0 / (i + 1) as f64)
        .unwrap_or(0.0)
}

/// (1/|relevant|) Σ P@i · rel_i over the ranking (cut at `k` when given).
pub fn average_precision(ranked: &[String], judgments: &Judgments, k: Option<usize>) -> f64 {
    let total = relevant_count(judgments);
    if total == 0 {
        return 0.0;
    }
    let mut hits = 0usize;
    let mut sum = 0.0;
    for (i, id) in ranked.iter().take(k.unwrap_or(usize::MAX)).enumerate() {
        if rel(judgments, id) > 0.0 {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    sum / total as f64
}

/// DCG@k / IDCG@k with DCG = Σ gain_i / log2(i + 1), gain = the relevance grade.
pub fn ndcg_at(ranked: &[String], judgments: &Judgments, k: usize) -> f64 {
    let dcg: f64 = ranked.iter().take(k).enumerate().map(|(i, id)| rel(judgments, id) / ((i + 2) as f64).log2()).sum();
    let mut ideal: Vec<f64> = judgments.values().copied().filter(|g| *g > 0.0).collect();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let idcg: f64 = ideal.iter().take(k).enumerate().map(|(i, g)| g / ((i + 2) as f64).log2()).sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn judged(v: &[(&str, f64)]) -> Judgments {
        v.iter().map(|(k, g)| (k.to_string(), *g)).collect()
    }

    #[test]
    fn ndcg_matches_the_reference_example() {
        // Relevance [0, 1, 1] at ranks 1..3: DCG = 1/log2(3) + 1/log2(4) = 1.131,
        // IDCG = 1 + 1/log2(3) = 1.631, nDCG = 0.693 (linear gain).
        let j = judged(&[("b", 1.0), ("c", 1.0)]);
        let v = ndcg_at(&ids(&["a", "b", "c"]), &j, 3);
        assert!((v - 0.6934).abs() < 1e-4, "{v}");
    }

    #[test]
    fn precision_recall_hit_rr_ap() {
        // trec_eval definitions on ranking [x, r1, y, r2] with relevant {r1, r2, r3}.
        let j = judged(&[("r1", 1.0), ("r2", 1.0), ("r3", 1.0)]);
        let r = ids(&["x", "r1", "y", "r2"]);
        assert_eq!(precision_at(&r, &j, 2), 0.5);
        assert!((recall_at(&r, &j, 4) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(hit_at(&r, &j, 1), 0.0);
        assert_eq!(hit_at(&r, &j, 2), 1.0);
        assert_eq!(reciprocal_rank(&r, &j, None), 0.5);
        // AP = (1/3) * (1/2 + 2/4) = 1/3
        assert!((average_precision(&r, &j, None) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn graded_ndcg_orders_by_grade() {
        let j = judged(&[("a", 3.0), ("b", 1.0)]);
        assert_eq!(ndcg_at(&ids(&["a", "b"]), &j, 2), 1.0);
        assert!(ndcg_at(&ids(&["b", "a"]), &j, 2) < 1.0);
    }

    /// Values from ranx 0.3.21 (`precision@k`, `recall@k`, `hit_rate@k`, `mrr`, `mrr@k`, `map`, `map@k`,
    /// `ndcg@k`, the last with linear gain) on random cases; regenerate with `tests/reference/metrics.py`.
    #[test]
    fn metrics_match_ranx() {
        crate::grade::assert_matches_reference("retrieval", |c| {
            let ranked: Vec<String> =
                c["ranked"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
            let j: Judgments =
                c["relevant"].as_object().unwrap().iter().map(|(id, g)| (id.clone(), g.as_f64().unwrap())).collect();
            let k = usize::try_from(c["k"].as_u64().unwrap()).unwrap();
            vec![
                ("precision", precision_at(&ranked, &j, k)),
                ("recall", recall_at(&ranked, &j, k)),
                ("hit", hit_at(&ranked, &j, k)),
                ("mrr", reciprocal_rank(&ranked, &j, None)),
                ("mrr_at_k", reciprocal_rank(&ranked, &j, Some(k))),
                ("map", average_precision(&ranked, &j, None)),
                ("map_at_k", average_precision(&ranked, &j, Some(k))),
                ("ndcg", ndcg_at(&ranked, &j, k)),
            ]
        });
    }
}
