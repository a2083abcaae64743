//! 医師情報の編集: one doctor of a site, with 保存, 保存 & 新規 and キャンセル (and 削除).

use super::site_record::site_id_param;
use crate::api::{delete_doctor, load_doctors, save_doctor, DoctorEdit, DoctorList};
use crate::domain::DoctorForm;
use crate::error::FieldErrors;
use crate::i18n::site::site_texts;
use crate::ui::context::use_app;
use crate::ui::dialog::ConfirmDialog;
use crate::ui::form::{ErrorSummary, FormMessage, FormState, SummaryField, TextField};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

/// 新規医師情報 (`/sites/:id/doctors/new`) or 医師情報の編集 (`/sites/:id/doctors/:doctor`).
#[component]
pub fn DoctorEditPage() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let site_id = site_id_param().unwrap_or_default();
    let doctor_id = RwSignal::new(
        use_params_map()
            .get_untracked()
            .get("doctor")
            .and_then(|d| d.parse::<i64>().ok()),
    );
    let list = RwSignal::new(None::<DoctorList>);
    let name = RwSignal::new(String::new());
    let kana = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let vaccines = RwSignal::new(Vec::<String>::new());
    let state = FormState::new();
    let notice = RwSignal::new(None::<String>);
    let fill = move |doctor: DoctorForm| {
        name.set(doctor.name);
        kana.set(doctor.kana);
        phone.set(doctor.phone);
        email.set(doctor.email);
        vaccines.set(doctor.vaccines);
    };
    spawn_local(async move {
        match load_doctors(site_id).await {
            Ok(l) => {
                if let Some(id) = doctor_id.get_untracked() {
                    if let Some(d) = l.doctors.iter().find(|d| d.id == id) {
                        fill(d.doctor.clone());
                    }
                }
                list.set(Some(l));
            }
            Err(error) => state.message.set(Some(app.handle_error(&error))),
        }
    });
    let doctor = move || DoctorForm {
        name: name.get(),
        kana: kana.get(),
        phone: phone.get(),
        email: email.get(),
        vaccines: vaccines.get(),
    };
    let site_vaccines = move || {
        list.with(|l| {
            l.as_ref()
                .map(|l| {
                    l.site_vaccines
                        .iter()
                        .map(|v| v.value.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let errors = Memo::new(move |_| {
        doctor()
            .validate(&site_vaccines())
            .err()
            .unwrap_or_else(FieldErrors::new)
    });
    let error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| state.error(field, e)));
    let t = move || site_texts(app.lang.get());

    let save = move |and_new: bool| {
        notice.set(None);
        let edit = DoctorEdit {
            site_id,
            doctor_id: doctor_id.get_untracked(),
            doctor: doctor(),
        };
        let navigate = navigate.clone();
        state.send(
            app,
            &errors.get_untracked(),
            move || save_doctor(edit),
            move |_| {
                let t = site_texts(app.lang.get_untracked());
                if and_new {
                    fill(DoctorForm::default());
                    doctor_id.set(None);
                    notice.set(Some(t.doctor_saved.to_string()));
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                    if let Some(first) = document().get_element_by_id("doctor-name") {
                        use wasm_bindgen::JsCast;
                        if let Ok(el) = first.dyn_into::<web_sys::HtmlElement>() {
                            let _ = el.focus();
                        }
                    }
                    state.reset();
                } else {
                    app.notice.set(Some(t.doctor_saved.to_string()));
                    navigate(&format!("/sites/{site_id}"), Default::default());
                }
            },
        );
    };
    let save_only = save.clone();
    let back = use_navigate();
    let back_after_delete = back.clone();
    let delete_button = NodeRef::<leptos::html::Button>::new();
    let confirming = RwSignal::new(false);
    // The name as saved, which is what 削除 removes.
    let saved_name = move || {
        let id = doctor_id.get()?;
        list.with(|l| {
            l.as_ref()?
                .doctors
                .iter()
                .find(|d| d.id == id)
                .map(|d| d.doctor.name.clone())
        })
    };
    let remove = move || {
        let Some(id) = doctor_id.get_untracked() else {
            return;
        };
        let t = site_texts(app.lang.get_untracked());
        let navigate = back_after_delete.clone();
        state.message.set(None);
        spawn_local(async move {
            match delete_doctor(site_id, id).await {
                Ok(()) => {
                    app.notice.set(Some(t.doctor_deleted.to_string()));
                    navigate(&format!("/sites/{site_id}"), Default::default());
                }
                Err(error) => state.message.set(Some(app.handle_error(&error))),
            }
        });
    };
    let summary_fields = Signal::derive(move || {
        let t = t();
        vec![
            SummaryField::text("name", "doctor-name", t.doctor_name),
            SummaryField::text("kana", "doctor-kana", t.doctor_kana),
            SummaryField::text("phone", "doctor-phone", t.doctor_phone),
            SummaryField::text("email", "doctor-email", t.doctor_email),
            SummaryField::choice("vaccines", "doctor-vaccines", t.doctor_vaccines),
        ]
    });
    // Why the vaccine list is empty or short: the site's vaccines await approval, or it has none.
    let vaccines_note = move || {
        let t = t();
        list.with(|l| {
            let l = l.as_ref()?;
            if !l.pending_vaccines.is_empty() {
                let names: Vec<&str> = l
                    .pending_vaccines
                    .iter()
                    .map(|v| v.label.as_str())
                    .collect();
                Some(format!(
                    "{} {}",
                    t.doctor_vaccines_pending,
                    names.join("、")
                ))
            } else if l.site_vaccines.is_empty() {
                Some(t.doctor_vaccines_none.to_string())
            } else {
                None
            }
        })
    };
    view! {
        <h1>{move || if doctor_id.get().is_some() { t().doctor_edit_title } else { t().doctor_new_title }}</h1>
        <FormMessage message=state.message/>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <form novalidate class="record-form" on:submit=move |ev| { ev.prevent_default(); save_only(false); }>
            <ErrorSummary state=state errors=errors fields=summary_fields/>
            <section class="record-section">
                <TextField id="doctor-name" label=Signal::derive(move || t().doctor_name.to_string()) value=name
                    error=error("name") required=true
                    on_blur=move |_| state.touch("name") on_input=move |_| state.edited("name")/>
                <TextField id="doctor-kana" label=Signal::derive(move || t().doctor_kana.to_string()) value=kana
                    error=error("kana") required=true
                    on_blur=move |_| state.touch("kana") on_input=move |_| state.edited("kana")/>
                <div class="field">
                    <label for="doctor-site">{move || t().doctor_site}</label>
                    <input id="doctor-site" type="text" readonly prop:value=move || list.get().map(|l| l.site.name).unwrap_or_default()/>
                </div>
                <TextField id="doctor-phone" label=Signal::derive(move || t().doctor_phone.to_string()) value=phone
                    error=error("phone") input_type="tel" autocomplete="tel"
                    on_blur=move |_| state.touch("phone") on_input=move |_| state.edited("phone")/>
                <TextField id="doctor-email" label=Signal::derive(move || t().doctor_email.to_string()) value=email
                    error=error("email") input_type="email" autocomplete="email"
                    on_blur=move |_| state.touch("email") on_input=move |_| state.edited("email")/>
                <div class="field" class:has-error=move || error("vaccines").get().is_some()>
                    <span class="label" id="doctor-vaccines-label">{move || t().doctor_vaccines}</span>
                    <div class="choices" id="doctor-vaccines" role="group" aria-labelledby="doctor-vaccines-label"
                        aria-describedby="doctor-vaccines-hint doctor-vaccines-error">
                        {move || list.get().map(|l| l.site_vaccines).unwrap_or_default().into_iter().enumerate().map(|(i, v)| {
                            let id = format!("doctor-vaccine-{}", v.value);
                            let for_id = id.clone();
                            let code = v.value.clone();
                            let check_code = code.clone();
                            view! {
                                <label class="check" for=for_id>
                                    <input id=id type="checkbox"
                                        prop:checked=move || vaccines.get().contains(&check_code)
                                        aria-invalid=move || if i == 0 && error("vaccines").get().is_some() { "true" } else { "false" }
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            vaccines.update(|list| {
                                                list.retain(|c| *c != code);
                                                if on { list.push(code.clone()); }
                                            });
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
                <button type="submit" class="button primary" disabled=move || state.busy.get()>{move || t().save_button}</button>
                <button type="button" class="button primary" disabled=move || state.busy.get() on:click=move |_| save(true)>{move || t().save_and_new_button}</button>
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
            on_confirm=Callback::new(move |_| remove())/>
    }
}
