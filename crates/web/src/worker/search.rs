//! `/search`: by number in any form the identity crate accepts, or by name and birth date.
//! The terms travel in a POST body so that no number or name lands in a URL or an access
//! log; results are masked.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use personbase_domain::PersonName;
use personbase_identity::SocialSecurityNumber;
use personbase_server::input::parse_date;
use personbase_store::PersonQuery;
use serde::Deserialize;

use super::Problem;
use crate::WebState;
use crate::page::{Frame, PageForm, WebResult, render};
use crate::session::Worker;
use crate::text;

/// One masked result.
pub(crate) struct Hit {
    id: i64,
    ssn: String,
    name: String,
    gender: &'static str,
    birth_year: i32,
    status: &'static str,
}

/// The search page, with results after a search.
#[derive(Template)]
#[template(path = "worker/search.html")]
struct SearchPage {
    frame: Frame,
    number: String,
    name: String,
    birth: String,
    problem: Option<Problem>,
    hits: Option<Vec<Hit>>,
}

pub(crate) async fn page(worker: Worker) -> Response {
    render(&SearchPage {
        frame: worker.frame(text::NAV_SEARCH),
        number: String::new(),
        name: String::new(),
        birth: String::new(),
        problem: None,
        hits: None,
    })
}

/// The search form.
#[derive(Deserialize)]
pub(crate) struct SearchForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth: String,
}

/// The query the form asks for, or why it cannot be asked.
fn query(form: &SearchForm) -> Result<PersonQuery, Problem> {
    let invalid = |field: &str, message: String| {
        Problem::from(personbase_server::ApiError::invalid(field, message))
    };
    if !form.number.trim().is_empty() {
        let ssn = SocialSecurityNumber::parse(&form.number)
            .map_err(|e| invalid("ssn", e.message_zh()))?;
        return Ok(PersonQuery { ssn: Some(ssn), ..PersonQuery::default() });
    }
    if form.name.trim().is_empty() {
        return Err(invalid("ssn", text::SEARCH_EMPTY.to_owned()));
    }
    let name = PersonName::parse(form.name.trim()).map_err(|e| invalid("name", e.message_zh()))?;
    let birth = match form.birth.trim() {
        "" => None,
        day => Some(parse_date("birth_date", day).map_err(Problem::from)?),
    };
    Ok(PersonQuery { name: Some(name), birth_date: birth, ..PersonQuery::default() })
}

pub(crate) async fn search(
    State(state): State<WebState>,
    worker: Worker,
    PageForm(form): PageForm<SearchForm>,
) -> WebResult {
    let (problem, hits) = match query(&form) {
        Err(problem) => (Some(problem), None),
        Ok(query) => {
            use chrono::Datelike;
            let found = state.app.store.search_persons(&query).await?;
            let hits = found
                .iter()
                .map(|p| Hit {
                    id: p.id.0,
                    ssn: p.ssn.masked(),
                    name: p.name.masked(),
                    gender: p.gender.name_zh(),
                    birth_year: p.birth_date.year(),
                    status: text::person_status(p.status.code()),
                })
                .collect();
            (None, Some(hits))
        }
    };
    tracing::info!(operator = worker.operator.id.0, "person search");
    Ok(render(&SearchPage {
        frame: worker.frame(text::NAV_SEARCH),
        number: form.number,
        name: form.name,
        birth: form.birth,
        problem,
        hits,
    }))
}
