//! 分配 and データロック: national users give the prefectures boxes, the prefecture its
//! municipalities, the municipality its basic sites that registered; the prefecture locks its
//! area, after which allocations in it are fixed until it (or a national user) unlocks it.

use super::access::MUNICIPALITY_READERS;
use super::supply::summary;
use super::{OrInternal, RequestBackend, Scope};
use crate::db::audit::{self, Actor, Change};
use crate::db::Db;
use crate::db::{allocation as db, master, supply};
use app::api::{AllocationApi, AllocationRow, AllocationSave, AllocationTable};
use app::domain::{check_allocation, largest_remainder, AllocationLevel, FieldChange, Role};
use app::error::{AppError, FieldError, FieldErrors, RefusalReason};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Who reads a level's table, and what it lies in.
fn readers(level: &AllocationLevel) -> (&'static [Role], Scope) {
    match level {
        AllocationLevel::National => (&[Role::National, Role::Admin], Scope::Own),
        AllocationLevel::Prefecture(code) => (
            &[Role::Prefecture, Role::National, Role::Admin],
            Scope::Prefecture(*code),
        ),
        AllocationLevel::Municipality(code) => {
            (MUNICIPALITY_READERS, Scope::Municipality(code.clone()))
        }
    }
}

/// Who saves a level's table: the level itself.
fn writer(level: &AllocationLevel) -> Role {
    match level {
        AllocationLevel::National => Role::National,
        AllocationLevel::Prefecture(_) => Role::Prefecture,
        AllocationLevel::Municipality(_) => Role::Municipality,
    }
}

#[async_trait::async_trait]
impl AllocationApi for RequestBackend {
    async fn load_allocation(
        &self,
        cool_id: i64,
        level: AllocationLevel,
    ) -> Result<AllocationTable, AppError> {
        let (roles, scope) = readers(&level);
        let caller = self.authorize(roles, scope).await?;
        let mut conn = self.conn().await?;
        allocation_table(&mut conn, caller.role, cool_id, &level, self.now()).await
    }

    async fn save_allocation(&self, save: AllocationSave) -> Result<AllocationTable, AppError> {
        let level = save.level.clone();
        let (_, scope) = readers(&level);
        let caller = self.authorize(&[writer(&level)], scope).await?;
        save_allocation_table(
            &self.state.db,
            caller.actor(),
            caller.role,
            save,
            self.now(),
        )
        .await
    }

    async fn set_data_lock(
        &self,
        cool_id: i64,
        prefecture: i64,
        locked: bool,
    ) -> Result<AllocationTable, AppError> {
        let caller = self
            .authorize(
                &[Role::Prefecture, Role::National],
                Scope::Prefecture(prefecture),
            )
            .await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        supply::cool(&mut tx, cool_id)
            .await
            .or_internal("load cool")?
            .ok_or(AppError::NotFound)?;
        // A prefecture may unlock only while no 納入予定日 has been entered in its area: a
        // supplier is already planning by it. National users always may.
        if !locked && caller.role == Role::Prefecture {
            let scheduled =
                crate::db::delivery::schedules_in_prefecture(&mut tx, cool_id, prefecture)
                    .await
                    .or_internal("count schedules")?;
            if scheduled > 0 {
                return Err(AppError::Refused(RefusalReason::DeliveriesScheduled));
            }
        }
        let changed = if locked {
            db::lock(&mut tx, cool_id, prefecture, now, caller.user.id)
                .await
                .or_internal("lock")?
        } else {
            db::unlock(&mut tx, cool_id, prefecture)
                .await
                .or_internal("unlock")?
        };
        if changed {
            let field = format!("data_lock:{prefecture}");
            let change = Change {
                entity: "cool",
                entity_id: cool_id.to_string(),
                field: &field,
                old_value: Some((!locked).to_string()),
                new_value: Some(locked.to_string()),
            };
            audit::record(&mut tx, now, caller.actor(), change)
                .await
                .or_internal("audit")?;
        }
        let level = AllocationLevel::Prefecture(prefecture);
        let table = allocation_table(&mut tx, caller.role, cool_id, &level, now).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(table)
    }
}

/// Saves one level's allocation table for a caller who passed the guard (`role`, recorded as
/// `actor`): the window closed, the area not locked, the sums within what the level above gave,
/// the version the user loaded; each changed row audited in the same transaction.
pub async fn save_allocation_table(
    db: &Db,
    actor: Actor,
    role: Role,
    save: AllocationSave,
    now: DateTime<Utc>,
) -> Result<AllocationTable, AppError> {
    let level = save.level.clone();
    let mut tx = db.begin().await.or_internal("begin")?;
    let current = allocation_table(&mut tx, role, save.cool_id, &level, now).await?;
    if now < current.cool.window.closes {
        return Err(AppError::Refused(RefusalReason::WindowStillOpen));
    }
    let stored: BTreeMap<&str, &AllocationRow> = current
        .rows
        .iter()
        .map(|r| (r.target.as_str(), r))
        .collect();
    if current.locked {
        return Err(AppError::DataLocked {
            prefecture: prefecture_name(&mut tx, &level).await?,
        });
    }
    let requested = |target: &str| stored.get(target).map(|r| r.requested);
    let checked =
        check_allocation(&save.rows, requested, current.available).map_err(AppError::Validation)?;
    let changed: Vec<(&AllocationRow, u64)> = checked
        .iter()
        .filter_map(|(target, boxes)| {
            let row = stored.get(target.as_str())?;
            (row.boxes != *boxes).then_some((*row, *boxes))
        })
        .collect();
    // A row may not fall below what its target has already passed on to the level beneath.
    let passed_on = match &level {
        AllocationLevel::National => db::passed_on_by_prefectures(&mut tx, save.cool_id).await,
        AllocationLevel::Prefecture(code) => {
            db::passed_on_by_municipalities(&mut tx, save.cool_id, *code).await
        }
        AllocationLevel::Municipality(_) => Ok(Vec::new()),
    }
    .or_internal("load passed on")?;
    let mut below = FieldErrors::new();
    for (row, boxes) in &changed {
        if let Some(given) = passed_on.iter().find(|g| g.target == row.target) {
            if (*boxes as i64) < given.boxes {
                let given = u32::try_from(given.boxes).unwrap_or(u32::MAX);
                below.add(&row.target, FieldError::BelowPassedOn { given });
            }
        }
    }
    if !below.is_empty() {
        return Err(AppError::Validation(below));
    }
    // A national table may not move a locked prefecture's boxes.
    if let Some((row, _)) = changed.iter().find(|(row, _)| row.locked) {
        return Err(AppError::DataLocked {
            prefecture: row.name.clone(),
        });
    }
    let scope_key = level.scope_key();
    if !db::claim_version(&mut tx, save.cool_id, &scope_key, save.version)
        .await
        .or_internal("claim version")?
    {
        // Someone saved the table since it was loaded: name what they have, save nothing.
        let submitted: BTreeMap<&str, u64> =
            checked.iter().map(|(t, b)| (t.as_str(), *b)).collect();
        let theirs = current
            .rows
            .iter()
            .filter(|r| {
                submitted
                    .get(r.target.as_str())
                    .is_some_and(|b| *b != r.boxes)
            })
            .map(|r| FieldChange {
                field: r.name.clone(),
                old: submitted[r.target.as_str()].to_string(),
                new: r.boxes.to_string(),
            })
            .collect();
        return Err(AppError::EditConflict(theirs));
    }
    let written: Vec<(String, i64)> = changed
        .iter()
        .map(|(row, boxes)| (row.target.clone(), *boxes as i64))
        .collect();
    let given = match level {
        AllocationLevel::National => db::Given::Prefectures,
        AllocationLevel::Prefecture(_) => db::Given::Municipalities,
        AllocationLevel::Municipality(_) => db::Given::Sites,
    };
    db::give_many(&mut tx, save.cool_id, given, &written)
        .await
        .or_internal("save allocation")?;
    let fields: Vec<String> = changed
        .iter()
        .map(|(row, _)| format!("allocation:{scope_key}:{}", row.target))
        .collect();
    let changes: Vec<Change> = changed
        .iter()
        .zip(&fields)
        .map(|((row, boxes), field)| Change {
            entity: "cool",
            entity_id: save.cool_id.to_string(),
            field,
            old_value: Some(row.boxes.to_string()),
            new_value: Some(boxes.to_string()),
        })
        .collect();
    audit::record_many(&mut tx, now, actor, &changes)
        .await
        .or_internal("audit")?;
    let saved = allocation_table(&mut tx, role, save.cool_id, &level, now).await?;
    tx.commit().await.or_internal("commit")?;
    Ok(saved)
}

/// The name of the prefecture whose lock holds `level`'s table.
async fn prefecture_name(
    conn: &mut AnyConnection,
    level: &AllocationLevel,
) -> Result<String, AppError> {
    let code = match level {
        AllocationLevel::National => return Ok(String::new()),
        AllocationLevel::Prefecture(code) => *code,
        AllocationLevel::Municipality(code) => {
            master::municipality(conn, code)
                .await
                .or_internal("load municipality")?
                .ok_or(AppError::NotFound)?
                .prefecture_code
        }
    };
    Ok(master::prefecture(conn, code)
        .await
        .or_internal("load prefecture")?
        .map(|p| p.name)
        .unwrap_or_default())
}

/// One level's table as a user of `role` sees it at `now`, with the proposal pro rata to the
/// requests: what `load_allocation` answers after the guard.
pub async fn allocation_table(
    conn: &mut AnyConnection,
    role: Role,
    cool_id: i64,
    level: &AllocationLevel,
    now: DateTime<Utc>,
) -> Result<AllocationTable, AppError> {
    let cool = supply::cool(conn, cool_id)
        .await
        .or_internal("load cool")?
        .ok_or(AppError::NotFound)?;
    let total = u64::try_from(cool.total_boxes).unwrap_or_default();
    let cool = summary(conn, cool, now).await?;
    let locks = db::locked_prefectures(conn, cool_id)
        .await
        .or_internal("load locks")?;
    let given_of = |rows: Vec<db::GivenRecord>| -> BTreeMap<String, u64> {
        rows.into_iter()
            .map(|g| (g.target, u64::try_from(g.boxes).unwrap_or_default()))
            .collect()
    };
    let (area, available, requested, given, locked_prefecture) = match level {
        AllocationLevel::National => {
            let requested = db::requested_by_prefecture(conn, cool_id)
                .await
                .or_internal("load requests")?;
            let given = given_of(
                db::given_to_prefectures(conn, cool_id)
                    .await
                    .or_internal("load allocations")?,
            );
            ("全国".to_string(), total, requested, given, None)
        }
        AllocationLevel::Prefecture(code) => {
            let name = master::prefecture(conn, *code)
                .await
                .or_internal("load prefecture")?
                .ok_or(AppError::NotFound)?
                .name;
            let available = given_of(
                db::given_to_prefectures(conn, cool_id)
                    .await
                    .or_internal("load allocations")?,
            )
            .get(&code.to_string())
            .copied()
            .unwrap_or(0);
            let requested = db::requested_by_municipality(conn, cool_id, *code)
                .await
                .or_internal("load requests")?;
            let given = given_of(
                db::given_to_municipalities(conn, cool_id, *code)
                    .await
                    .or_internal("load allocations")?,
            );
            (name, available, requested, given, Some(*code))
        }
        AllocationLevel::Municipality(code) => {
            let municipality = master::municipality(conn, code)
                .await
                .or_internal("load municipality")?
                .ok_or(AppError::NotFound)?;
            let prefecture = municipality.prefecture_code;
            let available = given_of(
                db::given_to_municipalities(conn, cool_id, prefecture)
                    .await
                    .or_internal("load allocations")?,
            )
            .get(code)
            .copied()
            .unwrap_or(0);
            // A site's row is what it registered itself: `None` when it registered nothing.
            let requested = supply::municipality_requests(conn, cool_id, code)
                .await
                .or_internal("load requests")?
                .into_iter()
                .map(|r| db::RequestedRecord {
                    target: r.site_id.to_string(),
                    name: r.site_name,
                    requested: r.boxes,
                })
                .collect();
            let given = given_of(
                db::given_to_sites(conn, cool_id, code)
                    .await
                    .or_internal("load allocations")?,
            );
            (
                municipality.name,
                available,
                requested,
                given,
                Some(prefecture),
            )
        }
    };
    let sites_level = matches!(level, AllocationLevel::Municipality(_));
    let weights: Vec<u64> = requested
        .iter()
        .map(|r| u64::try_from(r.requested.unwrap_or(0)).unwrap_or_default())
        .collect();
    let proposal = largest_remainder(available, &weights);
    let rows = requested
        .into_iter()
        .zip(proposal)
        .map(|(r, proposed)| {
            let requested = match (sites_level, r.requested) {
                (true, none_or_some) => none_or_some.map(|b| b as u64),
                (false, sum) => Some(sum.unwrap_or(0) as u64),
            };
            AllocationRow {
                boxes: given.get(&r.target).copied().unwrap_or(0),
                locked: !sites_level
                    && locked_prefecture.is_none()
                    && locks.iter().any(|l| l.to_string() == r.target),
                target: r.target,
                name: r.name,
                requested,
                proposed,
            }
        })
        .collect();
    let locked = locked_prefecture.is_some_and(|p| locks.contains(&p));
    let closed = now >= cool.window.closes;
    Ok(AllocationTable {
        version: db::version(conn, cool_id, &level.scope_key())
            .await
            .or_internal("load version")?,
        editable: role == writer(level) && closed && !locked,
        may_lock: matches!(level, AllocationLevel::Prefecture(_))
            && matches!(role, Role::Prefecture | Role::National),
        cool,
        level: level.clone(),
        area,
        available,
        rows,
        locked,
    })
}
