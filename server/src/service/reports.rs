//! レポート: every report of the レポート tab through one server function. The guard admits the
//! report's readers and refuses a filter outside the caller's region; the rows are computed
//! from a few region-wide queries, sorted, totalled and paged here.

mod deliveries;
mod lists;
mod records;
mod site;

use super::access::report_region;
use super::{OrInternal, RequestBackend, Scope};
use crate::db::reports::{self as db, CoolFilter, Region, SiteCoolFigures};
use crate::db::{master, supply};
use app::api::{Choice, ReportOptions, ReportPage, ReportsApi};
use app::domain::reports::{
    sort_rows, totals, Cell, CheckedFilter, ReportCode, ReportQuery, ReportRow, PAGE_SIZE,
};
use app::domain::{jst_date, Role};
use app::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

#[async_trait::async_trait]
impl ReportsApi for RequestBackend {
    async fn load_report(&self, query: ReportQuery) -> Result<ReportPage, AppError> {
        let code = query.code;
        let caller = self.require_role(code.readers()).await?;
        let filter = query.filter.validate(code).map_err(AppError::Validation)?;
        let mut caller = caller;
        if let Some(prefecture) = filter.prefecture {
            caller = self
                .within_scope(caller, Scope::Prefecture(prefecture))
                .await?;
        }
        if let Some(municipality) = &filter.municipality {
            caller = self
                .within_scope(caller, Scope::Municipality(municipality.clone()))
                .await?;
        }
        if let Some(site) = filter.site {
            caller = self.within_scope(caller, Scope::Site(site)).await?;
        }
        let region = report_region(
            &caller,
            filter.prefecture,
            filter.municipality.clone(),
            filter.site,
        );
        let mut conn = self.conn().await?;
        report_page(&mut conn, caller.role, &region, &query, self.now()).await
    }
}

/// A report for `region` as `query` asks (after the guard: `role` is the caller's, `region`
/// within its scope): the page's rows, the totals over every row, and the filters' choices.
pub async fn report_page(
    conn: &mut AnyConnection,
    role: Role,
    region: &Region,
    query: &ReportQuery,
    now: DateTime<Utc>,
) -> Result<ReportPage, AppError> {
    let code = query.code;
    let filter = query.filter.validate(code).map_err(AppError::Validation)?;
    let fast = match code {
        ReportCode::R308 => records::r308_page(conn, region, &filter, query).await?,
        _ => None,
    };
    let shown = match fast {
        Some(shown) => shown,
        None => {
            let mut rows = report_rows(conn, code, region, &filter).await?;
            filter.keep_status(code, &mut rows);
            page_of(rows, query)
        }
    };
    Ok(ReportPage {
        rows: shown.rows,
        total_rows: shown.total_rows,
        page: shown.page,
        totals: shown.totals,
        options: options(conn, role, region).await?,
        today: jst_date(now).to_string(),
    })
}

/// What a report shows of its rows: the page asked for (or every row, for an export), how many
/// rows there are in all, the page's number and the totals over every row.
struct Shown {
    rows: Vec<ReportRow>,
    total_rows: u32,
    page: u32,
    totals: Vec<Option<i64>>,
}

/// The page of every row computed here: sorted as asked, totalled, then cut to the page.
fn page_of(mut rows: Vec<ReportRow>, query: &ReportQuery) -> Shown {
    sort_rows(&mut rows, query.sort);
    let totals = totals(query.code.columns(), &rows);
    let total_rows = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_page = u32::try_from(rows.len().saturating_sub(1) / PAGE_SIZE).unwrap_or(0);
    let page = query.page.min(last_page);
    let rows = if query.all {
        rows
    } else {
        let start = usize::try_from(page).unwrap_or(0) * PAGE_SIZE;
        rows.into_iter().skip(start).take(PAGE_SIZE).collect()
    };
    Shown {
        rows,
        total_rows,
        page,
        totals,
    }
}

/// Every row of `code` for `region` and `filter`, in the report's own order.
async fn report_rows(
    conn: &mut AnyConnection,
    code: ReportCode,
    region: &Region,
    filter: &CheckedFilter,
) -> Result<Vec<ReportRow>, AppError> {
    let cools = CoolFilter {
        cool: filter.cool,
        vaccine: filter.vaccine.clone(),
        from: filter.from.map(|d| d.to_string()),
        until: filter.until.map(|d| d.to_string()),
    };
    match code {
        ReportCode::R308 => records::r308_rows(conn, region, filter).await,
        ReportCode::R208 => records::r208_rows(conn, region, filter).await,
        ReportCode::X208 | ReportCode::X308 => records::trend_rows(conn, region, filter).await,
        ReportCode::R301 => {
            let figures = db::site_cool_figures(conn, region, &cools)
                .await
                .or_internal("load site cool figures")?;
            Ok(figures.into_iter().map(r301_row).collect())
        }
        ReportCode::R306 => {
            let figures = db::site_cool_figures(conn, region, &cools)
                .await
                .or_internal("load site cool figures")?;
            Ok(r306_rows(figures))
        }
        ReportCode::R203
        | ReportCode::R204
        | ReportCode::R303
        | ReportCode::R304
        | ReportCode::R210
        | ReportCode::R310 => {
            let figures = db::site_cool_figures(conn, region, &cools)
                .await
                .or_internal("load site cool figures")?;
            Ok(match code {
                ReportCode::R203 => deliveries::r203_rows(figures),
                ReportCode::R204 => deliveries::r204_rows(figures),
                ReportCode::R303 => {
                    let areas = db::supplier_areas(conn, None)
                        .await
                        .or_internal("load supplier areas")?;
                    deliveries::r303_rows(figures, &areas)
                }
                ReportCode::R304 => deliveries::r304_rows(figures),
                _ => deliveries::dates_rows(figures),
            })
        }
        ReportCode::X311 => {
            let lines = db::ledger_lines(conn, region, filter.vaccine.as_deref())
                .await
                .or_internal("load ledger lines")?;
            Ok(site::ledger_rows(lines, filter))
        }
        ReportCode::X312 => {
            let arrivals = db::arrivals(conn, region, filter.vaccine.as_deref())
                .await
                .or_internal("load arrivals")?;
            Ok(site::arrival_rows(arrivals, filter))
        }
        ReportCode::X201 | ReportCode::X301 => {
            let sites = db::sites_listed(conn, region, filter.vaccine.as_deref())
                .await
                .or_internal("load listed sites")?;
            let vaccines = db::site_vaccine_names(conn, region)
                .await
                .or_internal("load site vaccines")?;
            Ok(lists::site_rows(sites, vaccines))
        }
        ReportCode::X202 => {
            let areas = db::supplier_areas(conn, region.prefecture)
                .await
                .or_internal("load supplier areas")?;
            Ok(lists::supplier_rows(areas))
        }
        ReportCode::X203 | ReportCode::X303 => {
            let stock = db::stock_held(conn, region, filter.vaccine.as_deref())
                .await
                .or_internal("load stock")?;
            Ok(lists::stock_rows(stock))
        }
        ReportCode::R201 | ReportCode::R206 => {
            let figures = db::site_cool_figures(conn, region, &cools)
                .await
                .or_internal("load site cool figures")?;
            let given = db::municipality_allocations(conn, region, &cools)
                .await
                .or_internal("load municipality allocations")?;
            Ok(if code == ReportCode::R201 {
                r201_rows(figures, given)
            } else {
                r206_rows(figures, given)
            })
        }
    }
}

fn r301_row(f: SiteCoolFigures) -> ReportRow {
    ReportRow {
        key: f.site_id.to_string(),
        cells: vec![
            Cell::Text(f.cool_name),
            Cell::Text(f.prefecture_name),
            Cell::Text(f.municipality_name),
            Cell::Text(f.site_name),
            Cell::Number(f.requested),
            Cell::Number(f.allocated),
            Cell::Text(f.scheduled_on.unwrap_or_default()),
            Cell::Number(f.delivered),
            Cell::Number(f.received),
        ],
    }
}

/// One site's sums over the cools read (R306).
struct SiteSums {
    /// The site's first row, for its names.
    site: SiteCoolFigures,
    /// Cools it requested from.
    cools: i64,
    requested: i64,
    allocated: i64,
}

/// The reports' own order of sites: prefecture, municipality, name, id.
type SiteOrder = (i64, String, String, i64);

/// R306: per site, over the cools read: how many it requested from, and the sums.
fn r306_rows(figures: Vec<SiteCoolFigures>) -> Vec<ReportRow> {
    let mut sites: BTreeMap<SiteOrder, SiteSums> = BTreeMap::new();
    for f in figures {
        let key = (
            f.prefecture_code,
            f.municipality_code.clone(),
            f.site_name.clone(),
            f.site_id,
        );
        let (requested, allocated) = (f.requested, f.allocated);
        let sums = sites.entry(key).or_insert(SiteSums {
            site: f,
            cools: 0,
            requested: 0,
            allocated: 0,
        });
        sums.cools += i64::from(requested > 0);
        sums.requested += requested;
        sums.allocated += allocated;
    }
    sites
        .into_values()
        .map(|sums| {
            let site = sums.site;
            ReportRow::of(
                site.site_id.to_string(),
                [site.prefecture_name, site.municipality_name, site.site_name],
                [sums.cools, sums.requested, sums.allocated],
            )
        })
        .collect()
}

/// One municipality's figures of one cool (R201) or of every cool read (R206).
#[derive(Default)]
struct MunicipalityFigures {
    cool_name: String,
    name: String,
    prefecture_name: String,
    requested: i64,
    given: i64,
    passed_on: i64,
    delivered: i64,
    requesting_sites: std::collections::HashSet<i64>,
}

/// Sums the sites' figures and the municipalities' allocations under `key`.
fn by_municipality<K: Ord>(
    figures: Vec<SiteCoolFigures>,
    given: Vec<db::MunicipalityAllocation>,
    key: impl Fn(i64, i64, &str) -> K,
) -> BTreeMap<K, MunicipalityFigures> {
    let mut out: BTreeMap<K, MunicipalityFigures> = BTreeMap::new();
    for f in figures {
        let entry = out
            .entry(key(f.cool_id, f.prefecture_code, &f.municipality_code))
            .or_default();
        entry.cool_name = f.cool_name;
        entry.name = f.municipality_name;
        entry.prefecture_name = f.prefecture_name;
        entry.requested += f.requested;
        entry.passed_on += f.allocated;
        entry.delivered += f.delivered;
        if f.requested > 0 {
            entry.requesting_sites.insert(f.site_id);
        }
    }
    for g in given {
        let entry = out
            .entry(key(g.cool_id, g.prefecture_code, &g.municipality_code))
            .or_default();
        entry.cool_name = g.cool_name;
        entry.name = g.municipality_name;
        entry.prefecture_name = g.prefecture_name;
        entry.given += g.boxes;
    }
    out
}

/// R201: per cool and municipality.
fn r201_rows(
    figures: Vec<SiteCoolFigures>,
    given: Vec<db::MunicipalityAllocation>,
) -> Vec<ReportRow> {
    by_municipality(figures, given, |cool, prefecture, code| {
        (cool, prefecture, code.to_string())
    })
    .into_iter()
    .map(|((_, _, code), m)| {
        ReportRow::of(
            code,
            [m.cool_name, m.prefecture_name, m.name],
            [m.requested, m.given, m.passed_on, m.delivered],
        )
    })
    .collect()
}

/// R206: per municipality, over the cools read.
fn r206_rows(
    figures: Vec<SiteCoolFigures>,
    given: Vec<db::MunicipalityAllocation>,
) -> Vec<ReportRow> {
    by_municipality(figures, given, |_, prefecture, code| {
        (prefecture, code.to_string())
    })
    .into_iter()
    .map(|((_, code), m)| {
        let sites = i64::try_from(m.requesting_sites.len()).unwrap_or(i64::MAX);
        ReportRow::of(
            code,
            [m.prefecture_name, m.name],
            [sites, m.requested, m.given],
        )
    })
    .collect()
}

/// What the filters may choose: cools, vaccines, and the places inside the caller's region.
async fn options(
    conn: &mut AnyConnection,
    role: Role,
    region: &Region,
) -> Result<ReportOptions, AppError> {
    let cools = db::cool_names(conn)
        .await
        .or_internal("load cools")?
        .into_iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name,
        })
        .collect();
    let vaccines = supply::vaccines(conn)
        .await
        .or_internal("load vaccines")?
        .into_iter()
        .map(|v| Choice {
            value: v.code,
            label: v.name_ja,
        })
        .collect();
    let prefectures = if matches!(role, Role::National | Role::Admin) {
        master::prefectures(conn)
            .await
            .or_internal("load prefectures")?
            .into_iter()
            .map(|p| Choice {
                value: p.code.to_string(),
                label: p.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    // A national user who came down from R2xx names a municipality only: its prefecture's list.
    let prefecture = match (&region.prefecture, &region.municipality) {
        (Some(code), _) => Some(*code),
        (None, Some(municipality)) => master::municipality(conn, municipality)
            .await
            .or_internal("load municipality")?
            .map(|m| m.prefecture_code),
        (None, None) => None,
    };
    let municipalities = match (role, prefecture) {
        (Role::Prefecture | Role::National | Role::Admin, Some(prefecture)) => {
            master::municipalities_of(conn, prefecture)
                .await
                .or_internal("load municipalities")?
                .into_iter()
                .map(|m| Choice {
                    value: m.code,
                    label: m.name,
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let site = match region.site {
        Some(id) => master::site(conn, id)
            .await
            .or_internal("load site")?
            .map(|s| s.name),
        None => None,
    };
    Ok(ReportOptions {
        cools,
        vaccines,
        prefectures,
        municipalities,
        site,
    })
}
