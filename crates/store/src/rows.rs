//! Reading rows into domain values by hand. A column that does not parse is
//! [`StoreError::Corrupt`] naming the table, the row and the field — never "not found".

use std::fmt::Display;

use chrono::{DateTime, NaiveDate, Utc};
use personbase_domain::{
    Agency, AgencyId, AgencyKind, BusinessLine, Card, CardId, CardStatus, ChangeRequest, Enrolment,
    EnrolmentId, Level, Operator, OperatorId, Person, PersonId, PersonName, PersonStatus,
    RegistryRecord, RequestId, RequestState, Role, SpecialBusiness, SpecialKind, Transaction,
    TransactionId,
    rules::InputSource,
    values::{Address, Phone},
};
use personbase_identity::{Ethnicity, Gender, HouseholdType, SocialSecurityNumber};
use serde::de::DeserializeOwned;
use sqlx::Row;

use crate::db::{DbRow, parse_date, parse_time};
use crate::error::{Result, StoreError};

/// A row of `table`, identified by `key` for error messages.
pub(crate) struct Fields<'r> {
    row: &'r DbRow,
    table: &'static str,
    key: String,
}

impl<'r> Fields<'r> {
    /// A row whose key is the integer column `id`.
    pub(crate) fn by_id(row: &'r DbRow, table: &'static str) -> Self {
        let key = match row.try_get::<i64, _>("id") {
            Ok(id) => format!("id={id}"),
            Err(_) => "id=?".to_owned(),
        };
        Fields { row, table, key }
    }

    /// A row identified by a key given by the caller.
    pub(crate) fn keyed(row: &'r DbRow, table: &'static str, key: String) -> Self {
        Fields { row, table, key }
    }

    pub(crate) fn corrupt(&self, field: &'static str, detail: impl Display) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            row: self.key.clone(),
            field,
            detail: detail.to_string(),
        }
    }

    pub(crate) fn int(&self, field: &'static str) -> Result<i64> {
        self.row.try_get(field).map_err(|e| self.corrupt(field, e))
    }

    pub(crate) fn opt_int(&self, field: &'static str) -> Result<Option<i64>> {
        self.row.try_get(field).map_err(|e| self.corrupt(field, e))
    }

    pub(crate) fn flag(&self, field: &'static str) -> Result<bool> {
        self.row.try_get(field).map_err(|e| self.corrupt(field, e))
    }

    pub(crate) fn text(&self, field: &'static str) -> Result<String> {
        self.row.try_get(field).map_err(|e| self.corrupt(field, e))
    }

    pub(crate) fn bytes(&self, field: &'static str) -> Result<Vec<u8>> {
        self.row.try_get(field).map_err(|e| self.corrupt(field, e))
    }

    pub(crate) fn opt_text(&self, field: &'static str) -> Result<Option<String>> {
        self.row.try_get(field).map_err(|e| self.corrupt(field, e))
    }

    /// The text column `field` parsed by `parse`.
    pub(crate) fn parse<T, E: Display>(
        &self,
        field: &'static str,
        parse: impl FnOnce(&str) -> std::result::Result<T, E>,
    ) -> Result<T> {
        let text = self.text(field)?;
        parse(&text).map_err(|e| self.corrupt(field, e))
    }

    /// The nullable text column `field` parsed by `parse`.
    pub(crate) fn parse_opt<T, E: Display>(
        &self,
        field: &'static str,
        parse: impl FnOnce(&str) -> std::result::Result<T, E>,
    ) -> Result<Option<T>> {
        match self.opt_text(field)? {
            None => Ok(None),
            Some(text) => parse(&text).map(Some).map_err(|e| self.corrupt(field, e)),
        }
    }

    /// A code column read by a `from_code`-style function.
    pub(crate) fn code<T>(
        &self,
        field: &'static str,
        from: impl Fn(&str) -> Option<T>,
    ) -> Result<T> {
        self.parse(field, |s| from(s).ok_or_else(|| format!("unknown code {s:?}")))
    }

    pub(crate) fn time(&self, field: &'static str) -> Result<DateTime<Utc>> {
        self.parse(field, |s| parse_time(s).ok_or("not an RFC 3339 time"))
    }

    pub(crate) fn opt_time(&self, field: &'static str) -> Result<Option<DateTime<Utc>>> {
        self.parse_opt(field, |s| parse_time(s).ok_or("not an RFC 3339 time"))
    }

    pub(crate) fn date(&self, field: &'static str) -> Result<NaiveDate> {
        self.parse(field, |s| parse_date(s).ok_or("not a YYYY-MM-DD date"))
    }

    pub(crate) fn json<T: DeserializeOwned>(&self, field: &'static str) -> Result<T> {
        self.parse(field, |s| serde_json::from_str(s))
    }

    pub(crate) fn opt_json<T: DeserializeOwned>(&self, field: &'static str) -> Result<Option<T>> {
        self.parse_opt(field, |s| serde_json::from_str(s))
    }
}

/// The columns [`agency`] reads.
pub(crate) const AGENCY_COLUMNS: &str = "id, name, kind, level, division";

pub(crate) fn agency(row: &DbRow) -> Result<Agency> {
    let f = Fields::by_id(row, "agencies");
    let division = f.int("division")?;
    Ok(Agency {
        id: AgencyId(f.int("id")?),
        name: f.text("name")?,
        kind: f.code("kind", AgencyKind::from_code)?,
        level: f.code("level", Level::from_code)?,
        division: u32::try_from(division).map_err(|e| f.corrupt("division", e))?,
    })
}

/// The columns [`operator`] reads.
pub(crate) const OPERATOR_COLUMNS: &str = "id, login, name, agency_id, roles";

pub(crate) fn operator(row: &DbRow) -> Result<Operator> {
    let f = Fields::by_id(row, "operators");
    let roles = f.parse("roles", |s| {
        s.split(',')
            .filter(|r| !r.is_empty())
            .map(|r| Role::from_code(r).ok_or_else(|| format!("unknown role {r:?}")))
            .collect::<std::result::Result<Vec<Role>, String>>()
    })?;
    Ok(Operator {
        id: OperatorId(f.int("id")?),
        login: f.text("login")?,
        name: f.text("name")?,
        agency: AgencyId(f.int("agency_id")?),
        roles,
    })
}

/// The columns [`person`] reads.
pub(crate) const PERSON_COLUMNS: &str = "id, ssn, name, gender, birth_date, ethnicity, \
     household_address, household_type, home_address, phone, status, merged_into, entered_by, \
     version";

pub(crate) fn person(row: &DbRow) -> Result<Person> {
    let f = Fields::by_id(row, "persons");
    let status = match f.text("status")?.as_str() {
        "active" => PersonStatus::Active,
        "closed" => PersonStatus::Closed,
        "merged" => match f.opt_int("merged_into")? {
            Some(id) => PersonStatus::MergedInto(PersonId(id)),
            None => return Err(f.corrupt("merged_into", "merged without a surviving record")),
        },
        other => return Err(f.corrupt("status", format!("unknown code {other:?}"))),
    };
    Ok(Person {
        id: PersonId(f.int("id")?),
        ssn: f.parse("ssn", SocialSecurityNumber::parse)?,
        name: f.parse("name", PersonName::parse)?,
        gender: f.code("gender", Gender::parse)?,
        birth_date: f.date("birth_date")?,
        ethnicity: f.code("ethnicity", Ethnicity::from_code)?,
        household_address: f.parse("household_address", Address::parse)?,
        household_type: f.code("household_type", HouseholdType::from_code)?,
        home_address: f.parse_opt("home_address", Address::parse)?,
        phone: f.parse_opt("phone", Phone::parse)?,
        status,
        entered_by: AgencyId(f.int("entered_by")?),
        version: f.int("version")?,
    })
}

/// The columns [`enrolment`] reads.
pub(crate) const ENROLMENT_COLUMNS: &str = "id, person_id, line, agency_id, active";

pub(crate) fn enrolment(row: &DbRow) -> Result<Enrolment> {
    let f = Fields::by_id(row, "enrolments");
    Ok(Enrolment {
        id: EnrolmentId(f.int("id")?),
        person: PersonId(f.int("person_id")?),
        line: f.code("line", BusinessLine::from_code)?,
        agency: AgencyId(f.int("agency_id")?),
        active: f.flag("active")?,
    })
}

/// The columns [`transaction`] reads.
pub(crate) const TRANSACTION_COLUMNS: &str =
    "id, person_id, line, agency_id, reference, description, started_at, finished_at";

pub(crate) fn transaction(row: &DbRow) -> Result<Transaction> {
    let f = Fields::by_id(row, "transactions");
    Ok(Transaction {
        id: TransactionId(f.int("id")?),
        person: PersonId(f.int("person_id")?),
        line: f.code("line", BusinessLine::from_code)?,
        agency: AgencyId(f.int("agency_id")?),
        reference: f.text("reference")?,
        description: f.text("description")?,
        started_at: f.time("started_at")?,
        finished_at: f.opt_time("finished_at")?,
    })
}

/// The columns [`special`] reads.
pub(crate) const SPECIAL_COLUMNS: &str = "id, person_id, kind, agency_id, reference";

pub(crate) fn special(row: &DbRow) -> Result<SpecialBusiness> {
    let f = Fields::by_id(row, "specials");
    Ok(SpecialBusiness {
        kind: f.code("kind", SpecialKind::from_code)?,
        person: PersonId(f.int("person_id")?),
        agency: AgencyId(f.int("agency_id")?),
        reference: f.text("reference")?,
    })
}

/// The columns [`card`] reads.
pub(crate) const CARD_COLUMNS: &str =
    "id, person_id, card_number, status, printed_name, printed_ssn, issued_at";

pub(crate) fn card(row: &DbRow) -> Result<Card> {
    let f = Fields::by_id(row, "cards");
    Ok(Card {
        id: CardId(f.int("id")?),
        person: PersonId(f.int("person_id")?),
        card_number: f.text("card_number")?,
        status: f.code("status", CardStatus::from_code)?,
        printed_name: f.text("printed_name")?,
        printed_ssn: f.text("printed_ssn")?,
        issued_at: f.time("issued_at")?,
    })
}

/// The columns [`request`] reads.
pub(crate) const REQUEST_COLUMNS: &str = "id, person_id, state, changes_json, diff_json, source, \
     steps_json, needs_confirmation, confirmation_json, rules_json, registry_diff_json, \
     documents_json, reason, created_by, agency_id, created_at, due_on, closed_at, comment";

pub(crate) fn request(row: &DbRow) -> Result<ChangeRequest> {
    let f = Fields::by_id(row, "change_requests");
    Ok(ChangeRequest {
        id: RequestId(f.int("id")?),
        person: PersonId(f.int("person_id")?),
        changes: f.json("changes_json")?,
        diff: f.json("diff_json")?,
        source: f.code("source", InputSource::from_code)?,
        steps: f.json("steps_json")?,
        needs_confirmation: f.flag("needs_confirmation")?,
        confirmation: f.opt_json("confirmation_json")?,
        state: f.code("state", RequestState::from_code)?,
        rules: f.json("rules_json")?,
        registry_differences: f.json("registry_diff_json")?,
        documents: f.json("documents_json")?,
        reason: f.text("reason")?,
        created_by: f.opt_int("created_by")?.map(OperatorId),
        agency: f.opt_int("agency_id")?.map(AgencyId),
        created_at: f.time("created_at")?,
        due_on: f.date("due_on")?,
        closed_at: f.opt_time("closed_at")?,
        comment: f.opt_text("comment")?,
    })
}

/// The columns [`registry`] reads.
pub(crate) const REGISTRY_COLUMNS: &str =
    "ssn, name, gender, birth_date, ethnicity, household_address";

pub(crate) fn registry(row: &DbRow) -> Result<RegistryRecord> {
    let key = row.try_get::<String, _>("ssn").unwrap_or_default();
    let f = Fields::keyed(row, "registry", format!("ssn={}", mask_key(&key)));
    Ok(RegistryRecord {
        ssn: f.parse("ssn", SocialSecurityNumber::parse)?,
        name: f.parse("name", PersonName::parse)?,
        gender: f.code("gender", Gender::parse)?,
        birth_date: f.date("birth_date")?,
        ethnicity: f.code("ethnicity", Ethnicity::from_code)?,
        household_address: f.parse("household_address", Address::parse)?,
    })
}

/// A number shortened for error messages, which may reach logs: the first six and the last
/// character.
fn mask_key(ssn: &str) -> String {
    let chars: Vec<char> = ssn.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    format!("{head}***********{}", chars[chars.len() - 1])
}
