//! Uploaded files, kept in the database (every server process serves them; a backup holds them).

use super::StoredTime;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A file with its content.
#[derive(Debug, Clone, FromRow)]
pub struct FileRecord {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

/// Who may see a file: the article it belongs to, or the user whose inquiry holds it.
#[derive(Debug, Clone, Default)]
pub struct FileOwners {
    /// Attached to a ナレッジ article (every user reads those).
    pub article: bool,
    /// The senders of the inquiries that hold it.
    pub inquiry_users: Vec<i64>,
}

/// Stores a file; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    name: &str,
    media_type: &str,
    content: &[u8],
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let digest = crate::security::sha256_hex_bytes(content);
    checked_scalar!(
        "INSERT INTO files (name, media_type, size, sha256, content, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        name,
        media_type,
        content.len() as i64,
        digest,
        content.to_vec(),
        user_id,
        now.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// One file with its content.
pub async fn load(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<FileRecord>> {
    checked_query_as!(
        FileRecord,
        "SELECT id, name, media_type, content FROM files WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Where a file is used.
pub async fn owners(conn: &mut AnyConnection, id: i64) -> sqlx::Result<FileOwners> {
    let articles: i64 = checked_scalar!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM article_files WHERE file_id = $1",
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let inquiry_users: Vec<i64> = checked_scalar!(
        "SELECT i.user_id FROM inquiry_messages m JOIN inquiries i ON i.id = m.inquiry_id
         WHERE m.file_id = $1",
        id
    )
    .fetch_all(conn)
    .await?;
    Ok(FileOwners {
        article: articles > 0,
        inquiry_users,
    })
}

/// A file's description without its content.
#[derive(Debug, Clone, FromRow)]
pub struct FileMeta {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    #[sqlx(try_from = "StoredTime")]
    pub uploaded_at: DateTime<Utc>,
    pub owner: String,
}
