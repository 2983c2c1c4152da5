//! `personbase import` through the built binary: the summary table with its counts, exit
//! status 2 with a Chinese message when a file cannot be read or has no identity number
//! column, and the rows the platform cannot take (`--db`): an unknown agency, a line without
//! an agency, and a row the rules of entry refuse.

#![allow(clippy::unwrap_used, reason = "test helpers: a failure here is a test failure")]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use personbase_domain::{AgencyKind, FixedClock, Level, Policy, Role};
use personbase_identity::Nationality;
use personbase_identity::foreign_ssn::Generator;
use personbase_store::Store;
use personbase_testkit::number;
use serde_json::Value;

fn personbase(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_personbase")).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write(path: &Path, lines: &[String]) -> String {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    path.to_str().unwrap().to_owned()
}

const ADDRESS: &str = "黑龙江省哈尔滨市南岗区学府路1号";
const AGENCY: &str = "哈尔滨市南岗区社会保险事业局";

#[test]
fn the_summary_table_counts_each_kind_and_the_exit_status_is_1() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (number(230103, "19850505", 3), number(230103, "19900101", 14));
    let file = write(
        &dir.path().join("legacy.csv"),
        &[
            "姓名,身份证号,性别".to_owned(),
            // 2: a man's number, 女.
            format!("张伟,{a},女"),
            format!("李娜,{b},女"),
            // 4: row 3's number with another gender: a conflict and a mismatch.
            format!("李娜,{b},男"),
            format!("王1,{},男", number(230103, "19700101", 25)),
        ],
    );

    let output = personbase(&["import", &file, "--quiet"]);

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "导入检查（试运行，未写入任何数据）", "{text}");
    assert!(lines[1].starts_with("文件 1 个，数据 4 行，有问题的行 3 行，"), "{text}");
    assert_eq!(
        lines[2..],
        [
            "",
            "代码                              数量  问题",
            "gender.mismatch                      2  性别与身份号码不符",
            "name.digits                          1  姓名含数字",
            "dup.conflict                         1  同一号码重复出现，内容不一致",
            "合计                                 4",
        ],
        "{text}"
    );
    assert!(stderr(&output).is_empty(), "--quiet: {}", stderr(&output));
}

#[test]
fn a_file_that_is_missing_or_cannot_be_read_exits_2_with_a_chinese_message() {
    let dir = tempfile::tempdir().unwrap();
    // A folder named like a CSV file opens, but reading it fails.
    let folder = dir.path().join("文件夹.csv");
    std::fs::create_dir(&folder).unwrap();
    let cases =
        [(dir.path().join("没有这个文件.csv"), "文件不存在"), (folder, "这是一个文件夹，不是文件")];
    for (path, why) in cases {
        let path = path.to_str().unwrap();

        let output = personbase(&["import", path, "--quiet"]);

        assert_eq!(output.status.code(), Some(2), "{path}: {}", stderr(&output));
        let message = stderr(&output);
        let expected = format!("personbase: 无法读写文件 {path}：{why}（import.io）");
        assert_eq!(message.trim_end(), expected);
        assert!(stdout(&output).is_empty(), "nothing is reported: {}", stdout(&output));
    }
}

#[test]
fn a_csv_without_an_identity_number_column_exits_2_with_a_chinese_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir.path().join("no_number.csv"),
        &["姓名,性别,证件".to_owned(), format!("张伟,男,{}", number(230103, "19850505", 3))],
    );

    let output = personbase(&["import", &file, "--quiet", "--format", "json"]);

    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output).trim_end(),
        format!(
            "personbase: 文件 {file} 中找不到身份号码列（如“身份证号”“公民身份号码”“AAC002”），\
             请用映射文件指定（import.no_number_column）"
        )
    );
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
}

/// A platform with one agency and its handler, and no persons.
async fn platform(url: &str) {
    let clock = FixedClock::at_noon(personbase_testkit::today());
    let store = Store::open(url, Policy::default(), Arc::new(clock)).await.unwrap();
    let agency = store
        .create_agency(AGENCY, AgencyKind::SocialInsurance, Level::County, 230103)
        .await
        .unwrap();
    store.create_operator("si", "经办员", agency.id, &[Role::Handler], "hash").await.unwrap();
    store.close().await;
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_the_platform_cannot_take_are_held_back_with_their_finding() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    platform(&format!("sqlite://{}?mode=rwc", db.display())).await;
    let url = format!("sqlite://{}", db.display());
    // A foreigner's number carries neither gender nor birth date, and the file gives neither.
    let usa = Nationality::parse("USA").unwrap();
    let foreign = Generator::new(usa, 230100, 0).unwrap().next_number().unwrap();
    let foreign = foreign.as_str().to_owned();
    let (li, zhao, wang) = (
        number(230103, "19850505", 2),
        number(230103, "19900101", 13),
        number(230103, "19770707", 25),
    );
    let file = write(
        &dir.path().join("legacy.csv"),
        &[
            "姓名,性别,民族,公民身份号码,户口性质,户籍地址,险种,经办机构".to_owned(),
            // 2: an agency the platform does not have.
            format!("李娜,女,汉族,{li},非农业户口,{ADDRESS},失业保险,道外区社会保险事业局"),
            // 3: a line, and no agency in the row or on the command line.
            format!("赵敏,男,汉族,{zhao},非农业户口,{ADDRESS},企业职工基本养老保险,"),
            // 4: refused by the rules of entry: gender and birth date are needed.
            format!("约翰·史密斯,,其他,{foreign},非农业户口,{ADDRESS},,"),
            // 5: clean.
            format!("王磊,男,汉族,{wang},非农业户口,{ADDRESS},失业保险,{AGENCY}"),
        ],
    );
    let review = dir.path().join("review.csv");
    let review = review.to_str().unwrap();
    let args = ["import", &file, "--format", "json", "--quiet", "--db", &url, "--operator", "si"];
    let mut apply = args.to_vec();
    apply.extend(["--review", review, "--apply"]);

    let output = personbase(&apply);

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = json_lines(&output);
    let found: Vec<[String; 5]> = lines
        .iter()
        .filter(|l| l.get("code").is_some())
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap().to_owned();
            [f["row"].to_string(), text("code"), text("column"), text("value"), text("message")]
        })
        .collect();
    let row = |r: &str, code: &str, column: &str, value: &str, message: &str| {
        [r, code, column, value, message].map(str::to_owned)
    };
    assert_eq!(
        found,
        [
            row(
                "2",
                "agency.unknown",
                "经办机构",
                "道外区社会保险事业局",
                "经办机构“道外区社会保险事业局”在平台中找不到或不唯一"
            ),
            row("3", "agency.missing", "经办机构", "", "险种为“养老保险”，但没有经办机构"),
            row(
                "4",
                "entry.refused",
                "公民身份号码",
                &foreign,
                "此类号码不含性别和出生日期，请录入性别和出生日期"
            ),
        ]
    );
    let actions: Vec<&str> =
        lines.iter().filter_map(|l| l.get("action")).map(|a| a.as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "填写平台中经办机构的编号或全称，或用 --agency 指定",
            "填写经办机构列，或用 --agency 指定",
            "按说明处理后重新导入",
        ]
    );
    let load = &lines.last().unwrap()["load"];
    assert_eq!(
        (&load["applied"], &load["loaded"], &load["held_back"], &load["rows"]),
        (&Value::from(true), &Value::from(1), &Value::from(3), &Value::from(4))
    );

    // The review list holds the three rows, each with its code.
    let text = std::fs::read_to_string(review).unwrap();
    let listed: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(listed.len(), 3, "{text}");
    for (line, code) in listed.iter().zip(["agency.unknown", "agency.missing", "entry.refused"]) {
        assert!(line.contains(&format!(",{code},")), "{code} in {line}");
    }

    // The check without --apply finds the same, and the clean row is already present.
    let again = personbase(&args);
    let lines = json_lines(&again);
    let codes: Vec<String> = lines
        .iter()
        .filter_map(|l| l.get("code").map(|c| c.as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(codes, ["agency.unknown", "agency.missing", "entry.refused"]);
    let load = &lines.last().unwrap()["load"];
    assert_eq!((&load["loaded"], &load["already_present"]), (&Value::from(0), &Value::from(1)));
}
