//! The bar itself, as the base branch sets it. In CI (`gate --base REF`) the branch under test
//! must not relax its own gate: the policy is read from the merge base, and every change to the
//! bar (an eval's `gate:` block, its graders' weights, thresholds and types, its dataset or
//! `repeat`; the config's `gate:` policy; an eval removed while a release depends on it) is a
//! finding of its own, which the base's `policy_changes` makes blocking or a warning.

use std::collections::BTreeMap;
use std::path::Path;

use super::promotion::Status;
use crate::release::Releases;
use super::review::{Finding, Role};
use super::scope::{self, ScopeError};
use crate::spec::config::{CONFIG_PATH, Config, Demand, GatePolicy};
use crate::spec::eval::EvalSpec;

/// What the merge base says: its policy, its evals and its releases.
pub struct Base {
    pub commit: String,
    pub policy: GatePolicy,
    pub evals: BTreeMap<String, EvalSpec>,
    pub releases: Releases,
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error(transparent)]
    Git(#[from] ScopeError),
    #[error("`{path}` at the merge base {commit} does not parse: {detail}")]
    Invalid { path: String, commit: String, detail: String },
}

/// Reads the policy, evals and lockfile at `commit` from the object store.
pub fn read_base(root: &Path, commit: &str) -> Result<Base, PolicyError> {
    let short = crate::version::short_str(commit).to_owned();
    let invalid = |path: &str, detail: String| PolicyError::Invalid { path: path.to_owned(), commit: short.clone(), detail };
    let text = |bytes: Vec<u8>, path: &str| String::from_utf8(bytes).map_err(|_| invalid(path, "not UTF-8 text".into()));
    let policy = match scope::show(root, commit, CONFIG_PATH)? {
        Some(bytes) => Config::parse(Path::new(CONFIG_PATH), &text(bytes, CONFIG_PATH)?)
            .map_err(|d| invalid(CONFIG_PATH, d.first().map(|d| d.message.clone()).unwrap_or_default()))?
            .gate,
        None => GatePolicy::default(),
    };
    let mut evals = BTreeMap::new();
    for path in scope::ls_tree(root, commit, "evals")? {
        let Some(name) = path.strip_prefix("evals/").and_then(|p| p.strip_suffix(".yaml")) else { continue };
        let Some(bytes) = scope::show(root, commit, &path)? else { continue };
        // An eval that did not parse at the base sets no bar there.
        if let Ok(spec) = EvalSpec::parse(Path::new(&path), &text(bytes, &path)?) {
            evals.insert(name.to_owned(), spec);
        }
    }
    let releases = match scope::show(root, commit, crate::release::RELEASES_PATH)? {
        Some(bytes) => {
            let t = text(bytes, crate::release::RELEASES_PATH)?;
            if t.trim().is_empty() {
                Releases::default()
            } else {
                crate::spec::parse_yaml(Path::new(crate::release::RELEASES_PATH), &t).map_err(|d| invalid(crate::release::RELEASES_PATH, d.message))?
            }
        }
        None => Releases::default(),
    };
    Ok(Base { commit: commit.to_owned(), policy, evals, releases })
}

/// The bar an eval sets, as `key → value` lines that can be compared.
pub fn bar(spec: &EvalSpec) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    out.insert("prompt".into(), spec.prompt.clone());
    out.insert("dataset".into(), spec.dataset.clone());
    out.insert("repeat".into(), spec.repeat.to_string());
    match &spec.gate {
        None => {
            out.insert("gate".into(), "none".into());
        }
        Some(g) => {
            let mut put = |k: &str, v: Option<f64>| {
                if let Some(v) = v {
                    out.insert(format!("gate.{k}"), v.to_string());
                }
            };
            put("min_score", g.min_score);
            put("min_pass_rate", g.min_pass_rate);
            put("max_regression", g.max_regression);
            if g.use_lower_bound {
                out.insert("gate.use_lower_bound".into(), "true".into());
            }
            for (d, v) in &g.dimensions {
                out.insert(format!("gate.dimensions.{d}"), v.to_string());
            }
        }
    }
    for g in &spec.graders {
        let d = g.dimension();
        let threshold = crate::grade::Grader::new(g).map(|g| g.threshold()).unwrap_or(f64::NAN);
        out.insert(format!("grader `{d}`"), format!("{} weight {} threshold {threshold}{}", crate::spec::eval::kind_name(g.kind), g.weight, if g.negate { " negated" } else { "" }));
        // Everything else that decides what passes: value, pattern, schema, judge prompt, scale…
        let mut rest = g.clone();
        (rest.weight, rest.threshold, rest.negate) = (0.0, None, false);
        out.insert(format!("grader `{d}` parameters"), serde_json::to_string(&rest).unwrap_or_default());
    }
    out
}

/// `key: old → new` for each difference.
fn differences(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<String> {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| format!("{k}: {} → {}", old.get(k).map(String::as_str).unwrap_or("(none)"), new.get(k).map(String::as_str).unwrap_or("(none)")))
        .collect()
}

/// Findings for every change to the bar between the base and the work tree.
pub fn changes(base: &Base, current_policy: &GatePolicy, current_evals: &BTreeMap<String, EvalSpec>, current_releases: &Releases) -> Vec<Finding> {
    if base.policy.policy_changes == Demand::Ignore {
        return Vec::new();
    }
    let blocking = base.policy.policy_changes == Demand::Require;
    let base_short = crate::version::short_str(&base.commit).to_owned();
    let finding = |prompt: &str, eval: Option<&str>, reason: String| Finding {
        prompt: prompt.to_owned(),
        role: Role::Policy,
        channel: None,
        version: base.commit.clone(),
        eval: eval.map(str::to_owned),
        status: Status::PolicyChanged,
        run: None,
        reason,
        fix: Some(format!("have the change to the bar reviewed (it is judged by the policy of {base_short}); a CODEOWNERS rule on `evals/` and `.llmops/` makes that review required")),
        blocking,
        remedy: None,
    };
    let mut out = Vec::new();
    let (old, new) = (serde_yaml_ng::to_string(&base.policy).unwrap_or_default(), serde_yaml_ng::to_string(current_policy).unwrap_or_default());
    if old != new {
        let flat = |t: &str| t.lines().filter_map(|l| l.split_once(": ").map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))).collect::<BTreeMap<_, _>>();
        let listed = differences(&flat(&old), &flat(&new));
        // Nested settings (`signed_runs`) do not flatten to `key: value` lines: say so plainly.
        let what = if listed.is_empty() { "its `gate:` block differs from the base's".to_owned() } else { listed.join("; ") };
        out.push(finding("(policy)", None, format!("the gate policy in `{CONFIG_PATH}` changed: {what}")));
    }
    let released = |prompt: &str| base.releases.prompts.contains_key(prompt) || current_releases.prompts.contains_key(prompt);
    for (name, spec) in &base.evals {
        match current_evals.get(name) {
            Some(now) => {
                let diff = differences(&bar(spec), &bar(now));
                if !diff.is_empty() {
                    out.push(finding(&now.prompt, Some(name), format!("the bar of eval `{name}` changed: {}", diff.join("; "))));
                }
            }
            None if released(&spec.prompt) => {
                out.push(finding(&spec.prompt, Some(name), format!("eval `{name}` was removed, and prompt `{}` has releases that rest on it", spec.prompt)));
            }
            None => {
                out.push(finding(&spec.prompt, Some(name), format!("eval `{name}` of prompt `{}` was removed", spec.prompt)));
            }
        }
    }
    out
}
