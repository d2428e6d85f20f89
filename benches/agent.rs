//! Agent loops: 32 rows × a 3-step loop with a mocked tool (`llmops eval`, end to end), the
//! loops batched (`parallel: 32`, every row's loop at once; and the default 8) against the same
//! loops one row at a time (`parallel: 1`),
//! target ≥ 1.5×; and the cost of the tool-call grammar per decoded token, against plain
//! decoding of the same prompts, one request at a time, target < 10%. All in this one run.
//!
//! Run: `cargo bench --bench agent` (needs the test model: `make model`).

#[path = "support/stories.rs"]
mod stories;

use std::process::Command;
use std::time::Instant;

use llmops::agent::protocol::{self, ToolSyntax, Turn};
use llmops::engine::ChatRequest;
use llmops::template::RenderedMessage;
use stories::config;

const CITIES: [&str; 8] = ["Paris", "Lima", "Oslo", "Cairo", "Tokyo", "Sydney", "Quito", "Accra"];

const PROMPT: &str = "tools:
  - name: get_weather
    description: The current weather in a city.
    parameters: {type: object, properties: {city: {type: string}}, required: [city]}
tool_choice: required
parallel_tool_calls: false
agent: {max_steps: 3}
params: {temperature: 0, max_tokens: 48}
messages:
  - role: system
    content: You answer questions about the weather. Call get_weather first, then answer in one sentence.
  - role: user
    content: \"What is the weather in {{ city }} on day {{ n }}?\"
";

fn main() {
    let bin = env!("CARGO_BIN_EXE_llmops");
    let dir = stories::workspace(bin);
    let root = dir.path();
    std::fs::write(root.join("prompts/agent.yaml"), PROMPT).unwrap();
    let rows: String = (0..32)
        .map(|i| {
            let city = CITIES[i % CITIES.len()];
            format!("{{\"id\": \"a{i}\", \"vars\": {{\"city\": \"{city}\", \"n\": {i}}}, \"tool_results\": {{\"get_weather\": \"sunny, {} C\"}}}}\n", 10 + i)
        })
        .collect();
    std::fs::write(root.join("datasets/cities.jsonl"), rows).unwrap();
    std::fs::write(root.join("evals/agent.yaml"), "prompt: agent\ndataset: cities\ngraders:\n  - type: tool-call-valid\n").unwrap();

    let run = |parallel: u32| {
        std::fs::write(root.join(".llmops/config.yaml"), config(parallel)).unwrap();
        let start = Instant::now();
        let out = Command::new(bin).current_dir(root).args(["eval", "agent", "--no-cache", "--json"]).output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
        let wall = start.elapsed().as_secs_f64();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("eval --json");
        (wall, report[0]["summary"]["output_tokens"].as_f64().unwrap())
    };
    let (batched8, _) = run(8);
    let (batched, tokens) = run(32);
    let (sequential, tokens_seq) = run(1);
    let steps = Command::new(bin).current_dir(root).args(["show", "agent", "--samples", "--json"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&steps.stdout).unwrap();
    let total_steps: usize = shown["samples"].as_array().unwrap().iter().map(|s| s["trajectory"]["steps"].as_array().unwrap().len()).sum();
    println!("32 rows, {total_steps} steps in all, {tokens} output tokens (one at a time: {tokens_seq})");
    println!("agent loops batched (32 sequences: every row's loop at once) {batched:.1} s, one row at a time {sequential:.1} s  ({:.2}x; target >= 1.5x)", sequential / batched);
    println!("  with the default 8 sequences: {batched8:.1} s ({:.2}x)", sequential / batched8);

    // The grammar's cost per decoded token: the same prompts, one request at a time, with the
    // call grammar (the first step of the loop) and with none.
    std::fs::write(root.join(".llmops/config.yaml"), config(1)).unwrap();
    let ws = llmops::workspace::Workspace::discover(root).unwrap();
    let engine = llmops::engine::open(&ws.repo_root(), &ws.config, "smollm2", &Default::default()).unwrap();
    let (_, prompt) = ws.load_prompt("agent").unwrap();
    let instructions = protocol::instructions(&prompt.tools);
    let call_grammar = protocol::grammar(&prompt.tools, Turn::Call(None), false, ToolSyntax::Generic).unwrap();
    let answer_grammar = protocol::grammar(&prompt.tools, Turn::Answer, false, ToolSyntax::Generic).unwrap();
    let request = |i: usize, grammar: Option<&String>, ignore_eos: bool| {
        let messages = vec![
            RenderedMessage { role: "system".into(), content: format!("You answer questions about the weather.\n\n{instructions}") },
            RenderedMessage { role: "user".into(), content: format!("What is the weather in {} on day {i}?", CITIES[i % CITIES.len()]) },
        ];
        let mut r = ChatRequest::new(messages, prompt.params.clone());
        r.grammar = grammar.cloned();
        r.ignore_eos = ignore_eos;
        r
    };
    // A request that ends by itself took one more step than its output tokens, the one that
    // chose the end (a call always does; plain text often runs to `max_tokens`): that step is
    // counted.
    // One request's milliseconds and decoding steps after its first token.
    let steps_of = |i: usize, grammar: Option<&String>, ignore_eos: bool| -> (f64, f64) {
        let c = engine.generate(&[request(i, grammar, ignore_eos)], &mut |_| {}).pop().unwrap().unwrap();
        let ended = u32::from(c.finish_reason == llmops::engine::FinishReason::Stop);
        (c.timings.total_ms - c.timings.ttft_ms, f64::from((c.usage.output_tokens + ended).saturating_sub(1)))
    };
    // Milliseconds per step with a grammar and without, the two alternating request by
    // request (32 of each), so that the machine's load weighs on both alike.
    let per_step = |grammar: &String, ignore_eos: bool| -> (f64, f64) {
        let (mut with, mut without) = ((0.0, 0.0), (0.0, 0.0));
        for i in 0..32 {
            let (ms, n) = steps_of(i, None, ignore_eos);
            without = (without.0 + ms, without.1 + n);
            let (ms, n) = steps_of(i, Some(grammar), ignore_eos);
            with = (with.0 + ms, with.1 + n);
        }
        (without.0 / without.1, with.0 / with.1)
    };
    let (plain, free_text) = per_step(&answer_grammar, true);
    let (plain_again, calls) = per_step(&call_grammar, false);
    println!("per decoding step, one request at a time (48 tokens each unless the reply ends first):");
    println!("  no grammar {plain:.2} ms; answer grammar {free_text:.2} ms ({:+.1}%)", 100.0 * (free_text / plain - 1.0));
    println!("  no grammar, stopping at the end {plain_again:.2} ms; tool-call grammar {calls:.2} ms ({:+.1}%; target < 10%)", 100.0 * (calls / plain_again - 1.0));
}
