//! Failed password logins: 5 of one login within 15 minutes lock it for 15 minutes, an
//! unknown login exactly as a known one; 20 from one address lock the address; a success
//! clears the login's count; time is the store's clock.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure is a test failure")]

mod common;

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::world;
use personbase_domain::clock::FixedClock;
use personbase_store::{
    ADDRESS_FAILURE_LIMIT, LOGIN_FAILURE_LIMIT, LOGIN_LOCK_MINUTES, LOGIN_WINDOW_MINUTES, Store,
};

/// The store with its clock `minutes` after `start`.
fn at(store: &Store, start: DateTime<Utc>, minutes: i64) -> Store {
    store.with_clock(Arc::new(FixedClock(start + Duration::minutes(minutes))))
}

#[tokio::test]
async fn five_failures_within_the_window_lock_the_login_for_fifteen_minutes() {
    let w = world().await;
    let start = w.store.clock().now();
    let address: Option<IpAddr> = Some("10.1.2.3".parse().unwrap());

    for minute in 0..LOGIN_FAILURE_LIMIT - 1 {
        let store = at(&w.store, start, minute);
        assert_eq!(store.record_login_failure("clerk", address).await.unwrap(), None);
        assert_eq!(store.login_locked_until("clerk", address).await.unwrap(), None);
    }
    let fifth = at(&w.store, start, 4);
    let until = fifth.record_login_failure(" clerk ", address).await.unwrap();
    let expected = start + Duration::minutes(4 + LOGIN_LOCK_MINUTES);
    assert_eq!(until, Some(expected), "the fifth failure locks");

    for minute in [4, 10, 4 + LOGIN_LOCK_MINUTES - 1] {
        let store = at(&w.store, start, minute);
        assert_eq!(store.login_locked_until("clerk", address).await.unwrap(), Some(expected));
        // From another address too: the login is locked, not the address.
        assert_eq!(store.login_locked_until("clerk", None).await.unwrap(), Some(expected));
    }
    let other = at(&w.store, start, 5);
    assert_eq!(other.login_locked_until("other", address).await.unwrap(), None, "per login");

    // When the lock ends the count starts again.
    let later = at(&w.store, start, 4 + LOGIN_LOCK_MINUTES);
    assert_eq!(later.login_locked_until("clerk", address).await.unwrap(), None);
    assert_eq!(later.record_login_failure("clerk", address).await.unwrap(), None);
}

#[tokio::test]
async fn failures_spread_beyond_the_window_do_not_lock() {
    let w = world().await;
    let start = w.store.clock().now();
    // One failure every 4 minutes: at most 4 fall within one 15-minute window.
    for n in 0..12 {
        let store = at(&w.store, start, n * (LOGIN_WINDOW_MINUTES / 3 - 1));
        assert_eq!(store.record_login_failure("clerk", None).await.unwrap(), None, "failure {n}");
    }
    let end = at(&w.store, start, 60);
    assert_eq!(end.login_locked_until("clerk", None).await.unwrap(), None);
}

#[tokio::test]
async fn a_success_clears_the_logins_count_but_not_the_addresss() {
    let w = world().await;
    let start = w.store.clock().now();
    let address: Option<IpAddr> = Some("10.9.9.9".parse().unwrap());
    let store = at(&w.store, start, 0);
    for _ in 0..LOGIN_FAILURE_LIMIT - 1 {
        store.record_login_failure("clerk", address).await.unwrap();
    }
    store.clear_login_failures("clerk").await.unwrap();
    for _ in 0..LOGIN_FAILURE_LIMIT - 1 {
        assert_eq!(store.record_login_failure("clerk", address).await.unwrap(), None);
    }

    // The address has counted every failure: guessing many logins from one address locks it.
    let mut locked = None;
    let mut n = 2 * (LOGIN_FAILURE_LIMIT - 1);
    while locked.is_none() {
        n += 1;
        locked = store.record_login_failure(&format!("guess{n}"), address).await.unwrap();
    }
    assert_eq!(n, ADDRESS_FAILURE_LIMIT);
    assert!(store.login_locked_until("anyone", address).await.unwrap().is_some());
    assert_eq!(store.login_locked_until("anyone", None).await.unwrap(), None);
}
