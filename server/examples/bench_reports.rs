//! The reports bench of `scripts/bench-reports.sh`: on a fresh database (DATABASE_URL, SQLite or
//! PostgreSQL) loads the national data set (`vsys national`: 70,000 sites, the cools, and
//! VSYS_BENCH_RECORD_DAYS days of 接種実績 for every site), then times, as the server function
//! runs them after its guard (`report_page`), for a national user:
//! * R308 at national scope: the first page, the first page sorted by 総計, every row (export);
//! * R208: the first page and every row;
//! * R308 over the last week (a period: two cumulatives per site);
//! * X208 接種実績の推移 for the country (doses per day from the per-municipality summary).
//!
//! In the same run, one hand-written SQL query computes R308's and R208's figures.
//!
//! `DATABASE_URL=sqlite:///tmp/x.db cargo run --release -p server --example bench_reports`
//! (a database that already holds the national data set is reused as it is).

use app::domain::reports::{ReportCode, ReportFilter, ReportQuery, Sort};
use app::domain::{jst_date, Role};
use chrono::{TimeDelta, Utc};
use server::db::reports::Region;
use server::db::{Db, DbKind};
use server::seed;
use server::service::report_page;
use std::time::{Duration, Instant};

/// Runs of each measurement.
const RUNS: usize = 7;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let days: u32 = std::env::var("VSYS_BENCH_RECORD_DAYS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(30);
    let db = Db::connect_and_migrate(&url).await?;
    let now = Utc::now();
    seed::ensure_master_data(&db, now).await?;
    let started = Instant::now();
    // A database that already holds the national data set (a kept bench database) is reused.
    let mut conn = db.pool.acquire().await?;
    let reused = server::db::master::site_count(&mut conn).await? >= 70_000;
    drop(conn);
    if !reused {
        seed::load_national(&db, 70_000, None, now).await?;
        seed::load_national_supply(&db, now).await?;
    }
    let stored = seed::load_national_records(&db, days, 0, now).await?;
    if db.kind == DbKind::Postgres {
        // As autovacuum would soon after a bulk load: without the tables' statistics PostgreSQL
        // plans R308's count and page for empty tables (343 ms against 92 ms for the first page).
        sqlx::query("ANALYZE").execute(&db.pool).await?;
    }
    println!(
        "engine: {:?}; data loaded in {:.1} s (70,000 sites, the cools, {stored} registrations over {days} days)",
        db.kind,
        started.elapsed().as_secs_f64()
    );

    let query = |code, sort, all, filter: ReportFilter| ReportQuery {
        code,
        filter,
        sort,
        page: 0,
        all,
    };
    let by_total = Some(Sort {
        column: 15,
        descending: true,
    });
    let last_week = ReportFilter {
        from: (jst_date(now) - TimeDelta::days(6)).to_string(),
        ..Default::default()
    };
    let last_two_days = ReportFilter {
        from: (jst_date(now) - TimeDelta::days(1)).to_string(),
        ..Default::default()
    };
    let cases = [
        (
            "R308 national, first page",
            query(ReportCode::R308, None, false, ReportFilter::default()),
        ),
        (
            "R308 national, first page by 総計",
            query(ReportCode::R308, by_total, false, ReportFilter::default()),
        ),
        (
            "R308 national, every row",
            query(ReportCode::R308, None, true, ReportFilter::default()),
        ),
        (
            "R208 national, first page",
            query(ReportCode::R208, None, false, ReportFilter::default()),
        ),
        (
            "R208 national, every row",
            query(ReportCode::R208, None, true, ReportFilter::default()),
        ),
        (
            "R308 national, last 7 days, first page",
            query(ReportCode::R308, None, false, last_week.clone()),
        ),
        (
            "R308 national, last 2 days, first page",
            query(ReportCode::R308, None, false, last_two_days),
        ),
        (
            "R308 national, last 7 days, every row",
            query(ReportCode::R308, None, true, last_week),
        ),
        (
            "X208 national 接種実績の推移, first page",
            query(ReportCode::X208, None, false, ReportFilter::default()),
        ),
    ];
    for (name, query) in cases {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..RUNS {
            let mut conn = db.pool.acquire().await?;
            let start = Instant::now();
            let page = report_page(&mut conn, Role::National, &Region::default(), &query, now)
                .await
                .map_err(|e| anyhow::anyhow!("{name}: {e:?}"))?;
            times.push(start.elapsed());
            rows = page.total_rows;
        }
        print_times(&format!("{name} ({rows} rows)"), &mut times);
    }

    for (name, sql) in [
        ("hand-written SQL, R308 every row", R308_SQL),
        ("hand-written SQL, R208 every row", R208_SQL),
    ] {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..RUNS {
            let mut conn = db.pool.acquire().await?;
            let start = Instant::now();
            rows = sqlx::query(sql).fetch_all(&mut *conn).await?.len();
            times.push(start.elapsed());
        }
        print_times(&format!("{name} ({rows} rows)"), &mut times);
    }
    Ok(())
}

/// R308's figures in one query: every site with its latest cumulatives summed over vaccines.
const R308_SQL: &str = "SELECT p.name, m.name, s.name,
        CAST(SUM(COALESCE(r.d1_other, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d1_medical, 0)) AS BIGINT),
        CAST(SUM(COALESCE(r.d1_underlying, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d1_elderly, 0)) AS BIGINT),
        CAST(SUM(COALESCE(r.d1_facility_staff, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d2_other, 0)) AS BIGINT),
        CAST(SUM(COALESCE(r.d2_medical, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d2_underlying, 0)) AS BIGINT),
        CAST(SUM(COALESCE(r.d2_elderly, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d2_facility_staff, 0)) AS BIGINT)
    FROM sites s
    JOIN municipalities m ON m.code = s.municipality_code
    JOIN prefectures p ON p.code = m.prefecture_code
    LEFT JOIN record_latest r ON r.site_id = s.id
    WHERE EXISTS (SELECT 1 FROM site_vaccines v WHERE v.site_id = s.id)
    GROUP BY p.code, p.name, m.code, m.name, s.name, s.id
    ORDER BY p.code, m.code, s.name, s.id";

/// R208's figures in one query: every municipality with its sites' latest cumulatives.
const R208_SQL: &str = "SELECT p.name, m.name,
        CAST(SUM(COALESCE(r.d1_other, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d1_medical, 0)) AS BIGINT),
        CAST(SUM(COALESCE(r.d1_underlying, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d1_elderly, 0)) AS BIGINT),
        CAST(SUM(COALESCE(r.d1_facility_staff, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d2_other, 0)) AS BIGINT),
        CAST(SUM(COALESCE(r.d2_medical, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d2_underlying, 0)) AS BIGINT),
        CAST(SUM(COALESCE(r.d2_elderly, 0)) AS BIGINT), CAST(SUM(COALESCE(r.d2_facility_staff, 0)) AS BIGINT)
    FROM municipalities m
    JOIN prefectures p ON p.code = m.prefecture_code
    LEFT JOIN sites s ON s.municipality_code = m.code
    LEFT JOIN record_latest r ON r.site_id = s.id
    GROUP BY p.code, p.name, m.code, m.name
    ORDER BY p.code, m.code";

fn print_times(name: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<58} median {:>8.1} ms  slowest {:>8.1} ms",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}
