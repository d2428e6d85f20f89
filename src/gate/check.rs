//! `llmops gate` end to end: the scope's changed files, the workspace it judges (the index's
//! snapshot for `--staged`), the policy (the merge base's in CI), the review, and with `run`
//! the missing evals run through [`crate::evaluation::execute`] before a second review.

use std::collections::BTreeMap;

use super::policy::{self, PolicyError};
use super::review::{self, Review};
use super::scope::{self, Scope, ScopeError, StagedError};
use crate::diagnostic::Diagnostic;
use crate::engine::RunOptions;
use crate::evaluation::{self, EvalRequest, EvaluationError, Models};
use crate::release::Releases;
use crate::run::Progress;
use crate::workspace::{Workspace, WorkspaceError};

#[derive(Debug, Clone)]
pub struct GateRequest {
    pub scope: Scope,
    /// Run the evals whose runs are missing, then review again.
    pub run: bool,
    /// With `run`: command graders may run the programs the evals name.
    pub allow_exec: bool,
    /// With `run`: how models are opened.
    pub options: RunOptions,
}

#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// The scope cannot be read (an unknown base revision, git failing).
    #[error(transparent)]
    Scope(ScopeError),
    #[error(transparent)]
    Staged(#[from] StagedError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error("{} problem{} found", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Evaluation(#[from] EvaluationError),
    #[error("cannot write the base's allowed signers to a temporary file: {0}")]
    Io(#[from] std::io::Error),
}

/// Reviews `request.scope` in `ws`. `progress` hears what runs (`status`) and each eval's
/// samples.
pub fn check(ws: &Workspace, request: &GateRequest, progress: &mut dyn Progress) -> Result<Review, GateError> {
    let scope = &request.scope;
    let changed = scope::changed_paths(&ws.root, scope).map_err(GateError::Scope)?;
    if *scope == Scope::Staged && changed.is_empty() {
        return Ok(Review { pass: true, changed, findings: Vec::new() });
    }
    // The hook judges what is being committed: the index's files, not the work tree's.
    let snapshot = if *scope == Scope::Staged { Some(tempfile::Builder::new().prefix("llmops-gate-").tempdir()?) } else { None };
    let staged_ws = match &snapshot {
        Some(dir) => Some(scope::staged_workspace(ws, dir.path())?),
        None => None,
    };
    let gate_ws = staged_ws.as_ref().unwrap_or(ws);
    let releases = Releases::read(&gate_ws.root).map_err(|d| GateError::Invalid(vec![d]))?;
    // In CI the branch under test does not set its own bar: the policy is the merge base's,
    // and changes to the bar are findings of their own.
    let base = match scope {
        Scope::Base(reference) => {
            let commit = scope::merge_base(&ws.root, reference).map_err(GateError::Scope)?;
            Some(policy::read_base(&ws.root, &commit)?)
        }
        _ => None,
    };
    let policy = base.as_ref().map(|b| b.policy.clone()).unwrap_or_else(|| gate_ws.config.gate.clone());
    // The allowed signers, like the policy, come from the merge base in CI.
    let base_signers = match (&base, policy.signed_runs.as_ref()) {
        (Some(base), Some(signed)) => {
            let mut file = tempfile::NamedTempFile::new()?;
            if let Some(bytes) = scope::show(&ws.root, &base.commit, &signed.allowed_signers).map_err(GateError::Scope)? {
                std::io::Write::write_all(&mut file, &bytes)?;
            }
            Some(file)
        }
        _ => None,
    };
    let full_review = || -> Result<Review, GateError> {
        let mut review = review::review(gate_ws, &releases, &changed, &policy, base_signers.as_ref().map(|f| f.path()))?;
        if let Some(base) = &base {
            let mut evals = BTreeMap::new();
            for file in gate_ws.list(crate::workspace::FileKind::Eval)?.0 {
                if let Ok((_, spec)) = gate_ws.load_eval(file.name.as_str()) {
                    evals.insert(file.name.to_string(), spec);
                }
            }
            review.findings.extend(policy::changes(base, &gate_ws.config.gate, &evals, &releases));
            review.pass = review.findings.iter().all(|f| !f.blocking);
        }
        Ok(review)
    };
    let review = full_review()?;
    if !request.run {
        return Ok(review);
    }
    let remedies: Vec<_> = review.findings.iter().filter_map(|f| f.remedy.clone()).collect();
    if remedies.is_empty() {
        return Ok(review);
    }
    // One eval invocation per prompt version, each model loaded once.
    let mut by_version: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    for r in remedies {
        let evals = by_version.entry(r.prompt_version).or_default();
        if !evals.contains(&r.eval) {
            evals.push(r.eval);
        }
    }
    let mut models = Models::default();
    for (version, evals) in by_version {
        let which = match version.as_deref() {
            Some(v) => crate::version::short_str(v).to_owned(),
            None if *scope == Scope::Staged => "the staged version".to_owned(),
            None => "the work tree's version".to_owned(),
        };
        progress.status(&format!("gate: running {} for {which}", evals.join(", ")));
        for eval in evals {
            let request = EvalRequest {
                eval: eval.clone(),
                prompt_version: version.clone(),
                use_cache: true,
                allow_exec: request.allow_exec,
                options: request.options.clone(),
                record: true,
                uncalibrated_judges: Some(policy.uncalibrated_judges),
                ..Default::default()
            };
            // What the review judges: with `--staged`, the index's snapshot.
            let report = evaluation::execute(gate_ws, &request, &mut models, progress)?;
            if let Some(id) = &report.run {
                progress.status(&format!("recorded run {} on `{}`", crate::version::short_str(id), crate::ledger::ref_name(&eval)));
            }
        }
    }
    full_review()
}
