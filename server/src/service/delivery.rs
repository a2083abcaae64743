//! 納入: the supplier's list of locked allocations in its area, 納入予定日 and deliveries by lot.

use super::access::{may_see_deliveries, supplier_covers};
use super::site_record::site_change;
use super::supply::summary;
use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::clock::to_jst_rfc3339;
use crate::db::allocation;
use crate::db::audit;
use crate::db::delivery::{self as db, BoardFilter, NewShipmentRecord, ShipmentLine};
use crate::db::master::{self, SiteRecord};
use crate::db::suppliers;
use crate::db::supply::{self as supply_db, CoolRecord};
use app::api::{
    Choice, DeliveryApi, DeliveryBoard, DeliveryRow, ShipmentLotView, ShipmentView, SiteRef,
};
use app::domain::{jst_date, parse_delivery_date, DeliveryStatus, KnownLot, Role, ShipmentForm};
use app::error::{AppError, RefusalReason};
use sqlx::AnyConnection;

/// Who looks at a cool's deliveries.
const BOARD_READERS: &[Role] = &[
    Role::National,
    Role::Admin,
    Role::Prefecture,
    Role::Municipality,
    Role::Supplier,
];
/// Who enters 納入予定日 and deliveries.
const DELIVERERS: &[Role] = &[Role::Supplier, Role::National];

#[async_trait::async_trait]
impl DeliveryApi for RequestBackend {
    async fn load_deliveries(
        &self,
        cool_id: i64,
        prefecture: Option<i64>,
    ) -> Result<DeliveryBoard, AppError> {
        let caller = self.authorize(BOARD_READERS, Scope::Own).await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let cool = supply_db::cool(&mut conn, cool_id)
            .await
            .or_internal("load cool")?
            .ok_or(AppError::NotFound)?;
        let area = supplier_area(&mut conn, &caller).await?;
        let own = caller.user.region_prefecture;
        let locked = allocation::locked_prefectures(&mut conn, cool_id)
            .await
            .or_internal("load locks")?;
        let mut prefectures = Vec::new();
        for code in locked {
            if may_see_deliveries(&caller, code, own, &area) {
                let name = master::prefecture(&mut conn, code)
                    .await
                    .or_internal("load prefecture")?
                    .map(|p| p.name)
                    .unwrap_or_default();
                prefectures.push(Choice {
                    value: code.to_string(),
                    label: name,
                });
            }
        }
        let shown = match prefecture {
            Some(code) if !may_see_deliveries(&caller, code, own, &area) => {
                return Err(AppError::Forbidden)
            }
            Some(code) => Some(code),
            None => prefectures
                .first()
                .and_then(|p| p.value.parse().ok())
                .or(own.filter(|_| caller.role != Role::Supplier)),
        };
        let filter = BoardFilter {
            municipality: match caller.role {
                Role::Municipality => caller.user.municipality_code.as_deref(),
                _ => None,
            },
            site: None,
            supplier: match caller.role {
                Role::Supplier => Some(caller.user.supplier_id.ok_or(AppError::Forbidden)?),
                _ => None,
            },
        };
        let rows = match shown {
            Some(code) => board_rows(&mut conn, &cool, code, filter).await?,
            None => Vec::new(),
        };
        let vaccine = supply_db::vaccines(&mut conn)
            .await
            .or_internal("load vaccines")?
            .into_iter()
            .find(|v| v.code == cool.vaccine_code);
        let lots = known_lots(&mut conn, &cool.vaccine_code).await?;
        Ok(DeliveryBoard {
            cool: summary(&mut conn, cool, now).await?,
            prefectures,
            prefecture: shown,
            rows,
            lots,
            needle_syringe_note: vaccine.map(|v| v.needle_syringe_note).unwrap_or_default(),
            may_deliver: DELIVERERS.contains(&caller.role),
        })
    }

    async fn schedule_delivery(
        &self,
        cool_id: i64,
        site_id: i64,
        scheduled_on: String,
    ) -> Result<DeliveryRow, AppError> {
        let caller = self.require_role(DELIVERERS).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let (cool, site) = deliverable(&mut tx, &caller, cool_id, site_id).await?;
        let day = parse_delivery_date(&scheduled_on, &cool.window())
            .map_err(|e| AppError::field("scheduled_on", e))?;
        let before = db::schedule(&mut tx, cool_id, site_id)
            .await
            .or_internal("load schedule")?;
        db::set_schedule(&mut tx, cool_id, site_id, day, caller.user.supplier_id, now)
            .await
            .or_internal("set schedule")?;
        let field = format!("cool:{cool_id}:scheduled_on");
        let change = site_change(
            site_id,
            &field,
            before.map(|d| d.to_string()),
            Some(day.to_string()),
        );
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        let row = one_row(&mut tx, &cool, &site).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(row)
    }

    async fn ship_delivery(
        &self,
        cool_id: i64,
        site_id: i64,
        form: ShipmentForm,
    ) -> Result<DeliveryRow, AppError> {
        let caller = self.require_role(DELIVERERS).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let (cool, site) = deliverable(&mut tx, &caller, cool_id, site_id).await?;
        // Touching the 納入予定日 row first makes simultaneous deliveries to one site wait for
        // each other (PostgreSQL locks the row; SQLite has one writer), so each sees what the
        // other delivered before checking what is outstanding.
        let scheduled = db::set_schedule_touch(&mut tx, cool_id, site_id, now)
            .await
            .or_internal("lock schedule")?;
        if !scheduled {
            return Err(AppError::Refused(RefusalReason::NoDeliveryDate));
        }
        let boxes = allocation::given_to_site(&mut tx, cool_id, site_id)
            .await
            .or_internal("load allocation")?
            .unwrap_or(0);
        let delivered = db::delivered_vials(&mut tx, cool_id, site_id)
            .await
            .or_internal("load delivered")?;
        let outstanding = (boxes * cool.vials_per_box - delivered).max(0) as u64;
        let lots = known_lots(&mut tx, &cool.vaccine_code).await?;
        let shipment = form
            .validate(&lots, outstanding, jst_date(now))
            .map_err(AppError::Validation)?;
        let id = db::insert_shipment(
            &mut tx,
            &NewShipmentRecord {
                cool_id,
                site_id,
                supplier_id: caller.user.supplier_id,
                delivered_on: shipment.delivered_on,
                at: now,
                user_id: caller.user.id,
            },
        )
        .await
        .or_internal("insert shipment")?;
        let mut described = Vec::new();
        for (lot_id, vials) in &shipment.lots {
            db::add_shipment_lot(&mut tx, id, *lot_id, i64::from(*vials))
                .await
                .or_internal("insert shipment lot")?;
            let number = lots
                .iter()
                .find(|l| l.id == *lot_id)
                .map(|l| l.lot_number.as_str())
                .unwrap_or_default();
            described.push(format!("{number}×{vials}"));
        }
        let field = format!("cool:{cool_id}:shipment:{id}");
        let change = site_change(
            site_id,
            &field,
            None,
            Some(format!(
                "{} {}",
                shipment.delivered_on,
                described.join(", ")
            )),
        );
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        let row = one_row(&mut tx, &cool, &site).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(row)
    }
}

/// The supplier's service area, or nothing for the other roles.
async fn supplier_area(
    conn: &mut AnyConnection,
    caller: &Caller,
) -> Result<Vec<suppliers::AreaRecord>, AppError> {
    match (caller.role, caller.user.supplier_id) {
        (Role::Supplier, Some(id)) => suppliers::supplier_area(conn, id)
            .await
            .or_internal("load supplier area"),
        _ => Ok(Vec::new()),
    }
}

/// The cool and the site, when the caller may deliver there now: a supplier only inside its
/// area; the site's prefecture must have locked the cool and given the site boxes.
async fn deliverable(
    conn: &mut AnyConnection,
    caller: &Caller,
    cool_id: i64,
    site_id: i64,
) -> Result<(CoolRecord, SiteRecord), AppError> {
    let site = master::site(conn, site_id)
        .await
        .or_internal("load site")?
        .ok_or(AppError::NotFound)?;
    if caller.role == Role::Supplier {
        let area = supplier_area(conn, caller).await?;
        if !supplier_covers(&area, &site.municipality_code, site.prefecture_code) {
            return Err(AppError::Forbidden);
        }
    }
    let cool = supply_db::cool(conn, cool_id)
        .await
        .or_internal("load cool")?
        .ok_or(AppError::NotFound)?;
    let locked = allocation::locked_prefectures(conn, cool_id)
        .await
        .or_internal("load locks")?
        .contains(&site.prefecture_code);
    if !locked {
        return Err(AppError::Refused(RefusalReason::NotLocked));
    }
    let boxes = allocation::given_to_site(conn, cool_id, site_id)
        .await
        .or_internal("load allocation")?
        .unwrap_or(0);
    if boxes == 0 {
        return Err(AppError::Refused(RefusalReason::NothingAllocated));
    }
    Ok((cool, site))
}

/// The lots of a vaccine, as a delivery names them.
async fn known_lots(conn: &mut AnyConnection, vaccine: &str) -> Result<Vec<KnownLot>, AppError> {
    Ok(supply_db::lots(conn)
        .await
        .or_internal("load lots")?
        .into_iter()
        .filter(|l| l.vaccine_code == vaccine)
        .map(|l| KnownLot {
            id: l.id,
            lot_number: l.lot_number,
            expires_on: l.expires_on,
        })
        .collect())
}

/// The rows of a board, each with its deliveries.
async fn board_rows(
    conn: &mut AnyConnection,
    cool: &CoolRecord,
    prefecture: i64,
    filter: BoardFilter<'_>,
) -> Result<Vec<DeliveryRow>, AppError> {
    let records = db::board(conn, cool.id, prefecture, filter)
        .await
        .or_internal("load deliveries")?;
    let lines = db::shipment_lines(conn, cool.id, prefecture)
        .await
        .or_internal("load shipments")?;
    let shipments = shipment_views(lines);
    Ok(records
        .into_iter()
        .map(|r| {
            let vials = r.boxes * cool.vials_per_box;
            let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
            DeliveryRow {
                site: SiteRef {
                    id: r.site_id,
                    name: r.site_name,
                },
                municipality: r.municipality_name,
                boxes: count(r.boxes),
                vials: count(vials),
                scheduled_on: r.scheduled_on.map(|d| d.to_string()),
                delivered: count(r.delivered),
                received: count(r.received),
                status: DeliveryStatus::of(
                    r.scheduled_on.is_some(),
                    vials as u64,
                    r.delivered as u64,
                    r.received as u64,
                ),
                shipments: shipments
                    .iter()
                    .filter(|(site, _)| *site == r.site_id)
                    .map(|(_, s)| s.clone())
                    .collect(),
            }
        })
        .collect())
}

/// One site's row, as an action answers it.
async fn one_row(
    conn: &mut AnyConnection,
    cool: &CoolRecord,
    site: &SiteRecord,
) -> Result<DeliveryRow, AppError> {
    let filter = BoardFilter {
        site: Some(site.id),
        ..BoardFilter::default()
    };
    board_rows(conn, cool, site.prefecture_code, filter)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)
}

/// Shipment lines grouped into deliveries, each with its site's id, in the lines' order.
pub(super) fn shipment_views(lines: Vec<ShipmentLine>) -> Vec<(i64, ShipmentView)> {
    let mut out: Vec<(i64, ShipmentView)> = Vec::new();
    for line in lines {
        let vials = u32::try_from(line.vials).unwrap_or(u32::MAX);
        let lot = ShipmentLotView {
            lot_number: line.lot_number,
            expires_on: line.expires_on.to_string(),
            vials,
        };
        let needles = u32::try_from(line.vials * line.needles_per_vial).unwrap_or(u32::MAX);
        let syringes = u32::try_from(line.vials * line.syringes_per_vial).unwrap_or(u32::MAX);
        match out.last_mut() {
            Some((_, view)) if view.id == line.shipment_id => {
                view.lots.push(lot);
                view.vials += vials;
                view.needles += needles;
                view.syringes += syringes;
            }
            _ => out.push((
                line.site_id,
                ShipmentView {
                    id: line.shipment_id,
                    cool: line.cool_name,
                    delivered_on: line.delivered_on.to_string(),
                    lots: vec![lot],
                    vials,
                    needles,
                    syringes,
                    received_at: line.received_at.map(to_jst_rfc3339),
                    receipt_note: line.receipt_note,
                },
            )),
        }
    }
    out
}
