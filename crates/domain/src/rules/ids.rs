//! The ids of the rules. Each names one rule of `docs/rules.md`; the notice's section is
//! [`RuleId::notice`].

use serde::{Deserialize, Serialize};

/// A rule the product enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum RuleId {
    /// An agency modifies only persons it holds an enrolment of; information centres supervise.
    AgencyScope,
    /// Only operators with the handler role propose and sign changes.
    HandlerRole,
    /// A person in one business line is changed by its agency, at once.
    SingleLine,
    /// Number or name of a person in several lines: every agency holding a line signs.
    AllAgenciesSign,
    /// With social insurance and subsidy: employment signs first, social insurance last.
    EmploymentFirst,
    /// Other fields of a person in several lines: the person confirms.
    PersonConfirms,
    /// Gender and birth date follow the number.
    NumberImpliesGenderBirth,
    /// Identity-card fields come from the card reader; typing only under 16.
    CardReaderEntry,
    /// The household registry's values prevail.
    RegistryPrevails,
    /// A number held by another record is not taken over.
    OccupiedNumber,
    /// Self-service changes contact fields only.
    SelfServiceContactOnly,
    /// Pension merged-contribution confirmation is cancelled first.
    PensionMergerFirst,
    /// In-transit business blocks changes.
    InTransitBlocks,
    /// Arrears persons are changed by arrears offices of prefecture level and above.
    ArrearsOfficeOnly,
    /// An active card is voided before a printed field changes.
    CardVoidFirst,
    /// Only information centres issue, void and replace cards.
    CardsByCentre,
    /// Nobody writes the household registry.
    RegistryReadOnly,
    /// Persons registered outside the province: information centre or entering agency.
    OutOfProvince,
    /// Every change is finished on the day it is accepted.
    SameDay,
    /// Supporting documents the agency requires are attached.
    DocumentsRequired,
    /// A change that changes nothing is refused.
    NothingChanges,
    /// A submitted change's values cannot be edited.
    FrozenPayload,
    /// An operator signs only for their own agency.
    SignOwnAgency,
    /// Sign-offs follow the required order.
    SignoffOrder,
    /// Only records in use are changed.
    RecordActive,
    /// A request applies only to the values it was made against.
    StaleRecord,
    /// A finished request takes no further action.
    RequestOpen,
    /// A birth date cannot lie in the future.
    BirthNotInFuture,
    /// The full record only for agencies whose work needs it.
    NeedToKnow,
}

impl RuleId {
    /// The stable id used in the API, the journal and the docs.
    pub fn code(self) -> &'static str {
        match self {
            RuleId::AgencyScope => "agency-scope",
            RuleId::HandlerRole => "handler-role",
            RuleId::SingleLine => "single-line",
            RuleId::AllAgenciesSign => "all-agencies-sign",
            RuleId::EmploymentFirst => "employment-first",
            RuleId::PersonConfirms => "person-confirms",
            RuleId::NumberImpliesGenderBirth => "number-implies-gender-birth",
            RuleId::CardReaderEntry => "card-reader-entry",
            RuleId::RegistryPrevails => "registry-prevails",
            RuleId::OccupiedNumber => "occupied-number",
            RuleId::SelfServiceContactOnly => "self-service-contact-only",
            RuleId::PensionMergerFirst => "pension-merger-first",
            RuleId::InTransitBlocks => "in-transit-blocks",
            RuleId::ArrearsOfficeOnly => "arrears-office-only",
            RuleId::CardVoidFirst => "card-void-first",
            RuleId::CardsByCentre => "cards-by-centre",
            RuleId::RegistryReadOnly => "registry-read-only",
            RuleId::OutOfProvince => "out-of-province",
            RuleId::SameDay => "same-day",
            RuleId::DocumentsRequired => "documents-required",
            RuleId::NothingChanges => "nothing-changes",
            RuleId::FrozenPayload => "frozen-payload",
            RuleId::SignOwnAgency => "sign-own-agency",
            RuleId::SignoffOrder => "signoff-order",
            RuleId::RecordActive => "record-active",
            RuleId::StaleRecord => "stale-record",
            RuleId::RequestOpen => "request-open",
            RuleId::BirthNotInFuture => "birth-not-in-future",
            RuleId::NeedToKnow => "need-to-know",
        }
    }

    /// The section of RULES.md (and so of the notice) the rule comes from; `None` for the
    /// product's own safeguards.
    pub fn notice(self) -> Option<&'static str> {
        Some(match self {
            RuleId::AgencyScope => "R1.3",
            RuleId::SingleLine => "R2.1",
            RuleId::AllAgenciesSign => "R2.2",
            RuleId::EmploymentFirst | RuleId::SignoffOrder => "R2.3",
            RuleId::PersonConfirms => "R2.4",
            RuleId::NumberImpliesGenderBirth => "R2.5",
            RuleId::CardReaderEntry => "R2.7",
            RuleId::RegistryPrevails => "R2.8",
            RuleId::OccupiedNumber => "R2.9",
            RuleId::SelfServiceContactOnly => "R2.10",
            RuleId::PensionMergerFirst => "R2.11",
            RuleId::InTransitBlocks => "R2.12",
            RuleId::ArrearsOfficeOnly => "R2.13",
            RuleId::CardVoidFirst => "R2.14",
            RuleId::CardsByCentre => "R1.2",
            RuleId::RegistryReadOnly => "R2.16",
            RuleId::OutOfProvince => "R2.17",
            RuleId::SameDay => "R4.1",
            RuleId::DocumentsRequired => "R4.3",
            RuleId::NeedToKnow => "R4.2",
            _ => return None,
        })
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
