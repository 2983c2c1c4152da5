//! What blocks a change whatever the path: a pension merged-contribution confirmation still
//! attached (R2.11), in-transit business (R2.12), an active card whose face would go wrong
//! (R2.14). These are checked when a change is proposed and again just before it takes
//! effect, since a transaction may have started in between.

use serde_json::json;

use super::{Refusal, RuleId, Situation};
use crate::card::CardStatus;
use crate::changes::{Field, FieldChanges, field_text};
use crate::person::PersonStatus;
use crate::policy::Policy;
use crate::request::ChangeRequest;

/// Refuses a change of natural fields while something blocks it.
pub fn check_blocks(
    policy: &Policy,
    situation: &Situation<'_>,
    changes: &FieldChanges,
) -> Result<(), Refusal> {
    let fields = changes.fields();
    if !fields.iter().any(|f| f.is_natural()) {
        // Contact data is not natural information; the notice's blocks do not reach it.
        return Ok(());
    }

    if let Some(special) = situation.specials.first() {
        let agency = situation.agency_label(special.agency);
        return Err(Refusal::new(
            RuleId::PensionMergerFirst,
            "pension_merger_pending",
            format!(
                "此人附有“{}”业务（业务号 {}），须先由{}取消该业务，才能修改人员基本信息",
                special.kind.name_zh(),
                special.reference,
                agency
            ),
        )
        .with(json!({
            "special": special.kind.code(),
            "reference": special.reference,
            "agency_id": special.agency,
            "agency": agency,
        })));
    }

    if let Some(tx) = situation.in_transit.first() {
        let agency = situation.agency_label(tx.agency);
        return Err(Refusal::new(
            RuleId::InTransitBlocks,
            "in_transit_business",
            format!(
                "此人有在途业务：{}业务“{}”（业务号 {}，{}办理中），须待该业务办结后才能修改",
                tx.line.name_zh(),
                tx.description,
                tx.reference,
                agency
            ),
        )
        .with(json!({
            "line": tx.line.code(),
            "transaction_id": tx.id,
            "reference": tx.reference,
            "description": tx.description,
            "agency_id": tx.agency,
            "agency": agency,
            "count": situation.in_transit.len(),
        })));
    }

    let printed: Vec<Field> =
        fields.iter().copied().filter(|f| policy.card_printed_fields.contains(f)).collect();
    if !printed.is_empty()
        && let Some(card) = situation.cards.iter().find(|c| c.status == CardStatus::Active)
    {
        let names: Vec<&str> = printed.iter().map(|f| f.name_zh()).collect();
        return Err(Refusal::new(
                RuleId::CardVoidFirst,
                "active_card",
                format!(
                    "此人持有正在使用的社会保障卡（卡号 {}），卡面印有{}。请先由信息中心办理废卡，再修改",
                    card.card_number,
                    names.join("、")
                ),
            )
            .with(json!({
                "card_id": card.id,
                "card_number": card.card_number,
                "fields": printed.iter().map(|f| f.code()).collect::<Vec<_>>(),
            })));
    }
    Ok(())
}

/// Checks, just before a request takes effect, that the record is still in use, still holds
/// the values the request was made against, and that nothing blocks the change now.
pub fn recheck_before_effect(
    policy: &Policy,
    situation: &Situation<'_>,
    request: &ChangeRequest,
) -> Result<(), Refusal> {
    let person = situation.person;
    if person.status != PersonStatus::Active {
        return Err(Refusal::new(
            RuleId::RecordActive,
            "record_not_active",
            "该人员记录已合并或注销，申请不能生效，请撤回",
        ));
    }
    for diff in &request.diff {
        if field_text(person, diff.field) != diff.before {
            return Err(Refusal::new(
                RuleId::StaleRecord,
                "record_changed_since_request",
                format!(
                    "申请提交后，{}已被其他业务修改，申请不能生效，请撤回后重新提交",
                    diff.field.name_zh()
                ),
            )
            .with(json!({ "field": diff.field.code() })));
        }
    }
    if situation.number_taken_by.is_some() {
        return Err(super::change::occupied(situation));
    }
    check_blocks(policy, situation, &request.changes)
}
