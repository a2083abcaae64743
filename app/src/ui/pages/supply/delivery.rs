//! 納入予定日・納入 (`/cools/:id/deliveries`): the locked allocations of one prefecture that the
//! caller may see, with where each delivery stands; suppliers and national users enter the
//! 納入予定日 and the lots of each delivery.

use super::cool_facts;
use crate::api::{
    load_deliveries, schedule_delivery, ship_delivery, DeliveryBoard, DeliveryRow, ShipmentView,
};
use crate::domain::{DeliveryStatus, KnownLot, LotLineForm, ShipmentForm};
use crate::error::{AppError, FieldError, FieldErrors};
use crate::i18n::stock::stock_texts;
use crate::i18n::{field_error, Lang};
use crate::ui::context::use_app;
use crate::ui::form::{focus_first_error, on_each_answer};
use crate::ui::pages::site_record::route_id;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;

/// Lot lines a delivery form starts with.
const FIRST_LINES: usize = 2;

/// `/cools/:id/deliveries`, optionally `?prefecture=13`.
#[component]
pub fn DeliveriesPage() -> impl IntoView {
    let app = use_app();
    let cool_id = route_id("id");
    let chosen = RwSignal::new(None::<i64>);
    let board = Resource::new(
        move || (cool_id.get(), chosen.get()),
        |(cool, prefecture)| load_deliveries(cool, prefecture),
    );
    view! {
        <h1>{move || stock_texts(app.lang.get()).deliveries_title}</h1>
        <Transition fallback=Loading>
            {loaded(board, move |board| view! { <Board board chosen/> })}
        </Transition>
        <p><a href=move || format!("/cools/{}", cool_id.get())>{move || crate::i18n::supply::supply_texts(app.lang.get()).back_to_cools}</a></p>
    }
}

#[component]
fn Board(board: DeliveryBoard, chosen: RwSignal<Option<i64>>) -> impl IntoView {
    let app = use_app();
    let facts = board.cool.clone();
    let choices = board.prefectures.clone();
    let shown = board.prefecture;
    let picker = (choices.len() > 1).then(|| {
        view! {
            <div class="field inline">
                <label for="delivery-prefecture">{move || stock_texts(app.lang.get()).prefecture_label}</label>
                <select id="delivery-prefecture" on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                    {choices.iter().map(|c| {
                        let selected = shown.map(|p| p.to_string()) == Some(c.value.clone());
                        view! { <option value=c.value.clone() selected=selected>{c.label.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    });
    let lots = StoredValue::new(board.lots.clone());
    let may_deliver = board.may_deliver;
    let note = board.needle_syringe_note.clone();
    let rows = board.rows.clone();
    let empty = rows.is_empty();
    view! {
        {move || cool_facts(app.lang.get(), &facts)}
        {picker}
        {(!note.is_empty()).then(|| view! { <p class="muted">{move || stock_texts(app.lang.get()).needles_label} ": " {note.clone()}</p> })}
        {if empty {
            view! { <p class="muted">{move || stock_texts(app.lang.get()).deliveries_empty}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table">
                        <thead><tr>
                            <th>{move || stock_texts(app.lang.get()).col_municipality}</th>
                            <th>{move || stock_texts(app.lang.get()).col_site}</th>
                            <th class="num">{move || stock_texts(app.lang.get()).col_allocated}</th>
                            <th class="num">{move || stock_texts(app.lang.get()).col_vials}</th>
                            <th>{move || stock_texts(app.lang.get()).col_scheduled}</th>
                            <th class="num">{move || stock_texts(app.lang.get()).col_delivered}</th>
                            <th class="num">{move || stock_texts(app.lang.get()).col_received}</th>
                            <th>{move || stock_texts(app.lang.get()).col_status}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! { <BoardRow row cool_id=board.cool.id may_deliver lots/> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// The status of a delivery as a badge.
pub(super) fn status_badge(lang: Lang, status: DeliveryStatus) -> impl IntoView {
    let class = match status {
        DeliveryStatus::Received => "state-badge done",
        DeliveryStatus::Unscheduled => "state-badge warn",
        _ => "state-badge",
    };
    view! { <span class=class>{status.label().get(lang)}</span> }
}

/// One allocated site: its figures, its 納入予定日 and, for those who deliver, the delivery form.
#[component]
fn BoardRow(
    row: DeliveryRow,
    cool_id: i64,
    may_deliver: bool,
    lots: StoredValue<Vec<KnownLot>>,
) -> impl IntoView {
    let app = use_app();
    let current = RwSignal::new(row);
    let site_id = current.with_untracked(|r| r.site.id);
    let name = current.with_untracked(|r| r.site.name.clone());
    let day = RwSignal::new(current.with_untracked(|r| r.scheduled_on.clone().unwrap_or_default()));
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let schedule =
        Action::new(move |day: &String| schedule_delivery(cool_id, site_id, day.clone()));
    let ship =
        Action::new(move |form: &ShipmentForm| ship_delivery(cool_id, site_id, form.clone()));
    let answered = move |answer: Result<DeliveryRow, AppError>, saved: fn(Lang) -> &'static str| {
        match answer {
            Ok(updated) => {
                current.set(updated);
                errors.set(FieldErrors::new());
                message.set(Some(saved(app.lang.get_untracked()).to_string()));
            }
            Err(AppError::Validation(e)) => {
                errors.set(e);
                message.set(None);
                focus_first_error();
            }
            Err(error) => message.set(Some(app.handle_error(&error))),
        }
    };
    on_each_answer(schedule, move |a| {
        answered(a, |l| stock_texts(l).scheduled_saved)
    });
    on_each_answer(ship, move |a| answered(a, |l| stock_texts(l).shipped_saved));
    let error = move |key: &'static str| {
        move || {
            errors
                .with(|e| e.get(key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    };
    let date_id = format!("scheduled-{site_id}");
    let label = {
        let name = name.clone();
        move || format!("{}（{}）", stock_texts(app.lang.get()).col_scheduled, name)
    };
    let schedule_cell = if may_deliver {
        view! {
            <form class="inline-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                schedule.dispatch(day.get_untracked());
            }>
                <input id=date_id.clone() class="date-input" inputmode="numeric" placeholder="2026-04-20"
                    aria-label=label
                    aria-invalid=move || errors.with(|e| e.get("scheduled_on").is_some()).to_string()
                    prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                <button type="submit" class="button small" disabled=move || schedule.pending().get()>
                    {move || stock_texts(app.lang.get()).schedule_button}
                </button>
                <span class="field-error" role="alert">{error("scheduled_on")}</span>
            </form>
        }
        .into_any()
    } else {
        view! { {move || current.with(|r| r.scheduled_on.clone()).unwrap_or_else(|| "—".into())} }
            .into_any()
    };
    let can_ship =
        move || may_deliver && current.with(|r| r.scheduled_on.is_some() && r.delivered < r.vials);
    view! {
        <tr>
            <td>{move || current.with(|r| r.municipality.clone())}</td>
            <td>{name.clone()}</td>
            <td class="num">{move || current.with(|r| r.boxes)}</td>
            <td class="num">{move || current.with(|r| r.vials)}</td>
            <td>{schedule_cell}</td>
            <td class="num">{move || current.with(|r| r.delivered)}</td>
            <td class="num">{move || current.with(|r| r.received)}</td>
            <td>{move || status_badge(app.lang.get(), current.with(|r| r.status))}</td>
        </tr>
        <tr class="detail-row">
            <td colspan="8">
                {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
                {move || current.with(|r| shipments_list(app.lang.get(), &r.shipments))}
                {move || can_ship().then(|| view! {
                    <ShipForm site_name=name.clone() outstanding=current.with(|r| r.vials - r.delivered) ship errors lots/>
                })}
            </td>
        </tr>
    }
}

/// The deliveries made so far, one line each.
pub(super) fn shipments_list(lang: Lang, shipments: &[ShipmentView]) -> impl IntoView {
    let t = stock_texts(lang);
    let lines: Vec<String> = shipments
        .iter()
        .map(|s| {
            let lots: Vec<String> = s
                .lots
                .iter()
                .map(|l| format!("{} × {}", l.lot_number, l.vials))
                .collect();
            let state = match &s.received_at {
                Some(_) => t.state_received,
                None => t.state_pending,
            };
            format!(
                "{} {}: {} — {} {} / {} — {}",
                t.delivered_on_label,
                s.delivered_on,
                lots.join("、"),
                t.needles_label,
                s.needles,
                s.syringes,
                state
            )
        })
        .collect();
    (!lines.is_empty()).then(|| {
        view! { <ul class="plain-list">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }
    })
}

/// 納入の登録 for one site: the day and the lots.
#[component]
fn ShipForm(
    site_name: String,
    outstanding: u32,
    ship: Action<ShipmentForm, Result<DeliveryRow, AppError>>,
    errors: RwSignal<FieldErrors>,
    lots: StoredValue<Vec<KnownLot>>,
) -> impl IntoView {
    let app = use_app();
    let day = RwSignal::new(String::new());
    let new_line = || (RwSignal::new(String::new()), RwSignal::new(String::new()));
    // One pair of signals per line, so typing in one re-renders nothing but its own input.
    let lines = RwSignal::new((0..FIRST_LINES).map(|_| new_line()).collect::<Vec<_>>());
    let error_of = move |key: String| errors.with(|e| e.get(&key).cloned());
    let message = move |e: Option<FieldError>| e.map(|e| field_error(app.lang.get(), &e));
    let heading = format!(
        "{}（{}）",
        stock_texts(app.lang.get_untracked()).ship_title,
        site_name
    );
    let line_view = move |(index, (lot, vials)): (usize, (RwSignal<String>, RwSignal<String>))| {
        let lot_key = format!("lines.{index}.lot_number");
        let vials_key = format!("lines.{index}.vials");
        let (lot_error, vials_error) = (lot_key.clone(), vials_key.clone());
        let number = index + 1;
        view! {
            <div class="lot-line">
                <label>
                    {move || format!("{} {number}", stock_texts(app.lang.get()).lot_number_label)}
                    <select aria-invalid=move || error_of(lot_key.clone()).is_some().to_string()
                        on:change=move |ev| lot.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {lots.with_value(|lots| lots.iter().map(|l| {
                            let chosen = lot.get_untracked() == l.lot_number;
                            view! {
                                <option value=l.lot_number.clone() selected=chosen>{format!("{}（{}）", l.lot_number, l.expires_on)}</option>
                            }
                        }).collect_view())}
                    </select>
                </label>
                <span class="field-error" role="alert">{move || message(error_of(lot_error.clone()))}</span>
                <label>
                    {move || format!("{} {number}", stock_texts(app.lang.get()).vials_label)}
                    <input inputmode="numeric" class="boxes-input"
                        aria-invalid=move || error_of(vials_key.clone()).is_some().to_string()
                        prop:value=move || vials.get()
                        on:input=move |ev| vials.set(event_target_value(&ev))/>
                </label>
                <span class="field-error" role="alert">{move || message(error_of(vials_error.clone()))}</span>
            </div>
        }
    };
    view! {
        <form class="ship-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let lines = lines
                .get_untracked()
                .into_iter()
                .map(|(lot, vials)| LotLineForm { lot_number: lot.get_untracked(), vials: vials.get_untracked() })
                .collect();
            ship.dispatch(ShipmentForm { delivered_on: day.get_untracked(), lines });
        }>
            <h3>{heading}</h3>
            <p class="muted">{move || stock_texts(app.lang.get()).outstanding_label} ": " {outstanding}</p>
            <label>
                {move || stock_texts(app.lang.get()).delivered_on_label}
                <input inputmode="numeric" placeholder="2026-04-20" class="date-input"
                    aria-invalid=move || errors.with(|e| e.get("delivered_on").is_some()).to_string()
                    prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
            </label>
            <span class="field-error" role="alert">{move || message(errors.with(|e| e.get("delivered_on").cloned()))}</span>
            {move || lines.get().into_iter().enumerate().map(line_view).collect_view()}
            <div class="form-actions">
                <button type="button" class="button" on:click=move |_| lines.update(|l| l.push(new_line()))>
                    {move || stock_texts(app.lang.get()).add_line}
                </button>
                <button type="submit" class="button primary" disabled=move || ship.pending().get()>
                    {move || stock_texts(app.lang.get()).ship_button}
                </button>
            </div>
        </form>
    }
}
