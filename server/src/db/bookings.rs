//! 予約受付支援: a site's hourly slots and the bookings its municipality takes into them.

use super::{StoredDate, StoredFlag, StoredOptionalDate, StoredOptionalTime};
use app::domain::{dose_number, NewBooking};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, FromRow};

/// One hourly slot.
#[derive(Debug, Clone, FromRow)]
pub struct SlotRecord {
    pub id: i64,
    pub hour: i64,
    pub capacity: i64,
    pub booked: i64,
}

/// One booking with its slot's site, date and hour.
#[derive(Debug, Clone, FromRow)]
pub struct BookingRecord {
    pub id: i64,
    pub slot_id: i64,
    pub site_id: i64,
    #[sqlx(try_from = "StoredDate")]
    pub day: NaiveDate,
    pub hour: i64,
    pub municipality_code: String,
    pub vaccine_code: String,
    pub vaccine_name: String,
    pub dose: i64,
    pub ticket_number: Option<String>,
    pub name: String,
    pub kana: String,
    #[sqlx(try_from = "StoredOptionalDate")]
    pub birth_date: Option<NaiveDate>,
    pub phone: String,
    pub status: String,
    #[sqlx(try_from = "StoredOptionalTime")]
    pub anonymised_at: Option<DateTime<Utc>>,
}

/// A site whose bookings its municipality takes, with its places from a date on.
#[derive(Debug, Clone, FromRow)]
pub struct BookingSiteRecord {
    pub id: i64,
    pub name: String,
    pub capacity: i64,
    pub booked: i64,
}

/// Whether the site's approved 代行入力フラグ is 要.
pub async fn takes_bookings(conn: &mut AnyConnection, site_id: i64) -> sqlx::Result<bool> {
    let flag: Option<StoredFlag> =
        checked_scalar!("SELECT proxy_booking FROM sites WHERE id = $1", site_id)
            .fetch_optional(conn)
            .await?;
    Ok(flag.is_some_and(bool::from))
}

/// The site's slots of `day`, by hour.
pub async fn slots_of_day(
    conn: &mut AnyConnection,
    site_id: i64,
    day: NaiveDate,
) -> sqlx::Result<Vec<SlotRecord>> {
    checked_query_as!(
        SlotRecord,
        "SELECT id, hour, capacity, booked FROM booking_slots
         WHERE site_id = $1 AND day = $2 ORDER BY hour",
        site_id,
        day.to_string()
    )
    .fetch_all(conn)
    .await
}

/// The site's next dates with slots from `from` on (at most 14), with their free places.
pub async fn coming_days(
    conn: &mut AnyConnection,
    site_id: i64,
    from: NaiveDate,
) -> sqlx::Result<Vec<(String, i64)>> {
    checked_query_as!(
        (String, i64),
        "SELECT day, CAST(SUM(capacity - booked) AS BIGINT) FROM booking_slots
         WHERE site_id = $1 AND day >= $2 GROUP BY day ORDER BY day LIMIT 14",
        site_id,
        from.to_string()
    )
    .fetch_all(conn)
    .await
}

/// Adds a slot.
pub async fn insert_slot(
    conn: &mut AnyConnection,
    site_id: i64,
    day: NaiveDate,
    hour: u8,
    capacity: u32,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO booking_slots (site_id, day, hour, capacity) VALUES ($1, $2, $3, $4)",
        site_id,
        day.to_string(),
        i64::from(hour),
        i64::from(capacity)
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets a slot's places unless more people are booked; false when they are.
pub async fn resize_slot(conn: &mut AnyConnection, id: i64, capacity: u32) -> sqlx::Result<bool> {
    let capacity = i64::from(capacity);
    let changed = checked_query!(
        "UPDATE booking_slots SET capacity = $1 WHERE id = $2 AND booked <= $1",
        capacity,
        id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Removes a slot nobody is booked into (with the cancelled bookings that pointed at it);
/// false when someone is booked.
pub async fn remove_slot(conn: &mut AnyConnection, id: i64) -> sqlx::Result<bool> {
    let booked: Option<i64> = checked_scalar!("SELECT booked FROM booking_slots WHERE id = $1", id)
        .fetch_optional(&mut *conn)
        .await?;
    if booked != Some(0) {
        return Ok(false);
    }
    checked_query!(
        "DELETE FROM bookings WHERE slot_id = $1 AND status = 'cancelled'",
        id
    )
    .execute(&mut *conn)
    .await?;
    let removed = checked_query!("DELETE FROM booking_slots WHERE id = $1 AND booked = 0", id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(removed == 1)
}

/// The slot of the site at `day` and `hour`.
pub async fn slot_at(
    conn: &mut AnyConnection,
    site_id: i64,
    day: NaiveDate,
    hour: u8,
) -> sqlx::Result<Option<SlotRecord>> {
    checked_query_as!(
        SlotRecord,
        "SELECT id, hour, capacity, booked FROM booking_slots
         WHERE site_id = $1 AND day = $2 AND hour = $3",
        site_id,
        day.to_string(),
        i64::from(hour)
    )
    .fetch_optional(conn)
    .await
}

/// Takes one place of the slot; false when it is full. One conditional UPDATE, so that two
/// simultaneous bookings cannot both take the last place (PostgreSQL re-checks the condition
/// after the row lock; SQLite has one writer at a time).
pub async fn take_place(conn: &mut AnyConnection, slot_id: i64) -> sqlx::Result<bool> {
    let taken = checked_query!(
        "UPDATE booking_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity",
        slot_id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(taken == 1)
}

/// Gives one place of the slot back.
pub async fn free_place(conn: &mut AnyConnection, slot_id: i64) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE booking_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0",
        slot_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a booking in `slot_id`; returns its id. A 接種券番号 already booked for the vaccine
/// and dose in the municipality is a unique violation.
pub async fn insert_booking(
    conn: &mut AnyConnection,
    slot_id: i64,
    municipality: &str,
    b: &NewBooking,
    at: DateTime<Utc>,
    user_id: i64,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO bookings (slot_id, municipality_code, vaccine_code, dose, ticket_number,
                name, kana, birth_date, phone, status, created_at, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'booked', $10, $11, $10) RETURNING id",
        slot_id,
        municipality,
        &b.vaccine,
        dose_number(b.dose),
        b.ticket_number.as_str(),
        &b.name,
        b.kana.as_str(),
        b.birth_date.to_string(),
        &b.phone,
        at.timestamp(),
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Rewrites a live booking (possibly into another slot).
pub async fn update_booking(
    conn: &mut AnyConnection,
    id: i64,
    slot_id: i64,
    b: &NewBooking,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "UPDATE bookings SET slot_id = $1, vaccine_code = $2, dose = $3, ticket_number = $4,
            name = $5, kana = $6, birth_date = $7, phone = $8, updated_at = $9
         WHERE id = $10 AND status = 'booked'",
        slot_id,
        &b.vaccine,
        dose_number(b.dose),
        b.ticket_number.as_str(),
        &b.name,
        b.kana.as_str(),
        b.birth_date.to_string(),
        &b.phone,
        at.timestamp(),
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Cancels a live booking; false when it was not live.
pub async fn cancel(conn: &mut AnyConnection, id: i64, at: DateTime<Utc>) -> sqlx::Result<bool> {
    let cancelled = checked_query!(
        "UPDATE bookings SET status = 'cancelled', updated_at = $1
         WHERE id = $2 AND status = 'booked'",
        at.timestamp(),
        id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(cancelled == 1)
}

/// [`checked_query_as!`] for [`BookingRecord`], followed by `$tail` (WHERE and ORDER BY).
macro_rules! booking_query {
    ($tail:literal $(, $arg:expr)*) => {
        checked_query_as!(
            BookingRecord,
            "SELECT b.id, b.slot_id, sl.site_id, sl.day, sl.hour, b.municipality_code,
                b.vaccine_code, v.name_ja AS vaccine_name, b.dose, b.ticket_number, b.name, b.kana,
                b.birth_date, b.phone, b.status, b.anonymised_at
             FROM bookings b
             JOIN booking_slots sl ON sl.id = b.slot_id
             JOIN vaccines v ON v.code = b.vaccine_code "
                + $tail
            $(, $arg)*
        )
    };
}

/// One booking.
pub async fn booking(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<BookingRecord>> {
    booking_query!("WHERE b.id = $1", id)
        .fetch_optional(conn)
        .await
}

/// The live bookings of the site on `day`, by hour, then ふりがな.
pub async fn bookings_of_day(
    conn: &mut AnyConnection,
    site_id: i64,
    day: NaiveDate,
) -> sqlx::Result<Vec<BookingRecord>> {
    booking_query!(
        "WHERE sl.site_id = $1 AND sl.day = $2 AND b.status = 'booked'
         ORDER BY sl.hour, b.kana, b.id",
        site_id,
        day.to_string()
    )
    .fetch_all(conn)
    .await
}

/// The municipality's sites whose bookings it takes, with their places from `from` on.
pub async fn booking_sites(
    conn: &mut AnyConnection,
    municipality: &str,
    from: NaiveDate,
) -> sqlx::Result<Vec<BookingSiteRecord>> {
    checked_query_as!(
        BookingSiteRecord,
        "SELECT s.id, s.name,
            CAST(COALESCE(SUM(sl.capacity), 0) AS BIGINT) AS capacity,
            CAST(COALESCE(SUM(sl.booked), 0) AS BIGINT) AS booked
         FROM sites s
         LEFT JOIN booking_slots sl ON sl.site_id = s.id AND sl.day >= $2
         WHERE s.municipality_code = $1 AND s.proxy_booking = 1
         GROUP BY s.id, s.name ORDER BY s.name, s.id",
        municipality,
        from.to_string()
    )
    .fetch_all(conn)
    .await
}

/// Erases the personal data of every booking whose slot's date is before `before` (the
/// retention period's start): the names, the phone number and the ticket number become empty and
/// the birth date NULL. Returns how many bookings were erased.
pub async fn erase_before(
    conn: &mut AnyConnection,
    before: NaiveDate,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let erased = checked_query!(
        "UPDATE bookings SET name = '', kana = '', birth_date = NULL, phone = '',
            ticket_number = NULL, anonymised_at = $1
         WHERE anonymised_at IS NULL
           AND slot_id IN (SELECT id FROM booking_slots WHERE day < $2)",
        at.timestamp(),
        before.to_string()
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(erased)
}
