//! The organisations in a user's scope: prefectures, 市町村一覧, the sites of a municipality, and 代理入力 (acting for a site).
//!
//! The server implements [`OrgApi`] in `server/src/service/org.rs`.

use super::{Choice, SessionInfo, SiteRef};
use crate::api::AppHttp;
use crate::domain::SiteType;
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// A municipality in lists (都道府県管内の市町村一覧).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityRow {
    /// 全国地方公共団体コード
    pub code: String,
    /// Name.
    pub name: String,
    /// Reading in hiragana.
    pub name_kana: String,
    /// Number of sites in it.
    pub site_count: i64,
}

/// A site in lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRow {
    /// Id.
    pub id: i64,
    /// 医療機関・接種会場名
    pub name: String,
    /// 基本型 or サテライト型.
    pub site_type: SiteType,
    /// The basic site of a satellite.
    pub basic_site: Option<SiteRef>,
    /// Municipality code.
    pub municipality_code: String,
    /// Municipality name.
    pub municipality_name: String,
}

/// The municipalities of a prefecture (都道府県管内の市町村一覧).
#[server(prefix = "/api", endpoint = "list_municipalities", protocol = AppHttp<Json>)]
pub async fn list_municipalities(prefecture: u8) -> Result<Vec<MunicipalityRow>, AppError> {
    backend()?.list_municipalities(prefecture).await
}

/// The 47 prefectures, for choosing one (national, admin and prefecture users).
#[server(prefix = "/api", endpoint = "list_prefectures", protocol = AppHttp<Json>)]
pub async fn list_prefectures() -> Result<Vec<Choice>, AppError> {
    backend()?.list_prefectures().await
}

/// The sites of a municipality.
#[server(prefix = "/api", endpoint = "list_sites", protocol = AppHttp<Json>)]
pub async fn list_sites(municipality: String) -> Result<Vec<SiteRow>, AppError> {
    backend()?.list_sites(municipality).await
}

/// 代理入力: a municipality user starts acting for one of its sites.
#[server(prefix = "/api", endpoint = "act_for_site", protocol = AppHttp<Json>)]
pub async fn act_for_site(site_id: i64) -> Result<SessionInfo, AppError> {
    backend()?.act_for_site(site_id).await
}

/// Ends 代理入力.
#[server(prefix = "/api", endpoint = "stop_acting", protocol = AppHttp<Json>)]
pub async fn stop_acting() -> Result<SessionInfo, AppError> {
    backend()?.stop_acting().await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OrgApi: Send + Sync {
    /// The municipalities of a prefecture (都道府県管内の市町村一覧).
    async fn list_municipalities(&self, prefecture: u8) -> Result<Vec<MunicipalityRow>, AppError>;
    /// The 47 prefectures, for choosing one (national, admin and prefecture users).
    async fn list_prefectures(&self) -> Result<Vec<Choice>, AppError>;
    /// The sites of a municipality.
    async fn list_sites(&self, municipality: String) -> Result<Vec<SiteRow>, AppError>;
    /// 代理入力: a municipality user starts acting for one of its sites.
    async fn act_for_site(&self, site_id: i64) -> Result<SessionInfo, AppError>;
    /// Ends 代理入力.
    async fn stop_acting(&self) -> Result<SessionInfo, AppError>;
}
