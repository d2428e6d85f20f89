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
}

/// Renders `template` over `messages`, ending with the assistant's turn opened.
pub fn render(template: &str, messages: &[RenderedMessage], bos_token: &str, eos_token: &str) -> Result<String, String> {
    let mut env = Environment::new();
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.add_function("raise_exception", |message: String| -> Result<String, Error> {
        Err(Error::new(ErrorKind::InvalidOperation, message))
    });
    // As Hugging Face's own renderer configures Jinja.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build() {
        env.set_syntax(syntax);
    }
    let ctx = Context { messages, add_generation_prompt: true, bos_token, eos_token };
    env.render_str(template, minijinja::Value::from(minijinja::value::Serde(&ctx))).map_err(|e| {
        let mut text = e.to_string();
        if let Some(detail) = e.detail() {
            text = format!("{text}: {detail}");
        }
        text
    })
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
}
