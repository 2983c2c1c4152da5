//! Operator sessions and business systems' API keys. Only hashes are stored: the caller
//! hashes the token or key (SHA-256, hex) before it reaches the store.

use chrono::{DateTime, Utc};
use personbase_domain::{AgencyId, BusinessLine, Operator, OperatorId};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::Store;
use crate::db::{begin_write, time_text};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::reference::{agency_in, operator_in};
use crate::rows::Fields;

/// A business system's key: scoped to one business line and the agency that runs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    /// Its id.
    pub id: i64,
    /// What the key is for, e.g. 哈尔滨市养老保险业务系统.
    pub name: String,
    /// The only line the key may act in.
    pub line: BusinessLine,
    /// The agency whose enrolments and transactions the key writes.
    pub agency: AgencyId,
}

impl Store {
    /// Stores a session of `operator` under the token's hash, valid until `expires_at`;
    /// [`StoreError::NotFound`] when there is no such operator. Sessions are authentication
    /// state, not personal data: they are not journaled.
    pub async fn create_session(
        &self,
        token_hash: &str,
        operator: OperatorId,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = begin_write(&self.pool).await?;
        operator_in(&mut tx, operator).await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, operator_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(operator.0)
        .bind(time_text(self.clock.now()))
        .bind(time_text(expires_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The operator of the session with `token_hash`; `None` when there is no such session
    /// or it expired at or before `now`.
    pub async fn session_operator(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Operator>> {
        let row = sqlx::query(
            "SELECT operator_id FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(time_text(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id: i64 = row.try_get("operator_id")?;
        let mut conn = self.pool.acquire().await?;
        operator_in(&mut conn, OperatorId(id)).await.map(Some)
    }

    /// Ends the session with `token_hash` (nothing happens when there is none).
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes sessions that expired at or before `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(time_text(now))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Stores an API key under its hash, for `line` at `agency`. The agency must be of a kind
    /// that holds that line; journaled as `api_key.created`.
    pub async fn create_api_key(
        &self,
        key_hash: &str,
        name: &str,
        line: BusinessLine,
        agency: AgencyId,
    ) -> Result<ApiKey> {
        let mut tx = begin_write(&self.pool).await?;
        let holder = agency_in(&mut tx, agency).await?;
        if !holder.kind.may_hold(line) {
            return Err(StoreError::invalid(
                "line",
                format!("{}不能办理{}业务", holder.kind.name_zh(), line.name_zh()),
            ));
        }
        let row = sqlx::query(
            "INSERT INTO api_keys (key_hash, name, line, agency_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(key_hash)
        .bind(name)
        .bind(line.code())
        .bind(agency.0)
        .bind(time_text(self.clock.now()))
        .fetch_one(&mut *tx)
        .await?;
        let key = ApiKey { id: row.try_get("id")?, name: name.to_owned(), line, agency };

        let entry = Entry {
            action: "api_key.created",
            agency: Some(agency),
            after: json!(key),
            ..Entry::default()
        };
        journal::append(&mut tx, self.clock.now(), entry).await?;
        tx.commit().await?;
        Ok(key)
    }

    /// The API key with `key_hash`; `None` when there is none.
    pub async fn api_key(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        let row = sqlx::query("SELECT id, name, line, agency_id FROM api_keys WHERE key_hash = $1")
            .bind(key_hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let f = Fields::by_id(&row, "api_keys");
        Ok(Some(ApiKey {
            id: f.int("id")?,
            name: f.text("name")?,
            line: f.code("line", BusinessLine::from_code)?,
            agency: AgencyId(f.int("agency_id")?),
        }))
    }
}
