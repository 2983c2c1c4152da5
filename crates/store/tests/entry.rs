//! Entering persons: journaled, refused when the rules say so, registry values prevail.

mod common;

use common::{new_person, world};
use personbase_domain::RuleId;
use personbase_domain::rules::InputSource;
use personbase_store::PersonQuery;

#[tokio::test]
async fn an_entry_is_stored_with_values_from_the_number_and_journaled() {
    let w = world().await;

    let p = w.enter("23010319900101123", "张伟").await;

    assert_eq!(p.version, 1);
    assert_eq!(p.birth_date.to_string(), "1990-01-01");
    assert_eq!(p.gender.code(), "1");
    assert_eq!(p.entered_by, w.employment.id);
    assert_eq!(w.store.person(p.id).await.unwrap(), p);
    assert_eq!(w.store.person_by_ssn(&p.ssn).await.unwrap(), Some(p.clone()));
    let history = w.store.history(p.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "person.created");
    assert_eq!(history[0].operator, Some(w.employment_op.id));
    assert_eq!(history[0].after["person"]["name"], "张伟");
    assert_eq!(history[0].reason, "新参保登记");
}

#[tokio::test]
async fn manual_entry_of_an_adult_is_refused_and_journaled() {
    let w = world().await;
    let entry = new_person("23010319900101123", "张伟");

    let err = w
        .store
        .enter_person(&w.employment_op, entry.clone(), InputSource::Manual, "登记")
        .await
        .unwrap_err();

    assert_eq!(err.refusal().unwrap().rule, RuleId::CardReaderEntry);
    assert_eq!(w.store.person_by_ssn(&entry.ssn).await.unwrap(), None);
    let last = w.store.journal(0, 100).await.unwrap().pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.reason.as_str()),
        ("person.refused", "card-reader-entry")
    );
}

#[tokio::test]
async fn manual_entry_of_a_fifteen_year_old_is_allowed() {
    let w = world().await;
    let entry = new_person("23010320110601002", "李小雨");

    let p =
        w.store.enter_person(&w.employment_op, entry, InputSource::Manual, "登记").await.unwrap();

    assert_eq!(p.age_on(common::today()), 15);
}

#[tokio::test]
async fn a_number_already_held_is_refused() {
    let w = world().await;
    w.enter("23010319900101123", "张伟").await;

    let err = w
        .store
        .enter_person(
            &w.employment_op,
            new_person("23010319900101123", "王伟"),
            InputSource::CardReader,
            "登记",
        )
        .await
        .unwrap_err();

    assert_eq!(err.refusal().unwrap().rule, RuleId::OccupiedNumber);
}

#[tokio::test]
async fn the_registry_value_overrides_the_card_reader_and_the_difference_is_journaled() {
    let w = world().await;
    let number = common::ssn("23010319900101123");
    let csv = format!(
        "ssn,name,gender,birth_date,ethnicity,household_address\n\
         {number},张卫,1,1990-01-01,01,黑龙江省哈尔滨市南岗区学府路1号\n"
    );
    w.store.load_registry_csv(csv.as_bytes()).await.unwrap();

    let p = w.enter("23010319900101123", "张伟").await;

    assert_eq!(p.name.as_str(), "张卫");
    let history = w.store.history(p.id).await.unwrap();
    let differs = history.iter().find(|e| e.action == "person.registry_differs").unwrap();
    assert_eq!(differs.before["name"], "张伟");
    assert_eq!(differs.after["name"], "张卫");
}

#[tokio::test]
async fn viewing_unmasked_data_needs_a_reason_and_is_journaled() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;

    let err = w.store.view_unmasked(&w.centre_op, p.id, "  ").await.unwrap_err();
    assert_eq!(err.code(), "invalid_input");

    w.store.view_unmasked(&w.centre_op, p.id, "核查参保信息").await.unwrap();
    let last = w.store.history(p.id).await.unwrap().pop().unwrap();
    assert_eq!((last.action.as_str(), last.reason.as_str()), ("person.viewed", "核查参保信息"));
    assert_eq!(last.agency, Some(w.centre.id));
}

#[tokio::test]
async fn the_full_record_is_refused_to_an_agency_without_the_persons_business() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    let journal_before = w.actions().await.len();

    let err = w.store.view_unmasked(&w.insurance_op, p.id, "核查参保信息").await.unwrap_err();
    let refusal = err.refusal().unwrap();
    assert_eq!((refusal.rule, refusal.code), (RuleId::NeedToKnow, "outside_need_to_know"));
    assert_eq!(w.actions().await.len(), journal_before, "a refused view writes nothing");

    w.store.enrol(&w.pension_key, p.id).await.unwrap();
    let seen = w.store.view_unmasked(&w.insurance_op, p.id, "核查参保信息").await.unwrap();
    assert_eq!(seen.name.as_str(), "张伟");
}

#[tokio::test]
async fn persons_are_found_by_number_or_by_name_and_birth_date() {
    let w = world().await;
    let a = w.enter("23010319900101123", "张伟").await;
    let b = w.enter("23010319850505113", "张伟").await;
    let search = |q: PersonQuery| {
        let store = w.store.clone();
        async move {
            store.search_persons(&q).await.unwrap().into_iter().map(|p| p.id).collect::<Vec<_>>()
        }
    };

    let by_number = PersonQuery { ssn: Some(b.ssn.clone()), ..PersonQuery::default() };
    assert_eq!(search(by_number).await, [b.id]);
    let by_name = PersonQuery { name: Some(common::name("张伟")), ..PersonQuery::default() };
    assert_eq!(search(by_name.clone()).await, [a.id, b.id]);
    let by_birth = PersonQuery { birth_date: Some(a.birth_date), ..by_name.clone() };
    assert_eq!(search(by_birth).await, [a.id]);
    assert_eq!(search(PersonQuery { limit: 1, ..by_name }).await, [a.id]);
    let empty = w.store.search_persons(&PersonQuery::default()).await.unwrap_err();
    assert_eq!(empty.code(), "invalid_input");
}
