//! 接種実績 for the reports at national scale: R308 a page at a time, in the database's order,
//! and the doses per day of 接種実績の推移 (X208, X308).

use super::{Region, SitePlace};
use crate::db::records::StoredCells;
use sqlx::{AnyConnection, FromRow};

/// A site of R308 with its latest cumulatives summed over the vaccines read.
#[derive(Debug, Clone, FromRow)]
pub struct SiteFigures {
    #[sqlx(flatten)]
    pub site: SitePlace,
    #[sqlx(flatten)]
    pub cells: StoredCells,
}

/// What R308 is ordered by in the database: one of its figures, the report's own order
/// breaking ties (municipality, name, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKey {
    /// One of the ten cells, in the grid's order ([`app::domain::cell`]).
    Cell(usize),
    /// 1回目 小計.
    FirstDoses,
    /// 2回目 小計.
    SecondDoses,
    /// 総計.
    Total,
}

impl FigureKey {
    /// The number the query's CASE reads.
    fn number(self) -> i64 {
        match self {
            Self::Cell(index) => i64::try_from(index).unwrap_or(-1),
            Self::FirstDoses => 10,
            Self::SecondDoses => 11,
            Self::Total => 12,
        }
    }
}

/// One page of R308 (`limit` sites from `offset`): the sites of `region` that handle `vaccine`
/// (any when none) or registered it, in the report's own order (municipality, name, id), with
/// their people vaccinated in a period: the cumulative registered by `until` (the latest when
/// none) less the one registered by `before` (none when none), over the vaccines read. The
/// page's sites are read from an index, a hundred at a time, and only their figures are summed.
pub async fn page_in_period(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
    until: Option<&str>,
    before: Option<&str>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<SiteFigures>> {
    checked_query_as!(
        SiteFigures,
        "SELECT page.id, page.name, page.municipality_code, page.municipality_name,
                page.prefecture_code, page.prefecture_name,
                CAST(COALESCE(SUM(e.d1_medical), 0) - COALESCE(SUM(b.d1_medical), 0) AS BIGINT)
                    AS d1_medical,
                CAST(COALESCE(SUM(e.d1_elderly), 0) - COALESCE(SUM(b.d1_elderly), 0) AS BIGINT)
                    AS d1_elderly,
                CAST(COALESCE(SUM(e.d1_underlying), 0) - COALESCE(SUM(b.d1_underlying), 0)
                     AS BIGINT) AS d1_underlying,
                CAST(COALESCE(SUM(e.d1_facility_staff), 0)
                     - COALESCE(SUM(b.d1_facility_staff), 0) AS BIGINT) AS d1_facility_staff,
                CAST(COALESCE(SUM(e.d1_other), 0) - COALESCE(SUM(b.d1_other), 0) AS BIGINT)
                    AS d1_other,
                CAST(COALESCE(SUM(e.d2_medical), 0) - COALESCE(SUM(b.d2_medical), 0) AS BIGINT)
                    AS d2_medical,
                CAST(COALESCE(SUM(e.d2_elderly), 0) - COALESCE(SUM(b.d2_elderly), 0) AS BIGINT)
                    AS d2_elderly,
                CAST(COALESCE(SUM(e.d2_underlying), 0) - COALESCE(SUM(b.d2_underlying), 0)
                     AS BIGINT) AS d2_underlying,
                CAST(COALESCE(SUM(e.d2_facility_staff), 0)
                     - COALESCE(SUM(b.d2_facility_staff), 0) AS BIGINT) AS d2_facility_staff,
                CAST(COALESCE(SUM(e.d2_other), 0) - COALESCE(SUM(b.d2_other), 0) AS BIGINT)
                    AS d2_other
         FROM (SELECT s.id, s.name, m.code AS municipality_code, m.name AS municipality_name,
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
               ORDER BY s.municipality_code, s.name, s.id
               LIMIT $5 OFFSET $6) page
         LEFT JOIN record_latest k ON k.site_id = page.id
              AND (CAST($4 AS TEXT) IS NULL OR k.vaccine_code = $4)
         LEFT JOIN vaccination_records e ON e.site_id = k.site_id
              AND e.vaccine_code = k.vaccine_code
              AND e.administered_on =
                  CASE WHEN CAST($7 AS TEXT) IS NULL OR k.administered_on <= $7
                       THEN k.administered_on
                       ELSE (SELECT MAX(l.administered_on) FROM vaccination_records l
                             WHERE l.site_id = k.site_id AND l.vaccine_code = k.vaccine_code
                               AND l.administered_on <= $7) END
         LEFT JOIN vaccination_records b ON b.site_id = k.site_id
              AND b.vaccine_code = k.vaccine_code
              AND b.administered_on =
                  (SELECT MAX(l.administered_on) FROM vaccination_records l
                   WHERE l.site_id = k.site_id AND l.vaccine_code = k.vaccine_code
                     AND l.administered_on <= $8)
         GROUP BY page.id, page.name, page.municipality_code, page.municipality_name,
                  page.prefecture_code, page.prefecture_name
         ORDER BY page.municipality_code, page.name, page.id",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine,
        limit,
        offset,
        until,
        before
    )
    .fetch_all(conn)
    .await
}

/// One page of R308 ordered by `key` (largest first when `descending`), ties in the report's own
/// order: every site's figure is summed in the database and ordered there without its names,
/// which only the page's hundred sites are joined to.
pub async fn latest_page_by(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
    key: FigureKey,
    descending: bool,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<SiteFigures>> {
    let sign: i64 = if descending { -1 } else { 1 };
    checked_query_as!(
        SiteFigures,
        "SELECT page.id, s.name, m.code AS municipality_code, m.name AS municipality_name,
                p.code AS prefecture_code, p.name AS prefecture_name,
                CAST(COALESCE(SUM(r.d1_medical), 0) AS BIGINT) AS d1_medical,
                CAST(COALESCE(SUM(r.d1_elderly), 0) AS BIGINT) AS d1_elderly,
                CAST(COALESCE(SUM(r.d1_underlying), 0) AS BIGINT) AS d1_underlying,
                CAST(COALESCE(SUM(r.d1_facility_staff), 0) AS BIGINT) AS d1_facility_staff,
                CAST(COALESCE(SUM(r.d1_other), 0) AS BIGINT) AS d1_other,
                CAST(COALESCE(SUM(r.d2_medical), 0) AS BIGINT) AS d2_medical,
                CAST(COALESCE(SUM(r.d2_elderly), 0) AS BIGINT) AS d2_elderly,
                CAST(COALESCE(SUM(r.d2_underlying), 0) AS BIGINT) AS d2_underlying,
                CAST(COALESCE(SUM(r.d2_facility_staff), 0) AS BIGINT) AS d2_facility_staff,
                CAST(COALESCE(SUM(r.d2_other), 0) AS BIGINT) AS d2_other
         FROM (SELECT s.id, s.municipality_code, s.name,
                      CAST($5 AS BIGINT) * COALESCE(f.figure, 0) AS sort_key
               FROM sites s
               LEFT JOIN (SELECT site_id, SUM(CASE CAST($6 AS BIGINT)
                              WHEN 0 THEN d1_medical WHEN 1 THEN d1_elderly
                              WHEN 2 THEN d1_underlying WHEN 3 THEN d1_facility_staff
                              WHEN 4 THEN d1_other WHEN 5 THEN d2_medical WHEN 6 THEN d2_elderly
                              WHEN 7 THEN d2_underlying WHEN 8 THEN d2_facility_staff
                              WHEN 9 THEN d2_other
                              WHEN 10 THEN d1_medical + d1_elderly + d1_underlying
                                           + d1_facility_staff + d1_other
                              WHEN 11 THEN d2_medical + d2_elderly + d2_underlying
                                           + d2_facility_staff + d2_other
                              ELSE d1_medical + d1_elderly + d1_underlying + d1_facility_staff
                                   + d1_other + d2_medical + d2_elderly + d2_underlying
                                   + d2_facility_staff + d2_other END) AS figure
                          FROM record_latest
                          WHERE CAST($4 AS TEXT) IS NULL OR vaccine_code = $4
                          GROUP BY site_id) f ON f.site_id = s.id
               WHERE (CAST($1 AS BIGINT) IS NULL
                      OR s.municipality_code IN (SELECT code FROM municipalities
                                                 WHERE prefecture_code = $1))
                 AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
                 AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
                 AND (EXISTS (SELECT 1 FROM site_vaccines v WHERE v.site_id = s.id
                              AND (CAST($4 AS TEXT) IS NULL OR v.vaccine_code = $4))
                      OR EXISTS (SELECT 1 FROM vaccination_records r WHERE r.site_id = s.id
                                 AND (CAST($4 AS TEXT) IS NULL OR r.vaccine_code = $4)))
               ORDER BY sort_key, s.municipality_code, s.name, s.id
               LIMIT $7 OFFSET $8) page
         JOIN sites s ON s.id = page.id
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN prefectures p ON p.code = m.prefecture_code
         LEFT JOIN record_latest r ON r.site_id = page.id
              AND (CAST($4 AS TEXT) IS NULL OR r.vaccine_code = $4)
         GROUP BY page.id, page.sort_key, page.municipality_code, page.name, s.name, m.code,
                  m.name, p.code, p.name
         ORDER BY page.sort_key, page.municipality_code, page.name, page.id",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine,
        sign,
        key.number(),
        limit,
        offset
    )
    .fetch_all(conn)
    .await
}

/// How many sites R308 lists for `region` and `vaccine`: those handling it or that registered it.
pub async fn site_count(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<i64> {
    // Without a region (the country) neither this nor [`latest_sums`] joins: the count probes
    // each site's vaccines once, and the sums read the summary alone.
    checked_scalar!(
        "SELECT CAST(COUNT(*) AS BIGINT)
         FROM sites s
         WHERE (CAST($1 AS BIGINT) IS NULL
                OR s.municipality_code IN (SELECT code FROM municipalities
                                           WHERE prefecture_code = $1))
           AND (CAST($2 AS TEXT) IS NULL OR s.municipality_code = $2)
           AND (CAST($3 AS BIGINT) IS NULL OR s.id = $3)
           AND (EXISTS (SELECT 1 FROM site_vaccines v WHERE v.site_id = s.id
                        AND (CAST($4 AS TEXT) IS NULL OR v.vaccine_code = $4))
                OR EXISTS (SELECT 1 FROM vaccination_records r WHERE r.site_id = s.id
                           AND (CAST($4 AS TEXT) IS NULL OR r.vaccine_code = $4)))",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine
    )
    .fetch_one(conn)
    .await
}

/// The sum of the latest cumulatives of `region`'s sites (R308's totals without a period).
pub async fn latest_sums(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<StoredCells> {
    checked_query_as!(
        StoredCells,
        "SELECT CAST(COALESCE(SUM(r.d1_medical), 0) AS BIGINT) AS d1_medical,
                CAST(COALESCE(SUM(r.d1_elderly), 0) AS BIGINT) AS d1_elderly,
                CAST(COALESCE(SUM(r.d1_underlying), 0) AS BIGINT) AS d1_underlying,
                CAST(COALESCE(SUM(r.d1_facility_staff), 0) AS BIGINT) AS d1_facility_staff,
                CAST(COALESCE(SUM(r.d1_other), 0) AS BIGINT) AS d1_other,
                CAST(COALESCE(SUM(r.d2_medical), 0) AS BIGINT) AS d2_medical,
                CAST(COALESCE(SUM(r.d2_elderly), 0) AS BIGINT) AS d2_elderly,
                CAST(COALESCE(SUM(r.d2_underlying), 0) AS BIGINT) AS d2_underlying,
                CAST(COALESCE(SUM(r.d2_facility_staff), 0) AS BIGINT) AS d2_facility_staff,
                CAST(COALESCE(SUM(r.d2_other), 0) AS BIGINT) AS d2_other
         FROM record_latest r
         WHERE (CAST($4 AS TEXT) IS NULL OR r.vaccine_code = $4)
           AND (CAST($3 AS BIGINT) IS NULL OR r.site_id = $3)
           AND ((CAST($1 AS BIGINT) IS NULL AND CAST($2 AS TEXT) IS NULL)
                OR r.site_id IN (SELECT s.id FROM sites s
                                 JOIN municipalities m ON m.code = s.municipality_code
                                 WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
                                   AND (CAST($2 AS TEXT) IS NULL
                                        OR s.municipality_code = $2)))",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine
    )
    .fetch_one(conn)
    .await
}

/// The people vaccinated in a period at `region`'s sites, summed (R308's totals for a period): the
/// cumulatives registered by `until` (the latest when none) less those registered by `before`.
pub async fn period_sums(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
    until: Option<&str>,
    before: Option<&str>,
) -> sqlx::Result<StoredCells> {
    checked_query_as!(
        StoredCells,
        "SELECT CAST(COALESCE(SUM(e.d1_medical), 0) - COALESCE(SUM(b.d1_medical), 0) AS BIGINT)
                    AS d1_medical,
                CAST(COALESCE(SUM(e.d1_elderly), 0) - COALESCE(SUM(b.d1_elderly), 0) AS BIGINT)
                    AS d1_elderly,
                CAST(COALESCE(SUM(e.d1_underlying), 0) - COALESCE(SUM(b.d1_underlying), 0)
                     AS BIGINT) AS d1_underlying,
                CAST(COALESCE(SUM(e.d1_facility_staff), 0)
                     - COALESCE(SUM(b.d1_facility_staff), 0) AS BIGINT) AS d1_facility_staff,
                CAST(COALESCE(SUM(e.d1_other), 0) - COALESCE(SUM(b.d1_other), 0) AS BIGINT)
                    AS d1_other,
                CAST(COALESCE(SUM(e.d2_medical), 0) - COALESCE(SUM(b.d2_medical), 0) AS BIGINT)
                    AS d2_medical,
                CAST(COALESCE(SUM(e.d2_elderly), 0) - COALESCE(SUM(b.d2_elderly), 0) AS BIGINT)
                    AS d2_elderly,
                CAST(COALESCE(SUM(e.d2_underlying), 0) - COALESCE(SUM(b.d2_underlying), 0)
                     AS BIGINT) AS d2_underlying,
                CAST(COALESCE(SUM(e.d2_facility_staff), 0)
                     - COALESCE(SUM(b.d2_facility_staff), 0) AS BIGINT) AS d2_facility_staff,
                CAST(COALESCE(SUM(e.d2_other), 0) - COALESCE(SUM(b.d2_other), 0) AS BIGINT)
                    AS d2_other
         FROM (SELECT k.site_id, k.vaccine_code,
                      CASE WHEN CAST($5 AS TEXT) IS NULL OR k.administered_on <= $5
                           THEN k.administered_on
                           ELSE (SELECT MAX(l.administered_on) FROM vaccination_records l
                                 WHERE l.site_id = k.site_id
                                   AND l.vaccine_code = k.vaccine_code
                                   AND l.administered_on <= $5) END AS until_day,
                      (SELECT MAX(l.administered_on) FROM vaccination_records l
                       WHERE l.site_id = k.site_id AND l.vaccine_code = k.vaccine_code
                         AND l.administered_on <= $6) AS before_day
               FROM record_latest k
               WHERE (CAST($4 AS TEXT) IS NULL OR k.vaccine_code = $4)
                 AND (CAST($3 AS BIGINT) IS NULL OR k.site_id = $3)
                 AND ((CAST($1 AS BIGINT) IS NULL AND CAST($2 AS TEXT) IS NULL)
                      OR k.site_id IN (SELECT s.id FROM sites s
                                       JOIN municipalities m ON m.code = s.municipality_code
                                       WHERE (CAST($1 AS BIGINT) IS NULL
                                              OR m.prefecture_code = $1)
                                         AND (CAST($2 AS TEXT) IS NULL
                                              OR s.municipality_code = $2)))) d
         LEFT JOIN vaccination_records e ON e.site_id = d.site_id
              AND e.vaccine_code = d.vaccine_code AND e.administered_on = d.until_day
         LEFT JOIN vaccination_records b ON b.site_id = d.site_id
              AND b.vaccine_code = d.vaccine_code AND b.administered_on = d.before_day",
        region.prefecture,
        region.municipality.as_deref(),
        region.site,
        vaccine,
        until,
        before
    )
    .fetch_one(conn)
    .await
}

/// 1回目 and 2回目 people on one 接種日 (the day's cumulatives less the previous ones).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DayDoses {
    pub administered_on: String,
    pub d1: i64,
    pub d2: i64,
}

/// The doses per 接種日 in `region` (not one site: see [`site_cumulatives`]), every vaccine or
/// one, from the per-municipality summary kept by the registrations' trigger, in date order.
pub async fn daily_doses(
    conn: &mut AnyConnection,
    region: &Region,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<DayDoses>> {
    checked_query_as!(
        DayDoses,
        "SELECT d.administered_on, CAST(SUM(d.d1) AS BIGINT) AS d1, CAST(SUM(d.d2) AS BIGINT) AS d2
         FROM record_daily d
         JOIN municipalities m ON m.code = d.municipality_code
         WHERE (CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1)
           AND (CAST($2 AS TEXT) IS NULL OR d.municipality_code = $2)
           AND (CAST($3 AS TEXT) IS NULL OR d.vaccine_code = $3)
         GROUP BY d.administered_on
         ORDER BY d.administered_on",
        region.prefecture,
        region.municipality.as_deref(),
        vaccine
    )
    .fetch_all(conn)
    .await
}

/// One site's cumulatives per vaccine and 接種日 (1回目 and 2回目 over every group), by vaccine
/// and date: the doses of its days are their differences.
pub async fn site_cumulatives(
    conn: &mut AnyConnection,
    site: i64,
    vaccine: Option<&str>,
) -> sqlx::Result<Vec<(String, DayDoses)>> {
    #[derive(FromRow)]
    struct Row {
        vaccine_code: String,
        #[sqlx(flatten)]
        day: DayDoses,
    }
    let rows = checked_query_as!(
        Row,
        "SELECT vaccine_code, administered_on,
                CAST(d1_medical + d1_elderly + d1_underlying + d1_facility_staff + d1_other
                     AS BIGINT) AS d1,
                CAST(d2_medical + d2_elderly + d2_underlying + d2_facility_staff + d2_other
                     AS BIGINT) AS d2
         FROM vaccination_records
         WHERE site_id = $1 AND (CAST($2 AS TEXT) IS NULL OR vaccine_code = $2)
         ORDER BY vaccine_code, administered_on",
        site,
        vaccine
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.vaccine_code, r.day)).collect())
}
