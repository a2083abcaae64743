//! 分配 and データロック (SPEC §5): each level's allocation table with the requests beside it and
//! a proposal pro rata to them; saving it; a prefecture locking and unlocking its area.
//!
//! The server implements [`AllocationApi`] in `server/src/service/allocation.rs`.

use super::CoolSummary;
use crate::api::AppHttp;
use crate::domain::{AllocationLevel, TypedRow};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One row of an allocation table: a prefecture, a municipality or a basic site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationRow {
    /// The target: a prefecture code, a municipality code or a site id, as text.
    pub target: String,
    /// Its name.
    pub name: String,
    /// Boxes requested below it; `None` for a site that registered nothing.
    pub requested: Option<u64>,
    /// Boxes allocated to it.
    pub boxes: u64,
    /// The proposal pro rata to the requests.
    pub proposed: u64,
    /// Its prefecture has locked the cool (the national table's rows).
    pub locked: bool,
}

/// One level's allocation table of a cool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationTable {
    /// The cool.
    pub cool: CoolSummary,
    /// Whose table it is.
    pub level: AllocationLevel,
    /// The name of the area (全国, 東京都, 千代田区).
    pub area: String,
    /// Boxes the level above gave this level (the cool's supply for national users).
    pub available: u64,
    /// Every row, in code or name order.
    pub rows: Vec<AllocationRow>,
    /// The table's version, sent back with a save.
    pub version: i64,
    /// The area lies in a locked prefecture (or, for the national table, never).
    pub locked: bool,
    /// The caller may save the table now.
    pub editable: bool,
    /// The caller may lock the prefecture (its prefecture or national users, on a prefecture's table).
    pub may_lock: bool,
}

/// A saved allocation table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationSave {
    /// The cool.
    pub cool_id: i64,
    /// Whose table.
    pub level: AllocationLevel,
    /// The version the user loaded.
    pub version: i64,
    /// (target, boxes as typed) for each row.
    pub rows: Vec<TypedRow>,
}

/// One level's allocation table.
#[server(prefix = "/api", endpoint = "load_allocation", protocol = AppHttp<Json>)]
pub async fn load_allocation(
    cool_id: i64,
    level: AllocationLevel,
) -> Result<AllocationTable, AppError> {
    backend()?.load_allocation(cool_id, level).await
}

/// Saves one level's allocation table.
#[server(prefix = "/api", endpoint = "save_allocation", protocol = AppHttp<Json>)]
pub async fn save_allocation(save: AllocationSave) -> Result<AllocationTable, AppError> {
    backend()?.save_allocation(save).await
}

/// データロック (or its release) of a prefecture in a cool; answers the prefecture's table.
#[server(prefix = "/api", endpoint = "set_data_lock", protocol = AppHttp<Json>)]
pub async fn set_data_lock(
    cool_id: i64,
    prefecture: i64,
    locked: bool,
) -> Result<AllocationTable, AppError> {
    backend()?.set_data_lock(cool_id, prefecture, locked).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AllocationApi: Send + Sync {
    /// One level's allocation table.
    async fn load_allocation(
        &self,
        cool_id: i64,
        level: AllocationLevel,
    ) -> Result<AllocationTable, AppError>;
    /// Saves one level's allocation table.
    async fn save_allocation(&self, save: AllocationSave) -> Result<AllocationTable, AppError>;
    /// データロック or its release.
    async fn set_data_lock(
        &self,
        cool_id: i64,
        prefecture: i64,
        locked: bool,
    ) -> Result<AllocationTable, AppError>;
}
