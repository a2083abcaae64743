//! 問い合わせフォーム and the service desk: any user sends inquiries and sees only their own; the
//! service desk (system administrators) sees them all, assigns, notes, answers and closes. Each
//! answer is mailed to the sender.

use super::{Caller, OrInternal, RequestBackend};
use crate::clock::to_jst_rfc3339;
use crate::db::audit::{self, Change};
use crate::db::files;
use crate::db::inquiries::{self as db, InquiryRecord};
use crate::mail::templates;
use app::api::{
    DeskAction, DeskMember, InboxPage, InquiriesApi, InquiryMessage, InquirySummary, InquiryView,
    MessageKind,
};
use app::domain::help::inquiries::MESSAGE_MAX;
use app::domain::help::{required_text, FileRules, InquiryForm, InquiryStatus, MediaType, Upload};
use app::domain::Role;
use app::error::{AppError, FieldErrors, RefusalReason};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// Every role may ask.
const SENDERS: &[Role] = &Role::ALL;
/// The service desk.
const DESK: &[Role] = &[Role::Admin];

#[async_trait::async_trait]
impl InquiriesApi for RequestBackend {
    async fn send_inquiry(&self, form: InquiryForm) -> Result<InquiryView, AppError> {
        let caller = self.require_role(SENDERS).await?;
        let inquiry = form.validate().map_err(AppError::Validation)?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let id = db::insert(
            &mut tx,
            caller.user.id,
            inquiry.category,
            &inquiry.subject,
            now,
        )
        .await
        .or_internal("insert inquiry")?;
        let file_id = match &inquiry.attachment {
            Some((upload, media_type)) => {
                Some(store_file(&mut tx, upload, *media_type, caller.user.id, now).await?)
            }
            None => None,
        };
        db::add_message(
            &mut tx,
            id,
            caller.user.id,
            "question",
            &inquiry.body,
            file_id,
            now,
        )
        .await
        .or_internal("add question")?;
        audit::record(
            &mut tx,
            now,
            caller.actor(),
            change(
                id,
                "sent",
                Some(format!(
                    "[{}] {}",
                    inquiry.category.as_str(),
                    inquiry.subject
                )),
            ),
        )
        .await
        .or_internal("audit")?;
        let view = view_of(&mut tx, id, false, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(view)
    }

    async fn my_inquiries(&self) -> Result<Vec<InquirySummary>, AppError> {
        let caller = self.require_role(SENDERS).await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let rows = db::of_user(&mut conn, caller.user.id)
            .await
            .or_internal("load inquiries")?;
        Ok(rows.into_iter().map(|r| summary(r, now)).collect())
    }

    async fn load_inquiry(&self, id: i64) -> Result<InquiryView, AppError> {
        let caller = self.require_role(SENDERS).await?;
        let mut conn = self.conn().await?;
        let desk = own_or_desk(&mut conn, &caller, id).await?;
        view_of(&mut conn, id, desk, self.now()).await
    }

    async fn follow_up_inquiry(
        &self,
        id: i64,
        body: String,
        attachment: Option<Upload>,
    ) -> Result<InquiryView, AppError> {
        let caller = self.require_role(SENDERS).await?;
        let mut errors = FieldErrors::new();
        let body = errors.check("body", required_text(&body, MESSAGE_MAX));
        let media_type = attachment
            .as_ref()
            .and_then(|upload| errors.check("attachment", FileRules::INQUIRY.check(upload)));
        let Some(body) = body.filter(|_| errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let record = db::by_id(&mut tx, id)
            .await
            .or_internal("load inquiry")?
            .filter(|r| r.user_id == caller.user.id)
            .ok_or(AppError::NotFound)?;
        if record.status == InquiryStatus::Closed {
            return Err(AppError::Refused(RefusalReason::InquiryClosed));
        }
        let file_id = match (&attachment, media_type) {
            (Some(upload), Some(media_type)) => {
                Some(store_file(&mut tx, upload, media_type, caller.user.id, now).await?)
            }
            _ => None,
        };
        db::add_message(&mut tx, id, caller.user.id, "question", &body, file_id, now)
            .await
            .or_internal("add follow-up")?;
        audit::record(
            &mut tx,
            now,
            caller.actor(),
            change(id, "follow_up", Some(body)),
        )
        .await
        .or_internal("audit")?;
        let view = view_of(&mut tx, id, false, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(view)
    }

    async fn desk_inbox(&self, status: InquiryStatus) -> Result<InboxPage, AppError> {
        self.require_role(DESK).await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let rows = db::with_status(&mut conn, status)
            .await
            .or_internal("load inbox")?;
        let stored = db::counts(&mut conn).await.or_internal("count inquiries")?;
        let counts = InquiryStatus::ALL
            .into_iter()
            .map(|s| {
                let n = stored
                    .iter()
                    .find(|(name, _)| name == s.as_str())
                    .map_or(0, |(_, n)| *n);
                (s, n as u32)
            })
            .collect();
        Ok(InboxPage {
            inquiries: rows.into_iter().map(|r| summary(r, now)).collect(),
            counts,
        })
    }

    async fn desk_members(&self) -> Result<Vec<DeskMember>, AppError> {
        self.require_role(DESK).await?;
        let mut conn = self.conn().await?;
        let members = db::desk_members(&mut conn)
            .await
            .or_internal("load desk members")?;
        Ok(members
            .into_iter()
            .map(|(id, name)| DeskMember { id, name })
            .collect())
    }

    async fn desk_act(&self, id: i64, action: DeskAction) -> Result<InquiryView, AppError> {
        let caller = self.require_role(DESK).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let record = db::by_id(&mut tx, id)
            .await
            .or_internal("load inquiry")?
            .ok_or(AppError::NotFound)?;
        let mut mail = None;
        let audit_change = match &action {
            DeskAction::Reply { body, close } => {
                let body = checked_body(body)?;
                db::add_message(&mut tx, id, caller.user.id, "reply", &body, None, now)
                    .await
                    .or_internal("add reply")?;
                let status = if *close {
                    InquiryStatus::Closed
                } else {
                    InquiryStatus::InProgress
                };
                db::set_status(&mut tx, id, status, now)
                    .await
                    .or_internal("set status")?;
                if record.assignee_id.is_none() {
                    db::set_assignee(&mut tx, id, Some(caller.user.id), now)
                        .await
                        .or_internal("assign")?;
                }
                mail = Some(templates::inquiry_answered(id, &record.subject, &body));
                change(id, "reply", Some(body))
            }
            DeskAction::Note { body } => {
                let body = checked_body(body)?;
                db::add_message(&mut tx, id, caller.user.id, "note", &body, None, now)
                    .await
                    .or_internal("add note")?;
                change(id, "note", Some(body))
            }
            DeskAction::Assign { user_id } => {
                if let Some(member) = user_id {
                    let members = db::desk_members(&mut tx)
                        .await
                        .or_internal("load desk members")?;
                    if !members.iter().any(|(id, _)| id == member) {
                        let mut errors = FieldErrors::new();
                        errors.add("assignee", app::error::FieldError::InvalidChoice);
                        return Err(AppError::Validation(errors));
                    }
                }
                db::set_assignee(&mut tx, id, *user_id, now)
                    .await
                    .or_internal("assign")?;
                change(id, "assignee", user_id.map(|u| u.to_string()))
            }
            DeskAction::SetStatus { status } => {
                db::set_status(&mut tx, id, *status, now)
                    .await
                    .or_internal("set status")?;
                change(id, "status", Some(status.as_str().to_string()))
            }
        };
        audit::record(&mut tx, now, caller.actor(), audit_change)
            .await
            .or_internal("audit")?;
        let view = view_of(&mut tx, id, true, now).await?;
        tx.commit().await.or_internal("commit")?;
        if let Some((subject, body)) = mail {
            if let Err(error) = self
                .state
                .mailer
                .send(
                    &self.state.db,
                    now,
                    &record.requester_email,
                    &subject,
                    &body,
                )
                .await
            {
                // The answer stands; the sender also sees it in the app.
                tracing::error!(%error, inquiry = id, "answer mail not sent");
            }
        }
        Ok(view)
    }
}

fn checked_body(body: &str) -> Result<String, AppError> {
    required_text(body, MESSAGE_MAX).map_err(|error| {
        let mut errors = FieldErrors::new();
        errors.add("body", error);
        AppError::Validation(errors)
    })
}

async fn store_file(
    conn: &mut AnyConnection,
    upload: &Upload,
    media_type: MediaType,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    files::insert(
        conn,
        upload.name.trim(),
        media_type.mime(),
        &upload.content.0,
        user_id,
        now,
    )
    .await
    .or_internal("store file")
}

/// True for the service desk; the sender reads their own as not the desk; anyone else gets not
/// found.
async fn own_or_desk(conn: &mut AnyConnection, caller: &Caller, id: i64) -> Result<bool, AppError> {
    let record = db::by_id(conn, id)
        .await
        .or_internal("load inquiry")?
        .ok_or(AppError::NotFound)?;
    if DESK.contains(&caller.role) {
        Ok(true)
    } else if record.user_id == caller.user.id {
        Ok(false)
    } else {
        Err(AppError::NotFound)
    }
}

fn change(id: i64, field: &'static str, new: Option<String>) -> Change<'static> {
    Change {
        entity: "inquiry",
        entity_id: id.to_string(),
        field,
        old_value: None,
        new_value: new,
    }
}

fn summary(r: InquiryRecord, now: DateTime<Utc>) -> InquirySummary {
    let requester = match &r.organisation {
        Some(org) => format!("{}（{org}）", r.requester),
        None => r.requester.clone(),
    };
    InquirySummary {
        id: r.id,
        category: r.category,
        subject: r.subject,
        status: r.status,
        created_at: to_jst_rfc3339(r.created_at),
        updated_at: to_jst_rfc3339(r.updated_at),
        age_hours: (now - r.created_at).num_hours(),
        requester,
        assignee: r.assignee,
    }
}

async fn view_of(
    conn: &mut AnyConnection,
    id: i64,
    desk: bool,
    now: DateTime<Utc>,
) -> Result<InquiryView, AppError> {
    let record = db::by_id(conn, id)
        .await
        .or_internal("load inquiry")?
        .ok_or(AppError::NotFound)?;
    let assignee_id = record.assignee_id;
    let rows = db::messages(conn, id, desk)
        .await
        .or_internal("load messages")?;
    let mut messages = Vec::with_capacity(rows.len());
    for m in rows {
        let kind = match m.kind.as_str() {
            "question" => MessageKind::Question,
            "reply" => MessageKind::Reply,
            "note" => MessageKind::Note,
            _ => return Err("unknown message kind").or_internal("decode message kind"),
        };
        let file = match (m.file_id, m.file_name, m.file_type) {
            (Some(file_id), Some(name), Some(mime)) => Some((
                file_id,
                name,
                MediaType::from_mime(&mime)
                    .ok_or("unknown media type")
                    .or_internal("decode file type")?,
            )),
            _ => None,
        };
        messages.push(InquiryMessage {
            kind,
            author: m.author,
            body: m.body,
            at: to_jst_rfc3339(m.created_at),
            file,
        });
    }
    Ok(InquiryView {
        summary: summary(record, now),
        messages,
        assignee_id,
    })
}
