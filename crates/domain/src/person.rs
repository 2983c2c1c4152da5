//! The person record (人员基本信息).

use chrono::NaiveDate;
use personbase_identity::{Ethnicity, Gender, HouseholdType, SocialSecurityNumber};
use serde::{Deserialize, Serialize};

use crate::changes::FieldChanges;
use crate::ids::{AgencyId, PersonId};
use crate::values::{Address, PersonName, Phone};

/// Whether a record is in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "into")]
pub enum PersonStatus {
    /// The record in use.
    Active,
    /// Merged into another record (R3.1), which survives.
    MergedInto(PersonId),
    /// Closed (deceased, emigrated, or a record entered in error).
    Closed,
}

impl PersonStatus {
    /// The stable code (without the target of a merge).
    pub fn code(self) -> &'static str {
        match self {
            PersonStatus::Active => "active",
            PersonStatus::MergedInto(_) => "merged",
            PersonStatus::Closed => "closed",
        }
    }
}

/// A stored person record. Gender and birth date agree with the number whenever the number
/// implies them (R2.5): the rules refuse any change that would break this, and
/// [`NewPerson::derive_from_number`] fills them in on entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Its id.
    pub id: PersonId,
    /// Social security number (社会保障号码).
    pub ssn: SocialSecurityNumber,
    /// Name.
    pub name: PersonName,
    /// Gender (GB/T 2261.1).
    pub gender: Gender,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Ethnicity (GB 3304).
    pub ethnicity: Ethnicity,
    /// Household registration address (户籍住址).
    pub household_address: Address,
    /// Household registration type (户籍性质).
    pub household_type: HouseholdType,
    /// Home address (家庭住址), kept up to date by the person.
    pub home_address: Option<Address>,
    /// Phone (联系电话), kept up to date by the person.
    pub phone: Option<Phone>,
    /// Whether the record is in use.
    pub status: PersonStatus,
    /// The agency that entered the record; for persons registered outside the province it is
    /// one of those who may modify it (R2.17).
    pub entered_by: AgencyId,
    /// Optimistic-concurrency version, increased by every effective change.
    pub version: i64,
}

impl Person {
    /// The record with `changes` applied (the version is left to the store).
    pub fn with_changes(&self, changes: &FieldChanges) -> Person {
        let mut next = self.clone();
        if let Some(v) = &changes.ssn {
            next.ssn = v.clone();
        }
        if let Some(v) = &changes.name {
            next.name = v.clone();
        }
        if let Some(v) = changes.gender {
            next.gender = v;
        }
        if let Some(v) = changes.birth_date {
            next.birth_date = v;
        }
        if let Some(v) = changes.ethnicity {
            next.ethnicity = v;
        }
        if let Some(v) = &changes.household_address {
            next.household_address = v.clone();
        }
        if let Some(v) = changes.household_type {
            next.household_type = v;
        }
        if let Some(v) = &changes.home_address {
            next.home_address = Some(v.clone());
        }
        if let Some(v) = &changes.phone {
            next.phone = Some(v.clone());
        }
        next
    }

    /// Age in whole years on `day`.
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        age_on(self.birth_date, day)
    }
}

/// Age in whole years of someone born on `birth` on the day `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(birth).unwrap_or(0)
}

/// The fields of a person being entered for the first time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    /// Social security number.
    pub ssn: SocialSecurityNumber,
    /// Name.
    pub name: PersonName,
    /// Gender; derived from the number when omitted.
    #[serde(default)]
    pub gender: Option<Gender>,
    /// Birth date; derived from the number when omitted.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// Ethnicity.
    pub ethnicity: Ethnicity,
    /// Household registration address.
    pub household_address: Address,
    /// Household registration type.
    pub household_type: HouseholdType,
    /// Home address.
    #[serde(default)]
    pub home_address: Option<Address>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<Phone>,
}

impl NewPerson {
    /// Fills in gender and birth date from the number where they were left out.
    pub fn derive_from_number(&mut self) {
        if self.gender.is_none() {
            self.gender = self.ssn.gender();
        }
        if self.birth_date.is_none() {
            self.birth_date = self.ssn.birth_date();
        }
    }
}
