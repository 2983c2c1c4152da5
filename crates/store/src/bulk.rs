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
//!
//! The rows go through in chunks of at most [`ROWS_PER_STATEMENT`], each chunk with one
//! statement per kind of read or write (`crate::batched`): the holders, the registry
//! records and the holders' active enrolments are read with `IN` lists, the rules decide
//! every row in order, then the new records, the enrolments and the journal entries (hashed
//! here, in row order) are inserted with multi-row statements. A chunk ends before a number
//! it already holds, so that the row repeating it sees the first one's record, exactly as
//! one row at a time would: outcomes, ids, journal entries and their order are those of
//! the rows handled one by one.

use std::collections::{HashMap, HashSet};

use personbase_domain::rules::{InputSource, Refusal, RuleId, decide_entry, same_person};
use personbase_domain::{
    Agency, AgencyId, BusinessLine, Enrolment, FieldDiff, NewPerson, Operator, Person, PersonId,
    RegistryRecord,
};
use serde_json::{Value, json};

use crate::Store;
use crate::batched::ROWS_PER_STATEMENT;
use crate::bulk_sql::{active_enrolments, holders, insert_enrolments, registry_records};
use crate::db::{Tx, begin_read, begin_write};
use crate::error::Result;
use crate::journal::{Chain, Entry, store_sealed};
use crate::people::{insert_persons, registry_differs};
use crate::reference::acting;

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
        /// The fields where the row differs from the registry snapshot, whose values were
        /// stored (R2.8): `before` is the row's value, `after` the registry's. A number the
        /// snapshot lacks is no difference: `registry reconcile` lists those.
        registry_differences: Vec<FieldDiff>,
    },
    /// [`BulkMode::Check`]: the rules accept the row; loading would enter it.
    Accepted {
        /// As for [`BulkOutcome::Loaded`]: the registry's values a load would store.
        registry_differences: Vec<FieldDiff>,
    },
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
        let mut tx = match mode {
            BulkMode::Load => begin_write(&self.pool).await?,
            BulkMode::Check => begin_read(&self.pool).await?,
        };
        let (operator, agency) = acting(&mut tx, by).await?;
        let registry_loaded = sqlx::query("SELECT ssn FROM registry LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        let chain = match mode {
            BulkMode::Load => Some(Chain::head(&mut tx).await?),
            BulkMode::Check => None,
        };
        let mut batch = Batch {
            store: self,
            tx,
            chain,
            operator,
            agency,
            registry_loaded,
            now: self.clock.now(),
            today: self.clock.today(),
        };

        let mut outcomes = Vec::with_capacity(rows.len());
        let mut loaded = 0usize;
        let mut rest = rows;
        while !rest.is_empty() {
            let (chunk, after) = rest.split_at(chunk_len(rest));
            loaded += batch.chunk(chunk, &mut outcomes).await?;
            rest = after;
        }

        let Batch { tx, operator, .. } = batch;
        match mode {
            BulkMode::Load => tx.commit().await?,
            BulkMode::Check => tx.rollback().await?,
        }
        tracing::info!(rows = rows.len(), loaded, operator = operator.id.0, "bulk batch done");
        Ok(outcomes)
    }
}

/// How many of `rows` the next chunk takes: at most [`ROWS_PER_STATEMENT`], and none from
/// the first row whose number an earlier row of the chunk carries.
fn chunk_len(rows: &[BulkRow]) -> usize {
    let mut numbers = HashSet::with_capacity(ROWS_PER_STATEMENT);
    rows.iter()
        .take(ROWS_PER_STATEMENT)
        .take_while(|row| numbers.insert(row.person.ssn.as_str()))
        .count()
}

/// What the rules made of one row of a chunk, before anything is written.
enum Step {
    /// The holder is the same person; `enrol` is the enrolment to open, if the row carries
    /// one the person does not have yet.
    Present { holder: PersonId, enrol: Option<(BusinessLine, AgencyId)> },
    /// Accepted: the record to insert (in the chunk's list of new records), the rules to
    /// journal, and where the registry's values replaced the row's (journaled too).
    Enter { rules: Vec<RuleId>, differences: Vec<FieldDiff> },
    /// Refused by the rules of entry.
    Refused(Refusal),
}

/// One batch's transaction and what every chunk of it needs.
struct Batch<'s> {
    store: &'s Store,
    tx: Tx,
    /// The journal's head; none in [`BulkMode::Check`].
    chain: Option<Chain>,
    operator: Operator,
    agency: Agency,
    registry_loaded: bool,
    now: chrono::DateTime<chrono::Utc>,
    today: chrono::NaiveDate,
}

impl Batch<'_> {
    /// Decides and (in [`BulkMode::Load`]) writes one chunk, rows with different numbers;
    /// pushes an outcome per row; returns how many rows were loaded.
    async fn chunk(&mut self, rows: &[BulkRow], outcomes: &mut Vec<BulkOutcome>) -> Result<usize> {
        let numbers: Vec<&str> = rows.iter().map(|r| r.person.ssn.as_str()).collect();
        let holders = holders(&mut self.tx, &numbers).await?;
        let registry = match self.registry_loaded {
            true => registry_records(&mut self.tx, &numbers).await?,
            false => HashMap::new(),
        };
        let loading = self.chain.is_some();

        let mut steps = Vec::with_capacity(rows.len());
        let mut new = Vec::new();
        for row in rows {
            let holder = holders.get(row.person.ssn.as_str());
            let registry: Option<&RegistryRecord> = registry.get(row.person.ssn.as_str());
            if let Some(holder) = holder
                && same_person(&row.person, holder, registry)
            {
                let enrol = if loading { row.enrolment } else { None };
                steps.push(Step::Present { holder: holder.id, enrol });
                continue;
            }
            let decision = decide_entry(
                &self.store.policy,
                self.today,
                &self.operator,
                &row.person,
                InputSource::Legacy,
                registry,
                holder.map(|h| h.id),
            );
            steps.push(match decision {
                Ok(plan) => {
                    new.push(plan.person);
                    Step::Enter { rules: plan.rules, differences: plan.registry_differences }
                }
                Err(refusal) => Step::Refused(refusal),
            });
        }
        if !loading {
            outcomes.extend(steps.into_iter().map(|step| match step {
                Step::Present { holder, .. } => {
                    BulkOutcome::AlreadyPresent { person: holder, enrolment_added: false }
                }
                Step::Refused(refusal) => BulkOutcome::Refused(refusal),
                Step::Enter { differences, .. } => {
                    BulkOutcome::Accepted { registry_differences: differences }
                }
            }));
            return Ok(0);
        }
        self.write(rows, steps, new, outcomes).await
    }

    /// Writes a decided chunk: the new records, the enrolments, the journal entries in row
    /// order; pushes an outcome per row; returns how many rows were loaded.
    async fn write(
        &mut self,
        rows: &[BulkRow],
        mut steps: Vec<Step>,
        new: Vec<NewPerson>,
        outcomes: &mut Vec<BulkOutcome>,
    ) -> Result<usize> {
        // Only the enrolments a present person lacks are opened.
        let present: Vec<i64> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Present { holder, enrol: Some(_) } => Some(holder.0),
                _ => None,
            })
            .collect();
        if !present.is_empty() {
            let held = active_enrolments(&mut self.tx, &present).await?;
            for step in &mut steps {
                if let Step::Present { holder, enrol } = step
                    && let Some((line, agency)) = *enrol
                    && held.contains(&(holder.0, line.code().to_owned(), agency.0))
                {
                    *enrol = None;
                }
            }
        }

        let mut new =
            insert_persons(&mut self.tx, new, self.agency.id, self.now).await?.into_iter();
        let mut entered = Vec::with_capacity(new.len());
        let mut opening = Vec::new();
        for (row, step) in rows.iter().zip(&steps) {
            match step {
                Step::Enter { .. } => {
                    let person =
                        new.next().ok_or_else(|| crate::people::not_returned("persons"))?;
                    if let Some((line, agency)) = row.enrolment {
                        opening.push((person.id, line, agency));
                    }
                    entered.push(person);
                }
                Step::Present { holder, enrol: Some((line, agency)) } => {
                    opening.push((*holder, *line, *agency));
                }
                Step::Present { enrol: None, .. } | Step::Refused(_) => {}
            }
        }
        let enrolments = insert_enrolments(&mut self.tx, &opening, self.now).await?;

        let Some(chain) = self.chain.as_mut() else { return Ok(0) };
        let mut entered = entered.into_iter();
        let mut enrolments = enrolments.into_iter();
        let mut sealed = Vec::with_capacity(rows.len() * 2);
        let mut loaded = 0;
        for (row, step) in rows.iter().zip(steps) {
            let mut entries = Vec::with_capacity(3);
            match step {
                Step::Enter { rules, differences } => {
                    let person =
                        entered.next().ok_or_else(|| crate::people::not_returned("persons"))?;
                    let id = person.id;
                    entries.push(created(&self.operator, self.agency.id, row, person, &rules));
                    if !differences.is_empty() {
                        entries.push(registry_differs(
                            &self.operator,
                            &self.agency,
                            id,
                            &differences,
                        ));
                    }
                    if row.enrolment.is_some() {
                        let enrolment = next_enrolment(&mut enrolments)?;
                        entries.push(opened(&self.operator, row, enrolment));
                    }
                    loaded += 1;
                    outcomes.push(BulkOutcome::Loaded {
                        person: id,
                        registry_differences: differences,
                    });
                }
                Step::Present { holder, enrol } => {
                    if enrol.is_some() {
                        let enrolment = next_enrolment(&mut enrolments)?;
                        entries.push(opened(&self.operator, row, enrolment));
                    }
                    outcomes.push(BulkOutcome::AlreadyPresent {
                        person: holder,
                        enrolment_added: enrol.is_some(),
                    });
                }
                Step::Refused(refusal) => {
                    entries.push(refused(&self.operator, self.agency.id, row, &refusal));
                    outcomes.push(BulkOutcome::Refused(refusal));
                }
            }
            sealed.extend(entries.into_iter().map(|e| chain.seal(self.now, e)));
        }
        store_sealed(&mut self.tx, &sealed).await?;
        Ok(loaded)
    }
}

/// The next enrolment opened, in the order they were asked for.
fn next_enrolment(opened: &mut impl Iterator<Item = Enrolment>) -> Result<Enrolment> {
    opened.next().ok_or_else(|| crate::people::not_returned("enrolments"))
}

/// The journal source of a row: the file and its row number.
fn source(row: &BulkRow) -> Value {
    json!({ "input": InputSource::Legacy, "file": row.file, "row": row.row })
}

/// The reason journaled with a row's entries.
fn reason(row: &BulkRow) -> String {
    format!("旧系统数据导入：{} 第 {} 行", row.file, row.row)
}

/// `person.created` for a record entered from `row`.
fn created(
    operator: &Operator,
    entered_by: AgencyId,
    row: &BulkRow,
    person: Person,
    rules: &[RuleId],
) -> Entry {
    Entry {
        operator: Some(operator.id),
        agency: Some(entered_by),
        action: "person.created",
        person: Some(person.id),
        before: Value::Null,
        after: json!({ "person": person, "source": source(row), "rules": rules }),
        reason: reason(row),
        ..Entry::default()
    }
}

/// `enrolment.opened` for the enrolment `row` carries.
fn opened(operator: &Operator, row: &BulkRow, enrolment: Enrolment) -> Entry {
    Entry {
        operator: Some(operator.id),
        agency: Some(enrolment.agency),
        action: "enrolment.opened",
        person: Some(enrolment.person),
        before: Value::Null,
        after: json!({ "enrolment": enrolment, "source": source(row) }),
        reason: reason(row),
        ..Entry::default()
    }
}

/// `person.refused` for a refused row, as a refusal at the counter is journaled.
fn refused(operator: &Operator, agency: AgencyId, row: &BulkRow, refusal: &Refusal) -> Entry {
    Entry {
        operator: Some(operator.id),
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
    }
}
