//! A record of the provincial public security household registry (省公安户籍库), the reference
//! for natural information (R2.8, R2.16). The registry is read-only: PersonBase has no
//! operation that writes it; the store crate reads it from a loaded snapshot.

use chrono::NaiveDate;
use personbase_identity::{Ethnicity, Gender, SocialSecurityNumber};
use serde::{Deserialize, Serialize};

use crate::values::{Address, PersonName};

/// One person as the household registry knows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryRecord {
    /// Citizen identity number.
    pub ssn: SocialSecurityNumber,
    /// Name.
    pub name: PersonName,
    /// Gender.
    pub gender: Gender,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Ethnicity.
    pub ethnicity: Ethnicity,
    /// Household registration address.
    pub household_address: Address,
}
