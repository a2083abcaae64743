//! Master data: prefectures, municipalities, vaccines, sites, suppliers.

use super::StoredOptionalTime;
use app::domain::{ReservationStatus, SiteType};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// A prefecture row.
#[derive(Debug, Clone, FromRow)]
pub struct PrefectureRecord {
    pub code: i64,
    pub name: String,
    pub name_kana: String,
    pub name_en: String,
}

/// A municipality row with its number of sites.
#[derive(Debug, Clone, FromRow)]
pub struct MunicipalityRecord {
    pub code: String,
    pub prefecture_code: i64,
    pub name: String,
    pub name_kana: String,
    pub site_count: i64,
}

/// A site row, with its municipality's name and prefecture and its basic site's name.
#[derive(Debug, Clone, FromRow)]
pub struct SiteRecord {
    pub id: i64,
    pub municipality_code: String,
    pub municipality_name: String,
    pub prefecture_code: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub site_type: SiteType,
    pub basic_site_id: Option<i64>,
    pub basic_site_name: Option<String>,
}

/// How many prefectures are loaded.
pub async fn prefecture_count(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    checked_scalar!("SELECT COUNT(*) FROM prefectures")
        .fetch_one(conn)
        .await
}

/// Inserts a prefecture.
pub async fn insert_prefecture(conn: &mut AnyConnection, p: &PrefectureRecord) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO prefectures (code, name, name_kana, name_en) VALUES ($1, $2, $3, $4)",
        p.code,
        &p.name,
        &p.name_kana,
        &p.name_en
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts a municipality.
pub async fn insert_municipality(
    conn: &mut AnyConnection,
    code: &str,
    prefecture_code: i64,
    name: &str,
    name_kana: &str,
) -> sqlx::Result<()> {
    checked_query!("INSERT INTO municipalities (code, prefecture_code, name, name_kana) VALUES ($1, $2, $3, $4)", code, prefecture_code, name, name_kana)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts a vaccine of the seed unless its code exists: once stored, the master is edited by
/// national users and a restart never overwrites it.
pub async fn upsert_vaccine(
    conn: &mut AnyConnection,
    v: &crate::seed::VaccineSeed,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO vaccines (code, name_ja, name_en, doses_per_vial, storage_min_c, storage_max_c,
                               vials_per_box, needles_per_vial, syringes_per_vial, needle_syringe_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) ON CONFLICT (code) DO NOTHING",
        v.code,
        v.name_ja,
        v.name_en,
        v.doses_per_vial,
        v.storage_c.0,
        v.storage_c.1,
        v.vials_per_box,
        v.needles_and_syringes_per_vial,
        v.needle_syringe_note
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// All prefectures, by code.
pub async fn prefectures(conn: &mut AnyConnection) -> sqlx::Result<Vec<PrefectureRecord>> {
    checked_query_as!(
        PrefectureRecord,
        "SELECT code, name, name_kana, name_en FROM prefectures ORDER BY code"
    )
    .fetch_all(conn)
    .await
}

/// One prefecture.
pub async fn prefecture(
    conn: &mut AnyConnection,
    code: i64,
) -> sqlx::Result<Option<PrefectureRecord>> {
    checked_query_as!(
        PrefectureRecord,
        "SELECT code, name, name_kana, name_en FROM prefectures WHERE code = $1",
        code
    )
    .fetch_optional(conn)
    .await
}

/// The municipalities of a prefecture, by code, with site counts.
pub async fn municipalities_of(
    conn: &mut AnyConnection,
    prefecture_code: i64,
) -> sqlx::Result<Vec<MunicipalityRecord>> {
    checked_query_as!(
        MunicipalityRecord,
        "SELECT m.code, m.prefecture_code, m.name, m.name_kana,
                (SELECT COUNT(*) FROM sites s WHERE s.municipality_code = m.code) AS site_count
         FROM municipalities m WHERE m.prefecture_code = $1 ORDER BY m.code",
        prefecture_code
    )
    .fetch_all(conn)
    .await
}

/// A municipality's names, without its sites.
#[derive(Debug, Clone, FromRow)]
pub struct MunicipalityName {
    pub code: String,
    pub prefecture_code: i64,
    pub name: String,
    pub name_kana: String,
}

/// Every municipality's names, by code.
pub async fn municipality_names(conn: &mut AnyConnection) -> sqlx::Result<Vec<MunicipalityName>> {
    checked_query_as!(
        MunicipalityName,
        "SELECT code, prefecture_code, name, name_kana FROM municipalities ORDER BY code"
    )
    .fetch_all(conn)
    .await
}

/// One municipality.
pub async fn municipality(
    conn: &mut AnyConnection,
    code: &str,
) -> sqlx::Result<Option<MunicipalityRecord>> {
    checked_query_as!(
        MunicipalityRecord,
        "SELECT m.code, m.prefecture_code, m.name, m.name_kana,
                (SELECT COUNT(*) FROM sites s WHERE s.municipality_code = m.code) AS site_count
         FROM municipalities m WHERE m.code = $1",
        code
    )
    .fetch_optional(conn)
    .await
}

/// The number of municipalities loaded.
pub async fn municipality_count(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    checked_scalar!("SELECT COUNT(*) FROM municipalities")
        .fetch_one(conn)
        .await
}

/// [`checked_query_as!`] for [`SiteRecord`]: the site with its municipality and basic site,
/// followed by `$tail` (the WHERE and ORDER BY).
macro_rules! site_query {
    ($tail:literal $(, $arg:expr)*) => {
        checked_query_as!(
            SiteRecord,
            "SELECT s.id, s.municipality_code, m.name AS municipality_name, m.prefecture_code,
                s.name, s.site_type, s.basic_site_id, b.name AS basic_site_name
             FROM sites s
             JOIN municipalities m ON m.code = s.municipality_code
             LEFT JOIN sites b ON b.id = s.basic_site_id "
                + $tail
            $(, $arg)*
        )
    };
}

/// One site.
pub async fn site(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<SiteRecord>> {
    site_query!("WHERE s.id = $1", id)
        .fetch_optional(conn)
        .await
}

/// The sites of a municipality, by name.
pub async fn sites_of(
    conn: &mut AnyConnection,
    municipality_code: &str,
) -> sqlx::Result<Vec<SiteRecord>> {
    site_query!(
        "WHERE s.municipality_code = $1 ORDER BY s.name, s.id",
        municipality_code
    )
    .fetch_all(conn)
    .await
}

/// Inserts a site and returns its id.
pub async fn insert_site(
    conn: &mut AnyConnection,
    municipality_code: &str,
    name: &str,
    site_type: &str,
    basic_site_id: Option<i64>,
    facility_class: &str,
    created_at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!("INSERT INTO sites (municipality_code, name, site_type, basic_site_id, facility_class, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", municipality_code, name, site_type, basic_site_id, facility_class, created_at.timestamp())
    .fetch_one(conn)
    .await
}

/// Inserts a supplier (or finds it by name) and returns its id.
pub async fn ensure_supplier(conn: &mut AnyConnection, name: &str) -> sqlx::Result<i64> {
    checked_query!(
        "INSERT INTO suppliers (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
        name
    )
    .execute(&mut *conn)
    .await?;
    checked_scalar!("SELECT id FROM suppliers WHERE name = $1", name)
        .fetch_one(conn)
        .await
}

/// All suppliers as (id, name).
pub async fn suppliers(conn: &mut AnyConnection) -> sqlx::Result<Vec<(i64, String)>> {
    checked_query_as!(
        (i64, String),
        "SELECT id, name FROM suppliers ORDER BY name"
    )
    .fetch_all(conn)
    .await
}

/// One supplier's name.
pub async fn supplier_name(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<String>> {
    checked_scalar!("SELECT name FROM suppliers WHERE id = $1", id)
        .fetch_optional(conn)
        .await
}

/// The number of sites.
pub async fn site_count(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    checked_scalar!("SELECT COUNT(*) FROM sites")
        .fetch_one(conn)
        .await
}

/// The highest site id (0 when there is none).
pub async fn max_site_id(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    checked_scalar!("SELECT COALESCE(MAX(id), 0) FROM sites")
        .fetch_one(conn)
        .await
}

/// After inserting sites with explicit ids on PostgreSQL, moves the id sequence past them.
pub async fn sync_site_id_sequence(conn: &mut AnyConnection) -> sqlx::Result<()> {
    checked_query!(
        "SELECT setval(pg_get_serial_sequence('sites', 'id'), (SELECT MAX(id) FROM sites))"
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A site to insert in bulk with its id chosen by the caller, with what the public finder shows.
#[derive(Debug, Clone)]
pub struct NewSiteRow {
    pub id: i64,
    pub municipality: String,
    pub name: String,
    pub kind: &'static str,
    pub basic: Option<i64>,
    pub postal_code: String,
    pub address: String,
    /// 一般受入 (`general`: listed by the finder).
    pub general_public: &'static str,
    pub reservation_status: &'static str,
    pub reservation_updated_at: Option<DateTime<Utc>>,
    /// The rest of the record (a `SiteForm` as JSON).
    pub details: String,
}

/// Inserts many sites in one statement. The only SQL built at run time (its VALUES list grows
/// with the batch), so the compiler cannot check it; the national data set's test runs it on
/// both engines.
pub async fn insert_sites_with_ids(
    conn: &mut AnyConnection,
    rows: &[NewSiteRow],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    const COLUMNS: usize = 12;
    let mut sql = String::from(
        "INSERT INTO sites (id, municipality_code, name, site_type, basic_site_id, created_at,
            postal_code, address, general_public, reservation_status, reservation_updated_at,
            details) VALUES ",
    );
    for i in 0..rows.len() {
        if i > 0 {
            sql.push(',');
        }
        let placeholders: Vec<String> = (1..=COLUMNS)
            .map(|c| format!("${}", i * COLUMNS + c))
            .collect();
        sql.push_str(&format!("({})", placeholders.join(", ")));
    }
    let mut query = sqlx::query(&sql);
    for site in rows {
        query = query
            .bind(site.id)
            .bind(site.municipality.as_str())
            .bind(site.name.as_str())
            .bind(site.kind)
            .bind(site.basic)
            .bind(now.timestamp())
            .bind(site.postal_code.as_str())
            .bind(site.address.as_str())
            .bind(site.general_public)
            .bind(site.reservation_status)
            .bind(site.reservation_updated_at.map(|at| at.timestamp()))
            .bind(site.details.as_str());
    }
    query.execute(conn).await?;
    Ok(())
}

/// Gives every `every`-th site with an id above `after_id` the vaccine `code` (bulk, for the
/// national data set).
pub async fn add_vaccine_to_sites(
    conn: &mut AnyConnection,
    code: &str,
    after_id: i64,
    every: i64,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO site_vaccines (site_id, vaccine_code)
         SELECT id, $1 FROM sites WHERE id > $2 AND id % $3 = 0",
        code,
        after_id,
        every
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A site's reservation status and when it last changed.
#[derive(Debug, Clone, FromRow)]
pub struct ReservationRecord {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub reservation_status: ReservationStatus,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub reservation_updated_at: Option<DateTime<Utc>>,
}

/// The reservation status of one site.
pub async fn reservation(
    conn: &mut AnyConnection,
    site_id: i64,
) -> sqlx::Result<Option<ReservationRecord>> {
    checked_query_as!(
        ReservationRecord,
        "SELECT id, name, reservation_status, reservation_updated_at FROM sites WHERE id = $1",
        site_id
    )
    .fetch_optional(conn)
    .await
}

/// Sets a site's reservation status, time-stamped. It is a field of the record, so the record's
/// version moves on and an edit form opened before refuses to overwrite it.
pub async fn set_reservation(
    conn: &mut AnyConnection,
    site_id: i64,
    status: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE sites SET reservation_status = $1, reservation_updated_at = $2, version = version + 1 WHERE id = $3",
        status,
        at.timestamp(),
        site_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// How many sites of a municipality have each reservation status (statuses with no site are
/// absent).
pub async fn reservation_counts(
    conn: &mut AnyConnection,
    municipality_code: &str,
) -> sqlx::Result<Vec<(String, i64)>> {
    checked_query_as!(
        (String, i64),
        "SELECT reservation_status, COUNT(*) FROM sites WHERE municipality_code = $1 GROUP BY reservation_status",
        municipality_code
    )
    .fetch_all(conn)
    .await
}

/// The sites of a municipality that never registered a reservation status, by name.
pub async fn unregistered_sites(
    conn: &mut AnyConnection,
    municipality_code: &str,
) -> sqlx::Result<Vec<(i64, String)>> {
    checked_query_as!(
        (i64, String),
        "SELECT id, name FROM sites WHERE municipality_code = $1 AND reservation_status = 'unregistered' ORDER BY name, id",
        municipality_code
    )
    .fetch_all(conn)
    .await
}
