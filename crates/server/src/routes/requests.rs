//! Change requests: preview, propose, read, sign off, reject, confirm at the counter,
//! withdraw; an agency's inbox and overdue work (R4.1).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use personbase_domain::request::ConfirmationChannel;
use personbase_domain::{AgencyKind, Confirmation, PersonId, RequestId};
use personbase_store::{ActorRef, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::CurrentOperator;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::input::{ApiJson, ApiPath, ChangeInput, OptionalApiJson};
use crate::views::{DecisionView, MaskedPerson, RequestView};

/// The decision on a proposed change, without writing anything. A refusal is a 200 with
/// `accepted: false` and the error body the real request would get.
#[utoipa::path(post, path = "/api/v1/persons/{id}/changes/preview", tag = "changes",
    security(("bearer" = [])), params(("id" = i64, Path, description = "person id")),
    request_body = ChangeInput,
    responses((status = 200, body = DecisionView), (status = 422, body = ErrorBody)))]
pub(crate) async fn preview(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ChangeInput>,
) -> ApiResult<Json<DecisionView>> {
    let proposal = input.proposal()?;
    let person = state.store.person(PersonId(id)).await?;

    let decision = state
        .store
        .preview_change(ActorRef::Operator(&me.operator), PersonId(id), &proposal)
        .await?;

    Ok(Json(match decision {
        Ok(plan) => DecisionView::accepted(&person, &plan),
        Err(refusal) => DecisionView::refused(ApiError::refused(refusal).body),
    }))
}

/// An accepted change request and the record as it is now.
#[derive(Serialize, ToSchema)]
pub(crate) struct ProposedView {
    /// The request.
    request: RequestView,
    /// The record after: changed when the request is effective, else as before.
    person: MaskedPerson,
}

/// Proposes a change. Effective at once (R2.1), or waiting for sign-offs (R2.2, R2.3) or the
/// person (R2.4). A stale `expected_version` is a 409 with the current record.
#[utoipa::path(post, path = "/api/v1/persons/{id}/changes", tag = "changes",
    security(("bearer" = [])), params(("id" = i64, Path, description = "person id")),
    request_body = ChangeInput,
    responses((status = 201, body = ProposedView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn propose(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ChangeInput>,
) -> ApiResult<(StatusCode, Json<ProposedView>)> {
    let proposal = input.proposal()?;
    let person_id = PersonId(id);

    let outcome = state
        .store
        .propose_change(
            ActorRef::Operator(&me.operator),
            person_id,
            proposal,
            input.reason.trim(),
            input.expected_version,
        )
        .await;
    let request = match outcome {
        Ok(request) => request,
        Err(err) => return Err(with_current_record(&state, person_id, err).await),
    };
    let person = state.store.person(person_id).await?;

    tracing::info!(
        operator = me.operator.id.0,
        person = id,
        request = request.id.0,
        state = request.state.code(),
        "change proposed"
    );
    let view =
        ProposedView { request: RequestView::of(&request), person: MaskedPerson::of(&person) };
    Ok((StatusCode::CREATED, Json(view)))
}

/// Turns a store error into an API error; a version conflict carries the current record.
pub(crate) async fn with_current_record(
    state: &AppState,
    person: PersonId,
    err: StoreError,
) -> ApiError {
    let StoreError::Conflict { current_version } = err else { return err.into() };
    let mut api = ApiError::stale(current_version);
    if let Ok(current) = state.store.person(person).await
        && let Value::Object(map) = &mut api.body.details
    {
        map.insert("current".to_owned(), serde_json::json!(MaskedPerson::of(&current)));
    }
    api
}

/// A change request.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path, description = "request id")),
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_request(
    State(state): State<AppState>,
    _me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<RequestView>> {
    let request = state.store.request(RequestId(id)).await?;
    Ok(Json(RequestView::of(&request)))
}

/// What a sign-off may note; the body may be left out.
#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignOffInput {
    /// What the agency notes with its sign-off, kept on its step.
    #[serde(default)]
    comment: Option<String>,
}

/// Signs off a request for the operator's own agency, in the required order (R2.2, R2.3); the
/// last sign-off makes it effective. The body (`{"comment": "…"}`) is optional.
#[utoipa::path(post, path = "/api/v1/requests/{id}/sign-off", tag = "requests",
    security(("bearer" = [])), params(("id" = i64, Path, description = "request id")),
    request_body(content = Option<SignOffInput>),
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn sign_off(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
    OptionalApiJson(input): OptionalApiJson<SignOffInput>,
) -> ApiResult<Json<RequestView>> {
    let comment = input.comment.as_deref();
    let request = state.store.sign_off_noting(&me.operator, RequestId(id), comment).await?;
    tracing::info!(
        operator = me.operator.id.0,
        request = id,
        state = request.state.code(),
        "signed off"
    );
    Ok(Json(RequestView::of(&request)))
}

/// A rejection's comment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RejectInput {
    /// Why the agency rejects the request.
    comment: String,
}

/// A signing agency rejects the request.
#[utoipa::path(post, path = "/api/v1/requests/{id}/reject", tag = "requests",
    security(("bearer" = [])), params(("id" = i64, Path, description = "request id")),
    request_body = RejectInput,
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn reject(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RejectInput>,
) -> ApiResult<Json<RequestView>> {
    let comment = input.comment.trim();
    if comment.is_empty() {
        return Err(ApiError::invalid("comment", "驳回须填写理由"));
    }
    let request = state.store.reject_request(&me.operator, RequestId(id), comment).await?;
    tracing::info!(operator = me.operator.id.0, request = id, "request rejected");
    Ok(Json(RequestView::of(&request)))
}

/// The person's answer, recorded at the counter with the signed form's reference (R2.4).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CounterConfirmInput {
    /// Whether the person agreed; a refusal ends the request.
    accepted: bool,
    /// The reference of the form the person signed.
    form_reference: String,
}

/// Records the person's confirmation at the counter (R2.4).
#[utoipa::path(post, path = "/api/v1/requests/{id}/confirm", tag = "requests",
    security(("bearer" = [])), params(("id" = i64, Path, description = "request id")),
    request_body = CounterConfirmInput,
    responses((status = 200, body = RequestView), (status = 409, body = ErrorBody)))]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CounterConfirmInput>,
) -> ApiResult<Json<RequestView>> {
    let confirmation = Confirmation {
        accepted: input.accepted,
        channel: ConfirmationChannel::Counter {
            operator: me.operator.id,
            form_reference: input.form_reference.trim().to_owned(),
        },
        at: state.store.clock().now(),
    };
    let request = state.store.confirm_request(RequestId(id), confirmation, None).await?;
    tracing::info!(
        operator = me.operator.id.0,
        request = id,
        state = request.state.code(),
        "confirmation recorded"
    );
    Ok(Json(RequestView::of(&request)))
}

/// The requesting agency withdraws its request.
#[utoipa::path(post, path = "/api/v1/requests/{id}/withdraw", tag = "requests",
    security(("bearer" = [])), params(("id" = i64, Path, description = "request id")),
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<RequestView>> {
    let request = state.store.withdraw_request(&me.operator, RequestId(id)).await?;
    tracing::info!(operator = me.operator.id.0, request = id, "request withdrawn");
    Ok(Json(RequestView::of(&request)))
}

/// Requests waiting for the operator's agency to sign, whose turn has come, oldest first.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "requests", security(("bearer" = [])),
    responses((status = 200, body = [RequestView])))]
pub(crate) async fn inbox(
    State(state): State<AppState>,
    me: CurrentOperator,
) -> ApiResult<Json<Vec<RequestView>>> {
    let requests = state.store.inbox(me.agency.id).await?;
    Ok(Json(requests.iter().map(RequestView::of).collect()))
}

/// Open requests past their day (R4.1): an information centre sees its region; an agency the
/// requests it made or must sign.
#[utoipa::path(get, path = "/api/v1/overdue", tag = "requests", security(("bearer" = [])),
    responses((status = 200, body = [RequestView])))]
pub(crate) async fn overdue(
    State(state): State<AppState>,
    me: CurrentOperator,
) -> ApiResult<Json<Vec<RequestView>>> {
    let today = state.store.clock().today();
    let agency = &me.agency;
    let views = if agency.kind == AgencyKind::InformationCentre {
        state.store.overdue(today, Some(agency)).await?.iter().map(RequestView::of).collect()
    } else {
        state
            .store
            .overdue(today, None)
            .await?
            .iter()
            .filter(|r| {
                r.agency == Some(agency.id) || r.steps.iter().any(|s| s.agency == agency.id)
            })
            .map(RequestView::of)
            .collect()
    };
    Ok(Json(views))
}
