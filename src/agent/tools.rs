//! What answers a tool call: the row's `tool_results` (mocks), a program (only with
//! `--allow-exec`), or a retrieval index. Each call runs under an `execute_tool` span; the
//! calls of one step run at the same time.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::protocol::{self, Parsed};
use crate::grade::trajectory::{ToolCall, includes};
use crate::spec::dataset::Row;
use crate::spec::prompt::{Tool, ToolKind};

/// The tools of a prompt, ready to run.
pub struct Tools<'a> {
    pub tools: &'a [Tool],
    /// `--allow-exec`: command tools run only with it.
    pub allow_exec: bool,
    /// The indexes `retrieve:` tools search, opened, by index name.
    pub indexes: HashMap<String, &'a crate::retrieval::Opened>,
    /// The prompts that `prompt:` tools run, here and in their own tools, by reference.
    pub agents: &'a super::SubAgents,
}

/// The id of call `n` (from 0) of step `step` (from 0): `call_<step>_<n>`, counted from 1.
pub fn call_id(step: u32, n: usize) -> String {
    format!("call_{}_{}", step + 1, n + 1)
}

/// `call` as recorded before it runs.
pub fn unrun(call: &Parsed, id: String, invalid: Option<String>) -> ToolCall {
    ToolCall { id, name: call.name.clone(), arguments: call.arguments.clone(), invalid, result: None, error: None, ms: 0.0, trajectory: None }
}

impl Tools<'_> {
    /// Checks and runs the calls of step `step` for `row`, at the same time, each under an
    /// `execute_tool` span (a child of `parent`); a call `done` already holds (a sub-agent's,
    /// whose loop the step ran first) is taken as it is.
    pub fn run_all(&self, calls: &[Parsed], mut done: Vec<Option<ToolCall>>, row: &Row, step: u32, parent: &opentelemetry::Context) -> Vec<ToolCall> {
        done.resize(calls.len(), None);
        std::thread::scope(|s| {
            let handles: Vec<_> = calls
                .iter()
                .zip(done)
                .enumerate()
                .map(|(n, (call, done))| match done {
                    Some(call) => Ok(call),
                    None => Err(s.spawn(move || self.run_one(call, call_id(step, n), row, parent))),
                })
                .collect();
            handles
                .into_iter()
                .zip(calls)
                .enumerate()
                .map(|(n, (h, call))| match h {
                    Ok(done) => done,
                    Err(h) => h.join().unwrap_or_else(|_| ToolCall {
                        error: Some("the tool failed inside llmops".into()),
                        ..unrun(call, call_id(step, n), None)
                    }),
                })
                .collect()
        })
    }

    /// Whether `call` goes to a sub-agent and stands (names a `prompt:` tool, matches its schema).
    pub fn is_agent_call(&self, call: &Parsed) -> bool {
        self.tools.iter().any(|t| t.name == call.name && t.kind() == ToolKind::Agent) && protocol::check(call, self.tools).is_none()
    }

    /// The tools of sub-agent `prompt`, ready to run beside these.
    pub fn of<'b>(&'b self, prompt: &'b crate::spec::prompt::Prompt) -> Tools<'b> {
        Tools { tools: &prompt.tools, allow_exec: self.allow_exec, indexes: self.indexes.clone(), agents: self.agents }
    }

    fn run_one(&self, call: &Parsed, id: String, row: &Row, parent: &opentelemetry::Context) -> ToolCall {
        let started = Instant::now();
        let span = crate::trace::inference::OperationSpan::tool_call(&call.name, &id, &call.arguments, parent);
        let mut out = unrun(call, id, protocol::check(call, self.tools));
        if out.invalid.is_none() {
            let tool = self.tools.iter().find(|t| t.name == call.name).expect("checked");
            match self.answer(tool, &call.arguments, row) {
                Ok(r) => out.result = Some(r),
                Err(e) => out.error = Some(e),
            }
        }
        out.ms = started.elapsed().as_secs_f64() * 1000.0;
        span.end_call(out.result.as_deref(), out.invalid.as_deref().or(out.error.as_deref()));
        out
    }

    fn answer(&self, tool: &Tool, arguments: &Value, row: &Row) -> Result<String, String> {
        match tool.kind() {
            ToolKind::Mock => mock(tool, arguments, row),
            ToolKind::Command => {
                if !self.allow_exec {
                    return Err(format!("`{}` runs a program, which only `--allow-exec` on the command line allows", tool.name));
                }
                let argv = tool.command.as_deref().unwrap_or_default();
                let (program, args) = argv.split_first().ok_or("empty command")?;
                let timeout = Duration::from_secs_f64(tool.timeout_s.filter(|t| crate::spec::config::valid_timeout(*t)).unwrap_or(10.0));
                let out = crate::grade::command::run_program(program, args, tool.env.as_deref().unwrap_or_default(), &arguments.to_string(), timeout)?;
                Ok(out.trim_end().to_owned())
            }
            // Sub-agent calls are run by the loop, which runs their own loops (see
            // `is_agent_call`); one that reaches here did not stand.
            ToolKind::Agent => Err(format!("sub-agent `{}` was not run", tool.prompt.as_deref().unwrap_or_default())),
            ToolKind::Retrieve => {
                let name = tool.retrieve.as_deref().unwrap_or_default();
                let index = self.indexes.get(name).ok_or_else(|| format!("index `{name}` is not open"))?;
                let query = arguments.get("query").and_then(Value::as_str).ok_or("no `query` string in the arguments")?;
                let k = arguments.get("k").and_then(Value::as_u64).unwrap_or(4).clamp(1, 20) as usize;
                let hits = index.search(query, k, &[]).map_err(|e| e.to_string())?;
                let found: Vec<Value> = hits.iter().map(|h| json!({"id": h.doc, "text": h.text, "score": h.score})).collect();
                Ok(Value::Array(found).to_string())
            }
        }
    }
}

/// A mocked tool's answer from the row's `tool_results`: the value under the tool's name, or
/// from a list of `{arguments, result}` the first entry whose arguments the call includes.
pub fn mock(tool: &Tool, arguments: &Value, row: &Row) -> Result<String, String> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let Some(entry) = row.tool_results.get(&tool.name) else {
        return Err(format!("row `{}` has no `tool_results` for `{}`", row.id, tool.name));
    };
    let cases = match entry {
        Value::Array(items) if !items.is_empty() && items.iter().all(|i| i.get("result").is_some()) => items,
        other => return Ok(text(other)),
    };
    cases
        .iter()
        .find(|c| c.get("arguments").is_none_or(|want| includes(arguments, want)))
        .map(|c| text(&c["result"]))
        .ok_or_else(|| format!("row `{}` has no `tool_results` for `{}` with arguments {}", row.id, tool.name, crate::text::clip(&arguments.to_string(), 80)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(results: Value) -> Row {
        Row { id: "r".into(), vars: Default::default(), expected: None, relevant: vec![], labels: vec![], tool_results: results.as_object().cloned().unwrap_or_default(), line: 1 }
    }

    fn tool(name: &str) -> Tool {
        serde_json::from_value(json!({"name": name})).unwrap()
    }

    #[test]
    fn mocks_answer_by_name_and_by_arguments() {
        let r = row(json!({
            "time": "12:00",
            "weather": [
                {"arguments": {"city": "Paris"}, "result": {"temp": 18}},
                {"arguments": {"city": "Lima"}, "result": "warm"},
                {"result": "unknown city"}
            ],
            "strict": [{"arguments": {"id": 1}, "result": "one"}]
        }));
        assert_eq!(mock(&tool("time"), &json!({}), &r).unwrap(), "12:00");
        assert_eq!(mock(&tool("weather"), &json!({"city": "Paris", "units": "C"}), &r).unwrap(), "{\"temp\":18}");
        assert_eq!(mock(&tool("weather"), &json!({"city": "Lima"}), &r).unwrap(), "warm");
        assert_eq!(mock(&tool("weather"), &json!({"city": "Rome"}), &r).unwrap(), "unknown city", "the entry without arguments");
        assert!(mock(&tool("strict"), &json!({"id": 2}), &r).unwrap_err().contains("with arguments {\"id\":2}"));
        assert!(mock(&tool("email"), &json!({}), &r).unwrap_err().contains("no `tool_results` for `email`"));
    }
}
