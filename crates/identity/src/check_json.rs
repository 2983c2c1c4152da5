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

/// A JSON string, escaped as serde_json escapes: `"`, `\` and control characters.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
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
