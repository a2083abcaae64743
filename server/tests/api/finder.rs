//! コロナワクチンナビ at scale: pages of 50 with a cursor, the filters on every page, the public
//! GET that caches and proxies may keep (Cache-Control, ETag, 304), and a record that does not
//! decode.

use crate::helpers::{spawn_app, TestApp, TestClient};
use crate::site_record::{app, load, save, OWN_SITE};
use app::api::SiteSaved;
use app::api::{FinderChoices, FinderCursor, FinderResult, FINDER_PAGE_SIZE};
use app::domain::GeneralPublic;
use app::error::AppError;
use app::error::FieldError;
use chrono::Duration;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// 千代田区.
const CHIYODA: &str = "131016";

/// The demo, and the national data set's share of 3,500 sites (about 160 一般向け sites in
/// Tokyo: four pages).
async fn national_app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    server::seed::load_national(&app.state.db, 3_500, None, app.now())
        .await
        .expect("load the national data set");
    app
}

/// The arguments of `finder_search` for Tokyo with these filters, from `after`.
fn tokyo(municipality: &str, vaccine: &str, status: &str, after: Option<&FinderCursor>) -> Value {
    json!({"query": {"prefecture": 13, "municipality": municipality, "vaccine": vaccine,
        "status": status, "after": after}})
}

/// Every page of a search, following each page's cursor to the end.
async fn every_page(
    client: &TestClient,
    municipality: &str,
    vaccine: &str,
    status: &str,
) -> Vec<FinderResult> {
    let mut pages: Vec<FinderResult> = Vec::new();
    loop {
        let after = pages.last().and_then(|p| p.next.as_ref());
        let page: FinderResult = client
            .call_get(
                "finder_search",
                &tokyo(municipality, vaccine, status, after),
            )
            .await
            .ok();
        let last = page.next.is_none();
        pages.push(page);
        if last {
            return pages;
        }
        assert!(pages.len() < 100, "the cursor does not move on");
    }
}

/// The ids of Tokyo's 一般向け sites that match, in the finder's order, as the database lists them.
async fn expected_ids(app: &TestApp, municipality: &str, vaccine: &str, status: &str) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT s.id FROM sites s JOIN municipalities m ON m.code = s.municipality_code
         WHERE m.prefecture_code = 13 AND s.general_public = 'general'
           AND ($1 = '' OR s.municipality_code = $1)
           AND ($2 = '' OR EXISTS (SELECT 1 FROM site_vaccines v WHERE v.site_id = s.id AND v.vaccine_code = $2))
           AND ($3 = '' OR s.reservation_status = $3)
         ORDER BY s.municipality_code, s.name, s.id",
    )
    .bind(municipality)
    .bind(vaccine)
    .bind(status)
    .fetch_all(app.db())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_prefecture_reads_in_pages_of_fifty_and_each_cursor_gives_the_next_page_without_gaps_or_repeats(
) {
    let app = national_app().await;
    let public = app.client();
    let pages = every_page(&public, "", "", "").await;
    let expected = expected_ids(&app, "", "", "").await;
    assert!(expected.len() > 3 * FINDER_PAGE_SIZE, "{}", expected.len());
    let (last, full) = pages.split_last().unwrap();
    assert!(full.iter().all(|p| p.sites.len() == FINDER_PAGE_SIZE));
    assert!(!last.sites.is_empty() && last.sites.len() <= FINDER_PAGE_SIZE);
    let found: Vec<i64> = pages
        .iter()
        .flat_map(|p| p.sites.iter().map(|s| s.id))
        .collect();
    assert_eq!(found, expected, "every site once, in the finder's order");
    // Each cursor names the last site of its page.
    for page in full {
        let cursor = page.next.as_ref().unwrap();
        let last_site = page.sites.last().unwrap();
        assert_eq!(
            (cursor.id, cursor.name.as_str()),
            (last_site.id, last_site.name.as_str())
        );
    }
    let generated = pages[0]
        .sites
        .iter()
        .find(|s| s.name.starts_with("接種会場"))
        .unwrap();
    assert!(!generated.phone.is_empty() && !generated.vaccines.is_empty());

    // A site added before the cursor between two pages shifts nothing: the second page still
    // starts right after the first.
    let first = &pages[0];
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let added = server::db::master::insert_site(
        &mut conn,
        CHIYODA,
        "あ最初の診療所",
        "basic",
        None,
        "clinic",
        app.now(),
    )
    .await
    .unwrap();
    sqlx::query("UPDATE sites SET general_public = 'general' WHERE id = $1")
        .bind(added)
        .execute(app.db())
        .await
        .unwrap();
    let second: FinderResult = public
        .call_get("finder_search", &tokyo("", "", "", first.next.as_ref()))
        .await
        .ok();
    assert_eq!(second.sites, pages[1].sites);
    let again = every_page(&public, "", "", "").await;
    let ids: Vec<i64> = again
        .iter()
        .flat_map(|p| p.sites.iter().map(|s| s.id))
        .collect();
    assert_eq!(ids.len(), expected.len() + 1);
    assert!(ids.contains(&added));
}

#[tokio::test]
async fn the_filters_hold_on_every_page_and_a_municipality_of_another_prefecture_finds_nothing() {
    let app = national_app().await;
    let public = app.client();
    for (municipality, vaccine, status) in [
        (CHIYODA, "", ""),
        ("", "moderna", ""),
        ("", "", "full"),
        ("", "astrazeneca", "available"),
        (CHIYODA, "pfizer", "available"),
    ] {
        let pages = every_page(&public, municipality, vaccine, status).await;
        let sites: Vec<_> = pages.iter().flat_map(|p| p.sites.iter()).collect();
        let ids: Vec<i64> = sites.iter().map(|s| s.id).collect();
        assert_eq!(
            ids,
            expected_ids(&app, municipality, vaccine, status).await,
            "{municipality} {vaccine} {status}"
        );
        assert!(!sites.is_empty(), "{municipality} {vaccine} {status}");
        assert!(sites.iter().all(|s| {
            (municipality.is_empty() || s.municipality == "東京都千代田区")
                && (vaccine.is_empty() || s.vaccines.iter().any(|v| v.value == vaccine))
                && (status.is_empty() || s.status == status)
        }));
    }
    // A cursor from before Tokyo (a crafted one) starts at Tokyo's first page, never elsewhere.
    let first: FinderResult = public
        .call_get("finder_search", &tokyo("", "", "", None))
        .await
        .ok();
    let crafted = FinderCursor {
        municipality: "011002".into(),
        name: String::new(),
        id: 0,
    };
    let from_crafted: FinderResult = public
        .call_get("finder_search", &tokyo("", "", "", Some(&crafted)))
        .await
        .ok();
    assert_eq!(from_crafted, first);
    // 札幌市 lies in 北海道, not in Tokyo.
    let elsewhere: FinderResult = public
        .call_get("finder_search", &tokyo("011002", "", "", None))
        .await
        .ok();
    assert_eq!(elsewhere, FinderResult::default());
}

/// A GET of `function` with `args` and, when given, `If-None-Match`.
async fn get(
    client: &TestClient,
    function: &str,
    args: &Value,
    if_none_match: Option<&str>,
) -> reqwest::Response {
    let mut headers = HeaderMap::new();
    if let Some(tag) = if_none_match {
        headers.insert("if-none-match", HeaderValue::from_str(tag).unwrap());
    }
    client.get_response(function, args, headers).await
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn the_public_reads_are_gets_kept_thirty_seconds_with_an_etag_and_a_matching_request_gets_304(
) {
    let app = spawn_app().await;
    app.load_demo().await;
    let public = app.client();
    let chiyoda = tokyo(CHIYODA, "", "", None);
    for (function, args) in [
        ("finder_search", &chiyoda),
        ("finder_options", &json!({"prefecture": 13})),
    ] {
        let first = get(&public, function, args, None).await;
        assert_eq!(first.status(), StatusCode::OK, "{function}");
        assert_eq!(
            header(&first, "cache-control").as_deref(),
            Some("public, max-age=30")
        );
        let etag = header(&first, "etag").expect("an ETag");
        assert!(etag.starts_with("W/\"") && etag.ends_with('"'), "{etag}");
        assert!(header(&first, "set-cookie").is_none());
        assert!(!first.text().await.unwrap().is_empty());

        let unchanged = get(&public, function, args, Some(&etag)).await;
        assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED, "{function}");
        assert_eq!(header(&unchanged, "etag").as_deref(), Some(etag.as_str()));
        assert_eq!(
            header(&unchanged, "cache-control").as_deref(),
            Some("public, max-age=30")
        );
        assert!(unchanged.text().await.unwrap().is_empty());
        // Among other tags, or weak against strong: still a match.
        let listed = format!("\"other\", {}", etag.trim_start_matches("W/"));
        let among = get(&public, function, args, Some(&listed)).await;
        assert_eq!(among.status(), StatusCode::NOT_MODIFIED);
        let other = get(&public, function, args, Some("W/\"other\"")).await;
        assert_eq!(other.status(), StatusCode::OK);
        assert_eq!(header(&other, "etag").as_deref(), Some(etag.as_str()));
    }

    // The answer is the same for everyone (a session changes nothing), and from another site too.
    let etag = header(&get(&public, "finder_search", &chiyoda, None).await, "etag").unwrap();
    let logged_in = app.logged_in("chiyoda").await;
    let theirs = get(&logged_in, "finder_search", &chiyoda, None).await;
    assert_eq!(header(&theirs, "etag").as_deref(), Some(etag.as_str()));
    let mut cross_site = HeaderMap::new();
    cross_site.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
    let embedded = public
        .get_response("finder_search", &chiyoda, cross_site.clone())
        .await;
    assert_eq!(embedded.status(), StatusCode::OK);
    // A POST from another site is still refused.
    public
        .call_with_headers("current_session", json!({}), cross_site)
        .await
        .assert_error(AppError::CrossSiteRequest);

    // A change gives a new ETag, so the old copy is not confirmed.
    let site = app.site_id("千代田区D接種会場").await;
    logged_in
        .call(
            "set_reservation_status",
            json!({"site_id": site, "status": "Full"}),
        )
        .await
        .ok::<Value>();
    let changed = get(&public, "finder_search", &chiyoda, Some(&etag)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(header(&changed, "etag").as_deref(), Some(etag.as_str()));

    // Errors are never kept.
    let refused = get(
        &public,
        "finder_search",
        &tokyo("", "", "maybe", None),
        None,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        header(&refused, "cache-control").as_deref(),
        Some("no-store")
    );
    assert!(header(&refused, "etag").is_none());

    // The public reads take only GET; every other function only POST, and is never kept.
    let posted = public.call("finder_search", chiyoda.clone()).await;
    assert_eq!(posted.status, StatusCode::METHOD_NOT_ALLOWED);
    let got = public.call_get("current_session", &json!({})).await;
    assert_eq!(got.status, StatusCode::METHOD_NOT_ALLOWED);
    let private = logged_in
        .get_response("current_session", &json!({}), HeaderMap::new())
        .await;
    assert_eq!(private.status(), StatusCode::METHOD_NOT_ALLOWED);
    let session = reqwest::Client::new()
        .post(format!("{}/api/current_session", app.address))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&session, "cache-control").as_deref(),
        Some("no-store")
    );
    assert!(header(&session, "etag").is_none());
    let choices: FinderChoices = public
        .call_get("finder_options", &json!({"prefecture": 13}))
        .await
        .ok();
    assert!(choices.municipalities.iter().any(|m| m.value == CHIYODA));
}

#[tokio::test]
async fn a_site_whose_record_does_not_decode_fails_the_search_with_500_instead_of_showing_an_empty_site(
) {
    let app = spawn_app().await;
    app.load_demo().await;
    let public = app.client();
    let broken = app.site_id("千代田区Bクリニック").await;
    sqlx::query("UPDATE sites SET details = '{\"hours\": ' WHERE id = $1")
        .bind(broken)
        .execute(app.db())
        .await
        .unwrap();
    public
        .call_get("finder_search", &tokyo(CHIYODA, "", "", None))
        .await
        .assert_error(AppError::Internal);
    // The other municipalities still read.
    let minato: FinderResult = public
        .call_get("finder_search", &tokyo("131032", "", "", None))
        .await
        .ok();
    assert!(!minato.sites.is_empty());
    let ids: BTreeSet<i64> = minato.sites.iter().map(|s| s.id).collect();
    assert!(!ids.contains(&broken));
}

#[tokio::test]
async fn the_finder_needs_no_login_shows_only_general_sites_filters_and_marks_old_statuses() {
    let app = app().await;
    let public = app.client();
    let search = |municipality: &str, vaccine: &str, status: &str| {
        let query = json!({"query": {"prefecture": 13, "municipality": municipality,
            "vaccine": vaccine, "status": status}});
        let public = &public;
        async move {
            public
                .call_get("finder_search", &query)
                .await
                .ok::<FinderResult>()
        }
    };
    let choices: FinderChoices = public
        .call_get("finder_options", &json!({ "prefecture": 13 }))
        .await
        .ok();
    assert_eq!(choices.prefectures.len(), 47);
    assert!(choices.municipalities.iter().any(|m| m.value == CHIYODA));
    assert_eq!(choices.vaccines.len(), 3);

    // Every 一般向け site and nothing else: no 一般不可 site, no site without a record.
    let all = search("", "", "").await;
    let general: BTreeSet<i64> =
        sqlx::query_scalar::<_, i64>("SELECT id FROM sites WHERE general_public = 'general'")
            .fetch_all(app.db())
            .await
            .unwrap()
            .into_iter()
            .collect();
    let found: BTreeSet<i64> = all.sites.iter().map(|s| s.id).collect();
    assert_eq!(found, general);
    assert_eq!(found.len(), 39);
    assert!(all.next.is_none());
    assert!(all
        .sites
        .iter()
        .all(|s| !s.name.ends_with("C診療所") && s.name != OWN_SITE));
    let shown = all.sites.iter().find(|s| s.name == "港区A病院").unwrap();
    assert_eq!(shown.municipality, "東京都港区");
    // In English, the municipality and prefecture are romanised from the master's kana.
    assert_eq!(shown.municipality_en, "Minato-ku, Tokyo");
    let english = |value: &str| {
        choices
            .municipalities
            .iter()
            .find(|m| m.value == value)
            .map(|m| m.en.clone())
    };
    assert_eq!(english(CHIYODA).as_deref(), Some("Chiyoda-ku"));
    assert!(choices.municipalities.iter().all(|m| m.en.is_ascii()));
    assert_eq!(
        choices
            .prefectures
            .iter()
            .find(|p| p.value == "13")
            .map(|p| p.en.as_str()),
        Some("Tokyo")
    );
    assert!(!shown.phone.is_empty() && !shown.hours.is_empty() && !shown.notice_en.is_empty());

    // Filters: municipality, vaccine, status.
    let chiyoda = search(CHIYODA, "", "").await;
    let names: Vec<&str> = chiyoda.sites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "千代田区Bクリニック",
            "千代田区D接種会場",
            "千代田区E接種会場"
        ]
    );
    let astrazeneca = search("", "astrazeneca", "").await;
    assert!(!astrazeneca.sites.is_empty());
    assert!(astrazeneca
        .sites
        .iter()
        .all(|s| s.vaccines.iter().any(|v| v.value == "astrazeneca")));
    assert!(astrazeneca.sites.len() < all.sites.len());
    let full = search("", "", "full").await;
    assert!(!full.sites.is_empty());
    assert!(full.sites.iter().all(|s| s.status == "full"));
    let both = search(CHIYODA, "moderna", "full").await;
    let names: Vec<&str> = both.sites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["千代田区Bクリニック"]);
    public
        .call_get(
            "finder_search",
            &json!({"query": {"prefecture": 13, "municipality": "", "vaccine": "", "status": "maybe"}}),
        )
        .await
        .assert_field_error("status", FieldError::InvalidChoice);

    // Stale: never set, or set more than 14 days ago.
    let stale = |result: &FinderResult, name: &str| {
        result
            .sites
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name} not found"))
            .stale
    };
    assert!(!stale(&chiyoda, "千代田区Bクリニック"));
    assert!(stale(&chiyoda, "千代田区E接種会場"));
    assert!(
        stale(&all, "港区Bクリニック"),
        "set 20 days before the demo"
    );
    app.advance(Duration::days(10));
    let d = app.site_id("千代田区D接種会場").await;
    app.logged_in("chiyoda")
        .await
        .call(
            "set_reservation_status",
            json!({"site_id": d, "status": "Full"}),
        )
        .await
        .ok::<serde_json::Value>();
    app.advance(Duration::days(4));
    let day_14 = search(CHIYODA, "", "").await;
    assert!(!stale(&day_14, "千代田区Bクリニック"), "exactly 14 days");
    assert!(!stale(&day_14, "千代田区D接種会場"));
    app.advance(Duration::seconds(1));
    let later = search(CHIYODA, "", "").await;
    assert!(stale(&later, "千代田区Bクリニック"));
    assert!(!stale(&later, "千代田区D接種会場"));
    assert_eq!(
        later
            .sites
            .iter()
            .find(|s| s.id == d)
            .map(|s| s.status.as_str()),
        Some("full")
    );

    // A site the municipality makes 一般不可 leaves the finder at once.
    let municipality = app.logged_in("chiyoda").await;
    let b = app.site_id("千代田区Bクリニック").await;
    let view = load(&municipality, b).await;
    let mut record = view.record.clone();
    record.general_public = Some(GeneralPublic::Restricted);
    save(&municipality, &view, record).await.ok::<SiteSaved>();
    let after = search(CHIYODA, "", "").await;
    assert!(after.sites.iter().all(|s| s.id != b));
}

#[tokio::test]
async fn the_app_in_the_browser_gets_the_same_answer_in_postcard_and_caches_keep_the_two_apart() {
    let app = spawn_app().await;
    app.load_demo().await;
    let public = app.client();
    let chiyoda = tokyo(CHIYODA, "", "", None);
    let mut compact = HeaderMap::new();
    compact.insert(
        "accept",
        HeaderValue::from_static(app::api::protocol::POSTCARD),
    );

    let as_json = get(&public, "finder_search", &chiyoda, None).await;
    let json_tag = header(&as_json, "etag").expect("an ETag");
    assert!(header(&as_json, "content-type").is_some_and(|t| t.contains("json")));
    let from_json: FinderResult = as_json.json().await.expect("a JSON answer");
    assert!(!from_json.sites.is_empty());

    let as_postcard = public
        .get_response("finder_search", &chiyoda, compact.clone())
        .await;
    assert_eq!(as_postcard.status(), StatusCode::OK);
    assert_eq!(
        header(&as_postcard, "content-type").as_deref(),
        Some(app::api::protocol::POSTCARD)
    );
    let vary: Vec<String> = as_postcard
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        .collect();
    assert!(
        vary.iter()
            .any(|v| v.contains("accept") && !v.contains("encoding")),
        "{vary:?}"
    );
    let postcard_tag = header(&as_postcard, "etag").expect("an ETag");
    assert_ne!(postcard_tag, json_tag, "one tag per representation");
    let bytes = as_postcard.bytes().await.unwrap();
    let from_postcard: FinderResult = postcard::from_bytes(&bytes).expect("a postcard answer");
    assert_eq!(from_postcard, from_json);

    // A function's error comes in the representation asked for, with its own status.
    let mut bad = chiyoda.clone();
    bad["query"]["prefecture"] = json!(99);
    let refused = public.get_response("finder_search", &bad, compact).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        header(&refused, "content-type").as_deref(),
        Some(app::api::protocol::POSTCARD)
    );
    let bytes = refused.bytes().await.unwrap();
    let error: AppError = postcard::from_bytes(&bytes).expect("a postcard error");
    assert_eq!(error, AppError::field("prefecture", FieldError::Required));
    let refused = public
        .get_response("finder_search", &bad, HeaderMap::new())
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: AppError = refused.json().await.expect("a JSON error");
    assert_eq!(error, AppError::field("prefecture", FieldError::Required));
}
