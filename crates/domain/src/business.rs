//! Business lines, a person's enrolments in them, their in-transit transactions, and the
//! special businesses that change what the rules allow.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, EnrolmentId, PersonId, TransactionId};

/// A programme a person takes part in (业务).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BusinessLine {
    /// 就业
    Employment,
    /// 养老保险
    Pension,
    /// 医疗保险
    Medical,
    /// 失业保险
    Unemployment,
    /// 工伤保险
    WorkInjury,
    /// 生育保险
    Maternity,
    /// 社保补贴
    InsuranceSubsidy,
    /// 解欠
    ArrearsSettlement,
}

impl BusinessLine {
    /// Every line.
    pub const ALL: [BusinessLine; 8] = [
        BusinessLine::Employment,
        BusinessLine::Pension,
        BusinessLine::Medical,
        BusinessLine::Unemployment,
        BusinessLine::WorkInjury,
        BusinessLine::Maternity,
        BusinessLine::InsuranceSubsidy,
        BusinessLine::ArrearsSettlement,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            BusinessLine::Employment => "employment",
            BusinessLine::Pension => "pension",
            BusinessLine::Medical => "medical",
            BusinessLine::Unemployment => "unemployment",
            BusinessLine::WorkInjury => "work_injury",
            BusinessLine::Maternity => "maternity",
            BusinessLine::InsuranceSubsidy => "insurance_subsidy",
            BusinessLine::ArrearsSettlement => "arrears_settlement",
        }
    }

    /// Parses [`BusinessLine::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The name case workers use.
    pub fn name_zh(self) -> &'static str {
        match self {
            BusinessLine::Employment => "就业",
            BusinessLine::Pension => "养老保险",
            BusinessLine::Medical => "医疗保险",
            BusinessLine::Unemployment => "失业保险",
            BusinessLine::WorkInjury => "工伤保险",
            BusinessLine::Maternity => "生育保险",
            BusinessLine::InsuranceSubsidy => "社保补贴",
            BusinessLine::ArrearsSettlement => "解欠",
        }
    }

    /// Whether this is one of the five social insurances.
    pub fn is_social_insurance(self) -> bool {
        matches!(
            self,
            BusinessLine::Pension
                | BusinessLine::Medical
                | BusinessLine::Unemployment
                | BusinessLine::WorkInjury
                | BusinessLine::Maternity
        )
    }
}

/// A person's membership in a business line, held by one agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Its id.
    pub id: EnrolmentId,
    /// The person.
    pub person: PersonId,
    /// The line.
    pub line: BusinessLine,
    /// The handling agency that holds it.
    pub agency: AgencyId,
    /// Whether it is still open; closed enrolments no longer put the person in scope.
    pub active: bool,
}

/// A transaction of a business line that a business system started (在途业务). While it is
/// unfinished it blocks changes and merges of the person (R2.12).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// Its id.
    pub id: TransactionId,
    /// The person.
    pub person: PersonId,
    /// The line it belongs to.
    pub line: BusinessLine,
    /// The agency handling it.
    pub agency: AgencyId,
    /// The business system's own reference, shown to case workers.
    pub reference: String,
    /// What it is, e.g. 养老保险关系转移.
    pub description: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it finished; `None` while in transit.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Special businesses attached to a person that change who may modify the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialKind {
    /// Pension "merged contribution confirmation" (养老保险并轨缴费确认): the pension agency
    /// must cancel it before any change (R2.11).
    PensionMergedContribution,
}

impl SpecialKind {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            SpecialKind::PensionMergedContribution => "pension_merged_contribution",
        }
    }

    /// Parses [`SpecialKind::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        (code == "pension_merged_contribution").then_some(SpecialKind::PensionMergedContribution)
    }

    /// The name case workers use.
    pub fn name_zh(self) -> &'static str {
        match self {
            SpecialKind::PensionMergedContribution => "养老保险并轨缴费确认",
        }
    }
}

/// A special business attached to a person, while it is active.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialBusiness {
    /// Which special business.
    pub kind: SpecialKind,
    /// The person.
    pub person: PersonId,
    /// The agency that must cancel it.
    pub agency: AgencyId,
    /// The business system's reference.
    pub reference: String,
}
