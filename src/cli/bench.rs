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
    let model = args
        .model
        .clone()
        .or_else(|| ws.config.default_model.clone())
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

    let single = open(1, false)?;
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

    let report = serde_json::json!({
        "model": model,
        "threads": threads,
        "parallel": args.parallel,
        "requests": args.requests,
        "new_tokens": args.new_tokens,
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
    if !args.skip_prefix {
        out.push_str(&format!(
            "shared prefix ({prefix_tokens} tokens/request): without reuse {:.2} s, with reuse {:.2} s  ({:.2}x)\n",
            no_reuse.seconds, reuse.seconds, no_reuse.seconds / reuse.seconds
        ));
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}
