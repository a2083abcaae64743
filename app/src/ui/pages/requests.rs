//! 市町村内の医療機関からの情報変更申請一覧（申請中のみ） and one request, old and new side by
//! side, with 承認 and 却下 and a comment.

use super::site_record::route_id;
use crate::api::{
    decide_change_request, list_change_requests, load_change_request, load_site_record,
    ChangeRequestView, DecideRequest, RequestStatus,
};
use crate::domain::Form;
use crate::i18n::site::{display_value, field_label, request_status_name, site_texts};
use crate::i18n::{field_error, short_time};
use crate::ui::context::use_app;
use crate::ui::form::{ErrorSummary, FormMessage, FormState, SummaryField};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// The pending requests of the municipality's sites, oldest first.
#[component]
pub fn RequestsPage() -> impl IntoView {
    let app = use_app();
    let flash = RwSignal::new(app.notice.get_untracked());
    app.notice.set(None);
    let municipality = move || {
        app.session
            .with(|s| s.as_ref().and_then(|s| s.municipality_code.clone()))
            .unwrap_or_default()
    };
    let rows = Resource::new(municipality, list_change_requests);
    view! {
        <h1>{move || site_texts(app.lang.get()).requests_title}</h1>
        {move || flash.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <Transition fallback=Loading>
            {loaded(rows, move |rows| move || requests_table(app.lang.get(), rows.clone()))}
        </Transition>
    }
}

fn requests_table(lang: crate::i18n::Lang, rows: Vec<ChangeRequestView>) -> impl IntoView {
    let t = site_texts(lang);
    if rows.is_empty() {
        return view! { <p class="muted">{t.requests_empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table aria-label=t.requests_title>
                <thead><tr>
                    <th scope="col">{t.requested_at}</th><th scope="col">{t.col_site}</th>
                    <th scope="col">{t.col_fields}</th><th scope="col">{t.requested_by}</th>
                    <th scope="col"><span class="visually-hidden">{lang.texts().actions_column}</span></th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let fields = r.changes.iter().map(|c| field_label(lang, &c.field)).collect::<Vec<_>>().join("、");
                        view! { <tr>
                            <td>{short_time(&r.requested_at)}</td>
                            <td>{r.site.name.clone()}</td>
                            <td>{fields}</td>
                            <td>{r.requested_by.clone().unwrap_or_default()}</td>
                            <td><a class="button secondary" href=format!("/requests/{}", r.id)
                                aria-label=format!("{} {}", t.open_button, r.site.name)>{t.open_button}</a></td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One request: old and new side by side, the current value, and the decision.
#[component]
pub fn RequestPage() -> impl IntoView {
    let app = use_app();
    let id = route_id("id");
    let request = Resource::new(move || id.get(), load_change_request);
    // 現在の値: the site's record as it stands, once the request names the site.
    let site = move || request.get().and_then(Result::ok).map(|r| r.site.id);
    let record = Resource::new(site, |site| async move {
        match site {
            Some(site) => load_site_record(site).await.ok(),
            None => None,
        }
    });
    let comment = RwSignal::new(String::new());
    let state = FormState::new();
    let done = RwSignal::new(None::<String>);
    let decide = state
        .action(|decision: &DecideRequest| decide_change_request(decision.clone()))
        .on_success(move |r: ChangeRequestView| {
            let t = site_texts(app.lang.get());
            let approved = r.status == RequestStatus::Approved;
            done.set(Some(
                if approved {
                    t.request_approved
                } else {
                    t.request_rejected
                }
                .to_string(),
            ));
            // 現在の値 shows what the decision applied, without a reload.
            request.set(Some(Ok(r)));
            record.refetch();
        });
    let deciding = decide.pending();
    let send = move |approve: bool| {
        let decision = DecideRequest {
            id: id.get_untracked(),
            approve,
            comment: comment.get_untracked(),
        };
        let client = decision.validate().err().unwrap_or_default();
        decide.submit(&client, decision);
    };
    let client_errors = Signal::derive(move || {
        DecideRequest {
            id: 0,
            approve: false,
            comment: comment.get(),
        }
        .validate()
        .err()
        .unwrap_or_default()
    });
    let comment_error = move || client_errors.with(|client| state.error("comment", client));
    let summary_fields = Signal::derive(move || {
        vec![SummaryField::text(
            "comment",
            "comment",
            site_texts(app.lang.get()).comment_label,
        )]
    });
    let decision_form = move || {
        let t = site_texts(app.lang.get());
        view! {
            <form novalidate class="record-form" on:submit=move |ev| { ev.prevent_default(); send(true); }>
                <ErrorSummary state=state errors=client_errors fields=summary_fields/>
                <div class="field" class:has-error=move || comment_error().is_some()>
                    <label for="comment">{t.comment_label}</label>
                    <textarea id="comment" rows="3" prop:value=move || comment.get()
                        on:input=move |ev| { comment.set(event_target_value(&ev)); state.edited("comment"); }
                        on:blur=move |_| state.touch("comment")
                        aria-invalid=move || if comment_error().is_some() { "true" } else { "false" }
                        aria-describedby="comment-error"></textarea>
                    <p class="field-error" id="comment-error" role="alert">{move || comment_error().map(|e| field_error(app.lang.get(), &e))}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || deciding.get()>{t.approve_button}</button>
                    <button type="button" class="button danger" disabled=move || deciding.get() on:click=move |_| send(false)>{t.reject_button}</button>
                    <a class="button secondary" href="/requests">{t.cancel_button}</a>
                </div>
            </form>
        }
    };
    view! {
        <h1>{move || site_texts(app.lang.get()).request_title}</h1>
        <FormMessage message=state.message/>
        {move || done.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <Transition fallback=Loading>
            {loaded(request, move |r| move || {
                    let lang = app.lang.get();
                    let t = site_texts(lang);
                    let (vaccines, sites, live) = record
                        .get()
                        .flatten()
                        .map(|v| (v.vaccines.clone(), v.basic_sites.clone(), v.record.values()))
                        .unwrap_or_default();
                    let pending = r.status == RequestStatus::Pending;
                    view! {
                        <dl class="record">
                            <div class="row"><dt>{t.col_site}</dt><dd><a href=format!("/sites/{}", r.site.id)>{r.site.name.clone()}</a></dd></div>
                            <div class="row"><dt>{t.requested_at}</dt><dd>{short_time(&r.requested_at)}</dd></div>
                            <div class="row"><dt>{t.requested_by}</dt><dd>{r.requested_by.clone().unwrap_or_default()}</dd></div>
                            <div class="row"><dt>{t.request_state}</dt><dd>{request_status_name(lang, r.status)}</dd></div>
                            {(!r.comment.is_empty()).then(|| view! { <div class="row"><dt>{t.comment_label}</dt><dd>{r.comment.clone()}</dd></div> })}
                        </dl>
                        <div class="table-wrap">
                            <table class="changes">
                                <thead><tr>
                                    <th scope="col">{t.col_field}</th><th scope="col">{t.col_old}</th>
                                    <th scope="col">{t.col_requested}</th><th scope="col">{t.col_current}</th>
                                </tr></thead>
                                <tbody>
                                    {r.changes.iter().map(|c| {
                                        let current = live.get(&c.field).cloned().unwrap_or_default();
                                        view! { <tr>
                                            <th scope="row">{field_label(lang, &c.field)}</th>
                                            <td>{display_value(lang, &c.field, &c.old, &vaccines, &sites)}</td>
                                            <td class="requested">{display_value(lang, &c.field, &c.new, &vaccines, &sites)}</td>
                                            <td>{display_value(lang, &c.field, &current, &vaccines, &sites)}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {pending.then(decision_form)}
                    }
            })}
        </Transition>
    }
}
