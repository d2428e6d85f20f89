use std::io::Write;
use std::process::ExitCode;

use super::prompt::{InputArgs, render_or_explain, resolve_row};
use super::{CommandError, Ctx};
use crate::engine::cache::ResponseCache;
use crate::engine::{self, RunOptions};
use crate::invoke::{self, Called, Overrides};
use opentelemetry::trace::SpanKind;
use crate::printer::Printer;

/// Render a prompt and stream the model's answer token by token
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// NAME, NAME@<blob-prefix> or NAME@<git-rev>
    pub reference: String,
    #[command(flatten)]
    pub input: InputArgs,
    /// A model from `.llmops/config.yaml` instead of the prompt's
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Override the prompt's temperature
    #[arg(long, value_name = "T")]
    pub temperature: Option<f64>,
    /// Override the prompt's seed
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Override the prompt's max_tokens
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u32>,
    /// Decode threads (default: the cores this process may use)
    #[arg(long, value_name = "N", env = "LLMOPS_THREADS")]
    pub threads: Option<u32>,
    /// Neither read nor write the response cache
    #[arg(long)]
    pub no_cache: bool,
    /// Let an agent prompt's `command:` tools run their programs
    #[arg(long)]
    pub allow_exec: bool,
}

pub fn cmd_run(ctx: &Ctx, printer: &Printer, args: RunArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let (source, prompt) = crate::release::load_prompt(&ws, &args.reference)?;
    let row = resolve_row(&ws, source.file.name.as_str(), &args.input)?;
    let row_id = args.input.row.as_ref().map(|_| row.id.clone());
    let vars = row.vars.clone();
    let messages = render_or_explain(&ws, &source, &prompt, &vars, row_id.as_deref())?;
    let model = crate::run::model_name(args.model.as_deref(), None, prompt.model.as_deref(), &ws.config)
        .ok_or_else(|| CommandError::usage("no model: pass `--model NAME` or set `default_model` in `.llmops/config.yaml`"))?;
    let overrides = Overrides { temperature: args.temperature, seed: args.seed, max_tokens: args.max_tokens };
    let request = invoke::chat_request(&prompt, messages, &overrides);
    let options = RunOptions { threads: args.threads, parallel: Some(1), verbose: printer.verbose, ..Default::default() };
    let provider = engine::open(&ws.root, &ws.config, &model, &options)?;
    let cache = (!args.no_cache).then(|| ResponseCache::open(&ws.cache_dir()));
    if prompt.is_agent() {
        let mut prompt = prompt.clone();
        prompt.params = request.params.clone();
        let call = AgentCall { model: &model, row: &row, row_id, allow_exec: args.allow_exec, cache: cache.as_ref() };
        return run_agent(&ws, printer, provider.as_ref(), &prompt, &source, request.messages.clone(), call);
    }
    let streaming = !printer.json;
    let mut write_error = None;
    let span = format!("run {}", source.file.name);
    let blob = source.blob.to_string();
    let called = Called { span: &span, kind: SpanKind::Internal, parent: None, prompt: Some((source.file.name.as_str(), &blob)), attributes: Vec::new() };
    let answer = invoke::answer(provider.as_ref(), cache.as_ref(), called, request, Default::default(), &mut |text| {
        if streaming && write_error.is_none() {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                write_error = Some(e);
            }
        }
    })?;
    if let Some(e) = write_error {
        return Err(e.into());
    }
    if let Some(e) = answer.cache_error {
        printer.warn(format!("cannot write the response cache: {e}"));
    }
    let completion = answer.completion;
    if printer.json {
        printer.json_value(&answer_json(&source, row_id.as_deref(), &model, &completion, None))?;
    } else {
        printer.line("")?;
        let t = &completion.timings;
        let how = if completion.cached {
            "from cache".to_owned()
        } else {
            format!("{:.0} ms to first token, {:.1} tokens/s", t.ttft_ms, t.tokens_per_s)
        };
        printer.status(format!(
            "{}@{} on `{model}`: {} + {} tokens, {}, finish: {}",
            source.file.name,
            source.version(),
            completion.usage.input_tokens,
            completion.usage.output_tokens,
            how,
            completion.finish_reason.as_str(),
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// What `run` of an agent prompt was asked for, beside the prompt.
struct AgentCall<'a> {
    model: &'a str,
    row: &'a crate::spec::dataset::Row,
    row_id: Option<String>,
    allow_exec: bool,
    cache: Option<&'a ResponseCache>,
}

/// An agent prompt's loop, each step printed as it ends (its calls and their results), then
/// the answer.
fn run_agent(
    ws: &crate::workspace::Workspace,
    printer: &Printer,
    provider: &dyn crate::engine::Provider,
    prompt: &crate::spec::prompt::Prompt,
    source: &crate::workspace::Source,
    messages: Vec<crate::template::RenderedMessage>,
    call: AgentCall<'_>,
) -> Result<ExitCode, CommandError> {
    let AgentCall { model, row, row_id, allow_exec, cache } = call;
    let mut n = 0;
    let outcome = crate::agent::run_one(ws, provider, prompt, source.file.name.as_str(), messages, row, allow_exec, cache, &mut |step| {
        n += 1;
        for c in &step.calls {
            printer.status(format!("step {n}: {}({}) {}", c.name, c.arguments, crate::text::clip(&c.outcome(), 100)));
        }
    })
    .map_err(|e| match e {
        crate::agent::AgentError::ExecNotGranted { .. } => CommandError::usage(e.to_string()).hint("read the command, then add `--allow-exec` if you trust it"),
        crate::agent::AgentError::Retrieval(e) => super::index::retrieval_error(e),
        crate::agent::AgentError::IndexNotReady { .. } => CommandError::usage(e.to_string()),
        crate::agent::AgentError::Engine(e) => e.into(),
        crate::agent::AgentError::Workspace(e) => e.into(),
    })?;
    let c = &outcome.completion;
    if printer.json {
        printer.json_value(&answer_json(source, row_id.as_deref(), model, c, Some(&outcome.trajectory)))?;
    } else {
        printer.line(&c.text)?;
        printer.status(format!(
            "{}@{} on `{model}`: {} steps, {} tool calls, ended by {}; {} + {} tokens",
            source.file.name,
            source.version(),
            outcome.trajectory.steps.len(),
            outcome.trajectory.calls().count(),
            outcome.trajectory.finish,
            c.usage.input_tokens,
            c.usage.output_tokens,
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `run --json`'s object: the prompt version, row, model and answer, and an agent's trajectory.
fn answer_json(
    source: &crate::workspace::Source,
    row_id: Option<&str>,
    model: &str,
    c: &crate::engine::Completion,
    trajectory: Option<&crate::grade::trajectory::Trajectory>,
) -> serde_json::Value {
    let mut v = serde_json::json!({
        "prompt": source.file.name,
        "version": source.version(),
        "row": row_id,
        "model": model,
        "text": c.text,
        "finish_reason": c.finish_reason,
        "usage": c.usage,
        "timings": c.timings,
        "cached": c.cached,
    });
    if let Some(t) = trajectory {
        v["trajectory"] = serde_json::json!(t);
    }
    v
}
