//! 監査ログ: the append-only audit log, for the system administrator.

use super::{OrInternal, RequestBackend, Scope};
use crate::clock::to_jst_rfc3339;
use crate::db::audit;
use app::api::{AuditApi, AuditQuery, AuditRow};
use app::domain::{Role, SearchText};
use app::error::{AppError, FieldErrors};

#[async_trait::async_trait]
impl AuditApi for RequestBackend {
    async fn list_audit(&self, query: AuditQuery) -> Result<Vec<AuditRow>, AppError> {
        self.authorize(&[Role::Admin], Scope::Own).await?;
        let mut errors = FieldErrors::new();
        let text = errors.check("text", SearchText::parse(&query.text));
        let entity = errors.check("entity", SearchText::parse(&query.entity));
        errors.into_result()?;
        let pattern = text
            .filter(|t| !t.is_empty())
            .map(|t| t.like_pattern(false));
        let entity = entity.filter(|e| !e.is_empty());
        let mut conn = self.conn().await?;
        let rows = audit::list(
            &mut conn,
            entity.as_ref().map(SearchText::as_str),
            pattern.as_deref(),
            query.before_id,
            100,
        )
        .await
        .or_internal("list audit")?;
        Ok(rows
            .into_iter()
            .map(|r| AuditRow {
                id: r.id,
                at: to_jst_rfc3339(r.at),
                actor: r.actor,
                acting_for: r.acting_for,
                entity: r.entity,
                entity_id: r.entity_id,
                field: r.field,
                old_value: r.old_value,
                new_value: r.new_value,
            })
            .collect())
    }
}
