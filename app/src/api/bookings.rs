//! 市町村による予約受付支援: a site's 予約受付枠 (slots), the bookings its municipality takes into
//! them, and 予約者一覧 (R305). Bookings hold personal data: only the site and its municipality
//! read them, and every read is on the audit log.
//!
//! The server implements [`BookingsApi`] in `server/src/service/bookings.rs`.

use crate::api::{AppHttp, SiteRef};
use crate::domain::{BookingForm, Dose, SlotForm};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One hourly slot of a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotRow {
    /// The hour it starts (9 = 9:00–10:00).
    pub hour: u8,
    /// People it takes.
    pub capacity: u32,
    /// People booked.
    pub booked: u32,
}

impl SlotRow {
    /// Places still free.
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.booked)
    }
}

/// A site's slots for one date (予約受付枠の設定).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotDay {
    /// The site.
    pub site: SiteRef,
    /// Whether its 代行入力フラグ = 要 is approved (without it, no slots may be set).
    pub takes_bookings: bool,
    /// The date (YYYY-MM-DD).
    pub day: String,
    /// Today (JST, YYYY-MM-DD).
    pub today: String,
    /// The day's slots, by hour.
    pub slots: Vec<SlotRow>,
    /// The next dates that have slots, with their free places (date, free).
    pub coming: Vec<(String, u32)>,
}

/// One booking as 予約者一覧 lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRow {
    /// Id.
    pub id: i64,
    /// The slot's hour.
    pub hour: u8,
    /// 氏名 ("" once erased after the retention period).
    pub name: String,
    /// ふりがな
    pub kana: String,
    /// 生年月日 (YYYY-MM-DD; "" once erased).
    pub birth_date: String,
    /// 電話番号
    pub phone: String,
    /// 接種券番号 ("" once erased).
    pub ticket_number: String,
    /// 接種回数
    pub dose: Dose,
    /// The vaccine's code.
    pub vaccine: String,
    /// The vaccine's name.
    pub vaccine_name: String,
    /// True once the personal data was erased after the retention period.
    pub erased: bool,
}

/// 予約者一覧 (R305) of a site for one date, with the day's slots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingList {
    /// The site.
    pub site: SiteRef,
    /// Its municipality's name.
    pub municipality: String,
    /// The date (YYYY-MM-DD).
    pub day: String,
    /// Today (JST, YYYY-MM-DD).
    pub today: String,
    /// The day's slots.
    pub slots: Vec<SlotRow>,
    /// The day's live bookings, by hour then ふりがな.
    pub bookings: Vec<BookingRow>,
    /// The site's vaccines (code, name), for the booking form.
    pub vaccines: Vec<(String, String)>,
    /// True for the municipality, which books, changes and cancels.
    pub can_book: bool,
}

/// A site whose bookings the municipality takes, for its list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingSite {
    /// The site.
    pub site: SiteRef,
    /// Places set from today on.
    pub capacity: u32,
    /// People booked from today on.
    pub booked: u32,
}

/// A site's slots for `day` ("" = today). The site and its municipality.
#[server(prefix = "/api", endpoint = "load_slots", protocol = AppHttp<Json>)]
pub async fn load_slots(site_id: i64, day: String) -> Result<SlotDay, AppError> {
    backend()?.load_slots(site_id, day).await
}

/// Sets the site's slots for one date (予約受付枠の設定).
#[server(prefix = "/api", endpoint = "save_slots", protocol = AppHttp<Json>)]
pub async fn save_slots(site_id: i64, form: SlotForm) -> Result<SlotDay, AppError> {
    backend()?.save_slots(site_id, form).await
}

/// 予約者一覧 (R305) of a site for `day` ("" = today); the read is audited.
#[server(prefix = "/api", endpoint = "load_bookings", protocol = AppHttp<Json>)]
pub async fn load_bookings(site_id: i64, day: String) -> Result<BookingList, AppError> {
    backend()?.load_bookings(site_id, day).await
}

/// Books a person into a slot of the site (the municipality).
#[server(prefix = "/api", endpoint = "book", protocol = AppHttp<Json>)]
pub async fn book(site_id: i64, form: BookingForm) -> Result<BookingList, AppError> {
    backend()?.book(site_id, form).await
}

/// Changes a booking, possibly into another slot of the same site (the municipality).
#[server(prefix = "/api", endpoint = "change_booking", protocol = AppHttp<Json>)]
pub async fn change_booking(id: i64, form: BookingForm) -> Result<BookingList, AppError> {
    backend()?.change_booking(id, form).await
}

/// Cancels a booking, freeing its place (the municipality).
#[server(prefix = "/api", endpoint = "cancel_booking", protocol = AppHttp<Json>)]
pub async fn cancel_booking(id: i64) -> Result<BookingList, AppError> {
    backend()?.cancel_booking(id).await
}

/// The municipality's sites whose bookings it takes.
#[server(prefix = "/api", endpoint = "load_booking_sites", protocol = AppHttp<Json>)]
pub async fn load_booking_sites(municipality: String) -> Result<Vec<BookingSite>, AppError> {
    backend()?.load_booking_sites(municipality).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait BookingsApi: Send + Sync {
    /// 予約受付枠 of a day.
    async fn load_slots(&self, site_id: i64, day: String) -> Result<SlotDay, AppError>;
    /// 予約受付枠の設定.
    async fn save_slots(&self, site_id: i64, form: SlotForm) -> Result<SlotDay, AppError>;
    /// R305 予約者一覧.
    async fn load_bookings(&self, site_id: i64, day: String) -> Result<BookingList, AppError>;
    /// A new booking.
    async fn book(&self, site_id: i64, form: BookingForm) -> Result<BookingList, AppError>;
    /// A changed booking.
    async fn change_booking(&self, id: i64, form: BookingForm) -> Result<BookingList, AppError>;
    /// A cancelled booking.
    async fn cancel_booking(&self, id: i64) -> Result<BookingList, AppError>;
    /// The municipality's sites that take bookings through it.
    async fn load_booking_sites(&self, municipality: String) -> Result<Vec<BookingSite>, AppError>;
}
