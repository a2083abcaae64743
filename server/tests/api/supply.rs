//! The supply chain's master data and 希望量: ワクチン・針・シリンジマスタ, 納入ロット, クール, the
//! 希望量 window to the second, 代理入力 by the municipality, and the stock a type switch waits for.

use crate::helpers::{TestApp, TestClient};
use crate::site_record::{app, completed_by_municipality, load, save, CHIYODA, OWN_SITE};
use app::api::{
    CoolList, CoolSummary, HomeCool, LotList, LotRow, MunicipalityRequests, SiteRequest, SiteSaved,
    VaccineMasterList, VaccineRow,
};
use app::domain::{jst_minute, CoolForm, CoolState, Deadline, MovementKind, SiteType};
use app::error::{AppError, FieldError, RefusalReason};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use server::db::stock::{self, Movement};

/// A cool of pfizer whose 希望量 window opens at `opens` and stays open `open_for`.
fn cool_form(name: &str, opens: DateTime<Utc>, open_for: TimeDelta) -> CoolForm {
    let closes = opens + open_for;
    let delivery = app::domain::jst_date(closes) + TimeDelta::days(6);
    CoolForm {
        name: name.into(),
        vaccine: "pfizer".into(),
        total_boxes: "120".into(),
        opens: jst_minute(opens),
        closes: jst_minute(closes),
        delivery_from: delivery.to_string(),
        delivery_until: (delivery + TimeDelta::days(11)).to_string(),
    }
}

async fn create_cool(national: &TestClient, form: &CoolForm) -> CoolSummary {
    national
        .call("create_cool", json!({ "form": form }))
        .await
        .ok()
}

async fn request(
    client: &TestClient,
    cool_id: i64,
    site_id: i64,
    boxes: &str,
) -> crate::helpers::Answer {
    client
        .call(
            "save_site_request",
            json!({"cool_id": cool_id, "site_id": site_id, "boxes": boxes}),
        )
        .await
}

async fn home(client: &TestClient, cool_id: i64) -> Option<HomeCool> {
    let cools: Vec<HomeCool> = client.call("home_cools", json!({})).await.ok();
    cools.into_iter().find(|c| c.cool.id == cool_id)
}

/// The site and boxes of the caller's own request on ホーム.
async fn own_boxes(client: &TestClient, cool_id: i64) -> (i64, Option<u32>) {
    let own = home(client, cool_id)
        .await
        .unwrap()
        .own
        .expect("a basic site's own request");
    (own.site.id, own.boxes)
}

async fn audit_row(app: &TestApp, field: &str) -> (Option<i64>, Option<i64>, Option<String>) {
    sqlx::query_as(
        "SELECT actor_user_id, acting_for_site_id, new_value FROM audit_log
         WHERE field = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(field)
    .fetch_one(app.db())
    .await
    .unwrap()
}

#[tokio::test]
async fn every_role_reads_the_vaccine_master_and_national_users_edit_it_with_an_audit_row() {
    let app = app().await;
    let site = app.logged_in("site-a").await;
    let list: VaccineMasterList = site.call("list_vaccines", json!({})).await.ok();
    assert!(!list.editable);
    let pfizer = list.vaccines.iter().find(|v| v.code == "pfizer").unwrap();
    assert_eq!(
        (pfizer.master.doses_per_vial, pfizer.master.vials_per_box),
        (6, 195)
    );
    let moderna = list.vaccines.iter().find(|v| v.code == "moderna").unwrap();
    assert_eq!(
        (moderna.master.doses_per_vial, moderna.master.vials_per_box),
        (10, 10)
    );
    let supplier = app.logged_in("supplier").await;
    let _: VaccineMasterList = supplier.call("list_vaccines", json!({})).await.ok();

    let mut form = pfizer.form();
    form.vials_per_box = "２２５".into();
    let edit = json!({"edit": {"code": "pfizer", "version": pfizer.version, "form": form}});
    site.call("save_vaccine", edit.clone())
        .await
        .assert_error(AppError::Forbidden);

    let mhlw = app.logged_in("mhlw").await;
    let audit_before = app.audit_count().await;
    let saved: VaccineRow = mhlw.call("save_vaccine", edit.clone()).await.ok();
    assert_eq!(saved.master.vials_per_box, 225);
    assert_eq!(saved.version, pfizer.version + 1);
    assert_eq!(app.audit_count().await, audit_before + 1);
    assert_eq!(
        audit_row(&app, "vials_per_box").await.2.as_deref(),
        Some("225")
    );

    // The same edit again, against the version it loaded: someone saved since, nothing saved.
    let answer = mhlw.call("save_vaccine", edit).await;
    assert_eq!(answer.status.as_u16(), 409, "{}", answer.body);
    assert!(matches!(answer.error(), AppError::EditConflict(_)));

    let mut bad = saved.form();
    bad.doses_per_vial = "0".into();
    mhlw.call(
        "save_vaccine",
        json!({"edit": {"code": "pfizer", "version": saved.version, "form": bad}}),
    )
    .await
    .assert_field_error("doses_per_vial", FieldError::TooSmall { min: 1 });

    // The stored value is what everyone reads from now on, and a new start does not reset it.
    server::seed::ensure_master_data(&app.state.db, app.now())
        .await
        .unwrap();
    let list: VaccineMasterList = site.call("list_vaccines", json!({})).await.ok();
    let pfizer = list.vaccines.iter().find(|v| v.code == "pfizer").unwrap();
    assert_eq!(pfizer.master.vials_per_box, 225);
    assert!(
        mhlw.call("list_vaccines", json!({}))
            .await
            .ok::<VaccineMasterList>()
            .editable
    );
}

#[tokio::test]
async fn suppliers_and_national_users_register_lots_once_per_vaccine() {
    let app = app().await;
    let supplier = app.logged_in("supplier").await;
    let lot = |vaccine: &str, number: &str, expires: &str| json!({"form": {"vaccine": vaccine, "lot_number": number, "expires_on": expires}});
    let audit_before = app.audit_count().await;
    let row: LotRow = supplier
        .call("register_lot", lot("pfizer", " fa７４８４ ", "2026/7/31"))
        .await
        .ok();
    assert_eq!(row.lot_number, "FA7484");
    assert_eq!(row.expires_on, "2026-07-31");
    assert_eq!(row.supplier.as_deref(), Some("さくら医薬品卸（デモ）"));
    assert!(!row.expired);
    assert_eq!(app.audit_count().await, audit_before + 1);

    supplier
        .call("register_lot", lot("pfizer", "FA7484", "2026-08-31"))
        .await
        .assert_field_error("lot_number", FieldError::LotNumberTaken);
    supplier
        .call("register_lot", lot("pfizer", "FA 7484", "2026-08-31"))
        .await
        .assert_field_error("lot_number", FieldError::LotNumberFormat);
    // The same number for another vaccine is another lot.
    let mhlw = app.logged_in("mhlw").await;
    let other: LotRow = mhlw
        .call("register_lot", lot("moderna", "FA7484", "2026-03-31"))
        .await
        .ok();
    assert!(other.expired, "2026-03-31 is before the clock's 2026-04-01");
    assert_eq!(other.supplier, None);

    app.logged_in("site-a")
        .await
        .call("register_lot", lot("pfizer", "EY0001", "2026-08-31"))
        .await
        .assert_error(AppError::Forbidden);
    let list: LotList = app
        .logged_in("site-a")
        .await
        .call("list_lots", json!({}))
        .await
        .ok();
    assert!(!list.may_register);
    // Newest expiry first within each vaccine (the demo's lots among them).
    let numbers: Vec<(&str, &str)> = list
        .lots
        .iter()
        .map(|l| (l.vaccine.as_str(), l.lot_number.as_str()))
        .collect();
    assert_eq!(
        numbers,
        [
            ("pfizer", "FA7484"),
            ("pfizer", "FF2153"),
            ("pfizer", "EW4811"),
            ("moderna", "3005236"),
            ("moderna", "FA7484")
        ]
    );
}

#[tokio::test]
async fn national_users_create_cools_whose_dates_are_checked_and_whose_state_follows_the_clock() {
    let app = app().await;
    let mhlw = app.logged_in("mhlw").await;
    let opens = app.now() + TimeDelta::days(1);
    let form = cool_form("テスト第9クール", opens, TimeDelta::days(7));
    let audit_before = app.audit_count().await;
    let cool = create_cool(&mhlw, &form).await;
    assert_eq!(app.audit_count().await, audit_before + 1);
    assert_eq!(cool.state, CoolState::Preparing);
    assert_eq!(cool.deadline, Some(Deadline::Opens(opens)));
    assert_eq!(cool.days_left, Some(1));
    assert_eq!((cool.total_boxes, cool.vials_per_box), (120, 195));

    mhlw.call("create_cool", json!({ "form": form }))
        .await
        .assert_field_error("name", FieldError::NameTaken);
    let mut backwards = cool_form("テスト第10クール", opens, TimeDelta::days(7));
    backwards.closes = backwards.opens.clone();
    mhlw.call("create_cool", json!({ "form": backwards }))
        .await
        .assert_field_error("closes", FieldError::EndsBeforeStart);
    for login in ["tokyo", "chiyoda", "site-a", "supplier", "admin"] {
        app.logged_in(login)
            .await
            .call(
                "create_cool",
                json!({ "form": cool_form("誰か", opens, TimeDelta::days(7)) }),
            )
            .await
            .assert_error(AppError::Forbidden);
    }

    app.advance(TimeDelta::days(1));
    let list: CoolList = app
        .logged_in("site-a")
        .await
        .call("list_cools", json!({}))
        .await
        .ok();
    assert!(!list.may_create);
    let listed = list.cools.iter().find(|c| c.id == cool.id).unwrap();
    assert_eq!(listed.state, CoolState::Accepting);
    assert_eq!(
        listed.deadline,
        Some(Deadline::Closes(opens + TimeDelta::days(7)))
    );
    assert_eq!(listed.days_left, Some(7));
    app.advance(TimeDelta::days(7));
    // Sessions end after 30 idle minutes: every jump of the clock logs in again.
    let mhlw = app.logged_in("mhlw").await;
    let list: CoolList = mhlw.call("list_cools", json!({})).await.ok();
    assert!(list.may_create);
    let listed = list.cools.iter().find(|c| c.id == cool.id).unwrap();
    assert_eq!(listed.state, CoolState::Closed);
}

#[tokio::test]
async fn a_basic_site_registers_its_request_inside_the_window_to_the_second() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let mhlw = app.logged_in("mhlw").await;
    let opens = app.now() + TimeDelta::hours(1);
    let cool = create_cool(
        &mhlw,
        &cool_form("テスト第9クール", opens, TimeDelta::days(3)),
    )
    .await;
    let second = TimeDelta::seconds(1);
    let closed = AppError::RequestWindowClosed {
        opens: "2026-04-01T10:00:00+09:00".into(),
        closes: "2026-04-04T10:00:00+09:00".into(),
    };

    // One second before the window opens: refused, with the window in the message.
    app.advance(TimeDelta::hours(1) - second);
    // Sessions end after 30 idle minutes: every jump of the clock logs in again.
    let site = app.logged_in("site-a").await;
    request(&site, cool.id, site_id, "10")
        .await
        .assert_error(closed.clone());
    app.advance(second);
    let saved: SiteRequest = request(&site, cool.id, site_id, "１０箱").await.ok();
    assert_eq!(saved.boxes, Some(10));
    assert!(saved.editable && !saved.by_municipality);
    request(&site, cool.id, site_id, "十")
        .await
        .assert_field_error("boxes", FieldError::CountFormat);
    request(&site, cool.id, site_id, "")
        .await
        .assert_field_error("boxes", FieldError::Required);

    // Changed until the end: the last second is accepted, the closing moment is not.
    app.advance(TimeDelta::days(3) - second);
    let site = app.logged_in("site-a").await;
    let changed: SiteRequest = request(&site, cool.id, site_id, "12").await.ok();
    assert_eq!(changed.boxes, Some(12));
    assert_eq!(
        audit_row(&app, &format!("cool:{}:boxes", cool.id)).await,
        (Some(app.user_id("site-a").await), None, Some("12".into()))
    );
    app.advance(second);
    request(&site, cool.id, site_id, "14")
        .await
        .assert_error(closed.clone());
    app.advance(second);
    request(&site, cool.id, site_id, "14")
        .await
        .assert_error(closed);
    let kept: SiteRequest = site
        .call(
            "load_site_request",
            json!({"cool_id": cool.id, "site_id": site_id}),
        )
        .await
        .ok();
    assert_eq!(kept.boxes, Some(12));
    assert!(!kept.editable);
    assert_eq!(kept.cool.state, CoolState::Closed);
}

#[tokio::test]
async fn a_satellite_registers_nothing_and_no_one_registers_outside_their_scope() {
    let app = app().await;
    let mhlw = app.logged_in("mhlw").await;
    let cool = create_cool(
        &mhlw,
        &cool_form("テスト第9クール", app.now(), TimeDelta::days(3)),
    )
    .await;
    let satellite = app.site_id("千代田区D接種会場").await;
    let chiyoda = app.logged_in("chiyoda").await;
    request(&chiyoda, cool.id, satellite, "3")
        .await
        .assert_error(AppError::Refused(RefusalReason::SatelliteRequest));
    let view: SiteRequest = chiyoda
        .call(
            "load_site_request",
            json!({"cool_id": cool.id, "site_id": satellite}),
        )
        .await
        .ok();
    assert!(view.satellite && !view.editable);

    let minato_site = app.site_id("港区A病院").await;
    let site = app.logged_in("site-a").await;
    for client in [&site, &chiyoda] {
        request(client, cool.id, minato_site, "3")
            .await
            .assert_error(AppError::Forbidden);
    }
    // Prefectures and national users read, but the request is the site's (or its municipality's).
    let tokyo = app.logged_in("tokyo").await;
    request(&tokyo, cool.id, minato_site, "3")
        .await
        .assert_error(AppError::Forbidden);
    let _: SiteRequest = tokyo
        .call(
            "load_site_request",
            json!({"cool_id": cool.id, "site_id": minato_site}),
        )
        .await
        .ok();
    let supplier = app.logged_in("supplier").await;
    supplier
        .call(
            "load_site_request",
            json!({"cool_id": cool.id, "site_id": minato_site}),
        )
        .await
        .assert_error(AppError::Forbidden);
    request(&chiyoda, cool.id + 1000, app.site_id(OWN_SITE).await, "3")
        .await
        .assert_error(AppError::NotFound);
}

#[tokio::test]
async fn the_municipality_registers_for_its_sites_and_sees_which_have_not() {
    let app = app().await;
    let mhlw = app.logged_in("mhlw").await;
    let cool = create_cool(
        &mhlw,
        &cool_form("テスト第9クール", app.now(), TimeDelta::days(3)),
    )
    .await;
    let site_id = app.site_id(OWN_SITE).await;
    let clinic = app.site_id("千代田区Bクリニック").await;
    let chiyoda = app.logged_in("chiyoda").await;
    let site = app.logged_in("site-a").await;

    let before = home(&chiyoda, cool.id)
        .await
        .expect("the open cool on ホーム");
    assert_eq!(before.basic_sites, 3);
    assert_eq!(before.unregistered.len(), 3);
    assert_eq!(own_boxes(&site, cool.id).await, (site_id, None));

    let saved: SiteRequest = request(&chiyoda, cool.id, clinic, "4").await.ok();
    assert!(saved.by_municipality);
    assert_eq!(
        audit_row(&app, &format!("cool:{}:boxes", cool.id)).await,
        (
            Some(app.user_id("chiyoda").await),
            Some(clinic),
            Some("4".into())
        )
    );
    let _: SiteRequest = request(&site, cool.id, site_id, "0").await.ok();

    let after = home(&chiyoda, cool.id).await.unwrap();
    let names: Vec<&str> = after.unregistered.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["千代田区C診療所"]);
    assert_eq!(own_boxes(&site, cool.id).await, (site_id, Some(0)));

    let table: MunicipalityRequests = chiyoda
        .call(
            "load_municipality_requests",
            json!({"cool_id": cool.id, "municipality": CHIYODA}),
        )
        .await
        .ok();
    assert!(table.proxy);
    assert_eq!(table.total_boxes, 4);
    let rows: Vec<(&str, Option<u32>)> = table
        .rows
        .iter()
        .map(|r| (r.site.name.as_str(), r.boxes))
        .collect();
    assert_eq!(
        rows,
        [
            ("千代田区A病院", Some(0)),
            ("千代田区Bクリニック", Some(4)),
            ("千代田区C診療所", None)
        ]
    );
    app.logged_in("minato")
        .await
        .call(
            "load_municipality_requests",
            json!({"cool_id": cool.id, "municipality": CHIYODA}),
        )
        .await
        .assert_error(AppError::Forbidden);
    // Once the window closes the cool leaves ホーム.
    app.advance(TimeDelta::days(3));
    let chiyoda = app.logged_in("chiyoda").await;
    assert_eq!(home(&chiyoda, cool.id).await, None);
}

#[tokio::test]
async fn a_site_holding_stock_cannot_switch_between_basic_and_satellite() {
    let app = app().await;
    let clinic = app.site_id("千代田区Bクリニック").await;
    let basic = app.site_id("千代田区C診療所").await;
    let chiyoda = app.logged_in("chiyoda").await;
    let view = completed_by_municipality(&chiyoda, clinic).await;

    let lot: LotRow = app
        .logged_in("supplier")
        .await
        .call(
            "register_lot",
            json!({"form": {"vaccine": "pfizer", "lot_number": "FA7484", "expires_on": "2026-07-31"}}),
        )
        .await
        .ok();
    let receive = |vials: i64| Movement {
        site_id: clinic,
        lot_id: lot.id,
        kind: if vials > 0 {
            MovementKind::Receipt
        } else {
            MovementKind::Waste
        },
        vials,
        occurred_on: app::domain::jst_date(app.now()),
        reference_id: None,
        note: "",
        at: app.now(),
        user_id: None,
    };
    let mut conn = app.db().acquire().await.unwrap();
    stock::record_movement(&mut conn, &receive(195))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stock::vials_held(&mut conn, clinic).await.unwrap(), 195);
    // Never below zero: a withdrawal beyond the balance records nothing and says what is held.
    assert_eq!(
        stock::record_movement(&mut conn, &receive(-196))
            .await
            .unwrap(),
        Err(stock::Overdrawn { held: 195 })
    );
    assert_eq!(stock::vials_held(&mut conn, clinic).await.unwrap(), 195);

    let mut record = view.record.clone();
    record.site_type = Some(SiteType::Satellite);
    record.basic_site_id = basic.to_string();
    save(&chiyoda, &view, record.clone())
        .await
        .assert_field_error("site_type", FieldError::StockHeld);

    stock::record_movement(&mut conn, &receive(-195))
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let view = load(&chiyoda, clinic).await;
    let saved: SiteSaved = save(&chiyoda, &view, record).await.ok();
    assert_eq!(saved.view.record.site_type, Some(SiteType::Satellite));
}
