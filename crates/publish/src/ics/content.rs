//! RFC 5545 content lines: TEXT escaping (§3.3.11), local date-times, and folding
//! at 75 octets (§3.1) without ever splitting a UTF-8 character. Every line ends
//! with CRLF.

use chrono::NaiveDate;
use tournee_model::TimeOfDay;

/// The longest a physical line may be, in octets, without its CRLF.
pub const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT value: backslash, `;`, `,` and line breaks; other control
/// characters (not allowed in TEXT) are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let normalised = s.replace("\r\n", "\n");
    for c in normalised.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A floating local date-time value, `20270105T093000`, to be written after a
/// `TZID` parameter.
pub fn local_date_time(date: NaiveDate, time: TimeOfDay) -> String {
    format!(
        "{}T{}",
        date.format("%Y%m%d"),
        time.to_naive_time().format("%H%M%S")
    )
}

/// A calendar being written: logical content lines in, folded CRLF lines out.
#[derive(Debug, Default)]
pub struct ContentLines {
    text: String,
}

impl ContentLines {
    /// Appends one logical line, folded.
    pub fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            let n = c.len_utf8();
            if width + n > MAX_LINE_OCTETS {
                self.text.push_str("\r\n ");
                width = 1;
            }
            self.text.push(c);
            width += n;
        }
        self.text.push_str("\r\n");
    }

    pub fn lines<S: AsRef<str>>(&mut self, lines: impl IntoIterator<Item = S>) {
        for l in lines {
            self.line(l.as_ref());
        }
    }

    pub fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_characters_whole_and_lines_short() {
        let logical = format!("SUMMARY:{}", "é".repeat(80));
        let mut out = ContentLines::default();
        out.line(&logical);
        let text = out.finish();
        for l in text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= MAX_LINE_OCTETS, "{} octets", l.len());
        }
        assert_eq!(text.replace("\r\n ", ""), format!("{logical}\r\n"));
    }

    #[test]
    fn short_lines_are_not_folded() {
        let mut out = ContentLines::default();
        out.line(&"x".repeat(75));
        assert_eq!(out.finish(), format!("{}\r\n", "x".repeat(75)));
    }

    #[test]
    fn text_escaping() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        assert_eq!(escape_text("bip\u{7}"), "bip");
    }

    #[test]
    fn local_times_have_seconds() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        assert_eq!(local_date_time(d, TimeOfDay::hm(9, 30)), "20270105T093000");
    }
}
