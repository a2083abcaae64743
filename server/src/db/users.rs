//! Users and the per-account lockout state.

use super::{StoredFlag, StoredOptionalTime};
use app::domain::Role;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A user row with the names of its organisation resolved.
#[derive(Debug, Clone, FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub login_id: String,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub prefecture_code: Option<i64>,
    pub municipality_code: Option<String>,
    pub site_id: Option<i64>,
    pub supplier_id: Option<i64>,
    pub password_hash: Option<String>,
    pub totp_secret: Option<String>,
    pub totp_pending_secret: Option<String>,
    pub totp_last_step: i64,
    #[sqlx(try_from = "StoredFlag")]
    pub totp_offered: bool,
    pub consent_version: i64,
    pub failed_logins: i64,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub last_failed_at: Option<DateTime<Utc>>,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub locked_until: Option<DateTime<Utc>>,
    #[sqlx(try_from = "StoredFlag")]
    pub disabled: bool,
    /// The prefecture the user's organisation lies in (for prefecture, municipality and site users).
    pub region_prefecture: Option<i64>,
    /// The municipality the user's organisation lies in (for municipality and site users).
    pub region_municipality: Option<String>,
    /// The organisation's display name.
    pub organisation: Option<String>,
    /// True for the users of a site whose bookings its municipality takes (代行入力フラグ = 要
    /// approved): they handle personal data.
    #[sqlx(try_from = "StoredFlag")]
    pub site_takes_bookings: bool,
}

impl UserRecord {
    /// Whether the user must use an authenticator app: the roles that see personal data, and
    /// the users of a site whose bookings its municipality takes (seed 000's rule).
    pub fn requires_totp(&self) -> bool {
        self.role.requires_totp() || self.site_takes_bookings
    }
}

/// [`checked_query_as!`] for [`UserRecord`]: the user with the names and region of its
/// organisation, followed by `$tail` (the WHERE and ORDER BY).
macro_rules! user_query {
    ($tail:literal $(, $arg:expr)*) => {
        checked_query_as!(
            UserRecord,
            "SELECT u.id, u.login_id, u.email, u.display_name, u.role, u.prefecture_code,
                u.municipality_code, u.site_id, u.supplier_id, u.password_hash, u.totp_secret,
                u.totp_pending_secret, u.totp_last_step, u.totp_offered, u.consent_version,
                u.failed_logins, u.last_failed_at, u.locked_until, u.disabled,
                COALESCE(u.prefecture_code, m.prefecture_code) AS region_prefecture,
                COALESCE(u.municipality_code, s.municipality_code) AS region_municipality,
                COALESCE(s.name, sp.name, m.name, p.name) AS organisation,
                COALESCE(s.proxy_booking, 0) AS site_takes_bookings
             FROM users u
             LEFT JOIN sites s ON s.id = u.site_id
             LEFT JOIN municipalities m ON m.code = COALESCE(u.municipality_code, s.municipality_code)
             LEFT JOIN prefectures p ON p.code = u.prefecture_code
             LEFT JOIN suppliers sp ON sp.id = u.supplier_id "
                + $tail
            $(, $arg)*
        )
    };
}

/// A user by id.
pub async fn by_id(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<UserRecord>> {
    user_query!("WHERE u.id = $1", id)
        .fetch_optional(conn)
        .await
}

/// A user by (normalised) user name.
pub async fn by_login_id(
    conn: &mut AnyConnection,
    login_id: &str,
) -> sqlx::Result<Option<UserRecord>> {
    user_query!("WHERE u.login_id = $1", login_id)
        .fetch_optional(conn)
        .await
}

/// Where a new user belongs: exactly one is set, matching the role.
#[derive(Debug, Clone, Default)]
pub struct NewUserRecord<'a> {
    pub login_id: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub prefecture_code: Option<i64>,
    pub municipality_code: Option<&'a str>,
    pub site_id: Option<i64>,
    pub supplier_id: Option<i64>,
    pub created_by: Option<i64>,
}

/// Inserts a user (without a password) and returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    user: &NewUserRecord<'_>,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!("INSERT INTO users (login_id, email, display_name, role, prefecture_code, municipality_code,
                            site_id, supplier_id, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id", user.login_id, user.email, user.display_name, user.role, user.prefecture_code, user.municipality_code, user.site_id, user.supplier_id, at.timestamp(), user.created_by)
    .fetch_one(conn)
    .await
}

/// True when the user name is taken.
pub async fn login_id_exists(conn: &mut AnyConnection, login_id: &str) -> sqlx::Result<bool> {
    let count: i64 = checked_scalar!("SELECT COUNT(*) FROM users WHERE login_id = $1", login_id)
        .fetch_one(conn)
        .await?;
    Ok(count > 0)
}

/// Counts one more wrong password for the account, from any source, atomically (so parallel
/// servers agree); returns the new count.
pub async fn record_failure(
    conn: &mut AnyConnection,
    user_id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!("UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = $1 WHERE id = $2 RETURNING failed_logins", at.timestamp(), user_id)
    .fetch_one(conn)
    .await
}

/// Counts one more wrong second-step code after a correct password; returns the new count.
pub async fn record_code_failure(
    conn: &mut AnyConnection,
    user_id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!("UPDATE users SET failed_codes = failed_codes + 1, last_failed_at = $1 WHERE id = $2 RETURNING failed_codes", at.timestamp(), user_id)
    .fetch_one(conn)
    .await
}

/// Locks the account until `until` and restarts the count of wrong codes.
pub async fn lock(
    conn: &mut AnyConnection,
    user_id: i64,
    until: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE users SET locked_until = $1, failed_codes = 0 WHERE id = $2",
        until.timestamp(),
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Clears the failure counts and any lock.
pub async fn clear_failures(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<()> {
    checked_query!("UPDATE users SET failed_logins = 0, failed_codes = 0, last_failed_at = NULL, locked_until = NULL WHERE id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets the password hash.
pub async fn set_password_hash(
    conn: &mut AnyConnection,
    user_id: i64,
    hash: &str,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE users SET password_hash = $1 WHERE id = $2",
        hash,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a TOTP secret awaiting confirmation (sealed by [`crate::security::SecretBox`]).
pub async fn set_totp_pending(
    conn: &mut AnyConnection,
    user_id: i64,
    sealed_secret: &str,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE users SET totp_pending_secret = $1 WHERE id = $2",
        sealed_secret,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes the pending secret (sealed) the enrolled one.
pub async fn confirm_totp(
    conn: &mut AnyConnection,
    user_id: i64,
    sealed_secret: &str,
    step: i64,
) -> sqlx::Result<()> {
    checked_query!("UPDATE users SET totp_secret = $1, totp_pending_secret = NULL, totp_last_step = $2, totp_offered = 1 WHERE id = $3", sealed_secret, step, user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the last accepted TOTP time step, so a code cannot be replayed. Returns false when a
/// newer or equal step was already used (another request won the race).
pub async fn advance_totp_step(
    conn: &mut AnyConnection,
    user_id: i64,
    step: i64,
) -> sqlx::Result<bool> {
    let updated = checked_query!(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        step,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Every user's stored (sealed or legacy plain) authenticator secrets: id, enrolled, pending.
pub async fn stored_totp_secrets(
    conn: &mut AnyConnection,
) -> sqlx::Result<Vec<(i64, Option<String>, Option<String>)>> {
    checked_query_as!(
        (i64, Option<String>, Option<String>),
        "SELECT id, totp_secret, totp_pending_secret FROM users
         WHERE totp_secret IS NOT NULL OR totp_pending_secret IS NOT NULL"
    )
    .fetch_all(conn)
    .await
}

/// Replaces the stored secrets of a user (sealing legacy plain-text ones).
pub async fn replace_totp_secrets(
    conn: &mut AnyConnection,
    user_id: i64,
    secret: Option<String>,
    pending: Option<String>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE users SET totp_secret = $1, totp_pending_secret = $2 WHERE id = $3",
        secret,
        pending,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes the authenticator app, so the user enrols again at the next login.
pub async fn clear_totp(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<()> {
    checked_query!("UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_offered = 0 WHERE id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks the authenticator app as offered and declined.
pub async fn set_totp_offered(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<()> {
    checked_query!("UPDATE users SET totp_offered = 1 WHERE id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Disables or enables a user.
pub async fn set_disabled(
    conn: &mut AnyConnection,
    user_id: i64,
    disabled: bool,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE users SET disabled = $1 WHERE id = $2",
        i64::from(disabled),
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Which users a caller may list.
#[derive(Debug, Clone)]
pub enum UserScope<'a> {
    /// Everyone (admin, national).
    All,
    /// Users of a prefecture, its municipalities and their sites.
    Prefecture(i64),
    /// Users of a municipality and its sites.
    Municipality(&'a str),
    /// The users of one site.
    Site(i64),
}

/// Users in scope whose user name, name or e-mail (lower-cased) match the `LIKE` pattern
/// (`\\` escapes), at most 500, by user name.
pub async fn list(
    conn: &mut AnyConnection,
    scope: UserScope<'_>,
    pattern: &str,
) -> sqlx::Result<Vec<UserRecord>> {
    // One query per scope, so that each is a literal the compiler checks.
    match scope {
        UserScope::All => {
            user_query!(
                "WHERE (LOWER(u.login_id) LIKE $1 ESCAPE '\\' OR LOWER(u.display_name) LIKE $1 ESCAPE '\\' OR LOWER(u.email) LIKE $1 ESCAPE '\\')
                 ORDER BY u.login_id LIMIT 500",
                pattern
            )
            .fetch_all(conn)
            .await
        }
        UserScope::Prefecture(prefecture) => {
            user_query!(
                "WHERE (LOWER(u.login_id) LIKE $1 ESCAPE '\\' OR LOWER(u.display_name) LIKE $1 ESCAPE '\\' OR LOWER(u.email) LIKE $1 ESCAPE '\\')
                   AND COALESCE(u.prefecture_code, m.prefecture_code) = $2
                 ORDER BY u.login_id LIMIT 500",
                pattern,
                prefecture
            )
            .fetch_all(conn)
            .await
        }
        UserScope::Municipality(municipality) => {
            user_query!(
                "WHERE (LOWER(u.login_id) LIKE $1 ESCAPE '\\' OR LOWER(u.display_name) LIKE $1 ESCAPE '\\' OR LOWER(u.email) LIKE $1 ESCAPE '\\')
                   AND COALESCE(u.municipality_code, s.municipality_code) = $2
                 ORDER BY u.login_id LIMIT 500",
                pattern,
                municipality
            )
            .fetch_all(conn)
            .await
        }
        UserScope::Site(site) => {
            user_query!(
                "WHERE (LOWER(u.login_id) LIKE $1 ESCAPE '\\' OR LOWER(u.display_name) LIKE $1 ESCAPE '\\' OR LOWER(u.email) LIKE $1 ESCAPE '\\')
                   AND u.site_id = $2
                 ORDER BY u.login_id LIMIT 500",
                pattern,
                site
            )
            .fetch_all(conn)
            .await
        }
    }
}
