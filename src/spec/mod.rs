//! The file formats of a workspace: config, prompts, datasets and evals.
//!
//! Every file is parsed with unknown keys rejected. A problem becomes a [`Diagnostic`] that
//! names the file, line and column, shows the line, and suggests the nearest valid key.

pub mod config;
pub mod dataset;
pub mod eval;
pub mod prompt;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, nearest};

/// Parses YAML into `T`, turning serde's error into a located diagnostic.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, source: &str) -> Result<T, Diagnostic> {
    if source.trim().is_empty() {
        return Err(Diagnostic::new(path, "the file is empty"));
    }
    serde_yaml_ng::from_str(source).map_err(|err| {
        let (message, locations) = split_locations(&err.to_string());
        let mut diag = Diagnostic::new(path, message.clone());
        // A scanner error names where the broken token began ("while scanning a quoted
        // scalar at line 1 column 14"): that is where the caret helps most.
        let at = match locations.as_slice() {
            [_, .., context] => Some(*context),
            _ => err.location().map(|l| (l.line(), l.column())),
        };
        if let Some((line, column)) = at {
            diag = diag.at(source, line, column);
        }
        if let Some(hint) = suggestion(&message) {
            diag = diag.with_hint(hint);
        }
        diag
    })
}

/// Removes every ` at line N column M` from a serde_yaml message, returning them in order;
/// the diagnostic shows the location itself.
fn split_locations(message: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut locations = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        let after = &rest[i + " at line ".len()..];
        let parsed = after.split_once(" column ").and_then(|(line, tail)| {
            let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            Some((line.parse::<usize>().ok()?, tail[..digits].parse::<usize>().ok()?, &tail[digits..]))
        });
        match parsed {
            Some((line, column, tail)) => {
                text.push_str(&rest[..i]);
                locations.push((line, column));
                rest = tail;
            }
            None => {
                text.push_str(&rest[..i + 1]);
                rest = &rest[i + 1..];
            }
        }
    }
    text.push_str(rest);
    (text, locations)
}

/// For serde's `unknown field `x`, expected one of `a`, `b`` (and the same for variants),
/// suggests the nearest expected word, or lists them all.
pub fn suggestion(message: &str) -> Option<String> {
    let (unknown_kind, rest) = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| (*p, &message[i + p.len()..])))?;
    let end = rest.find('`')?;
    let word = &rest[..end];
    let expected_part = rest[end..].split_once("expected")?.1;
    let expected: Vec<&str> = expected_part.split('`').skip(1).step_by(2).collect();
    if expected.is_empty() {
        return None;
    }
    let what = if unknown_kind.contains("field") { "key" } else { "value" };
    Some(match nearest(word, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("valid {what}s: {}", expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")),
    })
}

/// A step on the way to a value in a YAML document.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Finds the 1-based line and column of the value at `path` in block-style YAML, or of the
/// deepest part of the path that could be found (`None` when not even the first). Used for problems found after parsing
/// (a template that does not compile, a grader missing a parameter), since serde keeps no
/// positions.
pub fn locate(source: &str, path: &[Seg<'_>]) -> Option<(usize, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let (mut lo, mut hi) = (0usize, lines.len());
    let mut found = None;
    for seg in path {
        let Some(first) = (lo..hi).find(|&i| is_meaningful(lines[i])) else { return found };
        match *seg {
            Seg::Key(key) => {
                let indent = key_indent(lines[first]);
                let Some(i) = (lo..hi).find(|&i| {
                    is_meaningful(lines[i]) && key_indent(lines[i]) == indent && key_of(lines[i]) == Some(key)
                }) else {
                    return found;
                };
                found = Some((i + 1, indent + 1));
                lo = i + 1;
                hi = block_end(&lines, lo, hi, indent, true);
            }
            Seg::Index(n) => {
                let dash = raw_indent(lines[first]);
                let items: Vec<usize> = (lo..hi)
                    .filter(|&i| raw_indent(lines[i]) == dash && lines[i].trim_start().starts_with('-'))
                    .collect();
                let Some(&i) = items.get(n) else { return found };
                found = Some((i + 1, dash + 1));
                lo = i;
                hi = block_end(&lines, i + 1, hi, dash, false);
            }
        }
    }
    found
}

fn is_meaningful(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

fn raw_indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The column where a mapping key starts, after any `- ` list markers.
fn key_indent(line: &str) -> usize {
    let mut indent = raw_indent(line);
    let mut rest = &line[indent..];
    while let Some(r) = rest.strip_prefix('-') {
        let spaces = r.len() - r.trim_start_matches(' ').len();
        if spaces == 0 {
            break;
        }
        indent += 1 + spaces;
        rest = &r[spaces..];
    }
    indent
}

fn key_of(line: &str) -> Option<&str> {
    let rest = &line[key_indent(line)..];
    let (key, _) = rest.split_once(':')?;
    Some(key.trim().trim_matches(|c| c == '"' || c == '\''))
}

/// The end (exclusive) of the block that starts after a line indented by `indent`. Under a
/// key, `- item` lines at the key's own indent still belong to it (`key:\n- a\n- b`).
fn block_end(lines: &[&str], from: usize, hi: usize, indent: usize, under_key: bool) -> usize {
    (from..hi)
        .find(|&i| {
            let line = lines[i];
            let list_item_of_key =
                under_key && raw_indent(line) == indent && line.trim_start().starts_with('-');
            is_meaningful(line) && raw_indent(line) <= indent && !list_item_of_key
        })
        .unwrap_or(hi)
}

/// Diagnostic at `path` inside `source`, falling back to the file alone.
pub fn diag_at(file: &Path, source: &str, path: &[Seg<'_>], message: impl Into<String>) -> Diagnostic {
    let diag = Diagnostic::new(file, message);
    match locate(source, path) {
        Some((line, column)) => diag.at(source, line, column),
        None => diag,
    }
}

/// A program a grader or tool runs, as refusals without `--allow-exec` show it: its command
/// line, and the environment variables it would receive besides the base ones.
pub fn command_line(argv: Option<&[String]>, env: Option<&[String]>) -> String {
    let vars = env.filter(|e| !e.is_empty()).map(|e| format!(" (with ${})", e.join(", $"))).unwrap_or_default();
    format!("{}{vars}", argv.unwrap_or_default().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        model: Option<String>,
        messages: Option<Vec<String>>,
    }

    #[test]
    fn unknown_key_is_located_and_suggests_the_nearest_key() {
        let src = "model: a\nmesages: []\n";
        let d = parse_yaml::<Sample>(Path::new("p.yaml"), src).unwrap_err();
        assert_eq!(d.line, Some(2));
        assert_eq!(d.column, Some(1));
        assert!(d.message.starts_with("unknown field `mesages`"), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("did you mean `messages`?"));
    }

    #[test]
    fn a_scanner_error_points_where_the_broken_token_began() {
        let src = "model: \"unterminated\nmessages: []\n";
        let d = parse_yaml::<Sample>(Path::new("p.yaml"), src).unwrap_err();
        assert_eq!(d.message, "found unexpected end of stream, while scanning a quoted scalar");
        assert_eq!((d.line, d.column), (Some(1), Some(8)));
    }

    #[test]
    fn locate_walks_keys_and_list_items() {
        let src = "\
prompt: p
graders:
  - type: contains
    value: x
  # a comment
  - name: second
    type: regex
    pattern: '['
gate:
  min_score: 1
";
        assert_eq!(locate(src, &[Seg::Key("graders")]), Some((2, 1)));
        assert_eq!(locate(src, &[Seg::Key("graders"), Seg::Index(1)]), Some((6, 3)));
        assert_eq!(locate(src, &[Seg::Key("graders"), Seg::Index(1), Seg::Key("pattern")]), Some((8, 5)));
        assert_eq!(locate(src, &[Seg::Key("graders"), Seg::Index(0), Seg::Key("value")]), Some((4, 5)));
        assert_eq!(locate(src, &[Seg::Key("gate"), Seg::Key("min_score")]), Some((10, 3)));
        // A path that goes nowhere stops at its deepest part that exists.
        assert_eq!(locate(src, &[Seg::Key("graders"), Seg::Index(5)]), Some((2, 1)));
        assert_eq!(locate(src, &[Seg::Key("nope")]), None);
    }

    #[test]
    fn locate_handles_lists_at_the_parent_indent() {
        let src = "messages:\n- role: user\n  content: hi\n- role: system\n  content: yo\nparams: {}\n";
        assert_eq!(locate(src, &[Seg::Key("messages"), Seg::Index(1), Seg::Key("content")]), Some((5, 3)));
        assert_eq!(locate(src, &[Seg::Key("params")]), Some((6, 1)));
    }
}
