//! Preview without writing, rejection by a signing agency, and a request's own audit trail.

mod common;

use common::{name, proposal, world};
use personbase_domain::{FieldChanges, RequestState, RuleId};
use personbase_store::ActorRef;

#[tokio::test]
async fn a_preview_decides_without_writing() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    let before = w.store.journal(0, 1000).await.unwrap().len();

    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    let plan = w
        .store
        .preview_change(ActorRef::Operator(&w.employment_op), p.id, &proposal(changes))
        .await
        .unwrap()
        .unwrap();

    assert!(plan.rules.contains(&RuleId::SingleLine));
    assert_eq!(w.store.journal(0, 1000).await.unwrap().len(), before);
    assert_eq!(w.store.person(p.id).await.unwrap().version, 1);
}

#[tokio::test]
async fn a_signing_agency_rejects_and_the_trail_shows_it() {
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

    let blank = w.store.reject_request(&w.insurance_op, request.id, " ").await.unwrap_err();
    assert_eq!(blank.code(), "invalid_input");
    let rejected =
        w.store.reject_request(&w.insurance_op, request.id, "与户籍信息不符").await.unwrap();

    assert_eq!(rejected.state, RequestState::Rejected);
    assert_eq!(rejected.comment.as_deref(), Some("与户籍信息不符"));
    let trail: Vec<String> =
        w.store.request_history(request.id).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(trail, ["change.requested", "change.signed", "change.rejected"]);
    assert_eq!(w.store.person(p.id).await.unwrap().name.as_str(), "张伟");

    let again = w.store.sign_off(&w.insurance_op, request.id).await.unwrap_err();
    assert_eq!(again.refusal().unwrap().rule, RuleId::RequestOpen);
}

#[tokio::test]
async fn a_number_held_by_another_record_is_refused_and_a_free_one_is_stored() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    let holder = w.enter("23010319900101145", "王强").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    let to =
        |first17: &str| FieldChanges { ssn: Some(common::ssn(first17)), ..FieldChanges::default() };

    let err = w
        .store
        .propose_change(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(to("23010319900101145")),
            "更正号码",
            None,
        )
        .await
        .unwrap_err();
    let refusal = err.refusal().unwrap();
    assert_eq!(refusal.rule, RuleId::OccupiedNumber);
    assert_eq!(refusal.details["occupied_by"], holder.id.0);

    let done = w
        .store
        .propose_change(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(to("23010319900101167")),
            "更正号码",
            None,
        )
        .await
        .unwrap();
    assert_eq!(done.state, RequestState::Effective);
    let moved = w.store.person_by_ssn(&common::ssn("23010319900101167")).await.unwrap().unwrap();
    assert_eq!(moved.id, p.id);
    assert!(w.store.person_by_ssn(&p.ssn).await.unwrap().is_none());
}

#[tokio::test]
async fn a_request_blocked_by_a_transaction_is_not_overdue() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    w.store.enrol(&w.pension_key, p.id).await.unwrap();
    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    w.store
        .propose_change(ActorRef::Operator(&w.employment_op), p.id, proposal(changes), "更正", None)
        .await
        .unwrap();
    let tomorrow = common::today().succ_opt().unwrap();
    assert_eq!(w.store.overdue(tomorrow, None).await.unwrap().len(), 1);

    let tx = w.store.start_transaction(&w.pension_key, p.id, "YL-1", "待遇核定").await.unwrap();
    assert!(w.store.overdue(tomorrow, None).await.unwrap().is_empty());

    w.store.finish_transaction(&w.pension_key, tx.id).await.unwrap();
    assert_eq!(w.store.overdue(tomorrow, None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn expired_sessions_end() {
    let w = world().await;
    let now = w.store.clock().now();
    let later = now + chrono::Duration::hours(8);
    w.store.create_session("t1", w.employment_op.id, later).await.unwrap();

    assert_eq!(w.store.session_operator("t1", now).await.unwrap(), Some(w.employment_op.clone()));
    assert_eq!(w.store.session_operator("t1", later).await.unwrap(), None);
    assert_eq!(w.store.delete_expired_sessions(later).await.unwrap(), 1);
    let head = w.store.journal_head().await.unwrap().unwrap();
    assert_eq!(head.0, w.store.verify_journal().await.unwrap().entries as i64);
}
