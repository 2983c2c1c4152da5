//! Storage of PersonBase: the only crate that writes SQL.
//!
//! [`Store`] opens the database (SQLite through sqlx; see [`Store::open`]), runs the ordered
//! migrations of `migrations/sqlite`, and offers the operations the HTTP server and the
//! command line call. Each operation that writes runs in one transaction that takes the write
//! lock first: it loads the person's situation, asks the rules of [`personbase_domain::rules`],
//! writes the outcome, and appends the audit journal entries (see [`journal`]), all before
//! commit. A refusal of a proposed change is journaled too, in its own transaction, and
//! returned as [`StoreError::Refused`].
//!
//! Invariants:
//! - nothing is written without its journal entry in the same transaction;
//! - a database error is never turned into "not found"; a row that no longer parses is
//!   [`StoreError::Corrupt`] naming its table, row and field;
//! - no operation writes the registry snapshot except [`Store::load_registry_csv`] (R2.16);
//! - time comes from the store's [`Clock`], never from the system directly;
//! - `tracing` events carry ids only, never a name, number, address or phone.
//!
//! # Operations and what they journal
//!
//! - [`Store::create_agency`], [`Store::create_operator`], [`Store::create_api_key`] →
//!   `agency.created`, `operator.created`, `api_key.created`;
//! - [`Store::enter_person`] → `person.created` (and `person.registry_differs`), or
//!   `person.refused`;
//! - [`Store::view_unmasked`] → `person.viewed` with the stated reason;
//! - [`Store::propose_change`] → `change.requested` (and `change.signed`,
//!   `person.registry_differs`, `change.effective`), or `change.refused`;
//!   [`Store::propose_change_with_documents`] also `document.attached` per file (R4.3);
//! - [`Store::view_document`] → `document.viewed` (need-to-know, R4.2);
//! - [`Store::sign_off`] → `change.signed` (and `change.effective`), or `change.refused`;
//! - [`Store::confirm_request`] → `change.confirmed` (and `change.effective`) or
//!   `change.rejected`, or `change.refused`;
//! - [`Store::reject_request`], [`Store::withdraw_request`] → `change.rejected`,
//!   `change.withdrawn`, or `change.refused`;
//! - [`Store::enrol`], [`Store::close_enrolment`] → `enrolment.opened`, `enrolment.closed`;
//! - [`Store::start_transaction`], [`Store::finish_transaction`] → `transaction.started`,
//!   `transaction.finished`;
//! - [`Store::add_special`], [`Store::cancel_special`] → `special.added`, `special.cancelled`;
//! - [`Store::issue_card`], [`Store::void_card`], [`Store::request_replacement_card`] →
//!   `card.issued`, `card.voided` (with `fee_fen`), `card.replacement_requested`;
//! - [`Store::load_registry_csv`], [`Store::load_registry`] → `registry.loaded`;
//! - [`Store::record_reconciliation`] → `registry.reconciled`;
//! - [`Store::load_batch`] (the legacy import, many rows per transaction) → per row
//!   `person.created` (source `legacy` with the file and row), `enrolment.opened`,
//!   `person.registry_differs`, or `person.refused`;
//! - [`Store::region_overview`], [`Store::person_trail`], [`Store::operator_trail`] (an
//!   information centre's supervision, R1.1) read only and journal nothing: they return
//!   values the pages show masked only (R4.2 journals views of unmasked data).
//!
//! Sessions and the count of failed logins ([`Store::record_login_failure`]) are
//! authentication state and are not journaled. Refusals carry the refusing
//! rule's id as the entry's reason. Errors: see [`StoreError`]; each variant has a stable
//! [`StoreError::code`] and a Chinese [`StoreError::message_zh`].
//!
//! The backend-specific code is in the private `db` module; the SQL elsewhere is portable to
//! PostgreSQL (placeholders `$1`, no `INSERT OR REPLACE`, `RETURNING` for new ids).
//! `migrations/postgres` mirrors `migrations/sqlite`, and `scripts/check-postgres.sh`
//! prepares every statement of this crate against a PostgreSQL server. What a PostgreSQL
//! backend still needs: a twin of `db` (pool, `BEGIN` with `SELECT ... FOR UPDATE` on the
//! person row or `SERIALIZABLE` in place of `BEGIN IMMEDIATE`, the request id from a
//! sequence) and a way to choose the backend at run time.

mod apply;
mod auth;
mod batched;
mod bulk;
mod bulk_sql;
mod business;
mod cards;
mod citizens;
mod db;
mod documents;
mod error;
pub mod journal;
mod lifecycle;
mod logins;
mod people;
mod reconcile;
mod reference;
mod registry;
mod reports;
mod request_rows;
mod requests;
mod rows;
mod situation;
mod verify;

use std::sync::Arc;

use personbase_domain::{Clock, Policy};

pub use auth::ApiKey;
pub use bulk::{BulkMode, BulkOutcome, BulkRow};
pub use db::Durability;
pub use documents::{DocumentInfo, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, NewDocument};
pub use error::{Result, StoreError};
pub use journal::JournalEntry;
pub use logins::{
    ADDRESS_FAILURE_LIMIT, LOGIN_FAILURE_LIMIT, LOGIN_LOCK_MINUTES, LOGIN_WINDOW_MINUTES,
};
pub use people::{PersonDetails, PersonQuery};
pub use reconcile::{Discrepancy, RegistryFinding, RegistryPage};
pub use registry::{REGISTRY_CSV_HEADER, RegistryLoad};
pub use reports::{AgencyCompletion, DayCompletion, OpenRequest, RegionOverview, Tally};
pub use requests::ActorRef;
pub use verify::{FaultKind, JournalFault, VerifyReport};

/// The store: a connection pool, the province's policy and the clock. Cheap to clone; every
/// clone shares the pool.
#[derive(Clone)]
pub struct Store {
    pool: db::Pool,
    policy: Arc<Policy>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the database at `url` and brings its schema up to date.
    ///
    /// `url` is `sqlite://path/to/file.db?mode=rwc` (created when missing; WAL journal; every
    /// commit synced, see [`Durability`]) or
    /// `sqlite::memory:` (one connection, gone when the store is dropped). Foreign keys are
    /// enforced. Fails with [`StoreError::Database`] when the database cannot be opened and
    /// [`StoreError::Migration`] when a migration fails.
    pub async fn open(url: &str, policy: Policy, clock: Arc<dyn Clock>) -> Result<Store> {
        Store::open_with(url, policy, clock, Durability::Full).await
    }

    /// Opens an existing PersonBase database, for commands that read or verify it: a database
    /// without the journal (an empty file, another program's) is refused with
    /// [`StoreError::Invalid`] before anything migrates it.
    pub async fn open_existing(url: &str, policy: Policy, clock: Arc<dyn Clock>) -> Result<Store> {
        if !db::has_journal(url).await? {
            return Err(StoreError::invalid(
                "db",
                "不是 PersonBase 数据库（没有审计日志表），请核对 --db 指定的数据库",
            ));
        }
        Store::open(url, policy, clock).await
    }

    /// [`Store::open`] with a chosen [`Durability`] for file databases.
    pub async fn open_with(
        url: &str,
        policy: Policy,
        clock: Arc<dyn Clock>,
        durability: Durability,
    ) -> Result<Store> {
        let pool = db::connect(url, durability).await?;
        tracing::info!("store opened");
        Ok(Store { pool, policy: Arc::new(policy), clock })
    }

    /// The province's policy the rules read.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The clock every operation takes "now" and "today" from.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The same database, read and written with time from `clock`: for tests that let days
    /// pass, and for replaying work at the moments it happened.
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Store {
        Store { pool: self.pool.clone(), policy: self.policy.clone(), clock }
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
