//! Logs carry ids, never a name or a number: every event of entering, reading, unmasking and
//! changing a person is captured at TRACE level and searched for the personal values.

use personbase_testkit as common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{World, change, number};
use personbase_domain::BusinessLine;
use serde_json::json;

/// A writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut captured = self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?;
        captured.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_name_ids_and_never_personal_data() {
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
    world.enrol(id, BusinessLine::Employment, &world.employment).await;
    world.post("/api/v1/persons/search", &world.employment, json!({ "ssn": ssn })).await;
    world
        .post(
            &format!("/api/v1/persons/{id}/unmask"),
            &world.employment,
            json!({ "reason": "核对" }),
        )
        .await;
    let body = change("card_reader", json!({ "phone": "13812345678", "name": "欧阳秀" }));
    world.post(&format!("/api/v1/persons/{id}/changes"), &world.employment, body).await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains(&format!("person={id}")), "ids are logged: {logs}");
    for secret in [ssn.as_str(), &ssn[..14], "欧阳修", "欧阳秀", "13812345678"] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
}
