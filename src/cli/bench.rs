use std::process::ExitCode;

use super::{CommandError, Ctx};
use crate::bench::{self, BenchOptions};
use crate::printer::Printer;

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

pub fn cmd_bench(ctx: &Ctx, printer: &Printer, args: BenchArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let options = BenchOptions {
        model: args.model,
        threads: args.threads,
        requests: args.requests,
        new_tokens: args.new_tokens,
        parallel: args.parallel,
        skip_prefix: args.skip_prefix,
        vs_llama_cpp: args.vs_llama_cpp,
        verbose: printer.verbose,
    };
    let r = bench::measure(&ws, &options, &mut |line| printer.status(line))?;
    if printer.json {
        printer.json_value(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    out.push_str(&format!("model {}, {} threads, {} sequences in batched runs\n", r.model, r.threads, r.parallel));
    out.push_str(if r.padded_steps {
        "deterministic steps are padded: a one-row step computes differently from a batched one on this build and CPU\n"
    } else {
        "deterministic steps are not padded: one-row and batched steps agree bit for bit on this build and CPU\n"
    });
    out.push_str(&format!(
        "single sequence        {:>7.1} tokens/s decode ({} prompt tokens, {:.0} ms to first token)\n",
        r.single.decode_tokens_per_s, r.single.prompt_tokens, r.single.ttft_ms
    ));
    let (n, k) = (r.requests, r.new_tokens);
    out.push_str(&format!(
        "{n} x {k} one by one    {:>7.1} gen tokens/s  {:>7.1} total tokens/s  {:>6.1} s\n",
        r.sequential.gen_tokens_per_s, r.sequential.total_tokens_per_s, r.sequential.seconds
    ));
    out.push_str(&format!(
        "{n} x {k} batched       {:>7.1} gen tokens/s  {:>7.1} total tokens/s  {:>6.1} s  ({:.2}x)\n",
        r.batched.gen_tokens_per_s, r.batched.total_tokens_per_s, r.batched.seconds, r.batched_speedup
    ));
    let t = &r.throughput_mode;
    out.push_str(&format!(
        "throughput mode        {:>7.1} tokens/s single decode; {n} x {k} batched {:>6.1} gen tokens/s {:>6.1} s (batch invariance costs {:.0}% of batched time)\n",
        t.single_decode_tokens_per_s,
        t.batched_gen_tokens_per_s,
        t.batched_seconds,
        t.deterministic_batched_cost * 100.0
    ));
    if let Some(a) = &r.llama_cpp {
        let fa = if a.flash_attn { "on" } else { "off" };
        out.push_str(&format!(
            "llama.cpp, same run     llama-bench tg{k} (its defaults: flash attention on, empty context): {:.1} tokens/s (single: {:.2}x, throughput mode {:.2}x)\n",
            a.tg_tokens_per_s, a.single_ratio, a.single_ratio_throughput_mode,
        ));
        out.push_str(&format!(
            "                        llama-bench tg{k} -fa {fa} -d {d} (this engine's setting, after the bench prompt): {:.1} tokens/s (single: {:.2}x, throughput mode {:.2}x)\n",
            a.tg_matched_tokens_per_s,
            a.single_ratio_matched,
            a.single_ratio_matched_throughput_mode,
            d = r.single.prompt_tokens,
        ));
        out.push_str(&format!(
            "                        llama-batched-bench -fa {fa} PP 32 TG {k} B {}: {:.1} total tokens/s (batched: {:.2}x, throughput mode {:.2}x)\n",
            r.parallel, a.batched_total_tokens_per_s, a.batched_ratio, a.batched_ratio_throughput_mode,
        ));
    }
    if !args.skip_prefix {
        let p = &r.shared_prefix;
        out.push_str(&format!(
            "shared prefix ({} tokens/request): without reuse {:.2} s, with reuse {:.2} s  ({:.2}x)\n",
            p.prompt_tokens_per_request, p.without_reuse_seconds, p.with_reuse_seconds, p.speedup
        ));
    }
    printer.write(&out)?;
    Ok(ExitCode::SUCCESS)
}
