use std::process::ExitCode;

use super::log::ledger_error;
use super::{CommandError, Ctx, ExitKind};
use crate::ledger;
use crate::printer::Printer;
use crate::report::table::Table;

/// Compare two runs: per-dimension deltas, rows that flipped, the pins that changed, and
/// whether the difference is beyond chance (paired tests on the rows both ran)
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The base run (id prefix or `EVAL~N`)
    pub a: String,
    /// The run compared with it
    pub b: String,
    /// Exit 1 when B regresses against A (a lower score or any pass→fail row)
    #[arg(long)]
    pub exit_code: bool,
}

pub fn cmd_diff(ctx: &Ctx, printer: &Printer, args: DiffArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let load = |spec: &str| -> Result<ledger::StoredRun, CommandError> {
        let (id, eval) = ledger::resolve(&ws.repo, spec).map_err(ledger_error)?;
        ledger::load(&ws.repo, id, &eval).map_err(ledger_error)
    };
    let (a, b) = (load(&args.a)?, load(&args.b)?);
    let diff = ledger::compare::compare(&a, &b);
    if printer.json {
        printer.json_value(&diff)?;
    } else {
        let mut table = Table::new(["DIMENSION", "A", "B", "DELTA", "PASS RATE A", "PASS RATE B"]);
        for d in &diff.dimensions {
            table.row([
                d.dimension.clone(),
                d.a.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into()),
                format!("{:.3}", d.b),
                d.a.map(|v| format!("{:+.3}", d.b - v)).unwrap_or_else(|| "-".into()),
                d.pass_rate_a.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "-".into()),
                format!("{:.0}%", d.pass_rate_b * 100.0),
            ]);
        }
        let mut out = format!("A {}  B {}\n", crate::version::short_str(&diff.a), crate::version::short_str(&diff.b));
        out.push_str(&table.render());
        out.push_str(&format!("pass -> fail: {}\n", if diff.pass_to_fail.is_empty() { "none".into() } else { diff.pass_to_fail.join(", ") }));
        out.push_str(&format!("fail -> pass: {}\n", if diff.fail_to_pass.is_empty() { "none".into() } else { diff.fail_to_pass.join(", ") }));
        out.push_str(&format!("changed pins: {}\n", if diff.changed_pins.is_empty() { "none".into() } else { diff.changed_pins.join("; ") }));
        let p = &diff.paired;
        out.push_str(&format!(
            "paired over {} samples{}: pass/fail McNemar p = {:.3}; score B - A 95% interval [{:+.3}, {:+.3}]: {}\n",
            p.samples,
            if p.rows != p.samples { format!(" of {} rows", p.rows) } else { String::new() },
            p.mcnemar_p,
            p.score_delta_low,
            p.score_delta_high,
            if p.significant() { "a real difference (5% level)" } else { "no difference beyond chance" }
        ));
        printer.write(&out)?;
    }
    Ok(if args.exit_code && diff.regressed { ExitCode::from(ExitKind::Verdict as u8) } else { ExitCode::SUCCESS })
}
