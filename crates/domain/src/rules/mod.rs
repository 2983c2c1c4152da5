//! The rules of the notice, as pure functions: given who acts, the person as stored with
//! everything attached to them, and a proposed change, decide whether it is refused (and why),
//! effective at once, or which sign-offs and confirmation it needs.
//!
//! Every decision names the rules it applied by [`RuleId`]; `docs/rules.md` states each rule
//! in words with the notice's section. Nothing here does I/O or reads the clock.

mod blocks;
mod cards;
mod change;
mod entry;
mod ids;
mod signoff;
mod view;

use serde::{Deserialize, Serialize};

pub use blocks::{check_blocks, recheck_before_effect};
pub use cards::{check_card_action, check_card_issue};
pub use change::decide_change;
pub use entry::{EntryPlan, decide_entry, same_person};
pub use ids::RuleId;
pub use signoff::signoff_steps;
pub use view::{check_supervision, check_view};

use crate::agency::{Agency, Operator};
use crate::business::{Enrolment, SpecialBusiness, Transaction};
use crate::card::Card;
use crate::changes::{FieldChanges, FieldDiff};
use crate::ids::PersonId;
use crate::person::Person;
use crate::registry::RegistryRecord;
use crate::request::SignoffStep;

/// Where the values of identity-card fields came from (R2.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputSource {
    /// Read from the resident identity card by a card reader (读卡器).
    CardReader,
    /// Taken from the public security household registry.
    Registry,
    /// Typed by the operator: allowed for card fields only for persons under 16.
    Manual,
    /// A record of a legacy system brought in by the bulk import (R4.4, 清理整合): entered
    /// years ago, it is checked under the same rules of entry, but nobody holds a card at
    /// the counter. Only the bulk loader uses it; [`InputSource::from_code`] does not read it,
    /// so no API request can claim it, and a change proposed with it counts as typed.
    Legacy,
}

impl InputSource {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            InputSource::CardReader => "card_reader",
            InputSource::Registry => "registry",
            InputSource::Manual => "manual",
            InputSource::Legacy => "legacy",
        }
    }

    /// Parses [`InputSource::code`] of the sources a counter or an API client may state
    /// (`legacy` is not one of them).
    pub fn from_code(code: &str) -> Option<Self> {
        [InputSource::CardReader, InputSource::Registry, InputSource::Manual]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Who proposes a change.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// An operator of an agency, at a counter.
    Operator {
        /// The operator.
        operator: &'a Operator,
        /// The operator's agency.
        agency: &'a Agency,
    },
    /// The person themselves, on the self-service portal (R2.10).
    SelfService,
}

/// Everything stored about a person that the rules look at.
#[derive(Clone, Copy, Debug)]
pub struct Situation<'a> {
    /// The record as stored.
    pub person: &'a Person,
    /// The person's active enrolments.
    pub enrolments: &'a [Enrolment],
    /// Every agency that holds one of those enrolments, transactions or special businesses.
    pub agencies: &'a [Agency],
    /// The person's transactions that have not finished (R2.12).
    pub in_transit: &'a [Transaction],
    /// Active special businesses (R2.11).
    pub specials: &'a [SpecialBusiness],
    /// The person's cards, in any state.
    pub cards: &'a [Card],
    /// The household registry's record for the number the record will carry, if it has one.
    pub registry: Option<&'a RegistryRecord>,
    /// Another record that already holds the number the change proposes (R2.9).
    pub number_taken_by: Option<PersonId>,
}

impl Situation<'_> {
    /// The agency with `id`, if the situation carries it.
    pub fn agency(&self, id: crate::ids::AgencyId) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.id == id)
    }

    /// A label for agency `id` for messages, falling back to its number.
    pub fn agency_label(&self, id: crate::ids::AgencyId) -> String {
        self.agency(id).map(Agency::label).unwrap_or_else(|| format!("机构{id}"))
    }
}

/// A proposed change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// The new values.
    pub changes: FieldChanges,
    /// Where the identity-card fields came from.
    pub source: InputSource,
    /// Supporting documents attached (R4.3), by name.
    #[serde(default)]
    pub documents: Vec<String>,
}

/// How an accepted change takes effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "steps")]
pub enum Path {
    /// At once (R2.1, R2.10).
    Immediate,
    /// When every listed agency has signed, in order (R2.2, R2.3).
    SignOff(Vec<SignoffStep>),
    /// When the person confirms (R2.4).
    PersonConfirms,
}

/// An accepted change: the values that will be stored and how they take effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The values to store: the proposal without unchanged fields, with values the number
    /// implies (R2.5) and the registry's values (R2.8) put in.
    pub changes: FieldChanges,
    /// How it takes effect.
    pub path: Path,
    /// The rules that shaped this decision, in the order they were applied.
    pub rules: Vec<RuleId>,
    /// Where the proposal differed from the registry: `before` is what was proposed, `after`
    /// is the registry's value that will be stored (R2.8).
    pub registry_differences: Vec<FieldDiff>,
    /// Documents the acting agency requires for this change (R4.3).
    pub documents: Vec<String>,
}

/// Why a change or an action is refused: the rule, a stable code, a message in Chinese that
/// says what to do, and the facts behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The rule that refuses.
    pub rule: RuleId,
    /// Stable machine code.
    pub code: &'static str,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
    /// The facts: the transaction, the agency, both values, ...
    pub details: serde_json::Value,
}

impl Refusal {
    pub(crate) fn new(rule: RuleId, code: &'static str, message: impl Into<String>) -> Self {
        Refusal { rule, code, message: message.into(), details: serde_json::Value::Null }
    }

    pub(crate) fn with(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "refused by rule {}: {}", self.rule.code(), self.code)
    }
}

impl std::error::Error for Refusal {}

/// The outcome of [`decide_change`].
pub type Decision = Result<Plan, Refusal>;

#[cfg(test)]
mod tests;
