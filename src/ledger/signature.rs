//! Signed runs, with git's own signing and verification. `verify` shows that a run agrees
//! with itself and its eval; it cannot show who recorded it: anyone who can push
//! `refs/llmops/*` can write a run. A run commit signed with the recorder's git signing key
//! (`gpg.format` ssh or openpgp, `user.signingkey`) and checked against an allowed-signers
//! file lets a team require that a channel's releases rest on runs recorded by CI.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use gix::ObjectId;

use super::LedgerError;

/// Writes a signed commit of `tree` (on `parent`) with `git commit-tree -S`, which signs with
/// the user's configured key and format; the ref is not moved.
pub fn commit_signed(repo_dir: &Path, tree: ObjectId, parent: Option<ObjectId>, message: &str, who: (&str, &str)) -> Result<ObjectId, LedgerError> {
    let mut cmd = Command::new("git");
    cmd.current_dir(repo_dir).args(["commit-tree", "-S", "-F", "-"]).arg(tree.to_string());
    if let Some(p) = parent {
        cmd.arg("-p").arg(p.to_string());
    }
    // The identity the unsigned path uses too, when the repository has none (CI).
    for (var, value) in [("GIT_AUTHOR_NAME", who.0), ("GIT_AUTHOR_EMAIL", who.1), ("GIT_COMMITTER_NAME", who.0), ("GIT_COMMITTER_EMAIL", who.1)] {
        if std::env::var_os(var).is_none() {
            cmd.env(var, value);
        }
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| LedgerError::Sign(format!("cannot run git: {e}")))?;
    child.stdin.take().map(|mut s| s.write_all(message.as_bytes())).transpose().map_err(|e| LedgerError::Sign(e.to_string()))?;
    let out = child.wait_with_output().map_err(|e| LedgerError::Sign(e.to_string()))?;
    if !out.status.success() {
        return Err(LedgerError::Sign(format!(
            "`git commit-tree -S` failed: {} (set `user.signingkey`, and `gpg.format ssh` for an ssh key)",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().map_err(|_| LedgerError::Sign("git printed no commit id".into()))
}

/// Moves `reference` to `new` only if it still points at `old` (none: only if it does not
/// exist), as git's own compare-and-swap.
pub fn move_ref(repo_dir: &Path, reference: &str, new: ObjectId, old: Option<ObjectId>) -> Result<(), LedgerError> {
    let old = old.map(|o| o.to_string()).unwrap_or_else(|| "0".repeat(40));
    let out = Command::new("git")
        .current_dir(repo_dir)
        .args(["update-ref", "-m", "llmops: record run", reference, &new.to_string(), &old])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| LedgerError::Git(e.to_string()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(LedgerError::Git(String::from_utf8_lossy(&out.stderr).trim().to_owned()))
    }
}

/// Who signed run `id`, if git verifies its ssh signature as good against `allowed_signers`.
/// Only ssh signatures count: git would call an openpgp signature good for any key the local
/// keyring trusts, which the allowed-signers file could not restrict.
pub fn signed_by(repo_dir: &Path, id: &str, allowed_signers: &Path) -> Result<String, String> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("`{id}` is not a run id"));
    }
    let raw = Command::new("git")
        .current_dir(repo_dir)
        .args(["cat-file", "commit", id])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let header = String::from_utf8_lossy(&raw.stdout);
    let header = header.split("\n\n").next().unwrap_or_default();
    if header.contains("\ngpgsig -----BEGIN PGP SIGNATURE") {
        return Err("it is signed with openpgp; only ssh signatures are checked against the allowed signers".into());
    }
    let out = Command::new("git")
        .current_dir(repo_dir)
        .arg("-c")
        .arg(format!("gpg.ssh.allowedSignersFile={}", allowed_signers.display()))
        .args(["log", "-1", "--no-walk", "--format=%G?%x00%GS%x00%GK", id])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.trim_end().split('\0');
    let (status, signer, key) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    match status {
        "G" => Ok(signer.to_owned()),
        "N" | "" => Err("it is not signed".into()),
        "U" => Err(format!("its key {key} is not in the allowed signers")),
        "B" => Err("its signature is bad".into()),
        "X" | "Y" => Err("its signature or key has expired".into()),
        "R" => Err("its key is revoked".into()),
        other => Err(format!("git cannot check its signature ({other})")),
    }
}
