//! `Check::write_json` writes exactly what serde_json writes for the same report.

#![allow(clippy::unwrap_used, reason = "a broken fixture should fail the test loudly")]

use chrono::NaiveDate;
use personbase_identity::check;
use proptest::prelude::*;

fn same(input: &str) {
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let c = check(input, today);
    let mut fast = Vec::new();
    c.write_json(&mut fast);
    assert_eq!(String::from_utf8(fast).unwrap(), serde_json::to_string(&c).unwrap(), "{input:?}");
}

#[test]
fn every_input_class_writes_the_same_bytes() {
    for input in [
        "11010519491231002X",
        "110105491231002",
        " １１０１０５１９４９１２３１００２ｘ ",
        "110105194912310023",
        "11010519490230002X",
        "1.10105194912310E+17",
        "H12345678",
        "USA110180010118",
        "\"\\\u{1}\u{8}\u{c}\n\r\t\u{7f}张三",
        "",
        "450000198001010017",
        "110103201501010010",
    ] {
        same(input);
    }
}

proptest! {
    #[test]
    fn arbitrary_input_writes_the_same_bytes(s in "\\PC{0,30}|[0-9Xx \"\\\\]{10,20}") {
        same(&s);
    }
}
