//! 住所地外接種 (seed 001: R300 住所地外接種の申請状況一覧): a municipality registers the
//! applications of people who live elsewhere and will be vaccinated in it, and decides them
//! (受理, or 却下 with a reason). The municipality of residence reads those of its residents.

use crate::domain::form_fields::{Choice, Label};
use crate::domain::{parse_date, parse_past_date, PhoneNumber};
use crate::error::{FieldError, FieldErrors};
use crate::text::clean;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why the person is vaccinated outside the municipality of residence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutOfAreaReason {
    /// 入院・入所
    Hospitalised,
    /// 里帰り出産
    BirthAtHome,
    /// 単身赴任
    PostedAlone,
    /// 遠隔地の学生
    Student,
    /// 基礎疾患で主治医の下で接種
    OwnDoctor,
    /// その他
    Other,
}

impl Choice for OutOfAreaReason {
    const ALL: &'static [Self] = &[
        Self::Hospitalised,
        Self::BirthAtHome,
        Self::PostedAlone,
        Self::Student,
        Self::OwnDoctor,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Hospitalised => "hospitalised",
            Self::BirthAtHome => "birth_at_home",
            Self::PostedAlone => "posted_alone",
            Self::Student => "student",
            Self::OwnDoctor => "own_doctor",
            Self::Other => "other",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Hospitalised => Label::new("入院・入所", "In hospital or a care home"),
            Self::BirthAtHome => Label::new("里帰り出産", "Giving birth near family"),
            Self::PostedAlone => Label::new("単身赴任", "Working away from home"),
            Self::Student => Label::new("遠隔地の学生", "Student living away"),
            Self::OwnDoctor => Label::new(
                "基礎疾患で主治医の下で接種",
                "Vaccinated by their own doctor (underlying condition)",
            ),
            Self::Other => Label::new("その他", "Other"),
        }
    }
}

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationStatus {
    /// 受付
    Received,
    /// 受理
    Accepted,
    /// 却下
    Rejected,
}

impl Choice for ApplicationStatus {
    const ALL: &'static [Self] = &[Self::Received, Self::Accepted, Self::Rejected];

    fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    fn label(self) -> Label {
        match self {
            Self::Received => Label::new("受付", "Received"),
            Self::Accepted => Label::new("受理", "Accepted"),
            Self::Rejected => Label::new("却下", "Rejected"),
        }
    }
}

impl TryFrom<String> for ApplicationStatus {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::from_name(&value)
    }
}

impl TryFrom<String> for OutOfAreaReason {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::from_name(&value)
    }
}

/// Most characters of a name or a note.
const MAX_TEXT: usize = 100;

/// 住所地外接種の申請, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutOfAreaForm {
    /// 申請者氏名
    pub applicant_name: String,
    /// 生年月日
    pub birth_date: String,
    /// 電話番号
    pub phone: String,
    /// 住所地: the municipality's code (全国地方公共団体コード), chosen from the master.
    pub residence: String,
    /// 理由 ([`OutOfAreaReason`]'s name).
    pub reason: String,
    /// The reason in words, needed for その他.
    pub reason_note: String,
    /// 受付日
    pub received_on: String,
}

/// An application, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApplication {
    /// 申請者氏名
    pub applicant_name: String,
    /// 生年月日
    pub birth_date: NaiveDate,
    /// 電話番号 (normalised).
    pub phone: String,
    /// 住所地's code.
    pub residence: String,
    /// 理由
    pub reason: OutOfAreaReason,
    /// The reason in words.
    pub reason_note: String,
    /// 受付日
    pub received_on: NaiveDate,
}

fn text(input: &str, errors: &mut FieldErrors, field: &str, required: bool) -> String {
    let value = clean(input).trim().to_string();
    if required && value.is_empty() {
        errors.add(field, FieldError::Required);
    } else if value.chars().count() > MAX_TEXT {
        errors.add(field, FieldError::TooLong { max: MAX_TEXT });
    }
    value
}

impl OutOfAreaForm {
    /// Checks the application: a name, a birth date and 受付日 not in the future, a phone number,
    /// a 住所地 among `municipalities` (the master's codes) other than `own` (the vaccinating
    /// municipality), a reason, and words for その他.
    pub fn validate(
        &self,
        own: &str,
        is_municipality: impl Fn(&str) -> bool,
        today: NaiveDate,
    ) -> Result<NewApplication, FieldErrors> {
        let mut errors = FieldErrors::new();
        let applicant_name = text(&self.applicant_name, &mut errors, "applicant_name", true);
        let birth_date = errors.check("birth_date", parse_past_date(&self.birth_date, today));
        let phone = errors.check("phone", PhoneNumber::parse(&self.phone).map(String::from));
        let residence = clean(&self.residence).trim().to_string();
        if residence.is_empty() {
            errors.add("residence", FieldError::Required);
        } else if !is_municipality(&residence) {
            errors.add("residence", FieldError::InvalidChoice);
        } else if residence == own {
            errors.add("residence", FieldError::ResidenceIsOwnMunicipality);
        }
        let reason = match self.reason.as_str() {
            "" => {
                errors.add("reason", FieldError::Required);
                None
            }
            name => errors.check("reason", OutOfAreaReason::from_name(name)),
        };
        let reason_note = text(
            &self.reason_note,
            &mut errors,
            "reason_note",
            reason == Some(OutOfAreaReason::Other),
        );
        let received_on = errors.check("received_on", parse_past_date(&self.received_on, today));
        match (birth_date, phone, reason, received_on) {
            (Some(birth_date), Some(phone), Some(reason), Some(received_on))
                if errors.is_empty() =>
            {
                Ok(NewApplication {
                    applicant_name,
                    birth_date,
                    phone,
                    residence,
                    reason,
                    reason_note,
                    received_on,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A decision on an application, as typed: 受理, or 却下 with its reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionForm {
    /// `accepted` or `rejected`.
    pub status: String,
    /// 却下理由, needed for 却下.
    pub rejection_reason: String,
}

impl DecisionForm {
    /// The new status and the rejection reason (empty for 受理).
    pub fn validate(&self) -> Result<(ApplicationStatus, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = match ApplicationStatus::from_name(&self.status) {
            Ok(ApplicationStatus::Received) | Err(_) => {
                errors.add("status", FieldError::InvalidChoice);
                None
            }
            Ok(status) => Some(status),
        };
        let rejected = status == Some(ApplicationStatus::Rejected);
        let reason = text(
            &self.rejection_reason,
            &mut errors,
            "rejection_reason",
            rejected,
        );
        match status {
            Some(status) if errors.is_empty() => {
                Ok((status, if rejected { reason } else { String::new() }))
            }
            _ => Err(errors),
        }
    }
}

/// The filter of R300: a status, and a period of 受付日 (both ends optional, YYYY-MM-DD).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutOfAreaFilter {
    /// A status's name, or empty for all.
    pub status: String,
    /// 受付日 from.
    pub from: String,
    /// 受付日 until.
    pub until: String,
}

/// The filter of R300, checked: each part `None` when not set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckedFilter {
    /// Only this status.
    pub status: Option<ApplicationStatus>,
    /// 受付日 from.
    pub from: Option<NaiveDate>,
    /// 受付日 until.
    pub until: Option<NaiveDate>,
}

impl OutOfAreaFilter {
    /// The status and the period, checked.
    pub fn validate(&self) -> Result<CheckedFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = match self.status.as_str() {
            "" => None,
            name => errors.check("status", ApplicationStatus::from_name(name)),
        };
        let day = |input: &str, field: &str, errors: &mut FieldErrors| match input.trim() {
            "" => None,
            typed => errors.check(field, parse_date(typed)),
        };
        let from = day(&self.from, "from", &mut errors);
        let until = day(&self.until, "until", &mut errors);
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                errors.add("until", FieldError::EndsBeforeStart);
            }
        }
        if errors.is_empty() {
            Ok(CheckedFilter {
                status,
                from,
                until,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-04-10".parse().unwrap()
    }

    fn form() -> OutOfAreaForm {
        OutOfAreaForm {
            applicant_name: "住所 花子".into(),
            birth_date: "1950-05-05".into(),
            phone: "090-1234-5678".into(),
            residence: "271004".into(),
            reason: "birth_at_home".into(),
            reason_note: String::new(),
            received_on: "2026-04-09".into(),
        }
    }

    fn known(code: &str) -> bool {
        ["131016", "271004"].contains(&code)
    }

    #[test]
    fn a_complete_application_parses_with_its_dates_and_reason() {
        let checked = form().validate("131016", known, today()).unwrap();
        assert_eq!(checked.reason, OutOfAreaReason::BirthAtHome);
        assert_eq!(checked.residence, "271004");
        assert_eq!(checked.received_on.to_string(), "2026-04-09");
    }

    #[test]
    fn the_residence_comes_from_the_master_and_is_not_the_vaccinating_municipality() {
        let unknown = OutOfAreaForm {
            residence: "999999".into(),
            ..form()
        };
        assert_eq!(
            unknown
                .validate("131016", known, today())
                .unwrap_err()
                .get("residence"),
            Some(&FieldError::InvalidChoice)
        );
        let own = OutOfAreaForm {
            residence: "131016".into(),
            ..form()
        };
        assert_eq!(
            own.validate("131016", known, today())
                .unwrap_err()
                .get("residence"),
            Some(&FieldError::ResidenceIsOwnMunicipality)
        );
    }

    #[test]
    fn other_needs_words_and_dates_may_not_be_in_the_future() {
        let other = OutOfAreaForm {
            reason: "other".into(),
            received_on: "2026-04-11".into(),
            ..form()
        };
        let errors = other.validate("131016", known, today()).unwrap_err();
        assert_eq!(errors.get("reason_note"), Some(&FieldError::Required));
        assert_eq!(errors.get("received_on"), Some(&FieldError::DateInFuture));
    }

    #[test]
    fn a_rejection_needs_its_reason_and_received_is_not_a_decision() {
        let rejected = DecisionForm {
            status: "rejected".into(),
            rejection_reason: " ".into(),
        };
        assert_eq!(
            rejected.validate().unwrap_err().get("rejection_reason"),
            Some(&FieldError::Required)
        );
        let back = DecisionForm {
            status: "received".into(),
            rejection_reason: String::new(),
        };
        assert!(back.validate().is_err());
        let accepted = DecisionForm {
            status: "accepted".into(),
            rejection_reason: "ignored".into(),
        };
        assert_eq!(
            accepted.validate().unwrap(),
            (ApplicationStatus::Accepted, String::new())
        );
    }

    #[test]
    fn a_filter_period_ends_after_it_starts() {
        let filter = OutOfAreaFilter {
            status: "accepted".into(),
            from: "2026-04-10".into(),
            until: "2026-04-01".into(),
        };
        assert_eq!(
            filter.validate().unwrap_err().get("until"),
            Some(&FieldError::EndsBeforeStart)
        );
    }
}
