//! Experiments: 3 prompt versions × 2 models (two entries on the same GGUF with other
//! settings) × 32 rows of the stories eval, end to end (`llmops eval` with the flags of an
//! experiment), against its largest cell's rows generated in one batch (one plain eval), and
//! against the same six cells run one after another (`--no-cache`: no shared generation).
//! Target: at most 1.2× the one cell. All in this one run.
//!
//! Run: `cargo bench --bench experiment` (needs the test model: `make model`).

#[path = "support/stories.rs"]
mod stories;

use std::process::Command;
use std::time::Instant;

use stories::MODEL_PATH;

fn main() {
    let bin = env!("CARGO_BIN_EXE_llmops");
    let dir = stories::workspace(bin);
    let root = dir.path();
    let config = format!(
        "{}  other:\n    path: {MODEL_PATH}\n    sha256: b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53\n    context: 512\n    parallel: 32\n",
        stories::config(32)
    );
    std::fs::write(root.join(".llmops/config.yaml"), config).unwrap();
    std::fs::create_dir_all(root.join("drafts")).unwrap();
    let story = std::fs::read_to_string(root.join("prompts/story.yaml")).unwrap();
    std::fs::write(root.join("drafts/a.yaml"), story.replace("Write a short story", "Write a very short story")).unwrap();
    std::fs::write(root.join("drafts/b.yaml"), story.replace("Write a short story", "Tell a tiny tale")).unwrap();
    let eval = |args: &[&str]| -> f64 {
        let start = Instant::now();
        let out = Command::new(bin).current_dir(root).args(["eval", "stories", "--limit", "32", "-q"]).args(args).output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
        start.elapsed().as_secs_f64()
    };
    let cells = ["--prompt-version", "work", "--prompt-file", "drafts/a.yaml", "--prompt-file", "drafts/b.yaml", "--model", "smollm2", "--model", "other"];
    let one = eval(&["--no-cache"]);
    let one_after_another = eval(&[&cells[..], &["--no-cache"]].concat());
    // The runs above read and wrote no cache: the shared run generates everything.
    let together = eval(&cells);
    println!("3 prompt versions x 2 models x 32 rows (6 cells, 192 samples of up to 64 tokens)");
    println!("  one cell (32 rows in one batch)         {one:.1} s");
    println!("  six cells generated together            {together:.1} s  ({:.2}x one cell; target <= 1.2x)", together / one);
    println!("  six cells one after another, no sharing {one_after_another:.1} s  ({:.2}x one cell)", one_after_another / one);
}
