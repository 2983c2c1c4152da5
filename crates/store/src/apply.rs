//! Applying an effective change to the person record, with the optimistic version check.

use chrono::{DateTime, Utc};
use personbase_domain::{Agency, ChangeRequest, Operator, Person};
use serde_json::json;
use sqlx::Row;

use crate::db::{Conn, Tx, date_text, time_text};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};

/// Writes `request`'s values onto `person` (as loaded in this transaction), raising the
/// version by one: `UPDATE ... WHERE id = $ AND version = $`. No row updated means another
/// writer got there first: [`StoreError::Conflict`] with the version now stored. Journals
/// `change.effective` with the full record before and after, and marks the request
/// effective. `by` is who made it effective (the last signer or the confirming operator).
pub(crate) async fn apply_request(
    tx: &mut Tx,
    person: &Person,
    request: &mut ChangeRequest,
    by: Option<(&Operator, &Agency)>,
    at: DateTime<Utc>,
) -> Result<Person> {
    let mut next = person.with_changes(&request.changes);
    let updated = sqlx::query(
        "UPDATE persons SET ssn = $1, name = $2, gender = $3, birth_date = $4, ethnicity = $5, \
         household_address = $6, household_type = $7, home_address = $8, phone = $9, \
         version = version + 1, updated_at = $10 WHERE id = $11 AND version = $12",
    )
    .bind(next.ssn.as_str())
    .bind(next.name.as_str())
    .bind(next.gender.code())
    .bind(date_text(next.birth_date))
    .bind(next.ethnicity.code())
    .bind(next.household_address.as_str())
    .bind(next.household_type.code())
    .bind(next.home_address.as_ref().map(|a| a.as_str().to_owned()))
    .bind(next.phone.as_ref().map(|p| p.as_str().to_owned()))
    .bind(time_text(at))
    .bind(person.id.0)
    .bind(person.version)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::Conflict { current_version: current_version(tx, person).await? });
    }
    next.version = person.version + 1;
    request.mark_effective(at);

    let entry = Entry {
        operator: by.map(|(o, _)| o.id),
        agency: by.map(|(_, a)| a.id),
        action: "change.effective",
        person: Some(person.id),
        request: Some(request.id),
        before: json!(person),
        after: json!(next),
        reason: request.reason.clone(),
    };
    journal::append(tx, at, entry).await?;
    tracing::info!(
        person = person.id.0,
        request = request.id.0,
        version = next.version,
        "change effective"
    );
    Ok(next)
}

async fn current_version(conn: &mut Conn, person: &Person) -> Result<i64> {
    let row = sqlx::query("SELECT version FROM persons WHERE id = $1")
        .bind(person.id.0)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(row.try_get("version")?),
        None => Err(StoreError::not_found("person", person.id)),
    }
}
