//! Social security cards: issue, and void by an information centre (R2.14).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use personbase_domain::{CardId, PersonId};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::CurrentOperator;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::input::{ApiJson, ApiPath, ReasonInput};
use crate::views::CardView;

/// The card to issue.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IssueInput {
    /// The card's own number (卡号).
    card_number: String,
}

/// Issues a card with the record's name and number printed on it.
#[utoipa::path(post, path = "/api/v1/persons/{id}/cards", tag = "cards",
    security(("bearer" = [])), params(("id" = i64, Path, description = "person id")),
    request_body = IssueInput,
    responses((status = 201, body = CardView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn issue(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<IssueInput>,
) -> ApiResult<(StatusCode, Json<CardView>)> {
    let number = input.card_number.trim();
    if number.is_empty() || number.len() > 32 || !number.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(ApiError::invalid("card_number", "卡号应为1至32位字母或数字"));
    }
    let card = state.store.issue_card(&me.operator, PersonId(id), number).await?;
    tracing::info!(operator = me.operator.id.0, person = id, card = card.id.0, "card issued");
    Ok((StatusCode::CREATED, Json(CardView::of(&card))))
}

/// Voids a card (废卡) so that a printed field may change; the replacement fee is recorded.
#[utoipa::path(post, path = "/api/v1/cards/{id}/void", tag = "cards", security(("bearer" = [])),
    params(("id" = i64, Path, description = "card id")), request_body = ReasonInput,
    responses((status = 200, body = CardView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn void(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<CardView>> {
    let reason = input.checked()?;
    let card = state.store.void_card(&me.operator, CardId(id), reason).await?;
    tracing::info!(operator = me.operator.id.0, card = id, "card voided");
    Ok(Json(CardView::of(&card)))
}

/// Records that a replacement for a voided card was requested (R2.14); the fee of the
/// policy is journaled.
#[utoipa::path(post, path = "/api/v1/cards/{id}/replacement", tag = "cards",
    security(("bearer" = [])), params(("id" = i64, Path, description = "card id")),
    responses((status = 200, body = CardView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub(crate) async fn replacement(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CardView>> {
    let card = state.store.request_replacement_card(&me.operator, CardId(id)).await?;
    tracing::info!(operator = me.operator.id.0, card = id, "replacement card requested");
    Ok(Json(CardView::of(&card)))
}
