//! What a load takes from the files: clean rows as persons with their enrolments, held-back
//! rows with a finding, merge candidates within a line, the review list and its sheets.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Reader, open_workbook_auto};
use common::{num, today, write};
use personbase_domain::{Agency, AgencyId, AgencyKind, BusinessLine, Level};
use personbase_import::field::Mapping;
use personbase_import::load::{Candidate, Enrolments, LoadSummary, candidates};
use personbase_import::run::{Options, ProgressMode, check_files};

fn agencies() -> Vec<Agency> {
    let agency = |id, name: &str, kind| Agency {
        id: AgencyId(id),
        name: name.to_owned(),
        kind,
        level: Level::County,
        division: 230102,
    };
    vec![
        agency(3, "道里区社会保险事业局", AgencyKind::SocialInsurance),
        agency(4, "道里区就业服务中心", AgencyKind::Employment),
    ]
}

#[test]
fn clean_rows_become_candidates_and_duplicates_in_one_line_merge_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c, d) =
        (num(1985, 3, 7, 123), num(1990, 1, 1, 135), num(1970, 7, 7, 147), num(1980, 8, 8, 150));
    let head = "姓名,身份证号,民族,户口性质,户籍地址,险种,经办机构";
    let addr = "黑龙江省哈尔滨市道里区中央大街1号";
    let text = [
        head.to_owned(),
        format!("张伟,{a},汉族,非农业户口,{addr},失业保险,"),
        format!("李强,{b},汉族,非农业户口,{addr},就业,道里区就业服务中心"),
        format!("张伟,{a},汉族,非农业户口,{addr},失业保险,"),
        format!("王磊,{c},汉族,非农业户口,{addr},其他,"),
        format!("赵军,{d},,非农业户口,{addr},,"),
        format!("李强,{b},汉族,非农业户口,{addr},养老保险,"),
    ]
    .join("\n");
    let options = Options {
        files: vec![write(dir.path(), "legacy.csv", text.as_bytes())],
        progress: ProgressMode::Quiet,
        report_xlsx: Some(dir.path().join("r.xlsx")),
        ..Options::default()
    };
    let mut outcome = check_files(&options, today()).unwrap();
    let enrolments = Enrolments::new(None, Some("3"), &Mapping::default(), agencies()).unwrap();

    let mut batches: Vec<Vec<Candidate>> = Vec::new();
    let second = candidates(&options, &outcome, &enrolments, 1, &mut |b| {
        batches.push(b);
        true
    })
    .unwrap();

    // Rows 2 and 3 are clean; row 3's agency is its column's, row 2's the file's.
    let all: Vec<&Candidate> = batches.iter().flatten().collect();
    assert_eq!(batches.len(), 2, "one row per batch");
    assert_eq!(all[0].row, 2);
    assert_eq!(all[0].person.name.as_str(), "张伟");
    assert_eq!(all[0].enrolment, Some((BusinessLine::Unemployment, AgencyId(3))));
    assert_eq!(all[1].enrolment, Some((BusinessLine::Employment, AgencyId(4))));
    assert_eq!(all[1].source(), all[1].file);
    let held: Vec<(u64, &str)> = second.findings.iter().map(|f| (f.row, f.code)).collect();
    assert_eq!(held, [(5, "line.unknown"), (6, "entry.incomplete")]);
    assert_eq!(second.findings[1].message, "缺少民族");

    outcome.add_findings(second.findings.clone());
    let merges = second.merge_candidates(&outcome.findings);
    // Row 4 repeats row 2 in the same line; row 7 repeats row 3 in another line.
    assert_eq!(merges.len(), 1);
    assert_eq!((merges[0].row, merges[0].related_row), (4, 2));
    assert_eq!(merges[0].line, BusinessLine::Unemployment);
    assert_eq!(merges[0].agency, "道里区社会保险事业局");
    outcome.merge_candidates = merges;
    let load = LoadSummary {
        applied: true,
        rows: outcome.summary.rows,
        loaded: 2,
        held_back: outcome.summary.rows_with_findings,
        ..LoadSummary::default()
    };
    assert!(load.adds_up(), "{load:?}");
    outcome.load = Some(load);

    let review = dir.path().join("review.csv");
    let written =
        personbase_import::review::write(&review, &options, &outcome, &enrolments).unwrap();
    assert_eq!(written, 4);
    let text = std::fs::read_to_string(&review).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with(&format!("{a},张伟,")), "{}", lines[1]);
    assert!(lines[1].contains(",失业保险,道里区社会保险事业局,"), "{}", lines[1]);
    assert!(lines[1].contains("legacy.csv,,4,dup.identical,"), "{}", lines[1]);

    personbase_import::report::xlsx::write(options.report_xlsx.as_ref().unwrap(), &outcome)
        .unwrap();
    let mut book = open_workbook_auto(options.report_xlsx.as_ref().unwrap()).unwrap();
    assert!(book.sheet_names().ends_with(&["待复核".to_owned(), "合并候选".to_owned()]));
    let listed = book.worksheet_range("待复核").unwrap();
    assert_eq!(listed.height(), 5, "a header and the four rows held back");
    let merge = book.worksheet_range("合并候选").unwrap();
    assert_eq!(merge.get((1, 0)).unwrap().to_string(), "失业保险");
}
