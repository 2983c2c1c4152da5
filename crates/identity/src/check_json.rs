//! A fast JSON writer for [`Check`]: the same bytes as `serde_json::to_writer`, without
//! serde's per-field machinery, for `personbase id check` on millions of lines.
//!
//! A test (`tests/check_json.rs`) holds it to serde's output on arbitrary input.

use chrono::Datelike;

use crate::check::{Check, Finding};

impl Check {
    /// Appends this report as one JSON object (no newline), exactly as its `Serialize`
    /// implementation would write it with `serde_json`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"input\":");
        string(out, &self.input);
        out.extend_from_slice(if self.valid { b",\"valid\":true" } else { b",\"valid\":false" });
        out.extend_from_slice(b",\"kind\":");
        option(out, self.kind.map(|k| k.code()));
        out.extend_from_slice(b",\"normalized\":");
        option(out, self.normalized.as_deref());
        out.extend_from_slice(b",\"birth_date\":");
        match self.birth_date {
            Some(d) if (0..=9999).contains(&d.year()) => {
                out.push(b'"');
                digits(out, d.year() as u32, 4);
                out.push(b'-');
                digits(out, d.month(), 2);
                out.push(b'-');
                digits(out, d.day(), 2);
                out.push(b'"');
            }
            Some(d) => string(out, &d.to_string()),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"gender\":");
        option(out, self.gender.map(gender));
        out.extend_from_slice(b",\"region_code\":");
        option(out, self.region_code.as_deref());
        out.extend_from_slice(b",\"region_name\":");
        option(out, self.region_name.as_deref());
        if let Some(n) = self.nationality {
            out.extend_from_slice(b",\"nationality\":");
            string(out, n.code());
        }
        out.extend_from_slice(b",\"errors\":");
        findings(out, &self.errors);
        out.extend_from_slice(b",\"warnings\":");
        findings(out, &self.warnings);
        out.extend_from_slice(b",\"normalizations\":[");
        for (i, n) in self.normalizations.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, n);
        }
        out.extend_from_slice(b"]}");
    }
}

fn gender(g: crate::Gender) -> &'static str {
    match g {
        crate::Gender::Unknown => "unknown",
        crate::Gender::Male => "male",
        crate::Gender::Female => "female",
        crate::Gender::Unstated => "unstated",
    }
}

fn digits(out: &mut Vec<u8>, value: u32, width: u32) {
    for i in (0..width).rev() {
        out.push(b'0' + (value / 10u32.pow(i) % 10) as u8);
    }
}

fn option(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn findings(out: &mut Vec<u8>, list: &[Finding]) {
    out.push(b'[');
    for (i, f) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"code\":");
        string(out, f.code);
        out.extend_from_slice(b",\"message\":");
        string(out, &f.message);
        if let Some(p) = f.position {
            out.extend_from_slice(b",\"position\":");
            out.extend_from_slice(p.to_string().as_bytes());
        }
        out.push(b'}');
    }
    out.push(b']');
}

/// Whether any byte is a control character, `"` or `\`: eight bytes at a time.
fn needs_escape(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let mut chunks = b.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // A byte below 0x20 (tested on bytes below 0x80 only: UTF-8 bytes of Chinese text
        // have the high bit set and are never below 0x20).
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
        if below_space || has_zero(w ^ (ONES * u64::from(b'"'))) || has_zero(w ^ (ONES * 0x5c)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\')
}

/// A JSON string, escaped as serde_json escapes: `"`, `\` and control characters.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    if !needs_escape(s.as_bytes()) {
        out.extend_from_slice(s.as_bytes());
    } else {
        for b in s.bytes() {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                0..0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 0xf)]);
                }
                _ => out.push(b),
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn word_scan_equals_byte_scan(b in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let naive = b.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\');
            proptest::prop_assert_eq!(needs_escape(&b), naive);
        }
    }

    #[test]
    fn every_special_byte_at_every_offset() {
        for special in (0u8..0x20).chain([b'"', b'\\']) {
            for at in 0..17 {
                let mut b = "北京市朝阳区ab".as_bytes()[..17].to_vec();
                b[at] = special;
                assert!(needs_escape(&b), "{special:#x} at {at}");
            }
        }
        assert!(!needs_escape("黑龙江省哈尔滨市道里区 0-9 A~Z \u{7f}".as_bytes()));
    }
}
