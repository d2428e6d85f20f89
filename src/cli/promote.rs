use std::process::ExitCode;

use super::{CommandError, Ctx, ExitKind};
use crate::gate::promotion::{self, PromoteError, PromoteRequest};
use crate::release::RELEASES_PATH;
use crate::printer::{Printer, Style};

/// Release a prompt version on a channel, if every eval that uses the prompt has a passing,
/// untampered run of exactly this version; writes `.llmops/releases.yaml`
#[derive(Debug, clap::Args)]
pub struct PromoteArgs {
    /// The prompt
    pub name: String,
    /// The version: a blob prefix or a git revision (default: the work tree's)
    #[arg(long, value_name = "REF")]
    pub version: Option<String>,
    /// The release channel
    #[arg(long = "to", default_value = "production", value_name = "CHANNEL")]
    pub channel: String,
    /// Release as a canary taking PCT percent of keys; the current version stays stable
    #[arg(long, value_name = "PCT")]
    pub canary: Option<f64>,
    /// Commit `.llmops/releases.yaml` after writing it
    #[arg(long)]
    pub commit: bool,
}

pub fn cmd_promote(ctx: &Ctx, printer: &Printer, args: PromoteArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let request = PromoteRequest { prompt: args.name.clone(), version: args.version, channel: args.channel, canary: args.canary };
    let error = |e: PromoteError| match e {
        PromoteError::Workspace(e) => e.into(),
        PromoteError::Lockfile(d) => CommandError::invalid(vec![d]),
        PromoteError::CanaryShare(_) => CommandError::usage(e.to_string()),
        PromoteError::NoEvals(_) => CommandError::new(ExitKind::Verdict, e.to_string()).hint(format!("add an eval with `prompt: {}` under `evals/`", args.name)),
        PromoteError::NoStable(_) => CommandError::usage(e.to_string()).hint(format!("promote without `--canary` first: `llmops promote {}`", args.name)),
        PromoteError::Write(_) | PromoteError::CommitFailed | PromoteError::Git(_) => CommandError::new(ExitKind::Provider, e.to_string()),
    };
    let pending = promotion::prepare(&ws, &request).map_err(error)?;
    let p = &pending.promotion;
    let short = crate::version::short_str(&p.version).to_owned();
    if printer.json {
        printer.json_value(p)?;
    } else {
        for c in &p.checks {
            // The check's own status: a run that failed its gate is not a missing run.
            let mark = if c.ok { printer.paint_err("ok", Style::Green) } else { printer.paint_err(c.status.label(), Style::Red) };
            printer.status(format!("{mark} {}: {}", c.eval, c.reason));
        }
    }
    if !p.promoted {
        let mut err = CommandError::new(ExitKind::Verdict, format!("`{}@{short}` cannot be promoted to `{}`", p.prompt, p.channel));
        for c in p.checks.iter().filter(|c| !c.ok) {
            err = err.cause(format!("{}: {}", c.eval, c.reason));
            if let Some(fix) = &c.fix {
                err = err.hint(fix.clone());
            }
        }
        return Err(err);
    }
    let p = pending.write(&ws, args.canary).map_err(error)?;
    let what = if args.canary.is_some() { "canary" } else { "release" };
    printer.status(format!(
        "{} `{}@{short}` on `{}` ({what}); `{RELEASES_PATH}` written",
        printer.paint_err("promoted", Style::Green),
        p.prompt,
        p.channel
    ));
    if args.commit {
        promotion::commit_lockfile(&ws, &p).map_err(error)?;
    } else {
        printer.status(format!("commit it: git add {RELEASES_PATH} && git commit -m 'promote {}'", p.prompt));
    }
    Ok(ExitCode::SUCCESS)
}
