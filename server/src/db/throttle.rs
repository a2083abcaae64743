//! Login throttling per (user name, client source) and fixed-window rate limits, kept in the
//! database so that every server process counts the same attempts.

use super::{StoredOptionalTime, StoredTime};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// The failures of one user name from one source.
#[derive(Debug, Clone, FromRow)]
pub struct ThrottleRecord {
    pub failures: i64,
    #[sqlx(try_from = "StoredTime")]
    pub last_failed_at: DateTime<Utc>,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub locked_until: Option<DateTime<Utc>>,
}

/// The throttle state of `login_key` from `source`, if it ever failed.
pub async fn state(
    conn: &mut AnyConnection,
    login_key: &str,
    source: &str,
) -> sqlx::Result<Option<ThrottleRecord>> {
    checked_query_as!(
        ThrottleRecord,
        "SELECT failures, last_failed_at, locked_until FROM login_throttle
         WHERE login_key = $1 AND source = $2",
        login_key,
        source
    )
    .fetch_optional(conn)
    .await
}

/// Counts one more failure of `login_key` from `source` atomically; returns the new count.
pub async fn record_failure(
    conn: &mut AnyConnection,
    login_key: &str,
    source: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO login_throttle (login_key, source, failures, last_failed_at)
         VALUES ($1, $2, 1, $3)
         ON CONFLICT (login_key, source)
         DO UPDATE SET failures = login_throttle.failures + 1, last_failed_at = $3
         RETURNING failures",
        login_key,
        source,
        at.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// Locks `login_key` for `source` until `until` and restarts its count.
pub async fn lock(
    conn: &mut AnyConnection,
    login_key: &str,
    source: &str,
    until: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE login_throttle SET locked_until = $1, failures = 0
         WHERE login_key = $2 AND source = $3",
        until.timestamp(),
        login_key,
        source
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the failures of `login_key` from `source` (after a successful login).
pub async fn clear(conn: &mut AnyConnection, login_key: &str, source: &str) -> sqlx::Result<()> {
    checked_query!(
        "DELETE FROM login_throttle WHERE login_key = $1 AND source = $2",
        login_key,
        source
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the failures of `login_key` from every source (an administrator's unlock).
pub async fn clear_all(conn: &mut AnyConnection, login_key: &str) -> sqlx::Result<()> {
    checked_query!("DELETE FROM login_throttle WHERE login_key = $1", login_key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts one request of `subject` in `bucket` for the window starting at `window_start`
/// (a new window restarts the count); returns the requests counted in the window so far.
pub async fn hit(
    conn: &mut AnyConnection,
    bucket: &str,
    subject: &str,
    window_start: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO rate_windows (bucket, subject, window_start, hits) VALUES ($1, $2, $3, 1)
         ON CONFLICT (bucket, subject) DO UPDATE SET
             hits = CASE WHEN rate_windows.window_start = $3 THEN rate_windows.hits + 1 ELSE 1 END,
             window_start = $3
         RETURNING hits",
        bucket,
        subject,
        window_start.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// Removes windows and throttle rows older than `before`, so the tables stay small.
pub async fn prune(conn: &mut AnyConnection, before: DateTime<Utc>) -> sqlx::Result<()> {
    checked_query!(
        "DELETE FROM rate_windows WHERE window_start < $1",
        before.timestamp()
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "DELETE FROM login_throttle WHERE last_failed_at < $1
         AND (locked_until IS NULL OR locked_until < $1)",
        before.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}
