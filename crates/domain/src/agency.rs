//! Agencies (handling agencies and information centres) and their operators.

use serde::{Deserialize, Serialize};

use crate::business::BusinessLine;
use crate::ids::{AgencyId, OperatorId};

/// What an agency does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Employment agency (就业经办机构): employment and social insurance subsidy.
    Employment,
    /// Social insurance agency (社保经办机构): pension, medical, unemployment, work injury,
    /// maternity — all of them, or the lines a province assigns it.
    SocialInsurance,
    /// Arrears settlement office (解欠办).
    ArrearsOffice,
    /// The follow-up management agency that replaced an arrears office (后续管理机构).
    ArrearsFollowUp,
    /// Information centre (信息中心): supervises, handles card faces, numbers foreigners.
    InformationCentre,
}

impl AgencyKind {
    /// The stable code used in the API and the database.
    pub fn code(self) -> &'static str {
        match self {
            AgencyKind::Employment => "employment",
            AgencyKind::SocialInsurance => "social_insurance",
            AgencyKind::ArrearsOffice => "arrears_office",
            AgencyKind::ArrearsFollowUp => "arrears_follow_up",
            AgencyKind::InformationCentre => "information_centre",
        }
    }

    /// Parses [`AgencyKind::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Every kind.
    pub const ALL: [AgencyKind; 5] = [
        AgencyKind::Employment,
        AgencyKind::SocialInsurance,
        AgencyKind::ArrearsOffice,
        AgencyKind::ArrearsFollowUp,
        AgencyKind::InformationCentre,
    ];

    /// The name case workers use.
    pub fn name_zh(self) -> &'static str {
        match self {
            AgencyKind::Employment => "就业经办机构",
            AgencyKind::SocialInsurance => "社保经办机构",
            AgencyKind::ArrearsOffice => "解欠办",
            AgencyKind::ArrearsFollowUp => "解欠后续管理机构",
            AgencyKind::InformationCentre => "信息中心",
        }
    }

    /// Whether an agency of this kind may hold an enrolment in `line`.
    pub fn may_hold(self, line: BusinessLine) -> bool {
        match self {
            AgencyKind::Employment => {
                matches!(line, BusinessLine::Employment | BusinessLine::InsuranceSubsidy)
            }
            AgencyKind::SocialInsurance => line.is_social_insurance(),
            AgencyKind::ArrearsOffice | AgencyKind::ArrearsFollowUp => {
                line == BusinessLine::ArrearsSettlement
            }
            AgencyKind::InformationCentre => false,
        }
    }
}

/// The administrative level of an agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// County (县), the lowest.
    County,
    /// Prefecture (地市).
    Prefecture,
    /// Province (省), the highest.
    Province,
}

impl Level {
    /// The stable code used in the API and the database.
    pub fn code(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Prefecture => "prefecture",
            Level::Province => "province",
        }
    }

    /// Parses [`Level::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        [Level::County, Level::Prefecture, Level::Province].into_iter().find(|l| l.code() == code)
    }

    /// The name case workers use.
    pub fn name_zh(self) -> &'static str {
        match self {
            Level::County => "县级",
            Level::Prefecture => "地市级",
            Level::Province => "省级",
        }
    }
}

/// An office that handles business lines or supervises a region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    /// Its id.
    pub id: AgencyId,
    /// Its name, e.g. 哈尔滨市南岗区就业服务中心.
    pub name: String,
    /// What it does.
    pub kind: AgencyKind,
    /// Its level.
    pub level: Level,
    /// The GB/T 2260 code of its region (`230000` province, `230100` prefecture, `230103`
    /// county).
    pub division: u32,
}

impl Agency {
    /// Whether this agency's region contains `division`: a province contains its prefectures
    /// and counties, a prefecture its counties.
    pub fn region_contains(&self, division: u32) -> bool {
        match self.level {
            Level::Province => self.division / 10_000 == division / 10_000,
            Level::Prefecture => self.division / 100 == division / 100,
            Level::County => self.division == division,
        }
    }

    /// Agency name with its kind, for messages: `哈尔滨市社保局（社保经办机构）`.
    pub fn label(&self) -> String {
        format!("{}（{}）", self.name, self.kind.name_zh())
    }
}

/// What an operator may do in their agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Case worker (经办): proposes changes, signs off, records confirmations.
    Handler,
    /// Supervisor (审核/监督): sees the region's requests, overdue work and audit trails.
    Supervisor,
    /// Administrator (管理员): manages operators and agency settings.
    Administrator,
}

impl Role {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Handler => "handler",
            Role::Supervisor => "supervisor",
            Role::Administrator => "administrator",
        }
    }

    /// Parses [`Role::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        [Role::Handler, Role::Supervisor, Role::Administrator]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// A case worker or staff member, who belongs to exactly one agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    /// Its id.
    pub id: OperatorId,
    /// Login name.
    pub login: String,
    /// Display name.
    pub name: String,
    /// The agency the operator works for.
    pub agency: AgencyId,
    /// What the operator may do.
    pub roles: Vec<Role>,
}

impl Operator {
    /// Whether the operator has `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}
