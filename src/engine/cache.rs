//! The response cache: one file per answer, keyed by a sha256 over everything that can change
//! the output. Writes are atomic, each answer is stored as soon as it exists, so a crash or
//! Ctrl-C loses nothing already computed. It lives in the repository's git directory
//! (`.git/llmops/cache/responses/`), never in the work tree: every part of a key can be
//! known in advance, so a branch that committed cache files could otherwise have a run
//! record answers no model gave.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::model_file::hex;
use crate::atomic_write::write_atomic;
use super::{ChatRequest, Completion, ModelIdentity};

/// Bumped whenever the key or the stored shape changes.
pub const CACHE_SCHEMA: u32 = 1;

const DIR: &str = "responses";

/// What a cached answer was produced for. Judge calls are kept apart from generations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Generate,
    Judge,
}

#[derive(Debug, Clone)]
pub struct ResponseCache {
    dir: PathBuf,
}

#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct CacheStats {
    pub entries: u64,
    pub bytes: u64,
}

#[derive(Serialize)]
struct KeyInput<'a> {
    schema: u32,
    purpose: Purpose,
    model: &'a ModelIdentity,
    request: &'a ChatRequest,
}

impl ResponseCache {
    /// The cache under `state` (see [`crate::workspace::Workspace::cache_dir`]).
    pub fn open(state: &Path) -> ResponseCache {
        ResponseCache { dir: state.join(DIR) }
    }

    /// The key: sha256 of the canonical JSON of schema version, purpose, model identity and
    /// the whole request (messages, every sampling parameter, seed, response format, repeat).
    pub fn key(purpose: Purpose, model: &ModelIdentity, request: &ChatRequest) -> String {
        let input = KeyInput { schema: CACHE_SCHEMA, purpose, model, request };
        let bytes = serde_json::to_vec(&input).expect("requests serialize");
        hex(&Sha256::digest(&bytes))
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(&key[2..])
    }

    pub fn get(&self, key: &str) -> Option<Completion> {
        let bytes = fs::read(self.path(key)).ok()?;
        let mut completion: Completion = serde_json::from_slice(&bytes).ok()?;
        completion.cached = true;
        Some(completion)
    }

    pub fn put(&self, key: &str, completion: &Completion) -> std::io::Result<()> {
        let mut stored = completion.clone();
        stored.cached = false;
        write_atomic(&self.path(key), &serde_json::to_vec(&stored).map_err(std::io::Error::other)?)
    }

    pub fn stats(&self) -> std::io::Result<CacheStats> {
        let mut stats = CacheStats::default();
        let Ok(shards) = fs::read_dir(&self.dir) else { return Ok(stats) };
        for shard in shards {
            let shard = shard?;
            if !shard.file_type()?.is_dir() {
                continue;
            }
            for entry in fs::read_dir(shard.path())? {
                let entry = entry?;
                if entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                stats.entries += 1;
                stats.bytes += entry.metadata()?.len();
            }
        }
        Ok(stats)
    }

    /// Removes every cached answer; returns what was removed.
    pub fn clear(&self) -> std::io::Result<CacheStats> {
        let stats = self.stats()?;
        match fs::remove_dir_all(&self.dir) {
            Ok(()) => Ok(stats),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(stats),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{FinishReason, Timings, Usage};
    use crate::spec::prompt::Params;
    use crate::template::RenderedMessage;

    fn request() -> ChatRequest {
        ChatRequest::new(vec![RenderedMessage { role: "user".into(), content: "hi".into() }], Params::default())
    }

    fn model() -> ModelIdentity {
        ModelIdentity { name: "m".into(), provider: "llama.cpp".into(), id: "sha256:ab".into() }
    }

    #[test]
    fn every_input_that_changes_the_output_changes_the_key() {
        let base = ResponseCache::key(Purpose::Generate, &model(), &request());
        let mut variants = Vec::new();
        let mut r = request();
        r.params.temperature = Some(0.5);
        variants.push(ResponseCache::key(Purpose::Generate, &model(), &r));
        let mut r = request();
        r.params.seed = Some(1);
        variants.push(ResponseCache::key(Purpose::Generate, &model(), &r));
        let mut r = request();
        r.repeat_index = 1;
        variants.push(ResponseCache::key(Purpose::Generate, &model(), &r));
        let mut r = request();
        r.messages[0].content = "hi!".into();
        variants.push(ResponseCache::key(Purpose::Generate, &model(), &r));
        let mut m = model();
        m.id = "sha256:cd".into();
        variants.push(ResponseCache::key(Purpose::Generate, &m, &request()));
        variants.push(ResponseCache::key(Purpose::Judge, &model(), &request()));
        for v in &variants {
            assert_ne!(v, &base);
        }
        assert_eq!(base, ResponseCache::key(Purpose::Generate, &model(), &request()));
    }

    #[test]
    fn stores_reads_counts_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResponseCache::open(dir.path());
        let key = ResponseCache::key(Purpose::Generate, &model(), &request());
        assert!(cache.get(&key).is_none());
        let c = Completion {
            text: "Paris".into(),
            finish_reason: FinishReason::Stop,
            usage: Usage { input_tokens: 3, output_tokens: 1 },
            timings: Timings::default(),
            cached: false,
            choice_probs: None,
        };
        cache.put(&key, &c).unwrap();
        let got = cache.get(&key).unwrap();
        assert!(got.cached);
        assert_eq!(got.text, "Paris");
        assert_eq!(cache.stats().unwrap().entries, 1);
        assert_eq!(cache.clear().unwrap().entries, 1);
        assert_eq!(cache.stats().unwrap().entries, 0);
    }
}
