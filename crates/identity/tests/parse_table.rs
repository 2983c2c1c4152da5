//! `SocialSecurityNumber::parse` as a table: one line per input class, each with the
//! exact values or error code and position it must give.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a broken fixture should fail the test loudly"
)]

use chrono::NaiveDate;
use personbase_identity::{Gender, NumberKind, SocialSecurityNumber, upgrade_15};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// input, normalised, kind, birth date, gender, division.
type Accepted =
    (&'static str, &'static str, NumberKind, Option<NaiveDate>, Option<Gender>, Option<u32>);

#[test]
fn accepted_inputs() {
    use Gender::{Female, Male};
    use NumberKind::*;
    #[rustfmt::skip]
    let cases: &[Accepted] = &[
        // GB 11643-1999's published example, and its 15-digit form.
        ("11010519491231002X", "11010519491231002X", Citizen18, date(1949, 12, 31), Some(Female), Some(110105)),
        ("110105491231002", "11010519491231002X", Citizen18, date(1949, 12, 31), Some(Female), Some(110105)),
        ("440524188001010014", "440524188001010014", Citizen18, date(1880, 1, 1), Some(Male), Some(440524)),
        // What really arrives: lower-case x, spaces, full width, ideographic space.
        ("11010519491231002x", "11010519491231002X", Citizen18, date(1949, 12, 31), Some(Female), Some(110105)),
        (" 110105 1949 1231 002X\t", "11010519491231002X", Citizen18, date(1949, 12, 31), Some(Female), Some(110105)),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", Citizen18, date(1949, 12, 31), Some(Female), Some(110105)),
        ("\u{3000}11010519491231002x\u{3000}", "11010519491231002X", Citizen18, date(1949, 12, 31), Some(Female), Some(110105)),
        // A byte order mark from a Windows export, a zero-width space from copied text.
        ("\u{FEFF}11010519491231002X", "11010519491231002X", Citizen18, date(1949, 12, 31), Some(Female), Some(110105)),
        ("110105\u{200B}19491231002X", "11010519491231002X", Citizen18, date(1949, 12, 31), Some(Female), Some(110105)),
        // Leap days: 2000 is a leap year.
        ("110105200002290013", "110105200002290013", Citizen18, date(2000, 2, 29), Some(Male), Some(110105)),
        // Residence permits of Hong Kong, Macao and Taiwan residents.
        ("810000199901010014", "810000199901010014", HongKongMacaoResidencePermit, date(1999, 1, 1), Some(Male), Some(810000)),
        ("830000200002290023", "830000200002290023", TaiwanResidencePermit, date(2000, 2, 29), Some(Female), Some(830000)),
        // Foreigner's permanent residence ID card, 2023 form.
        ("91560019900101001X", "91560019900101001X", ForeignPermanentResidence2023, date(1990, 1, 1), Some(Male), None),
        // Unknown division codes parse: they are warnings of `check`, never rejects.
        ("999999198001010011", "999999198001010011", ForeignPermanentResidence2023, date(1980, 1, 1), Some(Male), None),
        ("450000198001010017", "450000198001010017", Citizen18, date(1980, 1, 1), Some(Male), Some(450000)),
    ];
    for (input, normalised, kind, birth, gender, division) in cases {
        let n = SocialSecurityNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(n.as_str(), *normalised, "{input}");
        assert_eq!(n.kind(), *kind, "{input}");
        assert_eq!(n.birth_date(), *birth, "{input}");
        assert_eq!(n.gender(), *gender, "{input}");
        assert_eq!(n.division_code(), *division, "{input}");
    }
}

/// input → (error code, position)
#[test]
fn refused_inputs() {
    #[rustfmt::skip]
    let cases: &[(&str, &str, Option<usize>)] = &[
        ("", "id.empty", None),
        ("   ", "id.empty", None),
        ("\u{3000}", "id.empty", None),
        ("11010519491231002", "id.length", None),
        ("11010519491231002X1", "id.length", None),
        ("1234", "id.length", None),
        // Wrong check character: expected X.
        ("110105194912310021", "id.check", Some(18)),
        ("110105194912310023", "id.check", Some(18)),
        // Characters that cannot stand where they are.
        ("1101051949123100XX", "id.char", Some(17)),
        ("A1010519491231002X", "id.char", Some(1)),
        ("11010519491231002Y", "id.char", Some(18)),
        ("张三", "id.char", Some(1)),
        ("1101051949123😀002X", "id.char", Some(14)),
        ("110105-19491231002X", "id.char", Some(7)),
        // Impossible dates: Feb 30, Feb 29 in 1900 and 2001, month 13, day 0.
        ("110105194902300021", "id.date", Some(13)),
        ("110105190002290011", "id.date", Some(13)),
        ("110105200102290011", "id.date", Some(13)),
        ("110105194913010021", "id.date", Some(11)),
        ("110105194912000021", "id.date", Some(13)),
        ("110105179912310021", "id.date", Some(7)),
        ("110105491331002", "id.date", Some(9)),
        ("110105000229002", "id.date", Some(11)),
        // A 15-digit number never starts with 9 (regression: fuzz crash, see docs).
        ("922328410223284", "id.char", Some(1)),
        // What a spreadsheet makes of a number.
        ("1.10105194912310E+17", "id.scientific", None),
        ("1.10105E+17", "id.scientific", None),
        ("1,10105194912310E+17", "id.scientific", None),
        // Recognised but never a social security number.
        ("H12345678", "id.not_ssn", None),
        ("M1234567801", "id.not_ssn", None),
        ("12345678", "id.not_ssn", None),
        ("1234567801", "id.not_ssn", None),
    ];
    for (input, code, position) in cases {
        let e = SocialSecurityNumber::parse(input).expect_err(input);
        assert_eq!((e.code(), e.position()), (*code, *position), "{input}: {e}");
        assert!(!e.message_zh().is_empty());
        assert!(!e.to_string().ends_with('.'));
    }
}

#[test]
fn check_errors_name_the_expected_character() {
    let e = SocialSecurityNumber::parse("110105194912310023").unwrap_err();
    assert_eq!(e.expected_check(), Some('X'));
    assert_eq!(e.to_string(), "check character expected X found 3");
    assert_eq!(e.message_zh(), "校验码错误：第 18 位应为“X”，实际为“3”");
}

#[test]
fn never_the_first_fifteen_of_an_eighteen() {
    // The first 15 characters of a valid 18-character number are not a 15-digit number
    // of the same person: they only parse as whatever they are on their own.
    let n = upgrade_15("110105491231002").unwrap();
    assert_eq!(n, "11010519491231002X");
    assert_eq!(upgrade_15("11010519491231002x").unwrap(), "11010519491231002X");
    assert_eq!(upgrade_15("H12345678").unwrap_err().code(), "id.not_ssn");
    assert_eq!(upgrade_15("11010519491231").unwrap_err().code(), "id.length");
}

#[test]
fn debug_masks_display_shows_serde_round_trips() {
    let n = SocialSecurityNumber::parse("11010519491231002X").unwrap();
    assert_eq!(n.masked(), "1101**********002X");
    assert_eq!(format!("{n:?}"), "SocialSecurityNumber(1101**********002X)");
    assert_eq!(n.to_string(), "11010519491231002X");
    assert_eq!(serde_json::to_string(&n).unwrap(), "\"11010519491231002X\"");
    let back: SocialSecurityNumber = serde_json::from_str("\" 110105491231002 \"").unwrap();
    assert_eq!(back, n);
    assert!(serde_json::from_str::<SocialSecurityNumber>("\"110105194912310021\"").is_err());
    assert_eq!("11010519491231002x".parse::<SocialSecurityNumber>().unwrap(), n);
}

#[test]
fn garbage_never_panics() {
    let long = "号".repeat(4000) + &"9".repeat(10_000);
    for input in [long.as_str(), "\u{0}", "\u{FEFF}", "ｘ", "E", "1E", ".E1"] {
        let _ = SocialSecurityNumber::parse(input);
    }
}
