//! Helpers shared by the tests: synthetic numbers, files written in a temporary folder, and
//! the `(row, code)` pairs a check finds.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use personbase_import::demo::number18;
use personbase_import::run::{Options, Outcome, ProgressMode, check_files};
use personbase_import::source::ReadOptions;

/// The day the tests run on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// A synthetic number of 哈尔滨市道里区 (230102).
pub fn num(y: i32, m: u32, d: u32, seq: u32) -> String {
    number18(230_102, NaiveDate::from_ymd_opt(y, m, d).unwrap(), seq)
}

/// The 15-digit form of an 18-digit number of the 1900s.
pub fn old15(n: &str) -> String {
    format!("{}{}", &n[..6], &n[8..17])
}

/// Writes bytes to `name` in `dir`.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Checks files with the given read options.
pub fn check_with(files: &[PathBuf], read: ReadOptions) -> Outcome {
    let options = Options {
        files: files.to_vec(),
        read,
        progress: ProgressMode::Quiet,
        ..Options::default()
    };
    check_files(&options, today()).unwrap()
}

/// The `(row, code)` pairs found, in order.
pub fn pairs(outcome: &Outcome) -> Vec<(u64, &'static str)> {
    outcome.findings.iter().map(|f| (f.row, f.code)).collect()
}
