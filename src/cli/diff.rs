use std::collections::BTreeMap;
use std::process::ExitCode;

use super::log::ledger_error;
use super::{CommandError, Ctx, ExitKind};
use crate::ledger;
use crate::printer::Printer;
use crate::report::table::Table;

/// Compare two runs: per-dimension deltas, rows that flipped, and the pins that changed
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

fn outcomes(run: &ledger::StoredRun) -> BTreeMap<(String, u64), bool> {
    run.samples_jsonl
        .split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
        .map(|s| ((s["id"].as_str().unwrap_or_default().to_owned(), s["repeat"].as_u64().unwrap_or(0)), s["pass"] == true))
        .collect()
}

pub fn cmd_diff(ctx: &Ctx, printer: &Printer, args: DiffArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let load = |spec: &str| -> Result<ledger::StoredRun, CommandError> {
        let (id, eval) = ledger::resolve(&ws.repo, spec).map_err(ledger_error)?;
        ledger::load(&ws.repo, id, &eval).map_err(ledger_error)
    };
    let (a, b) = (load(&args.a)?, load(&args.b)?);
    let (oa, ob) = (outcomes(&a), outcomes(&b));
    let to_fail: Vec<String> = ob.iter().filter(|(k, p)| !**p && oa.get(*k) == Some(&true)).map(|(k, _)| k.0.clone()).collect();
    let to_pass: Vec<String> = ob.iter().filter(|(k, p)| **p && oa.get(*k) == Some(&false)).map(|(k, _)| k.0.clone()).collect();
    let mut pins = Vec::new();
    let (ma, mb) = (&a.meta, &b.meta);
    for (what, x, y) in [
        ("eval", &ma.eval.blob, &mb.eval.blob),
        ("prompt", &ma.prompt.blob, &mb.prompt.blob),
        ("dataset", &ma.dataset.blob, &mb.dataset.blob),
    ] {
        if x != y {
            pins.push(format!("{what}: {} -> {}", crate::version::short_str(&x), crate::version::short_str(&y)));
        }
    }
    let model = |m: &ledger::RunMeta| m.model.as_ref().map(|m| format!("{} {}", m.name, m.id)).unwrap_or_default();
    if model(ma) != model(mb) {
        pins.push(format!("model: {} -> {}", model(ma), model(mb)));
    }
    let params = |m: &ledger::RunMeta| m.model.as_ref().map(|m| m.params.to_string()).unwrap_or_default();
    if params(ma) != params(mb) {
        pins.push(format!("params: {} -> {}", params(ma), params(mb)));
    }
    let mut dims = Vec::new();
    for (d, sb) in mb.dimensions.iter().map(|(d, s)| (d.clone(), *s)).chain(std::iter::once(("overall".to_owned(), mb.overall))) {
        let sa = if d == "overall" { Some(ma.overall) } else { ma.dimensions.get(&d).copied() };
        dims.push((d, sa.map(|s| s.mean_score), sb.mean_score, sa.map(|s| s.pass_rate), sb.pass_rate));
    }
    let regressed = !to_fail.is_empty() || mb.overall.mean_score < ma.overall.mean_score - 1e-12;
    if printer.json {
        printer.json_value(&serde_json::json!({
            "a": a.id.to_string(), "b": b.id.to_string(),
            "dimensions": dims.iter().map(|(d, a, b, pa, pb)| serde_json::json!({"dimension": d, "a": a, "b": b, "pass_rate_a": pa, "pass_rate_b": pb})).collect::<Vec<_>>(),
            "pass_to_fail": to_fail, "fail_to_pass": to_pass, "changed_pins": pins, "regressed": regressed,
        }))?;
    } else {
        let mut table = Table::new(["DIMENSION", "A", "B", "DELTA", "PASS RATE A", "PASS RATE B"]);
        for (d, sa, sb, pa, pb) in &dims {
            table.row([
                d.clone(),
                sa.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into()),
                format!("{sb:.3}"),
                sa.map(|v| format!("{:+.3}", sb - v)).unwrap_or_else(|| "-".into()),
                pa.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "-".into()),
                format!("{:.0}%", pb * 100.0),
            ]);
        }
        let mut out = format!("A {}  B {}\n", crate::version::short_str(&a.id.to_string()), crate::version::short_str(&b.id.to_string()));
        out.push_str(&table.render());
        out.push_str(&format!("pass -> fail: {}\n", if to_fail.is_empty() { "none".into() } else { to_fail.join(", ") }));
        out.push_str(&format!("fail -> pass: {}\n", if to_pass.is_empty() { "none".into() } else { to_pass.join(", ") }));
        out.push_str(&format!("changed pins: {}\n", if pins.is_empty() { "none".into() } else { pins.join("; ") }));
        printer.write(&out)?;
    }
    Ok(if args.exit_code && regressed { ExitCode::from(ExitKind::Verdict as u8) } else { ExitCode::SUCCESS })
}
