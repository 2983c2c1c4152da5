//! Where "now" comes from. The rules never read the system clock: callers pass a [`Clock`],
//! which tests fix to a chosen moment. [`SystemClock`] is the only place in PersonBase that
//! asks the operating system for the time.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// China Standard Time (UTC+8, no daylight saving): the platform's calendar day.
pub const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    // Evaluated at compile time: an invalid offset fails the build, never a run.
    None => panic!("UTC+8 is a valid offset"),
};

/// A source of the current moment.
pub trait Clock: Send + Sync {
    /// The current moment.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in China Standard Time, the day that same-day completion (R4.1) and ages
    /// (R2.7) are counted in.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&CHINA).date_naive()
    }
}

/// The operating system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one moment, for tests and reproducible runs.
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// A clock at noon China time of the given day.
    pub fn at_noon(day: NaiveDate) -> Self {
        let noon = day.and_hms_opt(4, 0, 0).unwrap_or_default();
        FixedClock(Utc.from_utc_datetime(&noon))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}
