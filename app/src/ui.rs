//! The browser application: routes, the shared context, and the pages.

pub mod context;
pub mod dialog;
pub mod fields;
pub mod form;
pub mod pages;
pub mod shell;

use context::{provide_app_context, use_app};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use pages::*;
use shell::Protected;

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
                <Route path=path!("/setup") view=SetupPage/>
                <Route path=path!("/onboarding") view=OnboardingPage/>
                <Route path=path!("/dev/outbox") view=OutboxPage/>
                <Route path=path!("/") view=|| view! { <Protected><HomePage/></Protected> }/>
                <Route path=path!("/municipalities") view=|| view! { <Protected><MunicipalitiesPage/></Protected> }/>
                <Route path=path!("/sites") view=|| view! { <Protected><SitesPage/></Protected> }/>
                <Route path=path!("/sites/:id") view=|| view! { <Protected><SiteDetailPage/></Protected> }/>
                <Route path=path!("/sites/:id/edit") view=|| view! { <Protected><SiteEditPage/></Protected> }/>
                <Route path=path!("/sites/:id/doctors/new") view=|| view! { <Protected><DoctorEditPage/></Protected> }/>
                <Route path=path!("/sites/:id/doctors/:doctor") view=|| view! { <Protected><DoctorEditPage/></Protected> }/>
                <Route path=path!("/requests") view=|| view! { <Protected><RequestsPage/></Protected> }/>
                <Route path=path!("/requests/:id") view=|| view! { <Protected><RequestPage/></Protected> }/>
                <Route path=path!("/navi") view=FinderPage/>
                <Route path=path!("/users") view=|| view! { <Protected><UsersPage/></Protected> }/>
                <Route path=path!("/users/new") view=|| view! { <Protected><IssueUserPage/></Protected> }/>
                <Route path=path!("/audit") view=|| view! { <Protected><AuditPage/></Protected> }/>
            </Routes>
        </Router>
    }
}
