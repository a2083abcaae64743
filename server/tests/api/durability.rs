//! Durability of acknowledged records: the real `vsys` binary, started as a child process on the
//! test's fresh database (SQLite in WAL with synchronous=NORMAL, or PostgreSQL with
//! `VSYS_TEST_DB=postgres`), is killed with SIGKILL in the middle of a stream of 接種実績
//! registrations; started again on the same database, it still has every registration it
//! answered 200 to, with the vials each took, and the session the stream used.

use crate::helpers::{spawn_app, TestApp, DEMO_PASSWORD};
use app::api::{LoginOutcome, SiteRecords};
use app::domain::{jst_date, MovementKind, NewLot};
use chrono::{NaiveDate, TimeDelta, Utc};
use serde_json::json;
use server::db::stock::{self, Movement};
use server::db::{master, policy, supply, users, DbKind};
use server::security::hash_password;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Registrations answered before the kill (the stream goes on until the process dies).
const ACKNOWLEDGED_BEFORE_KILL: usize = 40;
/// Vials the site holds at the start (each day of the stream takes one).
const GIVEN: i64 = 1_000;
/// Days the stream may register, one per request, oldest first.
const DAYS: i64 = 300;

/// The `vsys serve` child process; killed (SIGKILL) when dropped.
struct Served {
    child: Child,
    address: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `vsys serve` on `database_url` on a free port and waits until it answers.
async fn serve(database_url: &str) -> Served {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let address = format!("http://127.0.0.1:{port}");
    let key = data_encoding::HEXLOWER.encode(&server::security::random_bytes::<32>());
    let child = Command::new(env!("CARGO_BIN_EXE_vsys"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("VSYS_BIND", format!("127.0.0.1:{port}"))
        .env("VSYS_PUBLIC_URL", &address)
        .env(
            "VSYS_DIST_DIR",
            std::env::temp_dir().join("vsys-test-no-frontend"),
        )
        .env("VSYS_DEV_OUTBOX", "1")
        .env("VSYS_TOTP_KEY", key)
        .env("RUST_LOG", "error")
        .env_remove("SMTP_HOST")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("start vsys");
    let mut served = Served { child, address };
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let probe = http
            .post(format!("{}/api/current_session", served.address))
            .json(&json!({}))
            .send()
            .await;
        if probe.is_ok_and(|r| r.status().is_success()) {
            return served;
        }
        if let Ok(Some(status)) = served.child.try_wait() {
            panic!("vsys serve exited at start: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "vsys serve did not answer in 15 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A site handling pfizer with [`GIVEN`] vials of a lot that outlives the test, and its user
/// (password set, consented, authenticator declined). Returns the site id and the login id.
async fn prepared_site(app: &TestApp) -> (i64, &'static str) {
    let login_id = "durable-site";
    let now = Utc::now();
    let db = &app.state.db;
    let mut tx = db.begin().await.unwrap();
    let site_id = master::max_site_id(&mut tx).await.unwrap() + 1;
    let row = master::NewSiteRow {
        id: site_id,
        municipality: "131016".into(),
        name: "夜間接種会場".into(),
        kind: "basic",
        basic: None,
        postal_code: String::new(),
        address: String::new(),
        general_public: "restricted",
        reservation_status: "unregistered",
        reservation_updated_at: None,
        details: "{}".into(),
    };
    master::insert_sites_with_ids(&mut tx, &[row], now)
        .await
        .unwrap();
    if db.kind == DbKind::Postgres {
        master::sync_site_id_sequence(&mut tx).await.unwrap();
    }
    sqlx::query("INSERT INTO site_vaccines (site_id, vaccine_code) VALUES ($1, 'pfizer')")
        .bind(site_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    let lot = NewLot {
        vaccine: "pfizer".into(),
        lot_number: "DURABLE1".into(),
        expires_on: jst_date(now) + TimeDelta::days(365),
    };
    let lot_id = supply::insert_lot(&mut tx, &lot, None, now).await.unwrap();
    let receipt = Movement {
        site_id,
        lot_id,
        kind: MovementKind::Receipt,
        vials: GIVEN,
        occurred_on: jst_date(now) - TimeDelta::days(DAYS + 1),
        reference_id: None,
        note: "",
        at: now,
        user_id: None,
    };
    stock::record_movement(&mut tx, &receipt)
        .await
        .unwrap()
        .unwrap();
    let user = users::NewUserRecord {
        login_id,
        email: "durable-site@example.jp",
        display_name: "接種 夜子",
        role: "site",
        site_id: Some(site_id),
        ..Default::default()
    };
    let user_id = users::insert(&mut tx, &user, now).await.unwrap();
    let hash = hash_password(DEMO_PASSWORD);
    users::set_password_hash(&mut tx, user_id, &hash)
        .await
        .unwrap();
    users::set_totp_offered(&mut tx, user_id).await.unwrap();
    let consent = policy::current(&mut tx).await.unwrap().version;
    policy::consent(&mut tx, user_id, consent, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (site_id, login_id)
}

/// Logs `login_id` in at the child (password, then the code from the outbox); returns the
/// session cookie as a `Cookie` header value.
async fn log_in(app: &TestApp, served: &Served, login_id: &str) -> String {
    let http = reqwest::Client::new();
    let outcome: LoginOutcome = http
        .post(format!("{}/api/login", served.address))
        .json(&json!({"form": {"login_id": login_id, "password": DEMO_PASSWORD}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let LoginOutcome::EmailCode { challenge, .. } = outcome else {
        panic!("expected the e-mailed code step, got {outcome:?}");
    };
    let code = app
        .wait_for_mail("durable-site@example.jp", 0)
        .await
        .login_code();
    let response = http
        .post(format!("{}/api/login_second_factor", served.address))
        .json(&json!({"form": {"challenge": challenge, "code": code}}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let prefix = format!("{}=", server::service::SESSION_COOKIE);
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&prefix))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// The registration of day `k` (from 1): `k` people so far, one more each day, a vial each.
fn day_form(site_id: i64, day: NaiveDate, k: u32) -> serde_json::Value {
    let mut cells = vec!["0".to_string(); app::domain::CELLS];
    cells[1] = k.to_string();
    json!({
        "site_id": site_id,
        "form": {
            "administered_on": day.to_string(),
            "vaccines": [{"vaccine": "pfizer", "cells": cells, "lot": ""}],
            "confirm_correction": false,
        }
    })
}

#[tokio::test]
async fn every_acknowledged_record_survives_a_sigkill_of_the_server() {
    let app = spawn_app().await;
    let (site_id, login_id) = prepared_site(&app).await;
    let database_url = app.state.config.database_url.clone();
    let served = serve(&database_url).await;
    let session = log_in(&app, &served, login_id).await;

    // One client registers day after day, back to back, and keeps the days answered 200.
    let acknowledged: Arc<Mutex<Vec<(NaiveDate, u32)>>> = Arc::default();
    let stream = {
        let acknowledged = acknowledged.clone();
        let (address, session) = (served.address.clone(), session.clone());
        let today = jst_date(Utc::now());
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            for k in 1..=DAYS {
                let day = today - TimeDelta::days(DAYS - k);
                let sent = http
                    .post(format!("{address}/api/register_records"))
                    .header(reqwest::header::COOKIE, &session)
                    .json(&day_form(site_id, day, k as u32))
                    .send()
                    .await;
                let Ok(response) = sent else {
                    return k; // the server is gone
                };
                let status = response.status();
                let Ok(body) = response.text().await else {
                    return k;
                };
                assert_eq!(status, 200, "registration of {day} refused: {body}");
                acknowledged.lock().unwrap().push((day, k as u32));
            }
            DAYS + 1
        })
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while acknowledged.lock().unwrap().len() < ACKNOWLEDGED_BEFORE_KILL {
        assert!(
            Instant::now() < deadline,
            "only {} registrations in 10 s",
            acknowledged.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    drop(served); // SIGKILL, in the middle of a request
    let stopped_at = stream.await.expect("the stream ends without a failure");
    assert!(stopped_at <= DAYS, "the stream ended before the kill");
    let acknowledged = acknowledged.lock().unwrap().clone();

    let served = serve(&database_url).await;
    let records: SiteRecords = reqwest::Client::new()
        .post(format!("{}/api/load_site_records", served.address))
        .header(reqwest::header::COOKIE, &session)
        .json(&json!({"site_id": site_id}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .expect("the session of the stream still works after the restart");
    let pfizer = &records.vaccines[0];
    for (day, people) in &acknowledged {
        let stored = pfizer
            .history
            .iter()
            .find(|r| r.on == day.to_string())
            .unwrap_or_else(|| panic!("the acknowledged record of {day} is gone"));
        assert_eq!(stored.cumulative.total(), u64::from(*people), "{day}");
        assert_eq!(stored.vials, 1, "the vial of {day}");
    }
    // At most the request in flight at the kill committed without its answer.
    let stored = pfizer.history.len();
    assert!(
        stored == acknowledged.len() || stored == acknowledged.len() + 1,
        "{stored} stored, {} acknowledged",
        acknowledged.len()
    );
    let used: i64 = pfizer.history.iter().map(|r| r.vials).sum();
    assert_eq!(pfizer.reconciliation.held_vials + used, GIVEN);
}
