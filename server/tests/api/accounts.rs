//! Issuing IDs and managing users: validation of the issue form against the issuer's roles and
//! scope, and the append-only audit log that every change writes to.

use crate::helpers::{municipality_user_form, site_user_form, spawn_app, TestApp, TestClient};
use app::api::{IssueOptions, UserRow};
use app::domain::Role;
use app::error::{AppError, FieldError};
use serde_json::{json, Value};

/// A demo app with `login_id` logged in.
async fn app_with(login_id: &str) -> (TestApp, TestClient) {
    let app = spawn_app().await;
    app.load_demo().await;
    let client = app.logged_in(login_id).await;
    (app, client)
}

#[tokio::test]
async fn an_id_cannot_be_issued_twice() {
    let (app, admin) = app_with("admin").await;
    let site = app.site_id("千代田区A病院").await;
    for taken in ["site-a", "SITE-A", "ｓｉｔｅ－ａ"] {
        admin
            .call("issue_user", json!({"form": site_user_form(taken, site)}))
            .await
            .assert_field_error("login_id", FieldError::LoginIdTaken);
    }
    // Every field is checked at once, and the role must match its affiliation field.
    let answer = admin
        .call(
            "issue_user",
            json!({"form": {
                "login_id": "x", "email": "not-an-address", "display_name": "", "role": "site",
                "prefecture": "", "municipality": "", "site_id": "", "supplier_id": ""
            }}),
        )
        .await;
    assert_eq!(answer.status.as_u16(), 422);
    let errors = answer.error();
    let errors = errors.field_errors().expect("field errors");
    assert_eq!(
        errors.get("login_id"),
        Some(&FieldError::TooShort { min: 3 })
    );
    assert_eq!(errors.get("email"), Some(&FieldError::EmailFormat));
    assert_eq!(errors.get("display_name"), Some(&FieldError::Required));
    assert_eq!(errors.get("site_id"), Some(&FieldError::Required));
    admin
        .call(
            "issue_user",
            json!({"form": site_user_form("no-such-site", 999_999)}),
        )
        .await
        .assert_field_error("site_id", FieldError::OrganisationOutOfScope);
}

#[tokio::test]
async fn a_municipality_issues_only_municipality_and_site_ids_of_its_own_municipality() {
    let (app, chiyoda) = app_with("chiyoda").await;
    let options: IssueOptions = chiyoda.call("load_issue_options", json!({})).await.ok();
    assert_eq!(options.roles, vec![Role::Municipality, Role::Site]);
    assert!(options.suppliers.is_empty());

    let admin_form = json!({
        "login_id": "new-admin", "email": "new-admin@example.jp", "display_name": "管理 次郎",
        "role": "admin", "prefecture": "", "municipality": "", "site_id": "", "supplier_id": ""
    });
    chiyoda
        .call("issue_user", json!({ "form": admin_form }))
        .await
        .assert_field_error("role", FieldError::InvalidChoice);
    let minato_site = app.site_id("港区A病院").await;
    chiyoda
        .call(
            "issue_user",
            json!({"form": site_user_form("minato-clinic", minato_site)}),
        )
        .await
        .assert_field_error("site_id", FieldError::OrganisationOutOfScope);
    chiyoda
        .call(
            "issue_user",
            json!({"form": municipality_user_form("minato-2", "131032")}),
        )
        .await
        .assert_field_error("municipality", FieldError::OrganisationOutOfScope);
    let users_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(users_before, 8, "no refused ID was created");

    let own_site = app.site_id("千代田区C診療所").await;
    let (user_id, _) = app
        .issue_user(&chiyoda, site_user_form("clinic-c", own_site))
        .await;
    let rows: Vec<UserRow> = chiyoda
        .call("list_users", json!({"text": "clinic-c"}))
        .await
        .ok();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, user_id);
    assert_eq!(rows[0].organisation, "千代田区C診療所");
    assert_eq!(rows[0].email, "c***@example.jp");
    assert!(!rows[0].activated);
    // 港区 does not see (or manage) the new user.
    let minato = app.logged_in("minato").await;
    let rows: Vec<UserRow> = minato
        .call("list_users", json!({"text": "clinic-c"}))
        .await
        .ok();
    assert!(rows.is_empty());
    minato
        .call("resend_setup_link", json!({ "user_id": user_id }))
        .await
        .assert_error(AppError::Forbidden);
}

#[tokio::test]
async fn every_change_is_audited_and_the_audit_log_cannot_be_rewritten() {
    let (app, admin) = app_with("admin").await;
    let site = app.site_id("千代田区A病院").await;
    let site_a = app.user_id("site-a").await;

    // Each successful change adds exactly one row; a refused one adds none.
    let mut count = app.audit_count().await;
    let changes: Vec<(&str, Value)> = vec![
        (
            "issue_user",
            json!({"form": site_user_form("audited", site)}),
        ),
        ("resend_setup_link", json!({"user_id": site_a})),
        ("unlock_user", json!({"user_id": site_a})),
        (
            "set_user_disabled",
            json!({"user_id": site_a, "disabled": true}),
        ),
        (
            "set_user_disabled",
            json!({"user_id": site_a, "disabled": false}),
        ),
        (
            "publish_policy",
            json!({"body_ja": "第2版", "body_en": "version 2"}),
        ),
    ];
    for (function, args) in changes {
        let answer = admin.call(function, args).await;
        answer.ok::<Value>();
        let now = app.audit_count().await;
        assert_eq!(
            now,
            count + 1,
            "{function} wrote {} audit rows",
            now - count
        );
        count = now;
    }
    // The new policy version asks the admin too; consenting is a change of its own.
    admin
        .call("give_consent", json!({"version": 2}))
        .await
        .ok::<Value>();
    count += 1;
    assert_eq!(app.audit_count().await, count);
    admin
        .call(
            "issue_user",
            json!({"form": site_user_form("audited", site)}),
        )
        .await
        .assert_field_error("login_id", FieldError::LoginIdTaken);
    assert_eq!(app.audit_count().await, count);

    // The rows say who changed what, newest first.
    let rows: Vec<app::api::AuditRow> = admin
        .call(
            "list_audit",
            json!({"query": {"entity": "user", "text": "", "before_id": null}}),
        )
        .await
        .ok();
    assert!(rows.windows(2).all(|w| w[0].id > w[1].id));
    let disabled: Vec<_> = rows.iter().filter(|r| r.field == "disabled").collect();
    assert_eq!(disabled.len(), 2);
    assert_eq!(
        (
            disabled[0].old_value.as_deref(),
            disabled[0].new_value.as_deref()
        ),
        (Some("true"), Some("false"))
    );
    // Demo users were issued by the system (no actor); everything since by the admin.
    assert!(rows
        .iter()
        .all(|r| r.actor.as_deref() == Some("admin") || r.actor.is_none()));
    let issued = rows.iter().find(|r| r.field == "issued").unwrap();
    assert!(issued
        .new_value
        .as_deref()
        .unwrap()
        .starts_with("audited site"));
    let page: Vec<app::api::AuditRow> = admin
        .call(
            "list_audit",
            json!({"query": {"entity": "", "text": "", "before_id": rows[0].id}}),
        )
        .await
        .ok();
    assert!(page.iter().all(|r| r.id < rows[0].id));

    // The database itself refuses to change or remove a row, on either engine.
    let update = sqlx::query("UPDATE audit_log SET new_value = 'forged' WHERE id = $1")
        .bind(rows[0].id)
        .execute(app.db())
        .await;
    assert!(update.is_err(), "UPDATE audit_log must fail");
    let delete = sqlx::query("DELETE FROM audit_log").execute(app.db()).await;
    assert!(delete.is_err(), "DELETE FROM audit_log must fail");
    assert_eq!(app.audit_count().await, count);
    let value: Option<String> = sqlx::query_scalar("SELECT new_value FROM audit_log WHERE id = $1")
        .bind(rows[0].id)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_ne!(value.as_deref(), Some("forged"));
}

#[tokio::test]
async fn many_ids_issued_at_the_same_moment_all_succeed_and_are_all_audited() {
    let (app, admin) = app_with("admin").await;
    let site = app.site_id("千代田区A病院").await;
    let audit_before = app.audit_count().await;
    // Twelve issuers at once (each its own transaction reading, then writing): on SQLite a
    // deferred transaction would fail with SQLITE_BUSY here; every one must succeed.
    let calls = (0..12).map(|i| {
        let form = site_user_form(&format!("parallel-{i:02}"), site);
        let admin = &admin;
        async move { admin.call("issue_user", json!({ "form": form })).await }
    });
    for answer in futures_join_all(calls).await {
        let issued: Value = answer.ok();
        assert!(issued["user_id"].as_i64().is_some());
    }
    assert_eq!(app.audit_count().await, audit_before + 12);
}

/// Runs the futures concurrently on this task and returns their outputs in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs
        .into_iter()
        .map(|o| o.expect("every future finished"))
        .collect()
}
