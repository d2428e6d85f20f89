//! The ledger: every eval run is one commit on `refs/llmops/runs/<eval>`, whose parent is the
//! previous run of that eval, written with gix without touching the work tree, the index,
//! HEAD or the user's config. The commit id is the run id. Its tree holds `run.yaml` (pins
//! and aggregates) and `samples.jsonl` (every graded sample).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use gix::ObjectId;
use serde::{Deserialize, Serialize};

use crate::gate::Verdict;
use crate::run::stats::Stats;

pub const REF_PREFIX: &str = "refs/llmops/runs/";

/// A file version pinned by a run: its name and git blob id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub name: String,
    pub blob: String,
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

/// `run.yaml`: everything needed to know what was measured and what came out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeta {
    pub eval: Pin,
    pub prompt: Pin,
    pub dataset: Pin,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judges: Vec<Pin>,
    /// `None` when outputs were graded from a file.
    pub model: Option<ModelPin>,
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
    #[error("the ref of eval `{0}` kept moving; gave up after many retries")]
    Contended(String),
}

fn git(e: impl std::fmt::Display) -> LedgerError {
    LedgerError::Git(e.to_string())
}

pub fn ref_name(eval: &str) -> String {
    format!("{REF_PREFIX}{eval}")
}

/// The commit message: a summary line, then trailers that `llmops log` reads.
pub fn message(eval: &str, meta: &RunMeta) -> String {
    let o = &meta.overall;
    let gate = if meta.verdict.pass { "PASS" } else { "FAIL" };
    format!(
        "eval {eval}: {:.2}, {}/{} passed, gate {gate}\n\nLlmops-Eval: {eval}\nLlmops-Prompt: {}@{}\nLlmops-Dataset: {}@{}\nLlmops-Model: {}\nLlmops-Score: {:.6}\nLlmops-Pass-Rate: {:.6}\nLlmops-Gate: {gate}\n",
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
pub fn record(repo_dir: &Path, eval: &str, meta: &RunMeta, samples_jsonl: &[u8], traces: Option<(&mut std::fs::File, u64)>) -> Result<ObjectId, LedgerError> {
    let run_yaml = serde_yaml_ng::to_string(meta).map_err(git)?;
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
    let mut last = None;
    for attempt in 0..200u32 {
        match try_record(repo_dir, &reference, &run_yaml, samples_jsonl, traces_blob, &msg) {
            Ok(id) => return Ok(id),
            // Lost the race (the ref moved, or a lock was held by another writer): back off,
            // re-read the ref and try again on top of whatever landed.
            Err(e) => last = Some(e),
        }
        std::thread::sleep(Duration::from_millis(2 + u64::from(attempt % 16) * 3 + u64::from(std::process::id() % 7)));
    }
    Err(last.unwrap_or_else(|| LedgerError::Contended(eval.to_owned())))
}

/// Writes a blob under the id `version::blob_id` computes (gix would hash it again, slowly).
fn write_blob(repo: &gix::Repository, bytes: &[u8]) -> Result<ObjectId, LedgerError> {
    use gix::objs::Write as _;
    let id = crate::version::blob_id(bytes);
    repo.objects.write_buf_with_known_id(gix::objs::Kind::Blob, bytes, id).map_err(git)
}

fn try_record(repo_dir: &Path, reference: &str, run_yaml: &str, samples_jsonl: &[u8], traces_blob: Option<ObjectId>, msg: &str) -> Result<ObjectId, LedgerError> {
    // A fresh handle sees refs another process has just written.
    let repo = gix::open(repo_dir).map_err(git)?;
    let parent = repo.try_find_reference(reference).map_err(git)?.and_then(|mut r| r.peel_to_id().ok()).map(|id| id.detach());
    let run_blob = write_blob(&repo, run_yaml.as_bytes())?;
    let samples_blob = write_blob(&repo, samples_jsonl)?;
    let mut editor = repo.edit_tree(ObjectId::empty_tree(gix::hash::Kind::Sha1)).map_err(git)?;
    editor.upsert("run.yaml", gix::object::tree::EntryKind::Blob, run_blob).map_err(git)?;
    editor.upsert("samples.jsonl", gix::object::tree::EntryKind::Blob, samples_blob).map_err(git)?;
    if let Some(traces_blob) = traces_blob {
        editor.upsert(TRACES_FILE, gix::object::tree::EntryKind::Blob, traces_blob).map_err(git)?;
    }
    let tree = editor.write().map_err(git)?.detach();
    let (name, email) = signature(&repo);
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

pub fn load(repo: &gix::Repository, id: ObjectId, eval: &str) -> Result<StoredRun, LedgerError> {
    let commit = repo.find_commit(id).map_err(git)?;
    let tree = commit.tree().map_err(git)?;
    let yaml = read_file(repo, &tree, "run.yaml", &id)?;
    let meta: RunMeta = serde_yaml_ng::from_slice(&yaml)
        .map_err(|e| LedgerError::Corrupt { id: id.to_string(), detail: format!("run.yaml: {e}") })?;
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

/// Recomputes a run's aggregates and verdict from its own samples and compares them with
/// its `run.yaml`; a hand-edited record does not survive this.
pub fn verify(run: &StoredRun) -> Vec<String> {
    use crate::run::stats::Accumulator;
    let mut problems = Vec::new();
    let mut overall = Accumulator::default();
    let mut dims: BTreeMap<String, Accumulator> = BTreeMap::new();
    let mut rows = std::collections::BTreeSet::new();
    for (i, line) in run.samples_jsonl.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let sample: serde_json::Value = match serde_json::from_slice(line) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("samples.jsonl line {}: {e}", i + 1));
                continue;
            }
        };
        overall.add(sample["score"].as_f64().unwrap_or(f64::NAN), sample["pass"].as_bool().unwrap_or(false));
        rows.insert(sample["id"].to_string());
        if let Some(grades) = sample["grades"].as_object() {
            for (dim, g) in grades {
                dims.entry(dim.clone())
                    .or_default()
                    .add(g["score"].as_f64().unwrap_or(f64::NAN), g["pass"].as_bool().unwrap_or(false));
            }
        }
    }
    let same = |a: &Stats, b: &Stats| {
        a.n == b.n && a.passed == b.passed && (a.mean_score - b.mean_score).abs() < 1e-9 && (a.ci_low - b.ci_low).abs() < 1e-9 && (a.ci_high - b.ci_high).abs() < 1e-9
    };
    let recomputed = overall.stats();
    if !same(&recomputed, &run.meta.overall) {
        problems.push(format!(
            "overall: run.yaml says {:.4} ({}/{}), samples give {:.4} ({}/{})",
            run.meta.overall.mean_score, run.meta.overall.passed, run.meta.overall.n, recomputed.mean_score, recomputed.passed, recomputed.n
        ));
    }
    if run.meta.samples != recomputed.n {
        problems.push(format!("run.yaml counts {} samples, samples.jsonl has {}", run.meta.samples, recomputed.n));
    }
    let recomputed_dims: BTreeMap<String, Stats> = dims.into_iter().map(|(k, v)| (k, v.stats())).collect();
    for (dim, stats) in &run.meta.dimensions {
        match recomputed_dims.get(dim) {
            Some(r) if same(r, stats) => {}
            Some(r) => problems.push(format!("{dim}: run.yaml says {:.4}, samples give {:.4}", stats.mean_score, r.mean_score)),
            None => problems.push(format!("{dim}: in run.yaml, in no sample")),
        }
    }
    let verdict = crate::gate::evaluate(run.meta.gate.as_ref(), &recomputed, &recomputed_dims);
    if verdict.pass != run.meta.verdict.pass {
        problems.push(format!(
            "gate: run.yaml says {}, the samples give {}",
            if run.meta.verdict.pass { "PASS" } else { "FAIL" },
            if verdict.pass { "PASS" } else { "FAIL" }
        ));
    }
    problems
}
