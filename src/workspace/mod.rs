//! A workspace is any git work tree with `.llmops/config.yaml`: prompts, datasets and evals
//! are files under `prompts/`, `datasets/` and `evals/`, found, read and versioned here.

pub mod files;
mod scaffold;
mod validate;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

pub use scaffold::{Action, Created, GITHUB_WORKFLOW_PATH, github_workflow, init};
pub use validate::Report;

use crate::diagnostic::{Diagnostic, nearest};
use crate::names::{Name, NameError};
use crate::spec::config::{CONFIG_PATH, Config};
use crate::spec::dataset::{DatasetFormat, Row, RowReader};
use crate::spec::eval::EvalSpec;
use crate::spec::prompt::Prompt;
use crate::version::{self, Origin, VersionError};

/// The three kinds of versioned files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Prompt,
    Dataset,
    Eval,
}

impl FileKind {
    pub fn dir(self) -> &'static str {
        match self {
            FileKind::Prompt => "prompts",
            FileKind::Dataset => "datasets",
            FileKind::Eval => "evals",
        }
    }

    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Prompt | FileKind::Eval => &["yaml"],
            FileKind::Dataset => &DatasetFormat::EXTENSIONS,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            FileKind::Prompt => "prompt",
            FileKind::Dataset => "dataset",
            FileKind::Eval => "eval",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("`{}` is not inside a git repository", .path.display())]
    NotARepository { path: PathBuf },
    #[error("the git repository at `{}` has no work tree", .path.display())]
    Bare { path: PathBuf },
    #[error("`{}` is not an llmops workspace (no `{CONFIG_PATH}`)", .root.display())]
    NotInitialized { root: PathBuf },
    #[error("{} problem{} found", .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<Diagnostic>),
    #[error("no {} named `{name}` (looked for `{}`)", .kind.noun(), .expected)]
    NotFound { kind: FileKind, name: String, expected: String, suggestion: Option<String> },
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("{} `{name}`: {source}", .kind.noun())]
    Version { kind: FileKind, name: String, source: VersionError },
    #[error("cannot read `{}`: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("`{path}` is a symbolic link (to `{target}`); llmops reads workspace files only as plain files inside the work tree")]
    Symlink { path: String, target: String },
    #[error("`{path}` is outside the workspace")]
    Outside { path: String },
    #[error("`{path}` exists")]
    Exists { path: String },
    /// An eval file names a draft that is not committed (an ignored file, a key, `.env`).
    #[error("`evals/{eval}.yaml` names draft `{path}`, which is not committed: an `experiment:` block may name committed files only (or pass it as `--prompt-file {path}`)")]
    UncommittedDraft { eval: String, path: String },
}

/// Why [`Workspace::call_vars`] found no variables.
#[derive(Debug, thiserror::Error)]
pub enum VarsError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("no eval uses prompt `{prompt}`, so `--row` needs `--dataset NAME`")]
    NoEval { prompt: String },
    #[error("evals use prompt `{prompt}` with datasets {}; choose one with `--dataset NAME`", .datasets.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", "))]
    ManyDatasets { prompt: String, datasets: Vec<String> },
    #[error("no row `{id}` in `{path}`")]
    NoRow { id: String, path: String, dataset: String },
}

/// A versioned file of the workspace, by kind and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceFile {
    pub kind: FileKind,
    pub name: Name,
    /// Relative to the workspace root, with `/` separators.
    pub rel_path: String,
}

/// The content of one version of a file, as text.
#[derive(Debug, Clone)]
pub struct Source {
    pub file: WorkspaceFile,
    pub text: String,
    pub blob: gix::ObjectId,
    pub origin: Origin,
}

impl Source {
    pub fn version(&self) -> String {
        version::short(&self.blob)
    }
}

pub struct Workspace {
    pub root: PathBuf,
    pub repo: gix::Repository,
    pub config: Config,
}

/// Finds the git work tree that holds `start`.
pub fn discover_repo(start: &Path) -> Result<(gix::Repository, PathBuf), WorkspaceError> {
    let repo = gix::discover(start).map_err(|_| WorkspaceError::NotARepository { path: start.to_owned() })?;
    let root = repo
        .workdir()
        .ok_or_else(|| WorkspaceError::Bare { path: repo.path().to_owned() })?
        .to_owned();
    let root = root.canonicalize().unwrap_or(root);
    Ok((repo, root))
}

impl Workspace {
    /// Opens the workspace that holds `start`, parsing its config.
    pub fn discover(start: &Path) -> Result<Workspace, WorkspaceError> {
        let (repo, root) = discover_repo(start)?;
        let Some(bytes) = files::read_if_exists(&root, CONFIG_PATH)? else {
            return Err(WorkspaceError::NotInitialized { root });
        };
        let text = into_text(&root.join(CONFIG_PATH), bytes)?;
        let config = Config::parse(Path::new(CONFIG_PATH), &text).map_err(WorkspaceError::Invalid)?;
        Ok(Workspace { root, repo, config })
    }

    /// The repository's work tree: where `.llmops/models/` and the ledger's repository are.
    /// The same as `root`, except for a snapshot of the index (`gate --staged`), whose files
    /// are read from a temporary folder.
    pub fn repo_root(&self) -> PathBuf {
        // Canonical, as `root` is (the model check's cache is keyed by path).
        self.repo.workdir().and_then(|p| p.canonicalize().ok()).unwrap_or_else(|| self.root.clone())
    }

    /// Where caches live: inside the git directory (`.git/llmops/cache`), which no checkout,
    /// branch or pull can write into.
    pub fn cache_dir(&self) -> PathBuf {
        self.repo.common_dir().join("llmops").join("cache")
    }

    /// Every file of `kind`, sorted by name, and a diagnostic for each file whose name is
    /// not a valid name.
    pub fn list(&self, kind: FileKind) -> Result<(Vec<WorkspaceFile>, Vec<Diagnostic>), WorkspaceError> {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let dir = self.root.join(kind.dir());
        if dir.is_dir() {
            walk(&dir, "", kind, &mut files, &mut problems)?;
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((files, problems))
    }

    /// The file of `kind` named `name`, which must exist in the work tree.
    pub fn find(&self, kind: FileKind, name: &str) -> Result<WorkspaceFile, WorkspaceError> {
        let name = Name::parse(name)?;
        for ext in kind.extensions() {
            let rel_path = format!("{}/{}.{ext}", kind.dir(), name);
            // A link counts as found: reading it then says why it is refused.
            if fs::symlink_metadata(self.root.join(&rel_path)).is_ok_and(|m| !m.is_dir()) {
                return Ok(WorkspaceFile { kind, name, rel_path });
            }
        }
        let (files, _) = self.list(kind)?;
        let suggestion = nearest(name.as_str(), files.iter().map(|f| f.name.as_str())).map(str::to_owned);
        Err(WorkspaceError::NotFound {
            kind,
            name: name.to_string(),
            expected: format!("{}/{}.{}", kind.dir(), name, kind.extensions().join("|")),
            suggestion,
        })
    }

    /// Reads `NAME` (the work tree) or `NAME@REF` (a blob prefix or a git revision). Release
    /// channels (`NAME@production`) belong to the layer above: [`crate::release::load_prompt`].
    pub fn read(&self, kind: FileKind, reference: &str) -> Result<Source, WorkspaceError> {
        let (name, spec) = match reference.split_once('@') {
            Some((name, spec)) => (name, Some(spec)),
            None => (reference, None),
        };
        let Some(spec) = spec else {
            let file = self.find(kind, name)?;
            let bytes = files::read(&self.root, &file.rel_path)?;
            let blob = version::blob_id(&bytes);
            let text = into_text(&self.root.join(&file.rel_path), bytes)?;
            return Ok(Source { file, text, blob, origin: Origin::WorkTree });
        };
        let parsed = Name::parse(name)?;
        let version_err = |source| WorkspaceError::Version { kind, name: name.to_owned(), source };
        // The file may no longer exist in the work tree: try each extension in history.
        let mut last_err = None;
        for ext in kind.extensions() {
            let rel_path = format!("{}/{}.{ext}", kind.dir(), parsed);
            let work_tree = files::read_if_exists(&self.root, &rel_path)?;
            match version::read_at(&self.repo, &rel_path, spec, work_tree.as_deref()) {
                Ok(v) => {
                    let text = into_text(Path::new(&rel_path), v.content)?;
                    let file = WorkspaceFile { kind, name: parsed, rel_path };
                    return Ok(Source { file, text, blob: v.blob, origin: v.origin });
                }
                Err(e @ (VersionError::NotFound { .. } | VersionError::NotAtRevision { .. })) => last_err = Some(e),
                Err(e) => return Err(version_err(e)),
            }
        }
        Err(version_err(last_err.expect("every kind has an extension")))
    }

    pub fn load_prompt(&self, reference: &str) -> Result<(Source, Prompt), WorkspaceError> {
        let source = self.read(FileKind::Prompt, reference)?;
        let prompt = Prompt::parse(Path::new(&source.file.rel_path), &source.text).map_err(WorkspaceError::Invalid)?;
        Ok((source, prompt))
    }

    /// A draft of prompt `name` in any file of the workspace (`drafts/capital-v3.yaml`), as
    /// the work tree holds it: its version is its blob id, like any other version's.
    pub fn load_prompt_file(&self, name: &str, rel_path: &str) -> Result<(Source, Prompt), WorkspaceError> {
        let bytes = files::read(&self.root, rel_path)?;
        let blob = version::blob_id(&bytes);
        let text = into_text(&self.root.join(rel_path), bytes)?;
        let file = WorkspaceFile { kind: FileKind::Prompt, name: Name::parse(name)?, rel_path: rel_path.to_owned() };
        let prompt = Prompt::parse(Path::new(rel_path), &text).map_err(WorkspaceError::Invalid)?;
        Ok((Source { file, text, blob, origin: Origin::WorkTree }, prompt))
    }

    /// Whether `rel_path` is a file of HEAD's tree.
    pub fn is_committed(&self, rel_path: &str) -> bool {
        let tree = self.repo.head_commit().ok().and_then(|c| c.tree().ok());
        tree.and_then(|t| t.lookup_entry_by_path(rel_path).ok().flatten()).is_some_and(|e| e.mode().is_blob())
    }

    pub fn load_eval(&self, reference: &str) -> Result<(Source, EvalSpec), WorkspaceError> {
        let source = self.read(FileKind::Eval, reference)?;
        let spec = EvalSpec::parse(Path::new(&source.file.rel_path), &source.text).map_err(WorkspaceError::Invalid)?;
        Ok((source, spec))
    }

    /// Streams the rows of the work-tree dataset `name`, returning its version too.
    pub fn open_dataset(&self, name: &str) -> Result<(WorkspaceFile, gix::ObjectId, RowReader<Box<dyn BufRead>>), WorkspaceError> {
        let file = self.find(FileKind::Dataset, name)?;
        let path = self.root.join(&file.rel_path);
        let io = |source| WorkspaceError::Io { path: path.clone(), source };
        let mut handle = files::open(&self.root, &file.rel_path)?;
        // Hashed streaming (a dataset of any size is never held), then read again from the start.
        let len = handle.metadata().map_err(io)?.len();
        let blob = version::blob_id_of_reader(&mut handle, len).map_err(io)?;
        std::io::Seek::rewind(&mut handle).map_err(io)?;
        let reader: Box<dyn BufRead> = Box::new(BufReader::new(handle));
        let rows = RowReader::new(Path::new(&file.rel_path), dataset_format(&file), reader);
        Ok((file, blob, rows))
    }

    /// Streams the rows of any version of a dataset (`NAME` or `NAME@REF`).
    pub fn dataset_rows(&self, reference: &str) -> Result<(Source, RowReader<std::io::Cursor<Vec<u8>>>), WorkspaceError> {
        let source = self.read(FileKind::Dataset, reference)?;
        let rows = RowReader::new(
            Path::new(&source.file.rel_path),
            dataset_format(&source.file),
            std::io::Cursor::new(source.text.clone().into_bytes()),
        );
        Ok((source, rows))
    }

    /// The rows of a dataset version (`NAME@BLOB`, as a run pins it) by id, for showing a run's
    /// samples beside their rows. Empty when that version cannot be read; rows that do not
    /// parse are left out (`validate` reports them).
    pub fn pinned_rows(&self, name: &str, blob: &str) -> std::collections::HashMap<String, Row> {
        match self.dataset_rows(&format!("{name}@{blob}")) {
            Ok((_, rows)) => rows.filter_map(Result::ok).map(|r| (r.id.clone(), r)).collect(),
            Err(_) => std::collections::HashMap::new(),
        }
    }

    /// Row `id` of a dataset version (`NAME` or `NAME@REF`): `None` when it has no such row.
    /// An invalid row before it is an error (the row reader stops there).
    pub fn find_row(&self, dataset: &str, id: &str) -> Result<(Source, Option<Row>), WorkspaceError> {
        let (source, rows) = self.dataset_rows(dataset)?;
        for row in rows {
            let row = row.map_err(|d| WorkspaceError::Invalid(vec![d]))?;
            if row.id == id {
                return Ok((source, Some(row)));
            }
        }
        Ok((source, None))
    }

    /// The datasets of the work tree's evals that use prompt `prompt` (evals that do not
    /// parse are skipped: `validate` reports them).
    pub fn datasets_of_prompt(&self, prompt: &str) -> Result<std::collections::BTreeSet<String>, WorkspaceError> {
        let (files, _) = self.list(FileKind::Eval)?;
        let mut datasets = std::collections::BTreeSet::new();
        for file in files {
            let source = self.read(FileKind::Eval, file.name.as_str())?;
            if let Ok(spec) = EvalSpec::parse(Path::new(&file.rel_path), &source.text) {
                if spec.prompt == prompt {
                    datasets.insert(spec.dataset);
                }
            }
        }
        Ok(datasets)
    }

    /// Writes `rows` as `datasets/NAME.jsonl` (atomically); an existing dataset of that name,
    /// in any format, is replaced only when `replace`. Returns the path written.
    pub fn write_dataset(&self, name: &str, rows: &[Row], replace: bool) -> Result<String, WorkspaceError> {
        let name = Name::parse(name)?;
        let rel = format!("{}/{name}.jsonl", FileKind::Dataset.dir());
        let existing = self.find(FileKind::Dataset, name.as_str()).ok();
        if let Some(existing) = &existing {
            if !replace {
                return Err(WorkspaceError::Exists { path: existing.rel_path.clone() });
            }
        }
        let mut text = String::new();
        for row in rows {
            text.push_str(&serde_json::to_string(row).map_err(|e| WorkspaceError::Io { path: self.root.join(&rel), source: std::io::Error::other(e) })?);
            text.push('\n');
        }
        // Never through a symbolic link: the folder must be the work tree's own.
        let dir = self.root.join(FileKind::Dataset.dir());
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(WorkspaceError::Symlink { path: FileKind::Dataset.dir().to_owned(), target: std::fs::read_link(&dir).map(|t| t.display().to_string()).unwrap_or_default() });
        }
        crate::atomic_write::write_atomic(&self.root.join(&rel), text.as_bytes()).map_err(|source| WorkspaceError::Io { path: self.root.join(&rel), source })?;
        // Replacing a dataset of another format removes it: one name, one file.
        if let Some(old) = existing.filter(|e| e.rel_path != rel) {
            std::fs::remove_file(self.root.join(&old.rel_path)).map_err(|source| WorkspaceError::Io { path: self.root.join(&old.rel_path), source })?;
        }
        Ok(rel)
    }

    /// Appends `rows` to dataset `name` (`datasets/NAME.jsonl`, created when new); a dataset
    /// of that name in another format is refused rather than converted. Returns its path.
    pub fn append_rows(&self, name: &str, rows: &[Row]) -> Result<String, WorkspaceError> {
        let Ok(existing) = self.find(FileKind::Dataset, Name::parse(name)?.as_str()) else {
            return self.write_dataset(name, rows, false);
        };
        if !existing.rel_path.ends_with(".jsonl") {
            return Err(WorkspaceError::Exists { path: existing.rel_path });
        }
        let path = self.root.join(&existing.rel_path);
        let mut text = String::from_utf8(files::read(&self.root, &existing.rel_path)?).map_err(|e| WorkspaceError::Io { path: path.clone(), source: std::io::Error::other(e) })?;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for row in rows {
            text.push_str(&serde_json::to_string(row).map_err(|e| WorkspaceError::Io { path: path.clone(), source: std::io::Error::other(e) })?);
            text.push('\n');
        }
        crate::atomic_write::write_atomic(&path, text.as_bytes()).map_err(|source| WorkspaceError::Io { path, source })?;
        Ok(existing.rel_path)
    }

    /// A prompt's template variables for one call: the variables of row `row` (of `dataset`,
    /// or of the one dataset the evals that use `prompt` agree on) overlaid with `vars`; and
    /// the row's id.
    pub fn call_vars(
        &self,
        prompt: &str,
        row: Option<&str>,
        dataset: Option<&str>,
        vars: &[(String, String)],
    ) -> Result<(serde_json::Map<String, serde_json::Value>, Option<String>), VarsError> {
        let found = self.call_row(prompt, row, dataset, vars)?;
        Ok((found.vars, row.map(|_| found.id)))
    }

    /// [`Workspace::call_vars`] as a whole row: with the row's mocked tool results too (an
    /// agent prompt's), or a row of the `vars` alone, id `cli`, without `row`.
    pub fn call_row(&self, prompt: &str, row: Option<&str>, dataset: Option<&str>, vars: &[(String, String)]) -> Result<Row, VarsError> {
        let mut out = Row { id: "cli".into(), vars: serde_json::Map::new(), expected: None, relevant: vec![], labels: vec![], tool_results: serde_json::Map::new(), line: 0 };
        if let Some(id) = row {
            let dataset = match dataset {
                Some(d) => d.to_owned(),
                None => {
                    let datasets = self.datasets_of_prompt(prompt)?;
                    match datasets.len() {
                        1 => datasets.into_iter().next().expect("one element"),
                        0 => return Err(VarsError::NoEval { prompt: prompt.to_owned() }),
                        _ => return Err(VarsError::ManyDatasets { prompt: prompt.to_owned(), datasets: datasets.into_iter().collect() }),
                    }
                }
            };
            let (source, found) = self.find_row(&dataset, id)?;
            out = found.ok_or_else(|| VarsError::NoRow { id: id.to_owned(), path: source.file.rel_path.clone(), dataset: dataset.clone() })?;
        }
        for (k, v) in vars {
            out.vars.insert(k.clone(), serde_json::Value::String(v.clone()));
        }
        Ok(out)
    }

    /// Checks every file of the workspace and reports all problems at once.
    pub fn validate(&self) -> Result<Report, WorkspaceError> {
        validate::run(self)
    }
}

pub fn dataset_format(file: &WorkspaceFile) -> DatasetFormat {
    let ext = file.rel_path.rsplit('.').next().unwrap_or_default();
    DatasetFormat::from_extension(ext).unwrap_or(DatasetFormat::Jsonl)
}

fn into_text(path: &Path, bytes: Vec<u8>) -> Result<String, WorkspaceError> {
    String::from_utf8(bytes).map_err(|e| WorkspaceError::Io {
        path: path.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not UTF-8 text ({e})")),
    })
}

fn walk(
    dir: &Path,
    prefix: &str,
    kind: FileKind,
    files: &mut Vec<WorkspaceFile>,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), WorkspaceError> {
    let entries = fs::read_dir(dir).map_err(|source| WorkspaceError::Io { path: dir.to_owned(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| WorkspaceError::Io { path: dir.to_owned(), source })?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{file_name}");
        let rel_path = format!("{}/{rel}", kind.dir());
        let file_type = entry.file_type().map_err(|source| WorkspaceError::Io { path: entry.path(), source })?;
        if file_type.is_symlink() {
            problems.push(Diagnostic::new(&rel_path, "a symbolic link; llmops reads only plain files inside the work tree, so it is ignored"));
            continue;
        }
        if file_type.is_dir() {
            walk(&entry.path(), &format!("{rel}/"), kind, files, problems)?;
            continue;
        }
        let Some((stem, ext)) = rel.rsplit_once('.') else { continue };
        if !kind.extensions().contains(&ext) {
            if ext == "yml" {
                problems.push(Diagnostic::new(&rel_path, "llmops reads `.yaml` files; this one is ignored")
                    .with_hint(format!("rename it to `{stem}.yaml`")));
            }
            continue;
        }
        match Name::parse(stem) {
            Ok(name) => files.push(WorkspaceFile { kind, name, rel_path }),
            Err(e) => problems.push(Diagnostic::new(&rel_path, format!("{e}; the file is ignored"))),
        }
    }
    Ok(())
}
