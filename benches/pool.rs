//! Endpoint pools: one eval of 96 rows against pools of 1, 2 and 4 local OpenAI-compatible
//! endpoints (a wire-format stub that answers after a per-token delay, like a model server
//! that is busy generating), each endpoint taking 4 requests at once. Throughput is compared
//! with the 1-endpoint pool in this same run (target: it scales with the pool). Then a pool of
//! 4 loses one endpoint a third of the way in and must finish with every sample answered.
//!
//! Run: `cargo bench --bench pool` (no model needed).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Completion tokens per answer, and the time each takes to "generate".
const TOKENS: u64 = 16;
const PER_TOKEN: Duration = Duration::from_millis(4);
const ROWS: usize = 96;
const CONCURRENCY: u32 = 4;

/// A stub endpoint: `/v1/models` lists `stub-model`; a chat is answered after
/// `TOKENS * PER_TOKEN`, a thread per connection. Once `alive` is false it closes every
/// connection without answering, as a server that died would.
fn stub(alive: Arc<AtomicBool>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let alive = alive.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || !alive.load(Ordering::SeqCst) {
                    return;
                }
                let mut len = 0usize;
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 {
                        return;
                    }
                    let h = h.trim_end();
                    if h.is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut body = vec![0u8; len];
                let _ = reader.read_exact(&mut body);
                let reply = if line.contains("/models") {
                    r#"{"object":"list","data":[{"id":"stub-model","object":"model"}]}"#.to_owned()
                } else {
                    std::thread::sleep(PER_TOKEN * TOKENS as u32);
                    if !alive.load(Ordering::SeqCst) {
                        return;
                    }
                    format!(
                        r#"{{"id":"c","object":"chat.completion","model":"stub-model","choices":[{{"index":0,"message":{{"role":"assistant","content":"Paris"}},"finish_reason":"stop"}}],"usage":{{"prompt_tokens":20,"completion_tokens":{TOKENS},"total_tokens":{}}}}}"#,
                        20 + TOKENS
                    )
                };
                let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}", reply.len());
            });
        }
    });
    url
}

fn workspace(bin: &str, pools: &[(&str, &[String])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let git = |args: &[&str]| assert!(Command::new("git").current_dir(root).args(args).output().unwrap().status.success());
    git(&["init", "-q", "-b", "main"]);
    assert!(Command::new(bin).current_dir(root).arg("init").output().unwrap().status.success());
    let rows: Vec<String> = (0..ROWS).map(|i| format!(r#"{{"id":"r{i}","vars":{{"country":"Country {i}"}},"expected":"Paris"}}"#)).collect();
    std::fs::write(root.join("datasets/capitals.jsonl"), rows.join("\n") + "\n").unwrap();
    let mut config = String::from("models:\n");
    for (name, urls) in pools {
        config.push_str(&format!("  {name}:\n    model: stub-model\n    timeout_s: 10\n    endpoints:\n"));
        for url in *urls {
            config.push_str(&format!("      - base_url: {url}\n        concurrency: {CONCURRENCY}\n"));
        }
    }
    std::fs::write(root.join(".llmops/config.yaml"), config).unwrap();
    git(&["add", "-A"]);
    git(&["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "bench"]);
    dir
}

/// Wall seconds of `llmops eval capital --model MODEL`, and the run's samples with errors.
fn eval(bin: &str, root: &Path, model: &str) -> (f64, usize, serde_json::Value) {
    let start = Instant::now();
    let out = Command::new(bin).current_dir(root).args(["eval", "capital", "--model", model, "--no-cache", "-q"]).output().unwrap();
    let wall = start.elapsed().as_secs_f64();
    assert!(out.status.code().unwrap_or(9) <= 1, "{}", String::from_utf8_lossy(&out.stderr));
    let show = |file: &str| String::from_utf8(Command::new("git").current_dir(root).args(["show", &format!("refs/llmops/runs/capital:{file}")]).output().unwrap().stdout).unwrap();
    let errors = show("samples.jsonl").lines().filter(|l| !serde_json::from_str::<serde_json::Value>(l).unwrap()["error"].is_null()).count();
    let meta: serde_json::Value = serde_yaml_ng::from_str(&show("run.yaml")).unwrap();
    (wall, errors, meta["served_by"].clone())
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_llmops");
    let alive: Vec<Arc<AtomicBool>> = (0..4).map(|_| Arc::new(AtomicBool::new(true))).collect();
    let urls: Vec<String> = alive.iter().map(|a| stub(a.clone())).collect();
    let (one, two, four) = (urls[..1].to_vec(), urls[..2].to_vec(), urls.clone());
    let dir = workspace(bin, &[("one", &one), ("two", &two), ("four", &four)]);
    let root = dir.path();
    println!("{ROWS} rows, each answer {TOKENS} tokens at {} ms a token, {CONCURRENCY} requests at once per endpoint", PER_TOKEN.as_millis());
    let (t1, e1, _) = eval(bin, root, "one");
    let (t2, e2, _) = eval(bin, root, "two");
    let (t4, e4, _) = eval(bin, root, "four");
    let rate = |t: f64| ROWS as f64 / t;
    println!("1 endpoint:  {t1:>5.2} s  {:>6.1} rows/s", rate(t1));
    println!("2 endpoints: {t2:>5.2} s  {:>6.1} rows/s  ({:.2}x the 1-endpoint pool)", rate(t2), t1 / t2);
    println!("4 endpoints: {t4:>5.2} s  {:>6.1} rows/s  ({:.2}x the 1-endpoint pool)", rate(t4), t1 / t4);
    assert_eq!(e1 + e2 + e4, 0, "no sample lost");
    // One endpoint of four dies a third of the way through.
    let victim = alive[3].clone();
    let after = Duration::from_secs_f64(t4 / 3.0);
    std::thread::spawn(move || {
        std::thread::sleep(after);
        victim.store(false, Ordering::SeqCst);
    });
    let (td, ed, served) = eval(bin, root, "four");
    let served_total: u64 = served.as_array().unwrap().iter().map(|u| u["served"].as_u64().unwrap()).sum();
    let failed: u64 = served.as_array().unwrap().iter().map(|u| u["failed"].as_u64().unwrap()).sum();
    println!(
        "4 endpoints, one dying after {:.2} s: {td:.2} s, {ed} samples lost, {served_total} requests answered, {failed} failed and sent again",
        after.as_secs_f64()
    );
    assert_eq!(ed, 0, "nothing lost when an endpoint dies");
    assert_eq!(served_total, ROWS as u64);
}
