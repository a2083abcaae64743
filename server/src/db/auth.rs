//! Authentication records: one-time links, verification attempts, login challenges, known
//! browsers, recovery codes and sessions. Every secret is stored as a SHA-256 hash.

use super::{StoredFlag, StoredOptionalTime, StoredTime};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A one-time link.
#[derive(Debug, Clone, FromRow)]
pub struct SetupTokenRecord {
    pub id: i64,
    pub user_id: i64,
    pub purpose: String,
    #[sqlx(try_from = "StoredTime")]
    pub created_at: DateTime<Utc>,
    #[sqlx(try_from = "StoredTime")]
    pub expires_at: DateTime<Utc>,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub used_at: Option<DateTime<Utc>>,
    #[sqlx(try_from = "StoredFlag")]
    pub voided: bool,
}

/// Voids every unused link of the user, then stores a new one.
pub async fn replace_setup_token(
    conn: &mut AnyConnection,
    user_id: i64,
    token_hash: &str,
    purpose: &str,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_query!(
        "UPDATE setup_tokens SET voided = 1 WHERE user_id = $1 AND used_at IS NULL AND voided = 0",
        user_id
    )
    .execute(&mut *conn)
    .await?;
    checked_scalar!("INSERT INTO setup_tokens (user_id, token_hash, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id", user_id, token_hash, purpose, at.timestamp(), expires_at.timestamp())
    .fetch_one(conn)
    .await
}

/// A link by its hash.
pub async fn setup_token_by_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> sqlx::Result<Option<SetupTokenRecord>> {
    checked_query_as!(SetupTokenRecord, "SELECT id, user_id, purpose, created_at, expires_at, used_at, voided FROM setup_tokens WHERE token_hash = $1", token_hash)
    .fetch_optional(conn)
    .await
}

/// A link by id.
pub async fn setup_token(
    conn: &mut AnyConnection,
    id: i64,
) -> sqlx::Result<Option<SetupTokenRecord>> {
    checked_query_as!(SetupTokenRecord, "SELECT id, user_id, purpose, created_at, expires_at, used_at, voided FROM setup_tokens WHERE id = $1", id)
        .fetch_optional(conn)
        .await
}

/// Marks a link used, only if still unused and not voided; false when another request won.
pub async fn use_setup_token(
    conn: &mut AnyConnection,
    id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = checked_query!(
        "UPDATE setup_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND voided = 0",
        at.timestamp(),
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many attempts (codes sent) a link has had.
pub async fn attempt_count(conn: &mut AnyConnection, token_id: i64) -> sqlx::Result<i64> {
    checked_scalar!(
        "SELECT COUNT(*) FROM setup_attempts WHERE token_id = $1",
        token_id
    )
    .fetch_one(conn)
    .await
}

/// Voids a link (too many codes asked for it).
pub async fn void_setup_token(conn: &mut AnyConnection, id: i64) -> sqlx::Result<()> {
    checked_query!("UPDATE setup_tokens SET voided = 1 WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An opened link awaiting its code, or verified and awaiting the password.
#[derive(Debug, Clone, FromRow)]
pub struct AttemptRecord {
    pub id: i64,
    pub token_id: i64,
    pub code_hash: String,
    #[sqlx(try_from = "StoredTime")]
    pub created_at: DateTime<Utc>,
    #[sqlx(try_from = "StoredTime")]
    pub code_expires_at: DateTime<Utc>,
    pub tries: i64,
    #[sqlx(try_from = "StoredFlag")]
    pub voided: bool,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub verified_at: Option<DateTime<Utc>>,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub completed_at: Option<DateTime<Utc>>,
}

/// Voids the earlier attempts of the link and stores a new one.
pub async fn insert_attempt(
    conn: &mut AnyConnection,
    token_id: i64,
    attempt_hash: &str,
    code_hash: &str,
    at: DateTime<Utc>,
    code_expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE setup_attempts SET voided = 1 WHERE token_id = $1 AND verified_at IS NULL",
        token_id
    )
    .execute(&mut *conn)
    .await?;
    checked_query!("INSERT INTO setup_attempts (attempt_hash, token_id, code_hash, created_at, code_expires_at) VALUES ($1, $2, $3, $4, $5)", attempt_hash, token_id, code_hash, at.timestamp(), code_expires_at.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// An attempt by its hash.
pub async fn attempt_by_hash(
    conn: &mut AnyConnection,
    attempt_hash: &str,
) -> sqlx::Result<Option<AttemptRecord>> {
    checked_query_as!(AttemptRecord, "SELECT id, token_id, code_hash, created_at, code_expires_at, tries, voided, verified_at, completed_at
         FROM setup_attempts WHERE attempt_hash = $1", attempt_hash)
    .fetch_optional(conn)
    .await
}

/// Takes one try of an open attempt before its code is checked, so parallel guesses cannot
/// exceed `max`; returns the number of tries used, or `None` when none is left.
pub async fn claim_attempt_try(
    conn: &mut AnyConnection,
    id: i64,
    max: i64,
) -> sqlx::Result<Option<i64>> {
    checked_scalar!(
        "UPDATE setup_attempts SET tries = tries + 1
         WHERE id = $1 AND tries < $2 AND voided = 0 AND verified_at IS NULL RETURNING tries",
        id,
        max
    )
    .fetch_optional(conn)
    .await
}

/// Marks an attempt verified.
pub async fn attempt_verified(
    conn: &mut AnyConnection,
    id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE setup_attempts SET verified_at = $1 WHERE id = $2",
        at.timestamp(),
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks an attempt completed (password set), only once; false when already completed.
pub async fn attempt_completed(
    conn: &mut AnyConnection,
    id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = checked_query!(
        "UPDATE setup_attempts SET completed_at = $1 WHERE id = $2 AND completed_at IS NULL",
        at.timestamp(),
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A login's second step.
#[derive(Debug, Clone, FromRow)]
pub struct ChallengeRecord {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub code_hash: Option<String>,
    #[sqlx(try_from = "StoredTime")]
    pub expires_at: DateTime<Utc>,
    pub tries: i64,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub used_at: Option<DateTime<Utc>>,
}

/// Stores a login challenge.
pub async fn insert_challenge(
    conn: &mut AnyConnection,
    challenge_hash: &str,
    user_id: i64,
    kind: &str,
    code_hash: Option<&str>,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!("INSERT INTO login_challenges (challenge_hash, user_id, kind, code_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)", challenge_hash, user_id, kind, code_hash, at.timestamp(), expires_at.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// A challenge by its hash.
pub async fn challenge_by_hash(
    conn: &mut AnyConnection,
    challenge_hash: &str,
) -> sqlx::Result<Option<ChallengeRecord>> {
    checked_query_as!(ChallengeRecord, "SELECT id, user_id, kind, code_hash, expires_at, tries, used_at FROM login_challenges WHERE challenge_hash = $1", challenge_hash)
    .fetch_optional(conn)
    .await
}

/// Takes one try of an unused challenge before its code is checked, so parallel guesses cannot
/// exceed `max`; returns the number of tries used, or `None` when none is left.
pub async fn claim_challenge_try(
    conn: &mut AnyConnection,
    id: i64,
    max: i64,
) -> sqlx::Result<Option<i64>> {
    checked_scalar!("UPDATE login_challenges SET tries = tries + 1 WHERE id = $1 AND tries < $2 AND used_at IS NULL RETURNING tries", id, max)
    .fetch_optional(conn)
    .await
}

/// Uses a challenge once; false when already used.
pub async fn use_challenge(
    conn: &mut AnyConnection,
    id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = checked_query!(
        "UPDATE login_challenges SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
        at.timestamp(),
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// True when the browser's device token is known for the user (and refreshes its last use).
pub async fn is_known_device(
    conn: &mut AnyConnection,
    user_id: i64,
    token_hash: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = checked_query!(
        "UPDATE known_devices SET last_used_at = $1 WHERE token_hash = $2 AND user_id = $3",
        at.timestamp(),
        token_hash,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Remembers a browser for the user.
pub async fn insert_known_device(
    conn: &mut AnyConnection,
    user_id: i64,
    token_hash: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!("INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (token_hash) DO NOTHING", token_hash, user_id, at.timestamp())
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the user's recovery codes.
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user_id: i64,
    hashes: &[String],
) -> sqlx::Result<()> {
    checked_query!("DELETE FROM recovery_codes WHERE user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    for hash in hashes {
        checked_query!(
            "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
            user_id,
            hash
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Uses a recovery code once; false when unknown or used.
pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    user_id: i64,
    hash: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = checked_query!("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL", at.timestamp(), user_id, hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A stored session.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRecord {
    pub user_id: i64,
    #[sqlx(try_from = "StoredTime")]
    pub created_at: DateTime<Utc>,
    #[sqlx(try_from = "StoredTime")]
    pub last_seen_at: DateTime<Utc>,
    pub acting_for_site_id: Option<i64>,
}

/// Stores a new session.
pub async fn insert_session(
    conn: &mut AnyConnection,
    id_hash: &str,
    user_id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
        id_hash,
        user_id,
        at.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A session by its hash.
pub async fn session(
    conn: &mut AnyConnection,
    id_hash: &str,
) -> sqlx::Result<Option<SessionRecord>> {
    checked_query_as!(SessionRecord, "SELECT user_id, created_at, last_seen_at, acting_for_site_id FROM sessions WHERE id_hash = $1", id_hash)
        .fetch_optional(conn)
        .await
}

/// Records activity on a session.
pub async fn touch_session(
    conn: &mut AnyConnection,
    id_hash: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2",
        at.timestamp(),
        id_hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets or clears the site a session acts for.
pub async fn set_acting_for(
    conn: &mut AnyConnection,
    id_hash: &str,
    site_id: Option<i64>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE sessions SET acting_for_site_id = $1 WHERE id_hash = $2",
        site_id,
        id_hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends one session.
pub async fn delete_session(conn: &mut AnyConnection, id_hash: &str) -> sqlx::Result<()> {
    checked_query!("DELETE FROM sessions WHERE id_hash = $1", id_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user.
pub async fn delete_user_sessions(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<u64> {
    let done = checked_query!("DELETE FROM sessions WHERE user_id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
