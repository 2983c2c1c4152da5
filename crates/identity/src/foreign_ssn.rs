//! Foreigners' social security numbers (RULES R2.15): our default layout and a generator.
//!
//! The national rules leave the layout to the province. **This default layout is
//! PersonBase's own**, to be replaced by province configuration where the province
//! prescribes another:
//!
//! | characters | content |
//! |---|---|
//! | 1–3 | nationality, GB/T 2659 alpha-3 (`USA`) |
//! | 4–9 | GB/T 2260 division of the issuing information centre |
//! | 10–17 | sequence, 8 digits, per issuing centre, from 00000001 |
//! | 18 | check character, ISO 7064 MOD 37,36 over characters 1–17 (`0-9A-Z`) |
//!
//! MOD 37,36 catches every single substitution and every transposition of two
//! adjacent characters, letters included.

use crate::SocialSecurityNumber;
use crate::checksum::mod37_36;
use crate::error::{IdError, IdErrorKind};
use crate::nationality::Nationality;

/// The highest sequence the 8-digit field holds.
pub const MAX_SEQUENCE: u32 = 99_999_999;

/// Hands out foreigners' numbers for one issuing centre and nationality, never the same
/// twice: it starts after the last issued sequence, which the caller persists (with
/// [`Generator::last_issued`]) in the same transaction that stores the number.
#[derive(Debug, Clone)]
pub struct Generator {
    prefix: [u8; 9],
    last_issued: u32,
}

impl Generator {
    /// A generator for `nationality` at the centre of `division` (a 6-digit code), after
    /// `last_issued` (0 when none was issued yet).
    pub fn new(nationality: Nationality, division: u32, last_issued: u32) -> Result<Self, IdError> {
        let alpha3 = nationality.alpha3().as_bytes();
        if alpha3.len() != 3 || !(100_000..=999_999).contains(&division) {
            return Err(IdError::new(IdErrorKind::Config));
        }
        if last_issued > MAX_SEQUENCE {
            return Err(IdError::new(IdErrorKind::Exhausted));
        }
        let mut prefix = [0u8; 9];
        prefix[..3].copy_from_slice(alpha3);
        prefix[3..].copy_from_slice(format!("{division:06}").as_bytes());
        Ok(Generator { prefix, last_issued })
    }

    /// The sequence of the number last handed out; persist it.
    pub fn last_issued(&self) -> u32 {
        self.last_issued
    }

    /// The next number, or `id.exhausted` once sequence 99999999 is used.
    pub fn next_number(&mut self) -> Result<SocialSecurityNumber, IdError> {
        let sequence = self.last_issued + 1;
        if sequence > MAX_SEQUENCE {
            return Err(IdError::new(IdErrorKind::Exhausted));
        }
        let number = compose(&self.prefix, sequence)?;
        self.last_issued = sequence;
        Ok(number)
    }
}

/// Builds the number for a prefix (nationality and division) and a sequence.
fn compose(prefix: &[u8; 9], sequence: u32) -> Result<SocialSecurityNumber, IdError> {
    let mut text = [0u8; 18];
    text[..9].copy_from_slice(prefix);
    text[9..17].copy_from_slice(format!("{sequence:08}").as_bytes());
    text[17] = mod37_36(&text[..17]).ok_or(IdError::new(IdErrorKind::Config))?;
    SocialSecurityNumber::parse(std::str::from_utf8(&text).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NumberKind;

    fn usa() -> Nationality {
        Nationality::parse("USA").unwrap()
    }

    #[test]
    fn numbers_follow_the_layout_and_parse_back() {
        let mut g = Generator::new(usa(), 230102, 0).unwrap();
        let n = g.next_number().unwrap();
        assert_eq!(&n.as_str()[..17], "USA23010200000001");
        assert_eq!(n.kind(), NumberKind::ForeignSocialSecurity);
        assert_eq!(SocialSecurityNumber::parse(n.as_str()).unwrap(), n);
        assert_eq!(g.last_issued(), 1);
    }

    #[test]
    fn never_the_same_number_twice_across_restarts() {
        let mut seen = std::collections::HashSet::new();
        let mut last = 0;
        for _ in 0..5 {
            let mut g = Generator::new(usa(), 230102, last).unwrap();
            for _ in 0..100 {
                assert!(seen.insert(g.next_number().unwrap()));
            }
            last = g.last_issued();
        }
        assert_eq!(seen.len(), 500);
    }

    #[test]
    fn exhaustion_and_bad_configuration_are_errors() {
        let mut g = Generator::new(usa(), 230102, MAX_SEQUENCE - 1).unwrap();
        assert!(g.next_number().is_ok());
        assert_eq!(g.next_number().unwrap_err().code(), "id.exhausted");
        assert_eq!(g.last_issued(), MAX_SEQUENCE);
        assert_eq!(Generator::new(usa(), 23, 0).unwrap_err().code(), "id.config");
    }
}
