//! 請求: a site's monthly bill (請求総括書 and 市区町村別請求書), its submission by the 10th, the
//! municipality of residence's return (差戻し), the area's totals, and the unit-price master.
//!
//! The server implements [`BillingApi`] in `server/src/service/billing.rs`.

use crate::api::{AppHttp, Choice, SiteRef};
use crate::domain::billing::{
    BillForm, BillPart, BillStatus, BillingMonth, CodeSide, PriceForm, UnitPrices,
};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// A site's billing codes, from its approved record (5/31リリース機能①).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillCodes {
    /// 保険医療機関コード (the old one once a new one is approved).
    pub insurance_code: String,
    /// 介護保険事業所番号.
    pub care_code: String,
    /// 新保険医療機関コード.
    pub insurance_code_new: String,
    /// 新介護保険事業所番号.
    pub care_code_new: String,
    /// コード変更日 (YYYY-MM-DD), when a new code is approved.
    pub change_date: Option<String>,
}

impl BillCodes {
    /// The two codes a bill under `side` carries: 保険医療機関コード and 介護保険事業所番号.
    pub fn of(&self, side: CodeSide) -> (&str, &str) {
        match side {
            CodeSide::Old => (&self.insurance_code, &self.care_code),
            CodeSide::New => (&self.insurance_code_new, &self.care_code_new),
        }
    }
}

/// One site's bill for one month, as its editor and its printed pages need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillView {
    /// The site.
    pub site: SiteRef,
    /// The site's municipality (都道府県と市区町村), for the invoice's header.
    pub site_municipality: String,
    /// The month of vaccinations billed.
    pub month: BillingMonth,
    /// The deadline (the 10th of the following month, YYYY-MM-DD).
    pub due_on: String,
    /// Days left until it (negative once past).
    pub days_left: i64,
    /// Whether the month is over (a bill is submitted once it is).
    pub month_over: bool,
    /// The bill's id, once saved.
    pub bill_id: Option<i64>,
    /// Where it is.
    pub status: BillStatus,
    /// The codes: stored on the bill once saved, else the approved record's.
    pub codes: BillCodes,
    /// The month's parts (cut at the code change and at price changes).
    pub parts: Vec<BillPart>,
    /// The bill as stored (or empty), ready for the editor.
    pub form: BillForm,
    /// The names of the municipalities in the lines (value: code; label: 東京都千代田区).
    pub residences: Vec<Choice>,
    /// 1回目 and 2回目 recorded in 接種実績 for the month.
    pub recorded: (i64, i64),
    /// 提出日時 (YYYY-MM-DD HH:MM JST).
    pub submitted_at: Option<String>,
    /// The batch month it went into (YYYY-MM).
    pub batch_month: Option<String>,
    /// Submitted after the 10th.
    pub late: bool,
    /// The comment of a return (差戻し).
    pub return_comment: String,
    /// The municipality that returned it.
    pub returned_by: Option<String>,
    /// Whether the caller may change and submit it (the site, or its municipality: 代理入力).
    pub may_edit: bool,
}

/// A site's bill in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillRow {
    /// The site.
    pub site: SiteRef,
    /// The month (YYYY-MM).
    pub month: String,
    /// Where it is; `None` when not started.
    pub status: Option<BillStatus>,
    /// 提出日時 (JST).
    pub submitted_at: Option<String>,
    /// The batch it went into.
    pub batch_month: Option<String>,
    /// Submitted after the 10th.
    pub late: bool,
    /// 請求金額 (yen).
    pub amount: i64,
}

/// A 市区町村別請求書 addressed to the caller's municipality of residence (its lines only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressedBill {
    /// The bill's id (to return it).
    pub bill_id: i64,
    /// The site that sent it.
    pub site: SiteRef,
    /// The site's municipality.
    pub site_municipality: String,
    /// Where it is.
    pub status: BillStatus,
    /// 保険医療機関コード and 介護保険事業所番号 it is billed under.
    pub codes: (String, String),
    /// The batch month.
    pub batch_month: Option<String>,
    /// Submitted after the 10th.
    pub late: bool,
    /// 1回目, 2回目, 予診のみ, 時間外, 休日.
    pub counts: [i64; 5],
    /// 請求金額 (yen).
    pub amount: i64,
}

/// One municipality's line of an area's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaBillTotal {
    /// The municipality's code.
    pub code: String,
    /// 都道府県と市区町村.
    pub name: String,
    /// Its sites.
    pub sites: i64,
    /// Those that submitted.
    pub submitted: i64,
    /// Of those, late.
    pub late: i64,
    /// The amount submitted (yen).
    pub amount: i64,
}

/// 請求 for one month as the caller's role sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillsOverview {
    /// The month.
    pub month: BillingMonth,
    /// Its deadline (YYYY-MM-DD).
    pub due_on: String,
    /// A site: its own bills, every month. A municipality: its sites' bills for the month.
    pub bills: Vec<BillRow>,
    /// A municipality: the 市区町村別請求書 addressed to it for the month.
    pub addressed: Vec<AddressedBill>,
    /// A prefecture or national user: the area's totals per municipality.
    pub totals: Vec<AreaBillTotal>,
}

/// 請求 on ホーム: the month to bill, its deadline and where the caller stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeBill {
    /// The month billed now (the previous one).
    pub month: BillingMonth,
    /// Its deadline (YYYY-MM-DD).
    pub due_on: String,
    /// Days left (negative once past).
    pub days_left: i64,
    /// A site: its bill's status (`None`: not started).
    pub status: Option<BillStatus>,
    /// A municipality: its sites that have not submitted.
    pub not_submitted: Option<i64>,
}

/// A municipality of the master, for choosing a municipality of residence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityOption {
    /// 全国地方公共団体コード.
    pub code: String,
    /// 都道府県と市区町村.
    pub name: String,
    /// Its reading (hiragana).
    pub kana: String,
}

/// One site's bill for `month` (YYYY-MM).
#[server(prefix = "/api", endpoint = "load_bill", protocol = AppHttp<Json>)]
pub async fn load_bill(site_id: i64, month: String) -> Result<BillView, AppError> {
    backend()?.load_bill(site_id, month).await
}

/// Saves the bill as a draft (作成中, or still 差戻し).
#[server(prefix = "/api", endpoint = "save_bill", protocol = AppHttp<Json>)]
pub async fn save_bill(site_id: i64, month: String, form: BillForm) -> Result<BillView, AppError> {
    backend()?.save_bill(site_id, month, form).await
}

/// Saves and submits the bill (提出), which locks it.
#[server(prefix = "/api", endpoint = "submit_bill", protocol = AppHttp<Json>)]
pub async fn submit_bill(
    site_id: i64,
    month: String,
    form: BillForm,
) -> Result<BillView, AppError> {
    backend()?.submit_bill(site_id, month, form).await
}

/// 差戻し by a municipality of residence, with a comment.
#[server(prefix = "/api", endpoint = "return_bill", protocol = AppHttp<Json>)]
pub async fn return_bill(bill_id: i64, comment: String) -> Result<BillsOverview, AppError> {
    backend()?.return_bill(bill_id, comment).await
}

/// 請求 for `month` as the caller's role sees it.
#[server(prefix = "/api", endpoint = "load_bills", protocol = AppHttp<Json>)]
pub async fn load_bills(month: String) -> Result<BillsOverview, AppError> {
    backend()?.load_bills(month).await
}

/// 請求 on ホーム.
#[server(prefix = "/api", endpoint = "home_billing", protocol = AppHttp<Json>)]
pub async fn home_billing() -> Result<HomeBill, AppError> {
    backend()?.home_billing().await
}

/// Every municipality of Japan, for the bill's 住所地.
#[server(prefix = "/api", endpoint = "municipality_options", protocol = AppHttp<Json>)]
pub async fn municipality_options() -> Result<Vec<MunicipalityOption>, AppError> {
    backend()?.municipality_options().await
}

/// 単価マスタ: every unit price, earliest first.
#[server(prefix = "/api", endpoint = "list_unit_prices", protocol = AppHttp<Json>)]
pub async fn list_unit_prices() -> Result<Vec<UnitPrices>, AppError> {
    backend()?.list_unit_prices().await
}

/// Adds (or replaces) the prices applying from a day.
#[server(prefix = "/api", endpoint = "save_unit_prices", protocol = AppHttp<Json>)]
pub async fn save_unit_prices(form: PriceForm) -> Result<Vec<UnitPrices>, AppError> {
    backend()?.save_unit_prices(form).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait BillingApi: Send + Sync {
    /// One bill.
    async fn load_bill(&self, site_id: i64, month: String) -> Result<BillView, AppError>;
    /// Save as draft.
    async fn save_bill(
        &self,
        site_id: i64,
        month: String,
        form: BillForm,
    ) -> Result<BillView, AppError>;
    /// 提出.
    async fn submit_bill(
        &self,
        site_id: i64,
        month: String,
        form: BillForm,
    ) -> Result<BillView, AppError>;
    /// 差戻し.
    async fn return_bill(&self, bill_id: i64, comment: String) -> Result<BillsOverview, AppError>;
    /// The month's bills for the caller.
    async fn load_bills(&self, month: String) -> Result<BillsOverview, AppError>;
    /// ホーム's 請求.
    async fn home_billing(&self) -> Result<HomeBill, AppError>;
    /// The municipality master.
    async fn municipality_options(&self) -> Result<Vec<MunicipalityOption>, AppError>;
    /// 単価マスタ.
    async fn list_unit_prices(&self) -> Result<Vec<UnitPrices>, AppError>;
    /// Save a price.
    async fn save_unit_prices(&self, form: PriceForm) -> Result<Vec<UnitPrices>, AppError>;
}
