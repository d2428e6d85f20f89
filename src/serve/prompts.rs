//! Released prompts as models: `NAME@CHANNEL` (the canary by sticky key) or
//! `NAME@<blob-prefix>` of a released version, from a lockfile re-read when it changes.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::api::Sampling;
use crate::release::{RELEASES_PATH, Releases};
use crate::retrieval::Opened;
use crate::spec::config::SearchMode;
use crate::spec::prompt::{ParamName, Prompt};
use crate::workspace::Workspace;

/// One released version, ready to render.
#[derive(Debug, Clone)]
pub struct Served {
    pub name: String,
    /// The full blob id.
    pub version: String,
    pub prompt: Arc<Prompt>,
    /// The channel asked for, when one was.
    pub channel: Option<String>,
    pub canary: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("prompt `{name}` has no release on `{channel}`")]
    NoRelease { name: String, channel: String },
    #[error("no released version of `{name}` starts with `{prefix}`")]
    NotReleased { name: String, prefix: String },
    #[error("`{prefix}` is the start of {count} released versions of `{name}`: give more of the version")]
    Ambiguous { name: String, prefix: String, count: usize },
    #[error("prompt `{name}`'s released version {version} cannot be read: {detail}")]
    Unreadable { name: String, version: String, detail: String },
}

/// The lockfile as last read well, and the prompt versions loaded so far.
pub struct Catalogue {
    /// The workspace's parts that may cross threads (a `gix::Repository` may not: one is
    /// opened for each prompt version loaded, which happens once per version).
    config: crate::spec::config::Config,
    root: std::path::PathBuf,
    state: Mutex<State>,
    prompts: Mutex<HashMap<String, Arc<Prompt>>>,
    /// Indexes of RAG prompts, opened once, with their manifest when opened: an index built
    /// again while serving is opened again.
    indexes: Mutex<HashMap<(String, Option<SearchMode>), (Arc<Opened>, Option<Vec<u8>>)>>,
}

struct State {
    releases: Arc<Releases>,
    /// `--follow`: the releases come from the followed branch ([`Catalogue::apply`]), never
    /// from the work tree's lockfile.
    followed: bool,
    /// The lockfile's modification time and length when it was read.
    stamp: Option<(SystemTime, u64)>,
}

fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Catalogue {
    /// Reads the lockfile now; a broken one is an error at start.
    pub fn open(ws: Workspace) -> Result<Catalogue, crate::diagnostic::Diagnostic> {
        let root = ws.root.clone();
        let releases = Releases::read(&root)?;
        let state = State { releases: Arc::new(releases), followed: false, stamp: stamp(&root.join(RELEASES_PATH)) };
        Ok(Catalogue { config: ws.config, root, state: Mutex::new(state), prompts: Mutex::new(HashMap::new()), indexes: Mutex::new(HashMap::new()) })
    }

    /// The releases, re-read first when the lockfile changed. A lockfile that no longer reads
    /// leaves the last good one in force; `warn` hears why (once per change).
    pub fn releases(&self, warn: &dyn Fn(String)) -> Arc<Releases> {
        let now = stamp(&self.root.join(RELEASES_PATH));
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if now != state.stamp && !state.followed {
            state.stamp = now;
            match Releases::read(&self.root) {
                Ok(r) => state.releases = Arc::new(r),
                Err(d) => warn(format!("`{RELEASES_PATH}` changed and does not read; serving the last good releases: {d}")),
            }
        }
        state.releases.clone()
    }

    /// From now on the releases change only through [`Catalogue::apply`]; until the first
    /// applies, no release is served (the work tree's lockfile was never gated here).
    pub fn follow(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.followed = true;
        state.releases = Arc::new(Releases::default());
    }

    /// Serves `releases` from now on (a followed branch's, once the gate passed on them).
    pub fn apply(&self, releases: Releases) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).releases = Arc::new(releases);
    }

    fn load(&self, name: &str, version: &str) -> Result<Arc<Prompt>, ResolveError> {
        if let Some(p) = self.prompts.lock().unwrap_or_else(|e| e.into_inner()).get(version) {
            return Ok(p.clone());
        }
        let unreadable = |detail: String| ResolveError::Unreadable { name: name.to_owned(), version: crate::version::short_str(version).to_owned(), detail };
        let (repo, _) = crate::workspace::discover_repo(&self.root).map_err(|e| unreadable(e.to_string()))?;
        let ws = Workspace { root: self.root.clone(), repo, config: self.config.clone() };
        let (_, prompt) = ws
            .load_prompt(&format!("{name}@{version}"))
            .map_err(|e| unreadable(e.to_string()))?;
        let prompt = Arc::new(prompt);
        self.prompts.lock().unwrap_or_else(|e| e.into_inner()).insert(version.to_owned(), prompt.clone());
        Ok(prompt)
    }

    /// The variables a served `prompt` renders with: `vars`, and for a RAG prompt what its
    /// `retrieve:` finds for them in the index as built now.
    pub fn retrieve(&self, prompt: &Prompt, vars: &serde_json::Map<String, serde_json::Value>, warn: &dyn Fn(String)) -> Result<serde_json::Map<String, serde_json::Value>, crate::retrieval::RetrievalError> {
        let Some(r) = &prompt.retrieve else { return Ok(vars.clone()) };
        let key = (r.index.clone(), r.mode);
        // The manifest's bytes say which build is on disk (its identity and build time).
        let now = std::fs::read(self.root.join(crate::retrieval::INDEX_DIR).join(&r.index).join("manifest.json")).ok();
        let cached = self.indexes.lock().unwrap_or_else(|e| e.into_inner()).get(&key).filter(|(_, at)| *at == now).map(|(i, _)| i.clone());
        let index = match cached {
            Some(i) => i,
            None => {
                let (repo, _) = crate::workspace::discover_repo(&self.root)?;
                let ws = Workspace { root: self.root.clone(), repo, config: self.config.clone() };
                let opened = Arc::new(Opened::open(&ws, &r.index, r.mode)?);
                if !opened.is_current(&ws) {
                    warn(format!("index `{}` is stale (its dataset, settings or embedding model changed): serving it as built until `llmops index build {}`", r.index, r.index));
                }
                self.indexes.lock().unwrap_or_else(|e| e.into_inner()).insert(key, (opened.clone(), now));
                opened
            }
        };
        let hits = crate::retrieval::retrieve(&index, r, vars, None)?;
        Ok(crate::retrieval::with_context(vars, r, &hits))
    }

    /// `name@reference`: a channel of the lockfile (its canary for `key`'s share), or the
    /// prefix of a version released on any channel.
    pub fn resolve(&self, name: &str, reference: &str, key: &str, warn: &dyn Fn(String)) -> Result<Served, ResolveError> {
        let releases = self.releases(warn);
        if let Some(channel) = releases.channel(name, reference) {
            let release = crate::release::resolve(channel, name, key);
            let canary = channel.canary.as_ref().is_some_and(|c| c.release.version == release.version);
            let version = release.version.clone();
            let prompt = self.load(name, &version)?;
            return Ok(Served { name: name.to_owned(), version, prompt, channel: Some(reference.to_owned()), canary });
        }
        let is_prefix = reference.len() >= 4 && reference.bytes().all(|b| b.is_ascii_hexdigit());
        let prefix = reference.to_ascii_lowercase();
        let matching: BTreeSet<String> = releases
            .prompts
            .get(name)
            .into_iter()
            .flat_map(|channels| channels.values())
            .flat_map(|c| std::iter::once(&c.stable).chain(c.canary.as_ref().map(|k| &k.release)))
            .map(|r| r.version.clone())
            .filter(|v| is_prefix && v.starts_with(&prefix))
            .collect();
        if matching.len() > 1 {
            return Err(ResolveError::Ambiguous { name: name.to_owned(), prefix: reference.to_owned(), count: matching.len() });
        }
        match matching.into_iter().next() {
            Some(version) => {
                let prompt = self.load(name, &version)?;
                Ok(Served { name: name.to_owned(), version, prompt, channel: None, canary: false })
            }
            None if is_prefix => Err(ResolveError::NotReleased { name: name.to_owned(), prefix: reference.to_owned() }),
            None => Err(ResolveError::NoRelease { name: name.to_owned(), channel: reference.to_owned() }),
        }
    }
}


/// The released prompt's parameters with what the request may change: what its
/// `overridable:` lists, and `max_tokens` lowered. Anything else the request sets is refused,
/// by name.
pub fn merge_params(prompt: &Prompt, asked: &Sampling) -> Result<crate::spec::prompt::Params, String> {
    let mut params = prompt.params.clone();
    let allowed = |p: ParamName| prompt.overridable.contains(&p);
    /// Sets `slot` to what the request asked, when it asked and the prompt allows it.
    fn set<T: Clone>(allowed: bool, name: ParamName, asked: &Option<T>, slot: &mut Option<T>) -> Result<(), String> {
        match asked {
            Some(_) if !allowed => Err(format!("this prompt does not let a request set `{}` (its `overridable:` list does not name it)", name.as_str())),
            Some(v) => {
                *slot = Some(v.clone());
                Ok(())
            }
            None => Ok(()),
        }
    }
    use ParamName::*;
    set(allowed(Temperature), Temperature, &asked.temperature, &mut params.temperature)?;
    set(allowed(TopP), TopP, &asked.top_p, &mut params.top_p)?;
    set(allowed(TopK), TopK, &asked.top_k, &mut params.top_k)?;
    set(allowed(MinP), MinP, &asked.min_p, &mut params.min_p)?;
    set(allowed(RepeatPenalty), RepeatPenalty, &asked.repeat_penalty, &mut params.repeat_penalty)?;
    set(allowed(Seed), Seed, &asked.seed, &mut params.seed)?;
    let mut stop = None;
    set(allowed(Stop), Stop, &asked.stop, &mut stop)?;
    if let Some(stop) = stop {
        params.stop = stop;
    }
    if let Some(m) = asked.max_tokens {
        match params.max_tokens {
            Some(own) if m > own && !allowed(MaxTokens) => {
                return Err(format!("this prompt allows at most {own} tokens (`max_tokens` may be lowered, not raised)"));
            }
            _ => params.max_tokens = Some(m),
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(overridable: &str) -> Prompt {
        let text = format!("params:\n  temperature: 0\n  max_tokens: 20\n{overridable}messages:\n  - role: user\n    content: hi\n");
        Prompt::parse(std::path::Path::new("prompts/p.yaml"), &text).unwrap()
    }

    #[test]
    fn requests_change_only_what_the_prompt_allows() {
        let fixed = prompt("");
        assert_eq!(merge_params(&fixed, &Sampling::default()).unwrap(), fixed.params);
        let err = merge_params(&fixed, &Sampling { temperature: Some(0.7), ..Default::default() }).unwrap_err();
        assert!(err.contains("`temperature`"), "{err}");
        assert!(merge_params(&fixed, &Sampling { stop: Some(vec!["x".into()]), ..Default::default() }).is_err());
        // Lowering max_tokens is always fine; raising it is not.
        assert_eq!(merge_params(&fixed, &Sampling { max_tokens: Some(5), ..Default::default() }).unwrap().max_tokens, Some(5));
        assert!(merge_params(&fixed, &Sampling { max_tokens: Some(50), ..Default::default() }).is_err());

        let open = prompt("overridable: [temperature, max_tokens, stop]\n");
        let p = merge_params(&open, &Sampling { temperature: Some(0.7), max_tokens: Some(50), stop: Some(vec!["x".into()]), ..Default::default() }).unwrap();
        assert_eq!((p.temperature, p.max_tokens, p.stop), (Some(0.7), Some(50), vec!["x".to_owned()]));
        assert!(merge_params(&open, &Sampling { seed: Some(1), ..Default::default() }).is_err());
    }

    #[test]
    fn an_unknown_overridable_parameter_is_a_parse_error() {
        let text = "overridable: [temprature]\nmessages:\n  - role: user\n    content: hi\n";
        assert!(Prompt::parse(std::path::Path::new("prompts/p.yaml"), text).is_err());
    }
}
