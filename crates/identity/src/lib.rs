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
//!
//! ```
//! use chrono::NaiveDate;
//! use personbase_identity::{Gender, SocialSecurityNumber, check};
//!
//! // The example of GB 11643-1999, typed with a full-width digit and a lower-case x.
//! let n = SocialSecurityNumber::parse("11010519491231００2x")?;
//! assert_eq!(n.as_str(), "11010519491231002X");
//! assert_eq!(n.gender(), Some(Gender::Female));
//! assert_eq!(n.masked(), "1101**********002X");
//!
//! let e = SocialSecurityNumber::parse("110105194912310023").unwrap_err();
//! assert_eq!((e.code(), e.position()), ("id.check", Some(18)));
//!
//! let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
//! let report = check("110105491231002", today);
//! assert_eq!(report.normalized.as_deref(), Some("11010519491231002X"));
//! assert_eq!(report.region_name.as_deref(), Some("北京市朝阳区"));
//! # Ok::<(), personbase_identity::IdError>(())
//! ```

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
