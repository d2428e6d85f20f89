//! `llmops gate`: every release in the lockfile still stands (its version exists, its runs are
//! on the ledger, pass, verify and match the current eval, dataset, judges and model), and every
//! changed prompt has a passing run, as the workspace's policy demands.

use std::collections::BTreeMap;

use serde::Serialize;

use super::promotion::{self, Expected, Status};
use crate::release::{Release, Releases};
use crate::ledger;
use crate::spec::config::{Demand, GatePolicy};
use crate::workspace::{FileKind, Workspace, WorkspaceError};

/// Why a prompt version is under review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The stable version released on a channel.
    Release,
    /// A canary beside it.
    Canary,
    /// A prompt changed in the commit or on the branch.
    Changed,
    /// A change to the bar itself (`gate --base`).
    Policy,
}

/// The eval that would supply a missing run: `llmops eval EVAL [--prompt-version VERSION]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remedy {
    pub eval: String,
    /// `None`: the work tree's version.
    pub prompt_version: Option<String>,
}

/// One line of the gate's answer: one prompt version against one eval.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub prompt: String,
    pub role: Role,
    /// The channel, for releases and canaries.
    pub channel: Option<String>,
    /// The prompt's blob id.
    pub version: String,
    pub eval: Option<String>,
    pub status: Status,
    pub run: Option<String>,
    pub reason: String,
    /// What to run next.
    pub fix: Option<String>,
    /// Whether this finding fails the gate (a miss the policy only warns about does not).
    pub blocking: bool,
    #[serde(skip)]
    pub remedy: Option<Remedy>,
}

impl Finding {
    /// `capital@production`, `capital@production (canary)` or `capital (changed)`.
    pub fn subject(&self) -> String {
        match (&self.role, &self.channel) {
            (Role::Release, Some(c)) => format!("{}@{c}", self.prompt),
            (Role::Canary, Some(c)) => format!("{}@{c} (canary)", self.prompt),
            (Role::Policy, _) => format!("{} (the bar)", self.prompt),
            _ => format!("{} (changed)", self.prompt),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub pass: bool,
    /// The watched files that changed in the scope.
    pub changed: Vec<String>,
    pub findings: Vec<Finding>,
}

/// Reviews the releases in `releases` and the prompts among `changed` paths.
/// `signers`: the allowed-signers file for channels that require signed runs, when it is not
/// the work tree's (in CI, the merge base's).
pub fn review(ws: &Workspace, releases: &Releases, changed: &[String], policy: &GatePolicy, signers: Option<&std::path::Path>) -> Result<Review, WorkspaceError> {
    let mut findings = Vec::new();
    let mut runs_by_eval = BTreeMap::new();
    for (prompt, channels) in &releases.prompts {
        for (channel, c) in channels {
            findings.extend(check_release(ws, prompt, channel, &c.stable, Role::Release, policy, signers, &mut runs_by_eval)?);
            if let Some(canary) = &c.canary {
                findings.extend(check_release(ws, prompt, channel, &canary.release, Role::Canary, policy, signers, &mut runs_by_eval)?);
            }
        }
    }
    if policy.changed_prompts != Demand::Ignore {
        for prompt in changed_prompts(ws, changed) {
            findings.extend(check_changed(ws, releases, &prompt, policy)?);
        }
    }
    let pass = findings.iter().all(|f| !f.blocking);
    Ok(Review { pass, changed: changed.to_vec(), findings })
}

/// The names of the changed prompt files that still exist.
fn changed_prompts(ws: &Workspace, changed: &[String]) -> Vec<String> {
    let dir = format!("{}/", FileKind::Prompt.dir());
    let mut out: Vec<String> = changed
        .iter()
        .filter_map(|p| p.strip_prefix(&dir))
        .filter_map(|rest| {
            FileKind::Prompt.extensions().iter().find_map(|ext| rest.strip_suffix(&format!(".{ext}")))
        })
        .filter(|name| ws.find(FileKind::Prompt, name).is_ok())
        .map(str::to_owned)
        .collect();
    out.dedup();
    out
}

fn check_changed(ws: &Workspace, releases: &Releases, prompt: &str, policy: &GatePolicy) -> Result<Vec<Finding>, WorkspaceError> {
    let (source, parsed) = ws.load_prompt(prompt)?;
    let version = source.blob.to_string();
    let blocking = policy.changed_prompts == Demand::Require;
    let base = Finding {
        prompt: prompt.to_owned(),
        role: Role::Changed,
        channel: None,
        version: version.clone(),
        eval: None,
        status: Status::Unevaluated,
        run: None,
        reason: String::new(),
        fix: None,
        blocking: false,
        remedy: None,
    };
    let checks = promotion::check_all(ws, releases, prompt, &version, &parsed, &policy.channel, "", policy.uncalibrated_judges)?;
    if checks.is_empty() {
        return Ok(vec![Finding { reason: "no eval uses this prompt (a judge's prompt is checked through its evals)".into(), ..base }]);
    }
    Ok(checks
        .into_iter()
        .map(|c| Finding {
            eval: Some(c.eval.clone()),
            status: c.status,
            run: c.run,
            reason: c.reason,
            fix: c.fix,
            blocking: blocking && c.status != Status::Pass,
            remedy: matches!(c.status, Status::Missing | Status::Partial).then(|| Remedy { eval: c.eval, prompt_version: None }),
            ..base.clone()
        })
        .collect())
}

fn check_release(
    ws: &Workspace,
    prompt: &str,
    channel: &str,
    release: &Release,
    role: Role,
    policy: &GatePolicy,
    signers: Option<&std::path::Path>,
    runs_by_eval: &mut BTreeMap<String, Vec<String>>,
) -> Result<Vec<Finding>, WorkspaceError> {
    let short = crate::version::short_str(&release.version);
    let again = match role {
        Role::Canary => format!("llmops promote {prompt} --version {short} --to {channel} --canary PCT"),
        _ => format!("llmops promote {prompt} --version {short} --to {channel}"),
    };
    let finding = |eval: Option<&str>, status: Status, run: Option<&String>, reason: String, fix: Option<String>| Finding {
        prompt: prompt.to_owned(),
        role: role.clone(),
        channel: Some(channel.to_owned()),
        version: release.version.clone(),
        eval: eval.map(str::to_owned),
        blocking: match status {
            Status::Pass => false,
            Status::Stale | Status::Unevaluated => policy.stale_releases == Demand::Require,
            _ => true,
        },
        remedy: (status == Status::Stale && eval.is_some())
            .then(|| Remedy { eval: eval.unwrap_or_default().to_owned(), prompt_version: Some(release.version.clone()) }),
        status,
        run: run.cloned(),
        reason,
        fix,
    };
    if release.version.len() != 40 || !release.version.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(vec![finding(
            None,
            Status::Missing,
            None,
            format!("`{}` is not a version (the 40-hex blob id of a prompt file)", release.version),
            Some(format!("promote a version: `llmops promote {prompt} --to {channel}`")),
        )]);
    }
    let parsed = match ws.load_prompt(&format!("{prompt}@{}", release.version)) {
        Ok((_, p)) => p,
        Err(e) => {
            return Ok(vec![finding(
                None,
                Status::Missing,
                None,
                format!("version {short} of prompt `{prompt}` is not in this repository: {e}"),
                Some(format!("`llmops prompt log {prompt}` lists its versions; promote one that passed with `llmops promote {prompt}`")),
            )]);
        }
    };
    let evals = promotion::evals_using(ws, prompt)?;
    if evals.is_empty() {
        return Ok(vec![finding(
            None,
            Status::Unevaluated,
            None,
            format!("no eval uses prompt `{prompt}` any more: nothing vouches for this release"),
            Some(format!("add an eval with `prompt: {prompt}` under `evals/`")),
        )]);
    }
    let mut out = Vec::new();
    for (eval, spec, eval_blob) in evals {
        let e = promotion::expected(ws, &eval, &spec, &eval_blob, &release.version, &parsed, policy.uncalibrated_judges)?;
        let rerun = format!("run `llmops eval {eval} --prompt-version {short}{}`, then `{again}`", if spec.experiment.is_some() { " --no-experiment" } else { "" });
        let Some(run_id) = release.runs.get(&eval) else {
            let why = format!("no run of eval `{eval}` is listed (the eval came after the release)");
            out.push(stale(finding(Some(&eval), Status::Stale, None, why, Some(rerun)), ws, &e, &spec, &again));
            continue;
        };
        if !runs_by_eval.contains_key(&eval) {
            let ids = ledger::log(&ws.repo, &eval).map(|l| l.into_iter().map(|r| r.id).collect()).unwrap_or_default();
            runs_by_eval.insert(eval.clone(), ids);
        }
        let on_ledger = runs_by_eval[&eval].iter().any(|id| id == run_id);
        let loaded = run_id.parse().ok().filter(|_| on_ledger).and_then(|id| ledger::load(&ws.repo, id, &eval).ok());
        let run_short = crate::version::short_str(&run_id);
        let Some(run) = loaded else {
            out.push(finding(
                Some(&eval),
                Status::Missing,
                Some(run_id),
                format!("run {run_short} is not on `refs/llmops/runs/{eval}`"),
                Some(format!("fetch the runs: `git fetch origin 'refs/llmops/*:refs/llmops/*'` (or `llmops sync`); else {rerun}")),
            ));
            continue;
        };
        let sound = match ledger::verify::pinned_eval(&ws.repo, &run) {
            Ok(spec) => promotion::soundness(&ws.repo, &run, &spec, &e.dataset_path),
            Err(e) => Err((Status::Tampered, format!("does not match its own samples: cannot recompute it: {e}"))),
        };
        if let Err((status, why)) = sound {
            out.push(finding(Some(&eval), status, Some(run_id), format!("run {run_short} {why}"), Some(rerun)));
            continue;
        }
        if run.meta.prompt.blob != release.version {
            out.push(finding(
                Some(&eval),
                Status::Tampered,
                Some(run_id),
                format!("run {run_short} evaluated version {}, not the released {short}", crate::version::short_str(&run.meta.prompt.blob)),
                Some(rerun),
            ));
            continue;
        }
        if !run.meta.verdict.pass {
            let reasons: Vec<_> = run.meta.verdict.reasons.iter().filter(|r| r.starts_with("FAIL")).cloned().collect();
            out.push(finding(
                Some(&eval),
                Status::Failed,
                Some(run_id),
                format!("run {run_short} failed the gate: {}", reasons.join(", ")),
                Some(format!("promote a version that passes: `llmops promote {prompt} --to {channel}`")),
            ));
            continue;
        }
        let changed = what_changed(&run.meta, &e);
        if !changed.is_empty() {
            let why = format!("stale: {} changed since run {run_short}", changed.join(", "));
            out.push(stale(finding(Some(&eval), Status::Stale, Some(run_id), why, Some(rerun)), ws, &e, &spec, &again));
            continue;
        }
        if let Some(why) = promotion::signature_problem(ws, policy, channel, run_id, signers) {
            out.push(finding(Some(&eval), Status::Unsigned, Some(run_id), why, Some(promotion::sign_fix(&eval))));
            continue;
        }
        out.push(finding(Some(&eval), Status::Pass, Some(run_id), format!("run {run_short} passed and verifies"), None));
    }
    Ok(out)
}

/// A stale release whose version already has a passing run on the current pins needs only a
/// new promotion to list it; otherwise the eval must run first.
fn stale(mut f: Finding, ws: &Workspace, e: &Expected, spec: &crate::spec::eval::EvalSpec, promote: &str) -> Finding {
    let current = promotion::check(&ws.repo, e, spec, None, "");
    if current.ok {
        let id = current.run.unwrap_or_default();
        f.reason = format!("{}; run {} passed on the current ones: promote again to list it", f.reason, crate::version::short_str(&id));
        f.fix = Some(format!("run `{promote}`"));
        f.remedy = None;
    }
    f
}

/// Which pins of a run differ from the current ones, in words.
fn what_changed(meta: &ledger::RunMeta, e: &Expected) -> Vec<String> {
    let mut out = Vec::new();
    if meta.eval.blob != e.eval_blob {
        out.push(format!("eval `{}`", e.eval));
    }
    if meta.dataset.blob != e.dataset_blob {
        out.push(format!("dataset `{}`", meta.dataset.name));
    }
    let judges: BTreeMap<String, String> = meta.judges.iter().map(|p| (p.name.clone(), p.blob.clone())).collect();
    if judges != e.judge_blobs {
        out.push("the judge prompts".into());
    }
    if meta.model.as_ref().map(|m| m.id.clone()) != e.model_id || meta.model.as_ref().map(|m| m.name.clone()) != e.model_name {
        out.push("the model".into());
    } else if meta.model.as_ref().map(|m| m.params.clone()) != e.params {
        out.push("the prompt's parameters".into());
    }
    if meta.judge_model.as_ref().map(|m| m.id.clone()) != e.judge_model_id {
        out.push("the judge model".into());
    }
    let pinned = promotion::agent_blobs(meta);
    for (name, blob) in &e.agent_blobs {
        if blob.starts_with("unavailable") {
            out.push(format!("the sub-agent prompts ({blob})"));
        } else if pinned.get(name) != Some(blob) {
            out.push(format!("sub-agent prompt `{name}`"));
        }
    }
    if pinned.len() > e.agent_blobs.len() {
        out.push("the sub-agent prompts".into());
    }
    let pinned = promotion::index_ids(meta);
    for (name, identity) in &e.index_ids {
        if pinned.get(name) != Some(identity) {
            out.push(format!("index `{name}`"));
        }
    }
    out
}
