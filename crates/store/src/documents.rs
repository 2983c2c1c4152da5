//! Supporting documents (证明材料, R4.3) uploaded with a change request: stored with the
//! request in the transaction that opens it, each journaled as `document.attached` with its
//! name, type, size and SHA-256 (never its bytes).

use chrono::{DateTime, Utc};
use personbase_domain::rules::check_view;
use personbase_domain::{ChangeRequest, Operator, OperatorId, RequestId};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::Store;
use crate::db::{DbRow, Tx, begin_write, time_text};
use crate::error::{Result, StoreError};
use crate::journal::{self, Entry};
use crate::reference::acting;
use crate::request_rows::request_in;
use crate::rows::Fields;
use crate::situation;

const INFO_COLUMNS: &str = "id, request_id, kind, file_name, content_type, size, sha256, \
     uploaded_by, uploaded_at";

/// The largest document accepted: 5 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;
/// The most documents one request carries.
pub const MAX_DOCUMENTS: usize = 10;

/// A document to store with a new request.
#[derive(Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// Which required document this is, by the policy's name (e.g. `户口簿复印件`).
    pub kind: String,
    /// The file's name as uploaded.
    pub file_name: String,
    /// Its media type as uploaded (`application/pdf`, `image/jpeg`).
    pub content_type: String,
    /// The file.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for NewDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDocument")
            .field("kind", &self.kind)
            .field("content_type", &self.content_type)
            .field("size", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// A stored document, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentInfo {
    /// Its id.
    pub id: i64,
    /// The request it came with.
    pub request: RequestId,
    /// Which required document it is.
    pub kind: String,
    /// The file's name as uploaded.
    pub file_name: String,
    /// Its media type as uploaded.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// Who uploaded it (none for self-service).
    pub uploaded_by: Option<OperatorId>,
    /// When.
    pub uploaded_at: DateTime<Utc>,
}

/// Checks the documents before any transaction begins: named, not empty, within the limits.
pub(crate) fn check(documents: &[NewDocument]) -> Result<()> {
    if documents.len() > MAX_DOCUMENTS {
        return Err(StoreError::invalid(
            "documents",
            format!("一次最多上传{MAX_DOCUMENTS}份证明材料"),
        ));
    }
    for doc in documents {
        if doc.kind.trim().is_empty() {
            return Err(StoreError::invalid("documents", "证明材料须注明名称"));
        }
        if doc.bytes.is_empty() {
            return Err(StoreError::invalid(
                "documents",
                format!("证明材料“{}”的文件为空", doc.kind),
            ));
        }
        if doc.bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(StoreError::invalid(
                "documents",
                format!(
                    "证明材料“{}”超过{} MB，请压缩后重新上传",
                    doc.kind,
                    MAX_DOCUMENT_BYTES / 1024 / 1024
                ),
            ));
        }
    }
    Ok(())
}

/// Stores `documents` with `request` inside `tx`, journaling each.
pub(crate) async fn insert_all(
    tx: &mut Tx,
    request: &ChangeRequest,
    by: Option<(OperatorId, personbase_domain::AgencyId)>,
    at: DateTime<Utc>,
    documents: Vec<NewDocument>,
) -> Result<()> {
    for doc in documents {
        let sha256 = hex::encode(Sha256::digest(&doc.bytes));
        let size = i64::try_from(doc.bytes.len()).unwrap_or(i64::MAX);
        let row: (i64,) = sqlx::query_as(
            "INSERT INTO request_documents (request_id, kind, file_name, content_type, size, \
             sha256, content, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(request.id.0)
        .bind(&doc.kind)
        .bind(&doc.file_name)
        .bind(&doc.content_type)
        .bind(size)
        .bind(&sha256)
        .bind(&doc.bytes)
        .bind(by.map(|(o, _)| o.0))
        .bind(time_text(at))
        .fetch_one(&mut **tx)
        .await?;
        let entry = Entry {
            operator: by.map(|(o, _)| o),
            agency: by.map(|(_, a)| a),
            action: "document.attached",
            person: Some(request.person),
            request: Some(request.id),
            after: json!({
                "document": row.0, "kind": doc.kind, "file_name": doc.file_name,
                "content_type": doc.content_type, "size": size, "sha256": sha256,
            }),
            reason: request.reason.clone(),
            ..Entry::default()
        };
        journal::append(tx, at, entry).await?;
    }
    Ok(())
}

fn info(row: &DbRow) -> Result<DocumentInfo> {
    let f = Fields::by_id(row, "request_documents");
    Ok(DocumentInfo {
        id: f.int("id")?,
        request: RequestId(f.int("request_id")?),
        kind: f.text("kind")?,
        file_name: f.text("file_name")?,
        content_type: f.text("content_type")?,
        size: f.int("size")?,
        sha256: f.text("sha256")?,
        uploaded_by: f.opt_int("uploaded_by")?.map(OperatorId),
        uploaded_at: f.time("uploaded_at")?,
    })
}

impl Store {
    /// The documents stored with `request`, in upload order, without their bytes.
    pub async fn request_documents(&self, request: RequestId) -> Result<Vec<DocumentInfo>> {
        let sql = format!(
            "SELECT {INFO_COLUMNS} FROM request_documents WHERE request_id = $1 ORDER BY id"
        );
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(request.0).fetch_all(&self.pool).await?;
        rows.iter().map(info).collect()
    }

    /// A document's file for `by`: like the full record, only for an agency that needs to
    /// know the person (R4.2, `check_view`), and journaled as `document.viewed` in the same
    /// transaction. A document of another request is [`StoreError::NotFound`].
    pub async fn view_document(
        &self,
        by: &Operator,
        request: RequestId,
        document: i64,
    ) -> Result<(DocumentInfo, Vec<u8>)> {
        let mut tx = begin_write(&self.pool).await?;
        let (operator, agency) = acting(&mut tx, by).await?;
        let sql = format!(
            "SELECT {INFO_COLUMNS}, content FROM request_documents \
             WHERE id = $1 AND request_id = $2"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(document)
            .bind(request.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found("document", document))?;
        let found = info(&row)?;
        let bytes: Vec<u8> = Fields::by_id(&row, "request_documents").bytes("content")?;
        let person = request_in(&mut tx, request).await?.person;
        let loaded = situation::load(&mut tx, person, None).await?;
        check_view(&agency, &loaded.situation()).map_err(StoreError::Refused)?;

        let viewed = Entry {
            operator: Some(operator.id),
            agency: Some(agency.id),
            action: "document.viewed",
            person: Some(person),
            request: Some(request),
            after: json!({ "document": found.id, "kind": found.kind, "sha256": found.sha256 }),
            reason: format!("审核修改申请 {} 的证明材料", request.0),
            ..Entry::default()
        };
        journal::append(&mut tx, self.clock.now(), viewed).await?;
        tx.commit().await?;
        tracing::info!(request = request.0, document, operator = operator.id.0, "document viewed");
        Ok((found, bytes))
    }
}
