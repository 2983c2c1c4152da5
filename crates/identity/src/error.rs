//! The one error type of this crate: a stable machine code, a Chinese message for the
//! person at the counter, an English line for logs, and the position that is wrong.
//!
//! An [`IdError`] is a small `Copy` value: building one never allocates, so rejecting
//! garbage costs as little as accepting a good number.

use std::fmt;

/// What is wrong with an input, one variant per stable machine code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdErrorKind {
    /// Nothing but white space was given (`id.empty`).
    Empty,
    /// No number of any kind has this many characters (`id.length`).
    Length,
    /// A character that cannot stand at this position (`id.char`).
    Char,
    /// The birth date is not a calendar date (`id.date`).
    Date,
    /// The check character does not match (`id.check`).
    Check,
    /// The birth date lies after today (`id.future`).
    Future,
    /// A spreadsheet turned the number into floating-point notation (`id.scientific`).
    Scientific,
    /// A well-formed number of a kind that cannot serve as a social security number
    /// (`id.not_ssn`).
    NotSsn,
    /// The sequence range of a generator is used up (`id.exhausted`).
    Exhausted,
    /// A generator was configured with a nationality or division it cannot use
    /// (`id.config`).
    Config,
}

impl IdErrorKind {
    /// The stable machine code, e.g. `"id.check"`.
    pub fn code(self) -> &'static str {
        match self {
            IdErrorKind::Empty => "id.empty",
            IdErrorKind::Length => "id.length",
            IdErrorKind::Char => "id.char",
            IdErrorKind::Date => "id.date",
            IdErrorKind::Check => "id.check",
            IdErrorKind::Future => "id.future",
            IdErrorKind::Scientific => "id.scientific",
            IdErrorKind::NotSsn => "id.not_ssn",
            IdErrorKind::Exhausted => "id.exhausted",
            IdErrorKind::Config => "id.config",
        }
    }
}

/// Why an input is not a valid number.
///
/// `position` is the 1-based character position in the normalised input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdError {
    kind: IdErrorKind,
    position: Option<u16>,
    /// The character found at `position`, or the length found for `Length`.
    found: Option<char>,
    /// The check character that was expected.
    expected: Option<char>,
    /// The number of characters found, for `Length`.
    length: u32,
    /// The kind of number for `NotSsn`.
    number_kind: Option<crate::NumberKind>,
}

impl IdError {
    pub(crate) const fn new(kind: IdErrorKind) -> Self {
        IdError { kind, position: None, found: None, expected: None, length: 0, number_kind: None }
    }

    pub(crate) const fn length(length: usize) -> Self {
        let mut e = IdError::new(IdErrorKind::Length);
        e.length = if length > u32::MAX as usize { u32::MAX } else { length as u32 };
        e
    }

    pub(crate) fn char_at(position: usize, found: char) -> Self {
        let mut e = IdError::new(IdErrorKind::Char);
        e.position = u16::try_from(position).ok();
        e.found = Some(found);
        e
    }

    pub(crate) fn date_at(position: usize) -> Self {
        let mut e = IdError::new(IdErrorKind::Date);
        e.position = u16::try_from(position).ok();
        e
    }

    pub(crate) fn check(position: usize, expected: char, found: char) -> Self {
        let mut e = IdError::new(IdErrorKind::Check);
        e.position = u16::try_from(position).ok();
        e.expected = Some(expected);
        e.found = Some(found);
        e
    }

    pub(crate) fn not_ssn(kind: crate::NumberKind) -> Self {
        let mut e = IdError::new(IdErrorKind::NotSsn);
        e.number_kind = Some(kind);
        e
    }

    /// What is wrong, as an enum.
    pub fn kind(&self) -> IdErrorKind {
        self.kind
    }

    /// The stable machine code, e.g. `"id.length"`, `"id.check"`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The 1-based character position in the normalised input that is wrong, if one is.
    pub fn position(&self) -> Option<usize> {
        self.position.map(usize::from)
    }

    /// The check character the number should end with, for `id.check`.
    pub fn expected_check(&self) -> Option<char> {
        if self.kind == IdErrorKind::Check { self.expected } else { None }
    }

    /// The message for a case worker or a citizen, in Chinese.
    pub fn message_zh(&self) -> String {
        let pos = self.position.unwrap_or(0);
        let found = self.found.unwrap_or('?');
        match self.kind {
            IdErrorKind::Empty => "号码为空".to_string(),
            IdErrorKind::Length => {
                format!("号码长度不正确：有 {} 位，身份号码应为 18 位（旧号码 15 位）", self.length)
            }
            IdErrorKind::Char => format!("第 {pos} 位字符“{found}”不合法"),
            IdErrorKind::Date => format!("出生日期不是有效日期（第 {pos} 位）"),
            IdErrorKind::Check => format!(
                "校验码错误：第 {pos} 位应为“{}”，实际为“{found}”",
                self.expected.unwrap_or('?')
            ),
            IdErrorKind::Future => "出生日期晚于今天".to_string(),
            IdErrorKind::Scientific => {
                "号码被电子表格转成了科学计数法，原号码已丢失，请按文本格式重新导出".to_string()
            }
            IdErrorKind::NotSsn => format!(
                "{}不能作为社会保障号码",
                self.number_kind.map_or("该证件号码", crate::NumberKind::name_zh)
            ),
            IdErrorKind::Exhausted => "该机构的顺序号已用完".to_string(),
            IdErrorKind::Config => "号码生成配置不正确".to_string(),
        }
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pos = self.position.unwrap_or(0);
        match self.kind {
            IdErrorKind::Empty => write!(f, "empty number"),
            IdErrorKind::Length => write!(f, "wrong length: {} characters", self.length),
            IdErrorKind::Char => write!(f, "invalid character at position {pos}"),
            IdErrorKind::Date => write!(f, "impossible birth date at position {pos}"),
            IdErrorKind::Check => write!(
                f,
                "check character expected {} found {}",
                self.expected.unwrap_or('?'),
                self.found.unwrap_or('?')
            ),
            IdErrorKind::Future => write!(f, "birth date in the future"),
            IdErrorKind::Scientific => write!(f, "number in scientific notation, digits lost"),
            IdErrorKind::NotSsn => write!(
                f,
                "{} cannot be a social security number",
                self.number_kind.map_or("this kind", crate::NumberKind::code)
            ),
            IdErrorKind::Exhausted => write!(f, "sequence range exhausted"),
            IdErrorKind::Config => write!(f, "invalid generator configuration"),
        }
    }
}

impl std::error::Error for IdError {}
