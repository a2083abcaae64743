//! Login: one answer for every wrong user name or password, growing delays and the lockout
//! (wrong second-step codes count like wrong passwords), unlocking, the e-mailed code for
//! unknown browsers, and the password reset.

use crate::helpers::{spawn_app, verify_form, TestApp, TestClient, DEMO_PASSWORD, NEW_PASSWORD};
use app::api::{LoginOutcome, SessionInfo, UserRow};
use app::error::{AppError, FieldError};
use chrono::Duration;
use serde_json::{json, Value};

/// A fresh app with the demo data.
async fn demo_app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

/// The login request body.
fn login_form(login_id: &str, password: &str) -> Value {
    json!({"form": {"login_id": login_id, "password": password}})
}

/// Logs in with a wrong password and returns the answer.
async fn wrong_password(client: &TestClient, login_id: &str) -> crate::helpers::Answer {
    client
        .call("login", login_form(login_id, "not the right password"))
        .await
}

/// The body of `login_second_factor`.
fn code_form(challenge: &str, code: &str) -> Value {
    json!({"form": {"challenge": challenge, "code": code}})
}

/// A six-digit code that is not `code`.
fn other_than(code: &str) -> &'static str {
    if code == "000000" {
        "000001"
    } else {
        "000000"
    }
}

/// Logs `login_id` in with the right password from a browser it does not know yet and returns
/// the challenge and the code mailed for it.
async fn mailed_challenge(app: &TestApp, client: &TestClient, login_id: &str) -> (String, String) {
    let after = app.last_mail_id().await;
    let outcome: LoginOutcome = client
        .call("login", login_form(login_id, DEMO_PASSWORD))
        .await
        .ok();
    let LoginOutcome::EmailCode { challenge, .. } = outcome else {
        panic!("expected an e-mailed code, got {outcome:?}");
    };
    let email = app.email_of(login_id).await;
    let code = app.wait_for_mail(&email, after).await.login_code();
    (challenge, code)
}

/// The account's count of wrong passwords (from every address) as stored.
async fn failed_logins(app: &TestApp, login_id: &str) -> i64 {
    sqlx::query_scalar("SELECT failed_logins FROM users WHERE login_id = $1")
        .bind(login_id)
        .fetch_one(app.db())
        .await
        .unwrap()
}

/// The account's count of wrong second-step codes after a right password, as stored.
async fn failed_codes(app: &TestApp, login_id: &str) -> i64 {
    sqlx::query_scalar("SELECT failed_codes FROM users WHERE login_id = $1")
        .bind(login_id)
        .fetch_one(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = demo_app().await;
    let client = app.client();
    let wrong = wrong_password(&client, "site-a").await;
    wrong.assert_error(AppError::InvalidCredentials);
    let unknown = client
        .call("login", login_form("nobody-here", DEMO_PASSWORD))
        .await;
    unknown.assert_error(AppError::InvalidCredentials);
    assert_eq!(wrong.body, unknown.body);
    // A user name is compared case-insensitively; an empty form is a validation error.
    let outcome: LoginOutcome = client
        .call("login", login_form("SITE-A", DEMO_PASSWORD))
        .await
        .ok();
    assert!(matches!(outcome, LoginOutcome::EmailCode { .. }));
    let empty = client.call("login", login_form("", "")).await;
    assert_eq!(empty.status.as_u16(), 422);
    assert_eq!(client.session().await, None);
}

#[tokio::test]
async fn failures_slow_logins_down_then_lock_out_this_address_until_the_municipality_unlocks_it() {
    let app = demo_app().await;
    let client = app.client();
    for _ in 0..5 {
        wrong_password(&client, "site-a")
            .await
            .assert_error(AppError::InvalidCredentials);
    }
    // From the fifth failure on, each attempt must wait: 2, 4, 8, 16, 32 seconds. Within the
    // wait even the right password is refused.
    client
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .assert_error(AppError::TooManyRequests {
            retry_after_secs: 2,
        });
    for wait in [2, 4, 8, 16] {
        app.advance(Duration::seconds(wait));
        wrong_password(&client, "site-a")
            .await
            .assert_error(AppError::InvalidCredentials);
    }
    wrong_password(&client, "site-a")
        .await
        .assert_error(AppError::TooManyRequests {
            retry_after_secs: 32,
        });
    app.advance(Duration::seconds(32));
    let until = server::clock::to_jst_rfc3339(app.now() + chrono::Duration::minutes(15));
    let locked = wrong_password(&client, "site-a").await;
    assert_eq!(locked.status.as_u16(), 423, "{}", locked.body);
    locked.assert_error(AppError::AccountLocked {
        until: until.clone(),
    });
    app.advance(Duration::minutes(5));
    client
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .assert_error(AppError::AccountLocked {
            until: until.clone(),
        });

    // The municipality of the site sees the failures and lifts the lock; another municipality
    // cannot. (The account itself is not locked: only this address is, see security.rs.)
    let site_a = app.user_id("site-a").await;
    let minato = app.logged_in("minato").await;
    minato
        .call("unlock_user", json!({ "user_id": site_a }))
        .await
        .assert_error(AppError::Forbidden);
    let chiyoda = app.logged_in("chiyoda").await;
    let rows: Vec<UserRow> = chiyoda
        .call("list_users", json!({"text": "site-a"}))
        .await
        .ok();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].failed_logins, 10);
    chiyoda
        .call("unlock_user", json!({ "user_id": site_a }))
        .await
        .ok::<()>();
    let info = app.login(&client, "site-a").await;
    assert_eq!(info.login_id, "site-a");
    let rows: Vec<UserRow> = chiyoda
        .call("list_users", json!({"text": "site-a"}))
        .await
        .ok();
    assert_eq!(
        (rows[0].locked_until.clone(), rows[0].failed_logins),
        (None, 0)
    );
}

#[tokio::test]
async fn a_lock_ends_by_itself_after_15_minutes_and_the_admin_can_lift_one_too() {
    let app = demo_app().await;
    let client = app.client();
    for wait in [0, 0, 0, 0, 0, 2, 4, 8, 16, 32] {
        app.advance(Duration::seconds(wait));
        let answer = wrong_password(&client, "supplier").await;
        assert!(
            matches!(
                answer.error(),
                AppError::InvalidCredentials | AppError::AccountLocked { .. }
            ),
            "{}",
            answer.body
        );
    }
    assert!(matches!(
        client
            .call("login", login_form("supplier", DEMO_PASSWORD))
            .await
            .error(),
        AppError::AccountLocked { .. }
    ));
    app.advance(Duration::minutes(15) + Duration::seconds(1));
    app.login(&client, "supplier").await;

    // The admin unlocks anyone.
    let other = app.client();
    for wait in [0, 0, 0, 0, 0, 2, 4, 8, 16, 32] {
        app.advance(Duration::seconds(wait));
        wrong_password(&other, "site-a").await;
    }
    assert!(matches!(
        other
            .call("login", login_form("site-a", DEMO_PASSWORD))
            .await
            .error(),
        AppError::AccountLocked { .. }
    ));
    let admin = app.logged_in("admin").await;
    admin
        .call(
            "unlock_user",
            json!({ "user_id": app.user_id("site-a").await }),
        )
        .await
        .ok::<()>();
    app.login(&other, "site-a").await;
}

#[tokio::test]
async fn a_successful_login_resets_the_failure_count() {
    let app = demo_app().await;
    let client = app.client();
    for _ in 0..4 {
        wrong_password(&client, "site-a")
            .await
            .assert_error(AppError::InvalidCredentials);
    }
    assert_eq!(failed_logins(&app, "site-a").await, 4);
    app.login(&client, "site-a").await;
    assert_eq!(failed_logins(&app, "site-a").await, 0);
    // Four more failures are again free of delay; the fifth starts the wait afresh.
    for _ in 0..5 {
        wrong_password(&client, "site-a")
            .await
            .assert_error(AppError::InvalidCredentials);
    }
    wrong_password(&client, "site-a")
        .await
        .assert_error(AppError::TooManyRequests {
            retry_after_secs: 2,
        });
}

#[tokio::test]
async fn wrong_mailed_codes_count_as_failures_across_challenges_slow_logins_down_and_lock_the_account(
) {
    let app = demo_app().await;
    let client = app.client();

    // Five wrong codes use a challenge up, and each one is a failure of the account.
    let (first, code) = mailed_challenge(&app, &client, "site-a").await;
    for failures in 1..=4 {
        client
            .call("login_second_factor", code_form(&first, other_than(&code)))
            .await
            .assert_field_error("code", FieldError::CodeRejected);
        assert_eq!(failed_codes(&app, "site-a").await, failures);
    }
    client
        .call("login_second_factor", code_form(&first, other_than(&code)))
        .await
        .assert_error(AppError::AttemptExpired);
    assert_eq!(failed_codes(&app, "site-a").await, 5);
    // The used-up challenge refuses even the right code, and that costs nothing more.
    client
        .call("login_second_factor", code_form(&first, &code))
        .await
        .assert_error(AppError::AttemptExpired);
    assert_eq!(failed_codes(&app, "site-a").await, 5);

    // From the fifth failure on, the next attempt must wait, at the password step too.
    client
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .assert_error(AppError::TooManyRequests {
            retry_after_secs: 2,
        });
    app.advance(Duration::seconds(2));
    // The right password alone clears nothing: the count carries over to fresh challenges.
    let (second, code) = mailed_challenge(&app, &client, "site-a").await;
    let other = app.client();
    let (third, other_code) = mailed_challenge(&app, &other, "site-a").await;
    assert_eq!(failed_codes(&app, "site-a").await, 5);
    client
        .call("login_second_factor", code_form(&second, other_than(&code)))
        .await
        .assert_field_error("code", FieldError::CodeRejected);
    // Within the wait even the right code is refused (without using up a try).
    client
        .call("login_second_factor", code_form(&second, &code))
        .await
        .assert_error(AppError::TooManyRequests {
            retry_after_secs: 4,
        });
    for wait in [4, 8, 16] {
        app.advance(Duration::seconds(wait));
        client
            .call("login_second_factor", code_form(&second, other_than(&code)))
            .await
            .assert_field_error("code", FieldError::CodeRejected);
    }
    assert_eq!(failed_codes(&app, "site-a").await, 9);
    other
        .call("login_second_factor", code_form(&third, &other_code))
        .await
        .assert_error(AppError::TooManyRequests {
            retry_after_secs: 32,
        });

    // The tenth failure, in another browser and on another challenge, locks the account.
    app.advance(Duration::seconds(32));
    let until = server::clock::to_jst_rfc3339(app.now() + chrono::Duration::minutes(15));
    other
        .call(
            "login_second_factor",
            code_form(&third, other_than(&other_code)),
        )
        .await
        .assert_error(AppError::AccountLocked {
            until: until.clone(),
        });
    // Locked, neither the right code of a live challenge nor the right password gets in.
    client
        .call("login_second_factor", code_form(&second, &code))
        .await
        .assert_error(AppError::AccountLocked {
            until: until.clone(),
        });
    client
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .assert_error(AppError::AccountLocked {
            until: until.clone(),
        });
    assert_eq!(client.session().await, None);
    assert_eq!(other.session().await, None);

    // The lock ends after 15 minutes; a full login then starts the count afresh.
    app.advance(Duration::minutes(15));
    let (fourth, code) = mailed_challenge(&app, &client, "site-a").await;
    let info: SessionInfo = client
        .call("login_second_factor", code_form(&fourth, &code))
        .await
        .ok();
    assert_eq!(info.login_id, "site-a");
    assert_eq!(failed_codes(&app, "site-a").await, 0);
}

#[tokio::test]
async fn wrong_authenticator_and_recovery_codes_add_to_wrong_passwords_until_a_full_login_succeeds()
{
    let app = demo_app().await;
    let client = app.client();
    let totp_challenge = || async {
        let outcome: LoginOutcome = client
            .call("login", login_form("chiyoda", DEMO_PASSWORD))
            .await
            .ok();
        let LoginOutcome::Totp { challenge } = outcome else {
            panic!("expected an authenticator challenge, got {outcome:?}");
        };
        challenge
    };
    for _ in 0..2 {
        wrong_password(&client, "chiyoda")
            .await
            .assert_error(AppError::InvalidCredentials);
    }
    let challenge = totp_challenge().await;
    assert_eq!(failed_logins(&app, "chiyoda").await, 2);
    assert_eq!(failed_codes(&app, "chiyoda").await, 0);
    let code = app.totp_code("chiyoda").await;
    for wrong in [other_than(&code), other_than(&code), "abcde-23456"] {
        client
            .call("login_second_factor", code_form(&challenge, wrong))
            .await
            .assert_field_error("code", FieldError::CodeRejected);
    }
    assert_eq!(failed_codes(&app, "chiyoda").await, 3);
    client
        .call("login_second_factor", code_form(&challenge, &code))
        .await
        .assert_error(AppError::TooManyRequests {
            retry_after_secs: 2,
        });
    app.advance(Duration::seconds(2));
    let code = app.totp_code("chiyoda").await;
    let info: SessionInfo = client
        .call("login_second_factor", code_form(&challenge, &code))
        .await
        .ok();
    assert_eq!(info.login_id, "chiyoda");
    assert_eq!(failed_logins(&app, "chiyoda").await, 0);
    assert_eq!(failed_codes(&app, "chiyoda").await, 0);

    // Counted afresh: four wrong codes pass without a wait; the fifth ends the challenge.
    let challenge = totp_challenge().await;
    for _ in 0..4 {
        client
            .call("login_second_factor", code_form(&challenge, "abcde-23456"))
            .await
            .assert_field_error("code", FieldError::CodeRejected);
    }
    client
        .call("login_second_factor", code_form(&challenge, "abcde-23456"))
        .await
        .assert_error(AppError::AttemptExpired);
    assert_eq!(failed_codes(&app, "chiyoda").await, 5);
}

#[tokio::test]
async fn an_unknown_browser_must_enter_a_mailed_code_and_is_known_afterwards() {
    let app = demo_app().await;
    let browser = app.client();
    let after = app.last_mail_id().await;
    let outcome: LoginOutcome = browser
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .ok();
    let LoginOutcome::EmailCode { challenge, sent_to } = outcome else {
        panic!("expected an e-mailed code, got {outcome:?}");
    };
    assert_eq!(sent_to, "s***@demo.vsys.example.jp");
    assert_eq!(browser.session().await, None, "no session before the code");
    let mail = app
        .wait_for_mail("site-a@demo.vsys.example.jp", after)
        .await;
    assert!(
        mail.subject.contains("ログインの確認コード"),
        "{}",
        mail.subject
    );
    let code = mail.login_code();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let second = |code: &str| json!({"form": {"challenge": challenge, "code": code}});
    browser
        .call("login_second_factor", second(wrong))
        .await
        .assert_field_error("code", FieldError::CodeRejected);
    let info: SessionInfo = browser
        .call("login_second_factor", second(&code))
        .await
        .ok();
    assert_eq!(info.login_id, "site-a");
    assert!(browser.cookie("vsys_device").is_some());
    browser
        .call("login_second_factor", second(&code))
        .await
        .assert_error(AppError::AttemptExpired);

    // The same browser is known now: the password alone logs in.
    browser.logout().await;
    let outcome: LoginOutcome = browser
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .ok();
    assert!(matches!(outcome, LoginOutcome::LoggedIn(_)), "{outcome:?}");

    // It is known for that user only, and a made-up device cookie counts for nothing.
    let outcome: LoginOutcome = browser
        .call("login", login_form("supplier", DEMO_PASSWORD))
        .await
        .ok();
    assert!(
        matches!(outcome, LoginOutcome::EmailCode { .. }),
        "{outcome:?}"
    );
    let forged = app.client_with_cookie_header("vsys_device=made-up-device-token");
    let outcome: LoginOutcome = forged
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .ok();
    assert!(
        matches!(outcome, LoginOutcome::EmailCode { .. }),
        "{outcome:?}"
    );

    // A mailed code expires after ten minutes.
    let late = app.client();
    let outcome: LoginOutcome = late
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .ok();
    let LoginOutcome::EmailCode { challenge, .. } = outcome else {
        panic!("expected an e-mailed code, got {outcome:?}");
    };
    let code = app
        .latest_mail("site-a@demo.vsys.example.jp")
        .await
        .unwrap()
        .login_code();
    app.advance(Duration::minutes(10) + Duration::seconds(1));
    late.call(
        "login_second_factor",
        json!({"form": {"challenge": challenge, "code": code}}),
    )
    .await
    .assert_error(AppError::AttemptExpired);
}

#[tokio::test]
async fn a_password_reset_answers_alike_for_everyone_and_ends_the_old_sessions() {
    let app = demo_app().await;
    let old_session = app.logged_in("site-a").await;
    let stranger = app.client();
    let after = app.last_mail_id().await;

    let unknown = stranger
        .call("request_password_reset", json!({"login_id": "nobody-here"}))
        .await;
    let known = stranger
        .call("request_password_reset", json!({"login_id": "site-a"}))
        .await;
    unknown.ok::<()>();
    known.ok::<()>();
    assert_eq!(unknown.body, known.body);
    stranger
        .call("request_password_reset", json!({"login_id": "x"}))
        .await
        .assert_field_error("login_id", FieldError::TooShort { min: 3 });

    let mail = app
        .wait_for_mail("site-a@demo.vsys.example.jp", after)
        .await;
    assert!(
        mail.subject.contains("パスワードの再設定"),
        "{}",
        mail.subject
    );
    let token = mail.link_token();

    // Asking for a reset changes nothing yet: the old password and session still work.
    assert!(old_session.session().await.is_some());

    let browser = app.client();
    let (started, code) = app.open_link(&browser, &token).await;
    assert!(started.is_reset);
    browser
        .call("setup_verify", verify_form(&started.attempt, &code))
        .await
        .ok::<Value>();
    let info: SessionInfo = browser
        .set_password(&started.attempt, NEW_PASSWORD)
        .await
        .ok();
    assert_eq!(info.login_id, "site-a");
    assert_eq!(info.onboarding, None);

    assert_eq!(old_session.session().await, None);
    old_session
        .call("current_policy", json!({}))
        .await
        .assert_error(AppError::Unauthenticated);
    app.client()
        .call("login", login_form("site-a", DEMO_PASSWORD))
        .await
        .assert_error(AppError::InvalidCredentials);
    let again = app.client();
    let info = app.login_with(&again, "site-a", NEW_PASSWORD).await;
    assert_eq!(info.login_id, "site-a");
    // The new session of the browser that set the password is live too.
    assert!(browser.session().await.is_some());
}
