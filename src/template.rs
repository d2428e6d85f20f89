//! Message templates (minijinja) rendered over a dataset row's variables. Undefined
//! variables are errors (strict), and the variables a template needs are known before
//! anything renders, so a row that lacks one is found before any model runs.

use std::collections::BTreeSet;

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::spec::prompt::Prompt;

/// A message after rendering: what a model receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RenderedMessage {
    pub role: String,
    pub content: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("message {message} needs variable `{variable}`, which the row does not have")]
    MissingVariable { message: usize, variable: String },
    #[error("message {message} does not render: {detail}")]
    Render { message: usize, detail: String },
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env
}

/// Compiles a template and reports a syntax error with its line inside the template.
pub fn compile_check(source: &str) -> Result<(), String> {
    let env = environment();
    env.template_from_str(source).map(|_| ()).map_err(|e| describe(&e))
}

/// The top-level variables a template reads.
pub fn variables(source: &str) -> BTreeSet<String> {
    let env = environment();
    match env.template_from_str(source) {
        Ok(t) => t.undeclared_variables(false).into_iter().collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// Renders every message of `prompt` over `vars`.
pub fn render_messages(
    prompt: &Prompt,
    vars: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<RenderedMessage>, TemplateError> {
    let env = environment();
    let ctx = minijinja::Value::from(minijinja::value::Serde(vars));
    prompt
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let message = i + 1;
            if let Some(variable) = variables(&m.content).into_iter().find(|v| !vars.contains_key(v)) {
                return Err(TemplateError::MissingVariable { message, variable });
            }
            let content = env
                .render_str(&m.content, ctx.clone())
                .map_err(|e| TemplateError::Render { message, detail: describe(&e) })?;
            Ok(RenderedMessage { role: m.role.as_str().to_owned(), content })
        })
        .collect()
}

/// Renders one template over `vars`; a variable the template reads and `vars` lacks is an
/// error naming it.
pub fn render_text(source: &str, vars: &serde_json::Map<String, serde_json::Value>) -> Result<String, String> {
    if let Some(variable) = variables(source).into_iter().find(|v| !vars.contains_key(v)) {
        return Err(format!("needs variable `{variable}`, which the row does not have"));
    }
    let ctx = minijinja::Value::from(minijinja::value::Serde(vars));
    environment().render_str(source, ctx).map_err(|e| describe(&e))
}

fn describe(err: &minijinja::Error) -> String {
    let mut text = err.detail().map(str::to_owned).unwrap_or_else(|| err.kind().to_string());
    if let Some(line) = err.line() {
        text.push_str(&format!(" (template line {line})"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prompt(content: &str) -> Prompt {
        let src = format!("messages:\n  - role: user\n    content: {content:?}\n");
        Prompt::parse(std::path::Path::new("p.yaml"), &src).unwrap()
    }

    fn vars(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn renders_variables_loops_and_filters() {
        let p = prompt("Q: {{ q | upper }}{% for o in options %} [{{ o }}]{% endfor %}");
        let out = render_messages(&p, &vars(json!({"q": "hi", "options": ["a", "b"]}))).unwrap();
        assert_eq!(out[0].content, "Q: HI [a] [b]");
        assert_eq!(out[0].role, "user");
    }

    #[test]
    fn a_missing_variable_is_named() {
        let p = prompt("{{ question }} {{ context }}");
        let err = render_messages(&p, &vars(json!({"question": "x"}))).unwrap_err();
        assert_eq!(err.to_string(), "message 1 needs variable `context`, which the row does not have");
    }

    #[test]
    fn a_missing_attribute_fails_under_strict_undefined() {
        let p = prompt("{{ user.name }}");
        let err = render_messages(&p, &vars(json!({"user": {}}))).unwrap_err();
        assert!(matches!(err, TemplateError::Render { .. }), "{err}");
    }

    #[test]
    fn loop_variables_are_not_required_from_the_row() {
        assert_eq!(variables("{% for x in xs %}{{ x }}{% endfor %}").into_iter().collect::<Vec<_>>(), ["xs"]);
    }
}
