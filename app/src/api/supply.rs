//! The supply chain (SPEC §5): ワクチン・針・シリンジマスタ, 納入ロット, クール and 希望量の登録.
//!
//! The server implements [`SupplyApi`] in `server/src/service/supply.rs`.

use super::{Choice, SiteRef};
use crate::api::AppHttp;
use crate::domain::{
    CoolForm, CoolState, CoolWindow, Deadline, LotForm, VaccineForm, VaccineMaster,
};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One vaccine of ワクチン・針・シリンジマスタ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccineRow {
    /// Stable code.
    pub code: String,
    /// Name as users know it (ファイザー社).
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Doses, vials, needles and syringes.
    pub master: VaccineMaster,
    /// 針・シリンジの種類
    pub needle_syringe_note: String,
    /// Storage temperature, lowest ℃.
    pub storage_min_c: i64,
    /// Storage temperature, highest ℃.
    pub storage_max_c: i64,
    /// Version, for concurrent edits.
    pub version: i64,
}

impl VaccineRow {
    /// The row as the edit form shows it.
    pub fn form(&self) -> VaccineForm {
        VaccineForm {
            doses_per_vial: self.master.doses_per_vial.to_string(),
            vials_per_box: self.master.vials_per_box.to_string(),
            needles_per_vial: self.master.needles_per_vial.to_string(),
            syringes_per_vial: self.master.syringes_per_vial.to_string(),
            needle_syringe_note: self.needle_syringe_note.clone(),
        }
    }
}

/// The vaccine master and whether the caller may edit it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccineMasterList {
    /// Every vaccine.
    pub vaccines: Vec<VaccineRow>,
    /// National and admin users edit the master.
    pub editable: bool,
}

/// A change to one vaccine of the master.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccineEdit {
    /// The vaccine's code.
    pub code: String,
    /// The version the user loaded.
    pub version: i64,
    /// The values.
    pub form: VaccineForm,
}

/// One 納入ロット.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotRow {
    /// Id.
    pub id: i64,
    /// The vaccine's code.
    pub vaccine: String,
    /// The vaccine's name.
    pub vaccine_name: String,
    /// ロット番号
    pub lot_number: String,
    /// 有効期限 (YYYY-MM-DD).
    pub expires_on: String,
    /// Past its expiry date today (JST).
    pub expired: bool,
    /// The supplier that registered it, if one did.
    pub supplier: Option<String>,
}

/// The lots, with what the registration form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotList {
    /// Every lot, newest expiry first within each vaccine.
    pub lots: Vec<LotRow>,
    /// The vaccines to choose from.
    pub vaccines: Vec<Choice>,
    /// Suppliers and national users register lots.
    pub may_register: bool,
}

/// A cool with its state, computed at the server's clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoolSummary {
    /// Id.
    pub id: i64,
    /// クール名
    pub name: String,
    /// The vaccine's code.
    pub vaccine: String,
    /// The vaccine's name.
    pub vaccine_name: String,
    /// 供給量（箱）
    pub total_boxes: u32,
    /// Vials in one box of the vaccine.
    pub vials_per_box: u32,
    /// Doses in one vial of the vaccine.
    pub doses_per_vial: u32,
    /// The 希望量 window and the delivery dates.
    pub window: CoolWindow,
    /// The state now.
    pub state: CoolState,
    /// The next deadline, if one is ahead.
    pub deadline: Option<Deadline>,
    /// Days until that deadline (0: today), by the JST calendar.
    pub days_left: Option<i64>,
}

/// The cools, with what the creation form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoolList {
    /// Every cool, newest first.
    pub cools: Vec<CoolSummary>,
    /// The vaccines to choose from.
    pub vaccines: Vec<Choice>,
    /// National users create cools.
    pub may_create: bool,
}

/// One site's 希望量 for one cool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRequest {
    /// The cool.
    pub cool: CoolSummary,
    /// The site.
    pub site: SiteRef,
    /// A satellite registers nothing.
    pub satellite: bool,
    /// The boxes registered; `None`: not registered.
    pub boxes: Option<u32>,
    /// When it was last saved (RFC 3339, JST).
    pub updated_at: Option<String>,
    /// Whether the municipality saved it last (代理入力).
    pub by_municipality: bool,
    /// 分配量: the boxes allocated to the site, once its prefecture has locked the cool.
    pub allocated: Option<u32>,
    /// 納入予定日 (YYYY-MM-DD), once the supplier has entered it (shown with 分配量).
    pub scheduled_on: Option<String>,
    /// Whether it may be saved now (the window is open and the caller may write).
    pub editable: bool,
}

/// One basic site of a municipality in a cool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    /// The site.
    pub site: SiteRef,
    /// The boxes registered; `None`: not registered.
    pub boxes: Option<u32>,
    /// When it was last saved (RFC 3339, JST).
    pub updated_at: Option<String>,
}

/// A municipality's basic sites and their 希望量 in one cool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityRequests {
    /// The cool.
    pub cool: CoolSummary,
    /// The municipality's name.
    pub municipality: String,
    /// Every basic site, by name.
    pub rows: Vec<RequestRow>,
    /// The boxes registered in all.
    pub total_boxes: u64,
    /// Whether the caller may register on behalf of the sites (the municipality, while the
    /// window is open).
    pub proxy: bool,
}

/// A basic site's own request, as its ホーム shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRequest {
    /// The site.
    pub site: SiteRef,
    /// The boxes registered; `None`: not registered yet.
    pub boxes: Option<u32>,
}

/// What ホーム shows of a cool whose window is open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeCool {
    /// The cool.
    pub cool: CoolSummary,
    /// For a basic site (or a municipality acting for one): its request.
    pub own: Option<OwnRequest>,
    /// For a municipality: how many basic sites it has.
    pub basic_sites: u32,
    /// For a municipality: its basic sites that have not registered.
    pub unregistered: Vec<SiteRef>,
}

/// ワクチン・針・シリンジマスタ: every vaccine (any logged-in user).
#[server(prefix = "/api", endpoint = "list_vaccines", protocol = AppHttp<Json>)]
pub async fn list_vaccines() -> Result<VaccineMasterList, AppError> {
    backend()?.list_vaccines().await
}

/// Saves one vaccine of the master (national and admin users).
#[server(prefix = "/api", endpoint = "save_vaccine", protocol = AppHttp<Json>)]
pub async fn save_vaccine(edit: VaccineEdit) -> Result<VaccineRow, AppError> {
    backend()?.save_vaccine(edit).await
}

/// 納入ロット: every lot (any logged-in user).
#[server(prefix = "/api", endpoint = "list_lots", protocol = AppHttp<Json>)]
pub async fn list_lots() -> Result<LotList, AppError> {
    backend()?.list_lots().await
}

/// Registers a lot (suppliers and national users).
#[server(prefix = "/api", endpoint = "register_lot", protocol = AppHttp<Json>)]
pub async fn register_lot(form: LotForm) -> Result<LotRow, AppError> {
    backend()?.register_lot(form).await
}

/// クール一覧 (any logged-in user).
#[server(prefix = "/api", endpoint = "list_cools", protocol = AppHttp<Json>)]
pub async fn list_cools() -> Result<CoolList, AppError> {
    backend()?.list_cools().await
}

/// Creates a cool (national users).
#[server(prefix = "/api", endpoint = "create_cool", protocol = AppHttp<Json>)]
pub async fn create_cool(form: CoolForm) -> Result<CoolSummary, AppError> {
    backend()?.create_cool(form).await
}

/// One site's 希望量 in a cool (the site, and those above it).
#[server(prefix = "/api", endpoint = "load_site_request", protocol = AppHttp<Json>)]
pub async fn load_site_request(cool_id: i64, site_id: i64) -> Result<SiteRequest, AppError> {
    backend()?.load_site_request(cool_id, site_id).await
}

/// 希望量の登録: a basic site, or its municipality on its behalf, inside the window.
#[server(prefix = "/api", endpoint = "save_site_request", protocol = AppHttp<Json>)]
pub async fn save_site_request(
    cool_id: i64,
    site_id: i64,
    boxes: String,
) -> Result<SiteRequest, AppError> {
    backend()?.save_site_request(cool_id, site_id, boxes).await
}

/// A municipality's basic sites and their 希望量 in a cool.
#[server(prefix = "/api", endpoint = "load_municipality_requests", protocol = AppHttp<Json>)]
pub async fn load_municipality_requests(
    cool_id: i64,
    municipality: String,
) -> Result<MunicipalityRequests, AppError> {
    backend()?
        .load_municipality_requests(cool_id, municipality)
        .await
}

/// The cools whose 希望量 window is open, as the caller's ホーム shows them.
#[server(prefix = "/api", endpoint = "home_cools", protocol = AppHttp<Json>)]
pub async fn home_cools() -> Result<Vec<HomeCool>, AppError> {
    backend()?.home_cools().await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SupplyApi: Send + Sync {
    /// ワクチン・針・シリンジマスタ.
    async fn list_vaccines(&self) -> Result<VaccineMasterList, AppError>;
    /// Saves one vaccine of the master.
    async fn save_vaccine(&self, edit: VaccineEdit) -> Result<VaccineRow, AppError>;
    /// 納入ロット.
    async fn list_lots(&self) -> Result<LotList, AppError>;
    /// Registers a lot.
    async fn register_lot(&self, form: LotForm) -> Result<LotRow, AppError>;
    /// クール一覧.
    async fn list_cools(&self) -> Result<CoolList, AppError>;
    /// Creates a cool.
    async fn create_cool(&self, form: CoolForm) -> Result<CoolSummary, AppError>;
    /// One site's 希望量.
    async fn load_site_request(&self, cool_id: i64, site_id: i64) -> Result<SiteRequest, AppError>;
    /// 希望量の登録.
    async fn save_site_request(
        &self,
        cool_id: i64,
        site_id: i64,
        boxes: String,
    ) -> Result<SiteRequest, AppError>;
    /// A municipality's basic sites and their 希望量.
    async fn load_municipality_requests(
        &self,
        cool_id: i64,
        municipality: String,
    ) -> Result<MunicipalityRequests, AppError>;
    /// The open cools for ホーム.
    async fn home_cools(&self) -> Result<Vec<HomeCool>, AppError>;
}
