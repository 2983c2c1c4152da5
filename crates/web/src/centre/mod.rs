//! Information centres' pages (R1.1): the region's open and overdue requests, same-day
//! completion (R4.1) per agency and per day as tables and server-drawn charts, the audit
//! trail of a person or operator, and each table as an Excel download.
//!
//! Who may see what is decided by the store, which asks the rules (`check_supervision`,
//! `check_view`): an operator of any other agency gets the rule's explanation with 403.
//! The trails show the journal's values masked, so reading them is not a view of unmasked
//! data and is not journaled (R4.2 journals those); neither is an export, which holds the
//! same masked rows.
//!
//! Routes:
//! - `GET /centre`: `#open-requests`, `#overdue-requests`, `#completion-agency`,
//!   `#completion-day`, `svg#chart-agency`, `svg#chart-day`;
//! - `GET /centre/audit?person=ID` or `?operator=ID`: `table#audit-trail`;
//! - `GET /centre/export/{table}?format=xlsx` (with the trail's `person` or `operator`):
//!   the table as .xlsx; each table's `a.export-xlsx` links there. The trail's own route
//!   with `format=xlsx` gives the same file.

pub mod chart;
pub mod export;
pub mod table;

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use askama::Template;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use personbase_domain::{OperatorId, PersonId};
use personbase_store::{JournalEntry, RegionOverview, Store, StoreError};
use serde::Deserialize;

use self::chart::Chart;
use self::table::{Names, People, Table};
use crate::WebState;
use crate::page::{Frame, PageQuery, WebError, WebResult, render};
use crate::session::Worker;
use crate::text;

/// The days the completion tables cover, today included.
pub const COMPLETION_DAYS: u32 = 30;

/// The centre pages' routes.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/centre", get(overview_page))
        .route("/centre/audit", get(audit_page))
        .route("/centre/export/{table}", get(export))
}

/// The overview page.
#[derive(Template)]
#[template(path = "centre/overview.html")]
struct OverviewPage {
    frame: Frame,
    region: String,
    today: String,
    open: Table,
    overdue: Table,
    agency: Table,
    day: Table,
    chart_agency: Chart,
    chart_day: Chart,
}

/// The audit trail page.
#[derive(Template)]
#[template(path = "centre/audit.html")]
struct AuditPage {
    frame: Frame,
    person: String,
    operator: String,
    error: Option<&'static str>,
    trail: Option<Table>,
}

/// The masked name and number of each person the requests name.
async fn people_of(store: &Store, ids: Vec<PersonId>) -> WebResult<People> {
    let mut people = HashMap::new();
    for id in ids {
        if people.contains_key(&id) {
            continue;
        }
        let person = store.person(id).await?;
        people.insert(id, format!("{}（{}）", person.name.masked(), person.ssn.masked()));
    }
    Ok(people)
}

/// The overview's four tables and the people they name.
struct Overview {
    data: RegionOverview,
    open: Table,
    overdue: Table,
    agency: Table,
    day: Table,
}

async fn overview(state: &WebState, worker: &Worker) -> WebResult<Overview> {
    let store = &state.app.store;
    let data = store.region_overview(&worker.operator, COMPLETION_DAYS).await?;
    let mut ids: Vec<PersonId> = data.open.iter().map(|o| o.request.person).collect();
    ids.extend(data.overdue.iter().map(|r| r.person));
    let people = people_of(store, ids).await?;
    let names = Names::of(&data.agencies);
    Ok(Overview {
        open: table::open_requests(&data, &people, &names),
        overdue: table::overdue_requests(&data, &people, &names),
        agency: table::completion_agency(&data),
        day: table::completion_day(&data),
        data,
    })
}

async fn overview_page(State(state): State<WebState>, worker: Worker) -> WebResult {
    let o = overview(&state, &worker).await?;
    let year = chrono::Datelike::year(&o.data.today);
    let region =
        personbase_identity::division::full_name(o.data.centre.division, year).unwrap_or_default();
    Ok(render(&OverviewPage {
        frame: worker.frame(text::CENTRE_TITLE),
        region: format!("{region}（{}）", o.data.centre.division),
        today: text::date(o.data.today),
        chart_agency: chart::by_agency(&o.data),
        chart_day: chart::by_day(&o.data),
        open: o.open,
        overdue: o.overdue,
        agency: o.agency,
        day: o.day,
    }))
}

/// `?person=ID` or `?operator=ID`, as typed, and `format=xlsx` for a download.
#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    person: Option<String>,
    operator: Option<String>,
    format: Option<String>,
}

/// Whose trail a query asks for.
enum Subject {
    Person(PersonId),
    Operator(OperatorId),
}

impl AuditQuery {
    fn given(field: &Option<String>) -> Option<&str> {
        field.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// Whether the caller asks for the Excel file; an error for a format there is none of.
    fn wants_xlsx(&self) -> Result<bool, WebError> {
        match Self::given(&self.format) {
            None | Some("html") => Ok(false),
            Some("xlsx") => Ok(true),
            Some(_) => Err(WebError::status(StatusCode::UNPROCESSABLE_ENTITY, text::BAD_FORMAT)),
        }
    }

    /// `Ok(None)` when nothing was asked yet; an error when both or a non-number were given.
    fn subject(&self) -> Result<Option<Subject>, &'static str> {
        let id = |s: &str| s.parse::<i64>().map_err(|_| text::AUDIT_BAD_QUERY);
        match (Self::given(&self.person), Self::given(&self.operator)) {
            (None, None) => Ok(None),
            (Some(p), None) => Ok(Some(Subject::Person(PersonId(id(p)?)))),
            (None, Some(o)) => Ok(Some(Subject::Operator(OperatorId(id(o)?)))),
            (Some(_), Some(_)) => Err(text::AUDIT_BAD_QUERY),
        }
    }
}

/// The trail of `subject` as a table, for `worker`'s centre.
async fn trail(state: &WebState, worker: &Worker, subject: Subject) -> WebResult<Table> {
    let store = &state.app.store;
    let (entries, title, query): (Vec<JournalEntry>, String, String) = match subject {
        Subject::Person(id) => {
            let entries = store.person_trail(&worker.operator, id).await?;
            let people = people_of(store, vec![id]).await?;
            let who = people.get(&id).cloned().unwrap_or_default();
            (entries, format!("{}：{who}", text::AUDIT_OF_PERSON), format!("person={id}"))
        }
        Subject::Operator(id) => {
            let entries = store.operator_trail(&worker.operator, id).await?;
            let operator = store.operator(id).await?;
            let title = format!("{}：{}（{}）", text::AUDIT_OF_OPERATOR, operator.name, id);
            (entries, title, format!("operator={id}"))
        }
    };
    let mut names = Names::of(&store.agencies().await?);
    let operators: Vec<OperatorId> = entries.iter().filter_map(|e| e.operator).collect();
    for id in operators {
        if let Entry::Vacant(slot) = names.operators.entry(id) {
            let name = match store.operator(id).await {
                Ok(operator) => operator.name,
                Err(StoreError::NotFound { .. }) => text::UNKNOWN.to_owned(),
                Err(other) => return Err(other.into()),
            };
            slot.insert(name);
        }
    }
    let people = people_of(store, entries.iter().filter_map(|e| e.person).collect()).await?;
    Ok(table::audit_trail(title, &query, entries, &people, &names))
}

async fn audit_page(
    State(state): State<WebState>,
    worker: Worker,
    PageQuery(query): PageQuery<AuditQuery>,
) -> WebResult {
    state.app.store.supervising_centre(&worker.operator).await?;
    if query.wants_xlsx()? {
        return export(State(state), worker, Ok(Path("audit-trail".to_owned())), PageQuery(query))
            .await;
    }
    let (trail, error) = match query.subject() {
        Ok(Some(subject)) => (Some(trail(&state, &worker, subject).await?), None),
        Ok(None) => (None, None),
        Err(message) => (None, Some(message)),
    };
    let mut response = render(&AuditPage {
        frame: worker.frame(text::AUDIT_TITLE),
        person: query.person.unwrap_or_default(),
        operator: query.operator.unwrap_or_default(),
        error,
        trail,
    });
    if error.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn export(
    State(state): State<WebState>,
    worker: Worker,
    name: Result<Path<String>, PathRejection>,
    PageQuery(query): PageQuery<AuditQuery>,
) -> WebResult {
    let Ok(Path(name)) = name else {
        return Err(WebError::status(StatusCode::NOT_FOUND, text::UNKNOWN_TABLE));
    };
    let store = &state.app.store;
    let today = store.clock().today();
    store.supervising_centre(&worker.operator).await?;
    query.wants_xlsx()?;
    let table = match name.as_str() {
        "open-requests" => overview(&state, &worker).await?.open,
        "overdue-requests" => overview(&state, &worker).await?.overdue,
        "completion-agency" => overview(&state, &worker).await?.agency,
        "completion-day" => overview(&state, &worker).await?.day,
        "audit-trail" => match query.subject() {
            Ok(Some(subject)) => trail(&state, &worker, subject).await?,
            Ok(None) | Err(_) => {
                return Err(WebError::status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    text::AUDIT_BAD_QUERY,
                ));
            }
        },
        _ => return Err(WebError::status(StatusCode::NOT_FOUND, text::UNKNOWN_TABLE)),
    };
    tracing::info!(operator = worker.operator.id.0, table = table.id, "table exported");
    Ok(export::download(&table, today))
}
