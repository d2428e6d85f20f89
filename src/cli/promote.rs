use std::process::{Command, ExitCode};

use super::{CommandError, Ctx, ExitKind};
use crate::gate::promotion;
use crate::release::{RELEASES_PATH, Release, Releases};
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
    if let Some(p) = args.canary {
        if !(p > 0.0 && p < 100.0) {
            return Err(CommandError::usage(format!("`--canary {p}`: the share must be between 0 and 100")));
        }
    }
    let reference = match &args.version {
        Some(v) => format!("{}@{v}", args.name),
        None => args.name.clone(),
    };
    let (source, prompt) = crate::release::load_prompt(&ws, &reference)?;
    let blob = source.blob.to_string();
    let version_ref = args.version.clone().unwrap_or_default();
    let mut releases = Releases::read(&ws.root).map_err(|d| CommandError::invalid(vec![d]))?;
    let checks = promotion::check_for_channel(&ws, &releases, &args.name, &blob, prompt.model.as_deref(), &args.channel, &version_ref)?;
    if checks.is_empty() {
        return Err(CommandError::new(ExitKind::Verdict, format!("no eval uses prompt `{}`: nothing vouches for it", args.name))
            .hint(format!("add an eval with `prompt: {}` under `evals/`", args.name)));
    }
    let all_ok = checks.iter().all(|c| c.ok);
    if printer.json {
        printer.json_value(&serde_json::json!({"prompt": args.name, "version": blob, "channel": args.channel, "promoted": all_ok, "checks": checks}))?;
    } else {
        for c in &checks {
            // The check's own status: a run that failed its gate is not a missing run.
            let mark = if c.ok { printer.paint_err("ok", Style::Green) } else { printer.paint_err(c.status.label(), Style::Red) };
            printer.status(format!("{mark} {}: {}", c.eval, c.reason));
        }
    }
    if !all_ok {
        let mut err = CommandError::new(
            ExitKind::Verdict,
            format!("`{}@{}` cannot be promoted to `{}`", args.name, crate::version::short_str(&blob), args.channel),
        );
        for c in checks.iter().filter(|c| !c.ok) {
            err = err.cause(format!("{}: {}", c.eval, c.reason));
            if let Some(fix) = &c.fix {
                err = err.hint(fix.clone());
            }
        }
        return Err(err);
    }
    let release = Release {
        version: blob.clone(),
        runs: checks.iter().filter_map(|c| c.run.clone().map(|r| (c.eval.clone(), r))).collect(),
        released: crate::report::now_seconds(),
    };
    releases.promote(&args.name, &args.channel, release, args.canary).map_err(|e| {
        CommandError::usage(e.to_string()).hint(format!("promote without `--canary` first: `llmops promote {}`", args.name))
    })?;
    releases.write(&ws.root)?;
    let what = if args.canary.is_some() { "canary" } else { "release" };
    printer.status(format!(
        "{} `{}@{}` on `{}` ({what}); `{RELEASES_PATH}` written",
        printer.paint_err("promoted", Style::Green),
        args.name,
        crate::version::short_str(&blob),
        args.channel
    ));
    if args.commit {
        // Added first: a pathspec commit needs the file tracked, and a new lockfile is not.
        let message = format!("promote {}@{} to {}", args.name, crate::version::short_str(&blob), args.channel);
        let git = |args: &[&str]| Command::new("git").current_dir(&ws.root).args(args).status();
        let committed = git(&["add", RELEASES_PATH]).and_then(|add| {
            if add.success() { git(&["commit", "-q", "-m", &message, "--", RELEASES_PATH]) } else { Ok(add) }
        });
        match committed {
            Ok(status) if status.success() => {}
            Ok(_) => return Err(CommandError::new(ExitKind::Provider, "the lockfile is written but `git commit` failed")),
            Err(e) => return Err(CommandError::new(ExitKind::Provider, format!("cannot run git: {e}"))),
        }
    } else {
        printer.status(format!("commit it: git add {RELEASES_PATH} && git commit -m 'promote {}'", args.name));
    }
    Ok(ExitCode::SUCCESS)
}
