//! The bulk loader of the legacy import: one transaction per batch, the rules of entry per
//! row, the journal's chain continued, nothing entered twice.

mod common;

use common::{new_person, ssn, world};
use personbase_domain::BusinessLine;
use personbase_domain::rules::RuleId;
use personbase_store::{BulkMode, BulkOutcome, BulkRow};

fn row(
    n: u64,
    first17: &str,
    name: &str,
    line: Option<BusinessLine>,
    w: &common::World,
) -> BulkRow {
    BulkRow {
        file: "legacy.csv".to_owned(),
        row: n,
        person: new_person(first17, name),
        enrolment: line.map(|l| (l, w.insurance.id)),
    }
}

#[tokio::test]
async fn rows_load_with_enrolments_and_a_second_load_enters_nothing_again() {
    let w = world().await;
    let held = w.enter("23010319900101123", "张伟").await;
    let rows = vec![
        row(2, "23010319850505002", "李娜", Some(BusinessLine::Pension), &w),
        // The same person as the record already held: only the enrolment is new.
        row(3, "23010319900101123", "张伟", Some(BusinessLine::Medical), &w),
        // Another name on a held number: occupied (R2.9), never overwritten.
        row(4, "23010319900101123", "王芳", Some(BusinessLine::Medical), &w),
    ];

    let checked = w.store.load_batch(&w.employment_op, &rows, BulkMode::Check).await.unwrap();
    assert_eq!(checked[0], BulkOutcome::Accepted);
    assert_eq!(checked[1], BulkOutcome::AlreadyPresent { person: held.id, enrolment_added: false });
    assert!(w.store.person_by_ssn(&ssn("23010319850505002")).await.unwrap().is_none());

    let first = w.store.load_batch(&w.employment_op, &rows, BulkMode::Load).await.unwrap();
    let BulkOutcome::Loaded { person } = first[0] else { panic!("{:?}", first[0]) };
    assert_eq!(first[1], BulkOutcome::AlreadyPresent { person: held.id, enrolment_added: true });
    let BulkOutcome::Refused(refusal) = &first[2] else { panic!("{:?}", first[2]) };
    assert_eq!(refusal.rule, RuleId::OccupiedNumber);
    assert_eq!(w.store.person(held.id).await.unwrap().name.as_str(), "张伟");

    let details = w.store.person_details(person).await.unwrap();
    assert_eq!(details.person.name.as_str(), "李娜");
    assert_eq!(details.enrolments.len(), 1);
    assert_eq!(details.enrolments[0].line, BusinessLine::Pension);
    assert_eq!(details.enrolments[0].agency, w.insurance.id);
    let created = w.store.journal(0, 1000).await.unwrap();
    let entry = created.iter().find(|e| e.person == Some(person)).unwrap();
    assert_eq!(entry.action, "person.created");
    assert_eq!(entry.after["source"]["file"], "legacy.csv");
    assert_eq!(entry.after["source"]["row"], 2);
    assert_eq!(entry.reason, "旧系统数据导入：legacy.csv 第 2 行");

    let again = w.store.load_batch(&w.employment_op, &rows, BulkMode::Load).await.unwrap();
    assert_eq!(again[0], BulkOutcome::AlreadyPresent { person, enrolment_added: false });
    assert_eq!(again[1], BulkOutcome::AlreadyPresent { person: held.id, enrolment_added: false });

    let report = w.store.verify_journal().await.unwrap();
    assert_eq!(report.first_bad, None);
    let actions = w.actions().await;
    let count = |a: &str| actions.iter().filter(|x| *x == a).count();
    assert_eq!(count("person.created"), 2);
    assert_eq!(count("enrolment.opened"), 2);
    assert_eq!(count("person.refused"), 2);
}

#[tokio::test]
async fn a_failed_batch_leaves_nothing_behind() {
    let w = world().await;
    let mut rows = vec![row(2, "23010319850505002", "李娜", None, &w)];
    let mut bad = row(3, "23010319850505010", "赵敏", Some(BusinessLine::Pension), &w);
    bad.enrolment = Some((BusinessLine::Pension, personbase_domain::AgencyId(9999)));
    rows.push(bad);
    let before = w.actions().await.len();

    assert!(w.store.load_batch(&w.employment_op, &rows, BulkMode::Load).await.is_err());

    assert!(w.store.person_by_ssn(&ssn("23010319850505002")).await.unwrap().is_none());
    assert_eq!(w.actions().await.len(), before);
}
