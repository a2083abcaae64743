//! 接種実績: the cumulative registrations per site, vaccine and day, what they took from the
//! stock, and the sums the reconciliation and ホーム read.

use super::{StoredDate, StoredFlag};
use app::domain::{Tally, CELLS};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, FromRow};

/// The ten cells of a cumulative as stored (one column each, `d1_` 1回目 and `d2_` 2回目): part of
/// every row that carries one.
#[derive(Debug, Clone, FromRow)]
pub struct StoredCells {
    pub d1_medical: i64,
    pub d1_elderly: i64,
    pub d1_underlying: i64,
    pub d1_facility_staff: i64,
    pub d1_other: i64,
    pub d2_medical: i64,
    pub d2_elderly: i64,
    pub d2_underlying: i64,
    pub d2_facility_staff: i64,
    pub d2_other: i64,
}

impl StoredCells {
    /// The cells in the grid's order ([`app::domain::cell`]).
    pub fn values(&self) -> [i64; CELLS] {
        [
            self.d1_medical,
            self.d1_elderly,
            self.d1_underlying,
            self.d1_facility_staff,
            self.d1_other,
            self.d2_medical,
            self.d2_elderly,
            self.d2_underlying,
            self.d2_facility_staff,
            self.d2_other,
        ]
    }

    /// The cumulative.
    pub fn tally(&self) -> Tally {
        Tally(self.values().map(|value| u32::try_from(value).unwrap_or(0)))
    }
}

/// One registration as stored.
#[derive(Debug, Clone, FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub vaccine_code: String,
    #[sqlx(try_from = "StoredDate")]
    pub administered_on: NaiveDate,
    #[sqlx(flatten)]
    pub cells: StoredCells,
    #[sqlx(try_from = "StoredFlag")]
    pub correction: bool,
}

impl RecordRow {
    /// The cumulative, in the grid's order ([`app::domain::cell`]).
    pub fn tally(&self) -> Tally {
        self.cells.tally()
    }
}

/// A site's latest registrations of one vaccine, newest first (`limit` of them), only those
/// before `before` when given.
pub async fn latest(
    conn: &mut AnyConnection,
    site_id: i64,
    vaccine: &str,
    before: Option<NaiveDate>,
    limit: i64,
) -> sqlx::Result<Vec<RecordRow>> {
    checked_query_as!(
        RecordRow,
        "SELECT id, vaccine_code, administered_on, d1_medical, d1_elderly, d1_underlying,
                d1_facility_staff, d1_other, d2_medical, d2_elderly, d2_underlying,
                d2_facility_staff, d2_other, correction
         FROM vaccination_records
         WHERE site_id = $1 AND vaccine_code = $2
           AND (CAST($3 AS TEXT) IS NULL OR administered_on < $3)
         ORDER BY administered_on DESC
         LIMIT $4",
        site_id,
        vaccine,
        before.map(|day| day.to_string()),
        limit
    )
    .fetch_all(conn)
    .await
}

/// A registration to store.
#[derive(Debug, Clone)]
pub struct NewRecord<'a> {
    pub site_id: i64,
    pub vaccine: &'a str,
    pub administered_on: NaiveDate,
    pub tally: Tally,
    pub correction: bool,
    pub at: DateTime<Utc>,
    /// Who registered it (none: the demo's seed).
    pub user_id: Option<i64>,
}

/// Stores a day's registration, replacing the one of the same site, vaccine and day; returns
/// its id (the same id when replaced, so the day's stock movements stay its own).
pub async fn save(conn: &mut AnyConnection, r: &NewRecord<'_>) -> sqlx::Result<i64> {
    let c = r.tally.0.map(i64::from);
    checked_scalar!(
        "INSERT INTO vaccination_records (site_id, vaccine_code, administered_on, d1_medical,
                d1_elderly, d1_underlying, d1_facility_staff, d1_other, d2_medical, d2_elderly,
                d2_underlying, d2_facility_staff, d2_other, correction, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (site_id, vaccine_code, administered_on) DO UPDATE SET
             d1_medical = excluded.d1_medical, d1_elderly = excluded.d1_elderly,
             d1_underlying = excluded.d1_underlying,
             d1_facility_staff = excluded.d1_facility_staff, d1_other = excluded.d1_other,
             d2_medical = excluded.d2_medical, d2_elderly = excluded.d2_elderly,
             d2_underlying = excluded.d2_underlying,
             d2_facility_staff = excluded.d2_facility_staff, d2_other = excluded.d2_other,
             correction = excluded.correction, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by
         RETURNING id",
        r.site_id,
        r.vaccine,
        r.administered_on.to_string(),
        c[0],
        c[1],
        c[2],
        c[3],
        c[4],
        c[5],
        c[6],
        c[7],
        c[8],
        c[9],
        i64::from(r.correction),
        r.at.timestamp(),
        r.user_id
    )
    .fetch_one(conn)
    .await
}

/// Vials one lot gave to vaccinations, net of what corrections gave back.
#[derive(Debug, Clone, FromRow)]
pub struct LotUse {
    pub lot_id: i64,
    pub vials: i64,
}

/// What one registration took from the stock so far, per lot (latest lot first).
pub async fn taken_by(
    conn: &mut AnyConnection,
    site_id: i64,
    record_id: i64,
) -> sqlx::Result<Vec<LotUse>> {
    checked_query_as!(
        LotUse,
        "SELECT lot_id, CAST(-SUM(vials) AS BIGINT) AS vials
         FROM stock_movements
         WHERE reference_id = $1 AND kind = 'use' AND site_id = $2
         GROUP BY lot_id
         ORDER BY MAX(id) DESC",
        record_id,
        site_id
    )
    .fetch_all(conn)
    .await
}

/// What every registration of one vaccine took from the stock so far, per lot, the lot used
/// last first: where a correction gives vials back.
pub async fn taken_for_vaccine(
    conn: &mut AnyConnection,
    site_id: i64,
    vaccine: &str,
) -> sqlx::Result<Vec<LotUse>> {
    checked_query_as!(
        LotUse,
        "SELECT m.lot_id, CAST(-SUM(m.vials) AS BIGINT) AS vials
         FROM stock_movements m
         JOIN lots lo ON lo.id = m.lot_id
         WHERE m.site_id = $1 AND m.kind = 'use' AND lo.vaccine_code = $2
         GROUP BY m.lot_id
         ORDER BY MAX(m.id) DESC",
        site_id,
        vaccine
    )
    .fetch_all(conn)
    .await
}

/// A lot a day's doses may come from: the site holds some, and it has not expired by the day.
#[derive(Debug, Clone, FromRow)]
pub struct UsableLot {
    pub lot_id: i64,
    pub lot_number: String,
    #[sqlx(try_from = "StoredDate")]
    pub expires_on: NaiveDate,
    pub vials: i64,
}

/// The lots of one vaccine the site holds, first-expiring first.
pub async fn usable_lots(
    conn: &mut AnyConnection,
    site_id: i64,
    vaccine: &str,
) -> sqlx::Result<Vec<UsableLot>> {
    checked_query_as!(
        UsableLot,
        "SELECT b.lot_id, lo.lot_number, lo.expires_on, b.vials
         FROM stock_balances b
         JOIN lots lo ON lo.id = b.lot_id
         WHERE b.site_id = $1 AND lo.vaccine_code = $2 AND b.vials > 0
         ORDER BY lo.expires_on, lo.lot_number",
        site_id,
        vaccine
    )
    .fetch_all(conn)
    .await
}

/// Vials of one vaccine on their way to the site and not yet registered as received: transfers
/// in transit to it and deliveries it has not confirmed.
pub async fn awaiting_vials(
    conn: &mut AnyConnection,
    site_id: i64,
    vaccine: &str,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "SELECT CAST(COALESCE(SUM(vials), 0) AS BIGINT) FROM (
             SELECT t.vials FROM transfers t JOIN lots lo ON lo.id = t.lot_id
             WHERE t.to_site_id = $1 AND lo.vaccine_code = $2
               AND t.received_at IS NULL AND t.cancelled_at IS NULL
             UNION ALL
             SELECT l.vials FROM shipments sh
             JOIN shipment_lots l ON l.shipment_id = sh.id
             JOIN lots lo ON lo.id = l.lot_id
             WHERE sh.site_id = $1 AND lo.vaccine_code = $2 AND sh.received_at IS NULL
         ) AS waiting",
        site_id,
        vaccine
    )
    .fetch_one(conn)
    .await
}

/// A site's registrations of one vaccine from `since` on, oldest first.
pub async fn history(
    conn: &mut AnyConnection,
    site_id: i64,
    vaccine: &str,
    since: NaiveDate,
) -> sqlx::Result<Vec<RecordRow>> {
    checked_query_as!(
        RecordRow,
        "SELECT id, vaccine_code, administered_on, d1_medical, d1_elderly, d1_underlying,
                d1_facility_staff, d1_other, d2_medical, d2_elderly, d2_underlying,
                d2_facility_staff, d2_other, correction
         FROM vaccination_records
         WHERE site_id = $1 AND vaccine_code = $2 AND administered_on >= $3
         ORDER BY administered_on",
        site_id,
        vaccine,
        since.to_string()
    )
    .fetch_all(conn)
    .await
}

/// Vials a registration's day took, net, per record of one vaccine (for the history table).
#[derive(Debug, Clone, FromRow)]
pub struct RecordUse {
    pub record_id: i64,
    pub vials: i64,
}

/// Vials each of a site's registrations of one vaccine from `since` on took, net.
pub async fn use_per_record(
    conn: &mut AnyConnection,
    site_id: i64,
    vaccine: &str,
    since: NaiveDate,
) -> sqlx::Result<Vec<RecordUse>> {
    checked_query_as!(
        RecordUse,
        "SELECT r.id AS record_id, CAST(-SUM(m.vials) AS BIGINT) AS vials
         FROM vaccination_records r
         JOIN stock_movements m ON m.reference_id = r.id AND m.kind = 'use' AND m.site_id = r.site_id
         WHERE r.site_id = $1 AND r.vaccine_code = $2 AND r.administered_on >= $3
         GROUP BY r.id",
        site_id,
        vaccine,
        since.to_string()
    )
    .fetch_all(conn)
    .await
}

/// The ledger of one site summed per vaccine and kind of movement (vials, signed).
#[derive(Debug, Clone, FromRow)]
pub struct LedgerSum {
    pub site_id: i64,
    pub vaccine_code: String,
    pub kind: String,
    pub vials: i64,
}

/// The ledgers of the given sites (one site, or a municipality's), summed per vaccine and kind.
pub async fn ledger_sums(
    conn: &mut AnyConnection,
    site_id: Option<i64>,
    municipality: Option<&str>,
) -> sqlx::Result<Vec<LedgerSum>> {
    checked_query_as!(
        LedgerSum,
        "SELECT m.site_id, lo.vaccine_code, m.kind, CAST(SUM(m.vials) AS BIGINT) AS vials
         FROM stock_movements m
         JOIN lots lo ON lo.id = m.lot_id
         JOIN sites s ON s.id = m.site_id
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.site_id = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
         GROUP BY m.site_id, lo.vaccine_code, m.kind",
        site_id,
        municipality
    )
    .fetch_all(conn)
    .await
}

/// Every site's latest registration of every vaccine, for one site or a municipality's.
pub async fn latest_per_site(
    conn: &mut AnyConnection,
    site_id: Option<i64>,
    municipality: Option<&str>,
) -> sqlx::Result<Vec<(i64, RecordRow)>> {
    #[derive(FromRow)]
    struct Row {
        site_id: i64,
        #[sqlx(flatten)]
        record: RecordRow,
    }
    let rows = checked_query_as!(
        Row,
        "SELECT r.site_id, r.id, r.vaccine_code, r.administered_on, r.d1_medical, r.d1_elderly,
                r.d1_underlying, r.d1_facility_staff, r.d1_other, r.d2_medical, r.d2_elderly,
                r.d2_underlying, r.d2_facility_staff, r.d2_other, r.correction
         FROM vaccination_records r
         JOIN sites s ON s.id = r.site_id
         WHERE (CAST($1 AS BIGINT) IS NULL OR r.site_id = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND r.administered_on = (SELECT MAX(l.administered_on) FROM vaccination_records l
                                    WHERE l.site_id = r.site_id
                                      AND l.vaccine_code = r.vaccine_code)",
        site_id,
        municipality
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.site_id, r.record)).collect())
}

/// The municipality's sites that handle a vaccine, with the day each registered last.
#[derive(Debug, Clone, FromRow)]
pub struct SiteLastRecord {
    pub id: i64,
    pub name: String,
    pub last_on: Option<String>,
}

/// The sites of a municipality that handle at least one vaccine, by name, with their latest
/// 接種日 (none when they never registered).
pub async fn sites_last_record(
    conn: &mut AnyConnection,
    municipality: &str,
) -> sqlx::Result<Vec<SiteLastRecord>> {
    checked_query_as!(
        SiteLastRecord,
        "SELECT s.id, s.name,
                (SELECT MAX(r.administered_on) FROM vaccination_records r WHERE r.site_id = s.id)
                    AS last_on
         FROM sites s
         WHERE s.municipality_code = $1
           AND EXISTS (SELECT 1 FROM site_vaccines sv WHERE sv.site_id = s.id)
         ORDER BY s.name, s.id",
        municipality
    )
    .fetch_all(conn)
    .await
}

/// Whether the site registered any vaccine for `day`.
pub async fn registered_on(
    conn: &mut AnyConnection,
    site_id: i64,
    day: NaiveDate,
) -> sqlx::Result<bool> {
    let found: Option<i64> = checked_scalar!(
        "SELECT id FROM vaccination_records WHERE site_id = $1 AND administered_on = $2 LIMIT 1",
        site_id,
        day.to_string()
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// A vaccine a site handles.
#[derive(Debug, Clone, FromRow)]
pub struct HandledVaccine {
    pub code: String,
    pub name: String,
    pub doses_per_vial: i64,
}

/// The vaccines a site handles, in master order.
pub async fn handled_vaccines(
    conn: &mut AnyConnection,
    site_id: i64,
) -> sqlx::Result<Vec<HandledVaccine>> {
    checked_query_as!(
        HandledVaccine,
        "SELECT v.code, v.name_ja AS name, v.doses_per_vial
         FROM site_vaccines sv JOIN vaccines v ON v.code = sv.vaccine_code
         WHERE sv.site_id = $1
         ORDER BY v.id",
        site_id
    )
    .fetch_all(conn)
    .await
}

/// The doses per vial of every vaccine, by code.
pub async fn doses_per_vial(conn: &mut AnyConnection) -> sqlx::Result<Vec<(String, i64)>> {
    checked_query_as!(
        (String, i64),
        "SELECT code, doses_per_vial FROM vaccines ORDER BY id"
    )
    .fetch_all(conn)
    .await
}

/// The last day with vaccinations in a municipality, up to `today`.
pub async fn last_day_in_municipality(
    conn: &mut AnyConnection,
    municipality: &str,
    today: NaiveDate,
) -> sqlx::Result<Option<NaiveDate>> {
    let day: Option<String> = checked_scalar!(
        "SELECT MAX(r.administered_on) FROM vaccination_records r
         JOIN sites s ON s.id = r.site_id
         WHERE s.municipality_code = $1 AND r.administered_on <= $2",
        municipality,
        today.to_string()
    )
    .fetch_one(conn)
    .await?;
    Ok(day.and_then(|d| d.parse().ok()))
}

/// Inserts many registrations in one statement (the national data set; a registration of a day
/// already stored is an error here). The VALUES list grows with the batch, so the compiler
/// cannot check this SQL; the national records test runs it on both engines.
pub async fn insert_many(conn: &mut AnyConnection, rows: &[NewRecord<'_>]) -> sqlx::Result<()> {
    const COLUMNS: usize = 16;
    let mut sql = String::from(
        "INSERT INTO vaccination_records (site_id, vaccine_code, administered_on, d1_medical,
            d1_elderly, d1_underlying, d1_facility_staff, d1_other, d2_medical, d2_elderly,
            d2_underlying, d2_facility_staff, d2_other, correction, updated_at, updated_by)
         VALUES ",
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
    for r in rows {
        query = query
            .bind(r.site_id)
            .bind(r.vaccine)
            .bind(r.administered_on.to_string());
        for cell in r.tally.0 {
            query = query.bind(i64::from(cell));
        }
        query = query
            .bind(i64::from(r.correction))
            .bind(r.at.timestamp())
            .bind(r.user_id);
    }
    query.execute(conn).await?;
    Ok(())
}

/// Each site's first vaccine in code order, for the sites above `after_id` with no registration
/// yet (the national data set's records, which leave the demo's sites alone).
pub async fn first_vaccine_per_unrecorded_site(
    conn: &mut AnyConnection,
    after_id: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    checked_query_as!(
        (i64, String),
        "SELECT v.site_id, MIN(v.vaccine_code) FROM site_vaccines v
         WHERE v.site_id > $1
           AND NOT EXISTS (SELECT 1 FROM vaccination_records r WHERE r.site_id = v.site_id)
         GROUP BY v.site_id ORDER BY v.site_id",
        after_id
    )
    .fetch_all(conn)
    .await
}
