use std::process::ExitCode;

use clap::Subcommand;
use serde_json::{Map, Value};

use super::{CommandError, Ctx};
use crate::printer::{Printer, Style};
use crate::report::format_time;
use crate::report::table::Table;
use crate::text::clip;
use crate::template::{self, TemplateError};
use crate::version::{self, Origin};
use crate::workspace::{FileKind, Workspace};

/// Prompts: list them, show any version, list their history, render them.
#[derive(Debug, Subcommand)]
pub enum PromptCommand {
    /// List the prompts with their current versions
    List,
    /// Print a prompt; REF is NAME, NAME@<blob-prefix> or NAME@<git-rev>
    Show { reference: String },
    /// List a prompt's versions in order of first appearance in git history
    Log { name: String },
    /// Render a prompt's messages for `--var` values or a dataset row
    Render(RenderArgs),
    /// Which released version a key gets on a channel: the canary for its share of keys,
    /// the stable version otherwise, the same answer for the same key every time
    Resolve {
        name: String,
        #[arg(long, default_value = "production", value_name = "CHANNEL")]
        channel: String,
        /// A stable identifier of the caller (a user id)
        #[arg(long, value_name = "KEY")]
        key: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// NAME, NAME@<blob-prefix> or NAME@<git-rev>
    pub reference: String,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Where a prompt's template variables come from; shared by `prompt render` and `run`.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// A template variable, `key=value`; overrides the row's value
    #[arg(long = "var", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Take the variables from this dataset row (by id)
    #[arg(long, value_name = "ID")]
    pub row: Option<String>,
    /// The dataset `--row` reads; default: the dataset of the eval that uses the prompt
    #[arg(long, value_name = "NAME")]
    pub dataset: Option<String>,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

pub fn cmd_prompt(ctx: &Ctx, printer: &Printer, cmd: PromptCommand) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    match cmd {
        PromptCommand::List => list(&ws, printer),
        PromptCommand::Show { reference } => show(&ws, printer, &reference),
        PromptCommand::Log { name } => log(&ws, printer, &name),
        PromptCommand::Render(args) => render(&ws, printer, args),
        PromptCommand::Resolve { name, channel, key } => resolve_release(&ws, printer, &name, &channel, &key),
    }
}

/// One prompt as `prompt list` shows it.
#[derive(serde::Serialize)]
struct PromptEntry {
    name: String,
    version: String,
    blob: String,
    path: String,
    /// The model it runs on by default (`run::model_name`).
    model: Option<String>,
    messages: usize,
    variables: Vec<String>,
    description: Option<String>,
}

fn list(ws: &Workspace, printer: &Printer) -> Result<ExitCode, CommandError> {
    let (files, problems) = ws.list(FileKind::Prompt)?;
    for p in problems {
        printer.warn(p);
    }
    let mut items = Vec::new();
    for file in files {
        let (source, prompt) = ws.load_prompt(file.name.as_str())?;
        items.push(PromptEntry {
            model: crate::run::model_name(None, None, prompt.model.as_deref(), &ws.config),
            name: file.name.to_string(),
            version: source.version(),
            blob: source.blob.to_string(),
            path: file.rel_path,
            messages: prompt.messages.len(),
            variables: prompt.variables().into_iter().collect(),
            description: prompt.description,
        });
    }
    if printer.json {
        printer.json_value(&items)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(["NAME", "VERSION", "MODEL", "VARIABLES", "DESCRIPTION"]);
    for p in items {
        table.row([
            p.name,
            p.version,
            p.model.unwrap_or_else(|| "-".into()),
            if p.variables.is_empty() { "-".to_owned() } else { p.variables.join(",") },
            clip(p.description.as_deref().unwrap_or(""), 50),
        ]);
    }
    if table.is_empty() {
        printer.status("no prompts yet: add one under `prompts/`");
    } else {
        printer.write(&table.render())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn origin_text(origin: &Origin) -> String {
    match origin {
        Origin::WorkTree => "work tree".to_owned(),
        Origin::Commit(id) => format!("commit {}", &id[..id.len().min(version::SHORT_LEN)]),
        Origin::Blob => "git object".to_owned(),
    }
}

fn show(ws: &Workspace, printer: &Printer, reference: &str) -> Result<ExitCode, CommandError> {
    let (source, prompt) = crate::release::load_prompt(ws, reference)?;
    if printer.json {
        printer.json_value(&serde_json::json!({
            "name": source.file.name,
            "version": source.version(),
            "blob": source.blob.to_string(),
            "origin": source.origin,
            "path": source.file.rel_path,
            "variables": prompt.variables(),
            "prompt": prompt,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    printer.status(format!(
        "{}@{} ({}, `{}`)",
        source.file.name,
        printer.paint_err(&source.version(), Style::Yellow),
        origin_text(&source.origin),
        source.file.rel_path
    ));
    printer.write(&source.text)?;
    Ok(ExitCode::SUCCESS)
}

fn log(ws: &Workspace, printer: &Printer, name: &str) -> Result<ExitCode, CommandError> {
    let file = match ws.find(FileKind::Prompt, name) {
        Ok(f) => f,
        Err(crate::workspace::WorkspaceError::NotFound { .. }) => {
            // A prompt deleted from the work tree still has a history.
            let name = crate::names::Name::parse(name).map_err(|e| CommandError::usage(e.to_string()))?;
            crate::workspace::WorkspaceFile { kind: FileKind::Prompt, rel_path: format!("prompts/{name}.yaml"), name }
        }
        Err(e) => return Err(e.into()),
    };
    let work_tree = crate::workspace::files::read_if_exists(&ws.root, &file.rel_path)?;
    let entries = version::history(&ws.repo, &file.rel_path, work_tree.as_deref())
        .map_err(|e| CommandError::new(super::ExitKind::Provider, e.to_string()))?;
    if entries.is_empty() {
        return Err(CommandError::usage(format!("prompt `{name}` has no versions in the work tree or in history")));
    }
    if printer.json {
        let items: Vec<_> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                serde_json::json!({
                    "number": i + 1,
                    "version": version::short(&e.blob),
                    "blob": e.blob.to_string(),
                    "commit": e.commit.map(|c| c.to_string()),
                    "time": e.time,
                    "subject": e.subject,
                })
            })
            .collect();
        printer.json_value(&items)?;
        return Ok(ExitCode::SUCCESS);
    }
    let current = work_tree.as_deref().map(version::blob_id);
    let mut table = Table::new(["#", "VERSION", "COMMIT", "DATE (UTC)", "SUBJECT"]);
    for (i, e) in entries.iter().enumerate() {
        let marker = if Some(e.blob) == current { "*" } else { " " };
        table.row([
            format!("{}{marker}", i + 1),
            version::short(&e.blob),
            e.commit.map(|c| c.to_hex_with_len(version::SHORT_LEN).to_string()).unwrap_or_else(|| "-".into()),
            e.time.map(format_time).unwrap_or_else(|| "-".into()),
            e.subject.clone().map(|s| clip(&s, 60)).unwrap_or_else(|| "(uncommitted)".into()),
        ]);
    }
    printer.write(&table.render())?;
    printer.status("* the work tree's version");
    Ok(ExitCode::SUCCESS)
}

fn resolve_release(ws: &Workspace, printer: &Printer, name: &str, channel: &str, key: &str) -> Result<ExitCode, CommandError> {
    let releases = crate::release::Releases::read(&ws.root).map_err(|d| CommandError::invalid(vec![d]))?;
    let c = releases.channel(name, channel).ok_or_else(|| {
        CommandError::usage(format!("`{name}` has no release on `{channel}`")).hint(format!("`llmops promote {name} --to {channel}`"))
    })?;
    let r = crate::release::resolve(c, name, key);
    let canary = c.canary.as_ref().is_some_and(|k| k.release.version == r.version);
    if printer.json {
        printer.json_value(&serde_json::json!({"prompt": name, "channel": channel, "key": key, "version": r.version, "canary": canary}))?;
    } else {
        printer.line(&r.version)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The variables of `--row` (from `--dataset` or the prompt's eval) overlaid with `--var`s,
/// and the row id.
pub(super) fn resolve_vars(ws: &Workspace, prompt: &str, input: &InputArgs) -> Result<(Map<String, Value>, Option<String>), CommandError> {
    let row = resolve_row(ws, prompt, input)?;
    Ok((row.vars, input.row.as_ref().map(|_| row.id)))
}

/// [`resolve_vars`] as a whole row (an agent's mocked tool results too).
pub(super) fn resolve_row(ws: &Workspace, prompt: &str, input: &InputArgs) -> Result<crate::spec::dataset::Row, CommandError> {
    use crate::workspace::VarsError;
    ws.call_row(prompt, input.row.as_deref(), input.dataset.as_deref(), &input.vars).map_err(|e| match e {
        VarsError::Workspace(e) => e.into(),
        VarsError::NoRow { ref dataset, .. } => {
            let hint = format!("`llmops dataset show {dataset}` lists the rows");
            CommandError::usage(e.to_string()).hint(hint)
        }
        VarsError::NoEval { .. } | VarsError::ManyDatasets { .. } => CommandError::usage(e.to_string()),
    })
}

/// Renders a prompt's messages, turning template errors into a usage error with a hint.
/// A RAG prompt's retrieval runs first: its chunks are a variable.
pub(super) fn render_or_explain(
    ws: &Workspace,
    source: &crate::workspace::Source,
    prompt: &crate::spec::prompt::Prompt,
    vars: &Map<String, Value>,
    row_id: Option<&str>,
) -> Result<Vec<crate::template::RenderedMessage>, CommandError> {
    let (vars, _) = crate::retrieval::augment(ws, prompt, vars).map_err(super::index::retrieval_error)?;
    template::render_messages(prompt, &vars).map_err(|e| {
        let err = CommandError::usage(format!("cannot render `{}`: {e}", source.file.rel_path));
        let err = match row_id {
            Some(id) => err.cause(format!("variables from row `{id}`")),
            None => err,
        };
        match e {
            TemplateError::MissingVariable { variable, .. } => err.hint(format!("pass `--var {variable}=...` or `--row ID`")),
            TemplateError::Render { .. } => err,
        }
    })
}

fn render(ws: &Workspace, printer: &Printer, args: RenderArgs) -> Result<ExitCode, CommandError> {
    let (source, prompt) = crate::release::load_prompt(ws, &args.reference)?;
    let (vars, row_id) = resolve_vars(ws, source.file.name.as_str(), &args.input)?;
    let messages = render_or_explain(ws, &source, &prompt, &vars, row_id.as_deref())?;
    if printer.json {
        printer.json_value(&serde_json::json!({
            "name": source.file.name,
            "version": source.version(),
            "row": row_id,
            "messages": messages,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    printer.status(format!("{}@{}", source.file.name, source.version()));
    for m in &messages {
        printer.line(printer.paint(&format!("[{}]", m.role), Style::Bold))?;
        printer.line(&m.content)?;
    }
    Ok(ExitCode::SUCCESS)
}
