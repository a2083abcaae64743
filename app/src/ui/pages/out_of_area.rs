//! R300 住所地外接種の申請状況一覧 (`/out-of-area`): a municipality registers applications of
//! people who live elsewhere (住所地 chosen from the master, 都道府県 then 市区町村), decides them
//! (受理, or 却下 with a reason), filters them by status and 受付日, and reads, without the phone
//! number, the applications other municipalities registered for its residents.

use crate::api::{
    decide_out_of_area, finder_options, load_out_of_area, register_out_of_area, ApplicationRow,
    OutOfAreaList,
};
use crate::domain::{
    ApplicationStatus, Choice as _, DecisionForm, OutOfAreaFilter, OutOfAreaForm, OutOfAreaReason,
};
use crate::error::{AppError, FieldErrors};
use crate::i18n::records::records_texts;
use crate::i18n::{choice_error, field_error, Lang};
use crate::ui::context::use_app;
use crate::ui::form::{focus_first_error, on_each_answer, FormMessage};
use crate::ui::shell::Loading;
use leptos::prelude::*;

/// `/out-of-area`.
#[component]
pub fn OutOfAreaPage() -> impl IntoView {
    let app = use_app();
    let t = move || records_texts(app.lang.get());
    let municipality = move || {
        app.session
            .get()
            .and_then(|s| s.municipality_code)
            .unwrap_or_default()
    };
    let filter = RwSignal::new(OutOfAreaFilter::default());
    let applied = RwSignal::new(OutOfAreaFilter::default());
    let list = RwSignal::new(None::<OutOfAreaList>);
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let load = Action::new(move |(code, filter): &(String, OutOfAreaFilter)| {
        load_out_of_area(code.clone(), filter.clone())
    });
    let take =
        move |answer: Result<OutOfAreaList, AppError>, saved: Option<&'static str>| match answer {
            Ok(answer) => {
                list.set(Some(answer));
                errors.set(FieldErrors::new());
                message.set(None);
                notice.set(saved.map(str::to_string));
            }
            Err(AppError::Validation(found)) => {
                errors.set(found);
                focus_first_error();
            }
            Err(error) => message.set(Some(app.handle_error(&error))),
        };
    on_each_answer(load, move |answer| take(answer, None));
    Effect::new(move |_| {
        let code = municipality();
        if !code.is_empty() {
            load.dispatch((code, applied.get()));
        }
    });
    let register = Action::new(move |(code, form): &(String, OutOfAreaForm)| {
        register_out_of_area(code.clone(), form.clone())
    });
    on_each_answer(register, move |answer| {
        take(
            answer,
            Some(records_texts(app.lang.get_untracked()).ooa_saved),
        )
    });
    let decide = Action::new(move |(id, decision): &(i64, DecisionForm)| {
        decide_out_of_area(*id, decision.clone())
    });
    on_each_answer(decide, move |answer| {
        take(
            answer,
            Some(records_texts(app.lang.get_untracked()).ooa_decided),
        )
    });
    let error = move |key: &'static str| {
        move || {
            errors
                .with(|e| e.get(key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    };
    let status_options = move || {
        let lang = app.lang.get();
        let all = view! { <option value="">{records_texts(lang).ooa_all}</option> };
        let statuses = ApplicationStatus::ALL
            .iter()
            .map(|status| view! { <option value=status.as_str()>{status.label().get(lang)}</option> })
            .collect_view();
        (all, statuses)
    };
    // 受付日 from and until: the filter's period.
    let date_filter = move |id: &'static str,
                            label: fn(Lang) -> &'static str,
                            get: fn(&OutOfAreaFilter) -> String,
                            set: fn(&mut OutOfAreaFilter, String)| {
        view! {
            <div class="field inline">
                <label for=format!("ooa-{id}")>{move || label(app.lang.get())}</label>
                <input id=format!("ooa-{id}") class="date-input" inputmode="numeric" prop:value=move || filter.with(get)
                    on:input=move |ev| filter.update(|f| set(f, event_target_value(&ev)))/>
                <span class="field-error" role="alert">{error(id)}</span>
            </div>
        }
    };
    view! {
        <h1>{move || t().ooa_title}</h1>
        <FormMessage message/>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <NewApplicationForm municipality=Signal::derive(municipality) today=Signal::derive(move || list.with(|l| l.as_ref().map(|l| l.today.clone()).unwrap_or_default())) errors
            on_submit=Callback::new(move |form: OutOfAreaForm| { register.dispatch((municipality(), form)); })/>
        <section class="panel" aria-labelledby="ooa-list">
            <h2 id="ooa-list">{move || t().ooa_list_title}</h2>
            <form class="filters" novalidate on:submit=move |ev| {
                ev.prevent_default();
                match filter.get_untracked().validate() {
                    Ok(_) => applied.set(filter.get_untracked()),
                    Err(found) => errors.set(found),
                }
            }>
                <div class="field inline">
                    <label for="ooa-status">{move || t().ooa_status}</label>
                    <select id="ooa-status" on:change=move |ev| filter.update(|f| f.status = event_target_value(&ev))>
                        {status_options}
                    </select>
                </div>
                {date_filter("from", |l| records_texts(l).ooa_from, |f| f.from.clone(), |f, v| f.from = v)}
                {date_filter("until", |l| records_texts(l).ooa_until, |f| f.until.clone(), |f, v| f.until = v)}
                <button type="submit" class="button secondary">{move || t().ooa_filter}</button>
            </form>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(l) => registered_table(app.lang.get(), &l.registered, decide, errors).into_any(),
            }}
        </section>
        <section class="panel" aria-labelledby="ooa-residents">
            <h2 id="ooa-residents">{move || t().ooa_residents_title}</h2>
            {move || list.get().map(|l| residents_table(app.lang.get(), &l.residents))}
        </section>
    }
}

/// 住所地外接種の申請の登録.
#[component]
fn NewApplicationForm(
    municipality: Signal<String>,
    today: Signal<String>,
    errors: RwSignal<FieldErrors>,
    on_submit: Callback<OutOfAreaForm>,
) -> impl IntoView {
    let app = use_app();
    let t = move || records_texts(app.lang.get());
    let form = RwSignal::new(OutOfAreaForm::default());
    let prefecture = RwSignal::new(None::<u8>);
    let places = Resource::new(move || prefecture.get(), finder_options);
    // 受付日 starts as today, once the server has said which day that is.
    Effect::new(move |_| {
        let day = today.get();
        if !day.is_empty() && form.with_untracked(|f| f.received_on.is_empty()) {
            form.update(|f| f.received_on = day);
        }
    });
    let error = move |key: &'static str| {
        move || {
            errors
                .with(|e| e.get(key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    };
    let choice = move |key: &'static str| {
        move || {
            errors
                .with(|e| e.get(key).cloned())
                .map(|e| choice_error(app.lang.get(), &e))
        }
    };
    let text_field = move |id: &'static str,
                           label: fn(Lang) -> &'static str,
                           get: fn(&OutOfAreaForm) -> String,
                           set: fn(&mut OutOfAreaForm, String)| {
        view! {
            <div class="field" class:has-error=move || errors.with(|e| e.get(id).is_some())>
                <label for=format!("ooa-{id}")>{move || label(app.lang.get())}</label>
                <input id=format!("ooa-{id}") type="text"
                    aria-invalid=move || errors.with(|e| e.get(id).is_some()).then_some("true")
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                <p class="field-error" role="alert">{error(id)}</p>
            </div>
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = form.get_untracked();
        let codes: Vec<String> = places
            .get_untracked()
            .and_then(Result::ok)
            .map(|p| p.municipalities.into_iter().map(|m| m.value).collect())
            .unwrap_or_default();
        let day = today.get_untracked().parse().unwrap_or_default();
        match typed.validate(
            &municipality.get_untracked(),
            |code| codes.iter().any(|c| c == code),
            day,
        ) {
            Ok(_) => on_submit.run(typed),
            Err(found) => {
                errors.set(found);
                focus_first_error();
            }
        }
    };
    view! {
        <section class="panel" aria-labelledby="ooa-new">
            <h2 id="ooa-new">{move || t().ooa_new_title}</h2>
            <form novalidate on:submit=submit>
                {text_field("applicant_name", |l| records_texts(l).ooa_name, |f| f.applicant_name.clone(), |f, v| f.applicant_name = v)}
                {text_field("birth_date", |l| records_texts(l).ooa_birth_date, |f| f.birth_date.clone(), |f, v| f.birth_date = v)}
                {text_field("phone", |l| records_texts(l).ooa_phone, |f| f.phone.clone(), |f, v| f.phone = v)}
                <div class="field" class:has-error=move || errors.with(|e| e.get("residence").is_some())>
                    <label for="ooa-prefecture">{move || t().ooa_residence_prefecture}</label>
                    <select id="ooa-prefecture" on:change=move |ev| {
                        prefecture.set(event_target_value(&ev).parse().ok());
                        form.update(|f| f.residence.clear());
                    }>
                        <option value="">"—"</option>
                        {move || places.get().and_then(Result::ok).map(|p| p.prefectures.into_iter().map(|c| {
                            let selected = prefecture.get().map(|p| p.to_string()) == Some(c.value.clone());
                            view! { <option value=c.value selected=selected>{c.ja}</option> }
                        }).collect_view())}
                    </select>
                    <label for="ooa-residence">{move || t().ooa_residence}</label>
                    <select id="ooa-residence" aria-invalid=move || errors.with(|e| e.get("residence").is_some()).then_some("true")
                        prop:value=move || form.with(|f| f.residence.clone())
                        on:change=move |ev| form.update(|f| f.residence = event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || places.get().and_then(Result::ok).map(|p| p.municipalities.into_iter().map(|c| view! {
                            <option value=c.value>{c.ja}</option>
                        }).collect_view())}
                    </select>
                    <p class="field-error" role="alert">{choice("residence")}</p>
                </div>
                <div class="field" class:has-error=move || errors.with(|e| e.get("reason").is_some())>
                    <label for="ooa-reason">{move || t().ooa_reason}</label>
                    <select id="ooa-reason" aria-invalid=move || errors.with(|e| e.get("reason").is_some()).then_some("true")
                        prop:value=move || form.with(|f| f.reason.clone())
                        on:change=move |ev| form.update(|f| f.reason = event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || OutOfAreaReason::ALL.iter().map(|r| view! {
                            <option value=r.as_str()>{r.label().get(app.lang.get())}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{choice("reason")}</p>
                </div>
                {text_field("reason_note", |l| records_texts(l).ooa_reason_note, |f| f.reason_note.clone(), |f, v| f.reason_note = v)}
                {text_field("received_on", |l| records_texts(l).ooa_received_on, |f| f.received_on.clone(), |f, v| f.received_on = v)}
                <div class="form-actions">
                    <button type="submit" class="button primary">{move || t().ooa_register}</button>
                </div>
            </form>
        </section>
    }
}

fn reason_text(lang: Lang, row: &ApplicationRow) -> String {
    match row.reason_note.as_str() {
        "" => row.reason.label().get(lang).to_string(),
        note => format!("{}（{note}）", row.reason.label().get(lang)),
    }
}

fn status_text(lang: Lang, row: &ApplicationRow) -> String {
    match row.rejection_reason.as_str() {
        "" => row.status.label().get(lang).to_string(),
        reason => format!("{}（{reason}）", row.status.label().get(lang)),
    }
}

/// The applications the municipality registered, each with 受理 and 却下 while 受付.
fn registered_table(
    lang: Lang,
    rows: &[ApplicationRow],
    decide: Action<(i64, DecisionForm), Result<OutOfAreaList, AppError>>,
    errors: RwSignal<FieldErrors>,
) -> AnyView {
    let t = records_texts(lang);
    if rows.is_empty() {
        return view! { <p class="muted">{t.ooa_empty}</p> }.into_any();
    }
    let body = rows
        .iter()
        .map(|row| {
            let id = row.id;
            let open = row.status == ApplicationStatus::Received;
            let reason = RwSignal::new(String::new());
            let label = format!("{}（{}）", t.ooa_rejection_reason, row.applicant_name);
            let accept = format!("{} {}", ApplicationStatus::Accepted.label().get(lang), row.applicant_name);
            let reject = format!("{} {}", ApplicationStatus::Rejected.label().get(lang), row.applicant_name);
            view! {
                <tr class:pending=open>
                    <td>{row.received_on.clone()}</td>
                    <td>{row.applicant_name.clone()}</td>
                    <td>{row.birth_date.clone()}</td>
                    <td>{row.phone.clone().unwrap_or_default()}</td>
                    <td>{row.residence.clone()}</td>
                    <td>{reason_text(lang, row)}</td>
                    <td>{status_text(lang, row)}</td>
                    <td>{open.then(|| view! {
                        <div class="row-actions">
                            <button type="button" class="button secondary" aria-label=accept on:click=move |_| {
                                decide.dispatch((id, DecisionForm { status: "accepted".into(), rejection_reason: String::new() }));
                            }>{ApplicationStatus::Accepted.label().get(lang)}</button>
                            <input type="text" aria-label=label prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                            <button type="button" class="button danger" aria-label=reject on:click=move |_| {
                                let decision = DecisionForm { status: "rejected".into(), rejection_reason: reason.get_untracked() };
                                match decision.validate() {
                                    Ok(_) => { decide.dispatch((id, decision)); }
                                    Err(found) => errors.set(found),
                                }
                            }>{ApplicationStatus::Rejected.label().get(lang)}</button>
                        </div>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="field-error" role="alert">{move || errors.with(|e| e.get("rejection_reason").cloned()).map(|e| field_error(lang, &e))}</p>
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr>
                <th scope="col">{t.ooa_received_on}</th><th scope="col">{t.ooa_name}</th><th scope="col">{t.ooa_birth_date}</th>
                <th scope="col">{t.ooa_phone}</th><th scope="col">{t.ooa_residence}</th><th scope="col">{t.ooa_reason}</th>
                <th scope="col">{t.ooa_status}</th><th scope="col">{t.ooa_actions}</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table></div>
    }
    .into_any()
}

/// Applications other municipalities registered for the municipality's residents (read-only).
fn residents_table(lang: Lang, rows: &[ApplicationRow]) -> AnyView {
    let t = records_texts(lang);
    if rows.is_empty() {
        return view! { <p class="muted">{t.ooa_empty}</p> }.into_any();
    }
    let body = rows
        .iter()
        .map(|row| {
            view! {
                <tr>
                    <td>{row.received_on.clone()}</td>
                    <td>{row.municipality.clone()}</td>
                    <td>{row.applicant_name.clone()}</td>
                    <td>{row.birth_date.clone()}</td>
                    <td>{reason_text(lang, row)}</td>
                    <td>{status_text(lang, row)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr>
                <th scope="col">{t.ooa_received_on}</th><th scope="col">{t.ooa_vaccinating}</th><th scope="col">{t.ooa_name}</th>
                <th scope="col">{t.ooa_birth_date}</th><th scope="col">{t.ooa_reason}</th><th scope="col">{t.ooa_status}</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table></div>
    }
    .into_any()
}
