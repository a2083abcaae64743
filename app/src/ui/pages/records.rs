//! 接種実績 (`/sites/:id/records`): one grid per vaccine, prefilled with the last cumulative and
//! showing the day's difference as the nurse types; a lower cumulative asks for confirmation
//! (a correction); the history as a chart and a table; vials and doses side by side. And the
//! municipality's overview (`/records`) with the parts of ホーム that point to both.

use crate::api::{load_site_records, register_records, SiteRecords, VaccineRecords};
use crate::domain::{
    cell, cell_field, parse_date, parse_people, Choice as _, ContractDates, Dose, Group,
    RecordForm, TallyForm, CELLS,
};
use crate::error::{AppError, FieldError, FieldErrors};
use crate::i18n::field_error;
use crate::i18n::records::{records_texts, RecordsTexts};
use crate::ui::context::use_app;
use crate::ui::dialog::ConfirmDialog;
use crate::ui::form::{focus_first_error, on_each_answer, FormMessage};
use crate::ui::pages::site_record::route_id;
use crate::ui::shell::{loaded, Loading};
use history::vaccine_history;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/sites/:id/records`.
#[component]
pub fn SiteRecordsPage() -> impl IntoView {
    let app = use_app();
    let site_id = route_id("id");
    let records = Resource::new(move || site_id.get(), load_site_records);
    view! {
        <h1>{move || records_texts(app.lang.get()).title}</h1>
        <Transition fallback=Loading>
            {loaded(records, |records| view! { <RecordsView records/> })}
        </Transition>
    }
}

/// One vaccine's grid as typed: ten cells and the lot picked.
#[derive(Clone, Copy)]
struct Grid {
    cells: [RwSignal<String>; CELLS],
    lot: RwSignal<String>,
}

impl Grid {
    fn of(vaccine: &VaccineRecords) -> Self {
        let latest = vaccine.basis.latest.map(|l| l.tally).unwrap_or_default();
        Grid {
            cells: std::array::from_fn(|i| RwSignal::new(latest.0[i].to_string())),
            lot: RwSignal::new(String::new()),
        }
    }

    fn form(&self, code: &str) -> TallyForm {
        TallyForm {
            vaccine: code.to_string(),
            cells: self.cells.iter().map(|c| c.get_untracked()).collect(),
            lot: self.lot.get_untracked(),
        }
    }
}

#[component]
fn RecordsView(records: SiteRecords) -> impl IntoView {
    let app = use_app();
    let t = move || records_texts(app.lang.get());
    let site_id = records.site.id;
    let editable = records.editable;
    let heading = records.site.name.clone();
    let records = RwSignal::new(records);
    let day = RwSignal::new(records.with_untracked(|r| r.today.clone()));
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let submit_button = NodeRef::<html::Button>::new();
    let grids: StoredValue<Vec<(String, Grid)>> = StoredValue::new(records.with_untracked(|r| {
        r.vaccines
            .iter()
            .map(|v| (v.basis.code.clone(), Grid::of(v)))
            .collect()
    }));
    let register = Action::new(move |form: &RecordForm| register_records(site_id, form.clone()));
    on_each_answer(register, move |answer| match answer {
        Ok(saved) => {
            // The grids keep what was typed, which is now the latest cumulative.
            records.set(saved);
            errors.set(FieldErrors::new());
            message.set(None);
            notice.set(Some(
                records_texts(app.lang.get_untracked()).saved.to_string(),
            ));
        }
        Err(AppError::Validation(found)) => {
            errors.set(found);
            focus_first_error();
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    let form = move |confirm: bool| RecordForm {
        administered_on: day.get_untracked(),
        vaccines: grids.with_value(|g| g.iter().map(|(code, grid)| grid.form(code)).collect()),
        confirm_correction: confirm,
    };
    // The browser checks first; a lower cumulative is the one error the user may confirm away.
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        let typed = form(false);
        let checked = records.with_untracked(|r| {
            let basis: Vec<_> = r.vaccines.iter().map(|v| v.basis.clone()).collect();
            typed.validate(&basis, contract_of(r), r.today.parse().unwrap_or_default())
        });
        match checked {
            Ok(_) => {
                register.dispatch(typed);
            }
            Err(found) => {
                let only_corrections = found
                    .0
                    .values()
                    .all(|e| matches!(e, FieldError::CumulativeDecreased { .. }));
                if only_corrections {
                    errors.set(found);
                    confirming.set(true);
                } else {
                    errors.set(found);
                    focus_first_error();
                }
            }
        };
    };
    let error_of = move |key: String| {
        move || {
            errors
                .with(|e| e.get(&key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    };
    let grids_view = move || {
        records.with_untracked(|r| {
            r.vaccines
                .iter()
                .enumerate()
                .map(|(index, _)| {
                    let grid = grids.with_value(|g| g[index].1);
                    view! { <GridView index records grid day errors/> }
                })
                .collect_view()
        })
    };
    let has_vaccines = records.with_untracked(|r| !r.vaccines.is_empty());
    view! {
        <h2 class="subtitle">{heading}</h2>
        <p class="muted">
            <A href=format!("/sites/{site_id}/stock")>{move || t().stock_link}</A>
            {move || records.with(|r| contract_line(t(), r))}
        </p>
        {move || records.with(|r| {
            if r.today_registered {
                view! { <div class="notice" role="status">{t().today_in}</div> }.into_any()
            } else {
                view! { <div class="alert warning">{t().today_missing}</div> }.into_any()
            }
        })}
        <FormMessage message/>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        {(!has_vaccines).then(|| view! { <p class="alert warning">{move || t().no_vaccines}</p> })}
        {(editable && has_vaccines).then(|| view! {
            <section class="panel" aria-labelledby="records-register">
                <h2 id="records-register">{move || t().register_title}</h2>
                <p class="muted">{move || t().cumulative_note}</p>
                <form novalidate on:submit=submit>
                    <div class="field inline" class:has-error=move || errors.with(|e| e.get("administered_on").is_some())>
                        <label for="records-day">{move || t().day_label}</label>
                        <input id="records-day" class="date-input" inputmode="numeric"
                            aria-invalid=move || errors.with(|e| e.get("administered_on").is_some()).then_some("true")
                            prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                    </div>
                    <p class="field-error" role="alert">{error_of("administered_on".into())}</p>
                    {grids_view}
                    <div class="form-actions">
                        <button type="submit" class="button primary" node_ref=submit_button
                            disabled=move || register.pending().get()>{move || t().register_button}</button>
                    </div>
                </form>
                <ConfirmDialog
                    open=confirming
                    title=Signal::derive(move || t().correction_title.to_string())
                    subject=Signal::derive(move || day.get())
                    detail=Signal::derive(move || t().correction_detail.to_string())
                    confirm_label=Signal::derive(move || t().correction_confirm.to_string())
                    cancel_label=Signal::derive(move || t().cancel.to_string())
                    return_focus=submit_button
                    on_confirm=Callback::new(move |_| { register.dispatch(form(true)); })
                />
            </section>
        })}
        {move || records.with(|r| r.vaccines.iter().map(|v| vaccine_history(app.lang.get(), v)).collect_view())}
    }
}

fn contract_of(records: &SiteRecords) -> ContractDates {
    ContractDates {
        joined: parse_date(&records.contract_joined).ok(),
        left: parse_date(&records.contract_left).ok(),
    }
}

fn contract_line(t: &RecordsTexts, records: &SiteRecords) -> Option<String> {
    if records.contract_joined.is_empty() && records.contract_left.is_empty() {
        return None;
    }
    Some(format!(
        "　{}: {} 〜 {}",
        t.contract_label, records.contract_joined, records.contract_left
    ))
}

/// One vaccine's grid: 1回目 and 2回目 by group, each cell with the day's difference below.
#[component]
fn GridView(
    index: usize,
    records: RwSignal<SiteRecords>,
    grid: Grid,
    day: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let app = use_app();
    let t = move || records_texts(app.lang.get());
    // The vaccine as last loaded or saved (its latest registrations, its lots and their vials).
    let vaccine = Memo::new(move |_| records.with(|r| r.vaccines[index].clone()));
    // What the day counts from: the registration before the typed day when it is the latest's own.
    let base = Memo::new(move |_| {
        let typed = parse_date(&day.get()).ok();
        vaccine.with(|v| match typed {
            Some(d) => v.basis.base_for(d),
            None => v.basis.latest.map(|l| l.tally).unwrap_or_default(),
        })
    });

    let value = move |i: usize| parse_people(&grid.cells[i].get()).ok();
    let difference = move |i: usize| value(i).map(|v| i64::from(v) - i64::from(base.get().0[i]));
    let error = move |key: String| {
        move || {
            errors
                .with(|e| e.get(&key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    };
    let legend_id = format!("records-grid-{index}");
    let rows = Dose::ALL
        .into_iter()
        .map(|dose| {
            let cells = Group::ALL
                .iter()
                .map(|&group| {
                    let i = cell(dose, group);
                    let key = cell_field(index, i);
                    let invalid_key = key.clone();
                    let invalid = Signal::derive(move || errors.with(|e| e.get(&invalid_key).is_some()));
                    let label = move || {
                        let lang = app.lang.get();
                        format!("{} {}", dose.label().get(lang), group.label().get(lang))
                    };
                    view! {
                        <td class:has-error=invalid>
                            <input class="boxes-input" inputmode="numeric" aria-label=label
                                aria-invalid=move || invalid.get().then_some("true")
                                prop:value=move || grid.cells[i].get()
                                on:input=move |ev| grid.cells[i].set(event_target_value(&ev))/>
                            <span class="daily" aria-live="polite">{move || difference(i).map(|d| format!("{} {d:+}", t().daily_prefix))}</span>
                            <span class="field-error" role="alert">{error(key.clone())}</span>
                        </td>
                    }
                })
                .collect_view();
            let totals = move || {
                let cumulative: Option<u64> = Group::ALL
                    .iter()
                    .map(|&g| value(cell(dose, g)).map(u64::from))
                    .sum();
                let daily: Option<i64> = Group::ALL
                    .iter()
                    .map(|&g| difference(cell(dose, g)))
                    .sum();
                match (cumulative, daily) {
                    (Some(c), Some(d)) => format!("{c}（{} {d:+}）", t().daily_prefix),
                    _ => "—".to_string(),
                }
            };
            view! {
                <tr>
                    <th scope="row">{move || dose.label().get(app.lang.get())}</th>
                    {cells}
                    <td class="num total">{totals}</td>
                </tr>
            }
        })
        .collect_view();
    let lot_key = format!("vaccines.{index}.lot");
    let stock_key = format!("vaccines.{index}.stock");
    let lot_id = format!("records-lot-{index}");
    let labelled_by = legend_id.clone();
    view! {
        <fieldset class="records-grid" aria-labelledby=labelled_by>
            <legend id=legend_id>{move || vaccine.with(|v| v.name.clone())}</legend>
            {move || vaccine.with(|v| v.basis.latest).map(|l| view! {
                <p class="muted">{move || format!("{}: {}", t().last_registered, l.on)}</p>
            })}
            <div class="table-wrap" tabindex="0"><table class="table grid-table">
                <thead><tr>
                    <th scope="col">{move || t().col_dose}</th>
                    {Group::ALL.iter().map(|g| view! { <th scope="col">{move || g.label().get(app.lang.get())}</th> }).collect_view()}
                    <th scope="col" class="num">{move || t().col_total}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            <div class="field inline">
                <label for=lot_id.clone()>{move || t().lot_label}</label>
                <select id=lot_id prop:value=move || grid.lot.get() on:change=move |ev| grid.lot.set(event_target_value(&ev))>
                    <option value="">{move || t().lot_auto}</option>
                    {move || vaccine.with(|v| v.lots.clone()).into_iter().map(|l| view! { <option value=l.value>{l.label}</option> }).collect_view()}
                </select>
            </div>
            <p class="field-error" role="alert">{error(lot_key)}</p>
            <p class="field-error" role="alert">{error(stock_key)}</p>
        </fieldset>
    }
}

mod history;
mod overview;

pub use overview::{HomeRecords, HomeRecordsOverview, RecordsOverviewPage};
