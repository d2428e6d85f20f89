//! `completions/` must match what the binary generates; `make completions` refreshes it.

use std::process::Command;

#[test]
fn completion_scripts_are_up_to_date() {
    let root = env!("CARGO_MANIFEST_DIR");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = Command::new(env!("CARGO_BIN_EXE_llmops")).args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let generated = String::from_utf8(out.stdout).unwrap();
        assert!(generated.contains("llmops"), "{shell}");
        let path = format!("{root}/completions/llmops.{shell}");
        let kept = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(kept == generated, "`{path}` is stale: run `make completions`");
    }
}
