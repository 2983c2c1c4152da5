//! The rules as tables: one line per situation and the decision it must get.

use chrono::{NaiveDate, TimeZone, Utc};
use personbase_identity::{Ethnicity, Gender, HouseholdType, SocialSecurityNumber};

use super::*;
use crate::agency::{AgencyKind, Level, Role};
use crate::business::{BusinessLine, SpecialKind};
use crate::card::CardStatus;
use crate::ids::*;
use crate::person::{NewPerson, PersonStatus};
use crate::policy::Policy;
use crate::request::{ChangeRequest, Confirmation, ConfirmationChannel, Opener, Progress};
use crate::values::{Address, PersonName, Phone};
use crate::{Agency, Card, Enrolment, Operator, Person, SpecialBusiness, Transaction};

const TODAY: (i32, u32, u32) = (2026, 12, 3);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

/// A valid number from its first 17 characters (ISO 7064 MOD 11-2 check character).
pub(crate) fn ssn(body: &str) -> SocialSecurityNumber {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    SocialSecurityNumber::parse(&format!("{body}{check}")).unwrap()
}

fn agency(id: i64, kind: AgencyKind, level: Level, division: u32) -> Agency {
    Agency { id: AgencyId(id), name: format!("机构{id}"), kind, level, division }
}

struct World {
    employment: Agency,
    insurance: Agency,
    other_employment: Agency,
    arrears_prefecture: Agency,
    arrears_county: Agency,
    centre: Agency,
    person: Person,
    enrolments: Vec<Enrolment>,
    in_transit: Vec<Transaction>,
    specials: Vec<SpecialBusiness>,
    cards: Vec<Card>,
    registry: Option<crate::RegistryRecord>,
    number_taken_by: Option<PersonId>,
}

fn operator_of(agency: &Agency) -> Operator {
    Operator {
        id: OperatorId(agency.id.0 * 100),
        login: format!("op{}", agency.id),
        name: "王经办".into(),
        agency: agency.id,
        roles: vec![Role::Handler],
    }
}

impl World {
    /// A man born 1990-03-07 in Nangang district, Harbin, enrolled in employment only.
    fn new() -> World {
        let employment = agency(1, AgencyKind::Employment, Level::County, 230103);
        let person = Person {
            id: PersonId(7),
            ssn: ssn("23010319900307123"),
            name: PersonName::parse("李建国").unwrap(),
            gender: Gender::Male,
            birth_date: NaiveDate::from_ymd_opt(1990, 3, 7).unwrap(),
            ethnicity: Ethnicity::parse("01").unwrap(),
            household_address: Address::parse("黑龙江省哈尔滨市南岗区学府路52号").unwrap(),
            household_type: HouseholdType::parse("10").unwrap(),
            home_address: None,
            phone: None,
            status: PersonStatus::Active,
            entered_by: employment.id,
            version: 1,
        };
        let mut world = World {
            insurance: agency(2, AgencyKind::SocialInsurance, Level::County, 230103),
            other_employment: agency(3, AgencyKind::Employment, Level::County, 230104),
            arrears_prefecture: agency(4, AgencyKind::ArrearsOffice, Level::Prefecture, 230100),
            arrears_county: agency(5, AgencyKind::ArrearsOffice, Level::County, 230103),
            centre: agency(6, AgencyKind::InformationCentre, Level::Prefecture, 230100),
            employment,
            person,
            enrolments: Vec::new(),
            in_transit: Vec::new(),
            specials: Vec::new(),
            cards: Vec::new(),
            registry: None,
            number_taken_by: None,
        };
        world.enrol(BusinessLine::Employment, AgencyId(1));
        world
    }

    fn agencies(&self) -> Vec<Agency> {
        vec![
            self.employment.clone(),
            self.insurance.clone(),
            self.other_employment.clone(),
            self.arrears_prefecture.clone(),
            self.arrears_county.clone(),
            self.centre.clone(),
        ]
    }

    fn enrol(&mut self, line: BusinessLine, agency: AgencyId) {
        let id = EnrolmentId(self.enrolments.len() as i64 + 1);
        self.enrolments.push(Enrolment { id, person: self.person.id, line, agency, active: true });
    }

    fn decide(&self, by: &Agency, proposal: &Proposal) -> Decision {
        let operator = operator_of(by);
        self.decide_as(Actor::Operator { operator: &operator, agency: by }, proposal)
    }

    fn decide_as(&self, actor: Actor<'_>, proposal: &Proposal) -> Decision {
        let agencies = self.agencies();
        let situation = Situation {
            person: &self.person,
            enrolments: &self.enrolments,
            agencies: &agencies,
            in_transit: &self.in_transit,
            specials: &self.specials,
            cards: &self.cards,
            registry: self.registry.as_ref(),
            number_taken_by: self.number_taken_by,
        };
        decide_change(&Policy::default(), today(), actor, &situation, proposal)
    }
}

fn proposal(changes: FieldChanges) -> Proposal {
    Proposal { changes, source: InputSource::CardReader, documents: Vec::new() }
}

fn rename(name: &str) -> Proposal {
    proposal(FieldChanges { name: Some(PersonName::parse(name).unwrap()), ..Default::default() })
}

fn ethnicity(code: &str) -> Proposal {
    proposal(FieldChanges { ethnicity: Ethnicity::parse(code), ..Default::default() })
}

fn phone(number: &str) -> Proposal {
    proposal(FieldChanges { phone: Some(Phone::parse(number).unwrap()), ..Default::default() })
}

fn refused(decision: Decision) -> (RuleId, &'static str, String) {
    let r = decision.expect_err("expected a refusal");
    (r.rule, r.code, r.message)
}

fn accepted(decision: Decision) -> Plan {
    decision.unwrap_or_else(|r| panic!("expected acceptance, got {} {}", r.code, r.message))
}

/// Which agencies sign, in which order.
fn steps_of(plan: &Plan) -> Vec<(i64, u32)> {
    match &plan.path {
        Path::SignOff(steps) => steps.iter().map(|s| (s.agency.0, s.order)).collect(),
        other => panic!("expected sign-off, got {other:?}"),
    }
}

#[test]
fn single_line_person_is_changed_at_once_by_its_agency() {
    let w = World::new();
    let plan = accepted(w.decide(&w.employment, &ethnicity("03")));
    assert_eq!(plan.path, Path::Immediate);
    assert_eq!(plan.rules, vec![RuleId::AgencyScope, RuleId::CardReaderEntry, RuleId::SingleLine]);
    assert_eq!(plan.changes.ethnicity, Ethnicity::parse("03"));
}

#[test]
fn agencies_outside_the_business_scope_are_refused() {
    let w = World::new();
    let (rule, code, message) = refused(w.decide(&w.other_employment, &ethnicity("03")));
    assert_eq!((rule, code), (RuleId::AgencyScope, "outside_business_scope"));
    assert!(message.contains("机构1（就业经办机构）"), "{message}");

    let (rule, _, message) = refused(w.decide(&w.centre, &ethnicity("03")));
    assert_eq!(rule, RuleId::AgencyScope);
    assert!(message.starts_with("信息中心负责监督"), "{message}");
}

#[test]
fn closed_enrolments_are_not_in_the_situation_so_the_agency_is_out_of_scope() {
    let mut w = World::new();
    w.enrolments.clear();
    let (rule, _, message) = refused(w.decide(&w.employment, &ethnicity("03")));
    assert_eq!(rule, RuleId::AgencyScope);
    assert!(message.contains("不在本机构业务所辖范围内"), "{message}");
}

#[test]
fn name_change_of_a_person_in_several_lines_needs_every_agency() {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let plan = accepted(w.decide(&w.employment, &rename("李建华")));
    assert_eq!(steps_of(&plan), vec![(1, 1), (2, 1)]);
    assert!(plan.rules.contains(&RuleId::AllAgenciesSign));
    assert!(!plan.rules.contains(&RuleId::EmploymentFirst));
}

#[test]
fn with_insurance_and_subsidy_employment_signs_first_and_insurance_last() {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    w.enrol(BusinessLine::Medical, w.insurance.id);
    w.enrol(BusinessLine::InsuranceSubsidy, w.employment.id);
    w.enrol(BusinessLine::ArrearsSettlement, w.arrears_prefecture.id);
    let plan = accepted(w.decide(&w.arrears_prefecture, &rename("李建华")));
    assert_eq!(steps_of(&plan), vec![(1, 1), (4, 2), (2, 3)]);
    assert!(plan.rules.contains(&RuleId::EmploymentFirst));
}

#[test]
fn other_fields_of_a_person_in_several_lines_need_the_person() {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let plan = accepted(w.decide(&w.insurance, &ethnicity("03")));
    assert_eq!(plan.path, Path::PersonConfirms);
    assert!(plan.rules.contains(&RuleId::PersonConfirms));
}

#[test]
fn gender_and_birth_date_follow_the_number() {
    let w = World::new();
    let wrong_gender =
        proposal(FieldChanges { gender: Some(Gender::Female), ..Default::default() });
    let (rule, code, message) = refused(w.decide(&w.employment, &wrong_gender));
    assert_eq!((rule, code), (RuleId::NumberImpliesGenderBirth, "gender_contradicts_number"));
    assert!(message.contains("“男”") && message.contains("“女”"), "{message}");

    let wrong_birth = proposal(FieldChanges {
        birth_date: NaiveDate::from_ymd_opt(1990, 3, 8),
        ..Default::default()
    });
    let (_, code, message) = refused(w.decide(&w.employment, &wrong_birth));
    assert_eq!(code, "birth_date_contradicts_number");
    assert!(message.contains("1990年03月07日") && message.contains("1990年03月08日"));
}

#[test]
fn a_new_number_brings_its_birth_date_and_gender() {
    let w = World::new();
    let new_number = ssn("23010319910307124");
    let change = proposal(FieldChanges { ssn: Some(new_number), ..Default::default() });
    let mut docs = change.clone();
    docs.documents = vec!["居民身份证复印件".into(), "户口簿复印件".into()];
    let plan = accepted(w.decide(&w.employment, &docs));
    assert_eq!(plan.changes.birth_date, NaiveDate::from_ymd_opt(1991, 3, 7));
    assert_eq!(plan.changes.gender, Some(Gender::Female));
    assert!(plan.rules.contains(&RuleId::NumberImpliesGenderBirth));
}

#[test]
fn in_transit_business_blocks_and_is_named() {
    let mut w = World::new();
    w.in_transit.push(Transaction {
        id: TransactionId(91),
        person: w.person.id,
        line: BusinessLine::Employment,
        agency: w.employment.id,
        reference: "JY2026120300017".into(),
        description: "失业登记".into(),
        started_at: Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap(),
        finished_at: None,
    });
    let (rule, code, message) = refused(w.decide(&w.employment, &ethnicity("03")));
    assert_eq!((rule, code), (RuleId::InTransitBlocks, "in_transit_business"));
    assert!(message.contains("JY2026120300017") && message.contains("就业业务“失业登记”"));
    // Contact data is not natural information: the block does not reach it.
    accepted(w.decide(&w.employment, &phone("13812345678")));
}

#[test]
fn pension_merged_contribution_must_be_cancelled_first() {
    let mut w = World::new();
    w.specials.push(SpecialBusiness {
        kind: SpecialKind::PensionMergedContribution,
        person: w.person.id,
        agency: w.insurance.id,
        reference: "YL-BG-0042".into(),
    });
    let (rule, _, message) = refused(w.decide(&w.employment, &ethnicity("03")));
    assert_eq!(rule, RuleId::PensionMergerFirst);
    assert!(message.contains("机构2（社保经办机构）取消"), "{message}");
}

#[test]
fn arrears_persons_only_by_arrears_offices_of_prefecture_level() {
    let mut w = World::new();
    w.enrol(BusinessLine::ArrearsSettlement, w.arrears_prefecture.id);
    let cases = [
        (&w.employment, Err(RuleId::ArrearsOfficeOnly)),
        (&w.arrears_county, Err(RuleId::ArrearsOfficeOnly)),
        (&w.arrears_prefecture, Ok(RuleId::ArrearsOfficeOnly)),
    ];
    for (agency, expected) in cases {
        let got = w.decide(agency, &ethnicity("03"));
        match expected {
            Ok(rule) => assert!(accepted(got).rules.contains(&rule), "{}", agency.id),
            Err(rule) => assert_eq!(refused(got).0, rule, "{}", agency.id),
        }
    }
}

#[test]
fn an_active_card_blocks_printed_fields_only() {
    let mut w = World::new();
    w.cards.push(Card {
        id: CardId(3),
        person: w.person.id,
        card_number: "H23010001".into(),
        status: CardStatus::Active,
        printed_name: "李建国".into(),
        printed_ssn: w.person.ssn.as_str().into(),
        issued_at: Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap(),
    });
    let (rule, code, _) = refused(w.decide(&w.employment, &rename("李建华")));
    assert_eq!((rule, code), (RuleId::CardVoidFirst, "active_card"));
    accepted(w.decide(&w.employment, &ethnicity("03")));
    w.cards[0].status = CardStatus::Voided;
    accepted(w.decide(&w.employment, &rename("李建华")));
}

#[test]
fn typing_card_fields_only_for_persons_under_16() {
    let mut w = World::new();
    let mut typed = rename("李建华");
    typed.source = InputSource::Manual;
    let (rule, code, message) = refused(w.decide(&w.employment, &typed));
    assert_eq!((rule, code), (RuleId::CardReaderEntry, "card_reader_required"));
    assert!(message.contains("已满16周岁（36周岁）"), "{message}");

    // Fields that are not on the card may always be typed.
    let mut household =
        proposal(FieldChanges { household_type: HouseholdType::parse("20"), ..Default::default() });
    household.source = InputSource::Manual;
    accepted(w.decide(&w.employment, &household));

    // A 15-year-old (born 2011-03-07) may be typed in.
    w.person.ssn = ssn("23010320110307123");
    w.person.birth_date = NaiveDate::from_ymd_opt(2011, 3, 7).unwrap();
    accepted(w.decide(&w.employment, &typed));
}

#[test]
fn the_registry_prevails_over_the_card_reader() {
    let mut w = World::new();
    w.registry = Some(crate::RegistryRecord {
        ssn: w.person.ssn.clone(),
        name: PersonName::parse("李建华").unwrap(),
        gender: Gender::Male,
        birth_date: w.person.birth_date,
        ethnicity: w.person.ethnicity,
        household_address: w.person.household_address.clone(),
    });
    let plan = accepted(w.decide(&w.employment, &rename("李建桦")));
    assert_eq!(plan.changes.name.as_ref().map(PersonName::as_str), Some("李建华"));
    assert_eq!(plan.registry_differences.len(), 1);
    assert_eq!(plan.registry_differences[0].before.as_deref(), Some("李建桦"));
    assert!(plan.rules.contains(&RuleId::RegistryPrevails));

    // What the registry already says of the stored record leaves nothing to change.
    w.registry.as_mut().unwrap().name = w.person.name.clone();
    let (rule, code, _) = refused(w.decide(&w.employment, &rename("李建桦")));
    assert_eq!((rule, code), (RuleId::RegistryPrevails, "registry_value_unchanged"));
}

#[test]
fn self_service_changes_contact_fields_only() {
    let w = World::new();
    let plan = accepted(w.decide_as(Actor::SelfService, &phone("13812345678")));
    assert_eq!(plan.path, Path::Immediate);
    let (rule, code, message) = refused(w.decide_as(Actor::SelfService, &rename("李建华")));
    assert_eq!((rule, code), (RuleId::SelfServiceContactOnly, "self_service_field_not_allowed"));
    assert!(message.contains("姓名须携带居民身份证"), "{message}");
}

#[test]
fn a_change_that_changes_nothing_is_refused() {
    let w = World::new();
    let (rule, _, _) = refused(w.decide(&w.employment, &rename("李建国")));
    assert_eq!(rule, RuleId::NothingChanges);
    let (rule, _, _) = refused(w.decide_as(Actor::SelfService, &proposal(FieldChanges::default())));
    assert_eq!(rule, RuleId::NothingChanges);
}

#[test]
fn persons_from_other_provinces_by_the_centre_or_the_entering_agency() {
    let mut w = World::new();
    w.person.ssn = ssn("11010519900307123");
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let (rule, _, message) = refused(w.decide(&w.insurance, &ethnicity("03")));
    assert_eq!(rule, RuleId::OutOfProvince);
    assert!(message.contains("机构1（就业经办机构）"), "{message}");
    assert!(
        accepted(w.decide(&w.employment, &ethnicity("03"))).rules.contains(&RuleId::OutOfProvince)
    );
    accepted(w.decide(&w.centre, &ethnicity("03")));
}

#[test]
fn documents_the_agency_requires_must_be_attached() {
    let mut w = World::new();
    w.enrolments.clear();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let change =
        proposal(FieldChanges { ssn: Some(ssn("23010319900307131")), ..Default::default() });
    let (rule, _, message) = refused(w.decide(&w.insurance, &change));
    assert_eq!(rule, RuleId::DocumentsRequired);
    assert_eq!(message, "本机构办理此项修改须提供证明材料：居民身份证复印件、户口簿复印件");
}

#[test]
fn a_number_held_by_another_record_is_not_taken() {
    let mut w = World::new();
    w.number_taken_by = Some(PersonId(99));
    let change =
        proposal(FieldChanges { ssn: Some(ssn("23010319900307131")), ..Default::default() });
    assert_eq!(refused(w.decide(&w.employment, &change)).0, RuleId::OccupiedNumber);
}

#[test]
fn merged_records_are_not_changed() {
    let mut w = World::new();
    w.person.status = PersonStatus::MergedInto(PersonId(8));
    assert_eq!(refused(w.decide(&w.employment, &ethnicity("03"))).0, RuleId::RecordActive);
}

fn open_request(w: &World, by: &Agency, p: &Proposal) -> (ChangeRequest, Progress) {
    let plan = accepted(w.decide(by, p));
    let operator = operator_of(by);
    ChangeRequest::open(
        RequestId(1),
        &w.person,
        plan,
        p.source,
        "户籍信息更正".into(),
        Opener {
            operator: Some((&operator, by)),
            at: Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap(),
            today: today(),
        },
    )
}

fn world_with_three_agencies() -> World {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    w.enrol(BusinessLine::InsuranceSubsidy, w.employment.id);
    w.enrol(BusinessLine::ArrearsSettlement, w.arrears_prefecture.id);
    w
}

#[test]
fn signoffs_follow_the_order_and_the_last_makes_it_ready() {
    let w = world_with_three_agencies();
    let at = Utc.with_ymd_and_hms(2026, 12, 3, 3, 0, 0).unwrap();
    // The insurance agency opens: its own step must wait for the others.
    let (mut request, progress) = open_request(&w, &w.arrears_prefecture, &rename("李建华"));
    assert_eq!(progress, Progress::Waiting);
    assert!(request.awaits(w.employment.id), "employment's turn comes first");
    assert!(!request.awaits(w.insurance.id) && !request.awaits(w.arrears_prefecture.id));
    let insurance_op = operator_of(&w.insurance);
    let err = request.sign_off(&insurance_op, &w.insurance, at).unwrap_err();
    assert_eq!((err.rule, err.code), (RuleId::SignoffOrder, "signoff_out_of_order"));
    // The arrears office opened, but its order (2) comes after employment (1).
    assert!(request.steps.iter().all(|s| s.signed.is_none()));

    let stranger = operator_of(&w.other_employment);
    let err = request.sign_off(&stranger, &w.other_employment, at).unwrap_err();
    assert_eq!(err.rule, RuleId::SignOwnAgency);

    let employment_op = operator_of(&w.employment);
    assert_eq!(request.sign_off(&employment_op, &w.employment, at), Ok(Progress::Waiting));
    let arrears_op = operator_of(&w.arrears_prefecture);
    assert_eq!(request.sign_off(&arrears_op, &w.arrears_prefecture, at), Ok(Progress::Waiting));
    assert_eq!(request.sign_off(&insurance_op, &w.insurance, at), Ok(Progress::Ready));
}

#[test]
fn the_opening_agency_signs_at_once_when_its_turn_has_come() {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let (request, progress) = open_request(&w, &w.employment, &rename("李建华"));
    assert_eq!(progress, Progress::Waiting);
    let signed: Vec<i64> =
        request.steps.iter().filter(|s| s.signed.is_some()).map(|s| s.agency.0).collect();
    assert_eq!(signed, vec![1]);
}

#[test]
fn the_person_confirms_or_refuses() {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let at = Utc.with_ymd_and_hms(2026, 12, 3, 3, 0, 0).unwrap();
    let (mut request, progress) = open_request(&w, &w.employment, &ethnicity("03"));
    assert_eq!(progress, Progress::Waiting);
    let counter = |reference: &str| Confirmation {
        accepted: true,
        channel: ConfirmationChannel::Counter {
            operator: OperatorId(100),
            form_reference: reference.into(),
        },
        at,
    };
    assert_eq!(request.confirm(counter(" ")).unwrap_err().code, "form_reference_required");
    assert_eq!(request.confirm(counter("QR-2026-0001")), Ok(Progress::Ready));

    let (mut refused_request, _) = open_request(&w, &w.employment, &ethnicity("03"));
    let no = Confirmation { accepted: false, channel: ConfirmationChannel::SelfService, at };
    assert_eq!(refused_request.confirm(no), Ok(Progress::Waiting));
    assert_eq!(refused_request.state, crate::RequestState::Rejected);
}

#[test]
fn a_submitted_request_cannot_be_edited_and_is_overdue_the_next_day() {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let (mut request, _) = open_request(&w, &w.employment, &rename("李建华"));
    let err = request.amend(FieldChanges::default()).unwrap_err();
    assert_eq!((err.rule, err.code), (RuleId::FrozenPayload, "payload_frozen"));
    assert!(!request.is_overdue(today()));
    assert!(request.is_overdue(today().succ_opt().unwrap()));
}

#[test]
fn a_transaction_started_after_the_request_blocks_its_effect() {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let (request, _) = open_request(&w, &w.employment, &ethnicity("03"));
    w.in_transit.push(Transaction {
        id: TransactionId(5),
        person: w.person.id,
        line: BusinessLine::Pension,
        agency: w.insurance.id,
        reference: "YL-77".into(),
        description: "养老待遇核定".into(),
        started_at: Utc.with_ymd_and_hms(2026, 12, 3, 4, 0, 0).unwrap(),
        finished_at: None,
    });
    let agencies = w.agencies();
    let situation = Situation {
        person: &w.person,
        enrolments: &w.enrolments,
        agencies: &agencies,
        in_transit: &w.in_transit,
        specials: &w.specials,
        cards: &w.cards,
        registry: None,
        number_taken_by: None,
    };
    let err = recheck_before_effect(&Policy::default(), &situation, &request).unwrap_err();
    assert_eq!(err.rule, RuleId::InTransitBlocks);

    let mut changed = w.person.clone();
    changed.ethnicity = Ethnicity::parse("05").unwrap();
    let situation = Situation { person: &changed, in_transit: &[], ..situation };
    let err = recheck_before_effect(&Policy::default(), &situation, &request).unwrap_err();
    assert_eq!(err.rule, RuleId::StaleRecord);
}

#[test]
fn the_full_record_only_for_those_whose_work_needs_it() {
    let mut w = World::new();
    w.enrol(BusinessLine::Pension, w.insurance.id);
    let agencies = w.agencies();
    let situation = Situation {
        person: &w.person,
        enrolments: &w.enrolments,
        agencies: &agencies,
        in_transit: &[],
        specials: &[],
        cards: &[],
        registry: None,
        number_taken_by: None,
    };
    let other_centre = agency(8, AgencyKind::InformationCentre, Level::Prefecture, 230200);
    let province_centre = agency(9, AgencyKind::InformationCentre, Level::Province, 230000);
    let cases = [
        (&w.insurance, true),
        (&w.employment, true),
        (&w.centre, true),
        (&province_centre, true),
        (&w.other_employment, false),
        (&w.arrears_county, false),
        (&other_centre, false),
    ];
    for (agency, allowed) in cases {
        let got = check_view(agency, &situation);
        assert_eq!(got.is_ok(), allowed, "agency {}", agency.id);
        if let Err(refusal) = got {
            assert_eq!((refusal.rule, refusal.code), (RuleId::NeedToKnow, "outside_need_to_know"));
        }
    }
}

#[test]
fn legacy_records_enter_without_a_card_reader_but_under_every_other_rule_of_entry() {
    let w = World::new();
    let by = operator_of(&w.employment);
    let entry = NewPerson {
        ssn: ssn("23010319900307123"),
        name: PersonName::parse("李建国").unwrap(),
        gender: None,
        birth_date: None,
        ethnicity: Ethnicity::parse("01").unwrap(),
        household_address: Address::parse("黑龙江省哈尔滨市南岗区学府路52号").unwrap(),
        household_type: HouseholdType::parse("10").unwrap(),
        home_address: None,
        phone: None,
    };
    let decide =
        |source, taken| decide_entry(&Policy::default(), today(), &by, &entry, source, None, taken);

    // An adult typed at the counter is refused (R2.7); the same record from a legacy system
    // is entered, with gender and birth date from the number.
    assert_eq!(decide(InputSource::Manual, None).unwrap_err().rule, RuleId::CardReaderEntry);
    let plan = decide(InputSource::Legacy, None).unwrap();
    assert_eq!(plan.person.gender, Some(Gender::Male));
    assert_eq!(plan.rules, vec![RuleId::NumberImpliesGenderBirth]);
    // A number held by another record is refused all the same (R2.9).
    let refusal = decide(InputSource::Legacy, Some(PersonId(9))).unwrap_err();
    assert_eq!((refusal.rule, refusal.code), (RuleId::OccupiedNumber, "number_occupied"));
    // Nobody can claim the legacy source through the API.
    assert_eq!(InputSource::from_code("legacy"), None);
}

#[test]
fn the_same_person_is_the_holder_by_name_or_by_the_registry_name_it_was_stored_with() {
    let w = World::new();
    let entry = |name: &str| NewPerson {
        ssn: w.person.ssn.clone(),
        name: PersonName::parse(name).unwrap(),
        gender: None,
        birth_date: None,
        ethnicity: w.person.ethnicity,
        household_address: w.person.household_address.clone(),
        household_type: w.person.household_type,
        home_address: None,
        phone: None,
    };
    let registry = crate::RegistryRecord {
        ssn: w.person.ssn.clone(),
        name: w.person.name.clone(),
        gender: Gender::Male,
        birth_date: w.person.birth_date,
        ethnicity: w.person.ethnicity,
        household_address: w.person.household_address.clone(),
    };
    assert!(same_person(&entry("李建国"), &w.person, None));
    assert!(!same_person(&entry("李建华"), &w.person, None));
    // The holder carries the registry's name: a legacy spelling is the same person.
    assert!(same_person(&entry("李建华"), &w.person, Some(&registry)));
}
