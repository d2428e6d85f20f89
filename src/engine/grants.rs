//! Which API keys may be sent to which hosts. A model's `base_url` and `api_key_env` come
//! from the repository, so a pulled branch could name any host and any variable
//! (`GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`) and have it sent as a bearer token. A key goes to
//! a host other than this machine only once the person at the keyboard has allowed that pair:
//! `llmops model allow NAME` (remembered per user, outside every repository) or
//! `LLMOPS_ALLOW_KEYS=VAR@host,…` in the environment (CI). Hosts come from
//! [`crate::endpoint::host_of`].

use std::io::Write as _;
use std::path::PathBuf;

/// The file of the user's grants: `$LLMOPS_CONFIG_DIR`, else `$XDG_CONFIG_HOME/llmops`, else
/// `~/.config/llmops`, then `allowed-keys`.
pub fn grants_file() -> Option<PathBuf> {
    let dir = std::env::var_os("LLMOPS_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CONFIG_HOME").map(|d| PathBuf::from(d).join("llmops")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config/llmops")))?;
    Some(dir.join("allowed-keys"))
}

fn entry(var: &str, host: &str) -> String {
    format!("{var}@{host}")
}

/// Whether `$var` may be sent to `host`.
pub fn is_granted(var: &str, host: &str) -> bool {
    let wanted = entry(var, host);
    let from_env = std::env::var("LLMOPS_ALLOW_KEYS").unwrap_or_default();
    if from_env.split([',', ' ', '\n']).any(|e| e.trim() == wanted) {
        return true;
    }
    grants_file().and_then(|f| std::fs::read_to_string(f).ok()).is_some_and(|text| text.lines().any(|l| l.trim() == wanted))
}

/// Remembers that `$var` may be sent to `host`; the file it is written to.
pub fn grant(var: &str, host: &str) -> std::io::Result<PathBuf> {
    let file = grants_file().ok_or_else(|| std::io::Error::other("no home folder to remember the grant in (set LLMOPS_CONFIG_DIR)"))?;
    if is_granted(var, host) {
        return Ok(file);
    }
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&file)?;
    writeln!(f, "{}", entry(var, host))?;
    Ok(file)
}
