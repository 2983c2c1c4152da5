//! Normalisation of input as it really arrives: white space anywhere, full-width digits
//! and letters, lower-case letters, and spreadsheets' floating-point notation.
//!
//! The common case, a plain upper-case ASCII number, is borrowed as it is: no allocation.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use crate::error::{IdError, IdErrorKind};

/// One kind of change made to the input before checking it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Normalisation {
    /// White space before or after the number was removed.
    Trimmed,
    /// White space inside the number was removed.
    InnerWhitespace,
    /// Full-width or other compatibility characters were folded (NFKC).
    FullWidth,
    /// Lower-case letters (usually `x`) were upper-cased.
    UpperCase,
    /// A 15-digit number was upgraded to 18 characters.
    Upgraded15,
}

impl Normalisation {
    /// A stable snake_case code, as in the JSON output.
    pub fn code(self) -> &'static str {
        match self {
            Normalisation::Trimmed => "trimmed",
            Normalisation::InnerWhitespace => "inner_whitespace",
            Normalisation::FullWidth => "full_width",
            Normalisation::UpperCase => "upper_case",
            Normalisation::Upgraded15 => "upgraded_15",
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Normalisation::Trimmed => 1,
            Normalisation::InnerWhitespace => 2,
            Normalisation::FullWidth => 4,
            Normalisation::UpperCase => 8,
            Normalisation::Upgraded15 => 16,
        }
    }

    const ALL: [Normalisation; 5] = [
        Normalisation::Trimmed,
        Normalisation::InnerWhitespace,
        Normalisation::FullWidth,
        Normalisation::UpperCase,
        Normalisation::Upgraded15,
    ];
}

/// A set of [`Normalisation`]s, small and `Copy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Normalisations(u8);

impl Normalisations {
    /// Adds one normalisation to the set.
    pub fn insert(&mut self, n: Normalisation) {
        self.0 |= n.bit();
    }

    /// Whether the set holds `n`.
    pub fn contains(self, n: Normalisation) -> bool {
        self.0 & n.bit() != 0
    }

    /// Whether nothing was changed.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The normalisations in a fixed order.
    pub fn iter(self) -> impl Iterator<Item = Normalisation> {
        Normalisation::ALL.into_iter().filter(move |n| self.contains(*n))
    }
}

/// The input after normalisation, and what was changed.
pub(crate) struct Normalised<'a> {
    pub text: Cow<'a, str>,
    pub applied: Normalisations,
}

/// Normalises `input`. Fails only for empty input and for floating-point notation.
#[cfg(test)]
pub(crate) fn normalise(input: &str) -> Result<Normalised<'_>, IdError> {
    if is_plain(input) {
        return Ok(Normalised { text: Cow::Borrowed(input), applied: Normalisations::default() });
    }
    slow(input)
}

fn is_plain(input: &str) -> bool {
    !input.is_empty() && input.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// Longest ASCII input normalised on the stack.
const INLINE: usize = 48;

/// Normalises `input` and hands the result to `f`, without allocating for plain input or
/// for short ASCII input with white space or lower-case letters.
pub(crate) fn with_normalised<R>(
    input: &str,
    f: impl FnOnce(&str, Normalisations) -> R,
) -> Result<R, IdError> {
    if is_plain(input) {
        return Ok(f(input, Normalisations::default()));
    }
    if let Some(inline) = inline(input) {
        let (buf, len, applied) = inline?;
        return Ok(f(std::str::from_utf8(&buf[..len]).unwrap_or_default(), applied));
    }
    let n = slow(input)?;
    Ok(f(&n.text, n.applied))
}

/// A normalised input on the stack: bytes, how many are used, what was changed.
type Inline = ([u8; INLINE], usize, Normalisations);

/// The stack path: ASCII, full-width ASCII forms (U+FF01..U+FF5E, which NFKC maps to
/// ASCII by subtracting 0xFEE0) and white space, up to [`INLINE`] characters kept.
/// `None` when the input needs the general path. Gives the same result as [`slow`].
fn inline(input: &str) -> Option<Result<Inline, IdError>> {
    if input.len() > INLINE * 3 {
        return None;
    }
    let mut buf = [0u8; INLINE];
    let mut len = 0;
    let mut applied = Normalisations::default();
    let trimmed = input.trim();
    if trimmed.len() != input.len() {
        applied.insert(Normalisation::Trimmed);
    }
    for c in trimmed.chars() {
        let ascii = match c {
            _ if c.is_ascii() => c as u8,
            '\u{FF01}'..='\u{FF5E}' => {
                applied.insert(Normalisation::FullWidth);
                (c as u32 - 0xFEE0) as u8
            }
            _ if c.is_whitespace() => {
                // NFKC folds most non-ASCII spaces to U+0020 (counted as full width by the
                // general path); leave the rare others to it.
                if !matches!(c, '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200A}') {
                    return None;
                }
                applied.insert(Normalisation::FullWidth);
                b' '
            }
            _ => return None,
        };
        if char::from(ascii).is_whitespace() {
            applied.insert(Normalisation::InnerWhitespace);
            continue;
        }
        if ascii.is_ascii_lowercase() {
            applied.insert(Normalisation::UpperCase);
        }
        *buf.get_mut(len)? = ascii.to_ascii_uppercase();
        len += 1;
    }
    if len == 0 {
        return Some(Err(IdError::new(IdErrorKind::Empty)));
    }
    if is_scientific(&buf[..len]) {
        return Some(Err(IdError::new(IdErrorKind::Scientific)));
    }
    Some(Ok((buf, len, applied)))
}

/// White space, and the invisible characters that exports and copied text carry: the byte
/// order mark (U+FEFF) at the start of a Windows file, the zero-width space (U+200B).
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}')
}

fn slow(input: &str) -> Result<Normalised<'_>, IdError> {
    let mut applied = Normalisations::default();

    let trimmed = input.trim_matches(is_space);
    if trimmed.len() != input.len() {
        applied.insert(Normalisation::Trimmed);
    }
    if trimmed.is_empty() {
        return Err(IdError::new(IdErrorKind::Empty));
    }

    let mut out = String::with_capacity(trimmed.len().min(64));
    if trimmed.is_ascii() {
        out.push_str(trimmed);
    } else {
        out.extend(trimmed.nfkc());
        if out != trimmed {
            applied.insert(Normalisation::FullWidth);
        }
    }

    // Folding may have produced new white space (an ideographic space becomes a space).
    let before = out.len();
    let inner = out.trim_matches(is_space).len();
    out.retain(|c| !is_space(c));
    if out.len() != before {
        if inner == out.len() && before != inner {
            applied.insert(Normalisation::Trimmed);
        } else {
            applied.insert(Normalisation::InnerWhitespace);
        }
    }
    if out.is_empty() {
        return Err(IdError::new(IdErrorKind::Empty));
    }

    if out.bytes().any(|b| b.is_ascii_lowercase()) {
        out.make_ascii_uppercase();
        applied.insert(Normalisation::UpperCase);
    }

    if is_scientific(out.as_bytes()) {
        return Err(IdError::new(IdErrorKind::Scientific));
    }
    Ok(Normalised { text: Cow::Owned(out), applied })
}

/// `1.10105194912310E+17`, `1,1E17`, `1.1e+017`: what a spreadsheet makes of a long number.
fn is_scientific(s: &[u8]) -> bool {
    let Some(e) = s.iter().position(|&b| b == b'E') else {
        return false;
    };
    let (mantissa, exponent) = (&s[..e], &s[e + 1..]);
    let exponent = exponent.strip_prefix(b"+").unwrap_or(exponent);
    let mut parts = mantissa.splitn(2, |&b| b == b'.' || b == b',');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next().unwrap_or(b"0");
    let digits = |p: &[u8]| !p.is_empty() && p.iter().all(u8::is_ascii_digit);
    digits(int) && digits(frac) && digits(exponent) && mantissa.len() > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scientific_forms_are_recognised() {
        for s in ["1.10105194912310E+17", "1,1E17", "1.1E+017", "11E17"] {
            assert!(is_scientific(s.as_bytes()), "{s}");
        }
        for s in ["E17", "1.E17", "ABCE17", "11010519491231002X"] {
            assert!(!is_scientific(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn plain_input_is_borrowed() {
        let n = normalise("11010519491231002X").unwrap();
        assert!(matches!(n.text, Cow::Borrowed(_)));
        assert!(n.applied.is_empty());
    }

    #[test]
    fn inline_and_allocating_paths_agree() {
        for input in [" 11010519491231002x ", "110105 1949\t1231002X", " \u{b} ", "1.1e+17", "ab c"]
        {
            let slow = slow(input).map(|n| (n.text.into_owned(), n.applied));
            let inline = with_normalised(input, |t, a| (t.to_string(), a));
            assert_eq!(slow, inline, "{input:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn inline_path_equals_the_general_path(s in "[0-9xX０-９ｘＸ .eE+\u{3000}\u{a0}\t]{0,24}") {
            if let Some(inline) = inline(&s) {
                let general = slow(&s).map(|n| (n.text.into_owned(), n.applied));
                let inline = inline.map(|(buf, len, a)| {
                    (String::from_utf8_lossy(&buf[..len]).into_owned(), a)
                });
                proptest::prop_assert_eq!(general, inline);
            }
        }
    }

    #[test]
    fn full_width_space_and_lower_x() {
        let n = normalise(" １１０１０５ 19491231002x\u{3000}").unwrap();
        assert_eq!(n.text, "11010519491231002X");
        let codes: Vec<_> = n.applied.iter().map(Normalisation::code).collect();
        assert_eq!(codes, ["trimmed", "inner_whitespace", "full_width", "upper_case"]);
    }
}
