//! The supply chain's master data and cools (SPEC §5): the vaccine master (ワクチン・針・シリンジ
//! マスタ), 納入ロット, the cool (クール) with its 希望量 window and its state, and 希望量 itself.
//! The forms are field tables (see [`crate::domain::form_fields`]) checked in the browser and
//! again on the server.

use crate::domain::form_fields::{Access, Field, Form, Input, Label, Options, Section, TextRule};
use crate::domain::{parse_date, Count, VACCINE_LIST};
use crate::error::{FieldError, FieldErrors};
use crate::text::normalize_width;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Japan Standard Time, the zone of every date and time users type or read.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("nine hours is a valid offset")
}

/// Most boxes a cool, an allocation or a request may count.
pub const MAX_BOXES: u32 = 1_000_000;

/// Parses a moment typed in JST: `2026-04-01 09:00`, `2026/4/1 9:00`, or what a
/// `datetime-local` input gives (`2026-04-01T09:00`).
pub fn parse_jst_minute(input: &str) -> Result<DateTime<Utc>, FieldError> {
    let value = normalize_width(input).trim().replace('T', " ");
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    let mut parts = value.split_whitespace();
    let (Some(date), Some(time), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(FieldError::DateTimeFormat);
    };
    let date = parse_date(date).map_err(|_| FieldError::DateTimeFormat)?;
    let (hour, minute) = time.split_once(':').ok_or(FieldError::DateTimeFormat)?;
    let number = |text: &str| {
        ((1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    let (Some(hour), Some(minute)) = (number(hour), number(minute)) else {
        return Err(FieldError::DateTimeFormat);
    };
    let time = NaiveTime::from_hms_opt(hour, minute, 0).ok_or(FieldError::DateTimeFormat)?;
    jst()
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
        .map(|at| at.with_timezone(&Utc))
        .ok_or(FieldError::DateTimeFormat)
}

/// A moment as users type and read it: `2026-04-01 09:00` (JST).
pub fn jst_minute(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The JST calendar date of a moment.
pub fn jst_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&jst()).date_naive()
}

/// Whole days from `now` until `deadline` by the JST calendar (0 on the deadline's own day).
pub fn days_left(now: DateTime<Utc>, deadline: DateTime<Utc>) -> i64 {
    (jst_date(deadline) - jst_date(now)).num_days()
}

/// A number of boxes typed (`12`, `１２`, `12箱`), from 0 up to `max`.
pub fn parse_boxes(input: &str, max: u32) -> Result<u32, FieldError> {
    let value = normalize_width(input);
    Count::parse(value.trim().trim_end_matches('箱'), max).map(Count::get)
}

/// A whole number from `min` to `max` typed into a form field, stored as digits.
fn bounded_number(input: &str, min: u32, max: u32) -> Result<String, FieldError> {
    let number = Count::parse(input, max)?.get();
    if number < min {
        return Err(FieldError::TooSmall { min });
    }
    Ok(number.to_string())
}

/// The state of a cool: 準備中 → 希望量受付中 → 締切 → 分配中 → データロック → 配送中 → 完了.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CoolState {
    /// 準備中: the 希望量 window has not opened.
    Preparing,
    /// 希望量受付中: basic sites register what they want.
    Accepting,
    /// 締切: the window closed; allocation has not begun.
    Closed,
    /// 分配中: the levels allocate.
    Allocating,
    /// データロック: every prefecture with an allocation has locked it.
    Locked,
    /// 配送中: deliveries are under way.
    Delivering,
    /// 完了: everything allocated was delivered and received.
    Done,
}

impl CoolState {
    /// How the state reads.
    pub fn label(self) -> Label {
        match self {
            CoolState::Preparing => Label::new("準備中", "In preparation"),
            CoolState::Accepting => Label::new("希望量受付中", "Accepting requests"),
            CoolState::Closed => Label::new("締切", "Requests closed"),
            CoolState::Allocating => Label::new("分配中", "Allocating"),
            CoolState::Locked => Label::new("データロック", "Data locked"),
            CoolState::Delivering => Label::new("配送中", "Delivering"),
            CoolState::Done => Label::new("完了", "Completed"),
        }
    }
}

/// What has been done in a cool beyond its dates, from which its later states follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoolProgress {
    /// Some level saved an allocation.
    pub allocating: bool,
    /// Every prefecture given boxes has locked its data.
    pub locked: bool,
    /// A delivery date was entered.
    pub delivering: bool,
    /// Every allocated site has received its delivery.
    pub received: bool,
}

/// The dates that drive a cool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoolWindow {
    /// 希望量登録期間 opens (inclusive).
    pub opens: DateTime<Utc>,
    /// 希望量登録期間 ends (exclusive: at this moment it is closed).
    pub closes: DateTime<Utc>,
    /// The first delivery date.
    pub delivery_from: NaiveDate,
    /// The last delivery date.
    pub delivery_until: NaiveDate,
}

/// The next date a user of a cool works towards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deadline {
    /// 受付開始: the window opens.
    Opens(DateTime<Utc>),
    /// 締切: the window closes.
    Closes(DateTime<Utc>),
    /// 納入開始: deliveries begin.
    DeliveryFrom(NaiveDate),
    /// 納入終了: the last delivery date.
    DeliveryUntil(NaiveDate),
}

impl CoolWindow {
    /// Whether 希望量 may be registered at `now`: from the opening, inclusive, up to the
    /// closing, exclusive.
    pub fn accepts_at(&self, now: DateTime<Utc>) -> bool {
        self.opens <= now && now < self.closes
    }

    /// The state at `now` given what has been done.
    pub fn state_at(&self, now: DateTime<Utc>, progress: CoolProgress) -> CoolState {
        if now < self.opens {
            CoolState::Preparing
        } else if now < self.closes {
            CoolState::Accepting
        } else if progress.received {
            CoolState::Done
        } else if progress.delivering {
            CoolState::Delivering
        } else if progress.locked {
            CoolState::Locked
        } else if progress.allocating {
            CoolState::Allocating
        } else {
            CoolState::Closed
        }
    }

    /// The next deadline in `state`, if any is ahead.
    pub fn next_deadline(&self, state: CoolState, today: NaiveDate) -> Option<Deadline> {
        match state {
            CoolState::Preparing => Some(Deadline::Opens(self.opens)),
            CoolState::Accepting => Some(Deadline::Closes(self.closes)),
            CoolState::Closed | CoolState::Allocating | CoolState::Locked
                if today < self.delivery_from =>
            {
                Some(Deadline::DeliveryFrom(self.delivery_from))
            }
            // A deadline already passed is no longer ahead.
            CoolState::Closed
            | CoolState::Allocating
            | CoolState::Locked
            | CoolState::Delivering => (today <= self.delivery_until)
                .then_some(Deadline::DeliveryUntil(self.delivery_until)),
            CoolState::Done => None,
        }
    }
}

/// The one section of the small supply forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SupplySection {
    /// クールの作成
    Cool,
    /// 納入ロットの登録
    Lot,
    /// ワクチン・針・シリンジマスタ
    Vaccine,
}

impl Section for SupplySection {
    const ALL: &'static [Self] = &[Self::Cool, Self::Lot, Self::Vaccine];

    fn title(self) -> Label {
        match self {
            SupplySection::Cool => Label::new("クールの作成", "New cool"),
            SupplySection::Lot => Label::new("納入ロットの登録", "Register a lot"),
            SupplySection::Vaccine => Label::new(
                "ワクチン・針・シリンジマスタ",
                "Vaccines, needles and syringes",
            ),
        }
    }
}

/// Implements serde for a form through its field table (the same shape as the site record).
macro_rules! form_serde {
    ($($form:ty),+) => {$(
        impl Serialize for $form {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::domain::form_fields::serialize_form(self, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $form {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::domain::form_fields::deserialize_form(deserializer)
            }
        }
    )+};
}

form_serde!(CoolForm, LotForm, VaccineForm);

/// A text field of one of these forms.
const fn text<F: Form<Section = SupplySection>>(
    key: &'static str,
    section: SupplySection,
    label: Label,
    input: Input,
    get: fn(&F) -> &String,
    get_mut: fn(&mut F) -> &mut String,
    rule: TextRule,
) -> Field<F> {
    Field::new(
        key,
        section,
        label,
        input,
        Access::Text { get, get_mut, rule },
    )
}

/// クールの作成, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CoolForm {
    /// クール名 (第5クール)
    pub name: String,
    /// ワクチン: a vaccine code.
    pub vaccine: String,
    /// 供給量（箱）
    pub total_boxes: String,
    /// 希望量登録期間（開始）, JST.
    pub opens: String,
    /// 希望量登録期間（締切）, JST.
    pub closes: String,
    /// 納入期間（開始）
    pub delivery_from: String,
    /// 納入期間（終了）
    pub delivery_until: String,
}

/// A cool as stored: every value checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCool {
    /// クール名
    pub name: String,
    /// The vaccine's code.
    pub vaccine: String,
    /// 供給量（箱）
    pub total_boxes: u32,
    /// The window and the delivery dates.
    pub window: CoolWindow,
}

const DATE_PATTERN: Input = Input::Patterned("2026-04-20");
const MINUTE_PATTERN: Input = Input::Patterned("2026-04-01 09:00");

/// The fields of [`CoolForm`], in form order.
pub const COOL_FIELDS: &[Field<CoolForm>] = &[
    text::<CoolForm>(
        "name",
        SupplySection::Cool,
        Label::new("クール名（例: 第5クール）", "Name (e.g. Cool 5)"),
        Input::Text,
        |f| &f.name,
        |f| &mut f.name,
        TextRule::Line(40),
    )
    .required(),
    text::<CoolForm>(
        "vaccine",
        SupplySection::Cool,
        Label::new("ワクチン", "Vaccine"),
        Input::Select {
            options: Options::Given(VACCINE_LIST),
            blank: true,
        },
        |f| &f.vaccine,
        |f| &mut f.vaccine,
        TextRule::Chosen,
    )
    .required(),
    text::<CoolForm>(
        "total_boxes",
        SupplySection::Cool,
        Label::new("供給量（箱）", "Supply (boxes)"),
        Input::Numeric,
        |f| &f.total_boxes,
        |f| &mut f.total_boxes,
        TextRule::Parsed(|v| bounded_number(&normalize_width(v).replace('箱', ""), 1, MAX_BOXES)),
    )
    .required(),
    text::<CoolForm>(
        "opens",
        SupplySection::Cool,
        Label::new("希望量登録期間（開始）", "Requests open"),
        MINUTE_PATTERN,
        |f| &f.opens,
        |f| &mut f.opens,
        TextRule::Parsed(|v| parse_jst_minute(v).map(jst_minute)),
    )
    .required(),
    text::<CoolForm>(
        "closes",
        SupplySection::Cool,
        Label::new("希望量登録期間（締切）", "Requests close"),
        MINUTE_PATTERN,
        |f| &f.closes,
        |f| &mut f.closes,
        TextRule::Parsed(|v| parse_jst_minute(v).map(jst_minute)),
    )
    .required(),
    text::<CoolForm>(
        "delivery_from",
        SupplySection::Cool,
        Label::new("納入期間（開始）", "Deliveries from"),
        DATE_PATTERN,
        |f| &f.delivery_from,
        |f| &mut f.delivery_from,
        TextRule::Parsed(|v| parse_date(v).map(|d| d.to_string())),
    )
    .required(),
    text::<CoolForm>(
        "delivery_until",
        SupplySection::Cool,
        Label::new("納入期間（終了）", "Deliveries until"),
        DATE_PATTERN,
        |f| &f.delivery_until,
        |f| &mut f.delivery_until,
        TextRule::Parsed(|v| parse_date(v).map(|d| d.to_string())),
    )
    .required(),
];

impl Form for CoolForm {
    type Section = SupplySection;

    fn fields() -> &'static [Field<Self>] {
        COOL_FIELDS
    }
}

impl CoolForm {
    /// Checks the form against the vaccines of the master: each field, then the order of the
    /// dates (the window closes after it opens; deliveries begin after it closes and end after
    /// they begin).
    pub fn validate(&self, vaccines: &[String]) -> Result<NewCool, FieldErrors> {
        let (out, mut errors) = self.check_fields(|_| vaccines.to_vec());
        let opens = parse_jst_minute(&out.opens).ok();
        let closes = parse_jst_minute(&out.closes).ok();
        let from = parse_date(&out.delivery_from).ok();
        let until = parse_date(&out.delivery_until).ok();
        if let (Some(opens), Some(closes)) = (opens, closes) {
            if closes <= opens {
                errors.add("closes", FieldError::EndsBeforeStart);
            }
        }
        if let (Some(closes), Some(from)) = (closes, from) {
            if from < jst_date(closes) {
                errors.add("delivery_from", FieldError::DeliveryBeforeClose);
            }
        }
        if let (Some(from), Some(until)) = (from, until) {
            if until < from {
                errors.add("delivery_until", FieldError::EndsBeforeStart);
            }
        }
        match (opens, closes, from, until, out.total_boxes.parse::<u32>()) {
            (Some(opens), Some(closes), Some(delivery_from), Some(delivery_until), Ok(total))
                if errors.is_empty() =>
            {
                Ok(NewCool {
                    name: out.name,
                    vaccine: out.vaccine,
                    total_boxes: total,
                    window: CoolWindow {
                        opens,
                        closes,
                        delivery_from,
                        delivery_until,
                    },
                })
            }
            _ => Err(errors),
        }
    }
}

/// A lot number: capital letters, digits and hyphens (full-width and small letters are
/// accepted and normalised), 2 to 20 characters.
pub fn parse_lot_number(input: &str) -> Result<String, FieldError> {
    let value = normalize_width(input).trim().to_ascii_uppercase();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    let allowed = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-';
    if !value.chars().all(allowed) || value.len() < 2 {
        return Err(FieldError::LotNumberFormat);
    }
    if value.len() > 20 {
        return Err(FieldError::TooLong { max: 20 });
    }
    Ok(value)
}

/// 納入ロットの登録, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LotForm {
    /// ワクチン: a vaccine code.
    pub vaccine: String,
    /// ロット番号
    pub lot_number: String,
    /// 有効期限
    pub expires_on: String,
}

/// A lot as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLot {
    /// The vaccine's code.
    pub vaccine: String,
    /// ロット番号, normalised.
    pub lot_number: String,
    /// 有効期限
    pub expires_on: NaiveDate,
}

/// The fields of [`LotForm`], in form order.
pub const LOT_FIELDS: &[Field<LotForm>] = &[
    text::<LotForm>(
        "vaccine",
        SupplySection::Lot,
        Label::new("ワクチン", "Vaccine"),
        Input::Select {
            options: Options::Given(VACCINE_LIST),
            blank: true,
        },
        |f| &f.vaccine,
        |f| &mut f.vaccine,
        TextRule::Chosen,
    )
    .required(),
    text::<LotForm>(
        "lot_number",
        SupplySection::Lot,
        Label::new("ロット番号", "Lot number"),
        Input::Text,
        |f| &f.lot_number,
        |f| &mut f.lot_number,
        TextRule::Parsed(parse_lot_number),
    )
    .required(),
    text::<LotForm>(
        "expires_on",
        SupplySection::Lot,
        Label::new("有効期限", "Expiry date"),
        DATE_PATTERN,
        |f| &f.expires_on,
        |f| &mut f.expires_on,
        TextRule::Parsed(|v| parse_date(v).map(|d| d.to_string())),
    )
    .required(),
];

impl Form for LotForm {
    type Section = SupplySection;

    fn fields() -> &'static [Field<Self>] {
        LOT_FIELDS
    }
}

impl LotForm {
    /// Checks the form against the vaccines of the master.
    pub fn validate(&self, vaccines: &[String]) -> Result<NewLot, FieldErrors> {
        let (out, errors) = self.check_fields(|_| vaccines.to_vec());
        match parse_date(&out.expires_on) {
            Ok(expires_on) if errors.is_empty() => Ok(NewLot {
                vaccine: out.vaccine,
                lot_number: out.lot_number,
                expires_on,
            }),
            _ => Err(errors),
        }
    }
}

/// One vaccine of ワクチン・針・シリンジマスタ, as typed (its name and code are fixed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VaccineForm {
    /// 1バイアルあたり接種回数
    pub doses_per_vial: String,
    /// 1箱あたりバイアル数
    pub vials_per_box: String,
    /// 1バイアルあたり針（本）
    pub needles_per_vial: String,
    /// 1バイアルあたりシリンジ（本）
    pub syringes_per_vial: String,
    /// 針・シリンジの種類
    pub needle_syringe_note: String,
}

/// A vaccine's master values, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccineMaster {
    /// 1バイアルあたり接種回数
    pub doses_per_vial: u32,
    /// 1箱あたりバイアル数
    pub vials_per_box: u32,
    /// 1バイアルあたり針
    pub needles_per_vial: u32,
    /// 1バイアルあたりシリンジ
    pub syringes_per_vial: u32,
}

/// The fields of [`VaccineForm`], in form order.
pub const VACCINE_FIELDS: &[Field<VaccineForm>] = &[
    text::<VaccineForm>(
        "doses_per_vial",
        SupplySection::Vaccine,
        Label::new("1バイアルあたり接種回数", "Doses per vial"),
        Input::Numeric,
        |f| &f.doses_per_vial,
        |f| &mut f.doses_per_vial,
        TextRule::Parsed(|v| bounded_number(v, 1, 100)),
    )
    .required(),
    text::<VaccineForm>(
        "vials_per_box",
        SupplySection::Vaccine,
        Label::new("1箱あたりバイアル数", "Vials per box"),
        Input::Numeric,
        |f| &f.vials_per_box,
        |f| &mut f.vials_per_box,
        TextRule::Parsed(|v| bounded_number(v, 1, 10_000)),
    )
    .required(),
    text::<VaccineForm>(
        "needles_per_vial",
        SupplySection::Vaccine,
        Label::new("1バイアルあたり針（本）", "Needles per vial"),
        Input::Numeric,
        |f| &f.needles_per_vial,
        |f| &mut f.needles_per_vial,
        TextRule::Parsed(|v| bounded_number(v, 0, 100)),
    )
    .required(),
    text::<VaccineForm>(
        "syringes_per_vial",
        SupplySection::Vaccine,
        Label::new("1バイアルあたりシリンジ（本）", "Syringes per vial"),
        Input::Numeric,
        |f| &f.syringes_per_vial,
        |f| &mut f.syringes_per_vial,
        TextRule::Parsed(|v| bounded_number(v, 0, 100)),
    )
    .required(),
    text::<VaccineForm>(
        "needle_syringe_note",
        SupplySection::Vaccine,
        Label::new("針・シリンジの種類", "Needles and syringes"),
        Input::Text,
        |f| &f.needle_syringe_note,
        |f| &mut f.needle_syringe_note,
        TextRule::Line(100),
    ),
];

impl Form for VaccineForm {
    type Section = SupplySection;

    fn fields() -> &'static [Field<Self>] {
        VACCINE_FIELDS
    }
}

impl VaccineForm {
    /// Checks the form: the master values and the note to store.
    pub fn validate(&self) -> Result<(VaccineMaster, VaccineForm), FieldErrors> {
        let (out, errors) = self.check_fields(|_| Vec::new());
        if !errors.is_empty() {
            return Err(errors);
        }
        let number = |value: &str| value.parse::<u32>().unwrap_or_default();
        let master = VaccineMaster {
            doses_per_vial: number(&out.doses_per_vial),
            vials_per_box: number(&out.vials_per_box),
            needles_per_vial: number(&out.needles_per_vial),
            syringes_per_vial: number(&out.syringes_per_vial),
        };
        Ok((master, out))
    }
}

/// A movement on the stock ledger of one site and lot (SPEC §5): what adds vials and what
/// takes them away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MovementKind {
    /// 受領: a delivery confirmed by the site (+).
    Receipt,
    /// 移送（出）: vials sent to another site (−).
    TransferOut,
    /// 移送（受）: vials received from another site (+).
    TransferIn,
    /// 接種使用: vials used for vaccinations (−).
    Use,
    /// 廃棄: vials wasted (−).
    Waste,
    /// 棚卸調整: the difference a physical count found (±).
    Adjustment,
}

impl crate::domain::form_fields::Choice for MovementKind {
    const ALL: &'static [Self] = &[
        Self::Receipt,
        Self::TransferOut,
        Self::TransferIn,
        Self::Use,
        Self::Waste,
        Self::Adjustment,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::TransferOut => "transfer_out",
            Self::TransferIn => "transfer_in",
            Self::Use => "use",
            Self::Waste => "waste",
            Self::Adjustment => "adjustment",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Receipt => Label::new("受領", "Received"),
            Self::TransferOut => Label::new("移送（出）", "Transferred out"),
            Self::TransferIn => Label::new("移送（受）", "Transferred in"),
            Self::Use => Label::new("接種使用", "Used"),
            Self::Waste => Label::new("廃棄", "Wasted"),
            Self::Adjustment => Label::new("棚卸調整", "Count adjustment"),
        }
    }
}

impl MovementKind {
    /// Whether the movement adds vials (an adjustment goes either way, by its sign).
    pub fn adds(self) -> Option<bool> {
        match self {
            Self::Receipt | Self::TransferIn => Some(true),
            Self::TransferOut | Self::Use | Self::Waste => Some(false),
            Self::Adjustment => None,
        }
    }
}

impl TryFrom<String> for MovementKind {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        <Self as crate::domain::form_fields::Choice>::from_name(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse_jst_minute(text).unwrap()
    }

    fn window() -> CoolWindow {
        CoolWindow {
            opens: at("2026-04-01 09:00"),
            closes: at("2026-04-14 17:00"),
            delivery_from: NaiveDate::from_ymd_opt(2026, 4, 20).unwrap(),
            delivery_until: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        }
    }

    fn valid_cool() -> CoolForm {
        CoolForm {
            name: "第5クール".into(),
            vaccine: "pfizer".into(),
            total_boxes: "１２０箱".into(),
            opens: "2026/4/1 9:00".into(),
            closes: "2026-04-14T17:00".into(),
            delivery_from: "2026-04-20".into(),
            delivery_until: "2026-05-01".into(),
        }
    }

    #[test]
    fn a_moment_is_read_in_japan_time_in_the_ways_people_type_it() {
        let expected = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
        for typed in [
            "2026-04-01 09:00",
            "2026/4/1 9:00",
            "２０２６－０４－０１　０９：００",
            "2026-04-01T09:00",
        ] {
            assert_eq!(parse_jst_minute(typed), Ok(expected), "{typed}");
        }
        assert_eq!(jst_minute(expected), "2026-04-01 09:00");
        for wrong in [
            "2026-04-01",
            "09:00",
            "2026-04-01 25:00",
            "2026-02-30 09:00",
            "明日 9時",
        ] {
            assert_eq!(
                parse_jst_minute(wrong),
                Err(FieldError::DateTimeFormat),
                "{wrong}"
            );
        }
        assert_eq!(parse_jst_minute(" "), Err(FieldError::Required));
    }

    #[test]
    fn the_window_accepts_from_its_opening_up_to_but_not_at_its_closing() {
        let w = window();
        let second = chrono::TimeDelta::seconds(1);
        assert!(!w.accepts_at(w.opens - second));
        assert!(w.accepts_at(w.opens));
        assert!(w.accepts_at(w.closes - second));
        assert!(!w.accepts_at(w.closes));
        assert!(!w.accepts_at(w.closes + second));
    }

    #[test]
    fn the_state_follows_the_dates_then_what_was_done() {
        let w = window();
        let none = CoolProgress::default();
        let after = w.closes + chrono::TimeDelta::hours(1);
        assert_eq!(
            w.state_at(w.opens - chrono::TimeDelta::hours(1), none),
            CoolState::Preparing
        );
        assert_eq!(w.state_at(w.opens, none), CoolState::Accepting);
        assert_eq!(w.state_at(after, none), CoolState::Closed);
        let allocating = CoolProgress {
            allocating: true,
            ..none
        };
        assert_eq!(w.state_at(after, allocating), CoolState::Allocating);
        let locked = CoolProgress {
            locked: true,
            ..allocating
        };
        assert_eq!(w.state_at(after, locked), CoolState::Locked);
        let delivering = CoolProgress {
            delivering: true,
            ..locked
        };
        assert_eq!(w.state_at(after, delivering), CoolState::Delivering);
        let done = CoolProgress {
            received: true,
            ..delivering
        };
        assert_eq!(w.state_at(after, done), CoolState::Done);
    }

    #[test]
    fn the_next_deadline_is_the_opening_then_the_closing_then_the_deliveries() {
        let w = window();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(
            w.next_deadline(CoolState::Preparing, day(3, 30)),
            Some(Deadline::Opens(w.opens))
        );
        assert_eq!(
            w.next_deadline(CoolState::Accepting, day(4, 2)),
            Some(Deadline::Closes(w.closes))
        );
        assert_eq!(
            w.next_deadline(CoolState::Allocating, day(4, 15)),
            Some(Deadline::DeliveryFrom(day(4, 20)))
        );
        assert_eq!(
            w.next_deadline(CoolState::Delivering, day(4, 25)),
            Some(Deadline::DeliveryUntil(day(5, 1)))
        );
        assert_eq!(w.next_deadline(CoolState::Delivering, day(5, 2)), None);
        assert_eq!(w.next_deadline(CoolState::Closed, day(5, 2)), None);
        assert_eq!(w.next_deadline(CoolState::Done, day(4, 25)), None);
    }

    #[test]
    fn days_left_count_calendar_days_in_japan() {
        let deadline = at("2026-04-14 17:00");
        assert_eq!(days_left(at("2026-04-14 08:00"), deadline), 0);
        assert_eq!(days_left(at("2026-04-13 23:59"), deadline), 1);
        // 2026-04-10 23:30 UTC is already the 11th in Japan.
        assert_eq!(
            days_left(
                Utc.with_ymd_and_hms(2026, 4, 10, 23, 30, 0).unwrap(),
                deadline
            ),
            3
        );
    }

    #[test]
    fn a_cool_form_is_stored_in_normal_form() {
        let cool = valid_cool().validate(&["pfizer".into()]).unwrap();
        assert_eq!(cool.name, "第5クール");
        assert_eq!(cool.total_boxes, 120);
        assert_eq!(cool.window, window());
    }

    #[test]
    fn a_cool_refuses_dates_out_of_order_each_at_its_field() {
        let mut form = valid_cool();
        form.closes = "2026-04-01 09:00".into();
        form.delivery_from = "2026-03-31".into();
        form.delivery_until = "2026-03-30".into();
        let errors = form.validate(&["pfizer".into()]).unwrap_err();
        assert_eq!(errors.get("closes"), Some(&FieldError::EndsBeforeStart));
        assert_eq!(
            errors.get("delivery_from"),
            Some(&FieldError::DeliveryBeforeClose)
        );
        assert_eq!(
            errors.get("delivery_until"),
            Some(&FieldError::EndsBeforeStart)
        );
    }

    #[test]
    fn a_cool_needs_every_field_a_known_vaccine_and_at_least_one_box() {
        let errors = CoolForm::default()
            .validate(&["pfizer".into()])
            .unwrap_err();
        for key in [
            "name",
            "vaccine",
            "total_boxes",
            "opens",
            "closes",
            "delivery_from",
            "delivery_until",
        ] {
            assert_eq!(errors.get(key), Some(&FieldError::Required), "{key}");
        }
        let mut form = valid_cool();
        form.vaccine = "unknown".into();
        form.total_boxes = "0".into();
        let errors = form.validate(&["pfizer".into()]).unwrap_err();
        assert_eq!(errors.get("vaccine"), Some(&FieldError::InvalidChoice));
        assert_eq!(
            errors.get("total_boxes"),
            Some(&FieldError::TooSmall { min: 1 })
        );
    }

    #[test]
    fn lot_numbers_are_normalised_and_checked() {
        assert_eq!(parse_lot_number(" ｅｒ１２３４ "), Ok("ER1234".into()));
        assert_eq!(parse_lot_number("FA-7484"), Ok("FA-7484".into()));
        assert_eq!(parse_lot_number("ER 12"), Err(FieldError::LotNumberFormat));
        assert_eq!(parse_lot_number("ロット"), Err(FieldError::LotNumberFormat));
        assert_eq!(
            parse_lot_number(&"A".repeat(21)),
            Err(FieldError::TooLong { max: 20 })
        );
        let lot = LotForm {
            vaccine: "moderna".into(),
            lot_number: "3004734".into(),
            expires_on: "2026/7/31".into(),
        }
        .validate(&["moderna".into()])
        .unwrap();
        assert_eq!(
            lot.expires_on,
            NaiveDate::from_ymd_opt(2026, 7, 31).unwrap()
        );
    }

    #[test]
    fn boxes_accept_full_width_digits_and_the_unit() {
        assert_eq!(parse_boxes("１２箱", MAX_BOXES), Ok(12));
        assert_eq!(parse_boxes("0", MAX_BOXES), Ok(0));
        assert_eq!(parse_boxes("-1", MAX_BOXES), Err(FieldError::CountFormat));
        assert_eq!(parse_boxes("", MAX_BOXES), Err(FieldError::Required));
        assert_eq!(
            parse_boxes("1000001", MAX_BOXES),
            Err(FieldError::TooLarge { max: MAX_BOXES })
        );
    }

    #[test]
    fn the_vaccine_master_needs_a_box_of_at_least_one_vial() {
        let form = VaccineForm {
            doses_per_vial: "6".into(),
            vials_per_box: "0".into(),
            needles_per_vial: "6".into(),
            syringes_per_vial: "6".into(),
            needle_syringe_note: String::new(),
        };
        assert_eq!(
            form.validate().unwrap_err().get("vials_per_box"),
            Some(&FieldError::TooSmall { min: 1 })
        );
        let form = VaccineForm {
            vials_per_box: "195".into(),
            ..form
        };
        let (master, _) = form.validate().unwrap();
        assert_eq!(master.vials_per_box, 195);
        assert_eq!(master.doses_per_vial, 6);
    }
}
