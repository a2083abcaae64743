//! 分配 and データロック: each level gives the next within what it was given, a site that
//! registered nothing gets nothing, concurrent saves conflict, and a prefecture's lock fixes its
//! area until it is released, while sites see their 分配量 only once it is locked.

use crate::helpers::{Answer, TestApp, TestClient};
use crate::site_record::{app, CHIYODA, OWN_SITE};
use app::api::{AllocationTable, CoolSummary, SiteRequest};
use app::domain::{jst_date, jst_minute, AllocationLevel, CoolForm, CoolState};
use app::error::{AppError, FieldError, RefusalReason};
use chrono::TimeDelta;
use serde_json::json;

pub(crate) const TOKYO: i64 = 13;

/// A cool of 120 boxes whose window is open for two days from now, with 10 boxes requested by
/// site-a's own site and 5 by 千代田区Bクリニック (the municipality's 代理入力).
pub(crate) async fn cool_with_requests(app: &TestApp) -> i64 {
    let opens = app.now();
    let closes = opens + TimeDelta::days(2);
    let delivery = jst_date(closes) + TimeDelta::days(5);
    let form = CoolForm {
        name: "テスト第9クール".into(),
        vaccine: "pfizer".into(),
        total_boxes: "120".into(),
        opens: jst_minute(opens),
        closes: jst_minute(closes),
        delivery_from: delivery.to_string(),
        delivery_until: (delivery + TimeDelta::days(11)).to_string(),
    };
    let cool: CoolSummary = app
        .logged_in("mhlw")
        .await
        .call("create_cool", json!({ "form": form }))
        .await
        .ok();
    let request =
        |site: i64, boxes: &str| json!({"cool_id": cool.id, "site_id": site, "boxes": boxes});
    let site: SiteRequest = app
        .logged_in("site-a")
        .await
        .call(
            "save_site_request",
            request(app.site_id(OWN_SITE).await, "10"),
        )
        .await
        .ok();
    assert_eq!(site.boxes, Some(10));
    let chiyoda = app.logged_in("chiyoda").await;
    let clinic = app.site_id("千代田区Bクリニック").await;
    let _: SiteRequest = chiyoda
        .call("save_site_request", request(clinic, "5"))
        .await
        .ok();
    cool.id
}

async fn load(client: &TestClient, cool_id: i64, level: AllocationLevel) -> AllocationTable {
    client
        .call(
            "load_allocation",
            json!({"cool_id": cool_id, "level": level}),
        )
        .await
        .ok()
}

async fn save(client: &TestClient, table: &AllocationTable, rows: &[(&str, &str)]) -> Answer {
    let rows: Vec<(String, String)> = rows
        .iter()
        .map(|(t, b)| (t.to_string(), b.to_string()))
        .collect();
    client
        .call(
            "save_allocation",
            json!({"save": {"cool_id": table.cool.id, "level": table.level, "version": table.version, "rows": rows}}),
        )
        .await
}

fn row<'a>(table: &'a AllocationTable, name: &str) -> &'a app::api::AllocationRow {
    table
        .rows
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name}"))
}

/// Allocates 100 boxes to 東京都, 15 to 千代田区, and 12 + 3 to its two sites that registered.
pub(crate) async fn allocate_down_to_the_sites(app: &TestApp, cool_id: i64) -> [TestClient; 3] {
    let mhlw = app.logged_in("mhlw").await;
    let national = load(&mhlw, cool_id, AllocationLevel::National).await;
    let _: AllocationTable = save(&mhlw, &national, &[("13", "100")]).await.ok();
    let tokyo = app.logged_in("tokyo").await;
    let prefecture = load(&tokyo, cool_id, AllocationLevel::Prefecture(TOKYO)).await;
    let _: AllocationTable = save(&tokyo, &prefecture, &[(CHIYODA, "15")]).await.ok();
    let chiyoda = app.logged_in("chiyoda").await;
    let municipality = load(
        &chiyoda,
        cool_id,
        AllocationLevel::Municipality(CHIYODA.into()),
    )
    .await;
    let a = app.site_id(OWN_SITE).await.to_string();
    let b = app.site_id("千代田区Bクリニック").await.to_string();
    let _: AllocationTable = save(&chiyoda, &municipality, &[(&a, "12"), (&b, "3")])
        .await
        .ok();
    [mhlw, tokyo, chiyoda]
}

#[tokio::test]
async fn each_level_allocates_within_what_it_was_given_with_a_proposal_pro_rata_to_the_requests() {
    let app = app().await;
    let cool_id = cool_with_requests(&app).await;
    let mhlw = app.logged_in("mhlw").await;
    let national = load(&mhlw, cool_id, AllocationLevel::National).await;
    // While the window is open the requests may still change: no allocation yet.
    save(&mhlw, &national, &[("13", "10")])
        .await
        .assert_error(AppError::Refused(RefusalReason::WindowStillOpen));
    assert!(!national.editable);

    app.advance(TimeDelta::days(2));
    let mhlw = app.logged_in("mhlw").await;
    let national = load(&mhlw, cool_id, AllocationLevel::National).await;
    assert!(national.editable);
    assert_eq!(national.available, 120);
    assert_eq!(national.rows.len(), 47);
    let tokyo_row = row(&national, "東京都");
    assert_eq!((tokyo_row.requested, tokyo_row.proposed), (Some(15), 15));
    assert_eq!(row(&national, "大阪府").requested, Some(0));
    save(&mhlw, &national, &[("13", "100"), ("27", "21")])
        .await
        .assert_field_error("total", FieldError::OverAllocated { available: 120 });
    let audit_before = app.audit_count().await;
    let saved: AllocationTable = save(&mhlw, &national, &[("13", "100"), ("27", "20")])
        .await
        .ok();
    assert_eq!(app.audit_count().await, audit_before + 2);
    assert_eq!(row(&saved, "東京都").boxes, 100);
    assert_eq!(saved.cool.state, CoolState::Allocating);
    // The same table saved again from what was loaded before: someone saved it since.
    let answer = save(&mhlw, &national, &[("13", "90")]).await;
    assert!(matches!(answer.error(), AppError::EditConflict(ref changes) if changes.len() == 1));

    let tokyo = app.logged_in("tokyo").await;
    let prefecture = load(&tokyo, cool_id, AllocationLevel::Prefecture(TOKYO)).await;
    assert_eq!(prefecture.available, 100);
    assert_eq!(prefecture.area, "東京都");
    let chiyoda_row = row(&prefecture, "千代田区");
    assert_eq!(
        (chiyoda_row.requested, chiyoda_row.proposed),
        (Some(15), 15)
    );
    save(&tokyo, &prefecture, &[(CHIYODA, "101")])
        .await
        .assert_field_error("total", FieldError::OverAllocated { available: 100 });
    let _: AllocationTable = save(&tokyo, &prefecture, &[(CHIYODA, "15")]).await.ok();
    // Another prefecture's table and the national one are not Tokyo's to save.
    tokyo
        .call(
            "load_allocation",
            json!({"cool_id": cool_id, "level": {"Prefecture": 27}}),
        )
        .await
        .assert_error(AppError::Forbidden);
    save(&tokyo, &saved, &[("13", "100")])
        .await
        .assert_error(AppError::Forbidden);

    let chiyoda = app.logged_in("chiyoda").await;
    let table = load(
        &chiyoda,
        cool_id,
        AllocationLevel::Municipality(CHIYODA.into()),
    )
    .await;
    assert_eq!(table.available, 15);
    let requested: Vec<(&str, Option<u64>, u64)> = table
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.requested, r.proposed))
        .collect();
    assert_eq!(
        requested,
        [
            ("千代田区A病院", Some(10), 10),
            ("千代田区Bクリニック", Some(5), 5),
            ("千代田区C診療所", None, 0)
        ]
    );
    let a = app.site_id(OWN_SITE).await.to_string();
    let b = app.site_id("千代田区Bクリニック").await.to_string();
    let c = app.site_id("千代田区C診療所").await.to_string();
    save(&chiyoda, &table, &[(&c, "1")])
        .await
        .assert_field_error(&c, FieldError::NotRequested);
    save(&chiyoda, &table, &[(&a, "10"), (&b, "6")])
        .await
        .assert_field_error("total", FieldError::OverAllocated { available: 15 });
    // More than a site asked is allowed (the screen warns); the sum stays within 15.
    let saved: AllocationTable = save(&chiyoda, &table, &[(&a, "12"), (&b, "3")]).await.ok();
    assert_eq!(row(&saved, "千代田区A病院").boxes, 12);
    app.logged_in("minato")
        .await
        .call(
            "load_allocation",
            json!({"cool_id": cool_id, "level": {"Municipality": CHIYODA}}),
        )
        .await
        .assert_error(AppError::Forbidden);
}

#[tokio::test]
async fn a_prefectures_data_lock_fixes_its_area_and_shows_the_sites_their_boxes() {
    let app = app().await;
    let cool_id = cool_with_requests(&app).await;
    app.advance(TimeDelta::days(2));
    let [mhlw, tokyo, chiyoda] = allocate_down_to_the_sites(&app, cool_id).await;
    let site = app.logged_in("site-a").await;
    let site_id = app.site_id(OWN_SITE).await;
    let own = || async {
        site.call(
            "load_site_request",
            json!({"cool_id": cool_id, "site_id": site_id}),
        )
        .await
        .ok::<SiteRequest>()
    };
    assert_eq!(own().await.allocated, None, "no 分配量 before the lock");

    let audit_before = app.audit_count().await;
    let locked: AllocationTable = tokyo
        .call(
            "set_data_lock",
            json!({"cool_id": cool_id, "prefecture": TOKYO, "locked": true}),
        )
        .await
        .ok();
    assert!(locked.locked && !locked.editable);
    assert_eq!(app.audit_count().await, audit_before + 1);
    assert_eq!(locked.cool.state, CoolState::Locked);
    assert_eq!(own().await.allocated, Some(12));

    let tokyo_locked = AppError::DataLocked {
        prefecture: "東京都".into(),
    };
    let municipality = load(
        &chiyoda,
        cool_id,
        AllocationLevel::Municipality(CHIYODA.into()),
    )
    .await;
    let a = site_id.to_string();
    save(&chiyoda, &municipality, &[(&a, "11")])
        .await
        .assert_error(tokyo_locked.clone());
    save(&tokyo, &locked, &[(CHIYODA, "14")])
        .await
        .assert_error(tokyo_locked.clone());
    let national = load(&mhlw, cool_id, AllocationLevel::National).await;
    assert!(row(&national, "東京都").locked);
    save(&mhlw, &national, &[("13", "90")])
        .await
        .assert_error(tokyo_locked);
    // Another prefecture stays open to the national table; the cool is then no longer all locked.
    let national: AllocationTable = save(&mhlw, &national, &[("13", "100"), ("27", "5")])
        .await
        .ok();
    assert_eq!(national.cool.state, CoolState::Allocating);
    app.logged_in("minato")
        .await
        .call(
            "set_data_lock",
            json!({"cool_id": cool_id, "prefecture": TOKYO, "locked": false}),
        )
        .await
        .assert_error(AppError::Forbidden);

    let unlocked: AllocationTable = tokyo
        .call(
            "set_data_lock",
            json!({"cool_id": cool_id, "prefecture": TOKYO, "locked": false}),
        )
        .await
        .ok();
    assert!(!unlocked.locked && unlocked.editable);
    assert_eq!(own().await.allocated, None);
    let municipality = load(
        &chiyoda,
        cool_id,
        AllocationLevel::Municipality(CHIYODA.into()),
    )
    .await;
    let _: AllocationTable = save(&chiyoda, &municipality, &[(&a, "11")]).await.ok();
}

#[tokio::test]
async fn a_level_cannot_cut_a_row_below_what_it_already_passed_on() {
    let app = app().await;
    let cool_id = cool_with_requests(&app).await;
    app.advance(TimeDelta::days(2));
    let [mhlw, tokyo, _] = allocate_down_to_the_sites(&app, cool_id).await;
    // 千代田区 gave its sites 15 boxes: 東京都 cannot leave it fewer.
    let prefecture = load(&tokyo, cool_id, AllocationLevel::Prefecture(TOKYO)).await;
    save(&tokyo, &prefecture, &[(CHIYODA, "14")])
        .await
        .assert_field_error(CHIYODA, FieldError::BelowPassedOn { given: 15 });
    // 東京都 gave its municipalities 15 boxes: 国 cannot leave it fewer.
    let national = load(&mhlw, cool_id, AllocationLevel::National).await;
    save(&mhlw, &national, &[("13", "10")])
        .await
        .assert_field_error("13", FieldError::BelowPassedOn { given: 15 });
    let _: AllocationTable = save(&mhlw, &national, &[("13", "15")]).await.ok();
}
