//! 医師情報: a site's doctors, the vaccines they may take, and the last one that stays.

use crate::site_record::{
    app, completed, completed_by_municipality, decide, fields, load, save, OWN_SITE,
};
use app::api::{ChangeRequestView, DoctorList, DoctorRow, SiteSaved};
use app::domain::DoctorForm;
use app::error::{AppError, FieldError, RefusalReason};
use serde_json::json;
use std::collections::BTreeSet;

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
