//! What legacy systems export: GBK, a BOM, other delimiters, line breaks inside quoted
//! fields, numbers in scientific notation, and Excel workbooks with dates as serial numbers.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{check_with, num, old15, pairs, write};
use personbase_import::ImportError;
use personbase_import::run::{Options, ProgressMode, check_files};
use personbase_import::source::{CsvEncoding, ReadOptions};
use rust_xlsxwriter::{Format, Workbook};

#[test]
fn a_gbk_file_is_detected_and_the_encoding_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "姓名,性别,公民身份号码,户籍地址\r\n张伟,男,{},黑龙江省哈尔滨市\r\n李娜2,女,{},黑龙江省哈尔滨市\r\n",
        num(1985, 3, 7, 123),
        num(1985, 3, 7, 124)
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let file = write(dir.path(), "gbk.csv", &gbk);

    let outcome = check_with(std::slice::from_ref(&file), ReadOptions::default());
    assert_eq!(pairs(&outcome), [(3, "name.digits")]);
    assert_eq!(outcome.findings[0].value, "李娜2");
    assert_eq!(outcome.findings[0].column, "姓名");

    let read = ReadOptions { encoding: CsvEncoding::Gbk, ..ReadOptions::default() };
    assert_eq!(pairs(&check_with(std::slice::from_ref(&file), read)), [(3, "name.digits")]);

    // Forced to UTF-8, the header is unreadable and no number column is found.
    let options = Options {
        files: vec![file],
        read: ReadOptions { encoding: CsvEncoding::Utf8, ..ReadOptions::default() },
        progress: ProgressMode::Quiet,
        ..Options::default()
    };
    let err = check_files(&options, common::today()).unwrap_err();
    assert!(matches!(err, ImportError::NoNumberColumn { .. }), "{err}");
}

#[test]
fn a_bom_before_the_first_header() {
    let dir = tempfile::tempdir().unwrap();
    let n = num(1985, 3, 7, 123);
    let text = format!("\u{feff}身份证号,姓名,性别\n{n},张伟,女\n");
    let file = write(dir.path(), "bom.csv", text.as_bytes());
    let outcome = check_with(&[file], ReadOptions::default());
    assert_eq!(pairs(&outcome), [(2, "gender.mismatch")]);
    assert_eq!(outcome.findings[0].column, "性别");
}

#[test]
fn quoted_fields_with_line_breaks_count_as_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "姓名\t身份证号\t备注\n张伟\t{}\t\"第一行\n第二行\"\n李娜\t{}\t\"a\tb\"\n",
        num(1985, 3, 7, 123),
        num(1985, 3, 7, 122)
    );
    let bad = text.replace(&num(1985, 3, 7, 122), &num(1985, 3, 7, 122)[..17]);
    let file = write(dir.path(), "tabs.csv", bad.as_bytes());
    let outcome = check_with(&[file], ReadOptions::default());
    assert_eq!(pairs(&outcome), [(3, "id.length")]);
}

#[test]
fn scientific_notation_is_reported_never_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let text = "姓名;身份证号\n张伟;2,30102198503E+17\n李娜;2.30102198503071E+17\n王芳;1.1E17\n";
    let file = write(dir.path(), "semicolons.csv", text.as_bytes());
    let outcome = check_with(&[file], ReadOptions::default());
    assert_eq!(pairs(&outcome), [(2, "id.scientific"), (3, "id.scientific"), (4, "id.scientific")]);
    assert!(outcome.findings.iter().all(|f| f.action.contains("不要猜测")));
}

#[test]
fn an_excel_workbook_with_dates_as_serial_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.xlsx");
    let (a, b, c) = (num(1985, 3, 7, 123), num(1990, 5, 1, 246), num(1970, 1, 1, 451));
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "本表为旧系统导出").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("人员").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (col, h) in ["姓名", "性别", "出生日期", "公民身份号码"].iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    // Row 2: a plain serial number, right (1985-03-07 is serial 31113).
    sheet.write_string(1, 0, "张伟").unwrap();
    sheet.write_string(1, 1, "男").unwrap();
    sheet.write_number(1, 2, 31113.0).unwrap();
    sheet.write_string(1, 3, &a).unwrap();
    // Row 3: a formatted date cell one day off.
    sheet.write_string(2, 0, "李娜").unwrap();
    sheet.write_string(2, 1, "女").unwrap();
    sheet.write_number_with_format(2, 2, 33000.0, &date).unwrap();
    sheet.write_string(2, 3, &b).unwrap();
    // Row 4: the number typed as a number, digits lost.
    sheet.write_string(3, 0, "王芳").unwrap();
    sheet.write_number(3, 3, c.parse::<f64>().unwrap()).unwrap();
    // Row 5: a 15-digit number as a number keeps its digits.
    sheet.write_string(4, 0, "张伟").unwrap();
    sheet.write_string(4, 1, "男").unwrap();
    sheet.write_number(4, 2, 31113.0).unwrap();
    sheet.write_number(4, 3, old15(&a).parse::<f64>().unwrap()).unwrap();
    book.save(&path).unwrap();

    let outcome = check_with(std::slice::from_ref(&path), ReadOptions::default());
    assert_eq!(
        pairs(&outcome),
        [
            (3, "birth.mismatch"),
            (4, "id.scientific"),
            (5, "number.upgrade_15"),
            (5, "dup.identical")
        ]
    );
    assert!(outcome.findings.iter().all(|f| f.sheet == "人员"));

    let read = ReadOptions { sheet: Some("人员".to_string()), ..ReadOptions::default() };
    assert_eq!(pairs(&check_with(std::slice::from_ref(&path), read)).len(), 4);
    let read = ReadOptions { sheet: Some("没有".to_string()), ..ReadOptions::default() };
    let options =
        Options { files: vec![path], read, progress: ProgressMode::Quiet, ..Options::default() };
    assert!(matches!(check_files(&options, common::today()), Err(ImportError::NoSheet { .. })));
}

#[test]
fn garbage_files_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 4] = [
        ("empty.csv", b""),
        ("binary.csv", &[0, 159, 146, 150, 255, 0, 1, 2]),
        ("fake.xlsx", b"not a zip"),
        ("header_only.csv", "身份证号\n".as_bytes()),
    ];
    for (name, bytes) in cases {
        let file = write(dir.path(), name, bytes);
        let options =
            Options { files: vec![file], progress: ProgressMode::Quiet, ..Options::default() };
        let result = check_files(&options, common::today());
        if name == "header_only.csv" {
            assert_eq!(result.unwrap().summary.rows, 0);
        } else {
            assert!(result.is_err(), "{name}");
        }
    }
}

#[test]
fn a_row_in_another_encoding_than_forced_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let n = num(1985, 3, 7, 123);
    let mut bytes = format!("AAC002,AAC003\n{n},").into_bytes();
    let (gbk, _, _) = encoding_rs::GBK.encode("张伟");
    bytes.extend_from_slice(&gbk);
    bytes.push(b'\n');
    let file = write(dir.path(), "mixed.csv", &bytes);
    let read = ReadOptions { encoding: CsvEncoding::Utf8, ..ReadOptions::default() };
    let outcome = check_with(&[file], read);
    assert_eq!(pairs(&outcome), [(2, "row.encoding")]);
}

#[test]
fn one_number_in_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let n = num(1985, 3, 7, 123);
    let a = write(dir.path(), "a.csv", format!("身份证号,姓名\n{n},张伟\n").as_bytes());
    let b = write(dir.path(), "b.csv", format!("身份证号,姓名\n{},张伟\n", old15(&n)).as_bytes());
    let outcome = check_with(&[a, b], ReadOptions::default());
    assert_eq!(pairs(&outcome), [(2, "number.upgrade_15"), (2, "dup.identical")]);
    let dup = &outcome.findings[1];
    assert!(dup.file.ends_with("b.csv") && dup.message.contains("a.csv"), "{}", dup.message);
}

#[test]
fn a_gb18030_file_with_a_character_outside_gbk() {
    let dir = tempfile::tempdir().unwrap();
    // 𠀀 (U+20000) has no GBK code: GB18030 writes it in four bytes.
    let rare = "王𠀀2";
    let (_, _, outside_gbk) = encoding_rs::GBK.encode(rare);
    assert!(outside_gbk, "the test character must be outside GBK");
    let text = format!(
        "姓名,身份证号,户籍地址\r\n张伟,{},黑龙江省哈尔滨市道里区𠀀街1号\r\n{rare},{},黑龙江省哈尔滨市\r\n",
        num(1985, 3, 7, 123),
        num(1985, 3, 7, 124)
    );
    let (bytes, _, lossy) = encoding_rs::GB18030.encode(&text);
    assert!(!lossy);
    assert!(std::str::from_utf8(&bytes).is_err(), "the file must not be valid UTF-8");
    let file = write(dir.path(), "gb18030.csv", &bytes);

    for encoding in [CsvEncoding::Auto, CsvEncoding::Gb18030] {
        let read = ReadOptions { encoding, ..ReadOptions::default() };
        let outcome = check_with(std::slice::from_ref(&file), read);
        // Row 2's address with 𠀀 is read as text (no row.encoding); row 3's name keeps it.
        assert_eq!(pairs(&outcome), [(3, "name.digits")], "{encoding:?}");
        assert_eq!(outcome.findings[0].value, "王𠀀2");
        assert_eq!(outcome.findings[0].column, "姓名");
    }
}

#[test]
fn a_csv_delimited_by_vertical_bars() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (num(1985, 3, 7, 123), num(1990, 5, 1, 246));
    // Commas inside fields are text, not delimiters.
    let text = format!("姓名|性别|身份证号|备注\n张伟|男|{a}|调入,2001年\n李娜|男|{b}|无\n");
    let file = write(dir.path(), "bars.csv", text.as_bytes());
    let outcome = check_with(std::slice::from_ref(&file), ReadOptions::default());
    assert_eq!(outcome.summary.rows, 2);
    assert_eq!(pairs(&outcome), [(3, "gender.mismatch")]);
    let f = &outcome.findings[0];
    assert_eq!((f.column.as_str(), f.value.as_str()), ("性别", "男"));
    assert_eq!(f.message, "性别为“男”，身份号码表明为“女”");

    // Forced to a comma, the header is one column named by no known header.
    let options = Options {
        files: vec![file],
        read: ReadOptions { delimiter: Some(b','), ..ReadOptions::default() },
        progress: ProgressMode::Quiet,
        ..Options::default()
    };
    let err = check_files(&options, common::today()).unwrap_err();
    assert!(matches!(err, ImportError::NoNumberColumn { .. }), "{err}");
}
