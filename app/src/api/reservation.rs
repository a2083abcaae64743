//! 予約の受付情報: a site's reservation status and a municipality's summary of it.
//!
//! The server implements [`ReservationApi`] in `server/src/service/reservation.rs`.

use super::SiteRef;
use crate::api::AppHttp;
use crate::domain::ReservationStatus;
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// A site's 予約の受付情報.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationState {
    /// The site.
    pub site: SiteRef,
    /// Its status.
    pub status: ReservationStatus,
    /// When it last changed (RFC 3339, JST), if ever.
    pub updated_at: Option<String>,
}

/// A municipality's sites by reservation status, and those still 未登録.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationSummary {
    /// Number of sites per status, every status listed (zero included), in display order.
    pub counts: Vec<(ReservationStatus, i64)>,
    /// The sites that never registered a status (未登録医療機関・接種会場).
    pub unregistered: Vec<SiteRef>,
}

/// A site's reservation status (the site itself, its municipality, its prefecture, national).
#[server(prefix = "/api", endpoint = "reservation_state", protocol = AppHttp<Json>)]
pub async fn load_reservation_state(site_id: i64) -> Result<ReservationState, AppError> {
    backend()?.load_reservation_state(site_id).await
}

/// 予約の受付情報の変更: the site (or its municipality, 代理入力) sets the status, time-stamped.
#[server(prefix = "/api", endpoint = "set_reservation_status", protocol = AppHttp<Json>)]
pub async fn set_reservation_status(
    site_id: i64,
    status: ReservationStatus,
) -> Result<ReservationState, AppError> {
    backend()?.set_reservation_status(site_id, status).await
}

/// The count of a municipality's sites per status and its 未登録医療機関・接種会場.
#[server(prefix = "/api", endpoint = "reservation_summary", protocol = AppHttp<Json>)]
pub async fn load_reservation_summary(
    municipality: String,
) -> Result<ReservationSummary, AppError> {
    backend()?.load_reservation_summary(municipality).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ReservationApi: Send + Sync {
    /// A site's reservation status (the site itself, its municipality, its prefecture, national).
    async fn load_reservation_state(&self, site_id: i64) -> Result<ReservationState, AppError>;
    /// 予約の受付情報の変更: the site (or its municipality, 代理入力) sets the status, time-stamped.
    async fn set_reservation_status(
        &self,
        site_id: i64,
        status: ReservationStatus,
    ) -> Result<ReservationState, AppError>;
    /// The count of a municipality's sites per status and its 未登録医療機関・接種会場.
    async fn load_reservation_summary(
        &self,
        municipality: String,
    ) -> Result<ReservationSummary, AppError>;
}
