//! N-gram overlap metrics with the reference packages' tokenisation: ROUGE as Google's
//! `rouge-score` computes it (no stemming), and sentence BLEU as `sacreBLEU` does (13a
//! tokenisation, exponential smoothing, effective order).

use std::collections::HashMap;

/// `rouge-score`'s tokenizer: lower case, every run of non-alphanumerics is a separator.
fn rouge_tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn ngrams(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    if tokens.len() >= n {
        for w in tokens.windows(n) {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    counts
}

fn f_measure(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 }
}

/// ROUGE-N F-measure of `prediction` against `target`.
pub fn rouge_n(target: &str, prediction: &str, n: usize) -> f64 {
    let t = rouge_tokens(target);
    let p = rouge_tokens(prediction);
    let tn = ngrams(&t, n);
    let pn = ngrams(&p, n);
    let overlap: usize = tn.iter().map(|(g, c)| (*c).min(pn.get(g).copied().unwrap_or(0))).sum();
    let t_total: usize = tn.values().sum();
    let p_total: usize = pn.values().sum();
    let precision = overlap as f64 / p_total.max(1) as f64;
    let recall = overlap as f64 / t_total.max(1) as f64;
    f_measure(precision, recall)
}

/// ROUGE-L F-measure: longest common subsequence of tokens.
pub fn rouge_l(target: &str, prediction: &str) -> f64 {
    let t = rouge_tokens(target);
    let p = rouge_tokens(prediction);
    if t.is_empty() || p.is_empty() {
        return 0.0;
    }
    let mut prev = vec![0usize; p.len() + 1];
    for ti in &t {
        let mut cur = vec![0usize; p.len() + 1];
        for (j, pj) in p.iter().enumerate() {
            cur[j + 1] = if ti == pj { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        prev = cur;
    }
    let lcs = prev[p.len()] as f64;
    f_measure(lcs / p.len() as f64, lcs / t.len() as f64)
}

/// sacreBLEU's `13a` tokenizer (mteval-v13a): its four substitutions, applied one after the
/// other as its regular expressions do (a character one consumed cannot start the next: `x..5`
/// gives `x . .5`).
fn tokenize_13a(text: &str) -> Vec<String> {
    use regex::Regex;
    use std::sync::LazyLock;
    static RULES: LazyLock<[(Regex, &str); 4]> = LazyLock::new(|| {
        let re = |p: &str| Regex::new(p).expect("a valid pattern");
        [
            (re(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), " $1 "),
            (re(r"([^0-9])([\.,])"), "$1 $2 "),
            (re(r"([\.,])([^0-9])"), " $1 $2"),
            (re(r"([0-9])(-)"), "$1 $2 "),
        ]
    });
    // sacreBLEU strips trailing whitespace before tokenizing.
    let mut line = text.trim_end().replace("<skipped>", "").replace("-\n", "").replace('\n', " ");
    if line.contains('&') {
        line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }
    let mut line = format!(" {line} ");
    for (re, with) in RULES.iter() {
        line = re.replace_all(&line, *with).into_owned();
    }
    line.split_whitespace().map(str::to_owned).collect()
}

/// Sentence BLEU in [0, 1] (sacreBLEU's score / 100).
pub fn sentence_bleu(hypothesis: &str, reference: &str) -> f64 {
    let h = tokenize_13a(hypothesis);
    let r = tokenize_13a(reference);
    // sacreBLEU: no hypothesis token in the reference (no n-gram of any order matches) is 0,
    // before any smoothing.
    if !h.iter().any(|t| r.contains(t)) {
        return 0.0;
    }
    let mut precisions = [0.0f64; 4];
    let mut smooth = 1.0;
    let mut effective_order = 0;
    for n in 1..=4 {
        let hn = ngrams(&h, n);
        let rn = ngrams(&r, n);
        let total: usize = hn.values().sum();
        if total == 0 {
            break;
        }
        effective_order = n;
        let correct: usize = hn.iter().map(|(g, c)| (*c).min(rn.get(g).copied().unwrap_or(0))).sum();
        precisions[n - 1] = if correct == 0 {
            smooth *= 2.0;
            100.0 / (smooth * total as f64)
        } else {
            100.0 * correct as f64 / total as f64
        };
    }
    if effective_order == 0 {
        return 0.0;
    }
    let bp = if h.len() < r.len() {
        if h.is_empty() { 0.0 } else { (1.0 - r.len() as f64 / h.len() as f64).exp() }
    } else {
        1.0
    };
    let log_sum: f64 = precisions[..effective_order].iter().map(|p| p.ln()).sum();
    (bp * (log_sum / effective_order as f64).exp() / 100.0).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from rouge-score 0.1.2 (`RougeScorer(..., use_stemmer=False).score(target, prediction)`) and
    /// sacreBLEU 2.6.0 (`sentence_bleu(hypothesis, [reference]).score / 100`) on hand-picked and random pairs;
    /// regenerate with `tests/reference/metrics.py`.
    #[test]
    fn rouge_and_bleu_match_the_reference_packages() {
        crate::grade::assert_matches_reference("text", |c| {
            let (output, reference) = (c["output"].as_str().unwrap(), c["reference"].as_str().unwrap());
            vec![
                ("rouge1", rouge_n(reference, output, 1)),
                ("rouge2", rouge_n(reference, output, 2)),
                ("rougeL", rouge_l(reference, output)),
                ("bleu", sentence_bleu(output, reference)),
            ]
        });
    }

    #[test]
    fn tokenizer_13a_splits_punctuation_but_not_numbers() {
        assert_eq!(tokenize_13a("Hello, world! It costs 3.50."), ["Hello", ",", "world", "!", "It", "costs", "3.50", "."]);
    }
}
