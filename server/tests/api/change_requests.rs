//! 情報変更申請: a site's change to a field that needs approval waits for its municipality,
//! which approves (everything or nothing) or rejects it with a comment.

use crate::site_record::{
    app, change, completed, completed_by_municipality, decide, fields, history, load,
    pending_count, save, CHIYODA, OWN_SITE,
};
use app::api::{ChangeRequestView, RequestStatus, SiteSaved};
use app::domain::{GeneralPublic, SiteType};
use app::error::{AppError, FieldError, RefusalReason};
use serde_json::json;

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
    assert_eq!(live.record.general_public, Some(GeneralPublic::General));
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
    record.site_type = Some(SiteType::Satellite);
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
    record.site_type = Some(SiteType::Satellite);
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
    assert_eq!(live.record.site_type, Some(SiteType::Basic));
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
