//! End to end against the tool a user would otherwise pick: an eval of 32 short questions that
//! share a system prompt (64 max tokens, temperature 0, graded by `icontains`), run by
//! `llmops eval` and by promptfoo driving llama-server with 8 slots, on the same GGUF and the
//! same threads, side by side in this one run, alternating, 3 rounds each (median).
//!
//! Wall time counts all a user waits for. llmops: process start, model load, prefill (with
//! prefix reuse), generation, grading, the run commit. promptfoo: llama-server's start until
//! `/health` answers (its model load), then `promptfoo eval` (node start, requests, grading,
//! its result store); the server is stopped after each round.
//!
//! Needs llama.cpp's server and promptfoo:
//!   scripts/build-llama-tools.sh DIR                 # LLAMA_TOOLS=DIR/llama.cpp/build/bin
//!   npm install --prefix PF promptfoo@0.121.20       # PROMPTFOO=PF/node_modules/.bin/promptfoo
//!                                                    # (0.121 is the last that runs on Node 20)
//! Run: `LLAMA_TOOLS=... PROMPTFOO=... cargo bench --bench vs_promptfoo`

#[path = "support/stories.rs"]
mod stories;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
const SLOTS: u32 = 8;
const CONTEXT: u32 = 1024;

/// A system prompt long enough that reusing it matters (about 200 tokens).
const SYSTEM: &str = "You are a careful assistant for a quiz show. Answer every question in one short \
sentence that names the answer first. Do not add greetings, apologies or explanations unless the \
question asks for them. If a question has several correct answers, give the most common one. Use \
plain words, no lists, no markdown, no quotation marks. Numbers are written as digits. Names of \
people, places and things keep their usual spelling and capital letters. When a question is about \
science, give the plain-language answer a teacher would accept. When a question is about history, \
give the year or the name, not both, unless asked. Never say that you are an AI. Never ask a question \
back. Keep every answer under twenty words.";

const QUESTIONS: [(&str, &str); 32] = [
    ("What is the capital of France?", "Paris"),
    ("What is the capital of Japan?", "Tokyo"),
    ("What is the capital of Italy?", "Rome"),
    ("What is the capital of Spain?", "Madrid"),
    ("What is the capital of Germany?", "Berlin"),
    ("What is the capital of Egypt?", "Cairo"),
    ("What is the capital of Canada?", "Ottawa"),
    ("What is the capital of Russia?", "Moscow"),
    ("Which planet is known as the red planet?", "Mars"),
    ("Which planet is the largest in the solar system?", "Jupiter"),
    ("What gas do plants take in from the air?", "carbon"),
    ("What is the chemical symbol for water?", "H2O"),
    ("How many legs does a spider have?", "8"),
    ("How many days are in a week?", "7"),
    ("What is the freezing point of water in Celsius?", "0"),
    ("What colour is the sky on a clear day?", "blue"),
    ("Who wrote Romeo and Juliet?", "Shakespeare"),
    ("Who painted the Mona Lisa?", "Leonardo"),
    ("What is the largest ocean on Earth?", "Pacific"),
    ("What is the longest river in Africa?", "Nile"),
    ("What animal is known as the king of the jungle?", "lion"),
    ("What is the fastest land animal?", "cheetah"),
    ("What do bees make?", "honey"),
    ("What is the main language spoken in Brazil?", "Portuguese"),
    ("What is the currency of Japan?", "yen"),
    ("What is the tallest mountain in the world?", "Everest"),
    ("Which metal is liquid at room temperature?", "mercury"),
    ("What is the boiling point of water in Celsius?", "100"),
    ("How many continents are there?", "7"),
    ("What is the square root of 81?", "9"),
    ("What is the opposite of hot?", "cold"),
    ("What star is at the centre of our solar system?", "Sun"),
];

fn required(var: &str, how: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(v) if Path::new(&v).exists() => PathBuf::from(v),
        _ => panic!("set {var}: {how} (see the header of benches/vs_promptfoo.rs)"),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether `GET /health` answers 200.
fn healthy(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn llmops_workspace(bin: &str) -> tempfile::TempDir {
    let dir = stories::workspace(bin);
    let root = dir.path();
    std::fs::write(root.join(".llmops/config.yaml"), stories::config_with(SLOTS, CONTEXT)).unwrap();
    std::fs::write(
        root.join("prompts/quiz.yaml"),
        format!("params: {{temperature: 0, max_tokens: 64}}\nmessages:\n  - role: system\n    content: {}\n  - role: user\n    content: \"{{{{ question }}}}\"\n", json_str(SYSTEM)),
    )
    .unwrap();
    let rows: String = QUESTIONS
        .iter()
        .enumerate()
        .map(|(i, (q, a))| format!("{{\"id\": \"q{i}\", \"vars\": {{\"question\": {}}}, \"expected\": {}}}\n", json_str(q), json_str(a)))
        .collect();
    std::fs::write(root.join("datasets/quiz.jsonl"), rows).unwrap();
    std::fs::write(root.join("evals/quiz.yaml"), "prompt: quiz\ndataset: quiz\ngraders:\n  - type: icontains\n    value: \"{{ expected }}\"\n").unwrap();
    dir
}

fn promptfoo_workspace(port: u16) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let prompt = serde_json::json!([
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "{{question}}"},
    ]);
    std::fs::write(root.join("prompt.json"), prompt.to_string()).unwrap();
    let tests: String = QUESTIONS
        .iter()
        .map(|(q, a)| format!("  - vars: {{question: {}}}\n    assert:\n      - type: icontains\n        value: {}\n", json_str(q), json_str(a)))
        .collect();
    std::fs::write(
        root.join("promptfooconfig.yaml"),
        format!(
            "prompts:\n  - file://prompt.json\nproviders:\n  - id: openai:chat:smollm2\n    config:\n      apiBaseUrl: http://127.0.0.1:{port}/v1\n      apiKey: none\n      temperature: 0\n      max_tokens: 64\nevaluateOptions:\n  maxConcurrency: {SLOTS}\ntests:\n{tests}"
        ),
    )
    .unwrap();
    dir
}

/// One llmops round: wall seconds and passing rows.
fn llmops_round(bin: &str, root: &Path, threads: u32) -> (f64, usize) {
    let start = Instant::now();
    let out = Command::new(bin)
        .current_dir(root)
        .args(["eval", "quiz", "--no-cache", "--json", "--threads", &threads.to_string()])
        .output()
        .unwrap();
    let wall = start.elapsed().as_secs_f64();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("llmops eval --json: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    let summary = &report[0]["summary"];
    assert_eq!(summary["rows"].as_u64(), Some(QUESTIONS.len() as u64), "llmops graded every row: {summary}");
    (wall, summary["overall"]["passed"].as_u64().unwrap_or(0) as usize)
}

/// A child process that is killed when this goes out of scope, a failed assert included.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One promptfoo round: server start to stop, wall seconds and passing tests.
fn promptfoo_round(server: &Path, promptfoo: &Path, model: &Path, threads: u32, config_dir: &Path) -> (f64, usize) {
    let port = free_port();
    let work = promptfoo_workspace(port);
    let start = Instant::now();
    let mut child = KillOnDrop(Command::new(server)
        .args(["-m", &model.display().to_string(), "-t", &threads.to_string(), "-tb", &threads.to_string()])
        .args(["-np", &SLOTS.to_string(), "-c", &(SLOTS * CONTEXT).to_string(), "--host", "127.0.0.1", "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start llama-server"));
    while !healthy(port) {
        assert!(child.0.try_wait().unwrap().is_none(), "llama-server exited");
        assert!(start.elapsed() < Duration::from_secs(120), "llama-server did not become healthy");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = Command::new(promptfoo)
        .current_dir(work.path())
        .args(["eval", "-c", "promptfooconfig.yaml", "--no-cache", "--no-progress-bar", "--no-table", "-o", "results.json"])
        .env("PROMPTFOO_CONFIG_DIR", config_dir)
        .env("PROMPTFOO_DISABLE_TELEMETRY", "1")
        .env("PROMPTFOO_DISABLE_UPDATE", "1")
        .env("PROMPTFOO_DISABLE_SHARING", "1")
        .output()
        .expect("run promptfoo");
    let wall = start.elapsed().as_secs_f64();
    drop(child);
    let results: serde_json::Value = std::fs::read(work.path().join("results.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| panic!("promptfoo wrote no results: {}", String::from_utf8_lossy(&out.stderr)));
    let rows = results["results"]["results"].as_array().expect("results.results.results");
    assert_eq!(rows.len(), QUESTIONS.len(), "promptfoo ran every test");
    assert!(rows.iter().all(|r| r["error"].is_null() || r["error"].as_str().is_some_and(|e| !e.contains("API"))), "promptfoo reached the server");
    (wall, rows.iter().filter(|r| r["success"].as_bool() == Some(true)).count())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_llmops");
    let tools = required("LLAMA_TOOLS", "a folder with llama.cpp's llama-server");
    let server = tools.join("llama-server");
    assert!(server.is_file(), "{} is missing: run scripts/build-llama-tools.sh", server.display());
    let promptfoo = required("PROMPTFOO", "the promptfoo CLI from npm");
    let model = stories::model();
    let threads: u32 = std::env::var("LLMOPS_THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(1));
    let ours = llmops_workspace(bin);
    let config_dir = tempfile::tempdir().unwrap();
    // One untimed round each: page cache and node's module cache are warm for both.
    llmops_round(bin, ours.path(), threads);
    promptfoo_round(&server, &promptfoo, &model, threads, config_dir.path());
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let (mut pass_a, mut pass_b) = (0, 0);
    for _ in 0..ROUNDS {
        let (w, p) = llmops_round(bin, ours.path(), threads);
        a.push(w);
        pass_a = p;
        let (w, p) = promptfoo_round(&server, &promptfoo, &model, threads, config_dir.path());
        b.push(w);
        pass_b = p;
    }
    let (ours_s, theirs_s) = (median(a.clone()), median(b.clone()));
    println!("32 questions sharing a system prompt, 64 max tokens, temperature 0, {threads} threads, {SLOTS} in parallel; median of {ROUNDS} rounds");
    println!("llmops eval                      {ours_s:>6.2} s  (rounds {a:.2?}; {pass_a}/32 pass)");
    println!("promptfoo + llama-server, 8 slots {theirs_s:>6.2} s  (rounds {b:.2?}; {pass_b}/32 pass)");
    println!("llmops is {:.2}x faster (target >= 2x)", theirs_s / ours_s);
}
