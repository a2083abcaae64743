//! The first login: an issued ID's link, the 検証コード, the password, the authenticator app
//! (offered or required by role, never replaced once enrolled) and consent to the privacy
//! policy; and the rules of links and codes (24 hours, once, newest only, five tries, ten
//! minutes).

use crate::helpers::{
    municipality_user_form, password_form, site_user_form, spawn_app, verify_form, TestApp,
    TestClient, NEW_PASSWORD,
};
use app::api::{PrivacyPolicy, SessionInfo, SetupStarted, TotpEnrolment};
use app::domain::Role;
use app::error::{AppError, FieldError, OnboardingStep};
use chrono::Duration;
use serde_json::{json, Value};

/// A demo app with the admin logged in.
async fn app_with_admin() -> (TestApp, TestClient) {
    let app = spawn_app().await;
    app.load_demo().await;
    let admin = app.logged_in("admin").await;
    (app, admin)
}

/// The current TOTP code for a secret as shown at enrolment (grouped by four).
fn code_for(app: &TestApp, grouped_secret: &str) -> String {
    let secret: String = grouped_secret.split_whitespace().collect();
    server::security::totp::code_at(&secret, server::security::totp::step_at(app.now())).unwrap()
}

#[tokio::test]
async fn a_site_user_sets_a_password_may_skip_the_authenticator_app_and_then_consents() {
    let (app, admin) = app_with_admin().await;
    let site = app.site_id("千代田区Bクリニック").await;
    let (user_id, token) = app
        .issue_user(&admin, site_user_form("clinic-b", site))
        .await;
    let mail = app.latest_mail("clinic-b@example.jp").await.unwrap();
    assert!(mail.body.contains("ユーザ名: clinic-b"), "{}", mail.body);
    assert!(
        mail.body.contains(&format!("{}/setup?token=", app.address)),
        "the link points at the public URL: {}",
        mail.body
    );

    let browser = app.client();
    let (started, code) = app.open_link(&browser, &token).await;
    assert_eq!(started.login_id, "clinic-b");
    assert_eq!(started.sent_to, "c***@example.jp");
    assert!(!started.is_reset);
    let verified: Value = browser
        .call("setup_verify", verify_form(&started.attempt, &code))
        .await
        .ok();
    assert_eq!(
        verified,
        json!({"login_id": "clinic-b", "email": "clinic-b@example.jp", "needs_second_factor": false})
    );
    // The password rules know the user: a password built on the user name is refused.
    browser
        .call(
            "setup_password",
            password_form(
                &started.attempt,
                "clinic-b is my name",
                "clinic-b is my name",
            ),
        )
        .await
        .assert_field_error("password", FieldError::PasswordContainsIdentity);
    let info: SessionInfo = browser
        .call(
            "setup_password",
            password_form(&started.attempt, NEW_PASSWORD, NEW_PASSWORD),
        )
        .await
        .ok();
    assert_eq!(info.user_id, user_id);
    assert_eq!(info.role, Role::Site);
    assert_eq!(info.onboarding, Some(OnboardingStep::Totp));
    assert_eq!(info.own_site.as_ref().map(|s| s.id), Some(site));
    assert!(!info.totp_enrolled);

    // Nothing else works until the first-login steps are done.
    browser
        .call("list_sites", json!({"municipality": "131016"}))
        .await
        .assert_error(AppError::OnboardingRequired(OnboardingStep::Totp));

    let offer: TotpEnrolment = browser.call("totp_begin", json!({})).await.ok();
    assert!(
        !offer.required,
        "site users are offered the app, not made to"
    );
    let info: SessionInfo = browser.call("totp_skip", json!({})).await.ok();
    assert_eq!(info.onboarding, Some(OnboardingStep::Consent));
    browser
        .call("list_sites", json!({"municipality": "131016"}))
        .await
        .assert_error(AppError::OnboardingRequired(OnboardingStep::Consent));

    let policy: PrivacyPolicy = browser.call("current_policy", json!({})).await.ok();
    assert_eq!(policy.version, 1);
    assert!(policy.body_ja.contains("個人情報保護方針"));
    browser
        .call("give_consent", json!({"version": policy.version + 1}))
        .await
        .assert_field_error("version", FieldError::InvalidChoice);
    let info: SessionInfo = browser
        .call("give_consent", json!({"version": policy.version}))
        .await
        .ok();
    assert_eq!(info.onboarding, None);
    assert_eq!(browser.session().await, Some(info));

    // The attempt set the password once; it cannot set it again.
    browser
        .call(
            "setup_password",
            password_form(
                &started.attempt,
                "another long pass phrase",
                "another long pass phrase",
            ),
        )
        .await
        .assert_error(AppError::AttemptExpired);

    // The browser that proved the mailbox is known: the next login asks for nothing more.
    browser.logout().await;
    let outcome: Value = browser
        .call(
            "login",
            json!({"form": {"login_id": "clinic-b", "password": NEW_PASSWORD}}),
        )
        .await
        .ok();
    assert!(outcome.get("LoggedIn").is_some(), "{outcome}");
}

#[tokio::test]
async fn a_municipality_user_must_enrol_the_authenticator_app_and_then_needs_it_to_log_in() {
    let (app, admin) = app_with_admin().await;
    let (_, token) = app
        .issue_user(&admin, municipality_user_form("chiyoda-2", "131016"))
        .await;
    let browser = app.client();
    let info = app.complete_setup(&browser, &token, NEW_PASSWORD).await;
    assert_eq!(info.role, Role::Municipality);
    assert_eq!(info.organisation, "千代田区");
    assert_eq!(info.onboarding, Some(OnboardingStep::Totp));

    browser
        .call("totp_skip", json!({}))
        .await
        .assert_error(AppError::Forbidden);
    browser
        .call("totp_confirm", json!({"code": "123456"}))
        .await
        .assert_error(AppError::AttemptExpired);
    let enrolment: TotpEnrolment = browser.call("totp_begin", json!({})).await.ok();
    assert!(enrolment.required);
    assert!(enrolment
        .otpauth_uri
        .starts_with("otpauth://totp/V-SYS%3Achiyoda-2?secret="));
    assert!(enrolment
        .qr_svg_data_uri
        .starts_with("data:image/svg+xml;base64,"));
    assert!(enrolment
        .secret
        .split(' ')
        .all(|group| group.len() <= 4 && !group.is_empty()));
    let code = code_for(&app, &enrolment.secret);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    browser
        .call("totp_confirm", json!({ "code": wrong }))
        .await
        .assert_field_error("code", FieldError::CodeRejected);
    let recovery: Vec<String> = browser
        .call("totp_confirm", json!({ "code": code }))
        .await
        .ok();
    assert_eq!(recovery.len(), 10);
    assert!(recovery.iter().all(|c| c.len() == 11 && &c[5..6] == "-"));
    let info = browser.session().await.unwrap();
    assert!(info.totp_enrolled);
    assert_eq!(info.onboarding, Some(OnboardingStep::Consent));
    let info: SessionInfo = browser
        .call("give_consent", json!({"version": 1}))
        .await
        .ok();
    assert_eq!(info.onboarding, None);
    let sites: Vec<Value> = browser
        .call("list_sites", json!({"municipality": "131016"}))
        .await
        .ok();
    assert_eq!(sites.len(), 5);

    // Log out and in again: the password alone is not enough.
    browser.logout().await;
    assert_eq!(browser.session().await, None);
    let login = json!({"form": {"login_id": "chiyoda-2", "password": NEW_PASSWORD}});
    let challenge = |outcome: Value| -> String {
        outcome["Totp"]["challenge"]
            .as_str()
            .unwrap_or_else(|| panic!("expected a Totp challenge: {outcome}"))
            .to_string()
    };
    let first = challenge(browser.call("login", login.clone()).await.ok());
    assert_eq!(browser.session().await, None);
    // The code used at enrolment is spent: it does not log in within the same 30 seconds.
    browser
        .call(
            "login_second_factor",
            json!({"form": {"challenge": first, "code": code}}),
        )
        .await
        .assert_field_error("code", FieldError::CodeRejected);
    app.advance(Duration::seconds(30));
    let next = app.totp_code("chiyoda-2").await;
    let info: SessionInfo = browser
        .call(
            "login_second_factor",
            json!({"form": {"challenge": first, "code": next}}),
        )
        .await
        .ok();
    assert_eq!(info.login_id, "chiyoda-2");
    assert_eq!(info.onboarding, None);
    // The challenge was used up with the login.
    browser
        .call(
            "login_second_factor",
            json!({"form": {"challenge": first, "code": next}}),
        )
        .await
        .assert_error(AppError::AttemptExpired);

    // A recovery code works instead of the app, once.
    browser.logout().await;
    let second = challenge(browser.call("login", login.clone()).await.ok());
    let info: SessionInfo = browser
        .call(
            "login_second_factor",
            json!({"form": {"challenge": second, "code": recovery[0].to_uppercase()}}),
        )
        .await
        .ok();
    assert_eq!(info.login_id, "chiyoda-2");
    browser.logout().await;
    let third = challenge(browser.call("login", login).await.ok());
    browser
        .call(
            "login_second_factor",
            json!({"form": {"challenge": third, "code": recovery[0]}}),
        )
        .await
        .assert_field_error("code", FieldError::CodeRejected);
    let info: SessionInfo = browser
        .call(
            "login_second_factor",
            json!({"form": {"challenge": third, "code": recovery[1]}}),
        )
        .await
        .ok();
    assert_eq!(info.login_id, "chiyoda-2");
}

/// The enrolled and the pending authenticator secret of `login_id`.
async fn totp_secrets(app: &TestApp, login_id: &str) -> (Option<String>, Option<String>) {
    sqlx::query_as("SELECT totp_secret, totp_pending_secret FROM users WHERE login_id = $1")
        .bind(login_id)
        .fetch_one(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_enrolled_authenticator_app_cannot_be_replaced_from_a_session() {
    let (app, _) = app_with_admin().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let enrolled = totp_secrets(&app, "chiyoda").await;
    assert!(enrolled.0.is_some());
    // Whoever holds the session (here a copy of its cookie) can neither start a new enrolment
    // nor confirm one, not even with a code of the enrolled app.
    let token = chiyoda.cookie("vsys_session").expect("a session cookie");
    let stolen = app.client_with_cookie_header(&format!("vsys_session={token}"));
    for client in [&stolen, &chiyoda] {
        client
            .call("totp_begin", json!({}))
            .await
            .assert_error(AppError::Forbidden);
        let code = app.totp_code("chiyoda").await;
        client
            .call("totp_confirm", json!({ "code": code }))
            .await
            .assert_error(AppError::Forbidden);
    }
    assert_eq!(totp_secrets(&app, "chiyoda").await, enrolled);
    app.login(&app.client(), "chiyoda").await;

    // A user who skipped the app may enrol later, once; then the same rule holds.
    let site = app.logged_in("site-a").await;
    assert_eq!(totp_secrets(&app, "site-a").await, (None, None));
    let enrolment: TotpEnrolment = site.call("totp_begin", json!({})).await.ok();
    assert!(!enrolment.required);
    let code = code_for(&app, &enrolment.secret);
    let recovery: Vec<String> = site
        .call("totp_confirm", json!({ "code": code }))
        .await
        .ok();
    let enrolled = totp_secrets(&app, "site-a").await;
    // The database holds the secret only encrypted: the stored value is not the secret and
    // yields no code by itself; the server's key opens it.
    let secret: String = enrolment.secret.split_whitespace().collect();
    let stored = enrolled.0.clone().expect("an enrolled secret");
    assert_eq!(enrolled.1, None);
    assert!(!stored.contains(&secret), "stored in plain text: {stored}");
    let step = server::security::totp::step_at(app.now());
    assert_ne!(
        server::security::totp::code_at(&stored, step),
        server::security::totp::code_at(&secret, step)
    );
    assert_eq!(app.totp_secret("site-a").await, secret);
    site.call("totp_begin", json!({}))
        .await
        .assert_error(AppError::Forbidden);
    site.call("totp_confirm", json!({ "code": code }))
        .await
        .assert_error(AppError::Forbidden);
    assert_eq!(totp_secrets(&app, "site-a").await, enrolled);
    // The recovery codes shown at enrolment still work.
    let browser = app.client();
    let outcome: Value = browser
        .call(
            "login",
            json!({"form": {"login_id": "site-a", "password": crate::helpers::DEMO_PASSWORD}}),
        )
        .await
        .ok();
    let challenge = outcome["Totp"]["challenge"]
        .as_str()
        .unwrap_or_else(|| panic!("expected a Totp challenge: {outcome}"));
    let info: SessionInfo = browser
        .call(
            "login_second_factor",
            json!({"form": {"challenge": challenge, "code": recovery[0]}}),
        )
        .await
        .ok();
    assert_eq!(info.login_id, "site-a");
}

#[tokio::test]
async fn a_link_works_until_24_hours_after_it_was_sent_and_not_after() {
    let (app, admin) = app_with_admin().await;
    let site = app.site_id("千代田区C診療所").await;
    let (_, early) = app
        .issue_user(&admin, site_user_form("user-early", site))
        .await;
    let (_, late) = app
        .issue_user(&admin, site_user_form("user-late", site))
        .await;

    app.advance(Duration::hours(23) + Duration::minutes(59));
    let browser = app.client();
    let info = app.complete_setup(&browser, &early, NEW_PASSWORD).await;
    assert_eq!(info.login_id, "user-early");

    app.advance(Duration::minutes(2));
    app.client()
        .call("setup_begin", json!({ "token": late }))
        .await
        .assert_error(AppError::LinkInvalid);
    // Garbage and empty tokens read the same as an expired one.
    app.client()
        .call("setup_begin", json!({ "token": "not-a-token" }))
        .await
        .assert_error(AppError::LinkInvalid);
    app.client()
        .call("setup_begin", json!({ "token": "" }))
        .await
        .assert_error(AppError::LinkInvalid);
}

#[tokio::test]
async fn a_link_works_once_and_a_newer_link_voids_the_older_one() {
    let (app, admin) = app_with_admin().await;
    let site = app.site_id("千代田区C診療所").await;
    let (user_id, first) = app
        .issue_user(&admin, site_user_form("user-one", site))
        .await;
    let browser = app.client();
    let (opened, code) = app.open_link(&browser, &first).await;

    let after = app.last_mail_id().await;
    admin
        .call("resend_setup_link", json!({ "user_id": user_id }))
        .await
        .ok::<()>();
    let second = app
        .wait_for_mail("user-one@example.jp", after)
        .await
        .link_token();
    assert_ne!(first, second);

    // The older link is void, also for an attempt opened with it before the new one was sent.
    browser
        .call("setup_begin", json!({ "token": first }))
        .await
        .assert_error(AppError::LinkInvalid);
    browser
        .call("setup_verify", verify_form(&opened.attempt, &code))
        .await
        .assert_error(AppError::LinkInvalid);
    app.complete_setup(&browser, &second, NEW_PASSWORD).await;
    app.client()
        .call("setup_begin", json!({ "token": second }))
        .await
        .assert_error(AppError::LinkInvalid);
}

#[tokio::test]
async fn a_verification_code_allows_five_tries_works_once_and_only_for_its_own_attempt() {
    let (app, admin) = app_with_admin().await;
    let site = app.site_id("千代田区C診療所").await;
    let (_, token_a) = app.issue_user(&admin, site_user_form("user-a", site)).await;
    let (_, token_b) = app.issue_user(&admin, site_user_form("user-b", site)).await;
    let browser = app.client();
    let verify = |attempt: &SetupStarted, code: &str| verify_form(&attempt.attempt, code);

    // Five wrong codes end the attempt; then even the right code is refused.
    let (attempt, code) = app.open_link(&browser, &token_a).await;
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for _ in 0..4 {
        browser
            .call("setup_verify", verify(&attempt, wrong))
            .await
            .assert_field_error("code", FieldError::CodeRejected);
    }
    browser
        .call("setup_verify", verify(&attempt, wrong))
        .await
        .assert_error(AppError::AttemptExpired);
    browser
        .call("setup_verify", verify(&attempt, &code))
        .await
        .assert_error(AppError::AttemptExpired);
    // A malformed code is a validation error and costs no try.
    browser
        .call("setup_verify", verify(&attempt, "12345"))
        .await
        .assert_field_error("code", FieldError::CodeFormat);

    // The link is not used up by a failed attempt: opening it again sends a new code, and the
    // code of one attempt does not verify another.
    let (attempt_a, code_a) = app.open_link(&browser, &token_a).await;
    let (_, code_b) = app.open_link(&app.client(), &token_b).await;
    if code_a != code_b {
        browser
            .call("setup_verify", verify(&attempt_a, &code_b))
            .await
            .assert_field_error("code", FieldError::CodeRejected);
    }
    // Opening the link again in the same browser continues the open attempt (a second tab);
    // asking for a new code (送信し直す) voids it.
    let same = app.open_link_again(&browser, &token_a).await;
    assert_eq!(same.attempt, attempt_a.attempt);
    let after = app.last_mail_id().await;
    let attempt_a2: SetupStarted = browser.call("setup_resend", json!({})).await.ok();
    let code_a2 = app
        .wait_for_mail("user-a@example.jp", after)
        .await
        .verification_code();
    browser
        .call("setup_verify", verify(&attempt_a, &code_a))
        .await
        .assert_error(AppError::AttemptExpired);
    // The right code works once.
    browser
        .call("setup_verify", verify(&attempt_a2, &code_a2))
        .await
        .ok::<Value>();
    browser
        .call("setup_verify", verify(&attempt_a2, &code_a2))
        .await
        .assert_error(AppError::AttemptExpired);
}

#[tokio::test]
async fn a_verification_code_expires_after_ten_minutes() {
    let (app, admin) = app_with_admin().await;
    let site = app.site_id("千代田区C診療所").await;
    let (_, token) = app
        .issue_user(&admin, site_user_form("user-slow", site))
        .await;
    let browser = app.client();
    let verify = |attempt: &SetupStarted, code: &str| verify_form(&attempt.attempt, code);

    let (attempt, code) = app.open_link(&browser, &token).await;
    app.advance(Duration::minutes(10) + Duration::seconds(1));
    browser
        .call("setup_verify", verify(&attempt, &code))
        .await
        .assert_error(AppError::AttemptExpired);

    let (attempt, code) = app.open_link(&browser, &token).await;
    app.advance(Duration::minutes(9) + Duration::seconds(59));
    browser
        .call("setup_verify", verify(&attempt, &code))
        .await
        .ok::<Value>();
}

#[tokio::test]
async fn a_new_privacy_policy_version_asks_every_user_to_consent_again() {
    let (app, admin) = app_with_admin().await;
    let site = app.logged_in("site-a").await;
    let version: i64 = admin
        .call(
            "publish_policy",
            json!({"body_ja": "個人情報保護方針 第2版", "body_en": "Policy, version 2"}),
        )
        .await
        .ok();
    assert_eq!(version, 2);
    let info = site.session().await.unwrap();
    assert_eq!(info.onboarding, Some(OnboardingStep::Consent));
    admin
        .call("list_users", json!({"text": ""}))
        .await
        .assert_error(AppError::OnboardingRequired(OnboardingStep::Consent));
    let policy: PrivacyPolicy = admin.call("current_policy", json!({})).await.ok();
    assert_eq!(policy.version, 2);
    assert_eq!(policy.body_en, "Policy, version 2");
    admin
        .call("give_consent", json!({"version": 2}))
        .await
        .ok::<SessionInfo>();
    admin
        .call("list_users", json!({"text": ""}))
        .await
        .ok::<Vec<Value>>();
}

#[tokio::test]
async fn a_lost_authenticator_app_is_reset_by_the_users_municipality_and_enrolled_again() {
    let (app, admin) = app_with_admin().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let chiyoda_id = app.user_id("chiyoda").await;
    // The neighbouring municipality may not reset it; the admin may.
    let minato = app.logged_in("minato").await;
    let audit_before = app.audit_count().await;
    minato
        .call("reset_totp", json!({ "user_id": chiyoda_id }))
        .await
        .assert_error(AppError::Forbidden);
    admin
        .call("reset_totp", json!({ "user_id": chiyoda_id }))
        .await
        .ok::<()>();
    assert_eq!(totp_secrets(&app, "chiyoda").await, (None, None));
    assert_eq!(app.audit_count().await, audit_before + 1);
    // The reset ends the user's sessions, and the recovery codes are gone with the app.
    assert!(chiyoda.session().await.is_none());
    let recovery: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1")
            .bind(chiyoda_id)
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(recovery, 0);
    // Nothing left to reset.
    admin
        .call("reset_totp", json!({ "user_id": chiyoda_id }))
        .await
        .assert_error(AppError::NotFound);

    // At the next login (a new browser: an e-mailed code) the user must enrol again.
    let browser = app.client();
    let info = app.login(&browser, "chiyoda").await;
    assert_eq!(info.onboarding, Some(app::error::OnboardingStep::Totp));
    browser
        .call("list_sites", json!({"municipality": "131016"}))
        .await
        .assert_error(AppError::OnboardingRequired(
            app::error::OnboardingStep::Totp,
        ));
    let enrolment: TotpEnrolment = browser.call("totp_begin", json!({})).await.ok();
    assert!(enrolment.required);
    let code = code_for(&app, &enrolment.secret);
    let codes: Vec<String> = browser
        .call("totp_confirm", json!({ "code": code }))
        .await
        .ok();
    assert_eq!(codes.len(), 10);
    assert_eq!(browser.session().await.unwrap().onboarding, None);
}
