//! The spans a run recorded (`traces.jsonl`), as a tree: parents before children, siblings
//! in start order, cycles cut.

use std::collections::BTreeMap;

use serde_json::Value;

use super::genai as attr;
use super::otlp_json::{attribute, plain};

/// A line of `traces.jsonl` that is not JSON.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {source}")]
pub struct ParseError {
    pub line: usize,
    pub source: serde_json::Error,
}

pub struct SpanTree {
    spans: Vec<Value>,
    children: BTreeMap<usize, Vec<usize>>,
    roots: Vec<usize>,
}

pub fn start_ns(span: &Value) -> u128 {
    span["startTimeUnixNano"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

pub fn duration_ms(span: &Value) -> f64 {
    let end: u128 = span["endTimeUnixNano"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    end.saturating_sub(start_ns(span)) as f64 / 1e6
}

/// A span that is its own ancestor (a hand-edited or corrupt `traces.jsonl`) would make the
/// tree endless: the edge that closes each cycle is cut, and that span becomes a root.
fn cut_cycles(parent: &mut [Option<usize>]) {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const SETTLED: u8 = 2;
    let mut state = vec![NEW; parent.len()];
    for start in 0..parent.len() {
        let mut path = Vec::new();
        let mut i = start;
        loop {
            match state[i] {
                SETTLED => break,
                ON_PATH => {
                    parent[i] = None;
                    break;
                }
                _ => {
                    state[i] = ON_PATH;
                    path.push(i);
                    match parent[i] {
                        Some(p) => i = p,
                        None => break,
                    }
                }
            }
        }
        for j in path {
            state[j] = SETTLED;
        }
    }
}

impl SpanTree {
    /// Parses `traces.jsonl` (one OTLP/JSON `ExportTraceServiceRequest` per line, or a bare
    /// span in runs recorded before; blank lines are skipped).
    pub fn parse(jsonl: &[u8]) -> Result<SpanTree, ParseError> {
        let mut spans = Vec::new();
        for (i, line) in jsonl.split(|b| *b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let value = serde_json::from_slice(line).map_err(|source| ParseError { line: i + 1, source })?;
            spans.extend(super::otlp_json::spans_of_line(value));
        }
        Ok(SpanTree::new(spans))
    }

    pub fn new(spans: Vec<Value>) -> SpanTree {
        let index_of: BTreeMap<&str, usize> = spans
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s["spanId"].as_str().map(|id| (id, i)))
            .collect();
        let mut parent: Vec<Option<usize>> = spans
            .iter()
            .map(|s| {
                s["parentSpanId"]
                    .as_str()
                    .and_then(|p| index_of.get(p))
                    .copied()
            })
            .collect();
        cut_cycles(&mut parent);
        let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children.entry(*p).or_default().push(i),
                None => roots.push(i),
            }
        }
        for list in children.values_mut() {
            list.sort_by_key(|&i| start_ns(&spans[i]));
        }
        roots.sort_by_key(|&i| start_ns(&spans[i]));
        SpanTree {
            spans,
            children,
            roots,
        }
    }

    pub fn span(&self, i: usize) -> &Value {
        &self.spans[i]
    }

    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    pub fn children(&self, i: usize) -> &[usize] {
        self.children.get(&i).map(Vec::as_slice).unwrap_or_default()
    }

    /// How many spans the tree holds.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Every sample span by (row id, repeat), in one pass.
    pub fn samples_by_key(&self) -> std::collections::HashMap<(String, u32), usize> {
        let mut out = std::collections::HashMap::new();
        for (i, span) in self.spans.iter().enumerate() {
            let Some(id) = attribute(span, attr::SAMPLE_ID).map(plain) else { continue };
            let repeat = attribute(span, attr::SAMPLE_REPEAT).map(plain).and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))).unwrap_or(0);
            let id = id.as_str().map(str::to_owned).unwrap_or_else(|| id.to_string());
            out.entry((id, repeat as u32)).or_insert(i);
        }
        out
    }

    /// The spans of sample `id` (the sample's own span, whatever its depth).
    pub fn sample(&self, id: &str) -> Vec<usize> {
        (0..self.spans.len())
            .filter(|&i| {
                attribute(&self.spans[i], attr::SAMPLE_ID)
                    .map(plain)
                    .is_some_and(|v| v == id)
            })
            .collect()
    }

    /// `i` and everything under it, depth first.
    pub fn subtree(&self, i: usize) -> Vec<&Value> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            out.push(&self.spans[j]);
            stack.extend(self.children(j).iter().rev());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_cut_and_every_span_stays() {
        // 0 ← 1 ← 2 ← 0 (a cycle), 3 its own parent, 4 under 0, 5 a root.
        let mut parent = vec![Some(2), Some(0), Some(1), Some(3), Some(0), None];
        cut_cycles(&mut parent);
        let roots: Vec<usize> = (0..parent.len()).filter(|&i| parent[i].is_none()).collect();
        assert_eq!(roots.len(), 3, "{parent:?}");
        assert_eq!(parent[3], None);
        assert_eq!(parent[4], Some(0));
        for start in 0..parent.len() {
            let (mut i, mut steps) = (start, 0);
            while let Some(p) = parent[i] {
                i = p;
                steps += 1;
                assert!(
                    steps <= parent.len(),
                    "a cycle is left at {start}: {parent:?}"
                );
            }
        }
    }

    #[test]
    fn children_follow_start_time_and_subtrees_are_depth_first() {
        let span = |id: &str, parent: Option<&str>, start: u64| serde_json::json!({"spanId": id, "parentSpanId": parent, "startTimeUnixNano": start.to_string(), "name": id});
        let jsonl = [
            span("c2", Some("r"), 30),
            span("r", None, 10),
            span("c1", Some("r"), 20),
            span("g", Some("c1"), 25),
        ]
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n\n");
        let tree = SpanTree::parse(jsonl.as_bytes()).unwrap();
        assert_eq!(tree.roots().len(), 1);
        let names: Vec<&str> = tree
            .subtree(tree.roots()[0])
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["r", "c1", "g", "c2"]);
        let err = SpanTree::parse(b"{}\n\nnot json")
            .err()
            .expect("a bad line");
        assert_eq!(err.line, 3);
    }
}
