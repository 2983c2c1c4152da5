//! The decision on entering a new person record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::change::{apply_registry, manual_allowed};
use super::{InputSource, Refusal, RuleId};
use crate::agency::{Operator, Role};
use crate::changes::{Field, FieldChanges, FieldDiff};
use crate::ids::PersonId;
use crate::person::{NewPerson, Person};
use crate::policy::Policy;
use crate::registry::RegistryRecord;

/// An accepted entry: the record to store and what shaped it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryPlan {
    /// The record to store, gender and birth date filled in from the number, registry values
    /// put in.
    pub person: NewPerson,
    /// The rules applied.
    pub rules: Vec<RuleId>,
    /// Where the entry differed from the registry (before: entered, after: stored).
    pub registry_differences: Vec<FieldDiff>,
}

/// Decides whether `entry` may be stored as a new record.
pub fn decide_entry(
    policy: &Policy,
    today: NaiveDate,
    operator: &Operator,
    entry: &NewPerson,
    source: InputSource,
    registry: Option<&RegistryRecord>,
    number_taken_by: Option<PersonId>,
) -> Result<EntryPlan, Refusal> {
    if !operator.has(Role::Handler) {
        return Err(Refusal::new(
            RuleId::HandlerRole,
            "not_a_handler",
            "您的账号没有经办权限，不能录入人员",
        ));
    }
    if let Some(holder) = number_taken_by {
        return Err(Refusal::new(
            RuleId::OccupiedNumber,
            "number_occupied",
            "该社会保障号码已被另一条人员记录占用，不能重复录入。如确系本人号码，请按号码被占用流程立案",
        )
        .with(json!({ "occupied_by": holder })));
    }

    let mut person = entry.clone();
    let mut rules = vec![RuleId::NumberImpliesGenderBirth];
    if let (Some(given), Some(implied)) = (person.gender, person.ssn.gender())
        && given != implied
    {
        return Err(Refusal::new(
            RuleId::NumberImpliesGenderBirth,
            "gender_contradicts_number",
            format!(
                "性别须与社会保障号码一致：号码第17位表示“{}”，录入的是“{}”",
                implied.name_zh(),
                given.name_zh()
            ),
        )
        .with(json!({ "proposed": given, "implied": implied })));
    }
    if let (Some(given), Some(implied)) = (person.birth_date, person.ssn.birth_date())
        && given != implied
    {
        return Err(Refusal::new(
            RuleId::NumberImpliesGenderBirth,
            "birth_date_contradicts_number",
            format!(
                "出生日期须与社会保障号码一致：号码第7至14位表示{}，录入的是{}",
                implied.format("%Y年%m月%d日"),
                given.format("%Y年%m月%d日")
            ),
        )
        .with(json!({ "proposed": given, "implied": implied })));
    }
    person.derive_from_number();
    let (Some(_), Some(birth)) = (person.gender, person.birth_date) else {
        return Err(Refusal::new(
            RuleId::NumberImpliesGenderBirth,
            "gender_and_birth_date_required",
            "此类号码不含性别和出生日期，请录入性别和出生日期",
        ));
    };
    if birth > today {
        return Err(Refusal::new(
            RuleId::BirthNotInFuture,
            "birth_date_in_future",
            format!("出生日期{}晚于今天，请核对号码", birth.format("%Y年%m月%d日")),
        ));
    }

    if source != InputSource::Legacy {
        rules.push(RuleId::CardReaderEntry);
    }
    match source {
        InputSource::CardReader | InputSource::Legacy => {}
        InputSource::Registry if registry.is_some() => {}
        InputSource::Registry => {
            return Err(Refusal::new(
                RuleId::CardReaderEntry,
                "registry_record_missing",
                "省公安户籍库中没有此人的记录，请用读卡器读取居民身份证",
            ));
        }
        InputSource::Manual => {
            let card_fields: Vec<Field> =
                Field::ALL.into_iter().filter(|f| f.on_identity_card()).collect();
            manual_allowed(policy, today, birth, &card_fields)?;
        }
    }

    let mut as_changes = FieldChanges {
        name: Some(person.name.clone()),
        ethnicity: Some(person.ethnicity),
        household_address: Some(person.household_address.clone()),
        ..FieldChanges::default()
    };
    let registry_differences = apply_registry(&mut as_changes, registry);
    if !registry_differences.is_empty() {
        rules.push(RuleId::RegistryPrevails);
        if let (Some(name), Some(ethnicity), Some(address)) =
            (as_changes.name, as_changes.ethnicity, as_changes.household_address)
        {
            person.name = name;
            person.ethnicity = ethnicity;
            person.household_address = address;
        }
    }
    Ok(EntryPlan { person, rules, registry_differences })
}

/// Whether `entry` describes the person who already holds its number (`holder`), so that
/// entering it again adds nothing: the same birth date, and the same name as entered or as
/// the registry gives it for the number (R2.8: the holder was stored with the registry's
/// name). Anything else is another person on the same number (R2.9, occupied number).
pub fn same_person(entry: &NewPerson, holder: &Person, registry: Option<&RegistryRecord>) -> bool {
    let birth = entry.birth_date.or_else(|| entry.ssn.birth_date());
    if holder.ssn != entry.ssn || birth.is_some_and(|b| b != holder.birth_date) {
        return false;
    }
    holder.name == entry.name
        || registry.is_some_and(|r| r.ssn == entry.ssn && r.name == holder.name)
}
