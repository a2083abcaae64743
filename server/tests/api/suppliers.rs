//! 製薬メーカー・卸 and their 担当地域: national users register a supplier and give it an area,
//! which is then exactly what the supplier sees of the deliveries; the whole prefecture replaces
//! single municipalities; a prefecture reads only its own; every change is audited.

use crate::allocation::TOKYO;
use crate::delivery::delivery_board;
use crate::helpers::TestClient;
use crate::site_record::app;
use app::api::{AreaRow, SupplierAreas};
use app::domain::{AreaForm, SupplierForm};
use app::error::{AppError, FieldError};
use serde_json::json;

/// The areas in 東京都 as (supplier, municipality name or the whole prefecture).
fn listed(areas: &SupplierAreas) -> Vec<(String, String)> {
    areas
        .rows
        .iter()
        .map(
            |AreaRow {
                 supplier,
                 municipality,
                 ..
             }| {
                (
                    supplier.clone(),
                    municipality.clone().unwrap_or_else(|| "（全体）".into()),
                )
            },
        )
        .collect()
}

async fn add(client: &TestClient, supplier: i64, municipality: &str) -> crate::helpers::Answer {
    let form = AreaForm {
        supplier: supplier.to_string(),
        municipality: municipality.into(),
    };
    client
        .call(
            "add_supplier_area",
            json!({"prefecture": TOKYO, "form": form}),
        )
        .await
}

fn supplier_id(areas: &SupplierAreas, name: &str) -> i64 {
    areas
        .suppliers
        .iter()
        .find(|s| s.label == name)
        .unwrap()
        .value
        .parse()
        .unwrap()
}

#[tokio::test]
async fn national_users_register_suppliers_and_set_the_areas_that_decide_what_they_deliver() {
    let app = app().await;
    let mhlw = app.logged_in("mhlw").await;
    let areas: SupplierAreas = mhlw
        .call("load_supplier_areas", json!({"prefecture": null}))
        .await
        .ok();
    assert_eq!(
        (areas.prefecture, areas.prefecture_name.as_str()),
        (13, "東京都")
    );
    assert!(areas.editable);
    assert_eq!(
        listed(&areas),
        [("さくら医薬品卸（デモ）".to_string(), "千代田区".to_string())]
    );
    assert_eq!(areas.prefectures.len(), 47);
    assert!(areas.municipalities.iter().any(|m| m.label == "港区"));

    // A new wholesaler: the name is required and unique.
    let register =
        |name: &str| json!({"prefecture": TOKYO, "form": SupplierForm { name: name.into() }});
    mhlw.call("register_supplier", register("  "))
        .await
        .assert_field_error("name", FieldError::Required);
    mhlw.call("register_supplier", register("さくら医薬品卸（デモ）"))
        .await
        .assert_field_error("name", FieldError::NameTaken);
    let audit_before = app.audit_count().await;
    let areas: SupplierAreas = mhlw
        .call("register_supplier", register("つばき薬品"))
        .await
        .ok();
    assert_eq!(app.audit_count().await, audit_before + 1);
    let tsubaki = supplier_id(&areas, "つばき薬品");
    let sakura = supplier_id(&areas, "さくら医薬品卸（デモ）");

    // 港区 for つばき薬品; a municipality of another prefecture is not offered.
    let areas: SupplierAreas = add(&mhlw, tsubaki, "131032").await.ok();
    assert!(listed(&areas).contains(&("つばき薬品".into(), "港区".into())));
    add(&mhlw, tsubaki, "271004")
        .await
        .assert_field_error("municipality", FieldError::InvalidChoice);
    add(&mhlw, tsubaki, "131032")
        .await
        .assert_field_error("municipality", FieldError::AreaAlreadyCovered);

    // さくら gets the whole of 東京都, which replaces its 千代田区; then 港区 is covered already.
    let audit_before = app.audit_count().await;
    let areas: SupplierAreas = add(&mhlw, sakura, "").await.ok();
    assert_eq!(app.audit_count().await, audit_before + 2);
    let logged: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT field, old_value, new_value FROM audit_log
         WHERE entity = 'supplier' AND entity_id = $1 ORDER BY id",
    )
    .bind(sakura.to_string())
    .fetch_all(app.db())
    .await
    .unwrap();
    assert_eq!(
        logged,
        [
            (
                "area_removed".into(),
                Some("東京都千代田区 (131016)".into()),
                None
            ),
            ("area_added".into(), None, Some("東京都（全体）".into())),
        ]
    );
    assert_eq!(
        listed(&areas),
        [
            ("さくら医薬品卸（デモ）".to_string(), "（全体）".to_string()),
            ("つばき薬品".to_string(), "港区".to_string()),
        ]
    );
    add(&mhlw, sakura, "131032")
        .await
        .assert_field_error("municipality", FieldError::AreaAlreadyCovered);

    // What the demo wholesaler sees follows: the whole prefecture, then only 港区.
    let cool_id = {
        let id = crate::allocation::cool_with_requests(&app).await;
        app.advance(chrono::TimeDelta::days(2));
        let [_, tokyo, _] = crate::allocation::allocate_down_to_the_sites(&app, id).await;
        tokyo
            .call(
                "set_data_lock",
                json!({"cool_id": id, "prefecture": TOKYO, "locked": true}),
            )
            .await
            .ok::<app::api::AllocationTable>();
        id
    };
    let supplier = app.logged_in("supplier").await;
    assert_eq!(
        delivery_board(&supplier, cool_id, json!(TOKYO))
            .await
            .rows
            .len(),
        2
    );
    let mhlw = app.logged_in("mhlw").await;
    let _: SupplierAreas = mhlw
        .call(
            "remove_supplier_area",
            json!({"prefecture": TOKYO, "supplier_id": sakura, "municipality": null}),
        )
        .await
        .ok();
    let _: SupplierAreas = add(&mhlw, sakura, "131032").await.ok();
    assert_eq!(
        delivery_board(&supplier, cool_id, json!(TOKYO))
            .await
            .rows
            .len(),
        0
    );
    // Removing what is not there says so.
    mhlw.call(
        "remove_supplier_area",
        json!({"prefecture": TOKYO, "supplier_id": sakura, "municipality": "131016"}),
    )
    .await
    .assert_error(AppError::NotFound);
}

#[tokio::test]
async fn a_prefecture_reads_who_serves_it_and_changes_nothing() {
    let app = app().await;
    let tokyo = app.logged_in("tokyo").await;
    let areas: SupplierAreas = tokyo
        .call("load_supplier_areas", json!({"prefecture": null}))
        .await
        .ok();
    assert_eq!(areas.prefecture, 13);
    assert!(!areas.editable);
    assert_eq!(areas.prefectures.len(), 1);
    tokyo
        .call("load_supplier_areas", json!({"prefecture": 27}))
        .await
        .assert_error(AppError::Forbidden);
    let sakura = supplier_id(&areas, "さくら医薬品卸（デモ）");
    add(&tokyo, sakura, "131032")
        .await
        .assert_error(AppError::Forbidden);
    for role in ["chiyoda", "supplier", "site-a"] {
        app.logged_in(role)
            .await
            .call("load_supplier_areas", json!({"prefecture": 13}))
            .await
            .assert_error(AppError::Forbidden);
    }
}
