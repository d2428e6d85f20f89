//! `llmops bench`: the local engine measured in one invocation: single-sequence decode,
//! batched against one-after-another throughput, what batch invariance costs, shared-prefix
//! reuse, and optionally llama.cpp's own tools on the same GGUF and threads.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::engine::{self, ChatRequest, Completion, EngineError, OpenError, Provider, RunOptions, threads};
use crate::spec::config::Provider as ProviderKind;
use crate::spec::prompt::Params;
use crate::template::RenderedMessage;
use crate::workspace::Workspace;

#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Default: the config's default model.
    pub model: Option<String>,
    /// Default: the cores this process may use.
    pub threads: Option<u32>,
    pub requests: usize,
    pub new_tokens: u32,
    pub parallel: u32,
    pub skip_prefix: bool,
    /// llama.cpp's tools to run alongside (`llama-bench`, `llama-batched-bench`).
    pub vs_llama_cpp: Option<PathBuf>,
    pub verbose: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("no model: pass `--model NAME` or set `default_model`")]
    NoModel,
    #[error("`{0}` is not a local GGUF model: nothing to compare with llama.cpp")]
    NotLocal(String),
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("cannot run `{}`: {source}", .path.display())]
    ToolMissing { path: PathBuf, source: std::io::Error },
    #[error("`{}` failed{signal}: {last_line}", .path.display())]
    ToolFailed { path: PathBuf, signal: String, last_line: String },
    #[error("llama-bench printed no JSON: {0}")]
    ToolOutput(serde_json::Error),
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub model: String,
    pub threads: u32,
    pub parallel: u32,
    pub requests: usize,
    pub new_tokens: u32,
    /// Deterministic one-row steps are padded on this build and CPU (see the engine).
    pub padded_steps: bool,
    pub single: Single,
    pub sequential: Throughput,
    pub batched: Throughput,
    pub batched_speedup: f64,
    pub throughput_mode: ThroughputMode,
    pub llama_cpp: Option<LlamaCpp>,
    pub shared_prefix: SharedPrefix,
}

#[derive(Debug, Clone, Serialize)]
pub struct Single {
    pub decode_tokens_per_s: f64,
    pub ttft_ms: f64,
    pub prompt_tokens: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Throughput {
    pub seconds: f64,
    pub gen_tokens_per_s: f64,
    pub total_tokens_per_s: f64,
}

/// Batch invariance off.
#[derive(Debug, Clone, Serialize)]
pub struct ThroughputMode {
    pub single_decode_tokens_per_s: f64,
    pub batched_seconds: f64,
    pub batched_gen_tokens_per_s: f64,
    /// The share of deterministic batched time that batch invariance costs.
    pub deterministic_batched_cost: f64,
}

/// llama.cpp's tools, run in the same invocation, and this engine's ratios to them.
#[derive(Debug, Clone, Serialize)]
pub struct LlamaCpp {
    pub flash_attn: bool,
    /// `llama-bench -n N -p 0` with its defaults (flash attention on, from an empty context).
    pub tg_tokens_per_s: f64,
    /// The same with this engine's flash-attention setting, from the bench prompt's length.
    pub tg_matched_tokens_per_s: f64,
    pub single_ratio_matched: f64,
    pub single_ratio_matched_throughput_mode: f64,
    /// `llama-batched-bench` total tokens/s at the bench's parallelism, and at one sequence.
    pub batched_total_tokens_per_s: f64,
    pub batched_single_total_tokens_per_s: f64,
    pub single_ratio: f64,
    pub single_ratio_throughput_mode: f64,
    pub batched_ratio: f64,
    pub batched_ratio_throughput_mode: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SharedPrefix {
    pub prompt_tokens_per_request: u64,
    /// NaN (null in JSON) when skipped.
    pub without_reuse_seconds: f64,
    pub with_reuse_seconds: f64,
    pub speedup: f64,
}

const ANCHOR_TOOLS: [&str; 2] = ["llama-bench", "llama-batched-bench"];

/// What llama.cpp's own tools measured.
struct Anchor {
    tg: f64,
    tg_matched: f64,
    batched: f64,
    batched_single: f64,
}

/// Runs llama.cpp's `llama-bench` (tg, with its defaults and with this engine's setting) and
/// `llama-batched-bench` (PP 32, TG `new_tokens`, B 1 and `parallel`) from `dir`.
fn anchor(dir: &Path, gguf: &Path, threads: u32, new_tokens: u32, parallel: u32, depth: u32) -> Result<Anchor, BenchError> {
    let run = |tool: &str, args: Vec<String>| -> Result<String, BenchError> {
        let path = dir.join(tool);
        let out = std::process::Command::new(&path)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|source| BenchError::ToolMissing { path: path.clone(), source })?;
        if !out.status.success() {
            let signal = std::os::unix::process::ExitStatusExt::signal(&out.status).map(|s| format!(" (killed by signal {s})")).unwrap_or_default();
            let last_line = String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("").to_owned();
            return Err(BenchError::ToolFailed { path, signal, last_line });
        }
        // Some tools log their results to stderr: both streams, stdout first.
        Ok(format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    };
    let model = gguf.display().to_string();
    let fa = if engine::local::flash_attention_on() { "1" } else { "0" };
    let bench = run(
        "llama-bench",
        vec!["-m".into(), model.clone(), "-t".into(), threads.to_string(), "-p".into(), "0".into(), "-n".into(), new_tokens.to_string(), "-r".into(), "3".into(), "-fa".into(), format!("1,{fa}"), "-d".into(), format!("0,{depth}"), "-o".into(), "json".into()],
    )?;
    let json = bench.find('[').and_then(|start| bench.rfind(']').map(|end| &bench[start..=end])).unwrap_or_default();
    let rows: serde_json::Value = serde_json::from_str(json).map_err(BenchError::ToolOutput)?;
    let tg_at = |flash: bool, d: u32| {
        rows.as_array()
            .and_then(|r| r.iter().find(|r| r["n_gen"].as_u64() == Some(u64::from(new_tokens)) && r["flash_attn"].as_i64().map(|f| f != 0) == Some(flash) && r["n_depth"].as_u64() == Some(u64::from(d))))
            .and_then(|r| r["avg_ts"].as_f64())
            .unwrap_or(f64::NAN)
    };
    let (tg, tg_matched) = (tg_at(true, 0), tg_at(fa == "1", depth));
    let ctx = (parallel * (32 + new_tokens) + 64).to_string();
    let batched = run(
        "llama-batched-bench",
        vec!["-m".into(), model, "-t".into(), threads.to_string(), "-tb".into(), threads.to_string(), "-c".into(), ctx, "-fa".into(), if fa == "1" { "on".into() } else { "off".into() }, "-npp".into(), "32".into(), "-ntg".into(), new_tokens.to_string(), "-npl".into(), format!("1,{parallel}"), "--output-format".into(), "jsonl".into()],
    )?;
    let mut at = std::collections::HashMap::new();
    for line in batched.lines().filter(|l| l.trim_start().starts_with('{')) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            if let (Some(b), Some(speed)) = (v["pl"].as_u64(), v["speed"].as_f64()) {
                at.insert(b, speed);
            }
        }
    }
    Ok(Anchor { tg, tg_matched, batched: at.get(&u64::from(parallel)).copied().unwrap_or(f64::NAN), batched_single: at.get(&1).copied().unwrap_or(f64::NAN) })
}

const TOPICS: [&str; 8] = ["a lighthouse", "a lost key", "the first snow", "a chess game", "a night train", "an old map", "a garden robot", "a quiet library"];

fn short_requests(n: usize, new_tokens: u32) -> Vec<ChatRequest> {
    (0..n)
        .map(|i| {
            let content = format!("Write a short story about {} number {i}.", TOPICS[i % TOPICS.len()]);
            let mut r = ChatRequest::new(vec![RenderedMessage { role: "user".into(), content }], Params { max_tokens: Some(new_tokens), ..Default::default() });
            r.ignore_eos = true;
            r
        })
        .collect()
}

/// A long common system prompt (a style guide), then a short question per row.
fn prefix_requests(n: usize) -> Vec<ChatRequest> {
    let guide: String = (1..=40).map(|i| format!("Rule {i}: answers stay polite, precise and short, and never invent facts about topic {i}. ")).collect();
    (0..n)
        .map(|i| {
            let mut r = ChatRequest::new(
                vec![
                    RenderedMessage { role: "system".into(), content: guide.clone() },
                    RenderedMessage { role: "user".into(), content: format!("Question {i}: what is {} plus {}?", i, i + 1) },
                ],
                Params { max_tokens: Some(16), ..Default::default() },
            );
            r.ignore_eos = true;
            r
        })
        .collect()
}

struct Figures {
    seconds: f64,
    prompt_tokens: u64,
    output_tokens: u64,
}

impl Figures {
    const SKIPPED: Figures = Figures { seconds: f64::NAN, prompt_tokens: 0, output_tokens: 0 };

    fn of(results: Vec<Result<Completion, EngineError>>, seconds: f64) -> Result<Figures, BenchError> {
        let mut f = Figures { seconds, prompt_tokens: 0, output_tokens: 0 };
        for r in results {
            let c = r?;
            f.prompt_tokens += u64::from(c.usage.input_tokens);
            f.output_tokens += u64::from(c.usage.output_tokens);
        }
        Ok(f)
    }
    fn gen_per_s(&self) -> f64 {
        self.output_tokens as f64 / self.seconds
    }
    fn total_per_s(&self) -> f64 {
        (self.prompt_tokens + self.output_tokens) as f64 / self.seconds
    }
    fn throughput(&self) -> Throughput {
        Throughput { seconds: self.seconds, gen_tokens_per_s: self.gen_per_s(), total_tokens_per_s: self.total_per_s() }
    }
}

fn timed(provider: &dyn Provider, requests: &[ChatRequest], one_by_one: bool) -> Result<Figures, BenchError> {
    let start = Instant::now();
    let results = if one_by_one {
        requests.iter().flat_map(|r| provider.generate(std::slice::from_ref(r), &mut |_| {})).collect()
    } else {
        provider.generate(requests, &mut |_| {})
    };
    Figures::of(results, start.elapsed().as_secs_f64())
}

fn one(provider: &dyn Provider, new_tokens: u32) -> Result<Completion, BenchError> {
    Ok(provider.generate(&short_requests(1, new_tokens), &mut |_| {}).pop().expect("one result per request")?)
}

/// Runs every measurement; `status` hears each figure as it is taken.
pub fn measure(ws: &Workspace, options: &BenchOptions, status: &mut dyn FnMut(String)) -> Result<BenchReport, BenchError> {
    let model = crate::run::model_name(options.model.as_deref(), None, None, &ws.config).ok_or(BenchError::NoModel)?;
    let threads = threads::decode_threads(options.threads);
    let gguf = ws.config.models.get(&model).filter(|m| m.provider() == ProviderKind::LlamaCpp).map(|m| engine::model_file::model_path(&ws.root, m));
    if let Some(dir) = &options.vs_llama_cpp {
        if gguf.is_none() {
            return Err(BenchError::NotLocal(model));
        }
        // A wrong directory fails now, not after minutes of measuring.
        for tool in ANCHOR_TOOLS {
            let path = dir.join(tool);
            if let Err(source) = std::fs::metadata(&path) {
                return Err(BenchError::ToolMissing { path, source });
            }
        }
    }
    let open = |parallel: u32, reuse: bool, deterministic: bool| {
        let run = RunOptions { threads: Some(threads), parallel: Some(parallel), no_prefix_reuse: !reuse, verbose: options.verbose, deterministic: Some(deterministic) };
        engine::open(&ws.root, &ws.config, &model, &run)
    };
    let (requests_n, new_tokens, parallel) = (options.requests, options.new_tokens, options.parallel);
    status(format!("bench `{model}`, {threads} threads, {requests_n} requests x {new_tokens} new tokens"));
    let warm = short_requests(1, 8);

    let single = open(1, false, true)?;
    let padded_steps = single.local_info().is_some_and(|i| i.padded_steps);
    timed(single.as_ref(), &warm, false)?;
    let one_det = one(single.as_ref(), new_tokens)?;
    status(format!("single sequence: {:.1} tokens/s decode", one_det.timings.tokens_per_s));
    drop(single);
    // The same with batch invariance off, to show what it costs.
    let fast_single = open(1, false, false)?;
    timed(fast_single.as_ref(), &warm, false)?;
    let one_fast = one(fast_single.as_ref(), new_tokens)?;
    status(format!("single sequence, throughput mode: {:.1} tokens/s decode", one_fast.timings.tokens_per_s));
    drop(fast_single);

    let plain = open(parallel, false, true)?;
    timed(plain.as_ref(), &warm, false)?;
    let requests = short_requests(requests_n, new_tokens);
    let sequential = timed(plain.as_ref(), &requests, true)?;
    status(format!("one after another: {:.1} s", sequential.seconds));
    let batched = timed(plain.as_ref(), &requests, false)?;
    status(format!("batched: {:.1} s", batched.seconds));
    let (no_reuse, reuse) = if options.skip_prefix {
        drop(plain);
        (Figures::SKIPPED, Figures::SKIPPED)
    } else {
        let prefix = prefix_requests(requests_n);
        let no_reuse = timed(plain.as_ref(), &prefix, false)?;
        drop(plain);
        let reusing = open(parallel, true, true)?;
        timed(reusing.as_ref(), &warm, false)?;
        (no_reuse, timed(reusing.as_ref(), &prefix, false)?)
    };
    let prefix_tokens = no_reuse.prompt_tokens / requests_n.max(1) as u64;
    // Measured with no other engine alive (an idle engine's worker threads still compete).
    let fast_batched = {
        let fast = open(parallel, false, false)?;
        timed(fast.as_ref(), &warm, false)?;
        timed(fast.as_ref(), &requests, false)?
    };
    status(format!("batched, throughput mode: {:.1} s", fast_batched.seconds));

    // llama.cpp's own tools last, with no engine of ours alive.
    let anchor = match (&options.vs_llama_cpp, &gguf) {
        (Some(dir), Some(gguf)) => {
            status(format!("running llama.cpp's tools from `{}`", dir.display()));
            Some(anchor(dir, gguf, threads, new_tokens, parallel, one_det.usage.input_tokens)?)
        }
        _ => None,
    };
    let (single_tps, fast_tps) = (one_det.timings.tokens_per_s, one_fast.timings.tokens_per_s);
    Ok(BenchReport {
        model,
        threads,
        parallel,
        requests: requests_n,
        new_tokens,
        padded_steps,
        single: Single { decode_tokens_per_s: single_tps, ttft_ms: one_det.timings.ttft_ms, prompt_tokens: one_det.usage.input_tokens },
        sequential: sequential.throughput(),
        batched: batched.throughput(),
        batched_speedup: sequential.seconds / batched.seconds,
        throughput_mode: ThroughputMode {
            single_decode_tokens_per_s: fast_tps,
            batched_seconds: fast_batched.seconds,
            batched_gen_tokens_per_s: fast_batched.gen_per_s(),
            deterministic_batched_cost: 1.0 - fast_batched.seconds / batched.seconds,
        },
        llama_cpp: anchor.map(|a| LlamaCpp {
            flash_attn: engine::local::flash_attention_on(),
            tg_tokens_per_s: a.tg,
            tg_matched_tokens_per_s: a.tg_matched,
            single_ratio_matched: single_tps / a.tg_matched,
            single_ratio_matched_throughput_mode: fast_tps / a.tg_matched,
            batched_total_tokens_per_s: a.batched,
            batched_single_total_tokens_per_s: a.batched_single,
            single_ratio: single_tps / a.tg,
            single_ratio_throughput_mode: fast_tps / a.tg,
            batched_ratio: batched.total_per_s() / a.batched,
            batched_ratio_throughput_mode: fast_batched.total_per_s() / a.batched,
        }),
        shared_prefix: SharedPrefix {
            prompt_tokens_per_request: prefix_tokens,
            without_reuse_seconds: no_reuse.seconds,
            with_reuse_seconds: reuse.seconds,
            speedup: no_reuse.seconds / reuse.seconds,
        },
    })
}
