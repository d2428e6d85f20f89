//! A located problem in a workspace file: the file, line and column, the offending line
//! and, where one exists, a suggestion.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column, when the problem has one.
    pub column: Option<usize>,
    pub message: String,
    /// The text of `line`, shown under the message.
    #[serde(skip)]
    pub source_line: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            source_line: None,
            hint: None,
        }
    }

    /// Points the diagnostic at `line:column` of `source` and keeps that line's text.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self.source_line = source.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        self
    }

    /// Points the diagnostic at a line whose text is already known (a dataset row).
    pub fn at_line(mut self, line: usize, text: &str) -> Self {
        self.line = Some(line);
        self.column = Some(1);
        self.source_line = Some(text.to_owned());
        self
    }

    /// Sets the 1-based column, keeping the line.
    pub fn with_column(mut self, column: usize) -> Self {
        self.column = Some(column.max(1));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `path:line:column`, as far as it is known.
    pub fn location(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
            (Some(l), None) => format!("{path}:{l}"),
            _ => path,
        }
    }
}

/// Paths are shown with forward slashes on every platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl fmt::Display for Diagnostic {
    /// Renders in the style of rustc: message, location, the line with a caret, hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.message)?;
        write!(f, "  --> {}", self.location())?;
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            let caret_at = self.column.unwrap_or(1).saturating_sub(1);
            let text = truncate_for_display(text, 160);
            write!(f, "\n{pad} |\n{number} | {text}\n{pad} | {}^", " ".repeat(caret_at.min(160)))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

fn truncate_for_display(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars).collect();
    out.push('…');
    out
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_line_and_caret() {
        let source = "a: 1\nmodle: x\n";
        let d = Diagnostic::new("prompts/p.yaml", "unknown key `modle`")
            .at(source, 2, 1)
            .with_hint("did you mean `model`?");
        assert_eq!(
            d.to_string(),
            "unknown key `modle`\n  --> prompts/p.yaml:2:1\n  |\n2 | modle: x\n  | ^\nhint: did you mean `model`?"
        );
    }

    #[test]
    fn nearest_finds_typos_and_ignores_unrelated_words() {
        let keys = ["model", "messages", "params"];
        assert_eq!(nearest("modle", keys), Some("model"));
        assert_eq!(nearest("mesages", keys), Some("messages"));
        assert_eq!(nearest("zzz", keys), None);
    }
}
