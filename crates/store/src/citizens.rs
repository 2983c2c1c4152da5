//! Citizens' self-service sessions: the SHA-256 of a random token, the person it belongs to,
//! and when it was last used. A session ends after a stretch without use, at its hard expiry,
//! or at logout. Like the operators' sessions, they are authentication state and are not
//! journaled.

use chrono::{DateTime, Duration, Utc};
use personbase_domain::PersonId;
use sqlx::Row;

use crate::Store;
use crate::db::{begin_write, time_text};
use crate::error::Result;

impl Store {
    /// Stores a session of `person` under the token's hash, ending at `expires_at` at the
    /// latest; sessions that ended before `now` (idle for `idle` or expired) are removed on
    /// the way.
    pub async fn create_citizen_session(
        &self,
        token_hash: &str,
        person: PersonId,
        now: DateTime<Utc>,
        idle: Duration,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query("DELETE FROM citizen_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(time_text(now))
            .bind(time_text(now - idle))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO citizen_sessions \
             (token_hash, person_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(person.0)
        .bind(time_text(now))
        .bind(time_text(now))
        .bind(time_text(expires_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The person of the session with `token_hash`, if it was used within `idle` before `now`
    /// and has not expired; the use at `now` keeps it alive.
    pub async fn citizen_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle: Duration,
    ) -> Result<Option<PersonId>> {
        let row = sqlx::query(
            "SELECT person_id FROM citizen_sessions \
             WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3",
        )
        .bind(token_hash)
        .bind(time_text(now))
        .bind(time_text(now - idle))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let person: i64 = row.try_get("person_id")?;
        sqlx::query("UPDATE citizen_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(time_text(now))
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(Some(PersonId(person)))
    }

    /// Ends the session with `token_hash` (nothing happens when there is none).
    pub async fn delete_citizen_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM citizen_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
