//! 請求: every month by the 10th, a site bills the previous month's vaccinations, one
//! 市区町村別請求書 per municipality of the vaccinated people's residence and one 請求総括書
//! summing them (seed 001: 毎月10日までにやること). Several vaccines go on one bill at one price.
//!
//! The month is cut into parts where something on the bill changes: the site's code-change day
//! (接種した日が、コード変更日より前であれば旧コード、変更日以降であれば、新コード) and the day a new
//! unit price applies from. The site enters its counts per part, and each part is priced and
//! coded by its own days. Amounts are integer yen throughout.

mod lines;
mod month;
mod prices;
mod words;

pub use lines::*;
pub use month::*;
pub use prices::*;
pub use words::yen_in_words;

use crate::domain::form_fields::{Choice, Label};
use crate::error::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests;
