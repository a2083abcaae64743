//! 請求: the site (or its municipality, 代理入力) prepares and submits each month's bill; a
//! municipality of residence reads the 市区町村別請求書 addressed to it, from any site in Japan,
//! and may return one (差戻し); prefectures and national users read their area's totals;
//! national users keep the unit prices. Suppliers see nothing of it.

// Bills are read as the site record is (everyone but suppliers, each within their region) and
// written by the same (the site, and its municipality: 代理入力).
use super::site_record::{actor_for, READERS, WRITERS};
mod read;

use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::db::audit::{self, Change};
use crate::db::billing::{self as db, BillHead, BillRecord, NewLine};
use crate::db::{master, site_record};
use app::api::{
    BillCodes, BillView, BillingApi, BillsOverview, HomeBill, MunicipalityOption, SiteRef,
};
use app::domain::billing::{
    batch_of, invoices, parts_of, BillForm, BillPart, BillStatus, BillingMonth, CheckedBill,
    DoseCheck, PriceForm, UnitPrices,
};
use app::domain::{jst_date, parse_date, Choice as _, Role};
use app::error::{AppError, FieldError, RefusalReason};
use chrono::{DateTime, Utc};
use read::{bill_view, overview, recorded};
use sqlx::AnyConnection;
use std::collections::HashSet;

/// Who keeps the unit prices.
const PRICE_KEEPERS: &[Role] = &[Role::National, Role::Admin];

/// The longest return comment taken.
const MAX_COMMENT: usize = 500;

#[async_trait::async_trait]
impl BillingApi for RequestBackend {
    async fn load_bill(&self, site_id: i64, month: String) -> Result<BillView, AppError> {
        let caller = self.authorize(READERS, Scope::Site(site_id)).await?;
        let month = parse_month(&month)?;
        let mut conn = self.conn().await?;
        bill_view(&mut conn, &caller, site_id, month, self.now()).await
    }

    async fn save_bill(
        &self,
        site_id: i64,
        month: String,
        form: BillForm,
    ) -> Result<BillView, AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let month = parse_month(&month)?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        save(&mut tx, &caller, site_id, month, &form, now).await?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        bill_view(&mut conn, &caller, site_id, month, now).await
    }

    async fn submit_bill(
        &self,
        site_id: i64,
        month: String,
        form: BillForm,
    ) -> Result<BillView, AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let month = parse_month(&month)?;
        let now = self.now();
        if jst_date(now) <= month.last_day() {
            return Err(AppError::Refused(RefusalReason::MonthNotOver));
        }
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let (id, bill) = save(&mut tx, &caller, site_id, month, &form, now).await?;
        let check = DoseCheck {
            billed: bill.doses(),
            recorded: recorded(&mut tx, site_id, month).await?,
        };
        if !check.agrees() && !form.difference_acknowledged {
            return Err(AppError::field(
                "difference_acknowledged",
                FieldError::DifferenceNotAcknowledged,
            ));
        }
        let (batch, late) = batch_of(month, now);
        db::submit(&mut tx, id, now, batch, late)
            .await
            .or_internal("submit bill")?;
        let mut value = format!("提出済（{batch}分に計上）");
        if late {
            value.push_str("・期限後提出");
        }
        if !check.agrees() {
            value.push_str(&format!(
                "・接種実績との差異を確認済（請求 {}/{}、実績 {}/{}）",
                check.billed.0, check.billed.1, check.recorded.0, check.recorded.1
            ));
        }
        let change = bill_change(id, "status", None, Some(value));
        audit::record(&mut tx, now, actor_for(&caller, site_id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        bill_view(&mut conn, &caller, site_id, month, now).await
    }

    async fn return_bill(&self, bill_id: i64, comment: String) -> Result<BillsOverview, AppError> {
        let caller = self.require_role(&[Role::Municipality]).await?;
        let municipality = caller.user.municipality_code.clone().unwrap_or_default();
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let (site_id, month) = db::site_and_month(&mut tx, bill_id)
            .await
            .or_internal("load bill")?
            .ok_or(AppError::NotFound)?;
        // Only a municipality the bill is addressed to (a municipality of residence) returns it.
        let addressed = db::addressed_to(&mut tx, bill_id, &municipality)
            .await
            .or_internal("load bill lines")?;
        if !addressed {
            return Err(AppError::NotFound);
        }
        let month = BillingMonth::parse(&month).or_internal("stored month")?;
        let stored = db::bill(&mut tx, site_id, month)
            .await
            .or_internal("load bill")?
            .ok_or(AppError::NotFound)?;
        if stored.status != BillStatus::Submitted {
            return Err(AppError::Refused(RefusalReason::BillNotSubmitted));
        }
        let comment = app::text::clean(&comment);
        if comment.is_empty() {
            return Err(AppError::field("comment", FieldError::Required));
        }
        if comment.chars().count() > MAX_COMMENT {
            return Err(AppError::field(
                "comment",
                FieldError::TooLong { max: MAX_COMMENT },
            ));
        }
        db::return_bill(
            &mut tx,
            bill_id,
            &municipality,
            &comment,
            now,
            caller.user.id,
        )
        .await
        .or_internal("return bill")?;
        let change = bill_change(bill_id, "status", None, Some(format!("差戻し: {comment}")));
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        overview(&mut conn, &caller, month).await
    }

    async fn load_bills(&self, month: String) -> Result<BillsOverview, AppError> {
        let caller = self.require_role(READERS).await?;
        let month = parse_month(&month)?;
        let mut conn = self.conn().await?;
        overview(&mut conn, &caller, month).await
    }

    async fn home_billing(&self) -> Result<HomeBill, AppError> {
        let caller = self.require_role(READERS).await?;
        let now = self.now();
        let month = BillingMonth::billed_at(now);
        let mut conn = self.conn().await?;
        let site = caller.session.acting_for_site_id.or(caller.user.site_id);
        let status = match site {
            Some(site_id) => db::bill(&mut conn, site_id, month)
                .await
                .or_internal("load bill")?
                .map(|b| b.status),
            None => None,
        };
        let not_submitted = match (&caller.user.municipality_code, caller.role, site) {
            (Some(code), Role::Municipality, None) => {
                let bills = db::municipality_bills(&mut conn, code, month)
                    .await
                    .or_internal("load bills")?;
                let submitted = |b: &db::BillSummary| b.status.as_deref() == Some("submitted");
                Some(bills.iter().filter(|b| !submitted(b)).count() as i64)
            }
            _ => None,
        };
        Ok(HomeBill {
            month,
            due_on: month.due_on().to_string(),
            days_left: (month.due_on() - jst_date(now)).num_days(),
            status,
            not_submitted,
        })
    }

    async fn municipality_options(&self) -> Result<Vec<MunicipalityOption>, AppError> {
        self.require_role(READERS).await?;
        let mut conn = self.conn().await?;
        let prefectures = master::prefectures(&mut conn)
            .await
            .or_internal("load prefectures")?;
        let municipalities = master::municipality_names(&mut conn)
            .await
            .or_internal("load municipalities")?;
        Ok(municipalities
            .into_iter()
            .map(|m| {
                let prefecture = prefectures
                    .iter()
                    .find(|p| p.code == m.prefecture_code)
                    .map(|p| p.name.as_str())
                    .unwrap_or_default();
                MunicipalityOption {
                    name: format!("{prefecture}{}", m.name),
                    code: m.code,
                    kana: m.name_kana,
                }
            })
            .collect())
    }

    async fn list_unit_prices(&self) -> Result<Vec<UnitPrices>, AppError> {
        self.require_role(READERS).await?;
        let mut conn = self.conn().await?;
        db::prices(&mut conn).await.or_internal("load prices")
    }

    async fn save_unit_prices(&self, form: PriceForm) -> Result<Vec<UnitPrices>, AppError> {
        let caller = self.require_role(PRICE_KEEPERS).await?;
        let now = self.now();
        let prices = form.validate(jst_date(now)).map_err(AppError::Validation)?;
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        db::save_price(&mut tx, &prices, now, caller.user.id)
            .await
            .or_internal("save price")?;
        let change = Change {
            entity: "unit_prices",
            entity_id: prices.applies_from.to_string(),
            field: "prices",
            old_value: None,
            new_value: Some(format!(
                "接種 {}円 / 予診のみ {}円 / 時間外加算 {}円 / 休日加算 {}円",
                prices.vaccination, prices.screening_only, prices.after_hours, prices.holiday
            )),
        };
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        let mut conn = self.conn().await?;
        db::prices(&mut conn).await.or_internal("load prices")
    }
}

fn parse_month(month: &str) -> Result<BillingMonth, AppError> {
    BillingMonth::parse(month).map_err(|e| AppError::field("month", e))
}

fn bill_change(id: i64, field: &str, old: Option<String>, new: Option<String>) -> Change<'_> {
    Change {
        entity: "bill",
        entity_id: id.to_string(),
        field,
        old_value: old,
        new_value: new,
    }
}

/// What the bill's editor and pages are built on: the site, its codes, the month's parts.
struct Basis {
    site: SiteRef,
    site_municipality: String,
    codes: BillCodes,
    parts: Vec<BillPart>,
    stored: Option<BillRecord>,
}

async fn basis(
    conn: &mut AnyConnection,
    site_id: i64,
    month: BillingMonth,
) -> Result<Basis, AppError> {
    let record = site_record::load(conn, site_id)
        .await
        .or_internal("load site")?
        .ok_or(AppError::NotFound)?;
    let form = record.form(Vec::new()).map_err(|error| {
        tracing::error!(%error, "site record does not decode");
        AppError::Internal
    })?;
    let change_day = form
        .has_new_codes()
        .then(|| parse_date(&form.code_change_date).ok())
        .flatten();
    let stored = db::bill(conn, site_id, month)
        .await
        .or_internal("load bill")?;
    let codes = match &stored {
        Some(b) => BillCodes {
            insurance_code: b.insurance_code.clone(),
            care_code: b.care_code.clone(),
            insurance_code_new: b.insurance_code_new.clone(),
            care_code_new: b.care_code_new.clone(),
            change_date: change_day.map(|d| d.to_string()),
        },
        None => BillCodes {
            insurance_code: form.insurance_code.clone(),
            care_code: form.care_code.clone(),
            insurance_code_new: form.insurance_code_new.clone(),
            care_code_new: form.care_code_new.clone(),
            change_date: change_day.map(|d| d.to_string()),
        },
    };
    let prices = db::prices(conn).await.or_internal("load prices")?;
    Ok(Basis {
        site: SiteRef {
            id: site_id,
            name: record.name.clone(),
        },
        site_municipality: format!("{}{}", record.prefecture_name, record.municipality_name),
        codes,
        parts: parts_of(month, change_day, &prices),
        stored,
    })
}

/// Checks and stores the bill as a draft (its status kept), with the audit of what changed;
/// returns its id and the checked bill.
async fn save(
    conn: &mut AnyConnection,
    caller: &Caller,
    site_id: i64,
    month: BillingMonth,
    form: &BillForm,
    now: DateTime<Utc>,
) -> Result<(i64, CheckedBill), AppError> {
    let basis = basis(conn, site_id, month).await?;
    if basis.stored.as_ref().is_some_and(|b| !b.status.editable()) {
        return Err(AppError::Refused(RefusalReason::BillSubmitted));
    }
    if basis.parts.is_empty() {
        return Err(AppError::Refused(RefusalReason::NoUnitPrice));
    }
    let known: HashSet<String> = master::municipality_names(conn)
        .await
        .or_internal("load municipalities")?
        .into_iter()
        .map(|m| m.code)
        .collect();
    let bill = form
        .validate(&basis.parts, |code| known.contains(code))
        .map_err(AppError::Validation)?;
    let codes = &basis.codes;
    let head = BillHead {
        site_id,
        month,
        code_choice: bill.code_choice,
        codes: [
            &codes.insurance_code,
            &codes.care_code,
            &codes.insurance_code_new,
            &codes.care_code_new,
        ],
        difference_acknowledged: form.difference_acknowledged,
    };
    let id = db::save_head(conn, &head, now, caller.user.id)
        .await
        .or_internal("save bill")?;
    let mut lines = Vec::new();
    for (part, part_lines) in basis.parts.iter().zip(&bill.parts) {
        for line in part_lines {
            lines.push(NewLine {
                part_from: part.from,
                residence: &line.residence,
                code: part.code(bill.code_choice),
                counts: line.counts,
                amount: line.counts.amounts(&part.prices).total(),
            });
        }
    }
    db::replace_lines(conn, id, &lines)
        .await
        .or_internal("save bill lines")?;
    let actor = actor_for(caller, site_id);
    let previous = basis.stored.as_ref().map(|b| b.code_choice);
    if previous.unwrap_or_default() != bill.code_choice {
        // The seed lets the site choose the code against the date rule: the choice is recorded.
        let change = bill_change(
            id,
            "code_choice",
            previous.map(|c| c.label().ja.to_string()),
            Some(bill.code_choice.label().ja.to_string()),
        );
        audit::record(conn, now, actor, change)
            .await
            .or_internal("audit")?;
    }
    let total: i64 = invoices(&basis.parts, &bill)
        .iter()
        .map(|i| i.amounts.total())
        .sum();
    let summary = format!("{month}分 {}行 合計 {total}円", lines.len());
    let change = bill_change(id, "lines", None, Some(summary));
    audit::record(conn, now, actor, change)
        .await
        .or_internal("audit")?;
    Ok((id, bill))
}
