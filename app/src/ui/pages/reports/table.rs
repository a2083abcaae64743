//! A report's table: headings that sort (again: the other way), the rows of the page, the totals
//! row over every row the filters give, and the pages.

use crate::api::ReportPage;
use crate::domain::reports::{
    Cell, ReportCode, ReportFilter, ReportLevel, ReportQuery, Sort, PAGE_SIZE,
};
use crate::i18n::reports::reports_texts;
use crate::ui::context::use_app;
use leptos::prelude::*;
use leptos_router::components::A;

/// The table of one page.
#[component]
pub fn Table(query: ReportQuery, page: ReportPage) -> impl IntoView {
    let app = use_app();
    let lang = app.lang.get_untracked();
    let t = reports_texts(lang);
    let code = query.code;
    let columns = code.columns();
    let headings = columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let index = u16::try_from(index).unwrap_or(u16::MAX);
            let current = query.sort.filter(|s| s.column == index);
            let aria = current.map(|s| {
                if s.descending {
                    "descending"
                } else {
                    "ascending"
                }
            });
            // The first click sorts figures largest first and names in their order.
            let next = Sort {
                column: index,
                descending: current.map_or(column.numeric, |s| !s.descending),
            };
            let href = ReportQuery {
                sort: Some(next),
                page: 0,
                ..query.clone()
            }
            .to_url();
            let arrow = match aria {
                Some("descending") => " ▼",
                Some(_) => " ▲",
                None => "",
            };
            view! {
                <th scope="col" class:num=column.numeric aria-sort=aria>
                    <A href=href attr:class="sort-link">{column.label.get(lang)}{arrow}</A>
                </th>
            }
        })
        .collect_view();
    let drill = code.drill_down();
    let rows = page
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .cells
                .iter()
                .enumerate()
                .map(|(index, cell)| {
                    let link = link_of(code, drill, &query, &row.key, index);
                    match (cell, link) {
                        (Cell::Number(n), _) => view! { <td class="num">{*n}</td> }.into_any(),
                        (Cell::Text(text), Some(href)) => {
                            let text = text.clone();
                            view! { <td><A href=href>{text}</A></td> }.into_any()
                        }
                        (Cell::Text(text), None) => view! { <td>{text.clone()}</td> }.into_any(),
                    }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    let first_figure = columns.iter().position(|c| c.numeric).unwrap_or(0);
    let totals = page
        .totals
        .iter()
        .enumerate()
        .map(|(index, total)| match total {
            Some(n) => view! { <td class="num">{*n}</td> }.into_any(),
            None if index + 1 == first_figure => {
                view! { <th scope="row">{t.totals}</th> }.into_any()
            }
            None => view! { <td></td> }.into_any(),
        })
        .collect_view();
    if page.total_rows == 0 {
        return view! { <p class="muted">{t.empty}</p> }.into_any();
    }
    let name_column = first_figure.saturating_sub(1);
    let chart = super::chart::chart(lang, &query, &page, |key| {
        link_of(code, drill, &query, key, name_column)
    });
    let first = page.page * PAGE_SIZE as u32 + 1;
    let last = (first + page.rows.len() as u32).saturating_sub(1);
    let pages = page.total_rows.div_ceil(PAGE_SIZE as u32);
    let page_link = |to: u32| {
        ReportQuery {
            page: to,
            ..query.clone()
        }
        .to_url()
    };
    let previous = (page.page > 0).then(|| {
        view! { <A href=page_link(page.page - 1) attr:class="button secondary" attr:rel="prev">{t.previous}</A> }
    });
    let next = (page.page + 1 < pages).then(|| {
        view! { <A href=page_link(page.page + 1) attr:class="button secondary" attr:rel="next">{t.next}</A> }
    });
    view! {
        {chart}
        <p class="muted no-print">{t.sort_hint}</p>
        <div class="table-wrap report-sheet">
            <table class="table report">
                <thead><tr>{headings}</tr></thead>
                <tbody>{rows}</tbody>
                <tfoot><tr class="totals">{totals}</tr></tfoot>
            </table>
        </div>
        <nav class="pager no-print" aria-label="pages">
            {previous}
            <span role="status">{(t.rows_of)(first, last, page.total_rows)}</span>
            {next}
        </nav>
    }
    .into_any()
}

/// Where a row's name cell leads: a municipality's row to the report one level down for it, a
/// site's name to its 接種実績 (R308) or its 医療機関・接種会場の詳細.
fn link_of(
    code: ReportCode,
    drill: Option<ReportCode>,
    query: &ReportQuery,
    key: &str,
    index: usize,
) -> Option<String> {
    let column = code.columns().get(index)?;
    match code.level() {
        ReportLevel::Municipality if column.label.ja == "市区町村" => {
            let below = drill?;
            let mut filter = query.filter.clone();
            filter.municipality = key.to_string();
            Some(
                ReportQuery {
                    code: below,
                    filter,
                    sort: None,
                    page: 0,
                    all: false,
                }
                .to_url(),
            )
        }
        // A day of 接種実績の推移 opens that day's figures for the same area.
        ReportLevel::Day if column.label.ja == "接種日" => {
            let mut filter = query.filter.clone();
            filter.from = key.to_string();
            filter.until = key.to_string();
            Some(
                ReportQuery {
                    code: drill?,
                    filter,
                    sort: None,
                    page: 0,
                    all: false,
                }
                .to_url(),
            )
        }
        ReportLevel::Site if column.label.ja == "医療機関・接種会場" => Some(match code {
            // A site's row opens its 接種実績の推移 (the last step down from the country).
            ReportCode::R308 => ReportQuery {
                code: ReportCode::X308,
                filter: ReportFilter {
                    site: key.to_string(),
                    vaccine: query.filter.vaccine.clone(),
                    ..ReportFilter::default()
                },
                sort: None,
                page: 0,
                all: false,
            }
            .to_url(),
            ReportCode::X203 | ReportCode::X303 | ReportCode::X311 | ReportCode::X312 => {
                format!("/sites/{key}/stock")
            }
            _ => format!("/sites/{key}"),
        }),
        _ => None,
    }
}
