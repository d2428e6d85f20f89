//! Versions of workspace files. A version is the git blob id of the file's content, the
//! value `git hash-object FILE` prints, so it exists before a commit and is the same on
//! every machine. References `name@<blob-prefix>` and `name@<git-rev>` read a version from
//! git without checking anything out.

use std::path::Path;

use gix::ObjectId;
use gix::revision::walk::Sorting;
use gix::traverse::commit::simple::CommitTimeOrder;

/// How many hex digits of a blob id are shown.
pub const SHORT_LEN: usize = 10;

/// The git blob id of `content`.
///
/// Hashed with the `sha1` crate (SHA-NI where the CPU has it) rather than gix's collision-
/// detecting SHA-1, which measured 8 MB/s on this project's machine: a blob id is a version
/// label, computed for every dataset and every run file.
pub fn blob_id(content: &[u8]) -> ObjectId {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    hasher.update(format!("blob {}\0", content.len()).as_bytes());
    hasher.update(content);
    ObjectId::from_bytes_or_panic(&hasher.finalize())
}

/// The git blob id of the `len` bytes `reader` yields, read in pieces.
pub fn blob_id_of_reader(reader: &mut impl std::io::Read, len: u64) -> std::io::Result<ObjectId> {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    hasher.update(format!("blob {len}\0").as_bytes());
    let mut buf = vec![0u8; 64 * 1024];
    let mut seen = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        seen += n as u64;
        hasher.update(&buf[..n]);
    }
    if seen != len {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, format!("expected {len} bytes, read {seen}")));
    }
    Ok(ObjectId::from_bytes_or_panic(&hasher.finalize()))
}

pub fn short(id: &ObjectId) -> String {
    id.to_hex_with_len(SHORT_LEN).to_string()
}

/// The first ten characters of an id held as text (what a run or lockfile says, which may be
/// hand-edited: shorter or not hex at all).
pub fn short_str(id: &str) -> &str {
    match id.char_indices().nth(SHORT_LEN) {
        Some((end, _)) => &id[..end],
        None => id,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VersionError {
    #[error("no version `{spec}` of `{path}` found in the work tree or in the history of HEAD")]
    NotFound { path: String, spec: String },
    #[error("`{spec}` is ambiguous or unreadable: {detail}")]
    Git { spec: String, detail: String },
    #[error("`{rev}` has no file `{path}`")]
    NotAtRevision { rev: String, path: String },
    #[error("cannot read the git history: {0}")]
    History(String),
}

/// Where a version's content came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Origin {
    WorkTree,
    /// The file as of this commit.
    Commit(String),
    /// A blob id given directly.
    Blob,
}

/// The content of one version of a file.
#[derive(Debug, Clone)]
pub struct Versioned {
    pub content: Vec<u8>,
    pub blob: ObjectId,
    pub origin: Origin,
}

/// One version in a file's history: where it first appeared.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryEntry {
    #[serde(serialize_with = "hex")]
    pub blob: ObjectId,
    /// The first commit whose tree holds this version; `None` for an uncommitted work-tree version.
    #[serde(serialize_with = "hex_opt")]
    pub commit: Option<ObjectId>,
    /// Commit time, seconds since the epoch.
    pub time: Option<i64>,
    pub subject: Option<String>,
}

fn hex<S: serde::Serializer>(id: &ObjectId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&id.to_string())
}

fn hex_opt<S: serde::Serializer>(id: &Option<ObjectId>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.serialize_str(&id.to_string()),
        None => s.serialize_none(),
    }
}

/// The versions of `path` (relative to the work tree) in order of first appearance in the
/// history of HEAD, oldest first; the work-tree content comes last when it is new.
pub fn history(repo: &gix::Repository, path: &str, work_tree: Option<&[u8]>) -> Result<Vec<HistoryEntry>, VersionError> {
    let err = |e: &dyn std::fmt::Display| VersionError::History(e.to_string());
    let mut entries: Vec<HistoryEntry> = Vec::new();
    if let Ok(head) = repo.head_id() {
        let walk = repo
            .rev_walk([head.detach()])
            .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
            .all()
            .map_err(|e| err(&e))?;
        let mut newest_first = Vec::new();
        for info in walk {
            let info = info.map_err(|e| err(&e))?;
            let commit = info.object().map_err(|e| err(&e))?;
            let tree = commit.tree().map_err(|e| err(&e))?;
            if let Some(entry) = tree.lookup_entry_by_path(path).map_err(|e| err(&e))? {
                if entry.mode().is_blob() {
                    newest_first.push((entry.object_id(), commit));
                }
            }
        }
        for (blob, commit) in newest_first.into_iter().rev() {
            if entries.iter().any(|e| e.blob == blob) {
                continue;
            }
            let time = commit.time().ok().map(|t| t.seconds);
            let subject = commit
                .message()
                .ok()
                .map(|m| m.summary().to_string());
            entries.push(HistoryEntry { blob, commit: Some(commit.id), time, subject });
        }
    }
    if let Some(content) = work_tree {
        let blob = blob_id(content);
        if !entries.iter().any(|e| e.blob == blob) {
            entries.push(HistoryEntry { blob, commit: None, time: None, subject: None });
        }
    }
    Ok(entries)
}

/// Reads version `spec` of `path`: a blob-id prefix of one of its versions, or any git
/// revision (`HEAD~2`, `main`, a tag, a commit prefix).
pub fn read_at(
    repo: &gix::Repository,
    path: &str,
    spec: &str,
    work_tree: Option<&[u8]>,
) -> Result<Versioned, VersionError> {
    let is_hex = spec.len() >= 4 && spec.len() <= 40 && spec.bytes().all(|b| b.is_ascii_hexdigit());
    if is_hex {
        let spec_lower = spec.to_ascii_lowercase();
        if let Some(content) = work_tree {
            let blob = blob_id(content);
            if blob.to_string().starts_with(&spec_lower) {
                return Ok(Versioned { content: content.to_vec(), blob, origin: Origin::WorkTree });
            }
        }
        // A whole blob id names the object itself, committed or not (`git hash-object -w`).
        if let Ok(id) = ObjectId::from_hex(spec_lower.as_bytes()) {
            if let Ok(blob) = repo.find_blob(id) {
                return Ok(Versioned { content: blob.data.clone(), blob: id, origin: Origin::Blob });
            }
        }
        let versions = history(repo, path, None)?;
        let matching: Vec<_> = versions.iter().filter(|e| e.blob.to_string().starts_with(&spec_lower)).collect();
        match matching.as_slice() {
            [one] => {
                let blob = repo.find_blob(one.blob).map_err(|e| VersionError::Git { spec: spec.into(), detail: e.to_string() })?;
                return Ok(Versioned { content: blob.data.clone(), blob: one.blob, origin: Origin::Blob });
            }
            [] => {}
            _ => {
                return Err(VersionError::Git {
                    spec: spec.into(),
                    detail: format!("{} versions of `{path}` start with it; give more digits", matching.len()),
                });
            }
        }
    }
    let commit = match repo.rev_parse_single(spec) {
        Ok(id) => id,
        Err(_) if is_hex => return Err(VersionError::NotFound { path: path.into(), spec: spec.into() }),
        Err(e) => return Err(VersionError::Git { spec: spec.into(), detail: e.to_string() }),
    };
    let commit = commit
        .object()
        .and_then(|o| Ok(o.peel_to_commit()?))
        .map_err(|e| VersionError::Git { spec: spec.into(), detail: e.to_string() })?;
    let tree = commit.tree().map_err(|e| VersionError::Git { spec: spec.into(), detail: e.to_string() })?;
    let entry = tree
        .lookup_entry_by_path(Path::new(path))
        .map_err(|e| VersionError::Git { spec: spec.into(), detail: e.to_string() })?
        .filter(|e| e.mode().is_blob())
        .ok_or_else(|| VersionError::NotAtRevision { rev: spec.into(), path: path.into() })?;
    let blob = repo
        .find_blob(entry.object_id())
        .map_err(|e| VersionError::Git { spec: spec.into(), detail: e.to_string() })?;
    Ok(Versioned { content: blob.data.clone(), blob: entry.object_id(), origin: Origin::Commit(commit.id.to_string()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_match_git_hash_object() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(blob_id(b"hello\n").to_string(), "ce013625030ba8dba906f756967f9e9ca394464a");
        // the empty blob
        assert_eq!(blob_id(b"").to_string(), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }

    #[test]
    fn blob_ids_of_streams_match_those_of_bytes() {
        let content = vec![7u8; 200_000];
        assert_eq!(blob_id_of_reader(&mut &content[..], 200_000).unwrap(), blob_id(&content));
        assert!(blob_id_of_reader(&mut &content[..], 200_001).is_err());
    }

    #[test]
    fn short_str_never_panics_on_hand_edited_ids() {
        assert_eq!(short_str("e69de29bb2d1d6434b8b"), "e69de29bb2");
        assert_eq!(short_str("abc"), "abc");
        assert_eq!(short_str("ééééééééééé"), "éééééééééé");
    }
}
