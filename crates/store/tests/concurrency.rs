//! Writers on one file database are serialised: two changes made against the same version
//! cannot both take effect.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail the test")]

mod common;

use common::{name, proposal, temp_db, world_at};
use personbase_domain::FieldChanges;
use personbase_store::{ActorRef, StoreError};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_changes_against_one_version_give_one_conflict() {
    let (path, url) = temp_db("concurrent");
    let w = world_at(&url).await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();

    let mut tasks = Vec::new();
    for new_name in ["张卫", "张玮", "张维", "张威"] {
        let store = w.store.clone();
        let operator = w.employment_op.clone();
        tasks.push(tokio::spawn(async move {
            let changes = FieldChanges { name: Some(name(new_name)), ..FieldChanges::default() };
            store
                .propose_change(
                    ActorRef::Operator(&operator),
                    p.id,
                    proposal(changes),
                    "更正",
                    Some(1),
                )
                .await
        }));
    }
    let mut effective = 0;
    let mut conflicts = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => effective += 1,
            Err(StoreError::Conflict { current_version: 2 }) => conflicts += 1,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    assert_eq!((effective, conflicts), (1, 3));
    assert_eq!(w.store.person(p.id).await.unwrap().version, 2);
    assert!(w.store.verify_journal().await.unwrap().is_intact());
    w.store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
