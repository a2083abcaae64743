//! 納入 (SPEC §5): the supplier's list of locked allocations in its area, 納入予定日 and the
//! lots of each delivery; read by the prefecture, the municipality and national users too.
//!
//! The server implements [`DeliveryApi`] in `server/src/service/delivery.rs`.

use super::{Choice, CoolSummary, SiteRef};
use crate::api::AppHttp;
use crate::domain::{DeliveryStatus, KnownLot, ShipmentForm};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One lot of a delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentLotView {
    /// ロット番号
    pub lot_number: String,
    /// 有効期限 (YYYY-MM-DD).
    pub expires_on: String,
    /// バイアル本数
    pub vials: u32,
}

/// One delivery (納入) to a site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentView {
    /// Id.
    pub id: i64,
    /// The cool's name.
    pub cool: String,
    /// 納入日 (YYYY-MM-DD).
    pub delivered_on: String,
    /// The lots.
    pub lots: Vec<ShipmentLotView>,
    /// Vials in all.
    pub vials: u32,
    /// 針 that travel with them.
    pub needles: u32,
    /// シリンジ that travel with them.
    pub syringes: u32,
    /// When the site confirmed it (RFC 3339, JST); `None`: not yet.
    pub received_at: Option<String>,
    /// What the site noted at receipt.
    pub receipt_note: String,
}

/// One allocated site on the delivery list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    /// The site.
    pub site: SiteRef,
    /// Its municipality's name.
    pub municipality: String,
    /// 分配量（箱）
    pub boxes: u32,
    /// The vials those boxes hold.
    pub vials: u32,
    /// 納入予定日 (YYYY-MM-DD).
    pub scheduled_on: Option<String>,
    /// Vials delivered so far.
    pub delivered: u32,
    /// Vials the site has confirmed.
    pub received: u32,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// The deliveries so far.
    pub shipments: Vec<ShipmentView>,
}

/// A cool's deliveries in one prefecture, as far as the caller may see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryBoard {
    /// The cool.
    pub cool: CoolSummary,
    /// The prefectures the caller may look at that have locked the cool.
    pub prefectures: Vec<Choice>,
    /// The prefecture shown; `None`: none is locked (or in the caller's area) yet.
    pub prefecture: Option<i64>,
    /// Every allocated site shown, by municipality and name.
    pub rows: Vec<DeliveryRow>,
    /// The lots of the cool's vaccine a delivery may name.
    pub lots: Vec<KnownLot>,
    /// 針・シリンジの種類 of the vaccine.
    pub needle_syringe_note: String,
    /// Whether the caller enters 納入予定日 and deliveries (suppliers and national users).
    pub may_deliver: bool,
}

/// The deliveries of a cool in a prefecture (`None`: the first the caller may see).
#[server(prefix = "/api", endpoint = "load_deliveries", protocol = AppHttp<Json>)]
pub async fn load_deliveries(
    cool_id: i64,
    prefecture: Option<i64>,
) -> Result<DeliveryBoard, AppError> {
    backend()?.load_deliveries(cool_id, prefecture).await
}

/// Enters or moves a site's 納入予定日 (the supplier of its area, national users).
#[server(prefix = "/api", endpoint = "schedule_delivery", protocol = AppHttp<Json>)]
pub async fn schedule_delivery(
    cool_id: i64,
    site_id: i64,
    scheduled_on: String,
) -> Result<DeliveryRow, AppError> {
    backend()?
        .schedule_delivery(cool_id, site_id, scheduled_on)
        .await
}

/// Registers a delivery's lots (the supplier of the site's area, national users).
#[server(prefix = "/api", endpoint = "ship_delivery", protocol = AppHttp<Json>)]
pub async fn ship_delivery(
    cool_id: i64,
    site_id: i64,
    form: ShipmentForm,
) -> Result<DeliveryRow, AppError> {
    backend()?.ship_delivery(cool_id, site_id, form).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait DeliveryApi: Send + Sync {
    /// The deliveries of a cool in a prefecture.
    async fn load_deliveries(
        &self,
        cool_id: i64,
        prefecture: Option<i64>,
    ) -> Result<DeliveryBoard, AppError>;
    /// Enters a 納入予定日.
    async fn schedule_delivery(
        &self,
        cool_id: i64,
        site_id: i64,
        scheduled_on: String,
    ) -> Result<DeliveryRow, AppError>;
    /// Registers a delivery's lots.
    async fn ship_delivery(
        &self,
        cool_id: i64,
        site_id: i64,
        form: ShipmentForm,
    ) -> Result<DeliveryRow, AppError>;
}
