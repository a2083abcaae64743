//! The supply chain's tables: the vaccine master, lots, cools and 希望量 (cool_requests).

use super::{StoredDate, StoredOptionalTime, StoredTime};
use app::domain::{CoolWindow, NewCool, NewLot, VaccineMaster};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, FromRow};

/// A vaccine of the master.
#[derive(Debug, Clone, FromRow)]
pub struct VaccineRecord {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    pub doses_per_vial: i64,
    pub vials_per_box: i64,
    pub needles_per_vial: i64,
    pub syringes_per_vial: i64,
    pub needle_syringe_note: String,
    pub storage_min_c: i64,
    pub storage_max_c: i64,
    pub version: i64,
}

/// Every vaccine, in master order.
pub async fn vaccines(conn: &mut AnyConnection) -> sqlx::Result<Vec<VaccineRecord>> {
    checked_query_as!(
        VaccineRecord,
        "SELECT code, name_ja, name_en, doses_per_vial, vials_per_box, needles_per_vial,
                syringes_per_vial, needle_syringe_note, storage_min_c, storage_max_c, version
         FROM vaccines ORDER BY id"
    )
    .fetch_all(conn)
    .await
}

/// Saves a vaccine's master values if it is still at `version`; false when someone saved it
/// since (or the code is unknown).
pub async fn update_vaccine(
    conn: &mut AnyConnection,
    code: &str,
    version: i64,
    master: &VaccineMaster,
    note: &str,
) -> sqlx::Result<bool> {
    let done = checked_query!(
        "UPDATE vaccines SET doses_per_vial = $1, vials_per_box = $2, needles_per_vial = $3,
                syringes_per_vial = $4, needle_syringe_note = $5, version = version + 1
         WHERE code = $6 AND version = $7",
        i64::from(master.doses_per_vial),
        i64::from(master.vials_per_box),
        i64::from(master.needles_per_vial),
        i64::from(master.syringes_per_vial),
        note,
        code,
        version
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A lot with its vaccine's name and the supplier that registered it.
#[derive(Debug, Clone, FromRow)]
pub struct LotRecord {
    pub id: i64,
    pub vaccine_code: String,
    pub vaccine_name: String,
    pub lot_number: String,
    #[sqlx(try_from = "StoredDate")]
    pub expires_on: NaiveDate,
    pub supplier: Option<String>,
}

/// Inserts a lot and returns its id; a lot number taken for the vaccine is a unique violation.
pub async fn insert_lot(
    conn: &mut AnyConnection,
    lot: &NewLot,
    supplier_id: Option<i64>,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO lots (vaccine_code, lot_number, expires_on, supplier_id, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        &lot.vaccine,
        &lot.lot_number,
        lot.expires_on.to_string(),
        supplier_id,
        at.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// Every lot, by vaccine, then latest expiry first.
pub async fn lots(conn: &mut AnyConnection) -> sqlx::Result<Vec<LotRecord>> {
    checked_query_as!(
        LotRecord,
        "SELECT l.id, l.vaccine_code, v.name_ja AS vaccine_name, l.lot_number, l.expires_on,
                s.name AS supplier
         FROM lots l
         JOIN vaccines v ON v.code = l.vaccine_code
         LEFT JOIN suppliers s ON s.id = l.supplier_id
         ORDER BY v.id, l.expires_on DESC, l.lot_number"
    )
    .fetch_all(conn)
    .await
}

/// One lot.
pub async fn lot(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<LotRecord>> {
    checked_query_as!(
        LotRecord,
        "SELECT l.id, l.vaccine_code, v.name_ja AS vaccine_name, l.lot_number, l.expires_on,
                s.name AS supplier
         FROM lots l
         JOIN vaccines v ON v.code = l.vaccine_code
         LEFT JOIN suppliers s ON s.id = l.supplier_id
         WHERE l.id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// A cool with its vaccine's name and packaging.
#[derive(Debug, Clone, FromRow)]
pub struct CoolRecord {
    pub id: i64,
    pub name: String,
    pub vaccine_code: String,
    pub vaccine_name: String,
    pub vials_per_box: i64,
    pub doses_per_vial: i64,
    pub total_boxes: i64,
    #[sqlx(try_from = "StoredTime")]
    pub request_opens_at: DateTime<Utc>,
    #[sqlx(try_from = "StoredTime")]
    pub request_closes_at: DateTime<Utc>,
    #[sqlx(try_from = "StoredDate")]
    pub delivery_from: NaiveDate,
    #[sqlx(try_from = "StoredDate")]
    pub delivery_until: NaiveDate,
}

impl CoolRecord {
    /// The dates that drive the cool.
    pub fn window(&self) -> CoolWindow {
        CoolWindow {
            opens: self.request_opens_at,
            closes: self.request_closes_at,
            delivery_from: self.delivery_from,
            delivery_until: self.delivery_until,
        }
    }
}

/// The SELECT of [`CoolRecord`] followed by the rest of the query.
macro_rules! cool_query {
    ($rest:literal $(, $arg:expr)* $(,)?) => {
        checked_query_as!(
            CoolRecord,
            "SELECT c.id, c.name, c.vaccine_code, v.name_ja AS vaccine_name, v.vials_per_box,
                    v.doses_per_vial, c.total_boxes, c.request_opens_at, c.request_closes_at,
                    c.delivery_from, c.delivery_until
             FROM cools c JOIN vaccines v ON v.code = c.vaccine_code "
                + $rest
            $(, $arg)*
        )
    };
}

/// Inserts a cool and returns its id; a name taken is a unique violation.
pub async fn insert_cool(
    conn: &mut AnyConnection,
    cool: &NewCool,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO cools (name, vaccine_code, total_boxes, request_opens_at, request_closes_at,
                            delivery_from, delivery_until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        &cool.name,
        &cool.vaccine,
        i64::from(cool.total_boxes),
        cool.window.opens.timestamp(),
        cool.window.closes.timestamp(),
        cool.window.delivery_from.to_string(),
        cool.window.delivery_until.to_string(),
        at.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// Every cool, the latest window first.
pub async fn cools(conn: &mut AnyConnection) -> sqlx::Result<Vec<CoolRecord>> {
    cool_query!("ORDER BY c.request_opens_at DESC, c.id DESC")
        .fetch_all(conn)
        .await
}

/// One cool.
pub async fn cool(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<CoolRecord>> {
    cool_query!("WHERE c.id = $1", id)
        .fetch_optional(conn)
        .await
}

/// The cools whose 希望量 window is open at `at`, closing soonest first.
pub async fn cools_accepting(
    conn: &mut AnyConnection,
    at: DateTime<Utc>,
) -> sqlx::Result<Vec<CoolRecord>> {
    cool_query!(
        "WHERE c.request_opens_at <= $1 AND $1 < c.request_closes_at
         ORDER BY c.request_closes_at, c.id",
        at.timestamp()
    )
    .fetch_all(conn)
    .await
}

/// A site's 希望量 in a cool, with whether a municipality user saved it last.
#[derive(Debug, Clone, FromRow)]
pub struct RequestRecord {
    pub boxes: i64,
    #[sqlx(try_from = "StoredTime")]
    pub updated_at: DateTime<Utc>,
    pub updated_by_role: Option<String>,
}

/// A site's 希望量 in a cool, if registered.
pub async fn request_of(
    conn: &mut AnyConnection,
    cool_id: i64,
    site_id: i64,
) -> sqlx::Result<Option<RequestRecord>> {
    checked_query_as!(
        RequestRecord,
        "SELECT r.boxes, r.updated_at, u.role AS updated_by_role
         FROM cool_requests r LEFT JOIN users u ON u.id = r.updated_by
         WHERE r.cool_id = $1 AND r.site_id = $2",
        cool_id,
        site_id
    )
    .fetch_optional(conn)
    .await
}

/// Registers or changes a site's 希望量; `user_id` is who saved it (`None`: the demo data).
pub async fn save_request(
    conn: &mut AnyConnection,
    cool_id: i64,
    site_id: i64,
    boxes: u32,
    at: DateTime<Utc>,
    user_id: Option<i64>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO cool_requests (cool_id, site_id, boxes, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (cool_id, site_id)
         DO UPDATE SET boxes = excluded.boxes, updated_at = excluded.updated_at,
                       updated_by = excluded.updated_by",
        cool_id,
        site_id,
        i64::from(boxes),
        at.timestamp(),
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A basic site of a municipality with its 希望量 in a cool, if registered.
#[derive(Debug, Clone, FromRow)]
pub struct SiteRequestRecord {
    pub site_id: i64,
    pub site_name: String,
    pub municipality_code: String,
    pub boxes: Option<i64>,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// The basic sites of a municipality with their 希望量 in a cool, by name.
pub async fn municipality_requests(
    conn: &mut AnyConnection,
    cool_id: i64,
    municipality_code: &str,
) -> sqlx::Result<Vec<SiteRequestRecord>> {
    checked_query_as!(
        SiteRequestRecord,
        "SELECT s.id AS site_id, s.name AS site_name, s.municipality_code, r.boxes, r.updated_at
         FROM sites s
         LEFT JOIN cool_requests r ON r.site_id = s.id AND r.cool_id = $1
         WHERE s.municipality_code = $2 AND s.site_type = 'basic'
         ORDER BY s.name, s.id",
        cool_id,
        municipality_code
    )
    .fetch_all(conn)
    .await
}

/// National data set: a request of 1 to 4 boxes from every basic site (by its id).
pub async fn request_from_every_basic_site(
    conn: &mut AnyConnection,
    cool_id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO cool_requests (cool_id, site_id, boxes, updated_at)
         SELECT $1, id, 1 + id % 4, $2 FROM sites WHERE site_type = 'basic'",
        cool_id,
        at.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// National data set: each prefecture and municipality given what was requested beneath it.
pub async fn give_what_was_requested(conn: &mut AnyConnection, cool_id: i64) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO prefecture_allocations (cool_id, prefecture_code, boxes)
         SELECT $1, m.prefecture_code, CAST(SUM(r.boxes) AS BIGINT)
         FROM cool_requests r
         JOIN sites s ON s.id = r.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         WHERE r.cool_id = $1
         GROUP BY m.prefecture_code",
        cool_id
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO municipality_allocations (cool_id, municipality_code, boxes)
         SELECT $1, s.municipality_code, CAST(SUM(r.boxes) AS BIGINT)
         FROM cool_requests r
         JOIN sites s ON s.id = r.site_id
         WHERE r.cool_id = $1
         GROUP BY s.municipality_code",
        cool_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
