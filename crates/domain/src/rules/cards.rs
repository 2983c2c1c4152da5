//! Who acts on social security cards: information centres handle card faces (R1.2, R2.14),
//! each for the persons its region covers, and a person holds one card in use at a time.

use serde_json::json;

use super::view::centre_covers;
use super::{Refusal, RuleId, Situation};
use crate::agency::{Agency, AgencyKind, Operator, Role};
use crate::card::CardStatus;

/// Refuses a card issue, void or replacement by anyone but a handler of an information centre
/// whose region covers the card's holder (the same coverage as the full record, R4.2: the
/// division of the person's number, or an agency in the region holding their business; the
/// provincial centre covers everyone).
pub fn check_card_action(
    operator: &Operator,
    agency: &Agency,
    holder: &Situation<'_>,
) -> Result<(), Refusal> {
    if agency.kind != AgencyKind::InformationCentre || !operator.has(Role::Handler) {
        return Err(Refusal::new(
            RuleId::CardsByCentre,
            "information_centre_only",
            "社会保障卡的发卡、废卡只能由信息中心的经办人员办理",
        )
        .with(json!({ "operator_id": operator.id, "agency_id": agency.id })));
    }
    if !centre_covers(agency, holder) {
        return Err(Refusal::new(
            RuleId::CardsByCentre,
            "card_outside_region",
            "此人不在本信息中心的地区内：社会保障卡请由其参保地或身份号码所属地的信息中心办理",
        )
        .with(json!({ "agency_id": agency.id, "person_id": holder.person.id })));
    }
    Ok(())
}

/// Refuses a new card while the person holds one in use: the old card is voided first (R2.14),
/// and the new one is its replacement.
pub fn check_card_issue(holder: &Situation<'_>) -> Result<(), Refusal> {
    match holder.cards.iter().find(|c| c.status == CardStatus::Active) {
        None => Ok(()),
        Some(card) => Err(Refusal::new(
            RuleId::CardVoidFirst,
            "active_card_exists",
            format!(
                "此人已有正在使用的社会保障卡（卡号 {}），须先废卡，再补发新卡",
                card.card_number
            ),
        )
        .with(json!({ "card_id": card.id, "card_number": card.card_number }))),
    }
}
