//! 請求: unit prices, bills and their lines, and what each reader sees of them.

use super::{StoredDate, StoredFlag, StoredOptionalTime};
use app::domain::billing::{
    BillCounts, BillStatus, BillingMonth, CodeChoice, CodeSide, UnitPrices,
};
use app::domain::Choice as _;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, FromRow};

/// A stored unit price.
#[derive(Debug, Clone, FromRow)]
pub struct PriceRecord {
    #[sqlx(try_from = "StoredDate")]
    pub applies_from: NaiveDate,
    pub vaccination: i64,
    pub screening_only: i64,
    pub after_hours: i64,
    pub holiday: i64,
}

impl From<PriceRecord> for UnitPrices {
    fn from(p: PriceRecord) -> Self {
        UnitPrices {
            applies_from: p.applies_from,
            vaccination: p.vaccination,
            screening_only: p.screening_only,
            after_hours: p.after_hours,
            holiday: p.holiday,
        }
    }
}

/// Every unit price, earliest first.
pub async fn prices(conn: &mut AnyConnection) -> sqlx::Result<Vec<UnitPrices>> {
    let rows = checked_query_as!(
        PriceRecord,
        "SELECT applies_from, vaccination, screening_only, after_hours, holiday
         FROM unit_prices ORDER BY applies_from"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(UnitPrices::from).collect())
}

/// Stores the prices applying from their day (replacing those of the same day).
pub async fn save_price(
    conn: &mut AnyConnection,
    p: &UnitPrices,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO unit_prices (applies_from, vaccination, screening_only, after_hours, holiday,
                                  updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (applies_from) DO UPDATE SET
             vaccination = excluded.vaccination, screening_only = excluded.screening_only,
             after_hours = excluded.after_hours, holiday = excluded.holiday,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        p.applies_from.to_string(),
        p.vaccination,
        p.screening_only,
        p.after_hours,
        p.holiday,
        at.timestamp(),
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored bill.
#[derive(Debug, Clone, FromRow)]
pub struct BillRecord {
    pub id: i64,
    pub site_id: i64,
    #[sqlx(try_from = "String")]
    pub month: BillingMonth,
    #[sqlx(try_from = "String")]
    pub status: BillStatus,
    #[sqlx(try_from = "String")]
    pub code_choice: CodeChoice,
    pub insurance_code: String,
    pub care_code: String,
    pub insurance_code_new: String,
    pub care_code_new: String,
    #[sqlx(try_from = "StoredFlag")]
    pub difference_acknowledged: bool,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub submitted_at: Option<DateTime<Utc>>,
    pub batch_month: Option<String>,
    #[sqlx(try_from = "StoredFlag")]
    pub late: bool,
    pub return_comment: String,
    pub returned_by_name: Option<String>,
}

/// The bill of `site_id` for `month`, if one was saved.
pub async fn bill(
    conn: &mut AnyConnection,
    site_id: i64,
    month: BillingMonth,
) -> sqlx::Result<Option<BillRecord>> {
    checked_query_as!(
        BillRecord,
        "SELECT b.id, b.site_id, b.month, b.status, b.code_choice, b.insurance_code, b.care_code,
                b.insurance_code_new, b.care_code_new, b.difference_acknowledged, b.submitted_at,
                b.batch_month, b.late, b.return_comment, m.name AS returned_by_name
         FROM bills b LEFT JOIN municipalities m ON m.code = b.returned_by
         WHERE b.site_id = $1 AND b.month = $2",
        site_id,
        month.to_string()
    )
    .fetch_optional(conn)
    .await
}

/// The site and month of bill `id`.
pub async fn site_and_month(
    conn: &mut AnyConnection,
    id: i64,
) -> sqlx::Result<Option<(i64, String)>> {
    checked_query_as!(
        (i64, String),
        "SELECT site_id, month FROM bills WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// What a save writes on the bill itself.
pub struct BillHead<'a> {
    pub site_id: i64,
    pub month: BillingMonth,
    pub code_choice: CodeChoice,
    pub codes: [&'a str; 4],
    pub difference_acknowledged: bool,
}

/// Creates or updates the bill (its status unchanged, a new one a draft); returns its id.
pub async fn save_head(
    conn: &mut AnyConnection,
    head: &BillHead<'_>,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO bills (site_id, month, status, code_choice, insurance_code, care_code,
                            insurance_code_new, care_code_new, difference_acknowledged,
                            updated_at, updated_by)
         VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (site_id, month) DO UPDATE SET
             code_choice = excluded.code_choice, insurance_code = excluded.insurance_code,
             care_code = excluded.care_code, insurance_code_new = excluded.insurance_code_new,
             care_code_new = excluded.care_code_new,
             difference_acknowledged = excluded.difference_acknowledged,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by
         RETURNING id",
        head.site_id,
        head.month.to_string(),
        head.code_choice.as_str(),
        head.codes[0],
        head.codes[1],
        head.codes[2],
        head.codes[3],
        i64::from(head.difference_acknowledged),
        at.timestamp(),
        user_id
    )
    .fetch_one(conn)
    .await
}

/// A line as stored.
#[derive(Debug, Clone, FromRow)]
pub struct LineRecord {
    #[sqlx(try_from = "StoredDate")]
    pub part_from: NaiveDate,
    pub residence_code: String,
    pub residence_name: String,
    pub first_doses: i64,
    pub second_doses: i64,
    pub screening_only: i64,
    pub after_hours: i64,
    pub holiday: i64,
}

impl LineRecord {
    /// The counts (stored non-negative, each at most the form's limit).
    pub fn counts(&self) -> BillCounts {
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        BillCounts {
            first: count(self.first_doses),
            second: count(self.second_doses),
            screening_only: count(self.screening_only),
            after_hours: count(self.after_hours),
            holiday: count(self.holiday),
        }
    }
}

/// The lines of bill `id`, by part and municipality code.
pub async fn lines(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Vec<LineRecord>> {
    checked_query_as!(
        LineRecord,
        "SELECT l.part_from, l.residence_code, p.name || m.name AS residence_name, l.first_doses,
                l.second_doses, l.screening_only, l.after_hours, l.holiday
         FROM bill_lines l
         JOIN municipalities m ON m.code = l.residence_code
         JOIN prefectures p ON p.code = m.prefecture_code
         WHERE l.bill_id = $1
         ORDER BY l.part_from, l.residence_code",
        id
    )
    .fetch_all(conn)
    .await
}

/// A line to store, priced.
pub struct NewLine<'a> {
    pub part_from: NaiveDate,
    pub residence: &'a str,
    pub code: CodeSide,
    pub counts: BillCounts,
    pub amount: i64,
}

/// Replaces every line of bill `id`.
pub async fn replace_lines(
    conn: &mut AnyConnection,
    id: i64,
    lines: &[NewLine<'_>],
) -> sqlx::Result<()> {
    checked_query!("DELETE FROM bill_lines WHERE bill_id = $1", id)
        .execute(&mut *conn)
        .await?;
    for line in lines {
        checked_query!(
            "INSERT INTO bill_lines (bill_id, part_from, residence_code, code_side, first_doses,
                                     second_doses, screening_only, after_hours, holiday, amount)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            id,
            line.part_from.to_string(),
            line.residence,
            code_name(line.code),
            i64::from(line.counts.first),
            i64::from(line.counts.second),
            i64::from(line.counts.screening_only),
            i64::from(line.counts.after_hours),
            i64::from(line.counts.holiday),
            line.amount
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

fn code_name(code: CodeSide) -> &'static str {
    match code {
        CodeSide::Old => "old",
        CodeSide::New => "new",
    }
}

/// 提出: locks bill `id` into `batch`, late or not.
pub async fn submit(
    conn: &mut AnyConnection,
    id: i64,
    at: DateTime<Utc>,
    batch: BillingMonth,
    late: bool,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE bills SET status = 'submitted', submitted_at = $1, batch_month = $2, late = $3
         WHERE id = $4",
        at.timestamp(),
        batch.to_string(),
        i64::from(late),
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// 差戻し: `municipality` returns bill `id` with `comment`; the site corrects and resubmits.
pub async fn return_bill(
    conn: &mut AnyConnection,
    id: i64,
    municipality: &str,
    comment: &str,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE bills SET status = 'returned', return_comment = $1, returned_by = $2,
                          returned_at = $3, updated_at = $3, updated_by = $4
         WHERE id = $5",
        comment,
        municipality,
        at.timestamp(),
        user_id,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether bill `id` has a line addressed to `municipality`.
pub async fn addressed_to(
    conn: &mut AnyConnection,
    id: i64,
    municipality: &str,
) -> sqlx::Result<bool> {
    let found: Option<i64> = checked_scalar!(
        "SELECT bill_id FROM bill_lines WHERE bill_id = $1 AND residence_code = $2 LIMIT 1",
        id,
        municipality
    )
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// A bill in a list: its site, status and total.
#[derive(Debug, Clone, FromRow)]
pub struct BillSummary {
    pub site_id: i64,
    pub site_name: String,
    pub bill_id: Option<i64>,
    pub month: Option<String>,
    pub status: Option<String>,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub submitted_at: Option<DateTime<Utc>>,
    pub batch_month: Option<String>,
    pub late: Option<i64>,
    pub amount: i64,
}

/// The bills of one site, newest month first.
pub async fn site_bills(conn: &mut AnyConnection, site_id: i64) -> sqlx::Result<Vec<BillSummary>> {
    checked_query_as!(
        BillSummary,
        "SELECT s.id AS site_id, s.name AS site_name, b.id AS bill_id, b.month, b.status,
                b.submitted_at, b.batch_month, b.late,
                CAST(COALESCE((SELECT SUM(l.amount) FROM bill_lines l WHERE l.bill_id = b.id), 0)
                     AS BIGINT) AS amount
         FROM bills b JOIN sites s ON s.id = b.site_id
         WHERE b.site_id = $1
         ORDER BY b.month DESC",
        site_id
    )
    .fetch_all(conn)
    .await
}

/// Every site of `municipality` with its bill for `month` (none when it has not started one).
pub async fn municipality_bills(
    conn: &mut AnyConnection,
    municipality: &str,
    month: BillingMonth,
) -> sqlx::Result<Vec<BillSummary>> {
    checked_query_as!(
        BillSummary,
        "SELECT s.id AS site_id, s.name AS site_name, b.id AS bill_id, b.month, b.status,
                b.submitted_at, b.batch_month, b.late,
                CAST(COALESCE((SELECT SUM(l.amount) FROM bill_lines l WHERE l.bill_id = b.id), 0)
                     AS BIGINT) AS amount
         FROM sites s LEFT JOIN bills b ON b.site_id = s.id AND b.month = $2
         WHERE s.municipality_code = $1
         ORDER BY s.name, s.id",
        municipality,
        month.to_string()
    )
    .fetch_all(conn)
    .await
}

/// A 市区町村別請求書 addressed to a municipality of residence: one submitted (or returned)
/// bill's lines for it under one code, summed, with the site that sent it.
#[derive(Debug, Clone, FromRow)]
pub struct AddressedRecord {
    pub bill_id: i64,
    pub site_id: i64,
    pub site_name: String,
    pub site_municipality: String,
    pub status: String,
    pub code_side: String,
    pub insurance_code: String,
    pub care_code: String,
    pub insurance_code_new: String,
    pub care_code_new: String,
    pub batch_month: Option<String>,
    #[sqlx(try_from = "StoredFlag")]
    pub late: bool,
    pub first_doses: i64,
    pub second_doses: i64,
    pub screening_only: i64,
    pub after_hours: i64,
    pub holiday: i64,
    pub amount: i64,
}

/// The bills for `month` addressed to `residence`, from any site in Japan, with only its own
/// lines; drafts are the site's own business and are left out.
pub async fn addressed_bills(
    conn: &mut AnyConnection,
    residence: &str,
    month: BillingMonth,
) -> sqlx::Result<Vec<AddressedRecord>> {
    checked_query_as!(
        AddressedRecord,
        "SELECT b.id AS bill_id, s.id AS site_id, s.name AS site_name,
                p.name || m.name AS site_municipality, b.status, l.code_side, b.insurance_code,
                b.care_code, b.insurance_code_new, b.care_code_new, b.batch_month, b.late,
                CAST(SUM(l.first_doses) AS BIGINT) AS first_doses,
                CAST(SUM(l.second_doses) AS BIGINT) AS second_doses,
                CAST(SUM(l.screening_only) AS BIGINT) AS screening_only,
                CAST(SUM(l.after_hours) AS BIGINT) AS after_hours,
                CAST(SUM(l.holiday) AS BIGINT) AS holiday,
                CAST(SUM(l.amount) AS BIGINT) AS amount
         FROM bill_lines l
         JOIN bills b ON b.id = l.bill_id
         JOIN sites s ON s.id = b.site_id
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN prefectures p ON p.code = m.prefecture_code
         WHERE l.residence_code = $1 AND b.month = $2 AND b.status <> 'draft'
         GROUP BY b.id, s.id, s.name, p.name, m.name, b.status, l.code_side, b.insurance_code,
                  b.care_code, b.insurance_code_new, b.care_code_new, b.batch_month, b.late
         ORDER BY s.name, b.id, l.code_side DESC",
        residence,
        month.to_string()
    )
    .fetch_all(conn)
    .await
}

/// One municipality's line of an area's totals for a month.
#[derive(Debug, Clone, FromRow)]
pub struct AreaTotal {
    pub municipality_code: String,
    pub municipality_name: String,
    pub sites: i64,
    pub submitted: i64,
    pub late: i64,
    pub amount: i64,
}

/// Per municipality of the area (one prefecture, or the country when none): its sites, how
/// many submitted their bill for `month` (late ones counted apart), and the amount submitted.
pub async fn area_totals(
    conn: &mut AnyConnection,
    prefecture: Option<i64>,
    month: BillingMonth,
) -> sqlx::Result<Vec<AreaTotal>> {
    checked_query_as!(
        AreaTotal,
        "SELECT m.code AS municipality_code, p.name || m.name AS municipality_name,
                CAST(COUNT(s.id) AS BIGINT) AS sites,
                CAST(COUNT(b.id) AS BIGINT) AS submitted,
                CAST(COALESCE(SUM(b.late), 0) AS BIGINT) AS late,
                CAST(COALESCE(SUM((SELECT SUM(l.amount) FROM bill_lines l
                                   WHERE l.bill_id = b.id)), 0) AS BIGINT) AS amount
         FROM municipalities m
         JOIN prefectures p ON p.code = m.prefecture_code
         JOIN sites s ON s.municipality_code = m.code
         LEFT JOIN bills b ON b.site_id = s.id AND b.month = $2 AND b.status = 'submitted'
         WHERE CAST($1 AS BIGINT) IS NULL OR m.prefecture_code = $1
         GROUP BY m.code, p.name, m.name
         ORDER BY m.code",
        prefecture,
        month.to_string()
    )
    .fetch_all(conn)
    .await
}

/// 1回目 and 2回目 people the site recorded in 接種実績 by `day` (its latest cumulative per
/// vaccine on or before it, summed over vaccines and groups).
pub async fn recorded_by(
    conn: &mut AnyConnection,
    site_id: i64,
    day: NaiveDate,
) -> sqlx::Result<(i64, i64)> {
    checked_query_as!(
        (i64, i64),
        "SELECT CAST(COALESCE(SUM(r.d1_medical + r.d1_elderly + r.d1_underlying
                                  + r.d1_facility_staff + r.d1_other), 0) AS BIGINT) AS first_doses,
                CAST(COALESCE(SUM(r.d2_medical + r.d2_elderly + r.d2_underlying
                                  + r.d2_facility_staff + r.d2_other), 0) AS BIGINT)
                    AS second_doses
         FROM vaccination_records r
         WHERE r.site_id = $1
           AND r.administered_on = (SELECT MAX(l.administered_on) FROM vaccination_records l
                                    WHERE l.site_id = r.site_id
                                      AND l.vaccine_code = r.vaccine_code
                                      AND l.administered_on <= $2)",
        site_id,
        day.to_string()
    )
    .fetch_one(conn)
    .await
}
