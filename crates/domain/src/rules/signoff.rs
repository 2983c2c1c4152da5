//! Who signs a change of number or name of a person in several lines, and in which order
//! (R2.2, R2.3).

use super::{RuleId, Situation};
use crate::business::BusinessLine;
use crate::policy::Policy;
use crate::request::SignoffStep;

/// One step per agency holding one of the person's enrolments, ordered by the policy when
/// the person's lines bring R2.3 into force. Returns the steps and whether the order applies.
pub fn signoff_steps(policy: &Policy, situation: &Situation<'_>) -> (Vec<SignoffStep>, bool) {
    let lines: Vec<BusinessLine> = situation.enrolments.iter().map(|e| e.line).collect();
    let order = &policy.signoff_order;
    let ordered = !order.when_lines_include.is_empty()
        && order.when_lines_include.iter().all(|group| lines.iter().any(|l| group.contains(*l)));

    let mut steps: Vec<SignoffStep> = Vec::new();
    for enrolment in situation.enrolments {
        if let Some(step) = steps.iter_mut().find(|s| s.agency == enrolment.agency) {
            if !step.lines.contains(&enrolment.line) {
                step.lines.push(enrolment.line);
            }
            continue;
        }
        let kind = situation.agency(enrolment.agency).map(|a| a.kind);
        let position = match kind {
            Some(k) if ordered && order.first.contains(&k) => 1,
            Some(k) if ordered && order.last.contains(&k) => 3,
            _ if ordered => 2,
            _ => 1,
        };
        steps.push(SignoffStep {
            agency: enrolment.agency,
            lines: vec![enrolment.line],
            order: position,
            signed: None,
        });
    }
    steps.sort_by_key(|s| s.order);
    (steps, ordered)
}

/// The rules a sign-off path names.
pub(super) fn signoff_rules(ordered: bool) -> Vec<RuleId> {
    let mut rules = vec![RuleId::AllAgenciesSign];
    if ordered {
        rules.push(RuleId::EmploymentFirst);
    }
    rules
}
