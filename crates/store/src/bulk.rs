//! The bulk loader of the legacy import (R4.4): many persons and their enrolments per
//! transaction, each row still decided by the rules of entry.
//!
//! One call of [`Store::load_batch`] is one write transaction: for each row it looks up the
//! holder of the number and the registry record, and then
//! - the holder is the same person ([`same_person`]): nothing is entered again; the row's
//!   enrolment is opened if the person does not have it yet;
//! - otherwise [`decide_entry`] decides, with the holder as the number's occupier (R2.9):
//!   a refusal is journaled as `person.refused` and returned; an accepted row is inserted
//!   with its enrolment and journaled as `person.created` (source `legacy`, the file and its
//!   row), `enrolment.opened` and, where the registry differed, `person.registry_differs`.
//!
//! The journal's head is read once per batch and the entries are chained after it
//! ([`Chain`]), so the hash chain continues exactly as single entries would. A batch that
//! fails leaves nothing behind; one that commits is complete. Rows already in the platform
//! are recognised by their number, so loading a file again loads nothing twice.

use personbase_domain::rules::{EntryPlan, InputSource, Refusal, decide_entry, same_person};
use personbase_domain::{
    AgencyId, BusinessLine, Enrolment, EnrolmentId, NewPerson, Operator, Person, PersonId,
};
use serde_json::{Value, json};
use sqlx::Row;

use crate::Store;
use crate::db::{Tx, begin_read, begin_write, time_text};
use crate::error::Result;
use crate::journal::{Chain, Entry};
use crate::people::{insert_person, registry_differs};
use crate::reference::acting;
use crate::rows::{self, PERSON_COLUMNS};
use crate::situation::registry_in;

/// One row of a legacy file to load.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkRow {
    /// The file the row comes from, as given on the command line (with the sheet of a
    /// workbook); journaled as the source.
    pub file: String,
    /// The row number in the file, as a spreadsheet shows it.
    pub row: u64,
    /// The person as the row gives it.
    pub person: NewPerson,
    /// The business line and the agency holding it, when the row or its file names them.
    pub enrolment: Option<(BusinessLine, AgencyId)>,
}

/// What became of one row.
#[derive(Clone, Debug, PartialEq)]
pub enum BulkOutcome {
    /// A new record (with its enrolment, if the row carries one).
    Loaded {
        /// The new record.
        person: PersonId,
    },
    /// [`BulkMode::Check`]: the rules accept the row; loading would enter it.
    Accepted,
    /// The number is held by the same person: nothing entered again.
    AlreadyPresent {
        /// The record that holds the number.
        person: PersonId,
        /// Whether the row's enrolment was missing and has been opened.
        enrolment_added: bool,
    },
    /// The rules of entry refused the row; an occupied number is
    /// [`personbase_domain::rules::RuleId::OccupiedNumber`] with the holder in the details.
    Refused(Refusal),
}

/// Whether a batch is written or only checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkMode {
    /// Write the accepted rows, their enrolments and the journal entries.
    Load,
    /// Decide every row as [`BulkMode::Load`] would, in a read transaction, and write
    /// nothing (the import's dry run against the platform). Rows of one batch do not see
    /// each other.
    Check,
}

impl Store {
    /// Loads (or checks) `rows` in one transaction, deciding each row by the rules of entry
    /// as `by`, who must be a handler; returns one outcome per row, in order. A database
    /// error rolls the whole batch back.
    pub async fn load_batch(
        &self,
        by: &Operator,
        rows: &[BulkRow],
        mode: BulkMode,
    ) -> Result<Vec<BulkOutcome>> {
        let now = self.clock.now();
        let today = self.clock.today();
        let mut tx = match mode {
            BulkMode::Load => begin_write(&self.pool).await?,
            BulkMode::Check => begin_read(&self.pool).await?,
        };
        let (operator, agency) = acting(&mut tx, by).await?;
        let registry_loaded = sqlx::query("SELECT ssn FROM registry LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        let mut chain = match mode {
            BulkMode::Load => Some(Chain::head(&mut tx).await?),
            BulkMode::Check => None,
        };

        let mut outcomes = Vec::with_capacity(rows.len());
        let mut loaded = 0usize;
        for row in rows {
            let holder = holder_in(&mut tx, row).await?;
            let registry =
                if registry_loaded { registry_in(&mut tx, &row.person.ssn).await? } else { None };
            if let Some(holder) = &holder
                && same_person(&row.person, holder, registry.as_ref())
            {
                let enrolment_added = match (&mut chain, row.enrolment) {
                    (Some(chain), Some((line, held_by))) => {
                        let mut w = Writer { tx: &mut tx, chain, operator: &operator, now };
                        w.enrol(holder.id, line, held_by, row, Existing::Check).await?
                    }
                    _ => false,
                };
                outcomes.push(BulkOutcome::AlreadyPresent { person: holder.id, enrolment_added });
                continue;
            }

            let decision = decide_entry(
                &self.policy,
                today,
                &operator,
                &row.person,
                InputSource::Legacy,
                registry.as_ref(),
                holder.as_ref().map(|h| h.id),
            );
            let Some(chain) = &mut chain else {
                outcomes.push(match decision {
                    Ok(_) => BulkOutcome::Accepted,
                    Err(refusal) => BulkOutcome::Refused(refusal),
                });
                continue;
            };
            let mut w = Writer { tx: &mut tx, chain, operator: &operator, now };
            match decision {
                Ok(plan) => {
                    let person = w.insert(row, plan, agency.id).await?;
                    if let Some((line, held_by)) = row.enrolment {
                        w.enrol(person, line, held_by, row, Existing::None).await?;
                    }
                    loaded += 1;
                    outcomes.push(BulkOutcome::Loaded { person });
                }
                Err(refusal) => {
                    w.refused(row, &refusal, agency.id).await?;
                    outcomes.push(BulkOutcome::Refused(refusal));
                }
            }
        }

        match mode {
            BulkMode::Load => tx.commit().await?,
            BulkMode::Check => tx.rollback().await?,
        }
        tracing::info!(rows = rows.len(), loaded, operator = operator.id.0, "bulk batch done");
        Ok(outcomes)
    }
}

/// The record holding the row's number, if any.
async fn holder_in(tx: &mut Tx, row: &BulkRow) -> Result<Option<Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM persons WHERE ssn = $1");
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(row.person.ssn.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    found.as_ref().map(rows::person).transpose()
}

/// The journal source of a row: the file and its row number.
fn source(row: &BulkRow) -> Value {
    json!({ "input": InputSource::Legacy, "file": row.file, "row": row.row })
}

/// The reason journaled with a row's entries.
fn reason(row: &BulkRow) -> String {
    format!("旧系统数据导入：{} 第 {} 行", row.file, row.row)
}

/// Whether a person may already have the enrolment: a record just entered has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Existing {
    /// Look first.
    Check,
    /// A new record: nothing to look for.
    None,
}

/// The writes of one row inside the batch's transaction.
struct Writer<'a> {
    tx: &'a mut Tx,
    chain: &'a mut Chain,
    operator: &'a Operator,
    now: chrono::DateTime<chrono::Utc>,
}

impl Writer<'_> {
    /// Inserts the accepted record; journals `person.created` (and the registry's
    /// differences).
    async fn insert(
        &mut self,
        row: &BulkRow,
        plan: EntryPlan,
        entered_by: AgencyId,
    ) -> Result<PersonId> {
        let person = insert_person(self.tx, plan.person, entered_by, self.now).await?;

        let created = Entry {
            operator: Some(self.operator.id),
            agency: Some(entered_by),
            action: "person.created",
            person: Some(person.id),
            before: Value::Null,
            after: json!({ "person": person, "source": source(row), "rules": plan.rules }),
            reason: reason(row),
            ..Entry::default()
        };
        self.chain.append(self.tx, self.now, created).await?;
        if !plan.registry_differences.is_empty() {
            let agency = crate::reference::agency_in(self.tx, entered_by).await?;
            let differs =
                registry_differs(self.operator, &agency, person.id, &plan.registry_differences);
            self.chain.append(self.tx, self.now, differs).await?;
        }
        Ok(person.id)
    }

    /// Opens the enrolment unless the person already has it active; journals
    /// `enrolment.opened`. Returns whether it was opened.
    async fn enrol(
        &mut self,
        person: PersonId,
        line: BusinessLine,
        held_by: AgencyId,
        row: &BulkRow,
        existing: Existing,
    ) -> Result<bool> {
        if existing == Existing::Check && self.has_enrolment(person, line, held_by).await? {
            return Ok(false);
        }
        let inserted = sqlx::query(
            "INSERT INTO enrolments (person_id, line, agency_id, active, opened_at) \
             VALUES ($1, $2, $3, TRUE, $4) RETURNING id",
        )
        .bind(person.0)
        .bind(line.code())
        .bind(held_by.0)
        .bind(time_text(self.now))
        .fetch_one(&mut **self.tx)
        .await?;
        let enrolment = Enrolment {
            id: EnrolmentId(inserted.try_get("id")?),
            person,
            line,
            agency: held_by,
            active: true,
        };
        let opened = Entry {
            operator: Some(self.operator.id),
            agency: Some(held_by),
            action: "enrolment.opened",
            person: Some(person),
            before: Value::Null,
            after: json!({ "enrolment": enrolment, "source": source(row) }),
            reason: reason(row),
            ..Entry::default()
        };
        self.chain.append(self.tx, self.now, opened).await?;
        Ok(true)
    }

    /// Whether the person has the active enrolment already.
    async fn has_enrolment(
        &mut self,
        person: PersonId,
        line: BusinessLine,
        held_by: AgencyId,
    ) -> Result<bool> {
        let existing = sqlx::query(
            "SELECT id FROM enrolments WHERE person_id = $1 AND line = $2 AND agency_id = $3 \
             AND active = TRUE",
        )
        .bind(person.0)
        .bind(line.code())
        .bind(held_by.0)
        .fetch_optional(&mut **self.tx)
        .await?;
        Ok(existing.is_some())
    }

    /// Journals a refused row as `person.refused`, as a refusal at the counter is.
    async fn refused(&mut self, row: &BulkRow, refusal: &Refusal, agency: AgencyId) -> Result<()> {
        let entry = Entry {
            operator: Some(self.operator.id),
            agency: Some(agency),
            action: "person.refused",
            after: json!({
                "attempt": { "entry": row.person, "source": source(row) },
                "rule": refusal.rule,
                "code": refusal.code,
                "details": refusal.details,
            }),
            reason: refusal.rule.code().to_owned(),
            ..Entry::default()
        };
        self.chain.append(self.tx, self.now, entry).await?;
        Ok(())
    }
}
