//! 住所地外接種 (R300 住所地外接種の申請状況一覧): the applications a municipality registers for
//! people who live elsewhere, their decisions, and, read-only and without the phone number, the
//! applications other municipalities registered for its residents.
//!
//! The server implements [`OutOfAreaApi`] in `server/src/service/out_of_area.rs`.

use crate::api::AppHttp;
use crate::domain::{
    ApplicationStatus, DecisionForm, OutOfAreaFilter, OutOfAreaForm, OutOfAreaReason,
};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One application as R300 lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    /// Id.
    pub id: i64,
    /// The municipality that registered it (where the person is vaccinated).
    pub municipality: String,
    /// 申請者氏名
    pub applicant_name: String,
    /// 生年月日 (YYYY-MM-DD).
    pub birth_date: String,
    /// 電話番号: only for the municipality that registered it.
    pub phone: Option<String>,
    /// 住所地 (都道府県と市区町村).
    pub residence: String,
    /// 理由
    pub reason: OutOfAreaReason,
    /// The reason in words (その他).
    pub reason_note: String,
    /// 受付日 (YYYY-MM-DD).
    pub received_on: String,
    /// 状況
    pub status: ApplicationStatus,
    /// 却下理由
    pub rejection_reason: String,
}

/// R300 for one municipality.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutOfAreaList {
    /// Today (JST, YYYY-MM-DD), the form's default 受付日.
    pub today: String,
    /// The applications it registered.
    pub registered: Vec<ApplicationRow>,
    /// Those other municipalities registered for its residents (read-only, no phone number).
    pub residents: Vec<ApplicationRow>,
}

/// R300 住所地外接種の申請状況一覧 for `municipality`, filtered.
#[server(prefix = "/api", endpoint = "load_out_of_area", protocol = AppHttp<Json>)]
pub async fn load_out_of_area(
    municipality: String,
    filter: OutOfAreaFilter,
) -> Result<OutOfAreaList, AppError> {
    backend()?.load_out_of_area(municipality, filter).await
}

/// Registers an application (受付).
#[server(prefix = "/api", endpoint = "register_out_of_area", protocol = AppHttp<Json>)]
pub async fn register_out_of_area(
    municipality: String,
    form: OutOfAreaForm,
) -> Result<OutOfAreaList, AppError> {
    backend()?.register_out_of_area(municipality, form).await
}

/// 受理 or 却下 (with a reason) of an application.
#[server(prefix = "/api", endpoint = "decide_out_of_area", protocol = AppHttp<Json>)]
pub async fn decide_out_of_area(
    id: i64,
    decision: DecisionForm,
) -> Result<OutOfAreaList, AppError> {
    backend()?.decide_out_of_area(id, decision).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OutOfAreaApi: Send + Sync {
    /// R300.
    async fn load_out_of_area(
        &self,
        municipality: String,
        filter: OutOfAreaFilter,
    ) -> Result<OutOfAreaList, AppError>;
    /// 受付.
    async fn register_out_of_area(
        &self,
        municipality: String,
        form: OutOfAreaForm,
    ) -> Result<OutOfAreaList, AppError>;
    /// 受理 / 却下.
    async fn decide_out_of_area(
        &self,
        id: i64,
        decision: DecisionForm,
    ) -> Result<OutOfAreaList, AppError>;
}
