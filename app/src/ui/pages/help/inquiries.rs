//! `/inquiries` (問い合わせフォーム and the user's own inquiries), `/inquiries/:id` (the thread,
//! with the service desk's actions for the desk) and `/desk` (the service desk's inbox and the
//! questions the chatbot could not answer).

use crate::api::{
    desk_act, desk_inbox, desk_members, follow_up_inquiry, load_inquiry, my_inquiries,
    send_inquiry, unanswered_questions, DeskAction, InquirySummary, InquiryView, MessageKind,
};
use crate::domain::help::{InquiryCategory, InquiryForm, InquiryStatus};
use crate::domain::Role;
use crate::error::{AppError, FieldErrors};
use crate::i18n::errors::{app_error, field_error};
use crate::i18n::help::{help_texts, inquiry_category_name, message_label, status_name};
use crate::ui::context::use_app;
use crate::ui::download::chosen_file;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn when(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).replace('T', " ")
}

fn summaries(list: Vec<InquirySummary>, desk: bool) -> impl IntoView {
    let app = use_app();
    let lang = app.lang.get_untracked();
    let t = help_texts(lang);
    if list.is_empty() {
        return view! { <p class="muted">{t.no_inquiries}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr>
                <th scope="col">{t.number}</th>
                <th scope="col">{t.subject}</th>
                <th scope="col">{t.category}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.received}</th>
                {desk.then(|| view! { <th scope="col">{t.requester}</th><th scope="col">{t.assignee}</th><th scope="col">{t.age}</th> })}
            </tr></thead>
            <tbody>
                {list.into_iter().map(|i| view! {
                    <tr>
                        <td>{i.id}</td>
                        <td><A href=format!("/inquiries/{}", i.id)>{i.subject.clone()}</A></td>
                        <td>{inquiry_category_name(lang, i.category)}</td>
                        <td>{status_name(lang, i.status)}</td>
                        <td>{when(&i.created_at)}</td>
                        {desk.then(|| view! {
                            <td>{i.requester.clone()}</td>
                            <td>{i.assignee.clone().unwrap_or_else(|| t.unassigned.to_string())}</td>
                            <td class="num">{format!("{}{}", i.age_hours, t.hours)}</td>
                        })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// `/inquiries`: the form (a question from the chatbot arrives as `?q=`) and the user's own.
#[component]
pub fn InquiriesPage() -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let query = use_query_map();
    let category = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(query.read_untracked().get("q").unwrap_or_default());
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let mine = Resource::new(|| (), |_| my_inquiries());
    let error_of = move |field: &'static str| {
        move || {
            errors
                .get()
                .get(field)
                .map(|e| field_error(app.lang.get(), e))
        }
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sending.set(true);
        leptos::task::spawn_local(async move {
            let lang = app.lang.get_untracked();
            let form = InquiryForm {
                category: category.get_untracked(),
                subject: subject.get_untracked(),
                body: body.get_untracked(),
                attachment: chosen_file("inquiry-file").await,
            };
            let checked = form.validate().map(|_| ()).map_err(AppError::Validation);
            let result = match checked {
                Ok(()) => send_inquiry(form).await.map(|_| ()),
                Err(error) => Err(error),
            };
            sending.set(false);
            match result {
                Ok(()) => {
                    errors.set(FieldErrors::new());
                    subject.set(String::new());
                    body.set(String::new());
                    category.set(String::new());
                    message.set(Some(help_texts(lang).sent.to_string()));
                    mine.refetch();
                }
                Err(AppError::Validation(found)) => {
                    message.set(None);
                    errors.set(found);
                }
                Err(error) => message.set(Some(app_error(lang, &error))),
            }
        });
    };
    view! {
        <h1>{move || t().inquiry_form}</h1>
        <form class="panel" novalidate on:submit=send>
            <div class="field">
                <label for="inquiry-category">{move || t().category}</label>
                <select id="inquiry-category" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))
                    aria-invalid=move || errors.get().get("category").is_some().to_string()>
                    <option value="">{move || t().choose}</option>
                    {move || InquiryCategory::ALL.iter().map(|c| view! {
                        <option value=c.as_str()>{inquiry_category_name(app.lang.get(), *c)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" role="alert">{error_of("category")}</p>
            </div>
            <div class="field">
                <label for="inquiry-subject">{move || t().subject}</label>
                <input id="inquiry-subject" bind:value=subject aria-invalid=move || errors.get().get("subject").is_some().to_string()/>
                <p class="field-error" role="alert">{error_of("subject")}</p>
            </div>
            <div class="field">
                <label for="inquiry-body">{move || t().body}</label>
                <textarea id="inquiry-body" rows="6" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))
                    aria-invalid=move || errors.get().get("body").is_some().to_string()></textarea>
                <p class="field-error" role="alert">{error_of("body")}</p>
            </div>
            <div class="field">
                <label for="inquiry-file">{move || t().attachment}</label>
                <input id="inquiry-file" type="file" accept=".pdf,.png,.jpg,.jpeg"/>
                <p class="field-error" role="alert">{error_of("attachment")}</p>
            </div>
            {move || message.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
            <button type="submit" class="button primary" disabled=move || sending.get()>{move || t().send}</button>
        </form>
        <h2>{move || t().my_inquiries}</h2>
        <Transition fallback=Loading>
            {loaded(mine, |list| summaries(list, false))}
        </Transition>
    }
}

/// `/inquiries/:id`.
#[component]
pub fn InquiryPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let inquiry = Resource::new(id, load_inquiry);
    view! {
        <Transition fallback=Loading>
            {loaded(inquiry, |inquiry| view! { <Thread inquiry/> })}
        </Transition>
    }
}

#[component]
fn Thread(inquiry: InquiryView) -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let inquiry = RwSignal::new(inquiry);
    let desk = move || app.session.get().is_some_and(|s| s.role == Role::Admin);
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let act = move |action: Option<DeskAction>| {
        busy.set(true);
        let id = inquiry.get_untracked().summary.id;
        leptos::task::spawn_local(async move {
            let lang = app.lang.get_untracked();
            let result = match action {
                Some(action) => desk_act(id, action).await,
                None => {
                    follow_up_inquiry(
                        id,
                        text.get_untracked(),
                        chosen_file("follow-up-file").await,
                    )
                    .await
                }
            };
            busy.set(false);
            match result {
                Ok(view) => {
                    inquiry.set(view);
                    text.set(String::new());
                    message.set(None);
                }
                Err(AppError::Validation(errors)) => {
                    message.set(errors.0.values().next().map(|e| field_error(lang, e)));
                }
                Err(error) => message.set(Some(app_error(lang, &error))),
            }
        });
    };
    view! {
        {move || {
            let i = inquiry.get();
            let lang = app.lang.get();
            let t = help_texts(lang);
            view! {
                <p><A href=if desk() { "/desk" } else { "/inquiries" }>{t.inquiries}</A></p>
                <h1>{format!("{} {} — {}", t.number, i.summary.id, i.summary.subject)}</h1>
                <p class="muted">{format!("{} • {} • {} {}", inquiry_category_name(lang, i.summary.category),
                    status_name(lang, i.summary.status), t.received, when(&i.summary.created_at))}
                    {desk().then(|| format!(" • {} • {} {}", i.summary.requester,
                        t.assignee, i.summary.assignee.clone().unwrap_or_else(|| t.unassigned.to_string())))}</p>
                <ol class="thread">
                    {i.messages.iter().map(|m| view! {
                        <li class=match m.kind { MessageKind::Question => "message question", MessageKind::Reply => "message reply", MessageKind::Note => "message note" }>
                            <p class="muted">{format!("{} — {} {}", message_label(lang, m.kind), m.author, when(&m.at))}</p>
                            <p class="pre-line">{crate::ui::pages::help::body_view(&m.body)}</p>
                            {m.file.clone().map(|(id, name, kind)| view! {
                                <a href=format!("/files/{id}") download=name.clone()>{format!("{} {} ({})", t.download, name, kind.label())}</a>
                            })}
                        </li>
                    }).collect_view()}
                </ol>
            }
        }}
        {move || message.get().map(|m| view! { <div class="alert" role="alert">{m}</div> })}
        <Show when=move || inquiry.get().summary.status != InquiryStatus::Closed || desk()>
            <form class="panel" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if !desk() {
                    act(None);
                }
            }>
                <div class="field">
                    <label for="thread-text">{move || if desk() { t().reply } else { t().follow_up }}</label>
                    <textarea id="thread-text" rows="5" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <Show when=move || !desk() fallback=move || view! {
                    <div class="form-actions">
                        <button type="button" class="button primary" disabled=move || busy.get()
                            on:click=move |_| act(Some(DeskAction::Reply { body: text.get_untracked(), close: false }))>{move || t().send_reply}</button>
                        <button type="button" class="button secondary" disabled=move || busy.get()
                            on:click=move |_| act(Some(DeskAction::Reply { body: text.get_untracked(), close: true }))>{move || t().reply_close}</button>
                        <button type="button" class="button secondary" disabled=move || busy.get()
                            on:click=move |_| act(Some(DeskAction::Note { body: text.get_untracked() }))>{move || t().add_note}</button>
                    </div>
                    <div class="field">
                        <label for="thread-status">{move || t().set_status}</label>
                        <select id="thread-status" prop:value=move || inquiry.get().summary.status.as_str()
                            on:change=move |ev| if let Ok(status) = InquiryStatus::parse(&event_target_value(&ev)) {
                                act(Some(DeskAction::SetStatus { status }));
                            }>
                            {move || InquiryStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{status_name(app.lang.get(), *s)}</option> }).collect_view()}
                        </select>
                    </div>
                    <Assignee inquiry act/>
                }>
                    <div class="field">
                        <label for="follow-up-file">{move || t().attachment}</label>
                        <input id="follow-up-file" type="file" accept=".pdf,.png,.jpg,.jpeg"/>
                    </div>
                    <button type="submit" class="button primary" disabled=move || busy.get()>{move || t().send}</button>
                </Show>
            </form>
        </Show>
    }
}

/// The desk's choice of who handles an inquiry (or nobody).
#[component]
fn Assignee(
    inquiry: RwSignal<InquiryView>,
    act: impl Fn(Option<DeskAction>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let app = use_app();
    let members = Resource::new(|| (), |_| desk_members());
    view! {
        <div class="field">
            <label for="thread-assignee">{move || help_texts(app.lang.get()).assign}</label>
            <select id="thread-assignee"
                prop:value=move || inquiry.get().assignee_id.map(|id| id.to_string()).unwrap_or_default()
                on:change=move |ev| {
                    let user_id = event_target_value(&ev).parse::<i64>().ok();
                    act(Some(DeskAction::Assign { user_id }));
                }>
                <option value="">{move || help_texts(app.lang.get()).unassigned}</option>
                <Suspense>
                    {move || members.get().and_then(Result::ok).map(|list| list.into_iter().map(|m| view! {
                        <option value=m.id.to_string() selected=move || inquiry.get().assignee_id == Some(m.id)>{m.name}</option>
                    }).collect_view())}
                </Suspense>
            </select>
        </div>
    }
}

/// `/desk`: the service desk's inbox by status, oldest first, and what the chatbot could not
/// answer, most asked first.
#[component]
pub fn DeskPage() -> impl IntoView {
    let app = use_app();
    let t = move || help_texts(app.lang.get());
    let status = RwSignal::new(InquiryStatus::Open);
    let inbox = Resource::new(move || status.get(), desk_inbox);
    let unanswered = Resource::new(|| (), |_| unanswered_questions());
    view! {
        <h1>{move || t().desk}</h1>
        <Transition fallback=Loading>
            {loaded(inbox, move |page| {
                let lang = app.lang.get_untracked();
                view! {
                    <div class="tabs" role="group" aria-label=help_texts(lang).status>
                        {page.counts.iter().map(|(s, n)| {
                            let s = *s;
                            view! {
                                <button type="button" class="button secondary" aria-pressed=move || (status.get() == s).to_string()
                                    on:click=move |_| status.set(s)>{format!("{} ({n})", status_name(lang, s))}</button>
                            }
                        }).collect_view()}
                    </div>
                    {summaries(page.inquiries, true)}
                }
            })}
        </Transition>
        <h2>{move || t().unanswered}</h2>
        <Transition fallback=Loading>
            {loaded(unanswered, move |list| {
                let t = help_texts(app.lang.get_untracked());
                view! {
                    <div class="table-wrap" tabindex="0"><table class="table">
                        <thead><tr><th scope="col">{t.question}</th><th scope="col" class="num">{t.times}</th><th scope="col">{t.last_asked}</th></tr></thead>
                        <tbody>{list.into_iter().map(|q| view! {
                            <tr><td>{q.question.clone()}</td><td class="num">{q.count}</td><td>{when(&q.last_asked)}</td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }
            })}
        </Transition>
    }
}
