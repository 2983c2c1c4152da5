//! `/persons/{id}`: the masked record, enrolments with their agencies, transactions in
//! transit, special businesses, cards, open requests and the history of effective changes;
//! the full record after a stated reason, journaled by the store (R4.2).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use personbase_domain::{Field, PersonId};
use personbase_server::views::{FieldChangeView, mask_field};
use serde::Deserialize;

use super::{Id, Names, Problem, Row, change_views, full_rows, masked_rows};
use crate::WebState;
use crate::page::{Frame, PageForm, WebResult, render};
use crate::session::Worker;
use crate::text;

pub(crate) struct EnrolmentRow {
    line: &'static str,
    agency: String,
    active: bool,
}

pub(crate) struct TransitRow {
    line: &'static str,
    agency: String,
    reference: String,
    description: String,
    started: String,
}

pub(crate) struct SpecialRow {
    kind: &'static str,
    agency: String,
    reference: String,
}

pub(crate) struct CardRow {
    number: String,
    status: &'static str,
    printed_name: String,
    printed_ssn: String,
    issued: String,
}

pub(crate) struct PendingRow {
    id: i64,
    state: &'static str,
    state_code: &'static str,
    fields: String,
    created: String,
    due: String,
}

/// One effective change (or the record's creation) in the person's own audit trail.
pub(crate) struct HistoryRow {
    at: String,
    what: &'static str,
    who: String,
    agency: Option<String>,
    request: Option<i64>,
    changes: Vec<FieldChangeView>,
}

/// A person's page.
#[derive(Template)]
#[template(path = "worker/person.html")]
struct PersonPage {
    frame: Frame,
    id: i64,
    record: Vec<Row>,
    full: Option<Vec<Row>>,
    unmask_problem: Option<Problem>,
    reason: String,
    enrolments: Vec<EnrolmentRow>,
    in_transit: Vec<TransitRow>,
    specials: Vec<SpecialRow>,
    cards: Vec<CardRow>,
    pending: Vec<PendingRow>,
    history: Vec<HistoryRow>,
}

/// What the page adds to the masked record after an unmask.
#[derive(Default)]
struct Unmasked {
    full: Option<Vec<Row>>,
    problem: Option<Problem>,
    reason: String,
}

async fn person_page(
    state: &WebState,
    worker: &Worker,
    id: PersonId,
    unmasked: Unmasked,
) -> WebResult<PersonPage> {
    let store = &state.app.store;
    let details = store.person_details(id).await?;
    let mut names = Names::load(store).await?;

    let enrolments = details
        .enrolments
        .iter()
        .map(|e| EnrolmentRow {
            line: e.line.name_zh(),
            agency: names.agency(e.agency),
            active: e.active,
        })
        .collect();
    let in_transit = details
        .in_transit
        .iter()
        .map(|t| TransitRow {
            line: t.line.name_zh(),
            agency: names.agency(t.agency),
            reference: t.reference.clone(),
            description: t.description.clone(),
            started: text::datetime(t.started_at),
        })
        .collect();
    let specials = details
        .specials
        .iter()
        .map(|s| SpecialRow {
            kind: s.kind.name_zh(),
            agency: names.agency(s.agency),
            reference: s.reference.clone(),
        })
        .collect();
    let cards = details
        .cards
        .iter()
        .map(|c| CardRow {
            number: c.card_number.clone(),
            status: text::card_status(c.status.code()),
            printed_name: mask_field(Field::Name, &c.printed_name),
            printed_ssn: mask_field(Field::Ssn, &c.printed_ssn),
            issued: text::datetime(c.issued_at),
        })
        .collect();
    let pending = details
        .open_requests
        .iter()
        .map(|r| PendingRow {
            id: r.id.0,
            state: r.state.name_zh(),
            state_code: r.state.code(),
            fields: r.diff.iter().map(|d| d.field.name_zh()).collect::<Vec<_>>().join("、"),
            created: text::datetime(r.created_at),
            due: text::date(r.due_on),
        })
        .collect();

    let mut history = Vec::new();
    for entry in store.history(id).await? {
        let what = match entry.action.as_str() {
            "person.created" => text::HISTORY_CREATED,
            "change.effective" => text::HISTORY_EFFECTIVE,
            _ => continue,
        };
        let who = match entry.operator {
            Some(op) => names.operator(store, op).await?,
            None => text::BY_PERSON.to_owned(),
        };
        let changes = match entry.request {
            Some(r) if what == text::HISTORY_EFFECTIVE => {
                change_views(&store.request(r).await?.diff)
            }
            _ => Vec::new(),
        };
        history.push(HistoryRow {
            at: text::datetime(entry.at),
            what,
            who,
            agency: entry.agency.map(|a| names.agency(a)),
            request: entry.request.map(|r| r.0),
            changes,
        });
    }

    Ok(PersonPage {
        frame: worker.frame(text::PERSON_TITLE),
        id: id.0,
        record: masked_rows(&details.person),
        full: unmasked.full,
        unmask_problem: unmasked.problem,
        reason: unmasked.reason,
        enrolments,
        in_transit,
        specials,
        cards,
        pending,
        history,
    })
}

pub(crate) async fn page(State(state): State<WebState>, worker: Worker, Id(id): Id) -> WebResult {
    let page = person_page(&state, &worker, PersonId(id), Unmasked::default()).await?;
    Ok(render(&page))
}

/// The unmask form.
#[derive(Deserialize)]
pub(crate) struct UnmaskForm {
    #[serde(default)]
    reason: String,
}

/// Shows the full record: the store checks the need-to-know rule (R4.2) and journals the
/// view with the reason in one transaction; a refusal is shown on the page.
pub(crate) async fn unmask(
    State(state): State<WebState>,
    worker: Worker,
    Id(id): Id,
    PageForm(form): PageForm<UnmaskForm>,
) -> WebResult {
    let person = PersonId(id);
    let outcome = state.app.store.view_unmasked(&worker.operator, person, form.reason.trim()).await;
    let (unmasked, status) = match outcome {
        Ok(full) => {
            tracing::info!(operator = worker.operator.id.0, person = id, "full record viewed");
            (Unmasked { full: Some(full_rows(&full)), ..Unmasked::default() }, StatusCode::OK)
        }
        Err(err) => {
            let api = personbase_server::ApiError::from(err);
            let status = api.status;
            let problem = Problem::from(api);
            (Unmasked { problem: Some(problem), reason: form.reason, full: None }, status)
        }
    };
    let page = person_page(&state, &worker, person, unmasked).await?;
    Ok((status, render(&page)).into_response())
}
