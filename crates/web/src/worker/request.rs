//! `/requests/{id}`: a change request's status, values before and after (masked), the
//! agencies' sign-offs, the person's confirmation and the documents; the forms that apply
//! to the caller: sign off, reject with a comment, record the counter confirmation (R2.4).
//! The store decides each action; a refusal shows the rule's explanation.

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use personbase_domain::request::ConfirmationChannel;
use personbase_domain::{Confirmation, RequestId, RequestState};
use personbase_server::ApiError;
use personbase_server::views::FieldChangeView;
use personbase_store::StoreError;
use serde::Deserialize;

use super::{Id, Names, Problem, change_views};
use crate::WebState;
use crate::page::{Frame, PageForm, WebError, WebResult, render};
use crate::session::Worker;
use crate::text;

pub(crate) struct StepRow {
    order: u32,
    agency_id: i64,
    agency: String,
    lines: String,
    signed_by: Option<String>,
    signed_at: Option<String>,
    comment: Option<String>,
}

pub(crate) struct DocumentRow {
    id: i64,
    kind: String,
    file_name: String,
    content_type: String,
    size: i64,
    sha256: String,
}

/// The person's answer.
pub(crate) struct ConfirmationRow {
    accepted: bool,
    reference: Option<String>,
    at: String,
}

/// A request's page.
#[derive(Template)]
#[template(path = "worker/request.html")]
struct RequestPage {
    frame: Frame,
    id: i64,
    person: i64,
    person_name: String,
    status: &'static str,
    status_zh: &'static str,
    source: &'static str,
    reason: String,
    requested_by: String,
    created: String,
    due: String,
    changes: Vec<FieldChangeView>,
    registry_differences: Vec<FieldChangeView>,
    steps: Vec<StepRow>,
    needs_confirmation: bool,
    confirmation: Option<ConfirmationRow>,
    comment: Option<String>,
    documents: Vec<DocumentRow>,
    required: Vec<String>,
    can_sign: bool,
    can_confirm: bool,
    /// Why the worker's last action was refused, shown above the forms.
    problem: Option<Problem>,
}

pub(crate) async fn page(State(state): State<WebState>, worker: Worker, Id(id): Id) -> WebResult {
    Ok(render(&request_page(&state, &worker, id, None).await?))
}

/// The request's page, with the refusal of the worker's last action when there was one.
async fn request_page(
    state: &WebState,
    worker: &Worker,
    id: i64,
    problem: Option<Problem>,
) -> WebResult<RequestPage> {
    let store = &state.app.store;
    let request = store.request(RequestId(id)).await?;
    let person = store.person(request.person).await?;
    let mut names = Names::load(store).await?;

    let mut steps = Vec::new();
    for step in &request.steps {
        let signed_by = match &step.signed {
            Some(s) => Some(names.operator(store, s.operator).await?),
            None => None,
        };
        steps.push(StepRow {
            order: step.order,
            agency_id: step.agency.0,
            agency: names.agency(step.agency),
            lines: step.lines.iter().map(|l| l.name_zh()).collect::<Vec<_>>().join("、"),
            signed_by,
            signed_at: step.signed.as_ref().map(|s| text::datetime(s.at)),
            comment: step.signed.as_ref().and_then(|s| s.comment.clone()),
        });
    }
    let requested_by = match (request.created_by, request.agency) {
        (Some(op), Some(agency)) => {
            format!("{}（{}）", names.operator(store, op).await?, names.agency(agency))
        }
        _ => text::BY_PERSON.to_owned(),
    };
    let confirmation = request.confirmation.as_ref().map(|c| ConfirmationRow {
        accepted: c.accepted,
        reference: match &c.channel {
            ConfirmationChannel::Counter { form_reference, .. } => Some(form_reference.clone()),
            ConfirmationChannel::SelfService => None,
        },
        at: text::datetime(c.at),
    });
    let documents = store
        .request_documents(request.id)
        .await?
        .into_iter()
        .map(|d| DocumentRow {
            id: d.id,
            kind: d.kind,
            file_name: d.file_name,
            content_type: d.content_type,
            size: d.size,
            sha256: d.sha256,
        })
        .collect();
    let mine = worker.agency.id;
    let can_sign = request.state == RequestState::WaitingForSignoff
        && request.steps.iter().any(|s| s.agency == mine && s.signed.is_none());
    // The store decides who may record the person's answer, as it does when it is recorded.
    let can_confirm = store.may_record_confirmation(&worker.operator, request.id).await?;

    Ok(RequestPage {
        frame: worker.frame(text::REQUEST_TITLE),
        id,
        person: request.person.0,
        person_name: person.name.masked(),
        status: request.state.code(),
        status_zh: request.state.name_zh(),
        source: text::source(request.source.code()),
        reason: request.reason.clone(),
        requested_by,
        created: text::datetime(request.created_at),
        due: text::date(request.due_on),
        changes: change_views(&request.diff),
        registry_differences: change_views(&request.registry_differences),
        steps,
        needs_confirmation: request.needs_confirmation,
        confirmation,
        comment: request.comment.clone(),
        documents,
        required: request.documents.clone(),
        can_sign,
        can_confirm,
        problem,
    })
}

/// After an action: back to the request's page; a refusal is shown there, with its status.
async fn after(
    state: &WebState,
    worker: &Worker,
    id: i64,
    outcome: Result<(), StoreError>,
) -> WebResult {
    let err = match outcome {
        Ok(()) => return Ok(Redirect::to(&format!("/requests/{id}")).into_response()),
        Err(err) => ApiError::from(err),
    };
    if err.status == StatusCode::NOT_FOUND {
        return Err(err.into());
    }
    let status = err.status;
    let page = request_page(state, worker, id, Some(err.into())).await?;
    Ok((status, render(&page)).into_response())
}

/// The sign-off form: an optional comment.
#[derive(Deserialize)]
pub(crate) struct SignOffForm {
    #[serde(default)]
    comment: String,
}

/// Signs off for the worker's agency (R2.2, R2.3), with what it notes; the last sign-off
/// makes it effective.
pub(crate) async fn sign_off(
    State(state): State<WebState>,
    worker: Worker,
    Id(id): Id,
    PageForm(form): PageForm<SignOffForm>,
) -> WebResult {
    let store = &state.app.store;
    let outcome = store.sign_off_noting(&worker.operator, RequestId(id), Some(&form.comment)).await;
    if let Ok(request) = &outcome {
        tracing::info!(
            operator = worker.operator.id.0,
            request = id,
            state = request.state.code(),
            "signed off on a page"
        );
    }
    after(&state, &worker, id, outcome.map(|_| ())).await
}

/// The rejection form.
#[derive(Deserialize)]
pub(crate) struct RejectForm {
    #[serde(default)]
    comment: String,
}

/// A signing agency rejects the request with a comment.
pub(crate) async fn reject(
    State(state): State<WebState>,
    worker: Worker,
    Id(id): Id,
    PageForm(form): PageForm<RejectForm>,
) -> WebResult {
    let comment = form.comment.trim();
    if comment.is_empty() {
        return Err(WebError::status(StatusCode::UNPROCESSABLE_ENTITY, text::REJECT_NEEDS_COMMENT));
    }
    let outcome = state.app.store.reject_request(&worker.operator, RequestId(id), comment).await;
    if outcome.is_ok() {
        tracing::info!(operator = worker.operator.id.0, request = id, "rejected on a page");
    }
    after(&state, &worker, id, outcome.map(|_| ())).await
}

/// The counter confirmation form: the signed form's reference and the person's answer.
#[derive(Deserialize)]
pub(crate) struct ConfirmForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    decision: String,
}

/// Records the person's confirmation or refusal at the counter (R2.4).
pub(crate) async fn confirm(
    State(state): State<WebState>,
    worker: Worker,
    Id(id): Id,
    PageForm(form): PageForm<ConfirmForm>,
) -> WebResult {
    let accepted = match form.decision.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(WebError::status(StatusCode::UNPROCESSABLE_ENTITY, text::CONFIRM_CHOOSE)),
    };
    let store = &state.app.store;
    let confirmation = Confirmation {
        accepted,
        channel: ConfirmationChannel::Counter {
            operator: worker.operator.id,
            form_reference: form.reference.trim().to_owned(),
        },
        at: store.clock().now(),
    };
    let outcome = store.confirm_request(RequestId(id), confirmation, None).await;
    if let Ok(request) = &outcome {
        tracing::info!(
            operator = worker.operator.id.0,
            request = id,
            state = request.state.code(),
            "confirmation recorded on a page"
        );
    }
    after(&state, &worker, id, outcome.map(|_| ())).await
}

/// The media types a document is served as; anything else is a download of bytes, so that an
/// uploaded file can never be a script or a page of this origin.
const SERVED_TYPES: [&str; 5] =
    ["application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"];

/// `filename*` of a `Content-Disposition` (RFC 6266, RFC 5987): UTF-8, percent-encoded.
fn disposition(file_name: &str) -> String {
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"document\"; filename*=UTF-8''{encoded}")
}

/// A document's file, as a download: the store checks the need-to-know rule (R4.2) and
/// journals the view.
pub(crate) async fn document(
    State(state): State<WebState>,
    worker: Worker,
    path: Result<Path<(i64, i64)>, PathRejection>,
) -> WebResult {
    let Ok(Path((id, doc))) = path else {
        return Err(WebError::status(StatusCode::NOT_FOUND, text::NOT_FOUND));
    };
    let (info, bytes) = state.app.store.view_document(&worker.operator, RequestId(id), doc).await?;
    let content_type = SERVED_TYPES
        .into_iter()
        .find(|t| *t == info.content_type)
        .unwrap_or("application/octet-stream");
    let disposition = HeaderValue::from_str(&disposition(&info.file_name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    Ok((headers, bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_is_encoded_for_the_header() {
        assert_eq!(
            disposition("户口簿 1.pdf"),
            "attachment; filename=\"document\"; filename*=UTF-8''%E6%88%B7%E5%8F%A3%E7%B0%BF%201.pdf"
        );
        assert!(HeaderValue::from_str(&disposition("a\"\r\nb")).is_ok());
    }
}
