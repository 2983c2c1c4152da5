//! Dates as legacy systems write them: `1985-03-07`, `1985/3/7`, `1985.3.7`, `19850307`,
//! `1985年3月7日`, with or without a time after them, and Excel serial numbers.

use chrono::NaiveDate;

/// Excel's day 0 for serials from 61 on (Excel counts a 29 February 1900 that never was).
fn excel_epoch() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1899, 12, 30)
}

/// The date of an Excel serial number (1900 date system); `None` outside 1900–2199.
pub fn from_excel_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..=109_574.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Serials 1..=59 are 1900-01-01..1900-02-28; 60 is Excel's phantom 29 February.
    let days = if days < 61 { days + 1 } else { days };
    if days == 61 && serial.floor() as i64 == 60 {
        return None;
    }
    excel_epoch()?.checked_add_days(chrono::Days::new(u64::try_from(days).ok()?))
}

/// Reads a date in any of the forms legacy files use. A bare number of up to 5 digits is
/// an Excel serial. `None` when it is no date.
pub fn parse(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            8 => ymd(&s[..4], &s[4..6], &s[6..]),
            1..=5 => from_excel_serial(s.parse::<f64>().ok()?),
            _ => None,
        };
    }
    if let Some((int, frac)) = s.split_once('.')
        && int.len() <= 5
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && s.matches('.').count() == 1
    {
        return from_excel_serial(s.parse::<f64>().ok()?);
    }
    let cleaned = s.trim_end_matches('日');
    let mut parts = cleaned.split(['-', '/', '.', '年', '月']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    ymd(y, m, d)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let num = |p: &str, max: usize| {
        let p = p.trim();
        (!p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    if y.trim().len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(num(y, 4)?).ok()?, num(m, 2)?, num(d, 2)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_legacy_files_use() {
        let d = NaiveDate::from_ymd_opt(1985, 3, 7);
        for s in [
            "1985-03-07",
            "1985/3/7",
            "1985.3.7",
            "19850307",
            "1985年3月7日",
            "1985年03月07日",
            " 1985-3-7 00:00:00",
            "1985-03-07T00:00:00",
            "31113",
            "31113.0",
        ] {
            assert_eq!(parse(s), d, "{s}");
        }
        for s in ["", "1985-02-30", "85-3-7", "198503", "abc", "1985-3", "1985-3-7-1", "60"] {
            assert_eq!(parse(s), None, "{s}");
        }
        assert_eq!(from_excel_serial(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(from_excel_serial(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
    }
}
