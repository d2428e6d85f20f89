//! Text metrics: normalised Levenshtein similarity and SQuAD's exact match and token F1.

use std::collections::HashMap;

/// 1 − edit distance / length of the longer string, over characters. Both empty: 1.
pub fn levenshtein_similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    1.0 - prev[b.len()] as f64 / longest as f64
}

/// SQuAD's `normalize_answer`: lower case, drop punctuation, drop the articles a/an/the,
/// collapse whitespace.
pub fn squad_normalize(text: &str) -> String {
    static ARTICLES: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\b(a|an|the)\b").expect("a valid pattern"));
    let lower = text.to_lowercase();
    let no_punct: String = lower.chars().filter(|c| !c.is_ascii_punctuation()).collect();
    // As the script does: articles go wherever a word boundary delimits them (`«the`), not
    // only as whole whitespace-separated words.
    ARTICLES.replace_all(&no_punct, " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn exact_match(prediction: &str, reference: &str) -> f64 {
    f64::from(u8::from(squad_normalize(prediction) == squad_normalize(reference)))
}

/// SQuAD token F1 over normalised tokens (bag of words with counts).
pub fn token_f1(prediction: &str, reference: &str) -> f64 {
    let p = squad_normalize(prediction);
    let r = squad_normalize(reference);
    let p: Vec<&str> = p.split_whitespace().collect();
    let r: Vec<&str> = r.split_whitespace().collect();
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for t in &r {
        *counts.entry(t).or_default() += 1;
    }
    let mut same = 0i64;
    for t in &p {
        if let Some(c) = counts.get_mut(t) {
            if *c > 0 {
                *c -= 1;
                same += 1;
            }
        }
    }
    if same == 0 {
        return 0.0;
    }
    let precision = same as f64 / p.len() as f64;
    let recall = same as f64 / r.len() as f64;
    2.0 * precision * recall / (precision + recall)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_reference_values() {
        // kitten -> sitting: distance 3 (the textbook example), longest 7.
        assert!((levenshtein_similarity("kitten", "sitting") - (1.0 - 3.0 / 7.0)).abs() < 1e-12);
        assert_eq!(levenshtein_similarity("", ""), 1.0);
        assert_eq!(levenshtein_similarity("abc", ""), 0.0);
    }

    #[test]
    fn squad_reference_values() {
        // SQuAD v1.1 evaluate script semantics: articles and punctuation do not count.
        assert_eq!(exact_match("The Denver Broncos!", "denver broncos"), 1.0);
        assert_eq!(exact_match("Denver", "Denver Broncos"), 0.0);
        // prediction "Denver Broncos won", reference "the Denver Broncos": p = 2/3, r = 1 -> 0.8
        assert!((token_f1("Denver Broncos won", "the Denver Broncos") - 0.8).abs() < 1e-12);
        assert_eq!(token_f1("Carolina", "Denver"), 0.0);
    }

    /// Values from the official SQuAD v1.1 evaluation script on hand-picked and random pairs;
    /// regenerate with `tests/reference/metrics.py`.
    #[test]
    fn squad_matches_the_official_script() {
        crate::grade::assert_matches_reference("text", |c| {
            let (output, reference) = (c["output"].as_str().unwrap(), c["reference"].as_str().unwrap());
            vec![("em", exact_match(output, reference)), ("f1", token_f1(output, reference))]
        });
    }
}
