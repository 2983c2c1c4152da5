//! The fields of a person record and a set of proposed new values for some of them.

use chrono::NaiveDate;
use personbase_identity::{Ethnicity, Gender, HouseholdType, SocialSecurityNumber};
use serde::{Deserialize, Serialize};

use crate::person::Person;
use crate::values::{Address, PersonName, Phone};

/// A field of the person record that a change request can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 社会保障号码 (AAC002)
    Ssn,
    /// 姓名 (AAC003)
    Name,
    /// 性别 (AAC004)
    Gender,
    /// 出生日期 (AAC006)
    BirthDate,
    /// 民族 (AAC005)
    Ethnicity,
    /// 户籍住址 (AAC010)
    HouseholdAddress,
    /// 户籍性质 (AAC009)
    HouseholdType,
    /// 家庭住址
    HomeAddress,
    /// 联系电话
    Phone,
}

impl Field {
    /// Every field, in the order forms show them.
    pub const ALL: [Field; 9] = [
        Field::Ssn,
        Field::Name,
        Field::Gender,
        Field::BirthDate,
        Field::Ethnicity,
        Field::HouseholdAddress,
        Field::HouseholdType,
        Field::HomeAddress,
        Field::Phone,
    ];

    /// The stable code (the API's field name).
    pub fn code(self) -> &'static str {
        match self {
            Field::Ssn => "ssn",
            Field::Name => "name",
            Field::Gender => "gender",
            Field::BirthDate => "birth_date",
            Field::Ethnicity => "ethnicity",
            Field::HouseholdAddress => "household_address",
            Field::HouseholdType => "household_type",
            Field::HomeAddress => "home_address",
            Field::Phone => "phone",
        }
    }

    /// Parses [`Field::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The label case workers know.
    pub fn name_zh(self) -> &'static str {
        match self {
            Field::Ssn => "社会保障号码",
            Field::Name => "姓名",
            Field::Gender => "性别",
            Field::BirthDate => "出生日期",
            Field::Ethnicity => "民族",
            Field::HouseholdAddress => "户籍住址",
            Field::HouseholdType => "户籍性质",
            Field::HomeAddress => "家庭住址",
            Field::Phone => "联系电话",
        }
    }

    /// Whether the field is printed on the resident identity card, so that a card reader
    /// supplies it (R2.7). The others may always be typed.
    pub fn on_identity_card(self) -> bool {
        matches!(
            self,
            Field::Ssn
                | Field::Name
                | Field::Gender
                | Field::BirthDate
                | Field::Ethnicity
                | Field::HouseholdAddress
        )
    }

    /// Whether the field is natural information (自然信息) rather than contact data.
    pub fn is_natural(self) -> bool {
        !matches!(self, Field::HomeAddress | Field::Phone)
    }

    /// Whether the household registry holds this field, so that its value prevails (R2.8).
    pub fn in_registry(self) -> bool {
        self.on_identity_card()
    }

    /// Identity number and name: the fields whose change every agency signs (R2.2).
    pub fn is_key(self) -> bool {
        matches!(self, Field::Ssn | Field::Name)
    }
}

/// Proposed new values; a field left `None` is not changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldChanges {
    /// New social security number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssn: Option<SocialSecurityNumber>,
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<PersonName>,
    /// New gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// New birth date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// New ethnicity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<Ethnicity>,
    /// New household registration address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_address: Option<Address>,
    /// New household registration type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_type: Option<HouseholdType>,
    /// New home address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_address: Option<Address>,
    /// New phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
}

/// One field's value before and after a change, as text for the journal and the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDiff {
    /// The field.
    pub field: Field,
    /// The value before (`None` when it was empty).
    pub before: Option<String>,
    /// The value after.
    pub after: Option<String>,
}

/// Text form of a field's value in a record, as the journal stores it.
pub fn field_text(person: &Person, field: Field) -> Option<String> {
    Some(match field {
        Field::Ssn => person.ssn.as_str().to_owned(),
        Field::Name => person.name.as_str().to_owned(),
        Field::Gender => person.gender.code().to_owned(),
        Field::BirthDate => person.birth_date.to_string(),
        Field::Ethnicity => person.ethnicity.code().to_owned(),
        Field::HouseholdAddress => person.household_address.as_str().to_owned(),
        Field::HouseholdType => person.household_type.code().to_owned(),
        Field::HomeAddress => return person.home_address.as_ref().map(|a| a.as_str().to_owned()),
        Field::Phone => return person.phone.as_ref().map(|p| p.as_str().to_owned()),
    })
}

impl FieldChanges {
    /// The fields this change names, in form order.
    pub fn fields(&self) -> Vec<Field> {
        Field::ALL.into_iter().filter(|f| self.names(*f)).collect()
    }

    /// Whether the change names `field`.
    pub fn names(&self, field: Field) -> bool {
        match field {
            Field::Ssn => self.ssn.is_some(),
            Field::Name => self.name.is_some(),
            Field::Gender => self.gender.is_some(),
            Field::BirthDate => self.birth_date.is_some(),
            Field::Ethnicity => self.ethnicity.is_some(),
            Field::HouseholdAddress => self.household_address.is_some(),
            Field::HouseholdType => self.household_type.is_some(),
            Field::HomeAddress => self.home_address.is_some(),
            Field::Phone => self.phone.is_some(),
        }
    }

    /// Whether the change names no field.
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    /// Drops `field` from the change.
    pub fn clear(&mut self, field: Field) {
        match field {
            Field::Ssn => self.ssn = None,
            Field::Name => self.name = None,
            Field::Gender => self.gender = None,
            Field::BirthDate => self.birth_date = None,
            Field::Ethnicity => self.ethnicity = None,
            Field::HouseholdAddress => self.household_address = None,
            Field::HouseholdType => self.household_type = None,
            Field::HomeAddress => self.home_address = None,
            Field::Phone => self.phone = None,
        }
    }

    /// The same change without the fields whose proposed value equals the stored one.
    pub fn against(&self, person: &Person) -> FieldChanges {
        let after = person.with_changes(self);
        let mut kept = self.clone();
        for field in self.fields() {
            if field_text(person, field) == field_text(&after, field) {
                kept.clear(field);
            }
        }
        kept
    }

    /// Before and after of every field this change names.
    pub fn diff(&self, person: &Person) -> Vec<FieldDiff> {
        let after = person.with_changes(self);
        self.fields()
            .into_iter()
            .map(|field| FieldDiff {
                field,
                before: field_text(person, field),
                after: field_text(&after, field),
            })
            .collect()
    }
}
