//! The frame around every logged-in page: header (user, role, organisation, 代理入力, language,
//! logout) and the tabs; and the guard that sends visitors to the login or first-login steps.

use crate::api::{logout, stop_acting};
use crate::domain::Role;
use crate::i18n::role_name;
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos::task::spawn_local;
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
        <Show when=ready fallback=move || view! { <p class="loading">{move || app.t().loading}</p> }>
            <Header/>
            <main class="page">{children()}</main>
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
    let on_logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = logout().await;
            app.session.set(None);
            navigate("/login", Default::default());
        });
    };
    let on_stop_acting = move |_| {
        spawn_local(async move {
            match stop_acting().await {
                Ok(info) => app.session.set(Some(info)),
                Err(error) => {
                    app.handle_error(&error);
                }
            }
        });
    };
    let location = use_location();
    let tab = move |href: String, label: String| {
        let target = href.clone();
        let current = move || {
            let path = location.pathname.get();
            if target == "/" {
                path == "/"
            } else {
                path.starts_with(&target)
            }
        };
        view! {
            <A href=href attr:class="tab" attr:aria-current=move || current().then_some("page")>{label}</A>
        }
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
                <button type="button" class="button secondary" on:click=on_logout>{move || app.t().logout}</button>
            </div>
        </header>
        <Show when=move || session().is_some_and(|s| s.acting_for.is_some())>
            <div class="acting-banner" role="status">
                <span>{move || app.t().acting_for} " " <strong>{move || session().and_then(|s| s.acting_for).map(|s| s.name).unwrap_or_default()}</strong></span>
                <button type="button" class="button secondary" on:click=on_stop_acting>{move || app.t().stop_acting}</button>
            </div>
        </Show>
        <nav class="tabs" aria-label="tabs">
            {move || {
                let t = app.t();
                let mut tabs = vec![tab("/".to_string(), t.tab_home.to_string())];
                match role() {
                    Some(Role::Site) => {
                        if let Some(site) = session().and_then(|s| s.own_site) {
                            let label = crate::i18n::site::site_texts(app.lang.get()).task_site_detail;
                            tabs.push(tab(format!("/sites/{}", site.id), label.to_string()));
                        }
                    }
                    Some(Role::Municipality) => {
                        tabs.push(tab("/sites".to_string(), t.tab_sites.to_string()));
                        let label = crate::i18n::site::site_texts(app.lang.get()).task_requests;
                        tabs.push(tab("/requests".to_string(), label.to_string()));
                        tabs.push(tab("/users".to_string(), t.tab_users.to_string()));
                    }
                    Some(Role::Prefecture) => {
                        tabs.push(tab("/municipalities".to_string(), t.tab_municipalities.to_string()));
                        tabs.push(tab("/users".to_string(), t.tab_users.to_string()));
                    }
                    Some(Role::National) => {
                        tabs.push(tab("/municipalities".to_string(), t.tab_municipalities.to_string()));
                    }
                    Some(Role::Admin) => {
                        tabs.push(tab("/municipalities".to_string(), t.tab_municipalities.to_string()));
                        tabs.push(tab("/users".to_string(), t.tab_users.to_string()));
                        tabs.push(tab("/audit".to_string(), t.tab_audit.to_string()));
                    }
                    _ => {}
                }
                tabs.collect_view()
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
