//! Operator login and logout: `POST`, `GET`, `DELETE /api/v1/session`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{
    ClientAddress, CurrentOperator, SESSION_HOURS, new_token, password_login, token_hash,
};
use crate::error::{ApiResult, ErrorBody};
use crate::input::ApiJson;
use crate::views::OperatorView;

/// Login name and password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginInput {
    /// Login name.
    login: String,
    /// Password.
    password: String,
}

/// A new session: the token is shown once.
#[derive(Serialize, ToSchema)]
pub(crate) struct SessionView {
    /// Bearer token for `Authorization: Bearer ...`.
    token: String,
    /// When it stops working.
    expires_at: DateTime<Utc>,
    /// Who is logged in.
    operator: OperatorView,
}

/// Logs an operator in. Repeated failures of a login (or from an address) lock it for a
/// while: 429 `login_locked`.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginInput,
    responses((status = 201, body = SessionView), (status = 401, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(input): ApiJson<LoginInput>,
) -> ApiResult<(StatusCode, Json<SessionView>)> {
    let operator = password_login(&state.store, &input.login, input.password, address).await??;

    let token = new_token();
    let expires_at = state.store.clock().now() + Duration::hours(SESSION_HOURS);
    state.store.create_session(&token_hash(&token), operator.id, expires_at).await?;
    let agency = state.store.agency(operator.agency).await?;
    tracing::info!(operator = operator.id.0, "session opened");

    let view = SessionView { token, expires_at, operator: OperatorView::of(&operator, &agency) };
    Ok((StatusCode::CREATED, Json(view)))
}

/// The operator of the current session.
#[utoipa::path(get, path = "/api/v1/session", tag = "session", security(("bearer" = [])),
    responses((status = 200, body = OperatorView), (status = 401, body = ErrorBody)))]
pub(crate) async fn whoami(me: CurrentOperator) -> Json<OperatorView> {
    Json(OperatorView::of(&me.operator, &me.agency))
}

/// Ends the current session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub(crate) async fn logout(
    State(state): State<AppState>,
    me: CurrentOperator,
) -> ApiResult<StatusCode> {
    state.store.delete_session(&me.token_hash).await?;
    tracing::info!(operator = me.operator.id.0, "session closed");
    Ok(StatusCode::NO_CONTENT)
}

/// An agency.
#[derive(Serialize, ToSchema)]
pub(crate) struct AgencyView {
    /// Agency id.
    id: i64,
    /// Name.
    name: String,
    /// `employment`, `social_insurance`, `arrears_office`, `arrears_follow_up`,
    /// `information_centre`.
    kind: String,
    /// `county`, `prefecture`, `province`.
    level: String,
    /// GB/T 2260 code of its region.
    division: u32,
}

/// Every agency, to name the agencies that requests and enrolments refer to by id.
#[utoipa::path(get, path = "/api/v1/agencies", tag = "session", security(("bearer" = [])),
    responses((status = 200, body = [AgencyView]), (status = 401, body = ErrorBody)))]
pub(crate) async fn agencies(
    State(state): State<AppState>,
    _me: CurrentOperator,
) -> ApiResult<Json<Vec<AgencyView>>> {
    let agencies = state.store.agencies().await?;
    let views = agencies
        .into_iter()
        .map(|a| AgencyView {
            id: a.id.0,
            name: a.name,
            kind: a.kind.code().to_owned(),
            level: a.level.code().to_owned(),
            division: a.division,
        })
        .collect();
    Ok(Json(views))
}
