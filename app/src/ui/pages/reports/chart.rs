//! A report's chart, for those people would rather look at than read: 接種実績 (R208, R308) as
//! 1回目 and 2回目 stacked per row, and 希望量 against 分配量 (R201, R206, R301, R306) side by side.
//! It draws the page's rows in the table's order; each row's bars lead where its name does (a
//! ward to its sites, a site to its 接種実績). The table below is its data, for screen readers.
//! 接種実績の推移 (X208, X308) draws each day's doses as a column and their running sum as a line;
//! 物流倉庫入庫・在庫一覧 (X203, X303) the page's vials per lot by expiry, the expired and those
//! within 30 days marked.

use crate::api::ReportPage;
use crate::domain::reports::{Cell, ReportCode, ReportLevel, ReportQuery};
use crate::i18n::Lang;
use leptos::prelude::*;

/// The two figures a chart draws per row, and how.
struct Series {
    /// The column of the first figure and of the second.
    columns: [&'static str; 2],
    /// The legend.
    legend: [(&'static str, &'static str); 2],
    /// Stacked (parts of one whole) rather than side by side (compared).
    stacked: bool,
}

fn series(code: ReportCode) -> Option<Series> {
    match code {
        ReportCode::R208 | ReportCode::R308 => Some(Series {
            columns: ["1回目 小計", "2回目 小計"],
            legend: [("1回目", "1st dose"), ("2回目", "2nd dose")],
            stacked: true,
        }),
        ReportCode::R201 | ReportCode::R301 => Some(Series {
            columns: ["希望量（箱）", "分配量（箱）"],
            legend: [("希望量", "Requested"), ("分配量", "Allocated")],
            stacked: false,
        }),
        ReportCode::R206 | ReportCode::R306 => Some(Series {
            columns: ["希望量累計（箱）", "分配量累計（箱）"],
            legend: [("希望量", "Requested"), ("分配量", "Allocated")],
            stacked: false,
        }),
        _ => None,
    }
}

/// Rows drawn at most (a page).
const MAX_ROWS: usize = 40;
const WIDTH: f64 = 720.0;
const LABEL: f64 = 220.0;
const ROW: f64 = 22.0;

/// The chart of `page`, when its report has one; `link` gives a row's drill-down.
pub fn chart(
    lang: Lang,
    query: &ReportQuery,
    page: &ReportPage,
    link: impl Fn(&str) -> Option<String>,
) -> Option<AnyView> {
    if query.code.level() == ReportLevel::Day {
        return trend_chart(lang, query, page, link);
    }
    if matches!(query.code, ReportCode::X203 | ReportCode::X303) {
        return stock_chart(lang, page);
    }
    let series = series(query.code)?;
    let columns = query.code.columns();
    let index = |label: &str| columns.iter().position(|c| c.label.ja == label);
    let (first, second) = (index(series.columns[0])?, index(series.columns[1])?);
    let name = columns.iter().position(|c| c.numeric)?.checked_sub(1)?;
    let number = |cells: &[Cell], i: usize| match cells.get(i) {
        Some(Cell::Number(n)) => (*n).max(0) as f64,
        _ => 0.0,
    };
    let rows: Vec<_> = page.rows.iter().take(MAX_ROWS).collect();
    if rows.is_empty() {
        return None;
    }
    let most = rows
        .iter()
        .map(|r| {
            let (a, b) = (number(&r.cells, first), number(&r.cells, second));
            if series.stacked {
                a + b
            } else {
                a.max(b)
            }
        })
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let scale = (WIDTH - LABEL - 60.0) / most;
    let height = rows.len() as f64 * ROW + 8.0;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let y = i as f64 * ROW + 4.0;
            let (a, b) = (number(&row.cells, first), number(&row.cells, second));
            let label = match row.cells.get(name) {
                Some(Cell::Text(text)) => text.clone(),
                _ => String::new(),
            };
            let (wa, wb) = (a * scale, b * scale);
            let (xb, yb, hb, ha) = if series.stacked {
                (LABEL + wa, y, ROW - 6.0, ROW - 6.0)
            } else {
                (
                    LABEL,
                    y + (ROW - 6.0) / 2.0,
                    (ROW - 6.0) / 2.0,
                    (ROW - 6.0) / 2.0,
                )
            };
            let end = if series.stacked {
                LABEL + wa + wb
            } else {
                LABEL + wa.max(wb)
            };
            let value = if series.stacked {
                format!("{}", a + b)
            } else {
                format!("{a} / {b}")
            };
            let group = view! {
                <text class="tick" x=LABEL - 6.0 y=y + 12.0 text-anchor="end">{label}</text>
                <rect class="bar-first" x=LABEL y=y width=wa height=ha/>
                <rect class="bar-second" x=xb y=yb width=wb height=hb/>
                <text class="tick" x=end + 4.0 y=y + 12.0>{value}</text>
            };
            match link(&row.key) {
                // Inside <g>, the macro makes <a> the SVG element, not HTML's.
                Some(href) => view! { <g><a href=href>{group}</a></g> }.into_any(),
                None => view! { <g>{group}</g> }.into_any(),
            }
        })
        .collect_view();
    let [one, two] = series.legend;
    let pick = |(ja, en): (&'static str, &'static str)| if lang == Lang::Ja { ja } else { en };
    let summary = format!(
        "{}: {} / {}",
        query.code.name().get(lang),
        pick(one),
        pick(two)
    );
    Some(
        view! {
            <figure class="records-chart report-chart">
                <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=summary>
                    {bars}
                </svg>
                <figcaption class="legend">
                    <span class="key first">{pick(one)}</span>
                    <span class="key second">{pick(two)}</span>
                </figcaption>
            </figure>
        }
        .into_any(),
    )
}

const TREND_HEIGHT: f64 = 260.0;
const AXIS: f64 = 64.0;

/// 接種実績の推移: per day (oldest on the left) 1回目 and 2回目 stacked in a column, the running
/// sum as a line on its own scale (right); each column leads to that day's breakdown.
fn trend_chart(
    lang: Lang,
    query: &ReportQuery,
    page: &ReportPage,
    link: impl Fn(&str) -> Option<String>,
) -> Option<AnyView> {
    let number = |cells: &[Cell], i: usize| match cells.get(i) {
        Some(Cell::Number(n)) => *n as f64,
        _ => 0.0,
    };
    let mut days: Vec<_> = page.rows.iter().collect();
    if days.is_empty() {
        return None;
    }
    days.sort_by(|a, b| a.key.cmp(&b.key));
    // Columns of TREND_COLUMNS: 1 and 2 the day's doses, 6 the running sum of both.
    let most_daily = days
        .iter()
        .map(|r| number(&r.cells, 1).max(0.0) + number(&r.cells, 2).max(0.0))
        .fold(1.0_f64, f64::max);
    let most_total = days
        .iter()
        .map(|r| number(&r.cells, 6))
        .fold(1.0_f64, f64::max);
    let plot = TREND_HEIGHT - 40.0;
    let band = (WIDTH - 2.0 * AXIS) / days.len() as f64;
    let bar = (band * 0.8).max(1.0);
    let y_of = |value: f64, most: f64| 10.0 + plot - value / most * plot;
    let t = crate::i18n::reports::reports_texts(lang);
    let columns = days
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let x = AXIS + i as f64 * band + (band - bar) / 2.0;
            let (one, two) = (
                number(&row.cells, 1).max(0.0),
                number(&row.cells, 2).max(0.0),
            );
            let (h1, h2) = (one / most_daily * plot, two / most_daily * plot);
            let base = 10.0 + plot;
            let title = format!("{}: {} / {}", row.key, one, two);
            let group = view! {
                <rect class="bar-first" x=x y=base - h1 width=bar height=h1/>
                <rect class="bar-second" x=x y=base - h1 - h2 width=bar height=h2/>
                <title>{title}</title>
            };
            match link(&row.key) {
                Some(href) => view! {
                    <g><a href=href aria-label=(t.day_link)(&row.key)>{group}</a></g>
                }
                .into_any(),
                None => view! { <g>{group}</g> }.into_any(),
            }
        })
        .collect_view();
    let line = days
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let x = AXIS + i as f64 * band + band / 2.0;
            format!("{x:.1},{:.1}", y_of(number(&row.cells, 6), most_total))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let first = days.first().map(|r| r.key.clone()).unwrap_or_default();
    let last = days.last().map(|r| r.key.clone()).unwrap_or_default();
    let bottom = TREND_HEIGHT - 10.0;
    let (one, two, sum) = if lang == Lang::Ja {
        ("1回目", "2回目", "累計")
    } else {
        ("1st dose", "2nd dose", "Cumulative")
    };
    let summary = format!(
        "{}: {first}〜{last}, {one} / {two} / {sum}",
        query.code.name().get(lang)
    );
    Some(
        view! {
            <figure class="records-chart report-chart trend-chart">
                <svg viewBox=format!("0 0 {WIDTH} {TREND_HEIGHT}") role="img" aria-label=summary>
                    <line class="axis" x1=AXIS y1=10.0 + plot x2=WIDTH - AXIS y2=10.0 + plot/>
                    <text class="tick" x=AXIS - 6.0 y=16.0 text-anchor="end">{most_daily}</text>
                    <text class="tick" x=AXIS - 6.0 y=10.0 + plot text-anchor="end">"0"</text>
                    <text class="tick total" x=WIDTH - AXIS + 6.0 y=16.0>{most_total}</text>
                    {columns}
                    <polyline class="trend-line" points=line fill="none"/>
                    <text class="tick" x=AXIS y=bottom>{first}</text>
                    <text class="tick" x=WIDTH - AXIS y=bottom text-anchor="end">{last}</text>
                </svg>
                <figcaption class="legend">
                    <span class="key first">{one}</span>
                    <span class="key second">{two}</span>
                    <span class="key total">{sum}</span>
                    <span class="muted">{t.trend_note}</span>
                </figcaption>
            </figure>
        }
        .into_any(),
    )
}

/// 在庫: the page's vials per lot (every site's together), soonest expiry first; a lot past its
/// expiry and one within 30 days of it are marked, in words too.
fn stock_chart(lang: Lang, page: &ReportPage) -> Option<AnyView> {
    use std::collections::BTreeMap;
    // Columns of STOCK_COLUMNS: 3 ワクチン, 4 ロット番号, 5 有効期限, 6 在庫（バイアル）.
    let text = |cells: &[Cell], i: usize| match cells.get(i) {
        Some(Cell::Text(t)) => t.clone(),
        _ => String::new(),
    };
    let mut lots: BTreeMap<(String, String, String), i64> = BTreeMap::new();
    for row in &page.rows {
        let vials = match row.cells.get(6) {
            Some(Cell::Number(n)) => *n,
            _ => 0,
        };
        let key = (
            text(&row.cells, 5),
            text(&row.cells, 3),
            text(&row.cells, 4),
        );
        *lots.entry(key).or_default() += vials;
    }
    if lots.is_empty() {
        return None;
    }
    // The app's own date parser: chrono's format parser would add to every page's download.
    let today = crate::domain::parse_date(&page.today).ok();
    let soon = today.map(|d| d + chrono::Days::new(30));
    let most = lots.values().copied().max().unwrap_or(1).max(1) as f64;
    let scale = (WIDTH - LABEL - 140.0) / most;
    let shown: Vec<_> = lots.into_iter().take(MAX_ROWS).collect();
    let height = shown.len() as f64 * ROW + 8.0;
    let (expired_word, soon_word) = if lang == Lang::Ja {
        ("期限切れ", "30日以内")
    } else {
        ("expired", "within 30 days")
    };
    let bars = shown
        .iter()
        .enumerate()
        .map(|(i, ((expiry, vaccine, lot), vials))| {
            let y = i as f64 * ROW + 4.0;
            let expires = crate::domain::parse_date(expiry).ok();
            let (class, mark) = match (expires, today, soon) {
                (Some(e), Some(t), _) if e < t => ("bar-expired", expired_word),
                (Some(e), _, Some(s)) if e <= s => ("bar-soon", soon_word),
                _ => ("bar-first", ""),
            };
            let label = format!("{vaccine} {lot}");
            let value = match mark {
                "" => format!("{vials}（{expiry}）"),
                mark => format!("{vials}（{expiry} {mark}）"),
            };
            let width = *vials as f64 * scale;
            view! {
                <g>
                    <text class="tick" x=LABEL - 6.0 y=y + 12.0 text-anchor="end">{label}</text>
                    <rect class=class x=LABEL y=y width=width height=ROW - 6.0/>
                    <text class="tick" x=LABEL + width + 4.0 y=y + 12.0>{value}</text>
                </g>
            }
        })
        .collect_view();
    let (title, key) = if lang == Lang::Ja {
        ("ロット別在庫（有効期限順）", "在庫（バイアル）")
    } else {
        ("Stock by lot (soonest expiry first)", "Held (vials)")
    };
    Some(
        view! {
            <figure class="records-chart report-chart">
                <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=title>
                    {bars}
                </svg>
                <figcaption class="legend">
                    <span class="key first">{key}</span>
                    <span class="key expired">{expired_word}</span>
                    <span class="key soon">{soon_word}</span>
                </figcaption>
            </figure>
        }
        .into_any(),
    )
}
