//! The built `personbase` binary against a database file: `audit verify` finds an edited
//! journal row and names it; `overdue` lists a request left open since yesterday; a missing
//! database is a system error (exit 2).

#![allow(clippy::unwrap_used, reason = "test helpers: a failure here is a test failure")]

use std::process::{Command, Output};
use std::sync::Arc;

use chrono::{Duration, Utc};
use personbase_domain::rules::{InputSource, Proposal};
use personbase_domain::{
    Address, AgencyKind, BusinessLine, FieldChanges, FixedClock, Level, NewPerson, PersonName,
    Policy, Role,
};
use personbase_identity::{Ethnicity, HouseholdType, SocialSecurityNumber};
use personbase_store::{ActorRef, Store};

fn personbase(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_personbase")).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A database file with one agency, one operator and a person enrolled in two lines with a
/// request waiting for the person; the store runs on `clock`.
async fn fixture(url: &str, clock: FixedClock) -> Store {
    let store = Store::open(url, Policy::default(), Arc::new(clock)).await.unwrap();
    let agency = store
        .create_agency("南岗区社会保险事业局", AgencyKind::SocialInsurance, Level::County, 230103)
        .await
        .unwrap();
    let operator =
        store.create_operator("si", "经办员", agency.id, &[Role::Handler], "hash").await.unwrap();
    let pension =
        store.create_api_key("k1", "养老", BusinessLine::Pension, agency.id).await.unwrap();
    let medical =
        store.create_api_key("k2", "医疗", BusinessLine::Medical, agency.id).await.unwrap();
    {
        let ssn = SocialSecurityNumber::parse("11010519491231002X").unwrap();
        let entry = NewPerson {
            ssn,
            name: PersonName::parse("张三").unwrap(),
            gender: None,
            birth_date: None,
            ethnicity: Ethnicity::Han,
            household_address: Address::parse("黑龙江省哈尔滨市南岗区学府路1号").unwrap(),
            household_type: HouseholdType::from_code("10").unwrap(),
            home_address: None,
            phone: None,
        };
        let person =
            store.enter_person(&operator, entry, InputSource::CardReader, "录入").await.unwrap();
        store.enrol(&pension, person.id).await.unwrap();
        store.enrol(&medical, person.id).await.unwrap();
        let changes = FieldChanges {
            household_type: HouseholdType::from_code("20"),
            ..FieldChanges::default()
        };
        let proposal = Proposal { changes, source: InputSource::CardReader, documents: vec![] };
        store
            .propose_change(
                ActorRef::Operator(&operator),
                person.id,
                proposal,
                "户籍性质变更",
                None,
            )
            .await
            .unwrap();
    }
    store
}

#[tokio::test]
async fn audit_verify_names_the_edited_journal_entry() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("pb.db").display());
    fixture(&url, FixedClock(Utc::now())).await.close().await;

    let intact = personbase(&["audit", "verify", "--db", &url]);
    assert_eq!(intact.status.code(), Some(0), "{}", stdout(&intact));
    assert!(stdout(&intact).contains("审计日志完好"), "{}", stdout(&intact));

    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("UPDATE journal SET reason = 'nothing to see' WHERE seq = 5")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let broken = personbase(&["audit", "verify", "--db", &url]);
    assert_eq!(broken.status.code(), Some(1), "{}", stdout(&broken));
    let text = stdout(&broken);
    assert!(text.contains("第 5 条"), "{text}");
    assert!(text.contains("hash mismatch (edited)"), "{text}");
}

#[tokio::test]
async fn overdue_lists_requests_left_open_since_yesterday() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("pb.db").display());

    let none = personbase(&["overdue", "--db", &url]);
    assert_eq!(none.status.code(), Some(2), "a missing database is a system error");

    fixture(&url, FixedClock(Utc::now() - Duration::days(1))).await.close().await;
    let listed = personbase(&["overdue", "--db", &url]);
    let text = stdout(&listed);
    assert_eq!(listed.status.code(), Some(1), "{text}");
    assert!(text.contains("共 1 件"), "{text}");
    assert!(text.contains("待本人确认"), "{text}");
}

#[tokio::test]
async fn audit_verify_of_a_file_that_is_not_a_personbase_database_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let other = dir.path().join("other.db");
    let other_url = format!("sqlite://{}?mode=rwc", other.display());
    let pool = sqlx::SqlitePool::connect(&other_url).await.unwrap();
    sqlx::query("CREATE TABLE foo (x)").execute(&pool).await.unwrap();
    pool.close().await;
    let before = std::fs::read(&other).unwrap();

    for url in [format!("sqlite://{}", empty.display()), other_url] {
        let verify = personbase(&["audit", "verify", "--db", &url]);
        assert_eq!(verify.status.code(), Some(2), "{url}: {}", stdout(&verify));
        assert!(!stdout(&verify).contains("审计日志完好"), "{url}");
        let overdue = personbase(&["overdue", "--db", &url]);
        assert_eq!(overdue.status.code(), Some(2), "{url}: {}", stdout(&overdue));
    }
    assert!(std::fs::read(&empty).unwrap().is_empty(), "the empty file stays empty");
    assert_eq!(std::fs::read(&other).unwrap(), before, "the other database is not migrated");
}
