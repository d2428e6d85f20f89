use std::path::PathBuf;
use std::process::ExitCode;

use super::{CommandError, Ctx};
use crate::printer::Printer;

/// Write one self-contained HTML report of the recorded runs (no network at view time):
/// per eval the score and pass-rate trend by prompt version with the gate's thresholds, the
/// latest run by dimension, a comparison of two runs (flipped rows, outputs with a word diff),
/// and every sample of the latest run with its drill-down (grades, trajectory, spans)
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Evals to include (default: every eval with runs)
    pub evals: Vec<String>,
    /// The last N runs of each eval
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub runs: usize,
    /// The latest N runs of each eval can be picked for a comparison in the page
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub comparable: usize,
    /// Compare these two runs (base, then the other) instead of each eval's two latest
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub compare: Vec<String>,
    /// Where to write it
    #[arg(short, long, value_name = "FILE", default_value = "report.html")]
    pub output: PathBuf,
    /// Open it in the browser (`xdg-open`, or `open` on macOS)
    #[arg(long)]
    pub open: bool,
}

pub fn cmd_report(ctx: &Ctx, printer: &Printer, args: ReportArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    // `--compare A B`: two runs of one eval, and one the report includes.
    let compare = match args.compare.as_slice() {
        [a, b] => {
            let (ia, ea) = crate::ledger::resolve(&ws.repo, a).map_err(super::log::ledger_error)?;
            let (ib, eb) = crate::ledger::resolve(&ws.repo, b).map_err(super::log::ledger_error)?;
            if ea != eb {
                return Err(CommandError::usage(format!("--compare: run {a} is of eval `{ea}`, run {b} of `{eb}`: compare two runs of one eval")));
            }
            if !args.evals.is_empty() && !args.evals.contains(&ea) {
                return Err(CommandError::usage(format!("--compare: the runs are of eval `{ea}`, which the report leaves out")));
            }
            Some(crate::report::html::Pair { eval: ea, a: ia, b: ib })
        }
        _ => None,
    };
    let options = crate::report::html::Options { evals: args.evals.clone(), runs: args.runs, comparable: args.comparable, compare };
    let page = crate::report::html::build(&ws, &options).map_err(|crate::report::html::ReportError::Ledger(e)| super::log::ledger_error(e))?;
    for warning in &page.warnings {
        printer.warn(warning.clone());
    }
    for eval in args.evals.iter().filter(|e| !page.evals.iter().any(|p| p.eval == **e)) {
        printer.warn(format!("eval `{eval}` has no runs: it is not in the report"));
    }
    let html = crate::report::html::render(&page);
    let path = if args.output.is_absolute() { args.output.clone() } else { ctx.cwd.join(&args.output) };
    crate::atomic_write::write_atomic(&path, html.as_bytes()).map_err(|e| CommandError::new(super::ExitKind::Provider, format!("cannot write `{}`: {e}", path.display())))?;
    let samples: usize = page.evals.iter().map(|e| e.samples.len()).sum();
    if printer.json {
        printer.json_value(&serde_json::json!({"path": path, "evals": page.evals.len(), "samples": samples, "bytes": html.len()}))?;
    } else {
        printer.write(&format!("wrote `{}`: {} eval{}, {samples} samples, {} KiB\n", args.output.display(), page.evals.len(), if page.evals.len() == 1 { "" } else { "s" }, html.len() / 1024))?;
    }
    if args.open {
        let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        let quiet = std::process::Command::new(opener).arg(&path).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status();
        if let Err(e) = quiet {
            printer.warn(format!("cannot open it with `{opener}`: {e}"));
        }
    }
    Ok(ExitCode::SUCCESS)
}
