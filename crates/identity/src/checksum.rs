//! Check characters: ISO 7064 MOD 11-2 (GB 11643), ISO 7064 MOD 37,36 (our foreigners'
//! social security numbers) and the 7-3-1 weights of the 2017 permanent residence card.

/// Weights of MOD 11-2 for the first 17 characters: 2^(18-i) mod 11.
const WEIGHTS_11_2: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The MOD 11-2 check character of 17 ASCII digits (`'0'..='9'` or `'X'`).
/// Bytes that are not digits count as their offset from `'0'`; callers check first.
pub fn mod11_2(digits: &[u8; 17]) -> u8 {
    let mut sum = 0u32;
    for (d, w) in digits.iter().zip(WEIGHTS_11_2) {
        sum += u32::from(d.wrapping_sub(b'0')) * w;
    }
    let value = (12 - (sum % 11)) % 11;
    if value == 10 { b'X' } else { b'0' + value as u8 }
}

/// The MOD 11-2 check character of 17 digit values (`0..=9`).
pub fn mod11_2_values(values: &[u8; 17]) -> u8 {
    let sum: u32 = values.iter().zip(WEIGHTS_11_2).map(|(&v, w)| u32::from(v) * w).sum();
    let value = (12 - (sum % 11)) % 11;
    if value == 10 { b'X' } else { b'0' + value as u8 }
}

/// The value of an alphanumeric character: `0`-`9` then `A`=10 .. `Z`=35.
pub fn alnum_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

/// The character of an alphanumeric value `0..36`.
fn alnum_char(v: u32) -> u8 {
    if v < 10 { b'0' + v as u8 } else { b'A' + (v - 10) as u8 }
}

/// ISO 7064 MOD 37,36 (hybrid system) check character over `0-9A-Z`.
/// `None` when a byte is not an upper-case letter or digit.
pub fn mod37_36(data: &[u8]) -> Option<u8> {
    let mut p = 36u32;
    for &c in data {
        let mut s = (p + alnum_value(c)?) % 36;
        if s == 0 {
            s = 36;
        }
        p = (s * 2) % 37;
    }
    Some(alnum_char((37 - p) % 36))
}

/// The 7-3-1 check digit of the 2017 permanent residence card (letters count A=10).
pub fn weights_731(data: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &c) in data.iter().enumerate() {
        let w = [7, 3, 1][i % 3];
        sum += alnum_value(c)? * w;
    }
    Some(b'0' + (sum % 10) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod11_2_matches_the_standards_examples() {
        assert_eq!(mod11_2(b"11010519491231002"), b'X');
        assert_eq!(mod11_2(b"44052418800101001"), b'4');
        let values: [u8; 17] = std::array::from_fn(|i| b"11010519491231002"[i] - b'0');
        assert_eq!(mod11_2_values(&values), b'X');
    }

    #[test]
    fn mod37_36_catches_every_single_substitution() {
        let base = b"CHN23010100000001";
        let check = mod37_36(base).unwrap_or(b'?');
        let mut changed = *base;
        for i in 0..changed.len() {
            for c in (b'0'..=b'9').chain(b'A'..=b'Z') {
                if c == base[i] {
                    continue;
                }
                changed[i] = c;
                assert_ne!(mod37_36(&changed), Some(check), "position {i} char {c}");
            }
            changed[i] = base[i];
        }
    }

    #[test]
    fn weights_731_known_value() {
        // 7*1 + 3*2 + 1*3 = 16 -> 6
        assert_eq!(weights_731(b"123"), Some(b'6'));
        assert_eq!(weights_731(b"a"), None);
    }
}
