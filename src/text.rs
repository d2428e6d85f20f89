//! Small text helpers every layer may use.

/// Shortens `text` to `max` characters, marking the cut with `…`, on one line.
pub fn clip(text: &str, max: usize) -> String {
    let one_line = text.replace(['\n', '\r', '\t'], " ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut out: String = one_line.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn clips_to_one_line_and_marks_the_cut() {
        assert_eq!(super::clip("short", 10), "short");
        assert_eq!(super::clip("a\nb\tc", 10), "a b c");
        assert_eq!(super::clip("abcdefghij", 5), "abcd…");
        assert_eq!(super::clip("ééééé", 4), "ééé…");
    }
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
