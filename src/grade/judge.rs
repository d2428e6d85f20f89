//! Model judges. The judge's prompt is an ordinary versioned prompt file; it is rendered
//! over the row's variables plus `output`, `expected` and `rubric`. Two modes:
//! - `json`: the judge answers `{"score": 0..1, "reason": "…"}` through schema-constrained
//!   decoding, so it never returns unparseable output;
//! - `choice` (G-Eval): the score is the probability-weighted value of the rubric's labels,
//!   read from the first answer token's probabilities.
//!
//! Judge answers are cached apart from generations.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Grade, Grader, Sample, template_context};
use crate::engine::cache::{Purpose, ResponseCache};
use crate::engine::{ChatRequest, Completion, EngineError, Provider};
use crate::spec::eval::JudgeMode;
use crate::spec::prompt::{Prompt, ResponseFormat, ResponseKind};

/// A judge grader bound to its prompt and model.
pub struct Judge<'a> {
    pub grader: &'a Grader,
    pub prompt: &'a Prompt,
    pub provider: &'a dyn Provider,
    pub cache: Option<&'a ResponseCache>,
}

/// The answer a `json` judge must give: a score on its scale, and a reason. A rating scale
/// (whole-number ends at least 2 apart, like 1–5) takes integers, which the grammar can bound;
/// a continuous one (the default 0..1) takes any number, checked after decoding.
fn json_schema(lo: f64, hi: f64) -> Value {
    let integral = lo.fract() == 0.0 && hi.fract() == 0.0 && hi - lo >= 2.0 && lo.abs() < 1e15 && hi.abs() < 1e15;
    let score = if integral {
        json!({"type": "integer", "minimum": lo as i64, "maximum": hi as i64})
    } else {
        json!({"type": "number", "minimum": lo, "maximum": hi})
    };
    json!({
        "type": "object",
        "properties": {"score": score, "reason": {"type": "string"}},
        "required": ["score", "reason"],
        "additionalProperties": false
    })
}

impl Judge<'_> {
    fn mode(&self) -> JudgeMode {
        self.grader.spec.mode.unwrap_or(if self.grader.spec.choices.is_some() { JudgeMode::Choice } else { JudgeMode::Json })
    }

    /// The declared scale, `[0, 1]` by default.
    fn scale(&self) -> (f64, f64) {
        match self.grader.spec.scale.as_deref() {
            Some([lo, hi]) if lo < hi => (*lo, *hi),
            _ => (0.0, 1.0),
        }
    }

    fn choices(&self) -> BTreeMap<String, f64> {
        self.grader.spec.choices.clone().unwrap_or_else(|| [("yes".to_owned(), 1.0), ("no".to_owned(), 0.0)].into())
    }

    fn request(&self, sample: &Sample<'_>) -> Result<ChatRequest, String> {
        let mut vars = template_context(sample);
        vars.insert("rubric".into(), Value::String(self.grader.spec.rubric.clone().unwrap_or_default()));
        let messages = crate::template::render_messages(self.prompt, &vars).map_err(|e| format!("judge prompt: {e}"))?;
        let mut request = ChatRequest::new(messages, self.prompt.params.clone());
        request.trace = sample.trace.cloned();
        match self.mode() {
            JudgeMode::Json => {
                let (lo, hi) = self.scale();
                request.response_format = Some(ResponseFormat { kind: ResponseKind::JsonSchema, schema: Some(json_schema(lo, hi)) });
                request.params.max_tokens = Some(request.params.max_tokens.unwrap_or(128));
            }
            JudgeMode::Choice => {
                request.choices = self.choices().keys().cloned().collect();
                request.params.max_tokens = Some(1);
            }
        }
        Ok(request)
    }

    fn verdict(&self, completion: &Completion) -> Grade {
        match self.mode() {
            JudgeMode::Json => {
                let value: Value = match serde_json::from_str(completion.text.trim()) {
                    Ok(v) => v,
                    Err(e) => return Grade::error(format!("judge answered no JSON: {e}")),
                };
                let (lo, hi) = self.scale();
                let Some(raw) = value["score"].as_f64() else {
                    return Grade::error(format!("judge answered no numeric `score`: {}", crate::text::clip(completion.text.trim(), 80)));
                };
                if !(lo..=hi).contains(&raw) {
                    return Grade::error(format!("judge score {raw} is outside its scale [{lo}, {hi}]"));
                }
                // Normalised from the declared scale, never guessed: 1 on [1, 5] is the worst score.
                let score = (raw - lo) / (hi - lo);
                self.grader.verdict(score, format!("judge: {raw} on [{lo}, {hi}]: {}", value["reason"].as_str().unwrap_or("")))
            }
            JudgeMode::Choice => {
                let Some(probs) = &completion.choice_probs else {
                    return Grade::error("the judge returned no label probabilities");
                };
                let values = self.choices();
                let score: f64 = probs.iter().map(|(l, p)| p * values.get(l).copied().unwrap_or(0.0)).sum();
                let best = probs.iter().max_by(|a, b| a.1.total_cmp(b.1)).map(|(l, p)| format!("{l} ({p:.2})")).unwrap_or_default();
                self.grader.verdict(score, format!("judge: most likely {best}"))
            }
        }
    }

    /// Grades a block of samples with one batched call to the judge model.
    pub fn grade_all(&self, samples: &[Sample<'_>]) -> Vec<Grade> {
        let mut grades: Vec<Option<Grade>> = vec![None; samples.len()];
        let mut pending = Vec::new();
        for (i, sample) in samples.iter().enumerate() {
            match self.request(sample) {
                Ok(request) => {
                    let key = ResponseCache::key(Purpose::Judge, self.provider.identity(), &request);
                    match self.cache.and_then(|c| c.get(&key)) {
                        Some(hit) => grades[i] = Some(self.verdict(&hit)),
                        None => pending.push((i, key, request)),
                    }
                }
                Err(e) => grades[i] = Some(Grade::error(e)),
            }
        }
        let requests: Vec<ChatRequest> = pending.iter().map(|(_, _, r)| r.clone()).collect();
        let results: Vec<Result<Completion, EngineError>> = if requests.is_empty() {
            Vec::new()
        } else {
            crate::trace::inference::generate(self.provider, &requests, &mut |_| {})
        };
        for ((i, key, _), result) in pending.into_iter().zip(results) {
            grades[i] = Some(match result {
                Ok(c) => {
                    if let Some(cache) = self.cache {
                        let _ = cache.put(&key, &c);
                    }
                    self.verdict(&c)
                }
                Err(e) => Grade::error(format!("judge failed: {e}")),
            });
        }
        grades.into_iter().map(|g| g.unwrap_or_else(|| Grade::error("not graded"))).collect()
    }
}

/// Cosine similarity of output and reference embeddings (vectors are normalised).
pub fn embedding_grades(grader: &Grader, samples: &[Sample<'_>], provider: &dyn Provider) -> Vec<Grade> {
    let mut texts = Vec::with_capacity(samples.len() * 2);
    let mut refs = Vec::with_capacity(samples.len());
    for s in samples {
        match grader.reference(s) {
            Ok(v) => {
                refs.push(Ok(()));
                texts.push(s.output.to_owned());
                texts.push(super::text_of(&v));
            }
            Err(e) => refs.push(Err(e)),
        }
    }
    let vectors = if texts.is_empty() { Ok(Vec::new()) } else { provider.embed(&texts) };
    let vectors = match vectors {
        Ok(v) => v,
        Err(e) => return samples.iter().map(|_| Grade::error(format!("embeddings failed: {e}"))).collect(),
    };
    let mut pairs = vectors.chunks(2);
    refs.into_iter()
        .map(|r| match r {
            Ok(()) => {
                let pair = pairs.next().expect("two vectors per sample");
                let cos: f32 = pair[0].iter().zip(&pair[1]).map(|(a, b)| a * b).sum();
                grader.verdict(f64::from(cos), format!("cosine similarity {cos:.3}"))
            }
            Err(e) => Grade::error(e),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{FinishReason, ModelIdentity, Timings, Usage};
    use crate::spec::eval::EvalSpec;

    struct NoModel(ModelIdentity);

    impl Provider for NoModel {
        fn identity(&self) -> &ModelIdentity {
            &self.0
        }
        fn generate(&self, requests: &[ChatRequest], _: &mut dyn FnMut(&crate::engine::Event)) -> Vec<Result<Completion, EngineError>> {
            requests.iter().map(|_| Err(EngineError::Stopped)).collect()
        }
        fn embed(&self, _: &[String]) -> Result<Vec<Vec<f32>>, EngineError> {
            Err(EngineError::Stopped)
        }
    }

    fn answer(text: &str) -> Completion {
        Completion { text: text.into(), finish_reason: FinishReason::Stop, usage: Usage::default(), timings: Timings::default(), cached: false, choice_probs: None }
    }

    fn grade(scale: &str, text: &str) -> Grade {
        let src = format!("prompt: p\ndataset: d\ngraders:\n  - type: judge\n    prompt: j\n{scale}");
        let spec = EvalSpec::parse(std::path::Path::new("e.yaml"), &src).unwrap();
        let grader = Grader::new(&spec.graders[0]).unwrap();
        let prompt = Prompt::parse(std::path::Path::new("j.yaml"), "messages:\n  - role: user\n    content: x\n").unwrap();
        let provider = NoModel(ModelIdentity { name: "m".into(), provider: "none".into(), id: "none".into() });
        Judge { grader: &grader, prompt: &prompt, provider: &provider, cache: None }.verdict(&answer(text))
    }

    #[test]
    fn scores_are_normalised_from_the_declared_scale_never_guessed() {
        let on_five = "    scale: [1, 5]\n";
        // The worst answer on 1–5 is 0, not 1.0 as a guessed scale made it.
        assert_eq!(grade(on_five, r#"{"score": 1, "reason": "wrong"}"#).score, 0.0);
        assert_eq!(grade(on_five, r#"{"score": 3, "reason": "so-so"}"#).score, 0.5);
        assert_eq!(grade(on_five, r#"{"score": 5, "reason": "right"}"#).score, 1.0);
        assert!(grade(on_five, r#"{"score": 6, "reason": "?"}"#).error, "outside the scale is an error");
        assert!(grade(on_five, r#"{"score": "high", "reason": "?"}"#).error);
        // No scale: 0..1, and 5 is out of it.
        assert_eq!(grade("", r#"{"score": 0.25, "reason": "x"}"#).score, 0.25);
        assert!(grade("", r#"{"score": 5, "reason": "x"}"#).error);
    }

    #[test]
    fn the_schema_bounds_the_score_to_the_scale() {
        let schema = json_schema(1.0, 5.0);
        assert_eq!(schema["properties"]["score"], serde_json::json!({"type": "integer", "minimum": 1, "maximum": 5}));
        assert_eq!(json_schema(0.0, 1.0)["properties"]["score"]["type"], "number");
        assert_eq!(json_schema(0.0, 0.5)["properties"]["score"], serde_json::json!({"type": "number", "minimum": 0.0, "maximum": 0.5}));
        let bad = EvalSpec::parse(std::path::Path::new("e.yaml"), "prompt: p\ndataset: d\ngraders:\n  - type: judge\n    prompt: j\n    scale: [5, 1]\n");
        assert!(bad.unwrap_err()[0].message.contains("two numbers, low then high"));
    }
}
