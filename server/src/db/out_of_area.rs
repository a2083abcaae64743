//! 住所地外接種: applications of people vaccinated outside the municipality where they live.

use super::StoredDate;
use app::domain::{ApplicationStatus, CheckedFilter, NewApplication, OutOfAreaReason};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, FromRow};

/// One application, with the names of both municipalities.
#[derive(Debug, Clone, FromRow)]
pub struct ApplicationRecord {
    pub id: i64,
    pub municipality_code: String,
    pub municipality_name: String,
    pub applicant_name: String,
    #[sqlx(try_from = "StoredDate")]
    pub birth_date: NaiveDate,
    pub phone: String,
    pub residence_code: String,
    pub residence_name: String,
    pub residence_prefecture: String,
    #[sqlx(try_from = "String")]
    pub reason: OutOfAreaReason,
    pub reason_note: String,
    #[sqlx(try_from = "StoredDate")]
    pub received_on: NaiveDate,
    #[sqlx(try_from = "String")]
    pub status: ApplicationStatus,
    pub rejection_reason: String,
}

/// Stores an application registered by `municipality`, 受付; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    municipality: &str,
    a: &NewApplication,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO out_of_area_applications (municipality_code, applicant_name, birth_date,
                phone, residence_code, reason, reason_note, received_on, status, created_at,
                created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received', $9, $10) RETURNING id",
        municipality,
        &a.applicant_name,
        a.birth_date.to_string(),
        &a.phone,
        &a.residence,
        app::domain::Choice::as_str(a.reason),
        &a.reason_note,
        a.received_on.to_string(),
        at.timestamp(),
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Records a decision (受理, or 却下 with its reason).
pub async fn decide(
    conn: &mut AnyConnection,
    id: i64,
    status: ApplicationStatus,
    rejection_reason: &str,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE out_of_area_applications
         SET status = $1, rejection_reason = $2, decided_at = $3, decided_by = $4
         WHERE id = $5",
        app::domain::Choice::as_str(status),
        rejection_reason,
        at.timestamp(),
        user_id,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Which side of the applications to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Those the municipality registered (it vaccinates).
    Registered,
    /// Those of its residents, registered elsewhere.
    Residents,
}

/// A municipality's applications on one side, filtered by status and 受付日, newest first.
pub async fn list(
    conn: &mut AnyConnection,
    municipality: &str,
    side: Side,
    filter: &CheckedFilter,
) -> sqlx::Result<Vec<ApplicationRecord>> {
    checked_query_as!(
        ApplicationRecord,
        "SELECT a.id, a.municipality_code, m.name AS municipality_name, a.applicant_name,
                a.birth_date, a.phone, a.residence_code, r.name AS residence_name,
                p.name AS residence_prefecture, a.reason, a.reason_note, a.received_on, a.status,
                a.rejection_reason
         FROM out_of_area_applications a
         JOIN municipalities m ON m.code = a.municipality_code
         JOIN municipalities r ON r.code = a.residence_code
         JOIN prefectures p ON p.code = r.prefecture_code
         WHERE (($2 = 'registered' AND a.municipality_code = $1)
                OR ($2 = 'residents' AND a.residence_code = $1))
           AND (CAST($3 AS TEXT) IS NULL OR a.status = $3)
           AND (CAST($4 AS TEXT) IS NULL OR a.received_on >= $4)
           AND (CAST($5 AS TEXT) IS NULL OR a.received_on <= $5)
         ORDER BY a.received_on DESC, a.id DESC",
        municipality,
        match side {
            Side::Registered => "registered",
            Side::Residents => "residents",
        },
        filter.status.map(app::domain::Choice::as_str),
        filter.from.map(|d| d.to_string()),
        filter.until.map(|d| d.to_string())
    )
    .fetch_all(conn)
    .await
}

/// The municipality that registered an application.
pub async fn owner(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<String>> {
    checked_scalar!(
        "SELECT municipality_code FROM out_of_area_applications WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// Whether `code` is a municipality of the master.
pub async fn is_municipality(conn: &mut AnyConnection, code: &str) -> sqlx::Result<bool> {
    let found: Option<String> =
        checked_scalar!("SELECT code FROM municipalities WHERE code = $1", code)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}
