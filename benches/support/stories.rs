//! The benchmarks' workspace: a temporary git repo whose `stories` eval asks the test model
//! for 64 short stories (64 output tokens each) and grades them by word count.

use std::path::{Path, PathBuf};
use std::process::Command;

const TOPICS: [&str; 8] = ["a lighthouse", "a lost key", "the first snow", "a chess game", "a night train", "an old map", "a garden robot", "a quiet library"];

pub fn model() -> PathBuf {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join(".llmops/models/SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(model.is_file(), "the test model is missing: run `make model`");
    model
}

/// Where a benchmark workspace finds the test model (a link made by [`workspace`]): a model
/// path must lie under `.llmops/models/`.
pub const MODEL_PATH: &str = ".llmops/models/smollm2.gguf";

/// The config with the test model decoding `parallel` sequences together.
pub fn config(parallel: u32) -> String {
    config_with(parallel, 1024)
}

/// The config with the test model, `parallel` sequences of `context` tokens each.
pub fn config_with(parallel: u32, context: u32) -> String {
    format!(
        "default_model: smollm2\nmodels:\n  smollm2:\n    path: {MODEL_PATH}\n    sha256: b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53\n    context: {context}\n    parallel: {parallel}\n"
    )
}

pub fn workspace(bin: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert!(Command::new("git").current_dir(root).args(["init", "-q"]).status().unwrap().success());
    assert!(Command::new(bin).current_dir(root).args(["-q", "init"]).status().unwrap().success());
    std::fs::write(root.join("prompts/story.yaml"), "params: {temperature: 0, max_tokens: 64}\nmessages:\n  - role: user\n    content: \"Write a short story about {{ topic }} number {{ n }}.\"\n").unwrap();
    let rows: String = (0..64).map(|i| format!("{{\"id\": \"s{i}\", \"vars\": {{\"topic\": \"{}\", \"n\": {i}}}}}\n", TOPICS[i % 8])).collect();
    std::fs::write(root.join("datasets/stories.jsonl"), rows).unwrap();
    std::fs::write(root.join("evals/stories.yaml"), "prompt: story\ndataset: stories\ngraders:\n  - type: word-count\n    min: 5\n").unwrap();
    std::fs::create_dir_all(root.join(".llmops/models")).unwrap();
    std::os::unix::fs::symlink(model(), root.join(MODEL_PATH)).unwrap();
    std::fs::write(root.join(".llmops/config.yaml"), config(8)).unwrap();
    dir
}
