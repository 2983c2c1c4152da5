//! Property tests: valid numbers round-trip, and the check character catches every
//! single-digit change.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a broken fixture should fail the test loudly"
)]

use personbase_identity::{NumberKind, SocialSecurityNumber, check};
use proptest::prelude::*;

const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

fn check_char(body: &str) -> char {
    let sum: u32 = body.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let v = (12 - sum % 11) % 11;
    if v == 10 { 'X' } else { char::from_digit(v, 10).unwrap_or('?') }
}

/// A valid synthetic 18-character citizen number.
fn citizen() -> impl Strategy<Value = String> {
    (110_000u32..660_000, 1900i32..2025, 1u32..=12, 1u32..=28, 0u32..1000).prop_map(
        |(division, y, m, d, seq)| {
            let body = format!("{division:06}{y:04}{m:02}{d:02}{seq:03}");
            format!("{body}{}", check_char(&body))
        },
    )
}

proptest! {
    #[test]
    fn valid_numbers_round_trip(n in citizen()) {
        let parsed = SocialSecurityNumber::parse(&n).unwrap();
        prop_assert_eq!(parsed.as_str(), n.as_str());
        prop_assert_eq!(parsed.kind(), NumberKind::Citizen18);
        let again: SocialSecurityNumber = parsed.to_string().parse().unwrap();
        prop_assert_eq!(&again, &parsed);
        let json = serde_json::to_string(&parsed).unwrap();
        prop_assert_eq!(serde_json::from_str::<SocialSecurityNumber>(&json).unwrap(), parsed);
        let lower = n.to_lowercase();
        let from_lower = SocialSecurityNumber::parse(&lower).unwrap();
        prop_assert_eq!(from_lower.as_str(), n.as_str());
    }

    #[test]
    fn fifteen_digit_numbers_upgrade_and_round_trip(
        division in 110_000u32..660_000, yy in 0u32..100, m in 1u32..=12, d in 1u32..=28,
        seq in 0u32..996,
    ) {
        let fifteen = format!("{division:06}{yy:02}{m:02}{d:02}{seq:03}");
        let parsed = SocialSecurityNumber::parse(&fifteen).unwrap();
        prop_assert_eq!(&parsed.as_str()[..6], &fifteen[..6]);
        prop_assert_eq!(&parsed.as_str()[6..8], "19");
        prop_assert_eq!(&parsed.as_str()[8..17], &fifteen[6..]);
        prop_assert_eq!(SocialSecurityNumber::parse(parsed.as_str()).unwrap(), parsed);
    }

    #[test]
    fn every_single_digit_change_is_caught(n in citizen(), pos in 0usize..18, delta in 1u32..10) {
        let mut chars: Vec<char> = n.chars().collect();
        let old = chars[pos];
        let new = if pos == 17 && old != 'X' && (old.to_digit(10).unwrap_or(0) + delta) % 11 == 10 {
            'X'
        } else {
            let v = if old == 'X' { 10 } else { old.to_digit(10).unwrap_or(0) };
            char::from_digit((v + delta) % 10, 10).unwrap_or('0')
        };
        prop_assume!(new != old);
        chars[pos] = new;
        let changed: String = chars.into_iter().collect();
        let result = SocialSecurityNumber::parse(&changed);
        prop_assert!(result.is_err(), "{} accepted", changed);
        let code = result.unwrap_err().code();
        prop_assert!(["id.check", "id.date"].contains(&code), "{}", code);
    }

    #[test]
    fn any_string_gives_a_value_never_a_panic(s in "\\PC{0,40}") {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let c = check(&s, today);
        prop_assert_eq!(c.is_valid(), c.errors.is_empty());
        let _ = SocialSecurityNumber::parse(&s);
    }
}
