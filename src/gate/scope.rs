//! Which files the gate looks at: the staged set (a pre-commit hook), the changes since a
//! base revision (CI), or the uncommitted changes of the work tree. Git itself answers, so the
//! index a hook sees (`GIT_INDEX_FILE` during `git commit -a`) is the one used.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::release::RELEASES_PATH;
use crate::spec::config::{CONFIG_PATH, Config};
use crate::workspace::Workspace;

/// What the gate compares against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The index against `HEAD`: what the commit being made changes.
    Staged,
    /// The work tree against the merge base of `HEAD` and this revision.
    Base(String),
    /// The work tree against `HEAD`.
    WorkTree,
}

impl Scope {
    pub fn describe(&self) -> String {
        match self {
            Scope::Staged => "the staged changes".into(),
            Scope::Base(r) => format!("the changes since `{r}`"),
            Scope::WorkTree => "the uncommitted changes".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    #[error("`{0}` is not a revision of this repository")]
    UnknownBase(String),
    #[error("`git {command}` failed: {detail}")]
    Git { command: String, detail: String },
}

/// The paths, relative to the work-tree root, whose content the gate depends on.
const WATCHED: [&str; 5] = ["prompts", "datasets", "evals", CONFIG_PATH, RELEASES_PATH];

/// Whether a changed path can change the gate's answer.
pub fn is_watched(path: &str) -> bool {
    WATCHED.iter().any(|w| path == *w || path.strip_prefix(w).is_some_and(|rest| rest.starts_with('/')))
}

/// The changed paths in `scope`, relative to the root; only the watched ones.
pub fn changed_paths(root: &Path, scope: &Scope) -> Result<Vec<String>, ScopeError> {
    let mut paths = match scope {
        Scope::Staged => git_z(root, &["diff", "--cached", "--name-only", "-z", "--no-renames", "--"])?,
        Scope::Base(reference) => {
            let base = merge_base(root, reference)?;
            let mut p = git_z(root, &["diff", "--name-only", "-z", "--no-renames", &base, "--"])?;
            p.extend(untracked(root)?);
            p
        }
        Scope::WorkTree => {
            let mut p = match git_z(root, &["diff", "--name-only", "-z", "--no-renames", "HEAD", "--"]) {
                Ok(p) => p,
                // No commit yet: everything is new.
                Err(_) => git_z(root, &["ls-files", "-z", "--"])?,
            };
            p.extend(untracked(root)?);
            p
        }
    };
    paths.retain(|p| is_watched(p));
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// The merge base of `HEAD` and `reference`, as a commit id.
pub fn merge_base(root: &Path, reference: &str) -> Result<String, ScopeError> {
    if reference.starts_with('-') {
        return Err(ScopeError::UnknownBase(reference.to_owned()));
    }
    Ok(git(root, &["merge-base", reference, "HEAD"]).map_err(|_| ScopeError::UnknownBase(reference.to_owned()))?.trim().to_owned())
}

/// The content of `path` at `commit`, if it has that file.
pub fn show(root: &Path, commit: &str, path: &str) -> Result<Option<Vec<u8>>, ScopeError> {
    let spec = format!("{commit}:{path}");
    let out = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "blob", &spec])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| ScopeError::Git { command: format!("cat-file blob {spec}"), detail: e.to_string() })?;
    Ok(out.status.success().then_some(out.stdout))
}

/// The files under `dir` at `commit`.
pub fn ls_tree(root: &Path, commit: &str, dir: &str) -> Result<Vec<String>, ScopeError> {
    git_z(root, &["ls-tree", "-r", "-z", "--name-only", commit, "--", dir])
}

fn untracked(root: &Path) -> Result<Vec<String>, ScopeError> {
    git_z(root, &["ls-files", "-z", "--others", "--exclude-standard", "--", "prompts", "datasets", "evals", ".llmops"])
}

/// The workspace the pre-commit gate reviews: the index's version of every watched file (and
/// of the allowed-signers file the staged config names) written under `dest`, so the gate
/// reads exactly what is being committed, whatever the work tree holds besides. Runs and
/// models stay the repository's (`Workspace::repo_root`).
pub fn staged_workspace(ws: &Workspace, dest: &Path) -> Result<Workspace, StagedError> {
    checkout_index(&ws.root, dest, &WATCHED)?;
    let config = match crate::workspace::files::read_if_exists(dest, CONFIG_PATH)? {
        Some(bytes) => Config::parse(Path::new(CONFIG_PATH), &String::from_utf8_lossy(&bytes)).map_err(StagedError::Config)?,
        None => ws.config.clone(),
    };
    if let Some(signed) = &config.gate.signed_runs {
        // A path, not a pattern: `*` or `:(glob)` in a staged config must not check out the
        // whole index.
        checkout_index(&ws.root, dest, &[format!(":(literal){}", signed.allowed_signers).as_str()])?;
    }
    Ok(Workspace { root: dest.to_owned(), repo: ws.repo.clone(), config })
}

#[derive(Debug, thiserror::Error)]
pub enum StagedError {
    #[error(transparent)]
    Git(#[from] ScopeError),
    #[error(transparent)]
    Read(#[from] crate::workspace::WorkspaceError),
    #[error("the staged `{CONFIG_PATH}` is invalid")]
    Config(Vec<crate::diagnostic::Diagnostic>),
}

/// Writes the index's version of `paths` under `dest`.
fn checkout_index(root: &Path, dest: &Path, paths: &[&str]) -> Result<(), ScopeError> {
    let mut args = vec!["ls-files", "-z", "--"];
    args.extend(paths);
    let files = git_z(root, &args)?;
    if files.is_empty() {
        return Ok(());
    }
    let prefix = format!("{}/", dest.display());
    let mut child = Command::new("git")
        .current_dir(root)
        .args(["checkout-index", "-z", "--stdin", "-f", &format!("--prefix={prefix}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ScopeError::Git { command: "checkout-index".into(), detail: e.to_string() })?;
    let mut input = Vec::new();
    for f in &files {
        input.extend_from_slice(f.as_bytes());
        input.push(0);
    }
    let write = child.stdin.take().expect("piped").write_all(&input);
    let out = child.wait_with_output().map_err(|e| ScopeError::Git { command: "checkout-index".into(), detail: e.to_string() })?;
    if write.is_err() || !out.status.success() {
        return Err(ScopeError::Git { command: "checkout-index".into(), detail: String::from_utf8_lossy(&out.stderr).trim().to_owned() });
    }
    Ok(())
}

fn git(root: &Path, args: &[&str]) -> Result<String, ScopeError> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| ScopeError::Git { command: args.join(" "), detail: e.to_string() })?;
    if !out.status.success() {
        return Err(ScopeError::Git { command: args.join(" "), detail: String::from_utf8_lossy(&out.stderr).trim().to_owned() });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn git_z(root: &Path, args: &[&str]) -> Result<Vec<String>, ScopeError> {
    Ok(git(root, args)?.split('\0').filter(|s| !s.is_empty()).map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::is_watched;

    #[test]
    fn watches_the_workspace_files_only() {
        for p in ["prompts/a.yaml", "prompts/team/b.yaml", "datasets/x.jsonl", "evals/e.yaml", ".llmops/config.yaml", ".llmops/releases.yaml"] {
            assert!(is_watched(p), "{p}");
        }
        for p in ["src/main.rs", "prompts.md", "README.md", ".llmops/models/m.gguf", "promptsx/a.yaml"] {
            assert!(!is_watched(p), "{p}");
        }
    }
}
