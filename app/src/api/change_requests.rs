//! 情報変更申請: the change requests of a municipality's sites, and their approval or rejection.
//!
//! The server implements [`ChangeRequestsApi`] in `server/src/service/change_requests.rs`.

use super::SiteRef;
use crate::api::AppHttp;
use crate::domain::FieldChange;
use crate::error::{AppError, FieldError, FieldErrors};
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// State of a change request (申請).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    /// 申請中
    Pending,
    /// 承認
    Approved,
    /// 却下
    Rejected,
}

impl RequestStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

impl TryFrom<String> for RequestStatus {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, FieldError> {
        Self::parse(&value).ok_or(FieldError::InvalidChoice)
    }
}

/// A change request: the fields it changes, old and new side by side, and its decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequestView {
    /// Id.
    pub id: i64,
    /// The site that asked.
    pub site: SiteRef,
    /// 申請中, 承認 or 却下.
    pub status: RequestStatus,
    /// Each field with its value when asked and the value asked for.
    pub changes: Vec<FieldChange>,
    /// When it was asked (RFC 3339, JST).
    pub requested_at: String,
    /// Who asked.
    pub requested_by: Option<String>,
    /// When it was decided.
    pub decided_at: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// The municipality's comment.
    pub comment: String,
}

/// The municipality's decision on a request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideRequest {
    /// The request.
    pub id: i64,
    /// 承認 (true) or 却下 (false).
    pub approve: bool,
    /// コメント (required to reject, so the site knows why).
    pub comment: String,
}

impl DecideRequest {
    /// The comment as it will be stored (several lines; hidden characters removed, trimmed). A
    /// rejection needs one; comments are at most 1000 characters.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let comment = crate::text::multi_line(&self.comment).trim().to_string();
        if !self.approve && comment.is_empty() {
            errors.add("comment", FieldError::Required);
        }
        if comment.chars().count() > 1000 {
            errors.add("comment", FieldError::TooLong { max: 1000 });
        }
        if errors.is_empty() {
            Ok(comment)
        } else {
            Err(errors)
        }
    }
}

/// 市町村内の医療機関からの情報変更申請一覧（申請中のみ）.
#[server(prefix = "/api", endpoint = "list_change_requests", protocol = AppHttp<Json>)]
pub async fn list_change_requests(
    municipality: String,
) -> Result<Vec<ChangeRequestView>, AppError> {
    backend()?.list_change_requests(municipality).await
}

/// One change request.
#[server(prefix = "/api", endpoint = "load_change_request", protocol = AppHttp<Json>)]
pub async fn load_change_request(id: i64) -> Result<ChangeRequestView, AppError> {
    backend()?.load_change_request(id).await
}

/// 承認 or 却下 (the site's municipality only).
#[server(prefix = "/api", endpoint = "decide_change_request", protocol = AppHttp<Json>)]
pub async fn decide_change_request(decision: DecideRequest) -> Result<ChangeRequestView, AppError> {
    backend()?.decide_change_request(decision).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ChangeRequestsApi: Send + Sync {
    /// 市町村内の医療機関からの情報変更申請一覧（申請中のみ）.
    async fn list_change_requests(
        &self,
        municipality: String,
    ) -> Result<Vec<ChangeRequestView>, AppError>;
    /// One change request.
    async fn load_change_request(&self, id: i64) -> Result<ChangeRequestView, AppError>;
    /// 承認 or 却下 (the site's municipality only).
    async fn decide_change_request(
        &self,
        decision: DecideRequest,
    ) -> Result<ChangeRequestView, AppError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_needs_a_comment_and_an_approval_does_not() {
        let reject = DecideRequest {
            id: 1,
            approve: false,
            comment: " ".into(),
        };
        assert_eq!(
            reject.validate().unwrap_err().get("comment"),
            Some(&FieldError::Required)
        );
        let approve = DecideRequest {
            approve: true,
            ..reject
        };
        assert!(approve.validate().is_ok());
        let hidden = DecideRequest {
            comment: "\u{202E}再提出\u{200B}してください\r\n以上".into(),
            ..approve
        };
        assert_eq!(hidden.validate().unwrap(), "再提出してください\n以上");
    }

    #[test]
    fn request_statuses_round_trip_through_their_stored_names() {
        for status in [
            RequestStatus::Pending,
            RequestStatus::Approved,
            RequestStatus::Rejected,
        ] {
            assert_eq!(RequestStatus::parse(status.as_str()), Some(status));
        }
    }
}
