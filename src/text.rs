//! Small text helpers every layer may use.

/// Shortens `text` to `max` characters, marking the cut with `…`, on one line, with nothing a
/// terminal would act on: other control characters (escape sequences from a model's output or
/// a pulled file) and bidirectional overrides show as `�`.
pub fn clip(text: &str, max: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') => char::REPLACEMENT_CHARACTER,
            c => c,
        })
        .collect();
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
        // An escape sequence (OSC 52, set the clipboard) and a bidi override are shown, not obeyed.
        assert_eq!(super::clip("x\u{1b}]52;c;AAAA\u{7}y\u{202e}z", 40), "x\u{fffd}]52;c;AAAA\u{fffd}y\u{fffd}z");
        assert_eq!(super::clip("ééééé", 4), "ééé…");
    }
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
