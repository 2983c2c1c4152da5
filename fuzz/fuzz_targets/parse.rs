//! Fuzz target: no input may make the identity parser panic, and what it accepts must
//! be consistent: the normalised form parses to itself, `check` agrees with `parse`.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use personbase_identity::{SocialSecurityNumber, check, upgrade_15};

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();

    let parsed = SocialSecurityNumber::parse(&input);
    let report = check(&input, today);
    let _ = upgrade_15(&input);

    if let Ok(n) = &parsed {
        let again = SocialSecurityNumber::parse(n.as_str());
        assert_eq!(again.as_ref().ok(), Some(n), "normalised form must parse to itself");
        assert_eq!(n.masked().chars().count(), 18);
        let _ = (n.birth_date(), n.gender(), n.division_code(), format!("{n:?}"));
        // check may add only the future-date error to what parse accepts.
        assert!(report.is_valid() || report.errors.iter().all(|e| e.code == "id.future"));
    }
    if report.is_valid() {
        assert!(parsed.is_ok(), "check accepted what parse refused");
    }
    if let Err(e) = parsed {
        let _ = (e.code(), e.message_zh(), e.position(), e.to_string());
    }
});
