//! 接種実績の推移 (X208, X308) and a site's own reports (X311 在庫受払簿, X312 納入・移送一覧)
//! against hand-computed figures: a correction, a day stored out of date order, a day registered
//! again, a received and a cancelled transfer; and who may read which.

use crate::helpers::TestApp;
use crate::reports::{query, records, report};
use crate::site_record::{app, OWN_SITE};
use crate::stock::{give, lot_id};
use app::api::{ReportPage, SiteStock};
use app::domain::reports::{Cell, ReportCode, ReportFilter};
use app::domain::{jst_date, TransferForm};
use app::error::AppError;
use serde_json::json;

/// Each row as (接種日, then its six figures).
fn days(page: &ReportPage) -> Vec<(String, Vec<i64>)> {
    page.rows
        .iter()
        .map(|r| {
            let figures = r.cells[1..]
                .iter()
                .map(|c| match c {
                    Cell::Number(n) => *n,
                    Cell::Text(t) => panic!("a name among the figures: {t}"),
                })
                .collect();
            (r.key.clone(), figures)
        })
        .collect()
}

fn day(date: &str, figures: [i64; 6]) -> (String, Vec<i64>) {
    (date.to_string(), figures.to_vec())
}

fn filter(site: &str, from: &str, until: &str) -> ReportFilter {
    ReportFilter {
        site: site.into(),
        from: from.into(),
        until: until.into(),
        ..Default::default()
    }
}

async fn set_first_doses_of_medical(app: &TestApp, site: i64, on: &str, value: i64) {
    sqlx::query(
        "UPDATE vaccination_records SET d1_medical = $1
         WHERE site_id = $2 AND vaccine_code = 'pfizer' AND administered_on = $3",
    )
    .bind(value)
    .bind(site)
    .bind(on)
    .execute(app.db())
    .await
    .unwrap();
}

/// What the registrations added to each day's 1回目, 2回目 and 計 (the demo data set's other
/// sites of the ward registered too), for the days they changed.
fn added(before: &[(String, Vec<i64>)], after: &[(String, Vec<i64>)]) -> Vec<(String, Vec<i64>)> {
    after
        .iter()
        .filter_map(|(date, figures)| {
            let old = before
                .iter()
                .find(|(d, _)| d == date)
                .map_or(vec![0; 3], |(_, f)| f[..3].to_vec());
            let change: Vec<i64> = figures[..3].iter().zip(&old).map(|(n, o)| n - o).collect();
            change
                .iter()
                .any(|c| *c != 0)
                .then(|| (date.clone(), change))
        })
        .collect()
}

fn end_sum(rows: &[(String, Vec<i64>)]) -> i64 {
    rows.last().map_or(0, |(_, f)| f[5])
}

async fn ward_trend(client: &crate::helpers::TestClient) -> Vec<(String, Vec<i64>)> {
    let page: ReportPage = report(client, &query(ReportCode::X308, ReportFilter::default()))
        .await
        .ok();
    days(&page)
}

#[tokio::test]
async fn the_trend_gives_each_day_s_doses_and_their_running_sum_down_to_one_site() {
    let app = app().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let before = ward_trend(&chiyoda).await;
    let (a, _) = records(&app).await;
    // Per day: 1回目, 2回目, 計. The 27th was stored after the 29th, so the 29th counts from it
    // (20 − 5); the 31st is a correction (−1).
    let page: ReportPage = report(&chiyoda, &query(ReportCode::X308, ReportFilter::default()))
        .await
        .ok();
    let ward = days(&page);
    let three = |date: &str, figures: [i64; 3]| (date.to_string(), figures.to_vec());
    assert_eq!(
        added(&before, &ward),
        [
            three("2026-03-27", [5, 0, 5]),
            three("2026-03-28", [16, 0, 16]),
            three("2026-03-29", [15, 0, 15]),
            three("2026-03-30", [8, 4, 12]),
            three("2026-03-31", [-1, 0, -1]),
        ]
    );
    // The running sum ends at the latest cumulatives: 47 more than before.
    assert_eq!(end_sum(&ward) - end_sum(&before), 47);
    // The day's figures add up to the same; the running sums are not added.
    assert_eq!(page.totals[3], Some(end_sum(&ward)));
    assert_eq!(page.totals[4..], [None, None, None]);
    // 東京都's trend narrowed to 千代田区 is the ward's own.
    let tokyo = app.logged_in("tokyo").await;
    let of_chiyoda = ReportFilter {
        municipality: crate::site_record::CHIYODA.into(),
        ..Default::default()
    };
    let prefecture: ReportPage = report(&tokyo, &query(ReportCode::X208, of_chiyoda))
        .await
        .ok();
    assert_eq!(days(&prefecture), ward);

    // One site, a day without registrations filled in.
    let site: ReportPage = report(
        &chiyoda,
        &query(ReportCode::X308, filter(&a.to_string(), "", "")),
    )
    .await
    .ok();
    assert_eq!(
        days(&site),
        [
            day("2026-03-28", [16, 0, 16, 16, 0, 16]),
            day("2026-03-29", [0, 0, 0, 16, 0, 16]),
            day("2026-03-30", [8, 4, 12, 24, 4, 28]),
            day("2026-03-31", [-1, 0, -1, 23, 4, 27]),
        ]
    );
    assert_eq!(site.options.site.as_deref(), Some(OWN_SITE));
    // A period keeps the running sums counted from the very first day.
    let period: ReportPage = report(
        &chiyoda,
        &query(ReportCode::X308, filter("", "2026-03-29", "2026-03-30")),
    )
    .await
    .ok();
    let inside: Vec<_> = ward
        .iter()
        .filter(|(d, _)| d.as_str() >= "2026-03-29" && d.as_str() <= "2026-03-30")
        .cloned()
        .collect();
    assert_eq!(days(&period), inside);

    // A day registered again moves the difference from the next day: the 30th up by 2 makes the
    // 31st 2 lower, and the running sum at the end is the latest cumulative still.
    set_first_doses_of_medical(&app, a, "2026-03-30", 14).await;
    let again = ward_trend(&chiyoda).await;
    let changed = added(&before, &again);
    assert_eq!(changed[3], three("2026-03-30", [10, 4, 14]));
    assert_eq!(changed[4], three("2026-03-31", [-3, 0, -3]));
    assert_eq!(end_sum(&again) - end_sum(&before), 47);
    // The latest day registered again: the end moves with it, as R308's total does.
    set_first_doses_of_medical(&app, a, "2026-03-31", 13).await;
    let latest = ward_trend(&chiyoda).await;
    assert_eq!(added(&before, &latest)[4], three("2026-03-31", [-1, 0, -1]));
    assert_eq!(end_sum(&latest) - end_sum(&before), 49);
    let r308: ReportPage = report(&chiyoda, &query(ReportCode::R308, ReportFilter::default()))
        .await
        .ok();
    assert_eq!(r308.totals.last(), Some(&Some(end_sum(&latest))));
}

#[tokio::test]
async fn the_trend_and_a_site_s_reports_stay_inside_the_reader_s_region() {
    let app = app().await;
    let (a, _) = records(&app).await;
    let minato_site = app.site_id("港区A病院").await;
    let chiyoda = app.logged_in("chiyoda").await;
    // X208 is for prefectures and above.
    report(&chiyoda, &query(ReportCode::X208, ReportFilter::default()))
        .await
        .assert_error(AppError::Forbidden);
    // A site of another ward.
    report(
        &chiyoda,
        &query(ReportCode::X308, filter(&minato_site.to_string(), "", "")),
    )
    .await
    .assert_error(AppError::Forbidden);
    // A site reads its own trend, and no other site's.
    let site = app.logged_in("site-a").await;
    let own: ReportPage = report(&site, &query(ReportCode::X308, ReportFilter::default()))
        .await
        .ok();
    assert_eq!(days(&own).last().unwrap().1[5], 27);
    let second = app.site_id("千代田区Bクリニック").await;
    for code in [ReportCode::X308, ReportCode::X311, ReportCode::X312] {
        report(&site, &query(code, filter(&second.to_string(), "", "")))
            .await
            .assert_error(AppError::Forbidden);
    }
    let none: ReportPage = report(&site, &query(ReportCode::X312, ReportFilter::default()))
        .await
        .ok();
    assert!(none.rows.iter().all(|r| r.key == a.to_string()));
    // A bad site id is a field error, not a 500.
    report(&chiyoda, &query(ReportCode::X308, filter("abc", "", "")))
        .await
        .assert_field_error("site", app::error::FieldError::InvalidChoice);
}

fn transfer(to: i64, lot: i64, vials: u32, day: &str) -> serde_json::Value {
    json!(TransferForm {
        to_site: to.to_string(),
        lot: lot.to_string(),
        vials: vials.to_string(),
        sent_on: day.into(),
    })
}

#[tokio::test]
async fn the_ledger_and_the_transfers_show_a_received_and_a_cancelled_transfer() {
    let app = app().await;
    let own = app.site_id(OWN_SITE).await;
    let satellite = app.site_id("千代田区D接種会場").await;
    let lot = lot_id(&app, "FF2153").await;
    give(&app, own, lot, 10).await;
    let today = jst_date(app.now()).to_string();
    let site = app.logged_in("site-a").await;
    let chiyoda = app.logged_in("chiyoda").await;
    let sent: SiteStock = site
        .call(
            "send_transfer",
            json!({"site_id": own, "form": transfer(satellite, lot, 4, &today)}),
        )
        .await
        .ok();
    let received = sent.transfers.iter().find(|t| t.pending()).unwrap().id;
    let _: SiteStock = chiyoda
        .call(
            "receive_transfer",
            json!({"transfer_id": received, "received_on": today}),
        )
        .await
        .ok();
    let sent: SiteStock = site
        .call(
            "send_transfer",
            json!({"site_id": own, "form": transfer(satellite, lot, 3, &today)}),
        )
        .await
        .ok();
    let cancelled = sent.transfers.iter().find(|t| t.pending()).unwrap().id;
    let _: SiteStock = site
        .call("cancel_transfer", json!({"transfer_id": cancelled}))
        .await
        .ok();

    // 在庫受払簿 of A病院: +10, −4, −3, +3 (the cancel's vials back): 受入, 払出, 残高.
    let ledger: ReportPage = report(&site, &query(ReportCode::X311, ReportFilter::default()))
        .await
        .ok();
    let lines: Vec<(String, i64, i64, i64)> = ledger
        .rows
        .iter()
        .map(
            |r| match (&r.cells[5], &r.cells[6], &r.cells[7], &r.cells[8]) {
                (Cell::Text(kind), Cell::Number(i), Cell::Number(o), Cell::Number(b)) => {
                    (kind.clone(), *i, *o, *b)
                }
                other => panic!("unexpected cells {other:?}"),
            },
        )
        .collect();
    assert_eq!(
        lines,
        [
            ("受領".to_string(), 10, 0, 10),
            ("移送（出）".to_string(), 0, 4, 6),
            ("移送（出）".to_string(), 0, 3, 3),
            ("移送（受）".to_string(), 3, 0, 6),
        ]
    );
    assert_eq!(ledger.totals[6..9], [Some(13), Some(7), None]);
    // The ward sees the satellite's ledger too: the 4 vials it received.
    let ward: ReportPage = report(&chiyoda, &query(ReportCode::X311, ReportFilter::default()))
        .await
        .ok();
    let satellite_rows: Vec<_> = ward
        .rows
        .iter()
        .filter(|r| r.key == satellite.to_string())
        .collect();
    assert_eq!(satellite_rows.len(), 1);
    assert_eq!(satellite_rows[0].cells[8], Cell::Number(4));

    // 納入・移送一覧: both transfers on each side, the cancelled one as 取消.
    let moves: ReportPage = report(&chiyoda, &query(ReportCode::X312, ReportFilter::default()))
        .await
        .ok();
    let seen: Vec<(String, String, i64, String)> = moves
        .rows
        .iter()
        .map(
            |r| match (&r.cells[0], &r.cells[2], &r.cells[6], &r.cells[7]) {
                (Cell::Text(site), Cell::Text(kind), Cell::Number(v), Cell::Text(status)) => {
                    (site.clone(), kind.clone(), *v, status.clone())
                }
                other => panic!("unexpected cells {other:?}"),
            },
        )
        .collect();
    for expected in [
        (OWN_SITE, "移送（出）", 4, "受領済"),
        (OWN_SITE, "移送（出）", 3, "取消"),
        ("千代田区D接種会場", "移送（受）", 4, "受領済"),
        ("千代田区D接種会場", "移送（受）", 3, "取消"),
    ] {
        let expected = (
            expected.0.to_string(),
            expected.1.to_string(),
            expected.2,
            expected.3.to_string(),
        );
        assert!(seen.contains(&expected), "{expected:?} not in {seen:?}");
    }
    assert_eq!(seen.len(), 4);
    // Only the cancelled transfer, as each side saw it.
    let cancelled: ReportPage = report(
        &chiyoda,
        &query(
            ReportCode::X312,
            ReportFilter {
                status: "cancelled".into(),
                ..Default::default()
            },
        ),
    )
    .await
    .ok();
    assert_eq!(cancelled.total_rows, 2);
    assert!(cancelled
        .rows
        .iter()
        .all(|r| r.cells[7] == Cell::Text("取消".into()) && r.cells[6] == Cell::Number(3)));
    // A period before today shows none of them.
    let before: ReportPage = report(
        &chiyoda,
        &query(ReportCode::X312, filter("", "2000-01-01", "2000-12-31")),
    )
    .await
    .ok();
    assert_eq!(before.total_rows, 0);
}
