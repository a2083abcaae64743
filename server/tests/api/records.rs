//! 接種実績: cumulative registrations and the day's figures, corrections, the date rules, the
//! vials each day takes from the stock (first-expiring first, or the lot picked), the satellite
//! that has not registered its receipt, 代理入力, and the municipality's overview.

use crate::helpers::{TestApp, TestClient};
use crate::site_record::{app, CHIYODA, OWN_SITE};
use crate::stock::{give, held, lot_id};
use app::api::{RecordsOverview, SiteRecords, SiteStock, VaccineRecords};
use app::domain::{Dose, RecordForm, TallyForm, TransferForm};
use app::error::FieldError;
use chrono::Duration;
use serde_json::json;

/// 千代田区's satellite of A病院.
const SATELLITE: &str = "千代田区D接種会場";

/// A pfizer grid: 1回目 and 2回目 per group (医療従事者, 高齢者, 基礎疾患保有者, 高齢者施設従事者,
/// その他).
fn pfizer(first: [u32; 5], second: [u32; 5]) -> TallyForm {
    grid("pfizer", first, second)
}

fn grid(vaccine: &str, first: [u32; 5], second: [u32; 5]) -> TallyForm {
    TallyForm {
        vaccine: vaccine.into(),
        cells: first.iter().chain(&second).map(u32::to_string).collect(),
        lot: String::new(),
    }
}

fn form(day: &str, grids: Vec<TallyForm>, confirm: bool) -> RecordForm {
    RecordForm {
        administered_on: day.into(),
        vaccines: grids,
        confirm_correction: confirm,
    }
}

async fn register(client: &TestClient, site: i64, form: RecordForm) -> crate::helpers::Answer {
    client
        .call("register_records", json!({ "site_id": site, "form": form }))
        .await
}

fn vaccine<'a>(records: &'a SiteRecords, code: &str) -> &'a VaccineRecords {
    records
        .vaccines
        .iter()
        .find(|v| v.basis.code == code)
        .unwrap()
}

/// Site A病院, handling pfizer and moderna (the demo leaves its record as imported, for its first
/// login), with 2 vials of EW4811 (expiring in 10 days) and 10 of FF2153 (120 days).
async fn stocked(app: &TestApp) -> (i64, i64, i64) {
    let site = app.site_id(OWN_SITE).await;
    for code in ["pfizer", "moderna"] {
        sqlx::query("INSERT INTO site_vaccines (site_id, vaccine_code) VALUES ($1, $2)")
            .bind(site)
            .bind(code)
            .execute(app.db())
            .await
            .unwrap();
    }
    let (soon, later) = (lot_id(app, "EW4811").await, lot_id(app, "FF2153").await);
    give(app, site, soon, 2).await;
    give(app, site, later, 10).await;
    (site, soon, later)
}

#[tokio::test]
async fn cumulatives_give_the_days_figures_and_take_whole_vials_first_expiring_first() {
    let app = app().await;
    let (site, soon, later) = stocked(&app).await;
    let client = app.logged_in("site-a").await;
    let audit_before = app.audit_count().await;

    // 7 people on the first day: two vials of 6 doses, both from the lot expiring first.
    let first: SiteRecords = register(
        &client,
        site,
        form("2026-03-31", vec![pfizer([4, 3, 0, 0, 0], [0; 5])], false),
    )
    .await
    .ok();
    assert_eq!(app.audit_count().await, audit_before + 1);
    assert_eq!(held(&client, site, soon).await, 0);
    assert_eq!(held(&client, site, later).await, 10);
    // The next day's cumulative is 10 people, 2 of them a 2回目: 3 people, one vial.
    let second: SiteRecords = register(
        &client,
        site,
        form(
            "2026-04-01",
            vec![pfizer([5, 3, 0, 0, 0], [2, 0, 0, 0, 0])],
            false,
        ),
    )
    .await
    .ok();
    assert_eq!(held(&client, site, later).await, 9);
    let days = &vaccine(&second, "pfizer").history;
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].daily.total(), 7);
    assert_eq!(days[0].vials, 2);
    assert_eq!(days[1].daily.dose_total(Dose::First), 1);
    assert_eq!(days[1].daily.dose_total(Dose::Second), 2);
    assert_eq!(days[1].vials, 1);
    assert!(second.today_registered && !first.today_registered);
    // Moderna, not registered, has no history; the form prefills pfizer's latest.
    assert!(vaccine(&second, "moderna").history.is_empty());
    let latest = vaccine(&second, "pfizer").basis.latest.unwrap();
    assert_eq!(latest.tally.total(), 10);

    // Reconciliation: 12 vials (72 doses) = 10 registered + 9 held (54) + 8 left in opened vials.
    let book = vaccine(&second, "pfizer").reconciliation;
    assert_eq!(
        (book.received_vials, book.held_vials, book.recorded_doses),
        (12, 9, 10)
    );
    assert_eq!(book.difference(), 8);
    assert!(book.flagged(), "8 doses are more than one vial of 6");
}

#[tokio::test]
async fn registering_a_day_again_replaces_it_and_settles_only_the_difference() {
    let app = app().await;
    let (site, _, later) = stocked(&app).await;
    let client = app.logged_in("site-a").await;
    register(
        &client,
        site,
        form("2026-04-01", vec![pfizer([7, 0, 0, 0, 0], [0; 5])], false),
    )
    .await
    .ok::<SiteRecords>();
    // Later the same day: 13 people in all, three vials for the day, one more than before.
    let again: SiteRecords = register(
        &client,
        site,
        form("2026-04-01", vec![pfizer([13, 0, 0, 0, 0], [0; 5])], false),
    )
    .await
    .ok();
    let days = &vaccine(&again, "pfizer").history;
    assert_eq!(days.len(), 1);
    assert_eq!((days[0].daily.total(), days[0].vials), (13, 3));
    assert_eq!(held(&client, site, later).await, 9);
}

#[tokio::test]
async fn a_lower_cumulative_is_a_correction_once_confirmed_and_gives_whole_vials_back() {
    let app = app().await;
    let (site, soon, later) = stocked(&app).await;
    let client = app.logged_in("site-a").await;
    register(
        &client,
        site,
        form("2026-03-30", vec![pfizer([20, 0, 0, 0, 0], [0; 5])], false),
    )
    .await
    .ok::<SiteRecords>();
    assert_eq!(
        held(&client, site, soon).await + held(&client, site, later).await,
        8
    );

    // 20 was a typing error for 2: the next registration gives the right cumulative, 8.
    let lower = form("2026-03-31", vec![pfizer([8, 0, 0, 0, 0], [0; 5])], false);
    register(&client, site, lower.clone())
        .await
        .assert_field_error(
            "vaccines.0.cells.0",
            FieldError::CumulativeDecreased { previous: 20 },
        );
    assert_eq!(
        vaccine(
            &client
                .call("load_site_records", json!({ "site_id": site }))
                .await
                .ok(),
            "pfizer"
        )
        .history
        .len(),
        1,
        "nothing is stored until the user confirms"
    );
    let corrected: SiteRecords = register(
        &client,
        site,
        RecordForm {
            confirm_correction: true,
            ..lower
        },
    )
    .await
    .ok();
    let days = &vaccine(&corrected, "pfizer").history;
    // 20 people had taken 4 vials: EW4811's 2, then 2 of FF2153. −12 people give two whole
    // vials back, to the lot used last.
    assert_eq!(
        (days[1].daily.total(), days[1].correction, days[1].vials),
        (-12, true, -2)
    );
    assert_eq!(held(&client, site, later).await, 10);
    assert_eq!(held(&client, site, soon).await, 0);
    // The days still add up to the cumulative.
    let sum: i64 = days.iter().map(|d| d.daily.total()).sum();
    assert_eq!(sum, 8);

    // A day after the correction counts from it.
    let next: SiteRecords = register(
        &client,
        site,
        form("2026-04-01", vec![pfizer([11, 0, 0, 0, 0], [0; 5])], false),
    )
    .await
    .ok();
    assert_eq!(vaccine(&next, "pfizer").history[2].daily.total(), 3);
}

#[tokio::test]
async fn the_day_is_not_in_the_future_not_before_the_last_record_and_within_the_contract() {
    let app = app().await;
    let (site, _, _) = stocked(&app).await;
    let client = app.logged_in("site-a").await;
    let one = || vec![pfizer([1, 0, 0, 0, 0], [0; 5])];
    register(&client, site, form("2026-04-02", one(), false))
        .await
        .assert_field_error("administered_on", FieldError::DateInFuture);
    register(&client, site, form("2026-03-31", one(), false))
        .await
        .ok::<SiteRecords>();
    register(&client, site, form("2026-03-30", one(), false))
        .await
        .assert_field_error(
            "administered_on",
            FieldError::BeforeLastRecord {
                last: "2026-03-31".into(),
            },
        );

    // 集合契約: joined 2026-04-01; an earlier day of another site is refused.
    let other = app.site_id("千代田区Bクリニック").await;
    let details: String = sqlx::query_scalar("SELECT details FROM sites WHERE id = $1")
        .bind(other)
        .fetch_one(app.db())
        .await
        .unwrap();
    let mut details: serde_json::Value = serde_json::from_str(&details).unwrap();
    details["contract_joined"] = json!("2026-04-01");
    details["contract_left"] = json!("2026-04-30");
    sqlx::query("UPDATE sites SET details = $1 WHERE id = $2")
        .bind(details.to_string())
        .bind(other)
        .execute(app.db())
        .await
        .unwrap();
    let chiyoda = app.logged_in("chiyoda").await;
    let records: SiteRecords = chiyoda
        .call("load_site_records", json!({ "site_id": other }))
        .await
        .ok();
    assert_eq!(records.contract_joined, "2026-04-01");
    let code = records.vaccines[0].basis.code.clone();
    register(
        &chiyoda,
        other,
        form("2026-03-31", vec![grid(&code, [0; 5], [0; 5])], false),
    )
    .await
    .assert_field_error(
        "administered_on",
        FieldError::BeforeContract {
            joined: "2026-04-01".into(),
        },
    );
}

#[tokio::test]
async fn a_picked_lot_is_used_instead_of_the_first_expiring_and_too_few_vials_are_refused() {
    let app = app().await;
    let (site, soon, later) = stocked(&app).await;
    let client = app.logged_in("site-a").await;
    let mut picked = pfizer([6, 0, 0, 0, 0], [0; 5]);
    picked.lot = later.to_string();
    register(&client, site, form("2026-03-31", vec![picked], false))
        .await
        .ok::<SiteRecords>();
    assert_eq!(held(&client, site, soon).await, 2);
    assert_eq!(held(&client, site, later).await, 9);

    // 11 vials left; 72 more people need 12: refused, and nothing is stored or taken.
    let audit_before = app.audit_count().await;
    register(
        &client,
        site,
        form("2026-04-01", vec![pfizer([78, 0, 0, 0, 0], [0; 5])], false),
    )
    .await
    .assert_field_error(
        "vaccines.0.stock",
        FieldError::StockShort {
            needed: 12,
            held: 11,
            awaiting: 0,
        },
    );
    assert_eq!(app.audit_count().await, audit_before);
    assert_eq!(held(&client, site, later).await, 9);
    let records: SiteRecords = client
        .call("load_site_records", json!({ "site_id": site }))
        .await
        .ok();
    assert_eq!(vaccine(&records, "pfizer").history.len(), 1);
}

#[tokio::test]
async fn a_satellite_cannot_register_doses_from_a_transfer_it_has_not_received() {
    let app = app().await;
    let (site, soon, _) = stocked(&app).await;
    let satellite = app.site_id(SATELLITE).await;
    let sender = app.logged_in("site-a").await;
    let today = app.now().format("%Y-%m-%d").to_string();
    let sent: SiteStock = sender
        .call(
            "send_transfer",
            json!({"site_id": site, "form": TransferForm {
                to_site: satellite.to_string(),
                lot: soon.to_string(),
                vials: "2".into(),
                sent_on: today.clone(),
            }}),
        )
        .await
        .ok();
    let transfer = sent.transfers.iter().find(|t| t.pending()).unwrap().id;
    let nurse = app.logged_in("site-d").await;
    let records: SiteRecords = nurse
        .call("load_site_records", json!({ "site_id": satellite }))
        .await
        .ok();
    let code = "pfizer";
    assert!(records.vaccines.iter().any(|v| v.basis.code == code));
    let day = form(&today, vec![pfizer([3, 0, 0, 0, 0], [0; 5])], false);
    register(&nurse, satellite, day.clone())
        .await
        .assert_field_error(
            "vaccines.0.stock",
            FieldError::StockShort {
                needed: 1,
                held: 0,
                awaiting: 2,
            },
        );
    nurse
        .call(
            "receive_transfer",
            json!({"transfer_id": transfer, "received_on": today}),
        )
        .await
        .ok::<SiteStock>();
    register(&nurse, satellite, day).await.ok::<SiteRecords>();
    assert_eq!(held(&nurse, satellite, soon).await, 1);
}

#[tokio::test]
async fn the_municipality_registers_for_its_site_and_the_audit_log_says_it_acted_for_it() {
    let app = app().await;
    let (site, _, _) = stocked(&app).await;
    let chiyoda = app.logged_in("chiyoda").await;
    register(
        &chiyoda,
        site,
        form("2026-04-01", vec![pfizer([0, 6, 0, 0, 0], [0; 5])], false),
    )
    .await
    .ok::<SiteRecords>();
    let (field, acting_for, value): (String, Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT field, acting_for_site_id, new_value FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(field, "records:pfizer:2026-04-01");
    assert_eq!(acting_for, Some(site));
    assert!(value.unwrap().contains("使用 1本"));

    // Others read it but may not register: 東京都 reads, 港区 and the supplier get 403.
    let tokyo = app.logged_in("tokyo").await;
    tokyo
        .call("load_site_records", json!({ "site_id": site }))
        .await
        .ok::<SiteRecords>();
    register(
        &tokyo,
        site,
        form("2026-04-01", vec![pfizer([0, 7, 0, 0, 0], [0; 5])], false),
    )
    .await
    .assert_error(app::error::AppError::Forbidden);
    for stranger in ["minato", "supplier"] {
        app.logged_in(stranger)
            .await
            .call("load_site_records", json!({ "site_id": site }))
            .await
            .assert_error(app::error::AppError::Forbidden);
    }
}

#[tokio::test]
async fn the_overview_names_the_sites_that_have_not_registered_the_last_day_with_vaccinations() {
    let app = app().await;
    let (site, _, _) = stocked(&app).await;
    let client = app.logged_in("site-a").await;
    register(
        &client,
        site,
        form("2026-03-31", vec![pfizer([1, 0, 0, 0, 0], [0; 5])], false),
    )
    .await
    .ok::<SiteRecords>();
    let chiyoda = app.logged_in("chiyoda").await;
    let overview: RecordsOverview = chiyoda
        .call("load_records_overview", json!({ "municipality": CHIYODA }))
        .await
        .ok();
    assert_eq!(overview.last_day.as_deref(), Some("2026-03-31"));
    let day = overview.last_day.clone().unwrap();
    let own = overview.sites.iter().find(|s| s.site.id == site).unwrap();
    assert!(!own.missing(&day));
    assert_eq!(own.total, 1);
    // 1 dose from a vial of 6, 11 vials held: 5 doses unaccounted, less than a vial.
    assert!(!own.flagged);
    assert!(overview
        .sites
        .iter()
        .filter(|s| s.site.id != site)
        .all(|s| s.missing(&day)));

    // A day later A病院 has registered nothing new: the last day stays 03-31 until someone does.
    app.advance(Duration::days(1));
    let client = app.logged_in("site-a").await;
    let chiyoda = app.logged_in("chiyoda").await;
    register(
        &client,
        site,
        form("2026-04-02", vec![pfizer([2, 0, 0, 0, 0], [0; 5])], false),
    )
    .await
    .ok::<SiteRecords>();
    let overview: RecordsOverview = chiyoda
        .call("load_records_overview", json!({ "municipality": CHIYODA }))
        .await
        .ok();
    assert_eq!(overview.last_day.as_deref(), Some("2026-04-02"));
    // 2 vials opened for 2 people: 10 doses lost, more than a vial: flagged.
    assert!(
        overview
            .sites
            .iter()
            .find(|s| s.site.id == site)
            .unwrap()
            .flagged
    );

    // Another municipality's overview is not 千代田区's to read; nor is it a site's.
    chiyoda
        .call("load_records_overview", json!({ "municipality": "131032" }))
        .await
        .assert_error(app::error::AppError::Forbidden);
    client
        .call("load_records_overview", json!({ "municipality": CHIYODA }))
        .await
        .assert_error(app::error::AppError::Forbidden);
}
