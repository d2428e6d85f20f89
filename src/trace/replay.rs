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
    /// A header written wrong or that HTTP cannot carry (nothing of its text is shown but a
    /// valid name: it often holds a token).
    #[error("{at}: {message}")]
    Header { at: String, message: String },
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
/// text came from in errors, which quote nothing of the text but a valid header name (a pair
/// written wrong may hold a token anywhere).
pub fn parse_headers(origin: &str, spec: &str) -> Result<Vec<Header>, ReplayError> {
    let mut out = Vec::new();
    for (i, pair) in spec.split(',').filter(|p| !p.trim().is_empty()).enumerate() {
        let at = format!("{origin}, pair {}", i + 1);
        let Some((name, value)) = pair.split_once('=') else {
            return Err(ReplayError::Header { at, message: "expected `name=value` (a value with a comma writes it as %2C)".into() });
        };
        let value = percent_decode(value.trim()).ok_or_else(|| ReplayError::Header { at: at.clone(), message: "the value is not valid percent-encoded UTF-8".into() })?;
        out.push(checked(at, name.trim(), value)?);
    }
    Ok(out)
}

/// The `n`th `--header` (from 1), `name=value` or `name: value`, its value taken as written.
pub fn parse_header_arg(n: usize, arg: &str) -> Result<Header, ReplayError> {
    let at = format!("--header #{n}");
    // Split at whichever comes first: a value may hold either.
    let Some((name, value)) = arg.find(['=', ':']).map(|i| (&arg[..i], &arg[i + 1..])) else {
        return Err(ReplayError::Header { at, message: "expected `name=value` or `name: value`".into() });
    };
    checked(at, name.trim(), value.trim().to_owned())
}

/// The header, once HTTP can carry it; the name is quoted only once it is a valid one.
fn checked(at: String, name: &str, value: String) -> Result<Header, ReplayError> {
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(ReplayError::Header { at, message: "that is not a header name".into() });
    }
    if reqwest::header::HeaderValue::from_str(&value).is_err() {
        return Err(ReplayError::Header { at, message: format!("the value of `{name}` holds characters a header cannot carry") });
    }
    Ok(Header { name: name.to_owned(), value })
}

/// `%XX` escapes decoded; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
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
            // A collector may echo the request's headers back: their values are hidden.
            let text = headers.iter().filter(|h| !h.value.is_empty()).fold(response.text().unwrap_or_default(), |t, h| t.replace(&h.value, "(hidden)"));
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
        // Written wrong in every way a token ends up in the wrong place: nothing of it shows.
        for bad in ["secret", "Authorization: Bearer secret", "k=v,secret", "Bearer secret=x", "bad name=secret", "k=%zzsecret", "k=%+Asecret", "k=%ff", "k=sec%0Aret"] {
            let e = super::parse_headers("E", bad).unwrap_err().to_string();
            assert!(e.starts_with("E, pair ") && !e.contains("secret") && !e.contains("sec"), "{bad}: {e}");
        }
        let h = super::parse_header_arg(1, "Authorization: Bearer x=y").unwrap();
        assert_eq!((h.name.as_str(), h.value.as_str()), ("Authorization", "Bearer x=y"));
        let h = super::parse_header_arg(1, "api-key=a:b").unwrap();
        assert_eq!((h.name.as_str(), h.value.as_str()), ("api-key", "a:b"));
        for bad in ["sk-secret", "Bearer secret=x", "k=sec\nret"] {
            let e = super::parse_header_arg(2, bad).unwrap_err().to_string();
            assert!(e.starts_with("--header #2: ") && !e.contains("sec"), "{bad}: {e}");
        }
        assert!(!format!("{h:?}").contains("a:b"), "Debug hides the value");
    }
}
