//! Change requests through the store: at once, signed off in order, confirmed by the person,
//! refused (and journaled), and a stale version.

mod common;

use common::{name, proposal, world};
use personbase_domain::request::ConfirmationChannel;
use personbase_domain::{ChangeRequest, Confirmation, FieldChanges, Person, RequestState, RuleId};
use personbase_identity::HouseholdType;
use personbase_store::{ActorRef, StoreError};

#[tokio::test]
async fn a_single_line_change_takes_effect_at_once_and_is_journaled() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();

    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    let request = w
        .store
        .propose_change(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(changes),
            "更正姓名",
            Some(1),
        )
        .await
        .unwrap();

    assert_eq!(request.state, RequestState::Effective);
    assert!(request.rules.contains(&RuleId::SingleLine));
    let after = w.store.person(p.id).await.unwrap();
    assert_eq!(after.name.as_str(), "张卫");
    assert_eq!(after.version, 2);
    let history: Vec<String> =
        w.store.history(p.id).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(
        history,
        ["person.created", "enrolment.opened", "change.requested", "change.effective"]
    );
    let effective = w.store.history(p.id).await.unwrap().pop().unwrap();
    assert_eq!(effective.before["name"], "张伟");
    assert_eq!(effective.after["name"], "张卫");
    assert_eq!(effective.request, Some(request.id));
    assert!(w.store.verify_journal().await.unwrap().is_intact());
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_with_the_current_version() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    let first = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    w.store
        .propose_change(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(first),
            "更正",
            Some(1),
        )
        .await
        .unwrap();

    let second = FieldChanges { name: Some(name("张玮")), ..FieldChanges::default() };
    let err = w
        .store
        .propose_change(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(second),
            "更正",
            Some(1),
        )
        .await
        .unwrap_err();

    assert!(matches!(err, StoreError::Conflict { current_version: 2 }), "{err:?}");
    assert_eq!(err.code(), "version_conflict");
    assert_eq!(w.store.person(p.id).await.unwrap().name.as_str(), "张卫");
}

#[tokio::test]
async fn a_refusal_is_journaled_with_its_rule_and_changes_nothing() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    let tx = w
        .store
        .start_transaction(&w.employment_key, p.id, "JY-2026-001", "失业登记")
        .await
        .unwrap();

    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    let err = w
        .store
        .propose_change(ActorRef::Operator(&w.employment_op), p.id, proposal(changes), "更正", None)
        .await
        .unwrap_err();

    let refusal = err.refusal().expect("a refusal");
    assert_eq!(refusal.rule, RuleId::InTransitBlocks);
    assert_eq!(err.code(), "in_transit_business");
    assert_eq!(refusal.details["transaction_id"], tx.id.0);
    let last = w.store.history(p.id).await.unwrap().pop().unwrap();
    assert_eq!(last.action, "change.refused");
    assert_eq!(last.reason, "in-transit-blocks");
    assert_eq!(last.operator, Some(w.employment_op.id));
    assert_eq!(w.store.person(p.id).await.unwrap().version, 1);
    assert!(w.store.requests_of(p.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_name_change_in_several_lines_is_signed_employment_first_then_insurance() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    w.store.enrol(&w.subsidy_key, p.id).await.unwrap();
    w.store.enrol(&w.pension_key, p.id).await.unwrap();

    // The insurance agency opens it: its step comes last, so it is not signed yet.
    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    let request = w
        .store
        .propose_change(
            ActorRef::Operator(&w.insurance_op),
            p.id,
            proposal(changes),
            "更正姓名",
            None,
        )
        .await
        .unwrap();
    assert_eq!(request.state, RequestState::WaitingForSignoff);
    assert!(request.rules.contains(&RuleId::EmploymentFirst));
    assert!(w.store.inbox(w.insurance.id).await.unwrap().is_empty());
    assert_eq!(w.store.inbox(w.employment.id).await.unwrap().len(), 1);

    // Out of order: refused, journaled, nothing changes.
    let err = w.store.sign_off(&w.insurance_op, request.id).await.unwrap_err();
    assert_eq!(err.refusal().unwrap().rule, RuleId::SignoffOrder);
    assert_eq!(w.actions().await.last().unwrap(), "change.refused");

    let signed = w.store.sign_off(&w.employment_op, request.id).await.unwrap();
    assert_eq!(signed.state, RequestState::WaitingForSignoff);
    assert_eq!(w.store.person(p.id).await.unwrap().name.as_str(), "张伟");
    assert_eq!(w.store.inbox(w.insurance.id).await.unwrap().len(), 1);

    let done = w.store.sign_off(&w.insurance_op, request.id).await.unwrap();
    assert_eq!(done.state, RequestState::Effective);
    let person = w.store.person(p.id).await.unwrap();
    assert_eq!((person.name.as_str(), person.version), ("张卫", 2));
    let actions = w.actions().await;
    assert_eq!(
        actions[actions.len() - 3..],
        ["change.signed", "change.signed", "change.effective"]
    );
    assert!(w.store.verify_journal().await.unwrap().is_intact());
}

#[tokio::test]
async fn a_non_key_field_in_several_lines_waits_for_the_person() {
    let (w, p, request) = waiting_for_the_person().await;
    assert_eq!(request.state, RequestState::WaitingForPerson);

    // Someone else cannot answer for the person.
    let answer = Confirmation {
        accepted: true,
        channel: ConfirmationChannel::SelfService,
        at: chrono::DateTime::UNIX_EPOCH,
    };
    let other = personbase_domain::PersonId(p.id.0 + 100);
    let err = w.store.confirm_request(request.id, answer.clone(), Some(other)).await.unwrap_err();
    assert!(matches!(err, StoreError::Unauthorized));

    let done = w.store.confirm_request(request.id, answer, Some(p.id)).await.unwrap();
    assert_eq!(done.state, RequestState::Effective);
    let stored = done.confirmation.unwrap();
    assert_eq!(stored.at, w.store.clock().now(), "the store's clock, not the caller's");
    assert_eq!(w.store.person(p.id).await.unwrap().household_type.code(), "21");
    let actions = w.actions().await;
    assert_eq!(actions[actions.len() - 2..], ["change.confirmed", "change.effective"]);
}

#[tokio::test]
async fn an_open_request_is_overdue_the_next_day_and_can_be_withdrawn() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    w.store.enrol(&w.pension_key, p.id).await.unwrap();
    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    let request = w
        .store
        .propose_change(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(changes),
            "更正姓名",
            None,
        )
        .await
        .unwrap();

    let today = common::today();
    assert!(w.store.overdue(today, None).await.unwrap().is_empty());
    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(w.store.overdue(tomorrow, None).await.unwrap().len(), 1);
    assert_eq!(w.store.overdue(tomorrow, Some(&w.centre)).await.unwrap().len(), 1);

    let withdrawn = w.store.withdraw_request(&w.employment_op, request.id).await.unwrap();
    assert_eq!(withdrawn.state, RequestState::Withdrawn);
    assert!(w.store.overdue(tomorrow, None).await.unwrap().is_empty());
    assert!(w.store.person_details(p.id).await.unwrap().open_requests.is_empty());
}

#[tokio::test]
async fn self_service_changes_only_the_own_record() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    let other = w.enter("23010319850505002", "李娜").await;
    let phone = personbase_domain::Phone::parse("13800000000").unwrap();
    let changes = FieldChanges { phone: Some(phone), ..FieldChanges::default() };

    let err = w
        .store
        .propose_change(ActorRef::SelfService(other.id), p.id, proposal(changes.clone()), "", None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unauthorized));

    let done = w
        .store
        .propose_change(ActorRef::SelfService(p.id), p.id, proposal(changes), "", None)
        .await
        .unwrap();
    assert_eq!(done.state, RequestState::Effective);
    assert_eq!(w.store.person(p.id).await.unwrap().phone.unwrap().as_str(), "13800000000");
}

#[tokio::test]
async fn a_transaction_started_after_the_request_stops_the_last_signoff() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    w.store.enrol(&w.pension_key, p.id).await.unwrap();
    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    let request = w
        .store
        .propose_change(ActorRef::Operator(&w.employment_op), p.id, proposal(changes), "更正", None)
        .await
        .unwrap();
    w.store.start_transaction(&w.pension_key, p.id, "YL-9", "养老保险关系转移").await.unwrap();

    let err = w.store.sign_off(&w.insurance_op, request.id).await.unwrap_err();

    assert_eq!(err.refusal().unwrap().rule, RuleId::InTransitBlocks);
    let still = w.store.request(request.id).await.unwrap();
    assert_eq!(still.state, RequestState::WaitingForSignoff);
    assert!(still.steps.iter().any(|s| s.agency == w.insurance.id && s.signed.is_none()));
    assert_eq!(w.store.person(p.id).await.unwrap().name.as_str(), "张伟");
}

#[tokio::test]
async fn an_agency_outside_the_persons_scope_cannot_record_the_persons_confirmation() {
    let (w, p, request) = waiting_for_the_person().await;
    let elsewhere = w
        .store
        .create_agency(
            "齐齐哈尔市社会保险事业局",
            personbase_domain::AgencyKind::SocialInsurance,
            personbase_domain::Level::Prefecture,
            230200,
        )
        .await
        .unwrap();
    let stranger = w
        .store
        .create_operator(
            "qq01",
            "齐齐哈尔经办",
            elsewhere.id,
            &[personbase_domain::Role::Handler],
            "h",
        )
        .await
        .unwrap();
    let at_counter = |operator| Confirmation {
        accepted: true,
        channel: ConfirmationChannel::Counter { operator, form_reference: "QR-1".to_owned() },
        at: chrono::DateTime::UNIX_EPOCH,
    };

    let err = w.store.confirm_request(request.id, at_counter(stranger.id), None).await.unwrap_err();
    assert!(matches!(err, StoreError::Unauthorized), "{err:?}");
    assert_eq!(w.store.person(p.id).await.unwrap().household_type, p.household_type);

    let done =
        w.store.confirm_request(request.id, at_counter(w.insurance_op.id), None).await.unwrap();
    assert_eq!(done.state, RequestState::Effective);
}

/// A person in employment and pension, with a household-type change by the employment agency
/// that waits for the person's confirmation (R2.4).
#[allow(clippy::unwrap_used, reason = "a test helper fails the test")]
async fn waiting_for_the_person() -> (common::World, Person, ChangeRequest) {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    w.store.enrol(&w.pension_key, p.id).await.unwrap();
    let changes =
        FieldChanges { household_type: HouseholdType::from_code("21"), ..FieldChanges::default() };
    let request = w
        .store
        .propose_change(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(changes),
            "户籍性质变更",
            None,
        )
        .await
        .unwrap();
    (w, p, request)
}
