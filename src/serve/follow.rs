//! `llmops serve --follow REMOTE/BRANCH`: every interval, fetch the branch and the recorded
//! runs, and when the branch's releases lockfile differs from the releases served, gate it
//! here first (in a temporary worktree of the fetched commit, under this server's own gate
//! policy) and serve it only when the gate passes. Several servers following one branch serve
//! the same releases, each having checked them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::release::Releases;
use crate::spec::config::GatePolicy;
use crate::workspace::Workspace;

/// What to follow.
#[derive(Debug, Clone)]
pub struct Follow {
    pub remote: String,
    pub branch: String,
    pub interval: Duration,
}

impl Follow {
    /// `REMOTE/BRANCH` (`origin/main`; a branch may hold slashes: `origin/release/v2`).
    pub fn parse(text: &str, interval: Duration) -> Result<Follow, String> {
        let (remote, branch) = text.split_once('/').filter(|(r, b)| !r.is_empty() && !b.is_empty()).ok_or_else(|| format!("`{text}` is not REMOTE/BRANCH (e.g. origin/main)"))?;
        // Handed to git as arguments: nothing that git could read as an option.
        for part in [remote, branch] {
            if part.starts_with('-') || part.contains("..") || part.chars().any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c)) {
                return Err(format!("`{text}`: `{part}` is not a remote or branch name"));
            }
        }
        Ok(Follow { remote: remote.to_owned(), branch: branch.to_owned(), interval })
    }

    fn tracking_ref(&self) -> String {
        format!("refs/remotes/{}/{}", self.remote, self.branch)
    }
}

/// What one look at the followed branch found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The branch has not moved, or its lockfile is the one served.
    Unchanged,
    /// The branch's releases passed the gate here and are served from now on.
    Applied { commit: String, releases: Releases },
    /// The branch's releases did not pass the gate: the ones served stay.
    Refused { commit: String, why: Vec<String> },
    /// The fetch or the check could not be done: the releases served stay.
    Failed(String),
}

/// The longest one git command may take (a remote that stalls must not hold the server).
const GIT_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `git ARGS` in `root`, with nothing to prompt on, no hooks and no LFS downloads, for at
/// most [`GIT_TIMEOUT`]; stdout, or what went wrong.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let mut child = Command::new("git")
        .current_dir(root)
        .args(["-c", "core.hooksPath=/dev/null"])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_LFS_SKIP_SMUDGE", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let started = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < GIT_TIMEOUT => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("`git {}` took more than {} s", args.first().copied().unwrap_or_default(), GIT_TIMEOUT.as_secs()));
            }
        }
    }
    let out = child.wait_with_output().map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(format!("`git {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A worktree of `commit` in a temporary folder, removed when dropped.
struct Worktree {
    repo: PathBuf,
    dir: tempfile::TempDir,
}

impl Drop for Worktree {
    fn drop(&mut self) {
        let _ = git(&self.repo, &["worktree", "remove", "--force", &self.dir.path().to_string_lossy()]);
        let _ = git(&self.repo, &["worktree", "prune"]);
    }
}

/// What a check looked at: the branch's commit and the recorded runs' tips. The same pair is
/// not checked twice; runs that arrive after a refused commit get it checked again.
pub type Checked = (String, String);

/// Fetches the followed branch and the recorded runs, then checks the branch's lockfile unless
/// the pair was `last` checked: under `policy` (this server's), against the bar of this
/// server's own commit `HEAD` (a branch that relaxes an eval's `gate:` or its graders is a
/// policy change), and with every model in `served_models` defined as this server has it.
pub fn poll(root: &Path, follow: &Follow, last: Option<&Checked>, policy: &GatePolicy, served_models: &[String]) -> (Outcome, Option<Checked>) {
    let branch = format!("+refs/heads/{}:{}", follow.branch, follow.tracking_ref());
    if let Err(e) = git(root, &["fetch", "--quiet", "--no-tags", &follow.remote, &branch]) {
        return (Outcome::Failed(e), None);
    }
    // The runs that vouch for the releases; a run ref that moved on both sides is left as it is
    // here (as `llmops sync` does), which only means fewer runs to check against.
    let _ = git(root, &["fetch", "--quiet", "--no-tags", &follow.remote, "refs/llmops/*:refs/llmops/*"]);
    let commit = match git(root, &["rev-parse", "--verify", "--quiet", &format!("{}^{{commit}}", follow.tracking_ref())]) {
        Ok(c) => c,
        Err(e) => return (Outcome::Failed(e), None),
    };
    let runs = git(root, &["for-each-ref", "--format=%(objectname)", "refs/llmops/runs/"]).unwrap_or_default();
    let key = (commit.clone(), crate::text::hex(&<sha2::Sha256 as sha2::Digest>::digest(runs.as_bytes())));
    if last == Some(&key) {
        return (Outcome::Unchanged, Some(key));
    }
    let outcome = match check(root, &commit, policy, served_models) {
        Ok((releases, why)) if why.is_empty() => Outcome::Applied { commit, releases },
        Ok((_, why)) => Outcome::Refused { commit, why },
        Err(e) => return (Outcome::Failed(e), None),
    };
    (outcome, Some(key))
}

/// The lockfile of `commit` and what the gate finds blocking in it (nothing: it passes),
/// checked in a temporary worktree of that commit.
fn check(root: &Path, commit: &str, policy: &GatePolicy, served_models: &[String]) -> Result<(Releases, Vec<String>), String> {
    let short = crate::version::short_str(commit).to_owned();
    let dir = tempfile::Builder::new().prefix("llmops-follow-").tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    git(root, &["worktree", "add", "--quiet", "--detach", &dir.path().to_string_lossy(), commit])?;
    let tree = Worktree { repo: root.to_owned(), dir };
    let ws = Workspace::discover(tree.dir.path()).map_err(|e| format!("commit {short}: {e}"))?;
    let releases = Releases::read(&ws.root).map_err(|d| format!("commit {short}: {}", d.message))?;
    // Signed runs are checked against this server's allowed signers, never the branch's.
    let signers = policy.signed_runs.as_ref().map(|s| root.join(&s.allowed_signers));
    let review = crate::gate::review::review(&ws, &releases, &[], policy, signers.as_deref()).map_err(|e| format!("commit {short}: {e}"))?;
    let mut why: Vec<String> = review.findings.iter().filter(|f| f.blocking).map(|f| format!("{}: {}", f.subject(), f.reason)).collect();
    // The bar: this server's own commit's, as `gate --base` holds a branch to its base's.
    let head = git(root, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?;
    let mut base = crate::gate::policy::read_base(root, &head).map_err(|e| e.to_string())?;
    base.policy = policy.clone();
    let evals: std::collections::BTreeMap<String, crate::spec::eval::EvalSpec> = crate::gate::policy::read_base(root, commit).map_err(|e| e.to_string())?.evals;
    let branch_policy = ws.config.gate.clone();
    why.extend(crate::gate::policy::changes(&base, &branch_policy, &evals, &releases).into_iter().filter(|f| f.blocking).map(|f| format!("{}: {}", f.subject(), f.reason)));
    // A model served here must be the model the runs were made on.
    let here = crate::workspace::Workspace::discover(root).map_err(|e| e.to_string())?;
    for name in served_models {
        let (ours, theirs) = (here.config.models.get(name), ws.config.models.get(name));
        if ours.map(crate::engine::model_id) != theirs.map(crate::engine::model_id) {
            why.push(format!("model `{name}`: the branch defines it otherwise than this server serves it"));
        }
    }
    Ok((releases, why))
}

#[cfg(test)]
mod tests {
    use super::Follow;
    use std::time::Duration;

    #[test]
    fn follow_takes_remote_slash_branch_and_nothing_git_would_read_as_an_option() {
        let f = Follow::parse("origin/release/v2", Duration::from_secs(5)).unwrap();
        assert_eq!((f.remote.as_str(), f.branch.as_str(), f.tracking_ref()), ("origin", "release/v2", "refs/remotes/origin/release/v2".to_owned()));
        for bad in ["origin", "/main", "origin/", "-x/main", "origin/--upload-pack=x", "o/a..b", "o/a b", "o/a:b"] {
            assert!(Follow::parse(bad, Duration::from_secs(5)).is_err(), "{bad}");
        }
    }
}
