//! レポート: the list of the reports a role may open (`/reports`, grouped as in the seed's
//! table), and one report (`/reports/:code`) with its filters, a sortable table with its totals
//! row, paging, printing and 詳細のエクスポート. Filters, order and page live in the URL, so a
//! report can be bookmarked and shared, and the browser's back button undoes a step.

mod chart;
mod export;
mod table;

use crate::api::{load_report, ReportOptions, ReportPage};
use crate::domain::reports::{
    catalog, ReportCode, ReportFilter, ReportQuery, ReportStatus, ReportSubject,
};
use crate::error::{AppError, FieldErrors};
use crate::i18n::reports::reports_texts;
use crate::i18n::{field_error, Lang};
use crate::ui::context::use_app;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// `/reports`: the reports the user's role may open.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let app = use_app();
    let t = move || reports_texts(app.lang.get());
    let groups = move || {
        let lang = app.lang.get();
        let Some(role) = app.session.get().map(|s| s.role) else {
            return view! { <Loading/> }.into_any();
        };
        let groups = catalog(role);
        if groups.is_empty() {
            return view! { <p class="muted">{reports_texts(lang).none}</p> }.into_any();
        }
        groups
            .into_iter()
            .map(|(group, entries)| {
                let entries = entries
                    .into_iter()
                    .map(|e| {
                        view! {
                            <li>
                                <A href=e.path attr:class="report-link">
                                    <span class="report-code">{e.code}</span>
                                    " " {e.name.get(lang)} {e.starred.then_some("★")}
                                </A>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="panel report-group">
                        <h2>{group.label().get(lang)}</h2>
                        <ul class="report-list">{entries}</ul>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <h1>{move || t().title}</h1>
        <p>{move || t().intro}</p>
        <p class="muted">{move || t().starred_note}</p>
        {groups}
    }
}

/// `/reports/:code`: one report as its URL asks.
#[component]
pub fn ReportPage() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        let code = params.with(|p| p.get("code").and_then(|c| ReportCode::parse(&c)))?;
        Some(url.with(|q| ReportQuery::from_url(code, |key| q.get(key))))
    });
    let page = Resource::new(
        move || query.get(),
        |query| async move {
            match query {
                Some(query) => load_report(query).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let title = move || {
        query
            .get()
            .map(|q| format!("{} {}", q.code.as_str(), q.code.name().get(app.lang.get())))
    };
    view! {
        <p class="no-print"><A href="/reports">{move || reports_texts(app.lang.get()).back}</A></p>
        <h1>{title}</h1>
        <Transition fallback=Loading>
            {loaded(page, move |page| match query.get_untracked() {
                Some(query) => view! { <Report query page/> }.into_any(),
                None => ().into_any(),
            })}
        </Transition>
    }
}

/// A loaded report: its filters, export, table and pages.
#[component]
fn Report(query: ReportQuery, mut page: ReportPage) -> impl IntoView {
    let app = use_app();
    let lang = app.lang.get_untracked();
    query.code.localise_statuses(lang, &mut page.rows);
    let t = reports_texts(lang);
    let summary = filter_summary(lang, &query.filter, &page.options);
    view! {
        <Filters query=query.clone() options=page.options.clone()/>
        <div class="report-actions no-print">
            <export::Export query=query.clone() today=page.today.clone()/>
            <button type="button" class="button secondary" on:click=move |_| { let _ = window().print(); }>{t.print}</button>
        </div>
        <p class="report-meta">
            <span>{t.printed_on} ": " {page.today.clone()}</span>
            {(!summary.is_empty()).then(|| view! { <span>" ／ " {t.filters} ": " {summary}</span> })}
        </p>
        <table::Table query page/>
    }
}

/// The filters as typed, checked in the browser; 表示 puts them in the URL (page 1).
#[component]
fn Filters(query: ReportQuery, options: ReportOptions) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let lang = app.lang.get_untracked();
    let t = reports_texts(lang);
    let code = query.code;
    let draft = RwSignal::new(query.filter.clone());
    let errors = RwSignal::new(FieldErrors::new());
    let apply = move |filter: ReportFilter| {
        let next = ReportQuery {
            filter,
            page: 0,
            ..query.clone()
        };
        navigate(&next.to_url(), Default::default());
    };
    let submit = {
        let apply = apply.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let filter = draft.get_untracked();
            match filter.validate(code) {
                Ok(_) => apply(filter),
                Err(found) => {
                    errors.set(found);
                    crate::ui::form::focus_first_error();
                }
            }
        }
    };
    let error = move |key: &'static str| {
        move || {
            errors
                .with(|e| e.get(key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    };
    let select = move |id: &'static str,
                       label: &'static str,
                       choices: Vec<crate::api::Choice>,
                       get: fn(&ReportFilter) -> String,
                       set: fn(&mut ReportFilter, String)| {
        (!choices.is_empty()).then(|| {
            let current = draft.with_untracked(get);
            let choices = choices
                .into_iter()
                .map(|c| {
                    let selected = c.value == current;
                    view! { <option value=c.value selected=selected>{c.label}</option> }
                })
                .collect_view();
            view! {
                <div class="field inline">
                    <label for=format!("report-{id}")>{label}</label>
                    <select id=format!("report-{id}") on:change=move |ev| draft.update(|f| set(f, event_target_value(&ev)))>
                        <option value="" selected=current.is_empty()>{t.all}</option>
                        {choices}
                    </select>
                </div>
            }
        })
    };
    let date = move |id: &'static str,
                     label: &'static str,
                     get: fn(&ReportFilter) -> String,
                     set: fn(&mut ReportFilter, String)| {
        view! {
            <div class="field inline" class:has-error=move || errors.with(|e| e.get(id).is_some())>
                <label for=format!("report-{id}")>{label}</label>
                <input id=format!("report-{id}") class="date-input" inputmode="numeric" placeholder="2021-04-01"
                    aria-invalid=move || errors.with(|e| e.get(id).is_some()).then_some("true")
                    prop:value=move || draft.with(get)
                    on:input=move |ev| {
                        draft.update(|f| set(f, event_target_value(&ev)));
                        if errors.with_untracked(|e| e.get(id).is_some()) {
                            errors.set(draft.with_untracked(|f| f.validate(code).err().unwrap_or_default()));
                        }
                    }/>
                <span class="field-error" role="alert">{error(id)}</span>
            </div>
        }
    };
    let statuses: Vec<crate::api::Choice> = code
        .statuses()
        .iter()
        .map(|s| crate::api::Choice {
            value: s.key().into(),
            label: s.label().get(lang).into(),
        })
        .collect();
    let supply = code.subject() == ReportSubject::Supply;
    let period = code.subject() != ReportSubject::List;
    let note = match code.subject() {
        ReportSubject::Supply => Some(t.supply_period_note),
        ReportSubject::Records => Some(t.records_period_note),
        ReportSubject::Ledger => Some(t.ledger_period_note),
        ReportSubject::List => None,
    };
    view! {
        <form class="filters panel no-print" novalidate on:submit=submit aria-label=t.filters>
            {supply.then(|| select("cool", t.cool, options.cools.clone(), |f| f.cool.clone(), |f, v| f.cool = v))}
            {select("vaccine", t.vaccine, options.vaccines.clone(), |f| f.vaccine.clone(), |f, v| f.vaccine = v)}
            {period.then(|| date("from", t.from, |f| f.from.clone(), |f, v| f.from = v))}
            {period.then(|| date("until", t.until, |f| f.until.clone(), |f, v| f.until = v))}
            {select("prefecture", t.prefecture, options.prefectures.clone(), |f| f.prefecture.clone(), |f, v| { f.prefecture = v; f.municipality.clear(); })}
            {select("municipality", t.municipality, options.municipalities.clone(), |f| f.municipality.clone(), |f, v| f.municipality = v)}
            {select("status", t.status, statuses, |f| f.status.clone(), |f, v| f.status = v)}
            <div class="form-actions">
                <button type="submit" class="button primary">{t.show}</button>
                <button type="button" class="button secondary" on:click=move |_| apply(ReportFilter::default())>{t.clear}</button>
            </div>
            {note.map(|note| view! { <p class="muted hint">{note}</p> })}
        </form>
    }
}

/// The filters in force, in words, for the screen and the printed header.
fn filter_summary(lang: Lang, filter: &ReportFilter, options: &ReportOptions) -> String {
    let t = reports_texts(lang);
    let name = |choices: &[crate::api::Choice], value: &str| {
        choices
            .iter()
            .find(|c| c.value == value)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| value.to_string())
    };
    let mut parts = Vec::new();
    if !filter.cool.is_empty() {
        parts.push(format!("{} {}", t.cool, name(&options.cools, &filter.cool)));
    }
    if !filter.vaccine.is_empty() {
        parts.push(format!(
            "{} {}",
            t.vaccine,
            name(&options.vaccines, &filter.vaccine)
        ));
    }
    if !filter.from.is_empty() || !filter.until.is_empty() {
        parts.push(format!("{}〜{}", filter.from, filter.until));
    }
    if !filter.prefecture.is_empty() {
        parts.push(name(&options.prefectures, &filter.prefecture));
    }
    if !filter.municipality.is_empty() {
        parts.push(name(&options.municipalities, &filter.municipality));
    }
    if let Some(site) = &options.site {
        parts.push(site.clone());
    }
    if let Some(status) = ReportStatus::parse(&filter.status) {
        parts.push(format!("{} {}", t.status, status.label().get(lang)));
    }
    parts.join("、")
}
