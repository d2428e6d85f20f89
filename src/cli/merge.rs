use std::process::ExitCode;

use super::log::ledger_error;
use super::{CommandError, Ctx, ExitKind};
use crate::ledger::merge::{self, MergeError};
use crate::printer::Printer;

/// Make one complete run of an eval's shard runs (`llmops eval --shard I/N`): they must share
/// every pin and together cover every row once; the aggregates and verdict are recomputed from
/// their samples. The gate accepts the merged run like any other, never a shard alone
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shard runs: ids, EVAL~N, or git revisions of run commits (refs CI jobs pushed)
    #[arg(required_unless_present = "refs")]
    pub runs: Vec<String>,
    /// Merge the shard runs at the tips of every ref under this prefix, each eval's apart
    /// (`refs/llmops/shards/<ci-run>`, where `init --ci github --shards N` pushes them)
    #[arg(long, value_name = "PREFIX", conflicts_with = "runs")]
    pub refs: Option<String>,
}

pub fn cmd_merge(ctx: &Ctx, printer: &Printer, args: MergeArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let groups: Vec<Vec<gix::ObjectId>> = match &args.refs {
        Some(prefix) => {
            let found = merge::shard_runs_under(&ws.repo, prefix).map_err(ledger_error)?;
            if found.is_empty() {
                return Err(CommandError::usage(format!("no shard runs at the tips of the refs under `{prefix}`")).hint("fetch them first: `git fetch origin '+refs/llmops/shards/*:refs/llmops/shards/*'`"));
            }
            // One split per eval: two sets of shards of one eval under one prefix would make
            // two complete runs of it.
            let mut evals = std::collections::BTreeMap::<&str, Vec<u32>>::new();
            for (eval, n) in found.keys() {
                evals.entry(eval.as_str()).or_default().push(*n);
            }
            if let Some((eval, counts)) = evals.iter().find(|(_, c)| c.len() > 1) {
                let counts: Vec<String> = counts.iter().map(u32::to_string).collect();
                return Err(CommandError::new(ExitKind::Verdict, format!("cannot merge: the refs under `{prefix}` hold shards of eval `{eval}` split {} ways: one split per eval", counts.join(" and "))));
            }
            found.into_values().collect()
        }
        None => vec![args.runs.iter().map(|r| merge::resolve(&ws.repo, r)).collect::<Result<_, _>>().map_err(ledger_error)?],
    };
    let refused = |e: MergeError| match e {
        MergeError::Refused(m) => CommandError::new(ExitKind::Verdict, format!("cannot merge: {m}")),
        MergeError::Ledger(e) => ledger_error(e),
    };
    // Every eval's shards checked before any merged run is recorded.
    let plans = groups.iter().map(|ids| merge::plan(&ws, ids)).collect::<Result<Vec<_>, _>>().map_err(refused)?;
    let mut merged = Vec::new();
    for plan in plans {
        merged.push(merge::record(&ws.repo_root(), plan).map_err(refused)?);
    }
    if printer.json {
        let items: Vec<serde_json::Value> = merged
            .iter()
            .map(|m| {
                serde_json::json!({
                    "run": m.id.to_string(), "eval": m.eval, "shards": m.meta.shards, "samples": m.meta.samples,
                    "score": m.meta.overall.mean_score, "pass_rate": m.meta.overall.pass_rate, "gate": m.meta.verdict.pass,
                })
            })
            .collect();
        printer.json_value(&serde_json::Value::Array(items))?;
    } else {
        for m in &merged {
            let o = &m.meta.overall;
            printer.write(&format!(
                "merged {} shards of eval `{}` into run {}: {:.3}, {}/{} passed, gate {}\n",
                m.shards.len(),
                m.eval,
                crate::version::short(&m.id),
                o.mean_score,
                o.passed,
                o.n,
                if m.meta.verdict.pass { "PASS" } else { "FAIL" }
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
