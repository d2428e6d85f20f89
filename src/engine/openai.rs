//! A client for any OpenAI-compatible endpoint (vLLM, llama-server, Ollama, hosted APIs):
//! chat completions and embeddings, with bounded concurrency, retries with backoff on 429
//! and 5xx, timeouts, and errors that say what to fix.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{ChatRequest, Completion, EngineError, Event, FinishReason, ModelIdentity, Provider, Timings, Usage, millis, normalize};
use crate::spec::prompt::ResponseKind;

#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// Up to and including `/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// The variable the key came from, named in errors.
    pub api_key_env: Option<String>,
    pub timeout: Duration,
    pub concurrency: usize,
    pub max_retries: u32,
}

pub struct OpenAiClient {
    identity: ModelIdentity,
    config: OpenAiConfig,
    http: reqwest::blocking::Client,
}

impl OpenAiClient {
    pub fn new(identity: ModelIdentity, config: OpenAiConfig) -> Result<OpenAiClient, EngineError> {
        let http = reqwest::blocking::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| EngineError::Http { url: crate::endpoint::redact_url(&config.base_url), detail: e.without_url().to_string(), status: None })?;
        Ok(OpenAiClient { identity, config, http })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.config.base_url.trim_end_matches('/'))
    }

    /// The URL of `path` as errors and records show it: no credentials, no query.
    fn shown_url(&self, path: &str) -> String {
        crate::endpoint::redact_url(&self.url(path))
    }

    /// POSTs `body`, retrying on 429, 5xx and connection failures.
    fn post(&self, path: &str, body: &Value) -> Result<Value, EngineError> {
        let url = self.url(path);
        let shown = self.shown_url(path);
        let fail = |detail: String, status: Option<u16>| EngineError::Http { url: shown.clone(), detail, status };
        let mut attempt = 0u32;
        loop {
            let mut request = self.http.post(&url).json(body);
            if let Some(key) = &self.config.api_key {
                request = request.bearer_auth(key);
            }
            let (retryable, error, wait) = match request.send() {
                Err(e) => {
                    let detail = if e.is_timeout() {
                        format!("no answer within {:.0} s", self.config.timeout.as_secs_f64())
                    } else if e.is_connect() {
                        "cannot connect (is the server running?)".to_owned()
                    } else {
                        e.without_url().to_string()
                    };
                    (true, fail(detail, None), None)
                }
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.parse::<f64>().ok())
                        .map(|s| Duration::from_secs_f64(s.clamp(0.0, 60.0)));
                    let text = response.text().unwrap_or_default();
                    if status.is_success() {
                        return serde_json::from_str(&text)
                            .map_err(|e| fail(format!("malformed reply ({e}): {}", clip(&text)), Some(status.as_u16())));
                    }
                    let message = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
                        .unwrap_or_else(|| clip(&text));
                    let code = status.as_u16();
                    let detail = match code {
                        401 | 403 => format!(
                            "HTTP {code}, not authorised: {message} (check the key in `{}`)",
                            self.config.api_key_env.as_deref().unwrap_or("api_key_env")
                        ),
                        404 => format!(
                            "HTTP 404, not found: {message} (check `base_url` and that the endpoint serves model `{}`)",
                            self.config.model
                        ),
                        _ => format!("HTTP {code}: {message}"),
                    };
                    (code == 429 || code >= 500, fail(detail, Some(code)), retry_after)
                }
            };
            if !retryable || attempt >= self.config.max_retries {
                return Err(error);
            }
            let backoff = Duration::from_millis(250 * (1u64 << attempt.min(6)));
            std::thread::sleep(wait.unwrap_or(backoff));
            attempt += 1;
        }
    }

    fn chat(&self, request: &ChatRequest) -> Result<Completion, EngineError> {
        if request.raw_prompt.is_some() {
            return Err(EngineError::Http { url: self.config.base_url.clone(), detail: "raw text completions run on local models only".into(), status: None });
        }
        let started = Instant::now();
        let p = &request.params;
        let mut body = json!({
            "model": self.config.model,
            "messages": request.messages,
            "temperature": request.temperature(),
            "max_tokens": request.max_tokens(),
            "seed": request.seed(),
        });
        let map = body.as_object_mut().expect("object literal");
        if let Some(v) = p.top_p {
            map.insert("top_p".into(), json!(v));
        }
        // Not in OpenAI's API, but understood by vLLM, llama-server and Ollama.
        if let Some(v) = p.top_k {
            map.insert("top_k".into(), json!(v));
        }
        if let Some(v) = p.min_p {
            map.insert("min_p".into(), json!(v));
        }
        if let Some(v) = p.repeat_penalty {
            map.insert("repeat_penalty".into(), json!(v));
        }
        if !p.stop.is_empty() {
            map.insert("stop".into(), json!(p.stop));
        }
        if !request.choices.is_empty() {
            map.insert("logprobs".into(), json!(true));
            map.insert("top_logprobs".into(), json!(20));
        }
        if let Some(format) = &request.response_format {
            let value = match format.kind {
                ResponseKind::Text => json!({"type": "text"}),
                ResponseKind::JsonObject => json!({"type": "json_object"}),
                ResponseKind::JsonSchema => json!({
                    "type": "json_schema",
                    "json_schema": {"name": "response", "schema": format.schema, "strict": true}
                }),
            };
            map.insert("response_format".into(), value);
        }
        let reply = self.post("chat/completions", &body)?;
        let malformed = |what: &str| EngineError::Http {
            url: self.shown_url("chat/completions"),
            detail: format!("malformed reply: {what} in {}", clip(&reply.to_string())),
            status: Some(200),
        };
        let choice = reply["choices"].get(0).ok_or_else(|| malformed("no `choices[0]`"))?;
        let text = choice["message"]["content"].as_str().ok_or_else(|| malformed("no `message.content`"))?.to_owned();
        let finish_reason = match choice["finish_reason"].as_str() {
            Some("length") => FinishReason::Length,
            _ => FinishReason::Stop,
        };
        let usage = Usage {
            input_tokens: reply["usage"]["prompt_tokens"].as_u64().unwrap_or(0) as u32,
            output_tokens: reply["usage"]["completion_tokens"].as_u64().unwrap_or(0) as u32,
        };
        let choice_probs = if request.choices.is_empty() {
            None
        } else {
            let top = choice["logprobs"]["content"][0]["top_logprobs"].as_array().cloned().unwrap_or_default();
            let found = super::choice_distribution(&request.choices, |label: &str| {
                top.iter()
                    .find(|t| t["token"].as_str().map(str::trim) == Some(label))
                    .and_then(|t| t["logprob"].as_f64())
            });
            Some(found.ok_or_else(|| malformed("no `logprobs.content[0].top_logprobs` for the labels"))?)
        };
        let total = started.elapsed();
        let completion = Completion {
            text,
            finish_reason,
            usage,
            timings: Timings {
                ttft_ms: millis(total),
                total_ms: millis(total),
                tokens_per_s: usage.output_tokens as f64 / total.as_secs_f64().max(1e-9),
            },
            cached: false,
            choice_probs,
        };
        if let Some(format) = &request.response_format {
            if format.kind != ResponseKind::Text {
                let value: Value = serde_json::from_str(completion.text.trim())
                    .map_err(|e| EngineError::Schema(format!("{e} in {:?}", completion.text)))?;
                if let Some(schema) = &format.schema {
                    crate::json_schema::validate(schema, &value).map_err(EngineError::Schema)?;
                }
            }
        }
        Ok(completion)
    }
}

fn clip(text: &str) -> String {
    crate::text::clip(text.trim(), 200)
}

impl Provider for OpenAiClient {
    fn concurrency(&self) -> usize {
        self.config.concurrency.max(1)
    }

    fn identity(&self) -> &ModelIdentity {
        &self.identity
    }

    fn generate(&self, requests: &[ChatRequest], on_event: &mut dyn FnMut(&Event)) -> Vec<Result<Completion, EngineError>> {
        let results: Mutex<Vec<Option<Result<Completion, EngineError>>>> = Mutex::new(vec![None; requests.len()]);
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel::<(usize, Result<Completion, EngineError>)>();
        std::thread::scope(|scope| {
            for _ in 0..self.config.concurrency.max(1).min(requests.len().max(1)) {
                let tx = tx.clone();
                let next = &next;
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(request) = requests.get(i) else { break };
                        if tx.send((i, self.chat(request))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for (index, result) in rx {
                if let Ok(c) = &result {
                    on_event(&Event::Token { index, text: c.text.clone() });
                }
                let event = Event::Done { index, result };
                on_event(&event);
                if let Event::Done { result, .. } = event {
                    results.lock().expect("no poisoned lock")[index] = Some(result);
                }
            }
        });
        results.into_inner().expect("no poisoned lock").into_iter().map(|r| r.unwrap_or(Err(EngineError::Stopped))).collect()
    }

    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EngineError> {
        let reply = self.post("embeddings", &json!({"model": self.config.model, "input": texts}))?;
        let data = reply["data"].as_array().ok_or_else(|| EngineError::Http {
            url: self.shown_url("embeddings"),
            detail: format!("malformed reply: no `data` in {}", clip(&reply.to_string())),
            status: Some(200),
        })?;
        let mut out = vec![Vec::new(); texts.len()];
        for (i, item) in data.iter().enumerate() {
            let index = item["index"].as_u64().map(|n| n as usize).unwrap_or(i);
            let mut v: Vec<f32> = item["embedding"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).map(|x| x as f32).collect())
                .unwrap_or_default();
            normalize(&mut v);
            if let Some(slot) = out.get_mut(index) {
                *slot = v;
            }
        }
        if out.iter().any(Vec::is_empty) {
            return Err(EngineError::Http {
                url: self.shown_url("embeddings"),
                detail: format!("malformed reply: {} embeddings for {} inputs", data.len(), texts.len()),
                status: Some(200),
            });
        }
        Ok(out)
    }
}
