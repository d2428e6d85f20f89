//! How tools reach a model and calls come back, in the model's own syntax where its chat
//! template shows one ([`ToolSyntax`]): the template renders the tools, and the model calls as
//! it was trained to (Hermes' `<tool_call>` tags; Llama 3's bare JSON). A model whose template
//! knows no tools reads them in a system message, and calls in Hermes' format, which many open
//! models were trained on: `<tool_call>{"name": …, "arguments": {…}}</tool_call>`, several in a
//! row for parallel calls. Each result comes back as a `tool` message. A local model writes its
//! calls under a grammar.

use serde_json::{Value, json};

pub use crate::engine::chat_template::ToolSyntax;
use crate::grade::trajectory::ToolCall;
use crate::spec::prompt::Tool;
use crate::template::RenderedMessage;

const OPEN: &str = "<tool_call>";
const CLOSE: &str = "</tool_call>";
/// What Llama 3 may write before a call.
const PYTHON_TAG: &str = "<|python_tag|>";
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

/// How `provider`'s model writes calls: its chat template's syntax for a local model; the
/// generic one for an endpoint, which reads the tools in the system message.
pub fn syntax_of(provider: &dyn crate::engine::Provider) -> ToolSyntax {
    provider.local_info().map_or(ToolSyntax::Generic, |i| i.tool_syntax)
}

/// The tools in OpenAI's function format, as a chat template that renders tools reads them.
pub fn definitions(tools: &[Tool]) -> Vec<Value> {
    tools
        .iter()
        .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description.as_deref().unwrap_or(""), "parameters": t.arguments_schema()}}))
        .collect()
}

/// How a request offers `tools` in `syntax`: the messages, with the tools told in the system
/// message for a model whose template knows none; and the definitions for a template that
/// renders them itself.
pub fn offer(messages: &[RenderedMessage], tools: &[Tool], syntax: ToolSyntax) -> (Vec<RenderedMessage>, Option<Vec<Value>>) {
    match syntax {
        ToolSyntax::Generic => (with_instructions(messages, &instructions(tools)), None),
        ToolSyntax::Hermes | ToolSyntax::Llama3 => (messages.to_vec(), Some(definitions(tools))),
    }
}

/// The key of a call's arguments in `syntax`.
fn arguments_key(syntax: ToolSyntax) -> &'static str {
    match syntax {
        ToolSyntax::Llama3 => "parameters",
        ToolSyntax::Generic | ToolSyntax::Hermes => "arguments",
    }
}

/// How a reply that calls `name` with `arguments` is written in `syntax`: what an assistant
/// message of a conversation holds for each of its calls, so the model reads its own earlier
/// calls as it writes them.
pub fn call_text(name: &str, arguments: &Value, syntax: ToolSyntax) -> String {
    // Spaced as the templates' `tojson` writes JSON: `{"name": "f", "arguments": {…}}`.
    let call = crate::engine::chat_template::python_json_text(&json!({"name": name, arguments_key(syntax): arguments}));
    match syntax {
        ToolSyntax::Generic => format!("{OPEN}{call}{CLOSE}"),
        ToolSyntax::Hermes => format!("{OPEN}\n{call}\n{CLOSE}"),
        ToolSyntax::Llama3 => call,
    }
}

/// The JSON schema of one call of any of `tools` (of `only`, when given).
fn call_schema(tools: &[Tool], only: Option<&str>, syntax: ToolSyntax) -> Value {
    let key = arguments_key(syntax);
    let one = |t: &Tool| {
        json!({
            "type": "object",
            "properties": {"name": {"const": t.name}, key: t.arguments_schema()},
            "required": ["name", key],
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

/// An answer does not begin with a call's tag (a Llama 3 call's brace), or with blank space
/// before one.
fn answer_rule(syntax: ToolSyntax) -> &'static str {
    match syntax {
        // Nor with `<|`, which would begin Llama 3's `<|python_tag|>` and an unconstrained call.
        ToolSyntax::Llama3 => "llmops-answer ::= [^{< \\t\\n\\r] .* | \"<\" ([^|] .*)?\n",
        ToolSyntax::Generic | ToolSyntax::Hermes => "llmops-answer ::= [^< \\t\\n\\r] .*\n",
    }
}

/// The GBNF grammar of a step in `syntax`: one to [`MAX_PARALLEL`] calls (one when not
/// `parallel`; always one in Llama 3's syntax), each matching its tool's schema; or any text
/// that does not begin a call; or either.
pub fn grammar(tools: &[Tool], turn: Turn<'_>, parallel: bool, syntax: ToolSyntax) -> Result<String, String> {
    let answer = answer_rule(syntax);
    let only = match turn {
        Turn::Answer => return Ok(format!("root ::= llmops-answer\n{answer}")),
        Turn::Call(only) => only,
        Turn::Either => None,
    };
    let schema = call_schema(tools, only, syntax).to_string();
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
    let more = if parallel && syntax != ToolSyntax::Llama3 { MAX_PARALLEL - 1 } else { 0 };
    let call = match syntax {
        ToolSyntax::Generic => format!("\"{OPEN}\" llmops-call-json \"{CLOSE}\""),
        // As the template writes calls: the JSON on a line of its own.
        ToolSyntax::Hermes => format!("\"{OPEN}\" \"\\n\"? llmops-call-json \"\\n\"? \"{CLOSE}\""),
        ToolSyntax::Llama3 => "llmops-call-json".to_owned(),
    };
    let calls = format!("llmops-calls ::= llmops-call (\"\\n\" llmops-call){{0,{more}}}\nllmops-call ::= {call}\n");
    let root = match turn {
        Turn::Either => format!("root ::= llmops-calls | llmops-answer\n{answer}"),
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

/// Whether `text`, the start of a reply, may still turn out to be a call in `syntax`: it is
/// blank, or its start is a prefix of the call's opening or begins with it.
pub fn may_begin_call(text: &str, syntax: ToolSyntax) -> bool {
    let t = text.trim_start();
    match syntax {
        ToolSyntax::Llama3 => t.starts_with('{') || t.starts_with(PYTHON_TAG) || PYTHON_TAG.starts_with(t),
        ToolSyntax::Generic | ToolSyntax::Hermes => t.starts_with(OPEN) || OPEN.starts_with(t),
    }
}

/// The calls in a step's output in `syntax`, in order; none when the output does not begin
/// with a call (an answer, which may mention the tag).
pub fn parse(output: &str, syntax: ToolSyntax) -> Vec<Parsed> {
    if syntax == ToolSyntax::Llama3 {
        return parse_llama3(output);
    }
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

/// A Llama 3 reply that is a call: `{"name": …, "parameters": {…}}`, alone, perhaps after
/// `<|python_tag|>`.
fn parse_llama3(output: &str) -> Vec<Parsed> {
    let t = output.trim_start();
    let t = t.strip_prefix(PYTHON_TAG).unwrap_or(t).trim();
    if !t.starts_with('{') {
        return Vec::new();
    }
    vec![match serde_json::from_str::<Value>(t) {
        Ok(Value::Object(mut o)) => {
            let arguments = o.remove("parameters").or_else(|| o.remove("arguments")).unwrap_or(json!({}));
            match o.remove("name").and_then(|n| n.as_str().map(str::to_owned)) {
                Some(name) => Parsed { name, arguments, invalid: None },
                None => Parsed { name: String::new(), arguments, invalid: Some("the call has no `name`".into()) },
            }
        }
        Ok(other) => Parsed { name: String::new(), arguments: other, invalid: Some("the call is not a JSON object".into()) },
        Err(e) => Parsed { name: String::new(), arguments: Value::Null, invalid: Some(format!("the call is not JSON: {e}")) },
    }]
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
        let calls = parse(out, ToolSyntax::Generic);
        assert_eq!(calls.len(), 2);
        assert_eq!((calls[0].name.as_str(), &calls[0].arguments), ("a", &json!({"x": 1})));
        assert_eq!((calls[1].name.as_str(), &calls[1].arguments), ("b", &json!({})));
        assert!(calls.iter().all(|c| c.invalid.is_none()));
        assert!(parse("Paris is the capital.", ToolSyntax::Generic).is_empty(), "an answer has no call");
        assert!(parse("To call, write <tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>", ToolSyntax::Generic).is_empty(), "an answer may mention the tag");
        assert_eq!(parse("  \n<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>", ToolSyntax::Generic).len(), 1);
        assert!(parse("<tool_call>{not json}</tool_call>", ToolSyntax::Generic)[0].invalid.as_ref().unwrap().contains("not JSON"));
        assert!(parse("<tool_call>{\"arguments\": {}}</tool_call>", ToolSyntax::Generic)[0].invalid.as_ref().unwrap().contains("no `name`"));
        assert!(parse("<tool_call>{\"name\": \"a\", \"arguments\": {}}", ToolSyntax::Generic)[0].invalid.as_ref().unwrap().contains("not closed"));
        assert!(parse("<tool_call>[1]</tool_call>", ToolSyntax::Generic)[0].invalid.as_ref().unwrap().contains("not a JSON object"));
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
            let g = grammar(&tools, turn, true, ToolSyntax::Generic).unwrap();
            assert!(g.contains("llmops-call){0,3}"), "{g}");
            assert!(g.starts_with("root ::= llmops-calls"), "{g}");
            assert!(g.contains("llmops-call-json ::="), "{g}");
            assert!(g.lines().any(|l| l == "space ::= \" \"?"), "{g}");
            assert_eq!(g.contains("llmops-answer"), turn == Turn::Either);
            assert_eq!(g.contains("weather"), turn != Turn::Call(Some("time")), "{g}");
        }
        assert!(grammar(&tools, Turn::Call(None), false, ToolSyntax::Generic).unwrap().contains("llmops-call){0,0}"));
        let answer = grammar(&tools, Turn::Answer, true, ToolSyntax::Generic).unwrap();
        assert!(answer.starts_with("root ::= llmops-answer") && !answer.contains("llmops-call"), "{answer}");
    }

    /// Each syntax reads back the calls it writes, tells calls from answers, and builds its
    /// grammars; only the generic one tells the tools in the system message.
    #[test]
    fn every_syntax_reads_what_it_writes() {
        let tools = [tool("weather", json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}))];
        let args = json!({"city": "Paris"});
        for syntax in [ToolSyntax::Generic, ToolSyntax::Hermes, ToolSyntax::Llama3] {
            let written = call_text("weather", &args, syntax);
            let read = parse(&written, syntax);
            assert_eq!(read, vec![Parsed { name: "weather".into(), arguments: args.clone(), invalid: None }], "{syntax:?}: {written}");
            assert!(parse("It is sunny in Paris.", syntax).is_empty());
            assert!(may_begin_call("", syntax) && may_begin_call(&written[..3], syntax) && may_begin_call(&written, syntax));
            assert!(!may_begin_call("It is", syntax));
            for turn in [Turn::Call(None), Turn::Either, Turn::Answer] {
                let g = grammar(&tools, turn, true, syntax).unwrap();
                assert_eq!(g.contains("llmops-answer"), turn != Turn::Call(None), "{g}");
            }
            let user = [RenderedMessage { role: "user".into(), content: "hi".into() }];
            let (messages, definitions) = offer(&user, &tools, syntax);
            assert_eq!(messages.len() == 2, syntax == ToolSyntax::Generic);
            assert_eq!(definitions.is_some(), syntax != ToolSyntax::Generic);
        }
        assert_eq!(call_text("weather", &args, ToolSyntax::Hermes), "<tool_call>\n{\"name\": \"weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
        assert_eq!(call_text("weather", &args, ToolSyntax::Llama3), "{\"name\": \"weather\", \"parameters\": {\"city\": \"Paris\"}}");
        // Llama 3: a call is the whole reply, maybe after its python tag; one call per step.
        assert_eq!(parse("<|python_tag|>{\"name\": \"weather\", \"parameters\": {}}", ToolSyntax::Llama3)[0].name, "weather");
        assert!(parse("{\"name\": \"weather\"", ToolSyntax::Llama3)[0].invalid.as_ref().unwrap().contains("not JSON"));
        let g = grammar(&tools, Turn::Call(None), true, ToolSyntax::Llama3).unwrap();
        assert!(g.contains("llmops-call){0,0}") && g.contains("llmops-call ::= llmops-call-json") && g.contains("parameters-kv"), "{g}");
        assert!(grammar(&tools, Turn::Either, true, ToolSyntax::Llama3).unwrap().contains("llmops-answer ::= [^{< "));
        let g = grammar(&tools, Turn::Call(None), true, ToolSyntax::Hermes).unwrap();
        assert!(g.contains("llmops-call ::= \"<tool_call>\" \"\\n\"? llmops-call-json \"\\n\"? \"</tool_call>\""), "{g}");
    }
}
