//! 医療機関・接種会場の詳細 and 編集: the record, conflicts, scope and history; and the helpers
//! the change request, doctor and finder tests share.

use crate::helpers::{spawn_app, Answer, TestApp, TestClient};
use app::api::{
    ChangeRequestView, HistoryPage, HistoryRow, SiteRecordEdit, SiteRecordView, SiteSaved,
};
use app::domain::{Contact, FieldChange, Form, GeneralPublic, ReservationStatus, SiteForm};
use app::error::AppError;
use serde_json::json;
use std::collections::BTreeSet;

/// 千代田区A病院: site-a's own site, imported with its name only.
pub(crate) const OWN_SITE: &str = "千代田区A病院";
/// 千代田区.
pub(crate) const CHIYODA: &str = "131016";

pub(crate) async fn app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

pub(crate) async fn load(client: &TestClient, site_id: i64) -> SiteRecordView {
    client
        .call("load_site_record", json!({ "site_id": site_id }))
        .await
        .ok()
}

/// Saves `record` against the version and record of `view` (what the form loaded).
pub(crate) async fn save(client: &TestClient, view: &SiteRecordView, record: SiteForm) -> Answer {
    let edit = SiteRecordEdit {
        site_id: view.site.id,
        version: view.version,
        base: view.record.clone(),
        record,
    };
    client
        .call("save_site_record", json!({ "save": edit }))
        .await
}

pub(crate) async fn decide(client: &TestClient, id: i64, approve: bool, comment: &str) -> Answer {
    client
        .call(
            "decide_change_request",
            json!({"decision": {"id": id, "approve": approve, "comment": comment}}),
        )
        .await
}

/// One page of 変更履歴: the newest rows, or those before the audit id `before_id`.
pub(crate) async fn history_page(
    client: &TestClient,
    site_id: i64,
    before_id: Option<i64>,
) -> HistoryPage {
    client
        .call(
            "site_history",
            json!({ "site_id": site_id, "before_id": before_id }),
        )
        .await
        .ok()
}

/// The whole 変更履歴, newest first, read page by page.
pub(crate) async fn history(client: &TestClient, site_id: i64) -> Vec<HistoryRow> {
    let mut rows = Vec::new();
    let mut before_id = None;
    loop {
        let page = history_page(client, site_id, before_id).await;
        rows.extend(page.rows);
        match page.next_before {
            Some(next) => before_id = Some(next),
            None => return rows,
        }
    }
}

/// `record` with every field a hospital must fill, valid and already in its stored form.
pub(crate) fn completed(record: SiteForm) -> SiteForm {
    SiteForm {
        reservation_status: Some(ReservationStatus::Available),
        postal_code: "101-0021".into(),
        address: "外神田1-1-1".into(),
        vaccines: vec!["pfizer".into(), "moderna".into()],
        doctor_phone: "03-3251-1111".into(),
        doctor_name: "厚労 太郎".into(),
        doctor_kana: "こうろう たろう".into(),
        doctor_email: "taro@example.jp".into(),
        storage: Contact {
            affiliation: "薬剤部".into(),
            phone: "03-3251-2222".into(),
            name: "保管 花子".into(),
            email: String::new(),
        },
        general_public: Some(GeneralPublic::General),
        ..record
    }
}

/// The municipality fills in the whole record of `site_id` (its changes apply at once).
pub(crate) async fn completed_by_municipality(
    municipality: &TestClient,
    site_id: i64,
) -> SiteRecordView {
    let view = load(municipality, site_id).await;
    let saved: SiteSaved = save(municipality, &view, completed(view.record.clone()))
        .await
        .ok();
    assert!(saved.requested.is_empty(), "{:?}", saved.requested);
    saved.view
}

pub(crate) fn fields(changes: &[FieldChange]) -> Vec<&str> {
    changes.iter().map(|c| c.field.as_str()).collect()
}

pub(crate) fn change(field: &str, old: &str, new: &str) -> FieldChange {
    FieldChange {
        field: field.into(),
        old: old.into(),
        new: new.into(),
    }
}

pub(crate) async fn pending_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM change_requests WHERE status = 'pending'")
        .fetch_one(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_demo_sites_have_complete_records_and_a_doctor_except_site_as_own_site() {
    let app = app().await;
    let national = app.logged_in("mhlw").await;
    let ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM sites ORDER BY id")
        .fetch_all(app.db())
        .await
        .unwrap();
    assert_eq!(ids.len(), 50);
    let mut never_set = 0;
    let mut with_english_name = 0;
    let mut vaccines = BTreeSet::new();
    for (id, name) in ids {
        let view = load(&national, id).await;
        if name == OWN_SITE {
            // The first login of site-a walks this site through STEP 2–4: it stays as imported.
            assert_eq!(view.version, 1);
            assert_eq!(
                view.record.reservation_status,
                Some(ReservationStatus::Unregistered)
            );
            assert_eq!(view.record.postal_code, "");
            assert!(view.doctors.is_empty());
            continue;
        }
        assert!(view.version > 1, "{name} was never written");
        let mut record = view.record.clone();
        if record.reservation_status == Some(ReservationStatus::Unregistered) {
            never_set += 1;
            record.reservation_status = Some(ReservationStatus::Available);
        }
        // Valid exactly as stored (validation would change nothing).
        assert_eq!(view.validate(&record), Ok(record.clone()), "{name}");
        assert_eq!(view.doctors.len(), 1, "{name}");
        let doctor = &view.doctors[0].doctor;
        assert!(doctor.vaccines.iter().all(|v| record.vaccines.contains(v)));
        assert!(!doctor.kana.is_empty());
        let restricted = name.ends_with("C診療所");
        assert_eq!(
            record.general_public,
            Some(if restricted {
                GeneralPublic::Restricted
            } else {
                GeneralPublic::General
            }),
            "{name}"
        );
        assert_eq!(record.is_hospital(), name.ends_with("A病院"), "{name}");
        if record.is_hospital() {
            assert!(!record.storage.name.is_empty(), "{name}");
        }
        assert!(!record.name_kana.is_empty() && !record.hours_en.is_empty());
        with_english_name += usize::from(!record.name_en.is_empty());
        vaccines.extend(record.vaccines.clone());
    }
    // Every C診療所 and half the E接種会場 never set a status.
    assert_eq!(never_set, 15);
    assert!(
        (15..=30).contains(&with_english_name),
        "{with_english_name}"
    );
    assert_eq!(vaccines.len(), 3);
}

#[tokio::test]
async fn a_site_whose_status_is_unregistered_saves_its_parking_by_itself_and_by_its_municipality() {
    let app = app().await;
    // The site itself, filling in its imported record but not ready to announce a status.
    let site = app.logged_in("site-a").await;
    let own = app.site_id(OWN_SITE).await;
    let view = load(&site, own).await;
    assert_eq!(
        view.record.reservation_status,
        Some(ReservationStatus::Unregistered)
    );
    let record = SiteForm {
        reservation_status: Some(ReservationStatus::Unregistered),
        parking: "10".into(),
        ..completed(view.record.clone())
    };
    let saved: SiteSaved = save(&site, &view, record).await.ok();
    assert_eq!(saved.view.record.parking, "10");
    assert_eq!(
        saved.view.record.reservation_status,
        Some(ReservationStatus::Unregistered)
    );
    assert!(fields(&saved.applied).contains(&"parking"));

    // Its municipality, acting for a clinic that never set a status (代理入力).
    let chiyoda = app.logged_in("chiyoda").await;
    let clinic = app.site_id("千代田区C診療所").await;
    let view = load(&chiyoda, clinic).await;
    assert_eq!(
        view.record.reservation_status,
        Some(ReservationStatus::Unregistered)
    );
    let record = SiteForm {
        parking: "25".into(),
        ..view.record.clone()
    };
    let saved: SiteSaved = save(&chiyoda, &view, record).await.ok();
    assert_eq!(fields(&saved.applied), ["parking"]);
    assert_eq!(load(&chiyoda, clinic).await.record.parking, "25");
}

#[tokio::test]
async fn a_save_against_an_old_version_is_refused_naming_what_changed_since() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let chiyoda = app.logged_in("chiyoda").await;
    completed_by_municipality(&chiyoda, site_id).await;
    let site = app.logged_in("site-a").await;

    let loaded_by_site = load(&site, site_id).await;
    let theirs = load(&chiyoda, site_id).await;
    assert_eq!(theirs.version, loaded_by_site.version);
    let mut record = theirs.record.clone();
    record.hours = "月〜金 9:00〜17:00".into();
    let saved: SiteSaved = save(&chiyoda, &theirs, record).await.ok();
    assert_eq!(saved.view.version, loaded_by_site.version + 1);

    let audit_before = app.audit_count().await;
    let mut mine = loaded_by_site.record.clone();
    mine.phone = "03-3251-0000".into();
    let conflict = save(&site, &loaded_by_site, mine.clone()).await;
    assert_eq!(conflict.status.as_u16(), 409, "{}", conflict.body);
    conflict.assert_error(AppError::EditConflict(vec![change(
        "hours",
        "",
        "月〜金 9:00〜17:00",
    )]));
    let live = load(&site, site_id).await;
    assert_eq!(live.version, loaded_by_site.version + 1);
    assert_eq!(live.record.phone, "");
    assert_eq!(live.record.hours, "月〜金 9:00〜17:00");
    assert_eq!(app.audit_count().await, audit_before);

    // Merged onto the latest record, the site's change goes through and keeps theirs.
    let merged = mine.rebased(&loaded_by_site.record, &live.record);
    let saved: SiteSaved = save(&site, &live, merged).await.ok();
    assert_eq!(fields(&saved.applied), ["phone"]);
    assert_eq!(saved.view.record.hours, "月〜金 9:00〜17:00");
}

#[tokio::test]
async fn a_site_reaches_only_its_own_record_and_a_municipality_only_its_own_sites_requests() {
    let app = app().await;
    let own = app.site_id(OWN_SITE).await;
    let minato_site = app.site_id("港区A病院").await;
    let neighbour = app.site_id("千代田区Bクリニック").await;
    let minato_doctor: i64 = sqlx::query_scalar("SELECT id FROM doctors WHERE site_id = $1")
        .bind(minato_site)
        .fetch_one(app.db())
        .await
        .unwrap();
    let site = app.logged_in("site-a").await;
    let chiyoda = app.logged_in("chiyoda").await;
    let national = app.logged_in("mhlw").await;
    let audit_before = app.audit_count().await;
    for other in [minato_site, neighbour] {
        let view = load(&national, other).await;
        let calls = [
            ("load_site_record", json!({ "site_id": other })),
            ("site_history", json!({ "site_id": other })),
            ("load_doctors", json!({ "site_id": other })),
            (
                "save_site_record",
                json!({"save": {"site_id": other, "version": view.version,
                    "base": view.record, "record": view.record}}),
            ),
            (
                "save_doctor",
                json!({"save": {"site_id": other, "doctor_id": null,
                    "doctor": {"name": "厚労 太郎", "kana": "こうろう たろう"}}}),
            ),
            (
                "delete_doctor",
                json!({"site_id": other, "doctor_id": minato_doctor}),
            ),
        ];
        for (function, args) in calls {
            site.call(function, args)
                .await
                .assert_error(AppError::Forbidden);
        }
    }
    let doctors: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doctors WHERE site_id = $1")
        .bind(minato_site)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(doctors, 1);
    assert_eq!(app.audit_count().await, audit_before);

    // A request of a 千代田区 site is out of 港区's reach.
    completed_by_municipality(&chiyoda, own).await;
    let view = load(&site, own).await;
    let mut record = view.record.clone();
    record.representative = "厚労 一郎".into();
    let saved: SiteSaved = save(&site, &view, record).await.ok();
    let request = saved.view.pending.unwrap().id;
    let minato = app.logged_in("minato").await;
    let audit_before_minato = app.audit_count().await;
    minato
        .call("list_change_requests", json!({ "municipality": CHIYODA }))
        .await
        .assert_error(AppError::Forbidden);
    minato
        .call("load_change_request", json!({ "id": request }))
        .await
        .assert_error(AppError::Forbidden);
    decide(&minato, request, true, "")
        .await
        .assert_error(AppError::Forbidden);
    decide(&minato, request, false, "却下")
        .await
        .assert_error(AppError::Forbidden);
    minato
        .call("load_site_record", json!({ "site_id": own }))
        .await
        .assert_error(AppError::Forbidden);
    let own_requests: Vec<ChangeRequestView> = minato
        .call("list_change_requests", json!({"municipality": "131032"}))
        .await
        .ok();
    assert!(own_requests.is_empty());
    // The site itself may read its request but not decide it.
    site.call("load_change_request", json!({ "id": request }))
        .await
        .ok::<ChangeRequestView>();
    decide(&site, request, true, "")
        .await
        .assert_error(AppError::Forbidden);
    assert_eq!(app.audit_count().await, audit_before_minato);
    assert_eq!(pending_count(&app).await, 1);
}

#[tokio::test]
async fn the_history_comes_in_pages_of_twenty_newest_first_without_gaps_or_repeats() {
    let app = app().await;
    let site_id = app.site_id("千代田区Bクリニック").await;
    let chiyoda = app.logged_in("chiyoda").await;
    let earlier: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'site' AND entity_id = $1",
    )
    .bind(site_id.to_string())
    .fetch_one(app.db())
    .await
    .unwrap();
    // 45 changes of 駐車場, each applied at once.
    for parking in 1..=45 {
        let view = load(&chiyoda, site_id).await;
        let record = SiteForm {
            parking: parking.to_string(),
            ..view.record.clone()
        };
        let saved: SiteSaved = save(&chiyoda, &view, record).await.ok();
        assert_eq!(fields(&saved.applied), ["parking"]);
    }

    let mut sizes = Vec::new();
    let mut rows: Vec<HistoryRow> = Vec::new();
    let mut before_id = None;
    loop {
        let page = history_page(&chiyoda, site_id, before_id).await;
        sizes.push(page.rows.len());
        if let Some(next) = page.next_before {
            assert_eq!(Some(next), page.rows.last().map(|r| r.id));
        }
        rows.extend(page.rows);
        match page.next_before {
            Some(next) => before_id = Some(next),
            None => break,
        }
    }
    let total = usize::try_from(earlier).unwrap() + 45;
    let mut expected = vec![20; total / 20];
    if total % 20 != 0 {
        expected.push(total % 20);
    }
    assert_eq!(sizes, expected);
    assert!(sizes.len() >= 3, "{sizes:?}");
    // Newest first, each row once.
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    let newest: Vec<(&str, Option<&str>)> = rows[..45]
        .iter()
        .map(|r| (r.field.as_str(), r.new.as_deref()))
        .collect();
    let written: Vec<String> = (1..=45).rev().map(|n| n.to_string()).collect();
    let expected_newest: Vec<(&str, Option<&str>)> = written
        .iter()
        .map(|n| ("parking", Some(n.as_str())))
        .collect();
    assert_eq!(newest, expected_newest);

    // A page past the end is empty, and paging does not widen the scope.
    let last = *ids.last().unwrap();
    let past = history_page(&chiyoda, site_id, Some(last)).await;
    assert!(past.rows.is_empty() && past.next_before.is_none());
    let site = app.logged_in("site-a").await;
    site.call(
        "site_history",
        json!({ "site_id": site_id, "before_id": ids[20] }),
    )
    .await
    .assert_error(AppError::Forbidden);
    let minato = app.logged_in("minato").await;
    minato
        .call(
            "site_history",
            json!({ "site_id": site_id, "before_id": null }),
        )
        .await
        .assert_error(AppError::Forbidden);
}
