//! Master data and the generated data sets, on the real database engine.

use crate::helpers::spawn_app;
use app::api::{MunicipalityRow, SiteRow};
use serde_json::json;

#[tokio::test]
async fn master_data_holds_47_prefectures_1741_municipalities_and_the_three_vaccines() {
    let app = spawn_app().await;
    let count = |table: &'static str| {
        let pool = app.db().clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(count("prefectures").await, 47);
    assert_eq!(count("municipalities").await, 1741);
    assert_eq!(count("vaccines").await, 3);
    // Loading again on the next start changes nothing.
    server::seed::ensure_master_data(&app.state.db, app.now())
        .await
        .unwrap();
    assert_eq!(count("municipalities").await, 1741);
}

#[tokio::test]
async fn the_national_data_set_spreads_sites_over_every_municipality_and_new_sites_still_get_ids() {
    let app = spawn_app().await;
    app.load_demo().await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites")
        .fetch_one(app.db())
        .await
        .unwrap();
    let total = server::seed::load_national(&app.state.db, 3_500, None, app.now())
        .await
        .unwrap();
    assert_eq!(total, before + 3_500);
    let empty: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM municipalities m WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE s.municipality_code = m.code)",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(empty, 0, "every municipality has sites");
    // Every satellite's basic site is a basic site of the same municipality.
    let bad: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sites s JOIN sites b ON b.id = s.basic_site_id
         WHERE s.site_type = 'satellite' AND (b.site_type <> 'basic' OR b.municipality_code <> s.municipality_code)",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(bad, 0);
    // Ids chosen in bulk do not collide with the next ordinary insert (the PostgreSQL sequence moved).
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let id = server::db::master::insert_site(
        &mut conn,
        "131016",
        "新しい診療所",
        "basic",
        None,
        "clinic",
        app.now(),
    )
    .await
    .unwrap();
    assert!(id > server::db::master::max_site_id(&mut conn).await.unwrap() - 1);

    // Through the API, the national user sees the generated sites of a far municipality.
    let national = app.logged_in("mhlw").await;
    let municipalities: Vec<MunicipalityRow> = national
        .call("list_municipalities", json!({"prefecture": 47}))
        .await
        .ok();
    let naha = municipalities
        .iter()
        .find(|m| m.name == "那覇市")
        .expect("那覇市");
    assert!(naha.site_count >= 2);
    let sites: Vec<SiteRow> = national
        .call("list_sites", json!({"municipality": naha.code}))
        .await
        .ok();
    assert_eq!(sites.len() as i64, naha.site_count);
}
