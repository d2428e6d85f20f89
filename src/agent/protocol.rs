//! How tools reach a model and calls come back: the tools described in a system message, a
//! call written as `<tool_call>{"name": …, "arguments": {…}}</tool_call>` (Hermes' format,
//! which many open models were trained on), several in a row for parallel calls, and each
//! result returned as a `tool` message. A local model writes its calls under a grammar.

use serde_json::{Value, json};

use crate::grade::trajectory::ToolCall;
use crate::spec::prompt::Tool;
use crate::template::RenderedMessage;

const OPEN: &str = "<tool_call>";
const CLOSE: &str = "</tool_call>";
/// Calls one step may make.
pub const MAX_PARALLEL: usize = 4;

/// The system message that tells the model its tools and how to call them.
pub fn instructions(tools: &[Tool]) -> String {
    let mut text = String::from(
        "You can call tools. To call one, reply with only\n<tool_call>{\"name\": \"TOOL\", \"arguments\": {…}}</tool_call>\n\
         (one line per call). Each result comes back as a tool message. When you can answer, reply with the answer and no tool call.\n\nTools:\n",
    );
    for t in tools {
        let schema = t.arguments_schema();
        text.push_str(&format!("- {}: {} Arguments: {}\n", t.name, t.description.as_deref().unwrap_or(""), schema));
    }
    text
}

/// The prompt's messages with the tool instructions added to its system message (or as one,
/// first, when it has none).
pub fn with_instructions(messages: &[RenderedMessage], instructions: &str) -> Vec<RenderedMessage> {
    let mut out = messages.to_vec();
    match out.iter_mut().find(|m| m.role == "system") {
        Some(system) => system.content = format!("{}\n\n{instructions}", system.content.trim_end()),
        None => out.insert(0, RenderedMessage { role: "system".into(), content: instructions.to_owned() }),
    }
    out
}

/// How a reply that calls `name` with `arguments` is written: what an assistant message of a
/// conversation holds for each of its calls, so the model reads its own earlier calls as it
/// writes them.
pub fn call_text(name: &str, arguments: &Value) -> String {
    format!("{OPEN}{}{CLOSE}", json!({"name": name, "arguments": arguments}))
}

/// The JSON schema of one call of any of `tools` (of `only`, when given).
fn call_schema(tools: &[Tool], only: Option<&str>) -> Value {
    let one = |t: &Tool| {
        json!({
            "type": "object",
            "properties": {"name": {"const": t.name}, "arguments": t.arguments_schema()},
            "required": ["name", "arguments"],
            "additionalProperties": false
        })
    };
    let alternatives: Vec<Value> = tools.iter().filter(|t| only.is_none_or(|n| n == t.name)).map(one).collect();
    match alternatives.len() {
        1 => alternatives.into_iter().next().expect("one"),
        _ => json!({"oneOf": alternatives}),
    }
}

/// What a step may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn<'a> {
    /// One or more calls (of the named tool only, when given).
    Call(Option<&'a str>),
    /// Calls or an answer.
    Either,
    /// An answer only (the loop's last step).
    Answer,
}

/// An answer does not begin with a call's tag, or with blank space before one.
const ANSWER: &str = "llmops-answer ::= [^< \\t\\n\\r] .*\n";

/// The GBNF grammar of a step: one to [`MAX_PARALLEL`] calls (one when not `parallel`), each
/// matching its tool's schema; or any text that does not begin a call; or either.
pub fn grammar(tools: &[Tool], turn: Turn<'_>, parallel: bool) -> Result<String, String> {
    let only = match turn {
        Turn::Answer => return Ok(format!("root ::= llmops-answer\n{ANSWER}")),
        Turn::Call(only) => only,
        Turn::Either => None,
    };
    let schema = call_schema(tools, only).to_string();
    let json = llama_cpp_2::json_schema_to_grammar(&schema).map_err(|e| e.to_string())?;
    // Our rules are named `llmops-…`; a schema whose own rules took such a name would replace
    // them (in GBNF the last definition of a name wins).
    if let Some(clash) = json.lines().find(|l| l.starts_with("llmops-")) {
        return Err(format!("the tools' schemas define a rule of llmops's own name: {}", clash.split("::=").next().unwrap_or(clash).trim()));
    }
    // The schema's grammar enters at `root`: it becomes our call's body.
    let body: String = json
        .lines()
        .map(|l| match l.strip_prefix("root ::=") {
            Some(rest) => format!("llmops-call-json ::={rest}"),
            // One space at most between tokens of a call: the converter's default (newlines
            // and up to 20 blanks of indent) multiplies the states the grammar tracks per token.
            None if l.starts_with("space ::=") => "space ::= \" \"?".to_owned(),
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let more = if parallel { MAX_PARALLEL - 1 } else { 0 };
    let calls = format!("llmops-calls ::= llmops-call (\"\\n\" llmops-call){{0,{more}}}\nllmops-call ::= \"{OPEN}\" llmops-call-json \"{CLOSE}\"\n");
    let root = match turn {
        Turn::Either => format!("root ::= llmops-calls | llmops-answer\n{ANSWER}"),
        _ => "root ::= llmops-calls\n".to_owned(),
    };
    Ok(format!("{root}{calls}{body}\n"))
}

/// A call as the model wrote it: parsed, or why it does not parse.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub name: String,
    pub arguments: Value,
    pub invalid: Option<String>,
}

/// Whether `text`, the start of a reply, may still turn out to be a call: it is blank, or its
/// start is a prefix of the call tag or begins with it.
pub fn may_begin_call(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with(OPEN) || OPEN.starts_with(t)
}

/// The calls in a step's output, in order; none when the output does not begin with
/// `<tool_call>` (an answer, which may mention the tag).
pub fn parse(output: &str) -> Vec<Parsed> {
    let mut out = Vec::new();
    let mut rest = output.trim_start();
    if !rest.starts_with(OPEN) {
        return out;
    }
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let (body, next) = match after.find(CLOSE) {
            Some(end) => (&after[..end], &after[end + CLOSE.len()..]),
            None => (after, ""),
        };
        let closed = after.contains(CLOSE);
        out.push(match serde_json::from_str::<Value>(body.trim()) {
            Ok(Value::Object(mut o)) => {
                let name = o.remove("name").and_then(|n| n.as_str().map(str::to_owned));
                let arguments = o.remove("arguments").unwrap_or(json!({}));
                match name {
                    Some(name) if closed => Parsed { name, arguments, invalid: None },
                    Some(name) => Parsed { name, arguments, invalid: Some(format!("the call is not closed with {CLOSE}")) },
                    None => Parsed { name: String::new(), arguments, invalid: Some("the call has no `name`".into()) },
                }
            }
            Ok(other) => Parsed { name: String::new(), arguments: other, invalid: Some("the call is not a JSON object".into()) },
            Err(e) => Parsed { name: String::new(), arguments: Value::Null, invalid: Some(format!("the call is not JSON: {e}")) },
        });
        rest = next;
    }
    out
}

/// Why `call` does not stand against `tools`, if it does not: an unknown tool, or arguments
/// that do not match the tool's schema.
pub fn check(call: &Parsed, tools: &[Tool]) -> Option<String> {
    if let Some(why) = &call.invalid {
        return Some(why.clone());
    }
    let Some(tool) = tools.iter().find(|t| t.name == call.name) else {
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
        return Some(format!("there is no tool `{}` (tools: {})", call.name, names.join(", ")));
    };
    crate::json_schema::validate(&tool.arguments_schema(), &call.arguments).err().map(|e| format!("the arguments do not match `{}`'s schema: {e}", tool.name))
}

/// The message that gives the model a call's result (or why there is none): a `tool`
/// message to a local model, whose chat template renders it; for an endpoint, whose API ties
/// `tool` messages to its own call ids, a `user` message in Hermes' `<tool_response>` form.
pub fn tool_message(call: &ToolCall, local: bool) -> RenderedMessage {
    let text = match (&call.invalid, &call.result, &call.error) {
        (Some(why), _, _) => format!("error: invalid call of `{}`: {why}", call.name),
        (None, Some(result), _) => result.clone(),
        (None, None, Some(e)) => format!("error: {e}"),
        (None, None, None) => String::new(),
    };
    result_message(&call.name, text, local)
}

/// The message that gives the model `text`, the result of a call of tool `name`.
pub fn result_message(name: &str, text: String, local: bool) -> RenderedMessage {
    if local {
        RenderedMessage { role: "tool".into(), content: text }
    } else {
        RenderedMessage { role: "user".into(), content: format!("<tool_response>\n{{\"name\": {}, \"content\": {}}}\n</tool_response>", json!(name), json!(text)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(name: &str, parameters: Value) -> Tool {
        serde_json::from_value(json!({"name": name, "description": "d", "parameters": parameters})).unwrap()
    }

    #[test]
    fn calls_parse_in_order_and_bad_ones_say_why() {
        let out = "<tool_call>{\"name\": \"a\", \"arguments\": {\"x\": 1}}</tool_call>\n<tool_call>{\"name\": \"b\"}</tool_call>";
        let calls = parse(out);
        assert_eq!(calls.len(), 2);
        assert_eq!((calls[0].name.as_str(), &calls[0].arguments), ("a", &json!({"x": 1})));
        assert_eq!((calls[1].name.as_str(), &calls[1].arguments), ("b", &json!({})));
        assert!(calls.iter().all(|c| c.invalid.is_none()));
        assert!(parse("Paris is the capital.").is_empty(), "an answer has no call");
        assert!(parse("To call, write <tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>").is_empty(), "an answer may mention the tag");
        assert_eq!(parse("  \n<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>").len(), 1);
        assert!(parse("<tool_call>{not json}</tool_call>")[0].invalid.as_ref().unwrap().contains("not JSON"));
        assert!(parse("<tool_call>{\"arguments\": {}}</tool_call>")[0].invalid.as_ref().unwrap().contains("no `name`"));
        assert!(parse("<tool_call>{\"name\": \"a\", \"arguments\": {}}")[0].invalid.as_ref().unwrap().contains("not closed"));
        assert!(parse("<tool_call>[1]</tool_call>")[0].invalid.as_ref().unwrap().contains("not a JSON object"));
    }

    #[test]
    fn calls_are_checked_against_their_schemas() {
        let tools = [tool("weather", json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}))];
        let ok = Parsed { name: "weather".into(), arguments: json!({"city": "Paris"}), invalid: None };
        assert_eq!(check(&ok, &tools), None);
        let missing = Parsed { arguments: json!({}), ..ok.clone() };
        assert!(check(&missing, &tools).unwrap().contains("do not match `weather`'s schema"));
        let unknown = Parsed { name: "email".into(), ..ok.clone() };
        assert!(check(&unknown, &tools).unwrap().contains("there is no tool `email` (tools: weather)"));
    }

    #[test]
    fn instructions_join_the_system_message() {
        let tools = [tool("weather", json!({"type": "object"}))];
        let text = instructions(&tools);
        assert!(text.contains("- weather: d Arguments: {\"type\":\"object\"}"), "{text}");
        let user = RenderedMessage { role: "user".into(), content: "hi".into() };
        let system = RenderedMessage { role: "system".into(), content: "Be brief.".into() };
        let added = with_instructions(&[user.clone()], &text);
        assert_eq!((added.len(), added[0].role.as_str()), (2, "system"));
        let joined = with_instructions(&[system, user], &text);
        assert_eq!(joined.len(), 2);
        assert!(joined[0].content.starts_with("Be brief.\n\nYou can call tools."));
    }

    /// The grammar is accepted by llama.cpp's grammar parser (through the schema converter),
    /// for one tool, several, a named one, and a step that may answer.
    #[test]
    fn grammars_build_for_every_choice() {
        let tools = [
            tool("weather", json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})),
            tool("time", json!({"type": "object", "properties": {}})),
        ];
        for turn in [Turn::Call(None), Turn::Either, Turn::Call(Some("time"))] {
            let g = grammar(&tools, turn, true).unwrap();
            assert!(g.contains("llmops-call){0,3}"), "{g}");
            assert!(g.starts_with("root ::= llmops-calls"), "{g}");
            assert!(g.contains("llmops-call-json ::="), "{g}");
            assert!(g.lines().any(|l| l == "space ::= \" \"?"), "{g}");
            assert_eq!(g.contains("llmops-answer"), turn == Turn::Either);
            assert_eq!(g.contains("weather"), turn != Turn::Call(Some("time")), "{g}");
        }
        assert!(grammar(&tools, Turn::Call(None), false).unwrap().contains("llmops-call){0,0}"));
        let answer = grammar(&tools, Turn::Answer, true).unwrap();
        assert!(answer.starts_with("root ::= llmops-answer") && !answer.contains("llmops-call"), "{answer}");
    }
}
