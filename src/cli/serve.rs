use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use super::{CommandError, Ctx, ExitKind};
use crate::engine::RunOptions;
use crate::printer::{Printer, Style};
use crate::serve::{ServeError, ServeEvents, ServeOptions};

/// Serve models and released prompts over an OpenAI-compatible HTTP API
/// (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/models`, `/health`,
/// `/metrics`). A released prompt is a model: `NAME@CHANNEL` or `NAME@<version>`
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on (only this machine by default)
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// A model to load and serve (repeatable; default: the config's default model)
    #[arg(long = "model", value_name = "NAME")]
    pub models: Vec<String>,
    /// Require `Authorization: Bearer <key>`, the key read from this environment variable
    #[arg(long, value_name = "VAR")]
    pub api_key_env: Option<String>,
    /// Append one JSON line per request to FILE (for `llmops dataset import`)
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Keep variables, messages and answers out of the request log (the global
    /// `--no-capture-content` keeps them out of both the log and the spans)
    #[arg(long)]
    pub no_log_content: bool,
    /// Requests that may wait beyond the engine's slots; more get 429
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub queue: usize,
    /// The most new tokens a request may ask for
    #[arg(long, default_value_t = 4096, value_name = "N")]
    pub max_tokens: u32,
    /// The longest a request may take, in seconds
    #[arg(long, default_value_t = 600, value_name = "S")]
    pub timeout: u64,
    /// The largest request body, in bytes
    #[arg(long, default_value_t = 4 * 1024 * 1024, value_name = "BYTES")]
    pub max_body: usize,
    /// Sequences each local model decodes together (default: the model's `parallel`)
    #[arg(long, value_name = "N")]
    pub parallel: Option<u32>,
    /// Answer repeated requests from the response cache (`.git/llmops/cache/`, which grows by
    /// one file per distinct request); off by default
    #[arg(long)]
    pub cache: bool,
    /// Decode threads (default: the cores this process may use)
    #[arg(long, value_name = "N", env = "LLMOPS_THREADS")]
    pub threads: Option<u32>,
    /// Serve the releases of this branch (`origin/main`): fetch it and the recorded runs every
    /// `--follow-interval`, and serve a new lockfile only once the gate passes on it here
    #[arg(long, value_name = "REMOTE/BRANCH")]
    pub follow: Option<String>,
    /// Seconds between looks at the followed branch
    #[arg(long, value_name = "S", default_value_t = 60, requires = "follow")]
    pub follow_interval: u64,
}

struct Events {
    printer: Printer,
}

impl ServeEvents for Events {
    fn listening(&self, addr: SocketAddr) {
        self.printer.status(format!("listening on http://{addr} (loading models; /health says 503 until they are ready)"));
    }
    fn loaded(&self, model: &str, seconds: f64) {
        self.printer.status(format!("{} `{model}` in {seconds:.1} s", self.printer.paint_err("serving", Style::Green)));
    }
    fn warn(&self, message: String) {
        self.printer.warn(message);
    }
    fn followed(&self, message: String) {
        self.printer.status(message);
    }
    fn stopping(&self, in_flight: i64) {
        self.printer.status(format!("stopping: finishing {in_flight} request(s) in flight"));
    }
}

pub fn cmd_serve(ctx: &Ctx, printer: &Printer, args: ServeArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let api_key = match &args.api_key_env {
        Some(var) => match std::env::var(var) {
            Ok(k) if !k.trim().is_empty() => Some(k.trim().to_owned()),
            _ => return Err(CommandError::usage(format!("`--api-key-env {var}`: `${var}` is not set"))),
        },
        None => None,
    };
    let follow = args
        .follow
        .as_deref()
        .map(|f| crate::serve::follow::Follow::parse(f, Duration::from_secs(args.follow_interval.max(1))))
        .transpose()
        .map_err(CommandError::usage)?;
    let options = ServeOptions {
        host: args.host,
        port: args.port,
        models: args.models,
        api_key,
        log: args.log,
        capture_content: !args.no_log_content && crate::trace::capture_content(),
        queue: args.queue,
        max_tokens: args.max_tokens.max(1),
        timeout: Duration::from_secs(args.timeout.max(1)),
        body_limit: args.max_body,
        grace: Duration::from_secs(30),
        use_cache: args.cache,
        run: RunOptions { threads: args.threads, parallel: args.parallel, verbose: printer.verbose, ..Default::default() },
        follow,
    };
    crate::serve::serve(ws, options, Arc::new(Events { printer: printer.clone() })).map_err(|e| match e {
        ServeError::Open(e) => e.into(),
        ServeError::Releases(d) => CommandError::invalid(vec![d]),
        ServeError::NoModel => CommandError::usage(e.to_string()),
        ServeError::Bind { .. } => CommandError::usage(e.to_string()).hint("choose another `--port`"),
        ServeError::Log { .. } | ServeError::Io(_) => CommandError::new(ExitKind::Provider, e.to_string()),
    })?;
    Ok(ExitCode::SUCCESS)
}
