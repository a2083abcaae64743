//! The browser application: routes, the shared context, and the pages.

pub mod context;
pub mod dialog;
pub mod download;
pub mod fields;
pub mod form;
pub mod pages;
pub mod routes;
pub mod shell;

use context::{provide_app_context, use_app};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};
use pages::{ForgotPasswordPage, LoginPage, NotFoundPage};
use routes::*;

/// The root component mounted into `<body>`.
#[component]
pub fn App() -> impl IntoView {
    provide_app_context();
    let app = use_app();
    Effect::new(move |_| {
        let lang = app.lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/forgot") view=ForgotPasswordPage/>
                <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()}/>
                <Route path=path!("/onboarding") view={Lazy::<OnboardingRoute>::new()}/>
                <Route path=path!("/dev/outbox") view={Lazy::<OutboxRoute>::new()}/>
                <Route path=path!("/") view={Lazy::<HomeRoute>::new()}/>
                <Route path=path!("/municipalities") view={Lazy::<MunicipalitiesRoute>::new()}/>
                <Route path=path!("/sites") view={Lazy::<SitesRoute>::new()}/>
                <Route path=path!("/sites/:id") view={Lazy::<SiteDetailRoute>::new()}/>
                <Route path=path!("/sites/:id/edit") view={Lazy::<SiteEditRoute>::new()}/>
                <Route path=path!("/sites/:id/doctors/new") view={Lazy::<DoctorEditRoute>::new()}/>
                <Route path=path!("/sites/:id/doctors/:doctor") view={Lazy::<DoctorEditRoute>::new()}/>
                <Route path=path!("/requests") view={Lazy::<RequestsRoute>::new()}/>
                <Route path=path!("/requests/:id") view={Lazy::<RequestRoute>::new()}/>
                <Route path=path!("/navi") view={Lazy::<FinderRoute>::new()}/>
                <Route path=path!("/users") view={Lazy::<UsersRoute>::new()}/>
                <Route path=path!("/users/new") view={Lazy::<IssueUserRoute>::new()}/>
                <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()}/>
                <Route path=path!("/cools") view={Lazy::<CoolsRoute>::new()}/>
                <Route path=path!("/cools/:id") view={Lazy::<CoolRoute>::new()}/>
                <Route path=path!("/cools/:id/sites/:site") view={Lazy::<SiteRequestRoute>::new()}/>
                <Route path=path!("/cools/:id/allocation") view={Lazy::<AllocationRoute>::new()}/>
                <Route path=path!("/cools/:id/allocation/prefecture/:code") view={Lazy::<AllocationRoute>::new()}/>
                <Route path=path!("/master/vaccines") view={Lazy::<VaccineMasterRoute>::new()}/>
                <Route path=path!("/lots") view={Lazy::<LotsRoute>::new()}/>
                <Route path=path!("/cools/:id/deliveries") view={Lazy::<DeliveriesRoute>::new()}/>
                <Route path=path!("/sites/:id/stock") view={Lazy::<SiteStockRoute>::new()}/>
                <Route path=path!("/suppliers") view={Lazy::<SuppliersRoute>::new()}/>
                <Route path=path!("/sites/:id/records") view={Lazy::<SiteRecordsRoute>::new()}/>
                <Route path=path!("/records") view={Lazy::<RecordsOverviewRoute>::new()}/>
                <Route path=path!("/out-of-area") view={Lazy::<OutOfAreaRoute>::new()}/>
                <Route path=path!("/sites/:id/slots") view={Lazy::<SlotsRoute>::new()}/>
                <Route path=path!("/sites/:id/bookings") view={Lazy::<BookingsRoute>::new()}/>
                <Route path=path!("/bookings") view={Lazy::<BookingSitesRoute>::new()}/>
                <Route path=path!("/bills") view={Lazy::<BillsRoute>::new()}/>
                <Route path=path!("/bills/:id/:month") view={Lazy::<BillRoute>::new()}/>
                <Route path=path!("/master/prices") view={Lazy::<PricesRoute>::new()}/>
                <Route path=path!("/notices") view={Lazy::<NoticesRoute>::new()}/>
                <Route path=path!("/notices/manage") view={Lazy::<NoticeAuthoringRoute>::new()}/>
                <Route path=path!("/policy") view={Lazy::<PolicyRoute>::new()}/>
                <Route path=path!("/knowledge") view={Lazy::<KnowledgeRoute>::new()}/>
                <Route path=path!("/knowledge/:number") view={Lazy::<ArticleRoute>::new()}/>
                <Route path=path!("/chat") view={Lazy::<ChatRoute>::new()}/>
                <Route path=path!("/inquiries") view={Lazy::<InquiriesRoute>::new()}/>
                <Route path=path!("/inquiries/:id") view={Lazy::<InquiryRoute>::new()}/>
                <Route path=path!("/desk") view={Lazy::<DeskRoute>::new()}/>
                <Route path=path!("/reports") view={Lazy::<ReportsRoute>::new()}/>
                <Route path=path!("/reports/:code") view={Lazy::<ReportRoute>::new()}/>
            </Routes>
        </Router>
    }
}
