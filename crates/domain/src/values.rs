//! Small checked values of a person record: names, addresses and phone numbers. Each is built
//! by `parse`, so a value that exists is valid.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// A person's name as registered: 1–50 characters of Chinese or Latin script, with the
/// middle dot (`·`) of transliterated names allowed; no digits, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    /// Longest name accepted, in characters.
    pub const MAX_CHARS: usize = 50;

    /// Checks and normalises a name: surrounding white space is removed, inner runs of white
    /// space (in Latin names) become one space, and the ASCII dot becomes the middle dot.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let name: String =
            collapsed.chars().map(|c| if c == '.' || c == '•' { '·' } else { c }).collect();
        let count = name.chars().count();
        if count == 0 {
            return Err(DomainError::invalid("name", "name is empty", "姓名不能为空"));
        }
        if count > Self::MAX_CHARS {
            return Err(DomainError::invalid(
                "name",
                "name is longer than 50 characters",
                "姓名超过50个字符",
            ));
        }
        if let Some(bad) = name.chars().find(|c| !is_name_char(*c)) {
            return Err(DomainError::InvalidValue {
                field: "name",
                reason: format!("name contains the character {bad:?}"),
                message_zh: format!("姓名中含有不允许的字符“{bad}”"),
            });
        }
        Ok(PersonName(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name with every character but the first replaced by `*` (`张*`, `欧阳**`).
    pub fn masked(&self) -> String {
        let mut chars = self.0.chars();
        let first = chars.next().map(String::from).unwrap_or_default();
        first + &"*".repeat(chars.count())
    }
}

fn is_name_char(c: char) -> bool {
    c == '·'
        || c == ' '
        || c.is_ascii_alphabetic()
        || ('\u{3400}'..='\u{9FFF}').contains(&c)
        || ('\u{20000}'..='\u{3134F}').contains(&c)
        || ('\u{00C0}'..='\u{024F}').contains(&c)
}

impl TryFrom<String> for PersonName {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PersonName::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

impl std::fmt::Display for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An address (household registration address or home address): 2–200 characters, no
/// control characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Address(String);

impl Address {
    /// Checks an address; white space at either end is removed.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let text = input.trim();
        let count = text.chars().count();
        if count < 2 {
            return Err(DomainError::invalid("address", "address is too short", "地址过短"));
        }
        if count > 200 {
            return Err(DomainError::invalid(
                "address",
                "address is longer than 200 characters",
                "地址超过200个字符",
            ));
        }
        if text.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                "address",
                "address contains a control character",
                "地址中含有控制字符",
            ));
        }
        Ok(Address(text.to_owned()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first six characters, then `***`: enough to recognise the place, not the door.
    pub fn masked(&self) -> String {
        let head: String = self.0.chars().take(6).collect();
        format!("{head}***")
    }
}

impl TryFrom<String> for Address {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Address::parse(&value)
    }
}

impl From<Address> for String {
    fn from(value: Address) -> Self {
        value.0
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number: a mainland mobile number (11 digits starting with 1) or a fixed line with
/// its area code (`0451-86123456`). Spaces and dashes are tolerated on input; mobile numbers
/// are stored as 11 digits, fixed lines as `area-number`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Checks and normalises a phone number.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '－')).collect();
        let bad = || {
            DomainError::invalid(
                "phone",
                "phone is neither an 11-digit mobile number nor an area code and number",
                "联系电话应为11位手机号码，或区号加固定电话号码",
            )
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if digits.len() == 11 && digits.starts_with('1') {
            return Ok(Phone(digits));
        }
        if digits.starts_with('0') && (10..=12).contains(&digits.len()) {
            // Area codes are 3 digits for the big cities (010, 02x) and 4 elsewhere.
            let area_len = if digits.starts_with("01") || digits.starts_with("02") { 3 } else { 4 };
            let (area, number) = digits.split_at(area_len);
            if (7..=8).contains(&number.len()) {
                return Ok(Phone(format!("{area}-{number}")));
            }
        }
        Err(bad())
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but the first three and last four digits hidden.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let n = chars.len();
        chars
            .iter()
            .enumerate()
            .map(|(i, c)| if i < 3 || i + 4 >= n || *c == '-' { *c } else { '*' })
            .collect()
    }
}

impl TryFrom<String> for Phone {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_normalised() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("张三", Ok("张三")),
            ("  欧阳 修 ", Ok("欧阳 修")),
            ("买买提.艾力", Ok("买买提·艾力")),
            ("", Err("姓名不能为空")),
            ("张3", Err("姓名中含有不允许的字符“3”")),
            ("<b>李</b>", Err("姓名中含有不允许的字符“<”")),
        ];
        for (input, expected) in cases {
            let got = PersonName::parse(input).map(|n| n.as_str().to_owned());
            match (got, expected) {
                (Ok(name), Ok(want)) => assert_eq!(name, *want, "{input}"),
                (Err(e), Err(want)) => assert_eq!(e.message_zh(), *want, "{input}"),
                (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn masks_hide_all_but_the_edges() {
        assert_eq!(PersonName::parse("欧阳修").unwrap().masked(), "欧**");
        assert_eq!(Phone::parse("138 1234 5678").unwrap().masked(), "138****5678");
        assert_eq!(Phone::parse("0451-86123456").unwrap().as_str(), "0451-86123456");
        assert_eq!(
            Address::parse("黑龙江省哈尔滨市南岗区学府路1号").unwrap().masked(),
            "黑龙江省哈尔***"
        );
    }

    #[test]
    fn phones_reject_what_no_one_can_dial() {
        for bad in ["", "12345", "2381234567x", "138123456789"] {
            assert_eq!(Phone::parse(bad).unwrap_err().code(), "invalid_value", "{bad}");
        }
    }
}
