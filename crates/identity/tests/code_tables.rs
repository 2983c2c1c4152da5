//! The small code tables: every way a value may arrive, and how it is stored.

#![allow(clippy::unwrap_used, reason = "a broken fixture should fail the test loudly")]

use personbase_identity::{FieldCode, Gender, IdError, NumberKind, SocialSecurityNumber, division};

#[test]
fn gender_by_code_name_and_word() {
    use Gender::*;
    let cases: &[(&str, Option<Gender>)] = &[
        ("0", Some(Unknown)),
        ("1", Some(Male)),
        ("2", Some(Female)),
        ("9", Some(Unstated)),
        ("男", Some(Male)),
        ("女性", Some(Female)),
        ("未说明的性别", Some(Unstated)),
        ("male", Some(Male)),
        ("FEMALE", Some(Female)),
        (" M ", Some(Male)),
        ("3", None),
        ("", None),
    ];
    for (input, expected) in cases {
        assert_eq!(Gender::parse(input), *expected, "{input}");
    }
    for g in Gender::all() {
        assert_eq!(Gender::parse(g.code()), Some(*g));
        assert_eq!(Gender::parse(g.name_zh()), Some(*g));
    }
    assert_eq!(serde_json::to_string(&Female).unwrap(), "\"female\"");
    assert_eq!(serde_json::from_str::<Gender>("\"unstated\"").unwrap(), Unstated);
}

#[test]
fn number_kinds_serialise_as_their_codes() {
    for k in NumberKind::all() {
        let json = serde_json::to_string(k).unwrap();
        assert_eq!(json, format!("\"{}\"", k.code()));
        assert_eq!(serde_json::from_str::<NumberKind>(&json).unwrap(), *k);
        assert!(!k.name_zh().is_empty());
    }
    assert_eq!(
        NumberKind::ForeignPermanentResidence2023.code(),
        "foreign_permanent_residence_2023"
    );
}

#[test]
fn division_look_up_by_code_and_year() {
    assert_eq!(division::name(110105, 1949), Some("朝阳区"));
    assert_eq!(division::full_name(110103, 1990).as_deref(), Some("北京市崇文区"));
    assert_eq!(division::full_name(110103, 2015), None);
    assert_eq!(division::province_code(210311), 210000);
    assert_eq!(division::prefecture_code(210311), 210300);
    assert!(division::is_known(810000) && division::is_known(830000));
    assert!(!division::is_known(0) && !division::is_known(999_999));
    let p = division::nearest(110103, 2015).unwrap();
    assert_eq!((p.name, p.end), ("崇文区", 2009));
}

#[test]
fn error_text_is_lower_case_english_and_chinese_for_users() {
    let inputs = ["", "123", "1101051949123100AX", "110105194902300021", "110105194912310023"];
    for input in inputs {
        let e: IdError = SocialSecurityNumber::parse(input).unwrap_err();
        let text = e.to_string();
        assert!(text.chars().next().unwrap().is_lowercase(), "{text}");
        assert!(!text.ends_with('.'));
        assert!(e.message_zh().chars().any(|c| c > '\u{2e80}'), "{}", e.message_zh());
        assert!(e.code().starts_with("id."));
    }
}

#[test]
fn field_codes_cover_the_person_columns() {
    let codes: Vec<&str> = FieldCode::all().iter().map(|f| f.code()).collect();
    assert_eq!(codes, ["AAC002", "AAC003", "AAC004", "AAC005", "AAC006", "AAC009", "AAC010"]);
    for f in FieldCode::all() {
        assert_eq!(FieldCode::parse(f.name_zh()), Some(*f));
    }
}
