//! 請求: site-a (千代田区A病院) bills March 2026 for people of 千代田区 and 港区, with a new code
//! approved from 16 March; the test clock starts on 1 April 2026, 09:00 JST, so March is due on
//! 10 April.

use crate::helpers::{TestApp, TestClient};
use crate::site_record::{app, CHIYODA, OWN_SITE};
use app::api::{BillView, BillsOverview, HomeBill};
use app::domain::billing::{
    invoices, BillForm, BillStatus, CodeSide, LineForm, PriceForm, UnitPrices,
};
use app::domain::{cell, Dose, Group, Tally};
use app::error::{AppError, FieldError, RefusalReason};
use chrono::{NaiveDate, TimeDelta};
use serde_json::json;
use server::db::records::{self, NewRecord};

/// 港区.
const MINATO: &str = "131032";
const MARCH: &str = "2026-03";

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Approves new codes from `from` on the site's record, as the municipality's approval leaves it.
async fn approve_new_code(app: &TestApp, site_id: i64, from: &str) {
    let details: String = sqlx::query_scalar("SELECT details FROM sites WHERE id = $1")
        .bind(site_id)
        .fetch_one(app.db())
        .await
        .unwrap();
    let mut details: serde_json::Value = serde_json::from_str(&details).unwrap();
    details["insurance_code"] = json!("1311111111");
    details["insurance_code_new"] = json!("1322222222");
    details["code_change_date"] = json!(from);
    sqlx::query("UPDATE sites SET details = $1 WHERE id = $2")
        .bind(details.to_string())
        .bind(site_id)
        .execute(app.db())
        .await
        .unwrap();
}

/// Registers cumulatives of pfizer: `first` and `second` people by each day.
async fn record(app: &TestApp, site_id: i64, on: &str, first: u32, second: u32) {
    let mut tally = Tally::default();
    tally.0[cell(Dose::First, Group::Elderly)] = first;
    tally.0[cell(Dose::Second, Group::Elderly)] = second;
    let mut conn = app.db().acquire().await.unwrap();
    records::save(
        &mut conn,
        &NewRecord {
            site_id,
            vaccine: "pfizer",
            administered_on: day(on),
            tally,
            correction: false,
            at: app.now(),
            user_id: None,
        },
    )
    .await
    .unwrap();
}

fn line(residence: &str, counts: [u32; 5]) -> LineForm {
    let text = |n: u32| n.to_string();
    LineForm {
        residence: residence.into(),
        first: text(counts[0]),
        second: text(counts[1]),
        screening_only: text(counts[2]),
        after_hours: text(counts[3]),
        holiday: text(counts[4]),
    }
}

async fn load(client: &TestClient, site_id: i64, month: &str) -> crate::helpers::Answer {
    client
        .call("load_bill", json!({ "site_id": site_id, "month": month }))
        .await
}

async fn send(
    client: &TestClient,
    function: &str,
    site_id: i64,
    form: &BillForm,
) -> crate::helpers::Answer {
    client
        .call(
            function,
            json!({ "site_id": site_id, "month": MARCH, "form": form }),
        )
        .await
}

/// site-a's March: 1回目 10 and 2回目 4 before the 16th, 1回目 5 and 2回目 3 from it, recorded as
/// cumulatives (February's 100/50 are before the month).
async fn march_of_site_a(app: &TestApp) -> i64 {
    let site = app.site_id(OWN_SITE).await;
    approve_new_code(app, site, "2026-03-16").await;
    record(app, site, "2026-02-27", 100, 50).await;
    record(app, site, "2026-03-10", 110, 54).await;
    record(app, site, "2026-03-31", 115, 57).await;
    site
}

/// The bill matching the records: before the 16th 千代田区 8+3 and 港区 2+1, from it 千代田区 5+3.
fn matching(view: &BillView) -> BillForm {
    let mut form = view.form.clone();
    form.parts[0].lines = vec![
        line(CHIYODA, [8, 3, 1, 2, 0]),
        line(MINATO, [2, 1, 0, 0, 1]),
    ];
    form.parts[1].lines = vec![line(CHIYODA, [5, 3, 0, 0, 0])];
    form
}

#[tokio::test]
async fn a_new_code_mid_month_splits_the_bill_which_is_checked_against_the_records_and_locked() {
    let app = app().await;
    let site = march_of_site_a(&app).await;
    let client = app.logged_in("site-a").await;
    let view: BillView = load(&client, site, MARCH).await.ok();
    assert_eq!(view.status, BillStatus::Draft);
    assert_eq!(view.bill_id, None);
    assert_eq!(view.due_on, "2026-04-10");
    assert_eq!(view.days_left, 9);
    assert!(view.month_over);
    assert_eq!(view.recorded, (15, 7));
    let cuts: Vec<_> = view.parts.iter().map(|p| (p.from, p.dated_code)).collect();
    assert_eq!(
        cuts,
        [
            (day("2026-03-01"), CodeSide::Old),
            (day("2026-03-16"), CodeSide::New)
        ]
    );
    assert_eq!(view.codes.change_date.as_deref(), Some("2026-03-16"));

    // One dose too many: the difference must be acknowledged before 提出.
    let mut form = matching(&view);
    form.parts[1].lines[0].first = "6".into();
    let audit_before = app.audit_count().await;
    send(&client, "submit_bill", site, &form)
        .await
        .assert_field_error(
            "difference_acknowledged",
            FieldError::DifferenceNotAcknowledged,
        );
    assert_eq!(app.audit_count().await, audit_before, "nothing was saved");

    // Saved as a draft, it comes back as typed, with the municipalities' names.
    let saved: BillView = send(&client, "save_bill", site, &form).await.ok();
    assert_eq!(saved.status, BillStatus::Draft);
    assert_eq!(saved.form.parts[1].lines[0].first, "6");
    assert_eq!(saved.residences.len(), 2);
    assert!(saved.residences.iter().any(|c| c.label == "東京都港区"));

    let form = matching(&saved);
    let submitted: BillView = send(&client, "submit_bill", site, &form).await.ok();
    assert_eq!(submitted.status, BillStatus::Submitted);
    assert_eq!(submitted.batch_month.as_deref(), Some("2026-04"));
    assert!(!submitted.late);
    assert!(!submitted.may_edit);
    // The amounts: old code 千代田区 11×2,070 + 1,540 + 2×730, 港区 3×2,070 + 2,130; new code 8×2,070.
    let bill = form
        .validate(&submitted.parts, |_| true)
        .expect("the stored form is valid");
    let priced = invoices(&submitted.parts, &bill);
    assert_eq!(priced.len(), 2);
    assert_eq!(
        priced[0].amounts.total(),
        11 * 2070 + 1540 + 2 * 730 + 3 * 2070 + 2130
    );
    assert_eq!(priced[1].amounts.total(), 8 * 2070);

    // Locked: neither a save nor a second submission passes.
    send(&client, "save_bill", site, &form)
        .await
        .assert_error(AppError::Refused(RefusalReason::BillSubmitted));
    let listed: BillsOverview = client
        .call("load_bills", json!({ "month": MARCH }))
        .await
        .ok();
    assert_eq!(listed.bills.len(), 1);
    assert_eq!(listed.bills[0].amount, 22 * 2070 + 1540 + 2 * 730 + 2130);
}

#[tokio::test]
async fn the_tenth_at_23_59_59_is_on_time_and_the_eleventh_is_late_into_the_next_batch() {
    let app = app().await;
    let site = march_of_site_a(&app).await;
    // 1 April 09:00 → 10 April 23:59:59 JST (logged in afterwards: sessions end after 12 hours).
    app.advance(TimeDelta::days(9) + TimeDelta::hours(14) + TimeDelta::seconds(3599));
    let client = app.logged_in("site-a").await;
    let chiyoda = app.logged_in("chiyoda").await;
    let view: BillView = load(&client, site, MARCH).await.ok();
    assert_eq!(view.days_left, 0);
    let form = matching(&view);
    let on_time: BillView = send(&client, "submit_bill", site, &form).await.ok();
    assert_eq!(
        (on_time.batch_month.as_deref(), on_time.late),
        (Some("2026-04"), false)
    );

    // The municipality prepares another of its sites' bill (代理入力), one second later.
    app.advance(TimeDelta::seconds(1));
    let other: i64 = sqlx::query_scalar(
        "SELECT id FROM sites WHERE municipality_code = $1 AND id <> $2 ORDER BY id LIMIT 1",
    )
    .bind(CHIYODA)
    .bind(site)
    .fetch_one(app.db())
    .await
    .unwrap();
    let view: BillView = load(&chiyoda, other, MARCH).await.ok();
    assert!(view.may_edit);
    let mut form = view.form.clone();
    form.parts[0].lines = vec![line(CHIYODA, [0, 0, 2, 0, 0])];
    let late: BillView = send(&chiyoda, "submit_bill", other, &form).await.ok();
    assert_eq!(
        (late.batch_month.as_deref(), late.late),
        (Some("2026-05"), true)
    );
    let acted: Option<i64> = sqlx::query_scalar(
        "SELECT acting_for_site_id FROM audit_log WHERE entity = 'bill' AND field = 'status'
         ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(acted, Some(other), "代理入力 is on the audit log");

    // April is not over: it cannot be submitted yet.
    chiyoda
        .call(
            "submit_bill",
            json!({ "site_id": other, "month": "2026-04", "form": BillForm::default() }),
        )
        .await
        .assert_error(AppError::Refused(RefusalReason::MonthNotOver));
}

#[tokio::test]
async fn the_municipality_of_residence_sees_only_its_lines_and_returns_the_bill_for_correction() {
    let app = app().await;
    let site = march_of_site_a(&app).await;
    let client = app.logged_in("site-a").await;
    let view: BillView = load(&client, site, MARCH).await.ok();
    let form = matching(&view);
    let minato = app.logged_in("minato").await;
    // A draft is the site's own business.
    send(&client, "save_bill", site, &form)
        .await
        .ok::<BillView>();
    let before: BillsOverview = minato
        .call("load_bills", json!({ "month": MARCH }))
        .await
        .ok();
    assert!(before.addressed.is_empty());
    let submitted: BillView = send(&client, "submit_bill", site, &form).await.ok();
    let bill_id = submitted.bill_id.unwrap();

    let seen: BillsOverview = minato
        .call("load_bills", json!({ "month": MARCH }))
        .await
        .ok();
    assert_eq!(
        seen.addressed.len(),
        1,
        "港区 has lines under the old code only"
    );
    let own = &seen.addressed[0];
    assert_eq!(own.counts, [2, 1, 0, 0, 1]);
    assert_eq!(own.amount, 3 * 2070 + 2130);
    assert_eq!(own.codes.0, "1311111111");
    assert!(
        seen.bills.iter().all(|b| b.site.id != site),
        "not 港区's site"
    );

    let chiyoda = app.logged_in("chiyoda").await;
    let theirs: BillsOverview = chiyoda
        .call("load_bills", json!({ "month": MARCH }))
        .await
        .ok();
    assert_eq!(
        theirs.addressed.len(),
        2,
        "千代田区 has lines under both codes"
    );
    let row = theirs.bills.iter().find(|b| b.site.id == site).unwrap();
    assert_eq!(row.status, Some(BillStatus::Submitted));
    assert!(
        theirs.bills.iter().any(|b| b.status.is_none()),
        "not started"
    );

    // 差戻し needs a comment.
    minato
        .call("return_bill", json!({ "bill_id": bill_id, "comment": " " }))
        .await
        .assert_field_error("comment", FieldError::Required);
    let audit_before = app.audit_count().await;
    minato
        .call(
            "return_bill",
            json!({ "bill_id": bill_id, "comment": "港区の2回目は0人のはずです" }),
        )
        .await
        .ok::<BillsOverview>();
    assert_eq!(app.audit_count().await, audit_before + 1);
    minato
        .call(
            "return_bill",
            json!({ "bill_id": bill_id, "comment": "again" }),
        )
        .await
        .assert_error(AppError::Refused(RefusalReason::BillNotSubmitted));

    let returned: BillView = load(&client, site, MARCH).await.ok();
    assert_eq!(returned.status, BillStatus::Returned);
    assert_eq!(returned.return_comment, "港区の2回目は0人のはずです");
    assert_eq!(returned.returned_by.as_deref(), Some("港区"));
    assert!(returned.may_edit);
    let mut corrected = returned.form.clone();
    corrected.parts[0].lines[1] = line(MINATO, [2, 0, 0, 0, 1]);
    corrected.parts[0].lines[0] = line(CHIYODA, [8, 4, 1, 2, 0]);
    let again: BillView = send(&client, "submit_bill", site, &corrected).await.ok();
    assert_eq!(again.status, BillStatus::Submitted);
    assert_eq!(again.return_comment, "港区の2回目は0人のはずです");
}

#[tokio::test]
async fn each_role_reads_only_its_part_of_billing() {
    let app = app().await;
    let site = march_of_site_a(&app).await;
    let client = app.logged_in("site-a").await;
    let view: BillView = load(&client, site, MARCH).await.ok();
    let bill_id = send(&client, "submit_bill", site, &matching(&view))
        .await
        .ok::<BillView>()
        .bill_id
        .unwrap();

    // 港区 neither reads nor writes 千代田区's site; the supplier reads nothing.
    let minato = app.logged_in("minato").await;
    load(&minato, site, MARCH)
        .await
        .assert_error(AppError::Forbidden);
    send(&minato, "save_bill", site, &view.form)
        .await
        .assert_error(AppError::Forbidden);
    let supplier = app.logged_in("supplier").await;
    supplier
        .call("load_bills", json!({ "month": MARCH }))
        .await
        .assert_error(AppError::Forbidden);
    supplier
        .call("home_billing", json!({}))
        .await
        .assert_error(AppError::Forbidden);
    // A site does not return bills; the prefecture reads, does not write.
    client
        .call("return_bill", json!({ "bill_id": bill_id, "comment": "x" }))
        .await
        .assert_error(AppError::Forbidden);
    let tokyo = app.logged_in("tokyo").await;
    load(&tokyo, site, MARCH).await.ok::<BillView>();
    send(&tokyo, "save_bill", site, &view.form)
        .await
        .assert_error(AppError::Forbidden);

    // The prefecture and the country read totals per municipality.
    let totals: BillsOverview = tokyo
        .call("load_bills", json!({ "month": MARCH }))
        .await
        .ok();
    let chiyoda_total = totals.totals.iter().find(|t| t.code == CHIYODA).unwrap();
    assert_eq!(chiyoda_total.submitted, 1);
    assert_eq!(chiyoda_total.amount, 22 * 2070 + 1540 + 2 * 730 + 2130);
    assert!(totals.totals.iter().all(|t| t.code.starts_with("13")));
    let mhlw = app.logged_in("mhlw").await;
    let national: BillsOverview = mhlw
        .call("load_bills", json!({ "month": MARCH }))
        .await
        .ok();
    assert_eq!(
        national.totals.len(),
        totals.totals.len(),
        "the demo lies in 東京都"
    );
    assert!(national.bills.is_empty() && national.addressed.is_empty());

    // ホーム: the site's March, submitted; 千代田区's sites still to submit.
    let home: HomeBill = client.call("home_billing", json!({})).await.ok();
    assert_eq!(home.month.to_string(), MARCH);
    assert_eq!(
        (home.status, home.days_left),
        (Some(BillStatus::Submitted), 9)
    );
    let chiyoda = app.logged_in("chiyoda").await;
    let home: HomeBill = chiyoda.call("home_billing", json!({})).await.ok();
    let sites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites WHERE municipality_code = $1")
        .bind(CHIYODA)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(home.not_submitted, Some(sites - 1));
}

#[tokio::test]
async fn national_users_keep_the_unit_prices_and_a_new_price_cuts_the_month() {
    let app = app().await;
    let form = |from: &str| PriceForm {
        applies_from: from.into(),
        vaccination: "2270".into(),
        screening_only: "1540".into(),
        after_hours: "730".into(),
        holiday: "2130".into(),
    };
    let site = app.logged_in("site-a").await;
    site.call("save_unit_prices", json!({ "form": form("2026-04-15") }))
        .await
        .assert_error(AppError::Forbidden);
    let mhlw = app.logged_in("mhlw").await;
    mhlw.call("save_unit_prices", json!({ "form": form("2026-03-31") }))
        .await
        .assert_field_error("applies_from", FieldError::DateInPast);
    let audit_before = app.audit_count().await;
    let prices: Vec<UnitPrices> = mhlw
        .call("save_unit_prices", json!({ "form": form("2026-04-15") }))
        .await
        .ok();
    assert_eq!(app.audit_count().await, audit_before + 1);
    assert_eq!(prices.len(), 2);
    assert_eq!(prices[1].vaccination, 2270);
    let listed: Vec<UnitPrices> = site.call("list_unit_prices", json!({})).await.ok();
    assert_eq!(listed, prices);

    // April is cut on the 15th; each part is priced by its own days.
    let site_id = app.site_id(OWN_SITE).await;
    let view: BillView = load(&site, site_id, "2026-04").await.ok();
    let cuts: Vec<_> = view
        .parts
        .iter()
        .map(|p| (p.from, p.prices.vaccination))
        .collect();
    assert_eq!(cuts, [(day("2026-04-01"), 2070), (day("2026-04-15"), 2270)]);
    assert!(!view.month_over);
}
