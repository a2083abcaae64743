//! A site's own reports: its stock ledger (X311 在庫受払簿) and its deliveries and transfers
//! (X312 納入・移送一覧), for one site or every site of a region.

use super::Region;
use crate::db::{StoredDate, StoredFlag};
use app::domain::MovementKind;
use chrono::NaiveDate;
use sqlx::{AnyConnection, FromRow};

/// One movement of a stock ledger, with its site's, lot's and vaccine's names.
#[derive(Debug, Clone, FromRow)]
pub struct LedgerLine {
    pub site_id: i64,
    pub site_name: String,
    #[sqlx(try_from = "StoredDate")]
    pub occurred_on: NaiveDate,
    #[sqlx(try_from = "String")]
    pub kind: MovementKind,
    pub lot_id: i64,
    pub lot_number: String,
    pub expires_on: String,
    pub vaccine_name: String,
    /// Signed: + in, − out.
    pub vials: i64,
    pub note: String,
}

/// Every movement of the ledgers of `region`'s sites (of `vaccine`'s lots when given), by site
/// (the reports' own order), lot, date and entry, so a running balance per lot reads in order.
pub async fn ledger_lines(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<LedgerLine>> {
    checked_query_as!(
        LedgerLine,
        "SELECT s.id AS site_id, s.name AS site_name, mv.occurred_on, mv.kind, lo.id AS lot_id,
                lo.lot_number, lo.expires_on, v.name_ja AS vaccine_name, mv.vials, mv.note
         FROM stock_movements mv
         JOIN sites s ON s.id = mv.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN lots lo ON lo.id = mv.lot_id
         JOIN vaccines v ON v.code = lo.vaccine_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
           AND (CAST($4 AS TEXT) IS NULL OR lo.vaccine_code = $4)
         ORDER BY s.municipality_code, s.name, s.id, lo.lot_number, lo.id, mv.occurred_on, mv.id",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine
    )
    .fetch_all(conn)
    .await
}

/// A delivery's lot or a transfer, as one of the region's sites saw it.
#[derive(Debug, Clone, FromRow)]
pub struct Arrival {
    pub site_id: i64,
    pub site_name: String,
    /// Delivered or sent on.
    #[sqlx(try_from = "StoredDate")]
    pub day: NaiveDate,
    /// 納入 (a supplier's delivery), 移送（出） or 移送（受）.
    pub direction: String,
    /// The supplier, or the other site.
    pub counterpart: String,
    pub vaccine_name: String,
    pub lot_number: String,
    pub vials: i64,
    #[sqlx(try_from = "StoredFlag")]
    pub received: bool,
    #[sqlx(try_from = "StoredFlag")]
    pub cancelled: bool,
}

/// Every delivery (by lot) to `region`'s sites and every transfer from or to one of them
/// (cancelled ones too), by site and date.
pub async fn arrivals(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<Arrival>> {
    checked_query_as!(
        Arrival,
        "SELECT * FROM (
             SELECT s.id AS site_id, s.name AS site_name, s.municipality_code,
                    sh.delivered_on AS day, CAST('delivery' AS TEXT) AS direction,
                    COALESCE(su.name, '') AS counterpart, v.name_ja AS vaccine_name,
                    lo.lot_number, sl.vials,
                    CAST(CASE WHEN sh.received_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS received,
                    CAST(0 AS BIGINT) AS cancelled, sh.id AS entry
             FROM shipments sh
             JOIN shipment_lots sl ON sl.shipment_id = sh.id
             JOIN sites s ON s.id = sh.site_id
             JOIN municipalities m ON m.code = s.municipality_code
             JOIN lots lo ON lo.id = sl.lot_id
             JOIN vaccines v ON v.code = lo.vaccine_code
             LEFT JOIN suppliers su ON su.id = sh.supplier_id
             WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
               AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
               AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
               AND (CAST($4 AS TEXT) IS NULL OR lo.vaccine_code = $4)
             UNION ALL
             SELECT s.id, s.name, s.municipality_code, t.sent_on, 'out', o.name,
                    v.name_ja, lo.lot_number, t.vials,
                    CAST(CASE WHEN t.received_at IS NULL THEN 0 ELSE 1 END AS BIGINT),
                    CAST(CASE WHEN t.cancelled_at IS NULL THEN 0 ELSE 1 END AS BIGINT), t.id
             FROM transfers t
             JOIN sites s ON s.id = t.from_site_id
             JOIN sites o ON o.id = t.to_site_id
             JOIN municipalities m ON m.code = s.municipality_code
             JOIN lots lo ON lo.id = t.lot_id
             JOIN vaccines v ON v.code = lo.vaccine_code
             WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
               AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
               AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
               AND (CAST($4 AS TEXT) IS NULL OR lo.vaccine_code = $4)
             UNION ALL
             SELECT s.id, s.name, s.municipality_code, t.sent_on, 'in', o.name,
                    v.name_ja, lo.lot_number, t.vials,
                    CAST(CASE WHEN t.received_at IS NULL THEN 0 ELSE 1 END AS BIGINT),
                    CAST(CASE WHEN t.cancelled_at IS NULL THEN 0 ELSE 1 END AS BIGINT), t.id
             FROM transfers t
             JOIN sites s ON s.id = t.to_site_id
             JOIN sites o ON o.id = t.from_site_id
             JOIN municipalities m ON m.code = s.municipality_code
             JOIN lots lo ON lo.id = t.lot_id
             JOIN vaccines v ON v.code = lo.vaccine_code
             WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
               AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
               AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
               AND (CAST($4 AS TEXT) IS NULL OR lo.vaccine_code = $4)
         ) a
         ORDER BY a.municipality_code, a.site_name, a.site_id, a.day, a.direction, a.entry,
                  a.lot_number",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine
    )
    .fetch_all(conn)
    .await
}
