//! The bill's lines as typed and checked, their counts and amounts, the invoices they make, and
//! the check against 接種実績.

use super::{BillPart, CodeChoice, CodeSide, UnitPrices};
use crate::domain::Choice as _;
use crate::error::{FieldError, FieldErrors};
use crate::text::clean;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest count one line takes (a mass vaccination site's month is well below it).
pub const MAX_COUNT: u32 = 1_000_000;

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
