//! `llmops serve` against llama-server, side by side in this one run: the same GGUF, the same
//! threads, the same number of slots (= concurrent clients), the same attention (flash
//! attention off, as llmops's engine runs). Each of C concurrent clients streams R chat
//! requests one after another (a short story, 64 new tokens at most, temperature 0, over the
//! OpenAI API with `stream: true`). Reported per server: aggregate output tokens/s (all
//! clients' completion tokens over the wall time), time to first token p50/p99, request
//! latency p50/p99. Then 1,000 identical requests to `llmops serve` answered from its response
//! cache: latency p50/p99.
//!
//! Needs llama.cpp's server: `scripts/build-llama-tools.sh DIR`, then
//! `LLAMA_TOOLS=DIR/llama.cpp/build/bin cargo bench --bench serve`.
//! `SERVE_BENCH_CLIENTS=8,32` and `SERVE_BENCH_REQUESTS=4` (per client) change the load.

#[path = "support/stories.rs"]
mod stories;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOPICS: [&str; 8] = ["a lighthouse", "a lost key", "the first snow", "a chess game", "a night train", "an old map", "a garden robot", "a quiet library"];
const NEW_TOKENS: u32 = 64;
/// KV cells per slot on both servers.
const SLOT_CONTEXT: u32 = 512;

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(600)).build().unwrap()
}

fn wait_healthy(base: &str, child: &mut KillOnDrop, what: &str) {
    let start = Instant::now();
    loop {
        if client().get(format!("{base}/health")).send().is_ok_and(|r| r.status() == 200) {
            return;
        }
        assert!(child.0.try_wait().unwrap().is_none(), "{what} exited");
        assert!(start.elapsed() < Duration::from_secs(120), "{what} did not become healthy");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One streamed request: (time to first token, latency, completion tokens).
fn stream_one(base: &str, model: &str, content: &str) -> (f64, f64, u64) {
    let body = serde_json::json!({
        "model": model, "temperature": 0, "max_tokens": NEW_TOKENS, "stream": true,
        "stream_options": {"include_usage": true},
        "messages": [{"role": "user", "content": content}],
    });
    let start = Instant::now();
    let response = client().post(format!("{base}/v1/chat/completions")).json(&body).send().unwrap();
    assert_eq!(response.status(), 200, "{model}");
    let (mut first, mut tokens, mut chunks) = (None, None, 0u64);
    for line in BufReader::new(response).lines() {
        let line = line.unwrap();
        let Some(data) = line.strip_prefix("data: ") else { continue };
        if data == "[DONE]" {
            break;
        }
        let v: serde_json::Value = serde_json::from_str(data).unwrap();
        if v["choices"][0]["delta"]["content"].as_str().is_some_and(|c| !c.is_empty()) {
            first.get_or_insert_with(|| start.elapsed().as_secs_f64());
            chunks += 1;
        }
        if let Some(n) = v["usage"]["completion_tokens"].as_u64() {
            tokens = Some(n);
        }
    }
    let latency = start.elapsed().as_secs_f64();
    (first.unwrap_or(latency), latency, tokens.unwrap_or(chunks))
}

struct Figures {
    tokens_per_s: f64,
    ttft: (f64, f64),
    latency: (f64, f64),
    requests: usize,
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() as f64 - 1.0) * p).round() as usize]
}

/// `clients` threads, each streaming `requests` stories one after another.
fn load(base: &str, model: &str, clients: usize, requests: usize) -> Figures {
    let start = Instant::now();
    let results: Vec<(f64, f64, u64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                scope.spawn(move || {
                    (0..requests)
                        .map(|r| {
                            let i = c * requests + r;
                            stream_one(base, model, &format!("Write a short story about {} number {i}.", TOPICS[i % TOPICS.len()]))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let wall = start.elapsed().as_secs_f64();
    let tokens: u64 = results.iter().map(|r| r.2).sum();
    let mut ttft: Vec<f64> = results.iter().map(|r| r.0).collect();
    let mut latency: Vec<f64> = results.iter().map(|r| r.1).collect();
    Figures {
        tokens_per_s: tokens as f64 / wall,
        ttft: (percentile(&mut ttft, 0.5), percentile(&mut ttft, 0.99)),
        latency: (percentile(&mut latency, 0.5), percentile(&mut latency, 0.99)),
        requests: results.len(),
    }
}

fn llmops_server(bin: &str, root: &Path, threads: u32, slots: u32, cache: bool) -> (KillOnDrop, String) {
    std::fs::write(root.join(".llmops/config.yaml"), stories::config_with(slots, SLOT_CONTEXT)).unwrap();
    let port = free_port();
    let mut args = vec!["serve".to_owned(), "--port".into(), port.to_string(), "--queue".into(), "1024".into()];
    if cache {
        args.push("--cache".into());
    }
    let mut child = KillOnDrop(
        Command::new(bin).current_dir(root).args(&args).env("LLMOPS_THREADS", threads.to_string()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start llmops serve"),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&base, &mut child, "llmops serve");
    (child, base)
}

fn llama_server(server: &Path, model: &Path, threads: u32, slots: u32) -> (KillOnDrop, String) {
    let port = free_port();
    let mut child = KillOnDrop(
        Command::new(server)
            .args(["-m", &model.display().to_string(), "-t", &threads.to_string(), "-tb", &threads.to_string(), "-fa", "off"])
            .args(["-np", &slots.to_string(), "-c", &(slots * SLOT_CONTEXT).to_string(), "--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start llama-server"),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&base, &mut child, "llama-server");
    (child, base)
}

fn print(name: &str, f: &Figures) {
    println!(
        "  {name:<14} {:>7.1} output tokens/s   ttft p50 {:>6.0} ms  p99 {:>6.0} ms   latency p50 {:>6.2} s  p99 {:>6.2} s   ({} requests)",
        f.tokens_per_s,
        f.ttft.0 * 1000.0,
        f.ttft.1 * 1000.0,
        f.latency.0,
        f.latency.1,
        f.requests
    );
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_llmops");
    let tools = std::env::var_os("LLAMA_TOOLS").map(std::path::PathBuf::from).expect("LLAMA_TOOLS: a folder with llama.cpp's llama-server (scripts/build-llama-tools.sh)");
    let server = tools.join("llama-server");
    assert!(server.is_file(), "{} is missing: run scripts/build-llama-tools.sh", server.display());
    let model = stories::model();
    let threads: u32 = std::env::var("LLMOPS_THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(1));
    let clients: Vec<usize> = std::env::var("SERVE_BENCH_CLIENTS").unwrap_or_else(|_| "8,32".into()).split(',').filter_map(|c| c.trim().parse().ok()).collect();
    let requests: usize = std::env::var("SERVE_BENCH_REQUESTS").ok().and_then(|r| r.parse().ok()).unwrap_or(4);
    let dir = stories::workspace(bin);
    println!("same GGUF (SmolLM2-135M-Instruct Q4_1), {threads} threads, flash attention off, {NEW_TOKENS} new tokens at most, temperature 0, streamed");
    for &c in &clients {
        println!("{c} concurrent clients, {c} slots, {requests} requests each:");
        let ours = {
            let (_child, base) = llmops_server(bin, dir.path(), threads, c as u32, false);
            stream_one(&base, "smollm2", "Warm up.");
            load(&base, "smollm2", c, requests)
        };
        print("llmops serve", &ours);
        let theirs = {
            let (_child, base) = llama_server(&server, &model, threads, c as u32);
            stream_one(&base, "smollm2", "Warm up.");
            load(&base, "smollm2", c, requests)
        };
        print("llama-server", &theirs);
        println!(
            "  ratio          {:.2}x output tokens/s (target >= 1), ttft p99 {:.2}x of llama-server's (target <= 1)",
            ours.tokens_per_s / theirs.tokens_per_s,
            ours.ttft.1 / theirs.ttft.1
        );
    }
    // A fully cached prompt: one request fills the cache, then 1,000 more, one at a time.
    let (_child, base) = llmops_server(bin, dir.path(), threads, 8, true);
    let body = serde_json::json!({"model": "smollm2", "temperature": 0, "max_tokens": 16, "messages": [{"role": "user", "content": "Name a colour."}]});
    let http = client();
    let url = format!("{base}/v1/chat/completions");
    assert_eq!(http.post(&url).json(&body).send().unwrap().status(), 200);
    let mut times: Vec<f64> = (0..1000)
        .map(|_| {
            let start = Instant::now();
            let r = http.post(&url).json(&body).send().unwrap();
            assert_eq!(r.status(), 200);
            let _ = r.bytes().unwrap();
            start.elapsed().as_secs_f64()
        })
        .collect();
    let (p50, p99) = (percentile(&mut times, 0.5), percentile(&mut times, 0.99));
    println!("cached prompt, 1,000 requests one at a time: p50 {:.2} ms, p99 {:.2} ms (target p50 < 2 ms)", p50 * 1000.0, p99 * 1000.0);
}
