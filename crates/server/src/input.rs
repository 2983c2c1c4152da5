//! Request bodies as they arrive, and their parsing into domain values. Every value is
//! parsed here, once, into the checked type; a value that does not parse is a 422 naming the
//! field, with the identity or domain crate's Chinese message.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chrono::NaiveDate;
use personbase_domain::rules::{InputSource, Proposal};
use personbase_domain::{Address, FieldChanges, NewPerson, PersonName, Phone};
use personbase_identity::{Ethnicity, Gender, HouseholdType, SocialSecurityNumber};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};

/// A JSON object body whose rejection is an [`ApiError`] (422 naming the field where serde
/// says). It must be sent as JSON and be an object at the top: serde would also read a
/// struct from an array of its fields' values.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let (headers, body) = body_of(req, state).await?;
        json_object(&headers, &body).map(ApiJson)
    }
}

/// Like [`ApiJson`], but an empty body is `T::default()`: for bodies a caller may leave out.
#[derive(Debug)]
pub struct OptionalApiJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let (headers, body) = body_of(req, state).await?;
        if body.trim_ascii().is_empty() {
            return Ok(OptionalApiJson(T::default()));
        }
        json_object(&headers, &body).map(OptionalApiJson)
    }
}

/// The request's headers and body.
async fn body_of<S: Send + Sync>(req: Request, state: &S) -> Result<(HeaderMap, Bytes), ApiError> {
    let headers = req.headers().clone();
    let body = Bytes::from_request(req, state).await.map_err(|rejection| {
        ApiError::invalid("body", format!("请求内容有误：{}", rejection.body_text()))
    })?;
    Ok((headers, body))
}

/// `body` read as a `T` from a JSON object sent with a JSON content type.
fn json_object<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"));
    if !json {
        return Err(ApiError::invalid(
            "body",
            "请求内容须为 JSON（content-type: application/json）",
        ));
    }
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(ApiError::invalid("body", "请求内容须为 JSON 对象（{ … }）"));
    }
    match Json::<T>::from_bytes(body) {
        Ok(Json(value)) => Ok(value),
        Err(rejection) => {
            let text = rejection.body_text();
            Err(ApiError::invalid(&rejected_field(&text), format!("请求内容有误：{text}")))
        }
    }
}

/// The field a JSON rejection is about: the one named for a missing, unknown or duplicate
/// field, else the last segment of the path before serde's message (never the value, which
/// serde quotes too), else `body`.
fn rejected_field(text: &str) -> String {
    let detail = text.split_once("target type: ").map_or(text, |(_, rest)| rest);
    for kind in ["missing field `", "unknown field `", "duplicate field `"] {
        if let Some((_, rest)) = detail.split_once(kind)
            && let Some((name, _)) = rest.split_once('`')
        {
            return name.to_owned();
        }
    }
    match detail.split_once(": ") {
        Some((path, _)) if !path.is_empty() && !path.contains(' ') => {
            let last = path.rsplit('.').next().unwrap_or(path);
            last.split('[').next().unwrap_or(last).to_owned()
        }
        _ => "body".to_owned(),
    }
}

/// A path parameter whose rejection is an [`ApiError`]: an id that is not a number names
/// nothing, a 404 `not_found` like any other path that is not a route.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(ApiError::no_route()),
        }
    }
}

/// Parses `text` as a number in any form the identity crate accepts.
pub fn parse_ssn(field: &str, text: &str) -> ApiResult<SocialSecurityNumber> {
    SocialSecurityNumber::parse(text).map_err(|e| ApiError::invalid(field, e.message_zh()))
}

/// Parses a date written `YYYY-MM-DD` or, as card readers give it, `YYYYMMDD`.
pub fn parse_date(field: &str, text: &str) -> ApiResult<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y%m%d"))
        .map_err(|_| {
            ApiError::invalid(field, "日期有误：应为YYYY-MM-DD或YYYYMMDD格式的实际存在的日期")
        })
}

fn parse_name(text: &str) -> ApiResult<PersonName> {
    PersonName::parse(text).map_err(|e| ApiError::invalid("name", e.message_zh()))
}

fn parse_address(field: &str, text: &str) -> ApiResult<Address> {
    Address::parse(text).map_err(|e| ApiError::invalid(field, e.message_zh()))
}

fn parse_phone(text: &str) -> ApiResult<Phone> {
    Phone::parse(text).map_err(|e| ApiError::invalid("phone", e.message_zh()))
}

fn parse_gender(text: &str) -> ApiResult<Gender> {
    Gender::parse(text)
        .ok_or_else(|| ApiError::invalid("gender", "性别应为男、女或GB/T 2261.1代码"))
}

fn parse_ethnicity(text: &str) -> ApiResult<Ethnicity> {
    Ethnicity::parse(text)
        .ok_or_else(|| ApiError::invalid("ethnicity", "民族应为GB 3304代码或名称，如“01”或“汉族”"))
}

fn parse_household_type(text: &str) -> ApiResult<HouseholdType> {
    HouseholdType::parse(text).ok_or_else(|| {
        ApiError::invalid("household_type", "户籍性质应为代码或名称，如“10”或“非农业户口”")
    })
}

/// Parses where the card fields came from.
pub fn parse_source(text: &str) -> ApiResult<InputSource> {
    InputSource::from_code(text)
        .ok_or_else(|| ApiError::invalid("source", "来源应为card_reader、registry或manual"))
}

fn opt<T>(
    value: &Option<String>,
    parse: impl FnOnce(&str) -> ApiResult<T>,
) -> ApiResult<Option<T>> {
    value.as_deref().map(parse).transpose()
}

/// A person's fields as entered: typed, read by the card reader, or from the registry.
/// Card readers' field names (`id_number`, `address`) and forms (`男`, `汉`, `19850312`) are
/// accepted as they come.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Identity number, any form the identity crate accepts (15 digits are upgraded).
    #[serde(alias = "id_number")]
    pub ssn: String,
    /// Name.
    pub name: String,
    /// Gender (`男`, `1`, `male`); derived from the number when left out.
    #[serde(default)]
    pub gender: Option<String>,
    /// Birth date (`1985-03-12` or `19850312`); derived from the number when left out.
    #[serde(default)]
    pub birth_date: Option<String>,
    /// Ethnicity (`汉`, `汉族`, `01`).
    pub ethnicity: String,
    /// Household registration address (the card's 住址).
    #[serde(alias = "address")]
    pub household_address: String,
    /// Household registration type (`10`, `非农业户口`): not on the card, may be typed.
    pub household_type: String,
    /// Home address: not on the card, may be typed.
    #[serde(default)]
    pub home_address: Option<String>,
    /// Phone: not on the card, may be typed.
    #[serde(default)]
    pub phone: Option<String>,
}

impl PersonInput {
    /// The checked new record.
    pub fn parse(&self) -> ApiResult<NewPerson> {
        Ok(NewPerson {
            ssn: parse_ssn("ssn", &self.ssn)?,
            name: parse_name(&self.name)?,
            gender: opt(&self.gender, parse_gender)?,
            birth_date: opt(&self.birth_date, |t| parse_date("birth_date", t))?,
            ethnicity: parse_ethnicity(&self.ethnicity)?,
            household_address: parse_address("household_address", &self.household_address)?,
            household_type: parse_household_type(&self.household_type)?,
            home_address: opt(&self.home_address, |t| parse_address("home_address", t))?,
            phone: opt(&self.phone, parse_phone)?,
        })
    }
}

/// New values for some fields of a record; a field left out is not changed.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangesInput {
    /// New identity number.
    #[serde(default, alias = "id_number")]
    pub ssn: Option<String>,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New gender.
    #[serde(default)]
    pub gender: Option<String>,
    /// New birth date.
    #[serde(default)]
    pub birth_date: Option<String>,
    /// New ethnicity.
    #[serde(default)]
    pub ethnicity: Option<String>,
    /// New household registration address.
    #[serde(default, alias = "address")]
    pub household_address: Option<String>,
    /// New household registration type.
    #[serde(default)]
    pub household_type: Option<String>,
    /// New home address.
    #[serde(default)]
    pub home_address: Option<String>,
    /// New phone.
    #[serde(default)]
    pub phone: Option<String>,
}

impl ChangesInput {
    /// The checked change.
    pub fn parse(&self) -> ApiResult<FieldChanges> {
        Ok(FieldChanges {
            ssn: opt(&self.ssn, |t| parse_ssn("ssn", t))?,
            name: opt(&self.name, parse_name)?,
            gender: opt(&self.gender, parse_gender)?,
            birth_date: opt(&self.birth_date, |t| parse_date("birth_date", t))?,
            ethnicity: opt(&self.ethnicity, parse_ethnicity)?,
            household_address: opt(&self.household_address, |t| {
                parse_address("household_address", t)
            })?,
            household_type: opt(&self.household_type, parse_household_type)?,
            home_address: opt(&self.home_address, |t| parse_address("home_address", t))?,
            phone: opt(&self.phone, parse_phone)?,
        })
    }
}

/// A proposed change of a record.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeInput {
    /// Where the identity-card fields came from: `card_reader`, `registry` or `manual`.
    pub source: String,
    /// The new values.
    pub changes: ChangesInput,
    /// Supporting documents attached (R4.3), by name.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Why the change is made.
    #[serde(default)]
    pub reason: String,
    /// The version of the record the change was made against; a stale one is refused (409).
    #[serde(default)]
    pub expected_version: Option<i64>,
}

impl ChangeInput {
    /// The checked proposal.
    pub fn proposal(&self) -> ApiResult<Proposal> {
        Ok(Proposal {
            changes: self.changes.parse()?,
            source: parse_source(&self.source)?,
            documents: self.documents.clone(),
        })
    }
}

/// Reason for an action that must state one (e.g. viewing unmasked data).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    /// Why, in the operator's words; required.
    pub reason: String,
}

impl ReasonInput {
    /// The reason, refused when blank.
    pub fn checked(&self) -> ApiResult<&str> {
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(ApiError::invalid("reason", "须填写事由"));
        }
        Ok(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_reader_forms_parse() {
        let input: PersonInput = serde_json::from_value(serde_json::json!({
            "id_number": "11010519491231002X",
            "name": "张三",
            "gender": "女",
            "birth_date": "19491231",
            "ethnicity": "汉",
            "address": "北京市朝阳区某路1号",
            "household_type": "非农业户口",
        }))
        .unwrap();
        let person = input.parse().unwrap();
        assert_eq!(person.gender, Some(Gender::Female));
        assert_eq!(person.ethnicity, Ethnicity::Han);
        assert_eq!(person.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
    }

    #[test]
    fn a_bad_value_names_its_field() {
        let input = ChangesInput { phone: Some("12".into()), ..ChangesInput::default() };
        let err = input.parse().unwrap_err();
        assert_eq!(err.status.as_u16(), 422);
        assert_eq!(err.body.details["field"], "phone");
        let input = ChangesInput { ssn: Some("110105194912310021".into()), ..Default::default() };
        assert_eq!(input.parse().unwrap_err().body.details["field"], "ssn");
    }
}
