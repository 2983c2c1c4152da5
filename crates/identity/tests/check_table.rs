//! `check` as a table: what `personbase id check` says about each input class.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a broken fixture should fail the test loudly"
)]

use chrono::NaiveDate;
use personbase_identity::{Gender, NumberKind, check};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

/// Appends the MOD 11-2 check character (computed independently of the crate).
fn with_check(body: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    let v = (12 - sum % 11) % 11;
    format!("{body}{}", if v == 10 { 'X' } else { char::from_digit(v, 10).unwrap() })
}

fn codes(list: &[personbase_identity::Finding]) -> Vec<&'static str> {
    list.iter().map(|f| f.code).collect()
}

#[test]
fn the_standards_example_in_full() {
    let c = check("11010519491231002X", today());
    assert!(c.is_valid() && c.valid);
    assert_eq!(c.kind, Some(NumberKind::Citizen18));
    assert_eq!(c.normalized.as_deref(), Some("11010519491231002X"));
    assert_eq!(c.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31));
    assert_eq!(c.gender, Some(Gender::Female));
    assert_eq!(c.region_code.as_deref(), Some("110105"));
    assert_eq!(c.region_name.as_deref(), Some("北京市朝阳区"));
    assert!(c.errors.is_empty() && c.warnings.is_empty() && c.normalizations.is_empty());
}

/// input → (valid, errors, warnings, region name, normalisations)
/// input, valid, error codes, warning codes, region name, normalisations.
type Case<'a> = (&'a str, bool, Vec<&'a str>, Vec<&'a str>, Option<&'a str>, Vec<&'a str>);

#[test]
fn findings_by_input_class() {
    let future = with_check("23010220261204001");
    let today_born = with_check("23010220261203001");
    let abolished = with_check("11010320150101001");
    let historic = with_check("11010319950101001");
    let reused = with_check("21031119900615003");
    let province = with_check("45000019800101001");
    let prefecture = with_check("23010019800101001");
    let unknown = with_check("01234519800101001");
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        (&future, false, vec!["id.future"], vec![], Some("黑龙江省哈尔滨市道里区"), vec![]),
        (&today_born, true, vec![], vec![], Some("黑龙江省哈尔滨市道里区"), vec![]),
        // 崇文区 was merged into 东城区 in 2010: a 2015 birth under its code is odd.
        (&abolished, true, vec![], vec!["division.not_in_year"], Some("北京市崇文区"), vec![]),
        (&historic, true, vec![], vec![], Some("北京市崇文区"), vec![]),
        // 210311 was 旧堡区 from 1984 to 1995, then 千山区.
        (&reused, true, vec![], vec![], Some("辽宁省鞍山市旧堡区"), vec![]),
        (&province, true, vec![], vec!["division.not_county"], Some("广西壮族自治区"), vec![]),
        (&prefecture, true, vec![], vec!["division.not_county"], Some("黑龙江省哈尔滨市"), vec![]),
        (&unknown, true, vec![], vec!["division.unknown"], None, vec![]),
        ("110105491231002", true, vec![], vec![], Some("北京市朝阳区"), vec!["upgraded_15"]),
        ("110105491231997", true, vec![], vec!["id.centenarian_sequence"], Some("北京市朝阳区"), vec!["upgraded_15"]),
        (" １１０１０５１９４９１２３１００２ｘ ", true, vec![], vec![], Some("北京市朝阳区"), vec!["trimmed", "full_width", "upper_case"]),
        ("110105 19491231 002X", true, vec![], vec![], Some("北京市朝阳区"), vec!["inner_whitespace"]),
        ("1.10105194912310E+17", false, vec!["id.scientific"], vec![], None, vec![]),
        ("H12345678", false, vec!["id.not_ssn"], vec![], None, vec![]),
        ("", false, vec!["id.empty"], vec![], None, vec![]),
    ];
    for (input, valid, errors, warnings, region, normalisations) in cases {
        let c = check(input, today());
        assert_eq!(c.valid, valid, "{input}");
        assert_eq!(codes(&c.errors), errors, "{input}");
        assert_eq!(codes(&c.warnings), warnings, "{input}");
        assert_eq!(c.region_name.as_deref(), region, "{input}");
        assert_eq!(c.normalizations, normalisations, "{input}");
    }
}

#[test]
fn foreigners_numbers_name_their_nationality() {
    // 2023 form: 9, province of acceptance 11, nationality 840 (USA), birth date, sequence.
    let c = check(&with_check("91184019900101001"), today());
    assert!(c.valid);
    assert_eq!(c.kind, Some(NumberKind::ForeignPermanentResidence2023));
    assert_eq!(c.nationality.map(|n| n.alpha3()), Some("USA"));
    assert_eq!(c.region_code.as_deref(), Some("110000"));
    assert_eq!(c.region_name.as_deref(), Some("北京市"));

    // 2017 form: USA, place 1101, born 1980-01-01, sequence 1, check digit 7-3-1.
    let c = check("USA110180010118", today());
    assert_eq!(c.kind, Some(NumberKind::ForeignPermanentResidence2017), "{:?}", c.errors);
    assert_eq!(codes(&c.errors), ["id.not_ssn"]);
    assert_eq!(c.birth_date, NaiveDate::from_ymd_opt(1980, 1, 1));
    assert_eq!(c.nationality.map(|n| n.alpha3()), Some("USA"));
}

#[test]
fn json_output_has_the_issues_fields() {
    let v = serde_json::to_value(check("11010519491231002x", today())).unwrap();
    for field in [
        "input",
        "valid",
        "kind",
        "normalized",
        "birth_date",
        "gender",
        "region_code",
        "region_name",
        "errors",
        "warnings",
    ] {
        assert!(v.get(field).is_some(), "{field}");
    }
    assert_eq!(v["birth_date"], "1949-12-31");
    assert_eq!(v["gender"], "female");
    assert_eq!(v["kind"], "citizen18");
    let bad = serde_json::to_value(check("110105194912310023", today())).unwrap();
    assert_eq!(bad["errors"][0]["code"], "id.check");
    assert_eq!(bad["kind"], "citizen18");
    assert_eq!(bad["errors"][0]["position"], 18);
}
