//! 請求: every month by the 10th, a site bills the previous month's vaccinations, one
//! 市区町村別請求書 per municipality of the vaccinated people's residence and one 請求総括書
//! summing them (seed 001: 毎月10日までにやること). Several vaccines go on one bill at one price.
//!
//! The month is cut into parts where something on the bill changes: the site's code-change day
//! (接種した日が、コード変更日より前であれば旧コード、変更日以降であれば、新コード) and the day a new
//! unit price applies from. The site enters its counts per part, and each part is priced and
//! coded by its own days. Amounts are integer yen throughout.

mod words;

pub use words::yen_in_words;

use crate::domain::form_fields::{Choice, Label};
use crate::domain::jst;
use crate::error::{FieldError, FieldErrors};
use crate::text::clean;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest count one line takes (a mass vaccination site's month is well below it).
pub const MAX_COUNT: u32 = 1_000_000;

/// The day of the following month by which a bill is due (毎月10日まで).
pub const DUE_DAY: u32 = 10;

/// A calendar month of vaccinations, written `2026-11`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BillingMonth {
    year: i32,
    month: u32,
}

impl BillingMonth {
    /// Parses `2026-11` (or `2026/11`, full-width digits).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = clean(input).replace('/', "-");
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        let (year, month) = value.split_once('-').ok_or(FieldError::MonthFormat)?;
        let digits = |text: &str, len: std::ops::RangeInclusive<usize>| {
            (len.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<u32>().ok())
                .flatten()
        };
        match (digits(year, 4..=4), digits(month, 1..=2)) {
            (Some(year), Some(month)) if (1..=12).contains(&month) && year >= 2000 => Ok(Self {
                year: year as i32,
                month,
            }),
            _ => Err(FieldError::MonthFormat),
        }
    }

    /// The month `day` lies in.
    pub fn of(day: NaiveDate) -> Self {
        Self {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month ホーム bills at `now`: the one before the current JST month.
    pub fn billed_at(now: DateTime<Utc>) -> Self {
        Self::of(jst_date_of(now)).previous()
    }

    /// The month after.
    pub fn next(self) -> Self {
        match self.month {
            12 => Self {
                year: self.year + 1,
                month: 1,
            },
            m => Self {
                year: self.year,
                month: m + 1,
            },
        }
    }

    /// The month before.
    pub fn previous(self) -> Self {
        match self.month {
            1 => Self {
                year: self.year - 1,
                month: 12,
            },
            m => Self {
                year: self.year,
                month: m - 1,
            },
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_default()
    }

    /// The day the bill is due: the 10th of the following month.
    pub fn due_on(self) -> NaiveDate {
        let next = self.next();
        NaiveDate::from_ymd_opt(next.year, next.month, DUE_DAY).unwrap_or_default()
    }

    /// The last moment a bill for this month is on time: the due day's 23:59:59 JST (the moment
    /// before the 11th begins in Japan).
    pub fn due_by(self) -> DateTime<Utc> {
        let eleventh = self.due_on().succ_opt().unwrap_or_default();
        let start = jst()
            .from_local_datetime(&eleventh.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_default();
        start - TimeDelta::seconds(1)
    }

    /// `2026年11月`.
    pub fn japanese(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl std::fmt::Display for BillingMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for BillingMonth {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<BillingMonth> for String {
    fn from(value: BillingMonth) -> String {
        value.to_string()
    }
}

fn jst_date_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&jst()).date_naive()
}

/// The month's batch a bill submitted at `at` goes into, and whether it is late: by the 10th
/// 23:59:59 JST it goes into the month after the vaccinations; after that, into the month after
/// the one it was submitted in when past that month's 10th (万一遅れた場合、次月に提出).
pub fn batch_of(month: BillingMonth, at: DateTime<Utc>) -> (BillingMonth, bool) {
    if at <= month.due_by() {
        return (month.next(), false);
    }
    let day = jst_date_of(at);
    let submitted_in = BillingMonth::of(day);
    let batch = if day.day() <= DUE_DAY {
        submitted_in
    } else {
        submitted_in.next()
    };
    (batch.max(month.next().next()), true)
}

/// Which code a bill's part carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CodeSide {
    /// 旧コード (or the only one, for a site whose code never changed).
    Old,
    /// 新コード, from the code-change day.
    New,
}

impl CodeSide {
    /// `旧コード` / `新コード`.
    pub fn label(self) -> Label {
        match self {
            Self::Old => Label::new("旧コード", "Old code"),
            Self::New => Label::new("新コード", "New code"),
        }
    }
}

/// How the bill's codes are chosen (請求総括書の作成時に、新 or 旧コードを選択可能).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeChoice {
    /// By the vaccination date: before the change day the old code, from it the new.
    #[default]
    ByDate,
    /// The old code for the whole month.
    Old,
    /// The new code for the whole month.
    New,
}

impl Choice for CodeChoice {
    const ALL: &'static [Self] = &[Self::ByDate, Self::Old, Self::New];

    fn as_str(self) -> &'static str {
        match self {
            Self::ByDate => "by_date",
            Self::Old => "old",
            Self::New => "new",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::ByDate => Label::new(
                "接種日で選ぶ（変更日より前は旧コード、変更日以降は新コード）",
                "By vaccination date (old code before the change day, new code from it)",
            ),
            Self::Old => Label::new("すべて旧コード", "Old code for the whole month"),
            Self::New => Label::new("すべて新コード", "New code for the whole month"),
        }
    }
}

impl CodeChoice {
    /// Parses a stored or sent name.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::from_name(value)
    }
}

choice_from_string!(CodeChoice, BillStatus);

/// Where a bill is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BillStatus {
    /// Being prepared (saved, not submitted), or not started.
    #[default]
    Draft,
    /// 提出済: locked.
    Submitted,
    /// 差戻し: a municipality of residence returned it; the site corrects and resubmits.
    Returned,
}

impl Choice for BillStatus {
    const ALL: &'static [Self] = &[Self::Draft, Self::Submitted, Self::Returned];

    fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Returned => "returned",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Draft => Label::new("作成中", "Draft"),
            Self::Submitted => Label::new("提出済", "Submitted"),
            Self::Returned => Label::new("差戻し", "Returned"),
        }
    }
}

impl BillStatus {
    /// Parses a stored name.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::from_name(value)
    }

    /// Whether the site may still change it.
    pub fn editable(self) -> bool {
        self != Self::Submitted
    }
}

/// The unit prices in force from a day on (tax excluded, yen).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPrices {
    /// The first vaccination date they apply to.
    pub applies_from: NaiveDate,
    /// 接種 (1回目 or 2回目).
    pub vaccination: i64,
    /// 予診のみ.
    pub screening_only: i64,
    /// 時間外加算.
    pub after_hours: i64,
    /// 休日加算.
    pub holiday: i64,
}

/// The unit prices as typed by a national user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceForm {
    /// 適用開始日.
    pub applies_from: String,
    /// 接種.
    pub vaccination: String,
    /// 予診のみ.
    pub screening_only: String,
    /// 時間外加算.
    pub after_hours: String,
    /// 休日加算.
    pub holiday: String,
}

/// The largest unit price taken (yen).
pub const MAX_PRICE: u32 = 100_000;

impl PriceForm {
    /// Checks the prices: each a whole number of yen, applying from `today` or later (a bill
    /// already submitted is for a month that is over, so it keeps the prices it was priced at).
    pub fn validate(&self, today: NaiveDate) -> Result<UnitPrices, FieldErrors> {
        let mut errors = FieldErrors::new();
        let applies_from = errors.check(
            "applies_from",
            crate::domain::parse_date(&self.applies_from).and_then(|d| {
                if d < today {
                    Err(FieldError::DateInPast)
                } else {
                    Ok(d)
                }
            }),
        );
        let mut yen = |field: &str, value: &str| {
            let value = clean(value);
            let value = value.trim_end_matches('円').replace(',', "");
            errors.check(
                field,
                crate::domain::Count::parse(&value, MAX_PRICE).map(|c| i64::from(c.get())),
            )
        };
        let vaccination = yen("vaccination", &self.vaccination);
        let screening_only = yen("screening_only", &self.screening_only);
        let after_hours = yen("after_hours", &self.after_hours);
        let holiday = yen("holiday", &self.holiday);
        match (
            applies_from,
            vaccination,
            screening_only,
            after_hours,
            holiday,
        ) {
            (
                Some(applies_from),
                Some(vaccination),
                Some(screening_only),
                Some(after_hours),
                Some(holiday),
            ) if errors.is_empty() => Ok(UnitPrices {
                applies_from,
                vaccination,
                screening_only,
                after_hours,
                holiday,
            }),
            _ => Err(errors),
        }
    }
}

/// The prices in force on `day`: the latest applying from it or before (`prices` in any order).
pub fn prices_on(prices: &[UnitPrices], day: NaiveDate) -> Option<UnitPrices> {
    prices
        .iter()
        .filter(|p| p.applies_from <= day)
        .max_by_key(|p| p.applies_from)
        .copied()
}

/// One part of a month: days that share a code and unit prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillPart {
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub until: NaiveDate,
    /// The code by the vaccination date (before any choice of the site).
    pub dated_code: CodeSide,
    /// The prices in force on its days.
    pub prices: UnitPrices,
}

impl BillPart {
    /// The code the part is billed under, by the site's choice.
    pub fn code(&self, choice: CodeChoice) -> CodeSide {
        match choice {
            CodeChoice::ByDate => self.dated_code,
            CodeChoice::Old => CodeSide::Old,
            CodeChoice::New => CodeSide::New,
        }
    }
}

/// The month cut where the code changes (`change_day`, the approved 変更日, when it has one) and
/// where a new price applies. Days before the first price form no part: there is nothing to bill
/// them at.
pub fn parts_of(
    month: BillingMonth,
    change_day: Option<NaiveDate>,
    prices: &[UnitPrices],
) -> Vec<BillPart> {
    let (first, last) = (month.first_day(), month.last_day());
    let mut cuts: Vec<NaiveDate> = vec![first];
    cuts.extend(change_day.filter(|d| *d > first && *d <= last));
    cuts.extend(
        prices
            .iter()
            .map(|p| p.applies_from)
            .filter(|d| *d > first && *d <= last),
    );
    cuts.sort();
    cuts.dedup();
    let mut parts = Vec::with_capacity(cuts.len());
    for (i, from) in cuts.iter().enumerate() {
        let until = cuts
            .get(i + 1)
            .and_then(|next| next.pred_opt())
            .unwrap_or(last);
        let Some(prices) = prices_on(prices, *from) else {
            continue;
        };
        let dated_code = match change_day {
            Some(day) if *from >= day => CodeSide::New,
            _ => CodeSide::Old,
        };
        parts.push(BillPart {
            from: *from,
            until,
            dated_code,
            prices,
        });
    }
    parts
}

/// The counts of one municipality of residence in one part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillCounts {
    /// 1回目.
    pub first: u32,
    /// 2回目.
    pub second: u32,
    /// 予診のみ.
    pub screening_only: u32,
    /// Of all those, 時間外.
    pub after_hours: u32,
    /// Of all those, 休日.
    pub holiday: u32,
}

impl BillCounts {
    /// Every visit: 1回目, 2回目 and 予診のみ.
    pub fn visits(&self) -> u32 {
        self.first + self.second + self.screening_only
    }

    /// The sum of two counts.
    pub fn plus(self, other: Self) -> Self {
        Self {
            first: self.first + other.first,
            second: self.second + other.second,
            screening_only: self.screening_only + other.screening_only,
            after_hours: self.after_hours + other.after_hours,
            holiday: self.holiday + other.holiday,
        }
    }

    /// What they come to at `prices`.
    pub fn amounts(&self, prices: &UnitPrices) -> Amounts {
        Amounts {
            vaccination: i64::from(self.first + self.second) * prices.vaccination,
            screening_only: i64::from(self.screening_only) * prices.screening_only,
            after_hours: i64::from(self.after_hours) * prices.after_hours,
            holiday: i64::from(self.holiday) * prices.holiday,
        }
    }
}

/// A bill's amounts by kind, integer yen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    /// 接種.
    pub vaccination: i64,
    /// 予診のみ.
    pub screening_only: i64,
    /// 時間外加算.
    pub after_hours: i64,
    /// 休日加算.
    pub holiday: i64,
}

impl Amounts {
    /// 合計.
    pub fn total(&self) -> i64 {
        self.vaccination + self.screening_only + self.after_hours + self.holiday
    }

    /// The sum of two.
    pub fn plus(self, other: Self) -> Self {
        Self {
            vaccination: self.vaccination + other.vaccination,
            screening_only: self.screening_only + other.screening_only,
            after_hours: self.after_hours + other.after_hours,
            holiday: self.holiday + other.holiday,
        }
    }
}

/// One line of the form: a municipality of residence and its counts, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineForm {
    /// The municipality's code (住所地).
    pub residence: String,
    /// 1回目.
    pub first: String,
    /// 2回目.
    pub second: String,
    /// 予診のみ.
    pub screening_only: String,
    /// 時間外 (of the above).
    pub after_hours: String,
    /// 休日 (of the above).
    pub holiday: String,
}

/// The lines of one part, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartForm {
    /// The part's first day (YYYY-MM-DD), as the server cut the month.
    pub from: String,
    /// One line per municipality of residence.
    pub lines: Vec<LineForm>,
}

/// The bill as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillForm {
    /// The code choice's stored name.
    pub code_choice: String,
    /// One per part of the month.
    pub parts: Vec<PartForm>,
    /// 差異を確認しました: the site saw that the doses billed differ from those recorded.
    pub difference_acknowledged: bool,
}

/// A checked line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedLine {
    /// The municipality of residence.
    pub residence: String,
    /// Its counts.
    pub counts: BillCounts,
}

/// A checked bill: the code choice and, per part, its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedBill {
    /// How the codes are chosen.
    pub code_choice: CodeChoice,
    /// The lines of each part, in the parts' order.
    pub parts: Vec<Vec<CheckedLine>>,
}

/// A count typed into the bill: blank is 0.
pub fn parse_bill_count(input: &str) -> Result<u32, FieldError> {
    let value = clean(input);
    let value = value.trim_end_matches(['人', '件']).trim();
    if value.is_empty() {
        return Ok(0);
    }
    if !value.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::CountFormat);
    }
    match value.parse::<u64>() {
        Ok(n) if n <= u64::from(MAX_COUNT) => Ok(n as u32),
        _ => Err(FieldError::TooLarge { max: MAX_COUNT }),
    }
}

impl LineForm {
    /// Checks the line: a known municipality (`known`), counts, and 時間外 plus 休日 no more
    /// than the visits they are part of. Errors go under `prefix` (`parts.0.lines.1`).
    fn validate(
        &self,
        prefix: &str,
        known: &impl Fn(&str) -> bool,
        errors: &mut FieldErrors,
    ) -> Option<CheckedLine> {
        let residence = clean(&self.residence);
        let residence = match residence.as_str() {
            "" => Err(FieldError::Required),
            code if known(code) => Ok(code.to_string()),
            _ => Err(FieldError::InvalidChoice),
        };
        let residence = errors.check(&format!("{prefix}.residence"), residence);
        let mut count = |name: &str, value: &str| {
            errors.check(&format!("{prefix}.{name}"), parse_bill_count(value))
        };
        let first = count("first", &self.first);
        let second = count("second", &self.second);
        let screening_only = count("screening_only", &self.screening_only);
        let after_hours = count("after_hours", &self.after_hours);
        let holiday = count("holiday", &self.holiday);
        let counts = BillCounts {
            first: first?,
            second: second?,
            screening_only: screening_only?,
            after_hours: after_hours?,
            holiday: holiday?,
        };
        if counts.after_hours + counts.holiday > counts.visits() {
            let visits = counts.visits();
            errors.add(
                &format!("{prefix}.after_hours"),
                FieldError::ExtrasExceedVisits { visits },
            );
            return None;
        }
        Some(CheckedLine {
            residence: residence?,
            counts,
        })
    }
}

impl BillForm {
    /// The form of a bill not yet started: one empty part per part of the month, by date.
    pub fn empty(parts: &[BillPart]) -> Self {
        Self {
            code_choice: CodeChoice::ByDate.as_str().into(),
            parts: parts
                .iter()
                .map(|p| PartForm {
                    from: p.from.to_string(),
                    lines: Vec::new(),
                })
                .collect(),
            difference_acknowledged: false,
        }
    }

    /// Checks the bill against the month's `parts`: one form part per part, each municipality of
    /// residence (`known` tells the master's codes) at most once a part.
    pub fn validate(
        &self,
        parts: &[BillPart],
        known: impl Fn(&str) -> bool,
    ) -> Result<CheckedBill, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code_choice = errors.check("code_choice", CodeChoice::parse(&self.code_choice));
        let same_parts = self.parts.len() == parts.len()
            && self
                .parts
                .iter()
                .zip(parts)
                .all(|(form, part)| form.from == part.from.to_string());
        if !same_parts {
            errors.add("parts", FieldError::InvalidChoice);
            return Err(errors);
        }
        let mut checked = Vec::with_capacity(parts.len());
        for (p, part) in self.parts.iter().enumerate() {
            let mut lines = Vec::with_capacity(part.lines.len());
            let mut seen = BTreeMap::new();
            for (i, line) in part.lines.iter().enumerate() {
                let prefix = format!("parts.{p}.lines.{i}");
                let code = clean(&line.residence);
                if !code.is_empty() && seen.insert(code, i).is_some() {
                    errors.add(&format!("{prefix}.residence"), FieldError::DuplicateLine);
                }
                lines.extend(line.validate(&prefix, &known, &mut errors));
            }
            checked.push(lines);
        }
        match (code_choice, errors.is_empty()) {
            (Some(code_choice), true) => Ok(CheckedBill {
                code_choice,
                parts: checked,
            }),
            _ => Err(errors),
        }
    }
}

impl CheckedBill {
    /// The doses billed: 1回目 and 2回目 over every part and line.
    pub fn doses(&self) -> (u32, u32) {
        self.parts.iter().flatten().fold((0, 0), |(a, b), line| {
            (a + line.counts.first, b + line.counts.second)
        })
    }
}

/// One 市区町村別請求書: a municipality of residence's counts and amounts under one code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalBill {
    /// The municipality of residence.
    pub residence: String,
    /// Its counts over the code's parts.
    pub counts: BillCounts,
    /// Its amounts, each part at its own prices.
    pub amounts: Amounts,
}

/// One 請求総括書: the 市区町村別請求書 billed under one code, and their sum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// The code it is billed under.
    pub code: CodeSide,
    /// The first and last vaccination day it covers.
    pub from: NaiveDate,
    /// See `from`.
    pub until: NaiveDate,
    /// One per municipality of residence, by code.
    pub municipalities: Vec<MunicipalBill>,
    /// The counts over all of them.
    pub counts: BillCounts,
    /// The amounts over all of them.
    pub amounts: Amounts,
}

/// The bill's 請求総括書 (one per code used, old first), each with its 市区町村別請求書.
pub fn invoices(parts: &[BillPart], bill: &CheckedBill) -> Vec<Invoice> {
    let mut by_code: BTreeMap<CodeSide, Invoice> = BTreeMap::new();
    for (part, lines) in parts.iter().zip(&bill.parts) {
        if lines.is_empty() {
            continue;
        }
        let code = part.code(bill.code_choice);
        let invoice = by_code.entry(code).or_insert_with(|| Invoice {
            code,
            from: part.from,
            until: part.until,
            municipalities: Vec::new(),
            counts: BillCounts::default(),
            amounts: Amounts::default(),
        });
        invoice.from = invoice.from.min(part.from);
        invoice.until = invoice.until.max(part.until);
        for line in lines {
            let amounts = line.counts.amounts(&part.prices);
            invoice.counts = invoice.counts.plus(line.counts);
            invoice.amounts = invoice.amounts.plus(amounts);
            match invoice
                .municipalities
                .iter_mut()
                .find(|m| m.residence == line.residence)
            {
                Some(m) => {
                    m.counts = m.counts.plus(line.counts);
                    m.amounts = m.amounts.plus(amounts);
                }
                None => invoice.municipalities.push(MunicipalBill {
                    residence: line.residence.clone(),
                    counts: line.counts,
                    amounts,
                }),
            }
        }
    }
    let mut invoices: Vec<Invoice> = by_code.into_values().collect();
    for invoice in &mut invoices {
        invoice
            .municipalities
            .sort_by(|a, b| a.residence.cmp(&b.residence));
    }
    invoices
}

/// The doses billed against those recorded in 接種実績 for the month (1回目, 2回目).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoseCheck {
    /// 1回目 and 2回目 on the bill.
    pub billed: (u32, u32),
    /// 1回目 and 2回目 recorded (the month's last cumulative less the previous month's).
    pub recorded: (i64, i64),
}

impl DoseCheck {
    /// True when the bill and the records agree.
    pub fn agrees(&self) -> bool {
        i64::from(self.billed.0) == self.recorded.0 && i64::from(self.billed.1) == self.recorded.1
    }
}

#[cfg(test)]
mod tests;
