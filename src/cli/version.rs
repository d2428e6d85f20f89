use std::process::ExitCode;

use super::CommandError;
use crate::printer::Printer;

/// Print the llmops version and the llama.cpp build it runs models with: CPU features, the GPU
/// backends compiled in, and the devices it sees.
#[derive(Debug, clap::Args)]
pub struct VersionArgs {}

pub fn cmd_version(printer: &Printer, _args: VersionArgs) -> Result<ExitCode, CommandError> {
    let llama = crate::engine_info::system_info();
    let backends = crate::engine_info::gpu_backends();
    let devices = crate::engine_info::devices();
    if printer.json {
        printer.json_value(&serde_json::json!({
            "llmops": env!("CARGO_PKG_VERSION"),
            "llama_cpp": llama,
            "gpu_backends": backends,
            "devices": devices,
        }))?;
    } else {
        printer.line(format!("llmops {}", env!("CARGO_PKG_VERSION")))?;
        printer.line(format!("llama.cpp: {llama}"))?;
        printer.line(format!(
            "GPU backends: {}",
            if backends.is_empty() { "none (a CPU build; `cargo build --release --features cuda`, `vulkan` or `metal` adds one)".to_owned() } else { backends.join(", ") }
        ))?;
        for d in &devices {
            let memory = if d.memory_total_mib > 0 { format!(", {} MiB ({} free)", d.memory_total_mib, d.memory_free_mib) } else { String::new() };
            printer.line(format!("device {}: {} ({}, {}{memory})", d.name, d.description, d.backend, d.kind))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
