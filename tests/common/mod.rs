//! A temporary git repository and the real `llmops` binary, run with a cleared environment
//! and pinned time, so output can be snapshotted.
#![allow(dead_code)]

pub mod http;

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TestEnv {
    dir: tempfile::TempDir,
    root: PathBuf,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Exit code, stdout and stderr together, for a snapshot.
    pub fn snapshot(&self) -> String {
        format!("exit: {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

impl TestEnv {
    /// An empty git repository.
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical temp dir");
        let env = TestEnv { dir, root };
        env.git(&["init", "-q", "-b", "main"]);
        env
    }

    /// A git repository with `llmops init` done and committed.
    pub fn initialized() -> TestEnv {
        let env = TestEnv::new();
        let out = env.llmops(&["init"]);
        assert_eq!(out.code, 0, "{}", out.snapshot());
        env.commit_all("init");
        env
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn base_env(cmd: &mut Command, home: &Path) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .env("LLMOPS_THREADS", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
            .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z");
    }

    /// Runs `llmops ARGS` in the repository root.
    pub fn llmops(&self, args: &[&str]) -> Output {
        self.llmops_in(&self.root, args)
    }

    pub fn llmops_in(&self, dir: &Path, args: &[&str]) -> Output {
        self.llmops_with(dir, &[], args)
    }

    /// Runs `llmops ARGS` in `dir` with `vars` added to the cleared environment.
    pub fn llmops_with(&self, dir: &Path, vars: &[(&str, &str)], args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_llmops"));
        Self::base_env(&mut cmd, &self.root.join(".home"));
        cmd.envs(vars.iter().copied());
        cmd.current_dir(dir).args(args);
        let out = cmd.output().expect("run llmops");
        let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&self.root.display().to_string(), "[ROOT]");
        Output { code: out.status.code().unwrap_or(-1), stdout: clean(&out.stdout), stderr: clean(&out.stderr) }
    }

    /// `llmops ARGS` in the repository root with the tests' environment, not yet started (for
    /// long-running commands such as `serve`).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_llmops"));
        Self::base_env(&mut cmd, &self.root.join(".home"));
        cmd.current_dir(&self.root).args(args);
        cmd
    }

    pub fn git(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        Self::base_env(&mut cmd, &self.root.join(".home"));
        let out = cmd.current_dir(&self.root).args(args).output().expect("run git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `git ARGS` and returns what happened, failure included.
    pub fn git_output(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("git");
        Self::base_env(&mut cmd, &self.root.join(".home"));
        let out = cmd.current_dir(&self.root).args(args).output().expect("run git");
        let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&self.root.display().to_string(), "[ROOT]");
        Output { code: out.status.code().unwrap_or(-1), stdout: clean(&out.stdout), stderr: clean(&out.stderr) }
    }

    pub fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    pub fn write(&self, rel: &str, content: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    pub fn temp(&self) -> &Path {
        self.dir.path()
    }
}

/// The test model: SmolLM2-135M-Instruct Q4_1, fetched by `make test` (`llmops model pull
/// smollm2`). Tests that need it fail loudly when it is missing.
pub fn model_path() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".llmops/models/SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(
        path.is_file(),
        "the test model is missing at `{}`: run `make model` (or `llmops model pull smollm2`) first",
        path.display()
    );
    path
}

/// The test embedding model: all-MiniLM-L6-v2 as GGUF, made by `make test`
/// (`scripts/fetch-embed-model.sh`). Tests that need it fail loudly when it is missing.
pub fn embed_model_path() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".llmops/models/all-MiniLM-L6-v2.f16.gguf");
    assert!(path.is_file(), "the test embedding model is missing at `{}`: run `make embed-model` first", path.display());
    path
}

pub const MODEL_SHA256: &str = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";

impl TestEnv {
    /// An initialized workspace whose `smollm2` model points at the test model.
    pub fn with_model() -> TestEnv {
        let env = TestEnv::initialized();
        env.link_model();
        env.write(".llmops/config.yaml", &model_config(TEST_MODEL_FILE, ""));
        env.commit_all("use the test model");
        env
    }

    /// Links the test model into `.llmops/models/` (model files live there; the folder is
    /// git-ignored).
    pub fn link_model(&self) {
        let link = self.root.join(".llmops/models").join(TEST_MODEL_FILE);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        if !link.exists() {
            std::os::unix::fs::symlink(model_path(), link).unwrap();
        }
    }
}

/// The test model's file name under `.llmops/models/` in a test workspace.
pub const TEST_MODEL_FILE: &str = "smollm2.gguf";

/// A config whose `smollm2` is the file `.llmops/models/FILE`, plus `extra` lines under `models:`.
pub fn model_config(file: &str, extra: &str) -> String {
    format!(
        "default_model: smollm2\nmodels:\n  smollm2:\n    path: .llmops/models/{file}\n    sha256: {MODEL_SHA256}\n    context: 2048\n{extra}"
    )
}

/// The spans of a run's `traces.jsonl`, whose every line must be an OTLP/JSON
/// `ExportTraceServiceRequest` that the opentelemetry-proto types parse (as the Collector's
/// `otlpjsonfile` receiver would), of one resource `service.name` llmops.
pub fn trace_spans(jsonl: &str) -> Vec<serde_json::Value> {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    let mut out = Vec::new();
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let request: ExportTraceServiceRequest = serde_json::from_str(line).unwrap_or_else(|e| panic!("not an OTLP/JSON request ({e}): {line}"));
        let spans: usize = request.resource_spans.iter().flat_map(|r| &r.scope_spans).map(|s| s.spans.len()).sum();
        assert_eq!(spans, 1, "one span a line: {line}");
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["resourceSpans"][0]["resource"]["attributes"][0]["value"]["stringValue"], "llmops", "{line}");
        out.extend(v["resourceSpans"][0]["scopeSpans"][0]["spans"].as_array().unwrap().iter().cloned());
    }
    out
}

/// A copy of run commit `run` with `file` edited and everything else kept, committed on
/// `parent` (not on any ref): what a forger with push access could write.
pub fn forge_commit(env: &TestEnv, run: &str, file: &str, parent: &str, edit: impl Fn(&str) -> String) -> String {
    let content = env.git(&["show", &format!("{run}:{file}")]);
    let forged = edit(&content);
    assert_ne!(forged, content, "the edit changed nothing");
    env.write("forged.tmp", &forged);
    let blob = env.git(&["hash-object", "-w", "forged.tmp"]).trim().to_owned();
    std::fs::remove_file(env.root().join("forged.tmp")).unwrap();
    let entries: String = env.git(&["ls-tree", run]).lines().map(|l| if l.ends_with(&format!("\t{file}")) { format!("100644 blob {blob}\t{file}\n") } else { format!("{l}\n") }).collect();
    let mut mktree = Command::new("git").current_dir(env.root()).arg("mktree").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(mktree.stdin.as_mut().unwrap(), entries.as_bytes()).unwrap();
    let tree = String::from_utf8(mktree.wait_with_output().unwrap().stdout).unwrap().trim().to_owned();
    let message = env.git(&["log", "-1", "--format=%B", run]);
    env.git(&["commit-tree", &tree, "-p", parent, "-m", &message]).trim().to_owned()
}
