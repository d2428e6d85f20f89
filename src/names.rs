//! Names of prompts, datasets and evals: `[a-z0-9][a-z0-9_-]*`, optionally in `/` sub-folders.
//! A name is checked before any file is opened, so `..` or an absolute path never reaches
//! the file system.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Name(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid name `{name}`: {reason}")]
pub struct NameError {
    pub name: String,
    pub reason: &'static str,
}

impl Name {
    pub fn parse(name: &str) -> Result<Name, NameError> {
        let fail = |reason| Err(NameError { name: name.to_owned(), reason });
        if name.is_empty() {
            return fail("a name cannot be empty");
        }
        if name.starts_with('/') || name.starts_with('\\') {
            return fail("absolute paths are not names");
        }
        for segment in name.split('/') {
            if segment == ".." || segment == "." {
                return fail("`.` and `..` are not allowed");
            }
            let mut chars = segment.chars();
            match chars.next() {
                None => return fail("empty path segment"),
                Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => {}
                Some(_) => return fail("each part must start with a lower-case letter or digit"),
            }
            if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') {
                return fail("only lower-case letters, digits, `_`, `-` and `/` are allowed");
            }
        }
        Ok(Name(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Name {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Name::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_and_nested_names() {
        for ok in ["support-qa", "a", "0x", "team/support_qa", "a/b/c-1"] {
            assert!(Name::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_traversal_absolute_and_odd_characters() {
        for bad in ["", "..", "../etc/passwd", "a/../b", "/abs", "A", "-x", "a b", "a//b", "a/", "x.yaml", "ü"] {
            assert!(Name::parse(bad).is_err(), "{bad}");
        }
    }
}
