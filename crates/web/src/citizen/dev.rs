//! The development identity provider: the citizen types number and name, the server prints a
//! one-time six-digit code on its console, the citizen types the code. It vouches for anyone
//! who can read the console, so it refuses to exist outside demo or test mode.
//!
//! The console line is exactly `自助服务演示验证码 [dev-login] <masked number> <code>` (the
//! number masked as [`SocialSecurityNumber::masked`] gives it); end-to-end tests read it from
//! the server's output. A code lasts [`CODE_MINUTES`] minutes, works once, and allows
//! [`CODE_TRIES`] tries; one number gets at most [`CODES_PER_NUMBER`] codes in
//! [`CODE_MINUTES`] minutes, so that starting over does not give a guesser fresh tries.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use personbase_server::auth::new_token;
use rand::Rng;

use super::provider::{
    Begin, Begun, BoxFuture, IdentityProvider, LoginError, LoginStart, Reply, VerifiedCitizen,
};

/// How long a code works.
pub const CODE_MINUTES: i64 = 5;
/// How many codes may be tried for one login before it must start again.
pub const CODE_TRIES: u32 = 5;
/// How many codes one number gets within [`CODE_MINUTES`] minutes: without a bound, a
/// guesser who starts over after every [`CODE_TRIES`] wrong codes tries without end.
pub const CODES_PER_NUMBER: usize = 3;
/// How many logins may wait for their code at once (a bound on memory).
const MAX_PENDING: usize = 10_000;

/// The mode the service runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMode {
    /// A real deployment: the development provider refuses to start.
    Production,
    /// `personbase serve --demo`.
    Demo,
    /// Automated tests.
    Test,
}

/// Where codes go.
#[derive(Clone, Debug)]
pub enum CodeSink {
    /// One line on the server's standard output.
    Console,
    /// Kept in memory, for tests to read.
    Capture(CapturedCodes),
}

/// Codes kept for tests: `(masked number, code)`, oldest first.
#[derive(Clone, Debug, Default)]
pub struct CapturedCodes(Arc<Mutex<Vec<(String, String)>>>);

impl CapturedCodes {
    /// The last code sent, with the masked number it was sent for.
    pub fn last(&self) -> Option<(String, String)> {
        lock(&self.0).last().cloned()
    }
}

/// The console line announcing a code.
pub fn console_line(masked_number: &str, code: &str) -> String {
    format!("{} [dev-login] {masked_number} {code}", crate::text::DEV_CODE_CONSOLE)
}

/// A login waiting for its code.
#[derive(Debug)]
struct Pending {
    binding: String,
    citizen: VerifiedCitizen,
    code: String,
    expires: DateTime<Utc>,
    tries_left: u32,
}

/// The development provider.
#[derive(Debug)]
pub struct DevProvider {
    sink: CodeSink,
    pending: Mutex<HashMap<String, Pending>>,
    /// When codes were sent, by number, within the last [`CODE_MINUTES`] minutes.
    sent: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

impl DevProvider {
    /// A development provider sending codes to `sink`; refused in production mode.
    pub fn new(mode: RunMode, sink: CodeSink) -> Result<Self, LoginError> {
        if mode == RunMode::Production {
            return Err(LoginError::DevProviderInProduction);
        }
        Ok(DevProvider {
            sink,
            pending: Mutex::new(HashMap::new()),
            sent: Mutex::new(HashMap::new()),
        })
    }

    fn send(&self, masked_number: &str, code: &str) {
        match &self.sink {
            CodeSink::Console => {
                let mut out = std::io::stdout().lock();
                // A closed standard output loses the code, nothing else: the login fails.
                let _ = writeln!(out, "{}", console_line(masked_number, code));
                let _ = out.flush();
            }
            CodeSink::Capture(codes) => {
                lock(&codes.0).push((masked_number.to_owned(), code.to_owned()));
            }
        }
    }

    fn begin_now(&self, begin: Begin<'_>) -> Result<Begun, LoginError> {
        let claimed = begin.claimed.ok_or(LoginError::InvalidName)?;
        let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32));
        let flow = new_token();
        let masked = claimed.number.masked();
        {
            let mut sent = lock(&self.sent);
            let window = begin.now - Duration::minutes(CODE_MINUTES);
            sent.retain(|_, times| {
                times.retain(|t| *t > window);
                !times.is_empty()
            });
            if sent.len() >= MAX_PENDING {
                return Err(LoginError::Busy);
            }
            let times = sent.entry(claimed.number.as_str().to_owned()).or_default();
            if times.len() >= CODES_PER_NUMBER {
                return Err(LoginError::TooManyCodes);
            }
            times.push(begin.now);
        }
        {
            let mut pending = lock(&self.pending);
            pending.retain(|_, p| p.expires > begin.now);
            if pending.len() >= MAX_PENDING {
                return Err(LoginError::Busy);
            }
            pending.insert(
                flow.clone(),
                Pending {
                    binding: begin.binding.to_owned(),
                    citizen: VerifiedCitizen { number: claimed.number, name: claimed.name },
                    code: code.clone(),
                    expires: begin.now + Duration::minutes(CODE_MINUTES),
                    tries_left: CODE_TRIES,
                },
            );
        }
        self.send(&masked, &code);
        tracing::info!("development login code sent");
        Ok(Begun::CodeForm { flow })
    }

    fn complete_now(&self, reply: Reply<'_>) -> Result<VerifiedCitizen, LoginError> {
        let flow = reply.param("flow").unwrap_or_default();
        let typed = reply.param("code").unwrap_or_default().trim();
        let mut pending = lock(&self.pending);
        let Some(entry) = pending.get_mut(flow) else { return Err(LoginError::CodeSpent) };
        if entry.expires <= reply.now || entry.binding != reply.binding {
            pending.remove(flow);
            return Err(LoginError::CodeSpent);
        }
        if !same(typed, &entry.code) {
            entry.tries_left = entry.tries_left.saturating_sub(1);
            if entry.tries_left == 0 {
                pending.remove(flow);
                return Err(LoginError::CodeSpent);
            }
            return Err(LoginError::WrongCode);
        }
        pending.remove(flow).map(|p| p.citizen).ok_or(LoginError::CodeSpent)
    }
}

impl IdentityProvider for DevProvider {
    fn start(&self) -> LoginStart {
        LoginStart::NumberAndName
    }

    fn begin<'a>(&'a self, begin: Begin<'a>) -> BoxFuture<'a, Result<Begun, LoginError>> {
        Box::pin(std::future::ready(self.begin_now(begin)))
    }

    fn complete<'a>(
        &'a self,
        reply: Reply<'a>,
    ) -> BoxFuture<'a, Result<VerifiedCitizen, LoginError>> {
        Box::pin(std::future::ready(self.complete_now(reply)))
    }
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A lock that survives a panic in another holder (the maps stay consistent: every update
/// is a single insert or remove).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citizen::provider::Claimed;
    use personbase_identity::SocialSecurityNumber;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000) + Duration::minutes(minutes)
    }

    fn started(dev: &DevProvider, codes: &CapturedCodes) -> (String, String) {
        let number = SocialSecurityNumber::parse("11010519491231002X").unwrap();
        let claimed = Claimed { number, name: "李秀英".to_owned() };
        let begin = Begin { binding: "browser", claimed: Some(claimed), now: at(0) };
        let Ok(Begun::CodeForm { flow }) = dev.begin_now(begin) else { panic!("no code form") };
        let (masked, code) = codes.last().unwrap();
        assert_eq!(masked, "1101**********002X");
        assert_eq!(code.len(), 6);
        (flow, code)
    }

    fn reply(dev: &DevProvider, binding: &str, flow: &str, code: &str, minutes: i64) -> String {
        let params = [("flow".to_owned(), flow.to_owned()), ("code".to_owned(), code.to_owned())];
        match dev.complete_now(Reply { binding, params: &params, now: at(minutes) }) {
            Ok(citizen) => citizen.name,
            Err(err) => format!("{err:?}"),
        }
    }

    fn wrong(code: &str) -> String {
        let other = (code.parse::<u32>().unwrap() + 1) % 1_000_000;
        format!("{other:06}")
    }

    #[test]
    fn the_development_provider_refuses_production_mode() {
        let refused = DevProvider::new(RunMode::Production, CodeSink::Console).unwrap_err();
        assert!(matches!(refused, LoginError::DevProviderInProduction));
        assert!(DevProvider::new(RunMode::Demo, CodeSink::Console).is_ok());
        assert!(DevProvider::new(RunMode::Test, CodeSink::Console).is_ok());
    }

    #[test]
    fn a_code_works_once_within_five_minutes_for_the_browser_that_asked() {
        let codes = CapturedCodes::default();
        let dev = DevProvider::new(RunMode::Test, CodeSink::Capture(codes.clone())).unwrap();

        let (flow, code) = started(&dev, &codes);
        assert_eq!(reply(&dev, "another browser", &flow, &code, 1), "CodeSpent");
        let (flow, code) = started(&dev, &codes);
        assert_eq!(reply(&dev, "browser", &flow, &code, 1), "李秀英");
        assert_eq!(reply(&dev, "browser", &flow, &code, 1), "CodeSpent", "one use");

        let (flow, code) = started(&dev, &codes);
        assert_eq!(reply(&dev, "browser", &flow, &code, CODE_MINUTES), "CodeSpent", "expired");
    }

    #[test]
    fn a_code_allows_five_tries() {
        let codes = CapturedCodes::default();
        let dev = DevProvider::new(RunMode::Test, CodeSink::Capture(codes.clone())).unwrap();
        let (flow, code) = started(&dev, &codes);
        for _ in 1..CODE_TRIES {
            assert_eq!(reply(&dev, "browser", &flow, &wrong(&code), 1), "WrongCode");
        }
        assert_eq!(reply(&dev, "browser", &flow, &wrong(&code), 1), "CodeSpent");
        assert_eq!(reply(&dev, "browser", &flow, &code, 1), "CodeSpent", "the right code is late");
    }

    #[test]
    fn one_number_gets_three_codes_in_five_minutes() {
        let codes = CapturedCodes::default();
        let dev = DevProvider::new(RunMode::Test, CodeSink::Capture(codes.clone())).unwrap();
        let number = SocialSecurityNumber::parse("11010519491231002X").unwrap();
        let begin = |minutes| {
            let claimed = Claimed { number: number.clone(), name: "李秀英".to_owned() };
            dev.begin_now(Begin { binding: "browser", claimed: Some(claimed), now: at(minutes) })
        };
        for _ in 0..CODES_PER_NUMBER {
            assert!(matches!(begin(0), Ok(Begun::CodeForm { .. })));
        }
        assert!(matches!(begin(1), Err(LoginError::TooManyCodes)));
        assert_eq!(codes.0.lock().unwrap().len(), CODES_PER_NUMBER, "no code was sent");
        assert!(matches!(begin(CODE_MINUTES), Ok(Begun::CodeForm { .. })), "a new window");
    }

    #[test]
    fn the_console_line_is_the_one_end_to_end_tests_read() {
        assert_eq!(
            console_line("1101**********002X", "042917"),
            "自助服务演示验证码 [dev-login] 1101**********002X 042917"
        );
    }
}
