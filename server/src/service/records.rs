//! 接種実績: a site registers each day's cumulatives (its municipality may do it for it, 代理入力),
//! the doses since the last registration come off its lots in the same transaction, and the
//! page shows the history with the reconciliation of vials and doses.

use super::site_record::{actor_for, site_change, READERS, WRITERS};
use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::db::audit;
use crate::db::records::{self as db, HandledVaccine, LotUse, NewRecord, UsableLot};
use crate::db::site_record;
use crate::db::stock::{self as stock_db, Movement, Overdrawn};
use app::api::{
    Choice, Reconciliation, RecordDay, RecordsApi, RecordsOverview, SiteRecordStatus, SiteRecords,
    SiteRef, VaccineRecords,
};
use app::domain::{
    jst_date, vials_for, CheckedTally, ContractDates, Dose, MovementKind, RecordForm, RecordPoint,
    Role, VaccineBasis,
};
use app::error::{AppError, FieldError};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// How far back a site's page shows its registrations.
const HISTORY_DAYS: i64 = 366;

/// Who may read a municipality's overview: the municipality, and those above it.
const OVERVIEW_READERS: &[Role] = &[
    Role::Municipality,
    Role::Prefecture,
    Role::National,
    Role::Admin,
];

#[async_trait::async_trait]
impl RecordsApi for RequestBackend {
    async fn load_site_records(&self, site_id: i64) -> Result<SiteRecords, AppError> {
        let caller = self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        site_records(&mut conn, &caller, site_id, self.now()).await
    }

    async fn register_records(
        &self,
        site_id: i64,
        form: RecordForm,
    ) -> Result<SiteRecords, AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let (_, contract) = site_and_contract(&mut tx, site_id).await?;
        let handled = db::handled_vaccines(&mut tx, site_id)
            .await
            .or_internal("load vaccines")?;
        let mut basis = Vec::with_capacity(handled.len());
        let mut held = Vec::with_capacity(handled.len());
        for vaccine in &handled {
            let (of_vaccine, lots) = vaccine_basis(&mut tx, site_id, &vaccine.code).await?;
            basis.push(of_vaccine);
            held.push(lots);
        }
        let checked = form
            .validate(&basis, contract, jst_date(now))
            .map_err(AppError::Validation)?;
        let day = checked.administered_on;
        for (index, tally) in checked.vaccines.iter().enumerate() {
            let position = handled
                .iter()
                .position(|v| v.code == tally.vaccine)
                .ok_or(AppError::Internal)?;
            let vaccine = &handled[position];
            // The rules refuse a day before the latest, so only the latest's own day is stored.
            let replaces = basis[position].latest.is_some_and(|l| l.on == day);
            let record_id = db::save(
                &mut tx,
                &NewRecord {
                    site_id,
                    vaccine: &tally.vaccine,
                    administered_on: day,
                    tally: tally.tally,
                    correction: tally.correction,
                    at: now,
                    user_id: Some(caller.user.id),
                },
            )
            .await
            .or_internal("save record")?;
            let use_of_day = UseOfDay {
                site_id,
                record_id,
                vaccine,
                day,
                at: now,
                user_id: caller.user.id,
            };
            let lots = &held[position];
            let field = format!("vaccines.{index}.stock");
            let vials = use_of_day
                .settle(&mut tx, tally, replaces, lots, &field)
                .await?;
            let field = format!("records:{}:{day}", tally.vaccine);
            let change = site_change(site_id, &field, None, Some(summary(tally, vials)));
            audit::record(&mut tx, now, actor_for(&caller, site_id), change)
                .await
                .or_internal("audit")?;
        }
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        site_records(&mut conn, &caller, site_id, now).await
    }

    async fn load_records_overview(
        &self,
        municipality: String,
    ) -> Result<RecordsOverview, AppError> {
        self.authorize(OVERVIEW_READERS, Scope::Municipality(municipality.clone()))
            .await?;
        let mut conn = self.conn().await?;
        let today = jst_date(self.now());
        let last_day = db::last_day_in_municipality(&mut conn, &municipality, today)
            .await
            .or_internal("load last day")?;
        let sites = db::sites_last_record(&mut conn, &municipality)
            .await
            .or_internal("load sites")?;
        let sums = db::ledger_sums(&mut conn, None, Some(&municipality))
            .await
            .or_internal("load ledger sums")?;
        let latest = db::latest_per_site(&mut conn, None, Some(&municipality))
            .await
            .or_internal("load latest")?;
        let doses: HashMap<String, i64> = db::doses_per_vial(&mut conn)
            .await
            .or_internal("load vaccines")?
            .into_iter()
            .collect();
        let mut books: HashMap<(i64, String), Reconciliation> = HashMap::new();
        for sum in sums {
            let entry = books
                .entry((sum.site_id, sum.vaccine_code.clone()))
                .or_default();
            add_movements(entry, &sum.kind, sum.vials);
        }
        let mut totals: HashMap<i64, u64> = HashMap::new();
        for (site_id, row) in &latest {
            let tally = row.tally();
            *totals.entry(*site_id).or_default() += tally.total();
            let entry = books
                .entry((*site_id, row.vaccine_code.clone()))
                .or_default();
            entry.recorded_doses = i64::try_from(tally.total()).unwrap_or(i64::MAX);
        }
        let flagged: HashSet<i64> = books
            .into_iter()
            .filter(|((_, vaccine), book)| {
                let per_vial = doses.get(vaccine).copied().unwrap_or(1);
                Reconciliation {
                    doses_per_vial: u32::try_from(per_vial).unwrap_or(1),
                    ..*book
                }
                .flagged()
            })
            .map(|((site_id, _), _)| site_id)
            .collect();
        let sites = sites
            .into_iter()
            .map(|s| {
                let flagged = flagged.contains(&s.id);
                SiteRecordStatus {
                    site: SiteRef {
                        id: s.id,
                        name: s.name,
                    },
                    last_on: s.last_on,
                    total: totals.get(&s.id).copied().unwrap_or(0),
                    flagged,
                }
            })
            .collect();
        Ok(RecordsOverview {
            last_day: last_day.map(|d| d.to_string()),
            sites,
        })
    }
}

/// The site's 集合契約加入日 and 脱退日 (from its record; a record that does not decode is an
/// internal error, never an open contract).
async fn site_and_contract(
    conn: &mut AnyConnection,
    site_id: i64,
) -> Result<(site_record::SiteRecordRow, ContractDates), AppError> {
    let row = site_record::load(conn, site_id)
        .await
        .or_internal("load site")?
        .ok_or(AppError::NotFound)?;
    let form = row.form(Vec::new()).or_internal("decode site")?;
    // Stored records passed the same parse when saved; an unreadable date counts as not entered.
    let contract =
        ContractDates::parse(&form.contract_joined, &form.contract_left).unwrap_or_default();
    Ok((row, contract))
}

/// What the rules need of one vaccine (its latest two registrations and the ids of the lots
/// held), and those lots.
async fn vaccine_basis(
    conn: &mut AnyConnection,
    site_id: i64,
    vaccine: &str,
) -> Result<(VaccineBasis, Vec<UsableLot>), AppError> {
    let latest = db::latest(conn, site_id, vaccine, None, 2)
        .await
        .or_internal("load latest records")?;
    let point = |row: &db::RecordRow| RecordPoint {
        on: row.administered_on,
        tally: row.tally(),
    };
    let lots = db::usable_lots(conn, site_id, vaccine)
        .await
        .or_internal("load lots")?;
    let basis = VaccineBasis {
        code: vaccine.to_string(),
        latest: latest.first().map(point),
        before_latest: latest.get(1).map(point),
        lots: lots.iter().map(|l| l.lot_id).collect(),
    };
    Ok((basis, lots))
}

/// One day's registration of one vaccine, settling what it takes from the stock.
struct UseOfDay<'a> {
    site_id: i64,
    record_id: i64,
    vaccine: &'a HandledVaccine,
    day: NaiveDate,
    at: DateTime<Utc>,
    user_id: i64,
}

impl UseOfDay<'_> {
    /// Brings the vials the day took to what its doses need (rounded up; a correction gives
    /// whole vials back to the lots used last), and returns the day's vials. `replaces`: the
    /// day was stored before (a new day has taken nothing yet); `lots`: the vaccine's lots the
    /// site holds, read in this transaction. Too few received vials is a field error on `field`
    /// that says how many are missing and how many wait for a receipt.
    async fn settle(
        &self,
        conn: &mut AnyConnection,
        tally: &CheckedTally,
        replaces: bool,
        lots: &[UsableLot],
        field: &str,
    ) -> Result<i64, AppError> {
        let per_vial = u32::try_from(self.vaccine.doses_per_vial).unwrap_or(1);
        let target = vials_for(tally.daily.total(), per_vial);
        let taken: i64 = if replaces {
            db::taken_by(conn, self.site_id, self.record_id)
                .await
                .or_internal("load day's use")?
                .iter()
                .map(|l| l.vials)
                .sum()
        } else {
            0
        };
        let delta = target - taken;
        if delta > 0 {
            self.take(conn, lots, tally.lot, delta, field).await?;
        } else if delta < 0 {
            self.give_back(conn, -delta).await?;
        }
        Ok(target)
    }

    /// Takes `vials` from the picked lot, or first-expiring first from the `lots` that have not
    /// expired by the day.
    async fn take(
        &self,
        conn: &mut AnyConnection,
        lots: &[UsableLot],
        picked: Option<i64>,
        vials: i64,
        field: &str,
    ) -> Result<(), AppError> {
        // A balance that changed since `lots` was read (PostgreSQL) is caught by the
        // conditional update below, which answers what is held now.
        let lots: Vec<&UsableLot> = lots
            .iter()
            .filter(|l| l.expires_on >= self.day && picked.is_none_or(|p| p == l.lot_id))
            .collect();
        let held: i64 = lots.iter().map(|l| l.vials).sum();
        if held < vials {
            return Err(self.short(conn, vials, held, field).await?);
        }
        let mut left = vials;
        for lot in lots {
            if left == 0 {
                break;
            }
            let now = left.min(lot.vials);
            let movement = self.movement(lot.lot_id, -now, "");
            match stock_db::record_movement(conn, &movement)
                .await
                .or_internal("record use")?
            {
                Ok(()) => left -= now,
                // Another registration took from the lot in between (PostgreSQL): say what is left.
                Err(Overdrawn { held: now_held }) => {
                    return Err(self
                        .short(conn, vials, held - now + now_held, field)
                        .await?)
                }
            }
        }
        Ok(())
    }

    /// Gives `vials` back to the lots this vaccine's registrations used, the lot used last first.
    async fn give_back(&self, conn: &mut AnyConnection, vials: i64) -> Result<(), AppError> {
        let used: Vec<LotUse> = db::taken_for_vaccine(conn, self.site_id, &self.vaccine.code)
            .await
            .or_internal("load use")?;
        let mut left = vials;
        for lot in used.into_iter().filter(|l| l.vials > 0) {
            if left == 0 {
                break;
            }
            let now = left.min(lot.vials);
            let movement = self.movement(lot.lot_id, now, "接種実績の訂正");
            stock_db::record_movement(conn, &movement)
                .await
                .or_internal("record return")?
                .map_err(|_| AppError::Internal)?;
            left -= now;
        }
        Ok(())
    }

    fn movement<'n>(&self, lot_id: i64, vials: i64, note: &'n str) -> Movement<'n> {
        Movement {
            site_id: self.site_id,
            lot_id,
            kind: MovementKind::Use,
            vials,
            occurred_on: self.day,
            reference_id: Some(self.record_id),
            note,
            at: self.at,
            user_id: Some(self.user_id),
        }
    }

    /// The error for too few received vials: how many are needed, held, and waiting for a receipt.
    async fn short(
        &self,
        conn: &mut AnyConnection,
        needed: i64,
        held: i64,
        field: &str,
    ) -> Result<AppError, AppError> {
        let awaiting = db::awaiting_vials(conn, self.site_id, &self.vaccine.code)
            .await
            .or_internal("load awaiting")?;
        let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        Ok(AppError::field(
            field,
            FieldError::StockShort {
                needed: count(needed),
                held: count(held),
                awaiting: count(awaiting),
            },
        ))
    }
}

/// The audit log's words for a day's registration: the cumulatives by dose and the vials used.
fn summary(tally: &CheckedTally, vials: i64) -> String {
    let mut text = format!(
        "累計 1回目 {} / 2回目 {}（当日 {:+} / {:+}）使用 {vials}本",
        tally.tally.dose_total(Dose::First),
        tally.tally.dose_total(Dose::Second),
        tally.daily.dose_total(Dose::First),
        tally.daily.dose_total(Dose::Second),
    );
    if tally.correction {
        text.push_str(" 訂正");
    }
    text
}

/// Adds a ledger sum of one kind to the reconciliation.
fn add_movements(book: &mut Reconciliation, kind: &str, vials: i64) {
    match kind {
        "receipt" | "transfer_in" | "transfer_out" => book.received_vials += vials,
        "waste" => book.wasted_vials -= vials,
        _ => {}
    }
    book.held_vials += vials;
}

/// Everything a site's 接種実績 page shows, at `now`.
async fn site_records(
    conn: &mut AnyConnection,
    caller: &Caller,
    site_id: i64,
    now: DateTime<Utc>,
) -> Result<SiteRecords, AppError> {
    let (row, contract) = site_and_contract(conn, site_id).await?;
    let today = jst_date(now);
    let since = today - TimeDelta::days(HISTORY_DAYS);
    let sums = db::ledger_sums(conn, Some(site_id), None)
        .await
        .or_internal("load ledger sums")?;
    let mut vaccines = Vec::new();
    for vaccine in db::handled_vaccines(conn, site_id)
        .await
        .or_internal("load vaccines")?
    {
        let (basis, held) = vaccine_basis(conn, site_id, &vaccine.code).await?;
        let per_vial = u32::try_from(vaccine.doses_per_vial).unwrap_or(1);
        let lots = held
            .into_iter()
            .filter(|l| l.expires_on >= today)
            .map(|l| Choice {
                value: l.lot_id.to_string(),
                label: format!("{}（{} {}本）", l.lot_number, l.expires_on, l.vials),
            })
            .collect();
        let used: HashMap<i64, i64> = db::use_per_record(conn, site_id, &vaccine.code, since)
            .await
            .or_internal("load use")?
            .into_iter()
            .map(|u| (u.record_id, u.vials))
            .collect();
        // The first row of the year counts from the registration before it, if any.
        let rows = db::history(conn, site_id, &vaccine.code, since)
            .await
            .or_internal("load history")?;
        let mut previous = match rows.first() {
            Some(first) => db::latest(conn, site_id, &vaccine.code, Some(first.administered_on), 1)
                .await
                .or_internal("load previous")?
                .first()
                .map(|r| r.tally())
                .unwrap_or_default(),
            None => Default::default(),
        };
        let mut history = Vec::with_capacity(rows.len());
        for r in &rows {
            let tally = r.tally();
            history.push(RecordDay {
                on: r.administered_on.to_string(),
                cumulative: tally,
                daily: tally.since(&previous),
                correction: r.correction,
                vials: used.get(&r.id).copied().unwrap_or(0),
            });
            previous = tally;
        }
        let mut reconciliation = Reconciliation {
            doses_per_vial: per_vial,
            recorded_doses: basis
                .latest
                .map_or(0, |l| i64::try_from(l.tally.total()).unwrap_or(i64::MAX)),
            ..Reconciliation::default()
        };
        for sum in sums.iter().filter(|s| s.vaccine_code == vaccine.code) {
            add_movements(&mut reconciliation, &sum.kind, sum.vials);
        }
        vaccines.push(VaccineRecords {
            name: vaccine.name,
            doses_per_vial: per_vial,
            basis,
            lots,
            history,
            reconciliation,
        });
    }
    let today_registered = db::registered_on(conn, site_id, today)
        .await
        .or_internal("load today")?;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok(SiteRecords {
        site: SiteRef {
            id: row.id,
            name: row.name,
        },
        today: today.to_string(),
        contract_joined: date(contract.joined),
        contract_left: date(contract.left),
        vaccines,
        today_registered,
        editable: WRITERS.contains(&caller.role),
    })
}
