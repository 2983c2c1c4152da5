//! Identity numbers a person in China can present, and the national code tables that
//! person records use.
//!
//! - [`SocialSecurityNumber`]: the checked number a person record keys on; parse it once
//!   and pass the type around.
//! - [`check`]: the full explanation of any input on a given day, as `personbase id check`
//!   prints it: kind, normalised form, birth date, gender, division name as of the birth
//!   year, errors and warnings.
//! - [`division`]: GB/T 2260 with history; [`Ethnicity`] (GB 3304), [`HouseholdType`],
//!   [`Nationality`] (GB/T 2659), [`Gender`] (GB/T 2261.1), [`FieldCode`] (the
//!   ministry's column codes).
//! - [`foreign_ssn`]: our default layout and generator for foreigners' numbers (R2.15).
//!
//! Nothing here reads a clock or does I/O, and no input makes it panic.

mod check;
mod check_json;
mod checksum;
mod code_table;
pub mod division;
mod error;
mod ethnicity;
mod field_code;
pub mod foreign_ssn;
mod gender;
mod household;
mod kind;
mod nationality;
mod normalise;
mod recognise;
mod ssn;

pub use check::{Check, Finding, check};
pub use error::{IdError, IdErrorKind};
pub use ethnicity::Ethnicity;
pub use field_code::FieldCode;
pub use gender::Gender;
pub use household::HouseholdType;
pub use kind::NumberKind;
pub use nationality::Nationality;
pub use normalise::{Normalisation, Normalisations};
pub use ssn::{SocialSecurityNumber, upgrade_15};
