//! 情報変更申請: a municipality's change requests, and their approval (which applies the
//! requested values to the record) or rejection.

use super::access::MUNICIPALITY_READERS;
use super::site_record::{
    actor_for, check_type_switch, load, site_change, write_audited, Write, READERS,
};
use super::{OrInternal, RequestBackend, Scope};
use crate::clock::to_jst_rfc3339;
use crate::db::audit::{self};
use crate::db::site_record::{self as db, RequestRow};
use crate::mail::templates;
use app::api::{ChangeRequestView, ChangeRequestsApi, DecideRequest, RequestStatus, SiteRef};
use app::domain::{FieldChange, Form, Role};
use app::error::{AppError, RefusalReason};

#[async_trait::async_trait]
impl ChangeRequestsApi for RequestBackend {
    async fn list_change_requests(
        &self,
        municipality: String,
    ) -> Result<Vec<ChangeRequestView>, AppError> {
        self.authorize(
            MUNICIPALITY_READERS,
            Scope::Municipality(municipality.clone()),
        )
        .await?;
        let mut conn = self.conn().await?;
        let rows = db::pending_requests_of(&mut conn, &municipality)
            .await
            .or_internal("list change requests")?;
        rows.into_iter().map(request_view).collect()
    }

    async fn load_change_request(&self, id: i64) -> Result<ChangeRequestView, AppError> {
        let (_, row) = self.scoped_request(id, READERS).await?;
        request_view(row)
    }

    async fn decide_change_request(
        &self,
        decision: DecideRequest,
    ) -> Result<ChangeRequestView, AppError> {
        let (caller, row) = self
            .scoped_request(decision.id, &[Role::Municipality])
            .await?;
        let comment = decision.validate().map_err(AppError::Validation)?;
        let site_id = row.site_id;
        let now = self.now();
        let status = if decision.approve {
            RequestStatus::Approved
        } else {
            RequestStatus::Rejected
        };
        let actor = actor_for(&caller, site_id);
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let decided = db::decide_request(
            &mut tx,
            decision.id,
            status.as_str(),
            caller.user.id,
            &comment,
            now,
        )
        .await
        .or_internal("decide change request")?;
        if !decided {
            return Err(AppError::Refused(RefusalReason::AlreadyDecided));
        }
        if decision.approve {
            let changes: Vec<FieldChange> =
                serde_json::from_str(&row.changes).or_internal("decode request")?;
            let current = load(&mut tx, site_id).await?;
            let proposed = current
                .form
                .with_changes(&changes)
                .or_internal("apply change request")?;
            // Everything or nothing: the whole record must still be valid (the basic site a
            // satellite names may have changed type since), or the transaction rolls back.
            let stored = proposed
                .validate(&current.rules)
                .map_err(AppError::Validation)?;
            check_type_switch(&mut tx, site_id, &changes).await?;
            let applied = stored.changes_from(&current.form);
            let write = Write {
                site_id,
                version: current.row.version,
                reservation_changed: false,
                actor,
                now,
            };
            write_audited(&mut tx, write, &stored, &applied).await?;
        }
        let field = format!("request:{}", decision.id);
        let new_value = if comment.is_empty() {
            status.as_str().to_string()
        } else {
            format!("{}: {comment}", status.as_str())
        };
        audit::record(
            &mut tx,
            now,
            actor,
            site_change(
                site_id,
                &field,
                Some(RequestStatus::Pending.as_str().into()),
                Some(new_value),
            ),
        )
        .await
        .or_internal("audit")?;
        let emails = db::site_user_emails(&mut tx, site_id)
            .await
            .or_internal("load site users")?;
        let view = db::request(&mut tx, decision.id)
            .await
            .or_internal("load change request")?
            .map(request_view)
            .transpose()?
            .ok_or(AppError::NotFound)?;
        tx.commit().await.or_internal("commit")?;
        let (subject, body) =
            templates::request_decided(&view.site.name, decision.approve, &comment);
        for email in emails {
            if let Err(error) = self
                .state
                .mailer
                .send(&self.state.db, now, &email, &subject, &body)
                .await
            {
                // The decision stands; the site also sees it on its home.
                tracing::error!(%error, request = decision.id, "decision mail not sent");
            }
        }
        Ok(view)
    }
}

/// The view of a stored request; changes that do not decode are a logged internal error.
pub(super) fn request_view(row: RequestRow) -> Result<ChangeRequestView, AppError> {
    Ok(ChangeRequestView {
        id: row.id,
        site: SiteRef {
            id: row.site_id,
            name: row.site_name,
        },
        status: row.status,
        changes: serde_json::from_str(&row.changes).or_internal("decode requested changes")?,
        requested_at: to_jst_rfc3339(row.requested_at),
        requested_by: row.requested_by,
        decided_at: row.decided_at.map(to_jst_rfc3339),
        decided_by: row.decided_by,
        comment: row.comment,
    })
}
