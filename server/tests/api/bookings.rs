//! 市町村による予約受付支援: the approved 代行入力フラグ, slots, bookings (change, cancel, the
//! overbooking race, the unique 接種券番号), who reads 予約者一覧 and the audit of each read, the
//! retention job, and the authenticator the site's users must use.

use crate::helpers::{Answer, TestApp, TestClient};
use crate::site_record::{app, completed_by_municipality, decide, load, save, CHIYODA, OWN_SITE};
use app::api::{BookingList, BookingSite, SiteSaved, SlotDay, TotpEnrolment};
use app::domain::{BookingForm, ProxyBooking, SlotForm, SLOT_HOURS};
use app::error::{AppError, FieldError, OnboardingStep};
use chrono::Duration;
use serde_json::json;

/// Site A病院 handles pfizer, its 代行入力フラグ = 要 is approved (set directly; the approval
/// path has its own test), and site-a has enrolled the authenticator app it then needs.
async fn taking_bookings(app: &TestApp) -> i64 {
    let site = app.site_id(OWN_SITE).await;
    sqlx::query("INSERT INTO site_vaccines (site_id, vaccine_code) VALUES ($1, 'pfizer')")
        .bind(site)
        .execute(app.db())
        .await
        .unwrap();
    sqlx::query("UPDATE sites SET proxy_booking = 1 WHERE id = $1")
        .bind(site)
        .execute(app.db())
        .await
        .unwrap();
    let client = app.client();
    app.login(&client, "site-a").await;
    enrol(app, &client).await;
    site
}

/// [`taking_bookings`] with slots of `people` on [`TOMORROW`]; the site's and 千代田区's browsers.
async fn open_for_booking(app: &TestApp, people: &[(u8, u32)]) -> (i64, TestClient, TestClient) {
    let site = taking_bookings(app).await;
    let site_a = app.logged_in("site-a").await;
    let chiyoda = app.logged_in("chiyoda").await;
    let _: SlotDay = save_slots(&site_a, site, slots(TOMORROW, people))
        .await
        .ok();
    (site, site_a, chiyoda)
}

/// Enrols an authenticator app for the logged-in user of `client`.
async fn enrol(app: &TestApp, client: &TestClient) {
    let enrolment: TotpEnrolment = client.call("totp_begin", json!({})).await.ok();
    let secret: String = enrolment.secret.split_whitespace().collect();
    let step = server::security::totp::step_at(app.now());
    let code = server::security::totp::code_at(&secret, step).unwrap();
    let _: Vec<String> = client
        .call("totp_confirm", json!({ "code": code }))
        .await
        .ok();
}

/// The day after the test clock's start (2026-04-01).
const TOMORROW: &str = "2026-04-02";

/// A slot form for `day`: `people` at each (hour, people).
fn slots(day: &str, people: &[(u8, u32)]) -> SlotForm {
    SlotForm {
        day: day.into(),
        capacities: SLOT_HOURS
            .map(|hour| {
                people
                    .iter()
                    .find(|(h, _)| *h == hour)
                    .map(|(_, n)| n.to_string())
                    .unwrap_or_default()
            })
            .collect(),
    }
}

async fn save_slots(client: &TestClient, site: i64, form: SlotForm) -> Answer {
    client
        .call("save_slots", json!({ "site_id": site, "form": form }))
        .await
}

fn person(hour: u8, ticket: &str) -> BookingForm {
    BookingForm {
        day: TOMORROW.into(),
        hour: hour.to_string(),
        name: "厚労 花子".into(),
        kana: "こうろう はなこ".into(),
        birth_date: "1950-01-02".into(),
        phone: "03-1234-5678".into(),
        ticket_number: ticket.into(),
        dose: "1".into(),
        vaccine: "pfizer".into(),
    }
}

async fn book(client: &TestClient, site: i64, form: &BookingForm) -> Answer {
    client
        .call("book", json!({ "site_id": site, "form": form }))
        .await
}

async fn list(client: &TestClient, site: i64, day: &str) -> Answer {
    client
        .call("load_bookings", json!({ "site_id": site, "day": day }))
        .await
}

async fn audit_rows(app: &TestApp, field: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE field = $1")
        .bind(field)
        .fetch_one(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_approved_flag_opens_slots_and_asks_the_sites_users_for_an_authenticator() {
    let app = app().await;
    let site = app.site_id(OWN_SITE).await;
    let chiyoda = app.logged_in("chiyoda").await;
    let site_a = app.logged_in("site-a").await;
    save_slots(&site_a, site, slots(TOMORROW, &[(9, 5)]))
        .await
        .assert_error(AppError::Forbidden);

    // The site asks for 代行入力フラグ = 要; its municipality approves.
    completed_by_municipality(&chiyoda, site).await;
    let view = load(&site_a, site).await;
    let mut record = view.record.clone();
    record.proxy_booking = Some(ProxyBooking::Required);
    let saved: SiteSaved = save(&site_a, &view, record).await.ok();
    assert_eq!(saved.requested.len(), 1);
    let request = saved.view.pending.expect("a pending request").id;
    let slot_day: SlotDay = site_a
        .call("load_slots", json!({"site_id": site, "day": ""}))
        .await
        .ok();
    assert!(!slot_day.takes_bookings, "not before the approval");
    decide(&chiyoda, request, true, "")
        .await
        .ok::<serde_json::Value>();

    // From then on the site's users handle personal data: an authenticator app is required
    // (no skipping), at this request and at the next login.
    site_a
        .call("load_slots", json!({"site_id": site, "day": ""}))
        .await
        .assert_error(AppError::OnboardingRequired(OnboardingStep::Totp));
    let again = app.client();
    let info = app.login(&again, "site-a").await;
    assert_eq!(info.onboarding, Some(OnboardingStep::Totp));
    again
        .call("totp_skip", json!({}))
        .await
        .assert_error(AppError::Forbidden);
    let enrolment: TotpEnrolment = again.call("totp_begin", json!({})).await.ok();
    assert!(enrolment.required);
    enrol(&app, &again).await;
    let slot_day: SlotDay = save_slots(&site_a, site, slots(TOMORROW, &[(9, 5), (10, 3)]))
        .await
        .ok();
    assert!(slot_day.takes_bookings);
    assert_eq!(slot_day.slots.len(), 2);
    assert_eq!(slot_day.coming, vec![(TOMORROW.to_string(), 8)]);
    let sites: Vec<BookingSite> = chiyoda
        .call("load_booking_sites", json!({ "municipality": CHIYODA }))
        .await
        .ok();
    assert_eq!(sites.len(), 1);
    assert_eq!(
        (sites[0].site.id, sites[0].capacity, sites[0].booked),
        (site, 8, 0)
    );
}

#[tokio::test]
async fn the_municipality_books_changes_and_cancels_and_slots_keep_their_bookings() {
    let app = app().await;
    let (site, site_a, chiyoda) = open_for_booking(&app, &[(9, 2), (10, 1)]).await;

    let booked: BookingList = book(&chiyoda, site, &person(9, "0000000001")).await.ok();
    assert!(booked.can_book);
    assert_eq!(booked.bookings.len(), 1);
    assert_eq!(booked.bookings[0].ticket_number, "0000000001");
    assert_eq!(booked.slots[0].booked, 1);
    let _: BookingList = book(&chiyoda, site, &person(9, "0000000002")).await.ok();
    book(&chiyoda, site, &person(9, "0000000003"))
        .await
        .assert_field_error("hour", FieldError::SlotFull);
    book(&chiyoda, site, &person(11, "0000000003"))
        .await
        .assert_field_error("hour", FieldError::NoSlot);
    // The site only reads: it cannot book.
    book(&site_a, site, &person(10, "0000000003"))
        .await
        .assert_error(AppError::Forbidden);

    // A slot cannot drop below its bookings, nor be removed while someone is booked.
    save_slots(&site_a, site, slots(TOMORROW, &[(9, 1), (10, 1)]))
        .await
        .assert_field_error("capacities.9", FieldError::BelowBooked { booked: 2 });
    save_slots(&site_a, site, slots(TOMORROW, &[(10, 1)]))
        .await
        .assert_field_error("capacities.9", FieldError::BelowBooked { booked: 2 });

    // Moving a booking to 10:00 frees its place at 9:00 and takes the one at 10:00.
    let first = booked.bookings[0].id;
    let mut moved = person(10, "0000000001");
    moved.name = "厚労 花代".into();
    let changed: BookingList = chiyoda
        .call("change_booking", json!({ "id": first, "form": moved }))
        .await
        .ok();
    let by_hour = |l: &BookingList| {
        l.slots
            .iter()
            .map(|s| (s.hour, s.booked))
            .collect::<Vec<_>>()
    };
    assert_eq!(by_hour(&changed), vec![(9, 1), (10, 1)]);
    assert_eq!(changed.bookings[1].name, "厚労 花代");
    let second = changed.bookings[0].id;
    chiyoda
        .call(
            "change_booking",
            json!({ "id": second, "form": person(10, "0000000002") }),
        )
        .await
        .assert_field_error("hour", FieldError::SlotFull);

    // Cancelling frees the place; a cancelled booking is gone from the list and cannot change.
    let cancelled: BookingList = chiyoda
        .call("cancel_booking", json!({ "id": first }))
        .await
        .ok();
    assert_eq!(by_hour(&cancelled), vec![(9, 1), (10, 0)]);
    assert_eq!(cancelled.bookings.len(), 1);
    chiyoda
        .call("cancel_booking", json!({ "id": first }))
        .await
        .assert_error(AppError::NotFound);
    // With nobody booked, 10:00 may go; the list of the site agrees.
    let _: SlotDay = save_slots(&site_a, site, slots(TOMORROW, &[(9, 1)]))
        .await
        .ok();
    let seen: BookingList = list(&site_a, site, TOMORROW).await.ok();
    assert!(!seen.can_book);
    assert_eq!(by_hour(&seen), vec![(9, 1)]);
    assert_eq!(audit_rows(&app, &format!("booking:{first}")).await, 3);
}

#[tokio::test]
async fn twenty_simultaneous_bookings_for_five_places_get_exactly_five() {
    let app = app().await;
    let (site, _, chiyoda) = open_for_booking(&app, &[(14, 5)]).await;
    let forms: Vec<BookingForm> = (0..20).map(|n| person(14, &format!("{n:010}"))).collect();
    let calls = forms.iter().map(|form| book(&chiyoda, site, form));
    let answers = futures::future::join_all(calls).await;
    let (ok, refused): (Vec<_>, Vec<_>) = answers.iter().partition(|a| a.status == 200);
    assert_eq!(ok.len(), 5);
    for answer in refused {
        answer.assert_field_error("hour", FieldError::SlotFull);
    }
    let seen: BookingList = list(&chiyoda, site, TOMORROW).await.ok();
    assert_eq!(seen.bookings.len(), 5);
    assert_eq!((seen.slots[0].capacity, seen.slots[0].booked), (5, 5));
}

#[tokio::test]
async fn a_ticket_number_is_booked_once_per_municipality_vaccine_and_dose() {
    let app = app().await;
    let (site, _, chiyoda) = open_for_booking(&app, &[(9, 10)]).await;
    let first: BookingList = book(&chiyoda, site, &person(9, "1234567890")).await.ok();
    book(&chiyoda, site, &person(9, "1234-567-890"))
        .await
        .assert_field_error("ticket_number", FieldError::TicketAlreadyBooked);
    // The same number for the 2回目 is another booking.
    let mut second_dose = person(9, "1234567890");
    second_dose.dose = "2".into();
    let _: BookingList = book(&chiyoda, site, &second_dose).await.ok();
    // The refused booking took no place.
    let seen: BookingList = list(&chiyoda, site, TOMORROW).await.ok();
    assert_eq!(seen.slots[0].booked, 2);
    // A cancelled booking frees its number.
    let _: BookingList = chiyoda
        .call("cancel_booking", json!({ "id": first.bookings[0].id }))
        .await
        .ok();
    let _: BookingList = book(&chiyoda, site, &person(9, "1234567890")).await.ok();
}

#[tokio::test]
async fn only_the_site_and_its_municipality_read_the_list_and_each_read_is_audited() {
    let app = app().await;
    let (site, site_a, chiyoda) = open_for_booking(&app, &[(9, 10)]).await;
    let _: BookingList = book(&chiyoda, site, &person(9, "1234567890")).await.ok();
    let field = format!("bookings_read:{TOMORROW}");
    let reads = audit_rows(&app, &field).await;
    for reader in [&site_a, &chiyoda] {
        let seen: BookingList = list(reader, site, TOMORROW).await.ok();
        assert_eq!(seen.bookings[0].name, "厚労 花子");
    }
    assert_eq!(audit_rows(&app, &field).await, reads + 2);
    let readers: Vec<Option<i64>> = sqlx::query_scalar(
        "SELECT actor_user_id FROM audit_log WHERE field = $1 ORDER BY id DESC LIMIT 2",
    )
    .bind(&field)
    .fetch_all(app.db())
    .await
    .unwrap();
    assert_eq!(
        readers,
        vec![
            Some(app.user_id("chiyoda").await),
            Some(app.user_id("site-a").await)
        ]
    );
    // The audit log says when and what was booked, never who.
    let values: Vec<Option<String>> =
        sqlx::query_scalar("SELECT new_value FROM audit_log WHERE field LIKE 'booking%'")
            .fetch_all(app.db())
            .await
            .unwrap();
    assert!(values
        .iter()
        .flatten()
        .all(|v| !v.contains("花子") && !v.contains("1234567890")));

    for outsider in ["tokyo", "mhlw", "supplier", "minato"] {
        let client = app.logged_in(outsider).await;
        list(&client, site, TOMORROW)
            .await
            .assert_error(AppError::Forbidden);
        client
            .call("load_slots", json!({"site_id": site, "day": TOMORROW}))
            .await
            .assert_error(AppError::Forbidden);
    }
    assert_eq!(audit_rows(&app, &field).await, reads + 2);
}

#[tokio::test]
async fn the_retention_job_erases_personal_data_once_the_period_after_the_slot_has_passed() {
    let app = app().await;
    let (site, _, chiyoda) = open_for_booking(&app, &[(9, 10)]).await;
    let _: BookingList = book(&chiyoda, site, &person(9, "1234567890")).await.ok();
    let personal = || async {
        sqlx::query_as::<_, (String, String, Option<String>, String, Option<String>)>(
            "SELECT name, kana, birth_date, phone, ticket_number FROM bookings",
        )
        .fetch_one(app.db())
        .await
        .unwrap()
    };

    // 90 days after the slot (the default period), the job runs and keeps the data.
    app.advance(Duration::days(91));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(personal().await.0, "厚労 花子");

    // The day after, the job erases it on its own.
    app.advance(Duration::days(1));
    let mut erased = personal().await;
    for _ in 0..100 {
        if erased.0.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        erased = personal().await;
    }
    assert_eq!(
        erased,
        (String::new(), String::new(), None, String::new(), None)
    );
    assert_eq!(audit_rows(&app, "erased").await, 1);
    // The list still counts the booking, without anybody's data.
    let chiyoda = app.logged_in("chiyoda").await;
    let seen: BookingList = list(&chiyoda, site, TOMORROW).await.ok();
    assert!(seen.bookings[0].erased);
    assert_eq!(seen.bookings[0].name, "");
}
