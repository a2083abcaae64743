//! The supply chain: ワクチン・針・シリンジマスタ, 納入ロット, クール and 希望量の登録.

use super::access::MUNICIPALITY_READERS;
use super::site_record::{actor_for, site_change, READERS, WRITERS};
use super::{OrInternal, RequestBackend, Scope};
use crate::clock::to_jst_rfc3339;
use crate::db::audit::{self, Change};
use crate::db::supply::{self as db, CoolRecord, LotRecord, VaccineRecord};
use crate::db::{allocation, delivery, is_unique_violation, master};
use app::api::{
    Choice, CoolList, CoolSummary, HomeCool, LotList, LotRow, MunicipalityRequests, OwnRequest,
    RequestRow, SiteRef, SiteRequest, SupplyApi, VaccineEdit, VaccineMasterList, VaccineRow,
};
use app::domain::{
    days_left, jst_date, parse_boxes, CoolForm, CoolProgress, Deadline, Form, LotForm, Role,
    SiteType, VaccineMaster, MAX_BOXES,
};
use app::error::{AppError, FieldError, RefusalReason};
use chrono::{DateTime, Utc};

/// Every role reads the master, the lots and the cools.
const EVERYONE: &[Role] = &Role::ALL;
/// Who edits ワクチン・針・シリンジマスタ.
const MASTER_EDITORS: &[Role] = &[Role::National, Role::Admin];
/// Who registers 納入ロット.
const LOT_REGISTRARS: &[Role] = &[Role::Supplier, Role::National];
/// Who creates cools.
const COOL_CREATORS: &[Role] = &[Role::National];

#[async_trait::async_trait]
impl SupplyApi for RequestBackend {
    async fn list_vaccines(&self) -> Result<VaccineMasterList, AppError> {
        let caller = self.authorize(EVERYONE, Scope::Own).await?;
        let mut conn = self.conn().await?;
        let vaccines = db::vaccines(&mut conn).await.or_internal("load vaccines")?;
        Ok(VaccineMasterList {
            vaccines: vaccines.into_iter().map(vaccine_row).collect(),
            editable: MASTER_EDITORS.contains(&caller.role),
        })
    }

    async fn save_vaccine(&self, edit: VaccineEdit) -> Result<VaccineRow, AppError> {
        let caller = self.authorize(MASTER_EDITORS, Scope::Own).await?;
        let (master, form) = edit.form.validate().map_err(AppError::Validation)?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let current = db::vaccines(&mut tx)
            .await
            .or_internal("load vaccines")?
            .into_iter()
            .find(|v| v.code == edit.code)
            .map(vaccine_row)
            .ok_or(AppError::NotFound)?;
        let saved = db::update_vaccine(
            &mut tx,
            &edit.code,
            edit.version,
            &master,
            &form.needle_syringe_note,
        )
        .await
        .or_internal("update vaccine")?;
        if !saved {
            // Someone saved it since the user loaded it: show what theirs holds, save nothing.
            return Err(AppError::EditConflict(current.form().changes_from(&form)));
        }
        for change in form.changes_from(&current.form()) {
            let change = Change {
                entity: "vaccine",
                entity_id: edit.code.clone(),
                field: &change.field,
                old_value: Some(change.old),
                new_value: Some(change.new),
            };
            audit::record(&mut tx, now, caller.actor(), change)
                .await
                .or_internal("audit")?;
        }
        tx.commit().await.or_internal("commit")?;
        Ok(VaccineRow {
            master,
            needle_syringe_note: form.needle_syringe_note,
            version: current.version + 1,
            ..current
        })
    }

    async fn list_lots(&self) -> Result<LotList, AppError> {
        let caller = self.authorize(EVERYONE, Scope::Own).await?;
        let today = jst_date(self.now());
        let mut conn = self.conn().await?;
        let lots = db::lots(&mut conn).await.or_internal("load lots")?;
        let vaccines = vaccine_choices(&mut conn).await?;
        Ok(LotList {
            lots: lots.into_iter().map(|l| lot_row(l, today)).collect(),
            vaccines,
            may_register: LOT_REGISTRARS.contains(&caller.role),
        })
    }

    async fn register_lot(&self, form: LotForm) -> Result<LotRow, AppError> {
        let caller = self.authorize(LOT_REGISTRARS, Scope::Own).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let vaccines = vaccine_codes(&mut tx).await?;
        let lot = form.validate(&vaccines).map_err(AppError::Validation)?;
        let id = match db::insert_lot(&mut tx, &lot, caller.user.supplier_id, now).await {
            Ok(id) => id,
            Err(error) if is_unique_violation(&error) => {
                return Err(AppError::field("lot_number", FieldError::LotNumberTaken))
            }
            Err(error) => return Err(error).or_internal("insert lot"),
        };
        let change = Change {
            entity: "lot",
            entity_id: id.to_string(),
            field: "registered",
            old_value: None,
            new_value: Some(format!(
                "{} {} {}",
                lot.vaccine, lot.lot_number, lot.expires_on
            )),
        };
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        let stored = db::lot(&mut tx, id)
            .await
            .or_internal("load lot")?
            .ok_or(AppError::Internal)?;
        tx.commit().await.or_internal("commit")?;
        Ok(lot_row(stored, jst_date(now)))
    }

    async fn list_cools(&self) -> Result<CoolList, AppError> {
        let caller = self.authorize(EVERYONE, Scope::Own).await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let cools = db::cools(&mut conn).await.or_internal("load cools")?;
        Ok(CoolList {
            cools: {
                let mut summaries = Vec::with_capacity(cools.len());
                for cool in cools {
                    summaries.push(summary(&mut conn, cool, now).await?);
                }
                summaries
            },
            vaccines: vaccine_choices(&mut conn).await?,
            may_create: COOL_CREATORS.contains(&caller.role),
        })
    }

    async fn create_cool(&self, form: CoolForm) -> Result<CoolSummary, AppError> {
        let caller = self.authorize(COOL_CREATORS, Scope::Own).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let vaccines = vaccine_codes(&mut tx).await?;
        let cool = form.validate(&vaccines).map_err(AppError::Validation)?;
        let id = match db::insert_cool(&mut tx, &cool, now).await {
            Ok(id) => id,
            Err(error) if is_unique_violation(&error) => {
                return Err(AppError::field("name", FieldError::NameTaken))
            }
            Err(error) => return Err(error).or_internal("insert cool"),
        };
        let change = Change {
            entity: "cool",
            entity_id: id.to_string(),
            field: "created",
            old_value: None,
            new_value: Some(format!(
                "{} {} {}箱 {}–{}",
                cool.name,
                cool.vaccine,
                cool.total_boxes,
                to_jst_rfc3339(cool.window.opens),
                to_jst_rfc3339(cool.window.closes)
            )),
        };
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        let stored = db::cool(&mut tx, id)
            .await
            .or_internal("load cool")?
            .ok_or(AppError::Internal)?;
        let created = summary(&mut tx, stored, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(created)
    }

    async fn load_site_request(&self, cool_id: i64, site_id: i64) -> Result<SiteRequest, AppError> {
        let caller = self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        let now = self.now();
        let cool = db::cool(&mut conn, cool_id)
            .await
            .or_internal("load cool")?
            .ok_or(AppError::NotFound)?;
        let site = master::site(&mut conn, site_id)
            .await
            .or_internal("load site")?
            .ok_or(AppError::NotFound)?;
        let request = db::request_of(&mut conn, cool_id, site_id)
            .await
            .or_internal("load request")?;
        let satellite = site.site_type == SiteType::Satellite;
        // 分配量 shows once the prefecture has locked the cool (データロック), never before.
        let locked = allocation::locked_prefectures(&mut conn, cool_id)
            .await
            .or_internal("load locks")?
            .contains(&site.prefecture_code);
        let (allocated, scheduled_on) = if locked {
            let boxes = allocation::given_to_site(&mut conn, cool_id, site_id)
                .await
                .or_internal("load allocation")?
                .map(|b| b as u32);
            let day = delivery::schedule(&mut conn, cool_id, site_id)
                .await
                .or_internal("load schedule")?;
            (boxes, day.map(|d| d.to_string()))
        } else {
            (None, None)
        };
        let editable =
            WRITERS.contains(&caller.role) && !satellite && cool.window().accepts_at(now);
        Ok(SiteRequest {
            cool: summary(&mut conn, cool, now).await?,
            site: SiteRef {
                id: site.id,
                name: site.name,
            },
            satellite,
            boxes: request.as_ref().map(|r| r.boxes as u32),
            updated_at: request.as_ref().map(|r| to_jst_rfc3339(r.updated_at)),
            allocated,
            scheduled_on,
            by_municipality: request
                .is_some_and(|r| r.updated_by_role.as_deref() == Some(Role::Municipality.as_str())),
            editable,
        })
    }

    async fn save_site_request(
        &self,
        cool_id: i64,
        site_id: i64,
        boxes: String,
    ) -> Result<SiteRequest, AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let cool = db::cool(&mut tx, cool_id)
            .await
            .or_internal("load cool")?
            .ok_or(AppError::NotFound)?;
        let site = master::site(&mut tx, site_id)
            .await
            .or_internal("load site")?
            .ok_or(AppError::NotFound)?;
        if site.site_type == SiteType::Satellite {
            return Err(AppError::Refused(RefusalReason::SatelliteRequest));
        }
        let window = cool.window();
        if !window.accepts_at(now) {
            return Err(AppError::RequestWindowClosed {
                opens: to_jst_rfc3339(window.opens),
                closes: to_jst_rfc3339(window.closes),
            });
        }
        let boxes =
            parse_boxes(&boxes, MAX_BOXES).map_err(|error| AppError::field("boxes", error))?;
        let before = db::request_of(&mut tx, cool_id, site_id)
            .await
            .or_internal("load request")?;
        db::save_request(&mut tx, cool_id, site_id, boxes, now, Some(caller.user.id))
            .await
            .or_internal("save request")?;
        let field = format!("cool:{cool_id}:boxes");
        let change = site_change(
            site_id,
            &field,
            before.map(|r| r.boxes.to_string()),
            Some(boxes.to_string()),
        );
        audit::record(&mut tx, now, actor_for(&caller, site_id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        self.load_site_request(cool_id, site_id).await
    }

    async fn load_municipality_requests(
        &self,
        cool_id: i64,
        municipality: String,
    ) -> Result<MunicipalityRequests, AppError> {
        let caller = self
            .authorize(
                MUNICIPALITY_READERS,
                Scope::Municipality(municipality.clone()),
            )
            .await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let cool = db::cool(&mut conn, cool_id)
            .await
            .or_internal("load cool")?
            .ok_or(AppError::NotFound)?;
        let name = master::municipality(&mut conn, &municipality)
            .await
            .or_internal("load municipality")?
            .map(|m| m.name)
            .ok_or(AppError::NotFound)?;
        let rows: Vec<RequestRow> = db::municipality_requests(&mut conn, cool_id, &municipality)
            .await
            .or_internal("load requests")?
            .into_iter()
            .map(|r| RequestRow {
                site: SiteRef {
                    id: r.site_id,
                    name: r.site_name,
                },
                boxes: r.boxes.map(|b| b as u32),
                updated_at: r.updated_at.map(to_jst_rfc3339),
            })
            .collect();
        let proxy = caller.role == Role::Municipality && cool.window().accepts_at(now);
        Ok(MunicipalityRequests {
            total_boxes: rows.iter().filter_map(|r| r.boxes).map(u64::from).sum(),
            cool: summary(&mut conn, cool, now).await?,
            municipality: name,
            rows,
            proxy,
        })
    }

    async fn home_cools(&self) -> Result<Vec<HomeCool>, AppError> {
        let caller = self.authorize(EVERYONE, Scope::Own).await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let open = db::cools_accepting(&mut conn, now)
            .await
            .or_internal("load open cools")?;
        // A site sees its own request; so does a municipality acting for one of its sites.
        let own_site = caller.session.acting_for_site_id.or(caller.user.site_id);
        let own_basic = match own_site {
            Some(id) => master::site(&mut conn, id)
                .await
                .or_internal("load site")?
                .filter(|s| s.site_type == SiteType::Basic)
                .map(|s| SiteRef {
                    id: s.id,
                    name: s.name,
                }),
            None => None,
        };
        let municipality = match (caller.role, own_site) {
            (Role::Municipality, None) => caller.user.municipality_code.clone(),
            _ => None,
        };
        let mut home = Vec::with_capacity(open.len());
        for cool in open {
            let own = match &own_basic {
                Some(site) => Some(OwnRequest {
                    site: site.clone(),
                    boxes: db::request_of(&mut conn, cool.id, site.id)
                        .await
                        .or_internal("load request")?
                        .map(|r| r.boxes as u32),
                }),
                None => None,
            };
            let (basic_sites, unregistered) = match &municipality {
                Some(code) => {
                    let rows = db::municipality_requests(&mut conn, cool.id, code)
                        .await
                        .or_internal("load requests")?;
                    let count = rows.len() as u32;
                    let missing = rows
                        .into_iter()
                        .filter(|r| r.boxes.is_none())
                        .map(|r| SiteRef {
                            id: r.site_id,
                            name: r.site_name,
                        })
                        .collect();
                    (count, missing)
                }
                None => (0, Vec::new()),
            };
            home.push(HomeCool {
                cool: summary(&mut conn, cool, now).await?,
                own,
                basic_sites,
                unregistered,
            });
        }
        Ok(home)
    }
}

fn vaccine_row(v: VaccineRecord) -> VaccineRow {
    let count = |n: i64| u32::try_from(n).unwrap_or_default();
    VaccineRow {
        code: v.code,
        name: v.name_ja,
        name_en: v.name_en,
        master: VaccineMaster {
            doses_per_vial: count(v.doses_per_vial),
            vials_per_box: count(v.vials_per_box),
            needles_per_vial: count(v.needles_per_vial),
            syringes_per_vial: count(v.syringes_per_vial),
        },
        needle_syringe_note: v.needle_syringe_note,
        storage_min_c: v.storage_min_c,
        storage_max_c: v.storage_max_c,
        version: v.version,
    }
}

fn lot_row(l: LotRecord, today: chrono::NaiveDate) -> LotRow {
    LotRow {
        id: l.id,
        vaccine: l.vaccine_code,
        vaccine_name: l.vaccine_name,
        lot_number: l.lot_number,
        expires_on: l.expires_on.to_string(),
        expired: l.expires_on < today,
        supplier: l.supplier,
    }
}

/// A cool with its state and next deadline at `now`, from its dates and what was done.
pub(super) async fn summary(
    conn: &mut sqlx::AnyConnection,
    c: CoolRecord,
    now: DateTime<Utc>,
) -> Result<CoolSummary, AppError> {
    let given = allocation::given_to_prefectures(conn, c.id)
        .await
        .or_internal("load allocations")?;
    let locks = allocation::locked_prefectures(conn, c.id)
        .await
        .or_internal("load locks")?;
    let receiving: Vec<&str> = given
        .iter()
        .filter(|g| g.boxes > 0)
        .map(|g| g.target.as_str())
        .collect();
    let (delivering, outstanding) = crate::db::delivery::progress(conn, c.id)
        .await
        .or_internal("load delivery progress")?;
    let locked = !receiving.is_empty()
        && receiving
            .iter()
            .all(|p| locks.iter().any(|l| l.to_string() == *p));
    let progress = CoolProgress {
        allocating: !given.is_empty(),
        locked,
        delivering,
        // 完了 once every prefecture has locked and every allocated site confirmed all it was
        // allocated.
        received: locked && delivering && outstanding == 0,
    };
    Ok(cool_summary(c, now, progress))
}

/// A cool with its state and next deadline at `now`, given what was done.
fn cool_summary(c: CoolRecord, now: DateTime<Utc>, progress: CoolProgress) -> CoolSummary {
    let window = c.window();
    let state = window.state_at(now, progress);
    let deadline = window.next_deadline(state, jst_date(now));
    let days = deadline.map(|d| match d {
        Deadline::Opens(at) | Deadline::Closes(at) => days_left(now, at),
        Deadline::DeliveryFrom(day) | Deadline::DeliveryUntil(day) => {
            (day - jst_date(now)).num_days()
        }
    });
    let count = |n: i64| u32::try_from(n).unwrap_or_default();
    CoolSummary {
        id: c.id,
        name: c.name,
        vaccine: c.vaccine_code,
        vaccine_name: c.vaccine_name,
        total_boxes: count(c.total_boxes),
        vials_per_box: count(c.vials_per_box),
        doses_per_vial: count(c.doses_per_vial),
        window,
        state,
        deadline,
        days_left: days,
    }
}

async fn vaccine_codes(conn: &mut sqlx::AnyConnection) -> Result<Vec<String>, AppError> {
    Ok(db::vaccines(conn)
        .await
        .or_internal("load vaccines")?
        .into_iter()
        .map(|v| v.code)
        .collect())
}

async fn vaccine_choices(conn: &mut sqlx::AnyConnection) -> Result<Vec<Choice>, AppError> {
    Ok(db::vaccines(conn)
        .await
        .or_internal("load vaccines")?
        .into_iter()
        .map(|v| Choice {
            value: v.code,
            label: v.name_ja,
        })
        .collect())
}
