//! The findings of the security probe, each as the attack that worked before its fix: the
//! development outbox, a reset that skipped the authenticator, enumeration and targeted lockout,
//! code guessing through one link, rate limits per account and behind proxies, search texts,
//! bodies that cannot be read, hidden characters, secrets at rest and HSTS.

use crate::helpers::{password_form, spawn_app, spawn_app_with, verify_form, TestApp, TestClient};
use crate::helpers::{Answer, DEMO_PASSWORD, NEW_PASSWORD};
use app::api::{
    FinderResult, LoginOutcome, SessionInfo, SetupProgress, SetupStarted, SetupVerified,
    SiteRecordEdit, SiteRecordView,
};
use app::error::{AppError, FieldError};
use chrono::Duration;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Value};
use server::security::ProxyRange;

async fn demo_app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

/// A demo app whose server believes `X-Forwarded-For` from 127.0.0.1, so each test client can
/// stand for a different address.
async fn demo_app_behind_proxy(configure: impl FnOnce(&mut server::config::Config)) -> TestApp {
    let app = spawn_app_with(|config| {
        config.trusted_proxies = vec![ProxyRange::parse("127.0.0.1").unwrap()];
        configure(config);
    })
    .await;
    app.load_demo().await;
    app
}

fn login_form(login_id: &str, password: &str) -> Value {
    json!({"form": {"login_id": login_id, "password": password}})
}

/// Headers saying the request was forwarded for `ip`.
fn from(ip: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", HeaderValue::from_str(ip).unwrap());
    headers
}

async fn login_from(client: &TestClient, ip: &str, login_id: &str, password: &str) -> Answer {
    client
        .call_with_headers("login", login_form(login_id, password), from(ip))
        .await
}

/// What an answer says, without the instant a lock ends (which differs by a second or so).
fn kind(answer: &Answer) -> String {
    match answer.error() {
        AppError::AccountLocked { .. } => format!("{} AccountLocked", answer.status),
        other => format!("{} {other:?}", answer.status),
    }
}

#[tokio::test]
async fn the_outbox_is_closed_unless_switched_on_so_no_stranger_reads_a_reset_link() {
    let app = demo_app().await;
    let stranger = app.client();
    stranger
        .call("request_password_reset", json!({"login_id": "admin"}))
        .await
        .ok::<()>();
    let email = app.email_of("admin").await;
    // The mail is kept (undelivered) but nothing over HTTP reads it.
    app.wait_for_mail(&email, 0).await;
    let answer = stranger.call("dev_outbox", json!({})).await;
    answer.assert_error(AppError::NotFound);
    assert!(!answer.body.contains("setup?token="), "{}", answer.body);
    let open: bool = stranger.call("dev_outbox_open", json!({})).await.ok();
    assert!(!open, "the login page must not offer a closed outbox");
}

#[tokio::test]
async fn the_switched_on_outbox_answers_only_to_a_loopback_host_name() {
    let app = spawn_app_with(|config| config.dev_outbox = true).await;
    app.load_demo().await;
    let client = app.client();
    client
        .call("request_password_reset", json!({"login_id": "site-a"}))
        .await
        .ok::<()>();
    app.wait_for_mail(&app.email_of("site-a").await, 0).await;
    let mails: Vec<Value> = client.call("dev_outbox", json!({})).await.ok();
    assert!(!mails.is_empty());
    let open: bool = client.call("dev_outbox_open", json!({})).await.ok();
    assert!(open, "the login page offers the outbox it may read");
    // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own Host.
    let port = app.address.rsplit(':').next().unwrap();
    let mut rebound = HeaderMap::new();
    rebound.insert(
        "host",
        HeaderValue::from_str(&format!("attacker.example:{port}")).unwrap(),
    );
    client
        .call_with_headers("dev_outbox", json!({}), rebound.clone())
        .await
        .assert_error(AppError::NotFound);
    let open: bool = client
        .call_with_headers("dev_outbox_open", json!({}), rebound)
        .await
        .ok();
    assert!(!open);
}

/// Walks a reset of `login_id` up to the password step in `client`; returns the attempt.
async fn reset_up_to_password(app: &TestApp, client: &TestClient, login_id: &str) -> SetupVerified {
    let email = app.email_of(login_id).await;
    let after = app.last_mail_id().await;
    client
        .call("request_password_reset", json!({ "login_id": login_id }))
        .await
        .ok::<()>();
    let token = app.wait_for_mail(&email, after).await.link_token();
    let (started, code) = app.open_link(client, &token).await;
    let verified: SetupVerified = client
        .call("setup_verify", verify_form(&started.attempt, &code))
        .await
        .ok();
    assert!(started.is_reset);
    verified
}

#[tokio::test]
async fn a_reset_of_an_account_with_an_authenticator_needs_its_code_before_any_session() {
    let app = demo_app().await;
    let client = app.client();
    let verified = reset_up_to_password(&app, &client, "chiyoda").await;
    assert!(verified.needs_second_factor);
    let progress: SetupProgress = client.call("setup_resume", json!({})).await.ok();
    let attempt = progress.started.attempt.clone();

    // The mailbox alone: refused, no session, the old password still stands.
    client
        .set_password(&attempt, NEW_PASSWORD)
        .await
        .assert_field_error("second_factor", FieldError::Required);
    let mut wrong = password_form(&attempt, NEW_PASSWORD, NEW_PASSWORD);
    wrong["form"]["second_factor"] = json!("000000");
    let code = app.totp_code("chiyoda").await;
    if code == "000000" {
        wrong["form"]["second_factor"] = json!("000001");
    }
    client
        .call("setup_password", wrong)
        .await
        .assert_field_error("second_factor", FieldError::CodeRejected);
    assert_eq!(client.session().await, None);
    let outcome: LoginOutcome = app
        .client()
        .call("login", login_form("chiyoda", DEMO_PASSWORD))
        .await
        .ok();
    assert!(matches!(outcome, LoginOutcome::Totp { .. }));

    // With the authenticator's code the reset completes and logs in.
    let mut right = password_form(&attempt, NEW_PASSWORD, NEW_PASSWORD);
    right["form"]["second_factor"] = json!(app.totp_code("chiyoda").await);
    let info: SessionInfo = client.call("setup_password", right).await.ok();
    assert_eq!(info.login_id, "chiyoda");
    app.client()
        .call("login", login_form("chiyoda", DEMO_PASSWORD))
        .await
        .assert_error(AppError::InvalidCredentials);

    // A user without an authenticator app resets with the mailbox alone, as before.
    let site = app.client();
    let verified = reset_up_to_password(&app, &site, "site-a").await;
    assert!(!verified.needs_second_factor);
    let progress: SetupProgress = site.call("setup_resume", json!({})).await.ok();
    let info: SessionInfo = site
        .set_password(&progress.started.attempt, NEW_PASSWORD)
        .await
        .ok();
    assert_eq!(info.login_id, "site-a");
}

#[tokio::test]
async fn unknown_and_known_user_names_get_the_same_answers_and_delays() {
    let app = demo_app().await;
    let known = app.client();
    let unknown = app.client();
    let mut answers = Vec::new();
    for wait in [0, 0, 0, 0, 0, 0, 2, 4, 8, 16, 32, 0] {
        app.advance(Duration::seconds(wait));
        let a = known
            .call("login", login_form("site-a", "a wrong guess 1"))
            .await;
        let b = unknown
            .call("login", login_form("no-such-user", "a wrong guess 1"))
            .await;
        answers.push((kind(&a), kind(&b)));
    }
    for (known, unknown) in &answers {
        assert_eq!(known, unknown, "every answer: {answers:?}");
    }
    assert!(answers.iter().any(|(a, _)| a.contains("TooManyRequests")));
    assert!(answers.iter().any(|(a, _)| a.contains("AccountLocked")));
}

#[tokio::test]
async fn a_stranger_who_hammers_an_id_locks_out_only_their_own_address() {
    let app = demo_app_behind_proxy(|_| {}).await;
    let attacker = app.client();
    for wait in [0, 0, 0, 0, 0, 2, 4, 8, 16, 32] {
        app.advance(Duration::seconds(wait));
        login_from(&attacker, "198.51.100.66", "site-a", "a wrong guess 2").await;
    }
    let locked = login_from(&attacker, "198.51.100.66", "site-a", DEMO_PASSWORD).await;
    assert!(
        matches!(locked.error(), AppError::AccountLocked { .. }),
        "{}",
        locked.body
    );

    // The nurse at the clinic, from another address, still logs in with the password and the
    // e-mailed code (the wrong guesses made the second step mandatory).
    let nurse = app.client();
    let outcome: LoginOutcome = login_from(&nurse, "203.0.113.10", "site-a", DEMO_PASSWORD)
        .await
        .ok();
    let LoginOutcome::EmailCode { challenge, .. } = outcome else {
        panic!("expected the e-mailed code, got {outcome:?}");
    };
    let code = app
        .latest_mail(&app.email_of("site-a").await)
        .await
        .unwrap()
        .login_code();
    let info: SessionInfo = nurse
        .call_with_headers(
            "login_second_factor",
            json!({"form": {"challenge": challenge, "code": code}}),
            from("203.0.113.10"),
        )
        .await
        .ok();
    assert_eq!(info.login_id, "site-a");
}

#[tokio::test]
async fn after_many_wrong_passwords_a_known_browser_must_also_give_the_second_step() {
    let app = demo_app_behind_proxy(|_| {}).await;
    let clinic = app.client();
    app.login(&clinic, "site-a").await;
    clinic.logout().await;
    let outcome: LoginOutcome = clinic
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .ok();
    assert!(
        matches!(outcome, LoginOutcome::LoggedIn(_)),
        "a known browser: {outcome:?}"
    );
    clinic.logout().await;

    // Ten wrong passwords from ten addresses (no single one is slowed down).
    let attacker = app.client();
    for i in 0..10 {
        login_from(
            &attacker,
            &format!("198.51.100.{i}"),
            "site-a",
            "a wrong guess 3",
        )
        .await
        .assert_error(AppError::InvalidCredentials);
    }
    let outcome: LoginOutcome = clinic
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .ok();
    assert!(
        matches!(outcome, LoginOutcome::EmailCode { .. }),
        "the password alone must not do now: {outcome:?}"
    );
}

#[tokio::test]
async fn one_account_takes_a_limited_number_of_logins_a_minute_from_all_addresses() {
    let app = demo_app_behind_proxy(|config| config.account_rate_limit_per_minute = 3).await;
    let client = app.client();
    for i in 0..3 {
        login_from(
            &client,
            &format!("198.51.100.{i}"),
            "site-a",
            "a wrong guess 4",
        )
        .await
        .assert_error(AppError::InvalidCredentials);
    }
    let over = login_from(&client, "198.51.100.9", "site-a", "a wrong guess 4").await;
    assert!(
        matches!(over.error(), AppError::TooManyRequests { .. }),
        "{}",
        over.body
    );
    // An unknown name is limited alike; another account is not affected.
    for i in 0..3 {
        login_from(
            &client,
            &format!("198.51.100.{i}"),
            "nobody-else",
            "x guess",
        )
        .await
        .assert_error(AppError::InvalidCredentials);
    }
    let over = login_from(&client, "198.51.100.9", "nobody-else", "x guess").await;
    assert!(matches!(over.error(), AppError::TooManyRequests { .. }));
    login_from(&client, "198.51.100.9", "supplier", "a wrong guess 4")
        .await
        .assert_error(AppError::InvalidCredentials);
    app.advance(Duration::minutes(1));
    login_from(&client, "198.51.100.9", "site-a", "a wrong guess 4")
        .await
        .assert_error(AppError::InvalidCredentials);
}

#[tokio::test]
async fn the_per_address_limit_believes_forwarded_addresses_only_from_a_trusted_proxy() {
    let behind_proxy = demo_app_behind_proxy(|config| config.auth_rate_limit_per_minute = 2).await;
    let client = behind_proxy.client();
    for ip in ["198.51.100.1", "198.51.100.2"] {
        for _ in 0..2 {
            login_from(&client, ip, "nobody-a", "guess")
                .await
                .assert_error(AppError::InvalidCredentials);
        }
    }
    let over = login_from(&client, "198.51.100.1", "nobody-a", "guess").await;
    assert!(matches!(over.error(), AppError::TooManyRequests { .. }));

    // Without a trusted proxy, a forged header gains nothing: it is all one address.
    let direct = spawn_app_with(|config| config.auth_rate_limit_per_minute = 2).await;
    let client = direct.client();
    login_from(&client, "198.51.100.1", "nobody-b", "guess").await;
    login_from(&client, "198.51.100.2", "nobody-b", "guess").await;
    let over = login_from(&client, "198.51.100.3", "nobody-b", "guess").await;
    assert!(
        matches!(over.error(), AppError::TooManyRequests { .. }),
        "{}",
        over.body
    );
}

#[tokio::test]
async fn one_link_sends_at_most_three_codes_then_is_void() {
    let app = demo_app().await;
    let admin = app.logged_in("admin").await;
    let (_, token) = app
        .issue_user(
            &admin,
            crate::helpers::site_user_form("guess-target", app.site_id("千代田区A病院").await),
        )
        .await;
    // Each new browser (no cookie) gets a new code with five tries: three codes at most.
    for _ in 0..3 {
        let (started, _) = app.open_link(&app.client(), &token).await;
        assert_eq!(started.login_id, "guess-target");
    }
    app.client()
        .call("setup_begin", json!({ "token": token }))
        .await
        .assert_error(AppError::LinkInvalid);
    // The link stays void.
    app.client()
        .call("setup_begin", json!({ "token": token }))
        .await
        .assert_error(AppError::LinkInvalid);
}

#[tokio::test]
async fn a_reload_or_a_second_tab_continues_the_same_attempt() {
    let app = demo_app().await;
    let admin = app.logged_in("admin").await;
    let (_, token) = app
        .issue_user(
            &admin,
            crate::helpers::site_user_form("reload-nurse", app.site_id("千代田区A病院").await),
        )
        .await;
    let browser = app.client();
    let (started, code) = app.open_link(&browser, &token).await;
    // A reload (the page has lost the attempt; the browser keeps its cookie) resumes the code step.
    let mails = app.last_mail_id().await;
    let progress: SetupProgress = browser.call("setup_resume", json!({})).await.ok();
    assert_eq!(progress.started.attempt, started.attempt);
    assert_eq!(progress.verified, None);
    // The link opened again in a second tab continues too, without another code.
    let again: SetupStarted = browser
        .call("setup_begin", json!({ "token": token }))
        .await
        .ok();
    assert_eq!(again.attempt, started.attempt);
    assert_eq!(app.last_mail_id().await, mails);
    browser
        .call("setup_verify", verify_form(&started.attempt, &code))
        .await
        .ok::<SetupVerified>();
    // After the code: a reload lands on the password step, even though the link is used up.
    let progress: SetupProgress = browser.call("setup_resume", json!({})).await.ok();
    assert_eq!(
        progress.verified.map(|v| v.login_id).as_deref(),
        Some("reload-nurse")
    );
    browser
        .call("setup_begin", json!({ "token": token }))
        .await
        .assert_error(AppError::LinkInvalid);
    // Another browser has no attempt to continue.
    app.client()
        .call("setup_resume", json!({}))
        .await
        .assert_error(AppError::AttemptExpired);
    let info: SessionInfo = browser
        .set_password(&started.attempt, NEW_PASSWORD)
        .await
        .ok();
    assert_eq!(info.login_id, "reload-nurse");
    browser
        .call("setup_resume", json!({}))
        .await
        .assert_error(AppError::AttemptExpired);
}

#[tokio::test]
async fn search_texts_are_limited_and_their_wildcards_match_literally() {
    let app = demo_app().await;
    let admin = app.logged_in("admin").await;
    let long = "%".repeat(50_000);
    admin
        .call("list_users", json!({ "text": long }))
        .await
        .assert_field_error("text", FieldError::TooLong { max: 100 });
    admin
        .call(
            "list_audit",
            json!({"query": {"entity": "", "text": long, "before_id": null}}),
        )
        .await
        .assert_field_error("text", FieldError::TooLong { max: 100 });
    // `%` and `_` are characters to find, not patterns that match everyone.
    let rows: Vec<Value> = admin.call("list_users", json!({"text": "%"})).await.ok();
    assert!(rows.is_empty(), "{rows:?}");
    let rows: Vec<Value> = admin.call("list_users", json!({"text": "_"})).await.ok();
    assert!(rows.is_empty(), "{rows:?}");
    let rows: Vec<Value> = admin
        .call("list_users", json!({"text": "site-"}))
        .await
        .ok();
    assert_eq!(rows.len(), 2, "site-a and site-d");
}

#[tokio::test]
async fn unreadable_bodies_get_a_generic_400_and_oversized_ones_413() {
    let app = demo_app().await;
    let site = app.logged_in("site-a").await;
    let answer = site
        .call("load_site_record", json!({"nonsense": true}))
        .await;
    answer.assert_error(AppError::BadRequest);
    for leak in ["LoadSiteRecord", "expected", "missing", "serde"] {
        assert!(!answer.body.contains(leak), "{}", answer.body);
    }
    let huge = "x".repeat(3 * 1024 * 1024);
    site.call("list_users", json!({ "text": huge }))
        .await
        .assert_error(AppError::PayloadTooLarge);
}

#[tokio::test]
async fn hidden_and_direction_changing_characters_never_reach_the_public_finder() {
    let app = demo_app().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let site_id = app.site_id("千代田区Bクリニック").await;
    let view: SiteRecordView = chiyoda
        .call("load_site_record", json!({ "site_id": site_id }))
        .await
        .ok();
    let mut record = view.record.clone();
    record.notice = "予約は\u{202E}gpj.exe\u{200B}電話で\u{0}\r\n二行目".into();
    record.name_en = "Chiyoda\u{2066} B Clinic\u{FEFF}".into();
    let edit = SiteRecordEdit {
        site_id,
        version: view.version,
        base: view.record.clone(),
        record,
    };
    chiyoda
        .call("save_site_record", json!({ "save": edit }))
        .await
        .ok::<Value>();
    let saved: SiteRecordView = chiyoda
        .call("load_site_record", json!({ "site_id": site_id }))
        .await
        .ok();
    assert_eq!(saved.record.notice, "予約はgpj.exe電話で\n二行目");
    assert_eq!(saved.record.name_en, "Chiyoda B Clinic");
    let found: FinderResult = app
        .client()
        .call_get(
            "finder_search",
            &json!({"query": {"prefecture": 13, "municipality": "131016", "vaccine": "", "status": ""}}),
        )
        .await
        .ok();
    let listed = found
        .sites
        .iter()
        .find(|s| s.id == site_id)
        .expect("listed");
    assert!(!listed.notice.contains('\u{202E}') && !listed.notice.contains('\u{200B}'));
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_address_is_https() {
    let https = spawn_app_with(|config| config.public_url = "https://vsys.example.jp".into()).await;
    let answer = reqwest::get(format!("{}/login", https.address))
        .await
        .unwrap();
    assert_eq!(
        answer
            .headers()
            .get("strict-transport-security")
            .map(|v| v.to_str().unwrap()),
        Some("max-age=31536000; includeSubDomains")
    );
    let http = spawn_app().await;
    let answer = reqwest::get(format!("{}/login", http.address))
        .await
        .unwrap();
    assert!(answer.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn the_stored_authenticator_secrets_are_encrypted_and_legacy_ones_get_sealed_at_start() {
    let app = demo_app().await;
    let (id, stored): (i64, String) =
        sqlx::query_as("SELECT id, totp_secret FROM users WHERE login_id = 'admin'")
            .fetch_one(app.db())
            .await
            .unwrap();
    let secret = app.totp_secret("admin").await;
    assert!(!stored.contains(&secret));
    assert!(server::security::totp::code_at(&stored, 1)
        .is_none_or(|code| { Some(code) != server::security::totp::code_at(&secret, 1) }));
    // A database from before encryption (plain base32) is sealed when the server starts.
    sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2")
        .bind(&secret)
        .bind(id)
        .execute(app.db())
        .await
        .unwrap();
    server::seed::seal_plain_totp_secrets(&app.state.db, &app.state.secrets)
        .await
        .unwrap();
    assert_eq!(app.totp_secret("admin").await, secret);
    let again: String = sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert!(server::security::SecretBox::is_sealed(&again));
    app.logged_in("admin").await;
}

#[tokio::test]
async fn an_administrator_reads_site_records_but_leaves_changes_to_the_site_and_its_municipality() {
    let app = demo_app().await;
    let admin = app.logged_in("admin").await;
    let site_id = app.site_id("千代田区Bクリニック").await;
    let view: SiteRecordView = admin
        .call("load_site_record", json!({ "site_id": site_id }))
        .await
        .ok();
    let edit = SiteRecordEdit {
        site_id,
        version: view.version,
        base: view.record.clone(),
        record: view.record.clone(),
    };
    admin
        .call("save_site_record", json!({ "save": edit }))
        .await
        .assert_error(AppError::Forbidden);
    admin
        .call(
            "set_reservation_status",
            json!({"site_id": site_id, "status": "Available"}),
        )
        .await
        .assert_error(AppError::Forbidden);
}
