//! The command line: argument parsing, dispatch to one file per command, and the mapping of
//! errors to exit codes.

mod bench;
mod cache;
mod calibrate;
mod completions;
mod diff;
mod dataset;
mod error;
mod eval;
mod gate;
mod hook;
mod index;
mod init;
mod label;
mod log;
mod model;
mod promote;
mod prompt;
mod releases;
mod report;
mod review;
mod run;
mod serve;
mod show;
mod sync;
mod trace;
mod validate;
mod verify;
mod merge;
mod version;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::{CommandError, ExitKind};

use crate::printer::{ColorChoice, Printer};
use crate::workspace::Workspace;

/// Turn any git repository into a self-hosted LLMOps workflow: versioned prompts, datasets
/// and evals, local GGUF inference, runs recorded in git, gated promotion.
#[derive(Debug, Parser)]
#[command(name = "llmops", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Run as if started in DIR
    #[arg(short = 'C', long = "directory", global = true, value_name = "DIR")]
    pub directory: Option<PathBuf>,
    /// Print results as JSON (a stable shape, documented in the README)
    #[arg(long, global = true)]
    pub json: bool,
    /// Mute status output on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More detail, including llama.cpp's own log
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to colour output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Also export spans: `stdout`, `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, which implies it), or `off` (no tracing, no traces.jsonl)
    #[arg(long, global = true, value_enum, value_name = "EXPORTER")]
    pub trace: Option<crate::trace::Export>,
    /// Keep prompts and answers out of spans (`gen_ai.input.messages`, `gen_ai.output.messages`)
    #[arg(long, global = true)]
    pub no_capture_content: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::InitArgs),
    Validate(validate::ValidateArgs),
    #[command(subcommand)]
    Prompt(prompt::PromptCommand),
    #[command(subcommand)]
    Dataset(dataset::DatasetCommand),
    Run(run::RunArgs),
    Eval(eval::EvalArgs),
    Log(log::LogArgs),
    Show(show::ShowArgs),
    Diff(diff::DiffArgs),
    Verify(verify::VerifyArgs),
    Merge(merge::MergeArgs),
    Review(review::ReviewArgs),
    Report(report::ReportArgs),
    Label(label::LabelArgs),
    Calibrate(calibrate::CalibrateArgs),
    Sync(sync::SyncArgs),
    // `--version` names the prompt version here, not llmops's.
    #[command(disable_version_flag = true)]
    Promote(promote::PromoteArgs),
    Gate(gate::GateArgs),
    Serve(serve::ServeArgs),
    #[command(subcommand)]
    Index(index::IndexCommand),
    Search(index::SearchArgs),
    #[command(subcommand)]
    Hook(hook::HookCommand),
    Releases(releases::ReleasesArgs),
    #[command(subcommand)]
    Trace(trace::TraceCommand),
    #[command(subcommand)]
    Model(model::ModelCommand),
    #[command(subcommand)]
    Cache(cache::CacheCommand),
    Bench(bench::BenchArgs),
    Completions(completions::CompletionsArgs),
    Version(version::VersionArgs),
}

/// What every command may need: where it runs, and the workspace found there.
pub struct Ctx {
    pub cwd: PathBuf,
}

impl Ctx {
    pub fn workspace(&self) -> Result<Workspace, CommandError> {
        let ws = Workspace::discover(&self.cwd)?;
        if ws.config.tracing.capture_content == Some(false) {
            crate::trace::set_capture_content(false);
        }
        Ok(ws)
    }
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { ExitKind::Usage as u8 } else { 0 });
        }
    };
    let printer = Printer::new(cli.global.quiet, cli.global.json, cli.global.verbose, cli.global.color);
    let tracing = crate::trace::Tracing::init(cli.global.trace, !cli.global.no_capture_content);
    let result = run(cli, &printer);
    // Every span is flushed whatever the outcome; a collector that is down costs a warning.
    tracing.shutdown();
    match result {
        Ok(code) => code,
        Err(e) => {
            if e.broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprint!("{}", e.render(&printer));
            e.exit_code()
        }
    }
}

pub fn run(cli: Cli, printer: &Printer) -> Result<ExitCode, CommandError> {
    let cwd = match &cli.global.directory {
        Some(dir) => dir.clone(),
        None => std::env::current_dir()?,
    };
    let ctx = Ctx { cwd };
    // `eval` and `run` start their own root spans (`eval NAME`, `run NAME`), `serve` one per
    // request; any other command
    // is one span, so a CI pipeline's trace shows the gate too.
    let mut span = (!matches!(cli.command, Command::Eval(_) | Command::Run(_) | Command::Serve(_))).then(|| {
        let name = cli.command.name();
        crate::trace::start(
            format!("llmops {name}"),
            opentelemetry::trace::SpanKind::Internal,
            &crate::trace::root_context(),
            vec![opentelemetry::KeyValue::new(crate::trace::genai::COMMAND, name)],
        )
    });
    let result = match cli.command {
        Command::Init(args) => init::cmd_init(&ctx, printer, args),
        Command::Validate(args) => validate::cmd_validate(&ctx, printer, args),
        Command::Prompt(cmd) => prompt::cmd_prompt(&ctx, printer, cmd),
        Command::Dataset(cmd) => dataset::cmd_dataset(&ctx, printer, cmd),
        Command::Run(args) => run::cmd_run(&ctx, printer, args),
        Command::Eval(args) => eval::cmd_eval(&ctx, printer, args),
        Command::Log(args) => log::cmd_log(&ctx, printer, args),
        Command::Show(args) => show::cmd_show(&ctx, printer, args),
        Command::Diff(args) => diff::cmd_diff(&ctx, printer, args),
        Command::Verify(args) => verify::cmd_verify(&ctx, printer, args),
        Command::Merge(args) => merge::cmd_merge(&ctx, printer, args),
        Command::Review(args) => review::cmd_review(&ctx, printer, args),
        Command::Report(args) => report::cmd_report(&ctx, printer, args),
        Command::Label(args) => label::cmd_label(&ctx, printer, args),
        Command::Calibrate(args) => calibrate::cmd_calibrate(&ctx, printer, args),
        Command::Sync(args) => sync::cmd_sync(&ctx, printer, args),
        Command::Promote(args) => promote::cmd_promote(&ctx, printer, args),
        Command::Gate(args) => gate::cmd_gate(&ctx, printer, args),
        Command::Serve(args) => serve::cmd_serve(&ctx, printer, args),
        Command::Index(cmd) => index::cmd_index(&ctx, printer, cmd),
        Command::Search(args) => index::cmd_search(&ctx, printer, args),
        Command::Hook(cmd) => hook::cmd_hook(&ctx, printer, cmd),
        Command::Trace(cmd) => trace::cmd_trace(&ctx, printer, cmd),
        Command::Releases(args) => releases::cmd_releases(&ctx, printer, args),
        Command::Model(cmd) => model::cmd_model(&ctx, printer, cmd),
        Command::Cache(cmd) => cache::cmd_cache(&ctx, printer, cmd),
        Command::Bench(args) => bench::cmd_bench(&ctx, printer, args),
        Command::Completions(args) => completions::cmd_completions(printer, args),
        Command::Version(args) => version::cmd_version(printer, args),
    };
    if let Some(span) = &mut span {
        use opentelemetry::trace::Span as _;
        if let Err(e) = &result {
            span.set_status(opentelemetry::trace::Status::error(e.message.clone()));
        }
        span.end();
    }
    result
}

impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Init(_) => "init",
            Command::Validate(_) => "validate",
            Command::Prompt(_) => "prompt",
            Command::Dataset(_) => "dataset",
            Command::Run(_) => "run",
            Command::Eval(_) => "eval",
            Command::Log(_) => "log",
            Command::Show(_) => "show",
            Command::Diff(_) => "diff",
            Command::Verify(_) => "verify",
            Command::Merge(_) => "merge",
            Command::Review(_) => "review",
            Command::Report(_) => "report",
            Command::Label(_) => "label",
            Command::Calibrate(_) => "calibrate",
            Command::Sync(_) => "sync",
            Command::Promote(_) => "promote",
            Command::Gate(_) => "gate",
            Command::Serve(_) => "serve",
            Command::Index(_) => "index",
            Command::Search(_) => "search",
            Command::Hook(_) => "hook",
            Command::Trace(_) => "trace",
            Command::Releases(_) => "releases",
            Command::Model(_) => "model",
            Command::Cache(_) => "cache",
            Command::Bench(_) => "bench",
            Command::Completions(_) => "completions",
            Command::Version(_) => "version",
        }
    }
}

/// The clap definition, for completions and for the `verify_app` test.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_app() {
        super::command().debug_assert();
    }

    /// clap checks for clashing flags only in debug builds, and `make test` runs release
    /// builds: the check that matters (no two arguments of a command share an id or a long
    /// flag, counting the `--version` that `propagate_version` adds) is made here too.
    #[test]
    fn no_command_has_two_arguments_with_one_name() {
        fn walk(cmd: &clap::Command, path: &str, clashes: &mut Vec<String>) {
            let mut ids = std::collections::HashSet::new();
            let mut longs = std::collections::HashSet::new();
            for arg in cmd.get_arguments() {
                if !ids.insert(arg.get_id().as_str().to_owned()) {
                    clashes.push(format!("{path}: id `{}`", arg.get_id()));
                }
                if let Some(long) = arg.get_long() {
                    if !longs.insert(long.to_owned()) {
                        clashes.push(format!("{path}: --{long}"));
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), clashes);
            }
        }
        let mut cmd = super::command();
        cmd.build();
        let mut clashes = Vec::new();
        walk(&cmd, "llmops", &mut clashes);
        assert!(clashes.is_empty(), "{clashes:?}");
    }
}
