//! 問い合わせ: inquiries, their messages, and the service desk's views of them.

use super::StoredTime;
use app::domain::help::{InquiryCategory, InquiryStatus};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// An inquiry with its sender's and assignee's names.
#[derive(Debug, Clone, FromRow)]
pub struct InquiryRecord {
    pub id: i64,
    pub user_id: i64,
    #[sqlx(try_from = "String")]
    pub category: InquiryCategory,
    pub subject: String,
    #[sqlx(try_from = "String")]
    pub status: InquiryStatus,
    pub assignee_id: Option<i64>,
    #[sqlx(try_from = "StoredTime")]
    pub created_at: DateTime<Utc>,
    #[sqlx(try_from = "StoredTime")]
    pub updated_at: DateTime<Utc>,
    pub requester: String,
    pub organisation: Option<String>,
    pub requester_email: String,
    pub assignee: Option<String>,
}

/// [`checked_query_as!`] for [`InquiryRecord`], followed by `$tail` (WHERE and ORDER BY).
macro_rules! inquiry_query {
    ($tail:literal $(, $arg:expr)*) => {
        checked_query_as!(
            InquiryRecord,
            "SELECT i.id, i.user_id, i.category, i.subject, i.status, i.assignee_id, i.created_at,
                    i.updated_at, u.display_name AS requester,
                    COALESCE(s.name, sp.name, m.name, p.name) AS organisation,
                    u.email AS requester_email, a.display_name AS assignee
             FROM inquiries i
             JOIN users u ON u.id = i.user_id
             LEFT JOIN users a ON a.id = i.assignee_id
             LEFT JOIN sites s ON s.id = u.site_id
             LEFT JOIN municipalities m ON m.code = u.municipality_code
             LEFT JOIN prefectures p ON p.code = u.prefecture_code
             LEFT JOIN suppliers sp ON sp.id = u.supplier_id "
                + $tail
            $(, $arg)*
        )
    };
}

/// A message with its author's name.
#[derive(Debug, Clone, FromRow)]
pub struct MessageRecord {
    pub kind: String,
    pub author: String,
    pub body: String,
    #[sqlx(try_from = "StoredTime")]
    pub created_at: DateTime<Utc>,
    pub file_id: Option<i64>,
    pub file_name: Option<String>,
    pub file_type: Option<String>,
}

/// Stores a new inquiry (未対応); returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    user_id: i64,
    category: InquiryCategory,
    subject: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO inquiries (user_id, category, subject, status, created_at, updated_at)
         VALUES ($1, $2, $3, 'open', $4, $4) RETURNING id",
        user_id,
        category.as_str(),
        subject,
        now.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// Adds a message (`question`, `reply` or `note`) and marks the inquiry changed.
pub async fn add_message(
    conn: &mut AnyConnection,
    inquiry_id: i64,
    author_id: i64,
    kind: &str,
    body: &str,
    file_id: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO inquiry_messages (inquiry_id, author_id, kind, body, file_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        inquiry_id,
        author_id,
        kind,
        body,
        file_id,
        now.timestamp()
    )
    .execute(&mut *conn)
    .await?;
    touch(conn, inquiry_id, now).await
}

async fn touch(conn: &mut AnyConnection, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE inquiries SET updated_at = $2 WHERE id = $1",
        id,
        now.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves an inquiry to `status`.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    status: InquiryStatus,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE inquiries SET status = $2, updated_at = $3 WHERE id = $1",
        id,
        status.as_str(),
        now.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Assigns a desk member (or nobody).
pub async fn set_assignee(
    conn: &mut AnyConnection,
    id: i64,
    assignee: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE inquiries SET assignee_id = $2, updated_at = $3 WHERE id = $1",
        id,
        assignee,
        now.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One inquiry.
pub async fn by_id(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<InquiryRecord>> {
    inquiry_query!("WHERE i.id = $1", id)
        .fetch_optional(conn)
        .await
}

/// A user's own inquiries, newest first.
pub async fn of_user(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<Vec<InquiryRecord>> {
    inquiry_query!(
        "WHERE i.user_id = $1 ORDER BY i.created_at DESC, i.id DESC",
        user_id
    )
    .fetch_all(conn)
    .await
}

/// The inquiries of a status, oldest first (the one waiting longest on top).
pub async fn with_status(
    conn: &mut AnyConnection,
    status: InquiryStatus,
) -> sqlx::Result<Vec<InquiryRecord>> {
    inquiry_query!(
        "WHERE i.status = $1 ORDER BY i.created_at, i.id LIMIT 500",
        status.as_str()
    )
    .fetch_all(conn)
    .await
}

/// How many inquiries each status holds.
pub async fn counts(conn: &mut AnyConnection) -> sqlx::Result<Vec<(String, i64)>> {
    checked_query_as!(
        (String, i64),
        "SELECT status, CAST(COUNT(*) AS BIGINT) FROM inquiries GROUP BY status"
    )
    .fetch_all(conn)
    .await
}

/// The messages of an inquiry, oldest first; without notes unless `with_notes`.
pub async fn messages(
    conn: &mut AnyConnection,
    id: i64,
    with_notes: bool,
) -> sqlx::Result<Vec<MessageRecord>> {
    checked_query_as!(
        MessageRecord,
        "SELECT m.kind, u.display_name AS author, m.body, m.created_at, m.file_id,
                f.name AS file_name, f.media_type AS file_type
         FROM inquiry_messages m JOIN users u ON u.id = m.author_id
         LEFT JOIN files f ON f.id = m.file_id
         WHERE m.inquiry_id = $1 AND (m.kind <> 'note' OR $2 = CAST(1 AS BIGINT))
         ORDER BY m.created_at, m.id",
        id,
        i64::from(with_notes)
    )
    .fetch_all(conn)
    .await
}

/// The service desk: active system administrators.
pub async fn desk_members(conn: &mut AnyConnection) -> sqlx::Result<Vec<(i64, String)>> {
    checked_query_as!(
        (i64, String),
        "SELECT id, display_name FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY id"
    )
    .fetch_all(conn)
    .await
}
