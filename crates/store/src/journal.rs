//! The audit journal (R4.2): every change of state appends one entry in the same transaction
//! as the change. Entries are hash-chained: each stores the SHA-256 of its own content and of
//! the previous entry's hash, so that [`crate::Store::verify_journal`] finds an edited,
//! removed or reordered entry.
//!
//! The hash input is the JSON array
//! `[seq, at, operator, agency, action, person, request, before, after, reason, prev_hash]`
//! built from the stored column texts (ids as numbers or `null`, `before` and `after` as the
//! stored JSON text), serialised by `serde_json` without spaces. The first entry's
//! `prev_hash` is [`GENESIS`].

use chrono::{DateTime, Utc};
use personbase_domain::{AgencyId, OperatorId, PersonId, RequestId};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::batched::{repeat_values, rows_per_statement};
use crate::db::{DbRow, Tx, time_text};
use crate::error::Result;
use crate::rows::Fields;

/// The `prev_hash` of the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the journal, as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JournalEntry {
    /// Its position, from 1, without gaps.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who acted (none for the person on the portal or a business system).
    pub operator: Option<OperatorId>,
    /// For which agency.
    pub agency: Option<AgencyId>,
    /// What happened: `person.created`, `person.viewed`, `change.requested`, `change.signed`,
    /// `change.effective`, `change.refused`, `change.rejected`, `change.confirmed`,
    /// `change.withdrawn`, `enrolment.opened`, `enrolment.closed`, `transaction.started`,
    /// `transaction.finished`, `special.added`, `special.cancelled`, `card.issued`,
    /// `card.voided`, `registry.loaded`, `document.attached`,
    /// `document.viewed`.
    pub action: String,
    /// The person concerned.
    pub person: Option<PersonId>,
    /// The change request concerned.
    pub request: Option<RequestId>,
    /// The state before (full values: the journal is the protected log); `null` when there
    /// was none.
    pub before: Value,
    /// The state after: the full record for `change.effective`; `{person, source, rules}`
    /// for `person.created`; the request for `change.requested`; `{attempt, rule, code,
    /// details}` for refusals; field → value maps for `person.registry_differs`.
    pub after: Value,
    /// Why, as stated by the actor, or the rule that refused.
    pub reason: String,
    /// The entry's SHA-256, hex.
    pub hash: String,
}

/// An entry to append.
#[derive(Clone, Debug, Default)]
pub(crate) struct Entry {
    pub operator: Option<OperatorId>,
    pub agency: Option<AgencyId>,
    pub action: &'static str,
    pub person: Option<PersonId>,
    pub request: Option<RequestId>,
    pub before: Value,
    pub after: Value,
    pub reason: String,
}

/// Appends `entry` at moment `at` inside `tx`; returns its sequence number. The caller's
/// transaction holds the write lock, so sequence numbers cannot race.
pub(crate) async fn append(tx: &mut Tx, at: DateTime<Utc>, entry: Entry) -> Result<i64> {
    Chain::head(tx).await?.append(tx, at, entry).await
}

/// The head of the chain inside a write transaction: the last sequence number and hash.
/// [`append`] reads it for each entry; the bulk loader reads it once per batch and appends
/// many entries after it, each hashed over the one before, so that the chain it writes is
/// the one [`crate::Store::verify_journal`] checks.
pub(crate) struct Chain {
    seq: i64,
    hash: String,
}

impl Chain {
    /// Reads the head; the caller's transaction holds the write lock until commit.
    pub(crate) async fn head(tx: &mut Tx) -> Result<Chain> {
        let last = sqlx::query("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
        match last {
            Some(row) => {
                let f = Fields::keyed(&row, "journal", "last".to_owned());
                Ok(Chain { seq: f.int("seq")?, hash: f.text("hash")? })
            }
            None => Ok(Chain { seq: 0, hash: GENESIS.to_owned() }),
        }
    }

    /// Appends `entry` after the head and moves the head to it; returns its sequence number.
    pub(crate) async fn append(
        &mut self,
        tx: &mut Tx,
        at: DateTime<Utc>,
        entry: Entry,
    ) -> Result<i64> {
        let action = entry.action;
        let sealed = self.seal(at, entry);
        store_sealed(tx, std::slice::from_ref(&sealed)).await?;
        let (stored, _) = sealed;
        tracing::debug!(seq = stored.seq, action, "journal entry appended");
        Ok(stored.seq)
    }

    /// The row `entry` is stored as after the head, with its hash; moves the head to it
    /// without writing anything. The caller stores the row in the same transaction (the bulk
    /// loader writes many such rows per statement) or the chain it continues is broken.
    pub(crate) fn seal(&mut self, at: DateTime<Utc>, entry: Entry) -> (Stored, String) {
        let stored = Stored {
            seq: self.seq + 1,
            at: time_text(at),
            operator: entry.operator.map(|o| o.0),
            agency: entry.agency.map(|a| a.0),
            action: entry.action.to_owned(),
            person: entry.person.map(|p| p.0),
            request: entry.request.map(|r| r.0),
            before: entry.before.to_string(),
            after: entry.after.to_string(),
            reason: entry.reason,
            prev_hash: std::mem::take(&mut self.hash),
        };
        let hash = stored.hash();
        self.seq = stored.seq;
        self.hash.clone_from(&hash);
        (stored, hash)
    }
}

/// Stores entries sealed by [`Chain::seal`], in their order, at most
/// [`crate::batched::rows_per_statement`] per statement.
pub(crate) async fn store_sealed(tx: &mut Tx, sealed: &[(Stored, String)]) -> Result<()> {
    for chunk in sealed.chunks(rows_per_statement(INSERT_ENTRY)) {
        // Only placeholders are spliced in; every value is bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(repeat_values(INSERT_ENTRY, chunk.len())));
        for (stored, hash) in chunk {
            query = query
                .bind(stored.seq)
                .bind(stored.at.as_str())
                .bind(stored.operator)
                .bind(stored.agency)
                .bind(stored.action.as_str())
                .bind(stored.person)
                .bind(stored.request)
                .bind(stored.before.as_str())
                .bind(stored.after.as_str())
                .bind(stored.reason.as_str())
                .bind(stored.prev_hash.as_str())
                .bind(hash.as_str());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The statement that stores one entry; [`store_sealed`] repeats its row of values.
const INSERT_ENTRY: &str = "INSERT INTO journal (seq, at, operator_id, agency_id, \
     action, person_id, request_id, before_json, after_json, reason, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// The columns of a journal row, as text, exactly as hashed.
pub(crate) const JOURNAL_COLUMNS: &str = "seq, at, operator_id, agency_id, action, person_id, \
     request_id, before_json, after_json, reason, prev_hash, hash";

/// A journal row's columns as stored.
pub(crate) struct Stored {
    pub seq: i64,
    pub at: String,
    pub operator: Option<i64>,
    pub agency: Option<i64>,
    pub action: String,
    pub person: Option<i64>,
    pub request: Option<i64>,
    pub before: String,
    pub after: String,
    pub reason: String,
    pub prev_hash: String,
}

impl Stored {
    /// Reads a row; returns it with the hash it claims.
    pub(crate) fn read(row: &DbRow) -> Result<(Stored, String)> {
        let seq = Fields::keyed(row, "journal", "seq=?".to_owned()).int("seq")?;
        let f = Fields::keyed(row, "journal", format!("seq={seq}"));
        let stored = Stored {
            seq,
            at: f.text("at")?,
            operator: f.opt_int("operator_id")?,
            agency: f.opt_int("agency_id")?,
            action: f.text("action")?,
            person: f.opt_int("person_id")?,
            request: f.opt_int("request_id")?,
            before: f.text("before_json")?,
            after: f.text("after_json")?,
            reason: f.text("reason")?,
            prev_hash: f.text("prev_hash")?,
        };
        Ok((stored, f.text("hash")?))
    }

    /// The SHA-256 of the canonical serialisation, hex.
    pub(crate) fn hash(&self) -> String {
        let canonical = json!([
            self.seq,
            self.at,
            self.operator,
            self.agency,
            self.action,
            self.person,
            self.request,
            self.before,
            self.after,
            self.reason,
            self.prev_hash,
        ])
        .to_string();
        hex::encode(Sha256::digest(canonical.as_bytes()))
    }

    /// The entry as the API shows it.
    pub(crate) fn into_entry(self, hash: String) -> Result<JournalEntry> {
        let corrupt = |field: &'static str, detail: String| crate::StoreError::Corrupt {
            table: "journal",
            row: format!("seq={}", self.seq),
            field,
            detail,
        };
        let at = crate::db::parse_time(&self.at)
            .ok_or_else(|| corrupt("at", "not an RFC 3339 time".to_owned()))?;
        let before = serde_json::from_str(&self.before)
            .map_err(|e| corrupt("before_json", e.to_string()))?;
        let after =
            serde_json::from_str(&self.after).map_err(|e| corrupt("after_json", e.to_string()))?;
        Ok(JournalEntry {
            seq: self.seq,
            at,
            operator: self.operator.map(OperatorId),
            agency: self.agency.map(AgencyId),
            action: self.action,
            person: self.person.map(PersonId),
            request: self.request.map(RequestId),
            before,
            after,
            reason: self.reason,
            hash,
        })
    }
}

impl crate::Store {
    /// Journals a refusal in its own transaction (the operation's own transaction has been
    /// rolled back) and returns it as [`crate::StoreError::Refused`]. `entry` says who tried
    /// what; its `after` holds the attempt. The entry's reason is the refusing rule's id.
    pub(crate) async fn refuse(
        &self,
        entry: Entry,
        refusal: personbase_domain::Refusal,
    ) -> crate::StoreError {
        let entry = Entry {
            reason: refusal.rule.code().to_owned(),
            after: json!({
                "attempt": entry.after,
                "rule": refusal.rule,
                "code": refusal.code,
                "details": refusal.details,
            }),
            ..entry
        };
        let action = entry.action;
        let written = async {
            let mut tx = crate::db::begin_write(&self.pool).await?;
            append(&mut tx, self.clock.now(), entry).await?;
            tx.commit().await?;
            Ok::<(), crate::StoreError>(())
        };
        match written.await {
            Ok(()) => {
                tracing::info!(action, rule = refusal.rule.code(), code = refusal.code, "refused");
                crate::StoreError::Refused(refusal)
            }
            Err(e) => {
                // The caller logs `e` where it handles it; this says what it cost.
                tracing::warn!(action, code = refusal.code, "refusal not journaled");
                e
            }
        }
    }
}
