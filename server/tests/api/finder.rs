//! コロナワクチンナビ: the public finder, without a login.

use crate::site_record::{app, load, save, CHIYODA, OWN_SITE};
use app::api::{FinderChoices, FinderResult, SiteSaved};
use app::domain::GeneralPublic;
use app::error::FieldError;
use chrono::Duration;
use serde_json::json;
use std::collections::BTreeSet;

#[tokio::test]
async fn the_finder_needs_no_login_shows_only_general_sites_filters_and_marks_old_statuses() {
    let app = app().await;
    let public = app.client();
    let search = |municipality: &str, vaccine: &str, status: &str| {
        let query = json!({"query": {"prefecture": 13, "municipality": municipality,
            "vaccine": vaccine, "status": status}});
        let answer = public.call("finder_search", query);
        async move { answer.await.ok::<FinderResult>() }
    };
    let choices: FinderChoices = public
        .call("finder_options", json!({ "prefecture": 13 }))
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
    assert!(!all.more);
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
        .call(
            "finder_search",
            json!({"query": {"prefecture": 13, "municipality": "", "vaccine": "", "status": "maybe"}}),
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
