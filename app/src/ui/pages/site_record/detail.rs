//! 医療機関・接種会場の詳細: the record by section, its doctors, its pending request and its
//! change history (newest first, さらに表示 for older pages).

use super::{given_options, use_site_id, RequestBanners};
use crate::api::{load_site_record, site_history, HistoryPage, HistoryRow, SiteRecordView};
use crate::domain::{DoctorForm, Form};
use crate::i18n::short_time;
use crate::i18n::site::{display_value, field_label, site_texts};
use crate::ui::context::use_app;
use crate::ui::fields::record_view;
use crate::ui::form::on_each_answer;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// 医療機関・接種会場の詳細.
#[component]
pub fn SiteDetailPage() -> impl IntoView {
    let app = use_app();
    let site_id = use_site_id();
    let record = Resource::new(move || site_id.get(), load_site_record);
    let flash = RwSignal::new(app.notice.get_untracked());
    app.notice.set(None);
    let current = move || record.get().and_then(Result::ok);
    view! {
        <div class="page-head">
            <h1>{move || site_texts(app.lang.get()).detail_title}</h1>
            <div class="page-actions">
                <a class="button secondary" href=move || format!("/sites/{}/stock", site_id.get())>
                    {move || crate::i18n::stock::stock_texts(app.lang.get()).open_stock}
                </a>
                <a class="button secondary" href=move || format!("/sites/{}/records", site_id.get())>
                    {move || app.t().tab_records}
                </a>
                {move || current().filter(|r| r.editable).map(|r| view! {
                    <a class="button primary" href=format!("/sites/{}/edit", r.site.id)>{site_texts(app.lang.get()).edit_button}</a>
                })}
            </div>
        </div>
        {move || flash.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <Transition fallback=Loading>
            {loaded(record, |view| view! { <RecordSections view/> })}
        </Transition>
        <History site_id=site_id record=Signal::derive(current)/>
    }
}

/// The record by section, with the banners and the doctors.
#[component]
fn RecordSections(view: SiteRecordView) -> impl IntoView {
    let app = use_app();
    let given = given_options(&view);
    move || {
        let lang = app.lang.get();
        let t = site_texts(lang);
        let r = view.clone();
        view! {
            <h2 class="site-name">{r.site.name.clone()}</h2>
            <p class="muted">{t.municipality_label} ": " {r.municipality_name.clone()}
                {r.reservation_updated_at.clone().map(|at| format!(" / {}: {}", t.reservation_updated_label, short_time(&at)))}
            </p>
            {r.doctors.is_empty().then(|| view! { <div class="alert warning" role="alert">{t.no_doctor_warning}</div> })}
            <RequestBanners view=r.clone()/>
            {record_view(lang, &r.record, &given)}
            <DoctorsSection view=r/>
        }
    }
}

/// The doctors of the site with links to 医師情報の編集.
#[component]
fn DoctorsSection(view: SiteRecordView) -> impl IntoView {
    let app = use_app();
    let lang = app.lang.get_untracked();
    let t = site_texts(lang);
    let site_id = view.site.id;
    let vaccines = view.vaccines.clone();
    let header = |key: &str| DoctorForm::field(key).map(|f| f.label.get(lang));
    view! {
        <section class="record-section" aria-labelledby="doctors-title">
            <div class="page-head">
                <h2 id="doctors-title">{t.doctors_title}</h2>
                {view.editable.then(|| view! {
                    <a class="button primary" href=format!("/sites/{site_id}/doctors/new")>{t.new_doctor_button}</a>
                })}
            </div>
            <div class="table-wrap">
                <table aria-labelledby="doctors-title">
                    <thead><tr>
                        {["name", "kana", "phone", "email", "vaccines"].map(|key| view! { <th scope="col">{header(key)}</th> })}
                        <th scope="col"><span class="visually-hidden">{lang.texts().actions_column}</span></th>
                    </tr></thead>
                    <tbody>
                        {view.doctors.into_iter().map(|d| view! {
                            <tr>
                                <td>{d.doctor.name.clone()}</td>
                                <td>{d.doctor.kana.clone()}</td>
                                <td>{d.doctor.phone.clone()}</td>
                                <td>{d.doctor.email.clone()}</td>
                                <td>{display_value(lang, "doctor_vaccines", &d.doctor.vaccines.join(","), &vaccines, &[])}</td>
                                <td>{view.editable.then(|| view! {
                                    <a class="button secondary" href=format!("/sites/{site_id}/doctors/{}", d.id)
                                        aria-label=format!("{} {}", t.edit_button, d.doctor.name)>{t.edit_button}</a>
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// 変更履歴: the newest page, and older pages added by さらに表示.
#[component]
fn History(site_id: Memo<i64>, record: Signal<Option<SiteRecordView>>) -> impl IntoView {
    let app = use_app();
    let newest = Resource::new(move || site_id.get(), |id| site_history(id, None));
    // Pages added by さらに表示, cleared when the page shows another site.
    let older = RwSignal::new(Vec::<HistoryPage>::new());
    Effect::new(move |_| {
        site_id.track();
        older.set(Vec::new());
    });
    let show_more = Action::new(move |before: &i64| {
        let (site, before) = (site_id.get_untracked(), *before);
        async move { (site, before, site_history(site, Some(before)).await) }
    });
    let loading_older = show_more.pending();
    let message = RwSignal::new(None::<String>);
    let next_before = move || {
        older
            .with(|pages| pages.last().map(|p| p.next_before))
            .unwrap_or_else(|| {
                newest
                    .get()
                    .and_then(Result::ok)
                    .and_then(|p| p.next_before)
            })
    };
    on_each_answer(show_more, move |(site, before, page)| {
        // A page asked for another site, or twice, is not added.
        if site != site_id.get() || Some(before) != next_before() {
            return;
        }
        match page {
            Ok(page) => older.update(|pages| pages.push(page)),
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
    });
    let rows = move || -> Vec<HistoryRow> {
        let mut rows = newest
            .get()
            .and_then(Result::ok)
            .map(|p| p.rows)
            .unwrap_or_default();
        older.with(|pages| rows.extend(pages.iter().flat_map(|p| p.rows.clone())));
        rows
    };
    view! {
        <section class="record-section" aria-labelledby="history-title">
            <h2 id="history-title">{move || site_texts(app.lang.get()).history_title}</h2>
            {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
            <Transition fallback=|| ()>
                {move || newest.get().map(|answer| match answer {
                    Ok(_) => history_table(app.lang.get(), rows(), record.get()).into_any(),
                    // The record above says why nothing loaded.
                    Err(_) => ().into_any(),
                })}
            </Transition>
            <Show when=move || next_before().is_some()>
                <div class="form-actions">
                    <button type="button" class="button secondary"
                        on:click=move |_| { if let Some(before) = next_before() { show_more.dispatch(before); } }
                        disabled=move || loading_older.get()>{move || site_texts(app.lang.get()).history_more}</button>
                    <span class="muted" role="status">{move || format!("{} {}", rows().len(), site_texts(app.lang.get()).history_shown)}</span>
                </div>
            </Show>
        </section>
    }
}

fn history_table(
    lang: crate::i18n::Lang,
    rows: Vec<HistoryRow>,
    record: Option<SiteRecordView>,
) -> impl IntoView {
    let t = site_texts(lang);
    let (vaccines, sites) = record
        .map(|r| (r.vaccines, r.basic_sites))
        .unwrap_or_default();
    if rows.is_empty() {
        return view! { <p class="muted">{t.history_empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table aria-labelledby="history-title">
                <thead><tr>
                    <th scope="col">{t.col_when}</th><th scope="col">{t.col_who}</th>
                    <th scope="col">{t.col_acting_for}</th><th scope="col">{t.col_field}</th>
                    <th scope="col">{t.col_old}</th><th scope="col">{t.col_new}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|h| {
                        let old = h.old.map(|v| display_value(lang, &h.field, &v, &vaccines, &sites)).unwrap_or_default();
                        let new = h.new.map(|v| display_value(lang, &h.field, &v, &vaccines, &sites)).unwrap_or_default();
                        view! { <tr>
                            <td>{short_time(&h.at)}</td>
                            <td>{h.actor.unwrap_or_default()}</td>
                            <td>{h.acting_for.unwrap_or_default()}</td>
                            <td>{field_label(lang, &h.field)}</td>
                            <td>{old}</td>
                            <td>{new}</td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
