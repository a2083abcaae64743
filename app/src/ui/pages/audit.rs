//! 監査ログ (admin): every change, newest first, 100 a page.

use crate::api::{finder_options, list_audit, AuditQuery, AuditRow, Choice};
use crate::error::AppError;
use crate::i18n::audit::{audit_actor, audit_entity, audit_field, audit_value};
use crate::i18n::{short_time, Lang};
use crate::ui::context::use_app;
use crate::ui::form::on_each_answer;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// How many rows one request brings.
const PAGE: usize = 100;

/// The audit log.
#[component]
pub fn AuditPage() -> impl IntoView {
    let app = use_app();
    let text = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let query = |text: String, before_id| AuditQuery {
        entity: String::new(),
        text,
        before_id,
    };
    let newest = Resource::new(
        move || search.get(),
        move |text| list_audit(query(text, None)),
    );
    // Pages added by さらに表示, cleared by each search.
    let older = RwSignal::new(Vec::<AuditRow>::new());
    let older_page_full = RwSignal::new(None::<bool>);
    let message = RwSignal::new(None::<String>);
    let load_older = Action::new(|query: &AuditQuery| {
        let asked = query.clone();
        let page = list_audit(query.clone());
        async move { (asked, page.await) }
    });
    let loading_older = load_older.pending();
    let last_shown = move || {
        older
            .with_untracked(|rows| rows.last().map(|r| r.id))
            .or_else(|| newest.get_untracked()?.ok()?.last().map(|r| r.id))
    };
    on_each_answer(
        load_older,
        move |(asked, page): (AuditQuery, Result<Vec<AuditRow>, AppError>)| {
            // A page asked for before a new search, or twice, is not added.
            if asked.text != search.get_untracked() || asked.before_id != last_shown() {
                return;
            }
            match page {
                Ok(page) => {
                    older_page_full.set(Some(page.len() == PAGE));
                    older.update(|rows| rows.extend(page));
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
        },
    );
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        older.set(Vec::new());
        older_page_full.set(None);
        message.set(None);
        let typed = text.get_untracked();
        if typed == search.get_untracked() {
            newest.refetch();
        } else {
            search.set(typed);
        }
    };
    // Vaccine names, so that a change to 取扱ワクチン reads ファイザー社 rather than its code.
    let vaccines = Resource::new(|| (), |_| finder_options(None));
    let vaccine_names = move |lang: Lang| {
        vaccines
            .get()
            .and_then(Result::ok)
            .map(|choices| choices.vaccines)
            .unwrap_or_default()
            .into_iter()
            .map(|v| Choice {
                value: v.value,
                label: if lang == Lang::En { v.en } else { v.ja },
            })
            .collect::<Vec<_>>()
    };
    view! {
        <h1>{move || app.t().audit_title}</h1>
        <form class="toolbar" on:submit=on_search>
            <label for="audit-search">{move || app.t().search}</label>
            <input id="audit-search" type="search" bind:value=text/>
            <button type="submit" class="button secondary">{move || app.t().search}</button>
        </form>
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        <Transition fallback=Loading>
            {loaded(newest, move |first| {
                let first_full = first.len() == PAGE;
                let more = move || older_page_full.get().unwrap_or(first_full);
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=move || app.t().audit_title><table class="table">
                        <thead><tr>
                            <th>{move || app.t().audit_at}</th>
                            <th>{move || app.t().audit_actor}</th>
                            <th>{move || app.t().audit_acting_for}</th>
                            <th>{move || app.t().audit_entity}</th>
                            <th>{move || app.t().audit_field}</th>
                            <th>{move || app.t().audit_old}</th>
                            <th>{move || app.t().audit_new}</th>
                        </tr></thead>
                        <tbody>
                            {move || {
                                let lang = app.lang.get();
                                let vaccines = vaccine_names(lang);
                                first.iter().cloned().chain(older.get()).map(|r| {
                                    let value = |raw: &Option<String>| audit_value(lang, &r.entity, &r.field, raw.as_deref(), &vaccines);
                                    view! { <tr>
                                        <td>{short_time(&r.at)}</td>
                                        <td>{audit_actor(lang, r.actor.as_deref())}</td>
                                        <td>{r.acting_for.clone().unwrap_or_default()}</td>
                                        <td>{audit_entity(lang, &r.entity, &r.entity_id)}</td>
                                        <td>{audit_field(lang, &r.entity, &r.field)}</td>
                                        <td class="value">{value(&r.old_value)}</td>
                                        <td class="value">{value(&r.new_value)}</td>
                                    </tr> }
                                }).collect_view()
                            }}
                        </tbody>
                    </table></div>
                    <Show when=more>
                        <button type="button" class="button secondary" disabled=move || loading_older.get()
                            on:click=move |_| { load_older.dispatch(query(search.get_untracked(), last_shown())); }>
                            {move || app.t().older}
                        </button>
                    </Show>
                }
            })}
        </Transition>
    }
}
