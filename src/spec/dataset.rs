//! `datasets/<name>.{jsonl,csv,yaml}`: one row per sample with `id`, `vars`, `expected`,
//! `relevant` (ids, optionally graded) and `labels`. Rows are read as a stream, so a
//! dataset of any size is never held in memory whole.

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Seg, locate, suggestion};
use crate::diagnostic::Diagnostic;

/// The file formats a dataset may have, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasetFormat {
    Jsonl,
    Csv,
    Yaml,
}

impl DatasetFormat {
    pub const EXTENSIONS: [&'static str; 3] = ["jsonl", "csv", "yaml"];

    pub fn from_extension(ext: &str) -> Option<DatasetFormat> {
        match ext {
            "jsonl" => Some(DatasetFormat::Jsonl),
            "csv" => Some(DatasetFormat::Csv),
            "yaml" => Some(DatasetFormat::Yaml),
            _ => None,
        }
    }

    /// The name `dataset list` shows (as serialized).
    pub fn as_str(self) -> &'static str {
        match self {
            DatasetFormat::Jsonl => "jsonl",
            DatasetFormat::Csv => "csv",
            DatasetFormat::Yaml => "yaml",
        }
    }
}

/// One sample of a dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    #[serde(default)]
    pub vars: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    /// Relevant document ids with their grade (1 when not graded), for retrieval metrics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relevant: Vec<Relevant>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// What mocked tools answer for this row, by tool name: a result, or a list of
    /// `{arguments: {…}, result: …}` whose first entry with arguments the call includes answers
    /// (an entry without `arguments` answers any call).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub tool_results: Map<String, Value>,
    /// 1-based line where the row starts in its file.
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relevant {
    pub id: String,
    pub grade: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    #[serde(default)]
    id: Option<RawId>,
    #[serde(default)]
    vars: Map<String, Value>,
    #[serde(default)]
    expected: Option<Value>,
    #[serde(default)]
    relevant: Option<RawRelevant>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    tool_results: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawId {
    Text(String),
    Number(i64),
}

impl RawId {
    fn into_string(self) -> String {
        match self {
            RawId::Text(s) => s,
            RawId::Number(n) => n.to_string(),
        }
    }
}

/// `relevant: [a, b]` or, graded, `relevant: {a: 3, b: 1}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawRelevant {
    Ids(Vec<RawId>),
    Graded(BTreeMap<String, f64>),
}

impl RawRelevant {
    fn into_list(self) -> Vec<Relevant> {
        match self {
            RawRelevant::Ids(ids) => ids.into_iter().map(|id| Relevant { id: id.into_string(), grade: 1.0 }).collect(),
            RawRelevant::Graded(map) => map.into_iter().map(|(id, grade)| Relevant { id, grade }).collect(),
        }
    }
}

impl RawRow {
    fn into_row(self, index: usize, line: usize) -> Row {
        Row {
            id: self.id.map(RawId::into_string).unwrap_or_else(|| index.to_string()),
            vars: self.vars,
            expected: self.expected,
            relevant: self.relevant.map(RawRelevant::into_list).unwrap_or_default(),
            labels: self.labels,
            tool_results: self.tool_results,
            line,
        }
    }
}

/// Streams the rows of one dataset file, checking each and the uniqueness of ids.
pub struct RowReader<R: BufRead> {
    path: PathBuf,
    inner: Inner<R>,
    seen: HashSet<String>,
    index: usize,
}

enum Inner<R: BufRead> {
    Jsonl { lines: std::io::Lines<R>, line: usize },
    Csv { records: csv::StringRecordsIntoIter<R>, headers: Vec<String> },
    Yaml { rows: std::vec::IntoIter<Result<Row, Diagnostic>> },
    Failed(Option<Diagnostic>),
}

impl<R: BufRead> RowReader<R> {
    pub fn new(path: &Path, format: DatasetFormat, reader: R) -> RowReader<R> {
        let inner = match format {
            DatasetFormat::Jsonl => Inner::Jsonl { lines: reader.lines(), line: 0 },
            DatasetFormat::Csv => {
                let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
                match csv.headers() {
                    Ok(h) => {
                        let headers = h.iter().map(str::to_owned).collect();
                        Inner::Csv { records: csv.into_records(), headers }
                    }
                    Err(e) => Inner::Failed(Some(Diagnostic::new(path, format!("cannot read the CSV header: {e}")))),
                }
            }
            DatasetFormat::Yaml => Inner::Yaml { rows: read_yaml(path, reader).into_iter() },
        };
        RowReader { path: path.to_owned(), inner, seen: HashSet::new(), index: 0 }
    }

    fn next_raw(&mut self) -> Option<Result<Row, Diagnostic>> {
        match &mut self.inner {
            Inner::Failed(d) => d.take().map(Err),
            Inner::Yaml { rows } => rows.next(),
            Inner::Jsonl { lines, line } => loop {
                *line += 1;
                let text = match lines.next()? {
                    Ok(t) => t,
                    Err(e) => return Some(Err(Diagnostic::new(&self.path, format!("cannot read line {line}: {e}")))),
                };
                if text.trim().is_empty() {
                    continue;
                }
                self.index += 1;
                return Some(parse_json_row(&self.path, &text, self.index, *line));
            },
            Inner::Csv { records, headers } => {
                let record = records.next()?;
                self.index += 1;
                Some(match record {
                    Ok(record) => Ok(csv_row(headers, &record, self.index)),
                    Err(e) => {
                        let line = e.position().map(|p| p.line() as usize);
                        let mut d = Diagnostic::new(&self.path, format!("invalid CSV: {e}"));
                        d.line = line;
                        Err(d)
                    }
                })
            }
        }
    }
}

impl<R: BufRead> Iterator for RowReader<R> {
    type Item = Result<Row, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        let row = self.next_raw()?;
        Some(row.and_then(|row| {
            if !self.seen.insert(row.id.clone()) {
                let mut d = Diagnostic::new(&self.path, format!("row id `{}` appears more than once", row.id));
                d.line = Some(row.line);
                return Err(d.with_hint("every row needs its own `id`"));
            }
            Ok(row)
        }))
    }
}

fn parse_json_row(path: &Path, text: &str, index: usize, line: usize) -> Result<Row, Diagnostic> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::new(path, format!("line {line} is not valid JSON: {}", strip_json_location(&e)))
            .at_line(line, text)
            .with_column(e.column())
    })?;
    if !value.is_object() {
        return Err(Diagnostic::new(path, format!("line {line} must be a JSON object (a row), not {}", kind_of(&value)))
            .at_line(line, text));
    }
    let raw: RawRow = serde_json::from_value(value).map_err(|e| {
        let message = format!("row on line {line}: {e}");
        let mut d = Diagnostic::new(path, message.clone()).at_line(line, text);
        if let Some(column) = unknown_key_column(&message, text) {
            d = d.with_column(column);
        }
        if let Some(h) = suggestion(&message) {
            d = d.with_hint(h);
        }
        d
    })?;
    Ok(raw.into_row(index, line))
}

/// The column of `"key"` in `text`, for an `unknown field `key`` message.
fn unknown_key_column(message: &str, text: &str) -> Option<usize> {
    let key = message.split("unknown field `").nth(1)?.split('`').next()?;
    text.find(&format!("\"{key}\"")).map(|i| i + 1)
}

fn strip_json_location(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// CSV columns `id`, `expected`, `relevant` and `labels` (both `|`-separated) are the
/// row's fields; every other column is a variable.
fn csv_row(headers: &[String], record: &csv::StringRecord, index: usize) -> Row {
    let line = record.position().map(|p| p.line() as usize).unwrap_or(index + 1);
    let mut row = Row { id: index.to_string(), vars: Map::new(), expected: None, relevant: vec![], labels: vec![], tool_results: Map::new(), line };
    let split = |s: &str| s.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    for (header, value) in headers.iter().zip(record.iter()) {
        match header.as_str() {
            "id" if !value.is_empty() => row.id = value.to_owned(),
            "id" => {}
            "expected" => row.expected = Some(Value::String(value.to_owned())),
            "relevant" => row.relevant = split(value).into_iter().map(|id| Relevant { id, grade: 1.0 }).collect(),
            "labels" => row.labels = split(value),
            var => {
                row.vars.insert(var.to_owned(), Value::String(value.to_owned()));
            }
        }
    }
    row
}

fn read_yaml<R: BufRead>(path: &Path, mut reader: R) -> Vec<Result<Row, Diagnostic>> {
    let mut source = String::new();
    if let Err(e) = reader.read_to_string(&mut source) {
        return vec![Err(Diagnostic::new(path, format!("cannot read: {e}")))];
    }
    let raw: Vec<serde_yaml_ng::Value> = match super::parse_yaml(path, &source) {
        Ok(v) => v,
        Err(d) => return vec![Err(d)],
    };
    raw.into_iter()
        .enumerate()
        .map(|(i, value)| {
            let line = locate(&source, &[Seg::Index(i)]).map(|(l, _)| l).unwrap_or(1);
            serde_yaml_ng::from_value::<RawRow>(value).map(|r| r.into_row(i + 1, line)).map_err(|e| {
                let message = format!("row {}: {e}", i + 1);
                let mut d = Diagnostic::new(path, message.clone()).at(&source, line, 1);
                if let Some(h) = suggestion(&message) {
                    d = d.with_hint(h);
                }
                d
            })
        })
        .collect()
}

/// What `dataset stats` reports: row counts, how many rows give each variable (and how long
/// it is on average), expected answers, relevance judgements and labels.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DatasetStats {
    pub rows: usize,
    pub invalid_rows: usize,
    pub with_expected: usize,
    pub with_relevant: usize,
    pub vars: BTreeMap<String, VarStats>,
    pub labels: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VarStats {
    pub rows: usize,
    /// Mean length in characters (a non-string value counts as its JSON text).
    pub mean_chars: f64,
}

impl DatasetStats {
    pub fn of(rows: impl IntoIterator<Item = Result<Row, Diagnostic>>) -> DatasetStats {
        let mut s = DatasetStats::default();
        for row in rows {
            let Ok(row) = row else {
                s.invalid_rows += 1;
                continue;
            };
            s.rows += 1;
            s.with_expected += usize::from(row.expected.is_some());
            s.with_relevant += usize::from(!row.relevant.is_empty());
            for (k, v) in &row.vars {
                let chars = match v {
                    Value::String(text) => text.chars().count(),
                    other => other.to_string().chars().count(),
                };
                let var = s.vars.entry(k.clone()).or_default();
                var.rows += 1;
                var.mean_chars += chars as f64;
            }
            for l in &row.labels {
                *s.labels.entry(l.clone()).or_default() += 1;
            }
        }
        for var in s.vars.values_mut() {
            var.mean_chars /= var.rows.max(1) as f64;
        }
        s
    }

    /// `n` as a percentage of the valid rows (0 for an empty dataset).
    pub fn percent(&self, n: usize) -> f64 {
        if self.rows == 0 { 0.0 } else { 100.0 * n as f64 / self.rows as f64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(format: DatasetFormat, text: &str) -> Vec<Result<Row, Diagnostic>> {
        RowReader::new(Path::new("datasets/d"), format, text.as_bytes()).collect()
    }

    #[test]
    fn jsonl_rows_with_defaults_and_graded_relevance() {
        let text = "{\"id\": \"a\", \"vars\": {\"q\": 1}, \"expected\": \"x\", \"relevant\": [\"d1\", 7]}\n\n{\"relevant\": {\"d2\": 3}, \"labels\": [\"easy\"]}\n";
        let rows: Vec<Row> = rows(DatasetFormat::Jsonl, text).into_iter().map(Result::unwrap).collect();
        assert_eq!(rows[0].id, "a");
        assert_eq!(rows[0].relevant, vec![Relevant { id: "d1".into(), grade: 1.0 }, Relevant { id: "7".into(), grade: 1.0 }]);
        assert_eq!((rows[1].id.as_str(), rows[1].line), ("2", 3));
        assert_eq!(rows[1].relevant[0].grade, 3.0);
        assert_eq!(rows[1].labels, ["easy"]);
    }

    #[test]
    fn a_line_that_is_not_json_names_its_line_and_the_rest_still_reads() {
        let out = rows(DatasetFormat::Jsonl, "{\"id\": 1}\n{\"id\": 2,\n{\"id\": 3}\n");
        let err = out[1].as_ref().unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.starts_with("line 2 is not valid JSON"), "{}", err.message);
        assert_eq!(out[2].as_ref().unwrap().id, "3");
    }

    #[test]
    fn unknown_keys_and_duplicate_ids_are_errors() {
        let out = rows(DatasetFormat::Jsonl, "{\"id\": 1, \"exepcted\": 2}\n{\"id\": 5}\n{\"id\": \"5\"}\n");
        let unknown = out[0].as_ref().unwrap_err();
        assert_eq!(unknown.hint.as_deref(), Some("did you mean `expected`?"));
        assert_eq!(unknown.column, Some(11));
        assert!(out[2].as_ref().unwrap_err().message.contains("`5` appears more than once"));
    }

    #[test]
    fn csv_columns_become_vars_except_the_row_fields() {
        let out = rows(DatasetFormat::Csv, "id,question,expected,labels\nq1,\"Capital of France?\",Paris,geo|easy\n");
        let row = out[0].as_ref().unwrap();
        assert_eq!(row.id, "q1");
        assert_eq!(row.vars["question"], "Capital of France?");
        assert_eq!(row.expected, Some(Value::String("Paris".into())));
        assert_eq!(row.labels, ["geo", "easy"]);
        assert_eq!(row.line, 2);
    }

    #[test]
    fn yaml_rows_know_their_lines() {
        let out = rows(DatasetFormat::Yaml, "- id: a\n  vars: {q: 1}\n- id: b\n  varz: {}\n");
        assert_eq!(out[0].as_ref().unwrap().line, 1);
        let err = out[1].as_ref().unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.hint.as_deref(), Some("did you mean `vars`?"));
    }

    #[test]
    fn stats_count_coverage_lengths_and_labels() {
        let text = concat!(
            r#"{"id": "a", "vars": {"q": "hé!", "n": 12}, "expected": "x", "labels": ["easy"]}"#, "\n",
            r#"{"id": "b", "vars": {"q": "four"}, "relevant": ["d1"], "labels": ["easy", "math"]}"#, "\n",
            r#"{"id": "a", "vars": {"q": "dup"}}"#, "\n",
        );
        let stats = DatasetStats::of(rows(DatasetFormat::Jsonl, text));
        assert_eq!((stats.rows, stats.invalid_rows, stats.with_expected, stats.with_relevant), (2, 1, 1, 1));
        assert_eq!(stats.vars["q"], VarStats { rows: 2, mean_chars: 3.5 });
        assert_eq!(stats.vars["n"], VarStats { rows: 1, mean_chars: 2.0 });
        assert_eq!(stats.labels, BTreeMap::from([("easy".to_owned(), 2), ("math".to_owned(), 1)]));
        assert_eq!(stats.percent(1), 50.0);
        assert_eq!(DatasetStats::of(Vec::new()).percent(0), 0.0);
        for f in [DatasetFormat::Jsonl, DatasetFormat::Csv, DatasetFormat::Yaml] {
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
        }
    }
}
