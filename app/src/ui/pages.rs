//! The pages, one module each.

mod audit;
mod billing;
mod bookings;
mod doctors;
mod finder;
mod help;
mod home;
mod login;
mod onboarding;
mod org;
mod out_of_area;
mod outbox;
mod records;
mod reports;
mod requests;
mod reservation;
mod setup;
mod site_record;
mod supply;
mod users;

pub use audit::AuditPage;
pub use billing::{BillPage, BillsPage, HomeBilling, PricesPage};
pub use bookings::{BookingSitesPage, BookingsPage, HomeBookings, SlotsPage};
pub use doctors::DoctorEditPage;
pub use finder::FinderPage;
pub use help::{
    ArticlePage, ChatPage, DeskPage, HomeNotices, InquiriesPage, InquiryPage, KnowledgePage,
    NoticeAuthoringPage, NoticesPage, PolicyPage,
};
pub use home::{HomePage, NotFoundPage};
pub use login::{ForgotPasswordPage, LoginPage};
pub use onboarding::OnboardingPage;
pub use org::{MunicipalitiesPage, SitesPage};
pub use out_of_area::OutOfAreaPage;
pub use outbox::OutboxPage;
pub use records::{HomeRecords, HomeRecordsOverview, RecordsOverviewPage, SiteRecordsPage};
pub use reports::{ReportPage, ReportsPage};
pub use requests::{RequestPage, RequestsPage};
pub use setup::SetupPage;
pub use site_record::{RequestBanners, SiteDetailPage, SiteEditPage};
pub use supply::{
    AllocationPage, CoolPage, CoolsPage, DeliveriesPage, HomeCools, LotsPage, SiteRequestPage,
    SiteStockPage, SuppliersPage, VaccineMasterPage,
};
pub use users::{IssueUserPage, UsersPage};

use crate::ui::context::use_app;
use leptos::prelude::*;

/// The frame of the pages shown before login: title, language switch, content.
#[component]
pub fn PublicFrame(#[prop(into)] title: Signal<String>, children: Children) -> impl IntoView {
    let app = use_app();
    view! {
        <div class="public">
            <header class="public-header">
                <div class="brand">
                    <span class="brand-name">{move || app.t().app_title}</span>
                    <span class="brand-sub">{move || app.t().app_subtitle}</span>
                </div>
                <button type="button" class="button secondary" on:click=move |_| app.toggle_lang()>
                    {move || app.t().switch_language}
                </button>
            </header>
            <main class="card">
                <h1>{move || title.get()}</h1>
                {move || app.notice.get().map(|n| view! { <div class="notice" role="status">{n}</div> })}
                {children()}
            </main>
        </div>
    }
}
