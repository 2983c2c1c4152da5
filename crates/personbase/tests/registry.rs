//! `personbase registry load` and `personbase registry reconcile`, the built binary against a
//! database file: a GBK snapshot with Chinese headers is loaded and reloaded with counts, a
//! bad row loads nothing, reconcile lists exactly the seeded discrepancies per agency, and
//! `--apply` corrects, refuses with the rule, or leaves a request waiting — and a second run
//! changes nothing.

#![allow(clippy::unwrap_used, reason = "test helpers: a failure here is a test failure")]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use personbase_domain::rules::InputSource;
use personbase_domain::{
    Address, AgencyKind, BusinessLine, FixedClock, Level, NewPerson, Person, PersonId, PersonName,
    Policy, Role,
};
use personbase_identity::{Ethnicity, HouseholdType, SocialSecurityNumber};
use personbase_store::Store;
use personbase_testkit::number;

fn personbase(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_personbase")).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const ADDRESS: &str = "黑龙江省哈尔滨市南岗区学府路1号";

/// The seeded persons: (number, name in the record).
struct Seeded {
    corrected: Person,
    in_transit: Person,
    two_lines: Person,
    absent: Person,
    outside: Person,
    same: Person,
    unenrolled: Person,
}

/// A database with a social insurance agency (operator `si`, pension) and an employment
/// agency (operator `emp`, employment), and seven persons.
async fn fixture(url: &str) -> (Store, Seeded) {
    let noon = Utc.with_ymd_and_hms(2026, 12, 3, 4, 0, 0).unwrap();
    let store = Store::open(url, Policy::default(), Arc::new(FixedClock(noon))).await.unwrap();
    let si = store
        .create_agency("南岗区社会保险事业局", AgencyKind::SocialInsurance, Level::County, 230103)
        .await
        .unwrap();
    let emp = store
        .create_agency("南岗区就业服务中心", AgencyKind::Employment, Level::County, 230103)
        .await
        .unwrap();
    let si_op = store.create_operator("si", "经办员", si.id, &[Role::Handler], "h").await.unwrap();
    let emp_op =
        store.create_operator("emp", "经办员", emp.id, &[Role::Handler], "h").await.unwrap();
    let pension = store.create_api_key("k1", "养老", BusinessLine::Pension, si.id).await.unwrap();
    let employment =
        store.create_api_key("k2", "就业", BusinessLine::Employment, emp.id).await.unwrap();

    let enter = |ssn: String, name: &'static str, by| {
        let store = store.clone();
        async move {
            let entry = NewPerson {
                ssn: SocialSecurityNumber::parse(&ssn).unwrap(),
                name: PersonName::parse(name).unwrap(),
                gender: None,
                birth_date: None,
                ethnicity: Ethnicity::Han,
                household_address: Address::parse(ADDRESS).unwrap(),
                household_type: HouseholdType::from_code("10").unwrap(),
                home_address: None,
                phone: None,
            };
            store.enter_person(by, entry, InputSource::CardReader, "录入").await.unwrap()
        }
    };
    let corrected = enter(number(230103, "19800101", 11), "张伟", &si_op).await;
    let in_transit = enter(number(230103, "19810202", 22), "李娜", &si_op).await;
    let two_lines = enter(number(230103, "19820303", 33), "王芳", &si_op).await;
    let absent = enter(number(230103, "19830404", 41), "刘洋", &si_op).await;
    let outside = enter(number(110105, "19840505", 51), "陈静", &si_op).await;
    let same = enter(number(230103, "19850606", 62), "杨磊", &si_op).await;
    let unenrolled = enter(number(230103, "19860707", 71), "赵敏", &emp_op).await;
    for p in [&corrected, &in_transit, &two_lines, &absent, &outside, &same] {
        store.enrol(&pension, p.id).await.unwrap();
    }
    store.enrol(&employment, two_lines.id).await.unwrap();
    store
        .start_transaction(&pension, in_transit.id, "YL2026000001", "养老保险关系转移")
        .await
        .unwrap();

    let seeded = Seeded { corrected, in_transit, two_lines, absent, outside, same, unenrolled };
    (store, seeded)
}

/// A registry row: number, name, gender from the number, birth date, ethnicity, address.
fn row(p: &Person, name: &str, ethnicity: &str, address: &str) -> String {
    let gender = if p.gender.code() == "1" { "男" } else { "女" };
    format!("{},{name},{gender},{},{ethnicity},{address}\n", p.ssn.as_str(), p.birth_date)
}

/// The snapshot that differs from the records as the tests expect: a name (corrected), an
/// ethnicity (in transit), a name (two lines), a name (not enrolled); `absent` is missing.
fn snapshot(s: &Seeded) -> String {
    let mut text = "公民身份号码,姓名,性别,出生日期,民族,户籍地址\n".to_owned();
    text += &row(&s.corrected, "张玮", "汉族", ADDRESS);
    text += &row(&s.in_transit, "李娜", "满族", ADDRESS);
    text += &row(&s.two_lines, "王方", "汉族", ADDRESS);
    text += &row(&s.same, "杨磊", "汉族", ADDRESS);
    text += &row(&s.unenrolled, "赵民", "汉族", ADDRESS);
    text
}

fn write_gbk(path: &Path, text: &str) {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

/// The rows of a work list: (person id, field, outcome, rule, note).
fn list(dir: &Path, prefix: &str) -> Vec<Vec<String>> {
    let file = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no list {prefix} in {}", dir.display()));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "the CSV starts with a BOM");
    let mut csv = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(csv.headers().unwrap().get(4), Some("项目"));
    csv.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

fn ids_and_fields(rows: &[Vec<String>]) -> BTreeSet<(i64, String)> {
    rows.iter().map(|r| (r[0].parse().unwrap(), r[4].clone())).collect()
}

fn outcome_of(rows: &[Vec<String>], id: PersonId) -> &Vec<String> {
    rows.iter().find(|r| r[0] == id.0.to_string()).unwrap()
}

/// Each person's version and number of change requests.
async fn versions(store: &Store, ids: &[PersonId]) -> Vec<(i64, usize)> {
    let mut v = Vec::new();
    for id in ids {
        v.push((
            store.person(*id).await.unwrap().version,
            store.requests_of(*id).await.unwrap().len(),
        ));
    }
    v
}

#[tokio::test]
async fn a_gbk_snapshot_with_chinese_headers_loads_and_reloads_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("pb.db").display());
    let (store, s) = fixture(&url).await;
    let file = dir.path().join("registry.csv");
    write_gbk(&file, &snapshot(&s));

    let first = personbase(&["registry", "load", file.to_str().unwrap(), "--db", &url]);
    assert_eq!(first.status.code(), Some(0), "{}", stdout(&first));
    assert!(stdout(&first).contains("5 条记录"), "{}", stdout(&first));
    assert!(stdout(&first).contains("新增 5，变更 0，删除 0"), "{}", stdout(&first));
    let record = store.registry_record(&s.corrected.ssn).await.unwrap().unwrap();
    assert_eq!(record.name.as_str(), "张玮");

    // Tab-separated UTF-8 with BOM this time: one changed, one removed, one new.
    let mut text =
        "\u{feff}ssn\tname\tgender\tbirth_date\tethnicity\thousehold_address\n".to_owned();
    for line in snapshot(&s).lines().skip(1) {
        if line.starts_with(s.same.ssn.as_str()) {
            continue;
        }
        text += &line.replace(',', "\t").replace("张玮", "张炜");
        text.push('\n');
    }
    text += &row(&s.absent, "刘洋", "汉族", ADDRESS).replace(',', "\t");
    std::fs::write(&file, text).unwrap();
    let second = personbase(&["registry", "load", file.to_str().unwrap(), "--db", &url]);
    assert_eq!(second.status.code(), Some(0), "{}", stdout(&second));
    assert!(stdout(&second).contains("新增 1，变更 1，删除 1"), "{}", stdout(&second));
    assert_eq!(
        store.registry_record(&s.corrected.ssn).await.unwrap().unwrap().name.as_str(),
        "张炜"
    );
    assert!(store.registry_record(&s.same.ssn).await.unwrap().is_none());
    assert!(store.registry_record(&s.absent.ssn).await.unwrap().is_some());
}

#[tokio::test]
async fn a_bad_row_is_named_by_line_and_field_and_nothing_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("pb.db").display());
    let (store, s) = fixture(&url).await;
    let file = dir.path().join("registry.csv");
    let mut text = snapshot(&s);
    text += &row(&s.absent, "刘洋", "火星族", ADDRESS);
    std::fs::write(&file, text).unwrap();

    let out = personbase(&["registry", "load", file.to_str().unwrap(), "--db", &url]);

    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("line 7, ethnicity：民族无法识别"), "{}", stdout(&out));
    assert!(store.registry_record(&s.corrected.ssn).await.unwrap().is_none());
    let actions: Vec<String> =
        store.journal(0, 1000).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(!actions.iter().any(|a| a == "registry.loaded"));
}

#[tokio::test]
async fn reconcile_lists_the_discrepancies_per_agency_and_apply_lets_the_rules_decide() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("pb.db").display());
    let (store, s) = fixture(&url).await;
    let file = dir.path().join("registry.csv");
    std::fs::write(&file, snapshot(&s)).unwrap();
    let loaded = personbase(&["registry", "load", file.to_str().unwrap(), "--db", &url]);
    assert_eq!(loaded.status.code(), Some(0), "{}", stdout(&loaded));
    let out = dir.path().join("lists");
    let out_arg = out.to_str().unwrap();

    // Compare only.
    let run = personbase(&["registry", "reconcile", "--db", &url, "--out", out_arg]);
    assert_eq!(run.status.code(), Some(1), "findings: exit 1\n{}", stdout(&run));
    assert!(stdout(&run).contains("已核对有效人员记录 7 条（其中外省、港澳台或外籍号码 1 条"));
    let si = list(&out, "1-");
    let emp = list(&out, "2-");
    let expected_si: BTreeSet<(i64, String)> = [
        (s.corrected.id.0, "姓名"),
        (s.in_transit.id.0, "民族"),
        (s.two_lines.id.0, "姓名"),
        (s.absent.id.0, "社会保障号码"),
    ]
    .into_iter()
    .map(|(id, f)| (id, f.to_owned()))
    .collect();
    let expected_emp: BTreeSet<(i64, String)> =
        [(s.two_lines.id.0, "姓名"), (s.unenrolled.id.0, "姓名")]
            .into_iter()
            .map(|(id, f)| (id, f.to_owned()))
            .collect();
    assert_eq!(ids_and_fields(&si), expected_si);
    assert_eq!(ids_and_fields(&emp), expected_emp);
    let corrected_row = outcome_of(&si, s.corrected.id);
    assert_eq!((corrected_row[5].as_str(), corrected_row[6].as_str()), ("张伟", "张玮"));
    assert_eq!(outcome_of(&si, s.in_transit.id)[6], "满族");
    assert!(out.join("户籍库核对工作清单.xlsx").exists());
    assert!(!ids_and_fields(&si).iter().any(|(id, _)| *id == s.outside.id.0));
    assert_eq!(store.person(s.corrected.id).await.unwrap().name.as_str(), "张伟");

    // Apply as the social insurance agency.
    let apply = ["registry", "reconcile", "--db", &url, "--out", out_arg, "--apply"];
    let run = personbase(&[&apply[..], &["--operator", "si"]].concat());
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    let si = list(&out, "1-");
    assert_eq!(outcome_of(&si, s.corrected.id)[7], "已更正");
    let refused = outcome_of(&si, s.in_transit.id);
    assert_eq!(refused[7], "规则不允许更正");
    assert_eq!(refused[8], "in-transit-blocks in_transit_business");
    assert!(refused[9].contains("在途业务") && refused[9].contains("YL2026000001"), "{refused:?}");
    assert!(outcome_of(&si, s.two_lines.id)[7].starts_with("等待"), "{si:?}");
    assert_eq!(outcome_of(&si, s.absent.id)[7], "须人工核实");
    let emp = list(&out, "2-");
    assert_eq!(outcome_of(&emp, s.unenrolled.id)[7], "", "only the operator's list is applied");
    assert!(outcome_of(&emp, s.two_lines.id)[7].starts_with("等待"), "{emp:?}");

    let person = store.person(s.corrected.id).await.unwrap();
    assert_eq!(person.name.as_str(), "张玮");
    assert_eq!(store.person(s.in_transit.id).await.unwrap().ethnicity, Ethnicity::Han);
    let history = store.history(s.corrected.id).await.unwrap();
    assert!(history.iter().any(|e| e.action == "change.effective"));
    let request = store.requests_of(s.corrected.id).await.unwrap().remove(0);
    assert_eq!(request.source, InputSource::Registry);
    let verify = personbase(&["audit", "verify", "--db", &url]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));

    // A second run changes nothing.
    let ids: Vec<PersonId> =
        [&s.corrected, &s.in_transit, &s.two_lines, &s.absent, &s.unenrolled].map(|p| p.id).into();
    let before = versions(&store, &ids).await;
    let run = personbase(&[&apply[..], &["--operator", "si"]].concat());
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    assert_eq!(versions(&store, &ids).await, before);
    let si = list(&out, "1-");
    assert!(
        !si.iter().any(|r| r[0] == s.corrected.id.0.to_string()),
        "corrected: no longer listed"
    );
    assert_eq!(outcome_of(&si, s.two_lines.id)[7], "已有更正申请在办");
    let actions: Vec<String> =
        store.journal(0, 10_000).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "registry.reconciled").count(), 3);
    let verify = personbase(&["audit", "verify", "--db", &url]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
}
