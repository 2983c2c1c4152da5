//! End to end in a real browser: `personbase serve --demo` driven through headless Chromium
//! by WebDriver (Debian's `chromium` and `chromium-driver`), the way a case worker and a
//! citizen use it. Each scenario saves a screenshot of its key page to `docs/screenshots/`.
//!
//! Without `chromedriver` and `chromium` the test says so and skips, so that `cargo test`
//! works on a machine without them; CI installs both and sets `PERSONBASE_E2E=require`, which
//! turns a missing browser into a failure.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test: a failure is a test failure")]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn find_driver() -> Option<PathBuf> {
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("chromedriver")).collect::<Vec<_>>())
        .unwrap_or_default();
    candidates.into_iter().chain([PathBuf::from("/usr/bin/chromedriver")]).find(|p| p.is_file())
}

/// The running service, its console, the browser driver and a browser session.
struct Stack {
    base: String,
    db: PathBuf,
    console: Arc<Mutex<Vec<String>>>,
    client: Client,
    shots: PathBuf,
    _server: Killed,
    _driver: Killed,
    _dir: tempfile::TempDir,
}

impl Stack {
    /// Starts everything, or `None` (with the reason printed) when no browser is installed.
    async fn start() -> Option<Stack> {
        let driver_path = find_driver().filter(|_| Path::new(CHROMIUM).is_file());
        let Some(driver_path) = driver_path else {
            let required = std::env::var("PERSONBASE_E2E").is_ok_and(|v| v == "require");
            assert!(!required, "PERSONBASE_E2E=require but chromium or chromedriver is missing");
            eprintln!(
                "SKIPPED: browser tests need Debian's chromium and chromium-driver \
                 (apt-get install chromium chromium-driver); .ci/run installs them"
            );
            return None;
        };

        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("e2e.db");
        let port = free_port();
        let mut server = Command::new(env!("CARGO_BIN_EXE_personbase"))
            .args(["serve", "--demo", "--persons", "200", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--db")
            .arg(format!("sqlite://{}?mode=rwc", db.display()))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let console = Arc::new(Mutex::new(Vec::new()));
        let stdout = server.stdout.take().unwrap();
        let lines = Arc::clone(&console);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let server = Killed(server);
        let started = Instant::now();
        while !console.lock().unwrap().iter().any(|l| l.contains("已启动")) {
            assert!(started.elapsed() < Duration::from_secs(120), "the service did not start");
            std::thread::sleep(Duration::from_millis(100));
        }

        let driver_port = free_port();
        let driver = Killed(
            Command::new(driver_path)
                .arg(format!("--port={driver_port}"))
                // Chromium on Linux takes the locale of its own interface (the date input's
                // 年/月/日) from LANGUAGE; --lang and the accept-language preference set the
                // rest. LANG stays a UTF-8 locale every system has, so that file names in
                // Chinese still reach the upload inputs.
                .env("LANG", "C.UTF-8")
                .env("LANGUAGE", "zh_CN:zh")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let profile = dir.path().join("profile");
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--lang=zh-CN",
                    "--window-size=1280,900",
                    "--accept-lang=zh-CN,zh",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": { "intl.accept_languages": "zh-CN,zh" }
            }
        });
        let caps = caps.as_object().unwrap().clone();
        let webdriver = format!("http://127.0.0.1:{driver_port}");
        let started = Instant::now();
        let client = loop {
            // WebDriver on loopback speaks plain HTTP: no TLS stack needed.
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(_) if started.elapsed() < Duration::from_secs(30) => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(err) => panic!("cannot start a browser session: {err}"),
            }
        };
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        Some(Stack {
            base: format!("http://127.0.0.1:{port}"),
            db,
            console,
            client,
            shots,
            _server: server,
            _driver: driver,
            _dir: dir,
        })
    }

    async fn go(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => {
                let body = match self.client.find(Locator::Css("main")).await {
                    Ok(main) => main.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!("no element {css} on {} ({e}); the page says:\n{body}", self.path().await)
            }
        }
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Chooses the option with `value` in a select, as a click on it (which fires the
    /// events htmx listens to).
    async fn choose(&self, css: &str, value: &str) {
        self.find(css).await.select_by_value(value).await.unwrap();
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Clicks what leads to another page, and waits until the browser has left this one (the
    /// old page's root element goes stale), so that the next look is at the new page.
    async fn submit(&self, css: &str) {
        let old = self.client.find(Locator::Css("html")).await.unwrap();
        self.click(css).await;
        let started = Instant::now();
        while old.tag_name().await.is_ok() {
            assert!(started.elapsed() < Duration::from_secs(30), "{css} led nowhere");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn path(&self) -> String {
        self.client.current_url().await.map(|u| u.path().to_owned()).unwrap_or_default()
    }

    /// Waits until the element's text contains `needle` (pages update after htmx requests).
    async fn wait_text(&self, css: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{css} never showed {needle:?}; it shows {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a screenshot is a PNG");
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    async fn login(&self, login: &str, password: &str) {
        self.logout().await;
        self.go("/login").await;
        self.fill("input[name=login]", login).await;
        self.fill("input[name=password]", password).await;
        self.submit("#login-submit").await;
        self.find("#who-name").await;
    }

    async fn logout(&self) {
        self.client.delete_all_cookies().await.unwrap();
    }

    /// Rows of the journal with `action` about `person`.
    async fn journal_count(&self, action: &str, person: i64) -> i64 {
        let url = format!("sqlite://{}?mode=ro", self.db.display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM journal WHERE action = ? AND person_id = ?")
                .bind(action)
                .bind(person)
                .fetch_one(&pool)
                .await
                .unwrap();
        pool.close().await;
        n
    }
}

/// The demo's accounts (deterministic: `personbase demo` prints them).
const NANGANG_SI: (&str, &str) = ("hrb-nangang-si", "Demo-p28gp3");
const NANGANG_EMP: (&str, &str) = ("hrb-nangang-emp", "Demo-a5ecnh");
const HARBIN_SI: (&str, &str) = ("hrb-si", "Demo-nzx9hb");
const HARBIN_CENTRE: (&str, &str) = ("hrb-centre", "Demo-kzqjkd");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_workers_and_citizens_in_a_browser() {
    let Some(stack) = Stack::start().await else { return };
    login_page_and_header(&stack).await;
    masked_list_and_journaled_unmasking(&stack).await;
    refused_change_shows_the_rule(&stack).await;
    three_agency_number_change(&stack).await;
    person_confirms_on_self_service(&stack).await;
    self_service_is_contact_only(&stack).await;
    centre_overview(&stack).await;
    stack.client.clone().close().await.unwrap();
}

/// One value of the demo database.
async fn db_text(stack: &Stack, sql: &'static str, id: i64) -> String {
    let url = format!("sqlite://{}?mode=ro", stack.db.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let value: String = sqlx::query_scalar(sql).bind(id).fetch_one(&pool).await.unwrap();
    pool.close().await;
    value
}

/// The 15-digit form of an 18-digit citizen number: no century, no check character.
fn fifteen(ssn: &str) -> String {
    format!("{}{}", &ssn[..6], &ssn[8..17])
}

/// Search by the 15-digit form of a number finds the 18-digit record, masked; the full record
/// needs a reason and lands in the journal (R4.2).
async fn masked_list_and_journaled_unmasking(stack: &Stack) {
    stack.login(NANGANG_SI.0, NANGANG_SI.1).await;
    let ssn = db_text(stack, "SELECT ssn FROM persons WHERE id = ?", 1).await;
    let name = db_text(stack, "SELECT name FROM persons WHERE id = ?", 1).await;
    stack.go("/search").await;
    stack.fill("#q-number", &fifteen(&ssn)).await;
    stack.submit("#search-submit").await;
    let results = stack.text("table#results").await;
    let masked = format!("{}**********{}", &ssn[..4], &ssn[14..]);
    assert!(results.contains(&masked), "masked number {masked} in {results}");
    assert!(!results.contains(&ssn), "the full number is not listed");
    assert!(!results.contains(&name), "the full name is not listed");
    stack.shot("search").await;

    stack.submit("a.person-link").await;
    let record = stack.text("#record").await;
    assert!(!record.contains(&ssn), "the person's page is masked");
    let before = stack.journal_count("person.viewed", 1).await;
    stack.fill("#unmask-reason", "核对参保信息").await;
    stack.submit("#unmask-submit").await;
    let full = stack.text("#record-full").await;
    assert!(full.contains(&ssn) && full.contains(&name), "the full record: {full}");
    assert_eq!(stack.journal_count("person.viewed", 1).await, before + 1, "journaled");
    stack.shot("person-unmasked").await;
}

/// Person 3 has a pension transfer in transit: the preview refuses as the operator types,
/// naming the rule, the transaction and what to do (R2.12).
async fn refused_change_shows_the_rule(stack: &Stack) {
    stack.login(NANGANG_SI.0, NANGANG_SI.1).await;
    stack.go("/persons/3/change").await;
    stack.choose("#f-household_type", "20").await;
    let preview = stack.wait_text("#preview", "在途业务").await;
    assert!(preview.contains("YL2026000003"), "names the transaction: {preview}");
    assert!(preview.contains("办结"), "says what to do: {preview}");
    assert_eq!(stack.text("#preview-rule").await, "in-transit-blocks");
    stack.shot("change-refused").await;
}

/// Person 1 is enrolled at three agencies: a new identity number waits for employment first,
/// then both social insurance agencies, and is effective after the last signature (R2.2,
/// R2.3), with the documents the agency must see (R4.3) uploaded with the request.
async fn three_agency_number_change(stack: &Stack) {
    let old = db_text(stack, "SELECT ssn FROM persons WHERE id = ?", 1).await;
    let new = with_sequence(&old, "195");
    stack.login(NANGANG_SI.0, NANGANG_SI.1).await;
    stack.go("/persons/1/change").await;
    stack.fill("#f-reason", "本人持证更正社会保障号码").await;
    stack.fill("#f-ssn", &new).await;
    let steps = stack.wait_text("#preview", "就业").await;
    let order: Vec<String> = {
        let items = stack.client.find_all(Locator::Css("#preview-steps li")).await.unwrap();
        let mut texts = Vec::new();
        for item in items {
            texts.push(item.text().await.unwrap());
        }
        texts
    };
    assert_eq!(order.len(), 3, "three agencies sign: {steps}");
    assert!(order[0].contains("南岗区就业服务中心"), "employment first: {order:?}");
    let upload = stack.dir().join("身份证复印件.pdf");
    std::fs::write(&upload, b"%PDF-1.4 demo").unwrap();
    for input in stack.client.find_all(Locator::Css("#change-form input[type=file]")).await.unwrap()
    {
        input.send_keys(&upload.display().to_string()).await.unwrap();
    }
    stack.shot("change-preview").await;
    stack.submit("#change-submit").await;
    let status = stack.find("#request-status").await;
    assert_eq!(status.attr("data-status").await.unwrap().as_deref(), Some("waiting_for_signoff"));
    let request = stack.path().await.trim_start_matches("/requests/").to_owned();

    for (login, password) in [NANGANG_EMP, HARBIN_SI, NANGANG_SI] {
        stack.login(login, password).await;
        stack.go("/inbox").await;
        stack.submit(&format!("tr[data-request=\"{request}\"] a")).await;
        if login == NANGANG_EMP.0 {
            stack.shot("request-sign-off").await;
        }
        stack.submit("#signoff-submit").await;
    }
    let status = stack.find("#request-status").await;
    assert_eq!(status.attr("data-status").await.unwrap().as_deref(), Some("effective"));
    assert_eq!(db_text(stack, "SELECT ssn FROM persons WHERE id = ?", 1).await, new);
}

/// `ssn` with its sequence replaced and the check character recomputed.
fn with_sequence(ssn: &str, sequence: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first = format!("{}{sequence}", &ssn[..14]);
    let sum: u32 = first.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{first}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// Logs a citizen in with the development provider: number, name, and the one-time code the
/// service prints on its console.
async fn citizen_login(stack: &Stack, person: i64) {
    stack.logout().await;
    let ssn = db_text(stack, "SELECT ssn FROM persons WHERE id = ?", person).await;
    let name = db_text(stack, "SELECT name FROM persons WHERE id = ?", person).await;
    stack.go("/self/login").await;
    stack.fill("#dev-number", &ssn).await;
    stack.fill("#dev-name", &name).await;
    let seen = stack.console.lock().unwrap().len();
    stack.submit("#dev-send").await;
    let masked = format!("{}**********{}", &ssn[..4], &ssn[14..]);
    let started = Instant::now();
    let code = loop {
        let line = stack.console.lock().unwrap()[seen..]
            .iter()
            .find(|l| l.contains("[dev-login]") && l.contains(&masked))
            .cloned();
        if let Some(line) = line {
            break line.split_whitespace().last().unwrap().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no one-time code on the console");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    stack.fill("#dev-code", &code).await;
    stack.submit("#dev-login").await;
    stack.find("#self-record").await;
}

/// Person 2 holds three lines: a household-type change waits for the person, who confirms
/// it on the self-service page (R2.4); then it is effective.
async fn person_confirms_on_self_service(stack: &Stack) {
    stack.login(NANGANG_SI.0, NANGANG_SI.1).await;
    stack.go("/persons/2/change").await;
    stack.fill("#f-reason", "户籍性质变更").await;
    stack.choose("#f-household_type", "20").await;
    stack.wait_text("#preview", "本人").await;
    stack.submit("#change-submit").await;
    let status = stack.find("#request-status").await;
    assert_eq!(status.attr("data-status").await.unwrap().as_deref(), Some("waiting_for_person"));
    let request = stack.path().await.trim_start_matches("/requests/").to_owned();

    citizen_login(stack, 2).await;
    stack.client.set_window_size(390, 844).await.unwrap();
    let form = format!("form.confirm-form[data-request=\"{request}\"]");
    stack.find(&form).await;
    stack.shot("self-service-confirm").await;
    stack.submit(&format!("{form} .confirm-yes")).await;
    stack.find("#self-record").await;
    stack.client.set_window_size(1280, 900).await.unwrap();
    let state =
        db_text(stack, "SELECT state FROM change_requests WHERE id = ?", request.parse().unwrap())
            .await;
    assert_eq!(state, "effective");
    assert_eq!(db_text(stack, "SELECT household_type FROM persons WHERE id = ?", 2).await, "20");
}

/// On the self-service page a person changes their phone with immediate effect; the form
/// offers nothing else, and the other fields say how to get them changed (R2.10).
async fn self_service_is_contact_only(stack: &Stack) {
    citizen_login(stack, 2).await;
    stack.client.set_window_size(390, 844).await.unwrap();
    let fields = stack
        .client
        .find_all(Locator::Css("#contact-form input:not([type=hidden])"))
        .await
        .unwrap();
    let mut names = Vec::new();
    for field in fields {
        names.push(field.attr("name").await.unwrap().unwrap_or_default());
    }
    names.sort();
    assert_eq!(names, ["home_address", "phone"]);
    assert!(stack.text("#how-to-change").await.contains("社会保障号码"));
    stack.fill("#f-phone", "13812345678").await;
    stack.submit("#contact-submit").await;
    stack.find("#self-record").await;
    stack.shot("self-service").await;
    stack.client.set_window_size(1280, 900).await.unwrap();
    assert_eq!(db_text(stack, "SELECT phone FROM persons WHERE id = ?", 2).await, "13812345678");
}

/// A wrong password is refused in Chinese; the right one shows the header with operator,
/// agency, level and region.
async fn login_page_and_header(stack: &Stack) {
    stack.go("/search").await;
    assert_eq!(stack.path().await, "/login", "a page without a session asks to log in");
    stack.shot("login").await;
    stack.fill("input[name=login]", NANGANG_SI.0).await;
    stack.fill("input[name=password]", "wrong").await;
    stack.submit("#login-submit").await;
    assert!(stack.text(".refusal").await.contains("用户名或密码错误"));

    stack.login(NANGANG_SI.0, NANGANG_SI.1).await;
    assert_eq!(stack.path().await, "/search", "login returns to the page asked for");
    assert_eq!(stack.text("#who-agency").await, "哈尔滨市南岗区社会保险事业局");
    let header = stack.text("header").await;
    assert!(header.contains("县级") && header.contains("230103"), "{header}");
}

/// The Harbin information centre sees its region's requests and same-day completion, as
/// tables and charts, and any person's trail (R1.1); a county agency is turned away.
async fn centre_overview(stack: &Stack) {
    stack.login(NANGANG_SI.0, NANGANG_SI.1).await;
    stack.go("/centre").await;
    assert!(stack.client.find(Locator::Css("svg#chart-agency")).await.is_err());

    stack.login(HARBIN_CENTRE.0, HARBIN_CENTRE.1).await;
    stack.go("/centre").await;
    let open = stack.text("table#open-requests").await;
    assert!(open.contains("2301**********"), "the demo's open requests, masked: {open}");
    let bars = stack.client.find_all(Locator::Css("svg#chart-agency rect.bar")).await.unwrap();
    assert!(!bars.is_empty(), "one bar per agency");
    stack.shot("centre").await;
    stack.go("/centre/audit?person=1").await;
    let trail = stack.text("table#audit-trail").await;
    assert!(trail.contains("南岗区就业服务中心"), "who signed person 1's change: {trail}");
    stack.shot("centre-audit").await;
}
