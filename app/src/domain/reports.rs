//! レポート (seed 001, 便利なレポート機能): the reports of the レポート tab, their columns, filters
//! and order, and the rules that sort a report and total it. A report is a table of cells, so one
//! screen, one sort, one totals row and one CSV serve every report; the server computes the rows
//! within the caller's region and sends one page of them, or all of them for an export.

mod codes;
pub mod csv;
mod status;

pub use codes::*;
pub use status::ReportStatus;

use crate::domain::form_fields::Label;
use crate::domain::{parse_date, Role};
use crate::error::{FieldError, FieldErrors};
use crate::text::clean;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Rows on one page of a report on screen.
pub const PAGE_SIZE: usize = 100;

/// The reports' groups, as in the seed's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportGroup {
    /// 住所地外接種の申請状況確認 (R300)
    OutOfArea,
    /// 分配実績 (R201, R301)
    Allocation,
    /// 納入予定日登録の確認 (R203, R303)
    DeliveryDates,
    /// 配送状況の確認 (R204, R304)
    Deliveries,
    /// 予約者一覧 (R305)
    Bookings,
    /// 希望量の確認 (R206, R306)
    Requests,
    /// 接種実績の確認 (R208, R308)
    Records,
    /// 納入予定日の確認 (R210, R310)
    Schedule,
    /// その他一覧 (X2**, X3**)
    Others,
}

impl ReportGroup {
    /// The group's heading, as in the seed.
    pub fn label(self) -> Label {
        match self {
            Self::OutOfArea => Label::new("住所地外接種の申請状況確認", "Out-of-area applications"),
            Self::Allocation => Label::new("分配実績", "Allocations"),
            Self::DeliveryDates => Label::new("納入予定日登録の確認", "Delivery dates entered"),
            Self::Deliveries => Label::new("配送状況の確認", "Deliveries"),
            Self::Schedule => Label::new("納入予定日の確認", "Delivery dates"),
            Self::Others => Label::new("その他一覧", "Other lists"),
            Self::Bookings => Label::new("予約者一覧", "Bookings"),
            Self::Requests => Label::new("希望量の確認", "Requested quantities"),
            Self::Records => Label::new("接種実績の確認", "Vaccinations"),
        }
    }
}

/// One report on the レポート tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogEntry {
    /// R308
    pub code: &'static str,
    /// 医療機関・接種会場別接種実績累計
    pub name: Label,
    /// Where it opens.
    pub path: String,
    /// ★: also a button on ホーム.
    pub starred: bool,
}

/// The reports `role` may open, grouped as in the seed's table (groups without any left out).
/// R300 and R305 are the municipality's own pages (住所地外接種, 予約受付支援).
pub fn catalog(role: Role) -> Vec<(ReportGroup, Vec<CatalogEntry>)> {
    let entry = |code: ReportCode| CatalogEntry {
        code: code.as_str(),
        name: code.name(),
        path: code.path(),
        starred: code.starred(),
    };
    let open = |code: ReportCode| code.readers().contains(&role);
    let reports = |codes: &[ReportCode]| -> Vec<CatalogEntry> {
        codes
            .iter()
            .copied()
            .filter(|c| open(*c))
            .map(entry)
            .collect()
    };
    let municipality = role == Role::Municipality;
    let groups = vec![
        (
            ReportGroup::OutOfArea,
            municipality
                .then(|| CatalogEntry {
                    code: "R300",
                    name: Label::new("住所地外接種の申請状況一覧", "Out-of-area applications"),
                    path: "/out-of-area".into(),
                    starred: true,
                })
                .into_iter()
                .collect(),
        ),
        (
            ReportGroup::Allocation,
            reports(&[ReportCode::R201, ReportCode::R301]),
        ),
        (
            ReportGroup::DeliveryDates,
            reports(&[ReportCode::R203, ReportCode::R303]),
        ),
        (
            ReportGroup::Deliveries,
            reports(&[ReportCode::R204, ReportCode::R304]),
        ),
        (
            ReportGroup::Bookings,
            municipality
                .then(|| CatalogEntry {
                    code: "R305",
                    name: Label::new("予約者一覧", "Bookings"),
                    path: "/bookings".into(),
                    starred: true,
                })
                .into_iter()
                .collect(),
        ),
        (
            ReportGroup::Requests,
            reports(&[ReportCode::R206, ReportCode::R306]),
        ),
        (
            ReportGroup::Records,
            reports(&[
                ReportCode::R208,
                ReportCode::R308,
                ReportCode::X208,
                ReportCode::X308,
            ]),
        ),
        (
            ReportGroup::Schedule,
            reports(&[ReportCode::R210, ReportCode::R310]),
        ),
        (
            ReportGroup::Others,
            reports(&[
                ReportCode::X201,
                ReportCode::X202,
                ReportCode::X203,
                ReportCode::X301,
                ReportCode::X303,
                ReportCode::X311,
                ReportCode::X312,
            ]),
        ),
    ];
    groups
        .into_iter()
        .filter(|(_, entries)| !entries.is_empty())
        .collect()
}

/// A report's filters as typed or read from the URL (every value a string; empty means all; one
/// left out, as by a page loaded before it existed, is empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportFilter {
    /// A cool's id.
    pub cool: String,
    /// A vaccine's code.
    pub vaccine: String,
    /// The period's first day (YYYY-MM-DD): 接種日, or a cool's delivery weeks.
    pub from: String,
    /// The period's last day.
    pub until: String,
    /// A prefecture's code.
    pub prefecture: String,
    /// A municipality's code.
    pub municipality: String,
    /// A site's id.
    pub site: String,
    /// A [`ReportStatus`]'s key: only the rows in that 状況.
    pub status: String,
}

/// [`ReportFilter`] once checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckedFilter {
    /// One cool, or all.
    pub cool: Option<i64>,
    /// One vaccine, or all.
    pub vaccine: Option<String>,
    /// From this day.
    pub from: Option<NaiveDate>,
    /// Until this day.
    pub until: Option<NaiveDate>,
    /// One prefecture, or the caller's whole region.
    pub prefecture: Option<i64>,
    /// One municipality, or the caller's whole region.
    pub municipality: Option<String>,
    /// One site, or the caller's whole region.
    pub site: Option<i64>,
    /// Only the rows in this 状況, or all.
    pub status: Option<ReportStatus>,
}

impl ReportFilter {
    /// Checks every field for `code`'s report, keeping the first error of each: a status must
    /// be one the report's rows can stand in.
    pub fn validate(&self, code: ReportCode) -> Result<CheckedFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = errors
            .check(
                "status",
                optional(&self.status, |key| {
                    ReportStatus::parse(key)
                        .filter(|s| code.statuses().contains(s))
                        .ok_or(FieldError::InvalidChoice)
                }),
            )
            .flatten();
        let cool = errors
            .check("cool", optional(&self.cool, parse_id))
            .flatten();
        let prefecture = errors
            .check("prefecture", optional(&self.prefecture, parse_id))
            .flatten();
        let site = errors
            .check("site", optional(&self.site, parse_id))
            .flatten();
        let from = errors
            .check("from", optional(&self.from, parse_date))
            .flatten();
        let until = errors
            .check("until", optional(&self.until, parse_date))
            .flatten();
        if from.zip(until).is_some_and(|(from, until)| until < from) {
            errors.add("until", FieldError::DateOrder);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let given = |value: &str| Some(clean(value)).filter(|v| !v.is_empty());
        Ok(CheckedFilter {
            cool,
            vaccine: given(&self.vaccine),
            from,
            until,
            prefecture,
            municipality: given(&self.municipality),
            site,
            status,
        })
    }
}

impl CheckedFilter {
    /// Whether `day` lies in the period (a missing end leaves that side open).
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= day) && self.until.is_none_or(|until| day <= until)
    }

    /// Keeps the rows of `code` in the filter's 状況 (all of them without one).
    pub fn keep_status(&self, code: ReportCode, rows: &mut Vec<ReportRow>) {
        let (Some(status), Some(column)) = (self.status, code.status_column()) else {
            return;
        };
        let words = status.label().ja;
        rows.retain(|row| matches!(row.cells.get(column), Some(Cell::Text(t)) if t == words));
    }
}

/// An empty value as none, any other through `parse`.
fn optional<T>(
    value: &str,
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, FieldError> {
    match clean(value) {
        v if v.is_empty() => Ok(None),
        v => parse(&v).map(Some),
    }
}

fn parse_id(value: &str) -> Result<i64, FieldError> {
    value.parse().map_err(|_| FieldError::InvalidChoice)
}

/// A column to sort by, and the direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    /// The column's index.
    pub column: u16,
    /// Largest (or last) first.
    pub descending: bool,
}

/// What the screen asks for: a report, its filters, its order and a page (or every row, for an
/// export).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    /// The report.
    pub code: ReportCode,
    /// Its filters.
    pub filter: ReportFilter,
    /// Its order; none for the report's own (by region and name).
    pub sort: Option<Sort>,
    /// The page (from 0).
    pub page: u32,
    /// Every row instead of a page (詳細のエクスポート).
    pub all: bool,
}

impl ReportQuery {
    /// The query of a report's URL:
    /// `?cool=&vaccine=&from=&until=&pref=&muni=&site=&status=&sort=&desc=&page=`
    /// (`get` reads one parameter); what does not parse is left at its default.
    pub fn from_url(code: ReportCode, get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).unwrap_or_default();
        let sort = get("sort")
            .and_then(|s| s.parse::<u16>().ok())
            .filter(|c| usize::from(*c) < code.columns().len())
            .map(|column| Sort {
                column,
                descending: get("desc").as_deref() == Some("1"),
            });
        Self {
            code,
            filter: ReportFilter {
                cool: text("cool"),
                vaccine: text("vaccine"),
                from: text("from"),
                until: text("until"),
                prefecture: text("pref"),
                municipality: text("muni"),
                site: text("site"),
                status: text("status"),
            },
            sort,
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            all: false,
        }
    }

    /// The URL of this query: the path and the parameters that are set.
    pub fn to_url(&self) -> String {
        let f = &self.filter;
        let mut pairs: Vec<(&str, String)> = [
            ("cool", &f.cool),
            ("vaccine", &f.vaccine),
            ("from", &f.from),
            ("until", &f.until),
            ("pref", &f.prefecture),
            ("muni", &f.municipality),
            ("site", &f.site),
            ("status", &f.status),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect();
        if let Some(sort) = self.sort {
            pairs.push(("sort", sort.column.to_string()));
            if sort.descending {
                pairs.push(("desc", "1".into()));
            }
        }
        if self.page > 0 {
            pairs.push(("page", self.page.to_string()));
        }
        let query: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode_component(&v)))
            .collect();
        match query.is_empty() {
            true => self.code.path(),
            false => format!("{}?{}", self.code.path(), query.join("&")),
        }
    }
}

/// Percent-encodes what is not unreserved (RFC 3986), so that names and dates survive in a URL.
fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// One cell of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    /// A name, a date, a code.
    Text(String),
    /// A figure.
    Number(i64),
}

impl Cell {
    /// The cell as shown and exported.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }

    fn compare(&self, other: &Cell) -> Ordering {
        match (self, other) {
            (Cell::Number(a), Cell::Number(b)) => a.cmp(b),
            (Cell::Text(a), Cell::Text(b)) => a.cmp(b),
            (Cell::Number(_), Cell::Text(_)) => Ordering::Less,
            (Cell::Text(_), Cell::Number(_)) => Ordering::Greater,
        }
    }
}

/// One row of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// What the row stands for: a site's id (R3xx) or a municipality's code (R2xx).
    pub key: String,
    /// One cell per column.
    pub cells: Vec<Cell>,
}

impl ReportRow {
    /// A row of names followed by figures (most reports' shape).
    pub fn of(
        key: String,
        texts: impl IntoIterator<Item = String>,
        figures: impl IntoIterator<Item = i64>,
    ) -> Self {
        let cells = texts
            .into_iter()
            .map(Cell::Text)
            .chain(figures.into_iter().map(Cell::Number))
            .collect();
        Self { key, cells }
    }
}

/// Sorts rows by `sort`; rows that compare equal keep the report's own order, so paging through
/// a sorted report never shows a row twice or skips one.
pub fn sort_rows(rows: &mut [ReportRow], sort: Option<Sort>) {
    let Some(sort) = sort else { return };
    let column = usize::from(sort.column);
    rows.sort_by(|a, b| {
        let order = match (a.cells.get(column), b.cells.get(column)) {
            (Some(x), Some(y)) => x.compare(y),
            _ => Ordering::Equal,
        };
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    });
}

/// The totals row: the sum of each figure column over `rows`, none under names.
pub fn totals(columns: &[Column], rows: &[ReportRow]) -> Vec<Option<i64>> {
    columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            column.summed.then(|| {
                rows.iter()
                    .map(|row| match row.cells.get(i) {
                        Some(Cell::Number(n)) => *n,
                        _ => 0,
                    })
                    .sum()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
