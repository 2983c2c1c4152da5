//! The findings of one row: its number (with the identity crate's exact error), name,
//! gender and birth date against the number, code fields, phone and addresses; and the
//! compact facts about the row that the checks across rows compare.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use personbase_domain::{Address, Phone};
use personbase_identity::{Ethnicity, Gender, HouseholdType, SocialSecurityNumber};

use crate::dates;
use crate::field::Field;
use crate::finding::{Finding, kind};
use crate::hash::hash_str;
use crate::names;
use crate::source::{Cell, Row, Table};

/// What the checks across rows need to know about one row, in 64 bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Index of the table (file or sheet) in reading order.
    pub table: u16,
    /// The row number in its table.
    pub row: u32,
    /// The 18-character number, encoded by [`encode_number`]; 0 when there is none.
    pub number: u64,
    /// The name as compared in characters; 0 when empty.
    pub name: u64,
    /// Birth date (from the field, else from the number) as days from the common era.
    pub birth: i32,
    /// Gender (from the field, else from the number): 0 unknown, 1 male, 2 female.
    pub gender: u8,
    /// The division code of the number; 0 when none.
    pub division: u32,
    /// Hashes of ethnicity, household type, household address, home address and phone.
    pub fields: [u32; 5],
}

/// The fields compared between two rows with one number, in [`Facts::fields`] order.
pub const COMPARED: [Field; 5] = [
    Field::Ethnicity,
    Field::HouseholdType,
    Field::HouseholdAddress,
    Field::HomeAddress,
    Field::Phone,
];

/// A float as a spreadsheet shows a plain number: no `.0` on whole numbers.
pub fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { format!("{f}") }
}

pub(crate) fn cell_text(cell: Cell<'_>) -> Option<Cow<'_, str>> {
    match cell {
        Cell::Empty => None,
        Cell::Text(s) => Some(Cow::Borrowed(s)),
        Cell::Float(f) => Some(Cow::Owned(float_text(f))),
        Cell::Date(d) => Some(Cow::Owned(d.format("%Y-%m-%d").to_string())),
    }
}

/// Encodes an 18-character number (17 digits and a digit or `X`) into a `u64`; any other
/// 18-character text is hashed with the top bit set. `None` for other lengths.
pub fn encode_number(text: &[u8]) -> Option<u64> {
    if text.len() != 18 {
        return None;
    }
    if text[..17].iter().all(u8::is_ascii_digit) && (text[17].is_ascii_digit() || text[17] == b'X')
    {
        let body = text[..17].iter().fold(0u64, |a, d| a * 10 + u64::from(d - b'0'));
        let check = if text[17] == b'X' { 10 } else { u64::from(text[17] - b'0') };
        return Some(body * 11 + check + 1);
    }
    Some(crate::hash::hash_bytes(text) | (1 << 63))
}

/// The 18 characters of an encoded number, when it was encoded from digits.
pub fn decode_number(n: u64) -> Option<[u8; 18]> {
    if n == 0 || n & (1 << 63) != 0 {
        return None;
    }
    let v = n - 1;
    let (mut body, check) = (v / 11, v % 11);
    let mut out = [b'0'; 18];
    out[17] = if check == 10 { b'X' } else { b'0' + check as u8 };
    for i in (0..17).rev() {
        out[i] = b'0' + (body % 10) as u8;
        body /= 10;
    }
    Some(out)
}

/// The input with white space removed, full-width digits folded and `x` upper-cased: enough
/// to compare an invalid number with others.
fn loose(text: &str) -> Vec<u8> {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '0'..='9' => c as u8,
            '０'..='９' => b'0' + (c as u32 - '０' as u32) as u8,
            'x' | 'X' | 'ｘ' | 'Ｘ' => b'X',
            c if c.is_ascii() => c.to_ascii_uppercase() as u8,
            _ => b'?',
        })
        .collect()
}

/// Checks one row as of `today`: pushes its findings and returns its facts.
pub fn check_row(
    table: &Table,
    table_index: u16,
    row: &Row<'_>,
    today: NaiveDate,
    findings: &mut Vec<Finding>,
) -> Facts {
    let mut facts = Facts {
        table: table_index,
        row: u32::try_from(row.number).unwrap_or(u32::MAX),
        ..Facts::default()
    };
    let first = findings.len();
    let mut push = |field: Field, value: &str, code: &'static str, message: String| {
        findings.push(Finding {
            table: table_index,
            file: table.file.clone(),
            sheet: table.sheet.clone(),
            row: row.number,
            column: if code == "row.encoding" {
                String::new()
            } else {
                table.map.header(field).to_string()
            },
            value: value.to_string(),
            code,
            message,
            action: kind(code).action_zh,
            related_row: None,
            related_table: None,
            division: None,
        });
    };

    if row.bad_encoding {
        // A row that cannot be read as text is not checked further: its values are unknown.
        push(Field::Number, "", "row.encoding", "该行有字段不是文件编码下的有效文字".to_string());
        return facts;
    }

    // The number, as the identity crate reads it.
    let number_text = match row.cell(Field::Number) {
        Cell::Float(f) if f.fract() != 0.0 || f.abs() >= 1e15 => Cow::Owned(format!("{f:.14E}")),
        c => cell_text(c).unwrap_or(Cow::Borrowed("")),
    };
    let ssn = match SocialSecurityNumber::parse(&number_text) {
        Ok(ssn) => {
            let loose = loose(&number_text);
            if loose.len() == 15 {
                push(
                    Field::Number,
                    &number_text,
                    "number.upgrade_15",
                    format!("15 位旧号码，升级后为 {ssn}"),
                );
            }
            facts.number = encode_number(ssn.as_str().as_bytes()).unwrap_or(0);
            facts.division = ssn.division_code().unwrap_or(0);
            if ssn.birth_date().is_some_and(|b| b > today) {
                push(
                    Field::Number,
                    &number_text,
                    "id.future",
                    "身份号码中的出生日期晚于今天".to_string(),
                );
                None
            } else {
                Some(ssn)
            }
        }
        Err(e) => {
            push(Field::Number, &number_text, e.code(), e.message_zh());
            let loose = loose(&number_text);
            facts.number = encode_number(&loose).unwrap_or(0);
            if let Some(d) = decode_number(facts.number) {
                facts.division = d[..6].iter().fold(0, |a, b| a * 10 + u32::from(b - b'0'));
            }
            None
        }
    };
    let number_birth = ssn.as_ref().and_then(SocialSecurityNumber::birth_date);
    let number_gender = ssn.as_ref().and_then(SocialSecurityNumber::gender);

    // Name.
    let name = cell_text(row.cell(Field::Name));
    if table.map.columns[Field::Name.index()].is_some() {
        let text = name.as_deref().unwrap_or("");
        if let Some((code, message)) = names::check(text) {
            push(Field::Name, text, code, message);
        }
        if !text.trim().is_empty() {
            facts.name = names::char_key(text);
        }
    }

    // Gender against the number.
    facts.gender = gender_code(number_gender);
    if let Some(text) = cell_text(row.cell(Field::Gender)).filter(|t| !t.trim().is_empty()) {
        match Gender::parse(&text) {
            None => push(Field::Gender, &text, "gender.unknown", format!("性别“{text}”无法识别")),
            Some(g) => {
                if let Some(n) = number_gender
                    && matches!(g, Gender::Male | Gender::Female)
                    && g != n
                {
                    push(
                        Field::Gender,
                        &text,
                        "gender.mismatch",
                        format!("性别为“{}”，身份号码表明为“{}”", g.name_zh(), n.name_zh()),
                    );
                }
                if matches!(g, Gender::Male | Gender::Female) {
                    facts.gender = gender_code(Some(g));
                }
            }
        }
    }

    // Birth date against the number.
    let mut birth = number_birth;
    let birth_cell = row.cell(Field::BirthDate);
    if let Some(text) = cell_text(birth_cell).filter(|t| !t.trim().is_empty()) {
        let parsed = match birth_cell {
            Cell::Date(d) => Some(d),
            Cell::Float(f) => dates::from_excel_serial(f),
            _ => dates::parse(&text),
        };
        match parsed {
            None => {
                push(Field::BirthDate, &text, "birth.invalid", format!("出生日期“{text}”无法识别"))
            }
            Some(d) => {
                if let Some(n) = number_birth
                    && d != n
                {
                    push(
                        Field::BirthDate,
                        &text,
                        "birth.mismatch",
                        format!("出生日期为 {d}，身份号码表明为 {n}"),
                    );
                }
                birth = Some(d);
            }
        }
    }
    facts.birth = birth.map_or(0, |d| d.num_days_from_ce());

    // Code fields, phone and addresses.
    let mut hashes = [0u32; 5];
    for (i, field) in COMPARED.iter().enumerate() {
        let Some(text) = cell_text(row.cell(*field)).filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        let t = text.trim();
        let normal: Cow<'_, str> = match field {
            Field::Ethnicity => match Ethnicity::parse(t) {
                Some(e) => Cow::Borrowed(e.code()),
                None => {
                    push(*field, t, "ethnicity.unknown", format!("民族“{t}”不在 GB 3304 代码表中"));
                    Cow::Borrowed(t)
                }
            },
            Field::HouseholdType => match HouseholdType::parse(t) {
                Some(h) => Cow::Borrowed(h.code()),
                None => {
                    push(*field, t, "household_type.unknown", format!("户口性质“{t}”无法识别"));
                    Cow::Borrowed(t)
                }
            },
            Field::Phone => match Phone::parse(t) {
                Ok(p) => Cow::Owned(p.as_str().to_string()),
                Err(e) => {
                    push(*field, t, "phone.invalid", e.message_zh().to_string());
                    Cow::Borrowed(t)
                }
            },
            _ => {
                if let Err(e) = Address::parse(t) {
                    push(*field, t, "address.invalid", e.message_zh().to_string());
                }
                Cow::Borrowed(t)
            }
        };
        hashes[i] = (hash_str(&normal) as u32).max(1);
    }
    facts.fields = hashes;

    let division = (facts.division != 0).then_some(facts.division);
    for f in &mut findings[first..] {
        f.division = division;
    }
    facts
}

fn gender_code(g: Option<Gender>) -> u8 {
    match g {
        Some(Gender::Male) => 1,
        Some(Gender::Female) => 2,
        _ => 0,
    }
}

/// The birth date of [`Facts::birth`].
pub fn birth_date(days: i32) -> Option<NaiveDate> {
    (days != 0).then(|| NaiveDate::from_num_days_from_ce_opt(days)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_encode_and_decode() {
        for s in ["23010219850307123X", "230102198503071230", "000000000000000000"] {
            let n = encode_number(s.as_bytes()).unwrap();
            assert_eq!(decode_number(n).unwrap(), s.as_bytes(), "{s}");
        }
        assert!(decode_number(encode_number(b"AAA102198503071230").unwrap()).is_none());
        assert_eq!(encode_number(b"123"), None);
        assert_eq!(float_text(13912345678.0), "13912345678");
    }
}
