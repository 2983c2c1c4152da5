//! Valid citizen identity numbers for demo persons: a real county code, the birth date, a
//! sequence whose parity gives the gender, and the GB 11643 MOD 11-2 check character.

use chrono::{Datelike, NaiveDate};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// The MOD 11-2 check character of the first 17 digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK.get((sum % 11) as usize).map(|c| char::from(*c))
}

/// An 18-character citizen number for someone registered in `division`, born on `birth`,
/// with the order number `order` (0–499): the sequence is `2 * order + 1` for a man and
/// `2 * order` for a woman, so the 17th digit's parity gives the gender.
pub fn citizen_number(division: u32, birth: NaiveDate, order: u32, male: bool) -> String {
    let sequence = (order % 500) * 2 + u32::from(male);
    let first17 = format!(
        "{division:06}{:04}{:02}{:02}{sequence:03}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    let check = check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use personbase_identity::{Gender, SocialSecurityNumber};

    #[test]
    fn the_standard_example_checks() {
        assert_eq!(check_char("11010519491231002"), Some('X'));
        assert_eq!(check_char("1101051949123100"), None);
    }

    #[test]
    fn generated_numbers_parse_with_their_birth_date_and_gender() {
        let birth = NaiveDate::from_ymd_opt(1985, 3, 12).unwrap();
        for (order, male) in [(0, false), (1, true), (123, true), (499, false)] {
            let number = citizen_number(230103, birth, order, male);
            let parsed = SocialSecurityNumber::parse(&number).unwrap();
            assert_eq!(parsed.birth_date(), Some(birth));
            assert_eq!(parsed.gender(), Some(if male { Gender::Male } else { Gender::Female }));
            assert_eq!(parsed.division_code(), Some(230103));
        }
    }
}
