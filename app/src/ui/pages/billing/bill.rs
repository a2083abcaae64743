//! `/bills/:id/:month`: the site's bill for a month. Lines per municipality of residence in
//! each part of the month (cut at the code change and at price changes), amounts as typed, the
//! check against 接種実績, 一時保存 and 提出, and below it the bill as printed.

use super::invoice::{csv_rows, printed, residence_name, COLUMNS};
use super::lines::{option_text, resolve, Line, PartLines};
use super::CsvButtons;
use crate::api::{
    load_bill, municipality_options, save_bill, submit_bill, BillView, MunicipalityOption,
};
use crate::domain::billing::{
    invoices, parse_bill_count, BillForm, BillStatus, CodeChoice, Invoice, LineForm, PartForm,
};
use crate::domain::Choice as _;
use crate::error::{AppError, FieldErrors};
use crate::i18n::billing::billing_texts;
use crate::i18n::field_error;
use crate::ui::context::use_app;
use crate::ui::form::{focus_first_error, on_each_answer, FormMessage};
use crate::ui::pages::site_record::route_id;
use crate::ui::shell::{loaded, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/bills/:id/:month`.
#[component]
pub fn BillPage() -> impl IntoView {
    let app = use_app();
    let site_id = route_id("id");
    let params = use_params_map();
    let month = Memo::new(move |_| params.with(|p| p.get("month").unwrap_or_default()));
    let bill = Resource::new(
        move || (site_id.get(), month.get()),
        |(s, m)| load_bill(s, m),
    );
    view! {
        <h1>{move || billing_texts(app.lang.get()).bill_title}</h1>
        <Transition fallback=Loading>
            {loaded(bill, |bill| view! { <BillEditor bill/> })}
        </Transition>
    }
}

#[component]
fn BillEditor(bill: BillView) -> impl IntoView {
    let app = use_app();
    let t = move || billing_texts(app.lang.get());
    let site_id = bill.site.id;
    let month = bill.month.to_string();
    let view_now = RwSignal::new(bill.clone());
    let options = Resource::new(|| (), |_| municipality_options());
    let known = Memo::new(move |_| options.get().and_then(Result::ok).unwrap_or_default());
    let parts: Vec<RwSignal<Vec<Line>>> = bill
        .form
        .parts
        .iter()
        .map(|p| {
            RwSignal::new(
                p.lines
                    .iter()
                    .map(|l| {
                        Line::of(
                            l,
                            option_text(&l.residence, &residence_name(&bill, &l.residence)),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let parts = StoredValue::new(parts);
    let choice = RwSignal::new(bill.form.code_choice.clone());
    let acknowledged = RwSignal::new(bill.form.difference_acknowledged);
    let server_errors = RwSignal::new(FieldErrors::new());
    let attempted = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let locked = Memo::new(move |_| view_now.with(|v| !v.may_edit));

    let form = move || BillForm {
        code_choice: choice.get(),
        parts: parts.with_value(|parts| {
            view_now.with(|v| {
                v.parts
                    .iter()
                    .zip(parts)
                    .map(|(part, lines)| PartForm {
                        from: part.from.to_string(),
                        lines: lines
                            .get()
                            .iter()
                            .map(|l| {
                                let [first, second, screening_only, after_hours, holiday] =
                                    l.counts.map(|c| c.get());
                                LineForm {
                                    residence: known.with(|k| resolve(&l.residence.get(), k)),
                                    first,
                                    second,
                                    screening_only,
                                    after_hours,
                                    holiday,
                                }
                            })
                            .collect(),
                    })
                    .collect()
            })
        }),
        difference_acknowledged: acknowledged.get(),
    };
    // The browser's check, as the user types; the server checks again.
    let checked = Memo::new(move |_| {
        let typed = form();
        let codes = known.get();
        view_now.with(|v| {
            typed.validate(&v.parts, |code| {
                codes.is_empty() || codes.iter().any(|o| o.code == code)
            })
        })
    });
    let priced = Memo::new(move |_| {
        view_now.with(|v| match checked.get() {
            Ok(bill) => invoices(&v.parts, &bill),
            Err(_) => Vec::new(),
        })
    });
    let billed = move || {
        parts.with_value(|parts| {
            parts.iter().fold((0u32, 0u32), |(a, b), lines| {
                lines.get().iter().fold((a, b), |(a, b), l| {
                    let n = |i: usize| parse_bill_count(&l.counts[i].get()).unwrap_or(0);
                    (a + n(0), b + n(1))
                })
            })
        })
    };
    let differs = move || {
        let (first, second) = billed();
        view_now.with(|v| (i64::from(first), i64::from(second)) != v.recorded)
    };
    // The server's errors, and once the user tried to save, the browser's own as they type.
    let shown = Memo::new(move |_| {
        let mut errors = server_errors.get();
        if attempted.get() {
            if let Err(found) = checked.get() {
                for (key, error) in found.0 {
                    errors.0.entry(key).or_insert(error);
                }
            }
        }
        errors
    });
    let shown_error = move |key: &'static str| {
        move || {
            shown
                .with(|e| e.get(key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    };

    let save = Action::new(move |(submit, form): &(bool, BillForm)| {
        let (submit, form, month) = (*submit, form.clone(), month.clone());
        async move {
            match submit {
                true => submit_bill(site_id, month, form).await,
                false => save_bill(site_id, month, form).await,
            }
        }
    });
    on_each_answer(save, move |answer| match answer {
        Ok(saved) => {
            let t = billing_texts(app.lang.get_untracked());
            notice.set(Some(
                if saved.status == BillStatus::Submitted {
                    t.submitted
                } else {
                    t.saved
                }
                .to_string(),
            ));
            view_now.set(saved);
            server_errors.set(FieldErrors::new());
            message.set(None);
        }
        Err(AppError::Validation(found)) => {
            server_errors.set(found);
            focus_first_error();
        }
        Err(error) => message.set(Some(app.handle_error(&error))),
    });
    let send = move |submit: bool| {
        attempted.set(true);
        notice.set(None);
        message.set(None);
        server_errors.set(FieldErrors::new());
        match checked.get_untracked() {
            Ok(_) if submit && differs() && !acknowledged.get_untracked() => {
                let mut errors = FieldErrors::new();
                errors.add(
                    "difference_acknowledged",
                    crate::error::FieldError::DifferenceNotAcknowledged,
                );
                server_errors.set(errors);
                focus_first_error();
            }
            Ok(_) => {
                save.dispatch((submit, form()));
            }
            Err(_) => focus_first_error(),
        }
    };

    // The CSV holds what the printed bills hold, in the language on screen.
    let csv_rows = Signal::derive(move || {
        let lang = app.lang.get();
        let names = known.get();
        view_now.with(|v| csv_rows(lang, v, &priced.get(), |code| name_of(v, &names, code)))
    });
    let csv_name = view_now.with_untracked(|v| format!("{}_{}分", v.site.name, v.month));

    let part_views = move || {
        view_now
            .with_untracked(|v| v.parts.clone())
            .into_iter()
            .enumerate()
            .map(|(index, part)| {
                let lines = parts.with_value(|p| p[index]);
                view! { <PartLines index part lines locked=locked.into() shown known/> }
            })
            .collect_view()
    };

    view! {
        <h2 class="subtitle">{bill.site.name.clone()}</h2>
        {move || view_now.with(|v| head(app.lang.get(), v))}
        <FormMessage message/>
        {move || notice.get().map(|m| view! { <div class="notice" role="status">{m}</div> })}
        <section class="panel no-print" aria-labelledby="bill-codes">
            <h2 id="bill-codes">{move || t().codes_title}</h2>
            {move || view_now.with(|v| codes(app.lang.get(), v))}
            {move || view_now.with(|v| v.codes.change_date.is_some()).then(|| view! {
                <fieldset class="choices">
                    <legend>{move || t().choice_legend}</legend>
                    {CodeChoice::ALL.iter().map(|c| {
                        let value = c.as_str();
                        view! {
                            <label class="choice">
                                <input type="radio" name="bill-code-choice" prop:checked=move || choice.get() == value
                                    disabled=locked on:change=move |_| choice.set(value.to_string())/>
                                <span>{move || c.label().get(app.lang.get())}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            })}
        </section>
        <datalist id="municipality-options">
            {move || known.get().into_iter().map(|o| view! {
                <option value=option_text(&o.code, &o.name)>{o.kana}</option>
            }).collect_view()}
        </datalist>
        <form class="no-print" novalidate on:submit=move |ev| { ev.prevent_default(); send(false); }>
            {part_views}
            <section class="panel" aria-labelledby="bill-check">
                <h2 id="bill-check">{move || t().check_title}</h2>
                {move || {
                    let (first, second) = billed();
                    let recorded = view_now.with(|v| v.recorded);
                    let t = t();
                    view! {
                        <table class="table">
                            <thead><tr><th scope="col">{t.col_kind}</th><th scope="col" class="num">{t.col_first}</th><th scope="col" class="num">{t.col_second}</th></tr></thead>
                            <tbody>
                                <tr><th scope="row">{t.check_billed}</th><td class="num">{first}</td><td class="num">{second}</td></tr>
                                <tr><th scope="row">{t.check_recorded}</th><td class="num">{recorded.0}</td><td class="num">{recorded.1}</td></tr>
                            </tbody>
                        </table>
                    }
                }}
                {move || if differs() {
                    view! {
                        <div class="alert warning" role="alert">{t().check_differs}</div>
                        <label class="choice">
                            <input type="checkbox" id="difference_acknowledged" disabled=locked
                                aria-invalid=move || shown.with(|e| e.get("difference_acknowledged").is_some()).then_some("true")
                                prop:checked=move || acknowledged.get()
                                on:change=move |ev| acknowledged.set(event_target_checked(&ev))/>
                            <span>{t().acknowledge}</span>
                        </label>
                        <p class="field-error" role="alert">{shown_error("difference_acknowledged")}</p>
                    }.into_any()
                } else {
                    view! { <p class="notice">{t().check_agrees}</p> }.into_any()
                }}
            </section>
            <div class="form-actions">
                {move || (!locked.get()).then(|| view! {
                    <button type="submit" class="button secondary" disabled=move || save.pending().get()>{move || t().save}</button>
                    <button type="button" class="button primary"
                        disabled=move || save.pending().get() || view_now.with(|v| !v.month_over)
                        on:click=move |_| send(true)>{move || t().submit}</button>
                })}
                <button type="button" class="button secondary" on:click=move |_| { let _ = window().print(); }>{move || t().print}</button>
            </div>
            {move || (!locked.get() && view_now.with(|v| !v.month_over)).then(|| view! { <p class="muted">{t().month_open}</p> })}
        </form>
        <CsvButtons columns=&COLUMNS rows=csv_rows name=csv_name/>
        <section class="invoices" aria-labelledby="bill-preview">
            <h2 id="bill-preview" class="no-print">{move || t().preview_title}</h2>
            {move || {
                let lang = app.lang.get();
                let names = known.get();
                let found: Vec<Invoice> = priced.get();
                if found.is_empty() {
                    return view! { <p class="muted no-print">{billing_texts(lang).nothing_to_print}</p> }.into_any();
                }
                view_now.with(|v| printed(lang, v, &found, |code| name_of(v, &names, code)).into_any())
            }}
        </section>
    }
}

/// A municipality's name: from the master once loaded, else from the bill's own lines.
fn name_of(view: &BillView, options: &[MunicipalityOption], code: &str) -> String {
    options
        .iter()
        .find(|o| o.code == code)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| residence_name(view, code))
}

/// The bill's month, deadline and status.
fn head(lang: crate::i18n::Lang, v: &BillView) -> impl IntoView {
    let t = billing_texts(lang);
    let month = match lang {
        crate::i18n::Lang::Ja => format!("{}分", v.month.japanese()),
        crate::i18n::Lang::En => v.month.to_string(),
    };
    let left = (v.status != BillStatus::Submitted).then(|| {
        if v.days_left >= 0 {
            format!("（{} {}{}）", t.days_left, v.days_left, t.days_unit)
        } else {
            String::new()
        }
    });
    view! {
        <dl class="bill-head">
            <dt>{t.month_label}</dt><dd>{month}</dd>
            <dt>{t.due}</dt><dd>{v.due_on.clone()}{left}</dd>
            <dt>{t.status}</dt><dd><strong class="status-badge">{v.status.label().get(lang)}</strong>
                {v.late.then_some(format!("（{}）", t.late))}</dd>
            {v.submitted_at.clone().map(|at| view! { <dt>{t.submitted_at}</dt><dd>{at}</dd> })}
            {v.batch_month.clone().map(|b| view! { <dt>{t.batch}</dt><dd>{b}</dd> })}
        </dl>
        {(v.days_left < 0 && v.status != BillStatus::Submitted).then(|| view! { <div class="alert warning">{t.overdue}</div> })}
        {(v.status == BillStatus::Returned).then(|| view! {
            <div class="alert" role="alert">
                {format!("{}（{}）: {}", t.returned_note, v.returned_by.clone().unwrap_or_default(), v.return_comment)}
            </div>
        })}
        {(v.status == BillStatus::Submitted).then(|| view! { <p class="notice">{t.locked}</p> })}
    }
}

/// The codes the bill carries.
fn codes(lang: crate::i18n::Lang, v: &BillView) -> impl IntoView {
    let t = billing_texts(lang);
    let c = &v.codes;
    view! {
        <table class="table">
            <thead><tr><th scope="col">{t.col_kind}</th><th scope="col">{t.col_code}</th><th scope="col">{t.col_care_code}</th></tr></thead>
            <tbody>
                <tr><th scope="row">{t.old_code}</th><td>{c.insurance_code.clone()}</td><td>{c.care_code.clone()}</td></tr>
                {c.change_date.clone().map(|d| view! {
                    <tr><th scope="row">{format!("{}（{} {d}）", t.new_code, t.change_date)}</th>
                        <td>{c.insurance_code_new.clone()}</td><td>{c.care_code_new.clone()}</td></tr>
                })}
            </tbody>
        </table>
    }
}
