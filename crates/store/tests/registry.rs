//! Loading the registry snapshot: one transaction, a bad row named by line and field.

mod common;

use common::{ssn, world};

fn csv(rows: &[String]) -> String {
    let mut text = "ssn,name,gender,birth_date,ethnicity,household_address\n".to_owned();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

#[tokio::test]
async fn a_snapshot_is_loaded_and_read() {
    let w = world().await;
    let a = ssn("23010319900101123");
    let b = ssn("23010319850505002");
    let text = csv(&[
        format!("{a},张伟,男,1990-01-01,汉族,黑龙江省哈尔滨市南岗区学府路1号"),
        format!("{b},李娜,2,1985-05-05,01,黑龙江省哈尔滨市道里区中央大街2号"),
    ]);

    assert_eq!(w.store.load_registry_csv(text.as_bytes()).await.unwrap(), 2);

    let record = w.store.registry_record(&b).await.unwrap().unwrap();
    assert_eq!(record.name.as_str(), "李娜");
    assert_eq!(w.actions().await.last().unwrap(), "registry.loaded");
}

#[tokio::test]
async fn a_bad_row_names_its_line_and_field_and_loads_nothing() {
    let w = world().await;
    let a = ssn("23010319900101123");
    let b = ssn("23010319850505002");
    let good = csv(&[format!("{a},张伟,男,1990-01-01,汉族,黑龙江省哈尔滨市南岗区学府路1号")]);
    w.store.load_registry_csv(good.as_bytes()).await.unwrap();

    let bad = csv(&[
        format!("{b},李娜,2,1985-05-05,01,黑龙江省哈尔滨市道里区中央大街2号"),
        format!("{a},张伟,X,1990-01-01,01,黑龙江省哈尔滨市南岗区学府路1号"),
    ]);
    let err = w.store.load_registry_csv(bad.as_bytes()).await.unwrap_err();

    assert_eq!(err.code(), "invalid_input");
    assert!(err.message_zh().starts_with("line 3, gender"), "{}", err.message_zh());
    assert!(w.store.registry_record(&a).await.unwrap().is_some(), "the old snapshot stays");
    assert!(w.store.registry_record(&b).await.unwrap().is_none());
}

#[tokio::test]
async fn a_number_twice_is_a_bad_row() {
    let w = world().await;
    let a = ssn("23010319900101123");
    let row = format!("{a},张伟,男,1990-01-01,汉族,黑龙江省哈尔滨市南岗区学府路1号");

    let err = w.store.load_registry_csv(csv(&[row.clone(), row]).as_bytes()).await.unwrap_err();

    assert!(err.message_zh().starts_with("line 3, ssn"), "{}", err.message_zh());
}

#[tokio::test]
async fn a_wrong_header_is_refused() {
    let w = world().await;
    let err = w.store.load_registry_csv("number,name\n".as_bytes()).await.unwrap_err();
    assert!(err.message_zh().starts_with("line 1"), "{}", err.message_zh());
}

#[tokio::test]
async fn a_reload_counts_new_changed_and_removed_and_journals_them() {
    let w = world().await;
    let (a, b, c) = (ssn("23010319900101123"), ssn("23010319850505002"), ssn("23010319700707001"));
    let first = csv(&[
        format!("{a},张伟,男,1990-01-01,汉族,黑龙江省哈尔滨市南岗区学府路1号"),
        format!("{b},李娜,2,1985-05-05,01,黑龙江省哈尔滨市道里区中央大街2号"),
    ]);
    w.store.load_registry(first.as_bytes(), b',').await.unwrap();

    // Columns in another order, an extra column, a date without dashes.
    let second = format!(
        "name,ssn,extra,gender,birth_date,ethnicity,household_address\n\
         张玮,{a},x,男,19900101,汉族,黑龙江省哈尔滨市南岗区学府路1号\n\
         王芳,{c},x,男,1970/07/07,汉族,黑龙江省哈尔滨市香坊区红旗大街3号\n"
    );
    let load = w.store.load_registry(second.as_bytes(), b',').await.unwrap();

    assert_eq!(load, personbase_store::RegistryLoad { records: 2, new: 1, changed: 1, removed: 1 });
    assert_eq!(w.store.registry_record(&a).await.unwrap().unwrap().name.as_str(), "张玮");
    assert!(w.store.registry_record(&b).await.unwrap().is_none());
    let last = w.store.journal(0, 100).await.unwrap().pop().unwrap();
    assert_eq!(last.action, "registry.loaded");
    assert_eq!(last.after["changed"], 1);
}

#[tokio::test]
async fn the_comparison_pages_in_id_order_and_names_each_differing_field_and_the_holders() {
    let w = world().await;
    let same = w.enter("23010319900101123", "张伟").await;
    let differs = w.enter("23010319850505002", "李娜").await;
    let absent = w.enter("23010319700707001", "王芳").await;
    let outside = w.enter("11010519491231002", "赵敏").await;
    w.store.enrol(&w.pension_key, differs.id).await.unwrap();
    w.store.enrol(&w.employment_key, differs.id).await.unwrap();
    let text = csv(&[
        format!("{},张伟,男,1990-01-01,汉族,黑龙江省哈尔滨市南岗区学府路1号", same.ssn),
        format!("{},李那,女,1985-05-05,满族,黑龙江省哈尔滨市南岗区学府路1号", differs.ssn),
    ]);
    w.store.load_registry_csv(text.as_bytes()).await.unwrap();

    let mut findings = Vec::new();
    let (mut after, mut compared, mut outside_count) = (personbase_domain::PersonId(0), 0, 0);
    while let Some(last) = {
        let page = w.store.compare_with_registry(after, 3).await.unwrap();
        compared += page.compared;
        outside_count += page.outside;
        findings.extend(page.findings);
        page.last
    } {
        after = last;
    }

    assert_eq!((compared, outside_count), (4, 1));
    assert!(!findings.iter().any(|f| f.person.id == outside.id));
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0].person.id, differs.id);
    let mut holders = vec![w.insurance.id, w.employment.id];
    holders.sort();
    assert_eq!(findings[0].holders, holders);
    let personbase_store::Discrepancy::Differs(diffs) = &findings[0].discrepancy else {
        panic!("expected differences")
    };
    let fields: Vec<_> = diffs
        .iter()
        .map(|d| (d.field.code(), d.before.clone().unwrap(), d.after.clone().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "李娜".to_owned(), "李那".to_owned()),
            ("ethnicity", "01".to_owned(), "11".to_owned()),
        ]
    );
    assert_eq!(findings[1].person.id, absent.id);
    assert_eq!(findings[1].discrepancy, personbase_store::Discrepancy::Absent);
    assert!(findings[1].holders.is_empty());
}

#[tokio::test]
async fn a_number_repeated_in_a_later_batch_names_the_later_line() {
    let w = world().await;
    let rows: Vec<String> = (0..70)
        .map(|i| {
            let n = ssn(&format!("230103199001{:02}{:03}", i % 28 + 1, 100 + i));
            format!(
                "{n},张伟,{},1990-01-{:02},汉族,黑龙江省哈尔滨市南岗区学府路1号",
                n.gender().unwrap().code(),
                i % 28 + 1
            )
        })
        .collect();
    let mut all = rows.clone();
    all.push(rows[0].clone());

    let err = w.store.load_registry_csv(csv(&all).as_bytes()).await.unwrap_err();

    assert!(err.message_zh().starts_with("line 72, ssn"), "{}", err.message_zh());
    assert_eq!(w.store.registry_record(&ssn("23010319900101100")).await.unwrap(), None);
}
