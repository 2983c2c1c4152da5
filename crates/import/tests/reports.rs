//! The whole dry run: JSON lines, the summary table, the exit status, and both reports.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Data, Reader, open_workbook_auto};
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
        message: "户籍库记载为“王蕾”，录入平台的是户籍库的值（R2.8）".to_owned(),
        action: personbase_import::finding::kind(code).action_zh,
        ..outcome.findings[0].clone()
    };
    outcome.add_findings(vec![notice(5, "registry.differs"), notice(4, "registry.differs")]);
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
            ("4".to_owned(), "name.char；registry.differs".to_owned()),
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

#[test]
fn the_summary_table_counts_each_kind() {
    let dir = tempfile::tempdir().unwrap();
    let options = quiet(vec![counted(dir.path())]);
    let mut out = Vec::new();
    let outcome = run(&options, common::today(), &mut out).unwrap();
    assert_eq!(outcome.exit_code(), 1);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "导入检查（试运行，未写入任何数据）");
    assert!(lines[1].starts_with("文件 1 个，数据 4 行，有问题的行 3 行，用时 "), "{text}");
    assert_eq!(
        lines[2..],
        [
            "",
            "代码                              数量  问题",
            "gender.mismatch                      2  性别与身份号码不符",
            "name.char                            1  姓名含不允许的字符",
            "合计                                 3",
        ],
        "{text}"
    );
}

#[test]
fn the_excel_sheet_of_a_kind_lists_each_finding_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let file = counted(dir.path());
    let path = dir.path().join("r.xlsx");
    let outcome = check_files(&quiet(vec![file.clone()]), common::today()).unwrap();
    xlsx::write(&path, &outcome).unwrap();

    let mut book = open_workbook_auto(&path).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "gender.mismatch", "name.char"]);
    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(summary.get((1, 0)), Some(&Data::String("gender.mismatch".into())));
    assert_eq!(summary.get((1, 2)), Some(&Data::Float(2.0)));

    let sheet = book.worksheet_range("gender.mismatch").unwrap();
    let row = |r: usize| -> Vec<String> {
        (0..8).map(|c| sheet.get((r, c)).map(|d| d.to_string()).unwrap_or_default()).collect()
    };
    assert_eq!(row(0), ["文件", "工作表", "行", "列", "值", "问题", "处理办法", "相关行"]);
    assert_eq!(sheet.height(), 3, "a header and the two findings");
    let file = file.display().to_string();
    assert_eq!(
        row(2),
        [
            file.as_str(),
            "",
            "3",
            "性别",
            "女",
            "性别为“女”，身份号码表明为“男”",
            "以身份号码和户籍信息为准核对性别（R2.8）",
            "",
        ]
    );
    assert_eq!(sheet.get((2, 2)), Some(&Data::Float(3.0)), "the row is a number");
}

#[test]
fn the_html_chart_by_kind_names_each_kind_with_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = check_files(&quiet(vec![counted(dir.path())]), common::today()).unwrap();
    let page = html::render(&outcome);

    // The first chart is the one by kind.
    let chart = &page[page.find("<h2>按问题</h2>").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    assert!(chart.contains("<svg"), "{chart}");
    // Each bar: its label, the bar, then the count as the next text.
    let count_after = |label: &str| -> String {
        let at = chart.find(&format!(">{label}</text>")).unwrap_or_else(|| panic!("{label}"));
        let rest = &chart[at + label.len() + 8..];
        let text = &rest[rest.find("<text").unwrap()..];
        let start = text.find('>').unwrap() + 1;
        text[start..text.find("</text>").unwrap()].to_owned()
    };
    assert_eq!(count_after("性别与身份号码不符 gender.mismatch"), "2");
    assert_eq!(count_after("姓名含不允许的字符 name.char"), "1");
    assert!(page.contains("<tr><td>gender.mismatch</td><td>性别与身份号码不符</td><td>2</td>"));
}
