//! Vaccine stock held by a site.

use sqlx::AnyConnection;

/// Vials a site holds over every vaccine and lot. The stock ledger (received − transferred out +
/// transferred in − used − wasted) arrives with the supply chain; until it exists no
/// delivery or transfer can be recorded, so no site holds stock and the answer is zero. The
/// switch between 基本型 and サテライト型 asks here, so it is guarded once the ledger fills.
pub async fn vials_held(_conn: &mut AnyConnection, _site_id: i64) -> sqlx::Result<i64> {
    Ok(0)
}
