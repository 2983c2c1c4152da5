//! Recognition of a normalised input: which kind of number it is, and whether its
//! structure, birth date and check character hold. No clock, no tables: those come later
//! (see `check`).

use crate::checksum::{mod11_2, mod11_2_values, mod37_36, weights_731};
use crate::error::IdError;
use crate::kind::NumberKind;

/// The earliest birth year we accept in an 18-character number.
pub(crate) const MIN_YEAR: u32 = 1800;

/// A recognised number: its kind and its normalised characters (ASCII).
///
/// For a 15-digit citizen number `text` holds the upgraded 18 characters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recognised {
    pub kind: NumberKind,
    pub text: [u8; 18],
    pub len: u8,
}

impl Recognised {
    pub fn as_bytes(&self) -> &[u8] {
        &self.text[..usize::from(self.len)]
    }
}

/// Recognises a normalised number. `s` should hold only `0-9A-Z`; anything else is an
/// `id.char` error at its 1-based character position.
pub(crate) fn recognise(s: &str) -> Result<Recognised, IdError> {
    let b = s.as_bytes();
    if let Some(found) = <&[u8; 18]>::try_from(b).ok().and_then(eighteen_digits) {
        return found;
    }
    if !b.iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()) {
        return Err(first_bad_char(s));
    }
    match b.len() {
        18 if b[..3].iter().all(u8::is_ascii_uppercase) => foreign_ssn(b),
        18 => eighteen(b),
        15 if b[..3].iter().all(u8::is_ascii_uppercase) => permanent_2017(b),
        15 => fifteen(b),
        9 | 11 if matches!(b[0], b'H' | b'M') => {
            travel(b, 1, NumberKind::HongKongMacaoTravelPermit)
        }
        8 | 10 => travel(b, 0, NumberKind::TaiwanTravelPermit),
        n => Err(IdError::length(n)),
    }
}

fn first_bad_char(s: &str) -> IdError {
    for (i, c) in s.chars().enumerate() {
        if !(c.is_ascii_digit() || c.is_ascii_uppercase()) {
            return IdError::char_at(i + 1, c);
        }
    }
    IdError::length(s.chars().count())
}

/// The first position in `range` whose byte is not a digit.
fn expect_digits(b: &[u8], range: std::ops::Range<usize>) -> Result<(), IdError> {
    for i in range {
        if !b[i].is_ascii_digit() {
            return Err(IdError::char_at(i + 1, char::from(b[i])));
        }
    }
    Ok(())
}

fn num(b: &[u8]) -> u32 {
    b.iter().fold(0, |acc, d| acc * 10 + u32::from(d.wrapping_sub(b'0')))
}

pub(crate) fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Checks a date; on failure returns the offset (0 year, 1 month, 2 day) that is wrong.
fn check_date(y: u32, m: u32, d: u32) -> Result<(), usize> {
    if !(1..=12).contains(&m) {
        return Err(1);
    }
    let days = match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d == 0 || d > days { Err(2) } else { Ok(()) }
}

/// The hot path: 17 digits and a digit or `X`, checked in one pass over digit values.
/// `None` for anything else, which the general path then explains.
fn eighteen_digits(b: &[u8; 18]) -> Option<Result<Recognised, IdError>> {
    let mut d = [0u8; 17];
    let mut all_digits = true;
    for (v, c) in d.iter_mut().zip(b) {
        *v = c.wrapping_sub(b'0');
        all_digits &= *v < 10;
    }
    if !all_digits || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return None;
    }
    let n = |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |a, &v| a * 10 + u32::from(v));
    let year = n(6..10);
    if year < MIN_YEAR {
        return Some(Err(IdError::date_at(7)));
    }
    if let Err(at) = check_date(year, n(10..12), n(12..14)) {
        return Some(Err(date_error(at, 7, 4)));
    }
    let expected = mod11_2_values(&d);
    if expected != b[17] {
        return Some(Err(IdError::check(18, char::from(expected), char::from(b[17]))));
    }
    Some(Ok(Recognised { kind: kind_of_18(b), text: *b, len: 18 }))
}

/// An 18-digit GB 11643 number, or a 2023 permanent residence number (first digit 9).
fn eighteen(b: &[u8]) -> Result<Recognised, IdError> {
    expect_digits(b, 0..17)?;
    if !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(IdError::char_at(18, char::from(b[17])));
    }
    let year = num(&b[6..10]);
    if year < MIN_YEAR {
        return Err(IdError::date_at(7));
    }
    check_date(year, num(&b[10..12]), num(&b[12..14])).map_err(|at| date_error(at, 7, 4))?;

    let mut text = [0u8; 18];
    text.copy_from_slice(b);
    let mut body = [0u8; 17];
    body.copy_from_slice(&b[..17]);
    let expected = mod11_2(&body);
    if expected != b[17] {
        return Err(IdError::check(18, char::from(expected), char::from(b[17])));
    }

    Ok(Recognised { kind: kind_of_18(b), text, len: 18 })
}

/// The kind of a valid 18-digit number, from its first six digits.
pub(crate) fn kind_of_18(b: &[u8]) -> NumberKind {
    match b.get(..6) {
        Some([b'9', ..]) => NumberKind::ForeignPermanentResidence2023,
        Some(b"810000" | b"820000") => NumberKind::HongKongMacaoResidencePermit,
        Some(b"830000") => NumberKind::TaiwanResidencePermit,
        _ => NumberKind::Citizen18,
    }
}

/// The position of a date error: `start` is the 1-based position of the date,
/// `year_len` the number of year digits.
fn date_error(at: usize, start: usize, year_len: usize) -> IdError {
    IdError::date_at(match at {
        0 => start,
        1 => start + year_len,
        _ => start + year_len + 2,
    })
}

/// A 15-digit citizen number of the 1989 standard, upgraded to 18 characters.
///
/// A leading 9 is refused: no division code starts with 9, and the upgraded number
/// would read as a foreigner's 2023 permanent residence number.
fn fifteen(b: &[u8]) -> Result<Recognised, IdError> {
    expect_digits(b, 0..15)?;
    if b[0] == b'9' {
        return Err(IdError::char_at(1, '9'));
    }
    let year = 1900 + num(&b[6..8]);
    check_date(year, num(&b[8..10]), num(&b[10..12])).map_err(|at| date_error(at, 7, 2))?;

    let mut text = [0u8; 18];
    text[..6].copy_from_slice(&b[..6]);
    text[6..8].copy_from_slice(b"19");
    text[8..17].copy_from_slice(&b[6..15]);
    let mut body = [0u8; 17];
    body.copy_from_slice(&text[..17]);
    text[17] = mod11_2(&body);
    Ok(Recognised { kind: NumberKind::Citizen15, text, len: 18 })
}

/// Our default foreigners' social security number: 3 letters, 6-digit division,
/// 8-digit sequence, ISO 7064 MOD 37,36 check character.
fn foreign_ssn(b: &[u8]) -> Result<Recognised, IdError> {
    expect_digits(b, 3..17)?;
    let expected = mod37_36(&b[..17]).unwrap_or(b'?');
    if expected != b[17] {
        return Err(IdError::check(18, char::from(expected), char::from(b[17])));
    }
    let mut text = [0u8; 18];
    text.copy_from_slice(b);
    Ok(Recognised { kind: NumberKind::ForeignSocialSecurity, text, len: 18 })
}

/// The 2017 (and 2004) permanent residence card: 3 letters, 4-digit place, YYMMDD,
/// a sequence digit and a check digit with weights 7-3-1.
fn permanent_2017(b: &[u8]) -> Result<Recognised, IdError> {
    expect_digits(b, 3..15)?;
    let (yy, m, d) = (num(&b[7..9]), num(&b[9..11]), num(&b[11..13]));
    // The century is unknown: a date valid in either 19YY or 20YY passes.
    if check_date(1900 + yy, m, d).is_err() {
        check_date(2000 + yy, m, d).map_err(|at| date_error(at, 8, 2))?;
    }
    let expected = weights_731(&b[..14]).unwrap_or(b'?');
    if expected != b[14] {
        return Err(IdError::check(15, char::from(expected), char::from(b[14])));
    }
    Ok(short(b, NumberKind::ForeignPermanentResidence2017))
}

/// Travel permits: an optional letter, 8 digits, optionally a 2-digit renewal count.
fn travel(b: &[u8], letters: usize, kind: NumberKind) -> Result<Recognised, IdError> {
    expect_digits(b, letters..b.len())?;
    Ok(short(b, kind))
}

fn short(b: &[u8], kind: NumberKind) -> Recognised {
    let mut text = [0u8; 18];
    let len = b.len().min(18);
    text[..len].copy_from_slice(&b[..len]);
    Recognised { kind, text, len: len as u8 }
}
