//! `llmops serve`: an OpenAI-compatible server over the same in-process engines that evaluate
//! prompts. Each served model is loaded once; requests from any number of clients join its
//! continuous batch. A released prompt is a model too (`capital@production`): the request
//! gets exactly the version the lockfile names, re-read when it changes.
//!
//! The async runtime lives only here; the engines keep their own threads, and each request
//! waits for its answer on a blocking thread, its tokens coming through a channel.

pub mod api;
pub mod follow;
mod handlers;
pub mod log;
pub mod metrics;
pub mod prompts;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::engine::{OpenError, Provider, RunOptions};
use crate::workspace::Workspace;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub host: String,
    pub port: u16,
    /// The models to load (default: the config's default model).
    pub models: Vec<String>,
    /// A bearer token every request must carry.
    pub api_key: Option<String>,
    /// Append one JSON line per request here.
    pub log: Option<PathBuf>,
    /// Keep variables, messages and answers in the request log.
    pub capture_content: bool,
    /// Requests that may wait for a slot beyond those generating; more are refused (429).
    pub queue: usize,
    /// The most tokens one request may ask for.
    pub max_tokens: u32,
    /// The longest a request may take, waiting included.
    pub timeout: Duration,
    /// The largest request body, in bytes.
    pub body_limit: usize,
    /// How long a shutdown waits for requests in flight.
    pub grace: Duration,
    /// Answer repeated requests from the response cache (`.git/llmops/cache/`).
    pub use_cache: bool,
    pub run: RunOptions,
    /// Serve the releases of this branch of a remote, each lockfile gated here first.
    pub follow: Option<follow::Follow>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("no model to serve: pass `--model NAME` or set `default_model`")]
    NoModel,
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("the releases lockfile does not read: {0}")]
    Releases(crate::diagnostic::Diagnostic),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("cannot open the request log `{}`: {source}", .path.display())]
    Log { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What the server tells the person who started it.
pub trait ServeEvents: Send + Sync {
    /// Listening; models are still loading.
    fn listening(&self, addr: SocketAddr);
    /// One model is loaded and serving.
    fn loaded(&self, model: &str, seconds: f64);
    /// Something went wrong that does not stop the server.
    fn warn(&self, message: String);
    /// A shutdown began.
    fn stopping(&self, in_flight: i64);
    /// `--follow` applied a branch's releases after they passed the gate here.
    fn followed(&self, message: String) {
        self.warn(message);
    }
}

pub(crate) struct State {
    options: ServeOptions,
    /// Set once every model is loaded; `/health` says 503 until then.
    models: OnceLock<HashMap<String, Arc<dyn Provider>>>,
    /// Per model: its slots (`parallel`), for the queue bound.
    slots: Mutex<usize>,
    catalogue: prompts::Catalogue,
    config: crate::spec::config::Config,
    pub(crate) metrics: metrics::Metrics,
    events: Arc<dyn ServeEvents>,
    log: Option<Mutex<std::fs::File>>,
    /// Cancel flags of the requests in flight, set when a shutdown's grace runs out.
    cancels: Mutex<HashMap<u64, Arc<AtomicBool>>>,
    next_id: AtomicU64,
    cache: Option<crate::engine::cache::ResponseCache>,
}

impl State {
    fn warn(&self, message: String) {
        self.events.warn(message);
    }
}

/// Serves until Ctrl-C or SIGTERM; then stops taking requests and waits up to
/// `options.grace` for those in flight.
pub fn serve(ws: Workspace, options: ServeOptions, events: Arc<dyn ServeEvents>) -> Result<(), ServeError> {
    let models: Vec<String> = if options.models.is_empty() { ws.config.default_model.clone().into_iter().collect() } else { options.models.clone() };
    if models.is_empty() {
        return Err(ServeError::NoModel);
    }
    // Unknown names fail before anything listens.
    for m in &models {
        if !ws.config.models.contains_key(m) {
            return Err(OpenError::Unknown { name: m.clone(), known: ws.config.models.keys().cloned().collect() }.into());
        }
    }
    let log = match &options.log {
        Some(path) => Some(Mutex::new(
            std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|source| ServeError::Log { path: path.clone(), source })?,
        )),
        None => None,
    };
    let root = ws.root.clone();
    let config = ws.config.clone();
    let cache = options.use_cache.then(|| crate::engine::cache::ResponseCache::open(&ws.cache_dir()));
    let policy = ws.config.gate.clone();
    let catalogue = prompts::Catalogue::open(ws).map_err(ServeError::Releases)?;
    if options.follow.is_some() {
        // The followed branch decides what is served, not the work tree's lockfile.
        catalogue.follow();
    }
    let state = Arc::new(State {
        options: options.clone(),
        models: OnceLock::new(),
        slots: Mutex::new(0),
        catalogue,
        config,
        metrics: metrics::Metrics::default(),
        events: events.clone(),
        log,
        cancels: Mutex::new(HashMap::new()),
        next_id: AtomicU64::new(1),
        cache,
    });
    let following = Arc::new(AtomicBool::new(true));
    let follower = options.follow.clone().map(|f| {
        let (state, root, following, served) = (state.clone(), root.clone(), following.clone(), models.clone());
        std::thread::spawn(move || follow_loop(&state, &root, &f, &policy, &served, &following))
    });
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let result = runtime.block_on(async {
        let addr = format!("{}:{}", options.host, options.port);
        let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|source| ServeError::Bind { addr: addr.clone(), source })?;
        events.listening(listener.local_addr()?);
        let app = handlers::router(state.clone());
        // Models load while the server already answers `/health` with 503.
        let loading = {
            let state = state.clone();
            let root = root.clone();
            tokio::task::spawn_blocking(move || load_models(&state, &root, &models))
        };
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let server = {
            let mut stop_rx = stop_rx.clone();
            tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stop_rx.changed().await;
                    })
                    .await
            })
        };
        // One listener for the whole life of the server: a signal is never missed between
        // loading and serving.
        let signal = shutdown_signal();
        tokio::pin!(signal);
        let loaded = tokio::select! {
            loaded = loading => Some(loaded),
            _ = &mut signal => None,
        };
        match loaded {
            Some(Ok(Ok(()))) => signal.await,
            Some(Ok(Err(e))) => {
                let _ = stop_tx.send(true);
                let _ = server.await;
                return Err(e);
            }
            Some(Err(join)) => {
                let _ = stop_tx.send(true);
                let _ = server.await;
                return Err(ServeError::Io(std::io::Error::other(join.to_string())));
            }
            None => {}
        }
        events.stopping(state.metrics.in_flight.load(Ordering::Relaxed));
        let _ = stop_tx.send(true);
        if tokio::time::timeout(options.grace, server).await.is_err() {
            // The grace is over: stop what is still generating.
            for flag in state.cancels.lock().unwrap_or_else(|e| e.into_inner()).values() {
                flag.store(true, Ordering::Relaxed);
            }
        }
        Ok(())
    });
    runtime.shutdown_timeout(Duration::from_secs(5));
    following.store(false, Ordering::Relaxed);
    if let Some(f) = follower {
        let _ = f.join();
    }
    result
}

/// Looks at the followed branch now and every `f.interval` until `running` is cleared.
fn follow_loop(state: &State, root: &std::path::Path, f: &follow::Follow, policy: &crate::spec::config::GatePolicy, served_models: &[String], running: &AtomicBool) {
    let mut last: Option<follow::Checked> = None;
    let mut last_failure: Option<String> = None;
    while running.load(Ordering::Relaxed) {
        let (outcome, checked) = follow::poll(root, f, last.as_ref(), policy, served_models);
        match outcome {
            follow::Outcome::Unchanged => {}
            follow::Outcome::Applied { commit, releases } => {
                let channels: usize = releases.prompts.values().map(|c| c.len()).sum();
                let changed = *state.catalogue.releases(&|m| state.warn(m)) != releases;
                state.catalogue.apply(releases);
                if changed {
                    state.events.followed(format!("{}/{} at {}: its releases passed the gate here and are served now ({channels} channel{})", f.remote, f.branch, crate::version::short_str(&commit), if channels == 1 { "" } else { "s" }));
                }
            }
            follow::Outcome::Refused { commit, why } => {
                state.warn(format!(
                    "{}/{} at {}: its releases do not pass the gate here; still serving the releases before it: {}",
                    f.remote,
                    f.branch,
                    crate::version::short_str(&commit),
                    why.join("; ")
                ));
            }
            follow::Outcome::Failed(e) => {
                // Said once until it changes: a remote that is down for an hour is one line.
                if last_failure.as_deref() != Some(e.as_str()) {
                    state.warn(format!("--follow {}/{}: {e}; still serving the releases before it", f.remote, f.branch));
                    last_failure = Some(e);
                }
                continue_after(f.interval, running);
                continue;
            }
        }
        last = checked;
        last_failure = None;
        continue_after(f.interval, running);
    }
}

/// Sleeps `interval`, waking early once `running` is cleared.
fn continue_after(interval: Duration, running: &AtomicBool) {
    let until = std::time::Instant::now() + interval;
    while running.load(Ordering::Relaxed) && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100).min(until.saturating_duration_since(std::time::Instant::now())));
    }
}

fn load_models(state: &State, root: &std::path::Path, names: &[String]) -> Result<(), ServeError> {
    let mut loaded: HashMap<String, Arc<dyn Provider>> = HashMap::new();
    let mut slots = 0usize;
    for name in names {
        let started = std::time::Instant::now();
        let provider: Arc<dyn Provider> = crate::engine::open(root, &state.config, name, &state.options.run)?.into();
        slots += provider.local_info().map(|i| i.parallel as usize).unwrap_or(8);
        state.events.loaded(name, started.elapsed().as_secs_f64());
        loaded.insert(name.clone(), provider);
    }
    *state.slots.lock().unwrap_or_else(|e| e.into_inner()) = slots;
    let _ = state.models.set(loaded);
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Compares two secrets in constant time: their SHA-256 digests, byte by byte, so neither
/// a difference's position nor the secret's length shows in the time taken.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let (x, y) = (Sha256::digest(a), Sha256::digest(b));
    x.iter().zip(y.iter()).fold(0u8, |acc, (p, q)| acc | (p ^ q)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_compare_by_content() {
        assert!(super::constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!super::constant_time_eq(b"s3cret", b"s3creT"));
        assert!(!super::constant_time_eq(b"s3cret", b"s3cre"));
        assert!(super::constant_time_eq(b"", b""));
    }
}
