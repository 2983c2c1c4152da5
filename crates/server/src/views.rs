//! What the API shows: records masked by default (`2301**********123X`, `张*`), the full
//! record only through the journaled unmask route, and requests with their values masked.

use chrono::{DateTime, NaiveDate, Utc};
use personbase_domain::request::ConfirmationChannel;
use personbase_domain::rules::{Path, Plan};
use personbase_domain::{
    Address, Agency, Card, ChangeRequest, Field, FieldDiff, Operator, Person, PersonName, Phone,
};
use personbase_identity::SocialSecurityNumber;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// A person record with its personal data masked.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MaskedPerson {
    /// Record id.
    pub id: i64,
    /// Number, masked: `2301**********123X`.
    pub ssn: String,
    /// Name, masked: `张*`.
    pub name: String,
    /// Gender code (GB/T 2261.1).
    pub gender: String,
    /// Birth year only.
    pub birth_year: i32,
    /// Ethnicity code (GB 3304).
    pub ethnicity: String,
    /// Household registration address, first characters only.
    pub household_address: String,
    /// Household registration type code.
    pub household_type: String,
    /// Home address, first characters only.
    pub home_address: Option<String>,
    /// Phone, masked: `138****5678`.
    pub phone: Option<String>,
    /// `active`, `merged` or `closed`.
    pub status: String,
    /// The agency that entered the record.
    pub entered_by: i64,
    /// The version to name in `expected_version` when proposing a change.
    pub version: i64,
}

impl MaskedPerson {
    /// The masked view of `person`.
    pub fn of(person: &Person) -> Self {
        use chrono::Datelike;
        MaskedPerson {
            id: person.id.0,
            ssn: person.ssn.masked(),
            name: person.name.masked(),
            gender: person.gender.code().to_owned(),
            birth_year: person.birth_date.year(),
            ethnicity: person.ethnicity.code().to_owned(),
            household_address: person.household_address.masked(),
            household_type: person.household_type.code().to_owned(),
            home_address: person.home_address.as_ref().map(Address::masked),
            phone: person.phone.as_ref().map(Phone::masked),
            status: person.status.code().to_owned(),
            entered_by: person.entered_by.0,
            version: person.version,
        }
    }
}

/// A person record in full: only from `POST /persons/{id}/unmask`, which journals the view.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FullPerson {
    /// Record id.
    pub id: i64,
    /// Social security number.
    pub ssn: String,
    /// Name.
    pub name: String,
    /// Gender code.
    pub gender: String,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Ethnicity code.
    pub ethnicity: String,
    /// Household registration address.
    pub household_address: String,
    /// Household registration type code.
    pub household_type: String,
    /// Home address.
    pub home_address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// `active`, `merged` or `closed`.
    pub status: String,
    /// The agency that entered the record.
    pub entered_by: i64,
    /// Version.
    pub version: i64,
}

impl FullPerson {
    /// The full view of `person`.
    pub fn of(person: &Person) -> Self {
        FullPerson {
            id: person.id.0,
            ssn: person.ssn.as_str().to_owned(),
            name: person.name.as_str().to_owned(),
            gender: person.gender.code().to_owned(),
            birth_date: person.birth_date,
            ethnicity: person.ethnicity.code().to_owned(),
            household_address: person.household_address.as_str().to_owned(),
            household_type: person.household_type.code().to_owned(),
            home_address: person.home_address.as_ref().map(|a| a.as_str().to_owned()),
            phone: person.phone.as_ref().map(|p| p.as_str().to_owned()),
            status: person.status.code().to_owned(),
            entered_by: person.entered_by.0,
            version: person.version,
        }
    }
}

/// A field's value as text, masked the way its kind of data is masked.
pub fn mask_field(field: Field, text: &str) -> String {
    let masked = match field {
        Field::Ssn => SocialSecurityNumber::parse(text).ok().map(|n| n.masked()),
        Field::Name => PersonName::parse(text).ok().map(|n| n.masked()),
        Field::HouseholdAddress | Field::HomeAddress => {
            Address::parse(text).ok().map(|a| a.masked())
        }
        Field::Phone => Phone::parse(text).ok().map(|p| p.masked()),
        // The birth year only, as in the masked record.
        Field::BirthDate => text.get(..4).map(|year| format!("{year}-**-**")),
        Field::Gender | Field::Ethnicity | Field::HouseholdType => {
            return text.to_owned();
        }
    };
    masked.unwrap_or_else(|| "***".to_owned())
}

/// Masks personal values anywhere in a journal document: under keys named after a field
/// (`name`, `ssn`, `printed_name`, ...) and in `{field, before, after}` diffs.
pub fn mask_json(value: Value, field: Option<Field>) -> Value {
    match value {
        Value::String(text) => match field {
            Some(f) => Value::String(mask_field(f, &text)),
            None => Value::String(text),
        },
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| mask_json(v, field)).collect())
        }
        Value::Object(map) => {
            let diff_field = map.get("field").and_then(Value::as_str).and_then(Field::from_code);
            map.into_iter()
                .map(|(key, v)| {
                    let f = match key.as_str() {
                        "before" | "after" | "proposed" | "implied" if diff_field.is_some() => {
                            diff_field
                        }
                        "printed_name" => Some(Field::Name),
                        "printed_ssn" => Some(Field::Ssn),
                        k => Field::from_code(k).or(field),
                    };
                    (key, mask_json(v, f))
                })
                .collect()
        }
        other => other,
    }
}

/// One field's change, masked.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FieldChangeView {
    /// Field code (`name`, `ssn`, ...).
    pub field: String,
    /// The field's label.
    pub field_zh: String,
    /// Value before, masked.
    pub before: Option<String>,
    /// Value after, masked.
    pub after: Option<String>,
}

impl FieldChangeView {
    /// The masked view of a diff.
    pub fn of(diff: &FieldDiff) -> Self {
        FieldChangeView {
            field: diff.field.code().to_owned(),
            field_zh: diff.field.name_zh().to_owned(),
            before: diff.before.as_deref().map(|t| mask_field(diff.field, t)),
            after: diff.after.as_deref().map(|t| mask_field(diff.field, t)),
        }
    }

    fn all(diffs: &[FieldDiff]) -> Vec<Self> {
        diffs.iter().map(Self::of).collect()
    }
}

/// One agency's sign-off step.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StepView {
    /// The agency.
    pub agency: i64,
    /// The person's lines it holds.
    pub lines: Vec<String>,
    /// Lower orders sign first.
    pub order: u32,
    /// Who signed, once signed.
    pub signed_by: Option<i64>,
    /// When.
    pub signed_at: Option<DateTime<Utc>>,
    /// What the agency noted with its sign-off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A change request, values masked.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RequestView {
    /// Request id.
    pub id: i64,
    /// The person.
    pub person: i64,
    /// `waiting_for_signoff`, `waiting_for_person`, `effective`, `rejected`, `withdrawn`.
    pub state: String,
    /// The state's label.
    pub state_zh: String,
    /// Before and after of each field, masked.
    pub changes: Vec<FieldChangeView>,
    /// Where the card fields came from.
    pub source: String,
    /// Sign-offs required, in order.
    pub steps: Vec<StepView>,
    /// Whether the person must confirm (R2.4).
    pub needs_confirmation: bool,
    /// The person's answer: `{accepted, channel, at}`.
    #[schema(value_type = Object)]
    pub confirmation: Value,
    /// The rules that shaped it.
    pub rules: Vec<String>,
    /// Where the proposal differed from the registry (R2.8), masked.
    pub registry_differences: Vec<FieldChangeView>,
    /// Documents attached.
    pub documents: Vec<String>,
    /// The stated reason.
    pub reason: String,
    /// Who made it (none for self-service).
    pub created_by: Option<i64>,
    /// For which agency.
    pub agency: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The day it must be finished (R4.1).
    pub due_on: NaiveDate,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Rejection comment.
    pub comment: Option<String>,
}

impl RequestView {
    /// The masked view of a request.
    pub fn of(r: &ChangeRequest) -> Self {
        let confirmation = match &r.confirmation {
            None => Value::Null,
            Some(c) => {
                let channel = match &c.channel {
                    ConfirmationChannel::SelfService => json!({ "kind": "self_service" }),
                    ConfirmationChannel::Counter { operator, form_reference } => json!({
                        "kind": "counter", "operator": operator.0, "form_reference": form_reference,
                    }),
                };
                json!({ "accepted": c.accepted, "channel": channel, "at": c.at })
            }
        };
        RequestView {
            id: r.id.0,
            person: r.person.0,
            state: r.state.code().to_owned(),
            state_zh: r.state.name_zh().to_owned(),
            changes: FieldChangeView::all(&r.diff),
            source: r.source.code().to_owned(),
            steps: r
                .steps
                .iter()
                .map(|s| StepView {
                    agency: s.agency.0,
                    lines: s.lines.iter().map(|l| l.code().to_owned()).collect(),
                    order: s.order,
                    signed_by: s.signed.as_ref().map(|x| x.operator.0),
                    signed_at: s.signed.as_ref().map(|x| x.at),
                    comment: s.signed.as_ref().and_then(|x| x.comment.clone()),
                })
                .collect(),
            needs_confirmation: r.needs_confirmation,
            confirmation,
            rules: r.rules.iter().map(|x| x.code().to_owned()).collect(),
            registry_differences: FieldChangeView::all(&r.registry_differences),
            documents: r.documents.clone(),
            reason: r.reason.clone(),
            created_by: r.created_by.map(|o| o.0),
            agency: r.agency.map(|a| a.0),
            created_at: r.created_at,
            due_on: r.due_on,
            closed_at: r.closed_at,
            comment: r.comment.clone(),
        }
    }
}

/// The decision a preview returns: accepted with its plan, or refused with the error body
/// the real request would get.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DecisionView {
    /// Whether the change would be accepted.
    pub accepted: bool,
    /// `immediate`, `sign_off` or `person_confirms` when accepted.
    pub path: Option<String>,
    /// Sign-off steps when the path is `sign_off`.
    pub steps: Vec<StepView>,
    /// The values that would be stored, masked (number-implied and registry values put in).
    pub changes: Vec<FieldChangeView>,
    /// Rules applied.
    pub rules: Vec<String>,
    /// Where the proposal differs from the registry, masked.
    pub registry_differences: Vec<FieldChangeView>,
    /// Documents the acting agency requires.
    pub documents: Vec<String>,
    /// The refusal, when refused.
    pub refusal: Option<crate::error::ErrorBody>,
}

impl DecisionView {
    /// The view of an accepted plan for `person`.
    pub fn accepted(person: &Person, plan: &Plan) -> Self {
        let (path, steps) = match &plan.path {
            Path::Immediate => ("immediate", Vec::new()),
            Path::SignOff(steps) => (
                "sign_off",
                steps
                    .iter()
                    .map(|s| StepView {
                        agency: s.agency.0,
                        lines: s.lines.iter().map(|l| l.code().to_owned()).collect(),
                        order: s.order,
                        signed_by: None,
                        signed_at: None,
                        comment: None,
                    })
                    .collect(),
            ),
            Path::PersonConfirms => ("person_confirms", Vec::new()),
        };
        DecisionView {
            accepted: true,
            path: Some(path.to_owned()),
            steps,
            changes: FieldChangeView::all(&plan.changes.diff(person)),
            rules: plan.rules.iter().map(|r| r.code().to_owned()).collect(),
            registry_differences: FieldChangeView::all(&plan.registry_differences),
            documents: plan.documents.clone(),
            refusal: None,
        }
    }

    /// The view of a refusal.
    pub fn refused(body: crate::error::ErrorBody) -> Self {
        DecisionView {
            accepted: false,
            path: None,
            steps: Vec::new(),
            changes: Vec::new(),
            rules: body.rule.iter().cloned().collect(),
            registry_differences: Vec::new(),
            documents: Vec::new(),
            refusal: Some(body),
        }
    }
}

/// An operator as the session shows them.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OperatorView {
    /// Operator id.
    pub id: i64,
    /// Login.
    pub login: String,
    /// Display name.
    pub name: String,
    /// Roles.
    pub roles: Vec<String>,
    /// Agency id.
    pub agency: i64,
    /// Agency name.
    pub agency_name: String,
    /// Agency kind code.
    pub agency_kind: String,
    /// Agency level code.
    pub agency_level: String,
}

impl OperatorView {
    /// The view of an operator in their agency.
    pub fn of(operator: &Operator, agency: &Agency) -> Self {
        OperatorView {
            id: operator.id.0,
            login: operator.login.clone(),
            name: operator.name.clone(),
            roles: operator.roles.iter().map(|r| r.code().to_owned()).collect(),
            agency: agency.id.0,
            agency_name: agency.name.clone(),
            agency_kind: agency.kind.code().to_owned(),
            agency_level: agency.level.code().to_owned(),
        }
    }
}

/// A social security card; the printed name and number masked.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CardView {
    /// Card id.
    pub id: i64,
    /// Whose card.
    pub person: i64,
    /// The card's own number.
    pub card_number: String,
    /// `active`, `voided`, `replacement_requested`.
    pub status: String,
    /// Printed name, masked.
    pub printed_name: String,
    /// Printed number, masked.
    pub printed_ssn: String,
    /// When issued.
    pub issued_at: DateTime<Utc>,
}

impl CardView {
    /// The view of a card.
    pub fn of(card: &Card) -> Self {
        CardView {
            id: card.id.0,
            person: card.person.0,
            card_number: card.card_number.clone(),
            status: card.status.code().to_owned(),
            printed_name: mask_field(Field::Name, &card.printed_name),
            printed_ssn: mask_field(Field::Ssn, &card.printed_ssn),
            issued_at: card.issued_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_masked_by_kind() {
        assert_eq!(mask_field(Field::Ssn, "11010519491231002X"), "1101**********002X");
        assert_eq!(mask_field(Field::Name, "张三"), "张*");
        assert_eq!(mask_field(Field::Phone, "13812345678"), "138****5678");
        assert_eq!(mask_field(Field::Gender, "1"), "1");
        assert_eq!(mask_field(Field::Ssn, "garbage"), "***");
    }
}
