//! A stored row that no longer parses is reported as corrupt, naming table, row and field,
//! never as "not found".

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail the test")]

mod common;

use common::{temp_db, world_at};
use personbase_store::StoreError;
use sqlx::sqlite::SqlitePoolOptions;

#[tokio::test]
async fn an_unparsable_number_is_corrupt_not_missing() {
    let (path, url) = temp_db("corrupt");
    let w = world_at(&url).await;
    let p = w.enter("23010319900101123", "张伟").await;

    let raw = SqlitePoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    sqlx::query("UPDATE persons SET ssn = '12345' WHERE id = $1")
        .bind(p.id.0)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;

    let err = w.store.person(p.id).await.unwrap_err();
    match &err {
        StoreError::Corrupt { table, row, field, .. } => {
            assert_eq!(
                (*table, row.as_str(), *field),
                ("persons", format!("id={}", p.id).as_str(), "ssn")
            );
        }
        other => panic!("expected corrupt, got {other:?}"),
    }
    assert_eq!(err.code(), "corrupt_row");
    w.store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
