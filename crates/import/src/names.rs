//! Names: what makes one implausible, and the keys that compare two names in characters and
//! in pinyin, every reading of a polyphonic surname included (单 is Shàn as a surname,
//! Dān in the dictionary).

use personbase_domain::PersonName;
use pinyin::{ToPinyin, ToPinyinMulti};

use crate::hash::hash_str;

/// Longest plausible Chinese name without a middle dot, in characters.
const MAX_PLAIN_CHINESE: usize = 10;

/// The code of what is implausible in a name, or `None` when it looks right.
pub fn check(name: &str) -> Option<(&'static str, String)> {
    // The common case, a short name in Chinese characters only, needs no allocation.
    if !name.is_empty() && name.chars().all(is_han) && name.chars().count() <= MAX_PLAIN_CHINESE {
        return None;
    }
    if name.trim().is_empty() {
        return Some(("name.empty", "姓名为空".to_string()));
    }
    if name.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        return Some(("name.digits", "姓名中含有数字".to_string()));
    }
    if name.chars().any(|c| ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)) {
        return Some(("name.full_width", "姓名中含有全角字母".to_string()));
    }
    if has_stray_space(name) {
        return Some(("name.spaces", "姓名首尾或汉字之间有空格".to_string()));
    }
    let count = name.chars().count();
    let plain_chinese = !name.contains('·') && !name.chars().any(|c| c.is_ascii_alphabetic());
    if count > PersonName::MAX_CHARS || (plain_chinese && count > MAX_PLAIN_CHINESE) {
        return Some(("name.too_long", format!("姓名有 {count} 个字符，过长")));
    }
    match PersonName::parse(name) {
        Ok(_) => None,
        Err(e) => Some(("name.char", e.message_zh().to_string())),
    }
}

/// White space at either end, any ideographic space, or a space next to a Chinese character.
fn has_stray_space(name: &str) -> bool {
    if name.trim() != name || name.contains('\u{3000}') || name.contains("  ") {
        return true;
    }
    let chars: Vec<char> = name.chars().collect();
    chars
        .windows(2)
        .any(|w| (w[0].is_whitespace() && is_han(w[1])) || (is_han(w[0]) && w[1].is_whitespace()))
}

fn is_han(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c) || ('\u{20000}'..='\u{3134F}').contains(&c)
}

/// The name as compared in characters: without white space, Latin letters lower-case.
pub fn char_key(name: &str) -> u64 {
    if name.chars().all(is_han) {
        return hash_str(name);
    }
    let s: String =
        name.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    hash_str(&s)
}

/// Most readings of a surname kept for comparison.
const MAX_READINGS: usize = 3;

/// The name as compared in pinyin, one key per reading of the surname: tones dropped, a
/// Latin-script name lower-cased without spaces or dots, so that `Shan Wei` meets `单伟`.
/// Empty for an empty name.
pub fn pinyin_keys(name: &str) -> Vec<u64> {
    let mut chars = name.chars().filter(|c| !c.is_whitespace() && *c != '·' && *c != '.');
    let Some(first) = chars.next() else {
        return Vec::new();
    };
    let mut rest = String::new();
    for c in chars {
        push_reading(&mut rest, c);
    }
    let mut keys = Vec::with_capacity(2);
    let mut add = |head: &str| {
        let mut s = String::with_capacity(head.len() + rest.len());
        s.push_str(head);
        s.push_str(&rest);
        let k = hash_str(&s);
        if !keys.contains(&k) {
            keys.push(k);
        }
    };
    match first.to_pinyin_multi() {
        Some(multi) => multi.into_iter().take(MAX_READINGS).for_each(|p| add(p.plain())),
        None => add(&first.to_lowercase().collect::<String>()),
    }
    keys
}

fn push_reading(out: &mut String, c: char) {
    match c.to_pinyin() {
        Some(p) => out.push_str(p.plain()),
        None => out.extend(c.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implausible_names() {
        let cases: &[(&str, Option<&str>)] = &[
            ("张伟", None),
            ("阿卜杜拉·买买提", None),
            ("John Smith", None),
            ("", Some("name.empty")),
            ("  ", Some("name.empty")),
            ("张伟2", Some("name.digits")),
            ("张Ｗ", Some("name.full_width")),
            (" 张伟", Some("name.spaces")),
            ("张 伟", Some("name.spaces")),
            ("张\u{3000}伟", Some("name.spaces")),
            ("张伟张伟张伟张伟张伟张", Some("name.too_long")),
            ("张伟!", Some("name.char")),
        ];
        for (name, code) in cases {
            assert_eq!(check(name).map(|c| c.0), *code, "{name}");
        }
    }

    #[test]
    fn pinyin_meets_polyphonic_surnames_and_latin_names() {
        let shan = pinyin_keys("单伟");
        assert!(pinyin_keys("善伟").iter().any(|k| shan.contains(k)));
        assert!(pinyin_keys("Shan Wei").iter().any(|k| shan.contains(k)));
        assert!(pinyin_keys("张玮").iter().any(|k| pinyin_keys("张伟").contains(k)));
        assert!(!pinyin_keys("李伟").iter().any(|k| pinyin_keys("张伟").contains(k)));
    }
}
