//! 医療機関・接種会場の詳細 and 編集: the record, change requests and their approval by the
//! municipality, conflicts, scope, doctors, and the public finder (コロナワクチンナビ).

use crate::helpers::{spawn_app, Answer, TestApp, TestClient};
use app::api::{
    ChangeRequestView, DoctorList, DoctorRow, FinderChoices, FinderResult, HistoryPage, HistoryRow,
    RequestStatus, SiteRecordEdit, SiteRecordView, SiteSaved,
};
use app::domain::{DoctorForm, FieldChange, SiteForm};
use app::error::{AppError, FieldError, RefusalReason};
use chrono::Duration;
use serde_json::json;
use std::collections::BTreeSet;

/// 千代田区A病院: site-a's own site, imported with its name only.
const OWN_SITE: &str = "千代田区A病院";
/// 千代田区.
const CHIYODA: &str = "131016";

async fn app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

async fn load(client: &TestClient, site_id: i64) -> SiteRecordView {
    client
        .call("load_site_record", json!({ "site_id": site_id }))
        .await
        .ok()
}

/// Saves `record` against the version and record of `view` (what the form loaded).
async fn save(client: &TestClient, view: &SiteRecordView, record: SiteForm) -> Answer {
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

async fn decide(client: &TestClient, id: i64, approve: bool, comment: &str) -> Answer {
    client
        .call(
            "decide_change_request",
            json!({"decision": {"id": id, "approve": approve, "comment": comment}}),
        )
        .await
}

/// One page of 変更履歴: the newest rows, or those before the audit id `before_id`.
async fn history_page(client: &TestClient, site_id: i64, before_id: Option<i64>) -> HistoryPage {
    client
        .call(
            "site_history",
            json!({ "site_id": site_id, "before_id": before_id }),
        )
        .await
        .ok()
}

/// The whole 変更履歴, newest first, read page by page.
async fn history(client: &TestClient, site_id: i64) -> Vec<HistoryRow> {
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
fn completed(record: SiteForm) -> SiteForm {
    SiteForm {
        reservation_status: "available".into(),
        postal_code: "101-0021".into(),
        address: "外神田1-1-1".into(),
        vaccines: vec!["pfizer".into(), "moderna".into()],
        doctor_phone: "03-3251-1111".into(),
        doctor_name: "厚労 太郎".into(),
        doctor_kana: "こうろう たろう".into(),
        doctor_email: "taro@example.jp".into(),
        storage_affiliation: "薬剤部".into(),
        storage_phone: "03-3251-2222".into(),
        storage_name: "保管 花子".into(),
        general_public: "general".into(),
        ..record
    }
}

/// The municipality fills in the whole record of `site_id` (its changes apply at once).
async fn completed_by_municipality(municipality: &TestClient, site_id: i64) -> SiteRecordView {
    let view = load(municipality, site_id).await;
    let saved: SiteSaved = save(municipality, &view, completed(view.record.clone()))
        .await
        .ok();
    assert!(saved.requested.is_empty(), "{:?}", saved.requested);
    saved.view
}

fn fields(changes: &[FieldChange]) -> Vec<&str> {
    changes.iter().map(|c| c.field.as_str()).collect()
}

fn change(field: &str, old: &str, new: &str) -> FieldChange {
    FieldChange {
        field: field.into(),
        old: old.into(),
        new: new.into(),
    }
}

async fn pending_count(app: &TestApp) -> i64 {
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
            assert_eq!(view.record.reservation_status, "unregistered");
            assert_eq!(view.record.postal_code, "");
            assert!(view.doctors.is_empty());
            continue;
        }
        assert!(view.version > 1, "{name} was never written");
        let mut record = view.record.clone();
        if record.reservation_status == "unregistered" {
            never_set += 1;
            record.reservation_status = "available".into();
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
            if restricted { "restricted" } else { "general" },
            "{name}"
        );
        assert_eq!(record.is_hospital(), name.ends_with("A病院"), "{name}");
        if record.is_hospital() {
            assert!(!record.storage_name.is_empty(), "{name}");
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
    assert_eq!(view.record.reservation_status, "unregistered");
    let record = SiteForm {
        reservation_status: "unregistered".into(),
        parking: "10".into(),
        ..completed(view.record.clone())
    };
    let saved: SiteSaved = save(&site, &view, record).await.ok();
    assert_eq!(saved.view.record.parking, "10");
    assert_eq!(saved.view.record.reservation_status, "unregistered");
    assert!(fields(&saved.applied).contains(&"parking"));

    // Its municipality, acting for a clinic that never set a status (代理入力).
    let chiyoda = app.logged_in("chiyoda").await;
    let clinic = app.site_id("千代田区C診療所").await;
    let view = load(&chiyoda, clinic).await;
    assert_eq!(view.record.reservation_status, "unregistered");
    let record = SiteForm {
        parking: "25".into(),
        ..view.record.clone()
    };
    let saved: SiteSaved = save(&chiyoda, &view, record).await.ok();
    assert_eq!(fields(&saved.applied), ["parking"]);
    assert_eq!(load(&chiyoda, clinic).await.record.parking, "25");
}

#[tokio::test]
async fn a_sites_change_to_an_approval_field_waits_for_the_municipality_and_the_rest_applies_at_once(
) {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let site = app.logged_in("site-a").await;

    let before = load(&site, site_id).await;
    assert_eq!(before.version, 1);
    assert!(before.editable && !before.caller_approves);
    assert!(before.pending.is_none() && before.last_decided.is_none());
    let mut record = completed(before.record.clone());
    record.phone = "03-3251-0000".into();
    record.representative = "厚労 一郎".into();
    let audit_before = app.audit_count().await;
    let saved: SiteSaved = save(&site, &before, record).await.ok();
    // 代表者名, 取扱ワクチン and 一般受入 need approval; everything else applies at once.
    assert_eq!(
        fields(&saved.requested),
        ["representative", "vaccines", "general_public"]
    );
    assert!(saved.applied.contains(&change("phone", "", "03-3251-0000")));
    assert!(!fields(&saved.applied).contains(&"representative"));
    // One audit row per applied field and one for the request.
    assert_eq!(
        app.audit_count().await,
        audit_before + saved.applied.len() as i64 + 1
    );

    let live = load(&site, site_id).await;
    assert_eq!(live.version, 2);
    assert_eq!(live.record.phone, "03-3251-0000");
    assert_eq!(live.record.representative, "");
    assert!(live.record.vaccines.is_empty());
    assert!(live.reservation_updated_at.is_some());
    let pending = live.pending.clone().expect("a pending request");
    assert_eq!(pending.status, RequestStatus::Pending);
    assert_eq!(
        live.locked.get("representative"),
        Some(&FieldError::PendingApproval)
    );

    // The municipality lists it with the old and new values side by side.
    let chiyoda = app.logged_in("chiyoda").await;
    let requests: Vec<ChangeRequestView> = chiyoda
        .call("list_change_requests", json!({ "municipality": CHIYODA }))
        .await
        .ok();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.id, pending.id);
    assert_eq!(request.site.id, site_id);
    assert_eq!(request.requested_by.as_deref(), Some("病院 四郎"));
    assert!(request
        .changes
        .contains(&change("representative", "", "厚労 一郎")));
    assert!(request
        .changes
        .contains(&change("vaccines", "", "pfizer,moderna")));

    // 承認 with a comment: the whole request applies, the site is told by mail.
    let mail_before = app.last_mail_id().await;
    let audit_before = app.audit_count().await;
    let decided: ChangeRequestView = decide(&chiyoda, request.id, true, "確認しました")
        .await
        .ok();
    assert_eq!(decided.status, RequestStatus::Approved);
    assert_eq!(decided.decided_by.as_deref(), Some("千代田 二郎"));
    assert_eq!(decided.comment, "確認しました");
    assert_eq!(app.audit_count().await, audit_before + 3 + 1);

    let live = load(&site, site_id).await;
    assert_eq!(live.record.representative, "厚労 一郎");
    assert_eq!(live.record.vaccines, ["pfizer", "moderna"]);
    assert_eq!(live.record.general_public, "general");
    assert_eq!(live.record.phone, "03-3251-0000");
    assert_eq!(live.version, 3);
    assert!(live.pending.is_none());
    assert!(live.locked.is_empty(), "{:?}", live.locked);
    let last = live.last_decided.expect("the decided request");
    assert_eq!(
        (last.id, last.status, last.comment.as_str()),
        (request.id, RequestStatus::Approved, "確認しました")
    );
    let reloaded: ChangeRequestView = site
        .call("load_change_request", json!({ "id": request.id }))
        .await
        .ok();
    assert_eq!(reloaded.status, RequestStatus::Approved);
    let requests: Vec<ChangeRequestView> = chiyoda
        .call("list_change_requests", json!({ "municipality": CHIYODA }))
        .await
        .ok();
    assert!(requests.is_empty());

    let mail = app
        .wait_for_mail(&app.email_of("site-a").await, mail_before)
        .await;
    assert!(mail.subject.contains("承認されました"), "{}", mail.subject);
    assert!(mail.body.contains(OWN_SITE) && mail.body.contains("確認しました"));

    // The history names who changed what: the municipality for the approved fields, acting
    // for the site; the site itself for the fields it changed directly.
    let rows = history(&site, site_id).await;
    let representative = rows
        .iter()
        .find(|r| r.field == "representative")
        .expect("a history row for 代表者名");
    assert_eq!(representative.actor.as_deref(), Some("千代田 二郎"));
    assert_eq!(representative.acting_for.as_deref(), Some(OWN_SITE));
    assert_eq!(representative.new.as_deref(), Some("厚労 一郎"));
    let phone = rows.iter().find(|r| r.field == "phone").unwrap();
    assert_eq!(phone.actor.as_deref(), Some("病院 四郎"));
    assert_eq!(phone.acting_for, None);
    assert_eq!(phone.new.as_deref(), Some("03-3251-0000"));
    let decision = &rows[0];
    assert_eq!(decision.field, format!("request:{}", request.id));
    assert_eq!(decision.new.as_deref(), Some("approved: 確認しました"));
}

#[tokio::test]
async fn a_second_request_while_one_is_pending_is_refused_and_changes_nothing() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let chiyoda = app.logged_in("chiyoda").await;
    completed_by_municipality(&chiyoda, site_id).await;
    let site = app.logged_in("site-a").await;

    let view = load(&site, site_id).await;
    let mut record = view.record.clone();
    record.representative = "厚労 一郎".into();
    let saved: SiteSaved = save(&site, &view, record).await.ok();
    assert_eq!(fields(&saved.requested), ["representative"]);
    assert!(saved.applied.is_empty());

    // Another change to an approval field in the same save as a free one: the whole save is
    // refused, naming the locked field.
    let view = load(&site, site_id).await;
    let audit_before = app.audit_count().await;
    let mut record = view.record.clone();
    record.representative = "厚労 次郎".into();
    record.phone = "03-3251-9999".into();
    save(&site, &view, record)
        .await
        .assert_field_error("representative", FieldError::PendingApproval);
    let after = load(&site, site_id).await;
    assert_eq!(after.version, view.version);
    assert_eq!(after.record, view.record);
    assert_eq!(after.pending, view.pending);
    assert_eq!(pending_count(&app).await, 1);
    assert_eq!(app.audit_count().await, audit_before);

    // Without the locked field the save goes through and the request still waits.
    let mut record = view.record.clone();
    record.phone = "03-3251-9999".into();
    let saved: SiteSaved = save(&site, &view, record).await.ok();
    assert_eq!(fields(&saved.applied), ["phone"]);
    assert_eq!(saved.view.pending, view.pending);
    assert_eq!(app.audit_count().await, audit_before + 1);
}

#[tokio::test]
async fn an_approval_applies_everything_or_nothing() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let basic_x = app.site_id("千代田区Bクリニック").await;
    let basic_y = app.site_id("千代田区C診療所").await;
    let chiyoda = app.logged_in("chiyoda").await;
    completed_by_municipality(&chiyoda, site_id).await;
    let site = app.logged_in("site-a").await;

    // The site asks to change its representative and to become a satellite of X.
    let view = load(&site, site_id).await;
    assert!(view.basic_sites.iter().any(|s| s.id == basic_x));
    let mut record = view.record.clone();
    record.representative = "厚労 一郎".into();
    record.site_type = "satellite".into();
    record.basic_site_id = basic_x.to_string();
    let saved: SiteSaved = save(&site, &view, record).await.ok();
    assert_eq!(
        fields(&saved.requested),
        ["representative", "site_type", "basic_site_id"]
    );
    let request = saved.view.pending.expect("a pending request").id;

    // Meanwhile the municipality makes X a satellite itself (its change applies at once).
    let x = load(&chiyoda, basic_x).await;
    let mut record = x.record.clone();
    record.site_type = "satellite".into();
    record.basic_site_id = basic_y.to_string();
    let saved: SiteSaved = save(&chiyoda, &x, record).await.ok();
    assert_eq!(fields(&saved.applied), ["site_type", "basic_site_id"]);

    // Approving now would name a satellite as a basic site: refused, nothing applied.
    let audit_before = app.audit_count().await;
    let mail_before = app.last_mail_id().await;
    decide(&chiyoda, request, true, "")
        .await
        .assert_field_error("basic_site_id", FieldError::InvalidChoice);
    let live = load(&site, site_id).await;
    assert_eq!(live.record.representative, "");
    assert_eq!(live.record.site_type, "basic");
    assert_eq!(live.record.basic_site_id, "");
    assert_eq!(live.version, view.version);
    let still: ChangeRequestView = chiyoda
        .call("load_change_request", json!({ "id": request }))
        .await
        .ok();
    assert_eq!(still.status, RequestStatus::Pending);
    assert_eq!(still.decided_at, None);
    assert_eq!(app.audit_count().await, audit_before);
    assert_eq!(app.last_mail_id().await, mail_before);
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
    save(&site, &loaded_by_site, mine.clone())
        .await
        .assert_error(AppError::EditConflict(vec![change(
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
    record.general_public = "restricted".into();
    save(&municipality, &view, record).await.ok::<SiteSaved>();
    let after = search(CHIYODA, "", "").await;
    assert!(after.sites.iter().all(|s| s.id != b));
}

#[tokio::test]
async fn doctors_take_only_the_sites_vaccines_and_the_last_one_cannot_be_deleted() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    completed_by_municipality(&app.logged_in("chiyoda").await, site_id).await;
    let site = app.logged_in("site-a").await;
    let save_doctor = |doctor_id: Option<i64>, doctor: DoctorForm| {
        let body = json!({"save": {"site_id": site_id, "doctor_id": doctor_id, "doctor": doctor}});
        site.call("save_doctor", body)
    };
    let list = || async {
        site.call("load_doctors", json!({ "site_id": site_id }))
            .await
            .ok::<DoctorList>()
    };
    let empty = list().await;
    assert!(empty.doctors.is_empty());
    let offered: Vec<&str> = empty
        .site_vaccines
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(offered, ["pfizer", "moderna"]);

    let audit_before = app.audit_count().await;
    let first: DoctorRow = save_doctor(
        None,
        DoctorForm {
            name: "厚労 太郎".into(),
            kana: "こうろう　たろう".into(),
            vaccines: vec!["pfizer".into()],
            ..DoctorForm::default()
        },
    )
    .await
    .ok();
    assert_eq!(first.doctor.kana, "こうろう たろう");
    let second: DoctorRow = save_doctor(
        None,
        DoctorForm {
            name: "厚労 花子".into(),
            kana: "こうろう はなこ".into(),
            phone: "03-3251-3333".into(),
            vaccines: vec!["moderna".into(), "pfizer".into()],
            ..DoctorForm::default()
        },
    )
    .await
    .ok();
    assert_eq!(second.doctor.vaccines, ["pfizer", "moderna"]);
    // One audit row per field given: name, kana, vaccines; name, kana, phone, vaccines.
    let audit_added = app.audit_count().await;
    assert_eq!(audit_added, audit_before + 7);

    let mut edited = first.doctor.clone();
    edited.phone = "03-3251-4444".into();
    let row: DoctorRow = save_doctor(Some(first.id), edited.clone()).await.ok();
    assert_eq!(row.id, first.id);
    assert_eq!(app.audit_count().await, audit_added + 1);

    // A vaccine the site does not handle is refused.
    let mut outside = edited.clone();
    outside.vaccines = vec!["astrazeneca".into()];
    save_doctor(Some(first.id), outside.clone())
        .await
        .assert_field_error("vaccines", FieldError::VaccineNotHandled);
    save_doctor(None, outside)
        .await
        .assert_field_error("vaccines", FieldError::VaccineNotHandled);
    let doctors = list().await.doctors;
    assert_eq!(doctors.len(), 2);
    assert_eq!(doctors[0].doctor, edited);

    // Down to the last doctor, who stays.
    let audit_before = app.audit_count().await;
    site.call(
        "delete_doctor",
        json!({"site_id": site_id, "doctor_id": first.id}),
    )
    .await
    .ok::<()>();
    assert_eq!(app.audit_count().await, audit_before + 1);
    site.call(
        "delete_doctor",
        json!({"site_id": site_id, "doctor_id": second.id}),
    )
    .await
    .assert_error(AppError::Refused(RefusalReason::LastDoctor));
    site.call(
        "delete_doctor",
        json!({"site_id": site_id, "doctor_id": first.id}),
    )
    .await
    .assert_error(AppError::NotFound);
    let doctors = list().await.doctors;
    assert_eq!(doctors.len(), 1);
    assert_eq!(doctors[0].id, second.id);
    assert_eq!(app.audit_count().await, audit_before + 1);
}

#[tokio::test]
async fn a_rejection_needs_a_comment_and_a_decided_request_cannot_be_decided_again() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let chiyoda = app.logged_in("chiyoda").await;
    completed_by_municipality(&chiyoda, site_id).await;
    let site = app.logged_in("site-a").await;
    let view = load(&site, site_id).await;
    let mut record = view.record.clone();
    record.representative = "厚労 一郎".into();
    let saved: SiteSaved = save(&site, &view, record).await.ok();
    let request = saved.view.pending.unwrap().id;

    let audit_before = app.audit_count().await;
    decide(&chiyoda, request, false, "  ")
        .await
        .assert_field_error("comment", FieldError::Required);
    assert_eq!(app.audit_count().await, audit_before);
    assert_eq!(pending_count(&app).await, 1);

    let mail_before = app.last_mail_id().await;
    let rejected: ChangeRequestView =
        decide(&chiyoda, request, false, "氏名の表記を確認してください")
            .await
            .ok();
    assert_eq!(rejected.status, RequestStatus::Rejected);
    assert_eq!(rejected.comment, "氏名の表記を確認してください");
    assert_eq!(app.audit_count().await, audit_before + 1);
    let mail = app
        .wait_for_mail(&app.email_of("site-a").await, mail_before)
        .await;
    assert!(mail.subject.contains("却下されました"), "{}", mail.subject);
    assert!(mail.body.contains("氏名の表記を確認してください"));
    let live = load(&site, site_id).await;
    assert_eq!(live.record.representative, "");
    assert!(live.pending.is_none());
    assert_eq!(
        live.last_decided.map(|r| (r.status, r.comment)),
        Some((
            RequestStatus::Rejected,
            "氏名の表記を確認してください".to_string()
        ))
    );

    // Decided once: neither approval nor another rejection changes it.
    decide(&chiyoda, request, true, "")
        .await
        .assert_error(AppError::Refused(RefusalReason::AlreadyDecided));
    decide(&chiyoda, request, false, "やはり却下")
        .await
        .assert_error(AppError::Refused(RefusalReason::AlreadyDecided));
    let still: ChangeRequestView = site
        .call("load_change_request", json!({ "id": request }))
        .await
        .ok();
    assert_eq!(still.status, RequestStatus::Rejected);
    assert_eq!(still.comment, "氏名の表記を確認してください");
    assert_eq!(load(&site, site_id).await.record.representative, "");
    assert_eq!(app.audit_count().await, audit_before + 1);
}

#[tokio::test]
async fn approved_new_codes_cannot_be_changed_afterwards() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let chiyoda = app.logged_in("chiyoda").await;
    completed_by_municipality(&chiyoda, site_id).await;
    let site = app.logged_in("site-a").await;
    let view = load(&site, site_id).await;
    assert!(!view.locked.contains_key("insurance_code_new"));
    let mut record = view.record.clone();
    record.insurance_code_new = "1312345678".into();
    record.code_change_date = "2026/06/01".into();
    let saved: SiteSaved = save(&site, &view, record).await.ok();
    assert_eq!(
        fields(&saved.requested),
        ["insurance_code_new", "code_change_date"]
    );
    assert!(saved
        .requested
        .contains(&change("code_change_date", "", "2026-06-01")));
    let request = saved.view.pending.unwrap().id;
    decide(&chiyoda, request, true, "")
        .await
        .ok::<ChangeRequestView>();

    let live = load(&site, site_id).await;
    assert_eq!(live.record.insurance_code_new, "1312345678");
    assert_eq!(live.record.code_change_date, "2026-06-01");
    assert_eq!(
        live.locked.get("insurance_code_new"),
        Some(&FieldError::LockedAfterApproval)
    );
    let audit_before = app.audit_count().await;
    let mut record = live.record.clone();
    record.insurance_code_new = "1398765432".into();
    save(&site, &live, record.clone())
        .await
        .assert_field_error("insurance_code_new", FieldError::LockedAfterApproval);
    // Not even the municipality, whose own changes apply at once.
    let theirs = load(&chiyoda, site_id).await;
    save(&chiyoda, &theirs, record)
        .await
        .assert_field_error("insurance_code_new", FieldError::LockedAfterApproval);
    let mut record = theirs.record.clone();
    record.code_change_date = "2026-07-01".into();
    save(&chiyoda, &theirs, record)
        .await
        .assert_field_error("code_change_date", FieldError::LockedAfterApproval);
    let after = load(&site, site_id).await;
    assert_eq!(after.record.insurance_code_new, "1312345678");
    assert_eq!(after.version, live.version);
    assert_eq!(app.audit_count().await, audit_before);
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

#[tokio::test]
async fn the_doctor_form_names_the_vaccines_that_await_approval() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let site = app.logged_in("site-a").await;
    let view = load(&site, site_id).await;
    let saved: SiteSaved = save(&site, &view, completed(view.record.clone()))
        .await
        .ok();
    assert!(fields(&saved.requested).contains(&"vaccines"));
    let codes = |choices: &[app::api::Choice]| -> BTreeSet<String> {
        choices.iter().map(|c| c.value.clone()).collect()
    };
    let both: BTreeSet<String> = ["pfizer".to_string(), "moderna".to_string()].into();

    let list: DoctorList = site
        .call("load_doctors", json!({ "site_id": site_id }))
        .await
        .ok();
    assert!(list.site_vaccines.is_empty(), "{:?}", list.site_vaccines);
    assert_eq!(codes(&list.pending_vaccines), both);
    assert!(list.pending_vaccines.iter().all(|v| !v.label.is_empty()));

    // Once approved they are the site's, and nothing waits.
    let chiyoda = app.logged_in("chiyoda").await;
    let request = saved.view.pending.expect("a pending request").id;
    let _: ChangeRequestView = decide(&chiyoda, request, true, "").await.ok();
    let list: DoctorList = site
        .call("load_doctors", json!({ "site_id": site_id }))
        .await
        .ok();
    assert_eq!(codes(&list.site_vaccines), both);
    assert!(list.pending_vaccines.is_empty());
}

#[tokio::test]
async fn simultaneous_first_requests_of_one_site_give_one_request_and_field_errors_never_a_500() {
    let app = app().await;
    let site_id = app.site_id(OWN_SITE).await;
    let chiyoda = app.logged_in("chiyoda").await;
    completed_by_municipality(&chiyoda, site_id).await;
    let site = app.logged_in("site-a").await;
    let view = load(&site, site_id).await;
    // Twelve taps of 申請・保存 at once (tablets, two tabs): each asks to change 代表者名.
    let answers = futures::future::join_all((0..12).map(|i| {
        let mut record = view.record.clone();
        record.representative = format!("厚労 {i}郎");
        save(&site, &view, record)
    }))
    .await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        1,
        "{statuses:?}"
    );
    for answer in answers.iter().filter(|a| a.status.as_u16() != 200) {
        answer.assert_field_error("representative", FieldError::PendingApproval);
    }
    assert_eq!(pending_count(&app).await, 1);
}
