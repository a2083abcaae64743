//! お知らせ: notices, the regions they reach and who has read them.

use super::{StoredFlag, StoredOptionalTime, StoredTime};
use app::domain::help::NoticeRegion;
use app::domain::Role;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A notice row, with whether the reader has opened it.
#[derive(Debug, Clone, FromRow)]
pub struct NoticeRecord {
    pub id: i64,
    pub title: String,
    pub body: String,
    #[sqlx(try_from = "StoredFlag")]
    pub important: bool,
    #[sqlx(try_from = "StoredTime")]
    pub valid_from: DateTime<Utc>,
    #[sqlx(try_from = "StoredTime")]
    pub valid_until: DateTime<Utc>,
    pub roles: String,
    #[sqlx(try_from = "String")]
    pub author_role: Role,
    pub author_prefecture: Option<i64>,
    pub author_municipality: Option<String>,
    pub author_name: String,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// 1 when the reader has opened it.
    #[sqlx(try_from = "StoredFlag")]
    pub read: bool,
}

/// Who reads: the role and the region of the user's organisation.
#[derive(Debug, Clone)]
pub struct Reader {
    pub user_id: i64,
    pub role: Role,
    pub prefecture: Option<i64>,
    pub municipality: Option<String>,
}

/// An organisation that writes notices.
#[derive(Debug, Clone)]
pub struct Author {
    pub role: Role,
    pub prefecture: Option<i64>,
    pub municipality: Option<String>,
    pub name: String,
}

/// A notice to store.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub important: bool,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    /// `,site,municipality,`.
    pub roles: String,
    pub regions: &'a [NoticeRegion],
}

/// The roles stored between commas, so that `LIKE '%,site,%'` finds one.
pub fn roles_column(roles: &[Role]) -> String {
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    format!(",{},", names.join(","))
}

/// The roles of a stored `roles` column; an unknown name is an error.
pub fn parse_roles(column: &str) -> Result<Vec<Role>, String> {
    column
        .split(',')
        .filter(|name| !name.is_empty())
        .map(|name| Role::parse(name).map_err(|_| format!("unknown role {name:?}")))
        .collect()
}

/// A `LIKE` pattern that matches `text` anywhere, with `%`, `_` and `\` taken literally.
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// [`checked_query_as!`] for [`NoticeRecord`] as the user `$1` reads it (whether they opened
/// it), followed by `$tail` (the WHERE and ORDER BY, whose parameters start at `$2`).
macro_rules! notice_query {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        checked_query_as!(
            NoticeRecord,
            "SELECT n.id, n.title, n.body, n.important, n.valid_from, n.valid_until, n.roles,
                    n.author_role, n.author_prefecture, n.author_municipality, n.author_name,
                    n.withdrawn_at,
                    CAST(CASE WHEN EXISTS (SELECT 1 FROM notice_reads r
                                           WHERE r.notice_id = n.id AND r.user_id = $1)
                         THEN 1 ELSE 0 END AS BIGINT) AS read
             FROM notices n "
                + $tail
            $(, $arg)*
        )
    };
}

/// The notices valid at `now` for `reader` whose title or body holds `search` (empty: all),
/// newest 掲載開始 first: `limit` of them from `offset`.
pub async fn visible(
    conn: &mut AnyConnection,
    reader: &Reader,
    now: DateTime<Utc>,
    search: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<NoticeRecord>> {
    notice_query!(
        "WHERE n.withdrawn_at IS NULL AND n.valid_from <= $2 AND $2 < n.valid_until
           AND n.roles LIKE $3
           AND (NOT EXISTS (SELECT 1 FROM notice_regions g WHERE g.notice_id = n.id)
                OR EXISTS (SELECT 1 FROM notice_regions g WHERE g.notice_id = n.id
                           AND (g.prefecture_code = $4 OR g.municipality_code = $5)))
           AND (n.title LIKE $6 ESCAPE '\\' OR n.body LIKE $6 ESCAPE '\\')
         ORDER BY n.valid_from DESC, n.id DESC
         LIMIT $7 OFFSET $8",
        reader.user_id,
        now.timestamp(),
        format!("%,{},%", reader.role.as_str()),
        reader.prefecture,
        reader.municipality.clone(),
        contains_pattern(search),
        limit,
        offset,
    )
    .fetch_all(conn)
    .await
}

/// How many notices [`visible`] would list in all, and how many of them are unread.
pub async fn visible_counts(
    conn: &mut AnyConnection,
    reader: &Reader,
    now: DateTime<Utc>,
    search: &str,
) -> sqlx::Result<(i64, i64)> {
    checked_query_as!(
        (i64, i64),
        "SELECT CAST(COUNT(*) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM notice_reads r
                                  WHERE r.notice_id = n.id AND r.user_id = $1)
                     THEN 0 ELSE 1 END), 0) AS BIGINT)
         FROM notices n
         WHERE n.withdrawn_at IS NULL AND n.valid_from <= $2 AND $2 < n.valid_until
           AND n.roles LIKE $3
           AND (NOT EXISTS (SELECT 1 FROM notice_regions g WHERE g.notice_id = n.id)
                OR EXISTS (SELECT 1 FROM notice_regions g WHERE g.notice_id = n.id
                           AND (g.prefecture_code = $4 OR g.municipality_code = $5)))
           AND (n.title LIKE $6 ESCAPE '\\' OR n.body LIKE $6 ESCAPE '\\')",
        reader.user_id,
        now.timestamp(),
        format!("%,{},%", reader.role.as_str()),
        reader.prefecture,
        reader.municipality.clone(),
        contains_pattern(search)
    )
    .fetch_one(conn)
    .await
}

/// One notice, with whether `user_id` has read it.
pub async fn by_id(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> sqlx::Result<Option<NoticeRecord>> {
    notice_query!("WHERE n.id = $2", user_id, id)
        .fetch_optional(conn)
        .await
}

/// The notices written by `author`'s organisation, newest first.
pub async fn authored(
    conn: &mut AnyConnection,
    author: &Author,
    user_id: i64,
) -> sqlx::Result<Vec<NoticeRecord>> {
    notice_query!(
        "WHERE n.author_role = $2
           AND COALESCE(n.author_prefecture, 0) = COALESCE($3, CAST(0 AS BIGINT))
           AND COALESCE(n.author_municipality, '') = COALESCE($4, '')
         ORDER BY n.valid_from DESC, n.id DESC",
        user_id,
        author.role.as_str(),
        author.prefecture,
        author.municipality.clone()
    )
    .fetch_all(conn)
    .await
}

/// The regions a notice reaches.
pub async fn regions(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Vec<NoticeRegion>> {
    let rows: Vec<(Option<i64>, Option<String>)> = checked_query_as!(
        (Option<i64>, Option<String>),
        "SELECT prefecture_code, municipality_code FROM notice_regions WHERE notice_id = $1
         ORDER BY prefecture_code, municipality_code",
        id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| match row {
            (Some(p), _) => Some(NoticeRegion::Prefecture(p)),
            (None, Some(m)) => Some(NoticeRegion::Municipality(m)),
            (None, None) => None,
        })
        .collect())
}

/// Stores a new notice of `author`; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    author: &Author,
    notice: &NewNotice<'_>,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let id: i64 = checked_scalar!(
        "INSERT INTO notices (title, body, important, valid_from, valid_until, roles, author_role,
             author_prefecture, author_municipality, author_name, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        notice.title,
        notice.body,
        i64::from(notice.important),
        notice.valid_from.timestamp(),
        notice.valid_until.timestamp(),
        notice.roles.clone(),
        author.role.as_str(),
        author.prefecture,
        author.municipality.clone(),
        author.name.clone(),
        user_id,
        now.timestamp()
    )
    .fetch_one(&mut *conn)
    .await?;
    write_regions(conn, id, notice.regions).await?;
    Ok(id)
}

/// Replaces a notice's content and audience.
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    notice: &NewNotice<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE notices SET title = $2, body = $3, important = $4, valid_from = $5,
             valid_until = $6, roles = $7, updated_at = $8
         WHERE id = $1",
        id,
        notice.title,
        notice.body,
        i64::from(notice.important),
        notice.valid_from.timestamp(),
        notice.valid_until.timestamp(),
        notice.roles.clone(),
        now.timestamp()
    )
    .execute(&mut *conn)
    .await?;
    checked_query!("DELETE FROM notice_regions WHERE notice_id = $1", id)
        .execute(&mut *conn)
        .await?;
    write_regions(conn, id, notice.regions).await
}

async fn write_regions(
    conn: &mut AnyConnection,
    id: i64,
    regions: &[NoticeRegion],
) -> sqlx::Result<()> {
    for region in regions {
        let (prefecture, municipality) = match region {
            NoticeRegion::Prefecture(code) => (Some(*code), None),
            NoticeRegion::Municipality(code) => (None, Some(code.clone())),
        };
        checked_query!(
            "INSERT INTO notice_regions (notice_id, prefecture_code, municipality_code)
             VALUES ($1, $2, $3)",
            id,
            prefecture,
            municipality
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// 取り下げ.
pub async fn withdraw(conn: &mut AnyConnection, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE notices SET withdrawn_at = $2, updated_at = $2 WHERE id = $1",
        id,
        now.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records that `user_id` opened the notice (once).
pub async fn mark_read(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO notice_reads (notice_id, user_id, read_at) VALUES ($1, $2, $3)
         ON CONFLICT (notice_id, user_id) DO NOTHING",
        id,
        user_id,
        now.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}
