//! `llmops merge`: the shard runs of one eval (`llmops eval --shard I/N`, recorded anywhere:
//! on this machine or pushed by CI jobs) made into one complete run. The shards must share
//! every pin, each must verify and hold only rows of its own shard, and together they must
//! cover every row of the pinned dataset exactly once; the merged run's aggregates and verdict
//! are recomputed from the union of their samples under the pinned eval, as `verify` would.

use std::collections::BTreeMap;
use std::path::Path;

use gix::ObjectId;

use super::verify::{self, Coverage};
use super::{Input, InputData, LedgerError, RunMeta, StoredRun};
use crate::run::Shard;

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("{0}")]
    Refused(String),
}

fn refused(message: impl Into<String>) -> MergeError {
    MergeError::Refused(message.into())
}

/// A merged run, recorded.
#[derive(Debug, Clone)]
pub struct Merged {
    pub id: ObjectId,
    pub eval: String,
    pub meta: RunMeta,
    /// The shard runs, in shard order.
    pub shards: Vec<ObjectId>,
}

/// The pins of a run that every shard must share, as JSON (what a run measured, not what it
/// found or when).
fn pins(meta: &RunMeta) -> serde_json::Map<String, serde_json::Value> {
    let mut v = match serde_json::to_value(meta) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    for per_run in [
        "selection", "invocation", "source", "started", "finished", "input_tokens", "output_tokens", "samples", "rows", "overall", "dimensions", "pass_k", "verdict", "experiment", "shards", "served_by",
    ] {
        v.remove(per_run);
    }
    v
}

/// Every file under `inputs/` of commit `id`'s tree: its path in the tree and blob id.
fn inputs_of(repo: &gix::Repository, id: ObjectId) -> Result<Vec<(String, ObjectId)>, LedgerError> {
    fn walk(repo: &gix::Repository, tree: ObjectId, prefix: &str, out: &mut Vec<(String, ObjectId)>) -> Result<(), LedgerError> {
        let tree = repo.find_tree(tree).map_err(super::git)?;
        for entry in tree.iter() {
            let entry = entry.map_err(super::git)?;
            let path = format!("{prefix}/{}", entry.filename());
            if entry.mode().is_tree() {
                walk(repo, entry.oid().to_owned(), &path, out)?;
            } else if entry.mode().is_blob() {
                out.push((path, entry.oid().to_owned()));
            }
        }
        Ok(())
    }
    let tree = repo.find_commit(id).map_err(super::git)?.tree().map_err(super::git)?;
    let mut out = Vec::new();
    if let Some(entry) = tree.lookup_entry_by_path(verify::INPUTS_DIR).map_err(super::git)? {
        walk(repo, entry.object_id(), verify::INPUTS_DIR, &mut out)?;
    }
    Ok(out)
}

/// A run named by id prefix, `EVAL~N`, or any git revision that names a run commit (a shard
/// run pushed by CI to its own ref: `refs/llmops/shards/123/2/capital`).
pub fn resolve(repo: &gix::Repository, spec: &str) -> Result<ObjectId, LedgerError> {
    match super::resolve(repo, spec) {
        Ok((id, _)) => Ok(id),
        Err(LedgerError::NotFound(_)) => {
            let id = repo.rev_parse_single(spec).map_err(|_| LedgerError::NotFound(spec.to_owned()))?.object().map_err(super::git)?.peel_to_commit().map_err(|_| LedgerError::NotFound(spec.to_owned()))?.id;
            // A run commit: one with a `run.yaml`.
            super::load_meta(repo, id).map_err(|_| LedgerError::NotFound(spec.to_owned()))?;
            Ok(id)
        }
        Err(e) => Err(e),
    }
}

/// The shard runs at the tips of the refs under `prefix` (`refs/llmops/shards/123`), by eval
/// and number of shards; tips that are not shard runs are left out.
pub fn shard_runs_under(repo: &gix::Repository, prefix: &str) -> Result<BTreeMap<(String, u32), Vec<ObjectId>>, LedgerError> {
    let prefix = format!("{}/", prefix.trim_end_matches('/'));
    let mut out: BTreeMap<(String, u32), Vec<ObjectId>> = BTreeMap::new();
    let refs = repo.references().map_err(super::git)?;
    for r in refs.prefixed(prefix.as_str()).map_err(super::git)? {
        let mut r = r.map_err(super::git)?;
        let Ok(id) = r.peel_to_id() else { continue };
        let id = id.detach();
        let Ok(meta) = super::load_meta(repo, id) else { continue };
        if let Some(shard) = meta.selection.as_ref().and_then(|s| s.shard) {
            let ids = out.entry((meta.eval.name.clone(), shard.count)).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(out)
}

/// A merge checked and ready to record.
pub struct Plan {
    eval: String,
    meta: RunMeta,
    samples_jsonl: Vec<u8>,
    traces: Vec<u8>,
    inputs: Vec<(String, Vec<u8>, ObjectId)>,
    shards: Vec<ObjectId>,
}

/// Records a checked merge on its eval's ref. Merged runs are not signed: the shards they
/// are made of are only as trusted as the refs they came from.
pub fn record(repo_dir: &Path, plan: Plan) -> Result<Merged, MergeError> {
    let mut traces = tempfile::tempfile().map_err(super::git)?;
    std::io::Write::write_all(&mut traces, &plan.traces).map_err(super::git)?;
    std::io::Seek::rewind(&mut traces).map_err(super::git)?;
    let len = plan.traces.len() as u64;
    let inputs: Vec<Input<'_>> = plan.inputs.iter().map(|(path, data, blob)| Input { path: path.clone(), blob: *blob, data: InputData::Bytes(data) }).collect();
    let id = super::record(repo_dir, &plan.eval, &plan.meta, &plan.samples_jsonl, (len > 0).then_some((&mut traces, len)), inputs, false)?;
    Ok(Merged { id, eval: plan.eval, meta: plan.meta, shards: plan.shards })
}

/// Checks the shard runs `ids` and makes their merged run, not yet recorded. Refuses, saying
/// why, shards that differ in a pin, that are not shards, that repeat or lack a shard, that do
/// not verify, or that together miss or repeat a row of the pinned dataset (at the path the
/// workspace `ws` gives it, never one a run's own tree suggests).
pub fn plan(ws: &crate::workspace::Workspace, ids: &[ObjectId]) -> Result<Plan, MergeError> {
    let repo = &ws.repo;
    if ids.len() < 2 {
        return Err(refused("name every shard run of one eval (two at least)"));
    }
    let mut runs: Vec<(Shard, StoredRun)> = Vec::with_capacity(ids.len());
    for &id in ids {
        let meta = super::load_meta(repo, id)?;
        let short = crate::version::short(&id);
        let shard = match &meta.selection {
            Some(s) if s.filter.is_empty() && s.limit.is_none() => s.shard,
            Some(s) => return Err(refused(format!("run {short} selected rows with {}: only whole shards (`--shard I/N` alone) merge", s.describe()))),
            None => None,
        };
        let shard = shard.ok_or_else(|| refused(format!("run {short} is not a shard run (`llmops eval --shard I/N` records one)")))?;
        let eval = meta.eval.name.clone();
        crate::names::Name::parse(&eval).map_err(|e| refused(format!("run {short}: {e}")))?;
        runs.push((shard, super::load(repo, id, &eval)?));
    }
    runs.sort_by_key(|(s, _)| s.index);
    let (first_shard, first) = (&runs[0].0, &runs[0].1);
    let eval = first.eval.clone();
    let count = first_shard.count;
    let reference = pins(&first.meta);
    let short = |r: &StoredRun| crate::version::short(&r.id).to_string();
    for (shard, run) in &runs[1..] {
        if run.eval != eval {
            return Err(refused(format!("run {} is of eval `{}`, run {} of `{eval}`: merge the shards of one eval", short(run), run.eval, short(first))));
        }
        if shard.count != count {
            return Err(refused(format!("run {} is shard {shard}, run {} shard {first_shard}: the shards of one split share their N", short(run), short(first))));
        }
        let other = pins(&run.meta);
        let differ: Vec<String> = reference.keys().chain(other.keys()).filter(|k| reference.get(*k) != other.get(*k)).cloned().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        if !differ.is_empty() {
            let first_value = |k: &str| reference.get(k).map(|v| crate::text::clip(&v.to_string(), 80)).unwrap_or_else(|| "none".into());
            let other_value = |k: &str| other.get(k).map(|v| crate::text::clip(&v.to_string(), 80)).unwrap_or_else(|| "none".into());
            let said: Vec<String> = differ.iter().map(|k| format!("`{k}`: {} in run {}, {} in run {}", first_value(k), short(first), other_value(k), short(run))).collect();
            return Err(refused(format!("the shards did not measure the same thing: {}", said.join("; "))));
        }
    }
    let mut by_index: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (shard, run) in &runs {
        by_index.entry(shard.index).or_default().push(short(run));
    }
    if let Some((index, twice)) = by_index.iter().find(|(_, runs)| runs.len() > 1) {
        return Err(refused(format!("shard {index}/{count} is given {} times (runs {})", twice.len(), twice.join(", "))));
    }
    let missing: Vec<String> = (1..=count).filter(|i| !by_index.contains_key(i)).map(|i| format!("{i}/{count}")).collect();
    if !missing.is_empty() {
        return Err(refused(format!("shard{} {} of eval `{eval}` {} missing: run `llmops eval {eval} --shard {}` first", if missing.len() == 1 { "" } else { "s" }, missing.join(", "), if missing.len() == 1 { "is" } else { "are" }, missing[0])));
    }
    // Each shard sound on its own, and holding only rows of its own shard.
    let spec = verify::pinned_eval(repo, first).map_err(|e| refused(format!("run {}: {e}", short(first))))?;
    let mut samples: Vec<(String, u32, Vec<u8>)> = Vec::new();
    for (shard, run) in &runs {
        let problems = verify::verify_against(&spec, run);
        if !problems.is_empty() {
            return Err(refused(format!("shard {shard} (run {}) does not verify: {}", short(run), problems.join("; "))));
        }
        for line in run.samples_jsonl.split(|b| *b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)) {
            let v: serde_json::Value = serde_json::from_slice(line).map_err(|e| refused(format!("run {}: samples.jsonl: {e}", short(run))))?;
            let id = crate::grade::text_of(&v["id"]);
            if !shard.contains(&id) {
                return Err(refused(format!("run {} (shard {shard}) holds row `{id}`, which belongs to shard {}/{count}", short(run), Shard::of(&id, count))));
            }
            samples.push((id, v["repeat"].as_u64().unwrap_or(0) as u32, line.to_vec()));
        }
    }
    // The pinned dataset, at its path in this workspace (as the gate reads it): its rows'
    // order orders the samples.
    let dataset_path = ws
        .find(crate::workspace::FileKind::Dataset, &spec.dataset)
        .map_err(|e| refused(format!("dataset `{}` of eval `{eval}`: {e}", spec.dataset)))?
        .rel_path;
    let inputs = inputs_of(repo, first.id)?;
    let order = verify::pinned_row_ids(repo, first, &dataset_path).unwrap_or_default();
    let position: BTreeMap<&str, usize> = order.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    samples.sort_by(|a, b| (position.get(a.0.as_str()).copied().unwrap_or(usize::MAX), &a.0, a.1).cmp(&(position.get(b.0.as_str()).copied().unwrap_or(usize::MAX), &b.0, b.1)));
    let mut samples_jsonl = Vec::new();
    for (_, _, line) in &samples {
        samples_jsonl.extend_from_slice(line);
        samples_jsonl.push(b'\n');
    }
    // Together: every row, once.
    let union = StoredRun { id: first.id, eval: eval.clone(), meta: RunMeta { selection: None, ..first.meta.clone() }, samples_jsonl };
    match verify::coverage(repo, &union, &spec, &dataset_path) {
        Coverage::Complete => {}
        other => return Err(refused(format!("the shards together {}", other.describe()))),
    }
    let recomputed = verify::recompute(&spec, &first.meta.uncalibrated, &union.samples_jsonl);
    if !recomputed.problems.is_empty() {
        return Err(refused(format!("the merged samples do not recompute: {}", recomputed.problems.join("; "))));
    }
    let metas: Vec<&RunMeta> = runs.iter().map(|(_, r)| &r.meta).collect();
    let same_source = metas.iter().all(|m| m.source == first.meta.source);
    let same_experiment = metas.iter().all(|m| m.experiment == first.meta.experiment);
    let meta = RunMeta {
        selection: None,
        invocation: format!("merge-{}-{}", std::process::id(), std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)),
        source: if same_source {
            first.meta.source.clone()
        } else {
            super::SourceState { commit: None, dirty: metas.iter().any(|m| m.source.dirty) }
        },
        started: metas.iter().map(|m| m.started).min().unwrap_or_default(),
        finished: metas.iter().map(|m| m.finished).max().unwrap_or_default(),
        input_tokens: metas.iter().map(|m| m.input_tokens).sum(),
        output_tokens: metas.iter().map(|m| m.output_tokens).sum(),
        samples: recomputed.overall.n,
        rows: recomputed.rows,
        overall: recomputed.overall,
        dimensions: recomputed.dimensions,
        pass_k: recomputed.pass_k,
        verdict: recomputed.verdict,
        experiment: if same_experiment { first.meta.experiment.clone() } else { None },
        shards: runs.iter().map(|(_, r)| r.id.to_string()).collect(),
        served_by: merged_uses(&metas),
        ..first.meta.clone()
    };
    // The shards' spans, one file.
    let mut traces = Vec::new();
    for (_, run) in &runs {
        if let Some(bytes) = super::traces(repo, run.id)? {
            traces.extend_from_slice(&bytes);
            if !bytes.is_empty() && !bytes.ends_with(b"\n") {
                traces.push(b'\n');
            }
        }
    }
    // The files the run evaluated, as the first shard kept them (the pins say they are the
    // same for every shard).
    let inputs = inputs
        .iter()
        .map(|(path, blob)| {
            let data = repo.find_blob(*blob).map_err(super::git)?.data.clone();
            Ok((path.strip_prefix(&format!("{}/", verify::INPUTS_DIR)).unwrap_or(path).to_owned(), data, *blob))
        })
        .collect::<Result<_, LedgerError>>()?;
    Ok(Plan { eval, meta, samples_jsonl: union.samples_jsonl, traces, inputs, shards: runs.iter().map(|(_, r)| r.id).collect() })
}

/// The shards' endpoint uses, added up by model and endpoint.
fn merged_uses(metas: &[&RunMeta]) -> Vec<crate::engine::openai::EndpointUse> {
    let mut out: Vec<crate::engine::openai::EndpointUse> = Vec::new();
    for u in metas.iter().flat_map(|m| &m.served_by) {
        match out.iter_mut().find(|o| o.model == u.model && o.base_url == u.base_url) {
            Some(o) => {
                o.served += u.served;
                o.failed += u.failed;
            }
            None => out.push(u.clone()),
        }
    }
    out
}
