//! 単価マスタ: the unit prices, each applying from a vaccination date on.

use crate::error::{FieldError, FieldErrors};
use crate::text::clean;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
