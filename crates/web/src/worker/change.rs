//! `/persons/{id}/change`: proposing a change. As the operator types, htmx posts the form to
//! the preview route, which asks the store what the rules would decide (nothing is written)
//! and shows it: refused with the rule's explanation, effective at once, or which agencies
//! sign off in which order and whether the person confirms. Without JavaScript the preview
//! button renders the same preview in the page.
//!
//! The form is multipart: the supporting documents (R4.3) the worker's kind of agency may ask
//! for are uploaded with it and stored with the request in the store's transaction. The
//! preview counts every document of the agency as attached and lists those the change needs,
//! so the worker sees what to upload; the submission counts only the files uploaded, and the
//! store refuses when one is missing.

use askama::Template;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use personbase_domain::rules::Path;
use personbase_domain::{Field, Person, PersonId};
use personbase_identity::{Ethnicity, Gender, HouseholdType};
use personbase_server::ApiError;
use personbase_server::input::{ChangeInput, ChangesInput};
use personbase_server::views::FieldChangeView;
use personbase_store::{ActorRef, NewDocument};
use serde::Deserialize;

use super::{Id, Names, Problem, change_views, masked_rows};
use crate::WebState;
use crate::page::{Frame, PageForm, WebResult, render};
use crate::session::Worker;
use crate::text;

/// The change form's fields, named as the API names them; empty means unchanged.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ChangeForm {
    ssn: String,
    name: String,
    gender: String,
    birth_date: String,
    ethnicity: String,
    household_address: String,
    household_type: String,
    home_address: String,
    phone: String,
    source: String,
    reason: String,
    expected_version: String,
}

fn filled(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

impl ChangeForm {
    /// Sets a field read from a multipart body; unknown names are ignored.
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "ssn" => &mut self.ssn,
            "name" => &mut self.name,
            "gender" => &mut self.gender,
            "birth_date" => &mut self.birth_date,
            "ethnicity" => &mut self.ethnicity,
            "household_address" => &mut self.household_address,
            "household_type" => &mut self.household_type,
            "home_address" => &mut self.home_address,
            "phone" => &mut self.phone,
            "source" => &mut self.source,
            "reason" => &mut self.reason,
            "expected_version" => &mut self.expected_version,
            _ => return,
        };
        *slot = value;
    }

    fn value(&self, field: Field) -> &str {
        match field {
            Field::Ssn => &self.ssn,
            Field::Name => &self.name,
            Field::Gender => &self.gender,
            Field::BirthDate => &self.birth_date,
            Field::Ethnicity => &self.ethnicity,
            Field::HouseholdAddress => &self.household_address,
            Field::HouseholdType => &self.household_type,
            Field::HomeAddress => &self.home_address,
            Field::Phone => &self.phone,
        }
    }

    /// Whether no field has a new value.
    fn is_empty(&self) -> bool {
        Field::ALL.iter().all(|f| self.value(*f).trim().is_empty())
    }

    /// The API's input for this form with `documents` attached; parsed by the API's own
    /// code, so a wrong value reads as it does there.
    fn input(&self, documents: Vec<String>) -> Result<ChangeInput, Problem> {
        let expected_version = match self.expected_version.trim() {
            "" => None,
            v => Some(v.parse::<i64>().map_err(|_| {
                Problem::from(ApiError::invalid("expected_version", text::FORM_UNREADABLE))
            })?),
        };
        let source = filled(&self.source).unwrap_or_else(|| "card_reader".to_owned());
        Ok(ChangeInput {
            source,
            changes: ChangesInput {
                ssn: filled(&self.ssn),
                name: filled(&self.name),
                gender: filled(&self.gender),
                birth_date: filled(&self.birth_date),
                ethnicity: filled(&self.ethnicity),
                household_address: filled(&self.household_address),
                household_type: filled(&self.household_type),
                home_address: filled(&self.home_address),
                phone: filled(&self.phone),
            },
            documents,
            reason: self.reason.trim().to_owned(),
            expected_version,
        })
    }
}

/// One agency's step in the preview.
pub(crate) struct PreviewStep {
    order: u32,
    /// Which step, counting agencies of the same order as one step: `第2步`.
    step: String,
    agency_id: i64,
    agency: String,
    lines: String,
}

/// What the rules would decide.
pub(crate) struct Preview {
    /// `refused`, `invalid`, `immediate`, `sign_off` or `person_confirms`.
    outcome: &'static str,
    /// The refusal or the wrong value.
    problem: Option<Problem>,
    steps: Vec<PreviewStep>,
    changes: Vec<FieldChangeView>,
    registry_differences: Vec<FieldChangeView>,
    /// The documents the change needs from this agency (R4.3).
    documents: Vec<String>,
}

impl Preview {
    fn problem(outcome: &'static str, problem: Problem) -> Self {
        Preview {
            outcome,
            problem: Some(problem),
            steps: Vec::new(),
            changes: Vec::new(),
            registry_differences: Vec::new(),
            documents: Vec::new(),
        }
    }

    /// The class of the preview's box: `refusal`, `accepted` or `pending`.
    fn class(&self) -> &'static str {
        match self.outcome {
            "immediate" => "accepted",
            "sign_off" | "person_confirms" => "pending",
            _ => "refusal",
        }
    }
}

/// The documents an agency of the worker's kind may ask for, in the policy's order: one
/// upload slot each.
fn document_slots(state: &WebState, worker: &Worker) -> Vec<String> {
    let mut slots: Vec<String> = Vec::new();
    let policy = state.app.store.policy();
    for rule in policy.documents.iter().filter(|r| r.agency_kind == worker.agency.kind) {
        for doc in &rule.required {
            if !slots.contains(doc) {
                slots.push(doc.clone());
            }
        }
    }
    slots
}

/// Asks the store what the rules would decide for `form`, with every slot's document
/// counted as attached. `None` when no field has a new value yet.
async fn decide(
    state: &WebState,
    worker: &Worker,
    person: &Person,
    form: &ChangeForm,
) -> WebResult<Option<Preview>> {
    if form.is_empty() {
        return Ok(None);
    }
    let input = match form.input(document_slots(state, worker)) {
        Ok(input) => input,
        Err(problem) => return Ok(Some(Preview::problem("invalid", problem))),
    };
    let proposal = match input.proposal() {
        Ok(proposal) => proposal,
        Err(err) => return Ok(Some(Preview::problem("invalid", err.into()))),
    };
    let store = &state.app.store;
    let decision =
        store.preview_change(ActorRef::Operator(&worker.operator), person.id, &proposal).await?;
    let plan = match decision {
        Ok(plan) => plan,
        Err(refusal) => {
            return Ok(Some(Preview::problem("refused", ApiError::refused(refusal).into())));
        }
    };
    let names = Names::load(store).await?;
    let (outcome, steps) = match &plan.path {
        Path::Immediate => ("immediate", Vec::new()),
        Path::PersonConfirms => ("person_confirms", Vec::new()),
        Path::SignOff(steps) => {
            let mut steps: Vec<PreviewStep> = steps
                .iter()
                .map(|s| PreviewStep {
                    order: s.order,
                    step: String::new(),
                    agency_id: s.agency.0,
                    agency: names.agency(s.agency),
                    lines: s.lines.iter().map(|l| l.name_zh()).collect::<Vec<_>>().join("、"),
                })
                .collect();
            steps.sort_by_key(|s| s.order);
            let mut rank = 0;
            let mut last = None;
            for step in &mut steps {
                if last != Some(step.order) {
                    rank += 1;
                    last = Some(step.order);
                }
                step.step = text::step(rank);
            }
            ("sign_off", steps)
        }
    };
    Ok(Some(Preview {
        outcome,
        problem: None,
        steps,
        changes: change_views(&plan.changes.diff(person)),
        registry_differences: change_views(&plan.registry_differences),
        documents: plan.documents.clone(),
    }))
}

/// One input of the change form.
pub(crate) struct FieldInput {
    /// The API's name for the field (`ssn`), also the input's name; its id is `f-<code>`.
    code: &'static str,
    label: &'static str,
    /// `text`, `date`, `tel` or `select` (a list of `options`).
    kind: &'static str,
    /// The masked current value, as placeholder (or the select's "unchanged" option).
    current: String,
    /// What the worker typed or chose (a select's: the option's code).
    value: String,
    /// A select's options, code and Chinese name, after the "unchanged" one.
    options: Vec<(&'static str, &'static str)>,
}

/// The choices of a coded field, from the identity crate's code tables: gender, ethnicity
/// (GB 3304) and household type. Empty for a field typed as text.
fn options(field: Field) -> Vec<(&'static str, &'static str)> {
    match field {
        Field::Gender => vec![("1", text::MALE), ("2", text::FEMALE)],
        Field::Ethnicity => Ethnicity::all().iter().map(|e| (e.code(), e.name_zh())).collect(),
        Field::HouseholdType => {
            HouseholdType::all().iter().map(|h| (h.code(), h.name_zh())).collect()
        }
        _ => Vec::new(),
    }
}

/// A coded field's value as its option's code, whether the form sent the code or the name
/// (`汉族`, `农业`); anything else as it came, so that the preview names it wrong.
fn option_value(field: Field, value: &str) -> String {
    let code = match field {
        Field::Gender => Gender::parse(value).map(Gender::code),
        Field::Ethnicity => Ethnicity::parse(value).map(Ethnicity::code),
        Field::HouseholdType => HouseholdType::parse(value).map(HouseholdType::code),
        _ => None,
    };
    code.map_or_else(|| value.to_owned(), str::to_owned)
}

/// The change page.
#[derive(Template)]
#[template(path = "worker/change.html")]
struct ChangePage {
    frame: Frame,
    id: i64,
    version: String,
    fields: Vec<FieldInput>,
    sources: Vec<(&'static str, &'static str, bool)>,
    reason: String,
    slots: Vec<String>,
    preview: Option<Preview>,
}

/// The preview alone, for htmx to put in `#preview`.
#[derive(Template)]
#[template(path = "worker/preview.html")]
struct PreviewFragment {
    preview: Option<Preview>,
}

fn change_page(
    state: &WebState,
    worker: &Worker,
    person: &Person,
    form: &ChangeForm,
    preview: Option<Preview>,
) -> ChangePage {
    let current: Vec<String> = masked_rows(person).into_iter().map(|r| r.value).collect();
    let fields = Field::ALL
        .iter()
        .zip(current)
        .map(|(field, current)| {
            let options = options(*field);
            let value = form.value(*field);
            FieldInput {
                code: field.code(),
                label: field.name_zh(),
                kind: match field {
                    _ if !options.is_empty() => "select",
                    Field::BirthDate => "date",
                    Field::Phone => "tel",
                    _ => "text",
                },
                current,
                value: if options.is_empty() {
                    value.to_owned()
                } else {
                    option_value(*field, value)
                },
                options,
            }
        })
        .collect();
    let chosen = filled(&form.source).unwrap_or_else(|| "card_reader".to_owned());
    let sources = ["card_reader", "registry", "manual"]
        .into_iter()
        .map(|code| (code, text::source(code), code == chosen))
        .collect();
    let version = filled(&form.expected_version).unwrap_or_else(|| person.version.to_string());
    ChangePage {
        frame: worker.frame(text::CHANGE_TITLE),
        id: person.id.0,
        version,
        fields,
        sources,
        reason: form.reason.clone(),
        slots: document_slots(state, worker),
        preview,
    }
}

pub(crate) async fn page(State(state): State<WebState>, worker: Worker, Id(id): Id) -> WebResult {
    let person = state.app.store.person(PersonId(id)).await?;
    Ok(render(&change_page(&state, &worker, &person, &ChangeForm::default(), None)))
}

/// The preview: the fragment for htmx (`HX-Request`), the whole page otherwise.
pub(crate) async fn preview(
    State(state): State<WebState>,
    worker: Worker,
    Id(id): Id,
    headers: HeaderMap,
    PageForm(form): PageForm<ChangeForm>,
) -> WebResult {
    let person = state.app.store.person(PersonId(id)).await?;
    let preview = decide(&state, &worker, &person, &form).await?;
    if headers.contains_key("hx-request") {
        return Ok(render(&PreviewFragment { preview }));
    }
    Ok(render(&change_page(&state, &worker, &person, &form, preview)))
}

/// Reads the multipart form: its text fields and the uploaded documents, each by its slot.
async fn read_form(
    slots: &[String],
    mut multipart: Multipart,
) -> Result<(ChangeForm, Vec<NewDocument>), Problem> {
    let unreadable = || Problem::from(ApiError::invalid("documents", text::UPLOAD_UNREADABLE));
    let mut form = ChangeForm::default();
    let mut documents = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(index) = name.strip_prefix("doc_") {
            let kind = index.parse::<usize>().ok().and_then(|i| slots.get(i)).cloned();
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let content_type =
                field.content_type().unwrap_or("application/octet-stream").to_owned();
            let bytes = field.bytes().await.map_err(|_| unreadable())?;
            // A file input left empty still sends a part, without a name or content.
            if let Some(kind) = kind
                && !(bytes.is_empty() && file_name.is_empty())
            {
                documents.push(NewDocument {
                    kind,
                    file_name,
                    content_type,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let value = field.text().await.map_err(|_| unreadable())?;
        form.set(&name, value);
    }
    Ok((form, documents))
}

/// Submits the change with its documents; on success the request's page, otherwise the form
/// again with the refusal or the wrong value where the preview is.
pub(crate) async fn submit(
    State(state): State<WebState>,
    worker: Worker,
    Id(id): Id,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult {
    let store = &state.app.store;
    let person = store.person(PersonId(id)).await?;
    let slots = document_slots(&state, &worker);
    let failed = |form: &ChangeForm, status: StatusCode, outcome, problem: Problem| -> Response {
        let preview = Some(Preview::problem(outcome, problem));
        let page = change_page(&state, &worker, &person, form, preview);
        (status, render(&page)).into_response()
    };

    let read = match multipart {
        Ok(multipart) => read_form(&slots, multipart).await,
        Err(_) => Err(Problem::from(ApiError::invalid("documents", text::UPLOAD_UNREADABLE))),
    };
    let (form, documents) = match read {
        Ok(read) => read,
        Err(problem) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(failed(&ChangeForm::default(), status, "invalid", problem));
        }
    };
    let attached: Vec<String> = documents.iter().map(|d| d.kind.clone()).collect();
    let input = match form.input(attached) {
        Ok(input) => input,
        Err(problem) => {
            return Ok(failed(&form, StatusCode::UNPROCESSABLE_ENTITY, "invalid", problem));
        }
    };
    let proposal = match input.proposal() {
        Ok(proposal) => proposal,
        Err(err) => {
            let status = err.status;
            return Ok(failed(&form, status, "invalid", err.into()));
        }
    };

    let outcome = store
        .propose_change_with_documents(
            ActorRef::Operator(&worker.operator),
            person.id,
            proposal,
            &input.reason,
            input.expected_version,
            documents,
        )
        .await;
    match outcome {
        Ok(request) => {
            tracing::info!(
                operator = worker.operator.id.0,
                person = id,
                request = request.id.0,
                state = request.state.code(),
                "change proposed on a page"
            );
            Ok(Redirect::to(&format!("/requests/{}", request.id.0)).into_response())
        }
        Err(err) => {
            let api = ApiError::from(err);
            let status = api.status;
            let stale = api.body.code == "version_conflict";
            let outcome = if api.body.rule.is_some() || stale { "refused" } else { "invalid" };
            // A stale version: the form comes back on the current record (its placeholders
            // and version), for the worker to check and submit again.
            let form =
                if stale { ChangeForm { expected_version: String::new(), ..form } } else { form };
            Ok(failed(&form, status, outcome, api.into()))
        }
    }
}
