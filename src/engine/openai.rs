//! A client for any OpenAI-compatible endpoint (vLLM, llama-server, Ollama, hosted APIs):
//! chat completions and embeddings, with bounded concurrency, retries with backoff on 429
//! and 5xx, timeouts, and errors that say what to fix.

use std::sync::{Condvar, Mutex};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{ChatRequest, Completion, EngineError, Event, FinishReason, ModelIdentity, Provider, Timings, Usage, millis, normalize};
use crate::spec::prompt::ResponseKind;

#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// One, or a pool serving the same model.
    pub endpoints: Vec<EndpointConfig>,
    pub model: String,
    pub api_key: Option<String>,
    /// The variable the key came from, named in errors.
    pub api_key_env: Option<String>,
    pub timeout: Duration,
    pub max_retries: u32,
    /// Ask each endpoint's `/models` at the start that it serves `model` (pools).
    pub check_models: bool,
}

#[derive(Debug, Clone)]
pub struct EndpointConfig {
    /// Up to and including `/v1`.
    pub base_url: String,
    pub weight: f64,
    pub concurrency: usize,
}

/// What one endpoint did for a run: recorded in `run.yaml` (`served_by:`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EndpointUse {
    /// The config's model entry.
    pub model: String,
    /// Credentials and query left out.
    pub base_url: String,
    /// Requests it answered.
    pub served: u64,
    /// Requests that failed there (and were tried again elsewhere or later).
    pub failed: u64,
    /// The model ids its `/models` listed at the start (pools only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serves: Vec<String>,
}

/// The endpoints' state: requests in flight, and when a failing one may be tried again.
struct Slot {
    /// Its `/models` listed the model (or no check is asked for).
    checked: bool,
    /// It serves another model: never used.
    excluded: bool,
    in_flight: usize,
    down_until: Option<Instant>,
    failures_in_row: u32,
    served: u64,
    failed: u64,
    serves: Vec<String>,
}

/// How long an endpoint is left out after its `n`th failure in a row: 250 ms doubling, at
/// most 30 s.
fn backoff(n: u32) -> Duration {
    Duration::from_millis(250u64 << n.saturating_sub(1).min(7)).min(Duration::from_secs(30))
}

pub struct OpenAiClient {
    identity: ModelIdentity,
    config: OpenAiConfig,
    http: reqwest::blocking::Client,
    slots: Mutex<Vec<Slot>>,
    freed: Condvar,
}

/// What became of one attempt at an endpoint.
enum Attempt {
    Done(Value),
    /// The endpoint failed (connection, timeout, 429, 5xx): leave it out a while, try again.
    Retry(EngineError, Option<Duration>),
    /// The request itself is wrong (4xx, a malformed reply): no endpoint would do better.
    Fatal(EngineError),
}

impl OpenAiClient {
    pub fn new(identity: ModelIdentity, config: OpenAiConfig) -> Result<OpenAiClient, EngineError> {
        let shown = config.endpoints.first().map(|e| crate::endpoint::redact_url(&e.base_url)).unwrap_or_default();
        let http = reqwest::blocking::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| EngineError::Http { url: shown, detail: e.without_url().to_string(), status: None })?;
        let checked = !config.check_models;
        let slots = config.endpoints.iter().map(|_| Slot { checked, excluded: false, in_flight: 0, down_until: None, failures_in_row: 0, served: 0, failed: 0, serves: Vec::new() }).collect();
        let client = OpenAiClient { identity, config, http, slots: Mutex::new(slots), freed: Condvar::new() };
        if client.config.check_models {
            client.check_models()?;
        }
        Ok(client)
    }

    /// Every endpoint that answers `/models` must list the model; one that does not answer is
    /// left out, and asked again before it is first used. None answering is an error.
    fn check_models(&self) -> Result<(), EngineError> {
        let mut answered = 0;
        for i in 0..self.config.endpoints.len() {
            match self.ask_models(i) {
                Some(Ok(())) => answered += 1,
                Some(Err(e)) => return Err(e),
                None => {
                    let mut slots = self.slots.lock().expect("no poisoned lock");
                    slots[i].down_until = Some(Instant::now() + backoff(1));
                    slots[i].failures_in_row = 1;
                }
            }
        }
        if answered == 0 {
            let urls: Vec<String> = self.config.endpoints.iter().map(|e| crate::endpoint::redact_url(&e.base_url)).collect();
            return Err(EngineError::Http { url: urls.join(", "), detail: "no endpoint of the pool answers `/models` (are they running?)".into(), status: None });
        }
        Ok(())
    }

    /// Asks endpoint `i`'s `/models` whether it serves the model: `None` when it does not
    /// answer; an error when it serves another (it is excluded then). Marks it checked.
    fn ask_models(&self, i: usize) -> Option<Result<(), EngineError>> {
        let e = &self.config.endpoints[i];
        let url = format!("{}/models", e.base_url.trim_end_matches('/'));
        let mut request = self.http.get(&url).timeout(self.config.timeout.min(Duration::from_secs(5)));
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key);
        }
        let reply = request.send().ok().filter(|r| r.status().is_success()).and_then(|r| r.json::<Value>().ok())?;
        let ids: Vec<String> = reply["data"].as_array().map(|a| a.iter().filter_map(|m| m["id"].as_str().map(str::to_owned)).collect()).unwrap_or_default();
        let mut slots = self.slots.lock().expect("no poisoned lock");
        if !ids.iter().any(|id| *id == self.config.model) {
            slots[i].excluded = true;
            return Some(Err(EngineError::Http {
                url: crate::endpoint::redact_url(&url),
                detail: format!(
                    "this endpoint of the pool serves {}, not `{}`: every endpoint of a pool must serve the same model",
                    if ids.is_empty() { "no model".to_owned() } else { ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ") },
                    self.config.model
                ),
                status: Some(200),
            }));
        }
        slots[i].serves = ids;
        slots[i].checked = true;
        Some(Ok(()))
    }

    /// What each endpoint did so far.
    pub fn endpoint_uses(&self) -> Vec<EndpointUse> {
        let slots = self.slots.lock().expect("no poisoned lock");
        self.config
            .endpoints
            .iter()
            .zip(slots.iter())
            .map(|(e, s)| EndpointUse { model: self.identity.name.clone(), base_url: crate::endpoint::redact_url(&e.base_url), served: s.served, failed: s.failed, serves: s.serves.clone() })
            .collect()
    }

    /// Waits for a free place on a healthy endpoint: the one with the fewest requests in
    /// flight for its weight. An endpoint left out after failing is tried again once its time
    /// is up.
    fn acquire(&self) -> usize {
        let mut slots = self.slots.lock().expect("no poisoned lock");
        loop {
            let now = Instant::now();
            let best = slots
                .iter()
                .enumerate()
                .filter(|(i, s)| !s.excluded && s.down_until.is_none_or(|t| t <= now) && s.in_flight < self.config.endpoints[*i].concurrency.max(1))
                .min_by(|(i, a), (j, b)| {
                    let load = |k: usize, s: &Slot| (s.in_flight as f64 + 1.0) / self.config.endpoints[k].weight;
                    load(*i, a).total_cmp(&load(*j, b)).then(i.cmp(j))
                })
                .map(|(i, _)| i);
            if let Some(i) = best {
                slots[i].in_flight += 1;
                return i;
            }
            // Everything is busy or left out: wake when a request ends or an endpoint's time
            // is up.
            let wake = slots.iter().filter_map(|s| s.down_until).filter(|t| *t > now).min().map(|t| t - now).unwrap_or(Duration::from_millis(200));
            slots = self.freed.wait_timeout(slots, wake.min(Duration::from_millis(200))).expect("no poisoned lock").0;
        }
    }

    /// Ends a request at endpoint `i`: answered (`None`), failed there (`Some(wait)`: left out
    /// for `wait`, else a backoff), or neither (`answered: false`, `failed: None`).
    fn release(&self, i: usize, answered: bool, failed: Option<Option<Duration>>) {
        let mut slots = self.slots.lock().expect("no poisoned lock");
        let slot = &mut slots[i];
        slot.in_flight -= 1;
        match failed {
            None if !answered => {}
            None => {
                slot.served += 1;
                slot.failures_in_row = 0;
                slot.down_until = None;
            }
            Some(wait) => {
                slot.failed += 1;
                slot.failures_in_row += 1;
                slot.down_until = Some(Instant::now() + wait.unwrap_or_else(|| backoff(slot.failures_in_row)));
            }
        }
        drop(slots);
        self.freed.notify_all();
    }

    fn url(&self, i: usize, path: &str) -> String {
        format!("{}/{path}", self.config.endpoints[i].base_url.trim_end_matches('/'))
    }

    /// The URL of `path` as errors and records show it: no credentials, no query.
    fn shown_url(&self, path: &str) -> String {
        crate::endpoint::redact_url(&self.url(0, path))
    }

    /// POSTs `body` to the least-loaded healthy endpoint; on 429, 5xx, a timeout or a failed
    /// connection the endpoint is left out a while (`Retry-After`, else a doubling backoff)
    /// and the request goes again, elsewhere when the pool has another endpoint.
    /// The reply, with the URL (as shown) of the endpoint that gave it.
    fn post(&self, path: &str, body: &Value) -> Result<(Value, String), EngineError> {
        let attempts = self.config.max_retries + self.config.endpoints.len() as u32 - 1;
        let pool = self.config.endpoints.len() > 1;
        let mut attempt = 0u32;
        loop {
            let i = self.acquire();
            // An endpoint that did not answer `/models` at the start is asked before its first
            // request.
            let unchecked = !self.slots.lock().expect("no poisoned lock")[i].checked;
            if unchecked {
                match self.ask_models(i) {
                    Some(Ok(())) => {}
                    Some(Err(e)) => {
                        // Excluded from now on; counted, so the run shows it.
                        self.release(i, false, Some(None));
                        if attempt >= attempts {
                            return Err(e);
                        }
                        attempt += 1;
                        continue;
                    }
                    None => {
                        self.release(i, false, Some(None));
                        attempt += 1;
                        if attempt > attempts {
                            return Err(EngineError::Http { url: self.shown_url(path), detail: "no endpoint of the pool answers".into(), status: None });
                        }
                        continue;
                    }
                }
            }
            let outcome = self.attempt(i, path, body);
            let error = match outcome {
                Attempt::Done(v) => {
                    self.release(i, true, None);
                    return Ok((v, crate::endpoint::redact_url(&self.url(i, path))));
                }
                // In a pool, a 404 or a malformed reply says more of the endpoint (restarted
                // with another model, broken) than of the request: another may answer it.
                Attempt::Fatal(e) if pool && matches!(e, EngineError::Http { status: Some(404 | 200), .. }) => {
                    self.release(i, false, Some(None));
                    e
                }
                Attempt::Fatal(e) => {
                    // Not the endpoint's fault: it answered.
                    self.release(i, true, None);
                    return Err(e);
                }
                Attempt::Retry(e, wait) => {
                    self.release(i, false, Some(wait));
                    e
                }
            };
            if attempt >= attempts {
                return Err(error);
            }
            attempt += 1;
        }
    }

    fn attempt(&self, i: usize, path: &str, body: &Value) -> Attempt {
        let url = self.url(i, path);
        let fail = |detail: String, status: Option<u16>| EngineError::Http { url: crate::endpoint::redact_url(&url), detail, status };
        let mut request = self.http.post(&url).json(body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key);
        }
        match request.send() {
            Err(e) => {
                let detail = if e.is_timeout() {
                    format!("no answer within {:.0} s", self.config.timeout.as_secs_f64())
                } else if e.is_connect() {
                    "cannot connect (is the server running?)".to_owned()
                } else {
                    e.without_url().to_string()
                };
                Attempt::Retry(fail(detail, None), None)
            }
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|s| s.is_finite())
                    .map(|s| Duration::from_secs_f64(s.clamp(0.0, 60.0)));
                let text = match response.text() {
                    Ok(t) => t,
                    Err(e) => return Attempt::Retry(fail(format!("the reply broke off: {}", e.without_url()), Some(status.as_u16())), None),
                };
                if status.is_success() {
                    return match serde_json::from_str(&text) {
                        Ok(v) => Attempt::Done(v),
                        Err(e) => Attempt::Fatal(fail(format!("malformed reply ({e}): {}", clip(&text)), Some(status.as_u16()))),
                    };
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
                    404 => format!("HTTP 404, not found: {message} (check `base_url` and that the endpoint serves model `{}`)", self.config.model),
                    _ => format!("HTTP {code}: {message}"),
                };
                if code == 429 || code >= 500 { Attempt::Retry(fail(detail, Some(code)), retry_after) } else { Attempt::Fatal(fail(detail, Some(code))) }
            }
        }
    }

    fn chat(&self, request: &ChatRequest) -> Result<Completion, EngineError> {
        if request.raw_prompt.is_some() {
            return Err(EngineError::Http { url: self.shown_url(""), detail: "raw text completions run on local models only".into(), status: None });
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
        let (reply, at) = self.post("chat/completions", &body)?;
        let malformed = |what: &str| EngineError::Http {
            url: at.clone(),
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
        self.config.endpoints.iter().map(|e| e.concurrency.max(1)).sum::<usize>().max(1)
    }

    fn endpoint_uses(&self) -> Vec<EndpointUse> {
        OpenAiClient::endpoint_uses(self)
    }

    fn identity(&self) -> &ModelIdentity {
        &self.identity
    }

    fn generate(&self, requests: &[ChatRequest], on_event: &mut dyn FnMut(&Event)) -> Vec<Result<Completion, EngineError>> {
        let results: Mutex<Vec<Option<Result<Completion, EngineError>>>> = Mutex::new(vec![None; requests.len()]);
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel::<(usize, Result<Completion, EngineError>)>();
        std::thread::scope(|scope| {
            for _ in 0..Provider::concurrency(self).min(requests.len().max(1)) {
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
        let (reply, at) = self.post("embeddings", &json!({"model": self.config.model, "input": texts}))?;
        let data = reply["data"].as_array().ok_or_else(|| EngineError::Http {
            url: at.clone(),
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
                url: at.clone(),
                detail: format!("malformed reply: {} embeddings for {} inputs", data.len(), texts.len()),
                status: Some(200),
            });
        }
        Ok(out)
    }
}
