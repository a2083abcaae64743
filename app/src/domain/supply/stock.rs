//! What moves vials between the supplier and the sites, and between sites: 納入予定日, 納入 by
//! lot, 移送・融通, 廃棄 and 棚卸, with the rules both the browser and the server check.

use super::{text, CoolWindow, SupplySection, DATE_PATTERN};
use crate::domain::form_fields::{
    options_of, Choice, Field, Form, Input, Label, Options, TextRule,
};
use crate::domain::{parse_date, parse_lot_number, Count};
use crate::error::{FieldError, FieldErrors};
use crate::text::normalize_width;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The list of the site's lots that hold stock, as the server sends it with a form (value: the
/// lot's id).
pub const STOCK_LOT_LIST: &str = "stock_lots";
/// The list of sites a transfer may go to (value: the site's id).
pub const TRANSFER_TARGET_LIST: &str = "transfer_targets";
/// Most vials one movement may count.
pub const MAX_VIALS: u32 = 10_000_000;

/// A number of vials typed (`12`, `１２`, `12本`), at least 1.
pub fn parse_vials(input: &str) -> Result<u32, FieldError> {
    let value = normalize_width(input);
    let number = Count::parse(value.trim().trim_end_matches('本'), MAX_VIALS)?.get();
    if number == 0 {
        return Err(FieldError::TooSmall { min: 1 });
    }
    Ok(number)
}

/// A day on which something happened: a date, and not after `today` (JST).
pub fn parse_past_date(input: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let day = parse_date(input)?;
    if day > today {
        return Err(FieldError::DateInFuture);
    }
    Ok(day)
}

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

/// Why vials were wasted (廃棄理由).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WasteReason {
    /// 有効期限切れ
    Expired,
    /// 温度管理の逸脱
    Temperature,
    /// 破損・汚染
    Damaged,
    /// 未使用のまま期限切れ
    UnusedExpired,
    /// その他 (with a text).
    Other,
}

impl Choice for WasteReason {
    const ALL: &'static [Self] = &[
        Self::Expired,
        Self::Temperature,
        Self::Damaged,
        Self::UnusedExpired,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::Temperature => "temperature",
            Self::Damaged => "damaged",
            Self::UnusedExpired => "unused_expired",
            Self::Other => "other",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Expired => Label::new("有効期限切れ", "Expired"),
            Self::Temperature => Label::new("温度管理の逸脱", "Temperature excursion"),
            Self::Damaged => Label::new("破損・汚染", "Broken or contaminated"),
            Self::UnusedExpired => Label::new("未使用のまま期限切れ", "Expired unused"),
            Self::Other => Label::new("その他", "Other"),
        }
    }
}

/// 移送・融通の登録, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransferForm {
    /// 移送先: a site's id, from [`TRANSFER_TARGET_LIST`].
    pub to_site: String,
    /// ロット番号: a lot's id, from [`STOCK_LOT_LIST`].
    pub lot: String,
    /// バイアル本数
    pub vials: String,
    /// 日付
    pub sent_on: String,
}

/// A transfer, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewTransfer {
    /// The receiving site.
    pub to_site: i64,
    /// The lot.
    pub lot: i64,
    /// Vials.
    pub vials: u32,
    /// The day sent.
    pub sent_on: NaiveDate,
}

/// The fields of [`TransferForm`], in form order.
pub const TRANSFER_FIELDS: &[Field<TransferForm>] = &[
    text::<TransferForm>(
        "to_site",
        SupplySection::Transfer,
        Label::new("移送先の医療機関", "Receiving site"),
        Input::Select {
            options: Options::Given(TRANSFER_TARGET_LIST),
            blank: true,
        },
        |f| &f.to_site,
        |f| &mut f.to_site,
        TextRule::Chosen,
    )
    .required(),
    text::<TransferForm>(
        "lot",
        SupplySection::Transfer,
        Label::new("ロット番号", "Lot number"),
        Input::Select {
            options: Options::Given(STOCK_LOT_LIST),
            blank: true,
        },
        |f| &f.lot,
        |f| &mut f.lot,
        TextRule::Chosen,
    )
    .required(),
    text::<TransferForm>(
        "vials",
        SupplySection::Transfer,
        Label::new("バイアル本数", "Vials"),
        Input::Numeric,
        |f| &f.vials,
        |f| &mut f.vials,
        TextRule::Parsed(|v| parse_vials(v).map(|n| n.to_string())),
    )
    .required(),
    text::<TransferForm>(
        "sent_on",
        SupplySection::Transfer,
        Label::new("日付", "Date"),
        DATE_PATTERN,
        |f| &f.sent_on,
        |f| &mut f.sent_on,
        TextRule::Parsed(|v| parse_date(v).map(|d| d.to_string())),
    )
    .required(),
];

impl Form for TransferForm {
    type Section = SupplySection;

    fn fields() -> &'static [Field<Self>] {
        TRANSFER_FIELDS
    }
}

/// The options a form offers, by list name: what `check_fields` compares a choice with.
fn offered_from<'a>(lists: &'a [(&'static str, Vec<String>)]) -> impl Fn(&str) -> Vec<String> + 'a {
    move |name| {
        lists
            .iter()
            .find(|(list, _)| *list == name)
            .map(|(_, values)| values.clone())
            .unwrap_or_default()
    }
}

impl TransferForm {
    /// Checks the form against the lots the site holds and the sites it may send to, with
    /// nothing dated after `today`.
    pub fn validate(
        &self,
        lots: &[String],
        targets: &[String],
        today: NaiveDate,
    ) -> Result<NewTransfer, FieldErrors> {
        let lists = [
            (STOCK_LOT_LIST, lots.to_vec()),
            (TRANSFER_TARGET_LIST, targets.to_vec()),
        ];
        let (out, mut errors) = self.check_fields(offered_from(&lists));
        let sent_on = parse_past_date(&out.sent_on, today);
        if let Err(FieldError::DateInFuture) = sent_on {
            errors.add("sent_on", FieldError::DateInFuture);
        }
        match (
            out.to_site.parse(),
            out.lot.parse(),
            parse_vials(&out.vials),
            sent_on,
        ) {
            (Ok(to_site), Ok(lot), Ok(vials), Ok(sent_on)) if errors.is_empty() => {
                Ok(NewTransfer {
                    to_site,
                    lot,
                    vials,
                    sent_on,
                })
            }
            _ => Err(errors),
        }
    }
}

/// 廃棄の登録, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WasteForm {
    /// ロット番号: a lot's id, from [`STOCK_LOT_LIST`].
    pub lot: String,
    /// バイアル本数 (unused vials count whole).
    pub vials: String,
    /// 日付
    pub occurred_on: String,
    /// 廃棄理由: a [`WasteReason`] by name.
    pub reason: String,
    /// 理由（その他）
    pub note: String,
}

/// A waste, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWaste {
    /// The lot.
    pub lot: i64,
    /// Vials.
    pub vials: u32,
    /// The day.
    pub occurred_on: NaiveDate,
    /// Why.
    pub reason: WasteReason,
    /// The text of その他 (empty otherwise).
    pub note: String,
}

fn reason_is_other(form: &WasteForm) -> bool {
    form.reason == WasteReason::Other.as_str()
}

/// The fields of [`WasteForm`], in form order.
pub const WASTE_FIELDS: &[Field<WasteForm>] = &[
    text::<WasteForm>(
        "lot",
        SupplySection::Waste,
        Label::new("ロット番号", "Lot number"),
        Input::Select {
            options: Options::Given(STOCK_LOT_LIST),
            blank: true,
        },
        |f| &f.lot,
        |f| &mut f.lot,
        TextRule::Chosen,
    )
    .required(),
    text::<WasteForm>(
        "vials",
        SupplySection::Waste,
        Label::new("廃棄バイアル本数", "Vials wasted"),
        Input::Numeric,
        |f| &f.vials,
        |f| &mut f.vials,
        TextRule::Parsed(|v| parse_vials(v).map(|n| n.to_string())),
    )
    .required(),
    text::<WasteForm>(
        "occurred_on",
        SupplySection::Waste,
        Label::new("廃棄日", "Date"),
        DATE_PATTERN,
        |f| &f.occurred_on,
        |f| &mut f.occurred_on,
        TextRule::Parsed(|v| parse_date(v).map(|d| d.to_string())),
    )
    .required(),
    text::<WasteForm>(
        "reason",
        SupplySection::Waste,
        Label::new("廃棄理由", "Reason"),
        Input::Select {
            options: Options::Fixed(options_of::<WasteReason>),
            blank: true,
        },
        |f| &f.reason,
        |f| &mut f.reason,
        TextRule::Chosen,
    )
    .required(),
    text::<WasteForm>(
        "note",
        SupplySection::Waste,
        Label::new("理由（その他）", "Reason (other)"),
        Input::Text,
        |f| &f.note,
        |f| &mut f.note,
        TextRule::Line(200),
    )
    .required_when(reason_is_other)
    .applies_when(reason_is_other),
];

impl Form for WasteForm {
    type Section = SupplySection;

    fn fields() -> &'static [Field<Self>] {
        WASTE_FIELDS
    }
}

impl WasteForm {
    /// Checks the form against the lots the site holds, with nothing dated after `today`.
    pub fn validate(&self, lots: &[String], today: NaiveDate) -> Result<NewWaste, FieldErrors> {
        let lists = [(STOCK_LOT_LIST, lots.to_vec())];
        let (out, mut errors) = self.check_fields(offered_from(&lists));
        let occurred_on = parse_past_date(&out.occurred_on, today);
        if let Err(FieldError::DateInFuture) = occurred_on {
            errors.add("occurred_on", FieldError::DateInFuture);
        }
        let reason = WasteReason::from_name(&out.reason);
        if reason.is_err() && !out.reason.is_empty() {
            errors.add("reason", FieldError::InvalidChoice);
        }
        match (
            out.lot.parse(),
            parse_vials(&out.vials),
            occurred_on,
            reason,
        ) {
            (Ok(lot), Ok(vials), Ok(occurred_on), Ok(reason)) if errors.is_empty() => {
                Ok(NewWaste {
                    lot,
                    vials,
                    occurred_on,
                    reason,
                    note: out.note,
                })
            }
            _ => Err(errors),
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
    /// (`lots`), not past its expiry on the delivery day, named once; and the vials together
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
            let lot = match (lot, delivered_on) {
                (Ok(lot), Some(day)) if lot.expires_on < day => Err(FieldError::LotExpired {
                    expired_on: lot.expires_on.to_string(),
                }),
                (Ok(lot), _) if out.iter().any(|(id, _)| *id == lot.id) => {
                    Err(FieldError::DuplicateLot)
                }
                (lot, _) => lot,
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

/// One lot of a 棚卸, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountLineForm {
    /// The lot's id.
    pub lot: i64,
    /// 実数（バイアル）: what was counted.
    pub counted: String,
    /// 差異の理由: needed when the count differs from the ledger.
    pub reason: String,
}

/// 棚卸の登録, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountForm {
    /// 棚卸日
    pub counted_on: String,
    /// One line per lot the site holds.
    pub lines: Vec<CountLineForm>,
}

/// One lot of a count, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountedLot {
    /// The lot.
    pub lot: i64,
    /// What the ledger said.
    pub expected: u32,
    /// What was counted.
    pub counted: u32,
    /// Why they differ (empty when they do not).
    pub reason: String,
}

impl CountForm {
    /// Checks the count against the ledger's balances (`expected`: lot id → vials): every
    /// line a lot of the site, a number of 0 or more, and a reason where it differs.
    pub fn validate(
        &self,
        expected: &[(i64, u32)],
        today: NaiveDate,
    ) -> Result<(NaiveDate, Vec<CountedLot>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let counted_on = parse_past_date(&self.counted_on, today)
            .map_err(|e| errors.add("counted_on", e))
            .ok();
        let mut out = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            let key = |field| ShipmentForm::line_key(index, field);
            let Some(&(_, held)) = expected.iter().find(|(lot, _)| *lot == line.lot) else {
                errors.add(&key("counted"), FieldError::UnknownLot);
                continue;
            };
            let counted = normalize_width(&line.counted);
            let counted = match Count::parse(counted.trim().trim_end_matches('本'), MAX_VIALS) {
                Ok(c) => c.get(),
                Err(e) => {
                    errors.add(&key("counted"), e);
                    continue;
                }
            };
            let reason = line.reason.trim().to_string();
            if counted != held && reason.is_empty() {
                errors.add(&key("reason"), FieldError::Required);
            } else if reason.chars().count() > 200 {
                errors.add(&key("reason"), FieldError::TooLong { max: 200 });
            }
            out.push(CountedLot {
                lot: line.lot,
                expected: held,
                counted,
                reason,
            });
        }
        match counted_on {
            Some(day) if errors.is_empty() => Ok((day, out)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests;
