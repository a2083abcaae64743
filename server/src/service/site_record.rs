//! 医療機関・接種会場の詳細 and 編集: loading and saving the record, change requests
//! and their approval by the municipality, doctors, and the record's history.

use super::change_requests::request_view;
use super::doctors::doctor_row;
use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::clock::to_jst_rfc3339;
use crate::db::audit::{self, Actor, Change};
use crate::db::site_record::{self as db, RequestRow, SiteRecordRow};
use crate::db::stock;
use app::api::{
    approval_fields, Choice, HistoryPage, HistoryRow, RequestStatus, SiteRecordApi, SiteRecordEdit,
    SiteRecordView, SiteRef, SiteSaved, HISTORY_PAGE_SIZE,
};
use app::domain::{locked_fields, site_field, FieldChange, Form, Role, SiteForm, SiteRules};
use app::error::{AppError, FieldError, FieldErrors};
use sqlx::AnyConnection;

/// Who may read a record: the site and those above it.
pub(super) const READERS: &[Role] = &[
    Role::Site,
    Role::Municipality,
    Role::Prefecture,
    Role::National,
    Role::Admin,
];
/// Who may change it: the site, and its municipality (代理入力 needs no setting).
pub(super) const WRITERS: &[Role] = &[Role::Site, Role::Municipality];

/// The audit actor for a change to `site_id`: a municipality user always acts for the site.
pub(super) fn actor_for(caller: &Caller, site_id: i64) -> Actor {
    let mut actor = caller.actor();
    if caller.role == Role::Municipality {
        actor.acting_for_site_id = Some(site_id);
    }
    actor
}

pub(super) fn site_change(
    site_id: i64,
    field: &str,
    old: Option<String>,
    new: Option<String>,
) -> Change<'_> {
    Change {
        entity: "site",
        entity_id: site_id.to_string(),
        field,
        old_value: old,
        new_value: new,
    }
}

/// The record as stored, with the rules it is validated under.
pub(super) struct Loaded {
    pub(super) row: SiteRecordRow,
    pub(super) form: SiteForm,
    pub(super) rules: SiteRules,
    pub(super) vaccines: Vec<Choice>,
    pub(super) basic_sites: Vec<SiteRef>,
}

pub(super) async fn load(conn: &mut AnyConnection, site_id: i64) -> Result<Loaded, AppError> {
    let row = db::load(conn, site_id)
        .await
        .or_internal("load site record")?
        .ok_or(AppError::NotFound)?;
    let codes = db::vaccines_of(conn, site_id)
        .await
        .or_internal("load site vaccines")?;
    let form = row.form(codes).or_internal("decode site record")?;
    let vaccines: Vec<Choice> = db::vaccine_names(conn)
        .await
        .or_internal("load vaccines")?
        .into_iter()
        .map(|(code, ja, _)| Choice {
            value: code,
            label: ja,
        })
        .collect();
    let basic_sites: Vec<SiteRef> = db::basic_sites(conn, &row.municipality_code, site_id)
        .await
        .or_internal("load basic sites")?
        .into_iter()
        .map(|(id, name)| SiteRef { id, name })
        .collect();
    let rules = SiteRules {
        vaccine_codes: vaccines.iter().map(|v| v.value.clone()).collect(),
        basic_site_ids: basic_sites.iter().map(|s| s.id).collect(),
    };
    Ok(Loaded {
        row,
        form,
        rules,
        vaccines,
        basic_sites,
    })
}

/// Fields the caller may not change now. A pending request locks every field that needs
/// approval (one request at a time); approved new codes stay fixed for everyone.
pub(super) fn locked_for(
    form: &SiteForm,
    pending: bool,
) -> std::collections::BTreeMap<String, FieldError> {
    let pending_fields: Vec<String> = if pending {
        approval_fields().map(str::to_string).collect()
    } else {
        Vec::new()
    };
    locked_fields(form, &pending_fields)
}

/// Refuses a switch between 基本型 and サテライト型 while the site holds stock.
pub(super) async fn check_type_switch(
    conn: &mut AnyConnection,
    site_id: i64,
    changes: &[FieldChange],
) -> Result<(), AppError> {
    if changes.iter().any(|c| c.field == "site_type") {
        let vials = stock::vials_held(conn, site_id)
            .await
            .or_internal("read stock")?;
        if vials > 0 {
            return Err(AppError::field("site_type", FieldError::StockHeld));
        }
    }
    Ok(())
}

/// Where and by whom a record is written.
pub(super) struct Write {
    pub(super) site_id: i64,
    pub(super) version: i64,
    pub(super) reservation_changed: bool,
    pub(super) actor: Actor,
    pub(super) now: chrono::DateTime<chrono::Utc>,
}

/// Writes `record` over version `write.version` and audits each of `changes`, in the caller's
/// transaction; a version that moved on in between is a conflict.
pub(super) async fn write_audited(
    conn: &mut AnyConnection,
    write: Write,
    record: &SiteForm,
    changes: &[FieldChange],
) -> Result<(), AppError> {
    let site_id = write.site_id;
    let written = db::write(
        conn,
        site_id,
        write.version,
        record,
        write.reservation_changed,
        write.now,
    )
    .await
    .or_internal("write site record")?;
    if !written {
        return Err(AppError::EditConflict(Vec::new()));
    }
    for change in changes {
        let row = site_change(
            site_id,
            &change.field,
            Some(change.old.clone()),
            Some(change.new.clone()),
        );
        audit::record(conn, write.now, write.actor, row)
            .await
            .or_internal("audit")?;
    }
    Ok(())
}

impl RequestBackend {
    async fn record_view(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        site_id: i64,
    ) -> Result<SiteRecordView, AppError> {
        let loaded = load(conn, site_id).await?;
        let pending = db::pending_request(conn, site_id)
            .await
            .or_internal("load pending request")?;
        let last_decided = db::last_decided_request(conn, site_id)
            .await
            .or_internal("load decided request")?;
        let doctors = db::doctors_of(conn, site_id)
            .await
            .or_internal("load doctors")?;
        let caller_approves = caller.role == Role::Municipality;
        let locked = if caller_approves {
            locked_for(&loaded.form, false)
        } else {
            locked_for(&loaded.form, pending.is_some())
        };
        Ok(SiteRecordView {
            site: SiteRef {
                id: loaded.row.id,
                name: loaded.row.name.clone(),
            },
            municipality_code: loaded.row.municipality_code.clone(),
            municipality_name: format!(
                "{}{}",
                loaded.row.prefecture_name, loaded.row.municipality_name
            ),
            version: loaded.row.version,
            record: loaded.form,
            reservation_updated_at: loaded.row.reservation_updated_at.map(to_jst_rfc3339),
            updated_at: loaded.row.updated_at.map(to_jst_rfc3339),
            vaccines: loaded.vaccines,
            basic_sites: loaded.basic_sites,
            pending: pending.map(request_view).transpose()?,
            last_decided: last_decided.map(request_view).transpose()?,
            doctors: doctors.into_iter().map(doctor_row).collect(),
            locked,
            caller_approves,
            editable: WRITERS.contains(&caller.role),
        })
    }

    /// A request, after checking the caller may see its site.
    pub(super) async fn scoped_request(
        &self,
        id: i64,
        roles: &[Role],
    ) -> Result<(Caller, RequestRow), AppError> {
        // Authenticate first, so an anonymous caller learns nothing about which ids exist.
        let caller = self.require_role(roles).await?;
        let row = {
            let mut conn = self.conn().await?;
            db::request(&mut conn, id)
                .await
                .or_internal("load change request")?
        };
        let row = row.ok_or(AppError::NotFound)?;
        let caller = self.within_scope(caller, Scope::Site(row.site_id)).await?;
        Ok((caller, row))
    }
}
#[async_trait::async_trait]
impl SiteRecordApi for RequestBackend {
    async fn load_site_record(&self, site_id: i64) -> Result<SiteRecordView, AppError> {
        let caller = self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        self.record_view(&mut conn, &caller, site_id).await
    }

    async fn save_site_record(&self, edit: SiteRecordEdit) -> Result<SiteSaved, AppError> {
        let site_id = edit.site_id;
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let current = load(&mut tx, site_id).await?;
        if current.row.version != edit.version {
            return Err(AppError::EditConflict(
                current.form.changes_from(&edit.base),
            ));
        }
        let stored = edit
            .record
            .validate(&current.rules)
            .map_err(AppError::Validation)?;
        let changes = stored.changes_from(&current.form);
        let caller_approves = caller.role == Role::Municipality;
        let pending = db::pending_request(&mut tx, site_id)
            .await
            .or_internal("load pending request")?;
        let locked = locked_for(&current.form, pending.is_some() && !caller_approves);
        let mut refused = FieldErrors::new();
        for change in &changes {
            if let Some(reason) = locked.get(&change.field) {
                refused.add(&change.field, reason.clone());
            }
        }
        refused.into_result()?;
        check_type_switch(&mut tx, site_id, &changes).await?;
        let (requested, applied): (Vec<FieldChange>, Vec<FieldChange>) =
            changes.into_iter().partition(|c| {
                !caller_approves && site_field(&c.field).is_some_and(|f| f.needs_approval)
            });
        let actor = actor_for(&caller, site_id);
        if !applied.is_empty() {
            let live = current
                .form
                .with_changes(&applied)
                .or_internal("apply changes")?;
            let reservation_changed = applied.iter().any(|c| c.field == "reservation_status");
            let write = Write {
                site_id,
                version: edit.version,
                reservation_changed,
                actor,
                now,
            };
            write_audited(&mut tx, write, &live, &applied).await?;
        }
        if !requested.is_empty() {
            let json = serde_json::to_string(&requested).or_internal("encode request")?;
            let id = match db::insert_request(&mut tx, site_id, &json, caller.user.id, now).await {
                Ok(id) => id,
                // Another request of this site was filed meanwhile (a double tap, a second tab):
                // the same answer as when it was there first.
                Err(error) if crate::db::is_unique_violation(&error) => {
                    let mut refused = FieldErrors::new();
                    for change in &requested {
                        refused.add(&change.field, FieldError::PendingApproval);
                    }
                    return Err(AppError::Validation(refused));
                }
                Err(error) => return Err(error).or_internal("file change request"),
            };
            let field = format!("request:{id}");
            audit::record(
                &mut tx,
                now,
                actor,
                site_change(
                    site_id,
                    &field,
                    None,
                    Some(RequestStatus::Pending.as_str().into()),
                ),
            )
            .await
            .or_internal("audit")?;
        }
        let view = self.record_view(&mut tx, &caller, site_id).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(SiteSaved {
            view,
            applied,
            requested,
        })
    }

    async fn site_history(
        &self,
        site_id: i64,
        before_id: Option<i64>,
    ) -> Result<HistoryPage, AppError> {
        self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        // One row more than a page tells whether an older page exists.
        let limit = i64::try_from(HISTORY_PAGE_SIZE + 1).unwrap_or(i64::MAX);
        let mut rows = db::history(&mut conn, site_id, before_id, limit)
            .await
            .or_internal("load history")?;
        let more = rows.len() > HISTORY_PAGE_SIZE;
        rows.truncate(HISTORY_PAGE_SIZE);
        let next_before = if more {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        Ok(HistoryPage {
            rows: rows
                .into_iter()
                .map(|r| HistoryRow {
                    id: r.id,
                    at: to_jst_rfc3339(r.at),
                    actor: r.actor,
                    acting_for: r.acting_for,
                    field: r.field,
                    old: r.old_value,
                    new: r.new_value,
                })
                .collect(),
            next_before,
        })
    }
}
