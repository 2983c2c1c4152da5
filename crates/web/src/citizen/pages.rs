//! `/self`: the citizen's own record, masked as on the case workers' lists; the contact change
//! with immediate effect (R2.10); how every other field is changed; the requests that wait
//! for the person's answer (R2.4); and the history of effective changes.
//!
//! Nothing is decided here: the contact form hands whatever fields it receives to the store,
//! whose rules accept contact fields only and refuse the rest with their own explanation.

use std::collections::HashMap;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use personbase_domain::changes::field_text;
use personbase_domain::{AgencyId, ChangeRequest, Field, Person, RequestId, RequestState};
use personbase_identity::{Ethnicity, Gender, HouseholdType};
use personbase_server::input::ChangesInput;
use personbase_server::views::mask_field;
use personbase_server::{ApiError, answer_as_person, change_own_contact};
use personbase_store::JournalEntry;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::Citizen;
use crate::WebState;
use crate::page::{Frame, PageForm, PageQuery, WebResult, render};
use crate::text;

/// One line of the record.
struct RecordRow {
    field: &'static str,
    label: &'static str,
    value: String,
}

/// How a field that self-service does not change is changed.
struct HowTo {
    field: &'static str,
    label: &'static str,
    documents: Vec<String>,
    registry_first: bool,
}

/// One field's before and after, masked.
struct ChangeRow {
    label: &'static str,
    before: String,
    after: String,
}

/// A request waiting for the person's answer.
struct PendingRow {
    id: i64,
    agency: String,
    created: String,
    due: String,
    changes: Vec<ChangeRow>,
}

/// An effective change of the record.
struct HistoryRow {
    at: String,
    by: String,
    changes: Vec<ChangeRow>,
}

/// A refusal shown on the page.
struct Refused {
    message: String,
    rule: Option<String>,
}

/// The self-service page.
#[derive(Template)]
#[template(path = "citizen/self.html")]
struct SelfPage {
    frame: Frame,
    notice: Option<&'static str>,
    refused: Option<Refused>,
    record: Vec<RecordRow>,
    version: i64,
    home_address: String,
    phone: String,
    counters: Vec<String>,
    how_to: Vec<HowTo>,
    pending: Vec<PendingRow>,
    history: Vec<HistoryRow>,
}

/// A field's value as the citizen reads it: codes by their Chinese names, personal values
/// masked as on the case workers' lists.
fn shown(field: Field, value: Option<&str>) -> String {
    let Some(value) = value else { return text::CITIZEN_NOT_RECORDED.to_owned() };
    let named = match field {
        Field::Gender => Gender::parse(value).map(Gender::name_zh),
        Field::Ethnicity => Ethnicity::from_code(value).map(Ethnicity::name_zh),
        Field::HouseholdType => HouseholdType::from_code(value).map(HouseholdType::name_zh),
        _ => return mask_field(field, value),
    };
    named.unwrap_or(value).to_owned()
}

fn masked(person: &Person, field: Field) -> String {
    shown(field, field_text(person, field).as_deref())
}

/// The changed fields between two states of the record.
fn diff(before: &Person, after: &Person) -> Vec<ChangeRow> {
    Field::ALL
        .into_iter()
        .filter(|f| field_text(before, *f) != field_text(after, *f))
        .map(|f| ChangeRow {
            label: f.name_zh(),
            before: masked(before, f),
            after: masked(after, f),
        })
        .collect()
}

fn request_rows(request: &ChangeRequest) -> Vec<ChangeRow> {
    request
        .diff
        .iter()
        .map(|d| ChangeRow {
            label: d.field.name_zh(),
            before: shown(d.field, d.before.as_deref()),
            after: shown(d.field, d.after.as_deref()),
        })
        .collect()
}

/// What the page shows for `citizen`.
async fn build(state: &WebState, citizen: &Citizen) -> WebResult<SelfPage> {
    let store = &state.app.store;
    let details = store.person_details(citizen.person).await?;
    let person = &details.person;
    let agency_name = |id: AgencyId| {
        details.agencies.iter().find(|a| a.id == id).map(|a| a.name.clone()).unwrap_or_default()
    };

    let record = Field::ALL
        .into_iter()
        .map(|f| RecordRow { field: f.code(), label: f.name_zh(), value: masked(person, f) })
        .collect();

    // The counters: the agencies holding the person's business, else the one that entered
    // the record; documents as the province's policy asks of those agencies (R4.3).
    let mut holders: Vec<AgencyId> =
        details.enrolments.iter().filter(|e| e.active).map(|e| e.agency).collect();
    if holders.is_empty() {
        holders.push(person.entered_by);
    }
    holders.sort();
    holders.dedup();
    let counters = holders.iter().map(|a| agency_name(*a)).collect();
    let kinds: Vec<_> =
        details.agencies.iter().filter(|a| holders.contains(&a.id)).map(|a| a.kind).collect();
    let policy = store.policy();
    let how_to = Field::ALL
        .into_iter()
        .filter(|f| !policy.self_service_fields.contains(f))
        .map(|f| {
            let mut documents: Vec<String> = Vec::new();
            for kind in &kinds {
                for doc in policy.documents_for(*kind, &[f]) {
                    if !documents.contains(&doc) {
                        documents.push(doc);
                    }
                }
            }
            HowTo {
                field: f.code(),
                label: f.name_zh(),
                documents,
                registry_first: f.in_registry(),
            }
        })
        .collect();

    let mut names: HashMap<AgencyId, String> =
        details.agencies.iter().map(|a| (a.id, a.name.clone())).collect();
    let mut pending = Vec::new();
    for request in
        details.open_requests.iter().filter(|r| r.state == RequestState::WaitingForPerson)
    {
        pending.push(PendingRow {
            id: request.id.0,
            agency: agency_label(state, &mut names, request.agency).await?,
            created: text::datetime(request.created_at),
            due: text::date(request.due_on),
            changes: request_rows(request),
        });
    }

    let mut history = Vec::new();
    for entry in store.history(citizen.person).await? {
        if let Some(row) = history_row(state, &mut names, entry).await? {
            history.push(row);
        }
    }
    history.reverse();

    Ok(SelfPage {
        frame: citizen.frame(text::SELF_SERVICE),
        notice: None,
        refused: None,
        record,
        version: person.version,
        home_address: masked(person, Field::HomeAddress),
        phone: masked(person, Field::Phone),
        counters,
        how_to,
        pending,
        history,
    })
}

async fn agency_label(
    state: &WebState,
    names: &mut HashMap<AgencyId, String>,
    agency: Option<AgencyId>,
) -> WebResult<String> {
    let Some(id) = agency else { return Ok(text::CITIZEN_BY_SELF.to_owned()) };
    if let Some(name) = names.get(&id) {
        return Ok(name.clone());
    }
    let name = state.app.store.agency(id).await?.name;
    names.insert(id, name.clone());
    Ok(name)
}

/// An effective change as a history line; other journal entries are not shown.
async fn history_row(
    state: &WebState,
    names: &mut HashMap<AgencyId, String>,
    entry: JournalEntry,
) -> WebResult<Option<HistoryRow>> {
    if entry.action != "change.effective" {
        return Ok(None);
    }
    let before = serde_json::from_value::<Person>(entry.before);
    let after = serde_json::from_value::<Person>(entry.after);
    let (Ok(before), Ok(after)) = (before, after) else {
        tracing::warn!(seq = entry.seq, "journal entry without a readable record");
        return Ok(None);
    };
    let mut agency = entry.agency;
    if agency.is_none()
        && let Some(request) = entry.request
    {
        agency = state.app.store.request(request).await?.agency;
    }
    Ok(Some(HistoryRow {
        at: text::datetime(entry.at),
        by: agency_label(state, names, agency).await?,
        changes: diff(&before, &after),
    }))
}

/// What `?done=` reports after a successful form.
#[derive(Deserialize)]
pub(super) struct Done {
    done: Option<String>,
}

/// `GET /self`.
pub(super) async fn self_page(
    State(state): State<WebState>,
    citizen: Citizen,
    PageQuery(done): PageQuery<Done>,
) -> WebResult {
    let mut page = build(&state, &citizen).await?;
    page.notice = match done.done.as_deref() {
        Some("contact") => Some(text::CITIZEN_CONTACT_SAVED),
        Some("confirmed") => Some(text::CITIZEN_CONFIRMED),
        Some("declined") => Some(text::CITIZEN_DECLINED),
        _ => None,
    };
    Ok(render(&page))
}

/// The page again with a refusal.
async fn refused(state: &WebState, citizen: &Citizen, status: StatusCode, r: Refused) -> WebResult {
    let mut page = build(state, citizen).await?;
    page.refused = Some(r);
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

async fn refused_by(state: &WebState, citizen: &Citizen, err: ApiError) -> WebResult {
    let r = Refused { message: err.body.message, rule: err.body.rule };
    refused(state, citizen, err.status, r).await
}

async fn bad_form(state: &WebState, citizen: &Citizen, message: &str) -> WebResult {
    let r = Refused { message: message.to_owned(), rule: None };
    refused(state, citizen, StatusCode::UNPROCESSABLE_ENTITY, r).await
}

/// `POST /self/contact`: every non-empty field the form sends goes to the store, which
/// applies contact fields at once and refuses any other (R2.10).
pub(super) async fn change_contact(
    State(state): State<WebState>,
    citizen: Citizen,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> WebResult {
    let mut fields = Map::new();
    let mut expected_version = None;
    for (key, value) in pairs {
        let value = value.trim();
        match key.as_str() {
            "_csrf" => {}
            "expected_version" => match value.parse::<i64>() {
                Ok(v) => expected_version = Some(v),
                Err(_) => return bad_form(&state, &citizen, text::CITIZEN_FORM_BROKEN).await,
            },
            _ if value.is_empty() => {}
            _ => {
                fields.insert(key, Value::String(value.to_owned()));
            }
        }
    }
    if fields.is_empty() {
        return bad_form(&state, &citizen, text::CITIZEN_NOTHING_TO_CHANGE).await;
    }
    let Ok(input) = serde_json::from_value::<ChangesInput>(Value::Object(fields)) else {
        return bad_form(&state, &citizen, text::CITIZEN_FORM_BROKEN).await;
    };
    let changes = match input.parse() {
        Ok(changes) => changes,
        Err(err) => return refused_by(&state, &citizen, err).await,
    };

    match change_own_contact(&state.app, citizen.person, changes, expected_version).await {
        Ok(request) => {
            tracing::info!(
                person = citizen.person.0,
                request = request.id.0,
                "self-service change"
            );
            Ok(Redirect::to("/self?done=contact").into_response())
        }
        Err(err) => refused_by(&state, &citizen, err).await,
    }
}

/// The answer to a request.
#[derive(Deserialize)]
pub(super) struct AnswerInput {
    answer: String,
}

/// `POST /self/requests/{id}/confirm`: the person confirms (`answer=yes`) or refuses
/// (`answer=no`) a request that waits for them (R2.4); the store checks it is theirs.
pub(super) async fn answer(
    State(state): State<WebState>,
    citizen: Citizen,
    id: Result<Path<String>, PathRejection>,
    PageForm(input): PageForm<AnswerInput>,
) -> WebResult {
    let Some(id) = id.ok().and_then(|Path(id)| id.parse::<i64>().ok()) else {
        return bad_form(&state, &citizen, text::CITIZEN_FORM_BROKEN).await;
    };
    let accepted = match input.answer.as_str() {
        "yes" => true,
        "no" => false,
        _ => return bad_form(&state, &citizen, text::CITIZEN_FORM_BROKEN).await,
    };
    match answer_as_person(&state.app, citizen.person, RequestId(id), accepted).await {
        Ok(request) => {
            tracing::info!(
                person = citizen.person.0,
                request = id,
                state = request.state.code(),
                "self-service confirmation"
            );
            let done = if accepted { "confirmed" } else { "declined" };
            Ok(Redirect::to(&format!("/self?done={done}")).into_response())
        }
        Err(err) => refused_by(&state, &citizen, err).await,
    }
}
