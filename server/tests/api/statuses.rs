//! Each HTTP status the app answers with, through real HTTP. server_fn answers every error of a
//! server function with 500; the status comes from the `AppError` the function returned, never
//! from message text. The numbers are written out here so that a change of the mapping (or of
//! server_fn) shows up as a failing test, not as a silent 500.

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use app::error::AppError;
use serde_json::json;

async fn demo_app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

#[tokio::test]
async fn a_body_that_is_not_the_functions_arguments_is_400() {
    let app = demo_app().await;
    let answer = app.client().call("login", json!({"nonsense": 1})).await;
    assert_eq!(answer.status.as_u16(), 400, "{}", answer.body);
    assert_eq!(answer.error(), AppError::BadRequest);
}

#[tokio::test]
async fn a_call_without_a_session_is_401() {
    let app = demo_app().await;
    let answer = app.client().call("list_users", json!({"text": ""})).await;
    assert_eq!(answer.status.as_u16(), 401, "{}", answer.body);
    assert_eq!(answer.error(), AppError::Unauthenticated);
}

#[tokio::test]
async fn a_call_outside_the_callers_role_is_403() {
    let app = demo_app().await;
    let site = app.logged_in("site-a").await;
    let answer = site.call("list_users", json!({"text": ""})).await;
    assert_eq!(answer.status.as_u16(), 403, "{}", answer.body);
    assert_eq!(answer.error(), AppError::Forbidden);
}

#[tokio::test]
async fn an_unknown_function_and_an_unknown_record_are_404() {
    let app = demo_app().await;
    let answer = app.client().call("no_such_function", json!({})).await;
    assert_eq!(answer.status.as_u16(), 404, "{}", answer.body);
    let chiyoda = app.logged_in("chiyoda").await;
    let answer = chiyoda
        .call("load_change_request", json!({"id": 987_654}))
        .await;
    assert_eq!(answer.status.as_u16(), 404, "{}", answer.body);
    assert_eq!(answer.error(), AppError::NotFound);
}

#[tokio::test]
async fn a_used_or_unknown_link_is_410() {
    let app = demo_app().await;
    let answer = app
        .client()
        .call("setup_begin", json!({"token": "not-a-link-token"}))
        .await;
    assert_eq!(answer.status.as_u16(), 410, "{}", answer.body);
    assert_eq!(answer.error(), AppError::LinkInvalid);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = demo_app().await;
    let huge = "x".repeat(3 * 1024 * 1024);
    let answer = app.client().call("login", json!({"form": huge})).await;
    assert_eq!(answer.status.as_u16(), 413, "{}", answer.body);
}

#[tokio::test]
async fn a_form_with_field_errors_is_422() {
    let app = demo_app().await;
    let answer = app
        .client()
        .call("login", json!({"form": {"login_id": "", "password": ""}}))
        .await;
    assert_eq!(answer.status.as_u16(), 422, "{}", answer.body);
    assert!(answer.error().field_errors().is_some());
}

#[tokio::test]
async fn too_many_requests_from_one_address_is_429() {
    let app = spawn_app_with(|config| config.auth_rate_limit_per_minute = 1).await;
    let client = app.client();
    let body = json!({"login_id": "nobody-here"});
    let first = client.call("request_password_reset", body.clone()).await;
    assert_eq!(first.status.as_u16(), 200, "{}", first.body);
    let second = client.call("request_password_reset", body).await;
    assert_eq!(second.status.as_u16(), 429, "{}", second.body);
    assert!(matches!(second.error(), AppError::TooManyRequests { .. }));
}

#[tokio::test]
async fn a_stored_value_the_app_cannot_read_is_a_500_that_tells_nothing() {
    let app = demo_app().await;
    let site = app.logged_in("site-a").await;
    // A yes/no column holding neither 0 nor 1 (a hand edit, a bad import).
    sqlx::query("UPDATE users SET disabled = 7 WHERE login_id = 'site-a'")
        .execute(app.db())
        .await
        .expect("corrupt the flag");
    let answer = site.call("current_session", json!({})).await;
    assert_eq!(answer.status.as_u16(), 500, "{}", answer.body);
    assert_eq!(answer.error(), AppError::Internal);
    assert!(!answer.body.contains("yes/no"), "{}", answer.body);
}

#[tokio::test]
async fn a_stored_moment_outside_any_calendar_is_a_500_never_a_guessed_date() {
    let app = demo_app().await;
    let admin = app.logged_in("admin").await;
    // Unix seconds far beyond the year 262143, the last chrono can represent.
    sqlx::query("UPDATE users SET locked_until = 9000000000000000 WHERE login_id = 'site-a'")
        .execute(app.db())
        .await
        .expect("corrupt the moment");
    let answer = admin.call("list_users", json!({ "text": "" })).await;
    assert_eq!(answer.status.as_u16(), 500, "{}", answer.body);
    assert_eq!(answer.error(), AppError::Internal);
    assert!(!answer.body.contains("moment"), "{}", answer.body);
}
