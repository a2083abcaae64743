//! 予約の受付情報: who may set a site's status, the time stamp and audit, and the municipality's
//! overview with its 未登録 sites.

use crate::helpers::{spawn_app, TestApp};
use app::api::{AuditRow, ReservationState, ReservationSummary};
use app::domain::ReservationStatus;
use app::error::AppError;
use serde_json::json;

async fn app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

fn count(summary: &ReservationSummary, status: ReservationStatus) -> i64 {
    summary
        .counts
        .iter()
        .find(|(s, _)| *s == status)
        .map(|(_, n)| *n)
        .unwrap()
}

#[tokio::test]
async fn a_site_sets_its_own_status_time_stamped_and_audited_but_never_another_sites() {
    let app = app().await;
    let own = app.site_id("千代田区A病院").await;
    let other = app.site_id("千代田区Bクリニック").await;
    let site = app.logged_in("site-a").await;

    let before: ReservationState = site
        .call("reservation_state", json!({"site_id": own}))
        .await
        .ok();
    assert_eq!(before.status, ReservationStatus::Unregistered);
    assert_eq!(before.updated_at, None);

    let audit_before = app.audit_count().await;
    let after: ReservationState = site
        .call(
            "set_reservation_status",
            json!({"site_id": own, "status": "Available"}),
        )
        .await
        .ok();
    assert_eq!(after.status, ReservationStatus::Available);
    assert_eq!(
        after.updated_at,
        Some(server::clock::to_jst_rfc3339(app.now()))
    );
    assert_eq!(app.audit_count().await, audit_before + 1);

    // 未登録 is one of the five statuses (SPEC §4): a site not ready to announce one goes back to it.
    let back: ReservationState = site
        .call(
            "set_reservation_status",
            json!({"site_id": own, "status": "Unregistered"}),
        )
        .await
        .ok();
    assert_eq!(back.status, ReservationStatus::Unregistered);
    assert_eq!(app.audit_count().await, audit_before + 2);
    // A status that is none of the five is still refused.
    let unknown = site
        .call(
            "set_reservation_status",
            json!({"site_id": own, "status": "Maybe"}),
        )
        .await;
    assert!(unknown.status.is_client_error(), "{unknown:?}");
    // Another site of the same municipality is out of reach, for reading and for writing.
    site.call("reservation_state", json!({"site_id": other}))
        .await
        .assert_error(AppError::Forbidden);
    site.call(
        "set_reservation_status",
        json!({"site_id": other, "status": "Full"}),
    )
    .await
    .assert_error(AppError::Forbidden);
    let untouched: String =
        sqlx::query_scalar("SELECT reservation_status FROM sites WHERE id = $1")
            .bind(other)
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(untouched, "full", "as the demo data set it");
}

#[tokio::test]
async fn the_municipality_counts_its_sites_by_status_lists_the_unregistered_and_may_set_for_a_site()
{
    let app = app().await;
    let a = app.site_id("千代田区A病院").await;
    let b = app.site_id("千代田区Bクリニック").await;
    let site = app.logged_in("site-a").await;
    site.call(
        "set_reservation_status",
        json!({"site_id": a, "status": "Available"}),
    )
    .await
    .ok::<ReservationState>();

    let chiyoda = app.logged_in("chiyoda").await;
    // 代理入力 needs no setting: the municipality sets a status for its site directly, and the
    // audit log records that it acted for that site.
    chiyoda
        .call(
            "set_reservation_status",
            json!({"site_id": b, "status": "NotRequired"}),
        )
        .await
        .ok::<ReservationState>();
    let audit: Vec<AuditRow> = app
        .logged_in("admin")
        .await
        .call(
            "list_audit",
            json!({"query": {"entity": "site", "text": "", "before_id": null}}),
        )
        .await
        .ok();
    let row = audit
        .iter()
        .find(|r| r.field == "reservation_status" && r.entity_id == b.to_string())
        .unwrap();
    assert_eq!(row.actor.as_deref(), Some("chiyoda"));
    assert_eq!(row.acting_for.as_deref(), Some("千代田区Bクリニック"));
    assert_eq!(row.old_value.as_deref(), Some("full"));
    assert_eq!(row.new_value.as_deref(), Some("not_required"));

    let summary: ReservationSummary = chiyoda
        .call("reservation_summary", json!({"municipality": "131016"}))
        .await
        .ok();
    assert_eq!(summary.counts.len(), 5);
    // The demo data set D接種会場 available and B full; C and E never set a status.
    assert_eq!(count(&summary, ReservationStatus::Available), 2);
    assert_eq!(count(&summary, ReservationStatus::NotRequired), 1);
    assert_eq!(count(&summary, ReservationStatus::Full), 0);
    assert_eq!(count(&summary, ReservationStatus::Unregistered), 2);
    let names: Vec<&str> = summary
        .unregistered
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["千代田区C診療所", "千代田区E接種会場"]);

    // The neighbouring municipality sees neither the overview nor the sites.
    let minato = app.logged_in("minato").await;
    minato
        .call("reservation_summary", json!({"municipality": "131016"}))
        .await
        .assert_error(AppError::Forbidden);
    minato
        .call(
            "set_reservation_status",
            json!({"site_id": a, "status": "Full"}),
        )
        .await
        .assert_error(AppError::Forbidden);
    // The prefecture reads the overview of its municipalities but does not set statuses.
    let tokyo = app.logged_in("tokyo").await;
    tokyo
        .call("reservation_summary", json!({"municipality": "131016"}))
        .await
        .ok::<ReservationSummary>();
    tokyo
        .call(
            "set_reservation_status",
            json!({"site_id": a, "status": "Full"}),
        )
        .await
        .assert_error(AppError::Forbidden);
}
