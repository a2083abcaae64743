//! The municipality's booking form: 予約の登録, or 予約の変更 of the booking picked in the list.
//! Checked as the user types; what was typed stays when the server refuses it.

use super::{form_of, full_at, hour_range};
use crate::api::{BookingList, BookingRow};
use crate::domain::BookingForm;
use crate::error::{AppError, FieldErrors};
use crate::i18n::bookings::bookings_texts;
use crate::i18n::{choice_error, field_error, Lang};
use crate::ui::context::use_app;
use crate::ui::form::{focus_field, focus_first_error};
use leptos::prelude::*;

type Answer = Result<BookingList, AppError>;

/// The form, below 予約者一覧.
#[component]
pub fn BookingEditor(
    list: BookingList,
    editing: RwSignal<Option<BookingRow>>,
    errors: RwSignal<FieldErrors>,
    create: Action<BookingForm, Answer>,
    change: Action<(i64, BookingForm), Answer>,
) -> impl IntoView {
    let app = use_app();
    let t = move || bookings_texts(app.lang.get());
    let today = list.today.parse().unwrap_or_default();
    let vaccines: Vec<String> = list.vaccines.iter().map(|(code, _)| code.clone()).collect();
    let fresh = {
        let day = list.day.clone();
        let vaccine = vaccines.first().cloned().unwrap_or_default();
        move || BookingForm {
            day: day.clone(),
            vaccine: vaccine.clone(),
            ..BookingForm::default()
        }
    };
    let form = RwSignal::new(fresh());
    // Switching between a new booking and 変更 loads the form; a refused save keeps it as typed.
    Effect::new({
        let day = list.day.clone();
        let fresh = fresh.clone();
        move |_| match editing.get() {
            Some(row) => {
                form.set(form_of(&day, &row));
                errors.set(FieldErrors::new());
                request_animation_frame(|| focus_field("booking-hour"));
            }
            None => form.set(fresh()),
        }
    });
    let list = StoredValue::new(list);
    let check = {
        let vaccines = vaccines.clone();
        move |typed: &BookingForm| -> FieldErrors {
            let mut found = typed.validate(&vaccines, today).err().unwrap_or_default();
            let keeping = editing.with_untracked(|e| e.as_ref().map(|r| r.hour));
            if let Some(full) = list.with_value(|l| full_at(l, &typed.hour, keeping)) {
                found.add("hour", full);
            }
            found
        }
    };
    let recheck = {
        let check = check.clone();
        move || {
            // Only the fields already in error are re-judged while typing, so an empty form
            // does not start red.
            let found = check(&form.get_untracked());
            errors.update(|shown| {
                shown.0.retain(|key, _| found.get(key).is_some());
                for (key, error) in found.0 {
                    if shown.get(&key).is_some() {
                        shown.0.insert(key, error);
                    }
                }
            });
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = form.get_untracked();
        let found = check(&typed);
        if !found.is_empty() {
            errors.set(found);
            focus_first_error();
            return;
        }
        match editing.get_untracked() {
            Some(row) => {
                change.dispatch((row.id, typed));
            }
            None => {
                create.dispatch(typed);
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
    let invalid = move |key: &'static str| move || errors.with(|e| e.get(key).is_some());
    let recheck = StoredValue::new(recheck);
    let text_field = move |id: &'static str,
                           label: fn(Lang) -> &'static str,
                           get: fn(&BookingForm) -> String,
                           set: fn(&mut BookingForm, String)| {
        view! {
            <div class="field" class:has-error=invalid(id)>
                <label for=format!("booking-{id}")>{move || label(app.lang.get())}</label>
                <input id=format!("booking-{id}") type="text"
                    aria-invalid=move || invalid(id)().then_some("true")
                    prop:value=move || form.with(get)
                    on:input=move |ev| {
                        form.update(|f| set(f, event_target_value(&ev)));
                        recheck.with_value(|r| r());
                    }/>
                <p class="field-error" role="alert">{error(id)}</p>
            </div>
        }
    };
    let hours = move || {
        let lang = app.lang.get();
        list.with_value(|l| {
            l.slots
                .iter()
                .map(|s| {
                    let label = format!(
                        "{}（{} {}）",
                        hour_range(s.hour),
                        bookings_texts(lang).col_free,
                        s.free()
                    );
                    view! { <option value=s.hour.to_string()>{label}</option> }
                })
                .collect_view()
        })
    };
    let choice = move |key: &'static str| {
        move || {
            errors
                .with(|e| e.get(key).cloned())
                .map(|e| choice_error(app.lang.get(), &e))
        }
    };
    let vaccine_options = list.with_value(|l| {
        l.vaccines
            .iter()
            .map(|(code, name)| view! { <option value=code.clone()>{name.clone()}</option> })
            .collect_view()
    });
    view! {
        <section class="panel no-print" aria-labelledby="booking-form">
            <h2 id="booking-form">{move || if editing.with(Option::is_some) { t().edit_title } else { t().book_title }}</h2>
            <form novalidate on:submit=submit>
                <div class="field" class:has-error=invalid("hour")>
                    <label for="booking-hour">{move || t().hour_label}</label>
                    <select id="booking-hour" aria-invalid=move || invalid("hour")().then_some("true")
                        prop:value=move || form.with(|f| f.hour.clone())
                        on:change=move |ev| {
                            form.update(|f| f.hour = event_target_value(&ev));
                            recheck.with_value(|r| r());
                        }>
                        <option value="">"—"</option>
                        {hours}
                    </select>
                    <p class="field-error" role="alert">{choice("hour")}</p>
                </div>
                {text_field("name", |l| bookings_texts(l).col_name, |f| f.name.clone(), |f, v| f.name = v)}
                {text_field("kana", |l| bookings_texts(l).col_kana, |f| f.kana.clone(), |f, v| f.kana = v)}
                {text_field("birth_date", |l| bookings_texts(l).col_birth, |f| f.birth_date.clone(), |f, v| f.birth_date = v)}
                {text_field("phone", |l| bookings_texts(l).col_phone, |f| f.phone.clone(), |f, v| f.phone = v)}
                {text_field("ticket_number", |l| bookings_texts(l).col_ticket, |f| f.ticket_number.clone(), |f, v| f.ticket_number = v)}
                <fieldset class="field" class:has-error=invalid("dose")>
                    <legend>{move || t().col_dose}</legend>
                    <div class="choices">
                    {["1", "2"].into_iter().map(|n| view! {
                        <label class="check">
                            <input type="radio" name="booking-dose" value=n
                                prop:checked=move || form.with(|f| f.dose == n)
                                on:change=move |_| {
                                    form.update(|f| f.dose = n.to_string());
                                    recheck.with_value(|r| r());
                                }/>
                            {move || if n == "1" { t().dose_1 } else { t().dose_2 }}
                        </label>
                    }).collect_view()}
                    </div>
                    <p class="field-error" role="alert">{choice("dose")}</p>
                </fieldset>
                <div class="field" class:has-error=invalid("vaccine")>
                    <label for="booking-vaccine">{move || t().col_vaccine}</label>
                    <select id="booking-vaccine" prop:value=move || form.with(|f| f.vaccine.clone())
                        on:change=move |ev| form.update(|f| f.vaccine = event_target_value(&ev))>
                        {vaccine_options}
                    </select>
                    <p class="field-error" role="alert">{choice("vaccine")}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary"
                        disabled=move || create.pending().get() || change.pending().get()>
                        {move || if editing.with(Option::is_some) { t().save_change } else { t().book_button }}
                    </button>
                    {move || editing.with(Option::is_some).then(|| view! {
                        <button type="button" class="button secondary" on:click=move |_| editing.set(None)>{t().cancel_edit}</button>
                    })}
                </div>
            </form>
        </section>
    }
}
