//! Cards (R2.14): an active card blocks a change of a printed field until an information
//! centre voids it; the fee is journaled.

mod common;

use common::{name, proposal, world};
use personbase_domain::{CardStatus, FieldChanges, RequestState, RuleId};
use personbase_store::ActorRef;

#[tokio::test]
async fn an_active_card_blocks_a_name_change_until_the_centre_voids_it() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    let card = w.store.issue_card(&w.centre_op, p.id, "HLJ0000001").await.unwrap();
    assert_eq!(card.printed_name, "张伟");
    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };
    let change = || {
        w.store.propose_change(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(changes.clone()),
            "更正姓名",
            None,
        )
    };

    let err = change().await.unwrap_err();
    assert_eq!(err.refusal().unwrap().rule, RuleId::CardVoidFirst);

    let refused = w.store.void_card(&w.employment_op, card.id, "卡面姓名有误").await.unwrap_err();
    assert_eq!(refused.code(), "information_centre_only");
    assert_eq!(refused.refusal().unwrap().rule, RuleId::CardsByCentre);
    let voided = w.store.void_card(&w.centre_op, card.id, "卡面姓名有误").await.unwrap();
    assert_eq!(voided.status, CardStatus::Voided);
    let entry = w.store.history(p.id).await.unwrap().pop().unwrap();
    assert_eq!(entry.action, "card.voided");
    assert_eq!(entry.after["details"]["fee_fen"], 2000);

    assert_eq!(change().await.unwrap().state, RequestState::Effective);
    let replacement = w.store.request_replacement_card(&w.centre_op, card.id).await.unwrap();
    assert_eq!(replacement.status, CardStatus::ReplacementRequested);
}

#[tokio::test]
async fn only_a_pension_key_attaches_the_merged_contribution_business() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    let kind = personbase_domain::SpecialKind::PensionMergedContribution;

    let err = w.store.add_special(&w.employment_key, p.id, kind, "BG-1").await.unwrap_err();
    assert_eq!(err.code(), "pension_line_only");

    w.store.add_special(&w.pension_key, p.id, kind, "BG-1").await.unwrap();
    assert_eq!(w.store.person_details(p.id).await.unwrap().specials.len(), 1);
    w.store.cancel_special(&w.pension_key, p.id, kind).await.unwrap();
    assert!(w.store.person_details(p.id).await.unwrap().specials.is_empty());
}

#[tokio::test]
async fn another_agencys_pension_key_cannot_cancel_the_merged_contribution_business() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    let kind = personbase_domain::SpecialKind::PensionMergedContribution;
    let other = w
        .store
        .create_agency(
            "齐齐哈尔市社会保险事业局",
            personbase_domain::AgencyKind::SocialInsurance,
            personbase_domain::Level::Prefecture,
            230200,
        )
        .await
        .unwrap();
    let other_key = w
        .store
        .create_api_key(
            "k-pen-qq",
            "齐齐哈尔养老保险系统",
            personbase_domain::BusinessLine::Pension,
            other.id,
        )
        .await
        .unwrap();
    w.store.add_special(&w.pension_key, p.id, kind, "BG-1").await.unwrap();

    let err = w.store.cancel_special(&other_key, p.id, kind).await.unwrap_err();
    assert_eq!(err.code(), "unauthorized");
    assert_eq!(w.store.person_details(p.id).await.unwrap().specials.len(), 1);
    assert!(!w.actions().await.contains(&"special.cancelled".to_owned()));

    w.store.cancel_special(&w.pension_key, p.id, kind).await.unwrap();
    assert!(w.store.person_details(p.id).await.unwrap().specials.is_empty());
}

#[tokio::test]
async fn a_card_number_already_issued_is_refused_not_a_database_error() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    let q = w.enter("23010319900101131", "李娜").await;
    w.store.issue_card(&w.centre_op, p.id, "HLJ0000001").await.unwrap();

    let err = w.store.issue_card(&w.centre_op, q.id, " HLJ0000001 ").await.unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err:?}");
    assert!(w.store.person_details(q.id).await.unwrap().cards.is_empty());
}
