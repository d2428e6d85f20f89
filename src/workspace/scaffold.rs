//! `llmops init`: the skeleton of a workspace, written without ever overwriting a file.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::{WorkspaceError, discover_repo};
use crate::spec::config::{CONFIG_PATH, Config};

/// What happened to one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    /// The file was there already and was left as it was.
    Kept,
    /// Lines were appended (`.gitignore`).
    Updated,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Created {
    pub path: String,
    pub action: Action,
}

const IGNORED: [&str; 3] = [".llmops/models/", ".llmops/cache/", ".llmops/index/"];

const EXAMPLE_PROMPT: &str = r#"# A prompt: chat messages as minijinja templates over a dataset row's `vars`.
description: Name the capital city of a country.
params:
  temperature: 0
  max_tokens: 24
messages:
  - role: system
    content: You are a geography expert. Answer with the name of the city only.
  - role: user
    content: What is the capital of {{ country }}?
"#;

const EXAMPLE_DATASET: &str = r#"{"id": "france", "vars": {"country": "France"}, "expected": "Paris", "labels": ["europe"]}
{"id": "japan", "vars": {"country": "Japan"}, "expected": "Tokyo", "labels": ["asia"]}
{"id": "italy", "vars": {"country": "Italy"}, "expected": "Rome", "labels": ["europe"]}
{"id": "egypt", "vars": {"country": "Egypt"}, "expected": "Cairo", "labels": ["africa"]}
{"id": "germany", "vars": {"country": "Germany"}, "expected": "Berlin", "labels": ["europe"]}
"#;

const EXAMPLE_EVAL: &str = r#"# An eval: the prompt, the dataset, how each answer is graded, and the gate.
description: The answer names the expected capital, briefly.
prompt: capital
dataset: capitals
graders:
  - name: correct
    type: icontains
    value: "{{ expected }}"
  - name: brief
    type: word-count
    max: 8
    weight: 0
gate:
  min_pass_rate: 0.6
"#;

/// Writes the workspace skeleton into the git work tree that holds `start`.
pub fn init(start: &Path) -> Result<(std::path::PathBuf, Vec<Created>), WorkspaceError> {
    let (_, root) = discover_repo(start)?;
    let mut done = Vec::new();
    let files = [
        (CONFIG_PATH, Config::template()),
        ("prompts/capital.yaml", EXAMPLE_PROMPT),
        ("datasets/capitals.jsonl", EXAMPLE_DATASET),
        ("evals/capital.yaml", EXAMPLE_EVAL),
    ];
    // Each folder gets its example only when it is new: an existing workspace keeps its own.
    for (rel, content) in files {
        let path = root.join(rel);
        if path.exists() {
            done.push(Created { path: rel.to_owned(), action: Action::Kept });
            continue;
        }
        let folder = root.join(rel.split('/').next().unwrap_or_default());
        if rel != CONFIG_PATH && has_files(&folder) {
            continue;
        }
        write_new(&path, content.as_bytes()).map_err(|source| WorkspaceError::Io { path: path.clone(), source })?;
        done.push(Created { path: rel.to_owned(), action: Action::Created });
    }
    let gitignore = root.join(".gitignore");
    let action = ensure_ignored(&gitignore).map_err(|source| WorkspaceError::Io { path: gitignore, source })?;
    done.push(Created { path: ".gitignore".into(), action });
    Ok((root, done))
}

fn has_files(dir: &Path) -> bool {
    fs::read_dir(dir).map(|mut entries| entries.next().is_some()).unwrap_or(false)
}

/// Writes `content` to a new file atomically: a temporary file is linked into place, which
/// fails if `path` appeared meanwhile, so nothing is ever overwritten or half-written.
fn write_new(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().expect("workspace paths have a parent");
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp-{}", path.file_name().unwrap_or_default().to_string_lossy(), std::process::id()));
    let mut file = fs::File::create(&tmp)?;
    file.write_all(content)?;
    file.sync_all()?;
    drop(file);
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    linked
}

/// Appends the ignore lines that `.gitignore` lacks.
fn ensure_ignored(path: &Path) -> std::io::Result<Action> {
    let existing = match fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let present = |line: &str| {
        existing.as_deref().unwrap_or_default().lines().any(|l| {
            let l = l.trim().trim_start_matches('/');
            l == line || l == line.trim_end_matches('/')
        })
    };
    let missing: Vec<&str> = IGNORED.into_iter().filter(|l| !present(l)).collect();
    if missing.is_empty() {
        return Ok(Action::Kept);
    }
    let mut text = existing.clone().unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# llmops: downloaded models, response cache, retrieval indexes\n");
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    crate::atomic_write::write_atomic(path, text.as_bytes())?;
    Ok(if existing.is_some() { Action::Updated } else { Action::Created })
}

/// Where `llmops init --ci github` writes its workflow.
pub const GITHUB_WORKFLOW_PATH: &str = ".github/workflows/llmops.yml";

/// Writes the GitHub Actions workflow that runs the gate on every pull request and push to
/// main; an existing file is kept. In llmops's own repository the workflow builds llmops from
/// the checkout; elsewhere it installs it with cargo.
pub fn github_workflow(start: &Path, shards: Option<u32>) -> Result<Created, WorkspaceError> {
    let (_, root) = discover_repo(start)?;
    let path = root.join(GITHUB_WORKFLOW_PATH);
    if path.exists() {
        return Ok(Created { path: GITHUB_WORKFLOW_PATH.into(), action: Action::Kept });
    }
    let own_source = fs::read_to_string(root.join("Cargo.toml")).is_ok_and(|t| t.lines().any(|l| l.trim() == "name = \"llmops\""));
    let install = if own_source {
        "      - name: Build llmops from this checkout\n        run: |\n          cargo build --release --locked\n          echo \"$PWD/target/release\" >> \"$GITHUB_PATH\"\n".to_owned()
    } else {
        format!(
            "      - name: Install llmops\n        # Or download a prebuilt binary, or `cargo install --git` from where you keep llmops.\n        run: cargo install --locked llmops@{}\n",
            env!("CARGO_PKG_VERSION")
        )
    };
    let template = match shards {
        None => GITHUB_WORKFLOW,
        Some(_) => GITHUB_SHARDED_WORKFLOW,
    };
    // The steps both workflows share, written once.
    let template = template.replace("{toolchain}", TOOLCHAIN_STEPS).replace("{gate}", GATE_STEP).replace("{upload}", UPLOAD_STEP);
    let text = match shards {
        None => template.replace("{install}", &install),
        Some(n) => template
            .replace("{install}", &install)
            .replace("{shards}", &n.to_string())
            .replace("{matrix}", &(1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")),
    };
    write_new(&path, text.as_bytes()).map_err(|source| WorkspaceError::Io { path: path.clone(), source })?;
    Ok(Created { path: GITHUB_WORKFLOW_PATH.into(), action: Action::Created })
}

/// Installing what llmops builds with, and llmops itself (`{install}`).
const TOOLCHAIN_STEPS: &str = r#"      - name: Install what llama.cpp builds with
        run: sudo apt-get update && sudo apt-get install -y cmake clang libclang-dev
      - uses: actions/cache@v4
        with:
          path: |
            ~/.cargo/registry
            ~/.cargo/git
            ~/.cargo/bin
            target
          key: llmops-${{ runner.os }}-${{ hashFiles('**/Cargo.lock') }}
{install}"#;

/// The gate, with the JUnit file, the step summary and the HTML report.
const GATE_STEP: &str = r#"      - name: Gate
        run: >
          llmops gate
          --base "origin/${{ github.base_ref || github.event.repository.default_branch }}"
          --junit llmops-gate.xml
          --summary "$GITHUB_STEP_SUMMARY"
          --report llmops-report.html
"#;

/// The gate's files, uploaded whatever the verdict.
const UPLOAD_STEP: &str = r#"      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: llmops-gate
          path: |
            llmops-gate.xml
            llmops-report.html
"#;

const GITHUB_WORKFLOW: &str = r#"# Written by `llmops init --ci github`: the llmops gate on every pull request and push.
# It needs no model: it checks the recorded runs (`refs/llmops/*`, pushed by `llmops sync`).
name: llmops gate
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the gate compares against the merge base
      - name: Fetch the recorded eval runs
        run: git fetch --no-tags origin '+refs/llmops/*:refs/llmops/*'
{toolchain}{gate}{upload}"#;

const GITHUB_SHARDED_WORKFLOW: &str = r#"# Written by `llmops init --ci github --shards {shards}`: every eval split over {shards} jobs, each
# recording a shard run (`llmops eval --shard I/{shards}`); a last job merges each eval's shards into
# one complete run (`llmops merge`) and runs the llmops gate on it. A shard run alone never
# counts for the gate.
#
# The jobs need the models the evals use: an OpenAI-compatible endpoint the runners reach, or a
# step that puts the GGUF files into `.llmops/models/` (git-ignored).
name: llmops gate
on:
  pull_request:
  push:
    branches: [main]
permissions:
  # The shard jobs push their runs to `refs/llmops/shards/<workflow run>/`; pull requests from
  # forks cannot push, and run the evals elsewhere.
  contents: write
env:
  SHARDS_REF: refs/llmops/shards/${{ github.run_id }}-${{ github.run_attempt }}
jobs:
  shard:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        shard: [{matrix}]
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - name: Fetch the recorded eval runs
        run: git fetch --no-tags origin '+refs/llmops/runs/*:refs/llmops/runs/*'
{toolchain}      - name: Evaluate shard ${{ matrix.shard }} of {shards}
        # Exit 1 is a shard's own verdict, which decides nothing: the merged run's does.
        run: llmops eval --shard ${{ matrix.shard }}/{shards} || [ $? -eq 1 ]
      - name: Push the shard runs
        run: git push origin "refs/llmops/runs/*:$SHARDS_REF/${{ matrix.shard }}/*"
  gate:
    needs: shard
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the gate compares against the merge base
      - name: Fetch the recorded eval runs and this workflow's shards
        run: |
          git fetch --no-tags origin '+refs/llmops/runs/*:refs/llmops/runs/*'
          git fetch --no-tags origin "+$SHARDS_REF/*:$SHARDS_REF/*"
{toolchain}      - name: Merge each eval's shards into one run
        run: llmops merge --refs "$SHARDS_REF"
{gate}      - name: Keep the merged runs
        if: github.event_name == 'push'
        run: llmops sync
{upload}  cleanup:
    # Also when a shard job or the gate failed: no shard refs are left behind.
    needs: [shard, gate]
    if: always()
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Drop this workflow's shard refs
        run: git ls-remote origin "$SHARDS_REF/*" | cut -f2 | xargs -r -n 1 git push --quiet origin --delete
"#;
