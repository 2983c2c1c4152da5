//! Supporting documents (R4.3) stored with the request that opens them: in its transaction,
//! journaled without their bytes, refused before anything is written when over the limits.

mod common;

use common::{name, proposal, world};
use personbase_domain::FieldChanges;
use personbase_store::{ActorRef, MAX_DOCUMENT_BYTES, NewDocument, StoreError};
use sha2::{Digest, Sha256};

fn document(kind: &str, bytes: Vec<u8>) -> NewDocument {
    NewDocument {
        kind: kind.to_owned(),
        file_name: "scan.pdf".to_owned(),
        content_type: "application/pdf".to_owned(),
        bytes,
    }
}

#[tokio::test]
async fn documents_are_stored_with_the_request_and_journaled_without_their_bytes() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    let bytes = b"%PDF-1.4 household booklet".to_vec();
    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };

    let request = w
        .store
        .propose_change_with_documents(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(changes),
            "更正姓名",
            Some(1),
            vec![document("户口簿复印件", bytes.clone())],
        )
        .await
        .unwrap();

    let stored = w.store.request_documents(request.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].kind, "户口簿复印件");
    assert_eq!(stored[0].size, bytes.len() as i64);
    assert_eq!(stored[0].sha256, hex::encode(Sha256::digest(&bytes)));
    assert_eq!(stored[0].uploaded_by, Some(w.employment_op.id));
    let journal = w.store.journal(0, 1000).await.unwrap();
    let attached = journal.iter().find(|e| e.action == "document.attached").unwrap();
    assert_eq!(attached.request, Some(request.id));
    assert_eq!(attached.after["sha256"], stored[0].sha256);
    assert!(!attached.after.to_string().contains("PDF-1.4"), "the bytes stay out of the journal");
    assert!(w.store.verify_journal().await.unwrap().is_intact());
}

#[tokio::test]
async fn a_document_over_the_limit_is_refused_before_anything_is_written() {
    let w = world().await;
    let p = w.enter("23010319900101123", "张伟").await;
    w.store.enrol(&w.employment_key, p.id).await.unwrap();
    let before = w.actions().await;
    let changes = FieldChanges { name: Some(name("张卫")), ..FieldChanges::default() };

    let too_large = vec![0u8; MAX_DOCUMENT_BYTES + 1];
    let err = w
        .store
        .propose_change_with_documents(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(changes.clone()),
            "更正姓名",
            Some(1),
            vec![document("户口簿复印件", too_large)],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { ref field, .. } if field == "documents"),
        "{err:?}"
    );

    let err = w
        .store
        .propose_change_with_documents(
            ActorRef::Operator(&w.employment_op),
            p.id,
            proposal(changes),
            "更正姓名",
            Some(1),
            vec![document("户口簿复印件", Vec::new())],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");

    assert_eq!(w.actions().await, before);
    assert_eq!(w.store.person(p.id).await.unwrap().name.as_str(), "张伟");
}
