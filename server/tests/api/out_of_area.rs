//! 住所地外接種 (R300): 千代田区 registers and decides applications of people living elsewhere;
//! the municipality of residence (港区) reads its residents' without the phone number; no other
//! role reads them.

use crate::site_record::{app, CHIYODA};
use app::api::OutOfAreaList;
use app::domain::{ApplicationStatus, DecisionForm, OutOfAreaFilter, OutOfAreaForm};
use app::error::{AppError, FieldError};
use serde_json::json;

/// 港区.
const MINATO: &str = "131032";

fn application(name: &str, received_on: &str) -> OutOfAreaForm {
    OutOfAreaForm {
        applicant_name: name.into(),
        birth_date: "1948-02-03".into(),
        phone: "090-1111-2222".into(),
        residence: MINATO.into(),
        reason: "hospitalised".into(),
        reason_note: String::new(),
        received_on: received_on.into(),
    }
}

fn all() -> OutOfAreaFilter {
    OutOfAreaFilter::default()
}

#[tokio::test]
async fn the_municipality_registers_and_decides_and_the_residence_reads_without_the_phone() {
    let app = app().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let audit_before = app.audit_count().await;
    let listed: OutOfAreaList = chiyoda
        .call(
            "register_out_of_area",
            json!({"municipality": CHIYODA, "form": application("入院 一郎", "2026-03-30")}),
        )
        .await
        .ok();
    chiyoda
        .call(
            "register_out_of_area",
            json!({"municipality": CHIYODA, "form": application("里帰 花子", "2026-04-01")}),
        )
        .await
        .ok::<OutOfAreaList>();
    assert_eq!(app.audit_count().await, audit_before + 2);
    let first = &listed.registered[0];
    assert_eq!(first.status, ApplicationStatus::Received);
    assert_eq!(first.residence, "東京都港区");
    assert_eq!(first.phone.as_deref(), Some("090-1111-2222"));

    // 却下 needs its reason; 受理 is recorded.
    chiyoda
        .call(
            "decide_out_of_area",
            json!({"id": first.id, "decision": DecisionForm { status: "rejected".into(), rejection_reason: "".into() }}),
        )
        .await
        .assert_field_error("rejection_reason", FieldError::Required);
    let decided: OutOfAreaList = chiyoda
        .call(
            "decide_out_of_area",
            json!({"id": first.id, "decision": DecisionForm { status: "rejected".into(), rejection_reason: "住所地で接種可能".into() }}),
        )
        .await
        .ok();
    let rejected = decided
        .registered
        .iter()
        .find(|r| r.id == first.id)
        .unwrap();
    assert_eq!(rejected.status, ApplicationStatus::Rejected);
    assert_eq!(rejected.rejection_reason, "住所地で接種可能");

    // Filters: by status and by the period of 受付日.
    let filtered: OutOfAreaList = chiyoda
        .call(
            "load_out_of_area",
            json!({"municipality": CHIYODA, "filter": OutOfAreaFilter { status: "received".into(), from: "2026-03-31".into(), until: "".into() }}),
        )
        .await
        .ok();
    assert_eq!(filtered.registered.len(), 1);
    assert_eq!(filtered.registered[0].applicant_name, "里帰 花子");

    // 港区 reads its residents' applications, without the phone number, and cannot decide them.
    let minato = app.logged_in("minato").await;
    let reads_before = app.audit_count().await;
    let residents: OutOfAreaList = minato
        .call(
            "load_out_of_area",
            json!({"municipality": MINATO, "filter": all()}),
        )
        .await
        .ok();
    assert_eq!(residents.residents.len(), 2);
    assert!(residents.residents.iter().all(|r| r.phone.is_none()));
    assert!(residents.registered.is_empty());
    // Each read of these personal data is on the audit log, with who read whose.
    assert_eq!(app.audit_count().await, reads_before + 1);
    let (field, entity_id): (String, String) =
        sqlx::query_as("SELECT field, entity_id FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!((field.as_str(), entity_id.as_str()), ("list_read", MINATO));
    minato
        .call(
            "decide_out_of_area",
            json!({"id": first.id, "decision": DecisionForm { status: "accepted".into(), rejection_reason: "".into() }}),
        )
        .await
        .assert_error(AppError::Forbidden);
    // Nobody else reads them: not 千代田区's sites, not 東京都, not 国, not the supplier.
    for stranger in ["site-a", "tokyo", "mhlw", "supplier"] {
        app.logged_in(stranger)
            .await
            .call(
                "load_out_of_area",
                json!({"municipality": CHIYODA, "filter": all()}),
            )
            .await
            .assert_error(AppError::Forbidden);
    }
}

#[tokio::test]
async fn an_application_names_a_municipality_of_the_master_other_than_the_own() {
    let app = app().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let mut form = application("住所 三郎", "2026-04-01");
    form.residence = CHIYODA.into();
    chiyoda
        .call(
            "register_out_of_area",
            json!({"municipality": CHIYODA, "form": form.clone()}),
        )
        .await
        .assert_field_error("residence", FieldError::ResidenceIsOwnMunicipality);
    form.residence = "999999".into();
    chiyoda
        .call(
            "register_out_of_area",
            json!({"municipality": CHIYODA, "form": form.clone()}),
        )
        .await
        .assert_field_error("residence", FieldError::InvalidChoice);
    form.residence = MINATO.into();
    form.received_on = "2026-04-02".into();
    chiyoda
        .call(
            "register_out_of_area",
            json!({"municipality": CHIYODA, "form": form}),
        )
        .await
        .assert_field_error("received_on", FieldError::DateInFuture);
    // Registering in another municipality's name is refused.
    chiyoda
        .call(
            "register_out_of_area",
            json!({"municipality": MINATO, "form": application("住所 四郎", "2026-04-01")}),
        )
        .await
        .assert_error(AppError::Forbidden);
}
