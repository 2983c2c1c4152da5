//! Reference data: agencies and their operators.

use personbase_domain::{Agency, AgencyId, AgencyKind, Level, Operator, OperatorId, Role};
use serde_json::json;
use sqlx::Row;

use crate::Store;
use crate::db::{Conn, Tx, begin_write};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::rows::{self, AGENCY_COLUMNS, OPERATOR_COLUMNS};

impl Store {
    /// Creates an agency. Journaled as `agency.created`.
    pub async fn create_agency(
        &self,
        name: &str,
        kind: AgencyKind,
        level: Level,
        division: u32,
    ) -> Result<Agency> {
        if name.trim().is_empty() {
            return Err(StoreError::invalid("name", "机构名称不能为空"));
        }
        let mut tx = begin_write(&self.pool).await?;
        let row = sqlx::query(
            "INSERT INTO agencies (name, kind, level, division) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(name.trim())
        .bind(kind.code())
        .bind(level.code())
        .bind(i64::from(division))
        .fetch_one(&mut *tx)
        .await?;
        let agency = Agency {
            id: AgencyId(row.try_get("id")?),
            name: name.trim().to_owned(),
            kind,
            level,
            division,
        };

        let entry = Entry {
            action: "agency.created",
            agency: Some(agency.id),
            after: json!(agency),
            ..Entry::default()
        };
        journal::append(&mut tx, self.clock.now(), entry).await?;
        tx.commit().await?;
        tracing::info!(agency = agency.id.0, "agency created");
        Ok(agency)
    }

    /// Every agency, by id.
    pub async fn agencies(&self) -> Result<Vec<Agency>> {
        let sql = format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(rows::agency).collect()
    }

    /// The agency `id`; [`StoreError::NotFound`] when there is none.
    pub async fn agency(&self, id: AgencyId) -> Result<Agency> {
        let mut conn = self.pool.acquire().await?;
        agency_in(&mut conn, id).await
    }

    /// Creates an operator of `agency` with a password hash (argon2, made by the caller).
    /// Journaled as `operator.created` (without the hash). A login already in use is
    /// [`StoreError::Invalid`].
    pub async fn create_operator(
        &self,
        login: &str,
        name: &str,
        agency: AgencyId,
        roles: &[Role],
        password_hash: &str,
    ) -> Result<Operator> {
        if login.trim().is_empty() {
            return Err(StoreError::invalid("login", "登录名不能为空"));
        }
        let mut tx = begin_write(&self.pool).await?;
        agency_in(&mut tx, agency).await?;
        let taken = sqlx::query("SELECT id FROM operators WHERE login = $1")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::invalid("login", "该登录名已被使用"));
        }
        let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        let row = sqlx::query(
            "INSERT INTO operators (login, name, agency_id, roles, password_hash) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(login)
        .bind(name)
        .bind(agency.0)
        .bind(codes.join(","))
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await?;
        let operator = Operator {
            id: OperatorId(row.try_get("id")?),
            login: login.to_owned(),
            name: name.to_owned(),
            agency,
            roles: roles.to_vec(),
        };

        let entry = Entry {
            action: "operator.created",
            agency: Some(agency),
            after: json!(operator),
            ..Entry::default()
        };
        journal::append(&mut tx, self.clock.now(), entry).await?;
        tx.commit().await?;
        tracing::info!(operator = operator.id.0, agency = agency.0, "operator created");
        Ok(operator)
    }

    /// The operator with `login` and their password hash, for logging in; `None` when there
    /// is no such login.
    pub async fn operator_credentials(&self, login: &str) -> Result<Option<(Operator, String)>> {
        let sql =
            format!("SELECT {OPERATOR_COLUMNS}, password_hash FROM operators WHERE login = $1");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(login).fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(None) };
        let operator = rows::operator(&row)?;
        let hash = rows::Fields::by_id(&row, "operators").text("password_hash")?;
        Ok(Some((operator, hash)))
    }

    /// The operator `id`; [`StoreError::NotFound`] when there is none.
    pub async fn operator(&self, id: OperatorId) -> Result<Operator> {
        let mut conn = self.pool.acquire().await?;
        operator_in(&mut conn, id).await
    }
}

/// The agency `id`, read on `conn`.
pub(crate) async fn agency_in(conn: &mut Conn, id: AgencyId) -> Result<Agency> {
    let sql = format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *conn).await?;
    match row {
        Some(row) => rows::agency(&row),
        None => Err(StoreError::not_found("agency", id)),
    }
}

/// The operator `id`, read on `conn`.
pub(crate) async fn operator_in(conn: &mut Conn, id: OperatorId) -> Result<Operator> {
    let sql = format!("SELECT {OPERATOR_COLUMNS} FROM operators WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&mut *conn).await?;
    match row {
        Some(row) => rows::operator(&row),
        None => Err(StoreError::not_found("operator", id)),
    }
}

/// Re-reads `operator` inside the transaction: the caller's copy may be stale (roles or
/// agency changed since the session began). Returns the operator and their agency.
pub(crate) async fn acting(tx: &mut Tx, operator: &Operator) -> Result<(Operator, Agency)> {
    let current = operator_in(tx, operator.id).await?;
    let agency = agency_in(tx, current.agency).await?;
    Ok((current, agency))
}
