//! The OpenAI wire format, as far as `llmops serve` speaks it: requests are read leniently
//! (unknown fields ignored, as OpenAI does), answers carry the fields the official SDKs read.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `POST /v1/chat/completions`.
#[derive(Debug, Clone, Deserialize)]
pub struct ChatCompletionRequest {
    pub model: String,
    #[serde(default)]
    pub messages: Vec<ChatMessage>,
    #[serde(flatten)]
    pub sampling: Sampling,
    /// The newer name of `max_tokens`; wins over it.
    pub max_completion_tokens: Option<u32>,
    pub n: Option<u32>,
    pub response_format: Option<ResponseFormat>,
    #[serde(default)]
    pub stream: bool,
    pub stream_options: Option<StreamOptions>,
    /// The sticky key of canary splits.
    pub user: Option<String>,
    /// A released prompt's template variables (sent through the SDKs' `extra_body`).
    #[serde(default)]
    pub variables: serde_json::Map<String, Value>,
    pub logprobs: Option<bool>,
    pub top_logprobs: Option<u32>,
    /// Functions the model may call; the client runs them and sends the results back.
    #[serde(default)]
    pub tools: Vec<FunctionTool>,
    /// `"auto"`, `"none"`, `"required"` or `{"type": "function", "function": {"name": …}}`.
    pub tool_choice: Option<Value>,
    pub parallel_tool_calls: Option<bool>,
}

/// `{"type": "function", "function": {name, description, parameters}}`.
#[derive(Debug, Clone, Deserialize)]
pub struct FunctionTool {
    #[serde(rename = "type")]
    pub kind: String,
    pub function: FunctionSpec,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FunctionSpec {
    pub name: String,
    pub description: Option<String>,
    pub parameters: Option<Value>,
}

/// A call an assistant message made: `{"id", "type": "function", "function": {name, arguments}}`,
/// the arguments a JSON text.
#[derive(Debug, Clone, Deserialize)]
pub struct ToolCallMessage {
    pub id: Option<String>,
    pub function: FunctionCall,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FunctionCall {
    pub name: String,
    #[serde(default)]
    pub arguments: String,
}

/// `POST /v1/completions`.
#[derive(Debug, Clone, Deserialize)]
pub struct CompletionRequest {
    pub model: String,
    pub prompt: PromptText,
    #[serde(flatten)]
    pub sampling: Sampling,
    pub n: Option<u32>,
    #[serde(default)]
    pub stream: bool,
    pub stream_options: Option<StreamOptions>,
    pub user: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PromptText {
    One(String),
    Many(Vec<String>),
}

/// The sampling settings a request may send, each `None` where it leaves them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Sampling {
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    /// llama.cpp's sampling extensions, as llama-server reads them.
    pub top_k: Option<u32>,
    pub min_p: Option<f64>,
    pub repeat_penalty: Option<f64>,
    pub max_tokens: Option<u32>,
    /// One stop sequence or several.
    #[serde(default, deserialize_with = "one_or_many")]
    pub stop: Option<Vec<String>>,
    pub seed: Option<u64>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stop {
        One(String),
        Many(Vec<String>),
    }
    Ok(Option::<Stop>::deserialize(d)?.map(|s| match s {
        Stop::One(s) => vec![s],
        Stop::Many(v) => v,
    }))
}

#[derive(Debug, Clone, Deserialize)]
pub struct StreamOptions {
    #[serde(default)]
    pub include_usage: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChatMessage {
    pub role: String,
    #[serde(default)]
    pub content: Content,
    /// An assistant message's calls.
    #[serde(default)]
    pub tool_calls: Vec<ToolCallMessage>,
    /// A `tool` message's answer to which call.
    pub tool_call_id: Option<String>,
}

/// A message's content: text, or parts of which the text ones are read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
pub enum Content {
    #[default]
    Null,
    Text(String),
    Parts(Vec<ContentPart>),
}

#[derive(Debug, Clone, Deserialize)]
pub struct ContentPart {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub text: Option<String>,
}

impl Content {
    /// The text, or the name of the part kind that is not text.
    pub fn text(&self) -> Result<String, String> {
        match self {
            Content::Null => Ok(String::new()),
            Content::Text(t) => Ok(t.clone()),
            Content::Parts(parts) => {
                let mut out = String::new();
                for p in parts {
                    match (&*p.kind, &p.text) {
                        ("text", Some(t)) => out.push_str(t),
                        (kind, _) => return Err(kind.to_owned()),
                    }
                }
                Ok(out)
            }
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ResponseFormat {
    #[serde(rename = "type")]
    pub kind: String,
    pub json_schema: Option<JsonSchemaFormat>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JsonSchemaFormat {
    #[serde(default)]
    pub name: Option<String>,
    pub schema: Option<Value>,
}

/// `POST /v1/embeddings`.
#[derive(Debug, Clone, Deserialize)]
pub struct EmbeddingRequest {
    pub model: String,
    pub input: PromptText,
    pub encoding_format: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub total_tokens: u32,
}

impl Usage {
    pub fn new(prompt: u32, completion: u32) -> Usage {
        Usage { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
    }
}

/// OpenAI's error body: `{"error": {"message", "type", "param", "code"}}`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorDetail {
    pub message: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub param: Option<String>,
    pub code: Option<&'static str>,
}
