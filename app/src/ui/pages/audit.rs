//! 監査ログ (admin): every change, newest first, 100 a page.

use crate::api::{finder_options, list_audit, AuditQuery, AuditRow, Choice, NamedChoice};
use crate::i18n::audit::{audit_actor, audit_entity, audit_field, audit_value};
use crate::i18n::{short_time, Lang};
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The audit log.
#[component]
pub fn AuditPage() -> impl IntoView {
    let app = use_app();
    let text = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<AuditRow>::new());
    let more = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    // Vaccine names, so that a change to 取扱ワクチン reads ファイザー社 rather than its code.
    let vaccines = RwSignal::new(Vec::<NamedChoice>::new());
    spawn_local(async move {
        if let Ok(choices) = finder_options(None).await {
            vaccines.set(choices.vaccines);
        }
    });
    let vaccine_names = move |lang: Lang| {
        vaccines
            .get()
            .into_iter()
            .map(|v| Choice {
                value: v.value,
                label: if lang == Lang::En { v.en } else { v.ja },
            })
            .collect::<Vec<_>>()
    };
    let load = move |append: bool| {
        let before_id = if append {
            rows.with_untracked(|r| r.last().map(|r| r.id))
        } else {
            None
        };
        let query = AuditQuery {
            entity: String::new(),
            text: text.get_untracked(),
            before_id,
        };
        spawn_local(async move {
            match list_audit(query).await {
                Ok(page) => {
                    more.set(page.len() == 100);
                    if append {
                        rows.update(|r| r.extend(page))
                    } else {
                        rows.set(page)
                    }
                }
                Err(error) => message.set(Some(app.handle_error(&error))),
            }
        });
    };
    load(false);
    view! {
        <h1>{move || app.t().audit_title}</h1>
        <form class="toolbar" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); load(false); }>
            <label for="audit-search">{move || app.t().search}</label>
            <input id="audit-search" type="search" bind:value=text/>
            <button type="submit" class="button secondary">{move || app.t().search}</button>
        </form>
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
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
                    rows.get().into_iter().map(|r| {
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
        <Show when=move || more.get()>
            <button type="button" class="button secondary" on:click=move |_| load(true)>{move || app.t().older}</button>
        </Show>
    }
}
