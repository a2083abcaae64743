//! The frame around every logged-in page: header (user, role, organisation, 代理入力, language,
//! logout) and the tabs; the guard that sends visitors to the login or first-login steps; and
//! what a page shows while its data loads or when loading failed.

use crate::api::{logout, stop_acting};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{app_error, role_name};
use crate::ui::context::use_app;
use crate::ui::form::on_each_answer;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

/// Shows `children` inside the frame when a user is logged in with every first-login step done;
/// otherwise goes to the login page or the first-login steps.
#[component]
pub fn Protected(children: ChildrenFn) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if !app.loaded.get() {
            return;
        }
        match app.session.get() {
            None => navigate("/login", Default::default()),
            Some(session) if session.onboarding.is_some() => {
                navigate("/onboarding", Default::default())
            }
            Some(_) => {}
        }
    });
    let ready = move || {
        app.loaded.get()
            && app
                .session
                .with(|s| s.as_ref().is_some_and(|s| s.onboarding.is_none()))
    };
    view! {
        <Show when=ready fallback=Loading>
            <Header/>
            <main class="page">{children()}</main>
            // The chatbot is one tap away on every page (24時間対応).
            <aside aria-label=move || app.t().chat_fab>
                <A href="/chat" attr:class="chat-fab">{move || app.t().chat_fab}</A>
            </aside>
        </Show>
    }
}

/// The header and the tabs.
#[component]
fn Header() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let session = move || app.session.get();
    let role = move || session().map(|s| s.role);
    let log_out = Action::new(|_: &()| logout());
    let logging_out = log_out.pending();
    // The session ends in this browser even if the server could not be told.
    on_each_answer(log_out, move |_| {
        app.session.set(None);
        navigate("/login", Default::default());
    });
    let stop = Action::new(|_: &()| stop_acting());
    let stopping = stop.pending();
    on_each_answer(stop, move |answer| match answer {
        Ok(info) => app.session.set(Some(info)),
        Err(error) => {
            app.handle_error(&error);
        }
    });
    let location = use_location();
    // The tab whose page is open: the longest target the path lies under, so that a site's
    // 在庫 (/sites/5/stock) lights 在庫, not also 医療機関・接種会場の詳細 (/sites/5).
    let tab_links = move |tabs: Vec<(String, String)>| {
        let targets: Vec<String> = tabs.iter().map(|(href, _)| href.clone()).collect();
        tabs.into_iter()
            .map(|(href, label)| {
                let target = href.clone();
                let targets = targets.clone();
                let current = move || {
                    let path = location.pathname.get();
                    let under = |t: &str| {
                        path == t || (t != "/" && path.starts_with(&format!("{t}/")))
                    };
                    under(&target)
                        && !targets
                            .iter()
                            .any(|other| other.len() > target.len() && under(other))
                };
                view! {
                    <A href=href attr:class="tab" attr:aria-current=move || current().then_some("page")>{label}</A>
                }
            })
            .collect_view()
    };
    view! {
        <header class="app-header">
            <div class="brand">
                <span class="brand-name">{move || app.t().app_title}</span>
                <span class="brand-sub">{move || app.t().app_subtitle}</span>
            </div>
            <div class="who">
                <span class="who-name">{move || session().map(|s| s.display_name).unwrap_or_default()}</span>
                <span class="who-role">{move || role().map(|r| role_name(app.lang.get(), r)).unwrap_or_default()}</span>
                <span class="who-org">{move || session().map(|s| s.organisation).unwrap_or_default()}</span>
            </div>
            <div class="header-actions">
                <button type="button" class="button secondary" on:click=move |_| app.toggle_lang()>
                    {move || app.t().switch_language}
                </button>
                <button type="button" class="button secondary" disabled=move || logging_out.get() on:click=move |_| { log_out.dispatch(()); }>{move || app.t().logout}</button>
            </div>
        </header>
        <Show when=move || session().is_some_and(|s| s.acting_for.is_some())>
            <div class="acting-banner" role="status">
                <span>{move || app.t().acting_for} " " <strong>{move || session().and_then(|s| s.acting_for).map(|s| s.name).unwrap_or_default()}</strong></span>
                <button type="button" class="button secondary" disabled=move || stopping.get() on:click=move |_| { stop.dispatch(()); }>{move || app.t().stop_acting}</button>
            </div>
        </Show>
        <nav class="tabs" aria-label="tabs">
            {move || {
                let t = app.t();
                let supply = crate::i18n::supply::supply_texts(app.lang.get());
                let mut tabs = vec![("/".to_string(), t.tab_home.to_string())];
                match role() {
                    Some(Role::Site) => {
                        if let Some(site) = session().and_then(|s| s.own_site) {
                            let label = crate::i18n::site::site_texts(app.lang.get()).task_site_detail;
                            tabs.push((format!("/sites/{}", site.id), label.to_string()));
                            tabs.push((format!("/sites/{}/stock", site.id), supply.tab_stock.to_string()));
                            tabs.push((format!("/sites/{}/records", site.id), t.tab_records.to_string()));
                        }
                        tabs.push(("/cools".to_string(), supply.tab_cools.to_string()));
                    }
                    Some(Role::Municipality) => {
                        tabs.push(("/sites".to_string(), t.tab_sites.to_string()));
                        let label = crate::i18n::site::site_texts(app.lang.get()).task_requests;
                        tabs.push(("/requests".to_string(), label.to_string()));
                        tabs.push(("/cools".to_string(), supply.tab_cools.to_string()));
                        tabs.push(("/records".to_string(), t.tab_records.to_string()));
                        tabs.push(("/users".to_string(), t.tab_users.to_string()));
                    }
                    Some(Role::Prefecture) => {
                        tabs.push(("/municipalities".to_string(), t.tab_municipalities.to_string()));
                        tabs.push(("/cools".to_string(), supply.tab_cools.to_string()));
                        tabs.push(("/suppliers".to_string(), supply.tab_suppliers.to_string()));
                        tabs.push(("/users".to_string(), t.tab_users.to_string()));
                    }
                    Some(Role::National) => {
                        tabs.push(("/municipalities".to_string(), t.tab_municipalities.to_string()));
                        tabs.push(("/cools".to_string(), supply.tab_cools.to_string()));
                        tabs.push(("/master/vaccines".to_string(), supply.tab_master.to_string()));
                        tabs.push(("/lots".to_string(), supply.tab_lots.to_string()));
                        tabs.push(("/suppliers".to_string(), supply.tab_suppliers.to_string()));
                    }
                    Some(Role::Supplier) => {
                        tabs.push(("/cools".to_string(), supply.tab_cools.to_string()));
                        tabs.push(("/lots".to_string(), supply.tab_lots.to_string()));
                        tabs.push(("/master/vaccines".to_string(), supply.tab_master.to_string()));
                    }
                    Some(Role::Admin) => {
                        tabs.push(("/municipalities".to_string(), t.tab_municipalities.to_string()));
                        tabs.push(("/users".to_string(), t.tab_users.to_string()));
                        tabs.push(("/audit".to_string(), t.tab_audit.to_string()));
                        tabs.push(("/master/vaccines".to_string(), supply.tab_master.to_string()));
                        tabs.push(("/suppliers".to_string(), supply.tab_suppliers.to_string()));
                    }
                    None => {}
                }
                if role().is_some_and(|r| r != Role::Supplier) {
                    tabs.push(("/bills".to_string(), t.tab_billing.to_string()));
                    tabs.push(("/reports".to_string(), t.tab_reports.to_string()));
                }
                if role().is_some() {
                    tabs.push(("/knowledge".to_string(), t.tab_knowledge.to_string()));
                    tabs.push(("/inquiries".to_string(), t.tab_inquiries.to_string()));
                }
                tab_links(tabs)
            }}
        </nav>
    }
}

/// Where a user lands after logging in: a site on its own 医療機関・接種会場の詳細 (the first-login
/// guide's STEP 2 starts there), everyone else on ホーム.
pub fn landing_path(session: &crate::api::SessionInfo) -> String {
    match (&session.role, &session.own_site) {
        (Role::Site, Some(site)) => format!("/sites/{}", site.id),
        _ => "/".to_string(),
    }
}

/// 読み込み中…, where a page or a part of it waits for its data.
#[component]
pub fn Loading() -> impl IntoView {
    let app = use_app();
    view! { <p class="loading">{move || app.t().loading}</p> }
}

/// Where data could not be loaded: why, in the current language; a lost session also goes back
/// to the login page (see [`crate::ui::context::AppContext::handle_error`]).
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let app = use_app();
    let reported = error.clone();
    // After the view is in place, so that a lost session unmounts the page only once it is built.
    Effect::new(move |_| {
        app.handle_error(&reported);
    });
    view! { <div class="alert" role="alert">{move || app_error(app.lang.get(), &error)}</div> }
}

/// The children of a `<Suspense>` or `<Transition>` (which show [`Loading`] meanwhile) that
/// wait for `resource`: `ready` with what it loaded, or [`LoadError`].
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    ready: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> LoadedView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    Box::new(move || {
        let ready = ready.clone();
        Suspend::new(async move {
            match resource.await {
                Ok(value) => ready(value).into_any(),
                Err(error) => view! { <LoadError error=error/> }.into_any(),
            }
        })
    })
}

/// What [`loaded`] makes: one type for every page, so that the WebAssembly holds one
/// `<Suspense>` and one `<Transition>` for them all rather than one per page.
pub type LoadedView = Box<dyn Fn() -> Suspend<AnyView> + Send + Sync>;
