//! 市町村による予約受付支援: 予約者一覧 (R305, `/sites/:id/bookings`, printable on A4) with, for
//! the municipality, the booking form, 変更 and 取消; 予約受付枠の設定 ([`slots`]); the
//! municipality's list of the sites it takes bookings for (`/bookings`); and the buttons ホーム
//! gains.

use crate::api::{
    book, cancel_booking, change_booking, load_booking_sites, load_bookings, load_slots,
    BookingList, BookingRow,
};
use crate::domain::{dose_number, BookingForm, Dose};
use crate::error::{AppError, FieldError, FieldErrors};
use crate::i18n::bookings::{bookings_texts, BookingsTexts};
use crate::i18n::Lang;
use crate::ui::context::use_app;
use crate::ui::dialog::ConfirmDialog;
use crate::ui::form::{on_each_answer, FormMessage};
use crate::ui::pages::site_record::route_id;
use crate::ui::shell::{loaded, Loading};
use form::BookingEditor;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

mod form;
pub mod slots;

pub use slots::SlotsPage;

/// `/sites/:id/bookings`: 予約者一覧 of a date.
#[component]
pub fn BookingsPage() -> impl IntoView {
    let app = use_app();
    let t = move || bookings_texts(app.lang.get());
    let site_id = route_id("id");
    let shown = RwSignal::new(String::new());
    let picked = RwSignal::new(String::new());
    let list = RwSignal::new(None::<BookingList>);
    let message = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FieldErrors::new());
    // The booking being changed, if any (the form shows it instead of a new one).
    let editing = RwSignal::new(None::<BookingRow>);
    let load = Action::new(move |(site, day): &(i64, String)| load_bookings(*site, day.clone()));
    on_each_answer(load, move |answer| match answer {
        Ok(found) => {
            picked.set(found.day.clone());
            list.set(Some(found));
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    Effect::new(move |_| {
        load.dispatch((site_id.get(), shown.get()));
    });
    let answered = move |answer: Result<BookingList, AppError>,
                         done: fn(&BookingsTexts) -> &str| match answer {
        Ok(found) => {
            errors.set(FieldErrors::new());
            message.set(None);
            editing.set(None);
            notice.set(Some(
                done(bookings_texts(app.lang.get_untracked())).to_string(),
            ));
            list.set(Some(found));
        }
        Err(AppError::Validation(found)) => {
            errors.set(found);
            crate::ui::form::focus_first_error();
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    };
    let create = Action::new(move |form: &BookingForm| book(site_id.get_untracked(), form.clone()));
    on_each_answer(create, move |answer| answered(answer, |t| t.booked));
    let change =
        Action::new(move |(id, form): &(i64, BookingForm)| change_booking(*id, form.clone()));
    on_each_answer(change, move |answer| answered(answer, |t| t.changed));
    let cancel = Action::new(move |id: &i64| cancel_booking(*id));
    on_each_answer(cancel, move |answer| answered(answer, |t| t.cancelled));
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <h1>{move || t().list_title}</h1>
        <FormMessage message/>
        {move || notice.get().map(|m| view! { <div class="notice no-print" role="status">{m}</div> })}
        <form class="filters no-print" novalidate on:submit=move |ev| {
            ev.prevent_default();
            notice.set(None);
            editing.set(None);
            shown.set(picked.get_untracked());
        }>
            <div class="field inline">
                <label for="bookings-day">{move || t().day_label}</label>
                <input id="bookings-day" class="date-input" inputmode="numeric" prop:value=move || picked.get()
                    on:input=move |ev| picked.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="button secondary">{move || t().show_day}</button>
            <button type="button" class="button secondary" on:click=print>{move || t().print}</button>
        </form>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(found) => {
                let lang = app.lang.get();
                let can_book = found.can_book;
                view! {
                    <section class="print-sheet" aria-labelledby="bookings-sheet">
                        <h2 id="bookings-sheet" class="subtitle">{format!("{} {}（{}）", found.site.name, found.day, found.municipality)}</h2>
                        <p class="muted">{t().personal_note}</p>
                        <p class="muted no-print">
                            <A href=format!("/sites/{}/slots", found.site.id)>{t().slots_title}</A>
                        </p>
                        {slot_summary(lang, &found)}
                        {booking_table(lang, &found, editing, cancel)}
                    </section>
                    {can_book.then(|| view! { <BookingEditor list=found.clone() editing errors create change/> })}
                }.into_any()
            }
        }}
    }
}

/// Each hour of the day: places, booked, free.
fn slot_summary(lang: Lang, list: &BookingList) -> AnyView {
    let t = bookings_texts(lang);
    if list.slots.is_empty() {
        return view! { <p class="muted">{t.no_free_slot}</p> }.into_any();
    }
    let rows = list
        .slots
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <th scope="row">{hour_range(s.hour)}</th>
                    <td class="num">{s.capacity}</td>
                    <td class="num">{s.booked}</td>
                    <td class="num">{s.free()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0"><table class="table compact">
            <thead><tr>
                <th scope="col">{t.col_hour}</th><th scope="col">{t.col_capacity}</th>
                <th scope="col">{t.col_booked}</th><th scope="col">{t.col_free}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

/// `9:00〜10:00`.
pub fn hour_range(hour: u8) -> String {
    format!("{hour}:00〜{}:00", hour + 1)
}

/// 1回目 / 2回目 in `lang`.
fn dose_text(lang: Lang, dose: Dose) -> &'static str {
    dose.label().get(lang)
}

/// The day's bookings, with 変更 and 取消 for the municipality.
fn booking_table(
    lang: Lang,
    list: &BookingList,
    editing: RwSignal<Option<BookingRow>>,
    cancel: Action<i64, Result<BookingList, AppError>>,
) -> AnyView {
    let t = bookings_texts(lang);
    if list.bookings.is_empty() {
        return view! { <p class="muted">{t.list_empty}</p> }.into_any();
    }
    let can_book = list.can_book;
    let rows = list
        .bookings
        .iter()
        .map(|b| {
            let row = b.clone();
            let id = b.id;
            let who = if b.erased { t.erased.to_string() } else { b.name.clone() };
            let open = RwSignal::new(false);
            let cancel_button = NodeRef::<html::Button>::new();
            let subject = format!("{} {}", hour_range(b.hour), who);
            view! {
                <tr>
                    <td>{hour_range(b.hour)}</td>
                    <td>{who.clone()}</td>
                    <td>{b.kana.clone()}</td>
                    <td>{b.birth_date.clone()}</td>
                    <td>{b.phone.clone()}</td>
                    <td>{b.ticket_number.clone()}</td>
                    <td>{dose_text(lang, b.dose)}</td>
                    <td>{b.vaccine_name.clone()}</td>
                    {(can_book && !b.erased).then(|| view! {
                        <td class="no-print">
                            <div class="row-actions">
                                <button type="button" class="button secondary" aria-label=format!("{} {}", t.change_button, who)
                                    on:click=move |_| editing.set(Some(row.clone()))>{t.change_button}</button>
                                <button type="button" class="button danger" node_ref=cancel_button aria-label=format!("{} {}", t.cancel_booking, who)
                                    on:click=move |_| open.set(true)>{t.cancel_booking}</button>
                            </div>
                            <ConfirmDialog open title=t.cancel_title.to_string() subject=subject
                                detail=t.cancel_detail.to_string() confirm_label=t.cancel_confirm.to_string()
                                cancel_label=t.keep.to_string() return_focus=cancel_button
                                on_confirm=Callback::new(move |_| { cancel.dispatch(id); })/>
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0"><table class="table bookings">
            <thead><tr>
                <th scope="col">{t.col_hour}</th><th scope="col">{t.col_name}</th><th scope="col">{t.col_kana}</th>
                <th scope="col">{t.col_birth}</th><th scope="col">{t.col_phone}</th><th scope="col">{t.col_ticket}</th>
                <th scope="col">{t.col_dose}</th><th scope="col">{t.col_vaccine}</th>
                {can_book.then(|| view! { <th scope="col" class="no-print">{t.col_actions}</th> })}
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

/// The form's copy of a stored booking (for 変更).
fn form_of(day: &str, b: &BookingRow) -> BookingForm {
    BookingForm {
        day: day.to_string(),
        hour: b.hour.to_string(),
        name: b.name.clone(),
        kana: b.kana.clone(),
        birth_date: b.birth_date.clone(),
        phone: b.phone.clone(),
        ticket_number: b.ticket_number.clone(),
        dose: dose_number(b.dose).to_string(),
        vaccine: b.vaccine.clone(),
    }
}

/// `/bookings`: the municipality's sites whose bookings it takes.
#[component]
pub fn BookingSitesPage() -> impl IntoView {
    let app = use_app();
    let t = move || bookings_texts(app.lang.get());
    let municipality = move || {
        app.session
            .get()
            .and_then(|s| s.municipality_code)
            .unwrap_or_default()
    };
    let sites = Resource::new(municipality, load_booking_sites);
    view! {
        <h1>{move || t().sites_title}</h1>
        <p class="muted">{move || t().sites_intro}</p>
        <Transition fallback=Loading>
            {loaded(sites, move |sites| {
                let t = bookings_texts(app.lang.get_untracked());
                if sites.is_empty() {
                    return view! { <p class="muted">{t.sites_empty}</p> }.into_any();
                }
                let rows = sites.into_iter().map(|s| view! {
                    <tr>
                        <th scope="row">{s.site.name.clone()}</th>
                        <td class="num">{format!("{} / {}", s.booked, s.capacity)}</td>
                        <td><div class="row-actions">
                            <A href=format!("/sites/{}/bookings", s.site.id) attr:class="button secondary"
                                attr:aria-label=format!("{} {}", t.open_list, s.site.name)>{t.open_list}</A>
                            <A href=format!("/sites/{}/slots", s.site.id) attr:class="button link"
                                attr:aria-label=format!("{} {}", t.slots_title, s.site.name)>{t.slots_title}</A>
                        </div></td>
                    </tr>
                }).collect_view();
                view! {
                    <div class="table-wrap" tabindex="0"><table class="table">
                        <thead><tr>
                            <th scope="col">{t.col_site}</th><th scope="col">{format!("{}（{} / {}）", t.col_places, t.col_booked, t.col_capacity)}</th>
                            <th scope="col">{t.col_actions}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                }.into_any()
            })}
        </Transition>
    }
}

/// On ホーム of a site whose bookings its municipality takes: 予約受付枠の設定 and 予約者一覧.
#[component]
pub fn HomeBookings(site_id: i64) -> impl IntoView {
    let app = use_app();
    let slots = Resource::new(
        move || (site_id, String::new()),
        |(id, day)| load_slots(id, day),
    );
    view! {
        <Suspense>
            {move || slots.get().and_then(Result::ok).filter(|d| d.takes_bookings).map(|_| {
                let t = bookings_texts(app.lang.get());
                view! {
                    <div class="task-grid">
                        <a class="task-button" href=format!("/sites/{site_id}/slots")>{t.home_slots}</a>
                        <a class="task-button" href=format!("/sites/{site_id}/bookings")>{t.home_list}</a>
                    </div>
                }
            })}
        </Suspense>
    }
}

/// Whether the slot at `hour` has no free place (the browser says so before the server does).
fn full_at(list: &BookingList, hour: &str, keeping: Option<u8>) -> Option<FieldError> {
    let hour: u8 = hour.parse().ok()?;
    let slot = list.slots.iter().find(|s| s.hour == hour)?;
    (slot.free() == 0 && keeping != Some(hour)).then_some(FieldError::SlotFull)
}
