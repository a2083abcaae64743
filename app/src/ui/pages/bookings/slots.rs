//! 予約受付枠の設定 (`/sites/:id/slots`): for a date, one row per hour with how many people per
//! hour the site takes; the hours already booked show their bookings, and an hour cannot go below
//! them. The dates that have slots are listed to pick from.

use crate::api::{load_slots, save_slots, SlotDay};
use crate::domain::{capacity_field, SlotForm, SLOT_HOURS};
use crate::error::{AppError, FieldErrors};
use crate::i18n::bookings::bookings_texts;
use crate::i18n::field_error;
use crate::ui::context::use_app;
use crate::ui::form::{focus_first_error, on_each_answer, FormMessage};
use crate::ui::pages::site_record::route_id;
use crate::ui::shell::Loading;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/sites/:id/slots`.
#[component]
pub fn SlotsPage() -> impl IntoView {
    let app = use_app();
    let t = move || bookings_texts(app.lang.get());
    let site_id = route_id("id");
    // The date asked for ("" = today, as the server counts it).
    let shown = RwSignal::new(String::new());
    let slot_day = RwSignal::new(None::<SlotDay>);
    let message = RwSignal::new(None::<String>);
    // Kept here: saving redraws the editor with the saved day.
    let notice = RwSignal::new(None::<String>);
    let load = Action::new(move |(site, day): &(i64, String)| load_slots(*site, day.clone()));
    on_each_answer(load, move |answer| match answer {
        Ok(day) => slot_day.set(Some(day)),
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    Effect::new(move |_| {
        notice.set(None);
        load.dispatch((site_id.get(), shown.get()));
    });
    view! {
        <h1>{move || t().slots_title}</h1>
        <FormMessage message/>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {move || match slot_day.get() {
            None => view! { <Loading/> }.into_any(),
            Some(day) if !day.takes_bookings => view! {
                <h2 class="subtitle">{day.site.name.clone()}</h2>
                <p class="alert warning">{t().not_taking}</p>
            }.into_any(),
            Some(day) => view! { <SlotEditor day shown slot_day notice/> }.into_any(),
        }}
    }
}

/// The grid of one date, and the dates that have slots.
#[component]
fn SlotEditor(
    day: SlotDay,
    shown: RwSignal<String>,
    slot_day: RwSignal<Option<SlotDay>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let app = use_app();
    let t = move || bookings_texts(app.lang.get());
    let site_id = day.site.id;
    let today = day.today.parse().unwrap_or_default();
    let capacities: Vec<(u8, u32)> = day.slots.iter().map(|s| (s.hour, s.capacity)).collect();
    let form = RwSignal::new(SlotForm::of(day.day.parse().unwrap_or(today), &capacities));
    let picked = RwSignal::new(day.day.clone());
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let save = Action::new(move |form: &SlotForm| save_slots(site_id, form.clone()));
    on_each_answer(save, move |answer| match answer {
        Ok(saved) => {
            notice.set(Some(
                bookings_texts(app.lang.get_untracked()).slots_saved.into(),
            ));
            slot_day.set(Some(saved));
        }
        Err(AppError::Validation(found)) => {
            errors.set(found);
            focus_first_error();
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    // Each keystroke is checked at once; the server checks again (and against the bookings).
    let recheck = move || {
        errors.set(form.with_untracked(|f| f.validate(today).err().unwrap_or_default()));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        let typed = form.get_untracked();
        match typed.validate(today) {
            Ok(_) => {
                save.dispatch(typed);
            }
            Err(found) => {
                errors.set(found);
                focus_first_error();
            }
        }
    };
    let booked_at = {
        let slots = day.slots.clone();
        move |hour: u8| {
            slots
                .iter()
                .find(|s| s.hour == hour)
                .map(|s| s.booked)
                .unwrap_or(0)
        }
    };
    let rows = SLOT_HOURS
        .enumerate()
        .map(|(index, hour)| {
            let key = StoredValue::new(capacity_field(hour));
            let has_error = move || key.with_value(|k| errors.with(|e| e.get(k).is_some()));
            let error = move || {
                key.with_value(|k| errors.with(|e| e.get(k).cloned()))
                    .map(|e| field_error(app.lang.get(), &e))
            };
            let label = move || format!("{hour}:00〜{}:00 {}", hour + 1, t().col_capacity);
            view! {
                <tr class:has-error=has_error>
                    <th scope="row">{format!("{hour}:00〜{}:00", hour + 1)}</th>
                    <td>
                        <input id=format!("slot-{hour}") class="boxes-input" inputmode="numeric" aria-label=label
                            aria-invalid=move || has_error().then_some("true")
                            prop:value=move || form.with(|f| f.capacities.get(index).cloned().unwrap_or_default())
                            on:input=move |ev| {
                                form.update(|f| {
                                    if let Some(cell) = f.capacities.get_mut(index) {
                                        *cell = event_target_value(&ev);
                                    }
                                });
                                recheck();
                            }/>
                        <span class="field-error" role="alert">{error}</span>
                    </td>
                    <td class="num">{booked_at(hour)}</td>
                </tr>
            }
        })
        .collect_view();
    let coming = day.coming.clone();
    view! {
        <h2 class="subtitle">{day.site.name.clone()}</h2>
        <p class="muted">
            <A href=format!("/sites/{site_id}/bookings")>{move || t().open_list}</A>
        </p>
        <FormMessage message/>
        <section class="panel" aria-labelledby="slots-coming">
            <h2 id="slots-coming">{move || t().coming_title}</h2>
            {if coming.is_empty() {
                view! { <p class="muted">{move || t().coming_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="chips">
                        {coming.into_iter().map(|(day, free)| {
                            let target = day.clone();
                            view! { <li><button type="button" class="button link" on:click=move |_| shown.set(target.clone())>
                                {format!("{day}（{free}{}）", bookings_texts(app.lang.get_untracked()).free_suffix)}
                            </button></li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="slots-form">
            <h2 id="slots-form">{move || t().slots_title}</h2>
            <p class="muted">{move || t().slots_intro}</p>
            <form class="filters" novalidate on:submit=move |ev| {
                ev.prevent_default();
                shown.set(picked.get_untracked());
            }>
                <div class="field inline">
                    <label for="slots-day">{move || t().day_label}</label>
                    <input id="slots-day" class="date-input" inputmode="numeric" prop:value=move || picked.get()
                        on:input=move |ev| picked.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button secondary">{move || t().show_day}</button>
            </form>
            <form novalidate on:submit=submit>
                <p class="field-error" role="alert">{move || errors.with(|e| e.get("day").cloned()).map(|e| field_error(app.lang.get(), &e))}</p>
                <div class="table-wrap" tabindex="0"><table class="table slots">
                    <caption>{move || form.with(|f| f.day.clone())}</caption>
                    <thead><tr>
                        <th scope="col">{move || t().col_hour}</th>
                        <th scope="col">{move || t().col_capacity}</th>
                        <th scope="col">{move || t().col_booked}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>{move || t().save_slots}</button>
                </div>
            </form>
        </section>
    }
}
