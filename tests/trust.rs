//! Bad input never reaches a panic, a file outside the workspace, or the network: symlinks,
//! foreign model paths, insecure endpoints, bad timeouts, stale locks, odd trailers, closed
//! pipes.

mod common;

use common::TestEnv;
use common::http::{Reply, serve};

#[test]
fn workspace_files_are_never_read_through_a_symbolic_link() {
    let env = TestEnv::initialized();
    env.write("outputs.jsonl", "{\"id\": \"france\", \"output\": \"Paris\"}\n");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("credentials.jsonl");
    std::fs::write(&secret, "{\"id\": \"france\", \"vars\": {\"country\": \"AWS_SECRET=abc\"}, \"expected\": \"Paris\"}\n").unwrap();
    std::fs::remove_file(env.root().join("datasets/capitals.jsonl")).unwrap();
    std::os::unix::fs::symlink(&secret, env.root().join("datasets/capitals.jsonl")).unwrap();
    let out = env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("`datasets/capitals.jsonl` is a symbolic link"), "{}", out.stderr);
    assert!(env.git_output(&["rev-parse", "refs/llmops/runs/capital"]).code != 0, "nothing was recorded");
    // A linked folder is refused the same way.
    std::fs::remove_file(env.root().join("datasets/capitals.jsonl")).unwrap();
    std::fs::rename(env.root().join("prompts"), outside.path().join("prompts")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("prompts"), env.root().join("prompts")).unwrap();
    let out = env.llmops(&["prompt", "show", "capital"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
}

#[test]
fn model_paths_endpoints_and_timeouts_are_checked_before_anything_runs() {
    let env = TestEnv::initialized();
    let config = env.read(".llmops/config.yaml");
    for (bad, message) in [
        ("path: /etc/passwd", "is absolute"),
        ("path: .llmops/models/../../x.gguf", "has `..`"),
        ("path: models/x.gguf", "is not under `.llmops/models/`"),
    ] {
        env.write(".llmops/config.yaml", &config.replace("path: .llmops/models/SmolLM2-135M-Instruct.Q4_1.gguf", bad));
        let out = env.llmops(&["validate"]);
        assert_eq!(out.code, 2, "{bad}: {}", out.snapshot());
        assert!(out.stderr.contains(message), "{bad}: {}", out.stderr);
    }
    // An endpoint model added under `models:`.
    let with = |url: &str, extra: &str| {
        config.replacen("models:\n", &format!("models:\n  remote:\n    base_url: {url}\n    model: m\n    api_key_env: HOME\n{extra}"), 1)
    };
    env.write(".llmops/config.yaml", &with("http://user:pw@example.com/v1?key=abc", ""));
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("plain `http://` to another host"), "{}", out.stderr);
    let message = out.stderr.lines().next().unwrap_or_default();
    assert!(!message.contains("pw@") && !message.contains("key=abc"), "credentials are never repeated in messages: {message}");
    env.write(".llmops/config.yaml", &with("http://example.com/v1", "    allow_insecure: true\n"));
    assert_eq!(env.llmops(&["validate"]).code, 0);
    env.write(".llmops/config.yaml", &with("http://localhost:8080/v1", ""));
    assert_eq!(env.llmops(&["validate"]).code, 0);
    for t in ["-1", ".nan", "1e300"] {
        env.write(".llmops/config.yaml", &with("https://example.com/v1", &format!("    timeout_s: {t}\n")));
        let out = env.llmops(&["validate"]);
        assert_eq!(out.code, 2, "timeout {t}: {}", out.snapshot());
        assert!(out.stderr.contains("`timeout_s`"), "{}", out.stderr);
    }
    env.write(".llmops/config.yaml", &config);
    env.write("evals/cmd.yaml", "prompt: capital\ndataset: capitals\ngraders:\n  - type: command\n    command: [true]\n    timeout_s: -5\n");
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("evals/cmd.yaml:6"), "{}", out.stderr);
}

#[test]
fn endpoint_credentials_and_queries_are_never_recorded() {
    let server = serve(|_| {
        Reply::json(200, serde_json::json!({
            "id": "c", "object": "chat.completion", "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Paris"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        }))
    });
    let env = TestEnv::initialized();
    let url = server.url.replace("http://", "http://user:hunter2@") + "/v1?api_key=sekrit";
    env.write(".llmops/config.yaml", &common::model_config("unused.gguf", &format!("  remote:\n    base_url: {url}\n    model: m\n")));
    let out = env.llmops(&["eval", "capital", "--model", "remote", "--filter", "france"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let run = env.git(&["show", "refs/llmops/runs/capital:run.yaml"]);
    let traces = env.git(&["show", "refs/llmops/runs/capital:traces.jsonl"]);
    for text in [&run, &traces, &out.stderr, &out.stdout] {
        assert!(!text.contains("hunter2") && !text.contains("sekrit"), "a credential was recorded: {text}");
    }
    assert!(run.contains(&format!("{}/v1#m", server.url)), "{run}");
}

#[test]
fn model_pull_stays_in_the_models_folder_and_pip_takes_no_options() {
    let body: Vec<u8> = (0..50_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let digest = common_sha256(&body);
    let env = TestEnv::initialized();
    // A whole partial file: the server answers 416 to the range request, and the pull finishes.
    let served = body.clone();
    let server = serve(move |req| match req.header("range") {
        Some(_) => Reply { status: 416, headers: vec![], body: vec![] },
        None => Reply { status: 200, headers: vec![], body: served.clone() },
    });
    let config = env.read(".llmops/config.yaml");
    let with = |extra: &str| config.replacen("models:\n", &format!("models:\n{extra}"), 1);
    env.write(".llmops/config.yaml", &with(&format!("  dl:\n    path: .llmops/models/dl.gguf\n    sha256: {digest}\n    source: {}/dl.gguf\n", server.url)));
    std::fs::create_dir_all(env.root().join(".llmops/models")).unwrap();
    std::fs::write(env.root().join(".llmops/models/dl.gguf.partial"), &body).unwrap();
    let out = env.llmops(&["model", "pull", "dl"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert_eq!(std::fs::read(env.root().join(".llmops/models/dl.gguf")).unwrap(), body);
    // A partial that is a link to a file elsewhere is replaced, never written through.
    let elsewhere = tempfile::tempdir().unwrap();
    let victim = elsewhere.path().join("victim");
    std::fs::write(&victim, b"keep me").unwrap();
    std::fs::remove_file(env.root().join(".llmops/models/dl.gguf")).unwrap();
    std::os::unix::fs::symlink(&victim, env.root().join(".llmops/models/dl.gguf.partial")).unwrap();
    let out = env.llmops(&["model", "pull", "dl"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    assert_eq!(std::fs::read(env.root().join(".llmops/models/dl.gguf")).unwrap(), body);
    // A linked models folder does not carry the download out of the workspace.
    std::fs::remove_dir_all(env.root().join(".llmops/models")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), env.root().join(".llmops/models")).unwrap();
    let out = env.llmops(&["model", "pull", "dl"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("outside the workspace"), "{}", out.stderr);
    std::fs::remove_file(env.root().join(".llmops/models")).unwrap();
    // pip gets a requirement, never an option.
    env.write(".llmops/config.yaml", &with("  pipx:\n    path: .llmops/models/p.gguf\n    sha256: 0000000000000000000000000000000000000000000000000000000000000000\n    source: \"pip:--index-url=http://evil/ x#m.gguf\"\n"));
    let out = env.llmops(&["model", "pull", "pipx"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("cannot start with `-`"), "{}", out.stderr);
    for source in ["pip:./local-dir#m.gguf", "pip:pkg @ file:///tmp/x#m.gguf", "pip:git+https://example.com/x#m.gguf", "pip:pkg>=1#m.gguf"] {
        env.write(".llmops/config.yaml", &with(&format!("  pipx:\n    path: .llmops/models/p.gguf\n    sha256: {}\n    source: \"{source}\"\n", "0".repeat(64))));
        let out = env.llmops(&["model", "pull", "pipx"]);
        assert_eq!(out.code, 2, "{source}: {}", out.snapshot());
        assert!(out.stderr.contains("must be `NAME==VERSION`"), "{source}: {}", out.stderr);
    }
    // No name: every local model; list --json shows the pins.
    env.write(".llmops/config.yaml", &config);
    let out = env.llmops(&["model", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(list[0]["sha256"], "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53");
}

fn common_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_stale_ref_lock_is_reported_at_once_with_the_file_to_remove() {
    let env = TestEnv::initialized();
    env.write("outputs.jsonl", "{\"id\": \"france\", \"output\": \"Paris\"}\n");
    let lock = env.root().join(".git/refs/llmops/runs/capital.lock");
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    let file = std::fs::File::create(&lock).unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(120)).unwrap();
    let started = std::time::Instant::now();
    let out = env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl", "--filter", "france"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "the stale lock was retried");
    assert_eq!(out.code, 3, "{}", out.snapshot());
    assert!(out.stderr.contains("refs/llmops/runs/capital.lock` is a lock left behind"), "{}", out.stderr);
    // The run finished: its results are shown even though it could not be recorded.
    assert!(out.stdout.contains("overall") && out.stdout.contains("gate "), "{}", out.snapshot());
    assert!(out.stderr.contains("delete that file"), "{}", out.stderr);
}

#[test]
fn odd_trailers_do_not_panic_log_and_a_closed_pipe_keeps_the_verdict() {
    let env = TestEnv::initialized();
    env.write("outputs.jsonl", "{\"id\": \"france\", \"output\": \"Paris\"}\n");
    assert_eq!(env.llmops(&["eval", "capital", "--outputs", "outputs.jsonl", "--filter", "france", "-q"]).code, 0);
    let tip = env.git(&["rev-parse", "refs/llmops/runs/capital"]).trim().to_owned();
    // The run's tree with run.yaml claiming one sample fewer passed: it cannot verify.
    env.write("forged.tmp", &env.git(&["show", &format!("{tip}:run.yaml")]).replacen("passed: 1", "passed: 0", 1));
    let blob = env.git(&["hash-object", "-w", "forged.tmp"]).trim().to_owned();
    std::fs::remove_file(env.root().join("forged.tmp")).unwrap();
    let entries: String = env.git(&["ls-tree", &tip]).lines().map(|l| if l.ends_with("\trun.yaml") { format!("100644 blob {blob}\trun.yaml\n") } else { format!("{l}\n") }).collect();
    let mut mktree = std::process::Command::new("git").current_dir(env.root()).arg("mktree").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(mktree.stdin.as_mut().unwrap(), entries.as_bytes()).unwrap();
    let tree = String::from_utf8(mktree.wait_with_output().unwrap().stdout).unwrap().trim().to_owned();
    let message = "eval capital: forged\n\nLlmops-Eval: capital\nLlmops-Prompt: capital@ééééééééééé\nLlmops-Score: x\n";
    let commit = env.git(&["commit-tree", &tree, "-p", &tip, "-m", message]).trim().to_owned();
    env.git(&["update-ref", "refs/llmops/runs/capital", &commit]);
    let out = env.llmops(&["log"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stdout.contains("capital@éééééééééé"), "{}", out.stdout);
    // The forged run fails verify; a reader that closed the pipe does not turn that into 0.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_llmops"))
        .current_dir(env.root())
        .env("HOME", env.root().join(".home"))
        .args(["verify"])
        .stdout(writer)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    let out = env.llmops(&["verify"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert_eq!(status.code(), Some(1), "verify into a closed pipe");
}

#[test]
fn answers_planted_in_the_work_tree_never_reach_a_run() {
    let env = TestEnv::with_model();
    assert_eq!(env.llmops(&["eval", "capital", "-q"]).code, 0);
    let cache = env.root().join(".git/llmops/cache/responses");
    assert!(cache.is_dir(), "the cache lives in the git directory");
    // A branch commits "cached" answers where the cache used to live: they are never read.
    let planted = env.root().join(".llmops/cache/responses");
    for shard in std::fs::read_dir(&cache).unwrap() {
        let shard = shard.unwrap();
        for entry in std::fs::read_dir(shard.path()).unwrap() {
            let entry = entry.unwrap();
            let mut answer: serde_json::Value = serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap();
            answer["text"] = "PLANTED".into();
            let dest = planted.join(shard.file_name()).join(entry.file_name());
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::write(dest, answer.to_string()).unwrap();
        }
    }
    std::fs::remove_dir_all(&cache).unwrap();
    let out = env.llmops(&["eval", "capital", "--json"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    assert!(!out.stdout.contains("PLANTED"), "a planted answer was used");
    let samples = env.git(&["show", "refs/llmops/runs/capital:samples.jsonl"]);
    assert!(!samples.contains("PLANTED"), "{samples}");
}

#[test]
fn a_repository_cannot_send_a_key_to_a_host_nobody_allowed() {
    let env = TestEnv::initialized();
    let config = env.read(".llmops/config.yaml");
    env.write(
        ".llmops/config.yaml",
        &config.replacen("models:\n", "models:\n  remote:\n    base_url: https://user:pw@collector.invalid/v1?k=1\n    model: m\n    api_key_env: SOME_SECRET\n    timeout_s: 2\n", 1),
    );
    let vars = [("SOME_SECRET", "s3cr3t")];
    let out = env.llmops_with(env.root(), &vars, &["run", "capital", "--var", "country=France", "--model", "remote", "--no-cache"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("would send `$SOME_SECRET` to `collector.invalid`, which you have not allowed"), "{}", out.stderr);
    assert!(out.stderr.contains("llmops model allow remote"), "{}", out.stderr);
    // `model list` shows the endpoint without its credentials.
    let list = env.llmops(&["model", "list"]);
    assert!(list.stdout.contains("https://collector.invalid/v1") && !list.stdout.contains("pw@") && !list.stdout.contains("k=1"), "{}", list.stdout);
    // Allowed from the environment (CI), or remembered for the user: the request is then made
    // (and fails to connect, exit 3, not refused).
    let allowed = [("SOME_SECRET", "s3cr3t"), ("LLMOPS_ALLOW_KEYS", "SOME_SECRET@collector.invalid")];
    let out = env.llmops_with(env.root(), &allowed, &["run", "capital", "--var", "country=France", "--model", "remote", "--no-cache"]);
    assert_eq!(out.code, 3, "{}", out.snapshot());
    let out = env.llmops(&["model", "allow", "remote"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let grants = std::fs::read_to_string(env.root().join(".home/.config/llmops/allowed-keys")).unwrap();
    assert_eq!(grants, "SOME_SECRET@collector.invalid\n");
    let out = env.llmops_with(env.root(), &vars, &["run", "capital", "--var", "country=France", "--model", "remote", "--no-cache"]);
    assert_eq!(out.code, 3, "{}", out.snapshot());
}
