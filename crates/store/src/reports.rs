//! What information centres read to supervise their region (R1.1): its open and overdue
//! change requests, same-day completion (R4.1) per agency and per day, and the audit trail of
//! a person or an operator. Read-only: nothing here writes, so nothing is journaled. The
//! trails show the journal's values, which the pages mask; a view of unmasked data goes
//! through [`Store::view_unmasked`], which journals it (R4.2).
//!
//! Who may read what is the rules' decision ([`check_supervision`], [`check_view`]), asked
//! inside the read transaction with the operator and agency as stored now.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use personbase_domain::rules::{check_supervision, check_view};
use personbase_domain::{
    Agency, AgencyId, ChangeRequest, Operator, OperatorId, PersonId, Timeliness,
};
use sqlx::Row;

use crate::db::{Tx, begin_read, date_text};
use crate::error::{Result, StoreError};
use crate::journal::{JOURNAL_COLUMNS, JournalEntry, Stored};
use crate::reference::acting;
use crate::rows::{self, AGENCY_COLUMNS, REQUEST_COLUMNS};
use crate::{Store, situation};

/// An open request of the region, with whether in-transit business blocks it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenRequest {
    /// The request.
    pub request: ChangeRequest,
    /// Whether one of the person's transactions is in transit (R4.1's exception).
    pub in_transit: bool,
}

/// How many requests accepted in a group stand where against same-day completion (R4.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Requests accepted.
    pub accepted: u32,
    /// Finished on the day they were accepted.
    pub same_day: u32,
    /// Finished on a later day.
    pub late: u32,
    /// Still open after their day.
    pub overdue: u32,
    /// Excused: blocked by in-transit business (open now, or when they finished late).
    pub excused: u32,
    /// Still open on their own day (today): not decided yet.
    pub pending: u32,
}

impl Tally {
    fn add(&mut self, timeliness: Timeliness) {
        self.accepted += 1;
        match timeliness {
            Timeliness::SameDay => self.same_day += 1,
            Timeliness::Late => self.late += 1,
            Timeliness::Overdue => self.overdue += 1,
            Timeliness::Excused | Timeliness::Blocked => self.excused += 1,
            Timeliness::Pending => self.pending += 1,
        }
    }

    /// Requests that count in the rate: finished the same day, finished late, or overdue.
    pub fn counted(&self) -> u32 {
        self.same_day + self.late + self.overdue
    }

    /// The same-day completion rate in per cent, `None` when no request counts yet.
    pub fn rate(&self) -> Option<f64> {
        let counted = self.counted();
        (counted > 0).then(|| f64::from(self.same_day) * 100.0 / f64::from(counted))
    }
}

/// Same-day completion of one agency: the requests it accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct AgencyCompletion {
    /// The accepting agency; `None` for requests the person made on the self-service portal.
    pub agency: Option<Agency>,
    /// Its requests.
    pub tally: Tally,
}

/// Same-day completion of one day: the requests accepted that day.
#[derive(Clone, Debug, PartialEq)]
pub struct DayCompletion {
    /// The day (China Standard Time).
    pub day: NaiveDate,
    /// Its requests.
    pub tally: Tally,
}

/// What an information centre's overview shows of its region.
#[derive(Clone, Debug)]
pub struct RegionOverview {
    /// The centre.
    pub centre: Agency,
    /// The platform's day the overview was read on.
    pub today: NaiveDate,
    /// The first day of the completion period (`today` is the last).
    pub from: NaiveDate,
    /// Every agency, for names.
    pub agencies: Vec<Agency>,
    /// The region's open requests, oldest day first.
    pub open: Vec<OpenRequest>,
    /// The region's overdue requests (as [`Store::overdue`] finds them), oldest day first.
    pub overdue: Vec<ChangeRequest>,
    /// Same-day completion per accepting agency, agencies by id, self-service last; only
    /// agencies that accepted a request in the period.
    pub by_agency: Vec<AgencyCompletion>,
    /// Same-day completion per day of the period, every day from `from` to `today`.
    pub by_day: Vec<DayCompletion>,
}

/// Whether a request concerns `centre`'s region: made by an agency in it or waiting for one
/// (the same test as [`Store::overdue`]'s).
fn in_region(request: &ChangeRequest, centre: &Agency, agencies: &[Agency]) -> bool {
    let covers =
        |id: AgencyId| agencies.iter().any(|a| a.id == id && centre.region_contains(a.division));
    request.agency.is_some_and(covers) || request.steps.iter().any(|s| covers(s.agency))
}

async fn all_agencies(tx: &mut Tx) -> Result<Vec<Agency>> {
    let sql = format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut **tx).await?;
    rows.iter().map(rows::agency).collect()
}

fn read_entries(rows: &[crate::db::DbRow]) -> Result<Vec<JournalEntry>> {
    rows.iter()
        .map(|row| {
            let (stored, hash) = Stored::read(row)?;
            stored.into_entry(hash)
        })
        .collect()
}

fn flag(row: &crate::db::DbRow, column: &'static str) -> Result<bool> {
    let value: i64 = row.try_get(column)?;
    Ok(value != 0)
}

impl Store {
    /// The overview of `by`'s information centre: open and overdue requests of its region,
    /// and same-day completion (R4.1) of the requests accepted in the last `days` days
    /// (today included), per accepting agency and per day. Refused (R1.1, R4.2) unless `by`
    /// works at an information centre.
    pub async fn region_overview(&self, by: &Operator, days: u32) -> Result<RegionOverview> {
        let today = self.clock.today();
        let from = today.checked_sub_days(Days::new(u64::from(days.max(1)) - 1)).unwrap_or(today);
        let mut tx = begin_read(&self.pool).await?;
        let (_, centre) = acting(&mut tx, by).await?;
        check_supervision(&centre, None).map_err(StoreError::Refused)?;
        let agencies = all_agencies(&mut tx).await?;

        let sql = format!(
            "SELECT {REQUEST_COLUMNS}, CASE WHEN EXISTS (SELECT 1 FROM transactions t \
             WHERE t.person_id = change_requests.person_id AND t.finished_at IS NULL) \
             THEN 1 ELSE 0 END AS in_transit FROM change_requests \
             WHERE state IN ('draft', 'waiting_for_signoff', 'waiting_for_person') \
             ORDER BY due_on, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *tx).await?;
        let mut open = Vec::new();
        for row in &rows {
            let request = rows::request(row)?;
            if in_region(&request, &centre, &agencies) {
                open.push(OpenRequest { request, in_transit: flag(row, "in_transit")? });
            }
        }

        // Blocked while open: a transaction in transit now. Blocked before finishing late:
        // a transaction in transit at some time between acceptance and the end.
        let sql = format!(
            "SELECT {REQUEST_COLUMNS}, CASE WHEN EXISTS (SELECT 1 FROM transactions t \
             WHERE t.person_id = change_requests.person_id AND ((change_requests.closed_at \
             IS NULL AND t.finished_at IS NULL) OR (change_requests.closed_at IS NOT NULL \
             AND t.started_at < change_requests.closed_at AND (t.finished_at IS NULL \
             OR t.finished_at > change_requests.created_at)))) \
             THEN 1 ELSE 0 END AS in_transit FROM change_requests \
             WHERE due_on >= $1 AND due_on <= $2 ORDER BY id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(date_text(from))
            .bind(date_text(today))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;

        let mut per_agency: BTreeMap<Option<AgencyId>, Tally> = BTreeMap::new();
        let mut per_day: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
        for row in &rows {
            let request = rows::request(row)?;
            if !in_region(&request, &centre, &agencies) {
                continue;
            }
            let timeliness = request.timeliness(today, flag(row, "in_transit")?);
            per_agency.entry(request.agency).or_default().add(timeliness);
            per_day.entry(request.due_on).or_default().add(timeliness);
        }
        let mut by_agency: Vec<AgencyCompletion> = per_agency
            .iter()
            .filter_map(|(id, tally)| {
                let agency = id.and_then(|id| agencies.iter().find(|a| a.id == id)).cloned();
                id.is_some().then_some(AgencyCompletion { agency, tally: *tally })
            })
            .collect();
        if let Some(tally) = per_agency.get(&None) {
            by_agency.push(AgencyCompletion { agency: None, tally: *tally });
        }
        let by_day = from
            .iter_days()
            .take_while(|day| *day <= today)
            .map(|day| DayCompletion { day, tally: per_day.get(&day).copied().unwrap_or_default() })
            .collect();

        let overdue = self.overdue(today, Some(&centre)).await?;
        tracing::debug!(agency = centre.id.0, "region overview read");
        Ok(RegionOverview { centre, today, from, agencies, open, overdue, by_agency, by_day })
    }

    /// The audit trail of `person` for `by`'s information centre, oldest first: every
    /// journal entry about the person, values as stored (the caller masks them). Refused
    /// unless `by` works at a centre whose region covers the person (R1.1, R4.2).
    pub async fn person_trail(&self, by: &Operator, person: PersonId) -> Result<Vec<JournalEntry>> {
        let mut tx = begin_read(&self.pool).await?;
        let (_, centre) = acting(&mut tx, by).await?;
        check_supervision(&centre, None).map_err(StoreError::Refused)?;
        let loaded = situation::load(&mut tx, person, None).await?;
        check_view(&centre, &loaded.situation()).map_err(StoreError::Refused)?;
        let sql =
            format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE person_id = $1 ORDER BY seq");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.0).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        read_entries(&rows)
    }

    /// The audit trail of `operator` for `by`'s information centre, oldest first: every
    /// journal entry the operator made, values as stored (the caller masks them). Refused
    /// unless `by` works at a centre whose region covers the operator's agency (R1.1).
    pub async fn operator_trail(
        &self,
        by: &Operator,
        operator: OperatorId,
    ) -> Result<Vec<JournalEntry>> {
        let mut tx = begin_read(&self.pool).await?;
        let (_, centre) = acting(&mut tx, by).await?;
        check_supervision(&centre, None).map_err(StoreError::Refused)?;
        let watched = crate::reference::operator_in(&mut tx, operator).await?;
        let agency = crate::reference::agency_in(&mut tx, watched.agency).await?;
        check_supervision(&centre, Some(agency.division)).map_err(StoreError::Refused)?;
        let sql =
            format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE operator_id = $1 ORDER BY seq");
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(operator.0).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        read_entries(&rows)
    }

    /// `by`'s agency when it is an information centre, as stored now; refused otherwise
    /// (R1.1): for pages that show a centre's forms before they read anything.
    pub async fn supervising_centre(&self, by: &Operator) -> Result<Agency> {
        let mut tx = begin_read(&self.pool).await?;
        let (_, centre) = acting(&mut tx, by).await?;
        tx.commit().await?;
        check_supervision(&centre, None).map_err(StoreError::Refused)?;
        Ok(centre)
    }
}
