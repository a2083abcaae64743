//! レポート: one server function serves every report of the レポート tab. The server computes the
//! rows within the caller's region, filtered and sorted as asked, and sends one page with the
//! totals of every row, or every row for an export (詳細のエクスポート, built in the browser).
//!
//! The server implements [`ReportsApi`] in `server/src/service/reports.rs`.

use super::Choice;
use crate::api::AppHttp;
use crate::domain::reports::{ReportQuery, ReportRow};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// What a report's filters may choose, within the caller's region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// The cools, newest first.
    pub cools: Vec<Choice>,
    /// The vaccines, in master order.
    pub vaccines: Vec<Choice>,
    /// The prefectures the caller may choose (none for a caller bound to one).
    pub prefectures: Vec<Choice>,
    /// The municipalities the caller may choose (of the chosen prefecture; none for a caller
    /// bound to one).
    pub municipalities: Vec<Choice>,
    /// The name of the one site the report is about (a site's own, or the `site` filter).
    pub site: Option<String>,
}

/// One page of a report (or all of it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPage {
    /// The rows of the page, in the order asked.
    pub rows: Vec<ReportRow>,
    /// How many rows the filters give, over every page.
    pub total_rows: u32,
    /// The page shown (from 0).
    pub page: u32,
    /// The totals row over every row the filters give: a figure per figure column.
    pub totals: Vec<Option<i64>>,
    /// What the filters may choose.
    pub options: ReportOptions,
    /// Today (JST, YYYY-MM-DD): the print header's and the file name's date.
    pub today: String,
}

/// A report: a page of it as filtered and sorted, or every row (`query.all`).
#[server(prefix = "/api", endpoint = "load_report", protocol = AppHttp<Json>)]
pub async fn load_report(query: ReportQuery) -> Result<ReportPage, AppError> {
    backend()?.load_report(query).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ReportsApi: Send + Sync {
    /// A report.
    async fn load_report(&self, query: ReportQuery) -> Result<ReportPage, AppError>;
}
