//! Persons: entry, masked reads, search, the journaled unmask, details, history, and the
//! read-only registry look-up.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use personbase_domain::PersonId;
use personbase_store::PersonQuery;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::CurrentOperator;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::input::{
    ApiJson, ApiPath, PersonInput, ReasonInput, parse_date, parse_source, parse_ssn,
};
use crate::views::{CardView, FullPerson, MaskedPerson, RequestView, mask_json};

/// A new person as entered at the counter.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryInput {
    /// `card_reader`, `registry` or `manual` (manual only under 16, R2.7).
    source: String,
    /// The fields.
    person: PersonInput,
    /// Why the person is entered.
    #[serde(default)]
    reason: String,
}

/// Enters a new person (R2.5, R2.7, R2.8, R2.9).
#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", security(("bearer" = [])),
    request_body = EntryInput,
    responses((status = 201, body = MaskedPerson), (status = 409, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn enter(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiJson(input): ApiJson<EntryInput>,
) -> ApiResult<(StatusCode, Json<MaskedPerson>)> {
    let entry = input.person.parse()?;
    let source = parse_source(&input.source)?;

    let person = state.store.enter_person(&me.operator, entry, source, input.reason.trim()).await?;

    tracing::info!(operator = me.operator.id.0, person = person.id.0, "person entered");
    Ok((StatusCode::CREATED, Json(MaskedPerson::of(&person))))
}

/// Search by number (any form the identity crate accepts), or by name and birth date.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchInput {
    /// Identity number; 15 digits, lower-case x and full-width digits are accepted.
    #[serde(default)]
    ssn: Option<String>,
    /// Exact name.
    #[serde(default)]
    name: Option<String>,
    /// Birth date (`YYYY-MM-DD`), with the name.
    #[serde(default)]
    birth_date: Option<String>,
}

/// Finds persons; the results are masked. The search terms travel in the body so that no
/// number or name appears in a URL or an access log.
#[utoipa::path(post, path = "/api/v1/persons/search", tag = "persons", security(("bearer" = [])),
    request_body = SearchInput,
    responses((status = 200, body = [MaskedPerson]), (status = 422, body = ErrorBody)))]
pub(crate) async fn search(
    State(state): State<AppState>,
    _me: CurrentOperator,
    ApiJson(input): ApiJson<SearchInput>,
) -> ApiResult<Json<Vec<MaskedPerson>>> {
    let query = match (&input.ssn, &input.name) {
        (Some(ssn), _) => {
            PersonQuery { ssn: Some(parse_ssn("ssn", ssn)?), ..PersonQuery::default() }
        }
        (None, Some(name)) => {
            let name = personbase_domain::PersonName::parse(name)
                .map_err(|e| ApiError::invalid("name", e.message_zh()))?;
            let birth =
                input.birth_date.as_deref().map(|d| parse_date("birth_date", d)).transpose()?;
            PersonQuery { name: Some(name), birth_date: birth, ..PersonQuery::default() }
        }
        (None, None) => {
            return Err(ApiError::invalid("ssn", "请提供社会保障号码，或姓名和出生日期"));
        }
    };
    let found = state.store.search_persons(&query).await?;
    Ok(Json(found.iter().map(MaskedPerson::of).collect()))
}

/// A person, masked.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", security(("bearer" = [])),
    params(("id" = i64, Path, description = "person id")),
    responses((status = 200, body = MaskedPerson), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_masked(
    State(state): State<AppState>,
    _me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<MaskedPerson>> {
    let person = state.store.person(PersonId(id)).await?;
    Ok(Json(MaskedPerson::of(&person)))
}

/// The full record, with a stated reason; the view is journaled (R4.2).
#[utoipa::path(post, path = "/api/v1/persons/{id}/unmask", tag = "persons",
    security(("bearer" = [])), params(("id" = i64, Path, description = "person id")),
    request_body = ReasonInput,
    responses((status = 200, body = FullPerson), (status = 422, body = ErrorBody)))]
pub(crate) async fn unmask(
    State(state): State<AppState>,
    me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<FullPerson>> {
    let reason = input.checked()?;
    let person = state.store.view_unmasked(&me.operator, PersonId(id), reason).await?;
    tracing::info!(operator = me.operator.id.0, person = id, "full record viewed");
    Ok(Json(FullPerson::of(&person)))
}

/// A person with everything attached, masked.
#[derive(Serialize, ToSchema)]
pub(crate) struct DetailsView {
    /// The record.
    person: MaskedPerson,
    /// Active enrolments: `{id, line, line_zh, agency, agency_name}`.
    #[schema(value_type = Vec<Object>)]
    enrolments: Vec<Value>,
    /// Unfinished transactions (R2.12).
    #[schema(value_type = Vec<Object>)]
    in_transit: Vec<Value>,
    /// Active special businesses (R2.11).
    #[schema(value_type = Vec<Object>)]
    specials: Vec<Value>,
    /// Cards.
    cards: Vec<CardView>,
    /// Open change requests.
    open_requests: Vec<RequestView>,
}

/// Person details: enrolments, in-transit business, specials, cards and open requests.
#[utoipa::path(get, path = "/api/v1/persons/{id}/details", tag = "persons",
    security(("bearer" = [])), params(("id" = i64, Path, description = "person id")),
    responses((status = 200, body = DetailsView), (status = 404, body = ErrorBody)))]
pub(crate) async fn details(
    State(state): State<AppState>,
    _me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DetailsView>> {
    let d = state.store.person_details(PersonId(id)).await?;
    let label = |agency: personbase_domain::AgencyId| {
        d.agencies.iter().find(|a| a.id == agency).map(|a| a.name.clone()).unwrap_or_default()
    };
    let view = DetailsView {
        person: MaskedPerson::of(&d.person),
        enrolments: d
            .enrolments
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id, "line": e.line.code(), "line_zh": e.line.name_zh(),
                    "agency": e.agency, "agency_name": label(e.agency), "active": e.active,
                })
            })
            .collect(),
        in_transit: d
            .in_transit
            .iter()
            .map(|t| {
                serde_json::json!({
                    "id": t.id, "line": t.line.code(), "agency": t.agency,
                    "agency_name": label(t.agency), "reference": t.reference,
                    "description": t.description, "started_at": t.started_at,
                })
            })
            .collect(),
        specials: d
            .specials
            .iter()
            .map(|s| {
                serde_json::json!({
                    "kind": s.kind.code(), "kind_zh": s.kind.name_zh(), "agency": s.agency,
                    "agency_name": label(s.agency), "reference": s.reference,
                })
            })
            .collect(),
        cards: d.cards.iter().map(CardView::of).collect(),
        open_requests: d.open_requests.iter().map(RequestView::of).collect(),
    };
    Ok(Json(view))
}

/// One journal entry about a person, personal values masked.
#[derive(Serialize, ToSchema)]
pub(crate) struct HistoryEntry {
    /// Journal sequence number.
    seq: i64,
    /// When.
    at: DateTime<Utc>,
    /// Who.
    operator: Option<i64>,
    /// For which agency.
    agency: Option<i64>,
    /// What happened (`change.effective`, `person.viewed`, ...).
    action: String,
    /// The request concerned.
    request: Option<i64>,
    /// Before, masked.
    #[schema(value_type = Object)]
    before: Value,
    /// After, masked.
    #[schema(value_type = Object)]
    after: Value,
    /// Why.
    reason: String,
}

/// The person's audit trail, oldest first, values masked.
#[utoipa::path(get, path = "/api/v1/persons/{id}/history", tag = "persons",
    security(("bearer" = [])), params(("id" = i64, Path, description = "person id")),
    responses((status = 200, body = [HistoryEntry]), (status = 404, body = ErrorBody)))]
pub(crate) async fn history(
    State(state): State<AppState>,
    _me: CurrentOperator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    let entries = state.store.history(PersonId(id)).await?;
    let view = entries
        .into_iter()
        .map(|e| HistoryEntry {
            seq: e.seq,
            at: e.at,
            operator: e.operator.map(|o| o.0),
            agency: e.agency.map(|a| a.0),
            action: e.action,
            request: e.request.map(|r| r.0),
            before: mask_json(e.before, None),
            after: mask_json(e.after, None),
            reason: e.reason,
        })
        .collect();
    Ok(Json(view))
}

/// A registry record, masked.
#[derive(Serialize, ToSchema)]
pub(crate) struct RegistryView {
    /// Number, masked.
    ssn: String,
    /// Name, masked.
    name: String,
    /// Gender code.
    gender: String,
    /// Birth year.
    birth_year: i32,
    /// Ethnicity code.
    ethnicity: String,
    /// Household registration address, masked.
    household_address: String,
}

/// Reads the household registry snapshot for a number (R2.16: read-only; no route writes
/// it). The result is masked.
#[utoipa::path(get, path = "/api/v1/registry/{number}", tag = "registry",
    security(("bearer" = [])), params(("number" = String, Path, description = "identity number")),
    responses((status = 200, body = RegistryView), (status = 404, body = ErrorBody)))]
pub(crate) async fn registry_lookup(
    State(state): State<AppState>,
    _me: CurrentOperator,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<Json<RegistryView>> {
    use chrono::Datelike;
    let ssn = parse_ssn("number", &number)?;
    let record = state.store.registry_record(&ssn).await?;
    let record = record.ok_or_else(|| ApiError::not_found("registry", ssn.masked()))?;
    Ok(Json(RegistryView {
        ssn: record.ssn.masked(),
        name: record.name.masked(),
        gender: record.gender.code().to_owned(),
        birth_year: record.birth_date.year(),
        ethnicity: record.ethnicity.code().to_owned(),
        household_address: record.household_address.masked(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn journal_documents_are_masked() {
        let doc = json!({
            "name": "张三", "gender": "1",
            "diff": [{ "field": "ssn", "before": "11010519491231002X", "after": null }],
            "card": { "printed_name": "李四" },
        });
        let masked = mask_json(doc, None);
        assert_eq!(masked["name"], "张*");
        assert_eq!(masked["gender"], "1");
        assert_eq!(masked["diff"][0]["before"], "1101**********002X");
        assert_eq!(masked["card"]["printed_name"], "李*");
    }
}
