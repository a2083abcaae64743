//! The development mail outbox.

use super::StoredTime;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A kept mail.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxRecord {
    pub id: i64,
    #[sqlx(try_from = "StoredTime")]
    pub created_at: DateTime<Utc>,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
}

/// Keeps a mail.
pub async fn insert(
    conn: &mut AnyConnection,
    at: DateTime<Utc>,
    to: &str,
    subject: &str,
    body: &str,
    message_id: &str,
) -> sqlx::Result<()> {
    checked_query!("INSERT INTO mail_outbox (created_at, to_addr, subject, body, message_id) VALUES ($1, $2, $3, $4, $5)", at.timestamp(), to, subject, body, message_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The newest 200 mails, newest first.
pub async fn latest(conn: &mut AnyConnection) -> sqlx::Result<Vec<OutboxRecord>> {
    checked_query_as!(
        OutboxRecord,
        "SELECT id, created_at, to_addr, subject, body FROM mail_outbox ORDER BY id DESC LIMIT 200"
    )
    .fetch_all(conn)
    .await
}
