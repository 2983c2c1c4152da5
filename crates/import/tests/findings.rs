//! Every kind of finding on one small file written here, with its exact code and row.

// Test helpers outside `#[test]` functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{check_with, num, old15, pairs, write};
use personbase_import::source::ReadOptions;

#[test]
fn every_kind_of_finding_on_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let p = num(1985, 3, 7, 123);
    let girl = num(1990, 5, 1, 246);
    let mut bad_check = girl.clone();
    bad_check.replace_range(17.., if girl.ends_with('0') { "1" } else { "0" });
    let li = num(1970, 1, 1, 452);
    let typo = format!("{}{}{}{}", &li[..14], &li[15..16], &li[14..15], &li[16..]);
    let shan = num(1980, 2, 2, 201);
    let shan2 = num(1980, 2, 2, 555);
    let shan3 = num(1980, 2, 2, 777);
    let future = num(2030, 1, 1, 123);
    let addr = "黑龙江省哈尔滨市道里区中山街1号";
    let rows = [
        format!("张伟,男,1985-03-07,{p},汉族,农业户口,13912345678,{addr}"), // 2 clean
        format!("李娜,女,1990/5/1,{bad_check},汉族,农业户口,13912345678,{addr}"), // 3
        format!("王芳,女,19900501,2.30102199005E+17,汉族,农业户口,13912345678,{addr}"), // 4
        format!("赵强,男,1990年5月1日,{},01,20,13912345678,{addr}", old15(&num(1990, 5, 1, 135))), // 5
        format!("刘洋,女,1990-05-01,{},汉,10,13912345678,{addr}", num(1990, 5, 1, 777)), // 6
        format!("周杰,男,1990-05-02,{},汉族,农业,13912345678,{addr}", num(1990, 5, 1, 779)), // 7
        format!("吴军,男,1990-05-01,{},汉人,农业户口,13912345678,{addr}", num(1990, 5, 1, 781)), // 8
        format!("郑华,男,1990-05-01,{},汉族,城镇,13912345678,{addr}", num(1990, 5, 1, 783)), // 9
        format!("陈1,男,1990-05-01,{},汉族,农业户口,13912345678,{addr}", num(1990, 5, 1, 785)), // 10
        format!("冯明,男,1990-05-01,{},汉族,农业户口,12345,{addr}", num(1990, 5, 1, 787)), // 11
        format!(",男,1990-05-01,{},汉族,农业户口,13912345678,{addr}", num(1990, 5, 1, 789)), // 12
        format!("张伟,男,1985-03-07,{p},汉族,农业户口,13912345678,{addr}"), // 13 identical
        format!("张伟,男,1985-03-07,{p},汉族,农业户口,13800000000,{addr}"), // 14 conflict
        format!("张伟,男,1985-03-07,{},汉族,农业户口,13912345678,{addr}", old15(&p)), // 15
        format!("孙丽,女,1970-01-01,{li},汉族,农业户口,13912345678,{addr}"), // 16 clean
        format!("孙丽,女,1970-01-01,{typo},汉族,农业户口,13912345678,{addr}"), // 17 typo
        format!("单伟,男,1980-02-02,{shan},汉族,农业户口,13912345678,{addr}"), // 18 clean
        format!("善伟,男,1980-02-02,{shan2},汉族,农业户口,13912345678,{addr}"), // 19
        format!("Shan Wei,男,1980-02-02,{shan3},汉族,农业户口,13912345678,{addr}"), // 20
        format!("何平,男,1990-05-01,{},汉族,农业户口,13912345678,{addr}", &p[..16]), // 21
        format!("张 伟,男,1990-05-01,{},汉族,农业户口,13912345678,{addr}", num(1990, 5, 1, 791)), // 22
        format!("张Ａ,男,1990-05-01,{},汉族,农业户口,13912345678,{addr}", num(1990, 5, 1, 793)), // 23
        format!(
            "{},男,1990-05-01,{},汉族,农业户口,13912345678,{addr}",
            "张伟".repeat(6),
            num(1990, 5, 1, 795)
        ), // 24
        format!("马超,未知x,1990-05-01,{},汉族,农业户口,13912345678,{addr}", num(1990, 5, 1, 797)), // 25
        format!("马明,男,1985-13-01,{},汉族,农业户口,13912345678,{addr}", num(1990, 5, 1, 799)), // 26
        format!("马丁,男,2030-01-01,{future},汉族,农业户口,13912345678,{addr}"), // 27
        format!("张伟!,男,1990-05-01,{},汉族,农业户口,13912345678,{addr}", num(1990, 5, 1, 801)), // 28
        format!("马力,男,1990-05-01,{},汉族,农业户口,13912345678,X", num(1990, 5, 1, 803)), // 29
    ];
    let text = format!(
        "姓名,性别,出生日期,身份证号,民族,户口性质,联系电话,家庭住址\n{}\n",
        rows.join("\n")
    );
    let file = write(dir.path(), "all.csv", text.as_bytes());

    let outcome = check_with(&[file], ReadOptions::default());

    let expected = vec![
        (3, "id.check"),
        (4, "id.scientific"),
        (5, "number.upgrade_15"),
        (6, "gender.mismatch"),
        (7, "birth.mismatch"),
        (8, "ethnicity.unknown"),
        (9, "household_type.unknown"),
        (10, "name.digits"),
        (11, "phone.invalid"),
        (12, "name.empty"),
        (13, "dup.identical"),
        (14, "dup.conflict"),
        (15, "number.upgrade_15"),
        (15, "dup.identical"),
        (17, "id.check"),
        (17, "dup.probable_typo"),
        (19, "dup.probable_name"),
        (20, "dup.probable_name"),
        (21, "id.length"),
        (22, "name.spaces"),
        (23, "name.full_width"),
        (24, "name.too_long"),
        (25, "gender.unknown"),
        (26, "birth.invalid"),
        (27, "id.future"),
        (28, "name.char"),
        (29, "address.invalid"),
    ];
    assert_eq!(pairs(&outcome), expected);
    assert_eq!(outcome.summary.rows, 28);
    assert_eq!(outcome.summary.rows_with_findings, 25);

    let conflict = outcome.findings.iter().find(|f| f.code == "dup.conflict").unwrap();
    assert_eq!(conflict.related_row, Some(2));
    assert!(conflict.message.contains("联系电话"), "{}", conflict.message);
    let upgrade = outcome.findings.iter().find(|f| f.row == 5).unwrap();
    assert!(upgrade.message.contains(&num(1990, 5, 1, 135)), "{}", upgrade.message);
    let check = &outcome.findings[0];
    assert_eq!((check.column.as_str(), check.value.as_str()), ("身份证号", bad_check.as_str()));
}

#[test]
fn ministry_codes_as_headers_and_a_mapping_file() {
    let dir = tempfile::tempdir().unwrap();
    let n = num(1985, 3, 7, 123);
    let text = format!("AAC003,AAC004,AAC002,备用号码\n张伟,女,{n},x\n");
    let file = write(dir.path(), "codes.csv", text.as_bytes());
    let outcome = check_with(std::slice::from_ref(&file), ReadOptions::default());
    assert_eq!(pairs(&outcome), [(2, "gender.mismatch")]);

    let text = format!("名,证件号\n张伟,{n}\n张伟,{n}\n");
    let file = write(dir.path(), "mapped.csv", text.as_bytes());
    let mapping = write(
        dir.path(),
        "map.toml",
        "[columns]\n\"证件号\" = \"number\"\n\"名\" = \"name\"\n".as_bytes(),
    );
    let read = ReadOptions {
        mapping: personbase_import::field::Mapping::load(&mapping).unwrap(),
        ..ReadOptions::default()
    };
    let outcome = check_with(&[file], read);
    assert_eq!(pairs(&outcome), [(3, "dup.identical")]);
}

#[test]
fn invalid_numbers_keep_the_identity_crate_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let valid = num(1985, 3, 7, 123);
    // A letter where a digit belongs (position 15).
    let letter = format!("{}A{}", &valid[..14], &valid[15..]);
    // Month 13: not a calendar date.
    let month13 = format!("2301021985130712{}", &valid[16..]);
    // A Hong Kong and Macao travel permit: well formed, but not a social security number.
    let permit = "H12345678";
    let addr = "黑龙江省哈尔滨市道里区中山街1号";
    let rows = [
        format!("张伟,,{addr}"),          // 2
        format!("李娜,{letter},{addr}"),  // 3
        format!("王芳,{month13},{addr}"), // 4
        format!("赵强,{permit},{addr}"),  // 5
        format!("刘洋,{valid},{addr}"),   // 6 clean
    ];
    let text = format!("姓名,身份证号,家庭住址\n{}\n", rows.join("\n"));
    let file = write(dir.path(), "numbers.csv", text.as_bytes());

    let outcome = check_with(&[file], ReadOptions::default());

    assert_eq!(
        pairs(&outcome),
        [(2, "id.empty"), (3, "id.char"), (4, "id.date"), (5, "id.not_ssn")]
    );
    let expected = [
        ("", "号码为空"),
        (letter.as_str(), "第 15 位字符“A”不合法"),
        (month13.as_str(), "出生日期不是有效日期（第 11 位）"),
        (permit, "港澳居民来往内地通行证不能作为社会保障号码"),
    ];
    for (f, (value, message)) in outcome.findings.iter().zip(expected) {
        assert_eq!(f.column, "身份证号");
        assert_eq!(f.value, value);
        // Exactly the identity crate's message and code for the same input.
        let error = personbase_identity::SocialSecurityNumber::parse(value).unwrap_err();
        assert_eq!((f.code, f.message.as_str()), (error.code(), error.message_zh().as_str()));
        assert_eq!(f.message, message);
        assert_eq!(f.action, personbase_import::finding::kind(f.code).action_zh);
    }
    assert_eq!(outcome.findings[0].action, "补录身份号码后重新导入");
    assert_eq!(outcome.summary.rows_with_findings, 4);
}
