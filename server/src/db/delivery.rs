//! 納入: 納入予定日, shipments by lot and their 受領確認.

use super::{StoredDate, StoredOptionalDate, StoredOptionalTime};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, FromRow};

/// One allocated site of a locked prefecture, with where its delivery stands.
#[derive(Debug, Clone, FromRow)]
pub struct BoardRecord {
    pub site_id: i64,
    pub site_name: String,
    pub municipality_name: String,
    pub boxes: i64,
    #[sqlx(try_from = "StoredOptionalDate")]
    pub scheduled_on: Option<NaiveDate>,
    pub delivered: i64,
    pub received: i64,
}

/// Which allocated sites a board lists: those of one prefecture, narrowed to one municipality,
/// one site, or a supplier's area.
#[derive(Debug, Clone, Copy, Default)]
pub struct BoardFilter<'a> {
    pub municipality: Option<&'a str>,
    pub site: Option<i64>,
    pub supplier: Option<i64>,
}

/// The sites given boxes of the cool in a prefecture that has locked it (データロック), with
/// their 納入予定日 and the vials delivered and confirmed, by municipality and name.
pub async fn board(
    conn: &mut AnyConnection,
    cool_id: i64,
    prefecture: i64,
    filter: BoardFilter<'_>,
) -> sqlx::Result<Vec<BoardRecord>> {
    checked_query_as!(
        BoardRecord,
        "SELECT s.id AS site_id, s.name AS site_name, m.name AS municipality_name, a.boxes,
                d.scheduled_on,
                CAST(COALESCE((SELECT SUM(l.vials) FROM shipments sh
                               JOIN shipment_lots l ON l.shipment_id = sh.id
                               WHERE sh.cool_id = a.cool_id AND sh.site_id = s.id), 0) AS BIGINT)
                    AS delivered,
                CAST(COALESCE((SELECT SUM(l.vials) FROM shipments sh
                               JOIN shipment_lots l ON l.shipment_id = sh.id
                               WHERE sh.cool_id = a.cool_id AND sh.site_id = s.id
                                 AND sh.received_at IS NOT NULL), 0) AS BIGINT) AS received
         FROM site_allocations a
         JOIN sites s ON s.id = a.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN cool_locks k ON k.cool_id = a.cool_id AND k.prefecture_code = m.prefecture_code
         LEFT JOIN delivery_schedules d ON d.cool_id = a.cool_id AND d.site_id = s.id
         WHERE a.cool_id = $1 AND a.boxes > 0 AND m.prefecture_code = $2
           AND (CAST($3 AS TEXT) IS NULL OR s.municipality_code = $3)
           AND (CAST($4 AS BIGINT) IS NULL OR s.id = $4)
           AND (CAST($5 AS BIGINT) IS NULL OR EXISTS (
                SELECT 1 FROM supplier_areas sa
                WHERE sa.supplier_id = $5 AND sa.prefecture_code = m.prefecture_code
                  AND (sa.municipality_code IS NULL OR sa.municipality_code = s.municipality_code)))
         ORDER BY m.code, s.name, s.id",
        cool_id,
        prefecture,
        filter.municipality,
        filter.site,
        filter.supplier
    )
    .fetch_all(conn)
    .await
}

/// One lot of one shipment.
#[derive(Debug, Clone, FromRow)]
pub struct ShipmentLine {
    pub shipment_id: i64,
    pub site_id: i64,
    pub cool_name: String,
    #[sqlx(try_from = "StoredDate")]
    pub delivered_on: NaiveDate,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub received_at: Option<DateTime<Utc>>,
    pub receipt_note: String,
    pub lot_id: i64,
    pub lot_number: String,
    #[sqlx(try_from = "StoredDate")]
    pub expires_on: NaiveDate,
    pub vials: i64,
    pub needles_per_vial: i64,
    pub syringes_per_vial: i64,
}

/// Every lot shipped for the cool to sites of the prefecture, shipment by shipment.
pub async fn shipment_lines(
    conn: &mut AnyConnection,
    cool_id: i64,
    prefecture: i64,
) -> sqlx::Result<Vec<ShipmentLine>> {
    checked_query_as!(
        ShipmentLine,
        "SELECT sh.id AS shipment_id, sh.site_id, c.name AS cool_name, sh.delivered_on,
                sh.received_at, sh.receipt_note, lo.id AS lot_id, lo.lot_number, lo.expires_on,
                l.vials, v.needles_per_vial, v.syringes_per_vial
         FROM shipments sh
         JOIN cools c ON c.id = sh.cool_id
         JOIN vaccines v ON v.code = c.vaccine_code
         JOIN shipment_lots l ON l.shipment_id = sh.id
         JOIN lots lo ON lo.id = l.lot_id
         JOIN sites s ON s.id = sh.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         WHERE sh.cool_id = $1 AND m.prefecture_code = $2
         ORDER BY sh.id, lo.lot_number",
        cool_id,
        prefecture
    )
    .fetch_all(conn)
    .await
}

/// Every lot of the shipments to one site that it has not confirmed yet, over all cools.
pub async fn unreceived_lines(
    conn: &mut AnyConnection,
    site_id: i64,
) -> sqlx::Result<Vec<ShipmentLine>> {
    checked_query_as!(
        ShipmentLine,
        "SELECT sh.id AS shipment_id, sh.site_id, c.name AS cool_name, sh.delivered_on,
                sh.received_at, sh.receipt_note, lo.id AS lot_id, lo.lot_number, lo.expires_on,
                l.vials, v.needles_per_vial, v.syringes_per_vial
         FROM shipments sh
         JOIN cools c ON c.id = sh.cool_id
         JOIN vaccines v ON v.code = c.vaccine_code
         JOIN shipment_lots l ON l.shipment_id = sh.id
         JOIN lots lo ON lo.id = l.lot_id
         WHERE sh.site_id = $1 AND sh.received_at IS NULL
         ORDER BY sh.id, lo.lot_number",
        site_id
    )
    .fetch_all(conn)
    .await
}

/// The lots of one shipment.
pub async fn lines_of(
    conn: &mut AnyConnection,
    shipment_id: i64,
) -> sqlx::Result<Vec<ShipmentLine>> {
    checked_query_as!(
        ShipmentLine,
        "SELECT sh.id AS shipment_id, sh.site_id, c.name AS cool_name, sh.delivered_on,
                sh.received_at, sh.receipt_note, lo.id AS lot_id, lo.lot_number, lo.expires_on,
                l.vials, v.needles_per_vial, v.syringes_per_vial
         FROM shipments sh
         JOIN cools c ON c.id = sh.cool_id
         JOIN vaccines v ON v.code = c.vaccine_code
         JOIN shipment_lots l ON l.shipment_id = sh.id
         JOIN lots lo ON lo.id = l.lot_id
         WHERE sh.id = $1
         ORDER BY lo.lot_number",
        shipment_id
    )
    .fetch_all(conn)
    .await
}

/// The 納入予定日 of one site in one cool.
pub async fn schedule(
    conn: &mut AnyConnection,
    cool_id: i64,
    site_id: i64,
) -> sqlx::Result<Option<NaiveDate>> {
    let day: Option<String> = checked_scalar!(
        "SELECT scheduled_on FROM delivery_schedules WHERE cool_id = $1 AND site_id = $2",
        cool_id,
        site_id
    )
    .fetch_optional(conn)
    .await?;
    day.map(|d| {
        d.parse()
            .map_err(|_| sqlx::Error::Decode(format!("{d:?} is not a stored date").into()))
    })
    .transpose()
}

/// Sets (or moves) the 納入予定日 of one site in one cool.
pub async fn set_schedule(
    conn: &mut AnyConnection,
    cool_id: i64,
    site_id: i64,
    day: NaiveDate,
    supplier_id: Option<i64>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO delivery_schedules (cool_id, site_id, scheduled_on, supplier_id, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (cool_id, site_id) DO UPDATE
         SET scheduled_on = excluded.scheduled_on, supplier_id = excluded.supplier_id,
             updated_at = excluded.updated_at",
        cool_id,
        site_id,
        day.to_string(),
        supplier_id,
        at.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// How many 納入予定日 are entered for the cool in the prefecture (the lock stays while any is).
pub async fn schedules_in_prefecture(
    conn: &mut AnyConnection,
    cool_id: i64,
    prefecture: i64,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "SELECT COUNT(*) FROM delivery_schedules d
         JOIN sites s ON s.id = d.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         WHERE d.cool_id = $1 AND m.prefecture_code = $2",
        cool_id,
        prefecture
    )
    .fetch_one(conn)
    .await
}

/// Vials shipped to the site for the cool so far.
pub async fn delivered_vials(
    conn: &mut AnyConnection,
    cool_id: i64,
    site_id: i64,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "SELECT CAST(COALESCE(SUM(l.vials), 0) AS BIGINT) FROM shipments sh
         JOIN shipment_lots l ON l.shipment_id = sh.id
         WHERE sh.cool_id = $1 AND sh.site_id = $2",
        cool_id,
        site_id
    )
    .fetch_one(conn)
    .await
}

/// A new shipment; its lots follow with [`add_shipment_lot`].
pub struct NewShipmentRecord {
    pub cool_id: i64,
    pub site_id: i64,
    pub supplier_id: Option<i64>,
    pub delivered_on: NaiveDate,
    pub at: DateTime<Utc>,
    pub user_id: i64,
}

/// Inserts a shipment and answers its id.
pub async fn insert_shipment(conn: &mut AnyConnection, s: &NewShipmentRecord) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO shipments (cool_id, site_id, supplier_id, delivered_on, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        s.cool_id,
        s.site_id,
        s.supplier_id,
        s.delivered_on.to_string(),
        s.at.timestamp(),
        s.user_id
    )
    .fetch_one(conn)
    .await
}

/// Adds a lot to a shipment.
pub async fn add_shipment_lot(
    conn: &mut AnyConnection,
    shipment_id: i64,
    lot_id: i64,
    vials: i64,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO shipment_lots (shipment_id, lot_id, vials) VALUES ($1, $2, $3)",
        shipment_id,
        lot_id,
        vials
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a shipment received, unless it already is: true when this call marked it.
pub async fn mark_received(
    conn: &mut AnyConnection,
    shipment_id: i64,
    note: &str,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<bool> {
    let done = checked_query!(
        "UPDATE shipments SET received_at = $1, received_by = $2, receipt_note = $3
         WHERE id = $4 AND received_at IS NULL",
        at.timestamp(),
        user_id,
        note,
        shipment_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How far a cool's deliveries have come: whether any 納入予定日 is entered, and how many
/// allocated sites of locked prefectures have not confirmed every vial allocated to them.
pub async fn progress(conn: &mut AnyConnection, cool_id: i64) -> sqlx::Result<(bool, i64)> {
    let scheduled: i64 = checked_scalar!(
        "SELECT COUNT(*) FROM delivery_schedules WHERE cool_id = $1",
        cool_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if scheduled == 0 {
        return Ok((false, 0));
    }
    let outstanding: i64 = checked_scalar!(
        "SELECT COUNT(*) FROM site_allocations a
         JOIN cools c ON c.id = a.cool_id
         JOIN vaccines v ON v.code = c.vaccine_code
         WHERE a.cool_id = $1 AND a.boxes > 0
           AND a.boxes * v.vials_per_box > COALESCE((
               SELECT SUM(l.vials) FROM shipments sh
               JOIN shipment_lots l ON l.shipment_id = sh.id
               WHERE sh.cool_id = a.cool_id AND sh.site_id = a.site_id
                 AND sh.received_at IS NOT NULL), 0)",
        cool_id
    )
    .fetch_one(conn)
    .await?;
    Ok((true, outstanding))
}

/// One cool's delivery to a site, once its prefecture has locked the cool.
#[derive(Debug, Clone, FromRow)]
pub struct SiteDeliveryRecord {
    pub cool_id: i64,
    pub cool_name: String,
    pub boxes: i64,
    pub vials_per_box: i64,
    #[sqlx(try_from = "StoredOptionalDate")]
    pub scheduled_on: Option<NaiveDate>,
    pub delivered: i64,
    pub received: i64,
}

/// The cools that gave the site boxes in a locked prefecture, newest first.
pub async fn site_deliveries(
    conn: &mut AnyConnection,
    site_id: i64,
) -> sqlx::Result<Vec<SiteDeliveryRecord>> {
    checked_query_as!(
        SiteDeliveryRecord,
        "SELECT c.id AS cool_id, c.name AS cool_name, a.boxes, v.vials_per_box, d.scheduled_on,
                CAST(COALESCE((SELECT SUM(l.vials) FROM shipments sh
                               JOIN shipment_lots l ON l.shipment_id = sh.id
                               WHERE sh.cool_id = c.id AND sh.site_id = s.id), 0) AS BIGINT)
                    AS delivered,
                CAST(COALESCE((SELECT SUM(l.vials) FROM shipments sh
                               JOIN shipment_lots l ON l.shipment_id = sh.id
                               WHERE sh.cool_id = c.id AND sh.site_id = s.id
                                 AND sh.received_at IS NOT NULL), 0) AS BIGINT) AS received
         FROM site_allocations a
         JOIN cools c ON c.id = a.cool_id
         JOIN vaccines v ON v.code = c.vaccine_code
         JOIN sites s ON s.id = a.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN cool_locks k ON k.cool_id = c.id AND k.prefecture_code = m.prefecture_code
         LEFT JOIN delivery_schedules d ON d.cool_id = c.id AND d.site_id = s.id
         WHERE a.site_id = $1 AND a.boxes > 0
         ORDER BY c.id DESC",
        site_id
    )
    .fetch_all(conn)
    .await
}

/// Touches the 納入予定日 row of one site and cool (locking it until the transaction ends on
/// PostgreSQL): false when no date is entered.
pub async fn set_schedule_touch(
    conn: &mut AnyConnection,
    cool_id: i64,
    site_id: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let touched = checked_query!(
        "UPDATE delivery_schedules SET updated_at = $1 WHERE cool_id = $2 AND site_id = $3",
        at.timestamp(),
        cool_id,
        site_id
    )
    .execute(conn)
    .await?;
    Ok(touched.rows_affected() == 1)
}

/// National data set: every basic site given what it requested, every prefecture locked, and
/// every site's delivery dated `day`, shipped in one lot (`lot_id`) and confirmed at `at`, its
/// vials on the ledger. One statement per table, so 70,000 sites take seconds.
pub async fn deliver_everything(
    conn: &mut AnyConnection,
    cool_id: i64,
    lot_id: i64,
    day: NaiveDate,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let (day, at) = (day.to_string(), at.timestamp());
    checked_query!(
        "INSERT INTO site_allocations (cool_id, site_id, boxes)
         SELECT cool_id, site_id, boxes FROM cool_requests WHERE cool_id = $1",
        cool_id
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO cool_locks (cool_id, prefecture_code, locked_at)
         SELECT cool_id, prefecture_code, $2 FROM prefecture_allocations WHERE cool_id = $1",
        cool_id,
        at
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO delivery_schedules (cool_id, site_id, scheduled_on, updated_at)
         SELECT cool_id, site_id, $2, $3 FROM site_allocations WHERE cool_id = $1",
        cool_id,
        &day,
        at
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO shipments (cool_id, site_id, delivered_on, created_at, received_at)
         SELECT cool_id, site_id, $2, $3, $3 FROM site_allocations WHERE cool_id = $1",
        cool_id,
        &day,
        at
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO shipment_lots (shipment_id, lot_id, vials)
         SELECT sh.id, $2, a.boxes * v.vials_per_box
         FROM shipments sh
         JOIN site_allocations a ON a.cool_id = sh.cool_id AND a.site_id = sh.site_id
         JOIN cools c ON c.id = sh.cool_id
         JOIN vaccines v ON v.code = c.vaccine_code
         WHERE sh.cool_id = $1",
        cool_id,
        lot_id
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO stock_movements (site_id, lot_id, kind, vials, occurred_on, reference_id,
                                      note, created_at)
         SELECT sh.site_id, l.lot_id, 'receipt', l.vials, $2, sh.id, '', $3
         FROM shipments sh JOIN shipment_lots l ON l.shipment_id = sh.id
         WHERE sh.cool_id = $1",
        cool_id,
        &day,
        at
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO stock_balances (site_id, lot_id, vials)
         SELECT sh.site_id, l.lot_id, l.vials
         FROM shipments sh JOIN shipment_lots l ON l.shipment_id = sh.id
         WHERE sh.cool_id = $1
         ON CONFLICT (site_id, lot_id) DO UPDATE SET vials = stock_balances.vials + excluded.vials",
        cool_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
