//! The bulk loader of the legacy import: one transaction per batch, the rules of entry per
//! row, the journal's chain continued, nothing entered twice.

#![allow(clippy::unwrap_used, reason = "test helpers fail the test")]

mod common;

use common::{new_person, ssn, world};
use personbase_domain::rules::RuleId;
use personbase_domain::{BusinessLine, Field};
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
    assert_eq!(checked[0], BulkOutcome::Accepted { registry_differences: vec![] });
    assert_eq!(checked[1], BulkOutcome::AlreadyPresent { person: held.id, enrolment_added: false });
    assert!(w.store.person_by_ssn(&ssn("23010319850505002")).await.unwrap().is_none());

    let first = w.store.load_batch(&w.employment_op, &rows, BulkMode::Load).await.unwrap();
    let BulkOutcome::Loaded { person, .. } = first[0] else { panic!("{:?}", first[0]) };
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

const NAMES: [&str; 8] = ["李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰"];

/// The numbers of held records: `23010319900101` and three digits.
fn held_number(i: usize) -> String {
    format!("23010319900101{:03}", i % 1000)
}

/// A batch of `n` rows mixing every case: new records with and without an enrolment, records
/// already held (with a new line), numbers held by someone else, registry records that
/// differ, a number repeated right after its first row (same person, or another name), and
/// repeats placed on the chunk boundary (rows 64 and 65 repeat rows 63 and 0).
fn mixed_rows(n: usize, w: &common::World) -> Vec<BulkRow> {
    let mut rows: Vec<BulkRow> = Vec::with_capacity(n);
    for i in 0..n {
        let number = format!("23010319850505{i:03}");
        let name = NAMES[i % NAMES.len()];
        let file_row = i as u64 + 2;
        let line = match i % 3 {
            0 => None,
            1 => Some(BusinessLine::Pension),
            _ => Some(BusinessLine::Medical),
        };
        let next = if i == 64 || i == 65 {
            let first = &rows[if i == 64 { 63 } else { 0 }];
            let mut again = first.clone();
            again.row = file_row;
            if i == 65 {
                again.person.name = common::name("孙丽");
            }
            again.enrolment = Some((BusinessLine::Unemployment, w.insurance.id));
            again
        } else if i % 10 == 3 {
            row(file_row, &held_number(i), "张伟", Some(BusinessLine::Medical), w)
        } else if i % 10 == 7 {
            row(file_row, &held_number(i), "王强", line, w)
        } else if i % 13 == 5 {
            let mut again = rows[i - 1].clone();
            again.row = file_row;
            again.enrolment = Some((BusinessLine::WorkInjury, w.insurance.id));
            again
        } else if i % 17 == 9 {
            let mut again = rows[i - 1].clone();
            again.row = file_row;
            again.person.name = common::name("孙丽");
            again
        } else {
            row(file_row, &number, name, line, w)
        };
        rows.push(next);
    }
    rows
}

/// The registry: a record for every fourth new number, under another name.
fn registry_csv(n: usize) -> String {
    let mut csv = "ssn,name,gender,birth_date,ethnicity,household_address\n".to_owned();
    for i in (0..n).filter(|i| i % 4 == 0) {
        let number = ssn(&format!("23010319850505{i:03}"));
        let gender = if i % 2 == 1 { "男" } else { "女" };
        csv.push_str(&format!(
            "{number},吴{},{gender},1985-05-05,01,黑龙江省哈尔滨市南岗区学府路1号\n",
            NAMES[i % NAMES.len()]
        ));
    }
    csv
}

/// A world with the held records and the registry of [`mixed_rows`].
async fn mixed_world(n: usize) -> common::World {
    let w = world().await;
    for i in (0..n).filter(|i| i % 10 == 3 || i % 10 == 7) {
        w.enter(&held_number(i), "张伟").await;
    }
    w.store.load_registry(registry_csv(n).as_bytes(), b',').await.unwrap();
    w
}

/// The journal after `seq`, without the hashes (the worlds' set-up entries differ).
async fn entries_after(w: &common::World, seq: i64) -> Vec<serde_json::Value> {
    let entries = w.store.journal(seq, 10_000).await.unwrap();
    entries
        .into_iter()
        .map(|e| {
            serde_json::json!([
                e.seq, e.at, e.operator, e.agency, e.action, e.person, e.request, e.before,
                e.after, e.reason
            ])
        })
        .collect()
}

#[tokio::test]
async fn a_batch_in_chunks_does_exactly_what_its_rows_one_by_one_do() {
    // Chunks hold 64 rows: one short, exact, one over, and two chunks and more.
    for n in [1, 63, 64, 65, 130] {
        let whole = mixed_world(n).await;
        let single = mixed_world(n).await;
        let rows = mixed_rows(n, &whole);
        let head = whole.store.journal(0, 10_000).await.unwrap().last().unwrap().seq;
        assert_eq!(single.store.journal(0, 10_000).await.unwrap().last().unwrap().seq, head);

        let checked = whole.store.load_batch(&whole.employment_op, &rows, BulkMode::Check);
        let checked = checked.await.unwrap();
        assert_eq!(whole.store.journal(head, 10).await.unwrap(), vec![]);

        let outcomes = whole.store.load_batch(&whole.employment_op, &rows, BulkMode::Load);
        let outcomes = outcomes.await.unwrap();
        let mut one_by_one = Vec::new();
        let mut checked_one_by_one = Vec::new();
        for r in &rows {
            let one = std::slice::from_ref(r);
            let check = single.store.load_batch(&single.employment_op, one, BulkMode::Check);
            checked_one_by_one.extend(check.await.unwrap());
            let load = single.store.load_batch(&single.employment_op, one, BulkMode::Load);
            one_by_one.extend(load.await.unwrap());
        }
        assert_eq!(outcomes, one_by_one, "{n} rows");
        assert_eq!(entries_after(&whole, head).await, entries_after(&single, head).await);

        // The dry run decides as the load does, except that its rows do not see each other.
        assert_eq!(checked.len(), n);
        for (i, (check, load)) in checked.iter().zip(&outcomes).enumerate() {
            let repeat = i == 64 || i == 65 || (i % 13 == 5 && i % 10 != 3 && i % 10 != 7);
            let repeat = repeat || (i % 17 == 9 && i % 10 != 3 && i % 10 != 7 && i % 13 != 5);
            match (check, load) {
                (
                    BulkOutcome::Accepted { registry_differences: a },
                    BulkOutcome::Loaded { registry_differences: b, .. },
                ) => assert_eq!(a, b, "row {i} of {n}"),
                (
                    BulkOutcome::AlreadyPresent { person: a, .. },
                    BulkOutcome::AlreadyPresent { person: b, .. },
                ) => assert_eq!(a, b),
                (BulkOutcome::Refused(a), BulkOutcome::Refused(b)) => assert_eq!(a, b),
                (BulkOutcome::Accepted { .. }, _) if repeat => {}
                other => panic!("row {i} of {n}: {other:?}"),
            }
        }

        let kinds = |outcomes: &[BulkOutcome]| {
            let loaded = outcomes.iter().filter(|o| matches!(o, BulkOutcome::Loaded { .. }));
            let present =
                outcomes.iter().filter(|o| matches!(o, BulkOutcome::AlreadyPresent { .. }));
            (loaded.count(), present.count())
        };
        let (loaded, present) = kinds(&outcomes);
        assert!(loaded > 0);
        if n > 10 {
            assert!(present > 0);
            assert!(outcomes.iter().any(|o| matches!(o, BulkOutcome::Refused(_))));
            let actions = whole.actions().await;
            assert!(actions.iter().any(|a| a == "person.registry_differs"));
        }

        // Loaded again: nothing new; every loaded row is present now.
        let again = whole.store.load_batch(&whole.employment_op, &rows, BulkMode::Load);
        let again = again.await.unwrap();
        assert_eq!(kinds(&again), (0, loaded + present), "{n} rows");
        for (first, second) in outcomes.iter().zip(&again) {
            match (first, second) {
                (
                    BulkOutcome::Loaded { person, .. } | BulkOutcome::AlreadyPresent { person, .. },
                    BulkOutcome::AlreadyPresent { person: p, enrolment_added: false },
                ) => assert_eq!(person, p),
                (BulkOutcome::Refused(_), BulkOutcome::Refused(_)) => {}
                other => panic!("{n} rows, again: {other:?}"),
            }
        }
        assert_eq!(whole.store.verify_journal().await.unwrap().first_bad, None);
        assert_eq!(single.store.verify_journal().await.unwrap().first_bad, None);
    }
}

#[tokio::test]
async fn a_number_twice_in_one_batch_sees_its_first_row() {
    let w = world().await;
    let rows = vec![
        row(2, "23010319850505002", "李娜", Some(BusinessLine::Pension), &w),
        // The same person again, another line: the record just entered gets it.
        row(3, "23010319850505002", "李娜", Some(BusinessLine::Medical), &w),
        // The same line again: nothing to open.
        row(4, "23010319850505002", "李娜", Some(BusinessLine::Pension), &w),
        // Another name: the number is occupied by the record of row 2.
        row(5, "23010319850505002", "王芳", None, &w),
    ];
    let outcomes = w.store.load_batch(&w.employment_op, &rows, BulkMode::Load).await.unwrap();
    let BulkOutcome::Loaded { person, .. } = outcomes[0] else { panic!("{:?}", outcomes[0]) };
    assert_eq!(outcomes[1], BulkOutcome::AlreadyPresent { person, enrolment_added: true });
    assert_eq!(outcomes[2], BulkOutcome::AlreadyPresent { person, enrolment_added: false });
    let BulkOutcome::Refused(refusal) = &outcomes[3] else { panic!("{:?}", outcomes[3]) };
    assert_eq!(refusal.rule, RuleId::OccupiedNumber);
    assert_eq!(w.store.person_details(person).await.unwrap().enrolments.len(), 2);
    assert_eq!(w.store.verify_journal().await.unwrap().first_bad, None);
}

#[tokio::test]
async fn the_registry_prevails_and_the_outcome_says_what_differed() {
    let w = world().await;
    let registry = format!(
        "ssn,name,gender,birth_date,ethnicity,household_address\n\
         {},李丽娜,女,1985-05-05,03,黑龙江省哈尔滨市南岗区学府路1号\n",
        ssn("23010319850505002")
    );
    w.store.load_registry(registry.as_bytes(), b',').await.unwrap();
    let rows = vec![
        // In the registry under another name and ethnicity: the registry's values are stored.
        row(2, "23010319850505002", "李娜", None, &w),
        // A number the registry lacks: nothing to compare (`registry reconcile` lists it).
        row(3, "23010319850505010", "王芳", None, &w),
    ];

    let checked = w.store.load_batch(&w.employment_op, &rows, BulkMode::Check).await.unwrap();
    let loaded = w.store.load_batch(&w.employment_op, &rows, BulkMode::Load).await.unwrap();

    let registry_of = |o: &BulkOutcome| match o {
        BulkOutcome::Loaded { registry_differences, .. }
        | BulkOutcome::Accepted { registry_differences } => registry_differences.clone(),
        other => panic!("{other:?}"),
    };
    for outcomes in [&checked, &loaded] {
        let first = registry_of(&outcomes[0]);
        let fields: Vec<_> = first
            .iter()
            .map(|d| (d.field, d.before.clone().unwrap(), d.after.clone().unwrap()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (Field::Name, "李娜".to_owned(), "李丽娜".to_owned()),
                (Field::Ethnicity, "01".to_owned(), "03".to_owned()),
            ]
        );
        assert_eq!(registry_of(&outcomes[1]), Vec::new());
    }
    let BulkOutcome::Loaded { person, .. } = loaded[0] else { panic!("{:?}", loaded[0]) };
    assert_eq!(w.store.person(person).await.unwrap().name.as_str(), "李丽娜");
}
