//! 納入予定日 and 納入: the delivery date's rule, where a delivery stands, and the lots of one
//! delivery as the supplier enters them.

use super::{parse_past_date, parse_vials, CoolWindow};
use crate::domain::form_fields::Label;
use crate::domain::{parse_date, parse_lot_number};
use crate::error::{FieldError, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 納入予定日: a date inside the cool's delivery weeks.
pub fn parse_delivery_date(input: &str, window: &CoolWindow) -> Result<NaiveDate, FieldError> {
    let day = parse_date(input)?;
    if day < window.delivery_from || day > window.delivery_until {
        return Err(FieldError::OutsideDeliveryWeeks {
            from: window.delivery_from.to_string(),
            until: window.delivery_until.to_string(),
        });
    }
    Ok(day)
}

/// Where one site's delivery of one cool stands (納入予定日登録進捗, 納入状況).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeliveryStatus {
    /// 未登録: no 納入予定日 yet.
    Unscheduled,
    /// 納入予定日登録済
    Scheduled,
    /// 一部納入: some lots delivered, vials still outstanding.
    Partial,
    /// 納入済: every vial allocated delivered, not all confirmed by the site.
    Delivered,
    /// 受領済: delivered in full and every delivery confirmed.
    Received,
}

impl DeliveryStatus {
    /// The status from what was entered: whether a date is set, and the vials allocated,
    /// delivered and confirmed.
    pub fn of(scheduled: bool, allocated: u64, delivered: u64, received: u64) -> Self {
        if delivered >= allocated && delivered > 0 {
            if received >= delivered {
                Self::Received
            } else {
                Self::Delivered
            }
        } else if delivered > 0 {
            Self::Partial
        } else if scheduled {
            Self::Scheduled
        } else {
            Self::Unscheduled
        }
    }

    /// How the status reads.
    pub fn label(self) -> Label {
        match self {
            Self::Unscheduled => Label::new("未登録", "No date"),
            Self::Scheduled => Label::new("納入予定日登録済", "Date set"),
            Self::Partial => Label::new("一部納入", "Partly delivered"),
            Self::Delivered => Label::new("納入済", "Delivered"),
            Self::Received => Label::new("受領済", "Received"),
        }
    }
}

/// One lot of a delivery, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotLineForm {
    /// ロット番号
    pub lot_number: String,
    /// バイアル本数
    pub vials: String,
}

/// 納入の登録, as typed: the day and one line per lot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentForm {
    /// 納入日
    pub delivered_on: String,
    /// The lots (empty lines are skipped).
    pub lines: Vec<LotLineForm>,
}

/// A lot a delivery may name: its number, id and expiry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownLot {
    /// The lot's id.
    pub id: i64,
    /// ロット番号
    pub lot_number: String,
    /// 有効期限
    pub expires_on: NaiveDate,
}

/// A delivery, checked: the day and (lot id, vials) per lot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewShipment {
    /// 納入日
    pub delivered_on: NaiveDate,
    /// (lot id, vials), one per lot.
    pub lots: Vec<(i64, u32)>,
}

impl ShipmentForm {
    /// The key of a line's field in the form's errors (`lines.0.vials`).
    pub fn line_key(index: usize, field: &str) -> String {
        format!("lines.{index}.{field}")
    }

    /// Checks the delivery: a date not after `today`; each line a lot of the cool's vaccine
    /// (`lots`), not past its expiry today, named once; and the vials together
    /// no more than `outstanding`.
    pub fn validate(
        &self,
        lots: &[KnownLot],
        outstanding: u64,
        today: NaiveDate,
    ) -> Result<NewShipment, FieldErrors> {
        let mut errors = FieldErrors::new();
        let delivered_on = parse_past_date(&self.delivered_on, today)
            .map_err(|e| errors.add("delivered_on", e))
            .ok();
        let mut out = Vec::new();
        let mut total = 0u64;
        let mut filled = 0;
        for (index, line) in self.lines.iter().enumerate() {
            if line.lot_number.trim().is_empty() && line.vials.trim().is_empty() {
                continue;
            }
            filled += 1;
            let lot = parse_lot_number(&line.lot_number).and_then(|number| {
                lots.iter()
                    .find(|l| l.lot_number == number)
                    .ok_or(FieldError::UnknownLot)
            });
            // Expired today means expired on any day it could be said to arrive (never later
            // than today): a backdated delivery cannot put expired vials into a site's stock.
            let lot = match lot {
                Ok(lot) if lot.expires_on < today => Err(FieldError::LotExpired {
                    expired_on: lot.expires_on.to_string(),
                }),
                Ok(lot) if out.iter().any(|(id, _)| *id == lot.id) => Err(FieldError::DuplicateLot),
                lot => lot,
            };
            let lot = lot
                .map_err(|e| errors.add(&Self::line_key(index, "lot_number"), e))
                .ok();
            let vials = parse_vials(&line.vials)
                .map_err(|e| errors.add(&Self::line_key(index, "vials"), e))
                .ok();
            if let (Some(lot), Some(vials)) = (lot, vials) {
                total += u64::from(vials);
                out.push((lot.id, vials));
            }
        }
        if filled == 0 {
            errors.add(&Self::line_key(0, "lot_number"), FieldError::Required);
        }
        if total > outstanding {
            let last = self
                .lines
                .iter()
                .rposition(|l| !l.vials.trim().is_empty())
                .unwrap_or(0);
            errors.add(
                &Self::line_key(last, "vials"),
                FieldError::OverDelivered {
                    outstanding: u32::try_from(outstanding).unwrap_or(u32::MAX),
                },
            );
        }
        match delivered_on {
            Some(delivered_on) if errors.is_empty() => Ok(NewShipment {
                delivered_on,
                lots: out,
            }),
            _ => Err(errors),
        }
    }
}
