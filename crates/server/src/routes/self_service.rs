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
use personbase_domain::{Confirmation, PersonId, RequestId, Role};
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

    let proposal = Proposal { changes, source: InputSource::Manual, documents: Vec::new() };
    let outcome = state
        .store
        .propose_change(
            ActorRef::SelfService(person),
            person,
            proposal,
            "本人网上办理",
            input.expected_version,
        )
        .await;
    let request = match outcome {
        Ok(request) => request,
        Err(err) => return Err(with_current_record(&state, person, err).await),
    };

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
    let confirmation = Confirmation {
        accepted: input.accepted,
        channel: ConfirmationChannel::SelfService,
        at: state.store.clock().now(),
    };
    let request = state.store.confirm_request(RequestId(id), confirmation, Some(person)).await?;
    tracing::info!(
        person = person_id,
        request = id,
        state = request.state.code(),
        "self-service confirmation"
    );
    Ok(Json(RequestView::of(&request)))
}
