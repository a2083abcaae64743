//! 都道府県管内の市町村一覧 and the sites of a municipality (with 代理入力).

use crate::api::{
    act_for_site, list_municipalities, list_prefectures, list_sites, Choice, MunicipalityRow,
    SiteRow,
};
use crate::domain::Role;
use crate::i18n::site_type_name;
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The municipalities of a prefecture; national and admin users choose the prefecture.
#[component]
pub fn MunicipalitiesPage() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let own = app.session.get_untracked().and_then(|s| {
        if s.role == Role::Prefecture {
            s.prefecture_code
        } else {
            None
        }
    });
    let prefecture = RwSignal::new(
        query
            .get_untracked()
            .get("p")
            .and_then(|p| p.parse::<u8>().ok())
            .or(own)
            .unwrap_or(13),
    );
    let prefectures = RwSignal::new(Vec::<Choice>::new());
    let rows = RwSignal::new(None::<Vec<MunicipalityRow>>);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move {
        if let Ok(list) = list_prefectures().await {
            prefectures.set(list);
        }
    });
    Effect::new(move |_| {
        let code = prefecture.get();
        rows.set(None);
        spawn_local(async move {
            match list_municipalities(code).await {
                Ok(list) => rows.set(Some(list)),
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
        });
    });
    view! {
        <h1>{move || app.t().task_municipalities}</h1>
        <div class="toolbar">
            <label for="prefecture">{move || app.t().prefecture}</label>
            <select id="prefecture" on:change=move |ev| {
                if let Ok(code) = event_target_value(&ev).parse() { prefecture.set(code) }
            }>
                {move || prefectures.get().into_iter().map(|p| {
                    let selected = p.value == prefecture.get().to_string();
                    view! { <option value=p.value.clone() selected=selected>{p.label.clone()}</option> }
                }).collect_view()}
            </select>
        </div>
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        {move || match rows.get() {
            None => view! { <p class="loading">{move || app.t().loading}</p> }.into_any(),
            Some(list) => view! {
                <div class="table-wrap"><table class="table">
                    <thead><tr>
                        <th>{move || app.t().municipality_code}</th>
                        <th>{move || app.t().municipality}</th>
                        <th>{move || app.t().reading}</th>
                        <th class="num">{move || app.t().site_count}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|m| {
                            let href = format!("/sites?m={}", m.code);
                            view! { <tr>
                                <td>{m.code.clone()}</td>
                                <td><A href=href>{m.name.clone()}</A></td>
                                <td>{m.name_kana.clone()}</td>
                                <td class="num">{m.site_count}</td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any(),
        }}
    }
}

/// The sites of a municipality; municipality users can act for one (代理入力).
#[component]
pub fn SitesPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let query = use_query_map();
    let session = app.session.get_untracked();
    let is_municipality = session
        .as_ref()
        .is_some_and(|s| s.role == Role::Municipality);
    let municipality = query
        .get_untracked()
        .get("m")
        .or_else(|| session.and_then(|s| s.municipality_code))
        .unwrap_or_default();
    let rows = RwSignal::new(None::<Vec<SiteRow>>);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move {
        match list_sites(municipality).await {
            Ok(list) => rows.set(Some(list)),
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
    });
    let act = move |site_id: i64| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match act_for_site(site_id).await {
                Ok(info) => {
                    app.session.set(Some(info));
                    navigate("/", Default::default());
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
        });
    };
    view! {
        <h1>{move || app.t().task_sites}</h1>
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        {move || match rows.get() {
            None => view! { <p class="loading">{move || app.t().loading}</p> }.into_any(),
            Some(list) if list.is_empty() => view! { <p>{move || app.t().no_rows}</p> }.into_any(),
            Some(list) => {
                let act = act.clone();
                view! {
                    <p class="muted">{list.first().map(|s| s.municipality_name.clone()).unwrap_or_default()}</p>
                    <div class="table-wrap"><table class="table">
                        <thead><tr>
                            <th>{move || app.t().site_name}</th>
                            <th>{move || app.t().site_type}</th>
                            <th>{move || app.t().basic_site}</th>
                            {is_municipality.then(|| view! { <th>{move || app.t().act_for}</th> })}
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|s| {
                                let act = act.clone();
                                let id = s.id;
                                view! { <tr>
                                    <td><a href=format!("/sites/{}", s.id)>{s.name.clone()}</a></td>
                                    <td>{move || site_type_name(app.lang.get(), s.site_type)}</td>
                                    <td>{s.basic_site.clone().map(|b| b.name).unwrap_or_default()}</td>
                                    {is_municipality.then(|| view! {
                                        <td><button type="button" class="button secondary" on:click=move |_| act(id)>{move || app.t().act_for}</button></td>
                                    })}
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }
        }}
    }
}
