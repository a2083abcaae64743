//! The app's compact wire format: the app in the browser sends its arguments and reads its
//! answers and errors in postcard (`app/src/api/protocol.rs`); every other client speaks JSON.

use crate::helpers::{spawn_app, DEMO_PASSWORD};
use app::api::protocol::POSTCARD;
use app::api::{LoginForm, LoginOutcome};
use app::error::AppError;
use reqwest::StatusCode;

fn login_form(login_id: &str, password: &str) -> Vec<u8> {
    // A function's arguments travel as its arguments struct; with one argument, postcard writes
    // exactly that argument.
    postcard::to_allocvec(&LoginForm {
        login_id: login_id.into(),
        password: password.into(),
    })
    .expect("a login form encodes")
}

async fn decode<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some(POSTCARD)
    );
    let bytes = response.bytes().await.expect("read the body");
    postcard::from_bytes(&bytes).expect("a postcard body")
}

#[tokio::test]
async fn the_app_logs_in_speaking_postcard_both_ways_and_gets_its_errors_in_postcard() {
    let app = spawn_app().await;
    app.load_demo().await;
    let browser = app.client();

    let wrong = browser
        .call_compact("login", login_form("chiyoda", "not the password"))
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        decode::<AppError>(wrong).await,
        AppError::InvalidCredentials
    );

    let right = browser
        .call_compact("login", login_form("chiyoda", DEMO_PASSWORD))
        .await;
    assert_eq!(right.status(), StatusCode::OK);
    let outcome: LoginOutcome = decode(right).await;
    assert!(
        matches!(outcome, LoginOutcome::Totp { .. }),
        "chiyoda uses an authenticator app: {outcome:?}"
    );
}

#[tokio::test]
async fn a_postcard_body_that_is_not_the_functions_arguments_is_400_and_reaches_nothing() {
    let app = spawn_app().await;
    app.load_demo().await;
    let browser = app.client();
    // A length prefix far beyond the body: no string can be read from it.
    let refused = browser.call_compact("login", vec![0xff, 0xff, 0x7f]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(decode::<AppError>(refused).await, AppError::BadRequest);
}
