//! The ledger: every eval run is one commit on `refs/llmops/runs/<eval>`, whose parent is the
//! previous run of that eval, written with gix without touching the work tree, the index,
//! HEAD or the user's config. The commit id is the run id. Its tree holds `run.yaml` (pins
//! and aggregates) and `samples.jsonl` (every graded sample).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use gix::ObjectId;
use serde::{Deserialize, Serialize};

use crate::run::verdict::Verdict;
use crate::run::stats::Stats;

pub mod calibration;
pub mod compare;
pub mod merge;
pub mod signature;
pub mod verify;

pub use verify::{Coverage, coverage, verify};

pub const REF_PREFIX: &str = "refs/llmops/runs/";

/// A file version pinned by a run: its name and git blob id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub name: String,
    pub blob: String,
}

/// A retrieval index a run searched: its name and identity (its dataset version, settings
/// and embedding model, hashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexPin {
    pub name: String,
    pub identity: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelPin {
    pub name: String,
    pub provider: String,
    /// `sha256:<hex>` of the GGUF, or `<base_url>#<model>`.
    pub id: String,
    #[serde(default)]
    pub params: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceState {
    /// HEAD when the run started.
    pub commit: Option<String>,
    /// Whether the eval, prompt, dataset or judge files differed from HEAD.
    pub dirty: bool,
}

/// How an eval's rows were narrowed down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSelection {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// One shard of the rows (`--shard 2/4`): `llmops merge` makes one run of all the shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::run::Shard>,
}

impl RowSelection {
    /// The flags that made it: `--filter france --limit 1`.
    pub fn describe(&self) -> String {
        let mut flags: Vec<String> = self.filter.iter().map(|f| format!("--filter {f}")).collect();
        flags.extend(self.limit.map(|n| format!("--limit {n}")));
        flags.extend(self.shard.map(|s| format!("--shard {s}")));
        format!("`{}`", flags.join(" "))
    }
}

/// A file a run evaluated, stored in its commit under `inputs/<path>`, so the run can be
/// checked against exactly the eval and dataset it pins, on any clone, for as long as the
/// run exists.
pub struct Input<'a> {
    /// The work-tree path (`evals/capital.yaml`).
    pub path: String,
    pub blob: ObjectId,
    pub data: InputData<'a>,
}

pub enum InputData<'a> {
    Bytes(&'a [u8]),
    /// Streamed (a dataset can be large); its content must hash to the input's blob id.
    File(std::fs::File),
}

/// `run.yaml`: everything needed to know what was measured and what came out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeta {
    pub eval: Pin,
    pub prompt: Pin,
    pub dataset: Pin,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judges: Vec<Pin>,
    /// The prompts an agent's `prompt:` tools ran as sub-agents, by reference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agents: Vec<Pin>,
    /// `None` when outputs were graded from a file.
    pub model: Option<ModelPin>,
    /// The model that judges and embedding graders ran on, when the eval has such graders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge_model: Option<ModelPin>,
    /// The retrieval index a RAG prompt searched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<IndexPin>,
    /// The rows asked for, when not all (`--filter`, `--limit`): such a run never counts for
    /// promotion or the gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<RowSelection>,
    pub llmops_version: String,
    /// Unique per recording process (pid and clock), so that two identical runs recorded in
    /// the same second are still two commits.
    #[serde(default)]
    pub invocation: String,
    pub source: SourceState,
    /// Seconds since the epoch.
    pub started: i64,
    pub finished: i64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub samples: u64,
    pub rows: u64,
    pub overall: Stats,
    pub dimensions: BTreeMap<String, Stats>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_k: Option<f64>,
    /// The gate the verdict was reached under.
    #[serde(default)]
    pub gate: Option<crate::spec::eval::GateSpec>,
    pub verdict: Verdict,
    /// The experiment this run is a cell of (`llmops eval` with several prompt versions or
    /// models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<String>,
    /// Prompt parameters the run set other than the prompt file says (`--set`): such a run
    /// says nothing of the prompt as written, and never counts for promotion.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub overrides: BTreeMap<String, serde_json::Value>,
    /// Judges with a `calibration:` bar that no calibration of their prompt and model met when
    /// the run was made: their weight counted as 0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncalibrated: Vec<Uncalibrated>,
    /// The shard runs this run merged (`llmops merge`), in shard order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shards: Vec<String>,
    /// The endpoints that answered the run's requests, with what each did (endpoint models).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub served_by: Vec<crate::engine::openai::EndpointUse>,
}

/// A judge that did not count toward a run's verdict, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Uncalibrated {
    pub grader: String,
    pub reason: String,
    /// The policy (`uncalibrated_judges: require`) failed the run for it.
    #[serde(default)]
    pub required: bool,
}

/// One run as the ledger lists it: from the commit alone (message and trailers).
#[derive(Debug, Clone, Serialize)]
pub struct RunEntry {
    pub id: String,
    pub eval: String,
    pub prompt_version: String,
    pub score: f64,
    pub pass_rate: f64,
    pub gate: bool,
    pub time: i64,
    pub summary: String,
    /// The experiment the run is a cell of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment: Option<String>,
    /// The model's entry in the config.
    pub model: String,
    /// The prompt parameters the run set otherwise (`--set`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("git: {0}")]
    Git(String),
    #[error("no run matches `{0}`")]
    NotFound(String),
    #[error("`{spec}` is ambiguous: {count} runs start with it")]
    Ambiguous { spec: String, count: usize },
    #[error("run {id}: {detail}")]
    Corrupt { id: String, detail: String },
    #[error("cannot sign the run: {0}")]
    Sign(String),
    #[error("the ref of eval `{0}` kept moving; gave up after many retries")]
    Contended(String),
    #[error("`{}` is a lock left behind {age_s} s ago (a process was killed while recording a run); make sure no llmops or git process is running, then delete that file", .path.display())]
    StaleLock { path: std::path::PathBuf, age_s: u64 },
}

fn git(e: impl std::fmt::Display) -> LedgerError {
    LedgerError::Git(e.to_string())
}

pub fn ref_name(eval: &str) -> String {
    format!("{REF_PREFIX}{eval}")
}

/// `--set` values as a run shows them: `max_tokens=6 temperature=0.7`.
pub fn describe_overrides(overrides: &BTreeMap<String, serde_json::Value>) -> String {
    overrides.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

/// The commit message: a summary line, then trailers that `llmops log` reads.
pub fn message(eval: &str, meta: &RunMeta) -> String {
    let o = &meta.overall;
    let gate = if meta.verdict.pass { "PASS" } else { "FAIL" };
    let experiment = meta.experiment.as_ref().map(|e| format!("Llmops-Experiment: {e}\n")).unwrap_or_default();
    let overrides = if meta.overrides.is_empty() { String::new() } else { format!("Llmops-Overrides: {}\n", describe_overrides(&meta.overrides)) };
    format!(
        "eval {eval}: {:.2}, {}/{} passed, gate {gate}\n\nLlmops-Eval: {eval}\nLlmops-Prompt: {}@{}\nLlmops-Dataset: {}@{}\nLlmops-Model: {}\nLlmops-Score: {:.6}\nLlmops-Pass-Rate: {:.6}\nLlmops-Gate: {gate}\n{experiment}{overrides}",
        o.mean_score,
        o.passed,
        o.n,
        meta.prompt.name,
        meta.prompt.blob,
        meta.dataset.name,
        meta.dataset.blob,
        meta.model.as_ref().map(|m| m.name.as_str()).unwrap_or("(outputs file)"),
        o.mean_score,
        o.pass_rate,
    )
}

/// The signature runs are written with: the user's git identity when configured, a fixed
/// llmops identity otherwise (CI machines often have none).
fn signature(repo: &gix::Repository) -> (String, String) {
    match repo.committer() {
        Some(Ok(sig)) => (sig.name.to_string(), sig.email.to_string()),
        _ => ("llmops".to_owned(), "llmops@localhost".to_owned()),
    }
}

/// Writes a run as a new commit on its eval's ref: `run.yaml`, `samples.jsonl` and, when
/// there are spans, `traces.jsonl`. The ref moves by compare-and-swap: when another run landed
/// first, this one is re-parented onto it and tried again.
/// `traces` is streamed into the object store (it can be the largest file of a run).
pub fn record(
    repo_dir: &Path,
    eval: &str,
    meta: &RunMeta,
    samples_jsonl: &[u8],
    traces: Option<(&mut std::fs::File, u64)>,
    inputs: Vec<Input<'_>>,
    sign: bool,
) -> Result<ObjectId, LedgerError> {
    let run_yaml = serde_yaml_ng::to_string(meta).map_err(git)?;
    let inputs = store_inputs(repo_dir, inputs)?;
    let traces_blob = match traces {
        Some((file, len)) => {
            use gix::objs::Write as _;
            use std::io::Seek as _;
            let repo = gix::open(repo_dir).map_err(git)?;
            // Hashed first (fast), then streamed into the object store under that id.
            let id = crate::version::blob_id_of_reader(file, len).map_err(git)?;
            file.seek(std::io::SeekFrom::Start(0)).map_err(git)?;
            Some(repo.objects.write_stream_with_known_id(gix::objs::Kind::Blob, len, file, id).map_err(git)?)
        }
        None => None,
    };
    let msg = message(eval, meta);
    let reference = ref_name(eval);
    let mut attempt = 0u32;
    loop {
        let tip = current_tip(repo_dir, &reference)?;
        let error = match try_record(repo_dir, &reference, tip, &run_yaml, samples_jsonl, traces_blob, &inputs, &msg, sign) {
            Ok(id) => return Ok(id),
            Err(e) => e,
        };
        // Only a lost race is tried again: the ref moved under us, or another writer holds its
        // lock right now. A lock nobody releases, or any other failure, is reported at once.
        let lock = lock_path(repo_dir, &reference)?;
        let raced = match std::fs::metadata(&lock) {
            Ok(meta) => {
                let age = meta.modified().ok().and_then(|t| t.elapsed().ok()).unwrap_or_default();
                if age >= STALE_LOCK {
                    return Err(LedgerError::StaleLock { path: lock, age_s: age.as_secs() });
                }
                true
            }
            Err(_) => current_tip(repo_dir, &reference)? != tip,
        };
        attempt += 1;
        if !raced || matches!(error, LedgerError::Sign(_)) {
            return Err(error);
        }
        if attempt >= 200 {
            return Err(LedgerError::Contended(eval.to_owned()));
        }
        std::thread::sleep(Duration::from_millis(2 + u64::from(attempt % 16) * 3 + u64::from(std::process::id() % 7)));
    }
}

/// A ref lock older than this was left by a process that died: no writer holds one that long.
const STALE_LOCK: Duration = Duration::from_secs(10);

/// The run the ref points at now, if any.
fn current_tip(repo_dir: &Path, reference: &str) -> Result<Option<ObjectId>, LedgerError> {
    let repo = gix::open(repo_dir).map_err(git)?;
    Ok(repo.try_find_reference(reference).map_err(git)?.and_then(|mut r| r.peel_to_id().ok()).map(|id| id.detach()))
}

/// The lock file git (and gix) take while moving `reference`.
fn lock_path(repo_dir: &Path, reference: &str) -> Result<std::path::PathBuf, LedgerError> {
    let repo = gix::open(repo_dir).map_err(git)?;
    Ok(repo.common_dir().join(format!("{reference}.lock")))
}

/// Writes a blob under the id `version::blob_id` computes (gix would hash it again, slowly).
fn write_blob(repo: &gix::Repository, bytes: &[u8]) -> Result<ObjectId, LedgerError> {
    use gix::objs::Write as _;
    let id = crate::version::blob_id(bytes);
    repo.objects.write_buf_with_known_id(gix::objs::Kind::Blob, bytes, id).map_err(git)
}

/// Writes the inputs' blobs (those not in the object store yet); their tree paths and ids.
fn store_inputs(repo_dir: &Path, inputs: Vec<Input<'_>>) -> Result<Vec<(String, ObjectId)>, LedgerError> {
    use gix::objs::Write as _;
    use std::io::Seek as _;
    let repo = gix::open(repo_dir).map_err(git)?;
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        if !repo.has_object(input.blob) {
            let id = match input.data {
                InputData::Bytes(bytes) => write_blob(&repo, bytes)?,
                InputData::File(mut file) => {
                    let len = file.metadata().map_err(git)?.len();
                    // Hashed again: a file that changed since it was evaluated is not stored under the old id.
                    let id = crate::version::blob_id_of_reader(&mut file, len).map_err(git)?;
                    if id == input.blob {
                        file.rewind().map_err(git)?;
                        repo.objects.write_stream_with_known_id(gix::objs::Kind::Blob, len, &mut file, id).map_err(git)?;
                    }
                    id
                }
            };
            if id != input.blob {
                return Err(LedgerError::Corrupt { id: input.blob.to_string(), detail: format!("`{}` changed while it was evaluated", input.path) });
            }
        }
        out.push((format!("{}/{}", verify::INPUTS_DIR, input.path), input.blob));
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn try_record(
    repo_dir: &Path,
    reference: &str,
    parent: Option<ObjectId>,
    run_yaml: &str,
    samples_jsonl: &[u8],
    traces_blob: Option<ObjectId>,
    inputs: &[(String, ObjectId)],
    msg: &str,
    sign: bool,
) -> Result<ObjectId, LedgerError> {
    // A fresh handle sees refs another process has just written.
    let repo = gix::open(repo_dir).map_err(git)?;
    let run_blob = write_blob(&repo, run_yaml.as_bytes())?;
    let samples_blob = write_blob(&repo, samples_jsonl)?;
    let mut editor = repo.edit_tree(ObjectId::empty_tree(gix::hash::Kind::Sha1)).map_err(git)?;
    editor.upsert("run.yaml", gix::object::tree::EntryKind::Blob, run_blob).map_err(git)?;
    editor.upsert("samples.jsonl", gix::object::tree::EntryKind::Blob, samples_blob).map_err(git)?;
    if let Some(traces_blob) = traces_blob {
        editor.upsert(TRACES_FILE, gix::object::tree::EntryKind::Blob, traces_blob).map_err(git)?;
    }
    for (path, blob) in inputs {
        editor.upsert(path.as_str(), gix::object::tree::EntryKind::Blob, *blob).map_err(git)?;
    }
    let tree = editor.write().map_err(git)?.detach();
    let (name, email) = signature(&repo);
    if sign {
        let id = signature::commit_signed(repo_dir, tree, parent, msg, (&name, &email))?;
        signature::move_ref(repo_dir, reference, id, parent)?;
        return Ok(id);
    }
    let time = gix::date::Time::now_local_or_utc().format(gix::date::time::format::RAW).map_err(git)?;
    let sig = gix::actor::SignatureRef { name: name.as_str().into(), email: email.as_str().into(), time: time.as_str() };
    // With a parent, the ref moves only if it still points there (compare-and-swap); without
    // one, only if it does not exist yet.
    let id = repo.commit_as(sig, sig, reference, msg, tree, parent).map_err(git)?;
    Ok(id.detach())
}

/// The run's spans, one OTLP-JSON span per line.
pub const TRACES_FILE: &str = "traces.jsonl";

/// The `traces.jsonl` of run `id`, if it has one.
pub fn traces(repo: &gix::Repository, id: ObjectId) -> Result<Option<Vec<u8>>, LedgerError> {
    let tree = repo.find_commit(id).map_err(git)?.tree().map_err(git)?;
    find_file(repo, &tree, TRACES_FILE)
}

/// The evals that have runs, sorted.
pub fn evals(repo: &gix::Repository) -> Result<Vec<String>, LedgerError> {
    let mut out = Vec::new();
    let refs = repo.references().map_err(git)?;
    for r in refs.prefixed(REF_PREFIX).map_err(git)? {
        let r = r.map_err(git)?;
        out.push(r.name().as_bstr().to_string().trim_start_matches(REF_PREFIX).to_owned());
    }
    out.sort();
    Ok(out)
}

fn trailer<'a>(message: &'a str, key: &str) -> Option<&'a str> {
    message.lines().rev().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(": ")))
}

/// The runs of `eval`, newest first, read from commit messages only.
pub fn log(repo: &gix::Repository, eval: &str) -> Result<Vec<RunEntry>, LedgerError> {
    let Some(mut r) = repo.try_find_reference(ref_name(eval).as_str()).map_err(git)? else {
        return Ok(Vec::new());
    };
    let mut next = Some(r.peel_to_id().map_err(git)?.detach());
    let mut out = Vec::new();
    while let Some(id) = next {
        let commit = repo.find_commit(id).map_err(git)?;
        let decoded = commit.decode().map_err(git)?;
        let message = decoded.message.to_string();
        let time = decoded.committer().map_err(git)?.time().map(|t| t.seconds).unwrap_or(0);
        let summary = message.lines().next().unwrap_or_default().to_owned();
        let num = |k: &str| trailer(&message, k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        out.push(RunEntry {
            id: id.to_string(),
            eval: eval.to_owned(),
            prompt_version: trailer(&message, "Llmops-Prompt").unwrap_or_default().to_owned(),
            score: num("Llmops-Score"),
            pass_rate: num("Llmops-Pass-Rate"),
            gate: trailer(&message, "Llmops-Gate") == Some("PASS"),
            time,
            summary,
            experiment: trailer(&message, "Llmops-Experiment").map(str::to_owned),
            model: trailer(&message, "Llmops-Model").unwrap_or_default().to_owned(),
            overrides: trailer(&message, "Llmops-Overrides").map(str::to_owned),
        });
        next = decoded.parents().next();
    }
    Ok(out)
}

/// A stored run: its id, eval, metadata and samples.
#[derive(Debug, Clone)]
pub struct StoredRun {
    pub id: ObjectId,
    pub eval: String,
    pub meta: RunMeta,
    pub samples_jsonl: Vec<u8>,
}

/// File `name` of a run's tree, if it has one.
fn find_file(repo: &gix::Repository, tree: &gix::Tree<'_>, name: &str) -> Result<Option<Vec<u8>>, LedgerError> {
    match tree.lookup_entry_by_path(name).map_err(git)? {
        Some(entry) => Ok(Some(repo.find_blob(entry.object_id()).map_err(git)?.data.clone())),
        None => Ok(None),
    }
}

/// File `name` of run `id`'s tree, which every run has.
fn read_file(repo: &gix::Repository, tree: &gix::Tree<'_>, name: &str, id: &ObjectId) -> Result<Vec<u8>, LedgerError> {
    find_file(repo, tree, name)?.ok_or_else(|| LedgerError::Corrupt { id: id.to_string(), detail: format!("no `{name}`") })
}

/// Run `id`'s `run.yaml` alone (no samples read).
pub fn load_meta(repo: &gix::Repository, id: ObjectId) -> Result<RunMeta, LedgerError> {
    let commit = repo.find_commit(id).map_err(git)?;
    let tree = commit.tree().map_err(git)?;
    let yaml = read_file(repo, &tree, "run.yaml", &id)?;
    serde_yaml_ng::from_slice(&yaml).map_err(|e| LedgerError::Corrupt { id: id.to_string(), detail: format!("run.yaml: {e}") })
}

pub fn load(repo: &gix::Repository, id: ObjectId, eval: &str) -> Result<StoredRun, LedgerError> {
    let meta = load_meta(repo, id)?;
    let tree = repo.find_commit(id).map_err(git)?.tree().map_err(git)?;
    let samples_jsonl = read_file(repo, &tree, "samples.jsonl", &id)?;
    Ok(StoredRun { id, eval: eval.to_owned(), meta, samples_jsonl })
}

/// Finds a run by id prefix (any eval) or `EVAL~N` (the Nth run before the latest).
pub fn resolve(repo: &gix::Repository, spec: &str) -> Result<(ObjectId, String), LedgerError> {
    let all = evals(repo)?;
    if let Some((eval, back)) = spec.rsplit_once('~').map(|(e, n)| (e, n.parse::<usize>().ok())).or(Some((spec, Some(0)))).filter(|(e, _)| all.iter().any(|a| a == e)) {
        let back = back.ok_or_else(|| LedgerError::NotFound(spec.to_owned()))?;
        let runs = log(repo, eval)?;
        let run = runs.get(back).ok_or_else(|| LedgerError::NotFound(spec.to_owned()))?;
        return Ok((run.id.parse().map_err(git)?, eval.to_owned()));
    }
    let needle = spec.to_ascii_lowercase();
    let mut found = Vec::new();
    for eval in &all {
        for run in log(repo, eval)? {
            if run.id.starts_with(&needle) {
                found.push((run.id, eval.clone()));
            }
        }
    }
    match found.len() {
        0 => Err(LedgerError::NotFound(spec.to_owned())),
        1 => {
            let (id, eval) = found.remove(0);
            Ok((id.parse().map_err(git)?, eval))
        }
        count => Err(LedgerError::Ambiguous { spec: spec.to_owned(), count }),
    }
}

/// What `verify` found wrong with a run.
#[derive(Debug, Clone, Serialize)]
pub struct Discrepancy {
    pub id: String,
    pub eval: String,
    pub problems: Vec<String>,
}
