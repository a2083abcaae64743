//! The stock ledger: every movement of vials of one lot at one site, append-only, and the
//! balance per site and lot kept with it in the same transaction.

use app::domain::{Choice, MovementKind};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AnyConnection;

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
