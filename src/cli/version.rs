use std::process::ExitCode;

use super::CommandError;
use crate::printer::Printer;

/// Print the llmops version and the llama.cpp build it runs models with (CPU features).
#[derive(Debug, clap::Args)]
pub struct VersionArgs {}

pub fn cmd_version(printer: &Printer, _args: VersionArgs) -> Result<ExitCode, CommandError> {
    let llama = crate::engine_info::system_info();
    if printer.json {
        printer.json_value(&serde_json::json!({
            "llmops": env!("CARGO_PKG_VERSION"),
            "llama_cpp": llama,
        }))?;
    } else {
        printer.line(format!("llmops {}", env!("CARGO_PKG_VERSION")))?;
        printer.line(format!("llama.cpp: {llama}"))?;
    }
    Ok(ExitCode::SUCCESS)
}
