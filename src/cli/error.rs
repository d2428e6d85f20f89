//! Errors as a person sees them: `error: ...`, then `caused by: ...`, then `hint: ...`,
//! and the exit code that belongs to their kind.

use std::fmt::Write as _;
use std::process::ExitCode;

use crate::diagnostic::Diagnostic;
use crate::printer::{Printer, Style};
use crate::version::VersionError;
use crate::workspace::WorkspaceError;

/// The exit-code contract, written in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// A verdict failed: a gate, a diff with `--exit-code`.
    Verdict = 1,
    /// Bad usage or bad configuration.
    Usage = 2,
    /// A model provider or I/O failed.
    Provider = 3,
    /// Ctrl-C.
    Interrupted = 130,
}

#[derive(Debug)]
pub struct CommandError {
    pub kind: ExitKind,
    pub message: String,
    pub causes: Vec<String>,
    pub hints: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Stdout was closed by its reader (`llmops ... | head`): exit quietly.
    pub broken_pipe: bool,
}

impl CommandError {
    pub fn new(kind: ExitKind, message: impl Into<String>) -> Self {
        CommandError { kind, message: message.into(), causes: vec![], hints: vec![], diagnostics: vec![], broken_pipe: false }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Usage, message)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    /// Problems found in files, each printed in full.
    pub fn invalid(diagnostics: Vec<Diagnostic>) -> Self {
        let n = diagnostics.len();
        let mut e = Self::usage(format!("{n} problem{} found", if n == 1 { "" } else { "s" }));
        e.diagnostics = diagnostics;
        e
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.kind as u8)
    }

    pub fn render(&self, printer: &Printer) -> String {
        let error = printer.paint_err("error", Style::Red);
        let mut out = String::new();
        for d in &self.diagnostics {
            let _ = writeln!(out, "{error}: {d}\n");
        }
        let _ = writeln!(out, "{error}: {}", self.message);
        for cause in &self.causes {
            let _ = writeln!(out, "caused by: {cause}");
        }
        for hint in &self.hints {
            let _ = writeln!(out, "{}: {hint}", printer.paint_err("hint", Style::Cyan));
        }
        out
    }
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        let mut err = CommandError::new(ExitKind::Provider, format!("I/O error: {e}"));
        err.broken_pipe = e.kind() == std::io::ErrorKind::BrokenPipe;
        err
    }
}

impl From<WorkspaceError> for CommandError {
    fn from(e: WorkspaceError) -> Self {
        match e {
            WorkspaceError::NotARepository { .. } => {
                CommandError::usage(e.to_string()).hint("run `git init` first, then `llmops init`")
            }
            WorkspaceError::NotInitialized { .. } => CommandError::usage(e.to_string()).hint("run `llmops init`"),
            WorkspaceError::Invalid(diags) => CommandError::invalid(diags),
            WorkspaceError::NotFound { ref suggestion, .. } => {
                let hint = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "`llmops prompt list` and `llmops dataset list` show what exists".to_owned(),
                };
                CommandError::usage(e.to_string()).hint(hint)
            }
            WorkspaceError::Version { ref source, .. } => {
                let hint = match source {
                    VersionError::NotFound { .. } => Some("`llmops prompt log NAME` lists the versions"),
                    _ => None,
                };
                let err = CommandError::usage(e.to_string());
                match hint {
                    Some(h) => err.hint(h),
                    None => err,
                }
            }
            WorkspaceError::Io { .. } => CommandError::new(ExitKind::Provider, e.to_string()),
            WorkspaceError::Name(_) | WorkspaceError::Bare { .. } | WorkspaceError::Outside { .. } | WorkspaceError::UncommittedDraft { .. } => CommandError::usage(e.to_string()),
            WorkspaceError::Exists { .. } => CommandError::usage(e.to_string()).hint("choose another `--name`, or pass `--force` to replace it"),
            WorkspaceError::Symlink { .. } => CommandError::usage(e.to_string())
                .hint("replace the link with the file itself (`cp --remove-destination \"$(readlink -f PATH)\" PATH`) if you trust its content"),
        }
    }
}

impl From<crate::engine::EngineError> for CommandError {
    fn from(e: crate::engine::EngineError) -> Self {
        use crate::engine::EngineError as E;
        let hint = match &e {
            E::MissingModel { model, .. } => Some(format!("run `llmops model pull {model}`")),
            E::ShaMismatch { .. } => Some("the file is corrupt or another model: delete it and run `llmops model pull NAME`, or fix `sha256` in `.llmops/config.yaml`".to_owned()),
            E::BadModel { .. } => Some("delete the file and run `llmops model pull NAME`".to_owned()),
            E::PromptTooLong { .. } => Some("raise `context` of the model in `.llmops/config.yaml` or shorten the prompt".to_owned()),
            _ => None,
        };
        let kind = if matches!(e, E::Interrupted) { ExitKind::Interrupted } else { ExitKind::Provider };
        let err = CommandError::new(kind, e.to_string());
        match hint {
            Some(h) => err.hint(h),
            None => err,
        }
    }
}

impl From<crate::engine::OpenError> for CommandError {
    fn from(e: crate::engine::OpenError) -> Self {
        use crate::engine::OpenError as E;
        match e {
            E::Unknown { ref known, .. } => {
                let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                CommandError::usage(e.to_string()).hint(format!("models: {list}"))
            }
            E::Insecure { .. } => CommandError::usage(e.to_string()),
            E::KeyNotGranted { ref model, ref var, ref host } => CommandError::usage(e.to_string())
                .hint(format!("if you trust that host with that key: `llmops model allow {model}` (remembered for your user), or `LLMOPS_ALLOW_KEYS={var}@{host}` in the environment")),
            E::MissingKey { ref var, .. } => {
                CommandError::new(ExitKind::Provider, e.to_string()).hint(format!("export {var}=..."))
            }
            E::Engine(inner) => inner.into(),
        }
    }
}

impl From<crate::bench::BenchError> for CommandError {
    fn from(e: crate::bench::BenchError) -> Self {
        use crate::bench::BenchError as E;
        match e {
            E::Open(e) => e.into(),
            E::Engine(e) => e.into(),
            E::NoModel | E::NotLocal(_) => CommandError::usage(e.to_string()),
            E::ToolMissing { .. } => CommandError::usage(e.to_string()).hint("build llama.cpp's tools with scripts/build-llama-tools.sh"),
            E::ToolFailed { .. } | E::ToolOutput(_) => CommandError::new(ExitKind::Provider, e.to_string()),
        }
    }
}

impl From<crate::evaluation::EvaluationError> for CommandError {
    fn from(e: crate::evaluation::EvaluationError) -> Self {
        use crate::evaluation::EvaluationError as E;
        use crate::run::RunError;
        match e {
            E::Workspace(inner) => inner.into(),
            E::JudgePrompt { grader, path, source } => CommandError::from(source).cause(format!("the judge prompt of grader `{grader}` in `{path}`")),
            E::ExecNotGranted { ref commands, declared, .. } => {
                let mut err = CommandError::usage(e.to_string());
                for c in commands {
                    err = err.cause(c.clone());
                }
                if declared {
                    err = err.cause("`allow_exec: true` in the eval declares that it needs execution; only the command line grants it");
                }
                err.hint("read the commands, then add `--allow-exec` if you trust them")
            }
            E::Invalid(diags) => CommandError::invalid(diags),
            E::Graders { .. } | E::NoModel | E::Overrides(_) => CommandError::usage(e.to_string()),
            E::Open(inner) => inner.into(),
            E::Run(RunError::Rows(diags)) => {
                let mut err = CommandError::invalid(diags);
                err.message = "rows that cannot be rendered; no model was run".into();
                err
            }
            E::Run(inner @ RunError::MissingOutput(_)) => CommandError::usage(inner.to_string()),
            E::Run(RunError::Interrupted) => CommandError::new(ExitKind::Interrupted, "interrupted; finished answers are cached, run again to resume"),
            E::Run(RunError::Engine(inner)) => inner.into(),
            E::Record(..) => CommandError::new(ExitKind::Provider, e.to_string()),
            E::Retrieval(inner) => super::index::retrieval_error(inner),
            E::IndexNotReady { .. } | E::NothingRetrieved { .. } => CommandError::usage(e.to_string()),
            E::Calibration(inner) => inner.into(),
        }
    }
}

impl From<crate::calibration::CalibrationError> for CommandError {
    fn from(e: crate::calibration::CalibrationError) -> Self {
        use crate::calibration::CalibrationError as E;
        match e {
            E::Workspace(inner) => inner.into(),
            E::Ledger(inner) => super::log::ledger_error(inner),
            E::Labels(crate::labels::LabelsError::NoIdentity) => CommandError::usage(e.to_string()).hint("labels name their reviewer: `git config user.name \"Your Name\"` and `git config user.email you@example.com`"),
            E::Labels(crate::labels::LabelsError::Line { .. }) => CommandError::usage(e.to_string()),
            E::Labels(_) => CommandError::new(ExitKind::Provider, e.to_string()),
            E::NoSample { .. } | E::OffScale { .. } | E::NoJudge { .. } | E::NoLabels(_) => CommandError::usage(e.to_string()),
        }
    }
}
