//! 市町村による予約受付支援: the site (or its municipality) sets hourly slots once its
//! 代行入力フラグ = 要 is approved; the municipality books people into them, changes and cancels
//! bookings; the site and its municipality read 予約者一覧 (R305). Bookings hold personal data:
//! no other role and no other municipality reads them, every read of a list is on the audit log,
//! the audit log itself never copies a name or a number, and the retention job erases them.

use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::db::audit::{self, Actor, Change};
use crate::db::bookings::{self as db, BookingRecord, SlotRecord};
use crate::db::{is_unique_violation, master, site_record};
use crate::state::AppState;
use app::api::{BookingList, BookingRow, BookingSite, BookingsApi, SiteRef, SlotDay, SlotRow};
use app::domain::{
    capacity_field, dose_of_number, jst_date, parse_date, BookingForm, CheckedSlots, Dose,
    NewBooking, Role, SlotForm, SLOT_HOURS,
};
use app::error::{AppError, FieldError, FieldErrors};
use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::AnyConnection;

/// Who reads slots and 予約者一覧, and sets slots: the site itself and its municipality.
const SITE_AND_MUNICIPALITY: &[Role] = &[Role::Site, Role::Municipality];

/// Who books, changes and cancels: the municipality.
const MUNICIPALITY: &[Role] = &[Role::Municipality];

#[async_trait::async_trait]
impl BookingsApi for RequestBackend {
    async fn load_slots(&self, site_id: i64, day: String) -> Result<SlotDay, AppError> {
        self.authorize(SITE_AND_MUNICIPALITY, Scope::Site(site_id))
            .await?;
        let now = self.now();
        let day = day_or_today(&day, now)?;
        let mut conn = self.conn().await?;
        slot_day(&mut conn, site_id, day, now).await
    }

    async fn save_slots(&self, site_id: i64, form: SlotForm) -> Result<SlotDay, AppError> {
        let caller = self
            .authorize(SITE_AND_MUNICIPALITY, Scope::Site(site_id))
            .await?;
        let now = self.now();
        let checked = form.validate(jst_date(now)).map_err(AppError::Validation)?;
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        if !db::takes_bookings(&mut tx, site_id)
            .await
            .or_internal("load flag")?
        {
            return Err(AppError::Forbidden);
        }
        let before = db::slots_of_day(&mut tx, site_id, checked.day)
            .await
            .or_internal("load slots")?;
        apply_slots(&mut tx, site_id, &checked, &before).await?;
        let change = Change {
            entity: "site",
            entity_id: site_id.to_string(),
            field: &format!("slots:{}", checked.day),
            old_value: Some(slots_summary(
                before.iter().map(|s| (s.hour, s.capacity)).collect(),
            )),
            new_value: Some(slots_summary(
                checked
                    .capacities
                    .iter()
                    .map(|&(hour, people)| (i64::from(hour), i64::from(people)))
                    .collect(),
            )),
        };
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        slot_day(&mut conn, site_id, checked.day, now).await
    }

    async fn load_bookings(&self, site_id: i64, day: String) -> Result<BookingList, AppError> {
        let caller = self
            .authorize(SITE_AND_MUNICIPALITY, Scope::Site(site_id))
            .await?;
        let now = self.now();
        let day = day_or_today(&day, now)?;
        let mut conn = self.conn().await?;
        read_list(&mut conn, &caller, site_id, day, now).await
    }

    async fn book(&self, site_id: i64, form: BookingForm) -> Result<BookingList, AppError> {
        let caller = self.authorize(MUNICIPALITY, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        if !db::takes_bookings(&mut tx, site_id)
            .await
            .or_internal("load flag")?
        {
            return Err(AppError::Forbidden);
        }
        let booking = checked_booking(&mut tx, site_id, &form, now).await?;
        let slot = open_slot(&mut tx, site_id, &booking).await?;
        take_place(&mut tx, slot.id).await?;
        let site = site_of(&mut tx, site_id).await?;
        let id = db::insert_booking(
            &mut tx,
            slot.id,
            &site.municipality_code,
            &booking,
            now,
            caller.user.id,
        )
        .await;
        let id = ticket_checked(id)?;
        let summary = booking_summary(&booking);
        record_booking(&mut tx, &caller, now, (site_id, id), None, summary).await?;
        let list = read_list(&mut tx, &caller, site_id, booking.day, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(list)
    }

    async fn change_booking(&self, id: i64, form: BookingForm) -> Result<BookingList, AppError> {
        let caller = self.require_role(MUNICIPALITY).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let current = live_booking(&mut tx, id).await?;
        let caller = self
            .within_scope(caller, Scope::Site(current.site_id))
            .await?;
        let booking = checked_booking(&mut tx, current.site_id, &form, now).await?;
        let slot = open_slot(&mut tx, current.site_id, &booking).await?;
        if slot.id != current.slot_id {
            take_place(&mut tx, slot.id).await?;
            db::free_place(&mut tx, current.slot_id)
                .await
                .or_internal("free place")?;
        }
        ticket_checked(db::update_booking(&mut tx, id, slot.id, &booking, now).await)?;
        let (old, new) = (stored_summary(&current), booking_summary(&booking));
        record_booking(&mut tx, &caller, now, (current.site_id, id), Some(old), new).await?;
        let list = read_list(&mut tx, &caller, current.site_id, booking.day, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(list)
    }

    async fn cancel_booking(&self, id: i64) -> Result<BookingList, AppError> {
        let caller = self.require_role(MUNICIPALITY).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let current = live_booking(&mut tx, id).await?;
        let caller = self
            .within_scope(caller, Scope::Site(current.site_id))
            .await?;
        if !db::cancel(&mut tx, id, now)
            .await
            .or_internal("cancel booking")?
        {
            return Err(AppError::NotFound);
        }
        db::free_place(&mut tx, current.slot_id)
            .await
            .or_internal("free place")?;
        let old = stored_summary(&current);
        record_booking(
            &mut tx,
            &caller,
            now,
            (current.site_id, id),
            Some(old),
            "取消".into(),
        )
        .await?;
        let list = read_list(&mut tx, &caller, current.site_id, current.day, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(list)
    }

    async fn load_booking_sites(&self, municipality: String) -> Result<Vec<BookingSite>, AppError> {
        self.authorize(MUNICIPALITY, Scope::Municipality(municipality.clone()))
            .await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let sites = db::booking_sites(&mut conn, &municipality, jst_date(now))
            .await
            .or_internal("load booking sites")?;
        Ok(sites
            .into_iter()
            .map(|s| BookingSite {
                site: SiteRef {
                    id: s.id,
                    name: s.name,
                },
                capacity: count(s.capacity),
                booked: count(s.booked),
            })
            .collect())
    }
}

/// Erases the personal data of the bookings whose slot lies more than the retention period
/// before today (JST), with one audit row of how many, in one transaction. The retention job
/// calls it on its own; returns how many bookings it erased.
pub async fn erase_expired(state: &AppState) -> Result<u64, AppError> {
    let now = state.clock.now();
    let days = Days::new(u64::from(state.config.booking_retention_days));
    let before = jst_date(now)
        .checked_sub_days(days)
        .ok_or("before the calendar's start")
        .or_internal("retention cut-off")?;
    let mut tx = state.db.begin().await.or_internal("begin")?;
    let erased = db::erase_before(&mut tx, before, now)
        .await
        .or_internal("erase bookings")?;
    if erased > 0 {
        let change = Change {
            entity: "bookings",
            entity_id: "retention".into(),
            field: "erased",
            old_value: None,
            new_value: Some(format!("{erased}件（{before}より前の予約）")),
        };
        audit::record(&mut tx, now, Actor::SYSTEM, change)
            .await
            .or_internal("audit")?;
    }
    tx.commit().await.or_internal("commit")?;
    Ok(erased)
}

/// The date the user asked for, or today (JST) when none.
fn day_or_today(day: &str, now: DateTime<Utc>) -> Result<NaiveDate, AppError> {
    if day.trim().is_empty() {
        return Ok(jst_date(now));
    }
    parse_date(day).map_err(|e| AppError::field("day", e))
}

fn count(stored: i64) -> u32 {
    u32::try_from(stored).unwrap_or(0)
}

fn slot_rows(slots: &[SlotRecord]) -> Vec<SlotRow> {
    slots
        .iter()
        .map(|s| SlotRow {
            hour: u8::try_from(s.hour).unwrap_or_default(),
            capacity: count(s.capacity),
            booked: count(s.booked),
        })
        .collect()
}

/// Writes the day's slots as `checked` says: new hours added, changed ones resized, blank ones
/// removed; an hour that would hold fewer places than its bookings is a field error (and, since
/// the caller drops the transaction, nothing is written).
async fn apply_slots(
    conn: &mut AnyConnection,
    site_id: i64,
    checked: &CheckedSlots,
    before: &[SlotRecord],
) -> Result<(), AppError> {
    let mut refused = FieldErrors::new();
    for hour in SLOT_HOURS {
        let wanted = checked
            .capacities
            .iter()
            .find(|(h, _)| *h == hour)
            .map(|&(_, people)| people);
        let existing = before.iter().find(|s| s.hour == i64::from(hour));
        let below = |slot: &SlotRecord| FieldError::BelowBooked {
            booked: count(slot.booked),
        };
        match (wanted, existing) {
            (None, None) => {}
            (Some(people), None) => db::insert_slot(conn, site_id, checked.day, hour, people)
                .await
                .or_internal("add slot")?,
            (Some(people), Some(slot)) if i64::from(people) != slot.capacity => {
                if !db::resize_slot(conn, slot.id, people)
                    .await
                    .or_internal("resize slot")?
                {
                    refused.add(&capacity_field(hour), below(slot));
                }
            }
            (Some(_), Some(_)) => {}
            (None, Some(slot)) => {
                if !db::remove_slot(conn, slot.id)
                    .await
                    .or_internal("remove slot")?
                {
                    refused.add(&capacity_field(hour), below(slot));
                }
            }
        }
    }
    refused.into_result()
}

/// The site, or not found.
async fn site_of(conn: &mut AnyConnection, site_id: i64) -> Result<master::SiteRecord, AppError> {
    master::site(conn, site_id)
        .await
        .or_internal("load site")?
        .ok_or(AppError::NotFound)
}

/// The site's slots of `day`, with its next dates that have slots.
async fn slot_day(
    conn: &mut AnyConnection,
    site_id: i64,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<SlotDay, AppError> {
    let site = site_of(conn, site_id).await?;
    let takes_bookings = db::takes_bookings(conn, site_id)
        .await
        .or_internal("load flag")?;
    let slots = db::slots_of_day(conn, site_id, day)
        .await
        .or_internal("load slots")?;
    let today = jst_date(now);
    let coming = db::coming_days(conn, site_id, today)
        .await
        .or_internal("load coming days")?;
    Ok(SlotDay {
        site: SiteRef {
            id: site.id,
            name: site.name,
        },
        takes_bookings,
        day: day.to_string(),
        today: today.to_string(),
        slots: slot_rows(&slots),
        coming: coming
            .into_iter()
            .map(|(day, free)| (day, count(free)))
            .collect(),
    })
}

/// 予約者一覧 of the site on `day`, with the read written to the audit log (who saw whose list;
/// how many people, never who).
async fn read_list(
    conn: &mut AnyConnection,
    caller: &Caller,
    site_id: i64,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<BookingList, AppError> {
    let site = site_of(conn, site_id).await?;
    let slots = db::slots_of_day(conn, site_id, day)
        .await
        .or_internal("load slots")?;
    let bookings = db::bookings_of_day(conn, site_id, day)
        .await
        .or_internal("load bookings")?;
    let codes = site_record::vaccines_of(conn, site_id)
        .await
        .or_internal("load vaccines")?;
    let names = site_record::vaccine_names(conn)
        .await
        .or_internal("load vaccine names")?;
    let change = Change {
        entity: "site",
        entity_id: site_id.to_string(),
        field: &format!("bookings_read:{day}"),
        old_value: None,
        new_value: Some(format!("{}件", bookings.len())),
    };
    audit::record(conn, now, caller.actor(), change)
        .await
        .or_internal("audit")?;
    Ok(BookingList {
        site: SiteRef {
            id: site.id,
            name: site.name,
        },
        municipality: site.municipality_name,
        day: day.to_string(),
        today: jst_date(now).to_string(),
        slots: slot_rows(&slots),
        bookings: bookings.into_iter().map(booking_row).collect(),
        vaccines: names
            .into_iter()
            .filter(|(code, _, _)| codes.contains(code))
            .map(|(code, ja, _)| (code, ja))
            .collect(),
        can_book: caller.role == Role::Municipality,
    })
}

fn booking_row(b: BookingRecord) -> BookingRow {
    BookingRow {
        id: b.id,
        hour: u8::try_from(b.hour).unwrap_or_default(),
        name: b.name,
        kana: b.kana,
        birth_date: b.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        phone: b.phone,
        ticket_number: b.ticket_number.unwrap_or_default(),
        dose: dose_of_number(b.dose).unwrap_or(Dose::First),
        vaccine: b.vaccine_code,
        vaccine_name: b.vaccine_name,
        erased: b.anonymised_at.is_some(),
    }
}

/// The form checked against the site's vaccines and today.
async fn checked_booking(
    conn: &mut AnyConnection,
    site_id: i64,
    form: &BookingForm,
    now: DateTime<Utc>,
) -> Result<NewBooking, AppError> {
    let vaccines = site_record::vaccines_of(conn, site_id)
        .await
        .or_internal("load vaccines")?;
    form.validate(&vaccines, jst_date(now))
        .map_err(AppError::Validation)
}

/// The slot the booking asks for; a field error on 予約時間 when the site has none then.
async fn open_slot(
    conn: &mut AnyConnection,
    site_id: i64,
    booking: &NewBooking,
) -> Result<SlotRecord, AppError> {
    db::slot_at(conn, site_id, booking.day, booking.hour)
        .await
        .or_internal("load slot")?
        .ok_or_else(|| AppError::field("hour", FieldError::NoSlot))
}

/// Takes a place of the slot, or says on 予約時間 that it is full.
async fn take_place(conn: &mut AnyConnection, slot_id: i64) -> Result<(), AppError> {
    if db::take_place(conn, slot_id)
        .await
        .or_internal("take place")?
    {
        Ok(())
    } else {
        Err(AppError::field("hour", FieldError::SlotFull))
    }
}

/// A live booking, or not found (unknown, or cancelled already).
async fn live_booking(conn: &mut AnyConnection, id: i64) -> Result<BookingRecord, AppError> {
    db::booking(conn, id)
        .await
        .or_internal("load booking")?
        .filter(|b| b.status == "booked" && b.anonymised_at.is_none())
        .ok_or(AppError::NotFound)
}

/// Stores the booking's write; a 接種券番号 already booked is the user's error on that field,
/// anything else is ours.
fn ticket_checked<T>(written: sqlx::Result<T>) -> Result<T, AppError> {
    match written {
        Err(error) if is_unique_violation(&error) => Err(AppError::field(
            "ticket_number",
            FieldError::TicketAlreadyBooked,
        )),
        written => written.or_internal("store booking"),
    }
}

/// Writes the audit row of a booking's change (`booking:{id}` of the site).
async fn record_booking(
    conn: &mut AnyConnection,
    caller: &Caller,
    now: DateTime<Utc>,
    (site_id, id): (i64, i64),
    old_value: Option<String>,
    new_value: String,
) -> Result<(), AppError> {
    let change = Change {
        entity: "site",
        entity_id: site_id.to_string(),
        field: &format!("booking:{id}"),
        old_value,
        new_value: Some(new_value),
    };
    audit::record(conn, now, caller.actor(), change)
        .await
        .or_internal("audit")
}

/// What the audit log says of a booking: when and what, never who.
fn booking_summary(b: &NewBooking) -> String {
    summary(b.day, i64::from(b.hour), &b.vaccine, b.dose)
}

fn stored_summary(b: &BookingRecord) -> String {
    summary(
        b.day,
        b.hour,
        &b.vaccine_code,
        dose_of_number(b.dose).unwrap_or(Dose::First),
    )
}

fn summary(day: NaiveDate, hour: i64, vaccine: &str, dose: Dose) -> String {
    format!("{day} {hour}:00 {vaccine} {}", dose.label().ja)
}

fn slots_summary(slots: Vec<(i64, i64)>) -> String {
    if slots.is_empty() {
        return "なし".into();
    }
    slots
        .iter()
        .map(|(hour, people)| format!("{hour}:00 {people}人"))
        .collect::<Vec<_>>()
        .join(", ")
}
