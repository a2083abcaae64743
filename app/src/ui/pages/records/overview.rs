//! Who has registered: the municipality's 接種実績の登録状況 (`/records`) and the parts of ホーム
//! that point to the records (a site's button, a municipality's list of sites not registered).

use crate::api::{load_records_overview, load_site_records, RecordsOverview};
use crate::i18n::records::records_texts;
use crate::i18n::Lang;
use crate::ui::context::use_app;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

/// `/records`: the municipality's sites, those that have not registered the last day first.
#[component]
pub fn RecordsOverviewPage() -> impl IntoView {
    let app = use_app();
    let municipality = move || {
        app.session
            .get()
            .and_then(|s| s.municipality_code)
            .unwrap_or_default()
    };
    let overview = Resource::new(municipality, load_records_overview);
    view! {
        <h1>{move || records_texts(app.lang.get()).overview_title}</h1>
        <Transition fallback=Loading>
            {loaded(overview, move |overview| {
                let lang = app.lang.get_untracked();
                overview_table(lang, &overview)
            })}
        </Transition>
    }
}

fn overview_table(lang: Lang, overview: &RecordsOverview) -> AnyView {
    let t = records_texts(lang);
    let day = overview.last_day.clone().unwrap_or_default();
    let mut sites = overview.sites.clone();
    sites.sort_by_key(|s| !s.missing(&day));
    let rows = sites
        .into_iter()
        .map(|s| {
            let missing = s.missing(&day);
            view! {
                <tr class:pending=missing>
                    <td><A href=format!("/sites/{}/records", s.site.id)>{s.site.name.clone()}</A></td>
                    <td>{s.last_on.clone().unwrap_or_else(|| t.never.to_string())}</td>
                    <td class="num">{s.total}</td>
                    <td>
                        {if missing {
                            view! { <span class="state-badge warning">{t.state_missing}</span> }.into_any()
                        } else {
                            view! { <span class="state-badge">{t.state_in}</span> }.into_any()
                        }}
                        {s.flagged.then(|| view! { " " <span class="state-badge warning">{t.rec_difference}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>{format!("{}: {}", t.last_day_label, overview.last_day.clone().unwrap_or_else(|| "—".into()))}</p>
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr>
                <th scope="col">{t.col_site}</th><th scope="col">{t.col_last}</th>
                <th scope="col" class="num">{t.col_people}</th><th scope="col">{t.col_state}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

/// On a site's ホーム: 接種実績の登録, with whether today's record is in.
#[component]
pub fn HomeRecords(site_id: i64) -> impl IntoView {
    let app = use_app();
    let records = Resource::new(move || site_id, load_site_records);
    view! {
        <Suspense>
            {move || records.get().and_then(Result::ok).map(|r| {
                let t = records_texts(app.lang.get());
                let state = if r.today_registered { t.today_in } else { t.today_missing };
                view! {
                    <div class="task-grid">
                        <a class="task-button large" href=format!("/sites/{site_id}/records")>
                            <span>{t.home_button}</span>
                            <span class="task-sub">{state}</span>
                        </a>
                    </div>
                }
            })}
        </Suspense>
    }
}

/// On a municipality's ホーム: the sites that have not registered the last day with
/// vaccinations.
#[component]
pub fn HomeRecordsOverview(municipality: String) -> impl IntoView {
    let app = use_app();
    let overview = Resource::new(move || municipality.clone(), load_records_overview);
    view! {
        <Suspense>
            {move || overview.get().and_then(Result::ok).map(|o| {
                let t = records_texts(app.lang.get());
                let day = o.last_day.clone().unwrap_or_default();
                let missing: Vec<String> = o.sites.iter().filter(|s| s.missing(&day)).map(|s| s.site.name.clone()).collect();
                view! {
                    <section class="panel" aria-labelledby="home-records-missing">
                        <h2 id="home-records-missing">{t.missing_title}</h2>
                        <p>{format!("{}: {}", t.last_day_label, o.last_day.clone().unwrap_or_else(|| "—".into()))}</p>
                        {if missing.is_empty() {
                            view! { <p class="muted">{t.missing_none}</p> }.into_any()
                        } else {
                            view! { <ul>{missing.into_iter().take(10).map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                        }}
                        <A href="/records" attr:class="button secondary">{t.home_overview_button}</A>
                    </section>
                }
            })}
        </Suspense>
    }
}
