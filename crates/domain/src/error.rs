//! Errors of the domain crate: a value that does not parse, a policy file that is wrong.
//! Refusals of the rules are not errors; they are [`crate::rules::Refusal`] values.

/// What went wrong while building a domain value or loading the policy.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DomainError {
    /// A field's value is not acceptable; `field` is the API's field name.
    #[error("invalid {field}: {reason}")]
    InvalidValue {
        /// The field, as named in the API (`name`, `phone`, ...).
        field: &'static str,
        /// Why, in English, lower-case.
        reason: String,
        /// The same in Chinese, for the user.
        message_zh: String,
    },
    /// The policy file could not be read as the schema requires.
    #[error("policy file is invalid: {0}")]
    Policy(String),
}

impl DomainError {
    /// The stable machine code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::InvalidValue { .. } => "invalid_value",
            DomainError::Policy(_) => "invalid_policy",
        }
    }

    /// A message for the user, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            DomainError::InvalidValue { message_zh, .. } => message_zh.clone(),
            DomainError::Policy(detail) => format!("配置文件有误：{detail}"),
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: &str, message_zh: &str) -> Self {
        DomainError::InvalidValue {
            field,
            reason: reason.to_owned(),
            message_zh: message_zh.to_owned(),
        }
    }
}
