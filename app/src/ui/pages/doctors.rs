//! 医師情報の編集: one doctor of a site, with 保存, 保存 & 新規 and キャンセル (and 削除).

use super::site_record::site_id_param;
use crate::api::{delete_doctor, load_doctors, save_doctor, DoctorEdit, DoctorList};
use crate::domain::DoctorForm;
use crate::error::FieldErrors;
use crate::i18n::site::site_texts;
use crate::ui::context::use_app;
use crate::ui::form::{FormMessage, FormState, TextField};
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
    let remove = move |_| {
        let Some(id) = doctor_id.get_untracked() else {
            return;
        };
        let t = site_texts(app.lang.get_untracked());
        if !window()
            .confirm_with_message(t.confirm_delete)
            .unwrap_or(false)
        {
            return;
        }
        let navigate = back_after_delete.clone();
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
    view! {
        <h1>{move || if doctor_id.get().is_some() { t().doctor_edit_title } else { t().doctor_new_title }}</h1>
        <FormMessage message=state.message/>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <form novalidate class="record-form" on:submit=move |ev| { ev.prevent_default(); save_only(false); }>
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
                    <div class="choices" role="group" aria-labelledby="doctor-vaccines-label">
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
                    <p class="field-error" role="alert">{move || error("vaccines").get().map(|e| crate::i18n::field_error(app.lang.get(), &e))}</p>
                </div>
            </section>
            <div class="form-actions sticky">
                <button type="submit" class="button primary" disabled=move || state.busy.get()>{move || t().save_button}</button>
                <button type="button" class="button primary" disabled=move || state.busy.get() on:click=move |_| save(true)>{move || t().save_and_new_button}</button>
                <a class="button secondary" href=format!("/sites/{site_id}")>{move || t().cancel_button}</a>
                <Show when=move || doctor_id.get().is_some()>
                    <button type="button" class="button danger" on:click=remove.clone()>{move || t().delete_button}</button>
                </Show>
            </div>
        </form>
    }
}
