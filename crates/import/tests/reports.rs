//! The whole dry run: JSON lines, the summary table, the exit status, and both reports.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Reader, open_workbook_auto};
use common::{num, write};
use personbase_import::run::{Options, OutputFormat, ProgressMode, run};

fn file(dir: &std::path::Path) -> std::path::PathBuf {
    let n = num(1985, 3, 7, 123);
    let text = format!("姓名,身份证号,性别\n张伟,{n},女\n<b>,{n},男\n");
    write(dir, "small.csv", text.as_bytes())
}

#[test]
fn json_lines_reports_and_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, html) = (dir.path().join("r.xlsx"), dir.path().join("r.html"));
    let options = Options {
        files: vec![file(dir.path())],
        format: OutputFormat::Json,
        report_xlsx: Some(xlsx.clone()),
        report_html: Some(html.clone()),
        progress: ProgressMode::Quiet,
        ..Options::default()
    };
    let mut out = Vec::new();
    let outcome = run(&options, common::today(), &mut out).unwrap();
    assert_eq!(outcome.exit_code(), 1);

    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let codes: Vec<&str> = lines.iter().filter_map(|l| l["code"].as_str()).collect();
    assert_eq!(codes, ["gender.mismatch", "name.char", "dup.conflict"]);
    assert_eq!(lines[0]["row"], 2);
    assert_eq!(lines.last().unwrap()["summary"]["rows"], 2);

    let mut book = open_workbook_auto(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "gender.mismatch", "name.char", "dup.conflict"]);
    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(summary.get((1, 0)).unwrap().to_string(), "gender.mismatch");

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg") && page.contains("哈尔滨市"), "chart by division");
    assert!(page.contains("&lt;b&gt;") && !page.contains("<b>,"), "values are escaped");
    assert!(!page.contains("<script"));
}

#[test]
fn the_table_says_so_when_nothing_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("身份证号,姓名\n{},张伟\n", num(1985, 3, 7, 123));
    let options = Options {
        files: vec![write(dir.path(), "clean.csv", text.as_bytes())],
        progress: ProgressMode::Quiet,
        ..Options::default()
    };
    let mut out = Vec::new();
    let outcome = run(&options, common::today(), &mut out).unwrap();
    assert_eq!(outcome.exit_code(), 0);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("未发现问题"), "{text}");
}
