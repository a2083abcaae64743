//! 都道府県管内の市町村一覧 and the sites of a municipality (with 代理入力).

use crate::api::{act_for_site, list_municipalities, list_prefectures, list_sites};
use crate::domain::Role;
use crate::i18n::site_type_name;
use crate::i18n::stock::stock_texts;
use crate::ui::context::use_app;
use crate::ui::form::on_each_answer;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The municipalities of a prefecture (`?p=`, followed as it changes); national and admin users
/// choose the prefecture.
#[component]
pub fn MunicipalitiesPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let query = use_query_map();
    let own = app.session.get_untracked().and_then(|s| {
        if s.role == Role::Prefecture {
            s.prefecture_code
        } else {
            None
        }
    });
    let prefecture = Memo::new(move |_| {
        query
            .read()
            .get("p")
            .and_then(|p| p.parse::<u8>().ok())
            .or(own)
            .unwrap_or(13)
    });
    let prefectures = Resource::new(|| (), |_| list_prefectures());
    let rows = Resource::new(move || prefecture.get(), list_municipalities);
    view! {
        <h1>{move || app.t().task_municipalities}</h1>
        <div class="toolbar">
            <label for="prefecture">{move || app.t().prefecture}</label>
            <select id="prefecture" on:change=move |ev| {
                if let Ok(code) = event_target_value(&ev).parse::<u8>() {
                    navigate(&format!("/municipalities?p={code}"), Default::default());
                }
            }>
                // The prefectures fill in when they arrive; the table below shows the loading.
                {move || prefectures.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| {
                    let selected = p.value == prefecture.get().to_string();
                    view! { <option value=p.value.clone() selected=selected>{p.label.clone()}</option> }
                }).collect_view()}
            </select>
        </div>
        <Suspense fallback=Loading>
            {loaded(rows, move |list| view! {
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
            })}
        </Suspense>
    }
}

/// The sites of a municipality (`?m=`, followed as it changes; a municipality user's own by
/// default); municipality users can act for one (代理入力).
#[component]
pub fn SitesPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let query = use_query_map();
    let session = app.session.get_untracked();
    let is_municipality = session
        .as_ref()
        .is_some_and(|s| s.role == Role::Municipality);
    let own = session.and_then(|s| s.municipality_code);
    let municipality = Memo::new(move |_| {
        query
            .read()
            .get("m")
            .or_else(|| own.clone())
            .unwrap_or_default()
    });
    let rows = Resource::new(move || municipality.get(), list_sites);
    let message = RwSignal::new(None::<String>);
    let act = Action::new(|site_id: &i64| act_for_site(*site_id));
    let acting = act.pending();
    on_each_answer(act, move |answer| match answer {
        Ok(info) => {
            app.session.set(Some(info));
            navigate("/", Default::default());
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    view! {
        <h1>{move || app.t().task_sites}</h1>
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        <Suspense fallback=Loading>
            {loaded(rows, move |list| {
                if list.is_empty() {
                    return view! { <p>{move || app.t().no_rows}</p> }.into_any();
                }
                view! {
                    <p class="muted">{list.first().map(|s| s.municipality_name.clone()).unwrap_or_default()}</p>
                    <div class="table-wrap"><table class="table">
                        <thead><tr>
                            <th>{move || app.t().site_name}</th>
                            <th>{move || app.t().site_type}</th>
                            <th>{move || app.t().basic_site}</th>
                            <th>{move || stock_texts(app.lang.get()).tab_stock}</th>
                            <th>{move || app.t().tab_records}</th>
                            {is_municipality.then(|| view! { <th>{move || app.t().act_for}</th> })}
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|s| {
                                let id = s.id;
                                view! { <tr>
                                    <td><a href=format!("/sites/{}", s.id)>{s.name.clone()}</a></td>
                                    <td>{move || site_type_name(app.lang.get(), s.site_type)}</td>
                                    <td>{s.basic_site.clone().map(|b| b.name).unwrap_or_default()}</td>
                                    <td><a href=format!("/sites/{}/stock", s.id) aria-label=format!("{} {}", stock_texts(app.lang.get_untracked()).open_stock, s.name)>
                                        {move || stock_texts(app.lang.get()).tab_stock}
                                    </a></td>
                                    <td><a href=format!("/sites/{}/records", s.id) aria-label=format!("{} {}", app.t().tab_records, s.name)>
                                        {move || app.t().tab_records}
                                    </a></td>
                                    {is_municipality.then(|| view! {
                                        <td><button type="button" class="button secondary" disabled=move || acting.get() on:click=move |_| { act.dispatch(id); }>{move || app.t().act_for}</button></td>
                                    })}
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            })}
        </Suspense>
    }
}
