//! The bill's lines, part by part: the municipality of residence (typed as a code, a name or a
//! reading, with the master as suggestions) and the five counts, each line with its amount.

use crate::api::MunicipalityOption;
use crate::domain::billing::{parse_bill_count, BillPart, LineForm};
use crate::error::FieldErrors;
use crate::i18n::billing::{billing_texts, grouped};
use crate::i18n::field_error;
use crate::ui::context::use_app;
use leptos::prelude::*;

/// The five counts of a line, in the form's order.
const COUNTS: [&str; 5] = [
    "first",
    "second",
    "screening_only",
    "after_hours",
    "holiday",
];

/// One line as typed: the municipality (as its code and name, or what was typed) and five counts.
#[derive(Clone, Copy)]
pub(super) struct Line {
    pub(super) residence: RwSignal<String>,
    pub(super) counts: [RwSignal<String>; 5],
}

impl Line {
    pub(super) fn of(form: &LineForm, shown: String) -> Self {
        Self {
            residence: RwSignal::new(shown),
            counts: [
                &form.first,
                &form.second,
                &form.screening_only,
                &form.after_hours,
                &form.holiday,
            ]
            .map(|v| RwSignal::new(v.clone())),
        }
    }
}

/// The option's text in the municipality box: `131016 東京都千代田区`.
pub(super) fn option_text(code: &str, name: &str) -> String {
    format!("{code} {name}")
}

/// The code a typed municipality stands for: a code, `code name`, or a unique name or reading;
/// otherwise what was typed (which the check refuses as not one of the choices).
pub(super) fn resolve(typed: &str, options: &[MunicipalityOption]) -> String {
    let typed = typed.trim();
    let first = typed.split_whitespace().next().unwrap_or_default();
    if let Some(o) = options.iter().find(|o| o.code == first) {
        return o.code.clone();
    }
    let by_name: Vec<_> = options
        .iter()
        .filter(|o| o.name == typed || o.kana == typed || o.name.ends_with(typed))
        .collect();
    match by_name.as_slice() {
        [one] => one.code.clone(),
        _ => typed.to_string(),
    }
}

/// One part of the month: its lines, each with its amount, and 行を追加.
#[component]
pub(super) fn PartLines(
    index: usize,
    part: BillPart,
    lines: RwSignal<Vec<Line>>,
    locked: Signal<bool>,
    shown: Memo<FieldErrors>,
    known: Memo<Vec<MunicipalityOption>>,
) -> impl IntoView {
    let app = use_app();
    let t = move || billing_texts(app.lang.get());
    // A line added by a click belongs to this part, not to the button's own view, which is
    // built again (and its signals dropped) whenever the bill is saved.
    let owner = Owner::current().expect("a component runs inside an owner");
    let error_of = move |key: String| {
        move || {
            shown
                .with(|e| e.get(&key).cloned())
                .map(|e| field_error(app.lang.get(), &e))
        }
    };
    let invalid_of =
        move |key: String| Signal::derive(move || shown.with(|e| e.get(&key).is_some()));
    let title = move || {
        let lang = app.lang.get();
        format!(
            "{} {} 〜 {}（{}）",
            billing_texts(lang).part_title,
            part.from,
            part.until,
            part.dated_code.label().get(lang)
        )
    };
    let rows = move || {
        lines
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let prefix = format!("parts.{index}.lines.{i}");
                let key = format!("{prefix}.residence");
                let residence_error = error_of(key.clone());
                let residence_invalid = invalid_of(key);
                let cells = COUNTS
                    .iter()
                    .enumerate()
                    .map(|(c, name)| {
                        let key = format!("{prefix}.{name}");
                        let error = error_of(key.clone());
                        let invalid = invalid_of(key);
                        let label = move || {
                            let t = t();
                            let column = [t.col_first, t.col_second, t.col_screening, t.col_after_hours, t.col_holiday][c];
                            format!("{column}（{} {}）", part.from, i + 1)
                        };
                        view! {
                            <td class:has-error=invalid>
                                <input class="boxes-input" inputmode="numeric" aria-label=label disabled=move || locked.get()
                                    aria-invalid=move || invalid.get().then_some("true")
                                    prop:value=move || line.counts[c].get()
                                    on:input=move |ev| line.counts[c].set(event_target_value(&ev))/>
                                <span class="field-error" role="alert">{error}</span>
                            </td>
                        }
                    })
                    .collect_view();
                let amount = move || {
                    let n = |c: usize| i64::from(parse_bill_count(&line.counts[c].get()).unwrap_or(0));
                    let p = part.prices;
                    (n(0) + n(1)) * p.vaccination + n(2) * p.screening_only + n(3) * p.after_hours + n(4) * p.holiday
                };
                let residence_label = move || format!("{}（{} {}）", t().col_residence, part.from, i + 1);
                // Two rows a line, so that a tablet held upright shows it without scrolling: the
                // municipality (and 削除) above, its counts and amount below.
                view! {
                    <tr class="line-head">
                        <td colspan="6" class:has-error=residence_invalid>
                            <div class="line-residence">
                                <input class="residence-input" list="municipality-options" aria-label=residence_label
                                    disabled=move || locked.get()
                                    aria-invalid=move || residence_invalid.get().then_some("true")
                                    prop:value=move || line.residence.get()
                                    on:input=move |ev| line.residence.set(event_target_value(&ev))/>
                                // What the typed code or reading stands for, once it is one municipality.
                                <span class="resolved" aria-live="polite">{move || {
                                    let typed = line.residence.get();
                                    known.with(|k| {
                                        let code = resolve(&typed, k);
                                        k.iter().find(|o| o.code == code && option_text(&o.code, &o.name) != typed.trim())
                                            .map(|o| format!("→ {} ({})", o.name, o.code))
                                    })
                                }}</span>
                                {move || (!locked.get()).then(|| view! {
                                    <button type="button" class="button link" on:click=move |_| lines.update(|l| { l.remove(i); })>{t().remove_line}</button>
                                })}
                            </div>
                            <span class="field-error" role="alert">{residence_error}</span>
                        </td>
                    </tr>
                    <tr>
                        {cells}
                        <td class="num">{move || grouped(amount())}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="panel bill-part">
            <legend>{title}</legend>
            <p class="muted">{move || t().residence_hint}</p>
            {move || lines.with(|l| l.is_empty()).then(|| view! { <p class="muted">{t().no_lines}</p> })}
            <div class="table-wrap" tabindex="0"><table class="table bill-lines">
                <thead><tr>
                    <th scope="col">{move || t().col_first}</th>
                    <th scope="col">{move || t().col_second}</th>
                    <th scope="col">{move || t().col_screening}</th>
                    <th scope="col">{move || t().col_after_hours}</th>
                    <th scope="col">{move || t().col_holiday}</th>
                    <th scope="col" class="num">{move || t().col_line_amount}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            {move || (!locked.get()).then(|| view! {
                <button type="button" class="button secondary" on:click={
                    let owner = owner.clone();
                    move |_| {
                        let line = owner.with(|| Line::of(&LineForm::default(), String::new()));
                        lines.update(|l| l.push(line));
                    }
                }>
                    {t().add_line}
                </button>
            })}
        </fieldset>
    }
}
