//! Tool-calling loops through the real binary and the test model: calls decoded under the
//! tools' grammar parse and validate, mocks answer by arguments, limits end loops, command
//! tools need `--allow-exec`, trajectories are recorded, graded, traced and shown.
//!
//! The test model's choices (which city it asks about, when it stops) are not asserted:
//! another CPU may decide otherwise. What the loop guarantees is.

mod common;

use common::TestEnv;
use serde_json::Value;

const PROMPT: &str = "tools:
  - name: get_weather
    description: The current weather in a city.
    parameters: {type: object, properties: {city: {type: string}}, required: [city]}
tool_choice: required
parallel_tool_calls: false
agent: {max_steps: 3}
params: {temperature: 0, max_tokens: 64}
messages:
  - role: system
    content: You answer questions about the weather. Call get_weather first.
  - role: user
    content: \"What is the weather in {{ city }}?\"
";

fn row(id: &str, city: &str, weather: &str) -> String {
    format!(
        "{{\"id\": \"{id}\", \"vars\": {{\"city\": \"{city}\"}}, \"expected\": \"{weather}\", \"tool_results\": {{\"get_weather\": [{{\"arguments\": {{\"city\": \"{city}\"}}, \"result\": \"{weather}\"}}, {{\"result\": \"unknown city\"}}]}}}}\n"
    )
}

const WEATHER: [(&str, &str, &str); 4] = [("paris", "Paris", "sunny"), ("lima", "Lima", "cloudy"), ("oslo", "Oslo", "snow"), ("rome", "Rome", "rain")];

const EVAL: &str = "prompt: weather
dataset: weather
graders:
  - type: trajectory:tool-used
    value: get_weather
  - type: tool-call-valid
  - type: trajectory:step-count
    max: 3
  - type: trajectory:tool-args-match
    tool: get_weather
    path: $.city
    value: \"{{ city }}\"
    weight: 0
";

fn agent_workspace(prompt: &str) -> TestEnv {
    let env = TestEnv::with_model();
    env.write("prompts/weather.yaml", prompt);
    let rows: String = WEATHER.iter().map(|(i, c, w)| row(i, c, w)).collect();
    env.write("datasets/weather.jsonl", &rows);
    env.write("evals/weather.yaml", EVAL);
    env.commit_all("an agent");
    env
}

fn samples(env: &TestEnv, eval: &str) -> Vec<Value> {
    env.git(&["show", &format!("refs/llmops/runs/{eval}:samples.jsonl")]).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn an_agent_eval_calls_valid_tools_records_trajectories_and_gates_a_promotion() {
    let env = agent_workspace(PROMPT);
    assert_eq!(env.llmops(&["validate"]).code, 0, "{}", env.llmops(&["validate"]).snapshot());
    let out = env.llmops(&["eval", "weather"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let samples = samples(&env, "weather");
    assert_eq!(samples.len(), 4);
    for s in &samples {
        let t = &s["trajectory"];
        let steps = t["steps"].as_array().unwrap();
        assert!(!steps.is_empty() && steps.len() <= 3, "{s}");
        assert!(["answer", "max_steps"].contains(&t["finish"].as_str().unwrap()), "{t}");
        // `tool_choice: required`: the first step is one call. The grammar makes every call
        // valid unless `max_tokens` cuts it short; then it is recorded as unclosed.
        let first = steps[0]["calls"].as_array().unwrap();
        assert_eq!(first.len(), 1, "{t}");
        assert!(steps[0]["output"].as_str().unwrap().starts_with("<tool_call>{"), "{t}");
        let mut all_valid = true;
        for step in steps {
            for call in step["calls"].as_array().into_iter().flatten() {
                if let Some(why) = call.get("invalid") {
                    assert!(why.as_str().unwrap().contains("not closed") && step["output_tokens"] == 64, "only a cut call is invalid: {call}");
                    all_valid = false;
                    continue;
                }
                assert_eq!(call["name"], "get_weather");
                assert!(call["arguments"]["city"].is_string(), "{call}");
                if call.get("error").is_some_and(|e| e.as_str().unwrap().starts_with("not run")) {
                    continue;
                }
                // The mock answers by arguments: the row's own city gets its weather.
                let asked = call["arguments"]["city"].as_str().unwrap();
                let weather = WEATHER.iter().find(|(id, ..)| *id == s["id"]).unwrap().2;
                let wanted = if asked == s["vars"]["city"].as_str().unwrap() { weather } else { "unknown city" };
                assert_eq!(call["result"], wanted, "{call}");
            }
        }
        // The last step allowed cannot call; the last step's text is the output.
        let last = steps.last().unwrap();
        if steps.len() == 3 {
            assert!(last["calls"].as_array().is_none_or(|c| c.is_empty()), "{t}");
        }
        assert_eq!(s["output"], last["output"]);
        assert_eq!(s["grades"]["tool-call-valid"]["score"], if all_valid { 1.0 } else { 0.0 }, "{s}");
        let tokens: u64 = steps.iter().map(|st| st["output_tokens"].as_u64().unwrap()).sum();
        assert_eq!(s["completion"]["usage"]["output_tokens"].as_u64().unwrap(), tokens, "usage sums the steps");
    }

    // Evaluated again: every step comes from the response cache, the same loops.
    let again = env.llmops(&["eval", "weather"]);
    assert!(again.code <= 1, "{}", again.snapshot());
    let cached = self::samples(&env, "weather");
    let strip = |v: &Value| -> Vec<Value> {
        v["trajectory"]["steps"].as_array().unwrap().iter().map(|st| serde_json::json!([st["output"], st["calls"].as_array().map(|c| c.iter().map(|c| (c["name"].clone(), c["arguments"].clone(), c["result"].clone())).collect::<Vec<_>>())])).collect()
    };
    for (a, b) in samples.iter().zip(&cached) {
        assert_eq!(strip(a), strip(b), "{b}");
        assert!(b["trajectory"]["steps"].as_array().unwrap().iter().all(|st| st["cached"] == true), "{b}");
        assert_eq!(b["completion"]["cached"], true);
    }

    // Spans: invoke_agent under the sample, a chat per step and an execute_tool per call
    // beneath it.
    let run = env.git(&["rev-parse", "refs/llmops/runs/weather"]).trim().to_owned();
    let spans: Vec<Value> = common::trace_spans(&env.git(&["show", &format!("{run}:traces.jsonl")]));
    let named = |prefix: &str| -> Vec<&Value> { spans.iter().filter(|s| s["name"].as_str().unwrap().starts_with(prefix)).collect() };
    let agents = named("invoke_agent weather");
    assert_eq!(agents.len(), 4);
    let agent_ids: Vec<&str> = agents.iter().map(|s| s["spanId"].as_str().unwrap()).collect();
    let steps: usize = samples.iter().map(|s| s["trajectory"]["steps"].as_array().unwrap().len()).sum();
    let calls: usize = samples.iter().flat_map(|s| s["trajectory"]["steps"].as_array().unwrap().iter()).map(|st| st["calls"].as_array().map_or(0, Vec::len)).sum();
    let chats = named("chat ");
    assert_eq!(chats.len(), steps);
    assert!(chats.iter().all(|c| agent_ids.contains(&c["parentSpanId"].as_str().unwrap())));
    let tools = named("execute_tool get_weather");
    assert_eq!(tools.len(), calls);
    assert!(tools.iter().all(|c| agent_ids.contains(&c["parentSpanId"].as_str().unwrap())));
    let text = env.git(&["show", &format!("{run}:traces.jsonl")]);
    assert!(text.contains("gen_ai.tool.call.id") && text.contains("call_1_1"), "{text}");

    // The run verifies, shows its steps, and vouches for a promotion like any run.
    assert_eq!(env.llmops(&["verify"]).code, 0, "{}", env.llmops(&["verify"]).snapshot());
    let shown = env.llmops(&["show", "weather", "--row", "paris"]);
    assert!(shown.stdout.contains("call_1_1 get_weather({\"city\":") && shown.stdout.contains("step 1"), "{}", shown.stdout);
    assert_eq!(env.llmops(&["show", "weather", "--row", "nope"]).code, 2);
    let out = env.llmops(&["promote", "weather"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());

    // `llmops run` runs the same loop for one row and says how it ended.
    let out = env.llmops(&["run", "weather", "--row", "oslo", "--json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["trajectory"]["steps"][0]["calls"][0]["name"], "get_weather");
}

#[test]
fn limits_end_loops_and_a_named_tool_is_called_first() {
    // Two steps at most: the first must call, the second must answer.
    let env = agent_workspace(&PROMPT.replace("max_steps: 3", "max_steps: 2"));
    let out = env.llmops(&["eval", "weather", "--limit", "2"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    for s in samples(&env, "weather") {
        let t = &s["trajectory"];
        assert_eq!(t["steps"].as_array().unwrap().len(), 2, "{t}");
        assert_eq!(t["finish"], "max_steps", "{t}");
        assert!(t["steps"][1]["calls"].as_array().is_none_or(|c| c.is_empty()), "{t}");
    }
    // A named tool is the first call, though another is offered (listed first); one tool call
    // in all: a later call is recorded, not run, and ends the loop.
    let two_tools = PROMPT
        .replace("tools:\n", "tools:\n  - name: get_time\n    description: The time now in a city.\n    parameters: {type: object, properties: {city: {type: string}}, required: [city]}\n")
        .replace("agent: {max_steps: 3}", "agent: {max_steps: 4, max_tool_calls: 1}")
        .replace("tool_choice: required", "tool_choice: {name: get_weather}");
    let env = agent_workspace(&two_tools);
    let out = env.llmops(&["eval", "weather", "--limit", "2"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    for s in samples(&env, "weather") {
        let t = &s["trajectory"];
        assert!(t["steps"][0]["output"].as_str().unwrap().starts_with("<tool_call>{\"name\": \"get_weather\""), "{t}");
        let ran = t["steps"].as_array().unwrap().iter().flat_map(|st| st["calls"].as_array().cloned().unwrap_or_default()).filter(|c| !c["error"].as_str().is_some_and(|e| e.starts_with("not run"))).count();
        assert_eq!(ran, 1, "{t}");
        assert!(["answer", "max_tool_calls", "max_steps"].contains(&t["finish"].as_str().unwrap()), "{t}");
    }
}

#[test]
fn command_tools_need_allow_exec_and_their_failures_reach_the_model() {
    let prompt = PROMPT
        .replace(
            "    parameters: {type: object, properties: {city: {type: string}}, required: [city]}\n",
            "    parameters: {type: object, properties: {city: {type: string}}, required: [city]}\n    command: [sh, -c, \"read args; case \\\"$args\\\" in *Paris*) echo sunny;; *) echo no city >&2; exit 3;; esac\"]\n",
        )
        .replace("max_steps: 3", "max_steps: 2");
    let env = agent_workspace(&prompt);
    let out = env.llmops(&["eval", "weather", "--limit", "1"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("tool `get_weather` of prompt `weather` runs `sh -c") && out.stderr.contains("--allow-exec"), "{}", out.stderr);
    let out = env.llmops(&["run", "weather", "--row", "paris"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("--allow-exec"), "{}", out.stderr);

    let out = env.llmops(&["eval", "weather", "--allow-exec"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    for s in samples(&env, "weather") {
        let call = &s["trajectory"]["steps"][0]["calls"][0];
        if call.get("invalid").is_some() {
            continue;
        }
        let paris = call["arguments"]["city"].as_str().unwrap_or_default().contains("Paris");
        if paris {
            assert_eq!(call["result"], "sunny", "{call}");
        } else {
            assert!(call["error"].as_str().unwrap().contains("failed") && call["error"].as_str().unwrap().contains("no city"), "{call}");
        }
    }
    // A tool that outlives its timeout is killed; the model reads why.
    let slow = prompt.replace("command: [sh, -c,", "timeout_s: 0.5\n    command: [sh, -c, \"sleep 5\", x,");
    env.write("prompts/weather.yaml", &slow);
    let out = env.llmops(&["eval", "weather", "--allow-exec", "--limit", "1"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    let s = &samples(&env, "weather")[0];
    let call = &s["trajectory"]["steps"][0]["calls"][0];
    if call.get("invalid").is_none() {
        let error = call["error"].as_str().unwrap();
        assert!(error.contains("did not finish within 0.5 s"), "{error}");
    }
}

#[test]
fn agent_settings_are_checked_with_their_lines() {
    let env = agent_workspace(&PROMPT.replace("tool_choice: required", "tool_choice: {name: get_time}").replace("max_steps: 3", "max_steps: 0"));
    env.write("prompts/plain.yaml", "messages:\n  - role: user\n    content: \"{{ city }}\"\n");
    env.write("evals/plain.yaml", "prompt: plain\ndataset: weather\ngraders:\n  - type: tool-call-valid\n");
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    for wanted in [
        "`tool_choice` names `get_time`, which is not among `tools:`",
        "`max_steps` must be 1 to 100",
        "evals/plain.yaml:4",
        "reads the tool-calling loop of prompt `plain`, which has no tools to call",
    ] {
        assert!(out.stderr.contains(wanted), "{wanted}: {}", out.stderr);
    }
    env.write("prompts/weather.yaml", &PROMPT.replace("    description: The current weather in a city.\n", "    description: The current weather in a city.\n    retrieve: nope\n"));
    let out = env.llmops(&["validate"]);
    assert!(out.stderr.contains("tool `get_weather` searches index `nope`, which is not under `indexes:`"), "{}", out.stderr);
}

#[test]
fn a_sub_agent_runs_under_its_call_is_recorded_and_pinned() {
    let prompt = PROMPT
        .replace("tools:\n", "tools:\n  - name: ask_expert\n    description: Ask a weather expert.\n    prompt: expert\n    parameters: {type: object, properties: {input: {type: string, maxLength: 24}}, required: [input]}\n")
        .replace("tool_choice: required", "tool_choice: {name: ask_expert}")
        .replace("max_steps: 3", "max_steps: 2");
    let env = agent_workspace(&prompt);
    env.write("prompts/expert.yaml", "params: {temperature: 0, max_tokens: 16}\nmessages:\n  - role: user\n    content: \"In one word: {{ input }}\"\n");
    env.commit_all("an expert");
    assert_eq!(env.llmops(&["validate"]).code, 0, "{}", env.llmops(&["validate"]).snapshot());
    let out = env.llmops(&["eval", "weather"]);
    assert!(out.code <= 1, "{}", out.snapshot());
    for s in samples(&env, "weather") {
        let t = &s["trajectory"];
        // The grammar bounds the argument, so the call is whole and valid.
        let call = &t["steps"][0]["calls"][0];
        assert_eq!(call["name"], "ask_expert", "{t}");
        assert!(call.get("invalid").is_none(), "{call}");
        // The sub-agent answered in its own one-step loop; its answer is the call's result.
        let sub = &call["trajectory"];
        assert_eq!((sub["steps"].as_array().unwrap().len(), sub["finish"].as_str().unwrap()), (1, "answer"), "{call}");
        assert_eq!(call["result"], sub["steps"][0]["output"], "{call}");
        // Its tokens count in the sample's usage.
        let own: u64 = t["steps"].as_array().unwrap().iter().map(|st| st["output_tokens"].as_u64().unwrap()).sum();
        let usage = s["completion"]["usage"]["output_tokens"].as_u64().unwrap();
        assert_eq!(usage, own + sub["steps"][0]["output_tokens"].as_u64().unwrap(), "{s}");
    }
    // Spans: the sub-agent's loop under the call's execute_tool span, under the agent's.
    let run = env.git(&["rev-parse", "refs/llmops/runs/weather"]).trim().to_owned();
    let spans: Vec<Value> = common::trace_spans(&env.git(&["show", &format!("{run}:traces.jsonl")]));
    let by_id = |id: &str| spans.iter().find(|s| s["spanId"] == id).unwrap_or_else(|| panic!("no span {id}"));
    let subs: Vec<&Value> = spans.iter().filter(|s| s["name"] == "invoke_agent expert").collect();
    assert!(!subs.is_empty());
    for sub in subs {
        let call = by_id(sub["parentSpanId"].as_str().unwrap());
        assert_eq!(call["name"], "execute_tool ask_expert");
        assert_eq!(by_id(call["parentSpanId"].as_str().unwrap())["name"], "invoke_agent weather");
        assert!(spans.iter().any(|c| c["parentSpanId"] == sub["spanId"] && c["name"].as_str().unwrap().starts_with("chat ")), "the sub-agent's step");
    }
    // The run pins the sub-agent's prompt, shows its loop, and vouches for a promotion until
    // that prompt changes.
    let shown = env.llmops(&["show", "weather"]);
    assert!(shown.stdout.contains("agent    expert@"), "{}", shown.stdout);
    let row = env.llmops(&["show", "weather", "--row", "paris"]);
    assert!(row.stdout.contains("sub-agent: 1 steps, ended by answer"), "{}", row.stdout);
    assert_eq!(env.llmops(&["verify"]).code, 0, "{}", env.llmops(&["verify"]).snapshot());
    let out = env.llmops(&["promote", "weather"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    env.commit_all("release weather");
    assert_eq!(env.llmops(&["gate"]).code, 0, "{}", env.llmops(&["gate"]).snapshot());
    env.write("prompts/expert.yaml", "params: {temperature: 0, max_tokens: 16}\nmessages:\n  - role: user\n    content: \"In two words: {{ input }}\"\n");
    env.commit_all("another expert");
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("stale: sub-agent prompt `expert` changed since run"), "{}", out.stderr);
    let out = env.llmops(&["promote", "weather", "--to", "staging"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("no run of eval `weather` pins this prompt version"), "{}", out.snapshot());

    // A sub-agent that is gone makes the release stale; the gate says so rather than failing.
    env.git(&["rm", "-q", "prompts/expert.yaml"]);
    env.commit_all("no expert");
    let out = env.llmops(&["gate"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert!(out.stderr.contains("the sub-agent prompts (unavailable:"), "{}", out.stderr);

    // Sub-agents that call each other, or that need a variable the tool does not give, are
    // refused with their lines.
    env.write("prompts/expert.yaml", "tools:\n  - name: back\n    prompt: weather\nmessages:\n  - role: user\n    content: \"{{ input }} in {{ city }}\"\n");
    let out = env.llmops(&["validate"]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("sub-agents call each other in a circle: weather → expert → weather"), "{}", out.stderr);
    assert!(out.stderr.contains("prompt `expert` uses `city`, which tool `ask_expert`'s arguments do not give"), "{}", out.stderr);
    assert!(out.stderr.contains("prompts/expert.yaml:3"), "{}", out.stderr);
}
