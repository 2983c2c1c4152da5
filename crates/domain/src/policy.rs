//! What a province sets differently: the policy file. Every setting has a default that
//! matches the Heilongjiang notice, so an empty file is a valid policy. A file with an unknown
//! key or a wrong value is refused at start-up with the line that is wrong.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::agency::AgencyKind;
use crate::business::BusinessLine;
use crate::changes::Field;
use crate::error::DomainError;

/// The province's settings that the rules read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// The first two digits of the province's division codes (`23` for Heilongjiang). Persons
    /// whose number carries another province are registered outside it (R2.17).
    pub province: String,
    /// Manual typing of identity-card fields is allowed for persons younger than this on the
    /// day of entry (R2.7).
    pub manual_entry_below_age: u32,
    /// Fields a person may change on the self-service portal, with effect at once (R2.10).
    pub self_service_fields: BTreeSet<Field>,
    /// Fields printed on the face of a social security card (R2.14).
    pub card_printed_fields: BTreeSet<Field>,
    /// The replacement-card fee recorded when a card is voided because its face is wrong, in
    /// fen (R2.14).
    pub card_replacement_fee_fen: u32,
    /// Sign-off order for key-field changes when the person's lines include social insurance
    /// and social insurance subsidy (R2.3).
    pub signoff_order: SignoffOrder,
    /// Supporting documents each kind of agency requires, per field changed (R4.3).
    pub documents: Vec<DocumentRule>,
}

/// Which agency kinds sign first and last when R2.3 applies; the others sign in between.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignoffOrder {
    /// The lines whose joint presence brings the ordered sign-off into force.
    pub when_lines_include: Vec<LineGroup>,
    /// Agency kinds that sign first.
    pub first: Vec<AgencyKind>,
    /// Agency kinds that sign last; the last of their sign-offs makes the change effective.
    pub last: Vec<AgencyKind>,
}

/// A group of lines that is present when a person has at least one of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineGroup {
    /// Any of the five social insurances.
    SocialInsurance,
    /// One named line.
    #[serde(untagged)]
    Line(BusinessLine),
}

impl LineGroup {
    /// Whether `line` belongs to the group.
    pub fn contains(&self, line: BusinessLine) -> bool {
        match self {
            LineGroup::SocialInsurance => line.is_social_insurance(),
            LineGroup::Line(l) => *l == line,
        }
    }
}

/// Supporting documents an agency of `agency_kind` requires when a change touches any of
/// `fields`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRule {
    /// The kind of agency that asks.
    pub agency_kind: AgencyKind,
    /// The fields whose change needs them.
    pub fields: BTreeSet<Field>,
    /// The documents, by the names case workers use (e.g. 户口簿).
    pub required: Vec<String>,
}

impl Default for SignoffOrder {
    fn default() -> Self {
        SignoffOrder {
            when_lines_include: vec![
                LineGroup::SocialInsurance,
                LineGroup::Line(BusinessLine::InsuranceSubsidy),
            ],
            first: vec![AgencyKind::Employment],
            last: vec![AgencyKind::SocialInsurance],
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            province: "23".to_owned(),
            manual_entry_below_age: 16,
            self_service_fields: [Field::HomeAddress, Field::Phone].into(),
            card_printed_fields: [Field::Name, Field::Ssn].into(),
            card_replacement_fee_fen: 2000,
            signoff_order: SignoffOrder::default(),
            documents: vec![DocumentRule {
                agency_kind: AgencyKind::SocialInsurance,
                fields: [Field::Ssn, Field::BirthDate].into(),
                required: vec!["居民身份证复印件".to_owned(), "户口簿复印件".to_owned()],
            }],
        }
    }
}

impl Policy {
    /// Reads a policy file's text. Errors name the line and column that are wrong.
    pub fn from_toml(text: &str) -> Result<Policy, DomainError> {
        let policy: Policy = toml::from_str(text).map_err(|e| {
            let place = e
                .span()
                .map(|span| {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}: ")
                })
                .unwrap_or_default();
            DomainError::Policy(format!("{place}{}", e.message()))
        })?;
        policy.validate()?;
        Ok(policy)
    }

    /// Checks what the schema alone cannot.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.province.len() != 2 || !self.province.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::Policy(format!(
                "province must be the two-digit province prefix, found {:?}",
                self.province
            )));
        }
        if let Some(f) = self.self_service_fields.iter().find(|f| f.is_natural()) {
            return Err(DomainError::Policy(format!(
                "self_service_fields may hold contact fields only; {} is natural information",
                f.code()
            )));
        }
        if self.manual_entry_below_age > 18 {
            return Err(DomainError::Policy(
                "manual_entry_below_age above 18 would let adults skip the card reader".into(),
            ));
        }
        let order = &self.signoff_order;
        if let Some(k) = order.first.iter().find(|k| order.last.contains(k)) {
            return Err(DomainError::Policy(format!(
                "signoff_order lists {} both first and last",
                k.code()
            )));
        }
        Ok(())
    }

    /// Documents an agency of `kind` requires for a change of `fields`.
    pub fn documents_for(&self, kind: AgencyKind, fields: &[Field]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for rule in self.documents.iter().filter(|r| r.agency_kind == kind) {
            if fields.iter().any(|f| rule.fields.contains(f)) {
                for doc in &rule.required {
                    if !out.contains(doc) {
                        out.push(doc.clone());
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_notice_default() {
        assert_eq!(Policy::from_toml("").unwrap(), Policy::default());
    }

    #[test]
    fn the_shipped_policy_file_is_the_default() {
        let shipped = include_str!("../../../config/policy.toml");
        assert_eq!(Policy::from_toml(shipped).unwrap(), Policy::default());
    }

    #[test]
    fn settings_are_read() {
        let p = Policy::from_toml(
            "province = \"22\"\nmanual_entry_below_age = 14\nself_service_fields = [\"phone\"]\n",
        )
        .unwrap();
        assert_eq!(p.province, "22");
        assert_eq!(p.manual_entry_below_age, 14);
        assert_eq!(p.self_service_fields, [Field::Phone].into());
    }

    #[test]
    fn a_wrong_file_names_the_line() {
        let cases = [
            ("province = \"23\"\nself_service_field = []\n", "line 2: unknown field"),
            ("\n\nmanual_entry_below_age = \"x\"\n", "line 3: invalid type"),
            ("self_service_fields = [\"name\"]\n", "natural information"),
            ("province = \"2\"\n", "two-digit"),
            ("[signoff_order]\nfirst = [\"employment\"]\nlast = [\"employment\"]\n", "both first"),
        ];
        for (text, expected) in cases {
            let err = Policy::from_toml(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?} gave {err}");
        }
    }

    #[test]
    fn documents_are_per_agency_kind_and_field() {
        let p = Policy::default();
        assert_eq!(
            p.documents_for(AgencyKind::SocialInsurance, &[Field::Name, Field::Ssn]),
            vec!["居民身份证复印件", "户口簿复印件"]
        );
        assert!(p.documents_for(AgencyKind::Employment, &[Field::Ssn]).is_empty());
        assert!(p.documents_for(AgencyKind::SocialInsurance, &[Field::Name]).is_empty());
    }
}
