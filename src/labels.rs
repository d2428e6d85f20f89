//! People's labels of samples: `.llmops/labels/<eval>.jsonl`, committed beside the prompts.
//! A label attaches to an output (row id, repeat, the output's sha256), so it still applies to
//! a later run that gave the same output, and a changed output is seen as unlabelled. Each
//! reviewer (their git identity) has at most one label per output: labelling again replaces it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What a person said of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    Pass,
    Fail,
    /// A score on the eval's scale.
    Score(f64),
}

impl Mark {
    pub fn describe(&self) -> String {
        match self {
            Mark::Pass => "pass".into(),
            Mark::Fail => "fail".into(),
            Mark::Score(s) => format!("score {s}"),
        }
    }
}

impl Serialize for Mark {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Mark::Pass => s.serialize_str("pass"),
            Mark::Fail => s.serialize_str("fail"),
            Mark::Score(x) => s.serialize_f64(*x),
        }
    }
}

impl<'de> Deserialize<'de> for Mark {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) if s == "pass" => Ok(Mark::Pass),
            serde_json::Value::String(s) if s == "fail" => Ok(Mark::Fail),
            serde_json::Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => Ok(Mark::Score(n.as_f64().unwrap_or_default())),
            other => Err(serde::de::Error::custom(format!("`label` must be \"pass\", \"fail\" or a number, not {other}"))),
        }
    }
}

/// One line of a labels file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub id: String,
    #[serde(default)]
    pub repeat: u32,
    pub output_sha256: String,
    /// `Name <email>`, from git's `user.name` and `user.email`.
    pub reviewer: String,
    pub label: Mark,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The answer the sample should have given, when the reviewer wrote one (curation uses it
    /// as the row's `expected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// When, in seconds since the epoch.
    pub time: i64,
    /// The run the sample was labelled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
}

impl Label {
    /// Whether `self` labels the same output as `other`, by the same reviewer.
    fn same_slot(&self, other: &Label) -> bool {
        self.id == other.id && self.repeat == other.repeat && self.output_sha256 == other.output_sha256 && self.reviewer == other.reviewer
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LabelsError {
    #[error("cannot read `{}`: {source}", .path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write `{}`: {source}", .path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("`{path}` line {line}: {message}")]
    Line { path: String, line: usize, message: String },
    #[error("labels need a reviewer: set `git config user.name` and `git config user.email`")]
    NoIdentity,
    /// A symbolic link on the way, or a file that cannot be opened safely.
    #[error(transparent)]
    Workspace(#[from] crate::workspace::WorkspaceError),
}

/// The labels file of eval `eval`, relative to the workspace root.
pub fn rel_path(eval: &str) -> String {
    format!(".llmops/labels/{eval}.jsonl")
}

/// The sha256 of an output, as labels name it.
pub fn output_sha256(output: &str) -> String {
    use sha2::Digest;
    crate::text::hex(&sha2::Sha256::digest(output.as_bytes()))
}

/// Every label of eval `eval`, in file order; none when the file does not exist. A line that
/// is not a label is an error naming it.
pub fn read(root: &Path, eval: &str) -> Result<Vec<Label>, LabelsError> {
    let rel = rel_path(eval);
    // Through the workspace's reader: a symbolic link anywhere on the way is refused.
    let Some(bytes) = crate::workspace::files::read_if_exists(root, &rel)? else { return Ok(Vec::new()) };
    let text = String::from_utf8(bytes).map_err(|e| LabelsError::Read { path: root.join(&rel), source: std::io::Error::other(e) })?;
    parse(&rel, &text)
}

/// The labels of a labels file's text (`rel` names it in errors).
pub fn parse(rel: &str, text: &str) -> Result<Vec<Label>, LabelsError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let label: Label = serde_json::from_str(line).map_err(|e| LabelsError::Line { path: rel.to_owned(), line: i + 1, message: e.to_string() })?;
        out.push(label);
    }
    Ok(out)
}

fn write(root: &Path, eval: &str, labels: &[Label]) -> Result<(), LabelsError> {
    let rel = rel_path(eval);
    // Never through a symbolic link (a pulled branch may commit `.llmops/labels` as one).
    let mut at = root.to_path_buf();
    for part in rel.split('/') {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(crate::workspace::WorkspaceError::Symlink { path: at.strip_prefix(root).unwrap_or(&at).display().to_string(), target: std::fs::read_link(&at).map(|t| t.display().to_string()).unwrap_or_default() }.into());
        }
    }
    let path = root.join(&rel);
    let mut bytes = Vec::new();
    for label in labels {
        // A label always serialises.
        bytes.extend(serde_json::to_vec(label).unwrap_or_default());
        bytes.push(b'\n');
    }
    crate::atomic_write::write_atomic(&path, &bytes).map_err(|source| LabelsError::Write { path, source })
}

/// Adds `label`, replacing the reviewer's earlier label of the same output; returns the one it
/// replaced.
pub fn put(root: &Path, eval: &str, label: Label) -> Result<Option<Label>, LabelsError> {
    let mut labels = read(root, eval)?;
    let replaced = match labels.iter().position(|l| l.same_slot(&label)) {
        Some(i) => Some(std::mem::replace(&mut labels[i], label)),
        None => {
            labels.push(label);
            None
        }
    };
    write(root, eval, &labels)?;
    Ok(replaced)
}

/// Takes back what `put` did: removes `label`'s slot, or puts back the label it replaced.
pub fn undo(root: &Path, eval: &str, label: &Label, replaced: Option<Label>) -> Result<(), LabelsError> {
    let mut labels = read(root, eval)?;
    match (labels.iter().position(|l| l.same_slot(label)), replaced) {
        (Some(i), Some(old)) => labels[i] = old,
        (Some(i), None) => {
            labels.remove(i);
        }
        (None, Some(old)) => labels.push(old),
        (None, None) => {}
    }
    write(root, eval, &labels)
}

/// `Name <email>` of the person at the keyboard: git's committer identity (`user.name` and
/// `user.email`, or `GIT_COMMITTER_NAME` and `GIT_COMMITTER_EMAIL`).
pub fn reviewer(repo: &gix::Repository) -> Result<String, LabelsError> {
    match repo.committer() {
        Some(Ok(sig)) if !sig.name.is_empty() || !sig.email.is_empty() => Ok(format!("{} <{}>", sig.name, sig.email)),
        _ => Err(LabelsError::NoIdentity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(id: &str, reviewer: &str, mark: Mark) -> Label {
        Label { id: id.into(), repeat: 0, output_sha256: output_sha256("Paris"), reviewer: reviewer.into(), label: mark, note: None, expected: None, time: 1, run: None }
    }

    #[test]
    fn a_reviewer_has_one_label_per_output_and_undo_restores_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(read(root, "e").unwrap(), []);
        let first = label("france", "Ada <a@x>", Mark::Pass);
        assert_eq!(put(root, "e", first.clone()).unwrap(), None);
        put(root, "e", label("france", "Bo <b@x>", Mark::Fail)).unwrap();
        let again = label("france", "Ada <a@x>", Mark::Score(4.0));
        assert_eq!(put(root, "e", again.clone()).unwrap(), Some(first.clone()));
        let now = read(root, "e").unwrap();
        assert_eq!(now.len(), 2);
        assert_eq!(now[0].label, Mark::Score(4.0));
        undo(root, "e", &again, Some(first.clone())).unwrap();
        assert_eq!(read(root, "e").unwrap()[0], first);
        undo(root, "e", &first, None).unwrap();
        assert_eq!(read(root, "e").unwrap().len(), 1);
        let text = std::fs::read_to_string(root.join(rel_path("e"))).unwrap();
        assert!(text.contains(r#""label":"fail""#), "{text}");
    }

    #[test]
    fn labels_never_go_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".llmops")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join(".llmops/labels")).unwrap();
        std::fs::write(outside.path().join("e.jsonl"), "").unwrap();
        assert!(matches!(put(dir.path(), "e", label("a", "r", Mark::Pass)), Err(LabelsError::Workspace(_))));
        assert!(read(dir.path(), "e").is_err());
        assert_eq!(std::fs::read_to_string(outside.path().join("e.jsonl")).unwrap(), "", "nothing written outside");
    }

    #[test]
    fn a_bad_line_is_named() {
        let err = parse(".llmops/labels/e.jsonl", "\n{\"id\":\"a\",\"output_sha256\":\"x\",\"reviewer\":\"r\",\"label\":\"maybe\",\"time\":1}\n").unwrap_err();
        assert!(err.to_string().starts_with("`.llmops/labels/e.jsonl` line 2: `label` must be"), "{err}");
        let ok = parse("f", "{\"id\":\"a\",\"output_sha256\":\"x\",\"reviewer\":\"r\",\"label\":3.5,\"time\":1}").unwrap();
        assert_eq!(ok[0].label, Mark::Score(3.5));
    }
}
