//! A span as one line of OTLP JSON (the shape of `ExportTraceServiceRequest`'s spans: hex ids,
//! nanosecond times as strings, typed attribute values), for `traces.jsonl`.

use std::time::{SystemTime, UNIX_EPOCH};

use opentelemetry::trace::{SpanId, SpanKind, Status};
use opentelemetry::{Array, KeyValue, Value};
use opentelemetry_sdk::trace::SpanData;
use serde_json::{Value as Json, json};

pub fn span_line(span: &SpanData) -> Json {
    let mut out = json!({
        "traceId": span.span_context.trace_id().to_string(),
        "spanId": span.span_context.span_id().to_string(),
        "name": span.name,
        "kind": kind_number(&span.span_kind),
        "startTimeUnixNano": nanos(span.start_time).to_string(),
        "endTimeUnixNano": nanos(span.end_time).to_string(),
        "attributes": attributes(&span.attributes),
    });
    if span.parent_span_id != SpanId::INVALID {
        out["parentSpanId"] = json!(span.parent_span_id.to_string());
    }
    if !span.events.is_empty() {
        out["events"] = span
            .events
            .iter()
            .map(|e| json!({"timeUnixNano": nanos(e.timestamp).to_string(), "name": e.name, "attributes": attributes(&e.attributes)}))
            .collect();
    }
    match &span.status {
        Status::Error { description } => out["status"] = json!({"code": 2, "message": description}),
        Status::Ok => out["status"] = json!({"code": 1}),
        Status::Unset => {}
    }
    out
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

fn attributes(kvs: &[KeyValue]) -> Json {
    kvs.iter().map(|kv| json!({"key": kv.key.as_str(), "value": value(&kv.value)})).collect()
}

fn value(v: &Value) -> Json {
    match v {
        Value::Bool(b) => json!({"boolValue": b}),
        Value::I64(i) => json!({"intValue": i.to_string()}),
        Value::F64(f) => json!({"doubleValue": f}),
        Value::String(s) => json!({"stringValue": s.as_str()}),
        Value::Array(a) => {
            let values: Vec<Json> = match a {
                Array::Bool(v) => v.iter().map(|b| json!({"boolValue": b})).collect(),
                Array::I64(v) => v.iter().map(|i| json!({"intValue": i.to_string()})).collect(),
                Array::F64(v) => v.iter().map(|f| json!({"doubleValue": f})).collect(),
                Array::String(v) => v.iter().map(|s| json!({"stringValue": s.as_str()})).collect(),
                _ => Vec::new(),
            };
            json!({"arrayValue": {"values": values}})
        }
        _ => json!({"stringValue": v.to_string()}),
    }
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
