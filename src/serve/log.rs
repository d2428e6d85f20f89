//! The request log of `llmops serve --log FILE` (one JSON line per answered request), and its
//! import as a dataset, so real traffic becomes eval rows.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::spec::dataset::Row;

/// One line of the log. Content (`variables`, `messages`, `output`) is absent when the server
/// runs with `--no-log-content`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LogLine {
    /// Seconds since the epoch.
    pub time: i64,
    /// The model the response named (`PROMPT@<version>` for a released prompt).
    pub model: String,
    #[serde(default)]
    pub prompt: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub canary: Option<bool>,
    pub latency_ms: f64,
    #[serde(default)]
    pub ttft_ms: Option<f64>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// Which lines become rows.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Only requests to this released prompt.
    pub prompt: Option<String>,
    /// The served answer becomes the row's `expected` (a baseline to hold later versions to).
    pub expected_from_output: bool,
    /// At most this many rows.
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Imported {
    pub rows: Vec<Row>,
    /// Lines read.
    pub lines: usize,
    /// Lines skipped: failed requests, raw model calls, other prompts, no content.
    pub skipped: usize,
    /// Rows dropped because an earlier one had the same variables.
    pub duplicates: usize,
}

/// Rows from the log's successful requests to released prompts: their variables, an id made
/// from them (the same variables make one row), and labels naming the prompt version and
/// channel served. A line that is not a log line is an error naming it.
pub fn import(path: &Path, text: &str, options: &ImportOptions) -> Result<Imported, Diagnostic> {
    let mut out = Imported::default();
    let mut seen = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.lines += 1;
        let entry: LogLine = serde_json::from_str(line).map_err(|e| Diagnostic::new(path, format!("not a request log line: {e}")).at_line(i + 1, line))?;
        let wanted = options.prompt.as_ref().is_none_or(|p| entry.prompt.as_ref() == Some(p));
        let (Some(prompt), Some(version), Some(vars), None, true) = (&entry.prompt, &entry.version, &entry.variables, &entry.error, wanted) else {
            out.skipped += 1;
            continue;
        };
        // The same variables in another key order are the same row.
        let sorted: std::collections::BTreeMap<&String, &Value> = vars.iter().collect();
        let canonical = serde_json::to_string(&sorted).unwrap_or_default();
        let digest = crate::version::blob_id(canonical.as_bytes()).to_string();
        let id = format!("{prompt}-{}", &digest[..12]);
        if !seen.insert(id.clone()) {
            out.duplicates += 1;
            continue;
        }
        if options.limit.is_some_and(|n| out.rows.len() >= n) {
            break;
        }
        let mut labels = vec![format!("served:{}", crate::version::short_str(version))];
        if let Some(c) = &entry.channel {
            labels.push(format!("channel:{c}"));
        }
        let expected = if options.expected_from_output { entry.output.clone().map(Value::String) } else { None };
        out.rows.push(Row { id, vars: vars.clone(), expected, relevant: Vec::new(), labels, tool_results: Default::default(), line: i + 1 });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(prompt: Option<&str>, vars: Option<Value>, error: Option<&str>) -> String {
        let entry = LogLine {
            time: 1,
            model: "m".into(),
            prompt: prompt.map(str::to_owned),
            version: prompt.map(|_| "0123456789abcdef".to_owned()),
            channel: prompt.map(|_| "production".to_owned()),
            latency_ms: 1.0,
            variables: vars.map(|v| v.as_object().unwrap().clone()),
            output: Some("Paris".into()),
            error: error.map(str::to_owned),
            ..Default::default()
        };
        serde_json::to_string(&entry).unwrap()
    }

    #[test]
    fn successful_prompt_requests_become_rows_once_per_variable_set() {
        let france = serde_json::json!({"country": "France", "style": "short"});
        let france_reordered = serde_json::json!({"style": "short", "country": "France"});
        let text = [
            line(Some("capital"), Some(france.clone()), None),
            line(Some("capital"), Some(france_reordered), None),
            line(Some("capital"), Some(serde_json::json!({"country": "Peru"})), None),
            line(Some("capital"), Some(serde_json::json!({"country": "Chad"})), Some("timeout")),
            line(None, None, None),
            line(Some("other"), Some(france.clone()), None),
            line(Some("capital"), None, None),
        ]
        .join("\n");
        let all = import(Path::new("log.jsonl"), &text, &ImportOptions::default()).unwrap();
        assert_eq!((all.lines, all.skipped, all.duplicates, all.rows.len()), (7, 3, 1, 3));
        let only = import(Path::new("log.jsonl"), &text, &ImportOptions { prompt: Some("capital".into()), expected_from_output: true, limit: None }).unwrap();
        assert_eq!(only.rows.len(), 2);
        assert_eq!(only.rows[0].vars, *france.as_object().unwrap());
        assert_eq!(only.rows[0].expected, Some(Value::String("Paris".into())));
        assert_eq!(only.rows[0].labels, ["served:0123456789", "channel:production"]);
        assert!(only.rows[0].id.starts_with("capital-") && only.rows[0].id != only.rows[1].id);
        let limited = import(Path::new("log.jsonl"), &text, &ImportOptions { limit: Some(1), ..Default::default() }).unwrap();
        assert_eq!(limited.rows.len(), 1);
        let err = import(Path::new("log.jsonl"), &format!("{}\n{{oops", line(None, None, None)), &ImportOptions::default()).unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }
}
