//! The bulk loader's statements (`crate::bulk`): the look-ups of a chunk of rows with `IN`
//! lists and the inserts of its enrolments, each statement written in its one-row form and
//! widened by `crate::batched` (at most [`ROWS_PER_STATEMENT`] values per statement).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use personbase_domain::{
    AgencyId, BusinessLine, Enrolment, EnrolmentId, Person, PersonId, RegistryRecord,
};
use sqlx::Row;

use crate::batched::{ROWS_PER_STATEMENT, in_list, repeat_values, rows_per_statement};
use crate::db::{DbRow, Tx, time_text};
use crate::error::Result;
use crate::people::not_returned;
use crate::rows::{self, PERSON_COLUMNS, REGISTRY_COLUMNS};

/// Runs `one_value` (a statement with `IN ($1)`) for every value of `values`, at most
/// [`ROWS_PER_STATEMENT`] per statement, and maps each row returned with `map`.
async fn fetch_in<V, T>(
    tx: &mut Tx,
    one_value: &str,
    values: &[V],
    mut map: impl FnMut(&DbRow) -> Result<T>,
) -> Result<Vec<T>>
where
    V: for<'q> sqlx::Encode<'q, crate::db::Db> + sqlx::Type<crate::db::Db> + Clone + Send,
{
    let mut found = Vec::new();
    for chunk in values.chunks(ROWS_PER_STATEMENT) {
        // Only placeholders are spliced in; every value is bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(in_list(one_value, chunk.len())));
        for value in chunk {
            query = query.bind(value.clone());
        }
        for row in query.fetch_all(&mut **tx).await? {
            found.push(map(&row)?);
        }
    }
    Ok(found)
}

/// The records holding any of `numbers`, by number.
pub(crate) async fn holders(tx: &mut Tx, numbers: &[&str]) -> Result<HashMap<String, Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM persons WHERE ssn IN ($1)");
    let found = fetch_in(tx, &sql, numbers, rows::person).await?;
    Ok(found.into_iter().map(|p| (p.ssn.as_str().to_owned(), p)).collect())
}

/// The registry's records of any of `numbers`, by number.
pub(crate) async fn registry_records(
    tx: &mut Tx,
    numbers: &[&str],
) -> Result<HashMap<String, RegistryRecord>> {
    let sql = format!("SELECT {REGISTRY_COLUMNS} FROM registry WHERE ssn IN ($1)");
    let found = fetch_in(tx, &sql, numbers, rows::registry).await?;
    Ok(found.into_iter().map(|r| (r.ssn.as_str().to_owned(), r)).collect())
}

/// The active enrolments of `persons`, as (person, line code, agency).
pub(crate) async fn active_enrolments(
    tx: &mut Tx,
    persons: &[i64],
) -> Result<HashSet<(i64, String, i64)>> {
    let sql = "SELECT person_id, line, agency_id FROM enrolments WHERE active = TRUE \
               AND person_id IN ($1)";
    let found = fetch_in(tx, sql, persons, |row| {
        Ok((row.try_get("person_id")?, row.try_get("line")?, row.try_get("agency_id")?))
    })
    .await?;
    Ok(found.into_iter().collect())
}

/// The statement that opens one enrolment; [`insert_enrolments`] repeats its row of values.
const INSERT_ENROLMENT: &str = "INSERT INTO enrolments (person_id, line, agency_id, active, \
     opened_at) VALUES ($1, $2, $3, TRUE, $4) RETURNING id, person_id";

/// Opens the active enrolments `opening` (person, line, agency) at `now`, in that order (the
/// ids grow with it); the persons must differ from each other, since the new ids are matched
/// to the enrolments by person (the order of `RETURNING` is not guaranteed).
pub(crate) async fn insert_enrolments(
    tx: &mut Tx,
    opening: &[(PersonId, BusinessLine, AgencyId)],
    now: DateTime<Utc>,
) -> Result<Vec<Enrolment>> {
    let now = time_text(now);
    let mut opened = Vec::with_capacity(opening.len());
    for chunk in opening.chunks(rows_per_statement(INSERT_ENROLMENT)) {
        // Only placeholders are spliced in; every value is bound.
        let mut query =
            sqlx::query(sqlx::AssertSqlSafe(repeat_values(INSERT_ENROLMENT, chunk.len())));
        for (person, line, agency) in chunk {
            query = query.bind(person.0).bind(line.code()).bind(agency.0).bind(now.as_str());
        }
        let mut ids = HashMap::with_capacity(chunk.len());
        for row in query.fetch_all(&mut **tx).await? {
            ids.insert(row.try_get::<i64, _>("person_id")?, row.try_get::<i64, _>("id")?);
        }
        for &(person, line, agency) in chunk {
            let id = ids.get(&person.0).copied().ok_or_else(|| not_returned("enrolments"))?;
            opened.push(Enrolment { id: EnrolmentId(id), person, line, agency, active: true });
        }
    }
    Ok(opened)
}
