//! The stock ledger: every movement of vials of one lot at one site, append-only, and the
//! balance per site and lot kept with it in the same transaction.

use super::{StoredDate, StoredOptionalTime, StoredTime};
use app::domain::{Choice, MovementKind, WasteReason};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, FromRow};

/// Vials a site holds over every vaccine and lot (received − transferred out + transferred in −
/// used − wasted ± adjustments). The switch between 基本型 and サテライト型 asks here.
pub async fn vials_held(conn: &mut AnyConnection, site_id: i64) -> sqlx::Result<i64> {
    // SUM of BIGINT is NUMERIC on PostgreSQL: cast it back so both engines answer an integer.
    checked_scalar!(
        "SELECT CAST(COALESCE(SUM(vials), 0) AS BIGINT) FROM stock_balances WHERE site_id = $1",
        site_id
    )
    .fetch_one(conn)
    .await
}

/// Vials a site holds of one lot.
pub async fn lot_balance(conn: &mut AnyConnection, site_id: i64, lot_id: i64) -> sqlx::Result<i64> {
    let held: Option<i64> = checked_scalar!(
        "SELECT vials FROM stock_balances WHERE site_id = $1 AND lot_id = $2",
        site_id,
        lot_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(held.unwrap_or(0))
}

/// One movement to record.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    /// The site whose stock moves.
    pub site_id: i64,
    /// The lot.
    pub lot_id: i64,
    /// What kind of movement.
    pub kind: MovementKind,
    /// Vials, signed: positive adds to the stock, negative takes from it.
    pub vials: i64,
    /// The day it happened (JST).
    pub occurred_on: NaiveDate,
    /// The delivery, transfer, waste or count it belongs to.
    pub reference_id: Option<i64>,
    /// A note (the reason of a waste or an adjustment).
    pub note: &'a str,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub user_id: Option<i64>,
}

/// A withdrawal larger than the site holds of the lot: nothing was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overdrawn {
    /// Vials the site holds of the lot.
    pub held: i64,
}

/// Records a movement and updates the balance, in the caller's transaction. A withdrawal that
/// would take the balance below zero records nothing and answers [`Overdrawn`] with the
/// balance: the conditional update is what keeps two simultaneous withdrawals from together
/// exceeding it (the row is locked by the first on PostgreSQL; SQLite has one writer).
pub async fn record_movement(
    conn: &mut AnyConnection,
    movement: &Movement<'_>,
) -> sqlx::Result<Result<(), Overdrawn>> {
    if movement.vials > 0 {
        checked_query!(
            "INSERT INTO stock_balances (site_id, lot_id, vials) VALUES ($1, $2, $3)
             ON CONFLICT (site_id, lot_id) DO UPDATE SET vials = stock_balances.vials + excluded.vials",
            movement.site_id,
            movement.lot_id,
            movement.vials
        )
        .execute(&mut *conn)
        .await?;
    } else {
        let taken = checked_query!(
            "UPDATE stock_balances SET vials = vials + $1
             WHERE site_id = $2 AND lot_id = $3 AND vials + $1 >= 0",
            movement.vials,
            movement.site_id,
            movement.lot_id
        )
        .execute(&mut *conn)
        .await?;
        if taken.rows_affected() == 0 {
            let held = lot_balance(conn, movement.site_id, movement.lot_id).await?;
            return Ok(Err(Overdrawn { held }));
        }
    }
    checked_query!(
        "INSERT INTO stock_movements (site_id, lot_id, kind, vials, occurred_on, reference_id,
                                      note, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        movement.site_id,
        movement.lot_id,
        movement.kind.as_str(),
        movement.vials,
        movement.occurred_on.to_string(),
        movement.reference_id,
        movement.note,
        movement.at.timestamp(),
        movement.user_id
    )
    .execute(conn)
    .await?;
    Ok(Ok(()))
}

/// One lot a site holds.
#[derive(Debug, Clone, FromRow)]
pub struct HeldLot {
    pub lot_id: i64,
    pub lot_number: String,
    pub vaccine_code: String,
    pub vaccine_name: String,
    #[sqlx(try_from = "StoredDate")]
    pub expires_on: NaiveDate,
    pub vials: i64,
}

/// The lots on a site's ledger with their balance (zero included: a lot just used up is still
/// the site's to name), first-expiring first.
pub async fn held_lots(conn: &mut AnyConnection, site_id: i64) -> sqlx::Result<Vec<HeldLot>> {
    checked_query_as!(
        HeldLot,
        "SELECT b.lot_id, lo.lot_number, lo.vaccine_code, v.name_ja AS vaccine_name,
                lo.expires_on, b.vials
         FROM stock_balances b
         JOIN lots lo ON lo.id = b.lot_id
         JOIN vaccines v ON v.code = lo.vaccine_code
         WHERE b.site_id = $1
         ORDER BY lo.expires_on, lo.lot_number",
        site_id
    )
    .fetch_all(conn)
    .await
}

/// One movement of a site's ledger.
#[derive(Debug, Clone, FromRow)]
pub struct LedgerRecord {
    pub id: i64,
    #[sqlx(try_from = "StoredDate")]
    pub occurred_on: NaiveDate,
    #[sqlx(try_from = "String")]
    pub kind: MovementKind,
    pub lot_number: String,
    pub vaccine_name: String,
    pub vials: i64,
    pub note: String,
}

/// The latest `limit` movements of a site's ledger, newest first.
pub async fn ledger(
    conn: &mut AnyConnection,
    site_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<LedgerRecord>> {
    checked_query_as!(
        LedgerRecord,
        "SELECT m.id, m.occurred_on, m.kind, lo.lot_number, v.name_ja AS vaccine_name, m.vials,
                m.note
         FROM stock_movements m
         JOIN lots lo ON lo.id = m.lot_id
         JOIN vaccines v ON v.code = lo.vaccine_code
         WHERE m.site_id = $1
         ORDER BY m.id DESC
         LIMIT $2",
        site_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// A transfer to record.
pub struct NewTransferRecord {
    pub from_site_id: i64,
    pub to_site_id: i64,
    pub lot_id: i64,
    pub vials: i64,
    pub sent_on: NaiveDate,
    pub at: DateTime<Utc>,
    pub user_id: i64,
}

/// Inserts a transfer and answers its id (the caller moves the vials out of the sender).
pub async fn insert_transfer(conn: &mut AnyConnection, t: &NewTransferRecord) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO transfers (from_site_id, to_site_id, lot_id, vials, sent_on, created_at,
                                created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        t.from_site_id,
        t.to_site_id,
        t.lot_id,
        t.vials,
        t.sent_on.to_string(),
        t.at.timestamp(),
        t.user_id
    )
    .fetch_one(conn)
    .await
}

/// A transfer with the names its lists show.
#[derive(Debug, Clone, FromRow)]
pub struct TransferRecord {
    pub id: i64,
    pub from_site_id: i64,
    pub from_site_name: String,
    pub to_site_id: i64,
    pub to_site_name: String,
    pub lot_id: i64,
    pub lot_number: String,
    pub vaccine_name: String,
    pub vials: i64,
    #[sqlx(try_from = "StoredDate")]
    pub sent_on: NaiveDate,
    pub received_on: Option<String>,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// One transfer.
pub async fn transfer(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<TransferRecord>> {
    checked_query_as!(
        TransferRecord,
        "SELECT t.id, t.from_site_id, f.name AS from_site_name, t.to_site_id,
                r.name AS to_site_name, t.lot_id, lo.lot_number, v.name_ja AS vaccine_name,
                t.vials, t.sent_on, t.received_on, t.cancelled_at
         FROM transfers t
         JOIN sites f ON f.id = t.from_site_id
         JOIN sites r ON r.id = t.to_site_id
         JOIN lots lo ON lo.id = t.lot_id
         JOIN vaccines v ON v.code = lo.vaccine_code
         WHERE t.id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// The transfers a site sent or receives: every one still in transit, and the latest `limit`
/// others, newest first.
pub async fn transfers_of(
    conn: &mut AnyConnection,
    site_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<TransferRecord>> {
    checked_query_as!(
        TransferRecord,
        "SELECT t.id, t.from_site_id, f.name AS from_site_name, t.to_site_id,
                r.name AS to_site_name, t.lot_id, lo.lot_number, v.name_ja AS vaccine_name,
                t.vials, t.sent_on, t.received_on, t.cancelled_at
         FROM transfers t
         JOIN sites f ON f.id = t.from_site_id
         JOIN sites r ON r.id = t.to_site_id
         JOIN lots lo ON lo.id = t.lot_id
         JOIN vaccines v ON v.code = lo.vaccine_code
         WHERE (t.from_site_id = $1 OR t.to_site_id = $1)
         ORDER BY CASE WHEN t.received_at IS NULL AND t.cancelled_at IS NULL THEN 0 ELSE 1 END,
                  t.id DESC
         LIMIT $2",
        site_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// Ends a transfer in transit as received (on `received_on`) or, when that is None, cancelled:
/// true when this call ended it, false when it had already ended.
pub async fn settle_transfer(
    conn: &mut AnyConnection,
    id: i64,
    received_on: Option<NaiveDate>,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<bool> {
    let done = match received_on {
        Some(day) => {
            checked_query!(
                "UPDATE transfers SET received_on = $1, received_at = $2, received_by = $3
             WHERE id = $4 AND received_at IS NULL AND cancelled_at IS NULL",
                day.to_string(),
                at.timestamp(),
                user_id,
                id
            )
            .execute(conn)
            .await?
        }
        None => {
            checked_query!(
                "UPDATE transfers SET cancelled_at = $1, cancelled_by = $2
             WHERE id = $3 AND received_at IS NULL AND cancelled_at IS NULL",
                at.timestamp(),
                user_id,
                id
            )
            .execute(conn)
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

/// A waste to record.
pub struct NewWasteRecord<'a> {
    pub site_id: i64,
    pub lot_id: i64,
    pub vials: i64,
    pub occurred_on: NaiveDate,
    pub reason: WasteReason,
    pub note: &'a str,
    pub at: DateTime<Utc>,
    pub user_id: i64,
}

/// Inserts a waste and answers its id (the caller takes the vials off the ledger).
pub async fn insert_waste(conn: &mut AnyConnection, w: &NewWasteRecord<'_>) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO wastes (site_id, lot_id, vials, occurred_on, reason, note, created_at,
                             created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        w.site_id,
        w.lot_id,
        w.vials,
        w.occurred_on.to_string(),
        w.reason.as_str(),
        w.note,
        w.at.timestamp(),
        w.user_id
    )
    .fetch_one(conn)
    .await
}

/// Inserts a 棚卸 and answers its id; its lines follow with [`add_count_line`].
pub async fn insert_count(
    conn: &mut AnyConnection,
    site_id: i64,
    counted_on: NaiveDate,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO stock_counts (site_id, counted_on, created_at, created_by)
         VALUES ($1, $2, $3, $4) RETURNING id",
        site_id,
        counted_on.to_string(),
        at.timestamp(),
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Adds one lot's count to a 棚卸.
pub async fn add_count_line(
    conn: &mut AnyConnection,
    count_id: i64,
    lot_id: i64,
    expected: i64,
    counted: i64,
    reason: &str,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO stock_count_lines (count_id, lot_id, expected, counted, reason)
         VALUES ($1, $2, $3, $4, $5)",
        count_id,
        lot_id,
        expected,
        counted,
        reason
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One lot of a 棚卸 whose count differed from the ledger.
#[derive(Debug, Clone, FromRow)]
pub struct DiscrepancyRecord {
    #[sqlx(try_from = "StoredDate")]
    pub counted_on: NaiveDate,
    #[sqlx(try_from = "StoredTime")]
    pub recorded_at: DateTime<Utc>,
    pub lot_number: String,
    pub expected: i64,
    pub counted: i64,
    pub reason: String,
}

/// The latest `limit` differences the site's counts found, newest first.
pub async fn discrepancies(
    conn: &mut AnyConnection,
    site_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<DiscrepancyRecord>> {
    checked_query_as!(
        DiscrepancyRecord,
        "SELECT c.counted_on, c.created_at AS recorded_at, lo.lot_number, l.expected, l.counted,
                l.reason
         FROM stock_count_lines l
         JOIN stock_counts c ON c.id = l.count_id
         JOIN lots lo ON lo.id = l.lot_id
         WHERE c.site_id = $1 AND l.expected <> l.counted
         ORDER BY c.id DESC, lo.lot_number
         LIMIT $2",
        site_id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// A site a transfer may go to.
#[derive(Debug, Clone, FromRow)]
pub struct TargetRecord {
    pub id: i64,
    pub name: String,
    pub municipality_code: String,
    pub municipality_name: String,
}

/// The sites offered as a transfer's destination: the sender's own satellites, then the other
/// basic sites of its municipality, then those of the rest of its prefecture (by municipality),
/// each group by name.
pub async fn transfer_targets(
    conn: &mut AnyConnection,
    site_id: i64,
    municipality_code: &str,
    prefecture_code: i64,
) -> sqlx::Result<Vec<TargetRecord>> {
    checked_query_as!(
        TargetRecord,
        "SELECT s.id, s.name, s.municipality_code, m.name AS municipality_name
         FROM sites s JOIN municipalities m ON m.code = s.municipality_code
         WHERE s.id <> $1
           AND ((s.site_type = 'satellite' AND s.basic_site_id = $1)
                OR (s.site_type = 'basic' AND m.prefecture_code = $3))
         ORDER BY CASE WHEN s.site_type = 'satellite' THEN 0
                       WHEN s.municipality_code = $2 THEN 1 ELSE 2 END,
                  s.municipality_code, s.name, s.id",
        site_id,
        municipality_code,
        prefecture_code
    )
    .fetch_all(conn)
    .await
}

/// National data set: every satellite receives `vials` of the lot from its basic site, sent
/// and received on `day`, on both ledgers. The basic sites must hold the vials.
pub async fn transfer_to_every_satellite(
    conn: &mut AnyConnection,
    lot_id: i64,
    vials: i64,
    day: NaiveDate,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let (day, at) = (day.to_string(), at.timestamp());
    checked_query!(
        "INSERT INTO transfers (from_site_id, to_site_id, lot_id, vials, sent_on, created_at,
                                received_on, received_at)
         SELECT basic_site_id, id, $1, $2, $3, $4, $3, $4 FROM sites
         WHERE site_type = 'satellite'",
        lot_id,
        vials,
        &day,
        at
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO stock_movements (site_id, lot_id, kind, vials, occurred_on, reference_id,
                                      note, created_at)
         SELECT from_site_id, lot_id, 'transfer_out', -vials, sent_on, id, '', created_at
         FROM transfers WHERE lot_id = $1 AND created_at = $2
         UNION ALL
         SELECT to_site_id, lot_id, 'transfer_in', vials, sent_on, id, '', created_at
         FROM transfers WHERE lot_id = $1 AND created_at = $2",
        lot_id,
        at
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "UPDATE stock_balances SET vials = vials - (
             SELECT CAST(SUM(t.vials) AS BIGINT) FROM transfers t
             WHERE t.from_site_id = stock_balances.site_id AND t.lot_id = $1 AND t.created_at = $2)
         WHERE lot_id = $1 AND site_id IN (
             SELECT from_site_id FROM transfers WHERE lot_id = $1 AND created_at = $2)",
        lot_id,
        at
    )
    .execute(&mut *conn)
    .await?;
    checked_query!(
        "INSERT INTO stock_balances (site_id, lot_id, vials)
         SELECT to_site_id, lot_id, vials FROM transfers WHERE lot_id = $1 AND created_at = $2",
        lot_id,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}
