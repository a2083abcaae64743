//! レポート: each report's figures against a small hand-computed data set (a correction of a
//! cumulative, a partial delivery not yet received), the region of each role, and paging that
//! neither repeats nor skips a row when sorted.

use crate::helpers::{TestApp, TestClient};
use crate::site_record::{app, CHIYODA, OWN_SITE};
use app::api::ReportPage;
use app::domain::reports::{Cell, ReportCode, ReportFilter, ReportQuery, Sort, PAGE_SIZE};
use app::error::AppError;
use serde_json::json;
use std::collections::HashSet;

/// Another site of 千代田区.
const SECOND_SITE: &str = "千代田区Bクリニック";
/// 港区.
const MINATO: &str = "131032";

pub(crate) fn query(code: ReportCode, filter: ReportFilter) -> ReportQuery {
    ReportQuery {
        code,
        filter,
        sort: None,
        page: 0,
        all: false,
    }
}

pub(crate) async fn report(client: &TestClient, query: &ReportQuery) -> crate::helpers::Answer {
    client.call("load_report", json!({ "query": query })).await
}

fn of_municipality(code: &str) -> ReportFilter {
    ReportFilter {
        municipality: code.into(),
        ..Default::default()
    }
}

fn numbers(page: &ReportPage, key: &str) -> Vec<i64> {
    let row = page
        .rows
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no row {key}"));
    row.cells
        .iter()
        .filter_map(|c| match c {
            Cell::Number(n) => Some(*n),
            Cell::Text(_) => None,
        })
        .collect()
}

/// One registration: 1回目 and 2回目 as (医療従事者, 高齢者, 基礎疾患保有者, 高齢者施設従事者,
/// その他), the columns' order in the database.
async fn record(app: &TestApp, site: i64, vaccine: &str, day: &str, d1: [i64; 5], d2: [i64; 5]) {
    sqlx::query(
        "INSERT INTO vaccination_records (site_id, vaccine_code, administered_on, d1_medical,
             d1_elderly, d1_underlying, d1_facility_staff, d1_other, d2_medical, d2_elderly,
             d2_underlying, d2_facility_staff, d2_other, correction, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, 0)",
    )
    .bind(site)
    .bind(vaccine)
    .bind(day)
    .bind(d1[0])
    .bind(d1[1])
    .bind(d1[2])
    .bind(d1[3])
    .bind(d1[4])
    .bind(d2[0])
    .bind(d2[1])
    .bind(d2[2])
    .bind(d2[3])
    .bind(d2[4])
    .execute(app.db())
    .await
    .unwrap();
}

/// A病院: pfizer on 3/28, 3/30 and a correction on 3/31 (医療従事者 12 → 11), moderna on 3/30;
/// Bクリニック: pfizer on 3/29, and on 3/27 stored last.
pub(crate) async fn records(app: &TestApp) -> (i64, i64) {
    let a = app.site_id(OWN_SITE).await;
    let b = app.site_id(SECOND_SITE).await;
    record(app, a, "pfizer", "2026-03-28", [10, 5, 0, 0, 1], [0; 5]).await;
    record(
        app,
        a,
        "pfizer",
        "2026-03-30",
        [12, 8, 0, 0, 1],
        [4, 0, 0, 0, 0],
    )
    .await;
    record(
        app,
        a,
        "pfizer",
        "2026-03-31",
        [11, 8, 0, 0, 1],
        [4, 0, 0, 0, 0],
    )
    .await;
    record(app, a, "moderna", "2026-03-30", [0, 3, 0, 0, 0], [0; 5]).await;
    record(app, b, "pfizer", "2026-03-29", [0, 20, 0, 0, 0], [0; 5]).await;
    // Stored after a later day (as an import might): the latest cumulative stays the 29th's.
    record(app, b, "pfizer", "2026-03-27", [0, 5, 0, 0, 0], [0; 5]).await;
    (a, b)
}

#[tokio::test]
async fn r308_gives_each_site_its_latest_cumulatives_in_the_seed_s_columns_and_a_period_the_difference(
) {
    let app = app().await;
    let (a, b) = records(&app).await;
    let chiyoda = app.logged_in("chiyoda").await;
    let latest: ReportPage = report(&chiyoda, &query(ReportCode::R308, ReportFilter::default()))
        .await
        .ok();
    // その他, 医療従事者, 基礎疾患保有者, 高齢者, 高齢者施設従事者, 小計; the same for 2回目; 総計.
    assert_eq!(
        numbers(&latest, &a.to_string()),
        [1, 11, 0, 11, 0, 23, 0, 4, 0, 0, 0, 4, 27]
    );
    assert_eq!(
        numbers(&latest, &b.to_string()),
        [0, 0, 0, 20, 0, 20, 0, 0, 0, 0, 0, 0, 20]
    );
    assert_eq!(latest.totals.last(), Some(&Some(47)));
    assert!(latest
        .rows
        .iter()
        .all(|r| r.cells[1] == Cell::Text("千代田区".into())));

    let day = |from: &str, until: &str| ReportFilter {
        from: from.into(),
        until: until.into(),
        ..Default::default()
    };
    let on_30th: ReportPage = report(
        &chiyoda,
        &query(ReportCode::R308, day("2026-03-30", "2026-03-30")),
    )
    .await
    .ok();
    assert_eq!(
        numbers(&on_30th, &a.to_string()),
        [0, 2, 0, 6, 0, 8, 0, 4, 0, 0, 0, 4, 12]
    );
    assert_eq!(numbers(&on_30th, &b.to_string()).last(), Some(&0));
    let since_28th: ReportPage = report(&chiyoda, &query(ReportCode::R308, day("2026-03-28", "")))
        .await
        .ok();
    assert_eq!(numbers(&since_28th, &b.to_string()).last(), Some(&15));
    // The correction on 3/31 takes one 医療従事者 back.
    let since_31st: ReportPage = report(&chiyoda, &query(ReportCode::R308, day("2026-03-31", "")))
        .await
        .ok();
    assert_eq!(
        numbers(&since_31st, &a.to_string()),
        [0, -1, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, -1]
    );
    let moderna = ReportFilter {
        vaccine: "moderna".into(),
        ..Default::default()
    };
    let only_moderna: ReportPage = report(&chiyoda, &query(ReportCode::R308, moderna))
        .await
        .ok();
    assert_eq!(only_moderna.totals.last(), Some(&Some(3)));

    // R208: 東京都 sees 千代田区 as the sum of its sites, and every ward of its own.
    let tokyo = app.logged_in("tokyo").await;
    let wards: ReportPage = report(&tokyo, &query(ReportCode::R208, ReportFilter::default()))
        .await
        .ok();
    assert_eq!(
        numbers(&wards, CHIYODA),
        [1, 11, 0, 31, 0, 43, 0, 4, 0, 0, 0, 4, 47]
    );
    assert!(wards.rows.iter().any(|r| r.key == MINATO));
    assert!(wards
        .rows
        .iter()
        .all(|r| r.cells[0] == Cell::Text("東京都".into())));
}

/// A cool of moderna for 千代田区 alone: A病院 asked 3 boxes and got 3, with 納入予定日 and two
/// shipments of which one is received; Bクリニック asked 2 and got 1; 千代田区 was given 4.
async fn supply(app: &TestApp) -> (i64, i64, i64) {
    let a = app.site_id(OWN_SITE).await;
    let b = app.site_id(SECOND_SITE).await;
    let db = app.db();
    let cool: i64 = sqlx::query_scalar(
        "INSERT INTO cools (name, vaccine_code, total_boxes, request_opens_at, request_closes_at,
             delivery_from, delivery_until, created_at)
         VALUES ('検証クール', 'moderna', 100, 0, 1, '2026-04-06', '2026-04-19', 0) RETURNING id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    for (site, boxes) in [(a, 3_i64), (b, 2)] {
        sqlx::query("INSERT INTO cool_requests (cool_id, site_id, boxes, updated_at) VALUES ($1, $2, $3, 0)")
            .bind(cool)
            .bind(site)
            .bind(boxes)
            .execute(db)
            .await
            .unwrap();
    }
    for (site, boxes) in [(a, 3_i64), (b, 1)] {
        sqlx::query("INSERT INTO site_allocations (cool_id, site_id, boxes) VALUES ($1, $2, $3)")
            .bind(cool)
            .bind(site)
            .bind(boxes)
            .execute(db)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO municipality_allocations (cool_id, municipality_code, boxes) VALUES ($1, $2, 4)")
        .bind(cool)
        .bind(CHIYODA)
        .execute(db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO delivery_schedules (cool_id, site_id, scheduled_on, updated_at) VALUES ($1, $2, '2026-04-10', 0)")
        .bind(cool)
        .bind(a)
        .execute(db)
        .await
        .unwrap();
    let lot: i64 = sqlx::query_scalar("SELECT id FROM lots WHERE lot_number = '3005236'")
        .fetch_one(db)
        .await
        .unwrap();
    for (vials, received) in [(20_i64, true), (10, false)] {
        let shipment: i64 = sqlx::query_scalar(
            "INSERT INTO shipments (cool_id, site_id, delivered_on, created_at)
             VALUES ($1, $2, '2026-04-10', 0) RETURNING id",
        )
        .bind(cool)
        .bind(a)
        .fetch_one(db)
        .await
        .unwrap();
        if received {
            sqlx::query("UPDATE shipments SET received_at = created_at WHERE id = $1")
                .bind(shipment)
                .execute(db)
                .await
                .unwrap();
        }
        sqlx::query("INSERT INTO shipment_lots (shipment_id, lot_id, vials) VALUES ($1, $2, $3)")
            .bind(shipment)
            .bind(lot)
            .bind(vials)
            .execute(db)
            .await
            .unwrap();
    }
    (cool, a, b)
}

#[tokio::test]
async fn the_supply_reports_give_requests_allocations_and_deliveries_per_cool_site_and_municipality(
) {
    let app = app().await;
    let (cool, a, b) = supply(&app).await;
    let of_cool = ReportFilter {
        cool: cool.to_string(),
        ..Default::default()
    };
    let chiyoda = app.logged_in("chiyoda").await;
    let r301: ReportPage = report(&chiyoda, &query(ReportCode::R301, of_cool.clone()))
        .await
        .ok();
    assert_eq!(r301.total_rows, 2);
    // 希望量, 分配量, 納入済 and 受領済 (vials): one of the two shipments is received.
    assert_eq!(numbers(&r301, &a.to_string()), [3, 3, 30, 20]);
    assert_eq!(numbers(&r301, &b.to_string()), [2, 1, 0, 0]);
    assert_eq!(r301.rows[0].cells[6], Cell::Text("2026-04-10".into()));
    assert_eq!(
        r301.totals[4..],
        [Some(5), Some(4), None, Some(30), Some(20)]
    );
    let r306: ReportPage = report(&chiyoda, &query(ReportCode::R306, of_cool.clone()))
        .await
        .ok();
    assert_eq!(numbers(&r306, &a.to_string()), [1, 3, 3]);
    assert_eq!(numbers(&r306, &b.to_string()), [1, 2, 1]);

    let tokyo = app.logged_in("tokyo").await;
    let r201: ReportPage = report(&tokyo, &query(ReportCode::R201, of_cool.clone()))
        .await
        .ok();
    assert_eq!(r201.total_rows, 1);
    // 希望量, 分配量 (given to 千代田区), passed on to its sites, delivered.
    assert_eq!(numbers(&r201, CHIYODA), [5, 4, 4, 30]);
    let r206: ReportPage = report(&tokyo, &query(ReportCode::R206, of_cool)).await.ok();
    assert_eq!(numbers(&r206, CHIYODA), [2, 5, 4]);
    // Outside the cool's delivery weeks, nothing.
    let before = ReportFilter {
        until: "2026-04-05".into(),
        ..Default::default()
    };
    let none: ReportPage = report(&chiyoda, &query(ReportCode::R301, before))
        .await
        .ok();
    assert!(none
        .rows
        .iter()
        .all(|r| r.cells[0] != Cell::Text("検証クール".into())));
}

#[tokio::test]
async fn each_role_reads_its_own_region_only() {
    let app = app().await;
    let (a, _) = records(&app).await;
    let r308 = query(ReportCode::R308, ReportFilter::default());

    let site = app.logged_in("site-a").await;
    let own: ReportPage = report(&site, &r308).await.ok();
    assert_eq!(own.rows.len(), 1);
    assert_eq!(own.rows[0].key, a.to_string());
    report(&site, &query(ReportCode::R308, of_municipality(CHIYODA)))
        .await
        .assert_error(AppError::Forbidden);
    report(&site, &query(ReportCode::R208, ReportFilter::default()))
        .await
        .assert_error(AppError::Forbidden);

    let chiyoda = app.logged_in("chiyoda").await;
    report(&chiyoda, &query(ReportCode::R308, of_municipality(MINATO)))
        .await
        .assert_error(AppError::Forbidden);
    report(&chiyoda, &query(ReportCode::R208, ReportFilter::default()))
        .await
        .assert_error(AppError::Forbidden);

    let minato = app.logged_in("minato").await;
    let theirs: ReportPage = report(&minato, &r308).await.ok();
    assert!(!theirs.rows.is_empty());
    assert!(theirs.rows.iter().all(|r| r.key != a.to_string()));
    assert!(theirs
        .rows
        .iter()
        .all(|r| r.cells[1] == Cell::Text("港区".into())));

    let tokyo = app.logged_in("tokyo").await;
    let other_prefecture = ReportFilter {
        prefecture: "27".into(),
        ..Default::default()
    };
    report(&tokyo, &query(ReportCode::R208, other_prefecture.clone()))
        .await
        .assert_error(AppError::Forbidden);
    let national = app.logged_in("mhlw").await;
    let osaka: ReportPage = report(&national, &query(ReportCode::R208, other_prefecture))
        .await
        .ok();
    assert!(osaka
        .rows
        .iter()
        .all(|r| r.cells[0] == Cell::Text("大阪府".into())));
    assert!(!osaka.options.municipalities.is_empty());

    let supplier = app.logged_in("supplier").await;
    report(&supplier, &r308)
        .await
        .assert_error(AppError::Forbidden);
    app.client()
        .call("load_report", json!({ "query": r308 }))
        .await
        .assert_error(AppError::Unauthenticated);
}

#[tokio::test]
async fn sorted_pages_show_every_row_once_and_the_totals_cover_every_page() {
    let app = app().await;
    records(&app).await;
    let national = app.logged_in("mhlw").await;
    // Every municipality of the country, most of them with no record: many ties to keep apart.
    let mut sorted = query(ReportCode::R208, ReportFilter::default());
    sorted.sort = Some(Sort {
        column: 14,
        descending: true,
    });
    let first: ReportPage = report(&national, &sorted).await.ok();
    assert!(first.total_rows as usize > 10 * PAGE_SIZE);
    let mut keys = Vec::new();
    let mut totals = Vec::new();
    let pages = (first.total_rows as usize).div_ceil(PAGE_SIZE);
    for page in 0..pages {
        sorted.page = page as u32;
        let answer: ReportPage = report(&national, &sorted).await.ok();
        assert_eq!(answer.totals, first.totals);
        for row in answer.rows {
            keys.push(row.key.clone());
            if let Some(Cell::Number(n)) = row.cells.last() {
                totals.push(*n);
            }
        }
    }
    assert_eq!(keys.len(), first.total_rows as usize);
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), keys.len());
    assert!(totals.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(
        Some(totals.iter().sum::<i64>()),
        *first.totals.last().unwrap()
    );
    // A page past the last shows the last; every row at once for the export.
    sorted.page = 999;
    let last: ReportPage = report(&national, &sorted).await.ok();
    assert_eq!(last.page as usize, pages - 1);
    sorted.all = true;
    let all: ReportPage = report(&national, &sorted).await.ok();
    let all_keys: Vec<String> = all.rows.into_iter().map(|r| r.key).collect();
    assert_eq!(all_keys, keys);
}

#[tokio::test]
async fn a_bad_date_in_the_filters_is_a_field_error() {
    let app = app().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let bad = ReportFilter {
        from: "2026-02-30".into(),
        ..Default::default()
    };
    report(&chiyoda, &query(ReportCode::R308, bad))
        .await
        .assert_field_error("from", app::error::FieldError::DateFormat);
}

fn texts(page: &ReportPage, key: &str) -> Vec<String> {
    let row = page
        .rows
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no row {key}"));
    row.cells
        .iter()
        .filter_map(|c| match c {
            Cell::Text(t) => Some(t.clone()),
            Cell::Number(_) => None,
        })
        .collect()
}

#[tokio::test]
async fn the_delivery_reports_follow_each_site_from_allocation_to_receipt_and_the_lists_stand_as_now(
) {
    let app = app().await;
    let (cool, a, b) = supply(&app).await;
    let of_cool = ReportFilter {
        cool: cool.to_string(),
        ..Default::default()
    };
    let chiyoda = app.logged_in("chiyoda").await;
    let get = |code| query(code, of_cool.clone());

    // A病院: a date and 30 of its 30 vials (3 boxes of 10) delivered, 20 received; Bクリニック:
    // allocated, no date.
    let r304: ReportPage = report(&chiyoda, &get(ReportCode::R304)).await.ok();
    assert_eq!(numbers(&r304, &a.to_string()), [3, 30, 20]);
    assert_eq!(texts(&r304, &a.to_string()).last().unwrap(), "納入済");
    assert_eq!(
        texts(&r304, &b.to_string()).last().unwrap(),
        "納入予定日未登録"
    );
    // 状況 as a filter: only the site in it, and the totals over that site alone.
    let in_status = |code, status: &str| {
        query(
            code,
            ReportFilter {
                status: status.into(),
                ..of_cool.clone()
            },
        )
    };
    let delivered: ReportPage = report(&chiyoda, &in_status(ReportCode::R304, "delivered"))
        .await
        .ok();
    let keys: Vec<&str> = delivered.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, [a.to_string()]);
    assert_eq!(delivered.totals[6], Some(30));
    let received: ReportPage = report(&chiyoda, &in_status(ReportCode::R304, "received"))
        .await
        .ok();
    assert_eq!(received.total_rows, 0);
    let missing: ReportPage = report(&chiyoda, &in_status(ReportCode::R303, "not-entered"))
        .await
        .ok();
    let keys: Vec<&str> = missing.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, [b.to_string()]);
    report(&chiyoda, &in_status(ReportCode::R304, "not-entered"))
        .await
        .assert_field_error("status", app::error::FieldError::InvalidChoice);
    let r303: ReportPage = report(&chiyoda, &get(ReportCode::R303)).await.ok();
    assert_eq!(texts(&r303, &a.to_string()).last().unwrap(), "登録済");
    assert_eq!(texts(&r303, &b.to_string()).last().unwrap(), "未登録");
    let r310: ReportPage = report(&chiyoda, &get(ReportCode::R310)).await.ok();
    assert_eq!(r310.rows.len(), 1);
    assert_eq!(r310.rows[0].key, a.to_string());
    assert_eq!(r310.rows[0].cells[0], Cell::Text("2026-04-10".into()));

    let tokyo = app.logged_in("tokyo").await;
    let r204: ReportPage = report(&tokyo, &get(ReportCode::R204)).await.ok();
    // Sites allocated, dated, delivered in full, received in full.
    assert_eq!(numbers(&r204, CHIYODA), [2, 1, 1, 0]);
    let r203: ReportPage = report(&tokyo, &get(ReportCode::R203)).await.ok();
    assert_eq!(numbers(&r203, CHIYODA), [2, 1, 1]);
    let r210: ReportPage = report(&tokyo, &get(ReportCode::R210)).await.ok();
    assert_eq!(r210.rows.len(), 1);

    // その他一覧: 千代田区's sites, its stock by lot, and 東京都's wholesalers.
    let lot: i64 = sqlx::query_scalar("SELECT id FROM lots WHERE lot_number = '3005236'")
        .fetch_one(app.db())
        .await
        .unwrap();
    sqlx::query("INSERT INTO stock_balances (site_id, lot_id, vials) VALUES ($1, $2, 7)")
        .bind(a)
        .bind(lot)
        .execute(app.db())
        .await
        .unwrap();
    let stock: ReportPage = report(&chiyoda, &query(ReportCode::X303, ReportFilter::default()))
        .await
        .ok();
    assert_eq!(stock.rows.len(), 1);
    assert_eq!(numbers(&stock, &a.to_string()), [7]);
    assert_eq!(texts(&stock, &a.to_string())[4], "3005236");
    let sites: ReportPage = report(&chiyoda, &query(ReportCode::X301, ReportFilter::default()))
        .await
        .ok();
    assert!(sites.rows.iter().any(|r| r.key == b.to_string()));
    assert!(sites
        .rows
        .iter()
        .all(|r| r.cells[1] == Cell::Text("千代田区".into())));
    assert!(sites
        .rows
        .iter()
        .all(|r| matches!(&r.cells[3], Cell::Text(t) if t == "基本型" || t == "サテライト型")));
    let suppliers: ReportPage = report(&tokyo, &query(ReportCode::X202, ReportFilter::default()))
        .await
        .ok();
    assert!(!suppliers.rows.is_empty());
    assert!(suppliers
        .rows
        .iter()
        .all(|r| r.cells[1] == Cell::Text("東京都".into())));
    report(&chiyoda, &query(ReportCode::X202, ReportFilter::default()))
        .await
        .assert_error(AppError::Forbidden);
}

#[tokio::test]
async fn at_national_scale_r308_and_r208_add_up_to_every_site_s_latest_cumulative() {
    let app = app().await;
    let unrecorded: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT v.site_id) FROM site_vaccines v WHERE NOT EXISTS
             (SELECT 1 FROM vaccination_records r WHERE r.site_id = v.site_id)",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    let demo_sites: i64 = sqlx::query_scalar("SELECT MAX(id) FROM sites")
        .fetch_one(app.db())
        .await
        .unwrap();
    server::seed::load_national(&app.state.db, 3_500, None, app.now())
        .await
        .unwrap();
    let generated: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT site_id) FROM site_vaccines WHERE site_id > $1")
            .bind(demo_sites)
            .fetch_one(app.db())
            .await
            .unwrap();
    assert!(generated > 2_000);
    let stored = server::seed::load_national_records(&app.state.db, 3, demo_sites, app.now())
        .await
        .unwrap();
    assert_eq!(stored, 3 * generated as u64);
    // The demo's sites keep what they had: those without records still have none.
    let still_unrecorded: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT v.site_id) FROM site_vaccines v WHERE NOT EXISTS
             (SELECT 1 FROM vaccination_records r WHERE r.site_id = v.site_id)",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(still_unrecorded, unrecorded);
    assert_eq!(
        server::seed::load_national_records(&app.state.db, 3, demo_sites, app.now())
            .await
            .unwrap(),
        0,
        "a second run adds nothing"
    );
    // Computed here from the daily rows, without the summary the report reads.
    let expected: i64 = sqlx::query_scalar(
        "SELECT CAST(SUM(d1_medical + d1_elderly + d1_underlying + d1_facility_staff + d1_other
                + d2_medical + d2_elderly + d2_underlying + d2_facility_staff + d2_other) AS BIGINT)
         FROM vaccination_records r
         WHERE r.administered_on = (SELECT MAX(l.administered_on) FROM vaccination_records l
                                    WHERE l.site_id = r.site_id AND l.vaccine_code = r.vaccine_code)",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    let sites: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sites s WHERE EXISTS (SELECT 1 FROM site_vaccines v WHERE v.site_id = s.id)
             OR EXISTS (SELECT 1 FROM vaccination_records r WHERE r.site_id = s.id)",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    let national = app.logged_in("mhlw").await;
    let r308: ReportPage = report(&national, &query(ReportCode::R308, ReportFilter::default()))
        .await
        .ok();
    assert_eq!(i64::from(r308.total_rows), sites);
    assert_eq!(r308.rows.len(), PAGE_SIZE);
    assert_eq!(r308.totals.last(), Some(&Some(expected)));
    let r208: ReportPage = report(&national, &query(ReportCode::R208, ReportFilter::default()))
        .await
        .ok();
    assert_eq!(r208.totals.last(), Some(&Some(expected)));

    // A page of R308 is read a page at a time from the database, the export computes every row:
    // each page, in any order the screen offers, is the export's slice, totals included.
    let tokyo = ReportFilter {
        prefecture: "13".into(),
        ..Default::default()
    };
    // The generated days: a period of the last two, and one ending on the middle day.
    let days: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT administered_on FROM vaccination_records WHERE site_id > $1
         ORDER BY administered_on",
    )
    .bind(demo_sites)
    .fetch_all(app.db())
    .await
    .unwrap();
    assert_eq!(days.len(), 3);
    let last_two = ReportFilter {
        from: days[1].clone(),
        ..Default::default()
    };
    let up_to_middle = ReportFilter {
        from: days[0].clone(),
        until: days[1].clone(),
        prefecture: "13".into(),
        ..Default::default()
    };
    for filter in [ReportFilter::default(), tokyo, last_two, up_to_middle] {
        for sort in [
            None,
            Some(Sort {
                column: 15,
                descending: true,
            }),
            Some(Sort {
                column: 4,
                descending: false,
            }),
            Some(Sort {
                column: 14,
                descending: true,
            }),
        ] {
            let mut asked = query(ReportCode::R308, filter.clone());
            asked.sort = sort;
            asked.all = true;
            let all: ReportPage = report(&national, &asked).await.ok();
            asked.all = false;
            let pages = all.rows.len().div_ceil(PAGE_SIZE);
            for page in [0, 1, pages - 1] {
                asked.page = u32::try_from(page).unwrap();
                let one: ReportPage = report(&national, &asked).await.ok();
                let end = (page * PAGE_SIZE + PAGE_SIZE).min(all.rows.len());
                assert_eq!(
                    one.rows,
                    all.rows[page * PAGE_SIZE..end],
                    "{sort:?} page {page}"
                );
                assert_eq!(one.totals, all.totals);
                assert_eq!(one.total_rows, all.total_rows);
            }
        }
    }
}
