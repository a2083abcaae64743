//! What the bill's page and the lists show: a bill with its parts and lines as the editor takes
//! them, and each role's view of a month's bills.

use super::{basis, WRITERS};
use crate::db::billing as db;
use crate::service::{Caller, OrInternal};
use app::api::{AddressedBill, AreaBillTotal, BillRow, BillView, BillsOverview, Choice, SiteRef};
use app::domain::billing::{
    BillCounts, BillForm, BillStatus, BillingMonth, CodeSide, LineForm, PartForm,
};
use app::domain::{jst_date, jst_minute, Choice as _, Role};
use app::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// 1回目 and 2回目 the site recorded in 接種実績 in `month`: the cumulatives at its end less
/// those at the end of the month before.
pub(super) async fn recorded(
    conn: &mut AnyConnection,
    site_id: i64,
    month: BillingMonth,
) -> Result<(i64, i64), AppError> {
    let end = db::recorded_by(conn, site_id, month.last_day())
        .await
        .or_internal("load records")?;
    let before = db::recorded_by(conn, site_id, month.previous().last_day())
        .await
        .or_internal("load records")?;
    Ok((end.0 - before.0, end.1 - before.1))
}

pub(super) async fn bill_view(
    conn: &mut AnyConnection,
    caller: &Caller,
    site_id: i64,
    month: BillingMonth,
    now: DateTime<Utc>,
) -> Result<BillView, AppError> {
    let basis = basis(conn, site_id, month).await?;
    let stored_lines = match &basis.stored {
        Some(b) => db::lines(conn, b.id).await.or_internal("load lines")?,
        None => Vec::new(),
    };
    let mut form = BillForm::empty(&basis.parts);
    let mut residences: Vec<Choice> = Vec::new();
    for line in &stored_lines {
        // A line goes to the part whose days hold its part's first day (the month may have been
        // cut anew since a draft was saved, when a new code was approved).
        let part = basis
            .parts
            .iter()
            .rposition(|p| p.from <= line.part_from)
            .unwrap_or(0);
        let counts = line.counts();
        let text = |n: u32| if n == 0 { String::new() } else { n.to_string() };
        if let Some(part) = form.parts.get_mut(part) {
            push_line(part, line.residence_code.clone(), counts, text);
        }
        if !residences.iter().any(|c| c.value == line.residence_code) {
            residences.push(Choice {
                value: line.residence_code.clone(),
                label: line.residence_name.clone(),
            });
        }
    }
    let today = jst_date(now);
    let status = basis.stored.as_ref().map(|b| b.status).unwrap_or_default();
    if let Some(b) = &basis.stored {
        form.code_choice = b.code_choice.as_str().to_string();
        form.difference_acknowledged = b.difference_acknowledged;
    }
    let stored = basis.stored;
    Ok(BillView {
        site: basis.site,
        site_municipality: basis.site_municipality,
        month,
        due_on: month.due_on().to_string(),
        days_left: (month.due_on() - today).num_days(),
        month_over: today > month.last_day(),
        bill_id: stored.as_ref().map(|b| b.id),
        status,
        codes: basis.codes,
        parts: basis.parts,
        form,
        residences,
        recorded: recorded(conn, site_id, month).await?,
        submitted_at: stored.as_ref().and_then(|b| b.submitted_at.map(jst_minute)),
        batch_month: stored.as_ref().and_then(|b| b.batch_month.clone()),
        late: stored.as_ref().is_some_and(|b| b.late),
        return_comment: stored
            .as_ref()
            .map(|b| b.return_comment.clone())
            .unwrap_or_default(),
        returned_by: stored.as_ref().and_then(|b| b.returned_by_name.clone()),
        may_edit: WRITERS.contains(&caller.role) && status.editable(),
    })
}

fn push_line(
    part: &mut PartForm,
    residence: String,
    counts: BillCounts,
    text: impl Fn(u32) -> String,
) {
    part.lines.push(LineForm {
        residence,
        first: text(counts.first),
        second: text(counts.second),
        screening_only: text(counts.screening_only),
        after_hours: text(counts.after_hours),
        holiday: text(counts.holiday),
    });
}

/// A bill in a list; `month` names the month of a site that has not started one.
fn bill_row(b: db::BillSummary, month: BillingMonth) -> Result<BillRow, AppError> {
    let status = b
        .status
        .as_deref()
        .map(BillStatus::parse)
        .transpose()
        .or_internal("stored bill status")?;
    Ok(BillRow {
        site: SiteRef {
            id: b.site_id,
            name: b.site_name,
        },
        month: b.month.unwrap_or_else(|| month.to_string()),
        status,
        submitted_at: b.submitted_at.map(jst_minute),
        batch_month: b.batch_month,
        late: b.late == Some(1),
        amount: b.amount,
    })
}

fn addressed_row(r: db::AddressedRecord) -> Result<AddressedBill, AppError> {
    let side = match r.code_side.as_str() {
        "new" => CodeSide::New,
        "old" => CodeSide::Old,
        other => {
            tracing::error!(side = other, "unknown stored code side");
            return Err(AppError::Internal);
        }
    };
    let codes = match side {
        CodeSide::Old => (r.insurance_code, r.care_code),
        CodeSide::New => (r.insurance_code_new, r.care_code_new),
    };
    Ok(AddressedBill {
        bill_id: r.bill_id,
        site: SiteRef {
            id: r.site_id,
            name: r.site_name,
        },
        site_municipality: r.site_municipality,
        status: BillStatus::parse(&r.status).or_internal("stored bill status")?,
        codes,
        batch_month: r.batch_month,
        late: r.late,
        counts: [
            r.first_doses,
            r.second_doses,
            r.screening_only,
            r.after_hours,
            r.holiday,
        ],
        amount: r.amount,
    })
}

/// 請求 for `month` as the caller's role sees it.
pub(super) async fn overview(
    conn: &mut AnyConnection,
    caller: &Caller,
    month: BillingMonth,
) -> Result<BillsOverview, AppError> {
    let mut found = BillsOverview {
        month,
        due_on: month.due_on().to_string(),
        bills: Vec::new(),
        addressed: Vec::new(),
        totals: Vec::new(),
    };
    let user = &caller.user;
    match caller.role {
        Role::Site => {
            let site_id = user.site_id.ok_or(AppError::Forbidden)?;
            for b in db::site_bills(conn, site_id)
                .await
                .or_internal("load bills")?
            {
                found.bills.push(bill_row(b, month)?);
            }
        }
        Role::Municipality => {
            let code = user
                .municipality_code
                .as_deref()
                .ok_or(AppError::Forbidden)?;
            for b in db::municipality_bills(conn, code, month)
                .await
                .or_internal("load bills")?
            {
                found.bills.push(bill_row(b, month)?);
            }
            for r in db::addressed_bills(conn, code, month)
                .await
                .or_internal("load addressed bills")?
            {
                found.addressed.push(addressed_row(r)?);
            }
        }
        Role::Prefecture | Role::National | Role::Admin => {
            let prefecture = match caller.role {
                Role::Prefecture => Some(user.prefecture_code.ok_or(AppError::Forbidden)?),
                _ => None,
            };
            found.totals = db::area_totals(conn, prefecture, month)
                .await
                .or_internal("load totals")?
                .into_iter()
                .map(|t| AreaBillTotal {
                    code: t.municipality_code,
                    name: t.municipality_name,
                    sites: t.sites,
                    submitted: t.submitted,
                    late: t.late,
                    amount: t.amount,
                })
                .collect();
        }
        Role::Supplier => return Err(AppError::Forbidden),
    }
    Ok(found)
}
