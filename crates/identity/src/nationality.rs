//! Nationality, GB/T 2659 (identical to ISO 3166-1): alpha-3, alpha-2, numeric and the
//! Chinese short name.
//!
//! The table is `data/nationalities.tsv`, built by `scripts/identity/build_nationalities.py`
//! from the PyPI package pycountry (Debian iso-codes data); no maintained Rust crate
//! carries the Chinese names. Parsed once on first use.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const DATA: &str = include_str!("../data/nationalities.tsv");

struct Country {
    alpha2: &'static str,
    alpha3: &'static str,
    numeric: u16,
    name_en: &'static str,
    name_zh: &'static str,
}

fn table() -> &'static [Country] {
    static TABLE: OnceLock<Vec<Country>> = OnceLock::new();
    TABLE.get_or_init(|| {
        DATA.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some(Country {
                    alpha2: f.next()?,
                    alpha3: f.next()?,
                    numeric: f.next()?.parse().ok()?,
                    name_en: f.next()?,
                    name_zh: f.next()?,
                })
            })
            .collect()
    })
}

/// A country of GB/T 2659, e.g. `CHN` 156 中国.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nationality {
    index: u16,
}

impl Nationality {
    fn country(self) -> Option<&'static Country> {
        table().get(usize::from(self.index))
    }

    fn field(self, f: impl Fn(&'static Country) -> &'static str) -> &'static str {
        self.country().map_or("", f)
    }

    /// The alpha-3 code, e.g. `"CHN"`; the form stored and serialised.
    pub fn code(self) -> &'static str {
        self.field(|c| c.alpha3)
    }

    /// The alpha-3 code, e.g. `"CHN"`.
    pub fn alpha3(self) -> &'static str {
        self.code()
    }

    /// The alpha-2 code, e.g. `"CN"`.
    pub fn alpha2(self) -> &'static str {
        self.field(|c| c.alpha2)
    }

    /// The numeric code, e.g. 156.
    pub fn numeric(self) -> u16 {
        self.country().map_or(0, |c| c.numeric)
    }

    /// The Chinese short name, e.g. `中国`.
    pub fn name_zh(self) -> &'static str {
        self.field(|c| c.name_zh)
    }

    /// The English short name, e.g. `China`.
    pub fn name_en(self) -> &'static str {
        self.field(|c| c.name_en)
    }

    /// The country with this numeric code.
    pub fn from_numeric(numeric: u16) -> Option<Self> {
        Self::find(|c| c.numeric == numeric)
    }

    /// Reads an alpha-3, alpha-2 or numeric code (any case, `"156"` or `"CHN"`), a Chinese
    /// name (`"中国"`) or an English name (`"China"`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().ok().and_then(Self::from_numeric);
        }
        Self::find(|c| {
            c.alpha3.eq_ignore_ascii_case(s)
                || c.alpha2.eq_ignore_ascii_case(s)
                || c.name_zh == s
                || c.name_en.eq_ignore_ascii_case(s)
        })
    }

    fn find(pred: impl Fn(&Country) -> bool) -> Option<Self> {
        let i = table().iter().position(pred)?;
        Some(Nationality { index: u16::try_from(i).ok()? })
    }

    /// Every country, in alpha-3 order.
    pub fn all() -> impl Iterator<Item = Nationality> {
        (0..table().len()).filter_map(|i| u16::try_from(i).ok()).map(|index| Nationality { index })
    }
}

impl fmt::Debug for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nationality({})", self.code())
    }
}

impl fmt::Display for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Nationality {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Nationality {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Nationality::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown nationality code {s}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_by_every_form() {
        for s in ["CHN", "chn", "CN", "156", "中国", "China"] {
            let n = Nationality::parse(s).unwrap();
            assert_eq!(
                (n.alpha3(), n.alpha2(), n.numeric(), n.name_zh()),
                ("CHN", "CN", 156, "中国")
            );
        }
        assert_eq!(Nationality::parse("XYZ"), None);
        assert_eq!(Nationality::parse(""), None);
        assert!(Nationality::all().count() >= 249);
    }
}
