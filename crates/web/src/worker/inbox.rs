//! `/inbox`: requests waiting for this agency's sign-off whose turn has come, oldest first,
//! with the day each is due (R4.1).

use askama::Template;
use axum::extract::State;
use personbase_domain::Field;
use personbase_server::views::mask_field;

use super::Names;
use crate::WebState;
use crate::page::{Frame, WebResult, render};
use crate::session::Worker;
use crate::text;

pub(crate) struct InboxRow {
    id: i64,
    person: i64,
    person_name: String,
    fields: String,
    agency: String,
    created: String,
    due: String,
    overdue: bool,
}

/// The inbox page.
#[derive(Template)]
#[template(path = "worker/inbox.html")]
struct InboxPage {
    frame: Frame,
    rows: Vec<InboxRow>,
}

pub(crate) async fn page(State(state): State<WebState>, worker: Worker) -> WebResult {
    let store = &state.app.store;
    let names = Names::load(store).await?;
    let today = store.clock().today();
    let mut rows = Vec::new();
    for request in store.inbox(worker.agency.id).await? {
        let person = store.person(request.person).await?;
        rows.push(InboxRow {
            id: request.id.0,
            person: request.person.0,
            person_name: mask_field(Field::Name, person.name.as_str()),
            fields: request.diff.iter().map(|d| d.field.name_zh()).collect::<Vec<_>>().join("、"),
            agency: request
                .agency
                .map(|a| names.agency(a))
                .unwrap_or_else(|| text::BY_PERSON.to_owned()),
            created: text::datetime(request.created_at),
            due: text::date(request.due_on),
            overdue: request.is_overdue(today),
        });
    }
    Ok(render(&InboxPage { frame: worker.frame(text::INBOX_TITLE), rows }))
}
