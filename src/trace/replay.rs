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
    /// A header that HTTP cannot carry (its value is never shown: it is often a token).
    #[error("{origin}: header `{name}`: {message}")]
    Header { origin: String, name: String, message: String },
}

/// A header to send with every request (an API key, a tenant).
#[derive(Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub value: String,
}

impl std::fmt::Debug for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: (hidden)", self.name)
    }
}

/// The headers of `spec`, as OTEL_EXPORTER_OTLP_HEADERS writes them: `key=value` pairs apart by
/// commas, each value percent-decoded (`api-key=abc%3D%3D,tenant=t1`). `origin` names where the
/// text came from in errors, which never quote a value.
pub fn parse_headers(origin: &str, spec: &str) -> Result<Vec<Header>, ReplayError> {
    let mut out = Vec::new();
    for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
        let bad = |name: &str, message: &str| ReplayError::Header { origin: origin.to_owned(), name: name.to_owned(), message: message.to_owned() };
        let Some((name, value)) = pair.split_once('=') else {
            return Err(bad(pair.trim(), "expected `name=value`"));
        };
        let name = name.trim();
        let value = percent_decode(value.trim()).ok_or_else(|| bad(name, "the value is not valid percent-encoded UTF-8"))?;
        check_header(origin, name, &value)?;
        out.push(Header { name: name.to_owned(), value });
    }
    Ok(out)
}

/// A header given on the command line as `name=value` (or `name: value`), taken as written.
pub fn parse_header_arg(arg: &str) -> Result<Header, ReplayError> {
    // Split at whichever comes first: a value may hold either.
    let Some((name, value)) = arg.find(['=', ':']).map(|i| (&arg[..i], &arg[i + 1..])) else {
        return Err(ReplayError::Header { origin: "--header".into(), name: arg.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect(), message: "expected `name=value`".into() });
    };
    let (name, value) = (name.trim(), value.trim());
    check_header("--header", name, value)?;
    Ok(Header { name: name.to_owned(), value: value.to_owned() })
}

fn check_header(origin: &str, name: &str, value: &str) -> Result<(), ReplayError> {
    let bad = |message: &str| ReplayError::Header { origin: origin.to_owned(), name: name.chars().filter(|c| !c.is_control()).collect(), message: message.to_owned() };
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(bad("not a header name"));
    }
    if reqwest::header::HeaderValue::from_str(value).is_err() {
        return Err(bad("the value holds characters a header cannot carry"));
    }
    Ok(())
}

/// `%XX` escapes decoded; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The URL spans are posted to: `endpoint` as given when it names `/v1/traces`, else with it
/// appended (`http://localhost:4318` → `http://localhost:4318/v1/traces`).
pub fn traces_url(endpoint: &str) -> String {
    let base = endpoint.trim_end_matches('/');
    if base.ends_with("/v1/traces") { base.to_owned() } else { format!("{base}/v1/traces") }
}

/// Posts every span of `traces_jsonl` to `url` in OTLP/JSON requests of at most 512 spans, each
/// with `headers`; returns how many spans went.
pub fn replay(traces_jsonl: &[u8], url: &str, headers: &[Header]) -> Result<usize, ReplayError> {
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
        let mut request = client.post(url).header("content-type", "application/json");
        for h in headers {
            request = request.header(h.name.as_str(), h.value.as_str());
        }
        let response = request.body(body).send().map_err(|e| send(e.without_url().to_string()))?;
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

    #[test]
    fn headers_read_as_opentelemetry_writes_them_and_errors_hide_values() {
        let h = super::parse_headers("OTEL_EXPORTER_OTLP_HEADERS", " api-key = abc%3D%3D ,x-tenant=t%201,,").unwrap();
        let pairs: Vec<(&str, &str)> = h.iter().map(|h| (h.name.as_str(), h.value.as_str())).collect();
        assert_eq!(pairs, [("api-key", "abc=="), ("x-tenant", "t 1")]);
        assert_eq!(super::parse_headers("E", "").unwrap(), []);
        for bad in ["novalue", "bad name=secret", "k=%zzsecret", "k=%ff", "k=sec%0Aret"] {
            let e = super::parse_headers("E", bad).unwrap_err().to_string();
            assert!(e.starts_with("E: header `") && !e.contains("secret"), "{bad}: {e}");
        }
        let h = super::parse_header_arg("Authorization: Bearer x=y").unwrap();
        assert_eq!((h.name.as_str(), h.value.as_str()), ("Authorization", "Bearer x=y"));
        let h = super::parse_header_arg("api-key=a:b").unwrap();
        assert_eq!((h.name.as_str(), h.value.as_str()), ("api-key", "a:b"));
        assert!(super::parse_header_arg("nothing").is_err());
        assert!(!format!("{h:?}").contains("a:b"), "Debug hides the value");
    }
}
