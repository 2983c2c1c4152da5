//! Case workers' pages: search, a person's page with the journaled unmask, proposing a change
//! with its live preview and documents, a request's page with sign-off, rejection and the
//! counter confirmation (R2.4), and the agency's inbox of sign-offs.
//!
//! Every handler parses the form, calls the same store function as the API handler of
//! `personbase-server` and shows the outcome; refusals carry the rule's own explanation.

mod change;
mod inbox;
mod person;
mod request;
mod search;

use std::collections::HashMap;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{get, post};
use personbase_domain::changes::FieldDiff;
use personbase_domain::{AgencyId, Field, OperatorId, Person};
use personbase_identity::{Ethnicity, Gender, HouseholdType};
use personbase_server::ApiError;
use personbase_server::views::FieldChangeView;
use personbase_store::{MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, Store};
use serde_json::Value;

use crate::WebState;
use crate::page::WebError;
use crate::text;

/// The worker pages' routes.
pub fn routes() -> Router<WebState> {
    let upload_limit = MAX_DOCUMENTS * MAX_DOCUMENT_BYTES + (1 << 20);
    Router::new()
        .route("/search", get(search::page).post(search::search))
        .route("/persons/{id}", get(person::page))
        .route("/persons/{id}/unmask", post(person::unmask))
        .route(
            "/persons/{id}/change",
            get(change::page).post(change::submit).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/persons/{id}/change/preview", post(change::preview))
        .route("/requests/{id}", get(request::page))
        .route("/requests/{id}/sign-off", post(request::sign_off))
        .route("/requests/{id}/reject", post(request::reject))
        .route("/requests/{id}/confirm", post(request::confirm))
        .route("/requests/{id}/documents/{doc}", get(request::document))
        .route("/inbox", get(inbox::page))
}

/// A numeric id in the path; anything else is the "no such page" error page.
pub(crate) struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match Path::<i64>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Id(id)),
            Err(_) => Err(WebError::status(StatusCode::NOT_FOUND, text::NOT_FOUND)),
        }
    }
}

/// Why something was refused or could not be read, as a page shows it.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    /// What is wrong and what to do, in Chinese (the rule's own explanation).
    pub message: String,
    /// The refusing rule's code (`in-transit-blocks`), when a rule refused.
    pub rule: Option<String>,
    /// The stable machine code (`in_transit_business`, `invalid_value`).
    pub code: String,
    /// The notice's section (`R2.12`), when a rule refused.
    pub notice: Option<String>,
    /// The field a wrong value is in, in Chinese.
    pub field: Option<String>,
}

impl From<ApiError> for Problem {
    fn from(err: ApiError) -> Self {
        let details = &err.body.details;
        let text_of = |key: &str| details.get(key).and_then(Value::as_str).map(str::to_owned);
        // A record field by its label; an input that is no field (`documents`) by the
        // catalogue's word for it.
        let field = text_of("field").map(|f| {
            personbase_domain::Field::from_code(&f)
                .map(personbase_domain::Field::name_zh)
                .or_else(|| text::journal_key(&f))
                .map_or(f, str::to_owned)
        });
        Problem {
            message: err.body.message,
            rule: err.body.rule,
            code: err.body.code,
            notice: text_of("notice"),
            field,
        }
    }
}

impl From<personbase_store::StoreError> for Problem {
    fn from(err: personbase_store::StoreError) -> Self {
        ApiError::from(err).into()
    }
}

/// Field changes as the worker pages show them: masked as the API masks them, and coded
/// fields (gender, ethnicity, household type) by their Chinese names rather than codes.
pub(crate) fn change_views(diffs: &[FieldDiff]) -> Vec<FieldChangeView> {
    diffs
        .iter()
        .map(|diff| {
            let mut view = FieldChangeView::of(diff);
            let named = |value: Option<String>| {
                value.map(|v| coded_name(diff.field, &v).map_or(v, str::to_owned))
            };
            view.before = named(view.before);
            view.after = named(view.after);
            view
        })
        .collect()
}

/// The Chinese name of a coded field's value (`20` → `农业户口`); `None` for other fields
/// and unknown codes.
fn coded_name(field: Field, code: &str) -> Option<&'static str> {
    match field {
        Field::Gender => Gender::parse(code).map(Gender::name_zh),
        Field::Ethnicity => Ethnicity::from_code(code).map(Ethnicity::name_zh),
        Field::HouseholdType => HouseholdType::from_code(code).map(HouseholdType::name_zh),
        _ => None,
    }
}

/// One labelled value of a record.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    /// The element id suffix (`ssn` → `#record-ssn`).
    pub key: &'static str,
    /// The label.
    pub label: &'static str,
    /// The value, masked or full.
    pub value: String,
}

fn or_none(value: Option<String>) -> String {
    value.unwrap_or_else(|| text::NONE.to_owned())
}

/// The record masked as on every list: `2301**********123X`, `张*`, the birth year only.
pub(crate) fn masked_rows(person: &Person) -> Vec<Row> {
    use chrono::Datelike;
    let row = |key, label, value| Row { key, label, value };
    vec![
        row("ssn", text::SSN, person.ssn.masked()),
        row("name", text::NAME, person.name.masked()),
        row("gender", text::GENDER, person.gender.name_zh().to_owned()),
        row("birth", text::BIRTH_YEAR, person.birth_date.year().to_string()),
        row("ethnicity", text::ETHNICITY, person.ethnicity.name_zh().to_owned()),
        row("household-address", text::HOUSEHOLD_ADDRESS, person.household_address.masked()),
        row("household-type", text::HOUSEHOLD_TYPE, person.household_type.name_zh().to_owned()),
        row(
            "home-address",
            text::HOME_ADDRESS,
            or_none(person.home_address.as_ref().map(|a| a.masked())),
        ),
        row("phone", text::PHONE, or_none(person.phone.as_ref().map(|p| p.masked()))),
        row("status", text::STATUS, text::person_status(person.status.code()).to_owned()),
        row("version", text::VERSION, person.version.to_string()),
    ]
}

/// The record in full: only after the journaled unmask.
pub(crate) fn full_rows(person: &Person) -> Vec<Row> {
    let row = |key, label, value| Row { key, label, value };
    vec![
        row("ssn", text::SSN, person.ssn.as_str().to_owned()),
        row("name", text::NAME, person.name.as_str().to_owned()),
        row("gender", text::GENDER, person.gender.name_zh().to_owned()),
        row("birth", text::BIRTH_DATE, text::date(person.birth_date)),
        row("ethnicity", text::ETHNICITY, person.ethnicity.name_zh().to_owned()),
        row(
            "household-address",
            text::HOUSEHOLD_ADDRESS,
            person.household_address.as_str().to_owned(),
        ),
        row("household-type", text::HOUSEHOLD_TYPE, person.household_type.name_zh().to_owned()),
        row(
            "home-address",
            text::HOME_ADDRESS,
            or_none(person.home_address.as_ref().map(|a| a.as_str().to_owned())),
        ),
        row("phone", text::PHONE, or_none(person.phone.as_ref().map(|p| p.as_str().to_owned()))),
    ]
}

/// Names of agencies and operators, read once per page.
#[derive(Default)]
pub(crate) struct Names {
    agencies: HashMap<AgencyId, String>,
    operators: HashMap<OperatorId, String>,
}

impl Names {
    /// Every agency's name (a province has few).
    pub async fn load(store: &Store) -> Result<Names, WebError> {
        let agencies = store.agencies().await?.into_iter().map(|a| (a.id, a.name)).collect();
        Ok(Names { agencies, operators: HashMap::new() })
    }

    /// An agency's name.
    pub fn agency(&self, id: AgencyId) -> String {
        self.agencies.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// An operator's name, read on first use.
    pub async fn operator(&mut self, store: &Store, id: OperatorId) -> Result<String, WebError> {
        if let Some(name) = self.operators.get(&id) {
            return Ok(name.clone());
        }
        let name = store.operator(id).await?.name;
        self.operators.insert(id, name.clone());
        Ok(name)
    }
}
