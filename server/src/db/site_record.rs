//! The site record, its doctors, change requests and history.

use super::{StoredOptionalTime, StoredTime};
use app::api::RequestStatus;
use app::domain::form_fields::choice_name;
use app::domain::{Form, ProxyBooking, SiteForm};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// The stored record: the columns that are searched and the rest of the form as JSON.
#[derive(Debug, Clone, FromRow)]
pub struct SiteRecordRow {
    pub id: i64,
    pub municipality_code: String,
    pub municipality_name: String,
    pub prefecture_name: String,
    pub name: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub facility_class: String,
    pub site_type: String,
    pub basic_site_id: Option<i64>,
    pub reservation_status: String,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub reservation_updated_at: Option<DateTime<Utc>>,
    pub general_public: String,
    pub details: String,
    pub version: i64,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl SiteRecordRow {
    /// The form: the JSON document with the columns laid over it (the columns are the truth
    /// for the fields they hold; sites imported without details still read right). A document
    /// or a column that does not decode is an error, never an empty form a save would write back.
    pub fn form(&self, vaccines: Vec<String>) -> Result<SiteForm, String> {
        let details: SiteForm = serde_json::from_str(&self.details)
            .map_err(|error| format!("site {}: details do not decode: {error}", self.id))?;
        let mut form = SiteForm {
            name: self.name.clone(),
            postal_code: self.postal_code.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            basic_site_id: self
                .basic_site_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            vaccines,
            ..details
        };
        for (key, value) in [
            ("facility_class", &self.facility_class),
            ("site_type", &self.site_type),
            ("reservation_status", &self.reservation_status),
            ("general_public", &self.general_public),
        ] {
            form = form
                .with_value(key, value)
                .map_err(|_| format!("site {}: unknown {key} {value:?}", self.id))?;
        }
        Ok(form)
    }
}

/// One site's record.
pub async fn load(conn: &mut AnyConnection, site_id: i64) -> sqlx::Result<Option<SiteRecordRow>> {
    checked_query_as!(
        SiteRecordRow,
        "SELECT s.id, s.municipality_code, m.name AS municipality_name, p.name AS prefecture_name,
            s.name, s.postal_code, s.address, s.phone, s.facility_class, s.site_type,
            s.basic_site_id, s.reservation_status, s.reservation_updated_at, s.general_public,
            s.details, s.version, s.updated_at
         FROM sites s
         JOIN municipalities m ON m.code = s.municipality_code
         JOIN prefectures p ON p.code = m.prefecture_code
         WHERE s.id = $1",
        site_id
    )
    .fetch_optional(conn)
    .await
}

/// The vaccine codes a site handles, in the order of the vaccine master.
pub async fn vaccines_of(conn: &mut AnyConnection, site_id: i64) -> sqlx::Result<Vec<String>> {
    checked_scalar!(
        "SELECT sv.vaccine_code FROM site_vaccines sv JOIN vaccines v ON v.code = sv.vaccine_code
         WHERE sv.site_id = $1 ORDER BY v.id",
        site_id
    )
    .fetch_all(conn)
    .await
}

/// Every vaccine: code, Japanese and English name, in master order.
pub async fn vaccine_names(
    conn: &mut AnyConnection,
) -> sqlx::Result<Vec<(String, String, String)>> {
    checked_query_as!(
        (String, String, String),
        "SELECT code, name_ja, name_en FROM vaccines ORDER BY id"
    )
    .fetch_all(conn)
    .await
}

/// The basic sites of a municipality other than `except`: those a satellite may name.
pub async fn basic_sites(
    conn: &mut AnyConnection,
    municipality_code: &str,
    except: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    checked_query_as!(
        (i64, String),
        "SELECT id, name FROM sites
         WHERE municipality_code = $1 AND site_type = 'basic' AND id <> $2
         ORDER BY name, id",
        municipality_code,
        except
    )
    .fetch_all(conn)
    .await
}

/// Writes the whole record when its version is still `version`, moving the version on.
/// Returns false (and writes nothing) when someone saved in between.
pub async fn write(
    conn: &mut AnyConnection,
    site_id: i64,
    version: i64,
    form: &SiteForm,
    reservation_changed: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let details = serde_json::to_string(form).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let basic_site_id = form.basic_site_id.parse::<i64>().ok();
    let reservation_at = reservation_changed.then_some(now.timestamp());
    let updated = checked_query!(
        "UPDATE sites SET name = $1, postal_code = $2, address = $3, phone = $4,
            facility_class = $5, site_type = $6, basic_site_id = $7, reservation_status = $8,
            reservation_updated_at = COALESCE($9, reservation_updated_at), general_public = $10,
            details = $11, version = version + 1, updated_at = $12, proxy_booking = $15
         WHERE id = $13 AND version = $14",
        &form.name,
        &form.postal_code,
        &form.address,
        &form.phone,
        choice_name(form.facility_class),
        choice_name(form.site_type),
        basic_site_id,
        choice_name(form.reservation_status),
        reservation_at,
        choice_name(form.general_public),
        details,
        now.timestamp(),
        site_id,
        version,
        i64::from(form.proxy_booking == Some(ProxyBooking::Required))
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated != 1 {
        return Ok(false);
    }
    checked_query!("DELETE FROM site_vaccines WHERE site_id = $1", site_id)
        .execute(&mut *conn)
        .await?;
    for code in &form.vaccines {
        checked_query!(
            "INSERT INTO site_vaccines (site_id, vaccine_code) VALUES ($1, $2)",
            site_id,
            code
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// A stored change request.
#[derive(Debug, Clone, FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub site_id: i64,
    pub site_name: String,
    pub municipality_code: String,
    #[sqlx(try_from = "String")]
    pub status: RequestStatus,
    pub changes: String,
    #[sqlx(try_from = "StoredTime")]
    pub requested_at: DateTime<Utc>,
    pub requested_by: Option<String>,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub comment: String,
}

/// [`checked_query_as!`] for [`RequestRow`], followed by `$tail` (WHERE and ORDER BY).
macro_rules! request_query {
    ($tail:literal $(, $arg:expr)*) => {
        checked_query_as!(
            RequestRow,
            "SELECT r.id, r.site_id, s.name AS site_name, s.municipality_code, r.status, r.changes,
                r.requested_at, ru.display_name AS requested_by, r.decided_at,
                du.display_name AS decided_by, r.comment
             FROM change_requests r
             JOIN sites s ON s.id = r.site_id
             LEFT JOIN users ru ON ru.id = r.requested_by
             LEFT JOIN users du ON du.id = r.decided_by "
                + $tail
            $(, $arg)*
        )
    };
}

/// Files a request; `changes` is the JSON list of field changes.
pub async fn insert_request(
    conn: &mut AnyConnection,
    site_id: i64,
    changes: &str,
    requested_by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO change_requests (site_id, status, changes, requested_by, requested_at)
         VALUES ($1, 'pending', $2, $3, $4) RETURNING id",
        site_id,
        changes,
        requested_by,
        now.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// One request.
pub async fn request(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<RequestRow>> {
    request_query!("WHERE r.id = $1", id)
        .fetch_optional(conn)
        .await
}

/// The pending request of a site, if any.
pub async fn pending_request(
    conn: &mut AnyConnection,
    site_id: i64,
) -> sqlx::Result<Option<RequestRow>> {
    request_query!("WHERE r.site_id = $1 AND r.status = 'pending'", site_id)
        .fetch_optional(conn)
        .await
}

/// The latest decided request of a site, if any.
pub async fn last_decided_request(
    conn: &mut AnyConnection,
    site_id: i64,
) -> sqlx::Result<Option<RequestRow>> {
    request_query!(
        "WHERE r.site_id = $1 AND r.status <> 'pending' ORDER BY r.decided_at DESC, r.id DESC LIMIT 1",
        site_id
    )
    .fetch_optional(conn)
    .await
}

/// The pending requests of a municipality's sites, oldest first.
pub async fn pending_requests_of(
    conn: &mut AnyConnection,
    municipality_code: &str,
) -> sqlx::Result<Vec<RequestRow>> {
    request_query!(
        "WHERE s.municipality_code = $1 AND r.status = 'pending' ORDER BY r.requested_at, r.id",
        municipality_code
    )
    .fetch_all(conn)
    .await
}

/// Records the decision on a pending request; false when it was no longer pending.
pub async fn decide_request(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    decided_by: i64,
    comment: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let updated = checked_query!(
        "UPDATE change_requests SET status = $1, decided_by = $2, decided_at = $3, comment = $4
         WHERE id = $5 AND status = 'pending'",
        status,
        decided_by,
        now.timestamp(),
        comment,
        id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// The e-mail addresses of a site's own active users (to tell them of a decision).
pub async fn site_user_emails(conn: &mut AnyConnection, site_id: i64) -> sqlx::Result<Vec<String>> {
    checked_scalar!(
        "SELECT email FROM users WHERE site_id = $1 AND role = 'site' AND disabled = 0 ORDER BY id",
        site_id
    )
    .fetch_all(conn)
    .await
}

/// A stored doctor.
#[derive(Debug, Clone, FromRow)]
pub struct DoctorRecord {
    pub id: i64,
    pub site_id: i64,
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub email: String,
    pub vaccines: String,
}

/// The doctors of a site, in the order they were added.
pub async fn doctors_of(conn: &mut AnyConnection, site_id: i64) -> sqlx::Result<Vec<DoctorRecord>> {
    checked_query_as!(
        DoctorRecord,
        "SELECT id, site_id, name, kana, phone, email, vaccines FROM doctors WHERE site_id = $1 ORDER BY id",
        site_id
    )
    .fetch_all(conn)
    .await
}

/// A new doctor; returns the id.
pub async fn insert_doctor(
    conn: &mut AnyConnection,
    site_id: i64,
    doctor: &app::domain::DoctorForm,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO doctors (site_id, name, kana, phone, email, vaccines, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        site_id,
        &doctor.name,
        &doctor.kana,
        &doctor.phone,
        &doctor.email,
        doctor.vaccines.join(","),
        now.timestamp()
    )
    .fetch_one(conn)
    .await
}

/// Changes a doctor of `site_id`; false when no such doctor.
pub async fn update_doctor(
    conn: &mut AnyConnection,
    site_id: i64,
    doctor_id: i64,
    doctor: &app::domain::DoctorForm,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let updated = checked_query!(
        "UPDATE doctors SET name = $1, kana = $2, phone = $3, email = $4, vaccines = $5, updated_at = $6
         WHERE id = $7 AND site_id = $8",
        &doctor.name,
        &doctor.kana,
        &doctor.phone,
        &doctor.email,
        doctor.vaccines.join(","),
        now.timestamp(),
        doctor_id,
        site_id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Deletes a doctor of `site_id`; false when no such doctor.
pub async fn delete_doctor(
    conn: &mut AnyConnection,
    site_id: i64,
    doctor_id: i64,
) -> sqlx::Result<bool> {
    let deleted = checked_query!(
        "DELETE FROM doctors WHERE id = $1 AND site_id = $2",
        doctor_id,
        site_id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(deleted == 1)
}

/// One history entry as stored.
#[derive(Debug, Clone, FromRow)]
pub struct HistoryRecord {
    pub id: i64,
    #[sqlx(try_from = "StoredTime")]
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub acting_for: Option<String>,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// The newest `limit` audit rows about a site's record, newest first; with `before_id`, only
/// those older than that audit row (a keyset page: no gaps or repeats while rows are added).
pub async fn history(
    conn: &mut AnyConnection,
    site_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<HistoryRecord>> {
    checked_query_as!(
        HistoryRecord,
        "SELECT a.id, a.at, u.display_name AS actor, s.name AS acting_for, a.field, a.old_value, a.new_value
         FROM audit_log a
         LEFT JOIN users u ON u.id = a.actor_user_id
         LEFT JOIN sites s ON s.id = a.acting_for_site_id
         WHERE a.entity = 'site' AND a.entity_id = $1
           AND (CAST($2 AS BIGINT) IS NULL OR a.id < $2)
         ORDER BY a.id DESC
         LIMIT $3",
        site_id.to_string(),
        before_id,
        limit
    )
    .fetch_all(conn)
    .await
}
