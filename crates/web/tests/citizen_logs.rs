//! The citizens' pages log ids, never a name, number, address or phone: a refused login, a
//! login, a contact change and a refused change are captured at TRACE level and searched for
//! the personal values.

#![allow(clippy::unwrap_used, reason = "tests")]

mod citizen_support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use citizen_support::{Browser, dev_login, dev_pages};
use personbase_testkit::{World, number};

/// A writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_citizens_pages_log_ids_and_never_personal_data() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let world = World::new().await;
    let ssn = number(230103, "19850312", 123);
    let id = world.enter(&ssn, "欧阳修").await;
    let (app, codes) = dev_pages(&world.store);
    let mut browser = Browser::new(&app);
    dev_login(&mut browser, &codes, &ssn, "欧阳秀").await;
    dev_login(&mut browser, &codes, &ssn, "欧阳修").await;
    let page = browser.get("/self").await;
    let form = [("home_address", "黑龙江省哈尔滨市南岗区红旗大街88号"), ("phone", "13812345678")];
    browser.post("/self/contact", &page, &form).await;
    let page = browser.get("/self").await;
    browser.post("/self/contact", &page, &[("name", "欧阳秀")]).await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains(&format!("person={id}")), "ids are logged: {logs}");
    assert!(logs.contains("citizen login refused"), "{logs}");
    for secret in [ssn.as_str(), &ssn[..14], "欧阳修", "欧阳秀", "13812345678", "红旗大街"]
    {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
}
