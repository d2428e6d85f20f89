//! The git pre-commit hook that runs `llmops gate --staged`. A hook that was there before is
//! kept beside it and still runs first; installing twice changes nothing; uninstalling puts
//! the earlier hook back.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The line that marks a hook as ours.
const MARKER: &str = "# llmops-hook: pre-commit";
/// Where an earlier hook is kept.
const PREVIOUS_SUFFIX: &str = "before-llmops";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Written; no hook was there.
    Installed,
    /// Written; the hook that was there runs first, from its new name.
    Chained,
    /// Ours was there already (rewritten in place, in case the binary moved).
    Refreshed,
    /// Removed; the earlier hook, if any, is back.
    Removed,
    /// Nothing of ours to remove.
    Absent,
}

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("cannot find the hooks folder: {0}")]
    Git(String),
    #[error("`{path}`: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("`{0}` is not an llmops hook and was left as it is")]
    Foreign(PathBuf),
}

/// The hook file git runs (honours `core.hooksPath`).
pub fn hook_path(root: &Path) -> Result<PathBuf, HookError> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--git-path", "hooks/pre-commit"])
        .output()
        .map_err(|e| HookError::Git(e.to_string()))?;
    if !out.status.success() {
        return Err(HookError::Git(String::from_utf8_lossy(&out.stderr).trim().to_owned()));
    }
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Ok(if path.is_absolute() { path } else { root.join(path) })
}

fn previous_path(hook: &Path) -> PathBuf {
    hook.with_file_name(format!("pre-commit.{PREVIOUS_SUFFIX}"))
}

/// The script: the earlier hook first, then the gate on what is staged.
pub fn script(binary: &Path) -> String {
    let quoted = binary.display().to_string().replace('\'', r"'\''");
    format!(
        r#"#!/bin/sh
{MARKER}
# Written by `llmops hook install`; `llmops hook uninstall` removes it.
# Refuses a commit whose prompts or releases lack a passing, untampered eval run.
previous="$(dirname "$0")/pre-commit.{PREVIOUS_SUFFIX}"
if [ -x "$previous" ]; then
  "$previous" "$@" || exit $?
fi
llmops='{quoted}'
[ -x "$llmops" ] || llmops=llmops
exec "$llmops" gate --staged
"#
    )
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.contains(MARKER))
}

/// Installs the hook that runs `binary gate --staged`.
pub fn install(root: &Path, binary: &Path) -> Result<(PathBuf, Outcome), HookError> {
    let hook = hook_path(root)?;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| HookError::Io { path, source }
    };
    if let Some(dir) = hook.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let outcome = if is_ours(&hook) {
        Outcome::Refreshed
    } else if hook.exists() {
        let previous = previous_path(&hook);
        if previous.exists() {
            return Err(HookError::Foreign(previous));
        }
        std::fs::rename(&hook, &previous).map_err(io(&hook))?;
        Outcome::Chained
    } else {
        Outcome::Installed
    };
    crate::atomic_write::write_atomic(&hook, script(binary).as_bytes()).map_err(io(&hook))?;
    make_executable(&hook).map_err(io(&hook))?;
    Ok((hook, outcome))
}

/// Removes our hook and puts back the one it replaced.
pub fn uninstall(root: &Path) -> Result<(PathBuf, Outcome), HookError> {
    let hook = hook_path(root)?;
    if !hook.exists() {
        return Ok((hook, Outcome::Absent));
    }
    if !is_ours(&hook) {
        return Err(HookError::Foreign(hook));
    }
    std::fs::remove_file(&hook).map_err(|source| HookError::Io { path: hook.clone(), source })?;
    let previous = previous_path(&hook);
    if previous.exists() {
        std::fs::rename(&previous, &hook).map_err(|source| HookError::Io { path: previous.clone(), source })?;
    }
    Ok((hook, Outcome::Removed))
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}
