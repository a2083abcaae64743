//! The bill as printed (請求総括書, then one 市区町村別請求書 per municipality of residence, each
//! on its own A4 page) and as exported: CSV built in the browser by the reports' exporter.

use crate::api::BillView;
use crate::domain::billing::{yen_in_words, Amounts, BillCounts, Invoice};
use crate::domain::reports::{figure, text, Cell, Column, ReportRow};
use crate::i18n::billing::{billing_texts, grouped, BillingTexts};
use crate::i18n::Lang;
use leptos::prelude::*;

/// The CSV's columns: one row per 市区町村別請求書.
pub const COLUMNS: [Column; 17] = [
    text("請求月", "Month"),
    text("コード区分", "Code"),
    text("保険医療機関コード", "Medical institution code"),
    text("介護保険事業所番号", "Care insurance office number"),
    text("医療機関・接種会場", "Site"),
    text("住所地コード", "Residence code"),
    text("住所地", "Municipality of residence"),
    figure("1回目", "1st dose"),
    figure("2回目", "2nd dose"),
    figure("予診のみ", "Screening only"),
    figure("時間外", "After hours"),
    figure("休日", "Holiday"),
    figure("接種金額", "Vaccination amount"),
    figure("予診のみ金額", "Screening amount"),
    figure("時間外加算額", "After-hours amount"),
    figure("休日加算額", "Holiday amount"),
    figure("請求金額", "Amount"),
];

/// The name of a municipality of residence as the bill's lines name it.
pub fn residence_name(view: &BillView, code: &str) -> String {
    view.residences
        .iter()
        .find(|c| c.value == code)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| code.to_string())
}

/// The bill's CSV rows: one per 市区町村別請求書, under [`COLUMNS`].
pub fn csv_rows(
    lang: Lang,
    view: &BillView,
    invoices: &[Invoice],
    residence: impl Fn(&str) -> String,
) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    for invoice in invoices {
        let (code, care) = view.codes.of(invoice.code);
        for m in &invoice.municipalities {
            let c = m.counts;
            let a = m.amounts;
            rows.push(ReportRow {
                key: m.residence.clone(),
                cells: [
                    view.month.to_string(),
                    invoice.code.label().get(lang).to_string(),
                    code.to_string(),
                    care.to_string(),
                    view.site.name.clone(),
                    m.residence.clone(),
                    residence(&m.residence),
                ]
                .into_iter()
                .map(Cell::Text)
                .chain(
                    [
                        c.first.into(),
                        c.second.into(),
                        c.screening_only.into(),
                        c.after_hours.into(),
                        c.holiday.into(),
                        a.vaccination,
                        a.screening_only,
                        a.after_hours,
                        a.holiday,
                        a.total(),
                    ]
                    .into_iter()
                    .map(Cell::Number),
                )
                .collect(),
            });
        }
    }
    rows
}

/// Every printed page of the bill.
pub fn printed(
    lang: Lang,
    view: &BillView,
    invoices: &[Invoice],
    residence: impl Fn(&str) -> String,
) -> impl IntoView {
    let t = billing_texts(lang);
    invoices
        .iter()
        .map(|invoice| {
            let summary = summary_page(t, lang, view, invoice, &residence);
            let bills = invoice
                .municipalities
                .iter()
                .map(|m| {
                    municipal_page(
                        t,
                        lang,
                        view,
                        invoice,
                        &residence(&m.residence),
                        m.counts,
                        m.amounts,
                    )
                })
                .collect_view();
            view! { {summary} {bills} }
        })
        .collect_view()
}

fn header(
    t: &'static BillingTexts,
    lang: Lang,
    view: &BillView,
    invoice: &Invoice,
    title: &'static str,
    to: Option<String>,
) -> impl IntoView {
    let (code, care) = view.codes.of(invoice.code);
    let month = match lang {
        Lang::Ja => view.month.japanese(),
        Lang::En => view.month.to_string(),
    };
    view! {
        <p class="invoice-subject">{t.doc_subject}</p>
        <h3 class="invoice-title">{title}</h3>
        <p class="invoice-month">{format!("{month}{}", t.doc_month)}</p>
        {to.map(|to| view! { <p class="invoice-to">{format!("{to}{}", t.doc_to_suffix)}</p> })}
        <dl class="invoice-from">
            <dt>{t.doc_from}</dt><dd>{format!("{}（{}）", view.site.name, view.site_municipality)}</dd>
            <dt>{t.col_code}</dt><dd>{code.to_string()}</dd>
            <dt>{t.col_care_code}</dt><dd>{care.to_string()}</dd>
            <dt>{t.old_code}" / "{t.new_code}</dt><dd>{invoice.code.label().get(lang)}</dd>
            <dt>{t.doc_period}</dt><dd>{format!("{} 〜 {}", invoice.from, invoice.until)}</dd>
        </dl>
    }
}

fn total_line(t: &'static BillingTexts, total: i64) -> impl IntoView {
    view! {
        <p class="invoice-total">
            <span>{t.doc_total}</span>
            <strong>{format!("¥{}", grouped(total))}</strong>
            <span class="invoice-words">{format!("（{}）", yen_in_words(total))}</span>
        </p>
    }
}

fn summary_page(
    t: &'static BillingTexts,
    lang: Lang,
    view: &BillView,
    invoice: &Invoice,
    residence: &impl Fn(&str) -> String,
) -> impl IntoView {
    let rows = invoice
        .municipalities
        .iter()
        .map(|m| {
            let c = m.counts;
            view! {
                <tr>
                    <td>{m.residence.clone()}</td>
                    <td>{residence(&m.residence)}</td>
                    <td class="num">{c.first}</td>
                    <td class="num">{c.second}</td>
                    <td class="num">{c.screening_only}</td>
                    <td class="num">{c.after_hours}</td>
                    <td class="num">{c.holiday}</td>
                    <td class="num">{grouped(m.amounts.total())}</td>
                </tr>
            }
        })
        .collect_view();
    let c = invoice.counts;
    let label = format!("{} {}", t.summary_doc, invoice.code.label().get(lang));
    view! {
        <article class="invoice" aria-label=label>
            {header(t, lang, view, invoice, t.summary_doc, None)}
            {total_line(t, invoice.amounts.total())}
            <table class="table invoice-table">
                <thead><tr>
                    <th scope="col">{t.col_residence}</th><th scope="col">{t.col_municipality}</th>
                    <th scope="col" class="num">{t.col_first}</th><th scope="col" class="num">{t.col_second}</th>
                    <th scope="col" class="num">{t.col_screening}</th><th scope="col" class="num">{t.col_after_hours}</th>
                    <th scope="col" class="num">{t.col_holiday}</th><th scope="col" class="num">{t.amount}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <tfoot><tr class="totals">
                    <th scope="row" colspan="2">{t.total_row}</th>
                    <td class="num">{c.first}</td><td class="num">{c.second}</td>
                    <td class="num">{c.screening_only}</td><td class="num">{c.after_hours}</td>
                    <td class="num">{c.holiday}</td><td class="num">{grouped(invoice.amounts.total())}</td>
                </tr></tfoot>
            </table>
            {price_lines(t, view, invoice)}
        </article>
    }
}

fn municipal_page(
    t: &'static BillingTexts,
    lang: Lang,
    view: &BillView,
    invoice: &Invoice,
    name: &str,
    c: BillCounts,
    a: Amounts,
) -> impl IntoView {
    let rows = [
        (t.doc_vaccination, c.first + c.second, a.vaccination),
        (t.col_screening, c.screening_only, a.screening_only),
        (t.doc_after_hours, c.after_hours, a.after_hours),
        (t.doc_holiday, c.holiday, a.holiday),
    ]
    .into_iter()
    .map(|(kind, count, amount)| {
        view! {
            <tr><th scope="row">{kind}</th><td class="num">{count}</td><td class="num">{grouped(amount)}</td></tr>
        }
    })
    .collect_view();
    let label = format!(
        "{} {name} {}",
        t.municipal_doc,
        invoice.code.label().get(lang)
    );
    view! {
        <article class="invoice" aria-label=label>
            {header(t, lang, view, invoice, t.municipal_doc, Some(name.to_string()))}
            {total_line(t, a.total())}
            <table class="table invoice-table">
                <thead><tr>
                    <th scope="col">{t.doc_kind}</th><th scope="col" class="num">{t.doc_count}</th>
                    <th scope="col" class="num">{t.amount}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <tfoot><tr class="totals">
                    <th scope="row">{t.total_row}</th><td></td><td class="num">{grouped(a.total())}</td>
                </tr></tfoot>
            </table>
            <p class="invoice-breakdown">{format!("{} {} / {} {}", t.col_first, c.first, t.col_second, c.second)}</p>
            {price_lines(t, view, invoice)}
        </article>
    }
}

/// The prices of the parts an invoice covers.
fn price_lines(t: &'static BillingTexts, view: &BillView, invoice: &Invoice) -> impl IntoView {
    let mut seen = Vec::new();
    for part in &view.parts {
        if part.from >= invoice.from && part.until <= invoice.until && !seen.contains(&part.prices)
        {
            seen.push(part.prices);
        }
    }
    let lines = seen
        .into_iter()
        .map(|p| {
            let line = t
                .doc_price_line
                .replace("{v}", &grouped(p.vaccination))
                .replace("{s}", &grouped(p.screening_only))
                .replace("{a}", &grouped(p.after_hours))
                .replace("{h}", &grouped(p.holiday))
                .replace("{from}", &p.applies_from.to_string());
            view! { <li>{line}</li> }
        })
        .collect_view();
    view! {
        <div class="invoice-prices">
            <p>{t.doc_prices}</p>
            <ul>{lines}</ul>
        </div>
    }
}
