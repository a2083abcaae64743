//! 分配 and データロック: the boxes each level gave the one below, what was requested beneath each
//! row, the tables' versions and the prefectures' locks. Targets are text (a prefecture code, a
//! municipality code, a site id) so that one row type serves the three levels.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A row's target with its name and the boxes requested beneath it (`None`: nothing
/// registered).
#[derive(Debug, Clone, FromRow)]
pub struct RequestedRecord {
    pub target: String,
    pub name: String,
    pub requested: Option<i64>,
}

/// Boxes given to a target.
#[derive(Debug, Clone, FromRow)]
pub struct GivenRecord {
    pub target: String,
    pub boxes: i64,
}

/// Every prefecture with the boxes its basic sites requested in the cool.
pub async fn requested_by_prefecture(
    conn: &mut AnyConnection,
    cool_id: i64,
) -> sqlx::Result<Vec<RequestedRecord>> {
    // SUM of BIGINT is NUMERIC on PostgreSQL: cast it back so both engines answer an integer.
    checked_query_as!(
        RequestedRecord,
        "SELECT CAST(p.code AS TEXT) AS target, p.name, CAST(SUM(r.boxes) AS BIGINT) AS requested
         FROM prefectures p
         LEFT JOIN municipalities m ON m.prefecture_code = p.code
         LEFT JOIN sites s ON s.municipality_code = m.code
         LEFT JOIN cool_requests r ON r.site_id = s.id AND r.cool_id = $1
         GROUP BY p.code, p.name
         ORDER BY p.code",
        cool_id
    )
    .fetch_all(conn)
    .await
}

/// Every municipality of a prefecture with the boxes its basic sites requested in the cool.
pub async fn requested_by_municipality(
    conn: &mut AnyConnection,
    cool_id: i64,
    prefecture_code: i64,
) -> sqlx::Result<Vec<RequestedRecord>> {
    checked_query_as!(
        RequestedRecord,
        "SELECT m.code AS target, m.name, CAST(SUM(r.boxes) AS BIGINT) AS requested
         FROM municipalities m
         LEFT JOIN sites s ON s.municipality_code = m.code
         LEFT JOIN cool_requests r ON r.site_id = s.id AND r.cool_id = $1
         WHERE m.prefecture_code = $2
         GROUP BY m.code, m.name
         ORDER BY m.code",
        cool_id,
        prefecture_code
    )
    .fetch_all(conn)
    .await
}

/// The boxes national users gave each prefecture.
pub async fn given_to_prefectures(
    conn: &mut AnyConnection,
    cool_id: i64,
) -> sqlx::Result<Vec<GivenRecord>> {
    checked_query_as!(
        GivenRecord,
        "SELECT CAST(prefecture_code AS TEXT) AS target, boxes
         FROM prefecture_allocations WHERE cool_id = $1",
        cool_id
    )
    .fetch_all(conn)
    .await
}

/// The boxes a prefecture gave each of its municipalities.
pub async fn given_to_municipalities(
    conn: &mut AnyConnection,
    cool_id: i64,
    prefecture_code: i64,
) -> sqlx::Result<Vec<GivenRecord>> {
    checked_query_as!(
        GivenRecord,
        "SELECT a.municipality_code AS target, a.boxes
         FROM municipality_allocations a
         JOIN municipalities m ON m.code = a.municipality_code
         WHERE a.cool_id = $1 AND m.prefecture_code = $2",
        cool_id,
        prefecture_code
    )
    .fetch_all(conn)
    .await
}

/// The boxes a municipality gave each of its sites.
pub async fn given_to_sites(
    conn: &mut AnyConnection,
    cool_id: i64,
    municipality_code: &str,
) -> sqlx::Result<Vec<GivenRecord>> {
    checked_query_as!(
        GivenRecord,
        "SELECT CAST(a.site_id AS TEXT) AS target, a.boxes
         FROM site_allocations a
         JOIN sites s ON s.id = a.site_id
         WHERE a.cool_id = $1 AND s.municipality_code = $2",
        cool_id,
        municipality_code
    )
    .fetch_all(conn)
    .await
}

/// The boxes allocated to one site, if any.
pub async fn given_to_site(
    conn: &mut AnyConnection,
    cool_id: i64,
    site_id: i64,
) -> sqlx::Result<Option<i64>> {
    checked_scalar!(
        "SELECT boxes FROM site_allocations WHERE cool_id = $1 AND site_id = $2",
        cool_id,
        site_id
    )
    .fetch_optional(conn)
    .await
}

/// Which level's allocations a batch writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    /// prefecture_allocations, keyed by prefecture code.
    Prefectures,
    /// municipality_allocations, keyed by municipality code.
    Municipalities,
    /// site_allocations, keyed by site id.
    Sites,
}

/// Rows per statement of [`give_many`] (three parameters each, far below either engine's limit).
const BATCH: usize = 500;

/// Sets the boxes of many targets of one level in a few statements (a municipality saving its
/// allocation to a thousand sites is one round trip per 500 rows, not one per row). The SQL is
/// built at run time from fixed table and column names only, so the compiler cannot check it;
/// the allocation tests run it on both engines.
pub async fn give_many(
    conn: &mut AnyConnection,
    cool_id: i64,
    level: Given,
    rows: &[(String, i64)],
) -> sqlx::Result<()> {
    let (table, key) = match level {
        Given::Prefectures => ("prefecture_allocations", "prefecture_code"),
        Given::Municipalities => ("municipality_allocations", "municipality_code"),
        Given::Sites => ("site_allocations", "site_id"),
    };
    for chunk in rows.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3))
            .collect();
        let sql = format!(
            "INSERT INTO {table} (cool_id, {key}, boxes) VALUES {} \
             ON CONFLICT (cool_id, {key}) DO UPDATE SET boxes = excluded.boxes",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (target, boxes) in chunk {
            query = query.bind(cool_id);
            query = match level {
                Given::Municipalities => query.bind(target.clone()),
                Given::Prefectures | Given::Sites => query.bind(
                    target
                        .parse::<i64>()
                        .map_err(|e| sqlx::Error::Protocol(format!("target {target}: {e}")))?,
                ),
            };
            query = query.bind(*boxes);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The version of one allocation table (0: never saved).
pub async fn version(conn: &mut AnyConnection, cool_id: i64, scope: &str) -> sqlx::Result<i64> {
    let version: Option<i64> = checked_scalar!(
        "SELECT version FROM allocation_versions WHERE cool_id = $1 AND scope = $2",
        cool_id,
        scope
    )
    .fetch_optional(conn)
    .await?;
    Ok(version.unwrap_or(0))
}

/// Moves a table from version `expected` to the next; false when someone saved it since.
pub async fn claim_version(
    conn: &mut AnyConnection,
    cool_id: i64,
    scope: &str,
    expected: i64,
) -> sqlx::Result<bool> {
    let done = if expected == 0 {
        checked_query!(
            "INSERT INTO allocation_versions (cool_id, scope, version) VALUES ($1, $2, 1)
             ON CONFLICT (cool_id, scope) DO NOTHING",
            cool_id,
            scope
        )
        .execute(conn)
        .await?
    } else {
        checked_query!(
            "UPDATE allocation_versions SET version = version + 1
             WHERE cool_id = $1 AND scope = $2 AND version = $3",
            cool_id,
            scope,
            expected
        )
        .execute(conn)
        .await?
    };
    Ok(done.rows_affected() == 1)
}

/// The prefectures that have locked the cool.
pub async fn locked_prefectures(conn: &mut AnyConnection, cool_id: i64) -> sqlx::Result<Vec<i64>> {
    checked_scalar!(
        "SELECT prefecture_code FROM cool_locks WHERE cool_id = $1 ORDER BY prefecture_code",
        cool_id
    )
    .fetch_all(conn)
    .await
}

/// Locks the cool for a prefecture's area (no change when it is locked already).
pub async fn lock(
    conn: &mut AnyConnection,
    cool_id: i64,
    prefecture_code: i64,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<bool> {
    let done = checked_query!(
        "INSERT INTO cool_locks (cool_id, prefecture_code, locked_at, locked_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (cool_id, prefecture_code) DO NOTHING",
        cool_id,
        prefecture_code,
        at.timestamp(),
        user_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Releases a prefecture's lock; false when it was not locked.
pub async fn unlock(
    conn: &mut AnyConnection,
    cool_id: i64,
    prefecture_code: i64,
) -> sqlx::Result<bool> {
    let done = checked_query!(
        "DELETE FROM cool_locks WHERE cool_id = $1 AND prefecture_code = $2",
        cool_id,
        prefecture_code
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What each prefecture has passed on to its municipalities in a cool, by prefecture code.
pub async fn passed_on_by_prefectures(
    conn: &mut AnyConnection,
    cool_id: i64,
) -> sqlx::Result<Vec<GivenRecord>> {
    checked_query_as!(
        GivenRecord,
        "SELECT CAST(m.prefecture_code AS TEXT) AS target, CAST(SUM(a.boxes) AS BIGINT) AS boxes
         FROM municipality_allocations a
         JOIN municipalities m ON m.code = a.municipality_code
         WHERE a.cool_id = $1
         GROUP BY m.prefecture_code",
        cool_id
    )
    .fetch_all(conn)
    .await
}

/// What each municipality of a prefecture has passed on to its sites in a cool, by code.
pub async fn passed_on_by_municipalities(
    conn: &mut AnyConnection,
    cool_id: i64,
    prefecture_code: i64,
) -> sqlx::Result<Vec<GivenRecord>> {
    checked_query_as!(
        GivenRecord,
        "SELECT s.municipality_code AS target, CAST(SUM(a.boxes) AS BIGINT) AS boxes
         FROM site_allocations a
         JOIN sites s ON s.id = a.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         WHERE a.cool_id = $1 AND m.prefecture_code = $2
         GROUP BY s.municipality_code",
        cool_id,
        prefecture_code
    )
    .fetch_all(conn)
    .await
}
