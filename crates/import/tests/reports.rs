//! The whole dry run: JSON lines, the summary table, the exit status, and both reports.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Reader, open_workbook_auto};
use common::{num, write};
use personbase_import::Finding;
use personbase_import::load::LoadSummary;
use personbase_import::report::{html, xlsx};
use personbase_import::run::{Options, OutputFormat, ProgressMode, check_files, run};

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

/// Two gender mismatches (rows 2 and 3), a bad name (row 4) and a clean row (5).
fn counted(dir: &std::path::Path) -> std::path::PathBuf {
    let text = format!(
        "姓名,身份证号,性别\n张伟,{},女\n李强,{},女\n<b>,{},男\n王磊,{},男\n",
        num(1985, 3, 7, 123),
        num(1990, 5, 1, 135),
        num(1970, 1, 1, 147),
        num(1980, 8, 8, 159),
    );
    write(dir, "counted.csv", text.as_bytes())
}

fn quiet(files: Vec<std::path::PathBuf>) -> Options {
    Options { files, progress: ProgressMode::Quiet, ..Options::default() }
}

fn load(applied: bool) -> LoadSummary {
    LoadSummary { applied, rows: 4, loaded: 1, held_back: 3, ..LoadSummary::default() }
}

#[test]
fn the_review_sheet_leaves_out_rows_with_notices_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    let mut outcome = check_files(&quiet(vec![counted(dir.path())]), common::today()).unwrap();
    // Row 5 was loaded with the registry's name: a notice, nothing held back. Row 4 is held
    // back and also carries a notice: it is listed once, with both.
    let notice = |row: u64, code: &'static str| Finding {
        row,
        code,
        column: "姓名".to_owned(),
        message: "户籍库记载为“王蕾”，录入的是户籍库的值（R2.8）".to_owned(),
        action: personbase_import::finding::kind(code).action_zh,
        ..outcome.findings[0].clone()
    };
    outcome.add_findings(vec![notice(5, "registry.differs"), notice(4, "registry.absent")]);
    assert_eq!(outcome.summary.rows_with_findings, 3);
    outcome.load = Some(load(true));
    xlsx::write(&path, &outcome).unwrap();

    let mut book = open_workbook_auto(&path).unwrap();
    let listed = book.worksheet_range("待复核").unwrap();
    let rows: Vec<(String, String)> = (1..listed.height())
        .map(|r| {
            let cell = |c| listed.get((r, c)).unwrap().to_string();
            (cell(2), cell(3))
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2".to_owned(), "gender.mismatch".to_owned()),
            ("3".to_owned(), "gender.mismatch".to_owned()),
            ("4".to_owned(), "name.char；registry.absent".to_owned()),
        ]
    );
    // The notice still has its own sheet.
    assert!(book.sheet_names().contains(&"registry.differs".to_owned()));
}

#[test]
fn the_html_report_says_whether_anything_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut outcome = check_files(&quiet(vec![counted(dir.path())]), common::today()).unwrap();

    let dry = html::render(&outcome);
    assert!(dry.contains("<p>导入检查（试运行，未写入任何数据）。文件 1 个，数据 4 行，"), "{dry}");
    assert!(!dry.contains("已对照平台") && !dry.contains("已写入平台") && !dry.contains("可导入"));

    outcome.load = Some(load(false));
    let checked = html::render(&outcome);
    assert!(checked.contains("<p>导入检查（试运行，已对照平台，未写入任何数据）。"), "{checked}");
    assert!(checked.contains(
        "<p>可导入 1 行，平台中已有 0 行（补充参保关系 0 条），留待复核 3 行，合计 4 行。</p>"
    ));

    outcome.load = Some(load(true));
    let applied = html::render(&outcome);
    assert!(applied.contains("<p>导入（已写入平台）。文件 1 个"), "{applied}");
    assert!(!applied.contains("未写入任何数据"), "{applied}");
    assert!(applied.contains("<p>已导入 1 行，平台中已有 0 行"), "{applied}");
}
