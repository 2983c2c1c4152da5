//! The generator's answer key against the checker: every expected finding found, nothing
//! else found on a small seeded file.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use personbase_import::demo::{DemoOptions, generate};
use personbase_import::run::{Options, ProgressMode, check_files};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

type Found = BTreeSet<(u64, String)>;

fn key_and_found(gbk: bool, rows: u64) -> (Found, Found) {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(&DemoOptions {
        rows,
        out_dir: dir.path().to_path_buf(),
        seed: 7,
        gbk,
        fault_share: 0.2,
    })
    .unwrap();
    let key: BTreeSet<(u64, String)> = std::fs::read_to_string(&summary.key)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (row, code) = l.split_once(',').unwrap();
            (row.parse().unwrap(), code.to_string())
        })
        .collect();
    let options = Options {
        files: vec![summary.file.clone()],
        progress: ProgressMode::Quiet,
        ..Options::default()
    };
    let outcome = check_files(&options, today()).unwrap();
    assert_eq!(outcome.summary.rows, rows);
    let found = outcome.findings.iter().map(|f| (f.row, f.code.to_string())).collect();
    (key, found)
}

#[test]
fn every_seeded_fault_is_found_and_nothing_else() {
    let (key, found) = key_and_found(false, 20_000);
    let missed: Vec<_> = key.difference(&found).take(20).collect();
    let extra: Vec<_> = found.difference(&key).take(20).collect();
    assert!(missed.is_empty(), "missed {missed:?}");
    assert!(extra.is_empty(), "extra {extra:?}");
    assert!(key.len() > 3_000, "{}", key.len());
}

#[test]
fn the_gbk_demo_reads_the_same() {
    let (key, found) = key_and_found(true, 2_000);
    assert_eq!(key, found);
}
