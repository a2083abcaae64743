//! Role and scope, function by function. [`table`] must name every registered server function
//! with a call that lies outside a site user's scope, so a new server function without an entry
//! fails [`every_server_function_refuses_strangers_and_callers_outside_its_scope`].

use crate::helpers::{
    password_form, site_user_form, spawn_app, spawn_app_with, verify_form, TestApp, TestClient,
    NEW_PASSWORD,
};
use app::api::{AuditRow, MunicipalityRow, SessionInfo, SiteRow};
use app::error::AppError;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::config::{MailConfig, SmtpSecurity};
use std::collections::{BTreeMap, BTreeSet};

/// How a server function is guarded.
enum Guard {
    /// Open to anyone. A stranger gets `status` and, when given, exactly `body`: nothing that
    /// tells whether a user, link or code exists.
    Public {
        status: u16,
        body: Option<&'static str>,
    },
    /// Needs a session but acts only on the caller's own account (first-login steps): a
    /// stranger gets 401; the site user gets `site_user_status`.
    OwnAccount { site_user_status: u16 },
    /// Needs a role the site user lacks, or the arguments point outside its scope: a stranger
    /// gets 401, the site user (and the supplier) 403.
    Restricted,
    /// Needs a role the site user lacks but the supplier has (納入ロット): a stranger gets 401,
    /// the site user 403. What the supplier may do is tested with its area (supply.rs).
    SupplierWork,
    /// Needs a session and reads data every role shares (the vaccine master, the cools): a
    /// stranger gets 401, the site user 200.
    EveryRole,
    /// Needs a session and acts on the caller's own things (an inquiry, a notice addressed to
    /// them): a stranger gets 401; anyone else's reads as not found, 404, to the site user.
    OwnThings,
}

/// One server function and a call of it.
struct Entry {
    /// The endpoint under /api.
    function: &'static str,
    /// The JSON body; for restricted functions it points outside the site user's scope.
    args: Value,
    /// How it is guarded, which fixes the answers expected.
    guard: Guard,
}

/// What the calls point at: things outside 千代田区, where site-a lies.
struct Targets {
    /// The user `minato` (港区).
    minato_user: i64,
    /// A site of 港区.
    minato_site: i64,
    /// A pending change request of that site.
    minato_request: i64,
    /// A delivery to that site, not yet confirmed.
    minato_shipment: i64,
    /// A transfer between two sites of 港区, in transit.
    minato_transfer: i64,
}

/// Every server function, with how it is guarded and a call of it.
fn table(t: &Targets) -> Vec<Entry> {
    use Guard::*;
    let public = |status, body| Public { status, body };
    let entry = |function, args, guard| Entry {
        function,
        args,
        guard,
    };
    vec![
        entry("current_session", json!({}), public(200, Some("null"))),
        entry(
            "login",
            json!({"form": {"login_id": "nobody-here", "password": "a guessed password"}}),
            public(401, Some("\"InvalidCredentials\"")),
        ),
        entry(
            "login_second_factor",
            json!({"form": {"challenge": "guessed", "code": "123456"}}),
            public(410, Some("\"AttemptExpired\"")),
        ),
        entry("logout", json!({}), public(200, Some("null"))),
        entry(
            "request_password_reset",
            json!({"login_id": "nobody-here"}),
            public(200, Some("null")),
        ),
        entry(
            "setup_begin",
            json!({"token": "guessed"}),
            public(410, Some("\"LinkInvalid\"")),
        ),
        entry(
            "setup_verify",
            verify_form("guessed", "123456"),
            public(410, Some("\"AttemptExpired\"")),
        ),
        entry(
            "setup_password",
            password_form("guessed", NEW_PASSWORD, NEW_PASSWORD),
            public(410, Some("\"AttemptExpired\"")),
        ),
        entry(
            "setup_resume",
            json!({}),
            public(410, Some("\"AttemptExpired\"")),
        ),
        entry(
            "setup_resend",
            json!({}),
            public(410, Some("\"AttemptExpired\"")),
        ),
        // Development only, and only when switched on (see security.rs): closed by default.
        entry("dev_outbox", json!({}), public(404, Some("\"NotFound\""))),
        entry("dev_outbox_open", json!({}), public(200, Some("false"))),
        entry(
            "totp_begin",
            json!({}),
            OwnAccount {
                site_user_status: 200,
            },
        ),
        entry(
            "totp_confirm",
            json!({"code": "abc"}),
            OwnAccount {
                site_user_status: 422,
            },
        ),
        entry(
            "totp_skip",
            json!({}),
            OwnAccount {
                site_user_status: 200,
            },
        ),
        entry(
            "current_policy",
            json!({}),
            OwnAccount {
                site_user_status: 200,
            },
        ),
        entry(
            "give_consent",
            json!({"version": 1}),
            OwnAccount {
                site_user_status: 200,
            },
        ),
        entry(
            "publish_policy",
            json!({"body_ja": "方針", "body_en": "policy"}),
            Restricted,
        ),
        entry("load_issue_options", json!({}), Restricted),
        entry(
            "issue_user",
            json!({"form": site_user_form("intruder", t.minato_site)}),
            Restricted,
        ),
        entry("list_users", json!({"text": ""}), Restricted),
        entry(
            "resend_setup_link",
            json!({"user_id": t.minato_user}),
            Restricted,
        ),
        entry("unlock_user", json!({"user_id": t.minato_user}), Restricted),
        entry("reset_totp", json!({"user_id": t.minato_user}), Restricted),
        entry(
            "set_user_disabled",
            json!({"user_id": t.minato_user, "disabled": true}),
            Restricted,
        ),
        entry("list_municipalities", json!({"prefecture": 27}), Restricted),
        entry("list_prefectures", json!({}), Restricted),
        entry("list_sites", json!({"municipality": "131032"}), Restricted),
        entry(
            "act_for_site",
            json!({"site_id": t.minato_site}),
            Restricted,
        ),
        entry("stop_acting", json!({}), Restricted),
        entry("list_vaccines", json!({}), EveryRole),
        entry(
            "save_vaccine",
            json!({"edit": {"code": "pfizer", "version": 1, "form": {
                "doses_per_vial": "6", "vials_per_box": "1", "needles_per_vial": "6",
                "syringes_per_vial": "6", "needle_syringe_note": ""}}}),
            Restricted,
        ),
        entry("list_lots", json!({}), EveryRole),
        entry(
            "register_lot",
            json!({"form": {"vaccine": "pfizer", "lot_number": "ZZ0001", "expires_on": "2030-01-01"}}),
            SupplierWork,
        ),
        entry("list_cools", json!({}), EveryRole),
        entry(
            "create_cool",
            json!({"form": {"name": "第99クール", "vaccine": "pfizer", "total_boxes": "1",
                "opens": "2030-01-01 09:00", "closes": "2030-01-08 17:00",
                "delivery_from": "2030-01-14", "delivery_until": "2030-01-25"}}),
            Restricted,
        ),
        entry(
            "load_site_request",
            json!({"cool_id": 1, "site_id": t.minato_site}),
            Restricted,
        ),
        entry(
            "save_site_request",
            json!({"cool_id": 1, "site_id": t.minato_site, "boxes": "1"}),
            Restricted,
        ),
        entry(
            "load_municipality_requests",
            json!({"cool_id": 1, "municipality": "131032"}),
            Restricted,
        ),
        entry("home_cools", json!({}), EveryRole),
        entry(
            "load_allocation",
            json!({"cool_id": 1, "level": {"Prefecture": 27}}),
            Restricted,
        ),
        entry(
            "save_allocation",
            json!({"save": {"cool_id": 1, "level": {"Municipality": "131032"}, "version": 0, "rows": []}}),
            Restricted,
        ),
        entry(
            "set_data_lock",
            json!({"cool_id": 1, "prefecture": 27, "locked": true}),
            Restricted,
        ),
        entry(
            "load_deliveries",
            json!({"cool_id": 1, "prefecture": 27}),
            Restricted,
        ),
        entry(
            "schedule_delivery",
            json!({"cool_id": 1, "site_id": t.minato_site, "scheduled_on": "2030-01-01"}),
            Restricted,
        ),
        entry(
            "ship_delivery",
            json!({"cool_id": 1, "site_id": t.minato_site,
                   "form": {"delivered_on": "2026-01-01", "lines": []}}),
            Restricted,
        ),
        entry(
            "load_site_records",
            json!({"site_id": t.minato_site}),
            Restricted,
        ),
        entry(
            "register_records",
            json!({"site_id": t.minato_site, "form": {"administered_on": "2026-04-01",
                   "vaccines": [], "confirm_correction": false}}),
            Restricted,
        ),
        entry(
            "load_records_overview",
            json!({"municipality": "131032"}),
            Restricted,
        ),
        entry(
            "load_out_of_area",
            json!({"municipality": "131032", "filter": {"status": "", "from": "", "until": ""}}),
            Restricted,
        ),
        entry(
            "register_out_of_area",
            json!({"municipality": "131032", "form": {"applicant_name": "x", "birth_date": "1950-01-01",
                   "phone": "03-1111-2222", "residence": "131016", "reason": "other",
                   "reason_note": "x", "received_on": "2026-04-01"}}),
            Restricted,
        ),
        entry(
            "decide_out_of_area",
            json!({"id": 1, "decision": {"status": "accepted", "rejection_reason": ""}}),
            Restricted,
        ),
        entry(
            "load_bill",
            json!({"site_id": t.minato_site, "month": "2026-03"}),
            Restricted,
        ),
        entry(
            "save_bill",
            json!({"site_id": t.minato_site, "month": "2026-03",
                   "form": {"code_choice": "by_date", "parts": [], "difference_acknowledged": false}}),
            Restricted,
        ),
        entry(
            "submit_bill",
            json!({"site_id": t.minato_site, "month": "2026-03",
                   "form": {"code_choice": "by_date", "parts": [], "difference_acknowledged": false}}),
            Restricted,
        ),
        entry(
            "return_bill",
            json!({"bill_id": 1, "comment": "x"}),
            Restricted,
        ),
        entry("load_bills", json!({"month": "2026-03"}), EveryRole),
        entry("home_notices", json!({}), EveryRole),
        entry("list_notices", json!({"query": "", "page": 0}), EveryRole),
        entry("mark_notice_read", json!({"id": 999_999}), OwnThings),
        entry("authored_notices", json!({}), Restricted),
        entry("notice_regions", json!({}), Restricted),
        entry(
            "save_notice",
            json!({"id": null, "form": {"title": "t", "body": "b", "important": false,
                   "valid_from": "2026-04-01", "valid_until": "2026-04-30",
                   "roles": ["Site"], "regions": []}}),
            Restricted,
        ),
        entry("withdraw_notice", json!({"id": 1}), Restricted),
        entry(
            "search_articles",
            json!({"query": {"text": "請求", "audience": null, "category": null, "kind": null}}),
            EveryRole,
        ),
        entry("load_article", json!({"number": "000001001"}), EveryRole),
        entry(
            "upload_article_file",
            json!({"number": "000001001", "file": {"name": "a.pdf", "content": "JVBERi0="}}),
            Restricted,
        ),
        entry("ask_chatbot", json!({"question": "請求の期限"}), EveryRole),
        entry("unanswered_questions", json!({}), Restricted),
        entry(
            "send_inquiry",
            json!({"form": {"category": "other", "subject": "s", "body": "b", "attachment": null}}),
            EveryRole,
        ),
        entry("my_inquiries", json!({}), EveryRole),
        entry("load_inquiry", json!({"id": 999_999}), OwnThings),
        entry(
            "follow_up_inquiry",
            json!({"id": 999_999, "body": "b", "attachment": null}),
            OwnThings,
        ),
        entry("desk_inbox", json!({"status": "Open"}), Restricted),
        entry("desk_members", json!({}), Restricted),
        entry(
            "desk_act",
            json!({"id": 1, "action": {"Note": {"body": "x"}}}),
            Restricted,
        ),
        entry("home_billing", json!({}), EveryRole),
        entry("municipality_options", json!({}), EveryRole),
        entry("list_unit_prices", json!({}), EveryRole),
        entry(
            "save_unit_prices",
            json!({"form": {"applies_from": "2026-05-01", "vaccination": "1", "screening_only": "1",
                   "after_hours": "1", "holiday": "1"}}),
            Restricted,
        ),
        entry(
            "load_slots",
            json!({"site_id": t.minato_site, "day": ""}),
            Restricted,
        ),
        entry(
            "save_slots",
            json!({"site_id": t.minato_site, "form": {"day": "2026-04-02", "capacities": ["5"]}}),
            Restricted,
        ),
        entry(
            "load_bookings",
            json!({"site_id": t.minato_site, "day": ""}),
            Restricted,
        ),
        entry(
            "book",
            json!({"site_id": t.minato_site, "form": {"day": "2026-04-02", "hour": "9",
                   "name": "x", "kana": "えっくす", "birth_date": "1950-01-01",
                   "phone": "03-1111-2222", "ticket_number": "0123456789", "dose": "1",
                   "vaccine": "pfizer"}}),
            Restricted,
        ),
        entry(
            "change_booking",
            json!({"id": 1, "form": {"day": "2026-04-02", "hour": "9", "name": "x",
                   "kana": "えっくす", "birth_date": "1950-01-01", "phone": "03-1111-2222",
                   "ticket_number": "0123456789", "dose": "1", "vaccine": "pfizer"}}),
            Restricted,
        ),
        entry("cancel_booking", json!({"id": 1}), Restricted),
        entry(
            "load_booking_sites",
            json!({"municipality": "131032"}),
            Restricted,
        ),
        entry(
            "load_report",
            json!({"query": {"code": "R308", "filter": {"cool": "", "vaccine": "", "from": "",
                   "until": "", "prefecture": "", "municipality": "131032"},
                   "sort": null, "page": 0, "all": false}}),
            Restricted,
        ),
        entry(
            "load_site_stock",
            json!({"site_id": t.minato_site}),
            Restricted,
        ),
        entry(
            "confirm_receipt",
            json!({"shipment_id": t.minato_shipment, "note": ""}),
            Restricted,
        ),
        entry(
            "send_transfer",
            json!({"site_id": t.minato_site, "form": {"to_site": "", "lot": "1", "vials": "1",
                   "sent_on": "2026-01-01"}}),
            Restricted,
        ),
        entry(
            "receive_transfer",
            json!({"transfer_id": t.minato_transfer, "received_on": "2026-01-01"}),
            Restricted,
        ),
        entry(
            "cancel_transfer",
            json!({"transfer_id": t.minato_transfer}),
            Restricted,
        ),
        entry(
            "record_waste",
            json!({"site_id": t.minato_site, "form": {"lot": "1", "vials": "1",
                   "occurred_on": "2026-01-01", "reason": "damaged", "note": ""}}),
            Restricted,
        ),
        entry(
            "record_count",
            json!({"site_id": t.minato_site, "form": {"counted_on": "2026-01-01", "lines": []}}),
            Restricted,
        ),
        entry("load_supplier_areas", json!({"prefecture": 27}), Restricted),
        entry(
            "register_supplier",
            json!({"prefecture": 13, "form": {"name": "侵入卸"}}),
            Restricted,
        ),
        entry(
            "add_supplier_area",
            json!({"prefecture": 13, "form": {"supplier": "1", "municipality": "131032"}}),
            Restricted,
        ),
        entry(
            "remove_supplier_area",
            json!({"prefecture": 13, "supplier_id": 1, "municipality": null}),
            Restricted,
        ),
        entry(
            "reservation_state",
            json!({"site_id": t.minato_site}),
            Restricted,
        ),
        entry(
            "set_reservation_status",
            json!({"site_id": t.minato_site, "status": "Available"}),
            Restricted,
        ),
        entry(
            "reservation_summary",
            json!({"municipality": "131032"}),
            Restricted,
        ),
        entry(
            "list_audit",
            json!({"query": {"entity": "", "text": "", "before_id": null}}),
            Restricted,
        ),
        entry(
            "load_site_record",
            json!({"site_id": t.minato_site}),
            Restricted,
        ),
        entry(
            "save_site_record",
            json!({"save": {"site_id": t.minato_site, "version": 1, "base": {}, "record": {"name": "乗っ取り"}}}),
            Restricted,
        ),
        entry(
            "site_history",
            json!({"site_id": t.minato_site}),
            Restricted,
        ),
        entry(
            "list_change_requests",
            json!({"municipality": "131032"}),
            Restricted,
        ),
        entry(
            "load_change_request",
            json!({"id": t.minato_request}),
            Restricted,
        ),
        entry(
            "decide_change_request",
            json!({"decision": {"id": t.minato_request, "approve": true, "comment": ""}}),
            Restricted,
        ),
        entry(
            "load_doctors",
            json!({"site_id": t.minato_site}),
            Restricted,
        ),
        entry(
            "save_doctor",
            json!({"save": {"site_id": t.minato_site, "doctor_id": null,
                "doctor": {"name": "厚労 太郎", "kana": "こうろう たろう"}}}),
            Restricted,
        ),
        entry(
            "delete_doctor",
            json!({"site_id": t.minato_site, "doctor_id": 1}),
            Restricted,
        ),
        entry(
            "finder_options",
            json!({"prefecture": 13}),
            public(200, None),
        ),
        entry(
            "finder_search",
            json!({"query": {"prefecture": 13, "municipality": "", "vaccine": "", "status": ""}}),
            public(200, None),
        ),
    ]
}

/// The audit row count and a fingerprint of what the restricted calls could have changed.
async fn state_fingerprint(app: &TestApp) -> (i64, i64, i64, i64, i64, i64, i64, i64) {
    let one = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(app.db())
            .await
            .unwrap()
    };
    (
        app.audit_count().await,
        one("SELECT COUNT(*) FROM users").await,
        one("SELECT COUNT(*) FROM users WHERE disabled <> 0").await,
        one("SELECT MAX(version) FROM privacy_policies").await,
        one("SELECT COUNT(*) FROM setup_tokens").await,
        one("SELECT CAST(SUM(version) AS BIGINT) FROM sites").await,
        one("SELECT COUNT(*) FROM doctors").await,
        one("SELECT COUNT(*) FROM change_requests WHERE status = 'pending'").await,
    )
}

/// Calls every restricted entry as `caller` and expects 403 each time.
async fn expect_forbidden(
    caller: &TestClient,
    who: &str,
    entries: &[Entry],
    refused: impl Fn(&Guard) -> bool,
) {
    for entry in entries.iter().filter(|e| refused(&e.guard)) {
        let answer = caller.call(entry.function, entry.args.clone()).await;
        assert_eq!(
            (answer.status, answer.error()),
            (StatusCode::FORBIDDEN, AppError::Forbidden),
            "{who} calling {} {}: {}",
            entry.function,
            entry.args,
            answer.body
        );
    }
}

#[tokio::test]
async fn every_server_function_refuses_strangers_and_callers_outside_its_scope() {
    let app = spawn_app().await;
    app.load_demo().await;
    let minato_site = app.site_id("港区A病院").await;
    let minato_request: i64 = sqlx::query_scalar(
        "INSERT INTO change_requests (site_id, status, changes, requested_at)
         VALUES ($1, 'pending', '[]', 0) RETURNING id",
    )
    .bind(minato_site)
    .fetch_one(app.db())
    .await
    .unwrap();
    let minato_shipment: i64 = sqlx::query_scalar(
        "INSERT INTO shipments (cool_id, site_id, delivered_on, created_at)
         VALUES (1, $1, '2026-01-01', 0) RETURNING id",
    )
    .bind(minato_site)
    .fetch_one(app.db())
    .await
    .unwrap();
    sqlx::query("INSERT INTO shipment_lots (shipment_id, lot_id, vials) VALUES ($1, 1, 6)")
        .bind(minato_shipment)
        .execute(app.db())
        .await
        .unwrap();
    let minato_transfer: i64 = sqlx::query_scalar(
        "INSERT INTO transfers (from_site_id, to_site_id, lot_id, vials, sent_on, created_at)
         SELECT $1, id, 1, 1, '2026-01-01', 0 FROM sites
         WHERE municipality_code = '131032' AND id <> $1 ORDER BY id LIMIT 1
         RETURNING id",
    )
    .bind(minato_site)
    .fetch_one(app.db())
    .await
    .unwrap();
    let targets = Targets {
        minato_user: app.user_id("minato").await,
        minato_site,
        minato_request,
        minato_shipment,
        minato_transfer,
    };
    let entries = table(&targets);

    let methods: BTreeMap<String, http::Method> = server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            let function = path
                .strip_prefix("/api/")
                .unwrap_or_else(|| panic!("{path} is not under /api/"));
            (function.to_string(), method)
        })
        .collect();
    // Only the public finder's reads are GETs (cacheable by anyone); everything else is a POST.
    for (function, method) in &methods {
        let public_read = ["finder_options", "finder_search"].contains(&function.as_str());
        let expected = if public_read {
            http::Method::GET
        } else {
            http::Method::POST
        };
        assert_eq!(method, expected, "{function}");
    }
    let registered: BTreeSet<String> = methods.keys().cloned().collect();
    let listed: BTreeSet<String> = entries.iter().map(|e| e.function.to_string()).collect();
    assert_eq!(listed.len(), entries.len(), "an entry is listed twice");
    let missing: Vec<_> = registered.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&registered).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "the scope table must list every server function: \
         missing {missing:?}, not registered {stale:?}"
    );

    let site = app.logged_in("site-a").await;
    let supplier = app.logged_in("supplier").await;
    let before = state_fingerprint(&app).await;

    // Strangers: 401 for everything but the public functions, which reveal nothing.
    let stranger = app.client();
    for entry in &entries {
        let answer = stranger
            .call_with_method(&methods[entry.function], entry.function, entry.args.clone())
            .await;
        match entry.guard {
            Guard::Public { status, body } => {
                assert_eq!(
                    answer.status.as_u16(),
                    status,
                    "{}: {}",
                    entry.function,
                    answer.body
                );
                if let Some(body) = body {
                    assert_eq!(answer.body, body, "{}", entry.function);
                }
            }
            Guard::OwnAccount { .. }
            | Guard::Restricted
            | Guard::SupplierWork
            | Guard::EveryRole
            | Guard::OwnThings => {
                assert_eq!(
                    (answer.status, answer.error()),
                    (StatusCode::UNAUTHORIZED, AppError::Unauthenticated),
                    "a stranger calling {}: {}",
                    entry.function,
                    answer.body
                );
            }
        }
    }

    // The site user and the supplier: 403 for every restricted call, and nothing changed.
    expect_forbidden(&site, "site-a", &entries, |guard| {
        matches!(guard, Guard::Restricted | Guard::SupplierWork)
    })
    .await;
    expect_forbidden(&supplier, "supplier", &entries, |guard| {
        matches!(guard, Guard::Restricted)
    })
    .await;
    assert_eq!(state_fingerprint(&app).await, before);
    let minato_disabled: i64 = sqlx::query_scalar("SELECT disabled FROM users WHERE id = $1")
        .bind(targets.minato_user)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(minato_disabled, 0);

    // Their own account's functions, and what every role reads, work for them.
    for entry in &entries {
        let expected = match entry.guard {
            Guard::OwnAccount { site_user_status } => Some(site_user_status),
            Guard::EveryRole => Some(200),
            Guard::OwnThings => Some(404),
            _ => None,
        };
        if let Some(site_user_status) = expected {
            let answer = site.call(entry.function, entry.args.clone()).await;
            assert_eq!(
                answer.status.as_u16(),
                site_user_status,
                "site-a calling {}: {}",
                entry.function,
                answer.body
            );
        }
    }
    assert!(site.session().await.is_some());
}

#[tokio::test]
async fn a_municipality_acts_only_inside_its_own_municipality() {
    let app = spawn_app().await;
    app.load_demo().await;
    let chiyoda = app.logged_in("chiyoda").await;
    let minato_site = app.site_id("港区A病院").await;
    let own_site = app.site_id("千代田区Bクリニック").await;

    chiyoda
        .call("list_sites", json!({"municipality": "131032"}))
        .await
        .assert_error(AppError::Forbidden);
    chiyoda
        .call("act_for_site", json!({"site_id": minato_site}))
        .await
        .assert_error(AppError::Forbidden);
    chiyoda
        .call("act_for_site", json!({"site_id": 999_999}))
        .await
        .assert_error(AppError::Forbidden);
    chiyoda
        .call("list_municipalities", json!({"prefecture": 13}))
        .await
        .assert_error(AppError::Forbidden);
    chiyoda
        .call(
            "unlock_user",
            json!({"user_id": app.user_id("minato").await}),
        )
        .await
        .assert_error(AppError::Forbidden);
    chiyoda
        .call(
            "set_user_disabled",
            json!({"user_id": app.user_id("tokyo").await, "disabled": true}),
        )
        .await
        .assert_error(AppError::Forbidden);
    chiyoda
        .call(
            "list_audit",
            json!({"query": {"entity": "", "text": "", "before_id": null}}),
        )
        .await
        .assert_error(AppError::Forbidden);

    let sites: Vec<SiteRow> = chiyoda
        .call("list_sites", json!({"municipality": "131016"}))
        .await
        .ok();
    assert_eq!(sites.len(), 5);
    assert!(sites.iter().all(|s| s.municipality_code == "131016"));
    let users: Vec<app::api::UserRow> = chiyoda.call("list_users", json!({"text": ""})).await.ok();
    let names: BTreeSet<_> = users.iter().map(|u| u.login_id.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["chiyoda", "site-a", "site-d"]));

    let info: SessionInfo = chiyoda
        .call("act_for_site", json!({"site_id": own_site}))
        .await
        .ok();
    let acting = info.acting_for.expect("acting for a site");
    assert_eq!(
        (acting.id, acting.name.as_str()),
        (own_site, "千代田区Bクリニック")
    );
    assert_eq!(chiyoda.session().await.unwrap().acting_for, Some(acting));

    let admin = app.logged_in("admin").await;
    let rows: Vec<AuditRow> = admin
        .call(
            "list_audit",
            json!({"query": {"entity": "session", "text": "", "before_id": null}}),
        )
        .await
        .ok();
    let row = rows
        .iter()
        .find(|r| r.field == "acting_for_site_id")
        .expect("the 代理入力 is in the audit log");
    assert_eq!(row.actor.as_deref(), Some("chiyoda"));
    assert_eq!(row.acting_for.as_deref(), Some("千代田区Bクリニック"));
    assert_eq!(row.new_value, Some(own_site.to_string()));

    let info: SessionInfo = chiyoda.call("stop_acting", json!({})).await.ok();
    assert_eq!(info.acting_for, None);
}

#[tokio::test]
async fn a_prefecture_sees_its_own_municipalities_only() {
    let app = spawn_app().await;
    app.load_demo().await;
    let tokyo = app.logged_in("tokyo").await;
    let rows: Vec<MunicipalityRow> = tokyo
        .call("list_municipalities", json!({"prefecture": 13}))
        .await
        .ok();
    assert_eq!(rows.len(), 62);
    assert!(rows.iter().all(|m| m.code.starts_with("13")));
    assert_eq!(
        rows.iter()
            .find(|m| m.code == "131016")
            .map(|m| m.site_count),
        Some(5)
    );
    tokyo
        .call("list_municipalities", json!({"prefecture": 27}))
        .await
        .assert_error(AppError::Forbidden);
    tokyo
        .call("list_sites", json!({"municipality": "131032"}))
        .await
        .ok::<Vec<SiteRow>>();
    let osaka: String = sqlx::query_scalar(
        "SELECT code FROM municipalities WHERE prefecture_code = 27 ORDER BY code LIMIT 1",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    tokyo
        .call("list_sites", json!({"municipality": osaka}))
        .await
        .assert_error(AppError::Forbidden);
    tokyo
        .call(
            "act_for_site",
            json!({"site_id": app.site_id("港区A病院").await}),
        )
        .await
        .assert_error(AppError::Forbidden);

    // The nation reads every prefecture but issues no IDs.
    let mhlw = app.logged_in("mhlw").await;
    let rows: Vec<MunicipalityRow> = mhlw
        .call("list_municipalities", json!({"prefecture": 27}))
        .await
        .ok();
    assert!(!rows.is_empty());
    mhlw.call("load_issue_options", json!({}))
        .await
        .assert_error(AppError::Forbidden);
}

#[tokio::test]
async fn the_development_outbox_is_closed_when_real_mail_is_configured() {
    let app = spawn_app_with(|config| {
        config.mail = MailConfig::Smtp {
            host: "127.0.0.1".into(),
            port: 9,
            security: SmtpSecurity::None,
            credentials: None,
            extra_root_pem: None,
        };
        config.dev_outbox = true;
    })
    .await;
    app.client()
        .call("dev_outbox", json!({}))
        .await
        .assert_error(AppError::NotFound);
}
