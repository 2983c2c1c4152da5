//! The store's error type: one enum with a stable machine code and a Chinese message per
//! variant. A database error stays a database error; it is never reported as "not found".

use personbase_domain::Refusal;

/// What went wrong in a store operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database failed (connection, constraint, I/O). Code `database`.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration could not be applied at start-up. Code `migration`.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored row no longer parses into a domain value: the table, the row's key and the
    /// field say which. Code `corrupt_row`.
    #[error("corrupt row in {table} ({row}), field {field}: {detail}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row's key, e.g. `id=42`.
        row: String,
        /// The column that does not parse.
        field: &'static str,
        /// Why, in English.
        detail: String,
    },
    /// The thing asked for does not exist. Code `not_found`.
    #[error("{what} {id} not found")]
    NotFound {
        /// What kind of thing: `person`, `agency`, `request`, ...
        what: &'static str,
        /// Its id as given.
        id: String,
    },
    /// The record changed since the caller read it: the write named a stale version.
    /// Code `version_conflict`.
    #[error("version conflict: the record is at version {current_version}")]
    Conflict {
        /// The version the record is at now.
        current_version: i64,
    },
    /// The notice's rules refuse the action; the refusal names the rule. Code: the refusal's
    /// own code (e.g. `in_transit_business`).
    #[error("{0}")]
    Refused(Refusal),
    /// An input the store checks itself is not acceptable (an empty reason, a bad registry
    /// row). Code `invalid_input`.
    #[error("invalid {field}: {message_zh}")]
    Invalid {
        /// The field (for a CSV load: `row 7, name`).
        field: String,
        /// What is wrong, in Chinese.
        message_zh: String,
    },
    /// The caller may not do this (a person acting on someone else's record, a business
    /// system acting outside its line). Code `unauthorized`.
    #[error("unauthorized")]
    Unauthorized,
}

/// The result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Database(_) => "database",
            StoreError::Migration(_) => "migration",
            StoreError::Corrupt { .. } => "corrupt_row",
            StoreError::NotFound { .. } => "not_found",
            StoreError::Conflict { .. } => "version_conflict",
            StoreError::Refused(refusal) => refusal.code,
            StoreError::Invalid { .. } => "invalid_input",
            StoreError::Unauthorized => "unauthorized",
        }
    }

    /// A message for the user, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            StoreError::Database(_) | StoreError::Migration(_) => {
                "数据库暂时不可用，请稍后重试；如持续出现请联系系统管理员".to_owned()
            }
            StoreError::Corrupt { table, row, field, .. } => {
                format!("数据库中的记录已损坏（{table}，{row}，字段 {field}），请联系系统管理员")
            }
            StoreError::NotFound { what, id } => format!("未找到{}（{id}）", what_zh(what)),
            StoreError::Conflict { current_version } => {
                format!("该记录已被其他人修改（当前版本 {current_version}），请刷新后重新提交")
            }
            StoreError::Refused(refusal) => refusal.message.clone(),
            StoreError::Invalid { field, message_zh } => format!("{field}：{message_zh}"),
            StoreError::Unauthorized => "您无权进行此操作".to_owned(),
        }
    }

    /// The refusal, when the rules said no.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            StoreError::Refused(refusal) => Some(refusal),
            _ => None,
        }
    }

    pub(crate) fn not_found(what: &'static str, id: impl std::fmt::Display) -> Self {
        StoreError::NotFound { what, id: id.to_string() }
    }

    pub(crate) fn invalid(field: impl Into<String>, message_zh: impl Into<String>) -> Self {
        StoreError::Invalid { field: field.into(), message_zh: message_zh.into() }
    }
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "person" => "人员",
        "agency" => "机构",
        "operator" => "经办人员",
        "request" => "修改申请",
        "card" => "社会保障卡",
        "document" => "证明材料",
        "transaction" => "业务",
        "enrolment" => "参保业务",
        "special" => "特殊业务",
        _ => "记录",
    }
}
