//! A site's stock: 移送・融通 (the vials leave at once, arrive on receipt, never more than held,
//! even raced), 廃棄 and 棚卸, each on the ledger and each within its rules.

use crate::helpers::{TestApp, TestClient};
use crate::site_record::{app, OWN_SITE};
use app::api::SiteStock;
use app::domain::{jst_date, MovementKind, TransferForm, WasteForm};
use app::error::{AppError, FieldError, RefusalReason};
use serde_json::json;
use server::db::stock::{self, Movement};

/// Puts `vials` of the lot on the site's ledger, as a confirmed delivery would.
pub(crate) async fn give(app: &TestApp, site_id: i64, lot_id: i64, vials: i64) {
    let movement = Movement {
        site_id,
        lot_id,
        kind: MovementKind::Receipt,
        vials,
        occurred_on: jst_date(app.now()),
        reference_id: None,
        note: "",
        at: app.now(),
        user_id: None,
    };
    let mut conn = app.db().acquire().await.unwrap();
    stock::record_movement(&mut conn, &movement)
        .await
        .unwrap()
        .unwrap();
}

pub(crate) async fn lot_id(app: &TestApp, number: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM lots WHERE lot_number = $1")
        .bind(number)
        .fetch_one(app.db())
        .await
        .unwrap()
}

pub(crate) async fn held(client: &TestClient, site: i64, lot: i64) -> u32 {
    let stock: SiteStock = client
        .call("load_site_stock", json!({ "site_id": site }))
        .await
        .ok();
    stock
        .lots
        .iter()
        .find(|l| l.lot_id == lot)
        .map_or(0, |l| l.vials)
}

fn transfer(to: i64, lot: i64, vials: &str, day: &str) -> serde_json::Value {
    json!(TransferForm {
        to_site: to.to_string(),
        lot: lot.to_string(),
        vials: vials.into(),
        sent_on: day.into(),
    })
}

#[tokio::test]
async fn a_transfer_leaves_the_sender_at_once_and_reaches_the_receiver_only_on_receipt() {
    let app = app().await;
    let own = app.site_id(OWN_SITE).await;
    let satellite = app.site_id("千代田区D接種会場").await;
    let other_satellite = app.site_id("千代田区E接種会場").await;
    let osaka = {
        let code: String = sqlx::query_scalar(
            "SELECT code FROM municipalities WHERE prefecture_code = 27 ORDER BY code LIMIT 1",
        )
        .fetch_one(app.db())
        .await
        .unwrap();
        let mut conn = app.db().acquire().await.unwrap();
        server::db::master::insert_site(
            &mut conn,
            &code,
            "大阪市テスト病院",
            "basic",
            None,
            "hospital",
            app.now(),
        )
        .await
        .unwrap()
    };
    let lot = lot_id(&app, "FF2153").await;
    give(&app, own, lot, 10).await;
    let today = jst_date(app.now()).to_string();
    let site = app.logged_in("site-a").await;

    let stock: SiteStock = site
        .call("load_site_stock", json!({ "site_id": own }))
        .await
        .ok();
    let targets: Vec<&str> = stock.targets.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(targets[0], "千代田区D接種会場");
    assert!(!targets.contains(&"千代田区E接種会場"));
    // Basic sites of the municipality come next, then those of the rest of the prefecture with
    // their municipality; never another basic site's satellite, nor a site in another prefecture.
    assert!(targets.contains(&"千代田区Bクリニック"));
    assert!(targets.contains(&"港区A病院（港区）"));
    assert!(!targets
        .iter()
        .any(|t| t.contains("大阪") || t.contains("港区D")));
    let first_other = targets.iter().position(|t| t.contains('（')).unwrap();
    assert!(targets[..first_other]
        .iter()
        .all(|t| t.starts_with("千代田区")));

    // A satellite receives only from its own basic site; the rest stays in the prefecture.
    for target in [other_satellite, osaka] {
        site.call(
            "send_transfer",
            json!({"site_id": own, "form": transfer(target, lot, "1", &today)}),
        )
        .await
        .assert_field_error("to_site", FieldError::TransferTargetNotAllowed);
    }
    site.call(
        "send_transfer",
        json!({"site_id": own, "form": transfer(satellite, lot, "11", &today)}),
    )
    .await
    .assert_field_error("vials", FieldError::MoreThanHeld { held: 10 });

    let audit_before = app.audit_count().await;
    let sent: SiteStock = site
        .call(
            "send_transfer",
            json!({"site_id": own, "form": transfer(satellite, lot, "4", &today)}),
        )
        .await
        .ok();
    assert_eq!(app.audit_count().await, audit_before + 1);
    assert_eq!(sent.lots[0].vials, 6);
    let pending = sent.transfers.iter().find(|t| t.pending()).unwrap().clone();
    assert!(pending.outgoing);

    // 未受領 on both sides: the satellite holds nothing of it yet.
    let chiyoda = app.logged_in("chiyoda").await;
    let there: SiteStock = chiyoda
        .call("load_site_stock", json!({ "site_id": satellite }))
        .await
        .ok();
    assert!(there.lots.is_empty());
    assert!(there.transfers[0].pending() && !there.transfers[0].outgoing);
    // Only the receiver registers the receipt; the sender cannot.
    site.call(
        "receive_transfer",
        json!({"transfer_id": pending.id, "received_on": today}),
    )
    .await
    .assert_error(AppError::Forbidden);
    let received: SiteStock = chiyoda
        .call(
            "receive_transfer",
            json!({"transfer_id": pending.id, "received_on": today}),
        )
        .await
        .ok();
    assert_eq!(received.lots[0].vials, 4);
    assert_eq!(received.ledger[0].kind, MovementKind::TransferIn);
    site.call("cancel_transfer", json!({"transfer_id": pending.id}))
        .await
        .assert_error(AppError::Refused(RefusalReason::TransferSettled));

    // A transfer not yet received may be cancelled by the sender: the vials come back.
    let sent: SiteStock = site
        .call(
            "send_transfer",
            json!({"site_id": own, "form": transfer(satellite, lot, "2", &today)}),
        )
        .await
        .ok();
    assert_eq!(sent.lots[0].vials, 4);
    let id = sent.transfers.iter().find(|t| t.pending()).unwrap().id;
    let back: SiteStock = site
        .call("cancel_transfer", json!({ "transfer_id": id }))
        .await
        .ok();
    assert_eq!(back.lots[0].vials, 6);
    chiyoda
        .call(
            "receive_transfer",
            json!({"transfer_id": id, "received_on": today}),
        )
        .await
        .assert_error(AppError::Refused(RefusalReason::TransferSettled));
    // Received + held add up to what was given: 6 at the sender, 4 at the satellite.
    assert_eq!(
        held(&chiyoda, own, lot).await + held(&chiyoda, satellite, lot).await,
        10
    );
}

#[tokio::test]
async fn simultaneous_transfers_never_together_exceed_what_the_sender_holds() {
    let app = app().await;
    let own = app.site_id(OWN_SITE).await;
    let satellite = app.site_id("千代田区D接種会場").await;
    let lot = lot_id(&app, "FF2153").await;
    give(&app, own, lot, 6).await;
    let today = jst_date(app.now()).to_string();
    let site = app.logged_in("site-a").await;
    let calls = (0..10).map(|_| {
        site.call(
            "send_transfer",
            json!({"site_id": own, "form": transfer(satellite, lot, "1", &today)}),
        )
    });
    let answers = futures::future::join_all(calls).await;
    let sent = answers.iter().filter(|a| a.status.is_success()).count();
    for answer in answers.iter().filter(|a| !a.status.is_success()) {
        assert!(
            matches!(answer.error(), AppError::Validation(ref e)
                if e.get("vials") == Some(&FieldError::MoreThanHeld { held: 0 })),
            "{}",
            answer.body
        );
    }
    assert_eq!(sent, 6);
    assert_eq!(held(&site, own, lot).await, 0);
    let in_transit: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(vials), 0) AS BIGINT) FROM transfers WHERE from_site_id = $1",
    )
    .bind(own)
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(in_transit, 6);
}

#[tokio::test]
async fn waste_and_counts_go_on_the_ledger_and_the_municipality_sees_the_differences() {
    let app = app().await;
    let own = app.site_id(OWN_SITE).await;
    let satellite = app.site_id("千代田区D接種会場").await;
    let lot = lot_id(&app, "FF2153").await;
    give(&app, own, lot, 5).await;
    // A lot past its expiry: it may be wasted, never transferred.
    let expired: i64 = sqlx::query_scalar(
        "INSERT INTO lots (vaccine_code, lot_number, expires_on, created_at)
         VALUES ('pfizer', 'OLD001', '2020-01-31', 0) RETURNING id",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    give(&app, own, expired, 2).await;
    let today = jst_date(app.now()).to_string();
    let site = app.logged_in("site-a").await;
    site.call(
        "send_transfer",
        json!({"site_id": own, "form": transfer(satellite, expired, "1", &today)}),
    )
    .await
    .assert_field_error(
        "lot",
        FieldError::LotExpired {
            expired_on: "2020-01-31".into(),
        },
    );

    let waste = |lot: i64, vials: &str, reason: &str, note: &str| {
        json!({"site_id": own, "form": WasteForm {
            lot: lot.to_string(),
            vials: vials.into(),
            occurred_on: today.clone(),
            reason: reason.into(),
            note: note.into(),
        }})
    };
    site.call("record_waste", waste(lot, "1", "other", ""))
        .await
        .assert_field_error("note", FieldError::Required);
    site.call("record_waste", waste(lot, "6", "damaged", ""))
        .await
        .assert_field_error("vials", FieldError::MoreThanHeld { held: 5 });
    let _: SiteStock = site
        .call("record_waste", waste(expired, "2", "expired", ""))
        .await
        .ok();
    let after: SiteStock = site
        .call("record_waste", waste(lot, "1", "damaged", ""))
        .await
        .ok();
    assert_eq!(after.lots.len(), 1);
    assert_eq!(after.lots[0].vials, 4);
    assert_eq!(
        (
            after.ledger[0].kind,
            after.ledger[0].vials,
            after.ledger[0].note.as_str()
        ),
        (MovementKind::Waste, -1, "破損・汚染")
    );

    // 棚卸: a difference needs its reason and becomes a 棚卸調整.
    let count = |counted: &str, reason: &str| {
        json!({"site_id": own, "form": {"counted_on": today, "lines": [
            {"lot": lot, "counted": counted, "reason": reason}
        ]}})
    };
    site.call("record_count", count("3", ""))
        .await
        .assert_field_error("lines.0.reason", FieldError::Required);
    let counted: SiteStock = site
        .call("record_count", count("3", "落下破損の登録漏れ"))
        .await
        .ok();
    assert_eq!(counted.lots[0].vials, 3);
    assert_eq!(
        (counted.ledger[0].kind, counted.ledger[0].vials),
        (MovementKind::Adjustment, -1)
    );
    let chiyoda = app.logged_in("chiyoda").await;
    let seen: SiteStock = chiyoda
        .call("load_site_stock", json!({ "site_id": own }))
        .await
        .ok();
    let d = &seen.discrepancies[0];
    assert_eq!(
        (d.expected, d.counted, d.reason.as_str()),
        (4, 3, "落下破損の登録漏れ")
    );
}
