//! Errors as the API shows them: `{code, message, rule, details}` with one HTTP status per
//! kind of failure.
//!
//! | what failed | status | code |
//! |---|---|---|
//! | no or expired session, unknown API key or self-service token | 401 | `unauthenticated` |
//! | a rule refuses because of *who* acts (R1.3 scope, role, R2.13 arrears office, R2.17, own-agency sign-off, R2.10 self-service fields, card void by a non-centre) | 403 | the refusal's code |
//! | any other rule refuses (the record, its business or the request forbid it now) | 409 | the refusal's code |
//! | the request names a stale version of the record | 409 | `version_conflict` (details carry the current version and the masked record) |
//! | a business system or a person acts outside its line, agency or own record | 403 | `forbidden` |
//! | a value does not parse | 422 | `invalid_value` (details name the field) |
//! | the thing named does not exist | 404 | `not_found` |
//! | database or programming error | 500 | `internal_error` (the cause is logged, never shown) |

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use personbase_domain::{Refusal, RuleId};
use personbase_store::StoreError;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `in_transit_business`.
    pub code: String,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
    /// The rule that refused (`in-transit-blocks`), when a rule did.
    pub rule: Option<String>,
    /// The facts behind it: the transaction, both values, the field, the current record.
    #[schema(value_type = Object)]
    pub details: Value,
}

/// An error on its way to becoming a response.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body.
    pub body: ErrorBody,
}

impl ApiError {
    /// An error with no rule and no details.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code: code.to_owned(),
                message: message.into(),
                rule: None,
                details: Value::Null,
            },
        }
    }

    /// Attaches details.
    pub fn with_details(mut self, details: Value) -> Self {
        self.body.details = details;
        self
    }

    /// 401: no valid credentials.
    pub fn unauthenticated() -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "未登录或登录已过期，请重新登录")
    }

    /// 409 for a write against a stale version; the handler adds the current record.
    pub fn stale(current_version: i64) -> Self {
        ApiError::new(
            StatusCode::CONFLICT,
            "version_conflict",
            format!("该记录已被其他人修改（当前版本 {current_version}），请以最新版本为准重新提交"),
        )
        .with_details(json!({ "current_version": current_version }))
    }

    /// 422 naming the field whose value is wrong.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", message)
            .with_details(json!({ "field": field }))
    }

    /// 404 for a thing that does not exist.
    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("未找到{}（{id}）", what_zh(what)),
        )
        .with_details(json!({ "what": what, "id": id.to_string() }))
    }

    /// 404 for a path that is not a route, or whose id is not a number.
    pub fn no_route() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "未找到此地址，请核对路径（编号应为数字）",
        )
    }

    /// 500; the cause is logged here, once, and not shown.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "系统内部错误，请稍后重试或联系信息中心",
        )
    }

    /// A refusal by a rule: 403 when the rule is about who acts, 409 otherwise.
    pub fn refused(refusal: Refusal) -> Self {
        let status = refusal_status(refusal.rule);
        let mut details = refusal.details;
        if let Some(section) = refusal.rule.notice() {
            match &mut details {
                Value::Object(map) => {
                    map.insert("notice".to_owned(), json!(section));
                }
                Value::Null => details = json!({ "notice": section }),
                _ => {}
            }
        }
        ApiError {
            status,
            body: ErrorBody {
                code: refusal.code.to_owned(),
                message: refusal.message,
                rule: Some(refusal.rule.code().to_owned()),
                details,
            },
        }
    }
}

/// The status of a refusal by `rule`: 403 for the rules about who may act, 409 for the rest.
pub fn refusal_status(rule: RuleId) -> StatusCode {
    match rule {
        RuleId::AgencyScope
        | RuleId::NeedToKnow
        | RuleId::CardsByCentre
        | RuleId::HandlerRole
        | RuleId::ArrearsOfficeOnly
        | RuleId::OutOfProvince
        | RuleId::SignOwnAgency
        | RuleId::SelfServiceContactOnly => StatusCode::FORBIDDEN,
        _ => StatusCode::CONFLICT,
    }
}

fn what_zh(what: &str) -> &str {
    match what {
        "person" => "人员",
        "agency" => "机构",
        "operator" => "经办人员",
        "request" => "修改申请",
        "card" => "社会保障卡",
        "document" => "证明材料",
        "transaction" => "业务",
        "enrolment" => "参保关系",
        "special" => "特殊业务",
        "registry" => "户籍库记录",
        _ => what,
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Refused(refusal) => ApiError::refused(refusal),
            StoreError::NotFound { what, id } => ApiError::not_found(what, id),
            StoreError::Conflict { current_version } => ApiError::stale(current_version),
            StoreError::Invalid { field, message_zh } => ApiError::invalid(&field, message_zh),
            StoreError::Unauthorized => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "您无权进行此操作：只能办理本人、本业务线或本机构的事项",
            ),
            other => ApiError::internal(&other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_client_error() {
            tracing::debug!(status = self.status.as_u16(), code = %self.body.code, "request refused");
        }
        (self.status, Json(self.body)).into_response()
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
