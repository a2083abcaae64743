//! Versions of the privacy policy and the consents given to them.

use super::StoredTime;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A policy version.
#[derive(Debug, Clone, FromRow)]
pub struct PolicyRecord {
    pub version: i64,
    pub body_ja: String,
    pub body_en: String,
    #[sqlx(try_from = "StoredTime")]
    pub published_at: DateTime<Utc>,
}

/// The newest version.
pub async fn current(conn: &mut AnyConnection) -> sqlx::Result<PolicyRecord> {
    checked_query_as!(PolicyRecord, "SELECT version, body_ja, body_en, published_at FROM privacy_policies ORDER BY version DESC LIMIT 1")
        .fetch_one(conn)
        .await
}

/// Publishes the next version and returns its number.
pub async fn publish(
    conn: &mut AnyConnection,
    body_ja: &str,
    body_en: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO privacy_policies (version, body_ja, body_en, published_at)
         SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3 FROM privacy_policies RETURNING version",
        body_ja,
        body_en,
        at.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// Records a consent and moves the user's consent version.
pub async fn consent(
    conn: &mut AnyConnection,
    user_id: i64,
    version: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO consents (user_id, version, given_at) VALUES ($1, $2, $3)",
        user_id,
        version,
        at.timestamp()
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "UPDATE users SET consent_version = $1 WHERE id = $2",
        version,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
