//! Gender as GB/T 2261.1 codes it.

use serde::{Deserialize, Serialize};

/// Gender, GB/T 2261.1-2003: `0` unknown, `1` male, `2` female, `9` not stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// 未知的性别 (code `0`).
    Unknown,
    /// 男 (code `1`).
    Male,
    /// 女 (code `2`).
    Female,
    /// 未说明的性别 (code `9`).
    Unstated,
}

impl Gender {
    /// Every gender, in code order.
    pub fn all() -> &'static [Gender] {
        &[Gender::Unknown, Gender::Male, Gender::Female, Gender::Unstated]
    }

    /// The GB/T 2261.1 code: `"0"`, `"1"`, `"2"` or `"9"`.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Unknown => "0",
            Gender::Male => "1",
            Gender::Female => "2",
            Gender::Unstated => "9",
        }
    }

    /// The Chinese name: 未知的性别, 男, 女, 未说明的性别.
    pub fn name_zh(self) -> &'static str {
        match self {
            Gender::Unknown => "未知的性别",
            Gender::Male => "男",
            Gender::Female => "女",
            Gender::Unstated => "未说明的性别",
        }
    }

    /// Reads a code (`"1"`), a Chinese name (`"男"`, `"男性"`) or an English word
    /// (`"male"`, `"M"`), ignoring surrounding white space and ASCII case.
    pub fn parse(s: &str) -> Option<Gender> {
        let s = s.trim();
        let found = match s {
            "0" | "未知" | "未知的性别" => Gender::Unknown,
            "1" | "男" | "男性" => Gender::Male,
            "2" | "女" | "女性" => Gender::Female,
            "9" | "未说明" | "未说明的性别" => Gender::Unstated,
            _ => {
                let lower = s.to_ascii_lowercase();
                match lower.as_str() {
                    "unknown" => Gender::Unknown,
                    "male" | "m" => Gender::Male,
                    "female" | "f" => Gender::Female,
                    "unstated" | "not stated" => Gender::Unstated,
                    _ => return None,
                }
            }
        };
        Some(found)
    }
}
