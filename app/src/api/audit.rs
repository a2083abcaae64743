//! 監査ログ: the append-only audit log, filtered.
//!
//! The server implements [`AuditApi`] in `server/src/service/audit.rs`.

use crate::api::AppHttp;
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One row of the append-only audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// Id (increasing).
    pub id: i64,
    /// When (RFC 3339, JST).
    pub at: String,
    /// Who acted (user name), if a user.
    pub actor: Option<String>,
    /// The site acted for (代理入力), if any.
    pub acting_for: Option<String>,
    /// The kind of thing changed.
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// The field changed.
    pub field: String,
    /// Value before.
    pub old_value: Option<String>,
    /// Value after.
    pub new_value: Option<String>,
}

/// A filter for the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Only this entity kind, when set.
    pub entity: String,
    /// Free text matched against the actor, entity id and values.
    pub text: String,
    /// Rows before this id (for paging back), when set.
    pub before_id: Option<i64>,
}

/// The audit log, newest first, 100 rows a page (admin only).
#[server(prefix = "/api", endpoint = "list_audit", protocol = AppHttp<Json>)]
pub async fn list_audit(query: AuditQuery) -> Result<Vec<AuditRow>, AppError> {
    backend()?.list_audit(query).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AuditApi: Send + Sync {
    /// The audit log, newest first, 100 rows a page (admin only).
    async fn list_audit(&self, query: AuditQuery) -> Result<Vec<AuditRow>, AppError>;
}
