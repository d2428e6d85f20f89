//! Retrieval indexes over datasets of the workspace (the `indexes:` block of the config):
//! each row's text, from a template over its variables, cut into overlapping chunks of words
//! and indexed for BM25 (tantivy; stemming and stop words per language), under
//! `.llmops/index/<name>/` (git-ignored). An index's identity is a hash of its dataset's
//! version and its settings: a changed row or setting makes the built index stale.

mod bm25;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::spec::config::IndexSpec;
use crate::workspace::{Workspace, WorkspaceError};

/// Where built indexes live, relative to the workspace root.
pub const INDEX_DIR: &str = ".llmops/index";
/// The version of the on-disk layout; part of the identity.
const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";

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

/// The identity of an index built from dataset version `dataset_blob` with `spec`.
pub fn identity(spec: &IndexSpec, dataset_blob: &str) -> String {
    let input = serde_json::json!({"format": FORMAT, "dataset_blob": dataset_blob, "spec": spec});
    let digest = Sha256::digest(serde_json::to_vec(&input).expect("JSON"));
    crate::engine::model_file::hex(&digest)
}

fn spec<'a>(ws: &'a Workspace, name: &str) -> Result<&'a IndexSpec, RetrievalError> {
    ws.config.indexes.get(name).ok_or_else(|| RetrievalError::Unknown { name: name.to_owned(), known: ws.config.indexes.keys().cloned().collect() })
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
    let (_, blob, _) = ws.open_dataset(&spec.dataset)?;
    let identity = identity(spec, &blob.to_string());
    let manifest = read_manifest(ws, name)?;
    let state = match &manifest {
        None => "missing",
        Some(m) if m.identity != identity => "stale",
        Some(_) => "built",
    };
    Ok(Status { name: name.to_owned(), dataset: spec.dataset.clone(), state, identity, manifest, bytes: dir_size(&dir_of(ws, name)) })
}

/// Builds index `name` from the work tree's dataset, replacing what was built before only
/// once the new index is complete.
pub fn build(ws: &Workspace, name: &str) -> Result<Manifest, RetrievalError> {
    let spec = spec(ws, name)?;
    let (file, blob, rows) = ws.open_dataset(&spec.dataset)?;
    let chunks = chunks(spec, &file.rel_path, rows).map_err(RetrievalError::Invalid)?;
    let dir = dir_of(ws, name);
    let write_err = |detail: String| RetrievalError::Write { name: name.to_owned(), path: rel(ws, &dir), detail };
    let parent = ws.root.join(INDEX_DIR);
    refuse_links(ws, name)?;
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
    let result = (|| {
        bm25::write(&staging.join("bm25"), &spec.bm25.language, &chunks).map_err(|e| write_err(e.to_string()))?;
        let docs = chunks.iter().map(|c| c.doc.as_str()).collect::<std::collections::BTreeSet<_>>().len();
        let manifest = Manifest {
            identity: identity(spec, &blob.to_string()),
            dataset: spec.dataset.clone(),
            dataset_blob: blob.to_string(),
            docs,
            chunks: chunks.len(),
            language: spec.bm25.language.clone(),
            built: now_seconds(),
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

/// Refuses `.llmops/index` or `.llmops/index/<name>` when either is a symbolic link: an
/// index is written and removed only inside the work tree's own folders.
fn refuse_links(ws: &Workspace, name: &str) -> Result<(), RetrievalError> {
    for path in [ws.root.join(".llmops"), ws.root.join(INDEX_DIR), dir_of(ws, name)] {
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(RetrievalError::Symlink { path: rel(ws, &path) });
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
    pub score: f32,
    pub text: String,
    pub meta: Map<String, Value>,
}

/// The `k` best chunks of index `name` for `query` by BM25, among those whose row variables
/// equal every `filters` pair (`field=value`).
pub fn search(ws: &Workspace, name: &str, query: &str, k: usize, filters: &[String]) -> Result<Vec<Hit>, RetrievalError> {
    spec(ws, name)?;
    // A query is the person's words, not query syntax: quotes, fields and operators (AND, OR,
    // NOT: only upper case is one) are taken as text.
    let words: String = query.chars().map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' }).collect::<String>().to_lowercase();
    if words.trim().is_empty() {
        return Err(RetrievalError::EmptyQuery);
    }
    let mut pairs = Vec::new();
    for f in filters {
        match f.split_once('=') {
            Some((field, value)) if !field.is_empty() => pairs.push((field.to_owned(), value.to_owned())),
            _ => return Err(RetrievalError::BadFilter(f.clone())),
        }
    }
    let Some(manifest) = read_manifest(ws, name)? else {
        return Err(RetrievalError::NotBuilt { name: name.to_owned() });
    };
    let dir = dir_of(ws, name).join("bm25");
    // The language the index was built with, even when the config has changed since.
    bm25::search(&dir, &manifest.language, &words, k, &pairs).map_err(|e| RetrievalError::Corrupt { name: name.to_owned(), path: rel(ws, &dir), detail: e.to_string() })
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

    #[test]
    fn the_identity_follows_the_dataset_version_and_every_setting() {
        let spec: IndexSpec = serde_yaml_ng::from_str("dataset: docs\ntext: \"{{ body }}\"\n").unwrap();
        let base = identity(&spec, "aaaa");
        assert_eq!(base, identity(&spec, "aaaa"));
        assert_ne!(base, identity(&spec, "bbbb"));
        let mut other = spec.clone();
        other.chunk.overlap = 8;
        assert_ne!(base, identity(&other, "aaaa"));
        let mut other = spec.clone();
        other.bm25.language = "de".into();
        assert_ne!(base, identity(&other, "aaaa"));
    }
}
