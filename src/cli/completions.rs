use std::process::ExitCode;

use clap_complete::Shell;

use super::CommandError;
use crate::printer::Printer;

/// Print a shell completion script (bash, zsh, fish, elvish, powershell).
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    pub shell: Shell,
}

pub fn cmd_completions(printer: &Printer, args: CompletionsArgs) -> Result<ExitCode, CommandError> {
    printer.write(&script(args.shell))?;
    Ok(ExitCode::SUCCESS)
}

/// The completion script for `shell`, as kept in `completions/`.
pub fn script(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut super::command(), "llmops", &mut out);
    String::from_utf8(out).expect("clap_complete writes UTF-8")
}
