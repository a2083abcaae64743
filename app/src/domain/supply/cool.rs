//! The cool (クール): its window and delivery dates, its state and next deadline, and
//! クールの作成.

use super::jst::{jst_date, jst_minute, parse_jst_minute};
use super::{bounded_number, text, SupplySection, DATE_PATTERN, MAX_BOXES};
use crate::domain::form_fields::{Field, Form, Input, Label, Options, TextRule};
use crate::domain::{parse_date, VACCINE_LIST};
use crate::error::{FieldError, FieldErrors};
use crate::text::normalize_width;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

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
}
