//! Whether a prompt version may be promoted: every eval that uses the prompt must have a
//! recorded run whose eval, prompt, dataset, judge and model pins equal the current ones,
//! whose verdict is pass, and whose aggregates recompute from its own samples; and, with
//! `max_regression`, whose score is not lower than the released version's by more than that.

use std::collections::BTreeMap;
use serde::Serialize;

use crate::release::Releases;
use crate::ledger;
use crate::spec::config::Demand;
use crate::spec::eval::EvalSpec;
use crate::workspace::{FileKind, Workspace, WorkspaceError};

/// The pins a passing run must have, as of now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expected {
    pub eval: String,
    pub eval_blob: String,
    pub prompt_blob: String,
    pub dataset_blob: String,
    /// The dataset's work-tree path, whose extension says its format.
    pub dataset_path: String,
    pub judge_blobs: BTreeMap<String, String>,
    pub model_id: Option<String>,
    /// The model of the judges and embedding graders, when the eval has any.
    pub judge_model_id: Option<String>,
    /// The identity of the index a RAG prompt searches, by name.
    pub index_ids: BTreeMap<String, String>,
    /// The blobs of the prompts an agent's `prompt:` tools run, by reference.
    pub agent_blobs: BTreeMap<String, String>,
    /// The model's entry in the config (two entries may share a file but not their settings).
    pub model_name: Option<String>,
    /// The prompt's own parameters, as a run pins those it generated with: a run that set
    /// them otherwise (`--set`) says nothing of the prompt as written.
    pub params: Option<serde_json::Value>,
    /// The judges that do not count now for want of a calibration, and whether the policy
    /// fails a run for it: a run made while that was otherwise weighed its judges otherwise.
    pub uncalibrated: std::collections::BTreeSet<(String, bool)>,
}

/// What the ledger says of a prompt version for one eval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A matching run passed and verifies.
    Pass,
    /// No run (or no listed run) of this version with the current pins.
    Missing,
    /// The matching run failed its gate.
    Failed,
    /// The only matching runs left rows out (`--filter`, `--limit`) or repeat some.
    Partial,
    /// The score fell more than `max_regression` below the released version's.
    Regressed,
    /// The run does not recompute from its samples, or does not say what the lockfile says.
    Tampered,
    /// The run is sound but the eval, dataset, judges or model changed since.
    Stale,
    /// No eval uses the prompt.
    Unevaluated,
    /// The branch changes the bar itself.
    PolicyChanged,
    /// The channel requires runs signed by an allowed signer, and this one is not.
    Unsigned,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Missing => "missing",
            Status::Failed => "failed",
            Status::Partial => "partial",
            Status::Regressed => "regressed",
            Status::Tampered => "tampered",
            Status::Stale => "stale",
            Status::Unevaluated => "unevaluated",
            Status::PolicyChanged => "policy-changed",
            Status::Unsigned => "unsigned",
        }
    }
}

/// One eval's answer for a prompt version.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub eval: String,
    pub run: Option<String>,
    pub status: Status,
    pub ok: bool,
    pub reason: String,
    /// What to do about it, naming the command that would supply what is missing.
    pub fix: Option<String>,
}

/// The evals whose prompt is `prompt`, parsed.
pub fn evals_using(ws: &Workspace, prompt: &str) -> Result<Vec<(String, EvalSpec, String)>, WorkspaceError> {
    let mut out = Vec::new();
    for file in ws.list(FileKind::Eval)?.0 {
        let (source, spec) = ws.load_eval(file.name.as_str())?;
        if spec.prompt == prompt {
            out.push((file.name.to_string(), spec, source.blob.to_string()));
        }
    }
    Ok(out)
}

/// What a run must pin for `eval` to count for `prompt_blob`.
pub fn expected(ws: &Workspace, eval: &str, spec: &EvalSpec, eval_blob: &str, prompt_blob: &str, prompt: &crate::spec::prompt::Prompt, uncalibrated_judges: Demand) -> Result<Expected, WorkspaceError> {
    let prompt_model = prompt.model.as_deref();
    let (dataset_file, dataset_blob, _) = ws.open_dataset(&spec.dataset)?;
    let judges = crate::release::load_judges(ws, spec).map_err(|(_, e)| e)?;
    let judge_blobs: BTreeMap<String, String> = judges.iter().map(|j| (j.reference.clone(), j.source.blob.to_string())).collect();
    let judge_models: BTreeMap<String, Option<String>> = judges.into_iter().map(|j| (j.reference, j.prompt.model)).collect();
    let model = crate::run::model_name(None, Some(spec), prompt_model, &ws.config);
    let id_of = |m: &str| ws.config.models.get(m).map(crate::engine::model_id);
    // An eval of the retriever alone runs no model.
    let model_id = if spec.target.is_generation() { model.as_deref().and_then(id_of) } else { None };
    let mut index_ids = BTreeMap::new();
    // A sub-agent that cannot be loaded (renamed, deleted) matches no run.
    let (agents, agent_blobs): (crate::agent::SubAgents, BTreeMap<String, String>) = match prompt.is_agent().then(|| crate::agent::load_subagents(ws, prompt)).transpose() {
        Ok(agents) => {
            let agents = agents.unwrap_or_default();
            let blobs = agents.iter().map(|(name, (s, _))| (name.clone(), s.blob.to_string())).collect();
            (agents, blobs)
        }
        Err(e) => (Default::default(), BTreeMap::from([("(sub-agents)".to_owned(), format!("unavailable: {e}"))])),
    };
    let tool_indexes = if prompt.is_agent() { crate::agent::tool_indexes(prompt, &agents) } else { Vec::new() };
    for name in prompt.retrieve.as_ref().map(|r| &r.index).into_iter().chain(&tool_indexes) {
        // An index that the config no longer has, or whose dataset is gone, matches no run.
        let identity = crate::retrieval::current_identity(ws, name).unwrap_or_else(|e| format!("unavailable: {e}"));
        index_ids.insert(name.clone(), identity);
    }
    let judge_model_id = if crate::run::needs_grader_model(spec) {
        crate::run::grader_model(spec, &|p| judge_models.get(p).cloned().flatten()).or(model.clone()).as_deref().and_then(id_of)
    } else {
        None
    };
    let uncalibrated = match crate::calibration::uncalibrated(ws, eval, spec, model.as_deref(), uncalibrated_judges) {
        Ok(u) => u.into_iter().map(|u| (u.grader, u.required)).collect(),
        Err(crate::calibration::CalibrationError::Workspace(e)) => return Err(e),
        // Calibrations that cannot be read match no run.
        Err(e) => [(format!("(calibrations unavailable: {e})"), true)].into(),
    };
    Ok(Expected {
        uncalibrated,
        eval: eval.to_owned(),
        eval_blob: eval_blob.to_owned(),
        prompt_blob: prompt_blob.to_owned(),
        dataset_blob: dataset_blob.to_string(),
        dataset_path: dataset_file.rel_path,
        judge_blobs,
        model_name: model_id.as_ref().and(model.clone()),
        params: model_id.as_ref().map(|_| serde_json::to_value(&prompt.params).unwrap_or_default()),
        model_id,
        judge_model_id,
        index_ids,
        agent_blobs,
    })
}

pub fn matches(meta: &ledger::RunMeta, e: &Expected) -> bool {
    let judges: BTreeMap<String, String> = meta.judges.iter().map(|p| (p.name.clone(), p.blob.clone())).collect();
    meta.eval.blob == e.eval_blob
        && meta.prompt.blob == e.prompt_blob
        && meta.dataset.blob == e.dataset_blob
        && judges == e.judge_blobs
        && meta.model.as_ref().map(|m| m.id.clone()) == e.model_id
        && meta.judge_model.as_ref().map(|m| m.id.clone()) == e.judge_model_id
        && index_ids(meta) == e.index_ids
        && agent_blobs(meta) == e.agent_blobs
        && meta.model.as_ref().map(|m| m.name.clone()) == e.model_name
        && meta.model.as_ref().map(|m| m.params.clone()) == e.params
        && meta.uncalibrated.iter().map(|u| (u.grader.clone(), u.required)).collect::<std::collections::BTreeSet<_>>() == e.uncalibrated
}

/// The sub-agent prompt blobs a run pinned, by reference.
pub fn agent_blobs(meta: &ledger::RunMeta) -> BTreeMap<String, String> {
    meta.agents.iter().map(|p| (p.name.clone(), p.blob.clone())).collect()
}

/// The index identities a run pinned, by name.
pub fn index_ids(meta: &ledger::RunMeta) -> BTreeMap<String, String> {
    meta.indexes.iter().map(|p| (p.name.clone(), p.identity.clone())).collect()
}

/// Whether `run` can vouch for anything: it recomputes under `spec` (the eval at its pinned
/// blob) and covers every row of its dataset (at `dataset_path`, whose extension gives the
/// format). Otherwise the status and why, to follow `run <id> `.
pub fn soundness(repo: &gix::Repository, run: &ledger::StoredRun, spec: &EvalSpec, dataset_path: &str) -> Result<(), (Status, String)> {
    let problems = ledger::verify::verify_against(spec, run);
    if !problems.is_empty() {
        return Err((Status::Tampered, format!("does not match its own samples: {}", problems.join("; "))));
    }
    if !run.meta.overrides.is_empty() {
        let set: Vec<String> = run.meta.overrides.iter().map(|(k, v)| format!("{k}={v}")).collect();
        return Err((Status::Partial, format!("set the prompt's parameters otherwise ({}); only a run of the prompt as written counts", set.join(", "))));
    }
    let coverage = ledger::coverage(repo, run, spec, dataset_path);
    if !coverage.is_complete() {
        return Err((Status::Partial, format!("{}; only a run over every row counts", coverage.describe())));
    }
    Ok(())
}

/// The newest run of `e.eval` that matches the pins, and what it says.
pub fn check(repo: &gix::Repository, e: &Expected, spec: &EvalSpec, released: Option<&str>, version_ref: &str) -> Check {
    let command = format!(
        "llmops eval {}{}{}",
        e.eval,
        if version_ref.is_empty() { String::new() } else { format!(" --prompt-version {version_ref}") },
        if spec.experiment.is_some() { " --no-experiment" } else { "" }
    );
    let fix = format!("run `{command}`");
    let fail = |status: Status, reason: String, run: Option<String>, fix: Option<String>| Check { eval: e.eval.clone(), run, status, ok: false, reason, fix };
    let runs = match ledger::log(repo, &e.eval) {
        Ok(r) => r,
        Err(err) => return fail(Status::Missing, format!("cannot read the ledger: {err}"), None, None),
    };
    // The newest run on the current pins that covers every row and verifies; `spec` is the eval
    // at the pinned blob, since the pins match. A partial or altered run is passed over (a
    // forged newer run cannot hide a sound older one), and named when nothing sound is left.
    let sound = |run: &ledger::StoredRun| soundness(repo, run, spec, &e.dataset_path);
    let mut found = None;
    let mut passed_over: Option<(String, Status, String)> = None;
    for entry in &runs {
        let Ok(id) = entry.id.parse() else { continue };
        let Ok(run) = ledger::load(repo, id, &e.eval) else { continue };
        if !matches(&run.meta, e) {
            continue;
        }
        match sound(&run) {
            Ok(()) => {
                found = Some(run);
                break;
            }
            Err((status, why)) => {
                // A tampered run is worth naming over a partial one.
                if passed_over.as_ref().is_none_or(|(_, s, _)| *s == Status::Partial && status == Status::Tampered) {
                    passed_over = Some((run.id.to_string(), status, why));
                }
            }
        }
    }
    let Some(run) = found else {
        if let Some((id, status, why)) = passed_over {
            let fix = match status {
                Status::Partial if why.contains("parameters otherwise") => format!("{fix} without `--set`"),
                Status::Partial => format!("{fix} without `--filter` or `--limit`"),
                _ => fix,
            };
            return fail(status, format!("run {} {why}", crate::version::short_str(&id)), Some(id), Some(fix));
        }
        let why = if runs.is_empty() {
            format!("eval `{}` has no runs", e.eval)
        } else {
            format!("no run of eval `{}` pins this prompt version with the current eval, dataset, judges (and their calibration), sub-agents, indexes, model and parameters", e.eval)
        };
        return fail(Status::Missing, why, None, Some(fix));
    };
    let id = run.id.to_string();
    if !run.meta.verdict.pass {
        return fail(
            Status::Failed,
            format!("run {} failed the gate: {}", crate::version::short_str(&id), run.meta.verdict.reasons.iter().filter(|r| r.starts_with("FAIL")).cloned().collect::<Vec<_>>().join(", ")),
            Some(id),
            Some(format!("improve the prompt, then run `{command}`")),
        );
    }
    if let (Some(max), Some(released)) = (spec.gate.as_ref().and_then(|g| g.max_regression), released) {
        if released != e.prompt_blob {
            let base = Expected { prompt_blob: released.to_owned(), ..e.clone() };
            // The baseline must be as sound as the run it judges: whole and verifying.
            let previous = runs
                .iter()
                .filter_map(|r| r.id.parse().ok())
                .filter_map(|id| ledger::load(repo, id, &e.eval).ok())
                .find(|r| matches(&r.meta, &base) && sound(r).is_ok());
            match previous {
                Some(prev) if run.meta.overall.mean_score + max < prev.meta.overall.mean_score => {
                    return fail(
                        Status::Regressed,
                        format!(
                            "score {:.3} regresses more than {max} from the released version's {:.3}",
                            run.meta.overall.mean_score, prev.meta.overall.mean_score
                        ),
                        Some(id),
                        None,
                    );
                }
                Some(_) => {}
                None => {
                    return fail(
                        Status::Missing,
                        format!("`max_regression` needs a run of the released version {} on the same dataset", crate::version::short_str(&released)),
                        Some(id),
                        Some(format!("run `llmops eval {} --prompt-version {}{}`", e.eval, crate::version::short_str(&released), if spec.experiment.is_some() { " --no-experiment" } else { "" })),
                    );
                }
            }
        }
    }
    Check { eval: e.eval.clone(), run: Some(id.clone()), status: Status::Pass, ok: true, reason: format!("run {} passed", crate::version::short_str(&id)), fix: None }
}

/// Whether run `id` is signed by an allowed signer, when `channel` requires it (`None`: fine).
/// `signers` is the allowed-signers file to check against (the work tree's, or the merge
/// base's in CI).
pub fn signature_problem(ws: &Workspace, policy: &crate::spec::config::GatePolicy, channel: &str, id: &str, signers: Option<&std::path::Path>) -> Option<String> {
    let configured = policy.signers_for(channel)?;
    let file = match signers {
        Some(f) => f.to_owned(),
        None => match crate::workspace::files::open(&ws.root, configured) {
            Ok(_) => ws.root.join(configured),
            Err(e) => return Some(format!("channel `{channel}` requires signed runs, and its allowed signers cannot be read: {e}")),
        },
    };
    // The run lives in the repository, also when `ws` is the index snapshot of `gate --staged`.
    ledger::signature::signed_by(&ws.repo_root(), id, &file)
        .err()
        .map(|why| format!("channel `{channel}` requires runs signed by an allowed signer (`{configured}`), and run {} is not: {why}", crate::version::short_str(id)))
}

/// The fix for an unsigned run: record it where the signing key is.
pub fn sign_fix(eval: &str) -> String {
    format!("record the run where an allowed signing key is (CI) with `llmops eval {eval} --sign`, then promote again")
}

/// Checks every eval that uses `prompt` for the version with blob `prompt_blob`;
/// `max_regression` compares against what `releases` holds on `channel`; judges left out for
/// want of calibration as `uncalibrated_judges` (the policy's) says.
#[allow(clippy::too_many_arguments)]
pub fn check_all(
    ws: &Workspace,
    releases: &Releases,
    prompt: &str,
    prompt_blob: &str,
    parsed: &crate::spec::prompt::Prompt,
    channel: &str,
    version_ref: &str,
    uncalibrated_judges: Demand,
) -> Result<Vec<Check>, WorkspaceError> {
    let released = releases.channel(prompt, channel).map(|c| c.stable.version.clone());
    let mut out = Vec::new();
    for (eval, spec, eval_blob) in evals_using(ws, prompt)? {
        let e = expected(ws, &eval, &spec, &eval_blob, prompt_blob, parsed, uncalibrated_judges)?;
        out.push(check(&ws.repo, &e, &spec, released.as_deref(), version_ref));
    }
    Ok(out)
}

/// What promoting `prompt_blob` to `channel` needs: [`check_all`], and on a channel that
/// requires signed runs, each vouching run signed by an allowed signer.
#[allow(clippy::too_many_arguments)]
pub fn check_for_channel(
    ws: &Workspace,
    releases: &Releases,
    prompt: &str,
    prompt_blob: &str,
    parsed: &crate::spec::prompt::Prompt,
    channel: &str,
    version_ref: &str,
) -> Result<Vec<Check>, WorkspaceError> {
    let mut checks = check_all(ws, releases, prompt, prompt_blob, parsed, channel, version_ref, ws.config.gate.uncalibrated_judges)?;
    for c in checks.iter_mut().filter(|c| c.ok) {
        let Some(run) = c.run.clone() else { continue };
        if let Some(why) = signature_problem(ws, &ws.config.gate, channel, &run, None) {
            c.ok = false;
            c.status = Status::Unsigned;
            c.reason = why;
            c.fix = Some(sign_fix(&c.eval));
        }
    }
    Ok(checks)
}

/// `llmops promote`: what to release where.
#[derive(Debug, Clone)]
pub struct PromoteRequest {
    pub prompt: String,
    /// A blob prefix or git revision; `None`: the work tree's version.
    pub version: Option<String>,
    pub channel: String,
    /// Release as a canary taking this percentage of keys.
    pub canary: Option<f64>,
}

/// What promotion found and did.
#[derive(Debug, Clone, Serialize)]
pub struct Promotion {
    pub prompt: String,
    /// The full blob id of the version.
    pub version: String,
    pub channel: String,
    /// Every check passed and the lockfile was written.
    pub promoted: bool,
    pub checks: Vec<Check>,
}

#[derive(Debug, thiserror::Error)]
pub enum PromoteError {
    #[error("`--canary {0}`: the share must be between 0 and 100")]
    CanaryShare(f64),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{0}")]
    Lockfile(crate::diagnostic::Diagnostic),
    #[error("no eval uses prompt `{0}`: nothing vouches for it")]
    NoEvals(String),
    #[error(transparent)]
    NoStable(#[from] crate::release::NoStableRelease),
    #[error("I/O error: {0}")]
    Write(std::io::Error),
    #[error("the lockfile is written but `git commit` failed")]
    CommitFailed,
    #[error("cannot run git: {0}")]
    Git(std::io::Error),
}

/// A promotion checked and not yet written: [`prepare`], then [`Pending::write`] when
/// `promotion.promoted`, then [`commit_lockfile`] when asked, so a caller can show the checks
/// before anything is written.
pub struct Pending {
    pub promotion: Promotion,
    releases: Releases,
}

/// Checks `request.prompt`'s version for `request.channel`. A version that fails a check
/// comes back with `promoted: false`.
pub fn prepare(ws: &Workspace, request: &PromoteRequest) -> Result<Pending, PromoteError> {
    if let Some(p) = request.canary {
        if !(p > 0.0 && p < 100.0) {
            return Err(PromoteError::CanaryShare(p));
        }
    }
    let reference = match &request.version {
        Some(v) => format!("{}@{v}", request.prompt),
        None => request.prompt.clone(),
    };
    let (source, prompt) = crate::release::load_prompt(ws, &reference)?;
    let blob = source.blob.to_string();
    let version_ref = request.version.clone().unwrap_or_default();
    let releases = Releases::read(&ws.root).map_err(PromoteError::Lockfile)?;
    let checks = check_for_channel(ws, &releases, &request.prompt, &blob, &prompt, &request.channel, &version_ref)?;
    if checks.is_empty() {
        return Err(PromoteError::NoEvals(request.prompt.clone()));
    }
    let promoted = checks.iter().all(|c| c.ok);
    Ok(Pending { promotion: Promotion { prompt: request.prompt.clone(), version: blob, channel: request.channel.clone(), promoted, checks }, releases })
}

impl Pending {
    /// Puts the version on its channel (as a canary when asked) and writes the lockfile.
    pub fn write(mut self, ws: &Workspace, canary: Option<f64>) -> Result<Promotion, PromoteError> {
        let p = &self.promotion;
        let release = crate::release::Release {
            version: p.version.clone(),
            runs: p.checks.iter().filter_map(|c| c.run.clone().map(|r| (c.eval.clone(), r))).collect(),
            released: crate::report::now_seconds(),
        };
        self.releases.promote(&p.prompt, &p.channel, release, canary)?;
        self.releases.write(&ws.root).map_err(PromoteError::Write)?;
        Ok(self.promotion)
    }
}

/// Commits the lockfile alone, with a message naming the promotion.
pub fn commit_lockfile(ws: &Workspace, p: &Promotion) -> Result<(), PromoteError> {
    use crate::release::RELEASES_PATH;
    // Added first: a pathspec commit needs the file tracked, and a new lockfile is not.
    let message = format!("promote {}@{} to {}", p.prompt, crate::version::short_str(&p.version), p.channel);
    let git = |args: &[&str]| std::process::Command::new("git").current_dir(&ws.root).args(args).status();
    let status = git(&["add", RELEASES_PATH])
        .and_then(|add| if add.success() { git(&["commit", "-q", "-m", &message, "--", RELEASES_PATH]) } else { Ok(add) })
        .map_err(PromoteError::Git)?;
    if status.success() { Ok(()) } else { Err(PromoteError::CommitFailed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_on_another_judge_model_does_not_match() {
        let pin = |blob: &str| ledger::Pin { name: "x".into(), blob: blob.into() };
        let model = |id: &str| ledger::ModelPin { name: "m".into(), provider: "llama.cpp".into(), id: id.into(), params: serde_json::Value::Null };
        let stats = crate::run::stats::Stats::default();
        let meta = ledger::RunMeta {
            eval: pin("e"),
            prompt: pin("p"),
            dataset: pin("d"),
            judges: vec![],
            agents: vec![],
            experiment: None,
            overrides: Default::default(),
            uncalibrated: Vec::new(),
            shards: Vec::new(),
            served_by: Vec::new(),
            model: Some(model("sha256:a")),
            judge_model: Some(model("sha256:judge-1")),
            indexes: vec![],
            selection: None,
            llmops_version: String::new(),
            invocation: String::new(),
            source: ledger::SourceState { commit: None, dirty: false },
            started: 0,
            finished: 0,
            input_tokens: 0,
            output_tokens: 0,
            samples: 0,
            rows: 0,
            overall: stats,
            dimensions: BTreeMap::new(),
            pass_k: None,
            gate: None,
            verdict: crate::run::verdict::Verdict { pass: true, reasons: vec![] },
        };
        let mut e = Expected {
            eval: "x".into(),
            eval_blob: "e".into(),
            prompt_blob: "p".into(),
            dataset_blob: "d".into(),
            dataset_path: "datasets/d.jsonl".into(),
            judge_blobs: BTreeMap::new(),
            model_id: Some("sha256:a".into()),
            judge_model_id: Some("sha256:judge-1".into()),
            index_ids: BTreeMap::new(),
            agent_blobs: BTreeMap::new(),
            model_name: Some("m".into()),
            params: Some(serde_json::Value::Null),
            uncalibrated: Default::default(),
        };
        assert!(matches(&meta, &e));
        // Another config entry on the same file, or parameters set otherwise: no match.
        e.model_name = Some("other".into());
        assert!(!matches(&meta, &e), "another model entry");
        e.model_name = Some("m".into());
        e.params = Some(serde_json::json!({"temperature": 0.7}));
        assert!(!matches(&meta, &e), "other parameters");
        e.params = Some(serde_json::Value::Null);
        e.judge_model_id = Some("sha256:judge-2".into());
        assert!(!matches(&meta, &e), "a changed judge model makes the run stale");
        e.judge_model_id = None;
        assert!(!matches(&meta, &e));
        e.judge_model_id = Some("sha256:judge-1".into());
        e.index_ids.insert("docs".into(), "aaaa".into());
        assert!(!matches(&meta, &e), "a run that searched no index does not vouch for a RAG prompt");
        let mut searched = meta.clone();
        searched.indexes = vec![ledger::IndexPin { name: "docs".into(), identity: "aaaa".into() }];
        assert!(matches(&searched, &e));
        e.index_ids.insert("docs".into(), "bbbb".into());
        assert!(!matches(&searched, &e), "a rebuilt index (rows, settings, embedding model) makes the run stale");
        // The judges a run left out for want of calibration must be the ones left out now, and
        // held as the policy holds them now.
        e.index_ids.insert("docs".into(), "aaaa".into());
        let mut left_out = searched.clone();
        left_out.uncalibrated = vec![ledger::Uncalibrated { grader: "judge".into(), reason: "too few labels".into(), required: false }];
        assert!(!matches(&left_out, &e), "the judge counts now: a run that left it out does not vouch");
        e.uncalibrated = [("judge".to_owned(), false)].into();
        assert!(matches(&left_out, &e));
        assert!(!matches(&searched, &e), "the judge does not count now: a run where it did does not vouch");
        e.uncalibrated = [("judge".to_owned(), true)].into();
        assert!(!matches(&left_out, &e), "a run made under `warn` does not vouch under `require`");
    }
}
