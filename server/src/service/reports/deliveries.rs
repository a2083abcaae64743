//! The delivery reports, from each site's part of each cool: R203/R303 納入予定日登録進捗の確認,
//! R204/R304 納入状況の進捗確認 and R210/R310 納入予定日一覧.

use crate::db::reports::{SiteCoolFigures, SupplierArea};
use app::domain::reports::{Cell, ReportRow, ReportStatus};
use std::collections::BTreeMap;

/// Where a site's delivery stands in a cool: every vial means the allocated boxes times the
/// vials a box of the cool's vaccine holds.
pub fn delivery_status(f: &SiteCoolFigures) -> ReportStatus {
    let due = f.allocated * f.vials_per_box;
    match (f.scheduled_on.is_some(), f.delivered, f.received) {
        (false, 0, _) => ReportStatus::NoDate,
        (_, 0, _) => ReportStatus::Dated,
        (_, delivered, _) if delivered < due => ReportStatus::Partial,
        (_, delivered, received) if received < delivered => ReportStatus::Delivered,
        _ => ReportStatus::Received,
    }
}

/// Who delivers to a site: the supplier that entered its date, or else those serving its
/// municipality (or, failing that, its whole prefecture).
fn suppliers_of(f: &SiteCoolFigures, areas: &[SupplierArea]) -> String {
    if let Some(name) = &f.supplier_name {
        return name.clone();
    }
    let serving = |municipality: Option<&str>| -> Vec<&str> {
        areas
            .iter()
            .filter(|a| {
                a.prefecture_code == f.prefecture_code
                    && a.municipality_code.as_deref() == municipality
            })
            .map(|a| a.supplier_name.as_str())
            .collect()
    };
    let mut names = serving(Some(&f.municipality_code));
    if names.is_empty() {
        names = serving(None);
    }
    names.dedup();
    names.join("、")
}

/// The sites allocated something, which are the only ones a delivery concerns.
fn allocated(figures: Vec<SiteCoolFigures>) -> impl Iterator<Item = SiteCoolFigures> {
    figures.into_iter().filter(|f| f.allocated > 0)
}

/// R303: each allocated site of each cool, its supplier, date and whether it is entered.
pub fn r303_rows(figures: Vec<SiteCoolFigures>, areas: &[SupplierArea]) -> Vec<ReportRow> {
    allocated(figures)
        .map(|f| {
            let supplier = suppliers_of(&f, areas);
            let entered = if f.scheduled_on.is_some() {
                ReportStatus::DateEntered
            } else {
                ReportStatus::DateMissing
            };
            ReportRow {
                key: f.site_id.to_string(),
                cells: vec![
                    Cell::Text(f.cool_name),
                    Cell::Text(f.prefecture_name),
                    Cell::Text(f.municipality_name),
                    Cell::Text(f.site_name),
                    Cell::Text(supplier),
                    Cell::Number(f.allocated),
                    Cell::Text(f.scheduled_on.unwrap_or_default()),
                    Cell::Text(entered.label().ja.into()),
                ],
            }
        })
        .collect()
}

/// R304: each allocated site of each cool, its vials delivered and received and its state.
pub fn r304_rows(figures: Vec<SiteCoolFigures>) -> Vec<ReportRow> {
    allocated(figures)
        .map(|f| {
            let state = delivery_status(&f);
            ReportRow {
                key: f.site_id.to_string(),
                cells: vec![
                    Cell::Text(f.cool_name),
                    Cell::Text(f.prefecture_name),
                    Cell::Text(f.municipality_name),
                    Cell::Text(f.site_name),
                    Cell::Number(f.allocated),
                    Cell::Text(f.scheduled_on.unwrap_or_default()),
                    Cell::Number(f.delivered),
                    Cell::Number(f.received),
                    Cell::Text(state.label().ja.into()),
                ],
            }
        })
        .collect()
}

/// R210/R310: every entered 納入予定日, the earliest first.
pub fn dates_rows(figures: Vec<SiteCoolFigures>) -> Vec<ReportRow> {
    let mut dated: Vec<SiteCoolFigures> = allocated(figures)
        .filter(|f| f.scheduled_on.is_some())
        .collect();
    // Stable: the same day keeps the cool-then-region order.
    dated.sort_by(|a, b| a.scheduled_on.cmp(&b.scheduled_on));
    dated
        .into_iter()
        .map(|f| ReportRow {
            key: f.site_id.to_string(),
            cells: vec![
                Cell::Text(f.scheduled_on.unwrap_or_default()),
                Cell::Text(f.cool_name),
                Cell::Text(f.vaccine_name),
                Cell::Text(f.prefecture_name),
                Cell::Text(f.municipality_name),
                Cell::Text(f.site_name),
                Cell::Text(f.supplier_name.unwrap_or_default()),
                Cell::Number(f.allocated),
            ],
        })
        .collect()
}

/// One municipality's count of sites per state, in one cool.
#[derive(Default)]
struct StateCounts {
    cool_name: String,
    prefecture_name: String,
    name: String,
    allocated: i64,
    dated: i64,
    delivered: i64,
    received: i64,
}

fn by_municipality(figures: Vec<SiteCoolFigures>) -> BTreeMap<(i64, i64, String), StateCounts> {
    let mut out: BTreeMap<(i64, i64, String), StateCounts> = BTreeMap::new();
    for f in allocated(figures) {
        let state = delivery_status(&f);
        let counts = out
            .entry((f.cool_id, f.prefecture_code, f.municipality_code.clone()))
            .or_default();
        counts.allocated += 1;
        counts.dated += i64::from(state != ReportStatus::NoDate);
        counts.delivered += i64::from(matches!(
            state,
            ReportStatus::Delivered | ReportStatus::Received
        ));
        counts.received += i64::from(state == ReportStatus::Received);
        counts.cool_name = f.cool_name;
        counts.prefecture_name = f.prefecture_name;
        counts.name = f.municipality_name;
    }
    out
}

/// R203: per cool and municipality, the allocated sites with and without 納入予定日.
pub fn r203_rows(figures: Vec<SiteCoolFigures>) -> Vec<ReportRow> {
    by_municipality(figures)
        .into_iter()
        .map(|((_, _, code), c)| {
            ReportRow::of(
                code,
                [c.cool_name, c.prefecture_name, c.name],
                [c.allocated, c.dated, c.allocated - c.dated],
            )
        })
        .collect()
}

/// R204: per cool and municipality, the allocated sites dated, delivered in full and received.
pub fn r204_rows(figures: Vec<SiteCoolFigures>) -> Vec<ReportRow> {
    by_municipality(figures)
        .into_iter()
        .map(|((_, _, code), c)| {
            ReportRow::of(
                code,
                [c.cool_name, c.prefecture_name, c.name],
                [c.allocated, c.dated, c.delivered, c.received],
            )
        })
        .collect()
}
