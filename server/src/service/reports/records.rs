//! 接種実績's reports: R308 per site and R208 per municipality (the seed's table of groups), a
//! page of R308 straight from the database at national scale, and 接種実績の推移 (X208, X308):
//! the doses of each day and their running sum.

use super::super::OrInternal;
use crate::db::records::RecordRow;
use crate::db::reports::{self as db, FigureKey, Region};
use app::domain::reports::{Cell, CheckedFilter, ReportQuery, ReportRow, PAGE_SIZE};
use app::domain::{cell, Dose, Group, Tally};
use app::error::AppError;
use chrono::NaiveDate;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};

/// R308: one row per site with its people vaccinated in the period.
pub(super) async fn r308_rows(
    conn: &mut AnyConnection,
    region: &Region,
    filter: &CheckedFilter,
) -> Result<Vec<ReportRow>, AppError> {
    let sites = db::sites_handling(conn, region, filter.vaccine.as_deref())
        .await
        .or_internal("load report sites")?;
    let figures = vaccinated(conn, region, filter).await?;
    Ok(sites
        .into_iter()
        .map(|s| {
            let tally = figures.get(&s.id).copied().unwrap_or_default();
            site_row(s, &tally)
        })
        .collect())
}

fn site_row(site: db::SitePlace, tally: &[i64; 10]) -> ReportRow {
    let mut cells = vec![
        Cell::Text(site.prefecture_name),
        Cell::Text(site.municipality_name),
        Cell::Text(site.name),
    ];
    cells.extend(record_cells(tally));
    ReportRow {
        key: site.id.to_string(),
        cells,
    }
}

/// R208: one row per municipality with its sites' people vaccinated in the period.
pub(super) async fn r208_rows(
    conn: &mut AnyConnection,
    region: &Region,
    filter: &CheckedFilter,
) -> Result<Vec<ReportRow>, AppError> {
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

/// One page of R308 as the screen asks for it, read a page at a time from the database: the
/// page's rows, how many rows there are, the page shown and the totals. `None` when the query
/// needs every row computed here: an order by names, a period ordered by a figure, or an export.
pub(super) async fn r308_page(
    conn: &mut AnyConnection,
    region: &Region,
    filter: &CheckedFilter,
    query: &ReportQuery,
) -> Result<Option<super::Shown>, AppError> {
    let period = filter.from.is_some() || filter.until.is_some();
    if query.all {
        return Ok(None);
    }
    let key = match query.sort {
        None => None,
        Some(_) if period => return Ok(None),
        Some(sort) => match figure_key(sort.column) {
            Some(key) => Some((key, sort.descending)),
            None => return Ok(None),
        },
    };
    let vaccine = filter.vaccine.as_deref();
    let until = filter.until.map(|d| d.to_string());
    let before = filter
        .from
        .and_then(|d| d.pred_opt())
        .map(|d| d.to_string());
    let count = db::site_count(conn, region, vaccine)
        .await
        .or_internal("count R308 sites")?;
    let sums = match period {
        false => db::latest_sums(conn, region, vaccine).await,
        true => db::period_sums(conn, region, vaccine, until.as_deref(), before.as_deref()).await,
    }
    .or_internal("load R308 totals")?;
    let size = i64::try_from(PAGE_SIZE).unwrap_or(100);
    let last_page = (count.max(1) - 1) / size;
    let page = i64::from(query.page).min(last_page);
    let sites = match key {
        None => {
            let (until, before) = (until.as_deref(), before.as_deref());
            db::page_in_period(conn, region, vaccine, until, before, page * size, size).await
        }
        Some((key, descending)) => {
            db::latest_page_by(conn, region, vaccine, key, descending, page * size, size).await
        }
    }
    .or_internal("load R308 page")?;
    let rows = sites
        .into_iter()
        .map(|s| site_row(s.site, &s.cells.values()))
        .collect();
    let totals = [None, None, None]
        .into_iter()
        .chain(record_cells(&sums.values()).into_iter().map(|c| match c {
            Cell::Number(n) => Some(n),
            Cell::Text(_) => None,
        }))
        .collect();
    Ok(Some(super::Shown {
        rows,
        total_rows: u32::try_from(count).unwrap_or(u32::MAX),
        page: u32::try_from(page).unwrap_or(0),
        totals,
    }))
}

/// The database's key for R308's column `column` (3–15: 1回目 by group, 小計, 2回目 the same,
/// 総計); none for the columns of names.
fn figure_key(column: u16) -> Option<FigureKey> {
    let column = usize::from(column);
    match column {
        3..=7 => Some(FigureKey::Cell(cell(Dose::First, SEED_GROUPS[column - 3]))),
        8 => Some(FigureKey::FirstDoses),
        9..=13 => Some(FigureKey::Cell(cell(Dose::Second, SEED_GROUPS[column - 9]))),
        14 => Some(FigureKey::SecondDoses),
        15 => Some(FigureKey::Total),
        _ => None,
    }
}

/// 接種実績の推移: one row per day from the area's first 接種日 to its last (inside the period),
/// with the day's doses and the running sums since the first day.
pub(super) async fn trend_rows(
    conn: &mut AnyConnection,
    region: &Region,
    filter: &CheckedFilter,
) -> Result<Vec<ReportRow>, AppError> {
    let vaccine = filter.vaccine.as_deref();
    let days = match region.site {
        Some(site) => site_days(
            db::site_cumulatives(conn, site, vaccine)
                .await
                .or_internal("load site cumulatives")?,
        ),
        None => db::daily_doses(conn, region, vaccine)
            .await
            .or_internal("load daily doses")?
            .into_iter()
            .filter_map(|d| Some((d.administered_on.parse().ok()?, (d.d1, d.d2))))
            .collect(),
    };
    Ok(trend(&days, filter))
}

/// A site's doses per day, every vaccine together: each registration less the one before it.
fn site_days(cumulatives: Vec<(String, db::DayDoses)>) -> BTreeMap<NaiveDate, (i64, i64)> {
    let mut days: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    let mut previous: Option<(String, i64, i64)> = None;
    for (vaccine, day) in cumulatives {
        let (before_d1, before_d2) = match &previous {
            Some((v, d1, d2)) if *v == vaccine => (*d1, *d2),
            _ => (0, 0),
        };
        if let Ok(date) = day.administered_on.parse() {
            let sum = days.entry(date).or_default();
            sum.0 += day.d1 - before_d1;
            sum.1 += day.d2 - before_d2;
        }
        previous = Some((vaccine, day.d1, day.d2));
    }
    days
}

/// The rows of 接種実績の推移 from the doses of each 接種日: every day from the first to the
/// last (a day without registrations shows 0), those in the filter's period kept, the running
/// sums counted from the very first day.
fn trend(days: &BTreeMap<NaiveDate, (i64, i64)>, filter: &CheckedFilter) -> Vec<ReportRow> {
    let (Some(first), Some(last)) = (days.keys().next(), days.keys().next_back()) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let (mut sum_d1, mut sum_d2) = (0, 0);
    for date in first.iter_days().take_while(|d| d <= last) {
        let (d1, d2) = days.get(&date).copied().unwrap_or_default();
        sum_d1 += d1;
        sum_d2 += d2;
        if !filter.covers(date) {
            continue;
        }
        rows.push(ReportRow::of(
            date.to_string(),
            [date.to_string()],
            [d1, d2, d1 + d2, sum_d1, sum_d2, sum_d1 + sum_d2],
        ));
    }
    rows
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
