//! A site's stock: 受領確認, 移送・融通, 廃棄, 棚卸 and the ledger that all of them write.

use super::access::{transfer_allowed, TransferEnd};
use super::delivery::shipment_views;
use super::site_record::{actor_for, site_change, READERS, WRITERS};
use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::db::audit;
use crate::db::delivery as delivery_db;
use crate::db::master::{self, SiteRecord};
use crate::db::stock::{
    self as db, Movement, NewTransferRecord, NewWasteRecord, Overdrawn, TransferRecord,
};
use app::api::{
    Choice, Discrepancy, LedgerRow, SiteDelivery, SiteRef, SiteStock, StockApi, StockLot,
    TransferRow,
};
use app::domain::{
    jst_date, parse_past_date, Choice as _, CountForm, DeliveryStatus, MovementKind, SiteType,
    TransferForm, WasteForm,
};
use app::error::{AppError, FieldError, RefusalReason};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// How many movements of the ledger a site's page shows.
const LEDGER_ROWS: i64 = 100;
/// How many settled transfers it shows beside those in transit.
const TRANSFER_ROWS: i64 = 50;
/// How many count differences it shows.
const DISCREPANCY_ROWS: i64 = 20;

#[async_trait::async_trait]
impl StockApi for RequestBackend {
    async fn load_site_stock(&self, site_id: i64) -> Result<SiteStock, AppError> {
        let caller = self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        site_stock(&mut conn, &caller, site_id, self.now()).await
    }

    async fn confirm_receipt(&self, shipment_id: i64, note: String) -> Result<SiteStock, AppError> {
        let caller = self.require_role(WRITERS).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let lines = delivery_db::lines_of(&mut tx, shipment_id)
            .await
            .or_internal("load shipment")?;
        let site_id = lines.first().map(|l| l.site_id).ok_or(AppError::NotFound)?;
        let caller = self.within_scope(caller, Scope::Site(site_id)).await?;
        let note: String = note.trim().chars().take(500).collect();
        if !delivery_db::mark_received(&mut tx, shipment_id, &note, now, caller.user.id)
            .await
            .or_internal("mark received")?
        {
            return Err(AppError::Refused(RefusalReason::AlreadyReceived));
        }
        for line in &lines {
            let movement = Movement {
                site_id,
                lot_id: line.lot_id,
                kind: MovementKind::Receipt,
                vials: line.vials,
                occurred_on: jst_date(now),
                reference_id: Some(shipment_id),
                note: &note,
                at: now,
                user_id: Some(caller.user.id),
            };
            db::record_movement(&mut tx, &movement)
                .await
                .or_internal("record receipt")?
                .map_err(|_| AppError::Internal)?;
        }
        let field = format!("shipment:{shipment_id}:received");
        let change = site_change(site_id, &field, None, Some(note.clone()));
        audit::record(&mut tx, now, actor_for(&caller, site_id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        site_stock(&mut conn, &caller, site_id, now).await
    }

    async fn send_transfer(&self, site_id: i64, form: TransferForm) -> Result<SiteStock, AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let today = jst_date(now);
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let from = load_site(&mut tx, site_id).await?;
        let held = db::held_lots(&mut tx, site_id)
            .await
            .or_internal("load lots")?;
        let lots: Vec<String> = held.iter().map(|l| l.lot_id.to_string()).collect();
        // The destination may be any site the rule allows, not only those the form offers.
        let target = match form.to_site.trim().parse::<i64>() {
            Ok(id) => master::site(&mut tx, id).await.or_internal("load site")?,
            Err(_) => None,
        };
        if let Some(to) = &target {
            if !transfer_allowed(end_of(&from), end_of(to)) {
                return Err(AppError::field(
                    "to_site",
                    FieldError::TransferTargetNotAllowed,
                ));
            }
        }
        let targets: Vec<String> = target.iter().map(|t| t.id.to_string()).collect();
        let transfer = form
            .validate(&lots, &targets, today)
            .map_err(AppError::Validation)?;
        let lot = held
            .iter()
            .find(|l| l.lot_id == transfer.lot)
            .ok_or(AppError::Internal)?;
        if lot.expires_on < today {
            return Err(AppError::field(
                "lot",
                FieldError::LotExpired {
                    expired_on: lot.expires_on.to_string(),
                },
            ));
        }
        let id = db::insert_transfer(
            &mut tx,
            &NewTransferRecord {
                from_site_id: site_id,
                to_site_id: transfer.to_site,
                lot_id: transfer.lot,
                vials: i64::from(transfer.vials),
                sent_on: transfer.sent_on,
                at: now,
                user_id: caller.user.id,
            },
        )
        .await
        .or_internal("insert transfer")?;
        let to_name = target.map(|t| t.name).unwrap_or_default();
        let movement = Movement {
            site_id,
            lot_id: transfer.lot,
            kind: MovementKind::TransferOut,
            vials: -i64::from(transfer.vials),
            occurred_on: transfer.sent_on,
            reference_id: Some(id),
            note: &to_name,
            at: now,
            user_id: Some(caller.user.id),
        };
        take(&mut tx, &movement, "vials").await?;
        let field = format!("transfer:{id}:sent");
        let change = site_change(
            site_id,
            &field,
            None,
            Some(format!(
                "→ {to_name} {} {}本",
                lot.lot_number, transfer.vials
            )),
        );
        audit::record(&mut tx, now, actor_for(&caller, site_id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        site_stock(&mut conn, &caller, site_id, now).await
    }

    async fn receive_transfer(
        &self,
        transfer_id: i64,
        received_on: String,
    ) -> Result<SiteStock, AppError> {
        let caller = self.require_role(WRITERS).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let transfer = load_transfer(&mut tx, transfer_id).await?;
        let site_id = transfer.to_site_id;
        let caller = self.within_scope(caller, Scope::Site(site_id)).await?;
        let day = parse_past_date(&received_on, jst_date(now))
            .map_err(|e| AppError::field("received_on", e))?;
        settle(&mut tx, transfer_id, Some(day), now, caller.user.id).await?;
        let movement = Movement {
            site_id,
            lot_id: transfer.lot_id,
            kind: MovementKind::TransferIn,
            vials: transfer.vials,
            occurred_on: day,
            reference_id: Some(transfer_id),
            note: &transfer.from_site_name,
            at: now,
            user_id: Some(caller.user.id),
        };
        db::record_movement(&mut tx, &movement)
            .await
            .or_internal("record transfer in")?
            .map_err(|_| AppError::Internal)?;
        let field = format!("transfer:{transfer_id}:received");
        let change = site_change(
            site_id,
            &field,
            None,
            Some(format!(
                "← {} {} {}本",
                transfer.from_site_name, transfer.lot_number, transfer.vials
            )),
        );
        audit::record(&mut tx, now, actor_for(&caller, site_id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        site_stock(&mut conn, &caller, site_id, now).await
    }

    async fn cancel_transfer(&self, transfer_id: i64) -> Result<SiteStock, AppError> {
        let caller = self.require_role(WRITERS).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let transfer = load_transfer(&mut tx, transfer_id).await?;
        let site_id = transfer.from_site_id;
        let caller = self.within_scope(caller, Scope::Site(site_id)).await?;
        settle(&mut tx, transfer_id, None, now, caller.user.id).await?;
        // The vials come back to the sender as a 移送（受） of its own transfer, noted as such.
        let note = format!("移送取消（{}）", transfer.to_site_name);
        let movement = Movement {
            site_id,
            lot_id: transfer.lot_id,
            kind: MovementKind::TransferIn,
            vials: transfer.vials,
            occurred_on: jst_date(now),
            reference_id: Some(transfer_id),
            note: &note,
            at: now,
            user_id: Some(caller.user.id),
        };
        db::record_movement(&mut tx, &movement)
            .await
            .or_internal("record cancel")?
            .map_err(|_| AppError::Internal)?;
        let field = format!("transfer:{transfer_id}:cancelled");
        let change = site_change(site_id, &field, None, Some(note.clone()));
        audit::record(&mut tx, now, actor_for(&caller, site_id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        site_stock(&mut conn, &caller, site_id, now).await
    }

    async fn record_waste(&self, site_id: i64, form: WasteForm) -> Result<SiteStock, AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let held = db::held_lots(&mut tx, site_id)
            .await
            .or_internal("load lots")?;
        let lots: Vec<String> = held.iter().map(|l| l.lot_id.to_string()).collect();
        let waste = form
            .validate(&lots, jst_date(now))
            .map_err(AppError::Validation)?;
        let id = db::insert_waste(
            &mut tx,
            &NewWasteRecord {
                site_id,
                lot_id: waste.lot,
                vials: i64::from(waste.vials),
                occurred_on: waste.occurred_on,
                reason: waste.reason,
                note: &waste.note,
                at: now,
                user_id: caller.user.id,
            },
        )
        .await
        .or_internal("insert waste")?;
        let reason = match waste.note.as_str() {
            "" => waste.reason.label().ja.to_string(),
            note => format!("{}: {note}", waste.reason.label().ja),
        };
        let movement = Movement {
            site_id,
            lot_id: waste.lot,
            kind: MovementKind::Waste,
            vials: -i64::from(waste.vials),
            occurred_on: waste.occurred_on,
            reference_id: Some(id),
            note: &reason,
            at: now,
            user_id: Some(caller.user.id),
        };
        take(&mut tx, &movement, "vials").await?;
        let lot_number = held
            .iter()
            .find(|l| l.lot_id == waste.lot)
            .map(|l| l.lot_number.clone())
            .unwrap_or_default();
        let field = format!("waste:{id}");
        let change = site_change(
            site_id,
            &field,
            None,
            Some(format!("{lot_number} {}本 {reason}", waste.vials)),
        );
        audit::record(&mut tx, now, actor_for(&caller, site_id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        site_stock(&mut conn, &caller, site_id, now).await
    }

    async fn record_count(&self, site_id: i64, form: CountForm) -> Result<SiteStock, AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let held = db::held_lots(&mut tx, site_id)
            .await
            .or_internal("load lots")?;
        let expected: Vec<(i64, u32)> = held
            .iter()
            .map(|l| (l.lot_id, u32::try_from(l.vials).unwrap_or(u32::MAX)))
            .collect();
        let (counted_on, lines) = form
            .validate(&expected, jst_date(now))
            .map_err(AppError::Validation)?;
        let id = db::insert_count(&mut tx, site_id, counted_on, now, caller.user.id)
            .await
            .or_internal("insert count")?;
        let mut differences = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            db::add_count_line(
                &mut tx,
                id,
                line.lot,
                i64::from(line.expected),
                i64::from(line.counted),
                &line.reason,
            )
            .await
            .or_internal("insert count line")?;
            let difference = i64::from(line.counted) - i64::from(line.expected);
            if difference != 0 {
                let movement = Movement {
                    site_id,
                    lot_id: line.lot,
                    kind: MovementKind::Adjustment,
                    vials: difference,
                    occurred_on: counted_on,
                    reference_id: Some(id),
                    note: &line.reason,
                    at: now,
                    user_id: Some(caller.user.id),
                };
                take(&mut tx, &movement, &format!("lines.{index}.counted")).await?;
                let number = held
                    .iter()
                    .find(|l| l.lot_id == line.lot)
                    .map(|l| l.lot_number.as_str())
                    .unwrap_or_default();
                differences.push(format!("{number} {difference:+} ({})", line.reason));
            }
        }
        let field = format!("count:{id}");
        let summary = if differences.is_empty() {
            "差異なし".to_string()
        } else {
            differences.join(", ")
        };
        let change = site_change(site_id, &field, None, Some(summary));
        audit::record(&mut tx, now, actor_for(&caller, site_id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        site_stock(&mut conn, &caller, site_id, now).await
    }
}

/// Records a movement that takes vials: more than the site holds of the lot is a field error
/// on `field` naming the balance, and the caller's transaction records nothing.
async fn take(
    conn: &mut AnyConnection,
    movement: &Movement<'_>,
    field: &str,
) -> Result<(), AppError> {
    match db::record_movement(conn, movement)
        .await
        .or_internal("record movement")?
    {
        Ok(()) => Ok(()),
        Err(Overdrawn { held }) => Err(AppError::field(
            field,
            FieldError::MoreThanHeld {
                held: u32::try_from(held).unwrap_or(u32::MAX),
            },
        )),
    }
}

/// Ends a transfer in transit, or says it had already ended.
async fn settle(
    conn: &mut AnyConnection,
    id: i64,
    received_on: Option<chrono::NaiveDate>,
    now: DateTime<Utc>,
    user_id: i64,
) -> Result<(), AppError> {
    if db::settle_transfer(conn, id, received_on, now, user_id)
        .await
        .or_internal("settle transfer")?
    {
        Ok(())
    } else {
        Err(AppError::Refused(RefusalReason::TransferSettled))
    }
}

async fn load_transfer(conn: &mut AnyConnection, id: i64) -> Result<TransferRecord, AppError> {
    db::transfer(conn, id)
        .await
        .or_internal("load transfer")?
        .ok_or(AppError::NotFound)
}

async fn load_site(conn: &mut AnyConnection, id: i64) -> Result<SiteRecord, AppError> {
    master::site(conn, id)
        .await
        .or_internal("load site")?
        .ok_or(AppError::NotFound)
}

fn end_of(site: &SiteRecord) -> TransferEnd {
    TransferEnd {
        id: site.id,
        satellite: site.site_type == SiteType::Satellite,
        basic_site_id: site.basic_site_id,
        prefecture: site.prefecture_code,
    }
}

/// Everything a site's stock page shows, at `now`.
async fn site_stock(
    conn: &mut AnyConnection,
    caller: &Caller,
    site_id: i64,
    now: DateTime<Utc>,
) -> Result<SiteStock, AppError> {
    let site = load_site(conn, site_id).await?;
    let today = jst_date(now);
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let lots = db::held_lots(conn, site_id)
        .await
        .or_internal("load lots")?
        .into_iter()
        .filter(|l| l.vials > 0)
        .map(|l| StockLot {
            lot_id: l.lot_id,
            lot_number: l.lot_number,
            vaccine: l.vaccine_name,
            expires_on: l.expires_on.to_string(),
            days_left: (l.expires_on - today).num_days(),
            vials: count(l.vials),
        })
        .collect();
    let deliveries = delivery_db::site_deliveries(conn, site_id)
        .await
        .or_internal("load deliveries")?
        .into_iter()
        .map(|d| SiteDelivery {
            cool_id: d.cool_id,
            cool: d.cool_name,
            boxes: count(d.boxes),
            scheduled_on: d.scheduled_on.map(|day| day.to_string()),
            status: DeliveryStatus::of(
                d.scheduled_on.is_some(),
                (d.boxes * d.vials_per_box) as u64,
                d.delivered as u64,
                d.received as u64,
            ),
        })
        .collect();
    let incoming = shipment_views(
        delivery_db::unreceived_lines(conn, site_id)
            .await
            .or_internal("load incoming")?,
    )
    .into_iter()
    .map(|(_, view)| view)
    .collect();
    let transfers = db::transfers_of(conn, site_id, TRANSFER_ROWS)
        .await
        .or_internal("load transfers")?
        .into_iter()
        .map(|t| TransferRow {
            id: t.id,
            outgoing: t.from_site_id == site_id,
            from: SiteRef {
                id: t.from_site_id,
                name: t.from_site_name,
            },
            to: SiteRef {
                id: t.to_site_id,
                name: t.to_site_name,
            },
            lot_number: t.lot_number,
            vaccine: t.vaccine_name,
            vials: count(t.vials),
            sent_on: t.sent_on.to_string(),
            received_on: t.received_on,
            cancelled: t.cancelled_at.is_some(),
        })
        .collect();
    // Sites of another municipality carry its name: the prefecture may have many of one name.
    let targets =
        db::transfer_targets(conn, site_id, &site.municipality_code, site.prefecture_code)
            .await
            .or_internal("load targets")?
            .into_iter()
            .map(|t| Choice {
                value: t.id.to_string(),
                label: if t.municipality_code == site.municipality_code {
                    t.name
                } else {
                    format!("{}（{}）", t.name, t.municipality_name)
                },
            })
            .collect();
    let ledger = db::ledger(conn, site_id, LEDGER_ROWS)
        .await
        .or_internal("load ledger")?
        .into_iter()
        .map(|m| LedgerRow {
            occurred_on: m.occurred_on.to_string(),
            kind: m.kind,
            lot_number: m.lot_number,
            vaccine: m.vaccine_name,
            vials: m.vials,
            note: m.note,
        })
        .collect();
    let discrepancies = db::discrepancies(conn, site_id, DISCREPANCY_ROWS)
        .await
        .or_internal("load discrepancies")?
        .into_iter()
        .map(|d| Discrepancy {
            counted_on: d.counted_on.to_string(),
            lot_number: d.lot_number,
            expected: count(d.expected),
            counted: count(d.counted),
            reason: d.reason,
        })
        .collect();
    Ok(SiteStock {
        site: SiteRef {
            id: site.id,
            name: site.name,
        },
        satellite: site.site_type == SiteType::Satellite,
        today: today.to_string(),
        lots,
        deliveries,
        incoming,
        transfers,
        targets,
        ledger,
        discrepancies,
        editable: WRITERS.contains(&caller.role),
    })
}
