//! Chat messages to prompt text. The model's own Jinja template (`tokenizer.chat_template`
//! in the GGUF) is rendered with minijinja, as llama-server and llama-cpp-python do, so the
//! model sees what it was trained on; llama.cpp's built-in template list, which only
//! approximates a template by its shape, is the fallback when minijinja cannot render it.

use minijinja::{Environment, Error, ErrorKind};
use serde::Serialize;

use crate::template::RenderedMessage;

#[derive(Serialize)]
struct Context<'a> {
    messages: &'a [RenderedMessage],
    add_generation_prompt: bool,
    bos_token: &'a str,
    eos_token: &'a str,
    /// The tools, in OpenAI's function format, for a template that renders them itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    tools: Option<&'a [serde_json::Value]>,
}

/// How a model was trained to call tools, as its chat template shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolSyntax {
    /// The template knows no tools: they are told in the system message, and calls are
    /// written in Hermes' format.
    Generic,
    /// The template renders `tools` and calls are `<tool_call>{"name", "arguments"}</tool_call>`
    /// (Qwen 2.5 and 3, Hermes 2 and 3, SmolLM3).
    Hermes,
    /// The template renders `tools`; a call is the reply `{"name", "parameters"}` alone, and
    /// results come back in `ipython` turns (Llama 3.1 to 3.3).
    Llama3,
}

impl ToolSyntax {
    /// In a few words, for `llmops model info`.
    pub fn describe(self) -> &'static str {
        match self {
            ToolSyntax::Generic => "generic (the template knows no tools: they are told in a system message)",
            ToolSyntax::Hermes => "hermes (<tool_call> tags, as the template renders them)",
            ToolSyntax::Llama3 => "llama3 (a bare JSON call, as the template renders it)",
        }
    }

    /// The syntax `template` renders tools in.
    pub fn of(template: &str) -> ToolSyntax {
        let renders_tools = template.contains("tools");
        if renders_tools && template.contains("<tool_call>") {
            ToolSyntax::Hermes
        } else if renders_tools && template.contains("<|start_header_id|>") && template.contains("ipython") && template.contains("\"parameters\"") {
            ToolSyntax::Llama3
        } else {
            ToolSyntax::Generic
        }
    }
}

/// Renders `template` over `messages`, ending with the assistant's turn opened.
pub fn render(template: &str, messages: &[RenderedMessage], bos_token: &str, eos_token: &str) -> Result<String, String> {
    render_with_tools(template, messages, None, bos_token, eos_token)
}

/// [`render`], with `tools` for a template that renders them ([`ToolSyntax`] not generic).
pub fn render_with_tools(template: &str, messages: &[RenderedMessage], tools: Option<&[serde_json::Value]>, bos_token: &str, eos_token: &str) -> Result<String, String> {
    let mut env = Environment::new();
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.add_function("raise_exception", |message: String| -> Result<String, Error> {
        Err(Error::new(ErrorKind::InvalidOperation, message))
    });
    env.add_filter("tojson", |value: minijinja::Value, kwargs: minijinja::value::Kwargs| -> Result<minijinja::Value, Error> {
        let indent: Option<usize> = kwargs.get("indent")?;
        kwargs.assert_all_used()?;
        let json = serde_json::to_value(&value).map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?;
        let mut out = String::new();
        python_json(&json, indent, 0, &mut out);
        Ok(minijinja::Value::from_safe_string(out))
    });
    // As Hugging Face's own renderer configures Jinja.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build() {
        env.set_syntax(syntax);
    }
    let ctx = Context { messages, add_generation_prompt: true, bos_token, eos_token, tools };
    env.render_str(template, minijinja::Value::from(minijinja::value::Serde(&ctx))).map_err(|e| {
        let mut text = e.to_string();
        if let Some(detail) = e.detail() {
            text = format!("{text}: {detail}");
        }
        text
    })
}

/// `value` as Python's `json.dumps(value, ensure_ascii=False)` writes it, as the models' chat
/// templates write JSON.
pub fn python_json_text(value: &serde_json::Value) -> String {
    let mut out = String::new();
    python_json(value, None, 0, &mut out);
    out
}

/// `value` as Python's `json.dumps(value, ensure_ascii=False, indent=indent)` writes it, which
/// is what Hugging Face's templates were rendered with when the models were trained: `", "` and
/// `": "` between items, or with `indent`, one item per line.
fn python_json(value: &serde_json::Value, indent: Option<usize>, level: usize, out: &mut String) {
    use serde_json::Value;
    let (open, close, items): (char, char, Vec<(Option<&String>, &Value)>) = match value {
        Value::Array(a) => ('[', ']', a.iter().map(|v| (None, v)).collect()),
        Value::Object(o) => ('{', '}', o.iter().map(|(k, v)| (Some(k), v)).collect()),
        other => {
            out.push_str(&other.to_string());
            return;
        }
    };
    out.push(open);
    for (n, (key, item)) in items.iter().enumerate() {
        match indent {
            Some(width) => {
                out.push_str(if n == 0 { "\n" } else { ",\n" });
                out.push_str(&" ".repeat(width * (level + 1)));
            }
            None if n > 0 => out.push_str(", "),
            None => {}
        }
        if let Some(k) = key {
            out.push_str(&serde_json::Value::String((*k).clone()).to_string());
            out.push_str(": ");
        }
        python_json(item, indent, level + 1, out);
    }
    if let (Some(width), false) = (indent, items.is_empty()) {
        out.push('\n');
        out.push_str(&" ".repeat(width * level));
    }
    out.push(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tokenizer.chat_template` of SmolLM2-135M-Instruct.
    const SMOLLM2: &str = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    fn msg(role: &str, content: &str) -> RenderedMessage {
        RenderedMessage { role: role.into(), content: content.into() }
    }

    #[test]
    fn smollm2_template_adds_its_default_system_message() {
        let out = render(SMOLLM2, &[msg("user", "Hi")], "", "<|im_end|>").unwrap();
        assert_eq!(
            out,
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
        let out = render(SMOLLM2, &[msg("system", "Be brief."), msg("user", "Hi")], "", "").unwrap();
        assert!(out.starts_with("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi"));
    }

    #[test]
    fn python_methods_and_raise_exception_work() {
        let t = "{% if messages[0].role == 'bad' %}{{ raise_exception('no') }}{% endif %}{{ messages[0].content.strip() }}";
        assert_eq!(render(t, &[msg("user", "  x  ")], "", "").unwrap(), "x");
        assert!(render(t, &[msg("bad", "x")], "", "").unwrap_err().contains("no"));
    }

    const QWEN25: &str = include_str!("../../tests/data/templates/Qwen-Qwen2.5-7B-Instruct.jinja");
    const LLAMA31: &str = include_str!("../../tests/data/templates/meta-llama-Llama-3.1-8B-Instruct.jinja");
    const HERMES3: &str = include_str!("../../tests/data/templates/NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja");

    fn weather() -> Vec<serde_json::Value> {
        vec![serde_json::json!({"type": "function", "function": {"name": "get_weather", "description": "The weather.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}})]
    }

    #[test]
    fn templates_say_how_their_models_call_tools() {
        assert_eq!(ToolSyntax::of(SMOLLM2), ToolSyntax::Generic);
        assert_eq!(ToolSyntax::of(QWEN25), ToolSyntax::Hermes);
        assert_eq!(ToolSyntax::of(HERMES3), ToolSyntax::Hermes);
        assert_eq!(ToolSyntax::of(LLAMA31), ToolSyntax::Llama3);
    }

    /// The models' own templates render the tools, the model's earlier call (as it wrote it)
    /// and the result, each in the model's own wording.
    #[test]
    fn native_templates_render_tools_calls_and_results() {
        let tools = weather();
        let conversation = [
            msg("user", "Weather in Paris?"),
            msg("assistant", "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>"),
            msg("tool", "sunny"),
        ];
        let qwen = render_with_tools(QWEN25, &conversation, Some(&tools), "", "<|im_end|>").unwrap();
        assert!(qwen.contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \"The weather.\""), "{qwen}");
        assert!(qwen.contains("<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\""), "{qwen}");
        assert!(qwen.contains("<|im_start|>user\n<tool_response>\nsunny\n</tool_response><|im_end|>"), "{qwen}");
        assert!(qwen.ends_with("<|im_start|>assistant\n"), "{qwen}");
        // Without tools, the template says nothing of them.
        assert!(!render(QWEN25, &conversation[..1], "", "").unwrap().contains("<tools>"));

        let conversation = [msg("user", "Weather in Paris?"), msg("assistant", "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}"), msg("tool", "sunny")];
        let llama = render_with_tools(LLAMA31, &conversation, Some(&tools), "<|begin_of_text|>", "<|eot_id|>").unwrap();
        assert!(llama.contains("Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}"), "{llama}");
        assert!(llama.contains("\"name\": \"get_weather\""), "the tools, indented: {llama}");
        assert!(llama.contains("<|start_header_id|>assistant<|end_header_id|>\n\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>"), "{llama}");
        // A string is iterable to Jinja, so this template writes the result as JSON, as it
        // does under Hugging Face's renderer.
        assert!(llama.contains("<|start_header_id|>ipython<|end_header_id|>\n\n\"sunny\"<|eot_id|>"), "{llama}");
        assert!(llama.ends_with("<|start_header_id|>assistant<|end_header_id|>\n\n"), "{llama}");
    }

    /// `tojson` writes what Python's `json.dumps` writes, on 300 random values (reference:
    /// tests/reference/tojson.py).
    #[test]
    fn tojson_writes_what_python_writes() {
        let cases: Vec<serde_json::Value> = serde_json::from_str(include_str!("../../tests/data/tojson_reference.json")).unwrap();
        assert_eq!(cases.len(), 300);
        for case in &cases {
            for (indent, key) in [(None, "compact"), (Some(4), "indented")] {
                let mut out = String::new();
                python_json(&case["value"], indent, 0, &mut out);
                assert_eq!(out, case[key].as_str().unwrap(), "{}", case["value"]);
            }
        }
        // Through a template, with and without `indent`.
        let t = "{{ x | tojson }}|{{ x | tojson(indent=2) }}";
        let rendered = render(&format!("{{% set x = messages[0] %}}{t}"), &[msg("user", "é")], "", "").unwrap();
        assert_eq!(rendered, "{\"role\": \"user\", \"content\": \"é\"}|{\n  \"role\": \"user\",\n  \"content\": \"é\"\n}");
    }
}
