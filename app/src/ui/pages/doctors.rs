//! 医師情報の編集: one doctor of a site, with 保存, 保存 & 新規 and キャンセル (and 削除).

use super::site_record::{route_param, use_site_id};
use crate::api::{delete_doctor, load_doctors, save_doctor, DoctorEdit, DoctorList, DoctorRow};
use crate::domain::{DoctorForm, Form};
use crate::i18n::site::site_texts;
use crate::ui::context::use_app;
use crate::ui::dialog::ConfirmDialog;
use crate::ui::fields::{summary_fields, toggled, FieldSignals};
use crate::ui::form::{on_each_answer, ErrorSummary, FormMessage, FormState, TextField};
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// 新規医師情報 (`/sites/:id/doctors/new`) or 医師情報の編集 (`/sites/:id/doctors/:doctor`).
#[component]
pub fn DoctorEditPage() -> impl IntoView {
    let site_id = use_site_id();
    let doctor = route_param("doctor");
    // The site's doctors, with the doctor of the route (a change of either reloads).
    let list = Resource::new(
        move || (site_id.get(), doctor.get()),
        |(site, doctor)| async move { load_doctors(site).await.map(|list| (list, doctor)) },
    );
    view! {
        <Transition fallback=Loading>
            {loaded(list, |(list, doctor)| view! { <DoctorEditor list doctor/> })}
        </Transition>
    }
}

/// The label of the doctor's field `key` in the current language.
fn label(key: &'static str) -> Signal<String> {
    let app = use_app();
    Signal::derive(move || {
        DoctorForm::field(key)
            .map(|f| f.label.get(app.lang.get()))
            .unwrap_or(key)
            .to_string()
    })
}

/// The form over one site's doctors, editing `doctor` (or a new one).
#[component]
fn DoctorEditor(list: DoctorList, doctor: Option<i64>) -> impl IntoView {
    let app = use_app();
    let site_id = list.site.id;
    // The doctor edited: the route's, until 保存 & 新規 starts a new one on the same page.
    let doctor_id = RwSignal::new(doctor);
    let values = FieldSignals::<DoctorForm>::new();
    if let Some(row) = list.doctors.iter().find(|d| Some(d.id) == doctor) {
        values.set_all(&row.doctor);
    }
    let vaccines = values.signal("vaccines");
    let state = FormState::new();
    let notice = RwSignal::new(None::<String>);
    let site_vaccines: Vec<String> = list.site_vaccines.iter().map(|v| v.value.clone()).collect();
    let errors = Memo::new(move |_| {
        values
            .form
            .get()
            .validate(&site_vaccines)
            .err()
            .unwrap_or_default()
    });
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| state.error(field, e)));
    let t = move || site_texts(app.lang.get());

    let navigate = use_navigate();
    let save = state
        .action(|(edit, and_new): &(DoctorEdit, bool)| {
            let (edit, and_new) = (edit.clone(), *and_new);
            async move { save_doctor(edit).await.map(|row| (and_new, row)) }
        })
        .on_success(move |(and_new, _): (bool, DoctorRow)| {
            if and_new {
                values.set_all(&DoctorForm::default());
                doctor_id.set(None);
                notice.set(Some(t().doctor_saved.to_string()));
                window().scroll_to_with_x_and_y(0.0, 0.0);
                if let Some(first) = document().get_element_by_id("doctor-name") {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = first.dyn_into::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
                state.reset();
            } else {
                app.notice.set(Some(t().doctor_saved.to_string()));
                navigate(&format!("/sites/{site_id}"), Default::default());
            }
        });
    let saving = save.pending();
    let submit = move |and_new: bool| {
        notice.set(None);
        let edit = DoctorEdit {
            site_id,
            doctor_id: doctor_id.get_untracked(),
            doctor: values.form.get_untracked(),
        };
        save.submit(&errors.get_untracked(), (edit, and_new));
    };

    let remove = Action::new(move |doctor: &i64| delete_doctor(site_id, *doctor));
    let navigate = use_navigate();
    on_each_answer(remove, move |answer| match answer {
        Ok(()) => {
            app.notice.set(Some(t().doctor_deleted.to_string()));
            navigate(&format!("/sites/{site_id}"), Default::default());
        }
        Err(error) => state.message.set(Some(app.handle_error(&error))),
    });
    let delete_button = NodeRef::<leptos::html::Button>::new();
    let confirming = RwSignal::new(false);
    let doctors: Vec<DoctorRow> = list.doctors.clone();
    // The name as saved, which is what 削除 removes.
    let saved_name = move || {
        let id = doctor_id.get()?;
        doctors
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.doctor.name.clone())
    };
    let summary = Signal::derive(move || summary_fields::<DoctorForm>(app.lang.get(), "doctor-"));
    // Why the vaccine list is empty or short: the site's vaccines await approval, or it has none.
    let vaccines_note = {
        let pending: Vec<String> = list
            .pending_vaccines
            .iter()
            .map(|v| v.label.clone())
            .collect();
        let none = list.site_vaccines.is_empty();
        move || {
            let t = t();
            if !pending.is_empty() {
                Some(format!(
                    "{} {}",
                    t.doctor_vaccines_pending,
                    pending.join("、")
                ))
            } else if none {
                Some(t.doctor_vaccines_none.to_string())
            } else {
                None
            }
        }
    };
    let site_name = list.site.name.clone();
    let choices = list.site_vaccines.clone();
    view! {
        <h1>{move || if doctor_id.get().is_some() { t().doctor_edit_title } else { t().doctor_new_title }}</h1>
        <FormMessage message=state.message/>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <form novalidate class="record-form" on:submit=move |ev| { ev.prevent_default(); submit(false); }>
            <ErrorSummary state=state errors=errors fields=summary/>
            <section class="record-section">
                <TextField id="doctor-name" label=label("name") value=values.signal("name")
                    error=error("name") required=true
                    on_blur=move |_| state.touch("name") on_input=move |_| state.edited("name")/>
                <TextField id="doctor-kana" label=label("kana") value=values.signal("kana")
                    error=error("kana") required=true
                    on_blur=move |_| state.touch("kana") on_input=move |_| state.edited("kana")/>
                <div class="field">
                    <label for="doctor-site">{move || t().doctor_site}</label>
                    <input id="doctor-site" type="text" readonly prop:value=site_name/>
                </div>
                <TextField id="doctor-phone" label=label("phone") value=values.signal("phone")
                    error=error("phone") input_type="tel" autocomplete="tel"
                    on_blur=move |_| state.touch("phone") on_input=move |_| state.edited("phone")/>
                <TextField id="doctor-email" label=label("email") value=values.signal("email")
                    error=error("email") input_type="email" autocomplete="email"
                    on_blur=move |_| state.touch("email") on_input=move |_| state.edited("email")/>
                <div class="field" class:has-error=move || error("vaccines").get().is_some()>
                    <span class="label" id="doctor-vaccines-label">{move || label("vaccines").get()}</span>
                    <div class="choices" id="doctor-vaccines" role="group" aria-labelledby="doctor-vaccines-label"
                        aria-describedby="doctor-vaccines-hint doctor-vaccines-error">
                        {choices.into_iter().enumerate().map(|(i, v)| {
                            let id = format!("doctor-vaccine-{}", v.value);
                            let for_id = id.clone();
                            let code = v.value.clone();
                            let check_code = code.clone();
                            view! {
                                <label class="check" for=for_id>
                                    <input id=id type="checkbox"
                                        prop:checked=move || vaccines.get().split(',').any(|c| c == check_code)
                                        aria-invalid=move || if i == 0 && error("vaccines").get().is_some() { "true" } else { "false" }
                                        on:change=move |ev| {
                                            vaccines.set(toggled(&vaccines.get_untracked(), &code, event_target_checked(&ev)));
                                            state.edited("vaccines");
                                            state.touch("vaccines");
                                        }/>
                                    {v.label}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="hint" id="doctor-vaccines-hint">
                        {move || vaccines_note().map(|note| view! { <span class="doctor-vaccines-note">{note}</span> })}
                    </p>
                    <p class="field-error" id="doctor-vaccines-error" role="alert">{move || error("vaccines").get().map(|e| crate::i18n::choice_error(app.lang.get(), &e))}</p>
                </div>
            </section>
            <div class="form-actions sticky">
                <button type="submit" class="button primary" disabled=move || saving.get()>{move || t().save_button}</button>
                <button type="button" class="button primary" disabled=move || saving.get() on:click=move |_| submit(true)>{move || t().save_and_new_button}</button>
                <a class="button secondary" href=format!("/sites/{site_id}")>{move || t().cancel_button}</a>
                <Show when=move || doctor_id.get().is_some()>
                    <button type="button" class="button danger" node_ref=delete_button
                        on:click=move |_| confirming.set(true)>{move || t().delete_button}</button>
                </Show>
            </div>
        </form>
        <ConfirmDialog open=confirming
            title=Signal::derive(move || t().confirm_delete.to_string())
            subject=Signal::derive(move || saved_name().unwrap_or_default())
            detail=Signal::derive(move || t().delete_cannot_undo.to_string())
            confirm_label=Signal::derive(move || t().delete_confirm_button.to_string())
            cancel_label=Signal::derive(move || t().cancel_button.to_string())
            return_focus=delete_button
            on_confirm=Callback::new(move |_| {
                if let Some(id) = doctor_id.get_untracked() {
                    state.message.set(None);
                    remove.dispatch(id);
                }
            })/>
    }
}
