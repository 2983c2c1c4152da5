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
    if agency.kind == AgencyKind::InformationCentre {
        let covers_number = person.ssn.division_code().is_some_and(|d| agency.region_contains(d));
        let covers_holder = situation.agencies.iter().any(|a| agency.region_contains(a.division));
        if agency.level == Level::Province || covers_number || covers_holder {
            return Ok(());
        }
    }
    Err(Refusal::new(
        RuleId::NeedToKnow,
        "outside_need_to_know",
        "此人不在本机构业务范围或监督地区内，不能查看完整信息",
    )
    .with(json!({ "agency_id": agency.id })))
}
