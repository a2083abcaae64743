//! A site's own reports: X311 在庫受払簿 (every movement with the lot's balance after it) and
//! X312 納入・移送一覧 (deliveries by lot and transfers both ways, with where each stands).

use crate::db::reports::{Arrival, LedgerLine};
use app::domain::reports::{Cell, CheckedFilter, ReportRow, ReportStatus};
use app::domain::Choice;

/// 在庫受払簿: the movements in the filter's period, each lot's balance counted from its first
/// movement (those before the period included), in the ledger's order (site, lot, date, entry).
pub fn ledger_rows(lines: Vec<LedgerLine>, filter: &CheckedFilter) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    let mut lot = None;
    let mut balance = 0;
    for line in lines {
        if lot != Some((line.site_id, line.lot_id)) {
            lot = Some((line.site_id, line.lot_id));
            balance = 0;
        }
        balance += line.vials;
        let day = line.occurred_on;
        if !filter.covers(day) {
            continue;
        }
        rows.push(ReportRow {
            key: line.site_id.to_string(),
            cells: vec![
                Cell::Text(line.site_name),
                Cell::Text(line.vaccine_name),
                Cell::Text(line.lot_number),
                Cell::Text(line.expires_on),
                Cell::Text(day.to_string()),
                Cell::Text(line.kind.label().ja.to_string()),
                Cell::Number(line.vials.max(0)),
                Cell::Number((-line.vials).max(0)),
                Cell::Number(balance),
                Cell::Text(line.note),
            ],
        });
    }
    rows
}

/// 納入・移送一覧: each delivery's lot and each transfer as the site saw it, in the filter's period.
/// A transfer stands 受領済 once received, 取消 once cancelled (its vials went back to the
/// sender), 輸送中 until then; a delivery 受領済 or 受領待ち.
pub fn arrival_rows(arrivals: Vec<Arrival>, filter: &CheckedFilter) -> Vec<ReportRow> {
    arrivals
        .into_iter()
        .filter(|a| filter.covers(a.day))
        .map(|a| {
            let kind = match a.direction.as_str() {
                "out" => "移送（出）",
                "in" => "移送（受）",
                _ => "納入",
            };
            let status = match (a.direction.as_str(), a.received, a.cancelled) {
                (_, _, true) => ReportStatus::Cancelled,
                (_, true, _) => ReportStatus::Received,
                ("delivery", false, _) => ReportStatus::Awaiting,
                _ => ReportStatus::InTransit,
            };
            ReportRow {
                key: a.site_id.to_string(),
                cells: vec![
                    Cell::Text(a.site_name),
                    Cell::Text(a.day.to_string()),
                    Cell::Text(kind.into()),
                    Cell::Text(a.counterpart),
                    Cell::Text(a.vaccine_name),
                    Cell::Text(a.lot_number),
                    Cell::Number(a.vials),
                    Cell::Text(status.label().ja.into()),
                ],
            }
        })
        .collect()
}
