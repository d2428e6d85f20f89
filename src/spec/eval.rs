//! `evals/<name>.yaml`: a prompt, a dataset, a model, the graders that score each output
//! and the gate a prompt version must pass.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Seg, diag_at, parse_yaml};
use crate::diagnostic::{Diagnostic, nearest};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvalSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The prompt under test (a name under `prompts/`).
    pub prompt: String,
    /// The dataset (a name under `datasets/`).
    pub dataset: String,
    /// Overrides the prompt's model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Runs each row this many times with distinct seeds.
    #[serde(default = "one")]
    pub repeat: u32,
    pub graders: Vec<GraderSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<GateSpec>,
    /// Declares that the eval's `command` graders need execution. It grants nothing: only
    /// `--allow-exec` on the command line lets them run, and the refusal mentions this.
    #[serde(default)]
    pub allow_exec: bool,
    /// What is scored: the prompt's answers (`generation`, the default) or only what its
    /// `retrieve:` finds (`retrieval`: no model generates).
    #[serde(default, skip_serializing_if = "Target::is_generation")]
    pub target: Target,
    /// The cells `llmops eval` runs for this eval: every prompt version and draft on every
    /// model with every combination of parameters. The gate still evaluates the prompt as the
    /// eval names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<ExperimentSpec>,
}

/// Whether `path` is relative and never climbs out (`..`).
pub fn relative_inside(path: &str) -> bool {
    !path.is_empty() && !Path::new(path).is_absolute() && !Path::new(path).components().any(|c| matches!(c, std::path::Component::ParentDir))
}

/// An `experiment:` block: the axes of the matrix. An axis left out is the eval's own (the
/// work tree's prompt, the eval's model, the prompt's parameters).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentSpec {
    /// Versions of the eval's prompt: a blob prefix, a git revision, or `work` (the work tree).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompt_versions: Vec<String>,
    /// Drafts of the prompt in files of the workspace (paths from its root).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompt_files: Vec<String>,
    /// Models of `.llmops/config.yaml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    /// Prompt parameters set otherwise, each to every listed value (`temperature: [0, 0.7]`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, Vec<serde_json::Value>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    #[default]
    Generation,
    Retrieval,
}

impl Target {
    pub fn is_generation(&self) -> bool {
        *self == Target::Generation
    }
}

/// How `trajectory:tool-sequence` compares the calls with the listed tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// The calls are exactly the list.
    #[default]
    Exact,
    /// The list appears among the calls in its order, other calls between allowed.
    InOrder,
    /// Every listed tool is called, in any order.
    AnyOrder,
}

/// Graders that score a ranking of ids (and so can score a retriever alone).
pub fn ranks_ids(kind: GraderKind) -> bool {
    use GraderKind::*;
    matches!(kind, PrecisionAtK | RecallAtK | HitAtK | Mrr | AveragePrecision | NdcgAtK | ContextRecall)
}

fn one() -> u32 {
    1
}

fn unit_weight() -> f64 {
    1.0
}

/// One grader: a dimension of the score. The parameters it takes depend on its `type`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GraderSpec {
    /// The dimension's name; default: the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: GraderKind,
    /// Weight in the sample's score; 0 reports the dimension without gating on it.
    #[serde(default = "unit_weight")]
    pub weight: f64,
    /// The score at which the grader passes; default depends on the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Inverts the grader: passes when it would fail.
    #[serde(default, rename = "not")]
    pub negate: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<serde_json::Value>,
    /// A JSON path (`$.a.b[0]`) into the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where ranked ids are read from: a JSON path into the output; default: the output's lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<f64>,
    /// Environment variables a `command` grader receives besides `PATH`, `HOME` and `LANG`
    /// (its environment is otherwise empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<String>>,
    /// The judge's prompt (a name under `prompts/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<JudgeMode>,
    /// The range a `json` judge scores on (`[1, 5]`): the answer is constrained to it and
    /// mapped linearly onto 0..1. Default `[0, 1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Vec<f64>>,
    /// Labels a judge chooses from, with the score each stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<BTreeMap<String, f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The tool whose calls `trajectory:tool-args-match` reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// How `trajectory:tool-sequence` compares: `exact` (default), `in-order`, `any-order`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
    /// A judge counts toward the verdict only while a recorded calibration of its current
    /// prompt and model against people's labels meets this bar (`llmops calibrate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationBar>,
}

/// `calibration: {min_kappa: 0.6, min_labels: 30}`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationBar {
    /// Cohen's kappa of the judge's pass/fail against the labels.
    pub min_kappa: f64,
    /// Labels the judge's current version graded.
    pub min_labels: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GraderKind {
    Equals,
    Contains,
    Icontains,
    ContainsAny,
    ContainsAll,
    StartsWith,
    Regex,
    Length,
    WordCount,
    IsJson,
    JsonSchema,
    JsonPath,
    Levenshtein,
    ExactMatch,
    TokenF1,
    #[serde(rename = "rouge-1")]
    Rouge1,
    #[serde(rename = "rouge-2")]
    Rouge2,
    #[serde(rename = "rouge-l")]
    RougeL,
    Bleu,
    EmbeddingSimilarity,
    PrecisionAtK,
    RecallAtK,
    HitAtK,
    Mrr,
    AveragePrecision,
    NdcgAtK,
    /// The share of the row's relevant ids among those the prompt's `retrieve:` found.
    ContextRecall,
    /// The agent loop called the tool (`value`) or tools (`values`).
    #[serde(rename = "trajectory:tool-used")]
    TrajectoryToolUsed,
    /// The agent loop's calls follow `values` (`order`: exact, in-order, any-order).
    #[serde(rename = "trajectory:tool-sequence")]
    TrajectoryToolSequence,
    /// Some call of `tool` has arguments that include `value` (or equal it at `path`).
    #[serde(rename = "trajectory:tool-args-match")]
    TrajectoryToolArgsMatch,
    /// The loop took between `min` and `max` steps.
    #[serde(rename = "trajectory:step-count")]
    TrajectoryStepCount,
    /// Every call parsed, named a tool and matched its schema.
    ToolCallValid,
    Latency,
    OutputTokens,
    FinishReason,
    Command,
    Judge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JudgeMode {
    /// Constrained JSON `{"score", "reason"}`.
    Json,
    /// Probability-weighted value of the rubric's labels (G-Eval).
    Choice,
}

/// The bar a prompt version must clear.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GateSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_pass_rate: Option<f64>,
    /// Compare `min_pass_rate` with the lower bound of the 95% interval, not the estimate.
    #[serde(default)]
    pub use_lower_bound: bool,
    /// Minimum mean score per dimension.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, f64>,
    /// Largest allowed drop of the overall score against the released version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_regression: Option<f64>,
}

/// Which optional parameters a grader type uses, and which it requires.
fn parameters(kind: GraderKind) -> (&'static [&'static str], &'static [&'static str]) {
    use GraderKind::*;
    match kind {
        Equals | Contains | Icontains | StartsWith => (&["value"], &[]),
        ContainsAny | ContainsAll => (&["values"], &[]),
        Regex => (&["pattern"], &[]),
        Length | WordCount | Latency | OutputTokens => (&[], &["min", "max"]),
        IsJson => (&[], &[]),
        JsonSchema => (&["schema"], &[]),
        JsonPath => (&["path"], &["value", "pattern"]),
        Levenshtein | ExactMatch | TokenF1 | Rouge1 | Rouge2 | RougeL | Bleu => (&[], &["value"]),
        EmbeddingSimilarity => (&[], &["value", "model"]),
        PrecisionAtK | RecallAtK | HitAtK | NdcgAtK => (&["k"], &["field"]),
        Mrr | AveragePrecision => (&[], &["field", "k"]),
        ContextRecall | ToolCallValid => (&[], &[]),
        TrajectoryToolUsed => (&[], &["value", "values"]),
        TrajectoryToolSequence => (&["values"], &["order"]),
        TrajectoryToolArgsMatch => (&["tool", "value"], &["path"]),
        TrajectoryStepCount => (&[], &["min", "max"]),
        FinishReason => (&["value"], &[]),
        Command => (&["command"], &["timeout_s", "env"]),
        Judge => (&["prompt"], &["rubric", "mode", "choices", "model", "scale", "calibration"]),
    }
}

const PARAMETER_KEYS: [&str; 21] = [
    "value", "values", "pattern", "min", "max", "k", "schema", "path", "field", "command", "timeout_s", "env", "prompt",
    "rubric", "mode", "choices", "model", "scale", "tool", "order", "calibration",
];

impl GraderSpec {
    /// The dimension name: `name`, or the type when none is given.
    pub fn dimension(&self) -> String {
        self.name.clone().unwrap_or_else(|| kind_name(self.kind))
    }

    fn is_set(&self, key: &str) -> bool {
        match key {
            "value" => self.value.is_some(),
            "values" => self.values.is_some(),
            "pattern" => self.pattern.is_some(),
            "min" => self.min.is_some(),
            "max" => self.max.is_some(),
            "k" => self.k.is_some(),
            "schema" => self.schema.is_some(),
            "path" => self.path.is_some(),
            "field" => self.field.is_some(),
            "command" => self.command.is_some(),
            "timeout_s" => self.timeout_s.is_some(),
            "env" => self.env.is_some(),
            "prompt" => self.prompt.is_some(),
            "rubric" => self.rubric.is_some(),
            "mode" => self.mode.is_some(),
            "choices" => self.choices.is_some(),
            "model" => self.model.is_some(),
            "scale" => self.scale.is_some(),
            "tool" => self.tool.is_some(),
            "order" => self.order.is_some(),
            "calibration" => self.calibration.is_some(),
            _ => false,
        }
    }
}

/// The YAML spelling of a grader type (`contains-any`).
pub fn kind_name(kind: GraderKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

impl EvalSpec {
    /// Parses and checks an eval file on its own; references to other files are checked by
    /// the workspace.
    pub fn parse(path: &Path, source: &str) -> Result<EvalSpec, Vec<Diagnostic>> {
        let (spec, diags) = Self::check(path, source);
        match spec {
            Some(spec) if diags.is_empty() => Ok(spec),
            _ => Err(diags),
        }
    }

    /// Parses and checks an eval file, keeping the parsed spec even when some of its values
    /// are wrong, so `llmops validate` can go on to check its references too.
    pub fn check(path: &Path, source: &str) -> (Option<EvalSpec>, Vec<Diagnostic>) {
        let spec: EvalSpec = match parse_yaml(path, source) {
            Ok(spec) => spec,
            Err(d) => return (None, vec![d]),
        };
        let mut diags = Vec::new();
        if spec.repeat == 0 {
            diags.push(diag_at(path, source, &[Seg::Key("repeat")], "`repeat` must be at least 1"));
        }
        if spec.graders.is_empty() {
            diags.push(diag_at(path, source, &[Seg::Key("graders")], "an eval needs at least one grader"));
        }
        let mut dimensions = BTreeSet::new();
        for (i, grader) in spec.graders.iter().enumerate() {
            let at = |key: &str, message: String| {
                diag_at(path, source, &[Seg::Key("graders"), Seg::Index(i), Seg::Key(key)], message)
            };
            let kind = kind_name(grader.kind);
            let (required, optional) = parameters(grader.kind);
            for key in required {
                if !grader.is_set(key) {
                    diags.push(at("type", format!("grader `{kind}` needs `{key}`")));
                }
            }
            for key in PARAMETER_KEYS {
                if grader.is_set(key) && !required.contains(&key) && !optional.contains(&key) {
                    diags.push(at(key, format!("`{key}` does not apply to grader `{kind}`")));
                }
            }
            if !(grader.weight.is_finite() && grader.weight >= 0.0) {
                diags.push(at("weight", format!("`weight` {} must be 0 or more", grader.weight)));
            }
            if let Some(t) = grader.threshold.filter(|t| !(0.0..=1.0).contains(t)) {
                diags.push(at("threshold", format!("`threshold` {t} is outside 0..=1")));
            }
            if let (Some(min), Some(max)) = (grader.min, grader.max) {
                if min > max {
                    diags.push(at("min", format!("`min` {min} is larger than `max` {max}")));
                }
            }
            if let Some(bar) = &grader.calibration {
                if !(-1.0..=1.0).contains(&bar.min_kappa) {
                    diags.push(at("calibration", format!("`min_kappa` {} is outside -1..=1", bar.min_kappa)));
                }
                if bar.min_labels == 0 {
                    diags.push(at("calibration", "`min_labels` must be at least 1".into()));
                }
            }
            if grader.k == Some(0) {
                diags.push(at("k", "`k` must be at least 1".into()));
            }
            if let Some(pattern) = &grader.pattern {
                if let Err(e) = regex::Regex::new(pattern) {
                    let text = e.to_string();
                    let detail = text.lines().last().unwrap_or_default().trim().trim_start_matches("error: ").to_owned();
                    diags.push(at("pattern", format!("regex `{pattern}` does not compile: {detail}")));
                }
            }
            if let Some(schema) = &grader.schema {
                if !schema.is_object() && !schema.is_boolean() {
                    diags.push(at("schema", "`schema` must be a JSON schema object".into()));
                } else if let Err(e) = crate::json_schema::check_schema(schema) {
                    diags.push(at("schema", format!("`schema` is not a valid JSON schema: {e}")));
                }
            }
            if let Some(command) = &grader.command {
                if command.is_empty() {
                    diags.push(at("command", "`command` needs a program to run".into()));
                }
            }
            if let Some(t) = grader.timeout_s.filter(|t| !crate::spec::config::valid_timeout(*t)) {
                diags.push(at(
                    "timeout_s",
                    format!("`timeout_s` {t} must be a number of seconds above 0 and at most {}", crate::spec::config::MAX_TIMEOUT_S),
                ));
            }
            if let Some(scale) = &grader.scale {
                match scale.as_slice() {
                    [lo, hi] if lo.is_finite() && hi.is_finite() && lo < hi => {}
                    _ => diags.push(at("scale", format!("`scale` {scale:?} must be two numbers, low then high (`[1, 5]`)"))),
                }
                if grader.choices.is_some() || grader.mode == Some(JudgeMode::Choice) {
                    diags.push(at("scale", "`scale` applies to `mode: json` judges; `choices` give each label its score".into()));
                }
            }
            for name in grader.env.iter().flatten() {
                if name.is_empty() || name.contains('=') || name.contains('\0') {
                    diags.push(at("env", format!("`{name}` is not an environment variable name")));
                }
            }
            let dimension = grader.dimension();
            if !dimensions.insert(dimension.clone()) {
                diags.push(at(
                    "type",
                    format!("two graders share the dimension name `{dimension}`; give each its own `name`"),
                ));
            }
        }
        for (i, grader) in spec.graders.iter().enumerate() {
            if grader.kind == GraderKind::TrajectoryToolArgsMatch && grader.path.is_none() && !grader.value.as_ref().is_some_and(serde_json::Value::is_object) {
                diags.push(diag_at(path, source, &[Seg::Key("graders"), Seg::Index(i), Seg::Key("value")], "without `path`, `value` is the arguments (an object) a call must include"));
            }
        }
        if spec.target == Target::Retrieval {
            for (i, grader) in spec.graders.iter().enumerate() {
                if !ranks_ids(grader.kind) {
                    diags.push(diag_at(
                        path,
                        source,
                        &[Seg::Key("graders"), Seg::Index(i), Seg::Key("type")],
                        format!("`target: retrieval` scores retrieved ids, which grader `{}` does not grade", kind_name(grader.kind)),
                    ));
                } else if grader.field.is_some() {
                    diags.push(diag_at(path, source, &[Seg::Key("graders"), Seg::Index(i), Seg::Key("field")], "`target: retrieval` grades the retrieved ids: `field` does not apply"));
                }
            }
        }
        if let Some(e) = &spec.experiment {
            let at = |keys: &[Seg<'_>], message: String| {
                let mut full = vec![Seg::Key("experiment")];
                full.extend_from_slice(keys);
                diag_at(path, source, &full, message)
            };
            if e.prompt_versions.len() + e.prompt_files.len() + e.models.len() + e.set.len() == 0 {
                diags.push(at(&[], "an experiment lists `prompt_versions`, `prompt_files`, `models` or `set`".into()));
            }
            for (key, values) in &e.set {
                if !crate::spec::prompt::PARAMETERS.contains(&key.as_str()) {
                    let mut d = at(&[Seg::Key("set"), Seg::Key(key)], format!("`{key}` is not a prompt parameter (one of {})", crate::spec::prompt::PARAMETERS.join(", ")));
                    if let Some(best) = nearest(key, crate::spec::prompt::PARAMETERS.iter().copied()) {
                        d = d.with_hint(format!("did you mean `{best}`?"));
                    }
                    diags.push(d);
                } else if values.is_empty() {
                    diags.push(at(&[Seg::Key("set"), Seg::Key(key)], format!("`{key}` lists no values")));
                } else {
                    // Each value of its kind and in range, on parameters that have none set.
                    for v in values {
                        let v = if key == "stop" && !v.is_array() { serde_json::Value::Array(vec![v.clone()]) } else { v.clone() };
                        if let Err(e) = crate::spec::prompt::Params::default().with_overrides(&[(key.clone(), v)].into()) {
                            diags.push(at(&[Seg::Key("set"), Seg::Key(key)], e));
                        }
                    }
                }
            }
            for (i, file) in e.prompt_files.iter().enumerate() {
                if !relative_inside(file) {
                    diags.push(at(&[Seg::Key("prompt_files"), Seg::Index(i)], format!("`{file}` is not a path inside the workspace")));
                } else if !(file.ends_with(".yaml") || file.ends_with(".yml")) {
                    diags.push(at(&[Seg::Key("prompt_files"), Seg::Index(i)], format!("`{file}` is not a prompt file (`.yaml`)")));
                }
            }
        }
        if let Some(gate) = &spec.gate {
            let at = |keys: &[Seg<'_>], message: String| {
                let mut full = vec![Seg::Key("gate")];
                full.extend_from_slice(keys);
                diag_at(path, source, &full, message)
            };
            for (key, value) in [("min_score", gate.min_score), ("min_pass_rate", gate.min_pass_rate), ("max_regression", gate.max_regression)] {
                if let Some(v) = value.filter(|v| !(0.0..=1.0).contains(v)) {
                    diags.push(at(&[Seg::Key(key)], format!("`{key}` {v} is outside 0..=1")));
                }
            }
            for (dimension, min) in &gate.dimensions {
                if !dimensions.contains(dimension) {
                    let mut d = at(
                        &[Seg::Key("dimensions"), Seg::Key(dimension)],
                        format!("gate names dimension `{dimension}`, which no grader has"),
                    );
                    if let Some(best) = nearest(dimension, dimensions.iter().map(String::as_str)) {
                        d = d.with_hint(format!("did you mean `{best}`?"));
                    }
                    diags.push(d);
                }
                if !(0.0..=1.0).contains(min) {
                    diags.push(at(&[Seg::Key("dimensions"), Seg::Key(dimension)], format!("minimum {min} is outside 0..=1")));
                }
            }
        }
        (Some(spec), diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
prompt: capital
dataset: capitals
graders:
  - type: icontains
    value: \"{{ expected }}\"
  - name: short
    type: word-count
    max: 5
    weight: 0
gate:
  min_pass_rate: 0.8
  dimensions:
    icontains: 0.8
";

    #[test]
    fn parses_graders_and_gate() {
        let spec = EvalSpec::parse(Path::new("evals/capital.yaml"), GOOD).unwrap();
        assert_eq!(spec.graders[0].dimension(), "icontains");
        assert_eq!(spec.graders[1].dimension(), "short");
        assert_eq!(spec.repeat, 1);
        assert_eq!(spec.gate.unwrap().min_pass_rate, Some(0.8));
    }

    #[test]
    fn an_unknown_grader_type_suggests_the_nearest() {
        let src = GOOD.replace("type: icontains", "type: icontain");
        let d = &EvalSpec::parse(Path::new("e.yaml"), &src).unwrap_err()[0];
        assert!(d.message.contains("unknown variant `icontain`"), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("did you mean `icontains`?"));
        assert_eq!(d.line, Some(4));
    }

    #[test]
    fn parameters_are_checked_per_type_with_lines() {
        let src = "prompt: p\ndataset: d\ngraders:\n  - type: regex\n    pattern: '(a'\n  - type: contains\n    k: 3\n";
        let diags = EvalSpec::parse(Path::new("e.yaml"), src).unwrap_err();
        let got: Vec<_> = diags.iter().map(|d| (d.line, d.message.clone())).collect();
        assert_eq!(got[0].0, Some(5));
        assert!(got[0].1.starts_with("regex `(a` does not compile"), "{got:?}");
        assert_eq!(got[1], (Some(6), "grader `contains` needs `value`".to_owned()));
        assert_eq!(got[2], (Some(7), "`k` does not apply to grader `contains`".to_owned()));
    }

    #[test]
    fn a_json_schema_that_is_not_a_schema_is_reported() {
        let src = "prompt: p\ndataset: d\ngraders:\n  - type: json-schema\n    schema: {type: nonsense}\n";
        let diags = EvalSpec::parse(Path::new("e.yaml"), src).unwrap_err();
        assert_eq!(diags[0].line, Some(5));
        assert!(diags[0].message.starts_with("`schema` is not a valid JSON schema"), "{}", diags[0].message);
    }

    #[test]
    fn a_gate_dimension_must_name_a_grader() {
        let src = GOOD.replace("    icontains: 0.8", "    icontain: 0.8");
        let d = &EvalSpec::parse(Path::new("e.yaml"), &src).unwrap_err()[0];
        assert_eq!(d.line, Some(13));
        assert_eq!(d.hint.as_deref(), Some("did you mean `icontains`?"));
    }
}
