//! A span as one line of OTLP JSON (the shape of `ExportTraceServiceRequest`'s spans: hex ids,
//! nanosecond times as strings, typed attribute values), for `traces.jsonl`.

use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use opentelemetry::trace::{SpanId, SpanKind, Status};
use opentelemetry::{Array, KeyValue, Value};
use opentelemetry_sdk::trace::SpanData;
use serde_json::Value as Json;

/// What every line of `traces.jsonl` opens with: an `ExportTraceServiceRequest` of one
/// resource (`service.name` llmops) and one scope, whose one span follows.
const ENVELOPE_OPEN: &str = concat!(
    r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"llmops"}}]},"scopeSpans":[{"scope":{"name":"llmops","version":""#,
    env!("CARGO_PKG_VERSION"),
    r#""},"spans":["#
);
const ENVELOPE_CLOSE: &str = "]}]}]}";

/// Writes `span` as one line: a whole OTLP/JSON `ExportTraceServiceRequest` (resource spans →
/// scope spans → the span), as the OpenTelemetry Collector's file exporter and `otlpjsonfile`
/// receiver read and write them; newline included. Written by hand, not through a
/// `serde_json::Value` tree: an eval of 100,000 rows ends 100,000 sample spans.
pub fn write_span(out: &mut impl Write, span: &SpanData) -> io::Result<()> {
    out.write_all(ENVELOPE_OPEN.as_bytes())?;
    write!(out, "{{\"traceId\":\"{}\",\"spanId\":\"{}\"", span.span_context.trace_id(), span.span_context.span_id())?;
    if span.parent_span_id != SpanId::INVALID {
        write!(out, ",\"parentSpanId\":\"{}\"", span.parent_span_id)?;
    }
    out.write_all(b",\"name\":")?;
    string(out, &span.name)?;
    write!(
        out,
        ",\"kind\":{},\"startTimeUnixNano\":\"{}\",\"endTimeUnixNano\":\"{}\",\"attributes\":",
        kind_number(&span.span_kind),
        nanos(span.start_time),
        nanos(span.end_time)
    )?;
    attributes(out, &span.attributes)?;
    if !span.events.is_empty() {
        out.write_all(b",\"events\":[")?;
        for (i, e) in span.events.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            write!(out, "{{\"timeUnixNano\":\"{}\",\"name\":", nanos(e.timestamp))?;
            string(out, &e.name)?;
            out.write_all(b",\"attributes\":")?;
            attributes(out, &e.attributes)?;
            out.write_all(b"}")?;
        }
        out.write_all(b"]")?;
    }
    match &span.status {
        Status::Error { description } => {
            out.write_all(b",\"status\":{\"code\":2,\"message\":")?;
            string(out, description)?;
            out.write_all(b"}")?;
        }
        Status::Ok => out.write_all(b",\"status\":{\"code\":1}")?,
        Status::Unset => {}
    }
    out.write_all(b"}")?;
    out.write_all(ENVELOPE_CLOSE.as_bytes())?;
    out.write_all(b"\n")
}

/// The spans of one line of `traces.jsonl`: those of an `ExportTraceServiceRequest`, or the
/// line itself where it is a bare span (runs recorded before the envelope).
pub fn spans_of_line(line: Json) -> Vec<Json> {
    match line.get("resourceSpans").and_then(Json::as_array) {
        Some(resources) => resources
            .iter()
            .flat_map(|r| r["scopeSpans"].as_array().cloned().unwrap_or_default())
            .flat_map(|s| s["spans"].as_array().cloned().unwrap_or_default())
            .collect(),
        None => vec![line],
    }
}

/// One `ExportTraceServiceRequest` of `spans`, as `write_span` frames them.
pub fn request_of(spans: &[Json]) -> Json {
    let mut request: Json = serde_json::from_str(&format!("{ENVELOPE_OPEN}{ENVELOPE_CLOSE}")).unwrap_or_default();
    request["resourceSpans"][0]["scopeSpans"][0]["spans"] = Json::Array(spans.to_vec());
    request
}

fn string(out: &mut impl Write, s: &str) -> io::Result<()> {
    serde_json::to_writer(out, s).map_err(io::Error::other)
}

/// OTLP's `SpanKind` numbers.
fn kind_number(kind: &SpanKind) -> u8 {
    match kind {
        SpanKind::Internal => 1,
        SpanKind::Server => 2,
        SpanKind::Client => 3,
        SpanKind::Producer => 4,
        SpanKind::Consumer => 5,
    }
}

fn nanos(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

fn attributes(out: &mut impl Write, kvs: &[KeyValue]) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, kv) in kvs.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"key\":")?;
        string(out, kv.key.as_str())?;
        out.write_all(b",\"value\":")?;
        value(out, &kv.value)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]")
}

fn double(out: &mut impl Write, f: f64) -> io::Result<()> {
    if f.is_finite() {
        write!(out, "{{\"doubleValue\":{f:?}}}")
    } else {
        // OTLP JSON spells non-finite doubles as strings.
        write!(out, "{{\"doubleValue\":\"{}\"}}", if f.is_nan() { "NaN" } else if f > 0.0 { "Infinity" } else { "-Infinity" })
    }
}

fn value(out: &mut impl Write, v: &Value) -> io::Result<()> {
    match v {
        Value::Bool(b) => write!(out, "{{\"boolValue\":{b}}}"),
        Value::I64(i) => write!(out, "{{\"intValue\":\"{i}\"}}"),
        Value::F64(f) => double(out, *f),
        Value::String(s) => {
            out.write_all(b"{\"stringValue\":")?;
            string(out, s.as_str())?;
            out.write_all(b"}")
        }
        Value::Array(a) => {
            out.write_all(b"{\"arrayValue\":{\"values\":[")?;
            match a {
                Array::Bool(v) => for_each(out, v, |o, b| write!(o, "{{\"boolValue\":{b}}}"))?,
                Array::I64(v) => for_each(out, v, |o, i| write!(o, "{{\"intValue\":\"{i}\"}}"))?,
                Array::F64(v) => for_each(out, v, |o, f| double(o, *f))?,
                Array::String(v) => for_each(out, v, |o, s| {
                    o.write_all(b"{\"stringValue\":")?;
                    string(o, s.as_str())?;
                    o.write_all(b"}")
                })?,
                _ => {}
            }
            out.write_all(b"]}}")
        }
        _ => {
            out.write_all(b"{\"stringValue\":")?;
            string(out, &v.to_string())?;
            out.write_all(b"}")
        }
    }
}

fn for_each<W: Write, T>(out: &mut W, items: &[T], mut each: impl FnMut(&mut W, &T) -> io::Result<()>) -> io::Result<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        each(out, item)?;
    }
    Ok(())
}

/// The value of attribute `key` of a span line, as JSON (`intValue` parsed to a number).
pub fn attribute<'a>(span: &'a Json, key: &str) -> Option<&'a Json> {
    span["attributes"].as_array()?.iter().find(|a| a["key"] == key).map(|a| &a["value"])
}

/// An attribute value as plain JSON: string, number, bool or array.
pub fn plain(v: &Json) -> Json {
    if let Some(s) = v.get("stringValue") {
        return s.clone();
    }
    if let Some(i) = v.get("intValue") {
        return i.as_str().and_then(|s| s.parse::<i64>().ok()).map(Json::from).unwrap_or(Json::Null);
    }
    if let Some(d) = v.get("doubleValue") {
        return d.clone();
    }
    if let Some(b) = v.get("boolValue") {
        return b.clone();
    }
    if let Some(a) = v.get("arrayValue") {
        return a["values"].as_array().map(|vs| vs.iter().map(plain).collect()).unwrap_or(Json::Null);
    }
    Json::Null
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry::trace::{SpanContext, TraceFlags, TraceId, TraceState};
    use std::time::Duration;

    #[test]
    fn spans_are_valid_otlp_json_whatever_their_values() {
        let context = SpanContext::new(TraceId::from(0x0af7651916cd43dd8448eb211c80319c), SpanId::from(0xb7ad6b7169203331), TraceFlags::SAMPLED, false, TraceState::default());
        let start = UNIX_EPOCH + Duration::from_nanos(1_700_000_000_123_456_789);
        let mut span = SpanData {
            span_context: context,
            parent_span_id: SpanId::from(0x00f067aa0ba902b7),
            parent_span_is_remote: false,
            span_kind: SpanKind::Client,
            name: "chat \"model\"\n".into(),
            start_time: start,
            end_time: start + Duration::from_millis(5),
            attributes: vec![
                KeyValue::new("s", "a \"quoted\"\ttext"),
                KeyValue::new("i", 42i64),
                KeyValue::new("f", 0.5),
                KeyValue::new("nan", f64::NAN),
                KeyValue::new("b", true),
                KeyValue::new("a", Value::Array(vec![opentelemetry::StringValue::from("stop")].into())),
            ],
            dropped_attributes_count: 0,
            events: Default::default(),
            links: Default::default(),
            status: Status::error("bad \\ thing"),
            instrumentation_scope: Default::default(),
        };
        span.events.events.push(opentelemetry::trace::Event::new("gen_ai.evaluation.result", start, vec![KeyValue::new("gen_ai.evaluation.score.value", 1.0)], 0));
        let mut line = Vec::new();
        write_span(&mut line, &span).unwrap();
        assert_eq!(line.last(), Some(&b'\n'));
        // One ExportTraceServiceRequest of one resource, one scope, one span.
        let request: Json = serde_json::from_slice(&line).unwrap();
        assert_eq!(request["resourceSpans"][0]["scopeSpans"][0]["scope"]["name"], "llmops");
        let spans = spans_of_line(request);
        assert_eq!(spans.len(), 1);
        let v = spans[0].clone();
        assert_eq!(spans_of_line(v.clone()), [v.clone()], "a bare span (older runs) is its own line");
        assert_eq!(v["traceId"], "0af7651916cd43dd8448eb211c80319c");
        assert_eq!(v["parentSpanId"], "00f067aa0ba902b7");
        assert_eq!(v["name"], "chat \"model\"\n");
        assert_eq!(v["kind"], 3);
        assert_eq!(v["startTimeUnixNano"], "1700000000123456789");
        assert_eq!(plain(attribute(&v, "s").unwrap()), "a \"quoted\"\ttext");
        assert_eq!(plain(attribute(&v, "i").unwrap()), 42);
        assert_eq!(plain(attribute(&v, "f").unwrap()), 0.5);
        assert_eq!(attribute(&v, "nan").unwrap()["doubleValue"], "NaN");
        assert_eq!(plain(attribute(&v, "b").unwrap()), true);
        assert_eq!(plain(attribute(&v, "a").unwrap()), serde_json::json!(["stop"]));
        assert_eq!(v["events"][0]["name"], "gen_ai.evaluation.result");
        assert_eq!(v["status"], serde_json::json!({"code": 2, "message": "bad \\ thing"}));
    }
}
