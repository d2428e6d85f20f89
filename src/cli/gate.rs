use std::path::PathBuf;
use std::process::ExitCode;

use super::{CommandError, Ctx, ExitKind};
use crate::gate::check::{self, GateError, GateRequest};
use crate::gate::export;
use crate::gate::promotion::Status;
use crate::gate::review::Review;
use crate::gate::scope::{Scope, StagedError};
use crate::printer::{Printer, Style};
use crate::report::table::Table;
use crate::text::clip;

/// Check every release in `.llmops/releases.yaml` (its runs exist, pass, verify and still match
/// the current eval, dataset and model) and every changed prompt, as `.llmops/config.yaml`'s
/// `gate:` policy demands. Exit 0: passed; 1: failed; 2: bad configuration
#[derive(Debug, clap::Args)]
pub struct GateArgs {
    /// Check the prompts changed since the merge base of HEAD and REF (CI: `--base origin/main`)
    #[arg(long, value_name = "REF", conflicts_with = "staged")]
    pub base: Option<String>,
    /// Check what is staged for commit, as the index holds it (the pre-commit hook)
    #[arg(long)]
    pub staged: bool,
    /// Run the missing evals instead of failing for them
    #[arg(long)]
    pub run: bool,
    /// With `--run`: let `command` graders run the programs the evals name
    #[arg(long, requires = "run")]
    pub allow_exec: bool,
    /// Write a JUnit XML report to FILE
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Append a Markdown summary to FILE (for example `$GITHUB_STEP_SUMMARY`)
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Write the HTML report (`llmops report`) of the evals the gate looked at to FILE
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

pub fn cmd_gate(ctx: &Ctx, printer: &Printer, args: GateArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let scope = match (&args.base, args.staged) {
        (Some(base), _) => Scope::Base(base.clone()),
        (None, true) => Scope::Staged,
        (None, false) => Scope::WorkTree,
    };
    let request = GateRequest {
        scope: scope.clone(),
        run: args.run,
        allow_exec: args.allow_exec,
        options: crate::engine::RunOptions {
            threads: std::env::var("LLMOPS_THREADS").ok().and_then(|t| t.parse().ok()),
            verbose: printer.verbose,
            ..Default::default()
        },
    };
    if args.run {
        super::eval::catch_interrupts();
    }
    // Each eval's progress is shown as lines, not as a bar under the gate's own lines.
    let mut eval_printer = printer.clone();
    eval_printer.json = true;
    let review = check::check(&ws, &request, &mut super::eval::progress(&eval_printer)).map_err(|e| match e {
        GateError::Scope(e) => {
            let err = CommandError::usage(e.to_string());
            match &scope {
                Scope::Base(_) => err.hint("in a shallow CI clone, fetch the base first: `git fetch origin main` (and `fetch-depth: 0`)"),
                _ => err,
            }
        }
        GateError::Staged(StagedError::Config(d)) | GateError::Invalid(d) => CommandError::invalid(d),
        GateError::Staged(StagedError::Read(e)) | GateError::Workspace(e) => e.into(),
        GateError::Staged(StagedError::Git(e)) => CommandError::usage(e.to_string()),
        GateError::Policy(e) => CommandError::usage(e.to_string()),
        GateError::Evaluation(e) => e.into(),
        GateError::Io(e) => e.into(),
    })?;
    let verdict = finish(printer, &args, &review, &scope);
    if let Some(path) = &args.report {
        // The evals the gate looked at (every eval with runs when it looked at none), written
        // after the gate's own files: a report that cannot be made costs a warning, never the
        // verdict.
        let mut evals: Vec<String> = review.findings.iter().filter_map(|f| f.eval.clone()).collect();
        evals.sort();
        evals.dedup();
        let path = if path.is_absolute() { path.clone() } else { ctx.cwd.join(path) };
        let written = crate::report::html::build(&ws, &crate::report::html::Options { evals, runs: 50, comparable: 5, compare: None })
            .map_err(|e| e.to_string())
            .and_then(|page| {
                for warning in &page.warnings {
                    printer.warn(format!("report: {warning}"));
                }
                crate::atomic_write::write_atomic(&path, crate::report::html::render(&page).as_bytes()).map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            printer.warn(format!("cannot write the report `{}`: {e}", path.display()));
        }
    }
    verdict
}

/// Prints the review, writes the reports, and turns a failure into the error that says what to
/// run next.
fn finish(printer: &Printer, args: &GateArgs, review: &Review, scope: &Scope) -> Result<ExitCode, CommandError> {
    if let Some(path) = &args.junit {
        crate::atomic_write::write_atomic(path, export::junit(review).as_bytes())
            .map_err(|e| CommandError::usage(format!("cannot write `{}`: {e}", path.display())))?;
    }
    if let Some(path) = &args.summary {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(export::markdown(review, &scope.describe()).as_bytes()))
            .map_err(|e| CommandError::usage(format!("cannot write `{}`: {e}", path.display())))?;
    }
    if printer.json {
        printer.json_value(review)?;
    } else if review.findings.is_empty() {
        let what = if review.changed.is_empty() && *scope == Scope::Staged {
            "no prompt, dataset, eval or lockfile is staged".to_owned()
        } else {
            format!("no releases and no changed prompts in {}", scope.describe())
        };
        printer.status(format!("{} nothing to check: {what}", printer.paint_err("gate passed:", Style::Green)));
    } else {
        let mut table = Table::new(["PROMPT", "VERSION", "EVAL", "STATUS", "RUN", "REASON"]);
        for f in &review.findings {
            let status = match (f.status, f.blocking) {
                (Status::Pass, _) => printer.paint("pass", Style::Green),
                (s, true) => printer.paint(s.label(), Style::Red),
                (s, false) => printer.paint(&format!("{} (warn)", s.label()), Style::Yellow),
            };
            table.row([
                f.subject(),
                crate::version::short_str(&f.version).to_owned(),
                f.eval.clone().unwrap_or_else(|| "-".into()),
                status,
                f.run.as_deref().map(|r| crate::version::short_str(r).to_owned()).unwrap_or_else(|| "-".into()),
                clip(&f.reason, 90),
            ]);
        }
        printer.write(&table.render())?;
    }
    if review.pass {
        if !review.findings.is_empty() {
            printer.status(format!("{} {} checks", printer.paint_err("gate passed:", Style::Green), review.findings.len()));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let blocking: Vec<_> = review.findings.iter().filter(|f| f.blocking).collect();
    let mut err = CommandError::new(ExitKind::Verdict, format!("the gate failed: {} of {} checks", blocking.len(), review.findings.len()));
    let mut hints = Vec::new();
    for f in &blocking {
        err = err.cause(format!("{} / {}: {}", f.subject(), f.eval.as_deref().unwrap_or("-"), f.reason));
        if let Some(fix) = &f.fix {
            if !hints.contains(fix) {
                hints.push(fix.clone());
            }
        }
    }
    if !args.run && blocking.iter().any(|f| f.remedy.is_some()) {
        let scope_flag = match scope {
            Scope::Staged => " --staged".to_owned(),
            Scope::Base(b) => format!(" --base {b}"),
            Scope::WorkTree => String::new(),
        };
        hints.push(format!("or let the gate run the missing evals: `llmops gate{scope_flag} --run`"));
    }
    for h in hints {
        err = err.hint(h);
    }
    Err(err)
}
