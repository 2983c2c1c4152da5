//! Every word a case worker or citizen reads on the pages comes from one catalogue,
//! `src/text.rs`, so that wording is changed in one place: no other source file of the crate
//! holds a Chinese string literal outside its tests.

#![allow(clippy::unwrap_used, reason = "test: a failure here is a test failure")]

use std::path::{Path, PathBuf};

/// The `.rs` files under `dir`, recursively.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The string literals of `code` (comments left out) that hold a CJK character.
fn chinese_literals(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in code.lines() {
        let mut chars = line.chars().peekable();
        let mut literal: Option<String> = None;
        while let Some(c) = chars.next() {
            match (&mut literal, c) {
                (Some(text), '\\') => {
                    text.push(c);
                    if let Some(next) = chars.next() {
                        text.push(next);
                    }
                }
                (Some(text), '"') => {
                    if text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                        found.push(std::mem::take(text));
                    }
                    literal = None;
                }
                (Some(text), _) => text.push(c),
                (None, '"') => literal = Some(String::new()),
                // A comment runs to the end of the line.
                (None, '/') if chars.peek() == Some(&'/') => break,
                (None, _) => {}
            }
        }
    }
    found
}

#[test]
fn chinese_text_lives_in_the_catalogue_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 10, "the crate's sources: {files:?}");

    let mut outside = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("text.rs")) {
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may hold Chinese data.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for literal in chinese_literals(code) {
            outside.push(format!("{}: \"{literal}\"", file.strip_prefix(&src).unwrap().display()));
        }
    }

    assert_eq!(outside, Vec::<String>::new(), "move these into src/text.rs");
}

#[test]
fn the_check_sees_a_literal_and_not_a_comment() {
    let code = "let a = \"经办\"; // \"注释\"\n/// \"文档\"\nlet b = \"ok\";\n\
                let c = \"http://x/\\\"引号\\\"\";";
    assert_eq!(chinese_literals(code), vec!["经办".to_owned(), "http://x/\\\"引号\\\"".to_owned()]);
}
