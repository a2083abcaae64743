//! The closed choices of the site record, each stored by a stable name: 施設分類, 型, 予約空き状況,
//! 予約可否, 一般受入 and 代行入力フラグ.

use crate::domain::form_fields::{Choice, Label};
use crate::domain::{ReservationStatus, SiteType};
use serde::{Deserialize, Serialize};

/// 施設分類: hospitals get the storage sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FacilityClass {
    /// 病院
    Hospital,
    /// 診療所
    Clinic,
    /// 接種会場
    Venue,
}

impl Choice for FacilityClass {
    const ALL: &'static [Self] = &[Self::Hospital, Self::Clinic, Self::Venue];

    fn as_str(self) -> &'static str {
        match self {
            Self::Hospital => "hospital",
            Self::Clinic => "clinic",
            Self::Venue => "venue",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Hospital => Label::new("病院", "Hospital"),
            Self::Clinic => Label::new("診療所", "Clinic"),
            Self::Venue => Label::new("接種会場", "Vaccination venue"),
        }
    }
}

impl Choice for SiteType {
    const ALL: &'static [Self] = &[Self::Basic, Self::Satellite];

    fn as_str(self) -> &'static str {
        SiteType::as_str(self)
    }

    fn label(self) -> Label {
        match self {
            Self::Basic => Label::new("基本型", "Basic"),
            Self::Satellite => Label::new("サテライト型", "Satellite"),
        }
    }
}

impl Choice for ReservationStatus {
    const ALL: &'static [Self] = &ReservationStatus::ALL;

    fn as_str(self) -> &'static str {
        ReservationStatus::as_str(self)
    }

    fn label(self) -> Label {
        match self {
            Self::Available => Label::new("予約可能", "Taking bookings"),
            Self::Full => Label::new("予約不可", "Fully booked"),
            Self::NotAccepting => Label::new("予約受付不可", "Not taking bookings"),
            Self::NotRequired => Label::new("予約不要", "No booking needed"),
            Self::Unregistered => Label::new("未登録", "Not registered"),
        }
    }
}

/// 予約可否 (by phone, on the web): 可 or 不可 (or not said).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Booking {
    /// 可
    Possible,
    /// 不可
    Impossible,
}

impl Choice for Booking {
    const ALL: &'static [Self] = &[Self::Possible, Self::Impossible];

    fn as_str(self) -> &'static str {
        match self {
            Self::Possible => "possible",
            Self::Impossible => "impossible",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Possible => Label::new("可", "Possible"),
            Self::Impossible => Label::new("不可", "Not possible"),
        }
    }
}

/// 一般受入: 一般向け (anyone) or 一般不可 (specific people only). Only 一般向け sites are
/// listed by the public finder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneralPublic {
    /// 一般向け:誰でも来られる
    General,
    /// 一般不可:特定の人のみ
    Restricted,
}

impl Choice for GeneralPublic {
    const ALL: &'static [Self] = &[Self::General, Self::Restricted];

    fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Restricted => "restricted",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::General => Label::new("一般向け:誰でも来られる", "Open to anyone"),
            Self::Restricted => Label::new("一般不可:特定の人のみ", "Specific people only"),
        }
    }
}

/// 代行入力フラグ: whether the municipality takes reservations for the site (要 or 不要).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProxyBooking {
    /// 要
    Required,
    /// 不要
    NotRequired,
}

impl Choice for ProxyBooking {
    const ALL: &'static [Self] = &[Self::Required, Self::NotRequired];

    fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::NotRequired => "not_required",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Required => Label::new("要", "Yes"),
            Self::NotRequired => Label::new("不要", "No"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<C: Choice + std::fmt::Debug>() {
        for choice in C::ALL {
            assert_eq!(C::from_name(choice.as_str()), Ok(*choice));
            assert!(!choice.label().ja.is_empty() && !choice.label().en.is_empty());
        }
        assert!(C::from_name("other").is_err());
    }

    #[test]
    fn every_choice_round_trips_through_its_stored_name_and_reads_in_both_languages() {
        round_trips::<FacilityClass>();
        round_trips::<SiteType>();
        round_trips::<ReservationStatus>();
        round_trips::<Booking>();
        round_trips::<GeneralPublic>();
        round_trips::<ProxyBooking>();
    }

    #[test]
    fn the_stored_names_are_those_of_the_database_and_the_api() {
        let names = |all: &[&str]| all.join(",");
        let of = |options: Vec<(&'static str, Label)>| {
            options.into_iter().map(|(n, _)| n).collect::<Vec<_>>()
        };
        use crate::domain::form_fields::options_of;
        assert_eq!(
            names(&of(options_of::<FacilityClass>())),
            "hospital,clinic,venue"
        );
        assert_eq!(names(&of(options_of::<SiteType>())), "basic,satellite");
        assert_eq!(names(&of(options_of::<Booking>())), "possible,impossible");
        assert_eq!(
            names(&of(options_of::<GeneralPublic>())),
            "general,restricted"
        );
        assert_eq!(
            names(&of(options_of::<ProxyBooking>())),
            "required,not_required"
        );
        // The serde names agree with the stored names.
        assert_eq!(
            serde_json::to_string(&FacilityClass::Hospital).unwrap(),
            "\"hospital\""
        );
        assert_eq!(
            serde_json::to_string(&ProxyBooking::NotRequired).unwrap(),
            "\"not_required\""
        );
    }
}
