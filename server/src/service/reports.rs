//! レポート: every report of the レポート tab through one server function. The guard admits the
//! report's readers and refuses a filter outside the caller's region; the rows are computed
//! from a few region-wide queries, sorted, totalled and paged here.

mod deliveries;
mod lists;

use super::access::report_region;
use super::{OrInternal, RequestBackend, Scope};
use crate::db::records::RecordRow;
use crate::db::reports::{self as db, CoolFilter, Region, SiteCoolFigures};
use crate::db::{master, supply};
use app::api::{Choice, ReportOptions, ReportPage, ReportsApi};
use app::domain::reports::{
    sort_rows, totals, Cell, CheckedFilter, ReportCode, ReportQuery, ReportRow, PAGE_SIZE,
};
use app::domain::{cell, jst_date, Dose, Group, Role, Tally};
use app::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};

#[async_trait::async_trait]
impl ReportsApi for RequestBackend {
    async fn load_report(&self, query: ReportQuery) -> Result<ReportPage, AppError> {
        let code = query.code;
        let caller = self.require_role(code.readers()).await?;
        let filter = query.filter.validate().map_err(AppError::Validation)?;
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
        let region = report_region(&caller, filter.prefecture, filter.municipality.clone());
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
    let filter = query.filter.validate().map_err(AppError::Validation)?;
    let mut rows = report_rows(conn, code, region, &filter).await?;
    sort_rows(&mut rows, query.sort);
    let totals = totals(code.columns(), &rows);
    let total_rows = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_page = u32::try_from(rows.len().saturating_sub(1) / PAGE_SIZE).unwrap_or(0);
    let page = query.page.min(last_page);
    let rows = if query.all {
        rows
    } else {
        let start = usize::try_from(page).unwrap_or(0) * PAGE_SIZE;
        rows.into_iter().skip(start).take(PAGE_SIZE).collect()
    };
    let options = options(conn, role, region).await?;
    Ok(ReportPage {
        rows,
        total_rows,
        page,
        totals,
        options,
        today: jst_date(now).to_string(),
    })
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
        ReportCode::R308 => {
            let sites = db::sites_handling(conn, region, filter.vaccine.as_deref())
                .await
                .or_internal("load report sites")?;
            let figures = vaccinated(conn, region, filter).await?;
            Ok(sites
                .into_iter()
                .map(|s| {
                    let tally = figures.get(&s.id).copied().unwrap_or_default();
                    let mut cells = vec![
                        Cell::Text(s.prefecture_name),
                        Cell::Text(s.municipality_name),
                        Cell::Text(s.name),
                    ];
                    cells.extend(record_cells(&tally));
                    ReportRow {
                        key: s.id.to_string(),
                        cells,
                    }
                })
                .collect())
        }
        ReportCode::R208 => {
            let per_municipality = vaccinated_by_municipality(conn, region, filter).await?;
            let municipalities = db::municipalities(conn, region)
                .await
                .or_internal("load report municipalities")?;
            Ok(municipalities
                .into_iter()
                .map(|m| {
                    let tally = per_municipality.get(&m.code).copied().unwrap_or_default();
                    let mut cells = vec![Cell::Text(m.prefecture_name), Cell::Text(m.name)];
                    cells.extend(record_cells(&tally));
                    ReportRow { key: m.code, cells }
                })
                .collect())
        }
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

/// People vaccinated per site in the period, every vaccine (or the chosen one) together: the
/// cumulative registered by its end, less the one registered before its start. Without an end
/// the latest cumulatives come from their summary (`record_latest`).
async fn vaccinated(
    conn: &mut AnyConnection,
    region: &Region,
    filter: &CheckedFilter,
) -> Result<HashMap<i64, [i64; 10]>, AppError> {
    let vaccine = filter.vaccine.as_deref();
    let mut out: HashMap<i64, [i64; 10]> = HashMap::new();
    let add = |out: &mut HashMap<i64, [i64; 10]>, rows: Vec<(i64, Tally)>, sign: i64| {
        for (site, tally) in rows {
            let sum = out.entry(site).or_default();
            for (slot, value) in sum.iter_mut().zip(tally.0) {
                *slot += sign * i64::from(value);
            }
        }
    };
    let at_end = match filter.until {
        None => db::latest_cumulatives(conn, region, vaccine)
            .await
            .or_internal("load latest cumulatives")?,
        Some(until) => tallies(
            db::cumulatives_on(conn, region, vaccine, &until.to_string())
                .await
                .or_internal("load cumulatives")?,
        ),
    };
    add(&mut out, at_end, 1);
    if let Some(before) = filter.from.and_then(|d| d.pred_opt()) {
        let at_start = db::cumulatives_on(conn, region, vaccine, &before.to_string())
            .await
            .or_internal("load cumulatives")?;
        add(&mut out, tallies(at_start), -1);
    }
    Ok(out)
}

fn tallies(rows: Vec<(i64, RecordRow)>) -> Vec<(i64, Tally)> {
    rows.into_iter()
        .map(|(site, row)| (site, row.tally()))
        .collect()
}

/// People vaccinated per municipality in the period: summed in the database from the latest
/// cumulatives without a period, else from each site's figures.
async fn vaccinated_by_municipality(
    conn: &mut AnyConnection,
    region: &Region,
    filter: &CheckedFilter,
) -> Result<HashMap<String, [i64; 10]>, AppError> {
    if filter.from.is_none() && filter.until.is_none() {
        return Ok(
            db::latest_by_municipality(conn, region, filter.vaccine.as_deref())
                .await
                .or_internal("load latest per municipality")?
                .into_iter()
                .collect(),
        );
    }
    let sites = db::sites_handling(conn, region, filter.vaccine.as_deref())
        .await
        .or_internal("load report sites")?;
    let figures = vaccinated(conn, region, filter).await?;
    let mut out: HashMap<String, [i64; 10]> = HashMap::new();
    for site in sites {
        if let Some(tally) = figures.get(&site.id) {
            let sum = out.entry(site.municipality_code).or_default();
            for (slot, value) in sum.iter_mut().zip(tally) {
                *slot += value;
            }
        }
    }
    Ok(out)
}

/// The seed's order of groups in 接種実績の内訳.
const SEED_GROUPS: [Group; 5] = [
    Group::Other,
    Group::Medical,
    Group::Underlying,
    Group::Elderly,
    Group::FacilityStaff,
];

/// 1回目 by group and 小計, 2回目 the same, and 総計, from cells in the grid's order.
fn record_cells(tally: &[i64; 10]) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(13);
    let mut total = 0;
    for dose in Dose::ALL {
        let mut subtotal = 0;
        for group in SEED_GROUPS {
            let value = tally[cell(dose, group)];
            subtotal += value;
            cells.push(Cell::Number(value));
        }
        cells.push(Cell::Number(subtotal));
        total += subtotal;
    }
    cells.push(Cell::Number(total));
    cells
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
    Ok(ReportOptions {
        cools,
        vaccines,
        prefectures,
        municipalities,
    })
}
