//! お知らせ: ホーム's latest notices, 過去のお知らせ一覧, and the authors' own notices.
//!
//! The server implements [`NoticesApi`] in `server/src/service/notices.rs`.

use crate::api::AppHttp;
use crate::domain::help::NoticeForm;
use crate::domain::Role;
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// A notice as its reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    /// Id.
    pub id: i64,
    /// 件名.
    pub title: String,
    /// 本文 (plain text; shown with its addresses as links).
    pub body: String,
    /// 重要.
    pub important: bool,
    /// 掲載開始日 (YYYY-MM-DD).
    pub valid_from: String,
    /// 掲載終了日 (YYYY-MM-DD).
    pub valid_until: String,
    /// The author's organisation (厚生労働省, 東京都, 千代田区).
    pub author: String,
    /// Whether this user has opened it.
    pub read: bool,
}

/// A page of 過去のお知らせ一覧.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePage {
    /// The notices of the page, newest first.
    pub notices: Vec<NoticeView>,
    /// How many valid notices match in all.
    pub total: u32,
    /// How many of them are unread.
    pub unread: u32,
}

/// A notice as its author's organisation manages it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthoredNotice {
    /// The notice as readers see it.
    pub notice: NoticeView,
    /// The form to edit it.
    pub form: NoticeForm,
    /// The audience's roles.
    pub roles: Vec<Role>,
    /// The audience's regions by name (empty: the author's whole area).
    pub region_names: Vec<String>,
    /// 掲載中, 掲載前, 掲載終了 or 取り下げ.
    pub state: NoticeState,
}

/// Where a notice stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeState {
    /// 掲載前.
    Scheduled,
    /// 掲載中.
    Showing,
    /// 掲載終了.
    Ended,
    /// 取り下げ.
    Withdrawn,
}

/// A region an author may address (its own area and what lies below).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOption {
    /// `13` or `131016`.
    pub code: String,
    /// 東京都, 千代田区.
    pub name: String,
}

/// The latest notices for ホーム (at most 10, newest first).
#[server(prefix = "/api", endpoint = "home_notices", protocol = AppHttp<Json>)]
pub async fn home_notices() -> Result<NoticePage, AppError> {
    backend()?.home_notices().await
}

/// 過去のお知らせ一覧: every valid notice for the user matching `query`, 20 a page.
#[server(prefix = "/api", endpoint = "list_notices", protocol = AppHttp<Json>)]
pub async fn list_notices(query: String, page: u32) -> Result<NoticePage, AppError> {
    backend()?.list_notices(query, page).await
}

/// Marks a notice read by the user (when it is opened).
#[server(prefix = "/api", endpoint = "mark_notice_read", protocol = AppHttp<Json>)]
pub async fn mark_notice_read(id: i64) -> Result<(), AppError> {
    backend()?.mark_notice_read(id).await
}

/// The notices of the caller's organisation, newest first.
#[server(prefix = "/api", endpoint = "authored_notices", protocol = AppHttp<Json>)]
pub async fn authored_notices() -> Result<Vec<AuthoredNotice>, AppError> {
    backend()?.authored_notices().await
}

/// The regions the caller may address.
#[server(prefix = "/api", endpoint = "notice_regions", protocol = AppHttp<Json>)]
pub async fn notice_regions() -> Result<Vec<RegionOption>, AppError> {
    backend()?.notice_regions().await
}

/// Writes a new notice (`id` none) or edits one of the caller's organisation.
#[server(prefix = "/api", endpoint = "save_notice", protocol = AppHttp<Json>)]
pub async fn save_notice(id: Option<i64>, form: NoticeForm) -> Result<AuthoredNotice, AppError> {
    backend()?.save_notice(id, form).await
}

/// 取り下げ: the notice is no longer shown.
#[server(prefix = "/api", endpoint = "withdraw_notice", protocol = AppHttp<Json>)]
pub async fn withdraw_notice(id: i64) -> Result<AuthoredNotice, AppError> {
    backend()?.withdraw_notice(id).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait NoticesApi: Send + Sync {
    /// ホーム's notices.
    async fn home_notices(&self) -> Result<NoticePage, AppError>;
    /// 過去のお知らせ一覧.
    async fn list_notices(&self, query: String, page: u32) -> Result<NoticePage, AppError>;
    /// Marks read.
    async fn mark_notice_read(&self, id: i64) -> Result<(), AppError>;
    /// The organisation's notices.
    async fn authored_notices(&self) -> Result<Vec<AuthoredNotice>, AppError>;
    /// The regions the caller may address.
    async fn notice_regions(&self) -> Result<Vec<RegionOption>, AppError>;
    /// Writes or edits.
    async fn save_notice(
        &self,
        id: Option<i64>,
        form: NoticeForm,
    ) -> Result<AuthoredNotice, AppError>;
    /// 取り下げ.
    async fn withdraw_notice(&self, id: i64) -> Result<AuthoredNotice, AppError>;
}
