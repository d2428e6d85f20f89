use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{CommandError, Ctx, ExitKind};
use crate::gate::{export, policy};
use crate::gate::promotion::Status;
use crate::release::Releases;
use crate::gate::review::{self, Review};
use crate::gate::scope::{self, Scope};
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
}

pub fn cmd_gate(ctx: &Ctx, printer: &Printer, args: GateArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let scope = match (&args.base, args.staged) {
        (Some(base), _) => Scope::Base(base.clone()),
        (None, true) => Scope::Staged,
        (None, false) => Scope::WorkTree,
    };
    let changed = scope::changed_paths(&ws.root, &scope).map_err(|e| {
        let err = CommandError::usage(e.to_string());
        match &scope {
            Scope::Base(_) => err.hint("in a shallow CI clone, fetch the base first: `git fetch origin main` (and `fetch-depth: 0`)"),
            _ => err,
        }
    })?;
    if scope == Scope::Staged && changed.is_empty() {
        let review = Review { pass: true, changed, findings: Vec::new() };
        return finish(printer, &args, &review, &scope);
    }
    // The hook judges what is being committed: the index's files, not the work tree's.
    let snapshot = if scope == Scope::Staged { Some(tempfile::Builder::new().prefix("llmops-gate-").tempdir()?) } else { None };
    let staged_ws = match &snapshot {
        Some(snapshot) => Some(scope::staged_workspace(&ws, snapshot.path()).map_err(|e| match e {
            scope::StagedError::Config(d) => CommandError::invalid(d),
            scope::StagedError::Read(e) => e.into(),
            scope::StagedError::Git(e) => CommandError::new(ExitKind::Usage, e.to_string()),
        })?),
        None => None,
    };
    let gate_ws = staged_ws.as_ref().unwrap_or(&ws);
    let releases = Releases::read(&gate_ws.root).map_err(|d| CommandError::invalid(vec![d]))?;
    // In CI the branch under test does not set its own bar: the policy is the merge base's,
    // and changes to the bar are findings of their own.
    let base = match &scope {
        Scope::Base(reference) => {
            let commit = scope::merge_base(&ws.root, reference).map_err(|e| CommandError::usage(e.to_string()))?;
            Some(policy::read_base(&ws.root, &commit).map_err(|e| CommandError::usage(e.to_string()))?)
        }
        _ => None,
    };
    let policy = base.as_ref().map(|b| b.policy.clone()).unwrap_or_else(|| gate_ws.config.gate.clone());
    // The allowed signers, like the policy, come from the merge base in CI.
    let base_signers = match (&base, policy.signed_runs.as_ref()) {
        (Some(base), Some(signed)) => {
            let mut file = tempfile::NamedTempFile::new()?;
            if let Some(bytes) = scope::show(&ws.root, &base.commit, &signed.allowed_signers).map_err(|e| CommandError::usage(e.to_string()))? {
                std::io::Write::write_all(&mut file, &bytes)?;
            }
            Some(file)
        }
        _ => None,
    };
    let full_review = || -> Result<Review, CommandError> {
        let mut review = review::review(gate_ws, &releases, &changed, &policy, base_signers.as_ref().map(|f| f.path()))?;
        if let Some(base) = &base {
            let mut evals = BTreeMap::new();
            for file in gate_ws.list(crate::workspace::FileKind::Eval)?.0 {
                if let Ok((_, spec)) = gate_ws.load_eval(file.name.as_str()) {
                    evals.insert(file.name.to_string(), spec);
                }
            }
            review.findings.extend(policy::changes(base, &gate_ws.config.gate, &evals, &releases));
            review.pass = review.findings.iter().all(|f| !f.blocking);
        }
        Ok(review)
    };
    let mut review = full_review()?;
    if args.run {
        let remedies: Vec<_> = review.findings.iter().filter_map(|f| f.remedy.clone()).collect();
        if !remedies.is_empty() {
            // One eval invocation per prompt version, each model loaded once.
            let mut by_version: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
            for r in remedies {
                let evals = by_version.entry(r.prompt_version).or_default();
                if !evals.contains(&r.eval) {
                    evals.push(r.eval);
                }
            }
            let mut eval_printer = printer.clone();
            eval_printer.json = true;
            super::eval::catch_interrupts();
            let mut models = crate::evaluation::Models::default();
            let threads = std::env::var("LLMOPS_THREADS").ok().and_then(|t| t.parse().ok());
            for (version, evals) in by_version {
                printer.status(format!("gate: running {} for {}", evals.join(", "), version.as_deref().map(crate::version::short_str).unwrap_or(if scope == Scope::Staged { "the staged version" } else { "the work tree's version" })));
                for eval in evals {
                    let request = crate::evaluation::EvalRequest {
                        eval: eval.clone(),
                        prompt_version: version.clone(),
                        use_cache: true,
                        allow_exec: args.allow_exec,
                        options: crate::engine::RunOptions { threads, verbose: printer.verbose, ..Default::default() },
                        record: true,
                        ..Default::default()
                    };
                    // What the review judges: with `--staged`, the index's snapshot.
                    let report = crate::evaluation::execute(gate_ws, &request, &mut models, &mut super::eval::progress(&eval_printer))?;
                    if let Some(id) = &report.run {
                        printer.status(format!("recorded run {} on `{}`", crate::version::short_str(id), crate::ledger::ref_name(&eval)));
                    }
                }
            }
            review = full_review()?;
        }
    }
    finish(printer, &args, &review, &scope)
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
