//! The reports' figures: each query reads one kind of figure for every site (or municipality) of
//! a region at once, so a report costs a handful of queries whatever its size.

mod records;
mod site;

pub use records::*;
pub use site::*;

use super::records::{RecordRow, StoredCells};
use app::domain::Tally;
use sqlx::{AnyConnection, FromRow};

/// The part of the country a report covers: every `Some` narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Region {
    /// One prefecture.
    pub prefecture: Option<i64>,
    /// One municipality.
    pub municipality: Option<String>,
    /// One site.
    pub site: Option<i64>,
}

/// A site with the names of its municipality and prefecture.
#[derive(Debug, Clone, FromRow)]
pub struct SitePlace {
    pub id: i64,
    pub name: String,
    pub municipality_code: String,
    pub municipality_name: String,
    pub prefecture_code: i64,
    pub prefecture_name: String,
}

/// The sites of `region` that handle `vaccine` (any vaccine when none) or registered it once, in
/// the reports' own order: municipality (so prefecture), name, id.
pub async fn sites_handling(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<SitePlace>> {
    checked_query_as!(
        SitePlace,
        "SELECT s.id, s.name, m.code AS municipality_code, m.name AS municipality_name,
                p.code AS prefecture_code, p.name AS prefecture_name
         FROM sites s
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN prefectures p ON p.code = m.prefecture_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
           AND (EXISTS (SELECT 1 FROM site_vaccines v WHERE v.site_id = s.id
                        AND (CAST($4 AS TEXT) IS NULL OR v.vaccine_code = $4))
                OR EXISTS (SELECT 1 FROM vaccination_records r WHERE r.site_id = s.id
                           AND (CAST($4 AS TEXT) IS NULL OR r.vaccine_code = $4)))
         ORDER BY s.municipality_code, s.name, s.id",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine
    )
    .fetch_all(conn)
    .await
}

/// A municipality with its prefecture's name.
#[derive(Debug, Clone, FromRow)]
pub struct MunicipalityPlace {
    pub code: String,
    pub name: String,
    pub prefecture_code: i64,
    pub prefecture_name: String,
}

/// The municipalities of `region`, by prefecture and code.
pub async fn municipalities(
    conn: &mut AnyConnection,
    region: &Region,
) -> sqlx::Result<Vec<MunicipalityPlace>> {
    checked_query_as!(
        MunicipalityPlace,
        "SELECT m.code, m.name, p.code AS prefecture_code, p.name AS prefecture_name
         FROM municipalities m
         JOIN prefectures p ON p.code = m.prefecture_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR m.code = $2)
         ORDER BY p.code, m.code",
        region.prefecture,
        region.municipality.as_deref()
    )
    .fetch_all(conn)
    .await
}

/// Each site's cumulative of each vaccine as registered on or before `day` (its latest
/// registration up to then), for the sites of `region`. Driven by the summary's one row per site
/// and vaccine: where its latest registration is on or before `day` that is the one; otherwise
/// one index seek finds the day, and the day's row is joined once (not the seek once per row).
pub async fn cumulatives_on(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
    day: &str,
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
         FROM (SELECT k.site_id, k.vaccine_code,
                      CASE WHEN k.administered_on <= $5 THEN k.administered_on
                           ELSE (SELECT MAX(l.administered_on) FROM vaccination_records l
                                 WHERE l.site_id = k.site_id
                                   AND l.vaccine_code = k.vaccine_code
                                   AND l.administered_on <= $5) END AS day
               FROM record_latest k
               JOIN sites s ON s.id = k.site_id
               JOIN municipalities m ON m.code = s.municipality_code
               WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
                 AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
                 AND (CAST($3 AS BIGINT) IS NULL OR k.site_id = $3)
                 AND (CAST($4 AS TEXT) IS NULL OR k.vaccine_code = $4)) d
         JOIN vaccination_records r ON r.site_id = d.site_id AND r.vaccine_code = d.vaccine_code
              AND r.administered_on = d.day",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine,
        day
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.site_id, r.record)).collect())
}

/// Each site's latest cumulative of each vaccine (kept by a trigger in `record_latest`), for the
/// sites of `region`: what R308 and R208 show without a period, one row per site and vaccine.
pub async fn latest_cumulatives(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<(i64, Tally)>> {
    #[derive(FromRow)]
    struct Row {
        site_id: i64,
        #[sqlx(flatten)]
        cells: StoredCells,
    }
    let rows = checked_query_as!(
        Row,
        "SELECT r.site_id, r.d1_medical, r.d1_elderly, r.d1_underlying, r.d1_facility_staff,
                r.d1_other, r.d2_medical, r.d2_elderly, r.d2_underlying, r.d2_facility_staff,
                r.d2_other
         FROM record_latest r
         JOIN sites s ON s.id = r.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR r.site_id = $3)
           AND (CAST($4 AS TEXT) IS NULL OR r.vaccine_code = $4)",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.site_id, r.cells.tally()))
        .collect())
}

/// The latest cumulatives of the sites of `region` summed per municipality (R208 without a
/// period), in the grid's order of cells.
pub async fn latest_by_municipality(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<(String, [i64; 10])>> {
    #[derive(FromRow)]
    struct Row {
        municipality_code: String,
        #[sqlx(flatten)]
        cells: StoredCells,
    }
    let rows = checked_query_as!(
        Row,
        "SELECT s.municipality_code,
                CAST(SUM(r.d1_medical) AS BIGINT) AS d1_medical,
                CAST(SUM(r.d1_elderly) AS BIGINT) AS d1_elderly,
                CAST(SUM(r.d1_underlying) AS BIGINT) AS d1_underlying,
                CAST(SUM(r.d1_facility_staff) AS BIGINT) AS d1_facility_staff,
                CAST(SUM(r.d1_other) AS BIGINT) AS d1_other,
                CAST(SUM(r.d2_medical) AS BIGINT) AS d2_medical,
                CAST(SUM(r.d2_elderly) AS BIGINT) AS d2_elderly,
                CAST(SUM(r.d2_underlying) AS BIGINT) AS d2_underlying,
                CAST(SUM(r.d2_facility_staff) AS BIGINT) AS d2_facility_staff,
                CAST(SUM(r.d2_other) AS BIGINT) AS d2_other
         FROM record_latest r
         JOIN sites s ON s.id = r.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS TEXT) IS NULL OR r.vaccine_code = $3)
         GROUP BY s.municipality_code",
        region.prefecture,
        region.municipality.as_deref(),
        vaccine
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.municipality_code, r.cells.values()))
        .collect())
}

/// Which cools a supply report reads: one, a vaccine's, those delivering within a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoolFilter {
    /// One cool.
    pub cool: Option<i64>,
    /// The cools of one vaccine.
    pub vaccine: Option<String>,
    /// Cools whose delivery weeks end on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Cools whose delivery weeks begin on or before this day.
    pub until: Option<String>,
}

/// One site's part of one cool: 希望量, 分配量, 納入予定日 and the vials delivered and received.
#[derive(Debug, Clone, FromRow)]
pub struct SiteCoolFigures {
    pub cool_id: i64,
    pub cool_name: String,
    pub vaccine_name: String,
    pub vials_per_box: i64,
    pub site_id: i64,
    pub site_name: String,
    pub municipality_code: String,
    pub municipality_name: String,
    pub prefecture_code: i64,
    pub prefecture_name: String,
    pub requested: i64,
    pub allocated: i64,
    pub scheduled_on: Option<String>,
    pub supplier_name: Option<String>,
    pub delivered: i64,
    pub received: i64,
}

/// Every site of `region` that requested or was allocated some of a cool of `cools`, per cool,
/// in the reports' own order: cool, prefecture, municipality, site name.
pub async fn site_cool_figures(
    conn: &mut AnyConnection,
    region: &Region,
    cools: &CoolFilter,
) -> sqlx::Result<Vec<SiteCoolFigures>> {
    checked_query_as!(
        SiteCoolFigures,
        "SELECT c.id AS cool_id, c.name AS cool_name, vac.name_ja AS vaccine_name,
                CAST(vac.vials_per_box AS BIGINT) AS vials_per_box,
                s.id AS site_id, s.name AS site_name,
                m.code AS municipality_code, m.name AS municipality_name,
                p.code AS prefecture_code, p.name AS prefecture_name,
                CAST(COALESCE(r.boxes, 0) AS BIGINT) AS requested,
                CAST(COALESCE(a.boxes, 0) AS BIGINT) AS allocated,
                d.scheduled_on, sp.name AS supplier_name,
                CAST(COALESCE(v.delivered, 0) AS BIGINT) AS delivered,
                CAST(COALESCE(v.received, 0) AS BIGINT) AS received
         FROM (SELECT cool_id, site_id FROM cool_requests
               UNION SELECT cool_id, site_id FROM site_allocations) k
         JOIN cools c ON c.id = k.cool_id
         JOIN vaccines vac ON vac.code = c.vaccine_code
         JOIN sites s ON s.id = k.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN prefectures p ON p.code = m.prefecture_code
         LEFT JOIN cool_requests r ON r.cool_id = k.cool_id AND r.site_id = k.site_id
         LEFT JOIN site_allocations a ON a.cool_id = k.cool_id AND a.site_id = k.site_id
         LEFT JOIN delivery_schedules d ON d.cool_id = k.cool_id AND d.site_id = k.site_id
         LEFT JOIN suppliers sp ON sp.id = d.supplier_id
         LEFT JOIN (SELECT sh.cool_id, sh.site_id, SUM(sl.vials) AS delivered,
                           SUM(CASE WHEN sh.received_at IS NULL THEN 0 ELSE sl.vials END) AS received
                    FROM shipments sh JOIN shipment_lots sl ON sl.shipment_id = sh.id
                    GROUP BY sh.cool_id, sh.site_id) v
                ON v.cool_id = k.cool_id AND v.site_id = k.site_id
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
           AND (CAST($4 AS BIGINT) IS NULL OR c.id = $4)
           AND (CAST($5 AS TEXT) IS NULL OR c.vaccine_code = $5)
           AND (CAST($6 AS TEXT) IS NULL OR c.delivery_until >= $6)
           AND (CAST($7 AS TEXT) IS NULL OR c.delivery_from <= $7)
         ORDER BY c.id, p.code, m.code, s.name, s.id",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        cools.cool,
        cools.vaccine.as_deref(),
        cools.from.as_deref(),
        cools.until.as_deref()
    )
    .fetch_all(conn)
    .await
}

/// One municipality's 分配量 of one cool (what its prefecture gave it).
#[derive(Debug, Clone, FromRow)]
pub struct MunicipalityAllocation {
    pub cool_id: i64,
    pub cool_name: String,
    pub municipality_code: String,
    pub municipality_name: String,
    pub prefecture_code: i64,
    pub prefecture_name: String,
    pub boxes: i64,
}

/// The 分配量 the municipalities of `region` were given, per cool of `cools`, in the reports'
/// own order: cool, prefecture, municipality.
pub async fn municipality_allocations(
    conn: &mut AnyConnection,
    region: &Region,
    cools: &CoolFilter,
) -> sqlx::Result<Vec<MunicipalityAllocation>> {
    checked_query_as!(
        MunicipalityAllocation,
        "SELECT c.id AS cool_id, c.name AS cool_name, m.code AS municipality_code,
                m.name AS municipality_name, p.code AS prefecture_code,
                p.name AS prefecture_name, CAST(a.boxes AS BIGINT) AS boxes
         FROM municipality_allocations a
         JOIN cools c ON c.id = a.cool_id
         JOIN municipalities m ON m.code = a.municipality_code
         JOIN prefectures p ON p.code = m.prefecture_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR m.code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR c.id = $3)
           AND (CAST($4 AS TEXT) IS NULL OR c.vaccine_code = $4)
           AND (CAST($5 AS TEXT) IS NULL OR c.delivery_until >= $5)
           AND (CAST($6 AS TEXT) IS NULL OR c.delivery_from <= $6)
         ORDER BY c.id, p.code, m.code",
        region.prefecture,
        region.municipality.as_deref(),
        cools.cool,
        cools.vaccine.as_deref(),
        cools.from.as_deref(),
        cools.until.as_deref()
    )
    .fetch_all(conn)
    .await
}

/// The cools, newest first, as (id, name), for the filters.
pub async fn cool_names(conn: &mut AnyConnection) -> sqlx::Result<Vec<(i64, String)>> {
    checked_query_as!((i64, String), "SELECT id, name FROM cools ORDER BY id DESC")
        .fetch_all(conn)
        .await
}

/// A site for the list of sites: its type, its basic site and the vaccines it handles.
#[derive(Debug, Clone, FromRow)]
pub struct SiteListed {
    pub id: i64,
    pub name: String,
    pub municipality_name: String,
    pub prefecture_name: String,
    pub site_type: String,
    pub basic_site_name: Option<String>,
}

/// The sites of `region` (those handling `vaccine`, when given), in the reports' own order.
pub async fn sites_listed(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<SiteListed>> {
    checked_query_as!(
        SiteListed,
        "SELECT s.id, s.name, m.name AS municipality_name, p.name AS prefecture_name,
                s.site_type, b.name AS basic_site_name
         FROM sites s
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN prefectures p ON p.code = m.prefecture_code
         LEFT JOIN sites b ON b.id = s.basic_site_id
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
           AND (CAST($4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM site_vaccines v
                WHERE v.site_id = s.id AND v.vaccine_code = $4))
         ORDER BY p.code, m.code, s.name, s.id",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine
    )
    .fetch_all(conn)
    .await
}

/// The vaccines each site of `region` handles, as (site, vaccine name), in master order.
pub async fn site_vaccine_names(
    conn: &mut AnyConnection,
    region: &Region,
) -> sqlx::Result<Vec<(i64, String)>> {
    checked_query_as!(
        (i64, String),
        "SELECT sv.site_id, v.name_ja
         FROM site_vaccines sv
         JOIN vaccines v ON v.code = sv.vaccine_code
         JOIN sites s ON s.id = sv.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
         ORDER BY sv.site_id, v.id",
        region.prefecture,
        region.municipality.as_deref(),
        region.site
    )
    .fetch_all(conn)
    .await
}

/// One area a supplier serves: a whole prefecture, or one municipality of it.
#[derive(Debug, Clone, FromRow)]
pub struct SupplierArea {
    pub supplier_name: String,
    pub prefecture_code: i64,
    pub prefecture_name: String,
    pub municipality_code: Option<String>,
    pub municipality_name: Option<String>,
}

/// The areas the suppliers serve within `prefecture` (every prefecture when none), by supplier,
/// prefecture and municipality (a whole prefecture first).
pub async fn supplier_areas(
    conn: &mut AnyConnection,
    prefecture: Option<i64>,
) -> sqlx::Result<Vec<SupplierArea>> {
    checked_query_as!(
        SupplierArea,
        "SELECT sp.name AS supplier_name, p.code AS prefecture_code, p.name AS prefecture_name,
                a.municipality_code, m.name AS municipality_name
         FROM supplier_areas a
         JOIN suppliers sp ON sp.id = a.supplier_id
         JOIN prefectures p ON p.code = a.prefecture_code
         LEFT JOIN municipalities m ON m.code = a.municipality_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR a.prefecture_code = $1)
         ORDER BY sp.name, p.code, COALESCE(a.municipality_code, '')",
        prefecture
    )
    .fetch_all(conn)
    .await
}

/// One lot held at one site.
#[derive(Debug, Clone, FromRow)]
pub struct StockHeld {
    pub site_id: i64,
    pub site_name: String,
    pub municipality_name: String,
    pub prefecture_name: String,
    pub vaccine_name: String,
    pub lot_number: String,
    pub expires_on: String,
    pub vials: i64,
}

/// The lots held (more than nothing) by the sites of `region`, of `vaccine` when given, by site
/// and then expiry.
pub async fn stock_held(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<StockHeld>> {
    checked_query_as!(
        StockHeld,
        "SELECT s.id AS site_id, s.name AS site_name, m.name AS municipality_name,
                p.name AS prefecture_name, v.name_ja AS vaccine_name, l.lot_number,
                l.expires_on, CAST(b.vials AS BIGINT) AS vials
         FROM stock_balances b
         JOIN lots l ON l.id = b.lot_id
         JOIN vaccines v ON v.code = l.vaccine_code
         JOIN sites s ON s.id = b.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN prefectures p ON p.code = m.prefecture_code
         WHERE b.vials > 0
           AND (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
           AND (CAST($4 AS TEXT) IS NULL OR l.vaccine_code = $4)
         ORDER BY p.code, m.code, s.name, s.id, l.expires_on, l.lot_number",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine
    )
    .fetch_all(conn)
    .await
}
