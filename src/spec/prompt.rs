//! `prompts/<name>.yaml`: chat messages as minijinja templates, plus the model, sampling
//! parameters, response format and tools they are sent with.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Seg, diag_at, parse_yaml};
use crate::diagnostic::Diagnostic;
use crate::template;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A model from `.llmops/config.yaml`; default: the config's `default_model`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default)]
    pub params: Params,
    pub messages: Vec<Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// The parameters a request to `llmops serve` may set for this prompt; the others stay
    /// as released (`max_tokens` may always be lowered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overridable: Vec<ParamName>,
    /// Retrieval before rendering: the chunks found become a template variable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieve: Option<RetrieveSpec>,
    /// Whether the model may (`auto`, the default with `tools:`), must (`required`, or a
    /// tool by `{name: …}`) or may not (`none`) call a tool; `required` and a named tool hold
    /// for the loop's first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Whether one step may call several tools at once (default: yes, as OpenAI's API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    /// Bounds of the tool-calling loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentSpec>,
}

/// `tool_choice:` in the OpenAI format.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ToolChoice {
    Mode(ToolMode),
    Named { name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolMode {
    Auto,
    Required,
    None,
}

/// The limits of an agent loop: steps (model calls), tool calls, and seconds in all.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    #[serde(default = "AgentSpec::default_max_steps")]
    pub max_steps: u32,
    #[serde(default = "AgentSpec::default_max_tool_calls")]
    pub max_tool_calls: u32,
    #[serde(default = "AgentSpec::default_timeout")]
    pub timeout_s: f64,
}

impl AgentSpec {
    fn default_max_steps() -> u32 {
        6
    }
    fn default_max_tool_calls() -> u32 {
        12
    }
    fn default_timeout() -> f64 {
        120.0
    }
}

impl Default for AgentSpec {
    fn default() -> Self {
        AgentSpec { max_steps: Self::default_max_steps(), max_tool_calls: Self::default_max_tool_calls(), timeout_s: Self::default_timeout() }
    }
}

impl Prompt {
    /// Whether the prompt runs as a tool-calling loop: it has tools, and may call them.
    pub fn is_agent(&self) -> bool {
        !self.tools.is_empty() && self.tool_choice != Some(ToolChoice::Mode(ToolMode::None))
    }
}

/// `retrieve:` of a RAG prompt: search `index` for the rendered `query` and give the `k`
/// chunks found (each with `id`, `chunk`, `text`, `score` and `meta`) to the templates as
/// variable `as`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetrieveSpec {
    /// An index of `.llmops/config.yaml`.
    pub index: String,
    /// A minijinja template over the row's variables, e.g. `"{{ question }}"`.
    pub query: String,
    #[serde(default = "RetrieveSpec::default_k")]
    pub k: usize,
    /// Default: the index's mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<crate::spec::config::SearchMode>,
    /// The template variable the chunks become.
    #[serde(rename = "as", default = "RetrieveSpec::default_as")]
    pub var: String,
    /// Only chunks of rows whose variable equals the rendered template (all must hold).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub filter: std::collections::BTreeMap<String, String>,
}

impl RetrieveSpec {
    fn default_k() -> usize {
        4
    }
    fn default_as() -> String {
        "context".into()
    }
}

/// A sampling parameter, by its name in `params:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamName {
    Temperature,
    TopP,
    TopK,
    MinP,
    RepeatPenalty,
    MaxTokens,
    Seed,
    Stop,
}

impl ParamName {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamName::Temperature => "temperature",
            ParamName::TopP => "top_p",
            ParamName::TopK => "top_k",
            ParamName::MinP => "min_p",
            ParamName::RepeatPenalty => "repeat_penalty",
            ParamName::MaxTokens => "max_tokens",
            ParamName::Seed => "seed",
            ParamName::Stop => "stop",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub role: Role,
    /// A minijinja template over the dataset row's `vars`.
    pub content: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        }
    }
}

/// The names of [`Params`]' fields, which experiments may set otherwise.
pub const PARAMETERS: [&str; 8] = ["temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed", "stop"];

/// Sampling parameters. Temperature 0 (the default) decodes greedily.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_penalty: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop: Vec<String>,
}

impl Params {
    /// These parameters with `overrides` set: each a parameter of `params:` ([`PARAMETERS`])
    /// with a value of its kind, in range as a prompt file's must be.
    pub fn with_overrides(&self, overrides: &std::collections::BTreeMap<String, serde_json::Value>) -> Result<Params, String> {
        let mut value = serde_json::to_value(self).map_err(|e| e.to_string())?;
        for (key, v) in overrides {
            if !PARAMETERS.contains(&key.as_str()) {
                return Err(format!("`{key}` is not a prompt parameter (one of {})", PARAMETERS.join(", ")));
            }
            value[key.as_str()] = v.clone();
        }
        let out: Params = serde_json::from_value(value).map_err(|e| format!("{e}"))?;
        let out_of_range = out.temperature.is_some_and(|t| !(0.0..=5.0).contains(&t))
            || out.top_p.is_some_and(|v| !(v > 0.0 && v <= 1.0))
            || out.min_p.is_some_and(|v| !(0.0..=1.0).contains(&v))
            || out.repeat_penalty.is_some_and(|v| v <= 0.0)
            || out.max_tokens == Some(0)
            || out.stop.iter().any(String::is_empty);
        if out_of_range {
            let set: Vec<String> = overrides.iter().map(|(k, v)| format!("{k}={v}")).collect();
            return Err(format!("{} is out of range (temperature 0..=5, top_p (0, 1], min_p 0..=1, repeat_penalty above 0, max_tokens at least 1, no empty stop)", set.join(", ")));
        }
        Ok(out)
    }
}

/// The shape the answer must take.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseFormat {
    #[serde(rename = "type")]
    pub kind: ResponseKind,
    /// The JSON schema, for `json_schema`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseKind {
    Text,
    JsonObject,
    JsonSchema,
}

/// A function the model may call, described by a JSON schema of its arguments, and what
/// answers it: the dataset row's `tool_results` (the default: a mock), a program (`command:`,
/// only with `--allow-exec`), a retrieval index (`retrieve:`), or another prompt of the
/// workspace run as a sub-agent (`prompt:`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default = "empty_object")]
    pub parameters: serde_json::Value,
    /// Answered from the row's `tool_results` (the default when nothing else is given).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mock: bool,
    /// `[program, args…]`: the arguments as JSON on stdin, the result on stdout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<f64>,
    /// Environment variables a `command` tool receives besides `PATH`, `HOME` and `LANG`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<String>>,
    /// An index of the config: the tool searches it for `{"query": …, "k": …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieve: Option<String>,
    /// Another prompt of the workspace, run as a sub-agent: the call's arguments are its
    /// template variables, its final answer is the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
}

/// What answers a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolKind {
    Mock,
    Command,
    Retrieve,
    Agent,
}

impl Tool {
    pub fn kind(&self) -> ToolKind {
        if self.command.is_some() {
            ToolKind::Command
        } else if self.retrieve.is_some() {
            ToolKind::Retrieve
        } else if self.prompt.is_some() {
            ToolKind::Agent
        } else {
            ToolKind::Mock
        }
    }

    /// The JSON schema of the tool's arguments as the model must write them: `parameters`, or
    /// where a retrieval or sub-agent tool declares none, `{query, k}` and `{input}`.
    pub fn arguments_schema(&self) -> serde_json::Value {
        match self.kind() {
            ToolKind::Retrieve if self.parameters == empty_object() => serde_json::json!({
                "type": "object",
                "properties": {"query": {"type": "string"}, "k": {"type": "integer", "minimum": 1, "maximum": 20}},
                "required": ["query"]
            }),
            ToolKind::Agent if self.parameters == empty_object() => serde_json::json!({
                "type": "object",
                "properties": {"input": {"type": "string"}},
                "required": ["input"]
            }),
            _ => self.parameters.clone(),
        }
    }
}

fn empty_object() -> serde_json::Value {
    serde_json::json!({"type": "object", "properties": {}})
}

impl Prompt {
    /// Parses and checks a prompt file: templates compile, parameters are in range.
    pub fn parse(path: &Path, source: &str) -> Result<Prompt, Vec<Diagnostic>> {
        let prompt: Prompt = parse_yaml(path, source).map_err(|d| vec![d])?;
        let mut diags = Vec::new();
        if prompt.messages.is_empty() {
            diags.push(diag_at(path, source, &[Seg::Key("messages")], "a prompt needs at least one message"));
        }
        for (i, message) in prompt.messages.iter().enumerate() {
            if let Err(err) = template::compile_check(&message.content) {
                let at = [Seg::Key("messages"), Seg::Index(i), Seg::Key("content")];
                diags.push(diag_at(path, source, &at, format!("template of message {} does not compile: {err}", i + 1)));
            }
        }
        let p = &prompt.params;
        let param = |key: &'static str, message: String| diag_at(path, source, &[Seg::Key("params"), Seg::Key(key)], message);
        if let Some(t) = p.temperature.filter(|t| !(0.0..=5.0).contains(t)) {
            diags.push(param("temperature", format!("`temperature` {t} is outside 0..=5")));
        }
        if let Some(v) = p.top_p.filter(|v| !(*v > 0.0 && *v <= 1.0)) {
            diags.push(param("top_p", format!("`top_p` {v} is outside (0, 1]")));
        }
        if let Some(v) = p.min_p.filter(|v| !(0.0..=1.0).contains(v)) {
            diags.push(param("min_p", format!("`min_p` {v} is outside 0..=1")));
        }
        if let Some(v) = p.repeat_penalty.filter(|v| *v <= 0.0) {
            diags.push(param("repeat_penalty", format!("`repeat_penalty` {v} must be positive")));
        }
        if p.max_tokens == Some(0) {
            diags.push(param("max_tokens", "`max_tokens` must be at least 1".into()));
        }
        if let Some(format) = &prompt.response_format {
            let at = |key| diag_at(path, source, &[Seg::Key("response_format"), Seg::Key(key)], "");
            match (format.kind, &format.schema) {
                (ResponseKind::JsonSchema, None) => {
                    diags.push(Diagnostic { message: "`json_schema` needs a `schema`".into(), ..at("type") })
                }
                (ResponseKind::JsonSchema, Some(schema)) if !schema.is_object() && !schema.is_boolean() => diags.push(
                    Diagnostic { message: "`schema` must be a JSON schema object".into(), ..at("schema") },
                ),
                (ResponseKind::Text | ResponseKind::JsonObject, Some(_)) => diags.push(Diagnostic {
                    message: "`schema` applies only to `type: json_schema`".into(),
                    ..at("schema")
                }),
                _ => {}
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for (i, tool) in prompt.tools.iter().enumerate() {
            let at = |key: &'static str, message: String| diag_at(path, source, &[Seg::Key("tools"), Seg::Index(i), Seg::Key(key)], message);
            if !names.insert(tool.name.as_str()) {
                diags.push(at("name", format!("tool `{}` is defined twice", tool.name)));
            }
            if tool.name.is_empty() || !tool.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') || tool.name.len() > 64 {
                diags.push(at("name", format!("tool name `{}` must be 1 to 64 letters, digits, `_` or `-`", tool.name)));
            }
            let bound = [tool.mock, tool.command.is_some(), tool.retrieve.is_some(), tool.prompt.is_some()].iter().filter(|b| **b).count();
            if bound > 1 {
                diags.push(at("name", format!("tool `{}` is answered by one of `mock`, `command`, `retrieve` or `prompt`, not several", tool.name)));
            }
            if tool.command.as_ref().is_some_and(|c| c.is_empty()) {
                diags.push(at("command", "`command` needs a program to run".into()));
            }
            if (tool.timeout_s.is_some() || tool.env.is_some()) && tool.command.is_none() {
                diags.push(at("name", "`timeout_s` and `env` apply to `command` tools".into()));
            }
            if let Some(t) = tool.timeout_s.filter(|t| !crate::spec::config::valid_timeout(*t)) {
                diags.push(at("timeout_s", format!("`timeout_s` {t} must be a number of seconds above 0 and at most {}", crate::spec::config::MAX_TIMEOUT_S)));
            }
            if let Err(e) = crate::json_schema::check_schema(&tool.parameters) {
                diags.push(at("parameters", format!("`parameters` is not a JSON schema: {e}")));
            }
            // A call's grammar nests each tool's schema, where `#/…` references would point
            // elsewhere.
            if tool.parameters.to_string().contains("\"$ref\"") {
                diags.push(at("parameters", "`$ref` in a tool's `parameters` is not supported yet: write the schema out".into()));
            }
        }
        if let Some(ToolChoice::Named { name }) = &prompt.tool_choice {
            if !names.contains(name.as_str()) {
                diags.push(diag_at(path, source, &[Seg::Key("tool_choice")], format!("`tool_choice` names `{name}`, which is not among `tools:`")));
            }
        }
        if let Some(a) = &prompt.agent {
            if a.max_steps == 0 || a.max_steps > 100 || a.max_tool_calls == 0 || a.max_tool_calls > 1000 || !crate::spec::config::valid_timeout(a.timeout_s) {
                diags.push(diag_at(path, source, &[Seg::Key("agent")], format!(
                    "`max_steps` must be 1 to 100, `max_tool_calls` 1 to 1000 and `timeout_s` a number of seconds above 0 (got {}, {} and {})",
                    a.max_steps, a.max_tool_calls, a.timeout_s
                )));
            }
        }
        if let Some(r) = &prompt.retrieve {
            let at = |key: &'static str, message: String| diag_at(path, source, &[Seg::Key("retrieve"), Seg::Key(key)], message);
            for (key, template) in std::iter::once(("query", &r.query)).chain(r.filter.values().map(|t| ("filter", t))) {
                if let Err(err) = template::compile_check(template) {
                    diags.push(at(key, format!("the retrieval {key} does not compile: {err}")));
                }
            }
            if !(1..=100).contains(&r.k) {
                diags.push(at("k", format!("`k` {} must be 1 to 100", r.k)));
            }
            let identifier = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !identifier(&r.var) {
                diags.push(at("as", format!("`as: {}` must be a template variable name (letters, digits, `_`)", r.var)));
            }
            if crate::names::Name::parse(&r.index).is_err() {
                diags.push(at("index", format!("`{}` is not an index name", r.index)));
            }
        }
        if diags.is_empty() { Ok(prompt) } else { Err(diags) }
    }

    /// The variables a row must give, sorted: those the templates use, less the one retrieval
    /// fills, plus those of the retrieval query and filters.
    pub fn variables(&self) -> std::collections::BTreeSet<String> {
        let mut vars: std::collections::BTreeSet<String> = self.messages.iter().flat_map(|m| template::variables(&m.content)).collect();
        if let Some(r) = &self.retrieve {
            vars.remove(&r.var);
            vars.extend(template::variables(&r.query));
            vars.extend(r.filter.values().flat_map(|t| template::variables(t)));
        }
        vars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
model: smollm2
params:
  temperature: 0
  max_tokens: 32
messages:
  - role: system
    content: Answer with one word.
  - role: user
    content: What is the capital of {{ country }}?
";

    #[test]
    fn parses_a_prompt_and_lists_its_variables() {
        let p = Prompt::parse(Path::new("prompts/capital.yaml"), GOOD).unwrap();
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.params.max_tokens, Some(32));
        assert_eq!(p.variables().into_iter().collect::<Vec<_>>(), ["country"]);
    }

    #[test]
    fn a_template_that_does_not_compile_is_located() {
        let src = GOOD.replace("{{ country }}", "{{ country ");
        let d = &Prompt::parse(Path::new("prompts/capital.yaml"), &src).unwrap_err()[0];
        assert_eq!(d.line, Some(9), "{d}");
        assert!(d.message.contains("message 2 does not compile"), "{d}");
    }

    #[test]
    fn out_of_range_parameters_are_reported_together() {
        let src = GOOD.replace("temperature: 0", "temperature: -1\n  top_p: 2");
        let diags = Prompt::parse(Path::new("p.yaml"), &src).unwrap_err();
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].line, Some(3));
        assert_eq!(diags[1].line, Some(4));
    }
}
