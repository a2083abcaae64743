//! The supply chain's scope for the regional roles: a municipality reaches only its own sites and
//! tables, a prefecture only those of its own municipalities. Every call outside answers 403 and
//! changes nothing. (`scope.rs` checks every function for strangers, a site and the supplier.)

use crate::helpers::{TestApp, TestClient};
use app::error::AppError;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// What the calls point at: a basic site with a delivery and a transfer in transit, in a
/// municipality and a prefecture the caller does not hold.
struct Outside {
    site: i64,
    municipality: String,
    prefecture: i64,
    shipment: i64,
    transfer: i64,
}

/// Every supply-chain function that acts on a site, a municipality or a prefecture, called on
/// `o`.
fn calls(o: &Outside) -> Vec<(&'static str, Value)> {
    let (site, municipality, prefecture) = (o.site, o.municipality.as_str(), o.prefecture);
    vec![
        ("load_site_request", json!({"cool_id": 3, "site_id": site})),
        (
            "save_site_request",
            json!({"cool_id": 3, "site_id": site, "boxes": "1"}),
        ),
        (
            "load_municipality_requests",
            json!({"cool_id": 3, "municipality": municipality}),
        ),
        (
            "load_allocation",
            json!({"cool_id": 2, "level": {"Municipality": municipality}}),
        ),
        (
            "save_allocation",
            json!({"save": {"cool_id": 2, "level": {"Municipality": municipality}, "version": 0, "rows": []}}),
        ),
        (
            "load_allocation",
            json!({"cool_id": 2, "level": {"Prefecture": prefecture}}),
        ),
        (
            "save_allocation",
            json!({"save": {"cool_id": 2, "level": {"Prefecture": prefecture}, "version": 0, "rows": []}}),
        ),
        (
            "set_data_lock",
            json!({"cool_id": 2, "prefecture": prefecture, "locked": true}),
        ),
        (
            "load_deliveries",
            json!({"cool_id": 1, "prefecture": prefecture}),
        ),
        (
            "schedule_delivery",
            json!({"cool_id": 1, "site_id": site, "scheduled_on": "2030-01-01"}),
        ),
        (
            "ship_delivery",
            json!({"cool_id": 1, "site_id": site,
                   "form": {"delivered_on": "2026-01-01", "lines": []}}),
        ),
        ("load_site_stock", json!({"site_id": site})),
        (
            "confirm_receipt",
            json!({"shipment_id": o.shipment, "note": ""}),
        ),
        (
            "send_transfer",
            json!({"site_id": site, "form": {"to_site": "", "lot": "1", "vials": "1",
                   "sent_on": "2026-01-01"}}),
        ),
        (
            "receive_transfer",
            json!({"transfer_id": o.transfer, "received_on": "2026-01-01"}),
        ),
        ("cancel_transfer", json!({"transfer_id": o.transfer})),
        (
            "record_waste",
            json!({"site_id": site, "form": {"lot": "1", "vials": "1",
                   "occurred_on": "2026-01-01", "reason": "damaged", "note": ""}}),
        ),
        (
            "record_count",
            json!({"site_id": site, "form": {"counted_on": "2026-01-01", "lines": []}}),
        ),
    ]
}

/// A delivery of 6 vials (not confirmed) to `site`, and a transfer of 1 vial in transit from it
/// to `other`.
async fn outside(
    app: &TestApp,
    site: i64,
    other: i64,
    municipality: &str,
    prefecture: i64,
) -> Outside {
    let shipment: i64 = sqlx::query_scalar(
        "INSERT INTO shipments (cool_id, site_id, delivered_on, created_at)
         VALUES (1, $1, '2026-01-01', 0) RETURNING id",
    )
    .bind(site)
    .fetch_one(app.db())
    .await
    .unwrap();
    sqlx::query("INSERT INTO shipment_lots (shipment_id, lot_id, vials) VALUES ($1, 1, 6)")
        .bind(shipment)
        .execute(app.db())
        .await
        .unwrap();
    let transfer: i64 = sqlx::query_scalar(
        "INSERT INTO transfers (from_site_id, to_site_id, lot_id, vials, sent_on, created_at)
         VALUES ($1, $2, 1, 1, '2026-01-01', 0) RETURNING id",
    )
    .bind(site)
    .bind(other)
    .fetch_one(app.db())
    .await
    .unwrap();
    Outside {
        site,
        municipality: municipality.to_string(),
        prefecture,
        shipment,
        transfer,
    }
}

/// What any of the calls could have changed.
async fn fingerprint(app: &TestApp) -> Vec<i64> {
    let mut out = vec![app.audit_count().await];
    for sql in [
        "SELECT COUNT(*) FROM stock_movements",
        "SELECT COUNT(*) FROM cool_requests",
        "SELECT COUNT(*) FROM cool_locks",
        "SELECT COUNT(*) FROM delivery_schedules",
        "SELECT COUNT(*) FROM shipments WHERE received_at IS NOT NULL",
        "SELECT COUNT(*) FROM transfers WHERE received_at IS NOT NULL OR cancelled_at IS NOT NULL",
        "SELECT COUNT(*) FROM wastes",
    ] {
        out.push(sqlx::query_scalar(sql).fetch_one(app.db()).await.unwrap());
    }
    out
}

async fn expect_refused(caller: &TestClient, who: &str, o: &Outside) {
    for (function, args) in calls(o) {
        let answer = caller.call(function, args.clone()).await;
        assert_eq!(
            (answer.status, answer.error()),
            (StatusCode::FORBIDDEN, AppError::Forbidden),
            "{who} calling {function} {args}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn municipalities_and_prefectures_reach_no_supply_data_outside_their_own_area() {
    let app = crate::site_record::app().await;
    // 千代田区 against 港区 (same prefecture, another municipality).
    let minato_site = app.site_id("港区A病院").await;
    let minato_other = app.site_id("港区Bクリニック").await;
    let minato = outside(&app, minato_site, minato_other, "131032", 27).await;
    // 東京都 against 大阪市 (another prefecture).
    let osaka_code: String = sqlx::query_scalar(
        "SELECT code FROM municipalities WHERE prefecture_code = 27 ORDER BY code LIMIT 1",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    let mut osaka_sites = Vec::new();
    for name in ["大阪テスト病院", "大阪テスト診療所"] {
        let mut conn = app.db().acquire().await.unwrap();
        osaka_sites.push(
            server::db::master::insert_site(
                &mut conn,
                &osaka_code,
                name,
                "basic",
                None,
                "clinic",
                app.now(),
            )
            .await
            .unwrap(),
        );
    }
    let osaka = outside(&app, osaka_sites[0], osaka_sites[1], &osaka_code, 27).await;

    let chiyoda = app.logged_in("chiyoda").await;
    let tokyo = app.logged_in("tokyo").await;
    let before = fingerprint(&app).await;
    expect_refused(&chiyoda, "chiyoda", &minato).await;
    expect_refused(&tokyo, "tokyo", &osaka).await;
    assert_eq!(fingerprint(&app).await, before);

    // The same calls inside their own area are not refused (the test above is not vacuous).
    let own_stock = tokyo
        .call("load_site_stock", json!({"site_id": minato_site}))
        .await;
    assert_eq!(own_stock.status, StatusCode::OK, "{}", own_stock.body);
    let own_requests = chiyoda
        .call(
            "load_municipality_requests",
            json!({"cool_id": 3, "municipality": "131016"}),
        )
        .await;
    assert_eq!(own_requests.status, StatusCode::OK, "{}", own_requests.body);
}
