//! One-time links for the first login and for resets: stored (hashed) inside the transaction
//! that issues them, mailed after it commits.

use super::LINK_VALID;
use crate::db::auth;
use crate::mail::templates;
use crate::security::{random_token, sha256_hex};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// What a new link for a user is for: the first login until a password is set, a reset after.
pub fn purpose_for(has_password: bool) -> &'static str {
    if has_password {
        "reset"
    } else {
        "initial"
    }
}

/// Voids the user's older links and stores a new one valid for 24 hours; returns the token.
pub async fn store(
    conn: &mut AnyConnection,
    user_id: i64,
    purpose: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<String> {
    let token = random_token();
    auth::replace_setup_token(
        conn,
        user_id,
        &sha256_hex(&token),
        purpose,
        now,
        now + LINK_VALID,
    )
    .await?;
    Ok(token)
}

/// Mails a stored link to the user with the text that fits its purpose.
pub async fn send(
    state: &AppState,
    login_id: &str,
    email: &str,
    purpose: &str,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let link = format!("{}/setup?token={token}", state.config.public_url);
    let (subject, body) = if purpose == "reset" {
        templates::reset_link(login_id, &link)
    } else {
        templates::id_issued(login_id, &link)
    };
    state
        .mailer
        .send(&state.db, now, email, &subject, &body)
        .await?;
    Ok(())
}
