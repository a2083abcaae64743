//! ホーム: large task buttons for the user's role (the seed: buttons, not tabs).

use super::billing::HomeBilling;
use super::bookings::HomeBookings;
use super::records::{HomeRecords, HomeRecordsOverview};
use super::reservation::{ReservationOverview, ReservationPanel};
use super::site_record::RequestBanners;
use super::supply::{HomeCools, HomeStock};
use crate::api::{list_change_requests, load_site_record};
use crate::domain::Role;
use crate::i18n::bookings::bookings_texts;
use crate::i18n::records::records_texts;
use crate::i18n::role_name;
use crate::i18n::site::site_texts;
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos_router::components::A;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let app = use_app();
    let session = move || app.session.get();
    // Once ホーム is on screen, fetch the areas its tabs lead to while the user reads it.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        match app.session.get() {
            Some(s) => {
                crate::ui::routes::preload_areas(s.role);
                true
            }
            None => false,
        }
    });
    let button = |href: &'static str, label: &'static str| {
        view! { <A href=href attr:class="task-button">{label}</A> }
    };
    view! {
        <h1>{move || app.t().home_title}</h1>
        <section class="welcome">
            <p>
                <strong>{move || session().map(|s| s.organisation).unwrap_or_default()}</strong>
                " "
                {move || session().map(|s| role_name(app.lang.get(), s.role)).unwrap_or_default()}
            </p>
        </section>
        {move || session().map(|_| view! { <super::help::HomeNotices/> })}
        {move || {
            let session = session()?;
            let site = session.acting_for.or(session.own_site)?;
            Some(view! { <SiteRecordNotices site_id=site.id/> })
        }}
        {move || {
            let session = session()?;
            if session.role != Role::Municipality || session.acting_for.is_some() {
                return None;
            }
            Some(view! { <PendingRequestsButton municipality=session.municipality_code?/> })
        }}
        {move || session().map(|_| view! { <HomeCools/> })}
        {move || {
            // A site (or a municipality acting for one) sees its stock, deliveries and expiring lots.
            let session = session()?;
            let site = session.acting_for.or(session.own_site)?;
            Some(view! { <HomeStock site_id=site.id/> })
        }}
        {move || {
            // 接種実績の登録, with whether today's record is in.
            let session = session()?;
            let site = session.acting_for.or(session.own_site)?;
            Some(view! { <HomeRecords site_id=site.id/> })
        }}
        {move || {
            // 請求 for the previous month, due on the 10th: a site (or a municipality acting for
            // one) its own bill; a municipality its sites that have not submitted.
            let session = session()?;
            let site = session.acting_for.or(session.own_site).map(|s| s.id);
            matches!(session.role, Role::Site | Role::Municipality).then(|| view! { <HomeBilling site_id=site/> })
        }}
        {move || {
            // 予約受付枠の設定 and 予約者一覧, once the municipality takes the site's bookings.
            let session = session()?;
            let site = session.acting_for.or(session.own_site)?;
            Some(view! { <HomeBookings site_id=site.id/> })
        }}
        {move || {
            let session = session()?;
            if session.role != Role::Municipality || session.acting_for.is_some() {
                return None;
            }
            Some(view! { <HomeRecordsOverview municipality=session.municipality_code?/> })
        }}
        {move || {
            // A site sees its own status; a municipality acting for a site sees that site's.
            let session = session()?;
            let site = session.acting_for.or(session.own_site)?;
            Some(view! { <ReservationPanel site_id=site.id/> })
        }}
        {move || {
            let session = session()?;
            if session.role != Role::Municipality || session.acting_for.is_some() {
                return None;
            }
            let municipality = session.municipality_code?;
            Some(view! { <ReservationOverview municipality=municipality/> })
        }}
        {move || {
            let t = app.t();
            let buttons = match session().map(|s| s.role) {
                Some(Role::Admin) => vec![
                    button("/desk", crate::i18n::help::help_texts(app.lang.get()).desk),
                    button("/policy", crate::i18n::help::help_texts(app.lang.get()).policy_title),
                    button("/users/new", t.task_issue_id),
                    button("/users", t.task_users),
                    button("/audit", t.task_audit),
                    button("/municipalities", t.task_municipalities),
                ],
                Some(Role::National) => vec![
                    button("/notices/manage", crate::i18n::help::help_texts(app.lang.get()).manage_notices),
                    button("/municipalities", t.task_municipalities),
                    button("/master/prices", crate::i18n::billing::billing_texts(app.lang.get()).prices_title),
                ],
                Some(Role::Prefecture) => vec![
                    button("/notices/manage", crate::i18n::help::help_texts(app.lang.get()).manage_notices),
                    button("/municipalities", t.task_municipalities),
                    button("/users/new", t.task_issue_id),
                    button("/users", t.task_users),
                ],
                Some(Role::Municipality) => vec![
                    button("/sites", t.task_sites),
                    button("/notices/manage", crate::i18n::help::help_texts(app.lang.get()).manage_notices),
                    button("/out-of-area", records_texts(app.lang.get()).home_ooa_button),
                    button("/bookings", bookings_texts(app.lang.get()).home_sites),
                    button("/users/new", t.task_issue_id),
                    button("/users", t.task_users),
                ],
                Some(Role::Site) | Some(Role::Supplier) | None => Vec::new(),
            };
            (!buttons.is_empty()).then(|| view! {
                <section aria-labelledby="tasks-title">
                    <h2 id="tasks-title">{t.home_tasks}</h2>
                    <div class="task-grid">{buttons}</div>
                </section>
            })
        }}
        {move || session().map(|s| starred_reports(app.lang.get(), s.role))}
    }
}

/// On a site's home: 「この医療機関の情報を見る」 (the seed's button to its 詳細), the warning
/// while it has no doctor, and its change request (pending, or the latest decision).
#[component]
fn SiteRecordNotices(site_id: i64) -> impl IntoView {
    let app = use_app();
    let record = Resource::new(move || site_id, load_site_record);
    // The notices add to the page when they arrive; the site's own page reports a failed load.
    view! {
        <div class="task-grid">
            <a class="task-button" href=format!("/sites/{site_id}")>{move || site_texts(app.lang.get()).home_site_button}</a>
        </div>
        <Suspense>
            // Built again in the other language, as the banners are written in one.
            {move || record.get().and_then(Result::ok).map(|r| {
                let t = site_texts(app.lang.get());
                view! {
                    {r.doctors.is_empty().then(|| view! { <div class="alert warning" role="alert">{t.no_doctor_warning}</div> })}
                    <RequestBanners view=r.clone()/>
                }
            })}
        </Suspense>
    }
}

/// On a municipality's home: the button to the pending change requests, with their number.
#[component]
fn PendingRequestsButton(municipality: String) -> impl IntoView {
    let app = use_app();
    let pending = Resource::new(move || municipality.clone(), list_change_requests);
    // The button is there at once; the number joins it when it arrives.
    view! {
        <div class="task-grid">
            <a class="task-button" href="/requests">
                {move || site_texts(app.lang.get()).task_requests}
                <Suspense>
                    {move || pending.get().and_then(Result::ok).map(|list| format!(" ({})", list.len()))}
                </Suspense>
            </a>
        </div>
    }
}

/// Shown for addresses that match no page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let app = use_app();
    view! {
        <main class="card">
            <h1>{move || app.t().not_found_title}</h1>
            <A href="/" attr:class="button link">{move || app.t().tab_home}</A>
        </main>
    }
}

/// The ★ reports of the role as large buttons (seed: ★はホーム画面のボタンからも利用可能).
fn starred_reports(lang: crate::i18n::Lang, role: Role) -> Option<impl IntoView> {
    // Straight from the codes rather than the レポート tab's catalogue and words, which travel with
    // the lazy report pages (R300 and R305 have buttons of their own on the municipality's ホーム).
    let mut codes: Vec<_> = crate::domain::reports::ReportCode::ALL
        .into_iter()
        .filter(|code| code.starred() && code.readers().contains(&role))
        .collect();
    // As the tab groups them: R204 beside R304, R208 beside R308.
    codes.sort_by_key(|code| (&code.as_str()[2..], &code.as_str()[..2]));
    let buttons: Vec<_> = codes
        .into_iter()
        .map(|code| view! { <A href=code.path() attr:class="task-button">{format!("{} {}★", code.as_str(), code.name().get(lang))}</A> })
        .collect();
    let title = lang.texts().tab_reports;
    (!buttons.is_empty()).then(|| {
        view! {
            <section aria-labelledby="home-reports-title">
                <h2 id="home-reports-title">{title}</h2>
                <div class="task-grid">{buttons}</div>
            </section>
        }
    })
}
