//! 製薬メーカー・卸 and their 担当地域: a whole prefecture (no municipality) or single
//! municipalities in it.

use sqlx::{AnyConnection, FromRow};

/// One part of a supplier's service area: a prefecture, or one municipality in it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AreaRecord {
    pub prefecture_code: i64,
    pub municipality_code: Option<String>,
}

/// The service area of a supplier.
pub async fn supplier_area(
    conn: &mut AnyConnection,
    supplier_id: i64,
) -> sqlx::Result<Vec<AreaRecord>> {
    checked_query_as!(
        AreaRecord,
        "SELECT prefecture_code, municipality_code FROM supplier_areas
         WHERE supplier_id = $1 ORDER BY prefecture_code, municipality_code",
        supplier_id
    )
    .fetch_all(conn)
    .await
}

/// Adds a prefecture (`municipality` None) or a municipality to a supplier's area. Adding one
/// it already has is a unique violation.
pub async fn add_supplier_area(
    conn: &mut AnyConnection,
    supplier_id: i64,
    prefecture_code: i64,
    municipality_code: Option<&str>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO supplier_areas (supplier_id, prefecture_code, municipality_code)
         VALUES ($1, $2, $3)",
        supplier_id,
        prefecture_code,
        municipality_code
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One part of an area in a prefecture, with its supplier's name.
#[derive(Debug, Clone, FromRow)]
pub struct PrefectureAreaRecord {
    pub supplier_id: i64,
    pub supplier_name: String,
    pub municipality_code: Option<String>,
}

/// Every supplier's area in one prefecture: by supplier name, the whole prefecture before its
/// municipalities, those by code.
pub async fn areas_in_prefecture(
    conn: &mut AnyConnection,
    prefecture_code: i64,
) -> sqlx::Result<Vec<PrefectureAreaRecord>> {
    checked_query_as!(
        PrefectureAreaRecord,
        "SELECT a.supplier_id, s.name AS supplier_name, a.municipality_code
         FROM supplier_areas a JOIN suppliers s ON s.id = a.supplier_id
         WHERE a.prefecture_code = $1
         ORDER BY s.name, a.supplier_id,
                  CASE WHEN a.municipality_code IS NULL THEN 0 ELSE 1 END, a.municipality_code",
        prefecture_code
    )
    .fetch_all(conn)
    .await
}

/// Takes one part out of a supplier's area (`municipality` None: the whole prefecture); the
/// number of rows removed.
pub async fn remove_supplier_area(
    conn: &mut AnyConnection,
    supplier_id: i64,
    prefecture_code: i64,
    municipality_code: Option<&str>,
) -> sqlx::Result<u64> {
    let done = match municipality_code {
        Some(code) => {
            checked_query!(
                "DELETE FROM supplier_areas
             WHERE supplier_id = $1 AND prefecture_code = $2 AND municipality_code = $3",
                supplier_id,
                prefecture_code,
                code
            )
            .execute(conn)
            .await?
        }
        None => {
            checked_query!(
                "DELETE FROM supplier_areas
             WHERE supplier_id = $1 AND prefecture_code = $2 AND municipality_code IS NULL",
                supplier_id,
                prefecture_code
            )
            .execute(conn)
            .await?
        }
    };
    Ok(done.rows_affected())
}

/// Takes every single municipality of a prefecture out of a supplier's area (the whole
/// prefecture replaces them); the codes removed.
pub async fn remove_municipalities(
    conn: &mut AnyConnection,
    supplier_id: i64,
    prefecture_code: i64,
) -> sqlx::Result<Vec<String>> {
    checked_scalar!(
        "DELETE FROM supplier_areas
         WHERE supplier_id = $1 AND prefecture_code = $2 AND municipality_code IS NOT NULL
         RETURNING municipality_code",
        supplier_id,
        prefecture_code
    )
    .fetch_all(conn)
    .await
}

/// Inserts a supplier and returns its id; a taken name is a unique violation.
pub async fn insert_supplier(conn: &mut AnyConnection, name: &str) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO suppliers (name) VALUES ($1) RETURNING id",
        name
    )
    .fetch_one(conn)
    .await
}
