//! 接種実績 (`/sites/:id/records`): one grid per vaccine, prefilled with the last cumulative and
//! showing the day's difference as the nurse types; a lower cumulative asks for confirmation
//! (a correction); the history as a chart and a table; vials and doses side by side. And the
//! municipality's overview (`/records`) with the parts of ホーム that point to both.

use crate::api::{
    load_records_overview, load_site_records, register_records, Reconciliation, RecordDay,
    RecordsOverview, SiteRecords, VaccineRecords,
};
use crate::domain::{
    cell, cell_field, parse_date, parse_people, Choice as _, ContractDates, Dose, Group,
    RecordForm, TallyForm, CELLS,
};
use crate::error::{AppError, FieldError, FieldErrors};
use crate::i18n::records::{records_texts, RecordsTexts};
use crate::i18n::{field_error, Lang};
use crate::ui::context::use_app;
use crate::ui::dialog::ConfirmDialog;
use crate::ui::form::{focus_first_error, on_each_answer, FormMessage};
use crate::ui::pages::site_record::route_id;
use crate::ui::shell::{loaded, Loading};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

/// How many of the latest registrations the chart draws.
const CHART_DAYS: usize = 60;

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

/// A vaccine's history: the chart, the table (newest first) and the reconciliation.
fn vaccine_history(lang: Lang, vaccine: &VaccineRecords) -> AnyView {
    let t = records_texts(lang);
    let id = format!("records-history-{}", vaccine.basis.code);
    let body = if vaccine.history.is_empty() {
        view! { <p class="muted">{t.history_empty}</p> }.into_any()
    } else {
        let rows = vaccine
            .history
            .iter()
            .rev()
            .map(|d| {
                view! {
                    <tr class:pending=d.correction>
                        <td>{d.on.clone()}{d.correction.then(|| view! { " " <span class="state-badge warning">{t.correction_badge}</span> })}</td>
                        <td class="num">{format!("{:+}", d.daily.dose_total(Dose::First))}</td>
                        <td class="num">{format!("{:+}", d.daily.dose_total(Dose::Second))}</td>
                        <td class="num">{format!("{:+}", d.daily.total())}</td>
                        <td class="num">{d.cumulative.dose_total(Dose::First)}</td>
                        <td class="num">{d.cumulative.dose_total(Dose::Second)}</td>
                        <td class="num">{d.cumulative.total()}</td>
                        <td class="num">{d.vials}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            {chart(lang, &vaccine.history)}
            <div class="table-wrap" tabindex="0"><table class="table">
                <thead>
                    <tr>
                        <th rowspan="2" scope="col">{t.col_day}</th>
                        <th colspan="3" scope="colgroup">{t.col_daily}</th>
                        <th colspan="3" scope="colgroup">{t.col_cumulative}</th>
                        <th rowspan="2" scope="col" class="num">{t.col_vials}</th>
                    </tr>
                    <tr>
                        <th scope="col" class="num">{t.col_first}</th><th scope="col" class="num">{t.col_second}</th><th scope="col" class="num">{t.col_total}</th>
                        <th scope="col" class="num">{t.col_first}</th><th scope="col" class="num">{t.col_second}</th><th scope="col" class="num">{t.col_total}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
        .into_any()
    };
    let labelled_by = id.clone();
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h2 id=id>{format!("{} — {}", vaccine.name, t.history_title)}</h2>
            {body}
            {reconciliation(t, &vaccine.reconciliation)}
        </section>
    }
    .into_any()
}

/// Vials and doses side by side, the difference highlighted beyond one vial.
fn reconciliation(t: &'static RecordsTexts, book: &Reconciliation) -> AnyView {
    let per_vial = i64::from(book.doses_per_vial);
    let flagged = book.flagged();
    let rows = [
        (t.rec_received, format!("{} 本", book.received_vials)),
        (t.rec_possible, book.possible_doses().to_string()),
        (t.rec_recorded, book.recorded_doses.to_string()),
        (t.rec_wasted, (book.wasted_vials * per_vial).to_string()),
        (t.rec_held, (book.held_vials * per_vial).to_string()),
    ]
    .into_iter()
    .map(|(label, value)| view! { <tr><th scope="row">{label}</th><td class="num">{value}</td></tr> })
    .collect_view();
    view! {
        <h3>{t.reconciliation_title}</h3>
        <div class="table-wrap" tabindex="0"><table class="table reconciliation">
            <tbody>
                {rows}
                <tr class:flagged=flagged>
                    <th scope="row">{t.rec_difference}</th>
                    <td class="num"><strong>{format!("{:+}", book.difference())}</strong></td>
                </tr>
            </tbody>
        </table></div>
        <p class=if flagged { "alert warning" } else { "muted" }>{if flagged { t.rec_flagged } else { t.rec_ok }}</p>
    }
    .into_any()
}

/// The latest days as an SVG chart: bars per day (1回目 and 2回目 stacked) on the left scale, the
/// cumulative as a line on the right scale. The table beside it carries the same figures for
/// screen readers; the chart is an image with a summary.
fn chart(lang: Lang, history: &[RecordDay]) -> AnyView {
    const W: f64 = 640.0;
    const H: f64 = 220.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 56.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 28.0;
    let t = records_texts(lang);
    let days = &history[history.len().saturating_sub(CHART_DAYS)..];
    let positive = |n: i64| n.max(0) as f64;
    let max_daily = days
        .iter()
        .map(|d| {
            positive(d.daily.dose_total(Dose::First)) + positive(d.daily.dose_total(Dose::Second))
        })
        .fold(1.0, f64::max);
    let max_cumulative = days
        .iter()
        .map(|d| d.cumulative.total() as f64)
        .fold(1.0, f64::max);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let step = plot_w / days.len().max(1) as f64;
    let bar_w = (step * 0.7).max(1.0);
    let y = |value: f64, max: f64| TOP + plot_h - value / max * plot_h;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = LEFT + i as f64 * step + (step - bar_w) / 2.0;
            let first = positive(d.daily.dose_total(Dose::First));
            let second = positive(d.daily.dose_total(Dose::Second));
            let y_first = y(first, max_daily);
            let y_both = y(first + second, max_daily);
            view! {
                <rect class="bar-first" x=x y=y_first width=bar_w height=TOP + plot_h - y_first/>
                <rect class="bar-second" x=x y=y_both width=bar_w height=y_first - y_both/>
                {d.correction.then(|| view! { <circle class="correction" cx=x + bar_w / 2.0 cy=TOP + plot_h - 4.0 r="4"/> })}
            }
        })
        .collect_view();
    let line: String = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            format!(
                "{:.1},{:.1}",
                LEFT + i as f64 * step + step / 2.0,
                y(d.cumulative.total() as f64, max_cumulative)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let first_day = days.first().map(|d| d.on.clone()).unwrap_or_default();
    let last_day = days.last().map(|d| d.on.clone()).unwrap_or_default();
    let summary = format!(
        "{}: {first_day} 〜 {last_day}, {} {}",
        t.chart_label,
        t.col_cumulative,
        days.last().map_or(0, |d| d.cumulative.total())
    );
    view! {
        <figure class="records-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=summary>
                <line class="axis" x1=LEFT y1=TOP + plot_h x2=W - RIGHT y2=TOP + plot_h/>
                <text class="tick" x=LEFT - 4.0 y=TOP + 10.0 text-anchor="end">{max_daily as u64}</text>
                <text class="tick" x=LEFT - 4.0 y=TOP + plot_h text-anchor="end">"0"</text>
                <text class="tick cumulative" x=W - RIGHT + 4.0 y=TOP + 10.0>{max_cumulative as u64}</text>
                {bars}
                <polyline class="cumulative" points=line/>
                <text class="tick" x=LEFT y=H - 8.0>{first_day}</text>
                <text class="tick" x=W - RIGHT y=H - 8.0 text-anchor="end">{last_day}</text>
            </svg>
            <figcaption class="legend">
                <span class="key first">{t.legend_daily_first}</span>
                <span class="key second">{t.legend_daily_second}</span>
                <span class="key cumulative">{t.legend_cumulative}</span>
            </figcaption>
        </figure>
    }
    .into_any()
}

/// `/records`: the municipality's sites, those that have not registered the last day first.
#[component]
pub fn RecordsOverviewPage() -> impl IntoView {
    let app = use_app();
    let municipality = move || {
        app.session
            .get()
            .and_then(|s| s.municipality_code)
            .unwrap_or_default()
    };
    let overview = Resource::new(municipality, load_records_overview);
    view! {
        <h1>{move || records_texts(app.lang.get()).overview_title}</h1>
        <Transition fallback=Loading>
            {loaded(overview, move |overview| {
                let lang = app.lang.get_untracked();
                overview_table(lang, &overview)
            })}
        </Transition>
    }
}

fn overview_table(lang: Lang, overview: &RecordsOverview) -> AnyView {
    let t = records_texts(lang);
    let day = overview.last_day.clone().unwrap_or_default();
    let mut sites = overview.sites.clone();
    sites.sort_by_key(|s| !s.missing(&day));
    let rows = sites
        .into_iter()
        .map(|s| {
            let missing = s.missing(&day);
            view! {
                <tr class:pending=missing>
                    <td><A href=format!("/sites/{}/records", s.site.id)>{s.site.name.clone()}</A></td>
                    <td>{s.last_on.clone().unwrap_or_else(|| t.never.to_string())}</td>
                    <td class="num">{s.total}</td>
                    <td>
                        {if missing {
                            view! { <span class="state-badge warning">{t.state_missing}</span> }.into_any()
                        } else {
                            view! { <span class="state-badge">{t.state_in}</span> }.into_any()
                        }}
                        {s.flagged.then(|| view! { " " <span class="state-badge warning">{t.rec_difference}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>{format!("{}: {}", t.last_day_label, overview.last_day.clone().unwrap_or_else(|| "—".into()))}</p>
        <div class="table-wrap" tabindex="0"><table class="table">
            <thead><tr>
                <th scope="col">{t.col_site}</th><th scope="col">{t.col_last}</th>
                <th scope="col" class="num">{t.col_people}</th><th scope="col">{t.col_state}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
    .into_any()
}

/// On a site's ホーム: 接種実績の登録, with whether today's record is in.
#[component]
pub fn HomeRecords(site_id: i64) -> impl IntoView {
    let app = use_app();
    let records = Resource::new(move || site_id, load_site_records);
    view! {
        <Suspense>
            {move || records.get().and_then(Result::ok).map(|r| {
                let t = records_texts(app.lang.get());
                let state = if r.today_registered { t.today_in } else { t.today_missing };
                view! {
                    <div class="task-grid">
                        <a class="task-button large" href=format!("/sites/{site_id}/records")>
                            <span>{t.home_button}</span>
                            <span class="task-sub">{state}</span>
                        </a>
                    </div>
                }
            })}
        </Suspense>
    }
}

/// On a municipality's ホーム: the sites that have not registered the last day with
/// vaccinations.
#[component]
pub fn HomeRecordsOverview(municipality: String) -> impl IntoView {
    let app = use_app();
    let overview = Resource::new(move || municipality.clone(), load_records_overview);
    view! {
        <Suspense>
            {move || overview.get().and_then(Result::ok).map(|o| {
                let t = records_texts(app.lang.get());
                let day = o.last_day.clone().unwrap_or_default();
                let missing: Vec<String> = o.sites.iter().filter(|s| s.missing(&day)).map(|s| s.site.name.clone()).collect();
                view! {
                    <section class="panel" aria-labelledby="home-records-missing">
                        <h2 id="home-records-missing">{t.missing_title}</h2>
                        <p>{format!("{}: {}", t.last_day_label, o.last_day.clone().unwrap_or_else(|| "—".into()))}</p>
                        {if missing.is_empty() {
                            view! { <p class="muted">{t.missing_none}</p> }.into_any()
                        } else {
                            view! { <ul>{missing.into_iter().take(10).map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                        }}
                        <A href="/records" attr:class="button secondary">{t.home_overview_button}</A>
                    </section>
                }
            })}
        </Suspense>
    }
}
