//! Who acts on social security cards: information centres handle card faces (R1.2, R2.14).

use serde_json::json;

use super::{Refusal, RuleId};
use crate::agency::{Agency, AgencyKind, Operator, Role};

/// Refuses a card issue, void or replacement by anyone but a handler of an information centre.
pub fn check_card_action(operator: &Operator, agency: &Agency) -> Result<(), Refusal> {
    if agency.kind == AgencyKind::InformationCentre && operator.has(Role::Handler) {
        return Ok(());
    }
    Err(Refusal::new(
        RuleId::CardsByCentre,
        "information_centre_only",
        "社会保障卡的发卡、废卡只能由信息中心的经办人员办理",
    )
    .with(json!({ "operator_id": operator.id, "agency_id": agency.id })))
}
