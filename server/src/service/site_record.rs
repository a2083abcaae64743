//! 医療機関・接種会場の詳細 and 編集: loading and saving the record, change requests
//! and their approval by the municipality, doctors, and the record's history.

use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::clock::to_jst_rfc3339;
use crate::db::audit::{self, Actor, Change};
use crate::db::site_record::{self as db, RequestRow, SiteRecordRow};
use crate::db::stock;
use crate::mail::templates;
use app::api::{
    approval_fields, ChangeRequestView, Choice, DecideRequest, DoctorEdit, DoctorList, DoctorRow,
    HistoryPage, HistoryRow, RequestStatus, SiteRecordEdit, SiteRecordView, SiteRef, SiteSaved,
    HISTORY_PAGE_SIZE,
};
use app::domain::{
    locked_fields, site_field, DoctorForm, FieldChange, Form, Role, SiteForm, SiteRules,
};
use app::error::{AppError, FieldError, FieldErrors, RefusalReason};
use sqlx::AnyConnection;

/// Who may read a record: the site and those above it.
const READERS: &[Role] = &[
    Role::Site,
    Role::Municipality,
    Role::Prefecture,
    Role::National,
    Role::Admin,
];
/// Who may change it: the site, and its municipality (代理入力 needs no setting).
const WRITERS: &[Role] = &[Role::Site, Role::Municipality];

/// The audit actor for a change to `site_id`: a municipality user always acts for the site.
fn actor_for(caller: &Caller, site_id: i64) -> Actor {
    let mut actor = caller.actor();
    if caller.role == Role::Municipality {
        actor.acting_for_site_id = Some(site_id);
    }
    actor
}

fn site_change(site_id: i64, field: &str, old: Option<String>, new: Option<String>) -> Change<'_> {
    Change {
        entity: "site",
        entity_id: site_id.to_string(),
        field,
        old_value: old,
        new_value: new,
    }
}

fn request_view(row: RequestRow) -> ChangeRequestView {
    ChangeRequestView {
        id: row.id,
        site: SiteRef {
            id: row.site_id,
            name: row.site_name,
        },
        status: RequestStatus::parse(&row.status).unwrap_or(RequestStatus::Pending),
        changes: serde_json::from_str(&row.changes).unwrap_or_default(),
        requested_at: to_jst_rfc3339(row.requested_at),
        requested_by: row.requested_by,
        decided_at: row.decided_at.map(to_jst_rfc3339),
        decided_by: row.decided_by,
        comment: row.comment,
    }
}

fn doctor_row(record: db::DoctorRecord) -> DoctorRow {
    DoctorRow {
        id: record.id,
        doctor: DoctorForm {
            name: record.name,
            kana: record.kana,
            phone: record.phone,
            email: record.email,
            vaccines: record
                .vaccines
                .split(',')
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect(),
        },
    }
}

/// The record as stored, with the rules it is validated under.
struct Loaded {
    row: SiteRecordRow,
    form: SiteForm,
    rules: SiteRules,
    vaccines: Vec<Choice>,
    basic_sites: Vec<SiteRef>,
}

async fn load(conn: &mut AnyConnection, site_id: i64) -> Result<Loaded, AppError> {
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
fn locked_for(form: &SiteForm, pending: bool) -> std::collections::BTreeMap<String, FieldError> {
    let pending_fields: Vec<String> = if pending {
        approval_fields().map(str::to_string).collect()
    } else {
        Vec::new()
    };
    locked_fields(form, &pending_fields)
}

/// Refuses a switch between 基本型 and サテライト型 while the site holds stock.
async fn check_type_switch(
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
struct Write {
    site_id: i64,
    version: i64,
    reservation_changed: bool,
    actor: Actor,
    now: i64,
}

/// Writes `record` over version `write.version` and audits each of `changes`, in the caller's
/// transaction; a version that moved on in between is a conflict.
async fn write_audited(
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
            pending: pending.map(request_view),
            last_decided: last_decided.map(request_view),
            doctors: doctors.into_iter().map(doctor_row).collect(),
            locked,
            caller_approves,
            editable: WRITERS.contains(&caller.role),
        })
    }

    pub(super) async fn load_site_record(&self, site_id: i64) -> Result<SiteRecordView, AppError> {
        let caller = self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        self.record_view(&mut conn, &caller, site_id).await
    }

    pub(super) async fn save_site_record(
        &self,
        edit: SiteRecordEdit,
    ) -> Result<SiteSaved, AppError> {
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

    pub(super) async fn site_history(
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

    pub(super) async fn list_change_requests(
        &self,
        municipality: String,
    ) -> Result<Vec<ChangeRequestView>, AppError> {
        self.authorize(
            &[
                Role::Municipality,
                Role::Prefecture,
                Role::National,
                Role::Admin,
            ],
            Scope::Municipality(municipality.clone()),
        )
        .await?;
        let mut conn = self.conn().await?;
        let rows = db::pending_requests_of(&mut conn, &municipality)
            .await
            .or_internal("list change requests")?;
        Ok(rows.into_iter().map(request_view).collect())
    }

    /// A request, after checking the caller may see its site.
    async fn scoped_request(
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

    pub(super) async fn load_change_request(&self, id: i64) -> Result<ChangeRequestView, AppError> {
        let (_, row) = self.scoped_request(id, READERS).await?;
        Ok(request_view(row))
    }

    pub(super) async fn decide_change_request(
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

    pub(super) async fn load_doctors(&self, site_id: i64) -> Result<DoctorList, AppError> {
        self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        let loaded = load(&mut conn, site_id).await?;
        let doctors = db::doctors_of(&mut conn, site_id)
            .await
            .or_internal("load doctors")?;
        // Vaccines the pending request adds: selectable for a doctor once it is approved.
        let requested: Vec<String> = db::pending_request(&mut conn, site_id)
            .await
            .or_internal("load pending request")?
            .map(request_view)
            .and_then(|r| r.changes.into_iter().find(|c| c.field == "vaccines"))
            .map(|c| c.new.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        let (site_vaccines, rest): (Vec<Choice>, Vec<Choice>) = loaded
            .vaccines
            .into_iter()
            .partition(|v| loaded.form.vaccines.contains(&v.value));
        Ok(DoctorList {
            site: SiteRef {
                id: site_id,
                name: loaded.row.name.clone(),
            },
            site_vaccines,
            pending_vaccines: rest
                .into_iter()
                .filter(|v| requested.contains(&v.value))
                .collect(),
            doctors: doctors.into_iter().map(doctor_row).collect(),
        })
    }

    pub(super) async fn save_doctor(&self, edit: DoctorEdit) -> Result<DoctorRow, AppError> {
        let site_id = edit.site_id;
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let site_vaccines = db::vaccines_of(&mut tx, site_id)
            .await
            .or_internal("load site vaccines")?;
        let doctor = edit
            .doctor
            .validate(&site_vaccines)
            .map_err(AppError::Validation)?;
        let actor = actor_for(&caller, site_id);
        let (id, before) = match edit.doctor_id {
            None => {
                let id = db::insert_doctor(&mut tx, site_id, &doctor, now)
                    .await
                    .or_internal("insert doctor")?;
                (id, DoctorForm::default())
            }
            Some(id) => {
                let before = db::doctors_of(&mut tx, site_id)
                    .await
                    .or_internal("load doctors")?
                    .into_iter()
                    .find(|d| d.id == id)
                    .map(|d| doctor_row(d).doctor)
                    .ok_or(AppError::NotFound)?;
                if !db::update_doctor(&mut tx, site_id, id, &doctor, now)
                    .await
                    .or_internal("update doctor")?
                {
                    return Err(AppError::NotFound);
                }
                (id, before)
            }
        };
        let some = |s: String| (!s.is_empty()).then_some(s);
        for change in doctor.changes_from(&before) {
            let field = format!("doctor:{id}:{}", change.field);
            let row = site_change(site_id, &field, some(change.old), some(change.new));
            audit::record(&mut tx, now, actor, row)
                .await
                .or_internal("audit")?;
        }
        tx.commit().await.or_internal("commit")?;
        Ok(DoctorRow { id, doctor })
    }

    pub(super) async fn delete_doctor(&self, site_id: i64, doctor_id: i64) -> Result<(), AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let doctors = db::doctors_of(&mut tx, site_id)
            .await
            .or_internal("load doctors")?;
        let doctor = doctors
            .iter()
            .find(|d| d.id == doctor_id)
            .cloned()
            .ok_or(AppError::NotFound)?;
        if doctors.len() == 1 {
            return Err(AppError::Refused(RefusalReason::LastDoctor));
        }
        db::delete_doctor(&mut tx, site_id, doctor_id)
            .await
            .or_internal("delete doctor")?;
        let field = format!("doctor:{doctor_id}:name");
        audit::record(
            &mut tx,
            now,
            actor_for(&caller, site_id),
            site_change(site_id, &field, Some(doctor.name), None),
        )
        .await
        .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        Ok(())
    }
}
