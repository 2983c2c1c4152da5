//! Case workers' failed password logins and the lock they lead to (migration 0006).
//!
//! Failures are counted per subject: the login typed, whether or not an operator has it (an
//! unknown login is counted and locked exactly as a known one, so a lock tells nothing about
//! which logins exist), and the client's address when the caller knows it. Within
//! [`LOGIN_WINDOW_MINUTES`] of a subject's first counted failure, [`LOGIN_FAILURE_LIMIT`]
//! failures of a login (or [`ADDRESS_FAILURE_LIMIT`] from an address, which many clerks behind
//! one proxy may share) lock it for [`LOGIN_LOCK_MINUTES`]. A successful login clears its
//! login's count, not its address's. Time is the store's clock. Like the sessions, this is
//! authentication state: it is not journaled.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use crate::Store;
use crate::db::{begin_write, time_text};
use crate::error::Result;
use crate::rows::Fields;

/// Failed logins of one login within the window that lock it.
pub const LOGIN_FAILURE_LIMIT: i64 = 5;
/// Failed logins from one address within the window that lock the address.
pub const ADDRESS_FAILURE_LIMIT: i64 = 20;
/// How long failures count together, from the first.
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
/// How long a lock lasts.
pub const LOGIN_LOCK_MINUTES: i64 = 15;

/// The subjects a login attempt counts against, with their limits.
fn subjects(login: &str, address: Option<IpAddr>) -> Vec<(String, i64)> {
    let mut subjects = vec![(format!("login:{}", login.trim()), LOGIN_FAILURE_LIMIT)];
    if let Some(address) = address {
        subjects.push((format!("address:{address}"), ADDRESS_FAILURE_LIMIT));
    }
    subjects
}

impl Store {
    /// Until when a login as `login` from `address` is refused without checking the
    /// password; `None` when it may be tried.
    pub async fn login_locked_until(
        &self,
        login: &str,
        address: Option<IpAddr>,
    ) -> Result<Option<DateTime<Utc>>> {
        let now = self.clock.now();
        let mut until: Option<DateTime<Utc>> = None;
        for (subject, _) in subjects(login, address) {
            let row = sqlx::query(
                "SELECT subject, locked_until FROM login_failures \
                 WHERE subject = $1 AND locked_until > $2",
            )
            .bind(&subject)
            .bind(time_text(now))
            .fetch_optional(&self.pool)
            .await?;
            if let Some(row) = row {
                let locked =
                    Fields::keyed(&row, "login_failures", subject).opt_time("locked_until")?;
                until = until.max(locked);
            }
        }
        Ok(until)
    }

    /// Counts a failed login as `login` from `address`; returns until when it is locked
    /// when this failure reached a limit.
    pub async fn record_login_failure(
        &self,
        login: &str,
        address: Option<IpAddr>,
    ) -> Result<Option<DateTime<Utc>>> {
        let now = self.clock.now();
        let window_began = now - Duration::minutes(LOGIN_WINDOW_MINUTES);
        let mut tx = begin_write(&self.pool).await?;
        let mut until: Option<DateTime<Utc>> = None;
        for (subject, limit) in subjects(login, address) {
            let row = sqlx::query(
                "SELECT subject, failures, window_start FROM login_failures WHERE subject = $1",
            )
            .bind(&subject)
            .fetch_optional(&mut *tx)
            .await?;
            let (failures, window_start) = match &row {
                Some(row) => {
                    let f = Fields::keyed(row, "login_failures", subject.clone());
                    let start = f.time("window_start")?;
                    if start > window_began { (f.int("failures")? + 1, start) } else { (1, now) }
                }
                None => (1, now),
            };
            let (failures, window_start, locked_until) = if failures >= limit {
                let lock = now + Duration::minutes(LOGIN_LOCK_MINUTES);
                until = until.max(Some(lock));
                // The count starts again: a failure after the lock opens a new window.
                (0, now, Some(time_text(lock)))
            } else {
                (failures, window_start, None)
            };
            let sql = if row.is_some() {
                "UPDATE login_failures SET failures = $2, window_start = $3, locked_until = $4 \
                 WHERE subject = $1"
            } else {
                "INSERT INTO login_failures (subject, failures, window_start, locked_until) \
                 VALUES ($1, $2, $3, $4)"
            };
            sqlx::query(sql)
                .bind(&subject)
                .bind(failures)
                .bind(time_text(window_start))
                .bind(locked_until)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(until)
    }

    /// A successful login as `login`: its count starts again (its address's does not, so
    /// that a guesser's own login does not clear the address).
    pub async fn clear_login_failures(&self, login: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE subject = $1")
            .bind(format!("login:{}", login.trim()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
