//! The hash chain finds an edited, removed or reordered journal row in a database file.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail the test")]

mod common;

use common::{name, proposal, temp_db, world_at};
use personbase_domain::FieldChanges;
use personbase_store::{ActorRef, FaultKind};
use sqlx::sqlite::SqlitePoolOptions;

/// A file database with a few journaled changes; returns its path and URL.
async fn journaled_file(test: &str) -> (std::path::PathBuf, String) {
    let (path, url) = temp_db(test);
    let w = world_at(&url).await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    w.store
        .propose_change(ActorRef::Operator(&w.employment_op), p.id, proposal(changes), "更正", None)
        .await
        .unwrap();
    let report = w.store.verify_journal().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert!(report.entries > 5);
    w.store.close().await;
    (path, url)
}

/// Runs raw SQL on the file, as someone with access to the database would.
async fn tamper(url: &str, sql: &'static str) {
    let pool = SqlitePoolOptions::new().max_connections(1).connect(url).await.unwrap();
    let done = sqlx::query(sql).execute(&pool).await.unwrap();
    assert_eq!(done.rows_affected(), 1);
    pool.close().await;
}

async fn verify(url: &str) -> personbase_store::VerifyReport {
    let w = world_at_existing(url).await;
    w.verify_journal().await.unwrap()
}

async fn world_at_existing(url: &str) -> personbase_store::Store {
    let clock = std::sync::Arc::new(personbase_domain::FixedClock::at_noon(common::today()));
    personbase_store::Store::open(url, personbase_domain::Policy::default(), clock).await.unwrap()
}

fn cleanup(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn an_edited_row_is_named() {
    let (path, url) = journaled_file("edited").await;

    tamper(&url, "UPDATE journal SET after_json = '{\"name\":\"王五\"}' WHERE seq = 3").await;

    let fault = verify(&url).await.first_bad.expect("a fault");
    assert_eq!((fault.seq, fault.kind), (3, FaultKind::Edited));
    assert_eq!(fault.kind.reason(), "hash mismatch (edited)");
    cleanup(&path);
}

#[tokio::test]
async fn a_deleted_row_is_named() {
    let (path, url) = journaled_file("deleted").await;

    tamper(&url, "DELETE FROM journal WHERE seq = 4").await;

    let fault = verify(&url).await.first_bad.expect("a fault");
    assert_eq!((fault.seq, fault.kind), (4, FaultKind::Removed));
    cleanup(&path);
}

#[tokio::test]
async fn a_row_moved_to_the_end_leaves_a_gap() {
    let (path, url) = journaled_file("rehashed").await;

    // Moving row 5 to the end keeps its hash valid but not its place.
    tamper(&url, "UPDATE journal SET seq = 1000 WHERE seq = 5").await;

    let fault = verify(&url).await.first_bad.expect("a fault");
    assert_eq!((fault.seq, fault.kind), (5, FaultKind::Removed));
    cleanup(&path);
}

#[tokio::test]
async fn a_swapped_pair_is_found() {
    let (path, url) = journaled_file("swapped").await;

    // Swap the contents of rows 2 and 3 including their hashes, keeping the numbers.
    tamper(&url, "UPDATE journal SET seq = -2 WHERE seq = 2").await;
    tamper(&url, "UPDATE journal SET seq = 2 WHERE seq = 3").await;
    tamper(&url, "UPDATE journal SET seq = 3 WHERE seq = -2").await;

    let fault = verify(&url).await.first_bad.expect("a fault");
    assert_eq!(fault.seq, 2);
    assert_eq!(fault.kind, FaultKind::Edited, "the number is part of the hashed content");
    cleanup(&path);
}

#[tokio::test]
async fn a_column_of_the_wrong_type_is_an_edit() {
    let (path, url) = journaled_file("retyped").await;

    tamper(&url, "UPDATE journal SET operator_id = 'someone' WHERE seq = 2").await;

    let fault = verify(&url).await.first_bad.expect("a fault");
    assert_eq!((fault.seq, fault.kind), (2, FaultKind::Edited));
    assert!(fault.detail.contains("operator_id"), "{}", fault.detail);
    cleanup(&path);
}
