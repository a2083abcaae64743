//! The development outbox: mail kept on a demo server without SMTP (loopback only).
//!
//! The server implements [`OutboxApi`] in `server/src/service/outbox.rs`.

use crate::api::AppHttp;
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One mail in the development outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    /// Id.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Recipient.
    pub to: String,
    /// Subject, with the 【V-SYS】 prefix.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// The development outbox (only when no SMTP server is configured).
#[server(prefix = "/api", endpoint = "dev_outbox", protocol = AppHttp<Json>)]
pub async fn dev_outbox() -> Result<Vec<OutboxMail>, AppError> {
    backend()?.dev_outbox().await
}

/// Whether this browser may read the development outbox: the login page shows the link only
/// then, without downloading the mails (or the outbox page's code) to find out.
#[server(prefix = "/api", endpoint = "dev_outbox_open", protocol = AppHttp<Json>)]
pub async fn dev_outbox_open() -> Result<bool, AppError> {
    backend()?.dev_outbox_open().await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OutboxApi: Send + Sync {
    /// The development outbox (only when no SMTP server is configured).
    async fn dev_outbox(&self) -> Result<Vec<OutboxMail>, AppError>;

    /// Whether this browser may read the development outbox.
    async fn dev_outbox_open(&self) -> Result<bool, AppError>;
}
