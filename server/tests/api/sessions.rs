//! Sessions: the idle and absolute timeouts, logout on the server, ending the sessions of a
//! disabled user, a new session id at every login, the refusal of cross-site requests and of
//! request bodies that do not decode.

use crate::helpers::{spawn_app, TestApp};
use app::api::{SessionInfo, UserRow};
use app::error::AppError;
use chrono::Duration;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A fresh app with the demo data.
async fn demo_app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

#[tokio::test]
async fn a_session_ends_after_30_minutes_without_a_request() {
    let app = demo_app().await;
    let client = app.logged_in("site-a").await;
    // Each request within 30 minutes keeps the session alive.
    for _ in 0..3 {
        app.advance(Duration::minutes(29));
        assert!(client.session().await.is_some());
        client
            .call("current_policy", json!({}))
            .await
            .ok::<serde_json::Value>();
    }
    app.advance(Duration::minutes(30));
    client
        .call("current_policy", json!({}))
        .await
        .ok::<serde_json::Value>();
    app.advance(Duration::minutes(30) + Duration::seconds(1));
    client
        .call("current_policy", json!({}))
        .await
        .assert_error(AppError::Unauthenticated);
    assert_eq!(client.session().await, None);
    // The expired session is deleted, not just ignored.
    let hash = server::security::sha256_hex(&client.cookie("vsys_session").unwrap());
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
        .bind(hash)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_session_ends_12_hours_after_login_however_active() {
    let app = demo_app().await;
    let client = app.logged_in("site-a").await;
    // 28 × 25 minutes = 11 h 40 min of steady use.
    for _ in 0..28 {
        app.advance(Duration::minutes(25));
        assert!(client.session().await.is_some());
    }
    app.advance(Duration::minutes(20));
    assert!(client.session().await.is_some(), "exactly 12 h is still in");
    app.advance(Duration::seconds(1));
    assert_eq!(client.session().await, None);
    client
        .call("current_policy", json!({}))
        .await
        .assert_error(AppError::Unauthenticated);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_so_a_copied_cookie_is_worthless() {
    let app = demo_app().await;
    let admin = app.logged_in("admin").await;
    let token = admin.cookie("vsys_session").expect("a session cookie");
    let copy = app.client_with_cookie_header(&format!("vsys_session={token}"));
    copy.call("list_users", json!({"text": ""}))
        .await
        .ok::<Vec<UserRow>>();

    admin.logout().await;
    assert_eq!(admin.cookie("vsys_session"), None, "the cookie is cleared");
    copy.call("list_users", json!({"text": ""}))
        .await
        .assert_error(AppError::Unauthenticated);
    assert_eq!(copy.session().await, None);
    // Logging out twice, or without a session, is harmless.
    copy.logout().await;
    app.client().logout().await;
}

#[tokio::test]
async fn disabling_a_user_ends_its_sessions_and_stops_its_logins() {
    let app = demo_app().await;
    let site = app.logged_in("site-a").await;
    let site_a = app.user_id("site-a").await;
    let admin = app.logged_in("admin").await;
    admin
        .call(
            "set_user_disabled",
            json!({"user_id": site_a, "disabled": true}),
        )
        .await
        .ok::<()>();
    site.call("current_policy", json!({}))
        .await
        .assert_error(AppError::Unauthenticated);
    assert_eq!(site.session().await, None);
    // A disabled user reads like an unknown one, even with the right password.
    site.call(
        "login",
        json!({"form": {"login_id": "site-a", "password": crate::helpers::DEMO_PASSWORD}}),
    )
    .await
    .assert_error(AppError::InvalidCredentials);
    // The admin cannot disable itself.
    admin
        .call(
            "set_user_disabled",
            json!({"user_id": app.user_id("admin").await, "disabled": true}),
        )
        .await
        .assert_error(AppError::Forbidden);

    admin
        .call(
            "set_user_disabled",
            json!({"user_id": site_a, "disabled": false}),
        )
        .await
        .ok::<()>();
    app.login(&site, "site-a").await;
}

#[tokio::test]
async fn every_login_issues_a_new_session_id_and_ends_the_one_the_browser_brought() {
    let app = demo_app().await;
    let client = app.client();
    app.login(&client, "site-a").await;
    let first = client.cookie("vsys_session").unwrap();
    app.login(&client, "site-a").await;
    let second = client.cookie("vsys_session").unwrap();
    assert_ne!(first, second);
    assert_eq!(second.len(), 43, "256 random bits, base64url");
    let old = app.client_with_cookie_header(&format!("vsys_session={first}"));
    assert_eq!(old.session().await, None);
    assert!(client.session().await.is_some());

    // A session id planted before login (session fixation) is not adopted.
    let planted = app.client_with_cookie_header("vsys_session=planted-by-an-attacker");
    let outcome: serde_json::Value = planted
        .call(
            "login",
            json!({"form": {"login_id": "admin", "password": crate::helpers::DEMO_PASSWORD}}),
        )
        .await
        .ok();
    let challenge = outcome["Totp"]["challenge"].as_str().unwrap().to_string();
    let code = app.totp_code("admin").await;
    let answer = planted
        .call(
            "login_second_factor",
            json!({"form": {"challenge": challenge, "code": code}}),
        )
        .await;
    answer.ok::<SessionInfo>();
    assert_eq!(planted.session().await, None);
}

/// A header map of `pairs`.
fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

#[tokio::test]
async fn cross_site_requests_are_refused_and_same_origin_ones_pass() {
    let app = demo_app().await;
    let admin = app.logged_in("admin").await;
    let site_a = app.user_id("site-a").await;
    let disable = json!({"user_id": site_a, "disabled": true});

    for refused in [
        headers(&[("sec-fetch-site", "cross-site")]),
        headers(&[("sec-fetch-site", "same-site")]),
        headers(&[("origin", "https://evil.example")]),
    ] {
        let answer = admin
            .call_with_headers("set_user_disabled", disable.clone(), refused)
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert_eq!(answer.body, "\"CrossSiteRequest\"");
    }
    let rows: Vec<UserRow> = admin
        .call("list_users", json!({"text": "site-a"}))
        .await
        .ok();
    assert!(!rows[0].disabled, "the refused requests changed nothing");

    for allowed in [
        headers(&[("sec-fetch-site", "same-origin")]),
        headers(&[("sec-fetch-site", "none")]),
        headers(&[("origin", app.address.as_str())]),
    ] {
        admin
            .call_with_headers("current_session", json!({}), allowed)
            .await
            .ok::<Option<SessionInfo>>()
            .expect("logged in");
    }

    let answer = app.client().request(Method::GET, "/api/login").await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    let answer = app.client().call("no_such_function", json!({})).await;
    answer.assert_error(AppError::NotFound);
}

#[tokio::test]
async fn a_request_body_that_does_not_decode_gets_400_and_reaches_no_server_function() {
    let app = demo_app().await;
    let client = app.client();
    for body in [
        json!({}),
        json!({"form": 5}),
        json!({"form": {"login_id": "site-a"}}),
        json!({"form": {"login_id": "site-a", "password": 12345678}}),
        json!([]),
    ] {
        let answer = client.call("login", body.clone()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}: {answer:?}");
        // Still an error the browser can read.
        answer.error();
    }
    let response = reqwest::Client::new()
        .post(format!("{}/api/login", app.address))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // None of them got as far as checking a password.
    let failures: i64 = sqlx::query_scalar("SELECT failed_logins FROM users WHERE login_id = $1")
        .bind("site-a")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(failures, 0);

    // The same for a logged-in caller, whose request changes nothing.
    let admin = app.logged_in("admin").await;
    let site_a = app.user_id("site-a").await;
    let answer = admin
        .call(
            "set_user_disabled",
            json!({"user_id": site_a.to_string(), "disabled": "yes"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{answer:?}");
    let rows: Vec<UserRow> = admin
        .call("list_users", json!({"text": "site-a"}))
        .await
        .ok();
    assert!(!rows[0].disabled);
    // A well-formed request right after is answered as usual.
    client
        .call(
            "login",
            json!({"form": {"login_id": "site-a", "password": "a wrong password"}}),
        )
        .await
        .assert_error(AppError::InvalidCredentials);
}

#[tokio::test]
async fn api_answers_are_never_cached_and_carry_the_security_headers() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(format!("{}/api/current_session", app.address))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("referrer-policy"), "no-referrer");
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
}
