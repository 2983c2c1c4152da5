//! Typed identifiers of the stored entities, so that a person id cannot be passed where an
//! agency id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type! {
    /// A person record.
    PersonId,
    /// A handling agency or information centre.
    AgencyId,
    /// An operator (case worker) of an agency.
    OperatorId,
    /// A person's enrolment in one business line.
    EnrolmentId,
    /// A transaction of a business line (in transit until finished).
    TransactionId,
    /// A social security card.
    CardId,
    /// A change request.
    RequestId,
}
