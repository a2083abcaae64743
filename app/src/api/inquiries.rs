//! 問い合わせフォーム and the service desk's inbox.
//!
//! The server implements [`InquiriesApi`] in `server/src/service/inquiries.rs`.

use crate::api::AppHttp;
use crate::domain::help::{InquiryCategory, InquiryForm, InquiryStatus, MediaType, Upload};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// An inquiry in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquirySummary {
    /// Id (受付番号).
    pub id: i64,
    /// Category.
    pub category: InquiryCategory,
    /// 件名.
    pub subject: String,
    /// 未対応, 対応中, 完了.
    pub status: InquiryStatus,
    /// Sent (RFC 3339, JST).
    pub created_at: String,
    /// Last change (RFC 3339, JST).
    pub updated_at: String,
    /// Hours since it was sent (the desk's age of an open inquiry).
    pub age_hours: i64,
    /// Who sent it: name and organisation.
    pub requester: String,
    /// The desk member handling it.
    pub assignee: Option<String>,
}

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageKind {
    /// The user's question or follow-up.
    Question,
    /// The service desk's answer.
    Reply,
    /// The desk's internal note (never shown to the user).
    Note,
}

/// A message of an inquiry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryMessage {
    /// Question, reply or note.
    pub kind: MessageKind,
    /// Author's name.
    pub author: String,
    /// Text.
    pub body: String,
    /// When (RFC 3339, JST).
    pub at: String,
    /// An attachment: its id under `/files/`, name and type.
    pub file: Option<(i64, String, MediaType)>,
}

/// An inquiry with its messages (the user sees no notes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryView {
    /// The summary.
    pub summary: InquirySummary,
    /// Messages, oldest first.
    pub messages: Vec<InquiryMessage>,
    /// The assignee's user id.
    pub assignee_id: Option<i64>,
}

/// What the service desk does with an inquiry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeskAction {
    /// Answers the user (mailed to them); `close` marks it 完了 at once.
    Reply { body: String, close: bool },
    /// An internal note.
    Note { body: String },
    /// Assigns a desk member (none: unassigned).
    Assign { user_id: Option<i64> },
    /// Moves it to a status.
    SetStatus { status: InquiryStatus },
}

/// A member of the service desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskMember {
    /// User id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The service desk's inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    /// The inquiries of the chosen status, oldest first.
    pub inquiries: Vec<InquirySummary>,
    /// How many inquiries each status holds.
    pub counts: Vec<(InquiryStatus, u32)>,
}

/// Sends an inquiry.
#[server(prefix = "/api", endpoint = "send_inquiry", protocol = AppHttp<Json>)]
pub async fn send_inquiry(form: InquiryForm) -> Result<InquiryView, AppError> {
    backend()?.send_inquiry(form).await
}

/// The caller's own inquiries, newest first.
#[server(prefix = "/api", endpoint = "my_inquiries", protocol = AppHttp<Json>)]
pub async fn my_inquiries() -> Result<Vec<InquirySummary>, AppError> {
    backend()?.my_inquiries().await
}

/// One inquiry: its sender's own, or any for the service desk.
#[server(prefix = "/api", endpoint = "load_inquiry", protocol = AppHttp<Json>)]
pub async fn load_inquiry(id: i64) -> Result<InquiryView, AppError> {
    backend()?.load_inquiry(id).await
}

/// The sender adds to an open inquiry.
#[server(prefix = "/api", endpoint = "follow_up_inquiry", protocol = AppHttp<Json>)]
pub async fn follow_up_inquiry(
    id: i64,
    body: String,
    attachment: Option<Upload>,
) -> Result<InquiryView, AppError> {
    backend()?.follow_up_inquiry(id, body, attachment).await
}

/// The service desk's inbox for a status.
#[server(prefix = "/api", endpoint = "desk_inbox", protocol = AppHttp<Json>)]
pub async fn desk_inbox(status: InquiryStatus) -> Result<InboxPage, AppError> {
    backend()?.desk_inbox(status).await
}

/// The service desk's members, for assignment.
#[server(prefix = "/api", endpoint = "desk_members", protocol = AppHttp<Json>)]
pub async fn desk_members() -> Result<Vec<DeskMember>, AppError> {
    backend()?.desk_members().await
}

/// The service desk acts on an inquiry.
#[server(prefix = "/api", endpoint = "desk_act", protocol = AppHttp<Json>)]
pub async fn desk_act(id: i64, action: DeskAction) -> Result<InquiryView, AppError> {
    backend()?.desk_act(id, action).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait InquiriesApi: Send + Sync {
    /// Sends.
    async fn send_inquiry(&self, form: InquiryForm) -> Result<InquiryView, AppError>;
    /// The caller's own.
    async fn my_inquiries(&self) -> Result<Vec<InquirySummary>, AppError>;
    /// One.
    async fn load_inquiry(&self, id: i64) -> Result<InquiryView, AppError>;
    /// A follow-up.
    async fn follow_up_inquiry(
        &self,
        id: i64,
        body: String,
        attachment: Option<Upload>,
    ) -> Result<InquiryView, AppError>;
    /// The inbox.
    async fn desk_inbox(&self, status: InquiryStatus) -> Result<InboxPage, AppError>;
    /// The members.
    async fn desk_members(&self) -> Result<Vec<DeskMember>, AppError>;
    /// An action.
    async fn desk_act(&self, id: i64, action: DeskAction) -> Result<InquiryView, AppError>;
}
