//! The decision on a proposed change of a stored record.

use chrono::NaiveDate;
use personbase_identity::SocialSecurityNumber;
use serde_json::json;

use super::blocks::check_blocks;
use super::signoff::{signoff_rules, signoff_steps};
use super::{Actor, Decision, InputSource, Path, Plan, Proposal, Refusal, RuleId, Situation};
use crate::agency::{Agency, AgencyKind, Level, Operator, Role};
use crate::business::BusinessLine;
use crate::changes::{Field, FieldChanges, FieldDiff};
use crate::person::{PersonStatus, age_on};
use crate::policy::Policy;
use crate::registry::RegistryRecord;

/// Decides what happens to `proposal` for the person in `situation`, proposed by `actor` on
/// the day `today`.
pub fn decide_change(
    policy: &Policy,
    today: NaiveDate,
    actor: Actor<'_>,
    situation: &Situation<'_>,
    proposal: &Proposal,
) -> Decision {
    let person = situation.person;
    if person.status != PersonStatus::Active {
        return Err(Refusal::new(
            RuleId::RecordActive,
            "record_not_active",
            "该人员记录已合并或注销，不能修改；请修改合并后保留的记录",
        )
        .with(json!({ "status": person.status })));
    }

    let (operator, agency) = match actor {
        Actor::SelfService => return decide_self_service(policy, situation, proposal),
        Actor::Operator { operator, agency } => (operator, agency),
    };
    require_handler(operator)?;

    let mut rules = Vec::new();
    let mut changes = proposal.changes.against(person);
    if changes.is_empty() {
        return Err(nothing_changes());
    }

    derive_from_number(&mut changes, situation, &mut rules)?;

    let registry_differences = apply_registry(&mut changes, situation.registry);
    if !registry_differences.is_empty() {
        rules.push(RuleId::RegistryPrevails);
        changes = changes.against(person);
        if changes.is_empty() {
            return Err(Refusal::new(
                RuleId::RegistryPrevails,
                "registry_value_unchanged",
                "省公安户籍库记载的信息与现有记录一致，以户籍库为准，无需修改",
            )
            .with(json!({ "differences": registry_differences })));
        }
    }

    if changes.ssn.is_some() && situation.number_taken_by.is_some() {
        return Err(occupied(situation));
    }

    rules.push(check_scope(policy, agency, situation)?);
    check_blocks(policy, situation, &changes)?;
    check_source(policy, today, situation, &changes, proposal.source, &mut rules)?;

    let fields = changes.fields();
    let documents = policy.documents_for(agency.kind, &fields);
    let missing: Vec<&String> =
        documents.iter().filter(|d| !proposal.documents.contains(d)).collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        return Err(Refusal::new(
            RuleId::DocumentsRequired,
            "documents_missing",
            format!("本机构办理此项修改须提供证明材料：{}", names.join("、")),
        )
        .with(json!({ "missing": names })));
    }

    let path = choose_path(policy, situation, &changes, &mut rules);
    Ok(Plan { changes, path, rules, registry_differences, documents })
}

fn decide_self_service(
    policy: &Policy,
    situation: &Situation<'_>,
    proposal: &Proposal,
) -> Decision {
    let changes = proposal.changes.against(situation.person);
    if changes.is_empty() {
        return Err(nothing_changes());
    }
    let refused: Vec<Field> =
        changes.fields().into_iter().filter(|f| !policy.self_service_fields.contains(f)).collect();
    if !refused.is_empty() {
        let names: Vec<&str> = refused.iter().map(|f| f.name_zh()).collect();
        return Err(Refusal::new(
            RuleId::SelfServiceContactOnly,
            "self_service_field_not_allowed",
            format!(
                "网上只能修改家庭住址、联系电话等联系信息；{}须携带居民身份证到参保的经办机构办理",
                names.join("、")
            ),
        )
        .with(json!({ "fields": refused.iter().map(|f| f.code()).collect::<Vec<_>>() })));
    }
    Ok(Plan {
        changes,
        path: Path::Immediate,
        rules: vec![RuleId::SelfServiceContactOnly],
        registry_differences: Vec::new(),
        documents: Vec::new(),
    })
}

fn require_handler(operator: &Operator) -> Result<(), Refusal> {
    if operator.has(Role::Handler) {
        return Ok(());
    }
    Err(Refusal::new(
        RuleId::HandlerRole,
        "not_a_handler",
        "您的账号没有经办权限，不能提出或签署修改",
    ))
}

fn nothing_changes() -> Refusal {
    Refusal::new(
        RuleId::NothingChanges,
        "nothing_changes",
        "提交的信息与现有记录完全相同，没有需要修改的内容",
    )
}

/// The refusal for a number that another record holds (R2.9).
pub(super) fn occupied(situation: &Situation<'_>) -> Refusal {
    Refusal::new(
        RuleId::OccupiedNumber,
        "number_occupied",
        "该社会保障号码已被另一条人员记录占用。请按号码被占用流程立案，由占用人员所涉业务的经办机构修正后再办理",
    )
    .with(json!({ "occupied_by": situation.number_taken_by }))
}

/// R2.5: gender and birth date follow the number the record will carry. A proposed value
/// that contradicts it is refused with both values; when the number changes, the values it
/// implies are put into the change.
fn derive_from_number(
    changes: &mut FieldChanges,
    situation: &Situation<'_>,
    rules: &mut Vec<RuleId>,
) -> Result<(), Refusal> {
    let person = situation.person;
    let number: &SocialSecurityNumber = changes.ssn.as_ref().unwrap_or(&person.ssn);
    let implied_gender = number.gender();
    let implied_birth = number.birth_date();

    if let (Some(proposed), Some(implied)) = (changes.gender, implied_gender)
        && proposed != implied
    {
        return Err(Refusal::new(
            RuleId::NumberImpliesGenderBirth,
            "gender_contradicts_number",
            format!(
                "性别只能修改为与社会保障号码一致的值：号码第17位表示“{}”，提交的是“{}”",
                implied.name_zh(),
                proposed.name_zh()
            ),
        )
        .with(json!({ "proposed": proposed, "implied": implied })));
    }
    if let (Some(proposed), Some(implied)) = (changes.birth_date, implied_birth)
        && proposed != implied
    {
        return Err(Refusal::new(
            RuleId::NumberImpliesGenderBirth,
            "birth_date_contradicts_number",
            format!(
                "出生日期只能修改为与社会保障号码一致的值：号码第7至14位表示{}，提交的是{}",
                implied.format("%Y年%m月%d日"),
                proposed.format("%Y年%m月%d日")
            ),
        )
        .with(json!({ "proposed": proposed, "implied": implied })));
    }

    let touched = changes.gender.is_some() || changes.birth_date.is_some();
    let mut derived = false;
    if let Some(implied) = implied_gender
        && changes.gender.is_none()
        && person.gender != implied
    {
        changes.gender = Some(implied);
        derived = true;
    }
    if let Some(implied) = implied_birth
        && changes.birth_date.is_none()
        && person.birth_date != implied
    {
        changes.birth_date = Some(implied);
        derived = true;
    }
    if touched || derived {
        rules.push(RuleId::NumberImpliesGenderBirth);
    }
    Ok(())
}

/// R2.8: for the fields the registry holds, its values are stored. Returns where the
/// proposal differed (before: proposed, after: the registry's).
pub(super) fn apply_registry(
    changes: &mut FieldChanges,
    registry: Option<&RegistryRecord>,
) -> Vec<FieldDiff> {
    let Some(rec) = registry else { return Vec::new() };
    let mut diffs = Vec::new();
    let mut note = |field: Field, proposed: String, official: String| {
        if proposed != official {
            diffs.push(FieldDiff { field, before: Some(proposed), after: Some(official) });
        }
    };
    if let Some(v) = &changes.name {
        note(Field::Name, v.as_str().to_owned(), rec.name.as_str().to_owned());
        changes.name = Some(rec.name.clone());
    }
    if let Some(v) = changes.ethnicity {
        note(Field::Ethnicity, v.code().to_owned(), rec.ethnicity.code().to_owned());
        changes.ethnicity = Some(rec.ethnicity);
    }
    if let Some(v) = &changes.household_address {
        note(
            Field::HouseholdAddress,
            v.as_str().to_owned(),
            rec.household_address.as_str().to_owned(),
        );
        changes.household_address = Some(rec.household_address.clone());
    }
    diffs
}

/// Who may change this person: R2.13 for arrears persons, R2.17 for persons registered
/// outside the province, R1.3 for everyone else.
fn check_scope(
    policy: &Policy,
    agency: &Agency,
    situation: &Situation<'_>,
) -> Result<RuleId, Refusal> {
    let person = situation.person;

    let arrears = situation.enrolments.iter().find(|e| e.line == BusinessLine::ArrearsSettlement);
    if let Some(enrolment) = arrears {
        let is_arrears_office =
            matches!(agency.kind, AgencyKind::ArrearsOffice | AgencyKind::ArrearsFollowUp);
        if is_arrears_office && agency.level >= Level::Prefecture {
            return Ok(RuleId::ArrearsOfficeOnly);
        }
        let holder = situation.agency_label(enrolment.agency);
        return Err(Refusal::new(
            RuleId::ArrearsOfficeOnly,
            "arrears_office_only",
            format!(
                "此人为解欠人员，只能由地市级以上（含地市级）解欠办或其后续管理机构修改。请联系{holder}"
            ),
        )
        .with(json!({ "agency_id": enrolment.agency, "agency": holder })));
    }

    let outside = person
        .ssn
        .division_code()
        .is_some_and(|code| format!("{:02}", code / 10_000) != policy.province);
    if outside {
        let is_centre = agency.kind == AgencyKind::InformationCentre;
        if is_centre || agency.id == person.entered_by {
            return Ok(RuleId::OutOfProvince);
        }
        let entered_by = situation.agency_label(person.entered_by);
        return Err(Refusal::new(
            RuleId::OutOfProvince,
            "out_of_province_scope",
            format!(
                "此人为外省户籍，省公安户籍库无其记录，只能由信息中心或录入该人员的{entered_by}读取身份证修改"
            ),
        )
        .with(json!({ "entered_by": person.entered_by, "agency": entered_by })));
    }

    if situation.enrolments.iter().any(|e| e.agency == agency.id) {
        return Ok(RuleId::AgencyScope);
    }
    let message = if agency.kind == AgencyKind::InformationCentre {
        "信息中心负责监督、指导人员基本信息修改，修改由此人参保业务的经办机构办理".to_owned()
    } else {
        let holders: Vec<String> =
            situation.enrolments.iter().map(|e| situation.agency_label(e.agency)).collect();
        if holders.is_empty() {
            "此人在本机构没有业务，不在本机构业务所辖范围内，不能修改".to_owned()
        } else {
            format!(
                "此人在本机构没有业务，不在本机构业务所辖范围内。请由{}办理",
                holders.join("、")
            )
        }
    };
    Err(Refusal::new(RuleId::AgencyScope, "outside_business_scope", message)
        .with(json!({ "agency_id": agency.id })))
}

/// R2.7: identity-card fields come from the card reader or the registry; typing them is
/// allowed only for a person younger than the policy's age on the day of entry.
fn check_source(
    policy: &Policy,
    today: NaiveDate,
    situation: &Situation<'_>,
    changes: &FieldChanges,
    source: InputSource,
    rules: &mut Vec<RuleId>,
) -> Result<(), Refusal> {
    let card_fields: Vec<Field> =
        changes.fields().into_iter().filter(|f| f.on_identity_card()).collect();
    if card_fields.is_empty() {
        return Ok(());
    }
    rules.push(RuleId::CardReaderEntry);
    let birth = changes.birth_date.unwrap_or(situation.person.birth_date);
    match source {
        InputSource::CardReader => Ok(()),
        InputSource::Registry if situation.registry.is_some() => Ok(()),
        InputSource::Registry => Err(Refusal::new(
            RuleId::CardReaderEntry,
            "registry_record_missing",
            "省公安户籍库中没有此人的记录，请用读卡器读取居民身份证",
        )),
        InputSource::Manual | InputSource::Legacy => {
            manual_allowed(policy, today, birth, &card_fields)
        }
    }
}

/// Whether typing identity-card fields is allowed for someone born on `birth`.
pub(super) fn manual_allowed(
    policy: &Policy,
    today: NaiveDate,
    birth: NaiveDate,
    card_fields: &[Field],
) -> Result<(), Refusal> {
    let age = age_on(birth, today);
    if age < policy.manual_entry_below_age {
        return Ok(());
    }
    let names: Vec<&str> = card_fields.iter().map(|f| f.name_zh()).collect();
    Err(Refusal::new(
        RuleId::CardReaderEntry,
        "card_reader_required",
        format!(
            "此人已满{}周岁（{}周岁），{}须用读卡器读取居民身份证录入，不能手工录入",
            policy.manual_entry_below_age,
            age,
            names.join("、")
        ),
    )
    .with(json!({
        "age": age,
        "limit": policy.manual_entry_below_age,
        "fields": card_fields.iter().map(|f| f.code()).collect::<Vec<_>>(),
    })))
}

/// R2.1, R2.2/R2.3 and R2.4: how the accepted change takes effect.
fn choose_path(
    policy: &Policy,
    situation: &Situation<'_>,
    changes: &FieldChanges,
    rules: &mut Vec<RuleId>,
) -> Path {
    let mut lines: Vec<BusinessLine> = situation.enrolments.iter().map(|e| e.line).collect();
    lines.sort();
    lines.dedup();
    if lines.len() <= 1 {
        rules.push(RuleId::SingleLine);
        return Path::Immediate;
    }
    if changes.fields().iter().any(|f| f.is_key()) {
        let (steps, ordered) = signoff_steps(policy, situation);
        rules.extend(signoff_rules(ordered));
        return Path::SignOff(steps);
    }
    rules.push(RuleId::PersonConfirms);
    Path::PersonConfirms
}
