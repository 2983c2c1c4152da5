//! What business systems write through their API keys: enrolments, in-transit transactions
//! (R2.12) and special businesses (R2.11). The key fixes the line and the agency.

use chrono::{DateTime, Utc};
use personbase_domain::{
    BusinessLine, Enrolment, EnrolmentId, PersonId, Refusal, RuleId, SpecialKind, Transaction,
    TransactionId,
};
use serde_json::{Value, json};
use sqlx::Row;

use crate::Store;
use crate::auth::ApiKey;
use crate::db::{Tx, begin_write, time_text};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::rows::{self, ENROLMENT_COLUMNS, TRANSACTION_COLUMNS};
use crate::situation::person_in;

impl Store {
    /// Enrols `person` in the key's line at the key's agency; returns the active enrolment
    /// that already exists, if any. Journaled as `enrolment.opened`.
    pub async fn enrol(&self, key: &ApiKey, person: PersonId) -> Result<Enrolment> {
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        person_in(&mut tx, person).await?;
        if let Some(existing) = active_enrolment(&mut tx, key, person).await? {
            tx.commit().await?;
            return Ok(existing);
        }
        let row = sqlx::query(
            "INSERT INTO enrolments (person_id, line, agency_id, active, opened_at) \
             VALUES ($1, $2, $3, TRUE, $4) RETURNING id",
        )
        .bind(person.0)
        .bind(key.line.code())
        .bind(key.agency.0)
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        let enrolment = Enrolment {
            id: EnrolmentId(row.try_get("id")?),
            person,
            line: key.line,
            agency: key.agency,
            active: true,
        };
        let entry = key_entry(key, "enrolment.opened", person, Value::Null, json!(enrolment));
        journal::append(&mut tx, now, entry).await?;
        tx.commit().await?;
        tracing::info!(person = person.0, enrolment = enrolment.id.0, "enrolled");
        Ok(enrolment)
    }

    /// Closes `person`'s active enrolment in the key's line at the key's agency.
    /// Journaled as `enrolment.closed`.
    pub async fn close_enrolment(&self, key: &ApiKey, person: PersonId) -> Result<()> {
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let Some(enrolment) = active_enrolment(&mut tx, key, person).await? else {
            return Err(StoreError::not_found(
                "enrolment",
                format!("{person}/{}", key.line.code()),
            ));
        };
        sqlx::query("UPDATE enrolments SET active = FALSE, closed_at = $1 WHERE id = $2")
            .bind(time_text(now))
            .bind(enrolment.id.0)
            .execute(&mut *tx)
            .await?;
        let closed = Enrolment { active: false, ..enrolment.clone() };
        let entry = key_entry(key, "enrolment.closed", person, json!(enrolment), json!(closed));
        journal::append(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts an in-transit transaction of the key's line for `person` (R2.12): until it is
    /// finished, natural fields of the record cannot change. Journaled as
    /// `transaction.started`.
    pub async fn start_transaction(
        &self,
        key: &ApiKey,
        person: PersonId,
        reference: &str,
        description: &str,
    ) -> Result<Transaction> {
        if reference.trim().is_empty() {
            return Err(StoreError::invalid("reference", "业务号不能为空"));
        }
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        person_in(&mut tx, person).await?;
        let row = sqlx::query(
            "INSERT INTO transactions (person_id, line, agency_id, reference, description, \
             started_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(person.0)
        .bind(key.line.code())
        .bind(key.agency.0)
        .bind(reference.trim())
        .bind(description.trim())
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        let transaction = Transaction {
            id: TransactionId(row.try_get("id")?),
            person,
            line: key.line,
            agency: key.agency,
            reference: reference.trim().to_owned(),
            description: description.trim().to_owned(),
            started_at: parse_now(now),
            finished_at: None,
        };
        let entry = key_entry(key, "transaction.started", person, Value::Null, json!(transaction));
        journal::append(&mut tx, now, entry).await?;
        tx.commit().await?;
        tracing::info!(person = person.0, transaction = transaction.id.0, "transaction started");
        Ok(transaction)
    }

    /// Finishes transaction `id`; only the key's own line and agency may. Finishing it again
    /// returns it unchanged. Journaled as `transaction.finished`.
    pub async fn finish_transaction(&self, key: &ApiKey, id: TransactionId) -> Result<Transaction> {
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let sql = format!("SELECT {TRANSACTION_COLUMNS} FROM transactions WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *tx).await?;
        let Some(row) = row else { return Err(StoreError::not_found("transaction", id)) };
        let before = rows::transaction(&row)?;
        if before.agency != key.agency || before.line != key.line {
            return Err(StoreError::Unauthorized);
        }
        if before.finished_at.is_some() {
            tx.commit().await?;
            return Ok(before);
        }
        sqlx::query("UPDATE transactions SET finished_at = $1 WHERE id = $2")
            .bind(time_text(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let after = Transaction { finished_at: Some(parse_now(now)), ..before.clone() };
        let entry =
            key_entry(key, "transaction.finished", before.person, json!(before), json!(after));
        journal::append(&mut tx, now, entry).await?;
        tx.commit().await?;
        tracing::info!(transaction = id.0, "transaction finished");
        Ok(after)
    }

    /// Attaches a special business to `person` (R2.11). Only a pension-line key may attach the
    /// pension merged-contribution confirmation. Journaled as `special.added`.
    pub async fn add_special(
        &self,
        key: &ApiKey,
        person: PersonId,
        kind: SpecialKind,
        reference: &str,
    ) -> Result<()> {
        check_special_key(key, kind)?;
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        person_in(&mut tx, person).await?;
        sqlx::query(
            "INSERT INTO specials (person_id, kind, agency_id, reference, active, added_at) \
             VALUES ($1, $2, $3, $4, TRUE, $5)",
        )
        .bind(person.0)
        .bind(kind.code())
        .bind(key.agency.0)
        .bind(reference.trim())
        .bind(time_text(now))
        .execute(&mut *tx)
        .await?;
        let after = json!({ "kind": kind, "agency": key.agency, "reference": reference.trim() });
        journal::append(&mut tx, now, key_entry(key, "special.added", person, Value::Null, after))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cancels `person`'s active special businesses of `kind` (R2.11); only a pension-line
    /// key of the agency that attached it may cancel the pension merged-contribution
    /// confirmation. Journaled as `special.cancelled`.
    pub async fn cancel_special(
        &self,
        key: &ApiKey,
        person: PersonId,
        kind: SpecialKind,
    ) -> Result<()> {
        check_special_key(key, kind)?;
        let now = self.clock.now();
        let mut tx = begin_write(&self.pool).await?;
        let done = sqlx::query(
            "UPDATE specials SET active = FALSE, cancelled_at = $1 \
             WHERE person_id = $2 AND kind = $3 AND agency_id = $4 AND active = TRUE",
        )
        .bind(time_text(now))
        .bind(person.0)
        .bind(kind.code())
        .bind(key.agency.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            // Another agency's special business is not this key's to cancel.
            let other = sqlx::query(
                "SELECT 1 FROM specials WHERE person_id = $1 AND kind = $2 AND active = TRUE",
            )
            .bind(person.0)
            .bind(kind.code())
            .fetch_optional(&mut *tx)
            .await?;
            if other.is_some() {
                return Err(StoreError::Unauthorized);
            }
            return Err(StoreError::not_found("special", format!("{person}/{}", kind.code())));
        }
        let before = json!({ "kind": kind, "active": true });
        let after = json!({ "kind": kind, "active": false });
        journal::append(&mut tx, now, key_entry(key, "special.cancelled", person, before, after))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn active_enrolment(
    tx: &mut Tx,
    key: &ApiKey,
    person: PersonId,
) -> Result<Option<Enrolment>> {
    let sql = format!(
        "SELECT {ENROLMENT_COLUMNS} FROM enrolments \
         WHERE person_id = $1 AND line = $2 AND agency_id = $3 AND active = TRUE"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(person.0)
        .bind(key.line.code())
        .bind(key.agency.0)
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(rows::enrolment).transpose()
}

fn check_special_key(key: &ApiKey, kind: SpecialKind) -> Result<()> {
    match kind {
        SpecialKind::PensionMergedContribution if key.line != BusinessLine::Pension => {
            Err(StoreError::Refused(Refusal {
                rule: RuleId::PensionMergerFirst,
                code: "pension_line_only",
                message: "养老保险并轨缴费确认业务只能由养老保险经办机构的业务系统添加或取消"
                    .to_owned(),
                details: json!({ "line": key.line.code() }),
            }))
        }
        SpecialKind::PensionMergedContribution => Ok(()),
    }
}

/// The moment as stored, so that the returned value equals what a later read gives.
fn parse_now(now: DateTime<Utc>) -> DateTime<Utc> {
    crate::db::parse_time(&time_text(now)).unwrap_or(now)
}

/// A journal entry written on behalf of a business system's key.
fn key_entry(
    key: &ApiKey,
    action: &'static str,
    person: PersonId,
    before: Value,
    after: Value,
) -> Entry {
    Entry {
        agency: Some(key.agency),
        action,
        person: Some(person),
        before,
        after,
        reason: format!("api key {}", key.id),
        ..Entry::default()
    }
}
