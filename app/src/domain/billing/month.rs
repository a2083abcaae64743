//! The month billed, its deadline (the 10th of the next month, 23:59:59 JST) and the batch a
//! bill goes into when it is submitted.

use crate::domain::{jst, jst_date};
use crate::error::FieldError;
use crate::text::clean;
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};

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
        Self::of(jst_date(now)).previous()
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

/// The month's batch a bill submitted at `at` goes into, and whether it is late: by the 10th
/// 23:59:59 JST it goes into the month after the vaccinations; after that, into the month after
/// the one it was submitted in when past that month's 10th (万一遅れた場合、次月に提出).
pub fn batch_of(month: BillingMonth, at: DateTime<Utc>) -> (BillingMonth, bool) {
    if at <= month.due_by() {
        return (month.next(), false);
    }
    let day = jst_date(at);
    let submitted_in = BillingMonth::of(day);
    let batch = if day.day() <= DUE_DAY {
        submitted_in
    } else {
        submitted_in.next()
    };
    (batch.max(month.next().next()), true)
}
