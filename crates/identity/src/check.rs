//! The full explanation of one input on a given day: what `personbase id check` prints.
//!
//! Errors reject the input; warnings explain and carry on (an unknown or historic
//! division code, a province code where a county belongs, a centenarian's sequence).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::division;
use crate::error::{IdError, IdErrorKind};
use crate::gender::Gender;
use crate::kind::NumberKind;
use crate::nationality::Nationality;
use crate::normalise::{Normalisation, with_normalised};
use crate::recognise::{Recognised, recognise};

/// One error or warning: a stable code, a Chinese message, and a position if one is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable machine code, e.g. `id.check` or `division.unknown`.
    pub code: &'static str,
    /// What a case worker reads, in Chinese.
    pub message: String,
    /// The 1-based character position in the normalised input, when one is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

impl From<IdError> for Finding {
    fn from(e: IdError) -> Self {
        Finding { code: e.code(), message: e.message_zh(), position: e.position() }
    }
}

impl Finding {
    fn warning(code: &'static str, message: String) -> Self {
        Finding { code, message, position: None }
    }
}

/// What one input is and says, with every error and warning. A report, not a value to
/// key on: use [`crate::SocialSecurityNumber`] for that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The input as given.
    pub input: String,
    /// Whether there is no error (warnings do not count).
    pub valid: bool,
    /// The kind of number, when recognised.
    pub kind: Option<NumberKind>,
    /// The normalised form; for a 15-digit number its 18-character upgrade.
    pub normalized: Option<String>,
    /// The birth date the number implies.
    pub birth_date: Option<NaiveDate>,
    /// The gender the number implies.
    pub gender: Option<Gender>,
    /// The 6-digit division code the number carries.
    pub region_code: Option<String>,
    /// The division's full name as of the birth year (or of today for numbers without one).
    pub region_name: Option<String>,
    /// The nationality a foreigner's number carries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<Nationality>,
    /// Why the input is not valid.
    pub errors: Vec<Finding>,
    /// What is odd but does not reject the number.
    pub warnings: Vec<Finding>,
    /// Codes of the normalisations applied, e.g. `full_width`, `upgraded_15`.
    pub normalizations: Vec<&'static str>,
}

impl Check {
    /// Whether the input is a valid number of an accepted kind.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Explains `input` as of `today`: normalisation, kind, structure, dates, check
/// character, division and nationality. Never panics.
pub fn check(input: &str, today: NaiveDate) -> Check {
    let mut c = Check {
        input: input.to_string(),
        valid: false,
        kind: None,
        normalized: None,
        birth_date: None,
        gender: None,
        region_code: None,
        region_name: None,
        nationality: None,
        errors: Vec::new(),
        warnings: Vec::new(),
        normalizations: Vec::new(),
    };

    let outcome = with_normalised(input, |text, applied| match recognise(text) {
        Ok(r) => Ok((r, applied)),
        Err(e) => Err((e, text.to_string(), applied)),
    });
    let (recognised, mut applied) = match outcome {
        Err(e) => {
            c.errors.push(e.into());
            return c;
        }
        Ok(Err((e, text, applied))) => {
            c.kind = kind_by_shape(&text);
            c.normalizations = applied.iter().map(Normalisation::code).collect();
            c.normalized = Some(text);
            c.errors.push(e.into());
            return c;
        }
        Ok(Ok(found)) => found,
    };
    if recognised.kind == NumberKind::Citizen15 {
        applied.insert(Normalisation::Upgraded15);
    }
    if !applied.is_empty() {
        c.normalizations = applied.iter().map(Normalisation::code).collect();
    }
    c.kind = Some(recognised.kind);
    c.normalized = Some(ascii(recognised.as_bytes()));

    explain(&mut c, &recognised, today);
    c.valid = c.errors.is_empty();
    c
}

/// The kind a refused input looks like, by its length and leading letters, so that the
/// report can say "a citizen number with a wrong check character".
fn kind_by_shape(text: &str) -> Option<NumberKind> {
    let b = text.as_bytes();
    let letters = b.len() >= 3 && b[..3].iter().all(u8::is_ascii_uppercase);
    match (b.len(), letters) {
        (18, true) => Some(NumberKind::ForeignSocialSecurity),
        (18, false) if b.iter().take(17).all(u8::is_ascii_digit) => {
            Some(crate::recognise::kind_of_18(b))
        }
        (15, true) => Some(NumberKind::ForeignPermanentResidence2017),
        (15, false) if b.iter().all(u8::is_ascii_digit) => Some(NumberKind::Citizen15),
        _ => None,
    }
}

/// An owned string of ASCII bytes (recognised numbers hold nothing else).
fn ascii(b: &[u8]) -> String {
    std::str::from_utf8(b).unwrap_or_default().to_string()
}

fn digits(b: &[u8]) -> u32 {
    b.iter().fold(0, |a, d| a * 10 + u32::from(d.wrapping_sub(b'0')))
}

fn date(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn explain(c: &mut Check, r: &Recognised, today: NaiveDate) {
    let t = &r.text;
    match r.kind {
        NumberKind::Citizen18
        | NumberKind::Citizen15
        | NumberKind::HongKongMacaoResidencePermit
        | NumberKind::TaiwanResidencePermit => {
            person(c, t, today);
            citizen_region(c, digits(&t[..6]), r.kind);
            if r.kind == NumberKind::Citizen15 && digits(&t[14..17]) >= 996 {
                c.warnings.push(Finding::warning(
                    "id.centenarian_sequence",
                    "顺序码 996–999 在 1989 年标准中留给百岁老人，出生年份可能是 18xx 年，请核对"
                        .to_string(),
                ));
            }
        }
        NumberKind::ForeignPermanentResidence2023 => {
            person(c, t, today);
            let province = digits(&t[1..3]) * 10_000;
            region(c, province, today.year());
            nationality(c, Nationality::from_numeric(digits(&t[3..6]) as u16), &t[3..6]);
        }
        NumberKind::ForeignSocialSecurity => {
            region(c, digits(&t[3..9]), today.year());
            nationality(c, Nationality::parse(&String::from_utf8_lossy(&t[..3])), &t[..3]);
        }
        NumberKind::ForeignPermanentResidence2017 => {
            let (yy, m, d) = (digits(&t[7..9]), digits(&t[9..11]), digits(&t[11..13]));
            c.birth_date = date(2000 + yy, m, d).filter(|b| *b <= today).or(date(1900 + yy, m, d));
            region(c, digits(&t[3..7]) * 100, today.year());
            nationality(c, Nationality::parse(&String::from_utf8_lossy(&t[..3])), &t[..3]);
            c.errors.push(IdError::not_ssn(r.kind).into());
        }
        NumberKind::HongKongMacaoTravelPermit | NumberKind::TaiwanTravelPermit => {
            c.errors.push(IdError::not_ssn(r.kind).into());
        }
    }
}

/// Birth date, future check and gender of an 18-character number.
fn person(c: &mut Check, t: &[u8; 18], today: NaiveDate) {
    c.birth_date = date(digits(&t[6..10]), digits(&t[10..12]), digits(&t[12..14]));
    if c.birth_date.is_some_and(|b| b > today) {
        c.errors.push(IdError::new(IdErrorKind::Future).into());
    }
    c.gender = Some(if t[16] % 2 == 1 { Gender::Male } else { Gender::Female });
}

fn citizen_region(c: &mut Check, code: u32, kind: NumberKind) {
    let year = c.birth_date.map_or(2000, |d| d.year());
    region(c, code, year);
    let permit = matches!(
        kind,
        NumberKind::HongKongMacaoResidencePermit | NumberKind::TaiwanResidencePermit
    );
    if !permit && code.is_multiple_of(100) {
        let level = if code.is_multiple_of(10_000) { "省级" } else { "地市级" };
        c.warnings.push(Finding::warning(
            "division.not_county",
            format!("行政区划代码 {code:06} 是{level}代码，身份号码通常为县级代码"),
        ));
    }
}

/// Division code and its full name as of `year`, with a warning when the table does not
/// know the code in that year.
fn region(c: &mut Check, code: u32, year: i32) {
    let mut text = [b'0'; 6];
    let mut rest = code.min(999_999);
    for slot in text.iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    c.region_code = Some(ascii(&text));
    if let Some(full) = division::full_name(code, year) {
        c.region_name = Some(full);
        return;
    }
    match division::nearest(code, year) {
        Some(p) => {
            c.region_name = division::full_name_nearest(code, year);
            let from = if p.start == 0 { "早期".to_string() } else { format!("{} 年", p.start) };
            let to = if p.end == 9999 { "至今".to_string() } else { format!("{} 年", p.end) };
            c.warnings.push(Finding::warning(
                "division.not_in_year",
                format!(
                    "行政区划代码 {code:06} 在 {year} 年无效（“{}”使用于{from}至{to}）",
                    p.name
                ),
            ));
        }
        None => c.warnings.push(Finding::warning(
            "division.unknown",
            format!("行政区划代码 {code:06} 不在 GB/T 2260 代码表中"),
        )),
    }
}

fn nationality(c: &mut Check, found: Option<Nationality>, raw: &[u8]) {
    match found {
        Some(n) => c.nationality = Some(n),
        None => c.warnings.push(Finding::warning(
            "nationality.unknown",
            format!("国籍代码 {} 不在 GB/T 2659 代码表中", String::from_utf8_lossy(raw)),
        )),
    }
}
