//! What an agent loop did, step by step, and the graders that read it: which tools were
//! called, in which order, with which arguments, in how many steps, and whether every call
//! parsed and matched its tool's schema.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::spec::eval::Order;

/// One call the model made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    /// `call_<step>_<n>`, unique in the trajectory.
    pub id: String,
    pub name: String,
    pub arguments: Value,
    /// Why the call does not stand: it did not parse, names no tool, or its arguments do not
    /// match the tool's schema. Such a call is not run; the model reads the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// What the tool answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Why the tool gave no answer (it failed, timed out, had no mock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default)]
    pub ms: f64,
    /// A sub-agent's own loop (a `prompt:` tool), whose answer is the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<Box<Trajectory>>,
}

impl ToolCall {
    /// What became of the call, in a few words: its result, or why there is none.
    pub fn outcome(&self) -> String {
        match (&self.invalid, &self.result, &self.error) {
            (Some(why), _, _) => format!("invalid: {why}"),
            (None, Some(r), _) => format!("→ {r}"),
            (None, None, Some(e)) => format!("error: {e}"),
            (None, None, None) => String::new(),
        }
    }
}

/// One model call of the loop and the tool calls it made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub output: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<ToolCall>,
    #[serde(default)]
    pub input_tokens: u32,
    #[serde(default)]
    pub output_tokens: u32,
    #[serde(default)]
    pub ms: f64,
    /// Answered from the response cache.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
}

/// A loop from its first step to its end: `answer` (the model answered without a tool call),
/// `max_steps`, `max_tool_calls` or `timeout`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    pub steps: Vec<Step>,
    pub finish: String,
}

impl Trajectory {
    pub fn calls(&self) -> impl Iterator<Item = &ToolCall> {
        self.steps.iter().flat_map(|s| s.calls.iter())
    }

    /// The tokens read and written by every step, sub-agents' steps included.
    pub fn usage(&self) -> (u32, u32) {
        self.steps.iter().fold((0, 0), |(i, o), s| {
            let (si, so) = s.calls.iter().filter_map(|c| c.trajectory.as_ref()).map(|t| t.usage()).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            (i + s.input_tokens + si, o + s.output_tokens + so)
        })
    }

    /// The tools called, in order.
    pub fn tools(&self) -> Vec<&str> {
        self.calls().map(|c| c.name.as_str()).collect()
    }
}

/// Whether every tool of `wanted` was called.
pub fn tools_used(t: &Trajectory, wanted: &[String]) -> (bool, String) {
    let used = t.tools();
    let missing: Vec<&str> = wanted.iter().map(String::as_str).filter(|w| !used.contains(w)).collect();
    if missing.is_empty() {
        (true, format!("called {}", wanted.join(", ")))
    } else {
        (false, format!("did not call {} (called: {})", missing.join(", "), if used.is_empty() { "nothing".to_owned() } else { used.join(", ") }))
    }
}

/// Whether the calls follow `wanted` under `order`.
pub fn sequence(t: &Trajectory, wanted: &[String], order: Order) -> (bool, String) {
    let used = t.tools();
    let ok = match order {
        Order::Exact => used.len() == wanted.len() && used.iter().zip(wanted).all(|(a, b)| *a == b),
        Order::InOrder => {
            let mut rest = used.iter();
            wanted.iter().all(|w| rest.any(|u| u == w))
        }
        Order::AnyOrder => wanted.iter().all(|w| used.contains(&w.as_str())),
    };
    (ok, format!("calls [{}], wanted [{}] ({})", used.join(", "), wanted.join(", "), match order {
        Order::Exact => "exactly",
        Order::InOrder => "in order",
        Order::AnyOrder => "any order",
    }))
}

/// Whether `a` holds everything `b` has: equal scalars and arrays, and for objects every key
/// of `b` with a value `a` holds in turn.
pub fn includes(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => b.iter().all(|(k, v)| a.get(k).is_some_and(|x| includes(x, v))),
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Whether some call of `tool` has arguments that include `wanted` (or, with `path`, whose
/// value at that JSON path equals `wanted`).
pub fn args_match(t: &Trajectory, tool: &str, wanted: &Value, path: Option<&str>) -> Result<(bool, String), String> {
    let calls: Vec<&ToolCall> = t.calls().filter(|c| c.name == tool).collect();
    if calls.is_empty() {
        return Ok((false, format!("`{tool}` was not called")));
    }
    for c in &calls {
        let ok = match path {
            Some(p) => super::json_path(&c.arguments, p)?.is_some_and(|v| super::json_equal(v, wanted)),
            None => includes(&c.arguments, wanted),
        };
        if ok {
            return Ok((true, format!("`{tool}` called with {}", crate::text::clip(&c.arguments.to_string(), 80))));
        }
    }
    let seen: Vec<String> = calls.iter().map(|c| crate::text::clip(&c.arguments.to_string(), 60)).collect();
    Ok((false, format!("no call of `{tool}` matches {} (arguments: {})", crate::text::clip(&wanted.to_string(), 60), seen.join("; "))))
}

/// Whether every call parsed, named a tool and matched its schema.
pub fn calls_valid(t: &Trajectory) -> (bool, String) {
    let bad: Vec<String> = t.calls().filter_map(|c| c.invalid.as_ref().map(|why| format!("{} ({why})", c.id))).collect();
    let n = t.calls().count();
    if bad.is_empty() {
        (true, format!("{n} call{} valid", if n == 1 { "" } else { "s" }))
    } else {
        (false, format!("{} of {n} calls invalid: {}", bad.len(), crate::text::clip(&bad.join("; "), 160)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(name: &str, arguments: Value) -> ToolCall {
        ToolCall { id: format!("call_{name}"), name: name.into(), arguments, invalid: None, result: Some("ok".into()), error: None, ms: 0.0, trajectory: None }
    }

    fn trajectory(steps: Vec<Vec<ToolCall>>) -> Trajectory {
        let mut steps: Vec<Step> = steps.into_iter().map(|calls| Step { output: String::new(), calls, input_tokens: 0, output_tokens: 0, ms: 0.0, cached: false }).collect();
        steps.push(Step { output: "done".into(), calls: vec![], input_tokens: 0, output_tokens: 0, ms: 0.0, cached: false });
        Trajectory { steps, finish: "answer".into() }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tool_use_and_sequences() {
        let t = trajectory(vec![vec![call("search", json!({"q": "a"}))], vec![call("fetch", json!({})), call("search", json!({"q": "b"}))]]);
        assert_eq!(t.tools(), ["search", "fetch", "search"]);
        assert!(tools_used(&t, &names(&["search", "fetch"])).0);
        let (ok, why) = tools_used(&t, &names(&["search", "email"]));
        assert!(!ok && why.contains("did not call email"), "{why}");
        assert!(sequence(&t, &names(&["search", "fetch", "search"]), Order::Exact).0);
        assert!(!sequence(&t, &names(&["search", "fetch"]), Order::Exact).0, "a prefix is not exact");
        assert!(sequence(&t, &names(&["search", "search"]), Order::InOrder).0);
        assert!(sequence(&t, &names(&["fetch", "search"]), Order::InOrder).0);
        assert!(!sequence(&t, &names(&["fetch", "fetch"]), Order::InOrder).0, "fetch is called once");
        assert!(sequence(&t, &names(&["fetch", "search"]), Order::AnyOrder).0);
        assert!(!sequence(&t, &names(&["email"]), Order::AnyOrder).0);
        let none = trajectory(vec![]);
        assert!(sequence(&none, &[], Order::Exact).0);
        assert!(!tools_used(&none, &names(&["search"])).0);
    }

    #[test]
    fn arguments_match_as_a_subset_or_at_a_path() {
        let t = trajectory(vec![vec![call("weather", json!({"city": "Paris", "units": {"temp": "C"}, "days": 3}))], vec![call("weather", json!({"city": "Lima"}))]]);
        assert!(args_match(&t, "weather", &json!({"city": "Lima"}), None).unwrap().0, "any call may match");
        assert!(args_match(&t, "weather", &json!({"units": {"temp": "C"}, "days": 3.0}), None).unwrap().0, "nested subset; 3 = 3.0");
        assert!(!args_match(&t, "weather", &json!({"city": "Rome"}), None).unwrap().0);
        assert!(!args_match(&t, "weather", &json!({"units": {"temp": "F"}}), None).unwrap().0);
        assert!(args_match(&t, "weather", &json!("C"), Some("$.units.temp")).unwrap().0);
        assert!(!args_match(&t, "weather", &json!("Rome"), Some("$.city")).unwrap().0);
        let (ok, why) = args_match(&t, "email", &json!({}), None).unwrap();
        assert!(!ok && why.contains("`email` was not called"));
        // Arrays are compared whole.
        assert!(!includes(&json!({"a": [1, 2]}), &json!({"a": [1]})));
        assert!(includes(&json!({"a": [1, 2]}), &json!({"a": [1, 2]})));
    }

    #[test]
    fn every_call_must_be_valid() {
        let mut bad = call("weather", json!({}));
        bad.invalid = Some("`city` is required".into());
        let t = trajectory(vec![vec![call("weather", json!({"city": "Paris"}))], vec![bad]]);
        let (ok, why) = calls_valid(&t);
        assert!(!ok && why.contains("1 of 2 calls invalid") && why.contains("`city` is required"), "{why}");
        assert!(calls_valid(&trajectory(vec![vec![call("a", json!({}))]])).0);
        assert_eq!(calls_valid(&trajectory(vec![])).1, "0 calls valid");
    }
}
