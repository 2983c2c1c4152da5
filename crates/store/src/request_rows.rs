//! Change requests as rows: insert, update, read, and the lists (an agency's inbox, overdue
//! requests of a region).

use chrono::NaiveDate;
use personbase_domain::{Agency, AgencyId, ChangeRequest, RequestId, RequestState};
use sqlx::Row;

use crate::Store;
use crate::db::{Conn, begin_read, date_text, time_text};
use crate::error::{Result, StoreError};
use crate::rows::{self, AGENCY_COLUMNS, REQUEST_COLUMNS};

/// The id the next request gets. The caller holds the write lock, so ids cannot race.
/// (PostgreSQL: `nextval` of the identity sequence.)
pub(crate) async fn next_request_id(conn: &mut Conn) -> Result<RequestId> {
    let row = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM change_requests")
        .fetch_one(&mut *conn)
        .await?;
    Ok(RequestId(row.try_get("next")?))
}

fn json_text<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::invalid("request", format!("无法保存申请内容：{e}")))
}

/// Stores a new request and the agencies that must sign it.
pub(crate) async fn insert_request(conn: &mut Conn, request: &ChangeRequest) -> Result<()> {
    sqlx::query(
        "INSERT INTO change_requests (id, person_id, state, changes_json, diff_json, source, \
         steps_json, needs_confirmation, confirmation_json, rules_json, registry_diff_json, \
         documents_json, reason, created_by, agency_id, created_at, due_on, closed_at, comment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19)",
    )
    .bind(request.id.0)
    .bind(request.person.0)
    .bind(request.state.code())
    .bind(json_text(&request.changes)?)
    .bind(json_text(&request.diff)?)
    .bind(request.source.code())
    .bind(json_text(&request.steps)?)
    .bind(request.needs_confirmation)
    .bind(request.confirmation.as_ref().map(json_text).transpose()?)
    .bind(json_text(&request.rules)?)
    .bind(json_text(&request.registry_differences)?)
    .bind(json_text(&request.documents)?)
    .bind(&request.reason)
    .bind(request.created_by.map(|o| o.0))
    .bind(request.agency.map(|a| a.0))
    .bind(time_text(request.created_at))
    .bind(date_text(request.due_on))
    .bind(request.closed_at.map(time_text))
    .bind(&request.comment)
    .execute(&mut *conn)
    .await?;
    for step in &request.steps {
        sqlx::query("INSERT INTO request_signers (request_id, agency_id) VALUES ($1, $2)")
            .bind(request.id.0)
            .bind(step.agency.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Stores what the life of a request changes: state, sign-offs, confirmation, closing.
pub(crate) async fn update_request(conn: &mut Conn, request: &ChangeRequest) -> Result<()> {
    sqlx::query(
        "UPDATE change_requests SET state = $1, steps_json = $2, confirmation_json = $3, \
         closed_at = $4, comment = $5 WHERE id = $6",
    )
    .bind(request.state.code())
    .bind(json_text(&request.steps)?)
    .bind(request.confirmation.as_ref().map(json_text).transpose()?)
    .bind(request.closed_at.map(time_text))
    .bind(&request.comment)
    .bind(request.id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Request `id`; [`StoreError::NotFound`] when there is none.
pub(crate) async fn request_in(conn: &mut Conn, id: RequestId) -> Result<ChangeRequest> {
    let sql = format!("SELECT {REQUEST_COLUMNS} FROM change_requests WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *conn).await?;
    match row {
        Some(row) => rows::request(&row),
        None => Err(StoreError::not_found("request", id)),
    }
}

impl Store {
    /// Request `id`; [`StoreError::NotFound`] when there is none.
    pub async fn request(&self, id: RequestId) -> Result<ChangeRequest> {
        let mut conn = self.pool.acquire().await?;
        request_in(&mut conn, id).await
    }

    /// The change requests of a person, newest first.
    pub async fn requests_of(
        &self,
        person: personbase_domain::PersonId,
    ) -> Result<Vec<ChangeRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM change_requests WHERE person_id = $1 ORDER BY id DESC"
        );
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.0).fetch_all(&self.pool).await?;
        rows.iter().map(rows::request).collect()
    }

    /// Requests waiting for `agency`'s sign-off whose turn has come (R2.3), oldest first.
    pub async fn inbox(&self, agency: AgencyId) -> Result<Vec<ChangeRequest>> {
        let sql = format!(
            "SELECT {cols} FROM change_requests r WHERE r.state = $1 AND r.id IN \
             (SELECT request_id FROM request_signers WHERE agency_id = $2) ORDER BY r.id",
            cols = REQUEST_COLUMNS
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(RequestState::WaitingForSignoff.code())
            .bind(agency.0)
            .fetch_all(&self.pool)
            .await?;
        let requests = rows.iter().map(rows::request).collect::<Result<Vec<_>>>()?;
        Ok(requests.into_iter().filter(|r| r.awaits(agency)).collect())
    }

    /// Requests still open after their due day (R4.1): open and due before `today`, oldest
    /// first. A request whose person has a transaction in transit is blocked, not overdue
    /// (R4.1's exception), and is left out. With `region` (an information centre), only
    /// requests made by or waiting for an agency in its region.
    pub async fn overdue(
        &self,
        today: NaiveDate,
        region: Option<&Agency>,
    ) -> Result<Vec<ChangeRequest>> {
        let mut tx = begin_read(&self.pool).await?;
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM change_requests \
             WHERE state IN ('draft', 'waiting_for_signoff', 'waiting_for_person') \
             AND due_on < $1 AND NOT EXISTS (SELECT 1 FROM transactions t \
             WHERE t.person_id = change_requests.person_id AND t.finished_at IS NULL) \
             ORDER BY due_on, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(date_text(today))
            .fetch_all(&mut *tx)
            .await?;
        let requests = rows.iter().map(rows::request).collect::<Result<Vec<_>>>()?;
        let Some(region) = region else {
            tx.commit().await?;
            return Ok(requests);
        };

        let sql = format!("SELECT {AGENCY_COLUMNS} FROM agencies");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *tx).await?;
        let agencies = rows.iter().map(rows::agency).collect::<Result<Vec<_>>>()?;
        tx.commit().await?;
        let in_region = |id: AgencyId| {
            agencies.iter().any(|a| a.id == id && region.region_contains(a.division))
        };
        Ok(requests
            .into_iter()
            .filter(|r| {
                r.agency.is_some_and(in_region) || r.steps.iter().any(|s| in_region(s.agency))
            })
            .collect())
    }
}
