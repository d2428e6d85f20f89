use std::process::ExitCode;
use std::time::Instant;

use super::{CommandError, Ctx};
use crate::engine::{self, ChatRequest, Completion, Provider, RunOptions, threads};
use crate::printer::Printer;
use crate::spec::prompt::Params;
use crate::template::RenderedMessage;

/// Measure the local engine: single-sequence decode speed, batched against one-after-another
/// throughput, and the effect of shared-prefix reuse. All figures come from one run.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Model to measure (default: the config's default model)
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Decode threads (default: the cores this process may use)
    #[arg(long, value_name = "N", env = "LLMOPS_THREADS")]
    pub threads: Option<u32>,
    /// Requests in the throughput and prefix runs
    #[arg(long, default_value_t = 32, value_name = "N")]
    pub requests: usize,
    /// New tokens per request
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub new_tokens: u32,
    /// Sequences decoded together in the batched runs
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub parallel: u32,
    /// Skip the shared-prefix measurement (the slowest part)
    #[arg(long)]
    pub skip_prefix: bool,
    /// Also run llama.cpp's own `llama-bench` and `llama-batched-bench` from DIR on the same
    /// GGUF and threads, in this invocation, and print the ratios
    #[arg(long, value_name = "DIR")]
    pub vs_llama_cpp: Option<std::path::PathBuf>,
}

/// What llama.cpp's own tools measured, in the same invocation.
struct Anchor {
    /// `llama-bench -n N -p 0` with its defaults (flash attention on, from an empty context):
    /// decode tokens/s.
    tg: f64,
    /// The same with this engine's flash-attention setting, from the bench prompt's length.
    tg_matched: f64,
    /// `llama-batched-bench` (this engine's flash-attention setting): total tokens/s at the
    /// bench's parallelism, and at one sequence.
    batched: f64,
    batched_single: f64,
}

/// Runs llama.cpp's `llama-bench` (tg, with its defaults and with this engine's setting) and
/// `llama-batched-bench` (PP 32, TG `new_tokens`, B 1 and `parallel`) from `dir`.
fn anchor(dir: &std::path::Path, gguf: &std::path::Path, threads: u32, new_tokens: u32, parallel: u32, depth: u32) -> Result<Anchor, CommandError> {
    let run = |tool: &str, args: Vec<String>| -> Result<String, CommandError> {
        let path = dir.join(tool);
        let out = std::process::Command::new(&path)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| CommandError::usage(format!("cannot run `{}`: {e}", path.display())).hint("build llama.cpp's tools with scripts/build-llama-tools.sh"))?;
        if !out.status.success() {
            let signal = std::os::unix::process::ExitStatusExt::signal(&out.status).map(|s| format!(" (killed by signal {s})")).unwrap_or_default();
            return Err(CommandError::new(super::ExitKind::Provider, format!("`{}` failed{signal}: {}", path.display(), String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or(""))));
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
    let rows: serde_json::Value = serde_json::from_str(json).map_err(|e| CommandError::new(super::ExitKind::Provider, format!("llama-bench printed no JSON: {e}")))?;
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
            let mut r = ChatRequest::new(
                vec![RenderedMessage { role: "user".into(), content }],
                Params { max_tokens: Some(new_tokens), ..Default::default() },
            );
            r.ignore_eos = true;
            r
        })
        .collect()
}

/// A long common system prompt (a style guide), then a short question per row.
fn prefix_requests(n: usize) -> Vec<ChatRequest> {
    let guide: String = (1..=40)
        .map(|i| format!("Rule {i}: answers stay polite, precise and short, and never invent facts about topic {i}. "))
        .collect();
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
    fn of(results: Vec<Result<Completion, engine::EngineError>>, seconds: f64) -> Result<Figures, CommandError> {
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
}

fn timed(provider: &dyn Provider, requests: &[ChatRequest], one_by_one: bool) -> Result<Figures, CommandError> {
    let start = Instant::now();
    let results = if one_by_one {
        requests.iter().flat_map(|r| provider.generate(std::slice::from_ref(r), &mut |_| {})).collect()
    } else {
        provider.generate(requests, &mut |_| {})
    };
    Figures::of(results, start.elapsed().as_secs_f64())
}

pub fn cmd_bench(ctx: &Ctx, printer: &Printer, args: BenchArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let model = crate::run::model_name(args.model.as_deref(), None, None, &ws.config)
        .ok_or_else(|| CommandError::usage("no model: pass `--model NAME` or set `default_model`"))?;
    let threads = threads::decode_threads(args.threads);
    let open_as = |parallel: u32, reuse: bool, deterministic: bool| {
        let options = RunOptions {
            threads: Some(threads),
            parallel: Some(parallel),
            no_prefix_reuse: !reuse,
            verbose: printer.verbose,
            deterministic: Some(deterministic),
        };
        engine::open(&ws.root, &ws.config, &model, &options)
    };
    let open = |parallel: u32, reuse: bool| open_as(parallel, reuse, true);
    printer.status(format!("bench `{model}`, {threads} threads, {} requests x {} new tokens", args.requests, args.new_tokens));
    let gguf = ws.config.models.get(&model).filter(|m| m.provider() == crate::spec::config::Provider::LlamaCpp).map(|m| engine::model_file::model_path(&ws.root, m));

    let single = open(1, false)?;
    let padded_steps = single.local_info().is_some_and(|i| i.padded_steps);
    let warm = short_requests(1, 8);
    timed(single.as_ref(), &warm, false)?;
    let one = single.generate(&short_requests(1, args.new_tokens), &mut |_| {}).pop().expect("one result")?;
    printer.status(format!("single sequence: {:.1} tokens/s decode", one.timings.tokens_per_s));
    drop(single);
    // The same with batch-invariance off, to show what it costs.
    let fast_single = open_as(1, false, false)?;
    timed(fast_single.as_ref(), &warm, false)?;
    let fast_one = fast_single.generate(&short_requests(1, args.new_tokens), &mut |_| {}).pop().expect("one result")?;
    printer.status(format!("single sequence, throughput mode: {:.1} tokens/s decode", fast_one.timings.tokens_per_s));
    drop(fast_single);

    let plain = open(args.parallel, false)?;
    timed(plain.as_ref(), &warm, false)?;
    let requests = short_requests(args.requests, args.new_tokens);
    let sequential = timed(plain.as_ref(), &requests, true)?;
    printer.status(format!("one after another: {:.1} s", sequential.seconds));
    let batched = timed(plain.as_ref(), &requests, false)?;
    printer.status(format!("batched: {:.1} s", batched.seconds));
    let prefix = if args.skip_prefix { Vec::new() } else { prefix_requests(args.requests) };
    let (no_reuse, reuse) = if prefix.is_empty() {
        drop(plain);
        (Figures { seconds: f64::NAN, prompt_tokens: 0, output_tokens: 0 }, Figures { seconds: f64::NAN, prompt_tokens: 0, output_tokens: 0 })
    } else {
        let no_reuse = timed(plain.as_ref(), &prefix, false)?;
        drop(plain);
        let reusing = open(args.parallel, true)?;
        timed(reusing.as_ref(), &warm, false)?;
        (no_reuse, timed(reusing.as_ref(), &prefix, false)?)
    };
    let prefix_tokens = no_reuse.prompt_tokens / args.requests.max(1) as u64;
    // Measured with no other engine alive (an idle engine's worker threads still compete).
    let fast_batched = {
        let fast = open_as(args.parallel, false, false)?;
        timed(fast.as_ref(), &warm, false)?;
        timed(fast.as_ref(), &requests, false)?
    };
    printer.status(format!("batched, throughput mode: {:.1} s", fast_batched.seconds));

    // llama.cpp's own tools last, with no engine of ours alive.
    let anchor = match (&args.vs_llama_cpp, &gguf) {
        (Some(dir), Some(gguf)) => {
            printer.status(format!("running llama.cpp's tools from `{}`", dir.display()));
            Some(anchor(dir, gguf, threads, args.new_tokens, args.parallel, one.usage.input_tokens)?)
        }
        (Some(_), None) => return Err(CommandError::usage(format!("`{model}` is not a local GGUF model: nothing to compare with llama.cpp"))),
        _ => None,
    };
    let report = serde_json::json!({
        "model": model,
        "threads": threads,
        "parallel": args.parallel,
        "requests": args.requests,
        "new_tokens": args.new_tokens,
        "padded_steps": padded_steps,
        "single": {"decode_tokens_per_s": one.timings.tokens_per_s, "ttft_ms": one.timings.ttft_ms, "prompt_tokens": one.usage.input_tokens},
        "sequential": {"seconds": sequential.seconds, "gen_tokens_per_s": sequential.gen_per_s(), "total_tokens_per_s": sequential.total_per_s()},
        "batched": {"seconds": batched.seconds, "gen_tokens_per_s": batched.gen_per_s(), "total_tokens_per_s": batched.total_per_s()},
        "batched_speedup": sequential.seconds / batched.seconds,
        "throughput_mode": {
            "single_decode_tokens_per_s": fast_one.timings.tokens_per_s,
            "batched_seconds": fast_batched.seconds,
            "batched_gen_tokens_per_s": fast_batched.gen_per_s(),
            "deterministic_batched_cost": 1.0 - fast_batched.seconds / batched.seconds,
        },
        "llama_cpp": anchor.as_ref().map(|a| serde_json::json!({
            "flash_attn": engine::local::flash_attention_on(),
            "tg_tokens_per_s": a.tg,
            "tg_matched_tokens_per_s": a.tg_matched,
            "single_ratio_matched": one.timings.tokens_per_s / a.tg_matched,
            "single_ratio_matched_throughput_mode": fast_one.timings.tokens_per_s / a.tg_matched,
            "batched_total_tokens_per_s": a.batched,
            "batched_single_total_tokens_per_s": a.batched_single,
            "single_ratio": one.timings.tokens_per_s / a.tg,
            "single_ratio_throughput_mode": fast_one.timings.tokens_per_s / a.tg,
            "batched_ratio": batched.total_per_s() / a.batched,
            "batched_ratio_throughput_mode": fast_batched.total_per_s() / a.batched,
        })),
        "shared_prefix": {
            "prompt_tokens_per_request": prefix_tokens,
            "without_reuse_seconds": no_reuse.seconds,
            "with_reuse_seconds": reuse.seconds,
            "speedup": no_reuse.seconds / reuse.seconds,
        },
    });
    if printer.json {
        printer.json_value(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    out.push_str(&format!("model {model}, {threads} threads, {} sequences in batched runs\n", args.parallel));
    out.push_str(if padded_steps {
        "deterministic steps are padded: a one-row step computes differently from a batched one on this build and CPU\n"
    } else {
        "deterministic steps are not padded: one-row and batched steps agree bit for bit on this build and CPU\n"
    });
    out.push_str(&format!(
        "single sequence        {:>7.1} tokens/s decode ({} prompt tokens, {:.0} ms to first token)\n",
        one.timings.tokens_per_s, one.usage.input_tokens, one.timings.ttft_ms
    ));
    out.push_str(&format!(
        "{} x {} one by one    {:>7.1} gen tokens/s  {:>7.1} total tokens/s  {:>6.1} s\n",
        args.requests, args.new_tokens, sequential.gen_per_s(), sequential.total_per_s(), sequential.seconds
    ));
    out.push_str(&format!(
        "{} x {} batched       {:>7.1} gen tokens/s  {:>7.1} total tokens/s  {:>6.1} s  ({:.2}x)\n",
        args.requests, args.new_tokens, batched.gen_per_s(), batched.total_per_s(), batched.seconds, sequential.seconds / batched.seconds
    ));
    out.push_str(&format!(
        "throughput mode        {:>7.1} tokens/s single decode; {} x {} batched {:>6.1} gen tokens/s {:>6.1} s (batch invariance costs {:.0}% of batched time)\n",
        fast_one.timings.tokens_per_s,
        args.requests,
        args.new_tokens,
        fast_batched.gen_per_s(),
        fast_batched.seconds,
        (1.0 - fast_batched.seconds / batched.seconds) * 100.0
    ));
    if let Some(a) = &anchor {
        let fa = if engine::local::flash_attention_on() { "on" } else { "off" };
        out.push_str(&format!(
            "llama.cpp, same run     llama-bench tg{n} (its defaults: flash attention on, empty context): {:.1} tokens/s (single: {:.2}x, throughput mode {:.2}x)\n",
            a.tg,
            one.timings.tokens_per_s / a.tg,
            fast_one.timings.tokens_per_s / a.tg,
            n = args.new_tokens,
        ));
        out.push_str(&format!(
            "                        llama-bench tg{n} -fa {fa} -d {d} (this engine's setting, after the bench prompt): {:.1} tokens/s (single: {:.2}x, throughput mode {:.2}x)\n",
            a.tg_matched,
            one.timings.tokens_per_s / a.tg_matched,
            fast_one.timings.tokens_per_s / a.tg_matched,
            n = args.new_tokens,
            d = one.usage.input_tokens,
        ));
        out.push_str(&format!(
            "                        llama-batched-bench -fa {fa} PP 32 TG {} B {}: {:.1} total tokens/s (batched: {:.2}x, throughput mode {:.2}x)\n",
            args.new_tokens,
            args.parallel,
            a.batched,
            batched.total_per_s() / a.batched,
            fast_batched.total_per_s() / a.batched,
        ));
    }
    if !args.skip_prefix {
        out.push_str(&format!(
            "shared prefix ({prefix_tokens} tokens/request): without reuse {:.2} s, with reuse {:.2} s  ({:.2}x)\n",
            no_reuse.seconds, reuse.seconds, no_reuse.seconds / reuse.seconds
        ));
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}
