//! What moves vials at a site: 移送・融通, 廃棄 and 棚卸, with the rules both the browser and the
//! server check.

use super::{text, SupplySection, DATE_PATTERN};
use crate::domain::form_fields::{
    options_of, Choice, Field, Form, Input, Label, Options, TextRule,
};
use crate::domain::{parse_date, Count};
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
            let key = |field| format!("lines.{index}.{field}");
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
