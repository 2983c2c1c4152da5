//! The business systems' routes (`X-Api-Key`): enrolments, in-transit transactions (R2.12)
//! and special businesses (R2.11). The key fixes the line and the agency.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use personbase_domain::{Enrolment, PersonId, SpecialKind, Transaction, TransactionId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::BusinessSystem;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::input::{ApiJson, ApiPath};

/// The person a business system acts on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonRef {
    /// Person id.
    person_id: i64,
}

/// An enrolment.
#[derive(Serialize, ToSchema)]
pub(crate) struct EnrolmentView {
    /// Enrolment id.
    id: i64,
    /// Person id.
    person: i64,
    /// Business line code.
    line: String,
    /// Holding agency.
    agency: i64,
    /// Whether it is open.
    active: bool,
}

impl EnrolmentView {
    fn of(e: &Enrolment) -> Self {
        EnrolmentView {
            id: e.id.0,
            person: e.person.0,
            line: e.line.code().to_owned(),
            agency: e.agency.0,
            active: e.active,
        }
    }
}

/// Enrols the person in the key's line at the key's agency.
#[utoipa::path(post, path = "/api/v1/business/enrolments", tag = "business",
    security(("api_key" = [])), request_body = PersonRef,
    responses((status = 201, body = EnrolmentView), (status = 401, body = ErrorBody)))]
pub(crate) async fn enrol(
    State(state): State<AppState>,
    BusinessSystem(key): BusinessSystem,
    ApiJson(input): ApiJson<PersonRef>,
) -> ApiResult<(StatusCode, Json<EnrolmentView>)> {
    let enrolment = state.store.enrol(&key, PersonId(input.person_id)).await?;
    tracing::info!(api_key = key.id, person = input.person_id, "enrolled");
    Ok((StatusCode::CREATED, Json(EnrolmentView::of(&enrolment))))
}

/// Closes the person's enrolment in the key's line at the key's agency.
#[utoipa::path(delete, path = "/api/v1/business/enrolments/{person_id}", tag = "business",
    security(("api_key" = [])), params(("person_id" = i64, Path, description = "person id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub(crate) async fn close_enrolment(
    State(state): State<AppState>,
    BusinessSystem(key): BusinessSystem,
    ApiPath(person_id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.store.close_enrolment(&key, PersonId(person_id)).await?;
    tracing::info!(api_key = key.id, person = person_id, "enrolment closed");
    Ok(StatusCode::NO_CONTENT)
}

/// A transaction to start.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransactionInput {
    /// Person id.
    person_id: i64,
    /// The business system's reference (业务号).
    reference: String,
    /// What it is, e.g. 养老保险关系转移.
    description: String,
}

/// A transaction of a business line.
#[derive(Serialize, ToSchema)]
pub(crate) struct TransactionView {
    /// Transaction id.
    id: i64,
    /// Person id.
    person: i64,
    /// Line code.
    line: String,
    /// Agency.
    agency: i64,
    /// Reference.
    reference: String,
    /// Description.
    description: String,
    /// Started.
    started_at: DateTime<Utc>,
    /// Finished; `null` while in transit.
    finished_at: Option<DateTime<Utc>>,
}

impl TransactionView {
    fn of(t: &Transaction) -> Self {
        TransactionView {
            id: t.id.0,
            person: t.person.0,
            line: t.line.code().to_owned(),
            agency: t.agency.0,
            reference: t.reference.clone(),
            description: t.description.clone(),
            started_at: t.started_at,
            finished_at: t.finished_at,
        }
    }
}

fn required<'a>(field: &str, value: &'a str) -> ApiResult<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::invalid(field, "此项不能为空"));
    }
    Ok(value)
}

/// Starts an in-transit transaction (R2.12): changes of the person wait until it finishes.
#[utoipa::path(post, path = "/api/v1/business/transactions", tag = "business",
    security(("api_key" = [])), request_body = TransactionInput,
    responses((status = 201, body = TransactionView), (status = 403, body = ErrorBody)))]
pub(crate) async fn start_transaction(
    State(state): State<AppState>,
    BusinessSystem(key): BusinessSystem,
    ApiJson(input): ApiJson<TransactionInput>,
) -> ApiResult<(StatusCode, Json<TransactionView>)> {
    let reference = required("reference", &input.reference)?;
    let description = required("description", &input.description)?;
    let tx = state
        .store
        .start_transaction(&key, PersonId(input.person_id), reference, description)
        .await?;
    tracing::info!(
        api_key = key.id,
        person = input.person_id,
        transaction = tx.id.0,
        "transaction started"
    );
    Ok((StatusCode::CREATED, Json(TransactionView::of(&tx))))
}

/// Finishes a transaction.
#[utoipa::path(post, path = "/api/v1/business/transactions/{id}/finish", tag = "business",
    security(("api_key" = [])), params(("id" = i64, Path, description = "transaction id")),
    responses((status = 200, body = TransactionView), (status = 404, body = ErrorBody)))]
pub(crate) async fn finish_transaction(
    State(state): State<AppState>,
    BusinessSystem(key): BusinessSystem,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TransactionView>> {
    let tx = state.store.finish_transaction(&key, TransactionId(id)).await?;
    tracing::info!(api_key = key.id, transaction = id, "transaction finished");
    Ok(Json(TransactionView::of(&tx)))
}

/// A special business to attach.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpecialInput {
    /// Person id.
    person_id: i64,
    /// `pension_merged_contribution`.
    kind: String,
    /// The business system's reference.
    reference: String,
}

fn parse_kind(code: &str) -> ApiResult<SpecialKind> {
    SpecialKind::from_code(code)
        .ok_or_else(|| ApiError::invalid("kind", "特殊业务类型应为pension_merged_contribution"))
}

/// Attaches a special business (R2.11): only a pension-line key.
#[utoipa::path(post, path = "/api/v1/business/specials", tag = "business",
    security(("api_key" = [])), request_body = SpecialInput,
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub(crate) async fn add_special(
    State(state): State<AppState>,
    BusinessSystem(key): BusinessSystem,
    ApiJson(input): ApiJson<SpecialInput>,
) -> ApiResult<StatusCode> {
    let kind = parse_kind(&input.kind)?;
    let reference = required("reference", &input.reference)?;
    state.store.add_special(&key, PersonId(input.person_id), kind, reference).await?;
    tracing::info!(api_key = key.id, person = input.person_id, "special business added");
    Ok(StatusCode::NO_CONTENT)
}

/// Cancels a special business (R2.11), after which changes may proceed.
#[utoipa::path(delete, path = "/api/v1/business/specials/{person_id}/{kind}", tag = "business",
    security(("api_key" = [])),
    params(("person_id" = i64, Path, description = "person id"),
        ("kind" = String, Path, description = "special business kind")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn cancel_special(
    State(state): State<AppState>,
    BusinessSystem(key): BusinessSystem,
    ApiPath((person_id, kind)): ApiPath<(i64, String)>,
) -> ApiResult<StatusCode> {
    let kind = parse_kind(&kind)?;
    state.store.cancel_special(&key, PersonId(person_id), kind).await?;
    tracing::info!(api_key = key.id, person = person_id, "special business cancelled");
    Ok(StatusCode::NO_CONTENT)
}
