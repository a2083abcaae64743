//! 納入 and 受領: the supplier enters 納入予定日 and lots inside its area once the prefecture has
//! locked the cool, and the site's 受領確認 puts the vials on its ledger.

use crate::allocation::{allocate_down_to_the_sites, cool_with_requests, TOKYO};
use crate::helpers::{TestApp, TestClient};
use crate::site_record::{app, OWN_SITE};
use app::api::{AllocationTable, DeliveryBoard, DeliveryRow, SiteStock};
use app::domain::{jst_date, CoolState, DeliveryStatus, LotLineForm, MovementKind, ShipmentForm};
use app::error::{AppError, FieldError, RefusalReason};
use chrono::TimeDelta;
use serde_json::json;

/// A cool allocated down to site-a's own site (12 boxes, 2,340 vials) and 千代田区Bクリニック
/// (3 boxes), its window closed; locked by 東京都 when `lock`.
async fn allocated_cool(app: &TestApp, lock: bool) -> i64 {
    let cool_id = cool_with_requests(app).await;
    app.advance(TimeDelta::days(2));
    let [_, tokyo, _] = allocate_down_to_the_sites(app, cool_id).await;
    if lock {
        set_lock(&tokyo, cool_id, true)
            .await
            .ok::<AllocationTable>();
    }
    cool_id
}

async fn set_lock(client: &TestClient, cool_id: i64, locked: bool) -> crate::helpers::Answer {
    client
        .call(
            "set_data_lock",
            json!({"cool_id": cool_id, "prefecture": TOKYO, "locked": locked}),
        )
        .await
}

async fn schedule(
    client: &TestClient,
    cool_id: i64,
    site: i64,
    day: &str,
) -> crate::helpers::Answer {
    client
        .call(
            "schedule_delivery",
            json!({"cool_id": cool_id, "site_id": site, "scheduled_on": day}),
        )
        .await
}

async fn ship(
    client: &TestClient,
    cool_id: i64,
    site: i64,
    day: &str,
    lines: &[(&str, &str)],
) -> crate::helpers::Answer {
    let form = ShipmentForm {
        delivered_on: day.into(),
        lines: lines
            .iter()
            .map(|(lot_number, vials)| LotLineForm {
                lot_number: lot_number.to_string(),
                vials: vials.to_string(),
            })
            .collect(),
    };
    client
        .call(
            "ship_delivery",
            json!({"cool_id": cool_id, "site_id": site, "form": form}),
        )
        .await
}

/// The cool's delivery list in `prefecture` (a code, or null for the first the caller may see).
pub(crate) async fn delivery_board(
    client: &TestClient,
    cool_id: i64,
    prefecture: serde_json::Value,
) -> DeliveryBoard {
    client
        .call(
            "load_deliveries",
            json!({"cool_id": cool_id, "prefecture": prefecture}),
        )
        .await
        .ok()
}

async fn stock(client: &TestClient, site: i64) -> SiteStock {
    client
        .call("load_site_stock", json!({ "site_id": site }))
        .await
        .ok()
}

#[tokio::test]
async fn the_supplier_delivers_inside_its_area_after_the_lock_and_the_site_confirms_into_its_ledger(
) {
    let app = app().await;
    let cool_id = allocated_cool(&app, false).await;
    let own = app.site_id(OWN_SITE).await;
    let clinic = app.site_id("千代田区Bクリニック").await;
    let supplier = app.logged_in("supplier").await;
    let cool = app.cool_window(cool_id).await;
    let first_day = cool.delivery_from.to_string();

    // Before 東京都 locks, there is nothing to deliver, whichever way the board is asked for.
    schedule(&supplier, cool_id, own, &first_day)
        .await
        .assert_error(AppError::Refused(RefusalReason::NotLocked));
    for prefecture in [json!(null), json!(TOKYO)] {
        let board = delivery_board(&supplier, cool_id, prefecture.clone()).await;
        assert!(board.rows.is_empty(), "{prefecture}");
    }

    let tokyo = app.logged_in("tokyo").await;
    set_lock(&tokyo, cool_id, true)
        .await
        .ok::<AllocationTable>();
    let supplier = app.logged_in("supplier").await;
    let board = delivery_board(&supplier, cool_id, json!(null)).await;
    assert_eq!(board.prefecture, Some(TOKYO));
    assert!(board.may_deliver);
    let rows: Vec<(&str, u32, u32, DeliveryStatus)> = board
        .rows
        .iter()
        .map(|r| (r.site.name.as_str(), r.boxes, r.vials, r.status))
        .collect();
    assert_eq!(
        rows,
        [
            ("千代田区A病院", 12, 2340, DeliveryStatus::Unscheduled),
            ("千代田区Bクリニック", 3, 585, DeliveryStatus::Unscheduled)
        ]
    );

    // 納入予定日 inside the delivery weeks, edges included.
    for outside in [
        cool.delivery_from - TimeDelta::days(1),
        cool.delivery_until + TimeDelta::days(1),
    ] {
        schedule(&supplier, cool_id, own, &outside.to_string())
            .await
            .assert_field_error(
                "scheduled_on",
                FieldError::OutsideDeliveryWeeks {
                    from: cool.delivery_from.to_string(),
                    until: cool.delivery_until.to_string(),
                },
            );
    }
    let audit_before = app.audit_count().await;
    let row: DeliveryRow = schedule(&supplier, cool_id, own, &cool.delivery_until.to_string())
        .await
        .ok();
    assert_eq!(row.status, DeliveryStatus::Scheduled);
    assert_eq!(app.audit_count().await, audit_before + 1);
    // Once a date is in, 東京都 may not unlock any more; national users still may.
    set_lock(&tokyo, cool_id, false)
        .await
        .assert_error(AppError::Refused(RefusalReason::DeliveriesScheduled));

    // Lots: known, unexpired, no more than is outstanding; the rest stays outstanding.
    let today = jst_date(app.now()).to_string();
    ship(&supplier, cool_id, clinic, &today, &[("FF2153", "10")])
        .await
        .assert_error(AppError::Refused(RefusalReason::NoDeliveryDate));
    ship(&supplier, cool_id, own, &today, &[("ZZ9999", "10")])
        .await
        .assert_field_error("lines.0.lot_number", FieldError::UnknownLot);
    ship(
        &supplier,
        cool_id,
        own,
        &today,
        &[("FF2153", "2000"), ("EW4811", "341")],
    )
    .await
    .assert_field_error(
        "lines.1.vials",
        FieldError::OverDelivered { outstanding: 2340 },
    );
    let row: DeliveryRow = ship(
        &supplier,
        cool_id,
        own,
        &today,
        &[("ff2153", "2000"), ("EW4811", "300")],
    )
    .await
    .ok();
    assert_eq!((row.status, row.delivered), (DeliveryStatus::Partial, 2300));

    // The site sees the delivery, with its needles and syringes, but holds nothing until it
    // confirms.
    let site = app.logged_in("site-a").await;
    let before = stock(&site, own).await;
    assert!(before.lots.is_empty());
    assert_eq!(before.incoming.len(), 1);
    let incoming = &before.incoming[0];
    assert_eq!(
        (incoming.vials, incoming.needles, incoming.syringes),
        (2300, 13_800, 13_800)
    );
    assert_eq!(before.deliveries[0].status, DeliveryStatus::Partial);
    let after: SiteStock = site
        .call(
            "confirm_receipt",
            json!({"shipment_id": incoming.id, "note": "箱に破損なし"}),
        )
        .await
        .ok();
    let held: Vec<(&str, u32, bool)> = after
        .lots
        .iter()
        .map(|l| (l.lot_number.as_str(), l.vials, l.expiring_soon()))
        .collect();
    // EW4811 expires ten days after the demo was loaded: flagged.
    assert_eq!(held, [("EW4811", 300, true), ("FF2153", 2000, false)]);
    assert!(after
        .ledger
        .iter()
        .all(|m| m.kind == MovementKind::Receipt && m.vials > 0));
    site.call(
        "confirm_receipt",
        json!({"shipment_id": incoming.id, "note": ""}),
    )
    .await
    .assert_error(AppError::Refused(RefusalReason::AlreadyReceived));

    // The rest of the boxes, then the clinic's: 完了 once every site confirmed everything.
    let row: DeliveryRow = ship(&supplier, cool_id, own, &today, &[("FF2153", "40")])
        .await
        .ok();
    assert_eq!(row.status, DeliveryStatus::Delivered);
    let _: DeliveryRow = schedule(&supplier, cool_id, clinic, &first_day).await.ok();
    let _: DeliveryRow = ship(&supplier, cool_id, clinic, &today, &[("FF2153", "585")])
        .await
        .ok();
    let board = delivery_board(&supplier, cool_id, json!(TOKYO)).await;
    assert_eq!(board.cool.state, CoolState::Delivering);
    let chiyoda = app.logged_in("chiyoda").await;
    for site_id in [own, clinic] {
        let pending = stock(&chiyoda, site_id).await.incoming;
        for shipment in pending {
            let _: SiteStock = chiyoda
                .call(
                    "confirm_receipt",
                    json!({"shipment_id": shipment.id, "note": ""}),
                )
                .await
                .ok();
        }
    }
    let board = delivery_board(&chiyoda, cool_id, json!(null)).await;
    assert!(board
        .rows
        .iter()
        .all(|r| r.status == DeliveryStatus::Received));
    assert!(!board.may_deliver);
    assert_eq!(board.cool.state, CoolState::Done);
    let national = app.logged_in("mhlw").await;
    set_lock(&national, cool_id, false)
        .await
        .ok::<AllocationTable>();
}

#[tokio::test]
async fn a_supplier_sees_and_delivers_only_inside_its_area() {
    let app = app().await;
    let cool_id = allocated_cool(&app, true).await;
    // The demo wholesaler serves 千代田区 only: take it away and nothing is left to see.
    sqlx::query("UPDATE supplier_areas SET municipality_code = '131032'")
        .execute(app.db())
        .await
        .unwrap();
    let supplier = app.logged_in("supplier").await;
    let board = delivery_board(&supplier, cool_id, json!(TOKYO)).await;
    assert!(board.rows.is_empty());
    let day = app.cool_window(cool_id).await.delivery_from.to_string();
    schedule(&supplier, cool_id, app.site_id(OWN_SITE).await, &day)
        .await
        .assert_error(AppError::Forbidden);
    supplier
        .call(
            "load_deliveries",
            json!({"cool_id": cool_id, "prefecture": 27}),
        )
        .await
        .assert_error(AppError::Forbidden);
    // An area of the whole prefecture (no municipality) covers every site in it.
    sqlx::query("UPDATE supplier_areas SET municipality_code = NULL")
        .execute(app.db())
        .await
        .unwrap();
    let board = delivery_board(&supplier, cool_id, json!(TOKYO)).await;
    assert_eq!(board.rows.len(), 2);
    let row: DeliveryRow = schedule(&supplier, cool_id, app.site_id(OWN_SITE).await, &day)
        .await
        .ok();
    assert_eq!(row.status, DeliveryStatus::Scheduled);
    // A site sees no board, and no other site's stock.
    let site = app.logged_in("site-a").await;
    site.call(
        "load_deliveries",
        json!({"cool_id": cool_id, "prefecture": TOKYO}),
    )
    .await
    .assert_error(AppError::Forbidden);
    site.call(
        "load_site_stock",
        json!({"site_id": app.site_id("千代田区Bクリニック").await}),
    )
    .await
    .assert_error(AppError::Forbidden);
}

#[tokio::test]
async fn an_expired_lot_cannot_be_delivered_not_even_with_an_earlier_delivery_day() {
    let app = app().await;
    let cool_id = allocated_cool(&app, true).await;
    let own = app.site_id(OWN_SITE).await;
    let supplier = app.logged_in("supplier").await;
    let cool = app.cool_window(cool_id).await;
    let _: DeliveryRow = schedule(&supplier, cool_id, own, &cool.delivery_from.to_string())
        .await
        .ok();
    // EW4811 expires ten days after the demo was loaded.
    let expires: String =
        sqlx::query_scalar("SELECT expires_on FROM lots WHERE lot_number = 'EW4811'")
            .fetch_one(app.db())
            .await
            .unwrap();
    let day_before_expiry = jst_date(app.now()).to_string();
    app.advance(TimeDelta::days(12));
    let supplier = app.logged_in("supplier").await;
    let today = jst_date(app.now()).to_string();
    for day in [today.as_str(), day_before_expiry.as_str()] {
        ship(&supplier, cool_id, own, day, &[("EW4811", "10")])
            .await
            .assert_field_error(
                "lines.0.lot_number",
                FieldError::LotExpired {
                    expired_on: expires.clone(),
                },
            );
    }
    let shipped: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shipments WHERE site_id = $1")
        .bind(own)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(shipped, 0);
}

#[tokio::test]
async fn the_national_data_set_delivers_its_finished_cool_to_every_site_and_every_satellite() {
    let app = crate::helpers::spawn_app().await;
    app.load_demo().await;
    server::seed::load_national(&app.state.db, 3_500, None, app.now())
        .await
        .unwrap();
    server::seed::load_national_supply(&app.state.db, app.now())
        .await
        .unwrap();
    let lot: i64 = sqlx::query_scalar("SELECT id FROM lots WHERE lot_number = 'NAT0001'")
        .fetch_one(app.db())
        .await
        .unwrap();
    // Every basic site holds what it was given less 6 vials per satellite; each satellite 6.
    let wrong: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sites s
         JOIN cool_requests r ON r.site_id = s.id
         JOIN cools c ON c.id = r.cool_id AND c.name = '全国第0クール'
         LEFT JOIN stock_balances b ON b.site_id = s.id AND b.lot_id = $1
         WHERE COALESCE(b.vials, 0) <> r.boxes * 195
               - 6 * (SELECT COUNT(*) FROM sites t WHERE t.basic_site_id = s.id)",
    )
    .bind(lot)
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(wrong, 0);
    let satellites_short: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sites s
         LEFT JOIN stock_balances b ON b.site_id = s.id AND b.lot_id = $1
         WHERE s.site_type = 'satellite' AND COALESCE(b.vials, 0) <> 6",
    )
    .bind(lot)
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(satellites_short, 0);
    // The ledger agrees with the balances, and the cool is 完了.
    let drift: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM stock_balances b
         WHERE b.lot_id = $1 AND b.vials <> (SELECT CAST(SUM(m.vials) AS BIGINT)
             FROM stock_movements m WHERE m.site_id = b.site_id AND m.lot_id = b.lot_id)",
    )
    .bind(lot)
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(drift, 0);
    let cools: app::api::CoolList = app
        .logged_in("mhlw")
        .await
        .call("list_cools", json!({}))
        .await
        .ok();
    let finished = cools
        .cools
        .iter()
        .find(|c| c.name == "全国第0クール")
        .unwrap();
    assert_eq!(finished.state, CoolState::Done);
}
