//! The domain of PersonBase: person records, agencies and operators, business-line
//! enrolments, social security cards, change requests, the province's policy, and the rules
//! of the notice that decide what happens to a proposed change.
//!
//! This crate does no I/O. Time comes in as a parameter (see [`clock`]); storage and HTTP live
//! in other crates, which hand the rules a [`rules::Situation`] assembled from the database and
//! carry out the [`rules::Decision`] they get back.

pub mod agency;
pub mod business;
pub mod card;
pub mod changes;
pub mod clock;
pub mod error;
pub mod ids;
pub mod person;
pub mod policy;
pub mod registry;
pub mod request;
pub mod rules;
pub mod values;

pub use agency::{Agency, AgencyKind, Level, Operator, Role};
pub use business::{BusinessLine, Enrolment, SpecialBusiness, SpecialKind, Transaction};
pub use card::{Card, CardStatus};
pub use changes::{Field, FieldChanges, FieldDiff};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::DomainError;
pub use ids::{AgencyId, CardId, EnrolmentId, OperatorId, PersonId, RequestId, TransactionId};
pub use person::{NewPerson, Person, PersonStatus};
pub use policy::Policy;
pub use registry::RegistryRecord;
pub use request::{ChangeRequest, Confirmation, RequestState, SignoffStep, Timeliness};
pub use rules::{Decision, Path, Refusal, RuleId};
pub use values::{Address, PersonName, Phone};
