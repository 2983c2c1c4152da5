//! Citizens' self-service sessions: kept by hash, alive while used, ended after a stretch
//! without use, at their hard expiry, or when deleted; ended ones are cleared on the way.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::world;

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000) + Duration::minutes(minutes)
}

#[tokio::test]
async fn a_citizen_session_lives_while_used_and_ends_idle_expired_or_deleted() {
    let w = world().await;
    let person = w.enter("23010319850312123", "张三").await.id;
    let idle = Duration::minutes(30);
    let store = &w.store;

    store.create_citizen_session("hash-a", person, at(0), idle, at(8 * 60)).await.unwrap();
    assert_eq!(store.citizen_session("hash-a", at(29), idle).await.unwrap(), Some(person));
    assert_eq!(store.citizen_session("hash-a", at(58), idle).await.unwrap(), Some(person));
    assert_eq!(store.citizen_session("hash-a", at(88), idle).await.unwrap(), None, "idle");
    assert_eq!(store.citizen_session("other", at(1), idle).await.unwrap(), None);

    store.create_citizen_session("hash-b", person, at(0), idle, at(60)).await.unwrap();
    assert_eq!(store.citizen_session("hash-b", at(25), idle).await.unwrap(), Some(person));
    assert_eq!(store.citizen_session("hash-b", at(50), idle).await.unwrap(), Some(person));
    assert_eq!(store.citizen_session("hash-b", at(60), idle).await.unwrap(), None, "expired");

    store.create_citizen_session("hash-c", person, at(100), idle, at(500)).await.unwrap();
    store.delete_citizen_session("hash-c").await.unwrap();
    assert_eq!(store.citizen_session("hash-c", at(101), idle).await.unwrap(), None);
}

#[tokio::test]
async fn a_session_for_no_record_is_refused() {
    let w = world().await;
    let missing = personbase_domain::PersonId(999);
    let refused =
        w.store.create_citizen_session("h", missing, at(0), Duration::minutes(30), at(60)).await;
    assert!(refused.is_err(), "the foreign key holds");
}
