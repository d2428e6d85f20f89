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

/// Runs `git ARGS` in `root`; stdout, or what went wrong.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git").current_dir(root).args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
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

/// Fetches the followed branch and the recorded runs, then checks the branch's lockfile when it
/// is not `served` (`last`: the commit checked last time, not checked again).
pub fn poll(root: &Path, follow: &Follow, served: &Releases, last: Option<&str>, policy: &GatePolicy) -> Outcome {
    let branch = format!("+refs/heads/{}:{}", follow.branch, follow.tracking_ref());
    if let Err(e) = git(root, &["fetch", "--quiet", "--no-tags", &follow.remote, &branch]) {
        return Outcome::Failed(e);
    }
    // The runs that vouch for the releases; a run ref that moved on both sides is left as it is
    // here (as `llmops sync` does), which only means fewer runs to check against.
    let _ = git(root, &["fetch", "--quiet", "--no-tags", &follow.remote, "refs/llmops/*:refs/llmops/*"]);
    let commit = match git(root, &["rev-parse", "--verify", "--quiet", &format!("{}^{{commit}}", follow.tracking_ref())]) {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(e),
    };
    if last == Some(commit.as_str()) {
        return Outcome::Unchanged;
    }
    match check(root, &commit, policy) {
        Ok((releases, _)) if releases == *served => Outcome::Unchanged,
        Ok((releases, why)) if why.is_empty() => Outcome::Applied { commit, releases },
        Ok((_, why)) => Outcome::Refused { commit, why },
        Err(e) => Outcome::Failed(e),
    }
}

/// The lockfile of `commit` and what the gate, under `policy`, finds blocking in it (nothing:
/// it passes), checked in a temporary worktree of that commit.
fn check(root: &Path, commit: &str, policy: &GatePolicy) -> Result<(Releases, Vec<String>), String> {
    let dir = tempfile::Builder::new().prefix("llmops-follow-").tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    git(root, &["worktree", "add", "--quiet", "--detach", &dir.path().to_string_lossy(), commit])?;
    let tree = Worktree { repo: root.to_owned(), dir };
    let ws = Workspace::discover(tree.dir.path()).map_err(|e| format!("commit {}: {e}", crate::version::short_str(commit)))?;
    let releases = Releases::read(&ws.root).map_err(|d| format!("commit {}: {}", crate::version::short_str(commit), d.message))?;
    // Signed runs are checked against this server's allowed signers, never the branch's.
    let signers = policy.signed_runs.as_ref().map(|s| root.join(&s.allowed_signers));
    let review = crate::gate::review::review(&ws, &releases, &[], policy, signers.as_deref()).map_err(|e| format!("commit {}: {e}", crate::version::short_str(commit)))?;
    let why = review.findings.iter().filter(|f| f.blocking).map(|f| format!("{}: {}", f.subject(), f.reason)).collect();
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
