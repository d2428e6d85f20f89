//! Graders: each turns an output into a score in [0, 1], a pass flag (score ≥ threshold)
//! and a reason. Deterministic checks, text and retrieval metrics, external commands and
//! model judges all have this one shape; a sample's score is the weighted mean of its
//! graders, and it passes when every grader with weight > 0 passes.

pub mod command;
pub mod judge;
pub mod overlap;
pub mod retrieval;
pub mod text;
pub mod trajectory;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::engine::Completion;
use crate::spec::dataset::Row;
use crate::spec::eval::{GraderKind, GraderSpec, kind_name};

/// One grader's verdict on one sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    pub score: f64,
    pub pass: bool,
    pub reason: String,
    /// The grader could not run (a command that crashed, a judge that failed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub error: bool,
}

impl Grade {
    pub fn error(reason: impl Into<String>) -> Grade {
        Grade { score: 0.0, pass: false, reason: reason.into(), error: true }
    }
}

/// What a grader sees of a sample.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    pub row: &'a Row,
    pub output: &'a str,
    /// Absent for outputs graded with `--outputs` (no model ran).
    pub completion: Option<&'a Completion>,
    /// The sample's span: a judge's inference span goes under it.
    pub trace: Option<&'a opentelemetry::trace::SpanContext>,
    /// The document ids the prompt's `retrieve:` found, best first, each once.
    pub retrieved: Option<&'a [String]>,
    /// What the agent loop did, for a prompt with tools.
    pub trajectory: Option<&'a trajectory::Trajectory>,
}

/// A configured grader, ready to score samples.
#[derive(Debug, Clone)]
pub struct Grader {
    pub dimension: String,
    pub spec: GraderSpec,
    regex: Option<regex::Regex>,
}

/// Graders whose score is graded, not yes/no, pass at 0.5 unless told otherwise.
fn continuous(kind: GraderKind) -> bool {
    use GraderKind::*;
    matches!(
        kind,
        Levenshtein | TokenF1 | Rouge1 | Rouge2 | RougeL | Bleu | EmbeddingSimilarity | PrecisionAtK | RecallAtK | Mrr
            | AveragePrecision | NdcgAtK | ContextRecall | Judge | Command
    )
}

impl Grader {
    pub fn new(spec: &GraderSpec) -> Result<Grader, String> {
        let regex = match &spec.pattern {
            Some(p) => Some(regex::Regex::new(p).map_err(|e| format!("regex `{p}`: {e}"))?),
            None => None,
        };
        if let Some(schema) = &spec.schema {
            crate::json_schema::check_schema(schema).map_err(|e| format!("`schema` is not a JSON schema: {e}"))?;
        }
        Ok(Grader { dimension: spec.dimension(), spec: spec.clone(), regex })
    }

    pub fn threshold(&self) -> f64 {
        self.spec.threshold.unwrap_or(if continuous(self.spec.kind) { 0.5 } else { 1.0 })
    }

    pub fn weight(&self) -> f64 {
        self.spec.weight
    }

    /// Whether this grader needs a model (judge, embeddings) and is graded in batches.
    pub fn needs_model(&self) -> bool {
        matches!(self.spec.kind, GraderKind::Judge | GraderKind::EmbeddingSimilarity)
    }

    /// Applies threshold and negation to a raw score.
    pub fn verdict(&self, score: f64, reason: String) -> Grade {
        let score = if score.is_finite() { score.clamp(0.0, 1.0) } else { 0.0 };
        let (score, reason) = if self.spec.negate { (1.0 - score, format!("not: {reason}")) } else { (score, reason) };
        Grade { score, pass: score >= self.threshold(), reason, error: false }
    }

    /// The grader's `value`, rendered over the row when it is a template (`{{ expected }}`);
    /// the row's `expected` when the grader has no `value`.
    pub fn reference(&self, sample: &Sample<'_>) -> Result<Value, String> {
        match &self.spec.value {
            Some(Value::String(t)) => render_value(t, sample).map(Value::String),
            Some(v) => Ok(v.clone()),
            None => sample.row.expected.clone().ok_or_else(|| "the row has no `expected` and the grader no `value`".to_owned()),
        }
    }

    /// Scores one sample with a deterministic grader (or a command).
    pub fn grade(&self, sample: &Sample<'_>, allow_exec: bool) -> Grade {
        match self.raw(sample, allow_exec) {
            Ok((score, reason)) => self.verdict(score, reason),
            Err(e) => Grade::error(e),
        }
    }

    fn raw(&self, sample: &Sample<'_>, allow_exec: bool) -> Result<(f64, String), String> {
        use GraderKind::*;
        let out = sample.output;
        let yes = |ok: bool, what: String| Ok((f64::from(u8::from(ok)), what));
        match self.spec.kind {
            Equals => {
                let v = text_of(&self.reference(sample)?);
                yes(out.trim() == v.trim(), format!("output {} {:?}", if out.trim() == v.trim() { "equals" } else { "differs from" }, clip(&v)))
            }
            Contains => {
                let v = text_of(&self.reference(sample)?);
                yes(out.contains(&v), format!("output {} {:?}", if out.contains(&v) { "contains" } else { "lacks" }, clip(&v)))
            }
            Icontains => {
                let v = text_of(&self.reference(sample)?);
                let ok = out.to_lowercase().contains(&v.to_lowercase());
                yes(ok, format!("output {} {:?} (any case)", if ok { "contains" } else { "lacks" }, clip(&v)))
            }
            StartsWith => {
                let v = text_of(&self.reference(sample)?);
                let ok = out.trim_start().starts_with(&v);
                yes(ok, format!("output {} with {:?}", if ok { "starts" } else { "does not start" }, clip(&v)))
            }
            ContainsAny | ContainsAll => {
                let values = self.values(sample)?;
                let found: Vec<&String> = values.iter().filter(|v| out.contains(v.as_str())).collect();
                let ok = if self.spec.kind == ContainsAny { !found.is_empty() } else { found.len() == values.len() };
                yes(ok, format!("{} of {} values found", found.len(), values.len()))
            }
            Regex => {
                let re = self.regex.as_ref().ok_or("no pattern")?;
                let ok = re.is_match(out);
                yes(ok, format!("output {} /{}/", if ok { "matches" } else { "does not match" }, re.as_str()))
            }
            Length => self.bounds(out.chars().count() as f64, "characters"),
            WordCount => self.bounds(out.split_whitespace().count() as f64, "words"),
            Latency => {
                let c = sample.completion.ok_or("no latency: the output was not generated here")?;
                self.bounds(c.timings.total_ms, "ms")
            }
            OutputTokens => {
                let c = sample.completion.ok_or("no token count: the output was not generated here")?;
                self.bounds(f64::from(c.usage.output_tokens), "output tokens")
            }
            FinishReason => {
                let c = sample.completion.ok_or("no finish reason: the output was not generated here")?;
                let want = text_of(&self.reference(sample)?);
                let got = c.finish_reason.as_str();
                yes(got == want, format!("finish reason {got}, wanted {want}"))
            }
            IsJson => match parse_json(out) {
                Ok(_) => Ok((1.0, "output is JSON".into())),
                Err(e) => Ok((0.0, format!("not JSON: {e}"))),
            },
            JsonSchema => {
                let value = match parse_json(out) {
                    Ok(v) => v,
                    Err(e) => return Ok((0.0, format!("not JSON: {e}"))),
                };
                match crate::json_schema::validate(self.spec.schema.as_ref().ok_or("no schema")?, &value) {
                    Ok(()) => Ok((1.0, "matches the schema".into())),
                    Err(e) => Ok((0.0, clip(&e))),
                }
            }
            JsonPath => {
                let value = match parse_json(out) {
                    Ok(v) => v,
                    Err(e) => return Ok((0.0, format!("not JSON: {e}"))),
                };
                let path = self.spec.path.as_deref().ok_or("no path")?;
                let Some(found) = json_path(&value, path)? else {
                    return Ok((0.0, format!("{path} is absent")));
                };
                if let Some(re) = &self.regex {
                    let ok = re.is_match(&text_of(found));
                    return yes(ok, format!("{path} = {} {} /{}/", clip(&found.to_string()), if ok { "matches" } else { "does not match" }, re.as_str()));
                }
                let want = self.reference(sample)?;
                let ok = json_equal(found, &want);
                yes(ok, format!("{path} = {}, wanted {}", clip(&found.to_string()), clip(&want.to_string())))
            }
            Levenshtein => {
                let v = text_of(&self.reference(sample)?);
                let s = text::levenshtein_similarity(out.trim(), v.trim());
                Ok((s, format!("similarity {s:.3} to {:?}", clip(&v))))
            }
            ExactMatch => {
                let v = text_of(&self.reference(sample)?);
                yes(text::exact_match(out, &v) == 1.0, format!("normalised output vs {:?}", clip(&v)))
            }
            TokenF1 => self.metric(sample, "token F1", text::token_f1),
            Rouge1 => self.metric(sample, "ROUGE-1 F", |o, r| overlap::rouge_n(r, o, 1)),
            Rouge2 => self.metric(sample, "ROUGE-2 F", |o, r| overlap::rouge_n(r, o, 2)),
            RougeL => self.metric(sample, "ROUGE-L F", |o, r| overlap::rouge_l(r, o)),
            Bleu => self.metric(sample, "BLEU", overlap::sentence_bleu),
            PrecisionAtK | RecallAtK | HitAtK | Mrr | AveragePrecision | NdcgAtK | ContextRecall => self.retrieval(sample),
            Command => command::run(self, sample, allow_exec),
            TrajectoryToolUsed | TrajectoryToolSequence | TrajectoryToolArgsMatch | TrajectoryStepCount | ToolCallValid => self.trajectory(sample),
            Judge | EmbeddingSimilarity => Err(format!("`{}` is graded with a model", kind_name(self.spec.kind))),
        }
    }

    fn trajectory(&self, sample: &Sample<'_>) -> Result<(f64, String), String> {
        use GraderKind::*;
        let t = sample.trajectory.ok_or("no trajectory: the prompt has no `tools:`, so no tool-calling loop ran")?;
        let yes = |(ok, why): (bool, String)| Ok((f64::from(u8::from(ok)), why));
        let names = || -> Result<Vec<String>, String> {
            match (&self.spec.value, &self.spec.values) {
                (Some(Value::String(one)), _) => Ok(vec![one.clone()]),
                (Some(Value::Array(list)), _) | (None, Some(list)) => Ok(list.iter().map(text_of).collect()),
                _ => Err("name the tools with `value` (one) or `values` (a list)".into()),
            }
        };
        match self.spec.kind {
            TrajectoryToolUsed => yes(trajectory::tools_used(t, &names()?)),
            TrajectoryToolSequence => yes(trajectory::sequence(t, &names()?, self.spec.order.unwrap_or_default())),
            TrajectoryToolArgsMatch => {
                let tool = self.spec.tool.as_deref().ok_or("no `tool`")?;
                let wanted = self.reference(sample)?;
                yes(trajectory::args_match(t, tool, &wanted, self.spec.path.as_deref())?)
            }
            TrajectoryStepCount => self.bounds(t.steps.len() as f64, "steps"),
            _ => yes(trajectory::calls_valid(t)),
        }
    }

    fn values(&self, sample: &Sample<'_>) -> Result<Vec<String>, String> {
        let values = self.spec.values.as_ref().ok_or("no values")?;
        values
            .iter()
            .map(|v| match v {
                Value::String(t) => render_value(t, sample),
                other => Ok(text_of(other)),
            })
            .collect()
    }

    fn bounds(&self, n: f64, unit: &str) -> Result<(f64, String), String> {
        let (min, max) = (self.spec.min.unwrap_or(f64::NEG_INFINITY), self.spec.max.unwrap_or(f64::INFINITY));
        let ok = n >= min && n <= max;
        let range = match (self.spec.min, self.spec.max) {
            (Some(a), Some(b)) => format!("{a}..={b}"),
            (Some(a), None) => format!(">= {a}"),
            (None, Some(b)) => format!("<= {b}"),
            (None, None) => "any".into(),
        };
        Ok((f64::from(u8::from(ok)), format!("{n:.0} {unit}, wanted {range}")))
    }

    fn metric(&self, sample: &Sample<'_>, name: &str, f: impl Fn(&str, &str) -> f64) -> Result<(f64, String), String> {
        let reference = text_of(&self.reference(sample)?);
        let s = f(sample.output, &reference);
        Ok((s, format!("{name} {s:.3}")))
    }

    fn retrieval(&self, sample: &Sample<'_>) -> Result<(f64, String), String> {
        use GraderKind::*;
        // The ids the prompt's `retrieve:` found, unless `field:` reads them from the output.
        let ranked = match (sample.retrieved, &self.spec.field) {
            (Some(ids), None) => ids.to_vec(),
            (None, None) if self.spec.kind == ContextRecall => return Err("nothing was retrieved: the prompt has no `retrieve:`".into()),
            _ => ranked_ids(sample.output, self.spec.field.as_deref())?,
        };
        let judgments: retrieval::Judgments = sample.row.relevant.iter().map(|r| (r.id.clone(), r.grade)).collect();
        if judgments.is_empty() {
            return Err("the row has no `relevant` ids".into());
        }
        let k = self.spec.k;
        let kk = k.unwrap_or(ranked.len().max(1));
        let (name, s) = match self.spec.kind {
            PrecisionAtK => (format!("P@{kk}"), retrieval::precision_at(&ranked, &judgments, kk)),
            RecallAtK => (format!("R@{kk}"), retrieval::recall_at(&ranked, &judgments, kk)),
            HitAtK => (format!("hit@{kk}"), retrieval::hit_at(&ranked, &judgments, kk)),
            Mrr => ("RR".into(), retrieval::reciprocal_rank(&ranked, &judgments, k)),
            AveragePrecision => ("AP".into(), retrieval::average_precision(&ranked, &judgments, k)),
            ContextRecall => ("context recall".into(), retrieval::recall_at(&ranked, &judgments, ranked.len())),
            _ => (format!("nDCG@{kk}"), retrieval::ndcg_at(&ranked, &judgments, kk)),
        };
        Ok((s, format!("{name} {s:.3} over {} ranked ids", ranked.len())))
    }
}

/// The template context of a grader value: the row's fields, and its vars at top level.
pub fn template_context(sample: &Sample<'_>) -> Map<String, Value> {
    let mut ctx = sample.row.vars.clone();
    ctx.insert("vars".into(), Value::Object(sample.row.vars.clone()));
    ctx.insert("id".into(), Value::String(sample.row.id.clone()));
    ctx.insert("expected".into(), sample.row.expected.clone().unwrap_or(Value::Null));
    ctx.insert("labels".into(), serde_json::json!(sample.row.labels));
    ctx.insert("output".into(), Value::String(sample.output.to_owned()));
    ctx
}

fn render_value(template: &str, sample: &Sample<'_>) -> Result<String, String> {
    if !template.contains("{{") && !template.contains("{%") {
        return Ok(template.to_owned());
    }
    // `{{ expected }}`, `{{ expected.qty }}`, `{{ vars.x }}`, `{{ x }}`: looked up directly,
    // which is what nearly every grader value is, at a fraction of a template render's cost.
    if let Some(path) = simple_reference(template) {
        if let Some(v) = lookup(sample, path) {
            return Ok(text_of(v));
        }
    }
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let ctx = template_context(sample);
    env.render_str(template, minijinja::Value::from(minijinja::value::Serde(&ctx)))
        .map_err(|e| format!("value template: {}", e.detail().unwrap_or(&e.to_string())))
}

/// The dotted path of a template that is a single `{{ a.b }}` and nothing else.
fn simple_reference(template: &str) -> Option<&str> {
    let inner = template.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let ok = !inner.is_empty()
        && inner.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    ok.then_some(inner)
}

fn lookup<'s>(sample: &Sample<'s>, path: &str) -> Option<&'s Value> {
    let mut parts = path.split('.');
    let head = parts.next()?;
    let mut cur: &Value = match head {
        "expected" => sample.row.expected.as_ref()?,
        "vars" => {
            let key = parts.next()?;
            sample.row.vars.get(key)?
        }
        other => sample.row.vars.get(other)?,
    };
    for p in parts {
        cur = match cur {
            Value::Object(o) => o.get(p)?,
            Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    // `null` and containers fall back to the full renderer for its exact formatting.
    matches!(cur, Value::String(_) | Value::Number(_) | Value::Bool(_)).then_some(cur)
}

/// A JSON value as text: strings without quotes, everything else as JSON.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn clip(s: &str) -> String {
    crate::text::clip(s, 60)
}

/// Parses an output as JSON, allowing a Markdown code fence around it.
pub fn parse_json(out: &str) -> Result<Value, String> {
    let t = out.trim();
    let t = t
        .strip_prefix("```json")
        .or_else(|| t.strip_prefix("```"))
        .and_then(|r| r.trim_end().strip_suffix("```"))
        .unwrap_or(t);
    serde_json::from_str(t.trim()).map_err(|e| e.to_string())
}

/// Equal as JSON, or equal as text when one side is a string (`"3"` equals `3`).
fn json_equal(a: &Value, b: &Value) -> bool {
    a == b || text_of(a).trim() == text_of(b).trim()
}

/// A JSONPath subset: `$`, `.key`, `['key']`, `[index]`.
pub fn json_path<'v>(value: &'v Value, path: &str) -> Result<Option<&'v Value>, String> {
    let rest = path.strip_prefix('$').ok_or_else(|| format!("JSON path `{path}` must start with `$`"))?;
    let mut cur = value;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                let mut key = String::new();
                while let Some(&n) = chars.peek() {
                    if n == '.' || n == '[' {
                        break;
                    }
                    key.push(n);
                    chars.next();
                }
                match cur.get(&key) {
                    Some(v) => cur = v,
                    None => return Ok(None),
                }
            }
            '[' => {
                let mut inner = String::new();
                for n in chars.by_ref() {
                    if n == ']' {
                        break;
                    }
                    inner.push(n);
                }
                let inner = inner.trim();
                let next = if let Some(key) = inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                    cur.get(key)
                } else if let Some(key) = inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    cur.get(key)
                } else {
                    let i: i64 = inner.parse().map_err(|_| format!("JSON path `{path}`: `[{inner}]` is not an index"))?;
                    let arr = match cur.as_array() {
                        Some(a) => a,
                        None => return Ok(None),
                    };
                    let i = if i < 0 { arr.len() as i64 + i } else { i };
                    arr.get(i as usize)
                };
                match next {
                    Some(v) => cur = v,
                    None => return Ok(None),
                }
            }
            other => return Err(format!("JSON path `{path}`: unexpected `{other}`")),
        }
    }
    Ok(Some(cur))
}

/// Ranked ids from an output: a JSON array (of ids, or of objects with `id`) at `field`
/// (a JSON path) or at the top; otherwise one id per non-empty line.
pub fn ranked_ids(output: &str, field: Option<&str>) -> Result<Vec<String>, String> {
    let from_array = |arr: &Vec<Value>| -> Vec<String> {
        arr.iter()
            .map(|v| match v {
                Value::Object(o) => o.get("id").map(text_of).unwrap_or_default(),
                other => text_of(other),
            })
            .collect()
    };
    if let Ok(value) = parse_json(output) {
        let at = match field {
            Some(path) => json_path(&value, path)?.ok_or_else(|| format!("{path} is absent from the output"))?,
            None => &value,
        };
        return match at {
            Value::Array(arr) => Ok(from_array(arr)),
            other => Err(format!("expected a list of ids, found {}", clip(&other.to_string()))),
        };
    }
    if field.is_some() {
        return Err("the output is not JSON, so `field` cannot be read".into());
    }
    Ok(output
        .lines()
        .map(|l| l.trim().trim_start_matches(|c: char| c == '-' || c == '*' || c.is_ascii_digit() || c == '.').trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// A sample's overall score and pass, from its grades (in grader order).
pub fn compose(graders: &[Grader], grades: &[Grade]) -> (f64, bool) {
    let weighted: f64 = graders.iter().zip(grades).map(|(g, r)| g.weight() * r.score).sum();
    let total: f64 = graders.iter().map(Grader::weight).sum();
    let score = if total > 0.0 {
        weighted / total
    } else {
        grades.iter().map(|g| g.score).sum::<f64>() / grades.len().max(1) as f64
    };
    let pass = graders.iter().zip(grades).all(|(g, r)| g.weight() == 0.0 || r.pass);
    (score, pass)
}

/// Graders by dimension, in file order.
pub fn build(specs: &[GraderSpec]) -> Result<Vec<Grader>, String> {
    specs.iter().map(Grader::new).collect()
}

/// Compares metrics against the reference values in `tests/data/metrics_reference.json`
/// (computed by `tests/reference/metrics.py` with the reference packages): for every case of
/// `section`, `compute` gives `(metric, value)` pairs; all differences are reported at once.
#[cfg(test)]
pub(crate) fn assert_matches_reference(section: &str, compute: impl Fn(&Value) -> Vec<(&'static str, f64)>) {
    let data: Value = serde_json::from_str(include_str!("../../tests/data/metrics_reference.json")).expect("reference JSON");
    let (mut diffs, mut per_metric, mut checks) = (Vec::new(), std::collections::BTreeMap::new(), 0usize);
    for case in data[section].as_array().expect("a list of cases") {
        for (name, got) in compute(case) {
            checks += 1;
            let want = case[name].as_f64().expect("a reference value");
            if (got - want).abs() > 1e-6 {
                *per_metric.entry(name).or_insert(0usize) += 1;
                diffs.push(format!("{name}: got {got:.6}, want {want:.6}, case {case}"));
            }
        }
    }
    assert!(checks > 0, "no reference cases in `{section}`");
    let first = diffs[..diffs.len().min(10)].join("\n");
    assert!(diffs.is_empty(), "{} of {checks} values differ {per_metric:?}; first ones:\n{first}", diffs.len());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::eval::EvalSpec;
    use serde_json::json;

    fn row(id: &str, expected: Option<Value>) -> Row {
        Row { id: id.into(), vars: Map::new(), expected, relevant: vec![], labels: vec![], tool_results: Map::new(), line: 1 }
    }

    fn graders(yaml: &str) -> Vec<Grader> {
        let src = format!("prompt: p\ndataset: d\ngraders:\n{yaml}");
        build(&EvalSpec::parse(std::path::Path::new("e.yaml"), &src).unwrap().graders).unwrap()
    }

    fn grade_one(yaml: &str, output: &str, expected: Value) -> Grade {
        let g = &graders(yaml)[0];
        let r = row("r", Some(expected));
        g.grade(&Sample { row: &r, output, completion: None, trace: None, retrieved: None, trajectory: None }, false)
    }

    #[test]
    fn text_graders_with_templates_and_negation() {
        assert!(grade_one("  - type: icontains\n    value: \"{{ expected }}\"\n", "It is PARIS.", json!("Paris")).pass);
        assert!(!grade_one("  - type: contains\n    value: \"{{ expected }}\"\n", "It is PARIS.", json!("Paris")).pass);
        assert!(grade_one("  - type: contains\n    value: Paris\n    not: true\n", "Rome", json!(null)).pass);
        assert!(grade_one("  - type: regex\n    pattern: '^\\d+$'\n", "42", json!(null)).pass);
        assert!(grade_one("  - type: word-count\n    max: 3\n", "one two three", json!(null)).pass);
        assert!(!grade_one("  - type: length\n    min: 10\n", "short", json!(null)).pass);
        assert!(grade_one("  - type: contains-all\n    values: [a, b]\n", "a and b", json!(null)).pass);
        assert!(!grade_one("  - type: contains-any\n    values: [x, y]\n", "a and b", json!(null)).pass);
    }

    #[test]
    fn json_graders() {
        let schema = "  - type: json-schema\n    schema: {type: object, required: [n]}\n";
        assert!(grade_one(schema, "{\"n\": 1}", json!(null)).pass);
        assert!(!grade_one(schema, "{\"m\": 1}", json!(null)).pass);
        assert!(grade_one("  - type: is-json\n", "```json\n[1]\n```", json!(null)).pass);
        let path = "  - type: json-path\n    path: $.order.items[0].qty\n    value: \"{{ expected.qty }}\"\n";
        assert!(grade_one(path, "{\"order\": {\"items\": [{\"qty\": 3}]}}", json!({"qty": 3})).pass);
        assert!(!grade_one(path, "{\"order\": {\"items\": []}}", json!({"qty": 3})).pass);
    }

    #[test]
    fn continuous_metrics_pass_at_half_by_default() {
        let g = grade_one("  - type: rouge-l\n", "the cat was under the bed", json!("the cat was found under the bed"));
        assert!((g.score - 0.923077).abs() < 1e-5 && g.pass);
        let g = grade_one("  - type: token-f1\n    threshold: 0.9\n", "Denver Broncos won", json!("the Denver Broncos"));
        assert!((g.score - 0.8).abs() < 1e-9 && !g.pass);
    }

    #[test]
    fn retrieval_graders_read_ranked_ids() {
        let g = &graders("  - type: ndcg-at-k\n    k: 3\n    field: $.ids\n")[0];
        let mut r = row("r", None);
        r.relevant = vec![
            crate::spec::dataset::Relevant { id: "b".into(), grade: 1.0 },
            crate::spec::dataset::Relevant { id: "c".into(), grade: 1.0 },
        ];
        let out = "{\"ids\": [\"a\", \"b\", \"c\"]}";
        let grade = g.grade(&Sample { row: &r, output: out, completion: None, trace: None, retrieved: None, trajectory: None }, false);
        assert!((grade.score - 0.6934).abs() < 1e-4, "{grade:?}");
        assert_eq!(ranked_ids("1. a\n2. b\n", None).unwrap(), ["a", "b"]);
    }

    #[test]
    fn composition_weights_scores_and_gates_on_weighted_graders_only() {
        let gs = graders("  - type: contains\n    value: x\n    weight: 3\n  - type: length\n    max: 1\n    weight: 0\n  - type: regex\n    pattern: y\n");
        let grades = vec![
            Grade { score: 1.0, pass: true, reason: String::new(), error: false },
            Grade { score: 0.0, pass: false, reason: String::new(), error: false },
            Grade { score: 0.0, pass: false, reason: String::new(), error: false },
        ];
        let (score, pass) = compose(&gs, &grades);
        assert!((score - 0.75).abs() < 1e-12);
        assert!(!pass);
        let grades2 = vec![grades[0].clone(), grades[1].clone(), grades[0].clone()];
        assert!(compose(&gs, &grades2).1, "a weight-0 grader does not gate");
    }
}
