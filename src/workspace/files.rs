//! Reading a workspace file safely: never through a symbolic link, never outside the
//! work tree. A pulled branch could otherwise link `datasets/x.jsonl` to a credentials file,
//! whose lines would end up in a run's `samples.jsonl` and be pushed by `llmops sync`.

use std::fs;
use std::io::Read;
use std::path::{Component, Path};

use super::WorkspaceError;

/// Opens `rel` (relative to `root`) for reading, refusing a path that is absolute, has `..`,
/// or passes through a symbolic link at any level below `root`.
pub fn open(root: &Path, rel: &str) -> Result<fs::File, WorkspaceError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let rel_path = Path::new(rel);
    let outside = || WorkspaceError::Outside { path: rel.to_owned() };
    if rel_path.is_absolute() || rel_path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(outside());
    }
    let mut at = root.to_owned();
    for component in rel_path.components() {
        at.push(component);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&at).map(|t| t.display().to_string()).unwrap_or_default();
                return Err(WorkspaceError::Symlink { path: at.strip_prefix(root).unwrap_or(&at).display().to_string(), target });
            }
            Ok(_) => {}
            Err(source) => return Err(WorkspaceError::Io { path: root.join(rel), source }),
        }
    }
    // O_NOFOLLOW: a link swapped in after the check is refused by the kernel too.
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(root.join(rel))
        .map_err(|source| WorkspaceError::Io { path: root.join(rel), source })
}

/// The bytes of `rel`, read through [`open`].
pub fn read(root: &Path, rel: &str) -> Result<Vec<u8>, WorkspaceError> {
    let mut file = open(root, rel)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|source| WorkspaceError::Io { path: root.join(rel), source })?;
    Ok(bytes)
}

/// Like [`read`], but a file that does not exist is `None`.
pub fn read_if_exists(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, WorkspaceError> {
    match read(root, rel) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(WorkspaceError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_at_any_level_and_paths_that_leave_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("datasets/sub")).unwrap();
        fs::write(root.join("datasets/ok.jsonl"), "x").unwrap();
        fs::write(root.join("secret"), "key").unwrap();
        std::os::unix::fs::symlink(root.join("secret"), root.join("datasets/link.jsonl")).unwrap();
        std::os::unix::fs::symlink(root.join("datasets/sub"), root.join("linked-dir")).unwrap();
        fs::write(root.join("datasets/sub/a.jsonl"), "y").unwrap();
        assert_eq!(read(root, "datasets/ok.jsonl").unwrap(), b"x");
        assert!(matches!(read(root, "datasets/link.jsonl"), Err(WorkspaceError::Symlink { .. })));
        assert!(matches!(read(root, "linked-dir/a.jsonl"), Err(WorkspaceError::Symlink { .. })));
        assert!(matches!(read(root, "datasets/../secret"), Err(WorkspaceError::Outside { .. })));
        assert!(matches!(read(root, "/etc/passwd"), Err(WorkspaceError::Outside { .. })));
        assert_eq!(read_if_exists(root, "datasets/none.jsonl").unwrap(), None);
        fs::create_dir(root.join("datasets/dir.jsonl")).unwrap();
        assert!(read_if_exists(root, "datasets/dir.jsonl").is_err(), "a folder is an error, not an absent file");
    }
}
