//! A vaccine's registrations on the 接種実績 page: the chart, the table and the reconciliation of
//! vials and doses.

use crate::api::{Reconciliation, RecordDay, VaccineRecords};
use crate::domain::Dose;
use crate::i18n::records::{records_texts, RecordsTexts};
use crate::i18n::Lang;
use leptos::prelude::*;

/// How many of the latest registrations the chart draws.
const CHART_DAYS: usize = 60;

/// A vaccine's history: the chart, the table (newest first) and the reconciliation.
pub(super) fn vaccine_history(lang: Lang, vaccine: &VaccineRecords) -> AnyView {
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
