//! Who may see a person's full record (R4.2): nobody sees more than their work needs.

use serde_json::json;

use super::{Refusal, RuleId, Situation};
use crate::agency::{Agency, AgencyKind, Level};

/// Allows the full record to an agency that holds one of the person's enrolments or entered
/// the person, and to an information centre whose region covers the person (their number's
/// division, or an agency that holds their business); the provincial centre sees everyone.
pub fn check_view(agency: &Agency, situation: &Situation<'_>) -> Result<(), Refusal> {
    let person = situation.person;
    let holds = situation.enrolments.iter().any(|e| e.agency == agency.id);
    if holds || person.entered_by == agency.id {
        return Ok(());
    }
    if centre_covers(agency, situation) {
        return Ok(());
    }
    Err(Refusal::new(
        RuleId::NeedToKnow,
        "outside_need_to_know",
        "此人不在本机构业务范围或监督地区内，不能查看完整信息",
    )
    .with(json!({ "agency_id": agency.id })))
}

/// Whether `agency` is an information centre whose region covers the person: the provincial
/// centre covers everyone; another covers the division of the person's number and every
/// person whose business an agency in its region holds.
pub(crate) fn centre_covers(agency: &Agency, situation: &Situation<'_>) -> bool {
    if agency.kind != AgencyKind::InformationCentre {
        return false;
    }
    let covers_number =
        situation.person.ssn.division_code().is_some_and(|d| agency.region_contains(d));
    let covers_holder = situation.agencies.iter().any(|a| agency.region_contains(a.division));
    agency.level == Level::Province || covers_number || covers_holder
}

/// Allows the supervision of work in `division` — the region's requests, overdue work,
/// completion rates and audit trails (R1.1) — to an information centre whose region covers
/// it (the provincial centre covers the province). `None` asks about the centre's own region,
/// which every centre may supervise. Handling agencies are refused: supervising is the
/// centres' job, and a trail shows every operator's work, more than an agency's own needs
/// (R4.2).
pub fn check_supervision(agency: &Agency, division: Option<u32>) -> Result<(), Refusal> {
    if agency.kind != AgencyKind::InformationCentre {
        return Err(Refusal::new(
            RuleId::NeedToKnow,
            "centre_only",
            "此页面仅供信息中心人员监督本地区的修改业务；经办机构请在待办审核和人员页面查看本机构的业务",
        )
        .with(json!({ "agency_id": agency.id })));
    }
    match division {
        Some(division) if !agency.region_contains(division) => Err(Refusal::new(
            RuleId::NeedToKnow,
            "outside_region",
            "该经办人员所在机构不在本信息中心的监督地区内，不能查看其操作记录",
        )
        .with(json!({ "agency_id": agency.id, "division": division }))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AgencyId;

    fn agency(kind: AgencyKind, level: Level, division: u32) -> Agency {
        Agency { id: AgencyId(1), name: "机构".into(), kind, level, division }
    }

    #[test]
    fn only_centres_supervise_and_only_their_region() {
        let prefecture = agency(AgencyKind::InformationCentre, Level::Prefecture, 230100);
        let province = agency(AgencyKind::InformationCentre, Level::Province, 230000);
        let handler = agency(AgencyKind::Employment, Level::Prefecture, 230100);
        let code = |r: Result<(), Refusal>| r.err().map(|r| r.code);

        assert_eq!(code(check_supervision(&prefecture, None)), None);
        assert_eq!(code(check_supervision(&prefecture, Some(230103))), None);
        assert_eq!(code(check_supervision(&prefecture, Some(230202))), Some("outside_region"));
        assert_eq!(code(check_supervision(&province, Some(230202))), None);
        assert_eq!(code(check_supervision(&handler, None)), Some("centre_only"));
        assert_eq!(code(check_supervision(&handler, Some(230103))), Some("centre_only"));
    }
}
