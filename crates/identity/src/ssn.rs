//! The social security number: the one number every person record keys on.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::IdError;
use crate::gender::Gender;
use crate::kind::NumberKind;
use crate::normalise::with_normalised;
use crate::recognise::{Recognised, recognise};

/// A number that may serve as a social security number: an 18-character citizen number
/// (including Hong Kong, Macao and Taiwan residence permits), a 2023 foreigner's
/// permanent residence number, or a foreigner's social security number.
///
/// A 15-digit number parses by upgrading it to 18 characters. Travel permits and 2017
/// permanent residence numbers are refused with `id.not_ssn`.
///
/// `Debug` prints the masked form, so that logs never carry a full number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SocialSecurityNumber {
    text: [u8; 18],
    kind: NumberKind,
}

impl SocialSecurityNumber {
    /// Normalises and checks `input`: structure, calendar date and check character.
    ///
    /// Whether the birth date lies in the future needs a clock and is left to
    /// [`crate::check`] and to callers that know today's date.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        with_normalised(input, |text, _| recognise(text))?.and_then(Self::from_recognised)
    }

    pub(crate) fn from_recognised(r: Recognised) -> Result<Self, IdError> {
        let kind = match r.kind {
            NumberKind::Citizen15 => crate::recognise::kind_of_18(&r.text),
            k if k.is_ssn() => k,
            k => return Err(IdError::not_ssn(k)),
        };
        Ok(SocialSecurityNumber { text: r.text, kind })
    }

    /// The normalised 18 characters.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text).unwrap_or_default()
    }

    /// The kind of number; a 15-digit input is [`NumberKind::Citizen18`] once upgraded.
    pub fn kind(&self) -> NumberKind {
        self.kind
    }

    fn has_birth_date(&self) -> bool {
        self.kind != NumberKind::ForeignSocialSecurity
    }

    /// The birth date the number implies (characters 7 to 14).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        if !self.has_birth_date() {
            return None;
        }
        let n = |r: std::ops::Range<usize>| {
            self.text[r].iter().fold(0u32, |a, d| a * 10 + u32::from(d.wrapping_sub(b'0')))
        };
        NaiveDate::from_ymd_opt(i32::try_from(n(6..10)).ok()?, n(10..12), n(12..14))
    }

    /// The gender the number implies: the 17th character odd for male, even for female.
    pub fn gender(&self) -> Option<Gender> {
        if !self.has_birth_date() {
            return None;
        }
        Some(if self.text[16] % 2 == 1 { Gender::Male } else { Gender::Female })
    }

    /// The 6-digit division code of a citizen number or residence permit; `None` for
    /// foreigners' numbers.
    pub fn division_code(&self) -> Option<u32> {
        match self.kind {
            NumberKind::ForeignPermanentResidence2023 | NumberKind::ForeignSocialSecurity => None,
            _ => {
                Some(self.text[..6].iter().fold(0, |a, d| a * 10 + u32::from(d.wrapping_sub(b'0'))))
            }
        }
    }

    /// The first 4 and last 4 characters with 10 stars between: `2301**********123X`.
    pub fn masked(&self) -> String {
        let s = self.as_str();
        let mut out = String::with_capacity(18);
        out.push_str(s.get(..4).unwrap_or_default());
        out.push_str("**********");
        out.push_str(s.get(14..).unwrap_or_default());
        out
    }
}

impl fmt::Display for SocialSecurityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SocialSecurityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SocialSecurityNumber({})", self.masked())
    }
}

impl FromStr for SocialSecurityNumber {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

impl Serialize for SocialSecurityNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SocialSecurityNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Turns a 15-digit number into its 18-character form. An 18-character social security
/// number is returned normalised, so that a mixed column can be piped through.
pub fn upgrade_15(input: &str) -> Result<String, IdError> {
    let recognised = with_normalised(input, |text, _| recognise(text))??;
    Ok(SocialSecurityNumber::from_recognised(recognised)?.as_str().to_string())
}
