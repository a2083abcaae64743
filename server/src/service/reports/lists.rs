//! その他一覧: the lists as they stand now — 医療機関一覧 (X201/X301), 地域卸・倉庫一覧 (X202) and
//! 物流倉庫入庫・在庫一覧 (X203/X303).

use crate::db::reports::{SiteListed, StockHeld, SupplierArea};
use app::domain::reports::{Cell, ReportRow};
use std::collections::HashMap;

/// 医療機関一覧: each site with its type, its basic site and the vaccines it handles.
pub fn site_rows(sites: Vec<SiteListed>, vaccines: Vec<(i64, String)>) -> Vec<ReportRow> {
    let mut handled: HashMap<i64, Vec<String>> = HashMap::new();
    for (site, name) in vaccines {
        handled.entry(site).or_default().push(name);
    }
    sites
        .into_iter()
        .map(|s| {
            let kind = match s.site_type.as_str() {
                "satellite" => "サテライト型",
                _ => "基本型",
            };
            ReportRow {
                key: s.id.to_string(),
                cells: vec![
                    Cell::Text(s.prefecture_name),
                    Cell::Text(s.municipality_name),
                    Cell::Text(s.name),
                    Cell::Text(kind.into()),
                    Cell::Text(s.basic_site_name.unwrap_or_default()),
                    Cell::Text(handled.remove(&s.id).unwrap_or_default().join("、")),
                ],
            }
        })
        .collect()
}

/// 地域卸・倉庫一覧: each supplier and each area it serves (a whole prefecture: 全域).
pub fn supplier_rows(areas: Vec<SupplierArea>) -> Vec<ReportRow> {
    areas
        .into_iter()
        .map(|a| ReportRow {
            key: a
                .municipality_code
                .clone()
                .unwrap_or_else(|| a.prefecture_code.to_string()),
            cells: vec![
                Cell::Text(a.supplier_name),
                Cell::Text(a.prefecture_name),
                Cell::Text(a.municipality_name.unwrap_or_else(|| "全域".into())),
            ],
        })
        .collect()
}

/// 物流倉庫入庫・在庫一覧: each lot held at each site, with its expiry.
pub fn stock_rows(stock: Vec<StockHeld>) -> Vec<ReportRow> {
    stock
        .into_iter()
        .map(|s| ReportRow {
            key: s.site_id.to_string(),
            cells: vec![
                Cell::Text(s.prefecture_name),
                Cell::Text(s.municipality_name),
                Cell::Text(s.site_name),
                Cell::Text(s.vaccine_name),
                Cell::Text(s.lot_number),
                Cell::Text(s.expires_on),
                Cell::Number(s.vials),
            ],
        })
        .collect()
}
