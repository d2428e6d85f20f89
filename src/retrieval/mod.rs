//! Retrieval indexes over datasets of the workspace (the `indexes:` block of the config):
//! each row's text, from a template over its variables, cut into overlapping chunks of words,
//! indexed for BM25 (tantivy; stemming and stop words per language) and, with an
//! `embed_model`, embedded into an HNSW graph (usearch), under `.llmops/index/<name>/`
//! (git-ignored). An index's identity is a hash of its dataset's version, its settings and the
//! embedding model's identity: a changed row, setting or model makes the built index stale.
//! Searches rank by BM25, by vector or by both fused.

pub mod bm25;
pub mod vector;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::engine::Provider;
use crate::spec::config::{Fusion, HybridSpec, IndexSpec, SearchMode};
use crate::workspace::{Workspace, WorkspaceError};

/// Where built indexes live, relative to the workspace root.
pub const INDEX_DIR: &str = ".llmops/index";
/// The version of the on-disk layout; part of the identity.
const FORMAT: u32 = 3;
const MANIFEST: &str = "manifest.json";
const CHUNKS: &str = "chunks.jsonl";
const GRAPH: &str = "vectors.usearch";
const EMBEDDINGS: &str = "embeddings.f32";
/// Texts per call to the embedding model while building.
const EMBED_BATCH: usize = 64;

/// One chunk of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    /// The document's id (the row's, or the `id` template's).
    pub doc: String,
    /// The chunk's position in its document, from 0.
    pub chunk: usize,
    pub text: String,
    /// The row's variables that are plain values (strings, numbers, booleans), for filters.
    pub meta: Map<String, Value>,
}

/// What a built index records about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub identity: String,
    pub dataset: String,
    /// The dataset's blob id when the index was built.
    pub dataset_blob: String,
    pub docs: usize,
    pub chunks: usize,
    /// The BM25 language the index was analysed with (queries are analysed alike).
    pub language: String,
    /// Seconds since the epoch.
    pub built: i64,
    /// The model that embedded the chunks (queries must be embedded by the same one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed_model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed_model_id: Option<String>,
    /// Dimensions of the embeddings (0 without vectors).
    #[serde(default)]
    pub dims: usize,
    /// Chunks embedded by this build, and chunks whose vectors an earlier build made.
    #[serde(default)]
    pub embedded: usize,
    #[serde(default)]
    pub reused: usize,
    /// The sha256 of the graph file: a damaged graph is refused before the search library
    /// reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph_sha256: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RetrievalError {
    #[error("no index `{name}` in `.llmops/config.yaml`{}", if .known.is_empty() { " (it has no `indexes:`)".to_owned() } else { format!(" (indexes: {})", .known.join(", ")) })]
    Unknown { name: String, known: Vec<String> },
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{} problem{} found", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Diagnostic>),
    #[error("index `{name}` is not built")]
    NotBuilt { name: String },
    #[error("index `{name}` at `{path}` cannot be read: {detail}")]
    Corrupt { name: String, path: String, detail: String },
    #[error("cannot write index `{name}` at `{path}`: {detail}")]
    Write { name: String, path: String, detail: String },
    #[error("the query is empty")]
    EmptyQuery,
    #[error("`--filter {0}` is not FIELD=VALUE")]
    BadFilter(String),
    #[error("`{path}` is a symbolic link: llmops writes indexes only into the work tree's own folders")]
    Symlink { path: String },
    #[error("`{path}` is tracked by git: built indexes are this machine's own, never committed (a committed one would be trusted as built); remove it from git (`git rm -r --cached .llmops/index`) and build again")]
    Tracked { path: String },
    #[error("index `{name}` has no vectors (it names no `embed_model`): search it with `--mode bm25`")]
    NoVectors { name: String },
    #[error("index `{name}` was built with embedding model {built}, and the config now gives {now}: rebuild it (`llmops index build {name}`)")]
    ModelChanged { name: String, built: String, now: String },
    #[error("embedding model `{model}`: {detail}")]
    Embed { model: String, detail: String },
    #[error("the retrieval query {0}")]
    Query(String),
}

/// The words of `text` in windows of `max` words, each window starting `max - overlap`
/// words after the one before; a text of `max` words or fewer is one window. No window is
/// made only of words the one before already had.
pub fn windows(text: &str, max: usize, overlap: usize) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    let step = max.saturating_sub(overlap).max(1);
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let end = (start + max).min(words.len());
        out.push(words[start..end].join(" "));
        if end == words.len() {
            return out;
        }
        start += step;
    }
}

/// The chunks of a dataset's rows. A row whose templates do not render is an error naming
/// the dataset file and the row's line; a row with no words makes no chunk.
pub fn chunks(spec: &IndexSpec, path: &str, rows: impl IntoIterator<Item = Result<crate::spec::dataset::Row, Diagnostic>>) -> Result<Vec<Chunk>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let mut vars = row.vars.clone();
        vars.entry("id").or_insert_with(|| Value::String(row.id.clone()));
        let rendered = crate::template::render_text(&spec.text, &vars).and_then(|text| match &spec.id {
            Some(t) => crate::template::render_text(t, &vars).map(|id| (text, id)),
            None => Ok((text, row.id.clone())),
        });
        let (text, doc) = match rendered {
            Ok(r) => r,
            Err(why) => {
                problems.push(Diagnostic::new(path, format!("row `{}`: the index text or id {why}", row.id)).at_line(row.line, ""));
                continue;
            }
        };
        let mut meta: Map<String, Value> = row.vars.iter().filter(|(_, v)| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))).map(|(k, v)| (k.clone(), v.clone())).collect();
        meta.entry("id").or_insert_with(|| Value::String(row.id.clone()));
        for (chunk, text) in windows(&text, spec.chunk.max_tokens, spec.chunk.overlap).into_iter().enumerate() {
            out.push(Chunk { doc: doc.clone(), chunk, text, meta: meta.clone() });
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The filter term of a row variable (`field=value`; strings without quotes).
pub(crate) fn filter_term(field: &str, value: &Value) -> String {
    match value {
        Value::String(s) => format!("{field}={s}"),
        other => format!("{field}={other}"),
    }
}

/// The identity of an index built from dataset version `dataset_blob` with `spec`, its
/// chunks embedded by the model identified as `embed_id` (see `engine::model_id`).
pub fn identity(spec: &IndexSpec, dataset_blob: &str, embed_id: Option<&str>) -> String {
    let input = serde_json::json!({"format": FORMAT, "dataset_blob": dataset_blob, "spec": spec, "embed_model_id": embed_id});
    let digest = Sha256::digest(serde_json::to_vec(&input).expect("JSON"));
    crate::engine::model_file::hex(&digest)
}

fn spec<'a>(ws: &'a Workspace, name: &str) -> Result<&'a IndexSpec, RetrievalError> {
    ws.config.indexes.get(name).ok_or_else(|| RetrievalError::Unknown { name: name.to_owned(), known: ws.config.indexes.keys().cloned().collect() })
}

/// The identity the config gives the embedding model of `spec`, if it names one: the model's
/// own, and for a local model the context it runs with (a text is cut to it).
fn embed_id(ws: &Workspace, spec: &IndexSpec) -> Option<String> {
    spec.embed_model.as_ref().map(|m| match ws.config.models.get(m) {
        Some(model) if model.provider() == crate::spec::config::Provider::LlamaCpp => format!("{}#context={}", crate::engine::model_id(model), model.context.unwrap_or(2048)),
        Some(model) => crate::engine::model_id(model),
        None => format!("unknown:{m}"),
    })
}

/// The identity index `name` has when built from the work tree's dataset and config.
pub fn current_identity(ws: &Workspace, name: &str) -> Result<String, RetrievalError> {
    let spec = spec(ws, name)?;
    let (_, blob, _) = ws.open_dataset(&spec.dataset)?;
    Ok(identity(spec, &blob.to_string(), embed_id(ws, spec).as_deref()))
}

fn dir_of(ws: &Workspace, name: &str) -> PathBuf {
    ws.root.join(INDEX_DIR).join(name)
}

/// How a configured index stands.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub name: String,
    pub dataset: String,
    /// `missing`, `stale` or `built`.
    pub state: &'static str,
    /// The identity the config and the dataset's current version give.
    pub identity: String,
    pub manifest: Option<Manifest>,
    /// Bytes on disk.
    pub bytes: u64,
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map(|m| m.len()).unwrap_or(0),
            _ => 0,
        })
        .sum()
}

fn read_manifest(ws: &Workspace, name: &str) -> Result<Option<Manifest>, RetrievalError> {
    refuse_links(ws, name)?;
    let path = dir_of(ws, name).join(MANIFEST);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(RetrievalError::Corrupt { name: name.to_owned(), path: rel(ws, &path), detail: e.to_string() }),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| RetrievalError::Corrupt { name: name.to_owned(), path: rel(ws, &path), detail: e.to_string() })
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn rel(ws: &Workspace, path: &Path) -> String {
    path.strip_prefix(&ws.root).unwrap_or(path).display().to_string()
}

/// The status of index `name`.
pub fn status(ws: &Workspace, name: &str) -> Result<Status, RetrievalError> {
    let spec = spec(ws, name)?;
    let identity = current_identity(ws, name)?;
    let manifest = read_manifest(ws, name)?;
    let state = match &manifest {
        None => "missing",
        Some(m) if m.identity != identity => "stale",
        Some(_) => "built",
    };
    Ok(Status { name: name.to_owned(), dataset: spec.dataset.clone(), state, identity, manifest, bytes: dir_size(&dir_of(ws, name)) })
}

/// Where a build stands, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildStage {
    /// Rows read and cut into `total` chunks.
    Chunked { docs: usize, chunks: usize },
    /// `done` of the `total` chunks that need a vector are embedded.
    Embedding { done: usize, total: usize },
    /// The BM25 index and the graph are being written.
    Writing,
}

/// The embedding model of `spec`, opened.
fn open_embedder(ws: &Workspace, model: &str) -> Result<Box<dyn Provider>, RetrievalError> {
    crate::engine::open(&ws.repo_root(), &ws.config, model, &crate::engine::RunOptions::default())
        .map_err(|e| RetrievalError::Embed { model: model.to_owned(), detail: e.to_string() })
}

fn file_sha256(path: &Path) -> std::io::Result<String> {
    crate::engine::model_file::sha256_file(path, &mut |_| {})
}

fn text_hash(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// The vectors an earlier build of `dir` made with model `model_id`, by the hash of their
/// chunk's text; empty when there is no such build or it cannot be read.
fn earlier_vectors(dir: &Path, model_id: &str) -> std::collections::HashMap<[u8; 32], Vec<f32>> {
    let mut out = std::collections::HashMap::new();
    let Ok(bytes) = std::fs::read(dir.join(MANIFEST)) else { return out };
    let Ok(manifest) = serde_json::from_slice::<Manifest>(&bytes) else { return out };
    if manifest.embed_model_id.as_deref() != Some(model_id) || manifest.dims == 0 {
        return out;
    }
    let Ok(chunks) = read_chunks(dir) else { return out };
    let Some(vectors) = vector::read_raw(&dir.join(EMBEDDINGS), chunks.len(), manifest.dims) else { return out };
    for (c, v) in chunks.iter().zip(vectors) {
        out.insert(text_hash(&c.text), v);
    }
    out
}

fn read_chunks(dir: &Path) -> Result<Vec<Chunk>, String> {
    let text = std::fs::read_to_string(dir.join(CHUNKS)).map_err(|e| format!("{CHUNKS}: {e}"))?;
    text.lines().enumerate().map(|(i, line)| serde_json::from_str(line).map_err(|e| format!("{CHUNKS} line {}: {e}", i + 1))).collect()
}

/// Builds index `name` from the work tree's dataset, replacing what was built before only
/// once the new index is complete. Chunks whose text an earlier build embedded with the same
/// model keep their vectors; only new or changed chunks are embedded.
pub fn build(ws: &Workspace, name: &str, progress: &mut dyn FnMut(BuildStage)) -> Result<Manifest, RetrievalError> {
    let spec = spec(ws, name)?;
    let (file, blob, rows) = ws.open_dataset(&spec.dataset)?;
    let chunks = chunks(spec, &file.rel_path, rows).map_err(RetrievalError::Invalid)?;
    let docs = chunks.iter().map(|c| c.doc.as_str()).collect::<std::collections::BTreeSet<_>>().len();
    progress(BuildStage::Chunked { docs, chunks: chunks.len() });
    let dir = dir_of(ws, name);
    let write_err = |detail: String| RetrievalError::Write { name: name.to_owned(), path: rel(ws, &dir), detail };
    let parent = ws.root.join(INDEX_DIR);
    refuse_links(ws, name)?;

    // Vectors first: the slow part, and the part that can fail on the model.
    let embed_model_id = embed_id(ws, spec);
    let mut vectors: Vec<Vec<f32>> = Vec::new();
    let (mut embedded, mut reused) = (0, 0);
    if let (Some(model), Some(model_id)) = (&spec.embed_model, &embed_model_id) {
        let earlier = earlier_vectors(&dir, model_id);
        let missing: Vec<usize> = (0..chunks.len()).filter(|&i| !earlier.contains_key(&text_hash(&chunks[i].text))).collect();
        let mut fresh: std::collections::HashMap<usize, Vec<f32>> = std::collections::HashMap::new();
        if !missing.is_empty() {
            let embedder = open_embedder(ws, model)?;
            progress(BuildStage::Embedding { done: 0, total: missing.len() });
            for batch in missing.chunks(EMBED_BATCH) {
                let texts: Vec<String> = batch.iter().map(|&i| chunks[i].text.clone()).collect();
                let got = embedder.embed(&texts).map_err(|e| RetrievalError::Embed { model: model.clone(), detail: e.to_string() })?;
                if got.len() != texts.len() {
                    return Err(RetrievalError::Embed { model: model.clone(), detail: format!("{} embeddings for {} texts", got.len(), texts.len()) });
                }
                fresh.extend(batch.iter().copied().zip(got));
                progress(BuildStage::Embedding { done: fresh.len(), total: missing.len() });
            }
        }
        for (i, c) in chunks.iter().enumerate() {
            match fresh.remove(&i) {
                Some(v) => {
                    embedded += 1;
                    vectors.push(v);
                }
                None => {
                    reused += 1;
                    vectors.push(earlier[&text_hash(&c.text)].clone());
                }
            }
        }
    }
    let dims = vectors.first().map_or(0, Vec::len);
    if dims == 0 && !vectors.is_empty() || vectors.iter().any(|v| v.len() != dims) {
        return Err(RetrievalError::Embed { model: spec.embed_model.clone().unwrap_or_default(), detail: "the model gave embeddings of different lengths (or none)".into() });
    }
    progress(BuildStage::Writing);

    std::fs::create_dir_all(&parent).map_err(|e| write_err(e.to_string()))?;
    // Built indexes are never committed, in workspaces made before `.gitignore` said so too.
    let ignore = parent.join(".gitignore");
    if std::fs::symlink_metadata(&ignore).is_err() {
        std::fs::write(&ignore, "*\n").map_err(|e| write_err(e.to_string()))?;
    }
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| write_err(e.to_string()))?;
    let mut graph_sha256 = None;
    let result = (|| {
        bm25::write(&staging.join("bm25"), &spec.bm25.language, &chunks).map_err(|e| write_err(e.to_string()))?;
        let mut table = Vec::new();
        for c in &chunks {
            serde_json::to_writer(&mut table, c).expect("JSON");
            table.push(b'\n');
        }
        crate::atomic_write::write_atomic(&staging.join(CHUNKS), &table).map_err(|e| write_err(e.to_string()))?;
        if spec.embed_model.is_some() && !vectors.is_empty() {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let graph = vector::VectorIndex::build(dims, &spec.vectors, &vectors, threads).map_err(|e| write_err(e.to_string()))?;
            graph.save(&staging.join(GRAPH)).map_err(|e| write_err(e.to_string()))?;
            vector::write_raw(&staging.join(EMBEDDINGS), &vectors).map_err(|e| write_err(e.to_string()))?;
            graph_sha256 = Some(file_sha256(&staging.join(GRAPH)).map_err(|e| write_err(e.to_string()))?);
        }
        let manifest = Manifest {
            identity: identity(spec, &blob.to_string(), embed_model_id.as_deref()),
            dataset: spec.dataset.clone(),
            dataset_blob: blob.to_string(),
            docs,
            chunks: chunks.len(),
            language: spec.bm25.language.clone(),
            built: now_seconds(),
            embed_model: spec.embed_model.clone(),
            embed_model_id: embed_model_id.clone(),
            dims,
            embedded,
            reused,
            graph_sha256,
        };
        let json = serde_json::to_vec_pretty(&manifest).expect("JSON");
        crate::atomic_write::write_atomic(&staging.join(MANIFEST), &json).map_err(|e| write_err(e.to_string()))?;
        // The old index steps aside, the new one takes its place, and only then is the old
        // one removed; if the swap fails the old one comes back.
        let had_old = dir.exists();
        if had_old {
            std::fs::rename(&dir, &old).map_err(|e| write_err(e.to_string()))?;
        }
        if let Err(e) = std::fs::rename(&staging, &dir) {
            if had_old {
                let _ = std::fs::rename(&old, &dir);
            }
            return Err(write_err(e.to_string()));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(manifest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Refuses an index folder that is not this machine's own build: `.llmops/index` or
/// `.llmops/index/<name>` (or a file in it) as a symbolic link, so that a build writes and
/// removes only inside the work tree's own folders and a search reads nothing else; and files
/// under `.llmops/index` that git tracks, since a committed (pulled) index would be trusted as
/// built here, its graph read by the vector library and its vectors reused by the next build.
fn refuse_links(ws: &Workspace, name: &str) -> Result<(), RetrievalError> {
    let dir = dir_of(ws, name);
    let inside = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path());
    let bm25 = std::fs::read_dir(dir.join("bm25")).into_iter().flatten().flatten().map(|e| e.path());
    for path in [ws.root.join(".llmops"), ws.root.join(INDEX_DIR), dir.clone()].into_iter().chain(inside).chain(bm25) {
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(RetrievalError::Symlink { path: rel(ws, &path) });
        }
    }
    let tracked = std::process::Command::new("git").current_dir(&ws.root).args(["ls-files", "-z", "--", INDEX_DIR]).stderr(std::process::Stdio::null()).output();
    if let Ok(out) = tracked {
        if let Some(first) = out.stdout.split(|b| *b == 0).find(|p| !p.is_empty()) {
            return Err(RetrievalError::Tracked { path: String::from_utf8_lossy(first).into_owned() });
        }
    }
    Ok(())
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub doc: String,
    pub chunk: usize,
    /// BM25's score, the cosine similarity, or the fused score, by mode.
    pub score: f32,
    pub text: String,
    pub meta: Map<String, Value>,
}

/// `FIELD=VALUE` filters, checked.
pub fn parse_filters(filters: &[String]) -> Result<Vec<(String, String)>, RetrievalError> {
    filters
        .iter()
        .map(|f| match f.split_once('=') {
            Some((field, value)) if !field.is_empty() => Ok((field.to_owned(), value.to_owned())),
            _ => Err(RetrievalError::BadFilter(f.clone())),
        })
        .collect()
}

/// A query as BM25 takes it: the person's words, not query syntax (quotes, fields and
/// operators are taken as text), lower case; `None` when no word is left.
fn query_words(query: &str) -> Option<String> {
    let words: String = query.chars().map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' }).collect::<String>().to_lowercase();
    (!words.trim().is_empty()).then_some(words)
}

/// Fuses two rankings of keys (each best first) into one, best first, ties broken by key.
/// Reciprocal rank fusion scores a key Σ 1 / (rrf_k + rank) over the rankings it is in (rank
/// from 1); the weighted sum scales each ranking's scores to 0..1 (all 1 when they are equal)
/// and adds `weight` × the vector score and (1 − `weight`) × the BM25 score.
pub fn fuse(bm25: &[(u64, f32)], vectors: &[(u64, f32)], how: &HybridSpec) -> Vec<(u64, f64)> {
    let mut scores: std::collections::HashMap<u64, f64> = std::collections::HashMap::new();
    let mut add = |ranking: &[(u64, f32)], share: f64| {
        let (lo, hi) = ranking.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, s)| (lo.min(*s as f64), hi.max(*s as f64)));
        for (rank, (key, score)) in ranking.iter().enumerate() {
            let part = match how.fusion {
                Fusion::Rrf => 1.0 / (how.rrf_k + rank as f64 + 1.0),
                Fusion::Weighted => share * if hi > lo { (*score as f64 - lo) / (hi - lo) } else { 1.0 },
            };
            *scores.entry(*key).or_default() += part;
        }
    };
    add(bm25, 1.0 - how.weight);
    add(vectors, how.weight);
    let mut out: Vec<(u64, f64)> = scores.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// A built index, opened for searching: its chunk table, its BM25 index and, for vector and
/// hybrid searches, its graph and the model that embeds queries.
pub struct Opened {
    pub name: String,
    pub manifest: Manifest,
    pub mode: SearchMode,
    hybrid: HybridSpec,
    chunks: Vec<Chunk>,
    bm25: bm25::Reader,
    vectors: Option<vector::VectorIndex>,
    embedder: Option<Box<dyn Provider>>,
}

impl Opened {
    /// Opens index `name` for searches in `mode` (default: the index's). A vector or hybrid
    /// search needs the index built with the embedding model the config names now.
    pub fn open(ws: &Workspace, name: &str, mode: Option<SearchMode>) -> Result<Opened, RetrievalError> {
        let spec = spec(ws, name)?;
        let mode = mode.unwrap_or(spec.default_mode());
        let Some(manifest) = read_manifest(ws, name)? else {
            return Err(RetrievalError::NotBuilt { name: name.to_owned() });
        };
        let dir = dir_of(ws, name);
        let corrupt = |path: &Path, detail: String| RetrievalError::Corrupt { name: name.to_owned(), path: rel(ws, path), detail };
        let chunks = read_chunks(&dir).map_err(|e| corrupt(&dir.join(CHUNKS), e))?;
        if chunks.len() != manifest.chunks {
            return Err(corrupt(&dir.join(CHUNKS), format!("{} chunks where the manifest says {}", chunks.len(), manifest.chunks)));
        }
        // The language the index was built with, even when the config has changed since.
        let bm25 = bm25::Reader::open(&dir.join("bm25"), &manifest.language).map_err(|e| corrupt(&dir.join("bm25"), e.to_string()))?;
        let (mut vectors, mut embedder) = (None, None);
        // An index of no chunks has nothing to embed a query against: every search is empty.
        if mode != SearchMode::Bm25 && manifest.chunks > 0 {
            let (Some(model), Some(built_id)) = (&spec.embed_model, &manifest.embed_model_id) else {
                return Err(RetrievalError::NoVectors { name: name.to_owned() });
            };
            let now = embed_id(ws, spec).unwrap_or_default();
            if &now != built_id {
                return Err(RetrievalError::ModelChanged { name: name.to_owned(), built: built_id.clone(), now });
            }
            let graph = dir.join(GRAPH);
            let digest = file_sha256(&graph).map_err(|e| corrupt(&graph, e.to_string()))?;
            if manifest.graph_sha256.as_deref() != Some(digest.as_str()) {
                return Err(corrupt(&graph, "the file is not the one the build wrote (its sha256 differs)".into()));
            }
            let index = vector::VectorIndex::open(&graph, manifest.dims, spec.vectors.expansion_search).map_err(|e| corrupt(&graph, e.0))?;
            if index.len() != manifest.chunks {
                return Err(corrupt(&graph, format!("{} vectors where the manifest says {} chunks", index.len(), manifest.chunks)));
            }
            vectors = Some(index);
            embedder = Some(open_embedder(ws, model)?);
        }
        Ok(Opened { name: name.to_owned(), manifest, mode, hybrid: spec.hybrid.clone(), chunks, bm25, vectors, embedder })
    }

    /// The chunk a key names.
    fn chunk(&self, key: u64) -> Option<&Chunk> {
        self.chunks.get(key as usize)
    }

    fn passes(&self, key: u64, filters: &[(String, String)]) -> bool {
        self.chunk(key).is_some_and(|c| filters.iter().all(|(field, value)| c.meta.get(field).is_some_and(|v| filter_term(field, v) == format!("{field}={value}"))))
    }

    /// The query's embedding, from the model that embedded the chunks, under an
    /// `embeddings` span (a child of `parent`).
    pub fn embed_query(&self, query: &str, parent: &opentelemetry::Context) -> Result<Vec<f32>, RetrievalError> {
        let embedder = self.embedder.as_ref().ok_or_else(|| RetrievalError::NoVectors { name: self.name.clone() })?;
        let model = embedder.identity().name.clone();
        let span = crate::trace::inference::OperationSpan::embeddings(embedder.identity(), parent, 1);
        let got = embedder.embed(&[query.to_owned()]).map_err(|e| e.to_string());
        span.end(got.as_ref().err().map(String::as_str));
        match got.map_err(|detail| RetrievalError::Embed { model: model.clone(), detail })?.pop() {
            Some(v) if v.len() == self.manifest.dims => Ok(v),
            _ => Err(RetrievalError::Embed { model, detail: format!("the query's embedding is not {} long", self.manifest.dims) }),
        }
    }

    /// The `k` best chunks for `query` among those whose row variables equal every filter
    /// pair, ranked by the index's mode.
    pub fn search(&self, query: &str, k: usize, filters: &[(String, String)]) -> Result<Vec<Hit>, RetrievalError> {
        self.search_traced(query, k, filters, &crate::trace::root_context())
    }

    /// Whether the index was built from what the config and the dataset say now.
    pub fn is_current(&self, ws: &Workspace) -> bool {
        current_identity(ws, &self.name).is_ok_and(|id| id == self.manifest.identity)
    }

    /// [`Opened::search`], the query's embedding span a child of `parent`.
    pub fn search_traced(&self, query: &str, k: usize, filters: &[(String, String)], parent: &opentelemetry::Context) -> Result<Vec<Hit>, RetrievalError> {
        if query.trim().is_empty() {
            return Err(RetrievalError::EmptyQuery);
        }
        let words = query_words(query);
        if self.mode == SearchMode::Bm25 && words.is_none() {
            return Err(RetrievalError::EmptyQuery);
        }
        if self.chunks.is_empty() {
            return Ok(Vec::new());
        }
        let qv = match self.mode {
            SearchMode::Bm25 => None,
            _ => Some(self.embed_query(query, parent)?),
        };
        self.search_with(words.as_deref(), qv.as_deref(), k, filters)
    }

    /// [`Opened::search`] with the query's words (`None`: no BM25 ranking) and its
    /// embedding already at hand.
    pub fn search_with(&self, words: Option<&str>, query_vector: Option<&[f32]>, k: usize, filters: &[(String, String)]) -> Result<Vec<Hit>, RetrievalError> {
        let k = k.max(1);
        let bm25_dir = || PathBuf::from(INDEX_DIR).join(&self.name).join("bm25").display().to_string();
        let bm25 = |n: usize| -> Result<Vec<(u64, f32)>, RetrievalError> {
            match words {
                Some(w) => self.bm25.search(w, n, filters).map_err(|e| RetrievalError::Corrupt { name: self.name.clone(), path: bm25_dir(), detail: e.to_string() }),
                None => Ok(Vec::new()),
            }
        };
        let nearest = |n: usize| -> Result<Vec<(u64, f32)>, RetrievalError> {
            let (Some(graph), Some(q)) = (&self.vectors, query_vector) else { return Ok(Vec::new()) };
            graph.search(q, n, |key| self.passes(key, filters)).map_err(|e| RetrievalError::Corrupt { name: self.name.clone(), path: format!("{INDEX_DIR}/{}/{GRAPH}", self.name), detail: e.0 })
        };
        let ranked: Vec<(u64, f64)> = match self.mode {
            SearchMode::Bm25 => bm25(k)?.into_iter().map(|(key, s)| (key, s as f64)).collect(),
            SearchMode::Vector => nearest(k)?.into_iter().map(|(key, s)| (key, s as f64)).collect(),
            SearchMode::Hybrid => {
                let n = self.hybrid.candidates.max(k);
                fuse(&bm25(n)?, &nearest(n)?, &self.hybrid)
            }
        };
        Ok(ranked
            .into_iter()
            .take(k)
            .filter_map(|(key, score)| self.chunk(key).map(|c| (c, score)))
            .enumerate()
            .map(|(i, (c, score))| Hit { rank: i + 1, doc: c.doc.clone(), chunk: c.chunk, score: score as f32, text: c.text.clone(), meta: c.meta.clone() })
            .collect())
    }
}

/// What a RAG prompt's `retrieve:` found for one row.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Retrieved {
    pub id: String,
    pub chunk: usize,
    pub score: f32,
}

impl Hit {
    /// The hit as a RAG prompt's templates see it.
    pub fn template_value(&self) -> Value {
        serde_json::json!({"id": self.doc, "chunk": self.chunk, "text": self.text, "score": self.score, "meta": self.meta})
    }

    pub fn retrieved(&self) -> Retrieved {
        Retrieved { id: self.doc.clone(), chunk: self.chunk, score: self.score }
    }
}

/// The document ids of `hits`, best first, each once.
pub fn doc_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).map(str::to_owned).collect()
}

/// What `spec` (a prompt's `retrieve:`) finds in `index` for a row's `vars`: its query and
/// filters rendered over them, searched in the index's opened mode.
/// The search runs under a `retrieval` span (a child of `parent`), the query's embedding
/// under an `embeddings` span beneath it.
pub fn retrieve(index: &Opened, spec: &crate::spec::prompt::RetrieveSpec, vars: &Map<String, Value>, parent: Option<&opentelemetry::trace::SpanContext>) -> Result<Vec<Hit>, RetrievalError> {
    let query = crate::template::render_text(&spec.query, vars).map_err(RetrievalError::Query)?;
    let mut filters = Vec::new();
    for (field, template) in &spec.filter {
        filters.push((field.clone(), crate::template::render_text(template, vars).map_err(RetrievalError::Query)?));
    }
    let parent = parent.map(crate::trace::child_of).unwrap_or_else(crate::trace::root_context);
    let span = crate::trace::inference::OperationSpan::retrieval(&index.name, index.mode.as_str(), spec.k, &query, &parent);
    let result = index.search_traced(&query, spec.k, &filters, &span.context());
    span.end_retrieval(result.as_ref().map(|h| h.iter().map(|h| h.doc.as_str()).collect()).map_err(|e| e.to_string()));
    result
}

/// The variables a RAG `prompt` renders with: `vars` and what its `retrieve:` finds for them
/// in its index (opened for this one call), with the hits; `vars` alone for another prompt.
pub fn augment(ws: &Workspace, prompt: &crate::spec::prompt::Prompt, vars: &Map<String, Value>) -> Result<(Map<String, Value>, Option<Vec<Hit>>), RetrievalError> {
    let Some(r) = &prompt.retrieve else { return Ok((vars.clone(), None)) };
    let index = Opened::open(ws, &r.index, r.mode)?;
    let hits = retrieve(&index, r, vars, None)?;
    Ok((with_context(vars, r, &hits), Some(hits)))
}

/// `vars` with the variable `spec.var` holding `hits` as the templates see them.
pub fn with_context(vars: &Map<String, Value>, spec: &crate::spec::prompt::RetrieveSpec, hits: &[Hit]) -> Map<String, Value> {
    let mut vars = vars.clone();
    vars.insert(spec.var.clone(), Value::Array(hits.iter().map(Hit::template_value).collect()));
    vars
}

/// The `k` best chunks of index `name` for `query`, ranked by `mode` (default: the
/// index's), among those whose row variables equal every `filters` pair (`field=value`).
pub fn search(ws: &Workspace, name: &str, query: &str, k: usize, mode: Option<SearchMode>, filters: &[String]) -> Result<Vec<Hit>, RetrievalError> {
    spec(ws, name)?;
    if query_words(query).is_none() && mode.unwrap_or(spec(ws, name)?.default_mode()) == SearchMode::Bm25 || query.trim().is_empty() {
        return Err(RetrievalError::EmptyQuery);
    }
    let filters = parse_filters(filters)?;
    Opened::open(ws, name, mode)?.search(query, k, &filters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_overlap_and_cover_every_word_once_at_least() {
        assert_eq!(windows("a b c", 5, 2), ["a b c"]);
        assert_eq!(windows("", 5, 2), Vec::<String>::new());
        assert_eq!(windows("a b c d e f g", 3, 1), ["a b c", "c d e", "e f g"]);
        assert_eq!(windows("a b c d e f g h", 3, 1), ["a b c", "c d e", "e f g", "g h"]);
        // The last window is not one that only repeats the one before.
        assert_eq!(windows("a b c d", 3, 2), ["a b c", "b c d"]);
        for (n, max, overlap) in [(1, 1, 0), (10, 4, 3), (100, 7, 2), (37, 256, 32)] {
            let text: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
            let got = windows(&text.join(" "), max, overlap);
            let covered: std::collections::BTreeSet<&str> = got.iter().flat_map(|w| w.split(' ')).collect();
            assert_eq!(covered.len(), n, "{n} {max} {overlap}: {got:?}");
            assert!(got.iter().all(|w| w.split(' ').count() <= max));
        }
    }

    /// Two rankings fused by hand. BM25: a, b, c; vectors: c, a, d. RRF with k = 60:
    /// a = 1/61 + 1/62, c = 1/63 + 1/61, b = 1/62, d = 1/63, so a, c, b, d.
    #[test]
    fn hybrid_fusion_orders_as_computed_by_hand() {
        let bm25 = [(1, 9.0), (2, 5.0), (3, 1.0)];
        let vectors = [(3, 0.9), (1, 0.8), (4, 0.1)];
        let rrf = HybridSpec::default();
        let got = fuse(&bm25, &vectors, &rrf);
        assert_eq!(got.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [1, 3, 2, 4]);
        assert!((got[0].1 - (1.0 / 61.0 + 1.0 / 62.0)).abs() < 1e-12);
        assert!((got[1].1 - (1.0 / 63.0 + 1.0 / 61.0)).abs() < 1e-12);
        assert!((got[3].1 - 1.0 / 63.0).abs() < 1e-12);
        // Weighted, 0.5 each, min-max scaled: BM25 a 1, b 0.5, c 0; vectors c 1, a 0.875,
        // d 0. So a 0.9375, c 0.5, b 0.25, d 0.
        let weighted = HybridSpec { fusion: Fusion::Weighted, ..HybridSpec::default() };
        let got = fuse(&bm25, &vectors, &weighted);
        assert_eq!(got.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [1, 3, 2, 4]);
        let expected = [0.9375, 0.5, 0.25, 0.0];
        for ((_, s), e) in got.iter().zip(expected) {
            assert!((s - e).abs() < 1e-6, "{got:?}");
        }
        // All the weight on BM25: its order, the vector-only document last.
        let words = HybridSpec { fusion: Fusion::Weighted, weight: 0.0, ..HybridSpec::default() };
        assert_eq!(fuse(&bm25, &vectors, &words).iter().map(|(k, _)| *k).collect::<Vec<_>>(), [1, 2, 3, 4]);
        // One ranking empty: the other's order; equal scores are ordered by key.
        assert_eq!(fuse(&[], &vectors, &rrf).iter().map(|(k, _)| *k).collect::<Vec<_>>(), [3, 1, 4]);
        assert_eq!(fuse(&[(7, 1.0), (5, 1.0)], &[], &weighted).iter().map(|(k, _)| *k).collect::<Vec<_>>(), [5, 7]);
    }

    #[test]
    fn the_identity_follows_the_dataset_version_and_every_setting() {
        let spec: IndexSpec = serde_yaml_ng::from_str("dataset: docs\ntext: \"{{ body }}\"\n").unwrap();
        let base = identity(&spec, "aaaa", None);
        assert_eq!(base, identity(&spec, "aaaa", None));
        assert_ne!(base, identity(&spec, "bbbb", None));
        let mut other = spec.clone();
        other.chunk.overlap = 8;
        assert_ne!(base, identity(&other, "aaaa", None));
        let mut other = spec.clone();
        other.bm25.language = "de".into();
        assert_ne!(base, identity(&other, "aaaa", None));
        assert_ne!(base, identity(&spec, "aaaa", Some("sha256:model")), "the embedding model is part of it");
        assert_ne!(identity(&spec, "aaaa", Some("sha256:a")), identity(&spec, "aaaa", Some("sha256:b")));
    }
}
