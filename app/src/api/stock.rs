//! A site's stock (SPEC §5): 受領確認, 移送・融通, 廃棄, 棚卸 and the ledger, for the site and
//! those above it.
//!
//! The server implements [`StockApi`] in `server/src/service/stock.rs`.

use super::{Choice, ShipmentView, SiteRef};
use crate::api::AppHttp;
use crate::domain::{CountForm, DeliveryStatus, MovementKind, TransferForm, WasteForm};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// Days before its expiry from which a lot is flagged.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

/// One lot a site holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLot {
    /// The lot's id.
    pub lot_id: i64,
    /// ロット番号
    pub lot_number: String,
    /// The vaccine's name.
    pub vaccine: String,
    /// 有効期限 (YYYY-MM-DD).
    pub expires_on: String,
    /// Days until it expires (negative: expired), by the JST calendar.
    pub days_left: i64,
    /// Vials held.
    pub vials: u32,
}

impl StockLot {
    /// Past its expiry date: it may only be wasted.
    pub fn expired(&self) -> bool {
        self.days_left < 0
    }

    /// Expiring within [`EXPIRY_WARNING_DAYS`] (and not yet expired).
    pub fn expiring_soon(&self) -> bool {
        (0..=EXPIRY_WARNING_DAYS).contains(&self.days_left)
    }
}

/// A transfer as the sender and the receiver see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRow {
    /// Id.
    pub id: i64,
    /// Whether this site sent it (otherwise it receives it).
    pub outgoing: bool,
    /// 融通元 (the sender).
    pub from: SiteRef,
    /// 移送先 (the receiver).
    pub to: SiteRef,
    /// ロット番号
    pub lot_number: String,
    /// The vaccine's name.
    pub vaccine: String,
    /// バイアル本数
    pub vials: u32,
    /// The day sent (YYYY-MM-DD).
    pub sent_on: String,
    /// The day received; `None`: 未受領 (or cancelled).
    pub received_on: Option<String>,
    /// Cancelled by the sender.
    pub cancelled: bool,
}

impl TransferRow {
    /// Still in transit: neither received nor cancelled.
    pub fn pending(&self) -> bool {
        self.received_on.is_none() && !self.cancelled
    }
}

/// One cool's delivery to the site, as its pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteDelivery {
    /// The cool's id.
    pub cool_id: i64,
    /// The cool's name.
    pub cool: String,
    /// 分配量（箱）
    pub boxes: u32,
    /// 納入予定日 (YYYY-MM-DD).
    pub scheduled_on: Option<String>,
    /// Where it stands.
    pub status: DeliveryStatus,
}

/// One movement of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    /// The day (YYYY-MM-DD).
    pub occurred_on: String,
    /// What moved.
    pub kind: MovementKind,
    /// ロット番号
    pub lot_number: String,
    /// The vaccine's name.
    pub vaccine: String,
    /// Vials, signed.
    pub vials: i64,
    /// The reason or note.
    pub note: String,
}

/// One lot whose 棚卸 differed from the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    /// 棚卸日 (YYYY-MM-DD).
    pub counted_on: String,
    /// ロット番号
    pub lot_number: String,
    /// What the ledger said.
    pub expected: u32,
    /// What was counted.
    pub counted: u32,
    /// 差異の理由
    pub reason: String,
}

/// A site's stock and everything that moves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteStock {
    /// The site.
    pub site: SiteRef,
    /// サテライト型: receives only from its basic site.
    pub satellite: bool,
    /// Today (JST, YYYY-MM-DD), the default day of the forms.
    pub today: String,
    /// The lots held, first-expiring first.
    pub lots: Vec<StockLot>,
    /// Its deliveries per cool, once its prefecture locked the cool.
    pub deliveries: Vec<SiteDelivery>,
    /// Deliveries not yet confirmed (受領確認 waits for them).
    pub incoming: Vec<ShipmentView>,
    /// Transfers in transit first, then the latest others.
    pub transfers: Vec<TransferRow>,
    /// The sites a transfer may go to.
    pub targets: Vec<Choice>,
    /// The latest movements, newest first.
    pub ledger: Vec<LedgerRow>,
    /// What the latest counts found different.
    pub discrepancies: Vec<Discrepancy>,
    /// Whether the caller may act (the site, its municipality on its behalf).
    pub editable: bool,
}

/// A site's stock (the site, and those above it).
#[server(prefix = "/api", endpoint = "load_site_stock", protocol = AppHttp<Json>)]
pub async fn load_site_stock(site_id: i64) -> Result<SiteStock, AppError> {
    backend()?.load_site_stock(site_id).await
}

/// 受領確認 of one delivery, with a note when what arrived differs.
#[server(prefix = "/api", endpoint = "confirm_receipt", protocol = AppHttp<Json>)]
pub async fn confirm_receipt(shipment_id: i64, note: String) -> Result<SiteStock, AppError> {
    backend()?.confirm_receipt(shipment_id, note).await
}

/// 移送・融通: sends vials of one lot to another site.
#[server(prefix = "/api", endpoint = "send_transfer", protocol = AppHttp<Json>)]
pub async fn send_transfer(site_id: i64, form: TransferForm) -> Result<SiteStock, AppError> {
    backend()?.send_transfer(site_id, form).await
}

/// The receiving site registers a transfer's receipt.
#[server(prefix = "/api", endpoint = "receive_transfer", protocol = AppHttp<Json>)]
pub async fn receive_transfer(
    transfer_id: i64,
    received_on: String,
) -> Result<SiteStock, AppError> {
    backend()?.receive_transfer(transfer_id, received_on).await
}

/// The sender cancels a transfer not yet received: the vials return.
#[server(prefix = "/api", endpoint = "cancel_transfer", protocol = AppHttp<Json>)]
pub async fn cancel_transfer(transfer_id: i64) -> Result<SiteStock, AppError> {
    backend()?.cancel_transfer(transfer_id).await
}

/// 廃棄: vials of one lot wasted, with the reason.
#[server(prefix = "/api", endpoint = "record_waste", protocol = AppHttp<Json>)]
pub async fn record_waste(site_id: i64, form: WasteForm) -> Result<SiteStock, AppError> {
    backend()?.record_waste(site_id, form).await
}

/// 棚卸: the vials counted per lot; each difference becomes a 棚卸調整.
#[server(prefix = "/api", endpoint = "record_count", protocol = AppHttp<Json>)]
pub async fn record_count(site_id: i64, form: CountForm) -> Result<SiteStock, AppError> {
    backend()?.record_count(site_id, form).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait StockApi: Send + Sync {
    /// A site's stock.
    async fn load_site_stock(&self, site_id: i64) -> Result<SiteStock, AppError>;
    /// 受領確認.
    async fn confirm_receipt(&self, shipment_id: i64, note: String) -> Result<SiteStock, AppError>;
    /// 移送・融通.
    async fn send_transfer(&self, site_id: i64, form: TransferForm) -> Result<SiteStock, AppError>;
    /// A transfer's receipt.
    async fn receive_transfer(
        &self,
        transfer_id: i64,
        received_on: String,
    ) -> Result<SiteStock, AppError>;
    /// Cancels a transfer.
    async fn cancel_transfer(&self, transfer_id: i64) -> Result<SiteStock, AppError>;
    /// 廃棄.
    async fn record_waste(&self, site_id: i64, form: WasteForm) -> Result<SiteStock, AppError>;
    /// 棚卸.
    async fn record_count(&self, site_id: i64, form: CountForm) -> Result<SiteStock, AppError>;
}
