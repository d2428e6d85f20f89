//! Tool-calling loops: a prompt with `tools:` runs step after step, each step one model call,
//! until the model answers without calling a tool or a limit ends it. Any model can take part:
//! a model calls in its own syntax where its chat template shows one, and otherwise reads the
//! tools and the call format in a system message; a local model decodes its calls under a
//! grammar built from the tools' schemas, so even a small model writes calls that parse and
//! validate. The loops of many rows run side by side, each step of each row one sequence of the
//! engine's continuous batch.

pub mod protocol;
pub mod tools;

use std::time::Instant;

use opentelemetry::KeyValue;
use opentelemetry::trace::{Span as _, SpanContext};

use crate::engine::cache::{Purpose, ResponseCache};
use crate::engine::{ChatRequest, Completion, EngineError, FinishReason, Provider, Timings, Usage};
use crate::grade::trajectory::{Step, ToolCall, Trajectory};
use crate::spec::dataset::Row;
use crate::spec::prompt::{Prompt, ToolChoice, ToolMode};
use crate::template::RenderedMessage;
use crate::trace::genai as attr;

pub use tools::Tools;

/// One loop to run: the prompt's messages rendered for a row.
pub struct Job<'a> {
    pub messages: Vec<RenderedMessage>,
    pub row: &'a Row,
    pub repeat: u32,
    /// The sample's span: the loop's `invoke_agent` span goes under it.
    pub trace: Option<SpanContext>,
}

/// What a loop gave: its last answer, the sum of its steps' usage, and what it did; with
/// `error`, why it stopped (its steps until then are kept, and it ended by `error`).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub completion: Completion,
    pub trajectory: Trajectory,
    pub error: Option<EngineError>,
}

/// How deep sub-agents may nest (validate refuses prompts that call each other in a circle).
pub const MAX_DEPTH: u32 = 4;

/// The prompts that `prompt:` tools run, reached from one prompt through its tools and
/// theirs, by reference, with the source each was read from.
pub type SubAgents = std::collections::BTreeMap<String, (crate::workspace::Source, Prompt)>;

/// Loads the sub-agents `prompt`'s tools reach.
pub fn load_subagents(ws: &crate::workspace::Workspace, prompt: &Prompt) -> Result<SubAgents, crate::workspace::WorkspaceError> {
    let mut out = SubAgents::new();
    let mut queue: Vec<String> = prompt.tools.iter().filter_map(|t| t.prompt.clone()).collect();
    while let Some(name) = queue.pop() {
        if out.contains_key(&name) {
            continue;
        }
        let (source, sub) = crate::release::load_prompt(ws, &name)?;
        queue.extend(sub.tools.iter().filter_map(|t| t.prompt.clone()));
        out.insert(name, (source, sub));
    }
    Ok(out)
}

/// The indexes the `retrieve:` tools of `prompt` and of its sub-agents search, each once.
pub fn tool_indexes(prompt: &Prompt, agents: &SubAgents) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let prompts = std::iter::once(prompt).chain(agents.values().map(|(_, p)| p)).filter(|p| p.is_agent());
    for name in prompts.flat_map(|p| p.tools.iter().filter_map(|t| t.retrieve.clone())) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Runs the loops of `jobs` on `provider` side by side, the steps in flight batched together;
/// `on_step` hears of each step of each job (by index) once its calls have run.
/// With a `cache`, a step whose request was answered before is answered from it (a step is
/// one request: its messages, grammar and parameters), and each new answer is stored at once,
/// so an interrupted eval resumes its loops where they stopped.
pub fn run_loops(
    provider: &dyn Provider,
    prompt: &Prompt,
    name: &str,
    jobs: Vec<Job<'_>>,
    tools: &Tools<'_>,
    cache: Option<&ResponseCache>,
    on_step: &mut (dyn FnMut(usize, &Step) + Send),
) -> Vec<Outcome> {
    run_loops_at(provider, prompt, name, jobs, tools, cache, Depth { level: 0, deadline: None }, on_step)
}

/// Where a loop runs: how deeply nested in sub-agents, and by when its caller must be
/// answered (a sub-agent's loop ends by its caller's time budget as well as its own).
#[derive(Debug, Clone, Copy)]
struct Depth {
    level: u32,
    deadline: Option<Instant>,
}

/// What every loop of one `run_loops` shares.
struct Setup<'a> {
    provider: &'a dyn Provider,
    prompt: &'a Prompt,
    name: &'a str,
    tools: &'a Tools<'a>,
    cache: Option<&'a ResponseCache>,
    depth: Depth,
    /// A loop with tools to call (not a sub-agent that answers once).
    agentic: bool,
    limits: crate::spec::prompt::AgentSpec,
    local: bool,
    syntax: protocol::ToolSyntax,
    definitions: Option<Vec<serde_json::Value>>,
    /// The grammars of a local model's first, middle and last steps.
    grammars: [Option<Result<String, String>>; 3],
}

/// Runs the loops of `jobs` at once, each step by step, as many at a time as the provider
/// answers requests at once (twice that for a local engine, so that a step that ends finds the
/// next one waiting): no loop waits for another's step, and the engine batches whatever steps
/// are in flight.
#[allow(clippy::too_many_arguments)]
fn run_loops_at(
    provider: &dyn Provider,
    prompt: &Prompt,
    name: &str,
    jobs: Vec<Job<'_>>,
    tools: &Tools<'_>,
    cache: Option<&ResponseCache>,
    depth: Depth,
    on_step: &mut (dyn FnMut(usize, &Step) + Send),
) -> Vec<Outcome> {
    // A sub-agent without tools (or with `tool_choice: none`) answers in one step.
    let agentic = prompt.is_agent();
    let mut limits = prompt.agent.clone().unwrap_or_default();
    if !agentic {
        limits.max_steps = 1;
    }
    let local = provider.local_info().is_some();
    let syntax = protocol::syntax_of(provider);
    let parallel = prompt.parallel_tool_calls.unwrap_or(true);
    let first = match &prompt.tool_choice {
        Some(ToolChoice::Named { name }) => protocol::Turn::Call(Some(name.as_str())),
        Some(ToolChoice::Mode(ToolMode::Required)) => protocol::Turn::Call(None),
        _ => protocol::Turn::Either,
    };
    let grammars = [first, protocol::Turn::Either, protocol::Turn::Answer].map(|turn| (local && agentic).then(|| protocol::grammar(&prompt.tools, turn, parallel, syntax)));
    let setup = Setup {
        provider,
        prompt,
        name,
        tools,
        cache,
        depth,
        agentic,
        definitions: if agentic { protocol::offer(&[], &prompt.tools, syntax).1 } else { None },
        limits,
        local,
        syntax,
        grammars,
    };
    let workers = if local { provider.concurrency() * 2 } else { provider.concurrency() }.clamp(1, jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let out: std::sync::Mutex<Vec<Option<Outcome>>> = std::sync::Mutex::new((0..jobs.len()).map(|_| None).collect());
    let on_step = std::sync::Mutex::new(on_step);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let outcome = run_loop(&setup, job, &mut |step| (on_step.lock().unwrap_or_else(|e| e.into_inner()))(i, step));
                    out.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
                }
            });
        }
    });
    out.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().map(|o| o.expect("every loop ran")).collect()
}

/// One loop, step after step, until it answers or a limit ends it.
fn run_loop(setup: &Setup<'_>, job: &Job<'_>, on_step: &mut dyn FnMut(&Step)) -> Outcome {
    let Setup { provider, prompt, name, tools, cache, depth, agentic, ref limits, local, syntax, .. } = *setup;
    let parent = job.trace.as_ref().map(crate::trace::child_of).unwrap_or_else(crate::trace::root_context);
    let mut span = crate::trace::start(
        format!("{} {name}", attr::INVOKE_AGENT),
        opentelemetry::trace::SpanKind::Internal,
        &parent,
        vec![KeyValue::new(attr::OPERATION_NAME, attr::INVOKE_AGENT), KeyValue::new(attr::AGENT_NAME, name.to_owned())],
    );
    let started = Instant::now();
    // The time budget holds within a step too: a generation still running at the deadline is
    // stopped, and the loop ends by `timeout`.
    let own = started + std::time::Duration::from_secs_f64(limits.timeout_s);
    let deadline = depth.deadline.map_or(own, |d| d.min(own));
    let mut messages = if agentic { protocol::offer(&job.messages, &prompt.tools, syntax).0 } else { job.messages.clone() };
    let (mut steps, mut calls, mut ttft_ms) = (Vec::new(), 0u32, 0.0);
    let (mut finish, mut error, mut last_finish) = (None, None, FinishReason::Stop);
    for step in 0..limits.max_steps {
        // The first step follows `tool_choice`; the last one, when the loop would end without
        // an answer, must answer (and the loop still ends by `max_steps`).
        let last = step + 1 == limits.max_steps;
        let grammar = match &setup.grammars[if last { 2 } else if step == 0 { 0 } else { 1 }] {
            None => None,
            Some(Ok(g)) => Some(g.clone()),
            Some(Err(e)) => {
                error = Some(EngineError::Llama(format!("the tools' schemas make no grammar: {e}")));
                finish = Some("error");
                break;
            }
        };
        let mut request = ChatRequest::new(messages.clone(), prompt.params.clone());
        request.repeat_index = job.repeat;
        request.grammar = grammar;
        request.tools = setup.definitions.clone();
        if !agentic {
            request.response_format = prompt.response_format.clone();
        }
        // Tool results are data: one that spells a special token must not open turns.
        request.refuse_special = true;
        request.trace = Some(span.span_context().clone());
        let completion = match answer_step(provider, request, cache, deadline) {
            Ok(c) => c,
            Err(EngineError::Cancelled) if Instant::now() >= deadline => {
                finish = Some("timeout");
                break;
            }
            Err(e) => {
                error = Some(e);
                finish = Some("error");
                break;
            }
        };
        if step == 0 {
            ttft_ms = completion.timings.ttft_ms;
        }
        last_finish = completion.finish_reason;
        let parsed = if agentic { protocol::parse(&completion.text, syntax) } else { Vec::new() };
        let mut record = Step {
            output: completion.text.clone(),
            calls: Vec::new(),
            input_tokens: completion.usage.input_tokens,
            output_tokens: completion.usage.output_tokens,
            ms: completion.timings.total_ms,
            cached: completion.cached,
        };
        if parsed.is_empty() {
            on_step(&record);
            steps.push(record);
            // A local model's last step cannot call: it answered because it had to.
            finish = Some(if last && local && agentic { "max_steps" } else { "answer" });
            break;
        }
        // Calls the loop will not run are recorded with why: the last step's (an endpoint
        // may still call there), or those past `max_tool_calls`.
        let refused = if last {
            Some(("max_steps", "not run: the loop's last step must answer"))
        } else if calls + parsed.len() as u32 > limits.max_tool_calls {
            Some(("max_tool_calls", "not run: the loop reached `max_tool_calls`"))
        } else {
            None
        };
        if let Some((why_finish, why)) = refused {
            record.calls = parsed
                .iter()
                .enumerate()
                .map(|(n, c)| ToolCall { error: Some(why.into()), ..tools::unrun(c, tools::call_id(step, n), protocol::check(c, &prompt.tools)) })
                .collect();
            on_step(&record);
            steps.push(record);
            finish = Some(why_finish);
            break;
        }
        // A step runs at most `MAX_PARALLEL` calls (the grammar allows no more; an endpoint's
        // extra calls are recorded, not run).
        let mut parsed = parsed;
        let extra: Vec<protocol::Parsed> = parsed.split_off(parsed.len().min(protocol::MAX_PARALLEL));
        calls += parsed.len() as u32;
        // The step's calls: its sub-agents' loops, then the other calls, at the same time.
        let context = crate::trace::child_of(span.span_context());
        let done = run_subagents(setup, job, &parsed, &context, step, deadline);
        let mut ran = tools.run_all(&parsed, done, job.row, step, &context);
        let first_extra = ran.len();
        ran.extend(extra.iter().enumerate().map(|(n, c)| ToolCall {
            error: Some(format!("not run: a step makes at most {} calls", protocol::MAX_PARALLEL)),
            ..tools::unrun(c, tools::call_id(step, first_extra + n), protocol::check(c, &prompt.tools))
        }));
        messages.push(RenderedMessage { role: "assistant".into(), content: record.output.clone() });
        for c in &ran {
            messages.push(protocol::tool_message(c, local));
        }
        record.calls = ran;
        on_step(&record);
        steps.push(record);
        if Instant::now() >= deadline {
            finish = Some("timeout");
            break;
        }
    }
    let finish = finish.unwrap_or("max_steps");
    span.set_attribute(KeyValue::new(attr::AGENT_FINISH, finish));
    span.set_attribute(KeyValue::new(attr::AGENT_STEPS, steps.len() as i64));
    if let Some(e) = &error {
        span.set_status(opentelemetry::trace::Status::error(e.to_string()));
    }
    span.end();
    let trajectory = Trajectory { steps, finish: finish.to_owned() };
    let (input_tokens, output_tokens) = trajectory.usage();
    let usage = Usage { input_tokens, output_tokens };
    let total_ms = started.elapsed().as_secs_f64() * 1000.0;
    let completion = Completion {
        text: trajectory.steps.last().map(|s| s.output.clone()).unwrap_or_default(),
        finish_reason: last_finish,
        usage,
        timings: Timings { ttft_ms, total_ms, tokens_per_s: if total_ms > 0.0 { f64::from(usage.output_tokens) * 1000.0 / total_ms } else { 0.0 } },
        cached: !trajectory.steps.is_empty() && trajectory.steps.iter().all(|s| s.cached),
        choice_probs: None,
    };
    Outcome { completion, trajectory, error }
}

/// Runs the sub-agent calls among a step's `calls`, each under its own `execute_tool` span (a
/// child of `context`): the calls of one sub-agent as loops run at once. Gives, per call, the
/// finished call, or `None` for a call that is not a sub-agent's.
fn run_subagents(setup: &Setup<'_>, job: &Job<'_>, calls: &[protocol::Parsed], context: &opentelemetry::Context, step: u32, deadline: Instant) -> Vec<Option<ToolCall>> {
    let tools = setup.tools;
    let mut done: Vec<Option<ToolCall>> = vec![None; calls.len()];
    // The sub-agent calls, grouped by the prompt each runs.
    let mut by_prompt: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (n, call) in calls.iter().enumerate() {
        if tools.is_agent_call(call) {
            let tool = tools.tools.iter().find(|t| t.name == call.name).expect("checked");
            by_prompt.entry(tool.prompt.as_deref().unwrap_or_default()).or_default().push(n);
        }
    }
    for (sub, at) in by_prompt {
        let started = Instant::now();
        let mut sub_jobs = Vec::new();
        let mut ran = Vec::new();
        for n in at {
            let call = &calls[n];
            let id = tools::call_id(step, n);
            let span = crate::trace::inference::OperationSpan::tool_call(&call.name, &id, &call.arguments, context);
            let mut record = tools::unrun(call, id, None);
            let vars = call.arguments.as_object().cloned().unwrap_or_default();
            let rendered = match tools.agents.get(sub) {
                _ if setup.depth.level + 1 >= MAX_DEPTH => Err(format!("sub-agents nest deeper than {MAX_DEPTH}")),
                None => Err(format!("prompt `{sub}` is not loaded")),
                Some((_, p)) => crate::template::render_messages(p, &vars).map_err(|e| format!("prompt `{sub}` does not render with these arguments: {e}")),
            };
            match rendered {
                Ok(messages) => {
                    sub_jobs.push(Job { messages, row: job.row, repeat: job.repeat, trace: Some(span.span_context()) });
                    ran.push((n, record, span));
                }
                Err(why) => {
                    record.error = Some(why);
                    span.end_call(None, record.error.as_deref());
                    done[n] = Some(record);
                }
            }
        }
        if sub_jobs.is_empty() {
            continue;
        }
        let (_, prompt) = &tools.agents[sub];
        let sub_tools = tools.of(prompt);
        let depth = Depth { level: setup.depth.level + 1, deadline: Some(deadline) };
        let outcomes = run_loops_at(setup.provider, prompt, sub, sub_jobs, &sub_tools, setup.cache, depth, &mut |_, _| {});
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        for ((n, mut record, span), outcome) in ran.into_iter().zip(outcomes) {
            // A sub-agent whose last step still called (or that took no step) gave no answer.
            let answered = outcome.trajectory.steps.last().is_some_and(|s| s.calls.is_empty());
            match outcome.error {
                Some(err) => record.error = Some(format!("sub-agent `{sub}` failed: {err}")),
                None if !answered => record.error = Some(format!("sub-agent `{sub}` ended by `{}` without an answer", outcome.trajectory.finish)),
                None => record.result = Some(outcome.completion.text),
            }
            record.trajectory = Some(Box::new(outcome.trajectory));
            record.ms = ms;
            span.end_call(record.result.as_deref(), record.error.as_deref());
            done[n] = Some(record);
        }
    }
    done
}

/// The answer to one step's request: from `cache` when it has it, otherwise generated (and
/// stopped by a watchdog at `deadline`) and stored the moment it exists.
fn answer_step(provider: &dyn Provider, request: ChatRequest, cache: Option<&ResponseCache>, deadline: Instant) -> Result<Completion, EngineError> {
    let key = cache.map(|_| ResponseCache::key(Purpose::Generate, provider.identity(), &request));
    if let Some(hit) = cache.zip(key.as_deref()).and_then(|(c, k)| c.get(k)) {
        crate::trace::inference::record_cached(provider.identity(), &request, &hit);
        return Ok(hit);
    }
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let generated = std::thread::scope(|s| {
        let flag = cancel.clone();
        // The watchdog: the end of the generation dismisses it.
        s.spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        });
        let generated = crate::trace::inference::generate_cancellable(provider, std::slice::from_ref(&request), cancel.clone(), &mut |event| {
            if let (crate::engine::Event::Done { result: Ok(c), .. }, Some(cache), Some(key)) = (event, cache, &key) {
                let _ = cache.put(key, c);
            }
        });
        drop(done_tx);
        generated
    });
    generated.into_iter().next().unwrap_or(Err(EngineError::Stopped))
}

/// Opens what `prompt`'s tools need (the indexes of `retrieve:` tools, which must be built and
/// current) and runs one loop over `messages` for `row`: `llmops run` of an agent prompt.
#[allow(clippy::too_many_arguments)]
pub fn run_one(
    ws: &crate::workspace::Workspace,
    provider: &dyn Provider,
    prompt: &Prompt,
    name: &str,
    messages: Vec<RenderedMessage>,
    row: &Row,
    allow_exec: bool,
    cache: Option<&ResponseCache>,
    on_step: &mut (dyn FnMut(&Step) + Send),
) -> Result<Outcome, AgentError> {
    let agents = load_subagents(ws, prompt)?;
    if !allow_exec {
        if let Some(t) = std::iter::once(prompt).chain(agents.values().map(|(_, p)| p)).flat_map(|p| &p.tools).find(|t| t.command.is_some()) {
            return Err(AgentError::ExecNotGranted { tool: t.name.clone(), command: crate::spec::command_line(t.command.as_deref(), t.env.as_deref()) });
        }
    }
    let mut opened = Vec::new();
    for index in tool_indexes(prompt, &agents) {
        let status = crate::retrieval::status(ws, &index)?;
        if status.state != "built" {
            return Err(AgentError::IndexNotReady { name: index.clone(), state: status.state });
        }
        opened.push((index.clone(), crate::retrieval::Opened::open(ws, &index, None)?));
    }
    let tools = Tools { tools: &prompt.tools, allow_exec, indexes: opened.iter().map(|(n, i)| (n.clone(), i)).collect(), agents: &agents };
    let job = Job { messages, row, repeat: 0, trace: None };
    let mut out = run_loops(provider, prompt, name, vec![job], &tools, cache, &mut |_, step| on_step(step));
    let outcome = out.pop().expect("one loop");
    match outcome.error {
        Some(e) => Err(e.into()),
        None => Ok(outcome),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error("tool `{tool}` runs `{command}`, which only `--allow-exec` on the command line allows")]
    ExecNotGranted { tool: String, command: String },
    #[error("index `{name}` is {state}: build it from the current rows and settings first (`llmops index build {name}`)")]
    IndexNotReady { name: String, state: &'static str },
    #[error(transparent)]
    Retrieval(#[from] crate::retrieval::RetrievalError),
    #[error(transparent)]
    Workspace(#[from] crate::workspace::WorkspaceError),
    #[error(transparent)]
    Engine(#[from] EngineError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Event, ModelIdentity};
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// Answers each job (known by its user message) with the next of its scripted outputs;
    /// `ERROR` fails the request, `CUT:` ends it by `max_tokens`.
    struct Scripted {
        identity: ModelIdentity,
        script: Mutex<HashMap<String, Vec<&'static str>>>,
    }

    impl Provider for Scripted {
        fn identity(&self) -> &ModelIdentity {
            &self.identity
        }
        fn generate(&self, requests: &[ChatRequest], _: &mut dyn FnMut(&Event)) -> Vec<Result<Completion, EngineError>> {
            let mut script = self.script.lock().unwrap();
            requests
                .iter()
                .map(|r| {
                    let user = r.messages.iter().find(|m| m.role == "user").unwrap().content.clone();
                    assert!(r.grammar.is_none(), "an endpoint gets no grammar");
                    assert!(r.messages.iter().all(|m| m.role != "tool"), "an endpoint reads results as user messages");
                    let next = script.get_mut(&user).unwrap().remove(0);
                    if next == "ERROR" {
                        return Err(EngineError::Http { url: "x".into(), detail: "down".into(), status: None });
                    }
                    let (text, finish) = match next.strip_prefix("CUT:") {
                        Some(t) => (t, FinishReason::Length),
                        None => (next, FinishReason::Stop),
                    };
                    Ok(Completion { text: text.into(), finish_reason: finish, usage: Usage { input_tokens: 10, output_tokens: 5 }, timings: Timings::default(), cached: false, choice_probs: None })
                })
                .collect()
        }
        fn embed(&self, _: &[String]) -> Result<Vec<Vec<f32>>, EngineError> {
            unreachable!()
        }
    }

    const CALL: &str = "<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": \"Paris\"}}</tool_call>";
    const TWO_CALLS: &str = "<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": \"Paris\"}}</tool_call>\n<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": \"Lima\"}}</tool_call>";

    #[test]
    fn loops_count_steps_end_by_their_limits_and_sum_their_usage() {
        let prompt: Prompt = serde_yaml_ng::from_str(
            "tools:\n  - name: weather\n    parameters: {type: object, properties: {city: {type: string}}, required: [city]}\nagent: {max_steps: 3, max_tool_calls: 2}\nmessages:\n  - role: user\n    content: x\n",
        )
        .unwrap();
        let script: HashMap<String, Vec<&'static str>> = [
            ("answers", vec![CALL, "CUT:It is sunny <tool_call> and"]),
            ("loops", vec![CALL, CALL, CALL]),
            ("greedy", vec![TWO_CALLS, CALL]),
            ("fails", vec![CALL, "ERROR"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let provider = Scripted { identity: ModelIdentity { name: "m".into(), provider: "openai".into(), id: "x".into() }, script: Mutex::new(script) };
        let row: Row = serde_json::from_value(serde_json::json!({"id": "r", "tool_results": {"weather": "sunny"}})).unwrap();
        let agents = SubAgents::new();
        let tools = Tools { tools: &prompt.tools, allow_exec: false, indexes: HashMap::new(), agents: &agents };
        let jobs: Vec<Job<'_>> = ["answers", "loops", "greedy", "fails"]
            .iter()
            .map(|u| Job { messages: vec![RenderedMessage { role: "user".into(), content: u.to_string() }], row: &row, repeat: 0, trace: None })
            .collect();
        let mut heard = Vec::new();
        let out = run_loops(&provider, &prompt, "p", jobs, &tools, None, &mut |i, step| heard.push((i, step.calls.len())));

        // A call, then an answer (cut by max_tokens, which the finish reason says; the tag in
        // it is text, not a call).
        let a = &out[0];
        assert_eq!((a.trajectory.steps.len(), a.trajectory.finish.as_str()), (2, "answer"));
        assert_eq!(a.trajectory.steps[0].calls[0].result.as_deref(), Some("sunny"));
        assert_eq!(a.completion.text, "It is sunny <tool_call> and");
        assert_eq!(a.completion.finish_reason, FinishReason::Length);
        assert_eq!((a.completion.usage.input_tokens, a.completion.usage.output_tokens), (20, 10));
        // Calls every step: the third is the last, whose call is recorded but not run.
        let b = &out[1];
        assert_eq!((b.trajectory.steps.len(), b.trajectory.finish.as_str()), (3, "max_steps"));
        let last = &b.trajectory.steps[2].calls[0];
        assert_eq!((last.result.as_deref(), last.error.as_deref()), (None, Some("not run: the loop's last step must answer")));
        // Two calls at once, then one more: past `max_tool_calls: 2`, not run.
        let c = &out[2];
        assert_eq!(c.trajectory.finish, "max_tool_calls");
        assert_eq!(c.trajectory.steps[0].calls.len(), 2);
        assert!(c.trajectory.steps[0].calls.iter().all(|c| c.result.is_some()));
        assert_eq!(c.trajectory.steps[1].calls[0].error.as_deref(), Some("not run: the loop reached `max_tool_calls`"));
        assert_eq!(c.trajectory.calls().count(), 3);
        // The endpoint fails mid-loop: the sample is an error, and keeps the step it took.
        assert!(matches!(out[3].error, Some(EngineError::Http { .. })));
        assert_eq!((out[3].trajectory.steps.len(), out[3].trajectory.finish.as_str()), (1, "error"));
        assert!(out[..3].iter().all(|o| o.error.is_none()));
        // Every step was heard, by job.
        assert_eq!(heard.iter().filter(|(i, _)| *i == 1).count(), 3);
        assert_eq!(heard.iter().filter(|(i, _)| *i == 0).map(|(_, n)| n).sum::<usize>(), 1);
    }

    /// `helper` as the one sub-agent, named `helper`.
    fn helper_agent(helper: Prompt) -> SubAgents {
        let source = crate::workspace::Source {
            file: crate::workspace::WorkspaceFile { kind: crate::workspace::FileKind::Prompt, name: crate::names::Name::parse("helper").unwrap(), rel_path: "prompts/helper.yaml".into() },
            text: String::new(),
            blob: gix::ObjectId::null(gix::hash::Kind::Sha1),
            origin: crate::version::Origin::WorkTree,
        };
        [("helper".to_owned(), (source, helper))].into_iter().collect()
    }

    #[test]
    fn sub_agents_run_in_their_own_loops_and_their_usage_counts() {
        let prompt: Prompt = serde_yaml_ng::from_str(
            "tools:\n  - name: expert\n    prompt: helper\nmessages:\n  - role: user\n    content: x\n",
        )
        .unwrap();
        let helper: Prompt = serde_yaml_ng::from_str("messages:\n  - role: user\n    content: 'Help with {{ input }}'\n").unwrap();
        let ask = |q: &str| format!("<tool_call>{{\"name\": \"expert\", \"arguments\": {{\"input\": \"{q}\"}}}}</tool_call>");
        let (a, b) = (Box::leak(ask("tides").into_boxed_str()) as &'static str, Box::leak(ask("snow").into_boxed_str()) as &'static str);
        let script: HashMap<String, Vec<&'static str>> = [
            ("first", vec![a, "Tides are high."]),
            ("second", vec![b, "No data."]),
            ("Help with tides", vec!["high at noon"]),
            ("Help with snow", vec!["ERROR"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let provider = Scripted { identity: ModelIdentity { name: "m".into(), provider: "openai".into(), id: "x".into() }, script: Mutex::new(script) };
        let row: Row = serde_json::from_value(serde_json::json!({"id": "r"})).unwrap();
        let agents = helper_agent(helper);
        let tools = Tools { tools: &prompt.tools, allow_exec: false, indexes: HashMap::new(), agents: &agents };
        let jobs: Vec<Job<'_>> = ["first", "second"]
            .iter()
            .map(|u| Job { messages: vec![RenderedMessage { role: "user".into(), content: u.to_string() }], row: &row, repeat: 0, trace: None })
            .collect();
        let out = run_loops(&provider, &prompt, "p", jobs, &tools, None, &mut |_, _| {});

        // The sub-agent answered; its loop is kept under the call, and its tokens count.
        let first = &out[0];
        let call = &first.trajectory.steps[0].calls[0];
        assert_eq!(call.result.as_deref(), Some("high at noon"));
        let sub = call.trajectory.as_ref().unwrap();
        assert_eq!((sub.steps.len(), sub.finish.as_str(), sub.steps[0].output.as_str()), (1, "answer", "high at noon"));
        assert_eq!(first.completion.text, "Tides are high.");
        assert_eq!((first.completion.usage.input_tokens, first.completion.usage.output_tokens), (30, 15));
        // The sub-agent failed: the parent reads the error as the call's result, and goes on.
        let second = &out[1];
        let call = &second.trajectory.steps[0].calls[0];
        assert!(call.error.as_deref().unwrap().starts_with("sub-agent `helper` failed"), "{call:?}");
        assert_eq!((second.trajectory.steps.len(), second.completion.text.as_str()), (2, "No data."));
        assert!(provider.script.lock().unwrap().values().all(Vec::is_empty), "every scripted answer was asked for");
    }

    /// Answers nothing until it is cancelled.
    struct Stalls(ModelIdentity);

    impl Provider for Stalls {
        fn identity(&self) -> &ModelIdentity {
            &self.0
        }
        fn generate(&self, _: &[ChatRequest], _: &mut dyn FnMut(&Event)) -> Vec<Result<Completion, EngineError>> {
            unreachable!("the loop asks with a deadline")
        }
        fn generate_cancellable(&self, requests: &[ChatRequest], cancel: std::sync::Arc<std::sync::atomic::AtomicBool>, _: &mut dyn FnMut(&Event)) -> Vec<Result<Completion, EngineError>> {
            let started = Instant::now();
            while !cancel.load(std::sync::atomic::Ordering::Relaxed) {
                assert!(started.elapsed().as_secs() < 10, "never cancelled");
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            requests.iter().map(|_| Err(EngineError::Cancelled)).collect()
        }
        fn embed(&self, _: &[String]) -> Result<Vec<Vec<f32>>, EngineError> {
            unreachable!()
        }
    }

    #[test]
    fn the_time_budget_stops_a_step_that_is_still_generating() {
        let prompt: Prompt = serde_yaml_ng::from_str("tools:\n  - name: weather\nagent: {timeout_s: 0.2}\nmessages:\n  - role: user\n    content: x\n").unwrap();
        let provider = Stalls(ModelIdentity { name: "m".into(), provider: "openai".into(), id: "x".into() });
        let row: Row = serde_json::from_value(serde_json::json!({"id": "r"})).unwrap();
        let agents = SubAgents::new();
        let tools = Tools { tools: &prompt.tools, allow_exec: false, indexes: HashMap::new(), agents: &agents };
        let job = Job { messages: vec![RenderedMessage { role: "user".into(), content: "x".into() }], row: &row, repeat: 0, trace: None };
        let started = Instant::now();
        let out = run_loops(&provider, &prompt, "p", vec![job], &tools, None, &mut |_, _| {});
        let elapsed = started.elapsed().as_secs_f64();
        // Stopped at the deadline, not by `Stalls`' own limit of 10 s.
        assert!((0.2..9.0).contains(&elapsed), "{elapsed}");
        assert_eq!((out[0].trajectory.finish.as_str(), out[0].trajectory.steps.len()), ("timeout", 0));
        assert!(out[0].error.is_none());
    }

    #[test]
    fn a_sub_agent_that_never_answers_gives_an_error_result() {
        let prompt: Prompt = serde_yaml_ng::from_str("tools:\n  - name: expert\n    prompt: helper\nmessages:\n  - role: user\n    content: x\n").unwrap();
        let helper: Prompt = serde_yaml_ng::from_str(
            "tools:\n  - name: weather\n    parameters: {type: object, properties: {city: {type: string}}, required: [city]}\nagent: {max_steps: 2}\nmessages:\n  - role: user\n    content: 'Help with {{ input }}'\n",
        )
        .unwrap();
        let ask = "<tool_call>{\"name\": \"expert\", \"arguments\": {\"input\": \"rain\"}}</tool_call>";
        let script: HashMap<String, Vec<&'static str>> =
            [("first", vec![ask, "No idea."]), ("Help with rain", vec![CALL, CALL])].into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let provider = Scripted { identity: ModelIdentity { name: "m".into(), provider: "openai".into(), id: "x".into() }, script: Mutex::new(script) };
        let row: Row = serde_json::from_value(serde_json::json!({"id": "r", "tool_results": {"weather": "wet"}})).unwrap();
        let agents = helper_agent(helper);
        let tools = Tools { tools: &prompt.tools, allow_exec: false, indexes: HashMap::new(), agents: &agents };
        let job = Job { messages: vec![RenderedMessage { role: "user".into(), content: "first".into() }], row: &row, repeat: 0, trace: None };
        let out = run_loops(&provider, &prompt, "p", vec![job], &tools, None, &mut |_, _| {});
        let call = &out[0].trajectory.steps[0].calls[0];
        // The endpoint's sub-agent still called on its last step: no answer, and its caller reads why.
        assert_eq!(call.error.as_deref(), Some("sub-agent `helper` ended by `max_steps` without an answer"));
        assert_eq!(call.result, None);
        assert_eq!(call.trajectory.as_ref().unwrap().steps.len(), 2);
        assert_eq!(out[0].completion.text, "No idea.");
    }
}
