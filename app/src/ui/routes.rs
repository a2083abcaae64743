//! The pages that are downloaded on first use, not with the login form.
//!
//! Each route below is a [`LazyRoute`] whose view lives in a split-off WebAssembly module: the
//! build's wasm-split step (scripts/build-frontend.sh) moves the view, and every function only it
//! reaches, out of the main module. Routes are grouped by area, one module per group (`first_login`,
//! `finder`, `dev_outbox`, `organisation`, `site_record`, `supply`, `records`, `bookings`, `reports`, `billing`, `help`): a user downloads an area once, and a few
//! larger modules compress better and need fewer requests than one per page. What the login form
//! needs stays in the main module, so a tablet downloads only that before anyone can log in
//! (docs/design/code-splitting.md). A new capability adds its own group.

use super::context::use_app;
use super::pages::*;
use super::shell::Protected;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::LazyRoute;

/// Declares lazily loaded routes whose views go into the split module `$module`: for each, a
/// unit struct `$route` and the split function `$split` (a name unique in the crate) returning
/// `$view`. A module that cannot be downloaded shows [`load_failed`] instead of stopping the app.
/// Each view first registers the words of the field errors beyond the login form's, which thus
/// travel in the lazy modules rather than the main one.
macro_rules! lazy_routes {
    ($module:ident: $($(#[$doc:meta])* $route:ident($split:ident) => $view:expr;)+) => {$(
        $(#[$doc])*
        pub struct $route;

        const _: () = {
            #[::leptos::wasm_split::wasm_split(
                $module,
                wasm_split_path = ::leptos::wasm_split,
                fallible,
                preload(preload_split)
            )]
            fn $split() -> Result<AnyView, SplitLoaderError> {
                crate::i18n::errors::use_area_words();
                Ok($view.into_any())
            }

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $split().await.unwrap_or_else(|_| load_failed())
                }

                async fn preload() {
                    // A failure is shown by `view`, which tries again.
                    let _ = preload_split().await;
                }
            }
        };
    )+};
}

lazy_routes! { first_login:
    /// /setup: a new user's first steps from the e-mailed link.
    SetupRoute(setup_view) => view! { <SetupPage/> };
    /// /onboarding: the first-login steps after the password.
    OnboardingRoute(onboarding_view) => view! { <OnboardingPage/> };
}

lazy_routes! { finder:
    /// /navi: the public finder (コロナワクチンナビ).
    FinderRoute(finder_view) => view! { <FinderPage/> };
}

lazy_routes! { dev_outbox:
    /// /dev/outbox: the development mail outbox.
    OutboxRoute(outbox_view) => view! { <OutboxPage/> };
}

lazy_routes! { organisation:
    /// /: ホーム.
    HomeRoute(home_view) => view! { <Protected><HomePage/></Protected> };
    /// /municipalities: 市町村マスタ.
    MunicipalitiesRoute(municipalities_view) => view! { <Protected><MunicipalitiesPage/></Protected> };
    /// /sites: a municipality's sites.
    SitesRoute(sites_view) => view! { <Protected><SitesPage/></Protected> };
    /// /users: ユーザ一覧.
    UsersRoute(users_view) => view! { <Protected><UsersPage/></Protected> };
    /// /users/new: ID発行.
    IssueUserRoute(issue_user_view) => view! { <Protected><IssueUserPage/></Protected> };
    /// /audit: 監査ログ.
    AuditRoute(audit_view) => view! { <Protected><AuditPage/></Protected> };
}

lazy_routes! { site_record:
    /// /sites/:id: 医療機関・接種会場の詳細.
    SiteDetailRoute(site_detail_view) => view! { <Protected><SiteDetailPage/></Protected> };
    /// /sites/:id/edit: the site form.
    SiteEditRoute(site_edit_view) => view! { <Protected><SiteEditPage/></Protected> };
    /// /sites/:id/doctors/new and /sites/:id/doctors/:doctor.
    DoctorEditRoute(doctor_edit_view) => view! { <Protected><DoctorEditPage/></Protected> };
    /// /requests: 情報変更申請一覧.
    RequestsRoute(requests_view) => view! { <Protected><RequestsPage/></Protected> };
    /// /requests/:id: one change request.
    RequestRoute(request_view) => view! { <Protected><RequestPage/></Protected> };
}

lazy_routes! { supply:
    /// /cools: クール一覧 and クールの作成.
    CoolsRoute(cools_view) => view! { <Protected><CoolsPage/></Protected> };
    /// /cools/:id: one cool with the caller's part of it.
    CoolRoute(cool_view) => view! { <Protected><CoolPage/></Protected> };
    /// /cools/:id/sites/:site: 希望量の登録 for one site.
    SiteRequestRoute(site_request_view) => view! { <Protected><SiteRequestPage/></Protected> };
    /// /cools/:id/allocation and /cools/:id/allocation/prefecture/:code: 分配.
    AllocationRoute(allocation_view) => view! { <Protected><AllocationPage/></Protected> };
    /// /master/vaccines: ワクチン・針・シリンジマスタ.
    VaccineMasterRoute(vaccine_master_view) => view! { <Protected><VaccineMasterPage/></Protected> };
    /// /lots: 納入ロット.
    LotsRoute(lots_view) => view! { <Protected><LotsPage/></Protected> };
    /// /cools/:id/deliveries: 納入予定日・納入.
    DeliveriesRoute(deliveries_view) => view! { <Protected><DeliveriesPage/></Protected> };
    /// /sites/:id/stock: 在庫・移送・廃棄.
    SiteStockRoute(site_stock_view) => view! { <Protected><SiteStockPage/></Protected> };
    /// /suppliers: 製薬メーカー・卸と担当地域.
    SuppliersRoute(suppliers_view) => view! { <Protected><SuppliersPage/></Protected> };
}

lazy_routes! { records:
    /// /sites/:id/records: 接種実績.
    SiteRecordsRoute(site_records_view) => view! { <Protected><SiteRecordsPage/></Protected> };
    /// /records: a municipality's 接種実績の登録状況.
    RecordsOverviewRoute(records_overview_view) => view! { <Protected><RecordsOverviewPage/></Protected> };
    /// /out-of-area: R300 住所地外接種の申請状況一覧.
    OutOfAreaRoute(out_of_area_view) => view! { <Protected><OutOfAreaPage/></Protected> };
}

lazy_routes! { reports:
    /// /reports: レポート, the reports the role may open.
    ReportsRoute(reports_view) => view! { <Protected><ReportsPage/></Protected> };
    /// /reports/:code: one report.
    ReportRoute(report_view) => view! { <Protected><ReportPage/></Protected> };
}

lazy_routes! { billing:
    /// /bills: 請求 as the role sees it.
    BillsRoute(bills_view) => view! { <Protected><BillsPage/></Protected> };
    /// /bills/:id/:month: a site's bill for a month.
    BillRoute(bill_view) => view! { <Protected><BillPage/></Protected> };
    /// /master/prices: 単価マスタ.
    PricesRoute(prices_view) => view! { <Protected><PricesPage/></Protected> };
}

lazy_routes! { help:
    /// /notices: 過去のお知らせ一覧.
    NoticesRoute(notices_view) => view! { <Protected><NoticesPage/></Protected> };
    /// /notices/manage: the organisation's notices.
    NoticeAuthoringRoute(notice_authoring_view) => view! { <Protected><NoticeAuthoringPage/></Protected> };
    /// /policy: a new version of the privacy policy.
    PolicyRoute(policy_view) => view! { <Protected><PolicyPage/></Protected> };
    /// /knowledge: ナレッジ.
    KnowledgeRoute(knowledge_view) => view! { <Protected><KnowledgePage/></Protected> };
    /// /knowledge/:number: one article.
    ArticleRoute(article_view) => view! { <Protected><ArticlePage/></Protected> };
    /// /chat: the AI自動応答チャットボット.
    ChatRoute(chat_view) => view! { <Protected><ChatPage/></Protected> };
    /// /inquiries: 問い合わせフォーム and the user's inquiries.
    InquiriesRoute(inquiries_view) => view! { <Protected><InquiriesPage/></Protected> };
    /// /inquiries/:id: one inquiry.
    InquiryRoute(inquiry_view) => view! { <Protected><InquiryPage/></Protected> };
    /// /desk: the service desk.
    DeskRoute(desk_view) => view! { <Protected><DeskPage/></Protected> };
}

lazy_routes! { bookings:
    /// /sites/:id/slots: 予約受付枠の設定.
    SlotsRoute(slots_view) => view! { <Protected><SlotsPage/></Protected> };
    /// /sites/:id/bookings: R305 予約者一覧 and the municipality's booking form.
    BookingsRoute(bookings_view) => view! { <Protected><BookingsPage/></Protected> };
    /// /bookings: the municipality's sites whose bookings it takes.
    BookingSitesRoute(booking_sites_view) => view! { <Protected><BookingSitesPage/></Protected> };
}

/// Downloads, in the background, the areas the user's tabs lead to, so that the first click on
/// one of them does not wait for its module (ホーム calls this once it is shown; the login form
/// never does, so what a tablet fetches before anyone logs in stays the same). A failed download
/// is tried again by the page itself when it is opened.
pub fn preload_areas(role: crate::domain::Role) {
    use crate::domain::Role;
    leptos::task::spawn_local(async move {
        match role {
            Role::Site | Role::Municipality => {
                SiteDetailRoute::preload().await;
                CoolsRoute::preload().await;
                SiteRecordsRoute::preload().await;
            }
            Role::Admin => {
                SiteDetailRoute::preload().await;
                CoolsRoute::preload().await;
            }
            Role::National | Role::Prefecture | Role::Supplier => CoolsRoute::preload().await,
        }
    });
}

/// Shown instead of a page whose module could not be downloaded (the connection dropped, or a
/// deployment removed this build's files long after the tab was opened).
fn load_failed() -> AnyView {
    let app = use_app();
    view! {
        <main class="card">
            <p role="alert">{move || app.t().page_load_failed}</p>
            <button type="button" class="button primary" on:click=|_| { let _ = window().location().reload(); }>
                {move || app.t().reload}
            </button>
        </main>
    }
    .into_any()
}
