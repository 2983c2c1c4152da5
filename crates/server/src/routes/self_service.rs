//! Self-service (R2.10): a person changes their own contact data, with effect at once, and
//! answers a request that waits for their confirmation (R2.4).
//!
//! Limitation: the citizens' portal login comes with issue 4. Until then a counter operator
//! issues a one-time token for the person (`POST /api/v1/persons/{id}/self-service-token`);
//! it is kept in memory, lasts 30 minutes and is spent by one action.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use personbase_domain::request::ConfirmationChannel;
use personbase_domain::rules::{InputSource, Proposal};
use personbase_domain::{ChangeRequest, Confirmation, FieldChanges, PersonId, RequestId, Role};
use personbase_store::ActorRef;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{CurrentOperator, SelfToken};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::input::{ApiJson, ApiPath, ChangesInput};
use crate::routes::requests::with_current_record;
use crate::views::RequestView;

/// A one-time self-service token.
#[derive(Serialize, ToSchema)]
pub(crate) struct SelfTokenView {
    /// Send as `X-Self-Token`.
    token: String,
    /// When it stops working.
    expires_at: DateTime<Utc>,
}

/// Issues a one-time self-service token for the person (development stand-in for the portal
/// login; handler role required).
#[utoipa::path(post, path = "/api/v1/persons/{id}/self-service-token", tag = "self-service",
    security(("bearer" = [])), params(("id" = i64, Path, description = "person id")),
    responses((status = 201, body = SelfTokenView), (status = 403, body = ErrorBody)))]
pub(crate) async fn issue_token(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<SelfTokenView>)> {
    if !me.operator.has(Role::Handler) {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "您的账号没有经办权限"));
    }
    let person = state.store.person(PersonId(id)).await?;
    let (token, expires_at) = state.self_tokens.issue(person.id, state.store.clock().now());
    tracing::info!(operator = me.operator.id.0, person = id, "self-service token issued");
    Ok((StatusCode::CREATED, Json(SelfTokenView { token, expires_at })))
}

fn spend(state: &AppState, token: &SelfToken, person: PersonId) -> ApiResult<()> {
    if state.self_tokens.spend(&token.0, person, state.store.clock().now()) {
        return Ok(());
    }
    Err(ApiError::unauthenticated())
}

/// A self-service change: contact fields only.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelfChangeInput {
    /// The new values; only `home_address` and `phone` are accepted (R2.10).
    changes: ChangesInput,
    /// The version the person saw.
    #[serde(default)]
    expected_version: Option<i64>,
}

/// The person changes their own contact data (R2.10).
#[utoipa::path(post, path = "/api/v1/self/{person_id}/changes", tag = "self-service",
    security(("self_token" = [])), params(("person_id" = i64, Path, description = "person id")),
    request_body = SelfChangeInput,
    responses((status = 201, body = RequestView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub(crate) async fn change(
    State(state): State<AppState>,
    token: SelfToken,
    ApiPath(person_id): ApiPath<i64>,
    ApiJson(input): ApiJson<SelfChangeInput>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let person = PersonId(person_id);
    let changes = input.changes.parse()?;
    spend(&state, &token, person)?;

    let request = change_own_contact(&state, person, changes, input.expected_version).await?;

    tracing::info!(person = person_id, request = request.id.0, "self-service change");
    Ok((StatusCode::CREATED, Json(RequestView::of(&request))))
}

/// The person's answer to a request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelfConfirmInput {
    /// Whether the person agrees; a refusal ends the request.
    accepted: bool,
}

/// The person confirms or refuses a request that waits for them (R2.4).
#[utoipa::path(post, path = "/api/v1/self/{person_id}/requests/{id}/confirm",
    tag = "self-service", security(("self_token" = [])),
    params(("person_id" = i64, Path, description = "person id"),
        ("id" = i64, Path, description = "request id")),
    request_body = SelfConfirmInput,
    responses((status = 200, body = RequestView), (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    token: SelfToken,
    ApiPath((person_id, id)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<SelfConfirmInput>,
) -> ApiResult<Json<RequestView>> {
    let person = PersonId(person_id);
    spend(&state, &token, person)?;
    let request = answer_as_person(&state, person, RequestId(id), input.accepted).await?;
    tracing::info!(
        person = person_id,
        request = id,
        state = request.state.code(),
        "self-service confirmation"
    );
    Ok(Json(RequestView::of(&request)))
}

/// The person's own change on the self-service portal (R2.10), as the API and the citizens'
/// pages make it: manual input, no documents, journaled with the self-service reason. The
/// store asks the rules, which allow contact fields only; a stale `expected_version` is a
/// conflict that carries the current (masked) record.
pub async fn change_own_contact(
    state: &AppState,
    person: PersonId,
    changes: FieldChanges,
    expected_version: Option<i64>,
) -> ApiResult<ChangeRequest> {
    let proposal = Proposal { changes, source: InputSource::Manual, documents: Vec::new() };
    let outcome = state
        .store
        .propose_change(
            ActorRef::SelfService(person),
            person,
            proposal,
            SELF_SERVICE_REASON,
            expected_version,
        )
        .await;
    match outcome {
        Ok(request) => Ok(request),
        Err(err) => Err(with_current_record(state, person, err).await),
    }
}

/// The person's answer to a request that waits for them, given on the self-service channel
/// (R2.4); the store checks that the request is the person's own.
pub async fn answer_as_person(
    state: &AppState,
    person: PersonId,
    request: RequestId,
    accepted: bool,
) -> ApiResult<ChangeRequest> {
    let confirmation = Confirmation {
        accepted,
        channel: ConfirmationChannel::SelfService,
        at: state.store.clock().now(),
    };
    Ok(state.store.confirm_request(request, confirmation, Some(person)).await?)
}

/// The reason journaled with a person's own change.
pub const SELF_SERVICE_REASON: &str = "本人网上办理";
