//! The doctors (医師) of a site: list, add or edit, delete.
//!
//! The server implements [`DoctorsApi`] in `server/src/service/doctors.rs`.

use super::{Choice, SiteRef};
use crate::api::AppHttp;
use crate::domain::DoctorForm;
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One doctor of a site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorRow {
    /// Id.
    pub id: i64,
    /// The doctor's fields.
    pub doctor: DoctorForm,
}

/// 医師情報の編集: a new doctor (no id) or a change to one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorEdit {
    /// The site.
    pub site_id: i64,
    /// The doctor, when editing one.
    pub doctor_id: Option<i64>,
    /// The fields.
    pub doctor: DoctorForm,
}

/// A site's doctors with the vaccines the site handles (the choices for each doctor).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorList {
    /// The site.
    pub site: SiteRef,
    /// The vaccines the site handles.
    pub site_vaccines: Vec<Choice>,
    /// The vaccines the site's pending request adds (selectable once it is approved).
    pub pending_vaccines: Vec<Choice>,
    /// The doctors.
    pub doctors: Vec<DoctorRow>,
}

/// A site's doctors.
#[server(prefix = "/api", endpoint = "load_doctors", protocol = AppHttp<Json>)]
pub async fn load_doctors(site_id: i64) -> Result<DoctorList, AppError> {
    backend()?.load_doctors(site_id).await
}

/// 医師情報の編集 → 保存.
#[server(prefix = "/api", endpoint = "save_doctor", protocol = AppHttp<Json>)]
pub async fn save_doctor(save: DoctorEdit) -> Result<DoctorRow, AppError> {
    backend()?.save_doctor(save).await
}

/// Deletes a doctor (never the last one).
#[server(prefix = "/api", endpoint = "delete_doctor", protocol = AppHttp<Json>)]
pub async fn delete_doctor(site_id: i64, doctor_id: i64) -> Result<(), AppError> {
    backend()?.delete_doctor(site_id, doctor_id).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait DoctorsApi: Send + Sync {
    /// A site's doctors.
    async fn load_doctors(&self, site_id: i64) -> Result<DoctorList, AppError>;
    /// 医師情報の編集 → 保存.
    async fn save_doctor(&self, save: DoctorEdit) -> Result<DoctorRow, AppError>;
    /// Deletes a doctor (never the last one).
    async fn delete_doctor(&self, site_id: i64, doctor_id: i64) -> Result<(), AppError>;
}
