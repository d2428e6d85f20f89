//! `llmops trace export`: a recorded run's spans sent again to any OTLP/HTTP collector
//! (Phoenix, Jaeger, Tempo), as OTLP/JSON, keeping their trace and span ids and their times, so a
//! run from last month or from CI opens in a trace viewer.

use std::time::Duration;

use serde_json::Value;

/// Spans per request.
const BATCH: usize = 512;

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("`traces.jsonl` line {line}: {source}")]
    Parse { line: usize, source: serde_json::Error },
    #[error("the collector at {url}: {message}")]
    Send { url: String, message: String },
}

/// The URL spans are posted to: `endpoint` as given when it names `/v1/traces`, else with it
/// appended (`http://localhost:4318` → `http://localhost:4318/v1/traces`).
pub fn traces_url(endpoint: &str) -> String {
    let base = endpoint.trim_end_matches('/');
    if base.ends_with("/v1/traces") { base.to_owned() } else { format!("{base}/v1/traces") }
}

/// Posts every span of `traces_jsonl` to `url` in OTLP/JSON requests of at most 512 spans;
/// returns how many spans went.
pub fn replay(traces_jsonl: &[u8], url: &str) -> Result<usize, ReplayError> {
    let mut spans: Vec<Value> = Vec::new();
    for (i, line) in traces_jsonl.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let value = serde_json::from_slice(line).map_err(|source| ReplayError::Parse { line: i + 1, source })?;
        spans.extend(super::otlp_json::spans_of_line(value));
    }
    let send = |message: String| ReplayError::Send { url: crate::endpoint::redact_url(url), message };
    // No redirects: spans (with prompts and answers) go to the collector named, nowhere else.
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| send(e.without_url().to_string()))?;
    for chunk in spans.chunks(BATCH) {
        let body = serde_json::to_vec(&super::otlp_json::request_of(chunk)).map_err(|e| send(e.to_string()))?;
        // Without the URL, whose query may hold a token.
        let response = client.post(url).header("content-type", "application/json").body(body).send().map_err(|e| send(e.without_url().to_string()))?;
        if !response.status().is_success() {
            let status = response.status();
            let text = response.text().unwrap_or_default();
            return Err(send(format!("HTTP {status}: {}", crate::text::clip(&text, 200))));
        }
    }
    Ok(spans.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_url_names_the_traces_path_once() {
        assert_eq!(super::traces_url("http://localhost:4318"), "http://localhost:4318/v1/traces");
        assert_eq!(super::traces_url("http://c:4318/"), "http://c:4318/v1/traces");
        assert_eq!(super::traces_url("http://c/otel/v1/traces"), "http://c/otel/v1/traces");
    }
}
