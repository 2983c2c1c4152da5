//! `personbase import --db --apply` on a small file: clean rows loaded with their
//! enrolments, a person already in the platform not entered again, an occupied number and
//! every other finding held back in the review list, merge candidates within a line, and a
//! second run that loads nothing twice.

#![allow(clippy::unwrap_used, reason = "test helpers: a failure here is a test failure")]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use personbase_domain::rules::InputSource;
use personbase_domain::{
    Address, AgencyKind, FixedClock, Level, NewPerson, PersonName, Policy, Role,
};
use personbase_identity::{Ethnicity, HouseholdType, SocialSecurityNumber};
use personbase_store::Store;
use personbase_testkit::number;
use serde_json::Value;

fn personbase(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_personbase")).args(args).output().unwrap()
}

/// The last JSON line of `import --format json`: the summary and the load's counts.
fn summary(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.lines().last().unwrap()).unwrap()
}

fn lines_with(output: &Output, key: &str) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v.get(key).is_some())
        .collect()
}

/// One agency and its handler; 张三 and 钱七 already in the platform.
async fn platform(url: &str, zhang: &str, qian: &str) -> Store {
    let clock = FixedClock::at_noon(personbase_testkit::today());
    let store = Store::open(url, Policy::default(), Arc::new(clock)).await.unwrap();
    let agency = store
        .create_agency(
            "哈尔滨市南岗区社会保险事业局",
            AgencyKind::SocialInsurance,
            Level::County,
            230103,
        )
        .await
        .unwrap();
    let operator =
        store.create_operator("si", "经办员", agency.id, &[Role::Handler], "hash").await.unwrap();
    for (number, name) in [(zhang, "张三"), (qian, "钱七")] {
        let entry = NewPerson {
            ssn: SocialSecurityNumber::parse(number).unwrap(),
            name: PersonName::parse(name).unwrap(),
            gender: None,
            birth_date: None,
            ethnicity: Ethnicity::Han,
            household_address: Address::parse("黑龙江省哈尔滨市南岗区学府路1号").unwrap(),
            household_type: HouseholdType::from_code("10").unwrap(),
            home_address: None,
            phone: None,
        };
        store.enter_person(&operator, entry, InputSource::CardReader, "录入").await.unwrap();
    }
    store
}

async fn count(url: &str, sql: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

fn write_file(path: &Path, zhang: &str, qian: &str) {
    let li = number(230103, "19850505", 2);
    let zhao = number(230103, "19900101", 13);
    let wu = number(230103, "19770707", 25);
    let rows = [
        "姓名,性别,民族,出生日期,公民身份号码,户口性质,户籍地址,险种,经办机构".to_owned(),
        // 2: new, enrolled in the file's agency.
        format!("李娜,女,汉族,1985-05-05,{li},非农业户口,黑龙江省哈尔滨市南岗区学府路2号,企业职工基本养老保险,"),
        // 3: already in the platform: only the enrolment is new.
        format!("张三,女,汉族,1949-12-31,{zhang},非农业户口,黑龙江省哈尔滨市南岗区学府路1号,失业保险,"),
        // 4: another name on 钱七's number: occupied (R2.9).
        format!("王芳,男,汉族,1960-06-06,{qian},非农业户口,黑龙江省哈尔滨市南岗区学府路1号,失业保险,"),
        // 5: row 2 again, same line: a merge candidate.
        format!("李娜,女,汉族,1985-05-05,{li},非农业户口,黑龙江省哈尔滨市南岗区学府路2号,企业职工基本养老保险,"),
        // 6: an invalid number.
        "赵六,男,汉族,1990-01-01,230103199001011234,非农业户口,黑龙江省哈尔滨市南岗区学府路3号,失业保险,".to_owned(),
        // 7: a line nobody knows.
        format!("赵敏,男,汉族,1990-01-01,{zhao},非农业户口,黑龙江省哈尔滨市南岗区学府路4号,其他,"),
        // 8: no ethnicity.
        format!("吴刚,男,,1977-07-07,{wu},非农业户口,黑龙江省哈尔滨市南岗区学府路5号,失业保险,"),
    ];
    std::fs::write(path, rows.join("\n") + "\n").unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn clean_rows_load_once_and_every_other_row_is_held_back_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let zhang = "11010519491231002X";
    let qian = number(230103, "19600606", 11);
    platform(&url, zhang, &qian).await.close().await;
    let file = dir.path().join("legacy.csv");
    write_file(&file, zhang, &qian);
    let review = dir.path().join("review.csv");
    let (file, review) = (file.to_str().unwrap(), review.to_str().unwrap());
    let url = format!("sqlite://{}", db.display());
    let args = [
        "import",
        file,
        "--format",
        "json",
        "--quiet",
        "--db",
        &url,
        "--operator",
        "si",
        "--agency",
        "哈尔滨市南岗区社会保险事业局",
        "--review",
        review,
    ];

    // The check against the platform writes nothing.
    let checked = personbase(&args);
    assert_eq!(checked.status.code(), Some(1), "{}", String::from_utf8_lossy(&checked.stderr));
    assert_eq!(summary(&checked)["load"]["loaded"], 1);
    assert_eq!(summary(&checked)["load"]["applied"], false);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM persons").await, 2);

    let mut apply = args.to_vec();
    apply.push("--apply");
    let first = personbase(&apply);
    assert_eq!(first.status.code(), Some(1), "{}", String::from_utf8_lossy(&first.stderr));
    let load = &summary(&first)["load"];
    assert_eq!(
        (&load["rows"], &load["loaded"], &load["already_present"], &load["held_back"]),
        (&Value::from(7), &Value::from(1), &Value::from(1), &Value::from(5))
    );
    assert_eq!(load["enrolments_added"], 1);
    let codes: Vec<(u64, String)> = lines_with(&first, "code")
        .iter()
        .map(|f| (f["row"].as_u64().unwrap(), f["code"].as_str().unwrap().to_owned()))
        .collect();
    for expected in [
        (4, "platform.occupied"),
        (5, "dup.identical"),
        (6, "id.check"),
        (7, "line.unknown"),
        (8, "entry.incomplete"),
    ] {
        assert!(codes.contains(&(expected.0, expected.1.to_owned())), "{expected:?} in {codes:?}");
    }
    let merges = lines_with(&first, "merge_candidate");
    assert_eq!(merges.len(), 1);
    assert_eq!(merges[0]["merge_candidate"]["line"], "pension");
    assert_eq!(merges[0]["merge_candidate"]["row"], 5);
    assert_eq!(merges[0]["merge_candidate"]["related_row"], 2);
    assert_eq!(merges[0]["merge_candidate"]["agency"], "哈尔滨市南岗区社会保险事业局");

    // The platform: 李娜 entered with her pension enrolment; 张三 gained the unemployment
    // enrolment; 钱七 kept the name; the journal names the file and row.
    assert_eq!(count(&url, "SELECT COUNT(*) FROM persons").await, 3);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM persons WHERE name = '王芳'").await, 0);
    let enrolled = "SELECT COUNT(*) FROM enrolments e JOIN persons p ON p.id = e.person_id \
                    WHERE (p.name = '李娜' AND e.line = 'pension') \
                    OR (p.name = '张三' AND e.line = 'unemployment')";
    assert_eq!(count(&url, enrolled).await, 2);
    let journaled = "SELECT COUNT(*) FROM journal WHERE action = 'person.created' \
                     AND after_json LIKE '%\"row\":2%' AND after_json LIKE '%legacy.csv%'";
    assert_eq!(count(&url, journaled).await, 1);

    // The review list: the five rows held back, in the columns an import reads again.
    let text = std::fs::read_to_string(review).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 6, "{text}");
    assert!(rows[0].starts_with("\u{feff}身份号码,姓名,"), "{}", rows[0]);
    assert!(rows[1].contains("王芳") && rows[1].contains("platform.occupied"), "{}", rows[1]);
    assert!(rows[1].contains("失业保险,哈尔滨市南岗区社会保险事业局,"), "{}", rows[1]);
    let again = personbase(&[
        "import",
        review,
        "--format",
        "json",
        "--quiet",
        "--db",
        &url,
        "--operator",
        "si",
        "--review",
        dir.path().join("review2.csv").to_str().unwrap(),
    ]);
    assert_eq!(summary(&again)["load"]["rows"], 5);

    // A second run loads nothing twice.
    let second = personbase(&apply);
    let load = &summary(&second)["load"];
    assert_eq!((&load["loaded"], &load["already_present"]), (&Value::from(0), &Value::from(2)));
    assert_eq!(load["enrolments_added"], 0);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM persons").await, 3);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM enrolments").await, 2);

    let verify = personbase(&["audit", "verify", "--db", &url]);
    assert_eq!(verify.status.code(), Some(0), "{}", String::from_utf8_lossy(&verify.stdout));
}

#[test]
fn apply_needs_a_database_and_an_operator() {
    let missing_db = personbase(&["import", "x.csv", "--apply"]);
    assert_eq!(missing_db.status.code(), Some(2));
    let missing_operator =
        personbase(&["import", "x.csv", "--apply", "--db", "sqlite:///nonexistent.db"]);
    assert_eq!(missing_operator.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn rows_that_differ_from_the_registry_are_loaded_with_its_values_and_reported_field_by_field()
{
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let (zhang, qian) = (number(230103, "19491231", 3), number(230103, "19600606", 11));
    let store = platform(&url, &zhang, &qian).await;
    let (li, sun, zhou) = (
        number(230103, "19850505", 2),
        number(230103, "19900101", 13),
        number(230103, "19770707", 25),
    );
    let registry = format!(
        "ssn,name,gender,birth_date,ethnicity,household_address\n\
         {li},李丽娜,女,1985-05-05,满族,黑龙江省哈尔滨市南岗区学府路9号\n\
         {zhou},周杰,男,1977-07-07,汉族,黑龙江省哈尔滨市南岗区学府路5号\n"
    );
    store.load_registry(registry.as_bytes(), b',').await.unwrap();
    store.close().await;
    let file = dir.path().join("legacy.csv");
    let rows = [
        "姓名,性别,民族,出生日期,身份证号,户口性质,户籍住址".to_owned(),
        // 2: differs from the registry in name, ethnicity and address.
        format!("李娜,女,汉族,1985-05-05,{li},非农业户口,黑龙江省哈尔滨市南岗区学府路2号"),
        // 3: a number the registry does not have: nothing to compare.
        format!("孙浩,男,汉族,1990-01-01,{sun},非农业户口,黑龙江省哈尔滨市南岗区学府路4号"),
        // 4: as the registry has it.
        format!("周杰,男,汉族,1977-07-07,{zhou},非农业户口,黑龙江省哈尔滨市南岗区学府路5号"),
    ];
    std::fs::write(&file, rows.join("\n") + "\n").unwrap();
    let review = dir.path().join("review.csv");
    let url = format!("sqlite://{}", db.display());
    let (file, review_arg) = (file.to_str().unwrap(), review.to_str().unwrap());
    let args = ["import", file, "--format", "json", "--quiet", "--db", &url, "--operator", "si"];
    let mut apply = args.to_vec();
    apply.extend(["--review", review_arg, "--apply"]);

    let output = personbase(&apply);

    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let load = &summary(&output)["load"];
    assert_eq!((&load["loaded"], &load["held_back"]), (&Value::from(3), &Value::from(0)));
    let found: Vec<(u64, String, String, String, String)> = lines_with(&output, "code")
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap().to_owned();
            (
                f["row"].as_u64().unwrap(),
                text("code"),
                text("column"),
                text("value"),
                text("message"),
            )
        })
        .collect();
    let differs = |column: &str, value: &str, registry: &str| {
        let message = format!("户籍库记载为“{registry}”，录入平台的是户籍库的值（R2.8）");
        (2, "registry.differs".to_owned(), column.to_owned(), value.to_owned(), message)
    };
    assert_eq!(
        found,
        vec![
            differs("姓名", "李娜", "李丽娜"),
            differs("民族", "汉族", "满族"),
            differs(
                "户籍住址",
                "黑龙江省哈尔滨市南岗区学府路2号",
                "黑龙江省哈尔滨市南岗区学府路9号"
            ),
        ]
    );
    assert_eq!(summary(&output)["summary"]["rows_with_findings"], 0);
    assert!(!review.exists(), "nothing is held back, so there is no review list");
    let stored = "SELECT COUNT(*) FROM persons WHERE name = '李丽娜' AND ethnicity = '11' \
                  AND household_address LIKE '%学府路9号'";
    assert_eq!(count(&url, stored).await, 1);

    // The dry run against the platform says the same, before anything is written.
    let again = personbase(&args);
    let load = &summary(&again)["load"];
    assert_eq!((&load["loaded"], &load["already_present"]), (&Value::from(0), &Value::from(3)));
}
