//! 製薬メーカー・卸 and their 担当地域 (SPEC §5): which supplier delivers where, prefecture by
//! prefecture. National and admin users register suppliers and set their areas; a prefecture
//! reads who serves it.
//!
//! The server implements [`SuppliersApi`] in `server/src/service/suppliers.rs`.

use super::Choice;
use crate::api::AppHttp;
use crate::domain::{AreaEntry, AreaForm, SupplierForm};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One part of a supplier's service area in the prefecture shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaRow {
    /// The supplier's id.
    pub supplier_id: i64,
    /// The supplier's name.
    pub supplier: String,
    /// The municipality's code; `None`: the whole prefecture.
    pub municipality_code: Option<String>,
    /// The municipality's name; `None`: the whole prefecture.
    pub municipality: Option<String>,
}

/// Who serves one prefecture, and what the caller may do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierAreas {
    /// The prefecture shown.
    pub prefecture: u8,
    /// Its name.
    pub prefecture_name: String,
    /// The prefectures the caller may look at.
    pub prefectures: Vec<Choice>,
    /// The prefecture's municipalities (for the area form).
    pub municipalities: Vec<Choice>,
    /// Every supplier, by name (for the area form).
    pub suppliers: Vec<Choice>,
    /// The areas in the prefecture, by supplier, the whole prefecture before municipalities.
    pub rows: Vec<AreaRow>,
    /// National and admin users register suppliers and change areas.
    pub editable: bool,
}

impl SupplierAreas {
    /// The areas as the form's check wants them.
    pub fn entries(&self) -> Vec<AreaEntry> {
        self.rows
            .iter()
            .map(|r| (r.supplier_id, r.municipality_code.clone()))
            .collect()
    }
}

/// Who serves `prefecture` (`None`: the caller's own, or 東京都 for national users).
#[server(prefix = "/api", endpoint = "load_supplier_areas", protocol = AppHttp<Json>)]
pub async fn load_supplier_areas(prefecture: Option<u8>) -> Result<SupplierAreas, AppError> {
    backend()?.load_supplier_areas(prefecture).await
}

/// Registers a new supplier (national and admin users); answers `prefecture`'s areas.
#[server(prefix = "/api", endpoint = "register_supplier", protocol = AppHttp<Json>)]
pub async fn register_supplier(
    prefecture: u8,
    form: SupplierForm,
) -> Result<SupplierAreas, AppError> {
    backend()?.register_supplier(prefecture, form).await
}

/// Adds a municipality, or the whole of `prefecture`, to a supplier's area (national and admin
/// users). The whole prefecture replaces the supplier's municipalities in it.
#[server(prefix = "/api", endpoint = "add_supplier_area", protocol = AppHttp<Json>)]
pub async fn add_supplier_area(prefecture: u8, form: AreaForm) -> Result<SupplierAreas, AppError> {
    backend()?.add_supplier_area(prefecture, form).await
}

/// Takes a municipality, or the whole of `prefecture` (`municipality` None), out of a
/// supplier's area (national and admin users).
#[server(prefix = "/api", endpoint = "remove_supplier_area", protocol = AppHttp<Json>)]
pub async fn remove_supplier_area(
    prefecture: u8,
    supplier_id: i64,
    municipality: Option<String>,
) -> Result<SupplierAreas, AppError> {
    backend()?
        .remove_supplier_area(prefecture, supplier_id, municipality)
        .await
}

/// The suppliers area's server functions, implemented by the server.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SuppliersApi: Send + Sync {
    /// See [`load_supplier_areas`].
    async fn load_supplier_areas(&self, prefecture: Option<u8>) -> Result<SupplierAreas, AppError>;
    /// See [`register_supplier`].
    async fn register_supplier(
        &self,
        prefecture: u8,
        form: SupplierForm,
    ) -> Result<SupplierAreas, AppError>;
    /// See [`add_supplier_area`].
    async fn add_supplier_area(
        &self,
        prefecture: u8,
        form: AreaForm,
    ) -> Result<SupplierAreas, AppError>;
    /// See [`remove_supplier_area`].
    async fn remove_supplier_area(
        &self,
        prefecture: u8,
        supplier_id: i64,
        municipality: Option<String>,
    ) -> Result<SupplierAreas, AppError>;
}
