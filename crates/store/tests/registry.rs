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
