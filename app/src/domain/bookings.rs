//! 市町村による予約受付支援 (seed 001: 最近追加になった新機能③): a site whose 代行入力フラグ = 要
//! is approved sets its 予約受付枠 (for each date, hourly slots and how many people per hour it
//! takes), and its municipality books people into them; the site reads 予約者一覧 (R305).

use crate::domain::{parse_date, parse_past_date, Count, Dose, Furigana, PhoneNumber};
use crate::error::{FieldError, FieldErrors};
use crate::text::{clean, normalize_width};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The hours a day's grid offers, as the start of each hourly slot (7:00 … 21:00).
pub const SLOT_HOURS: std::ops::RangeInclusive<u8> = 7..=21;

/// Most people one hourly slot may take.
pub const MAX_PER_HOUR: u32 = 999;

/// Most characters of a name.
const MAX_NAME: usize = 60;

/// The field of the hour `hour`'s capacity in [`SlotForm`] (`capacities.{hour}`).
pub fn capacity_field(hour: u8) -> String {
    format!("capacities.{hour}")
}

/// 予約受付枠の設定 for one date, as typed: one capacity per hour of [`SLOT_HOURS`], blank for
/// an hour without a slot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotForm {
    /// The date.
    pub day: String,
    /// People per hour, one per hour of [`SLOT_HOURS`] in order ("" = no slot).
    pub capacities: Vec<String>,
}

/// A day's slots, checked: the hours with a slot and how many people each takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedSlots {
    /// The date.
    pub day: NaiveDate,
    /// (hour, people per hour), ascending by hour; hours left blank are absent.
    pub capacities: Vec<(u8, u32)>,
}

/// The date of slots or of a booking: a date, today or later (a slot in the past takes nobody).
pub fn parse_coming_date(input: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let day = parse_date(input)?;
    if day < today {
        return Err(FieldError::DateInPast);
    }
    Ok(day)
}

impl SlotForm {
    /// A form for `day` showing `capacities` ((hour, people)); other hours blank.
    pub fn of(day: NaiveDate, capacities: &[(u8, u32)]) -> Self {
        Self {
            day: day.to_string(),
            capacities: SLOT_HOURS
                .map(|hour| {
                    capacities
                        .iter()
                        .find(|(h, _)| *h == hour)
                        .map(|(_, people)| people.to_string())
                        .unwrap_or_default()
                })
                .collect(),
        }
    }

    /// Checks the date (today or later) and each hour's number of people (blank, or a whole
    /// number up to [`MAX_PER_HOUR`]).
    pub fn validate(&self, today: NaiveDate) -> Result<CheckedSlots, FieldErrors> {
        let mut errors = FieldErrors::new();
        let day = errors.check("day", parse_coming_date(&self.day, today));
        let mut capacities = Vec::new();
        for (hour, typed) in SLOT_HOURS.zip(self.capacities.iter()) {
            let typed = normalize_width(typed);
            if typed.trim().is_empty() {
                continue;
            }
            let field = capacity_field(hour);
            if let Some(people) = errors.check(&field, Count::parse(typed.trim(), MAX_PER_HOUR)) {
                capacities.push((hour, people.get()));
            }
        }
        if self.capacities.len() > SLOT_HOURS.count() {
            errors.add("capacities", FieldError::InvalidChoice);
        }
        match day {
            Some(day) if errors.is_empty() => Ok(CheckedSlots { day, capacities }),
            _ => Err(errors),
        }
    }
}

/// 接種券番号: the ten digits printed on the vaccination ticket the municipality sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketNumber(String);

impl TicketNumber {
    /// Parses the number: ten digits, full-width digits, spaces and hyphens allowed while typing.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits: String = normalize_width(input)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if digits.is_empty() {
            return Err(FieldError::Required);
        }
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::TenDigitCode);
        }
        Ok(Self(digits))
    }

    /// The ten digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

parsed_from_string!(TicketNumber);

/// A booking, as the municipality types it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingForm {
    /// 予約日
    pub day: String,
    /// 予約時間: the slot's hour ("9" for 9:00–10:00).
    pub hour: String,
    /// 氏名
    pub name: String,
    /// ふりがな
    pub kana: String,
    /// 生年月日
    pub birth_date: String,
    /// 電話番号
    pub phone: String,
    /// 接種券番号
    pub ticket_number: String,
    /// 接種回数: "1" or "2".
    pub dose: String,
    /// ワクチン: the vaccine's code.
    pub vaccine: String,
}

/// A booking, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBooking {
    /// 予約日
    pub day: NaiveDate,
    /// 予約時間 (the slot's hour).
    pub hour: u8,
    /// 氏名
    pub name: String,
    /// ふりがな
    pub kana: Furigana,
    /// 生年月日
    pub birth_date: NaiveDate,
    /// 電話番号 (normalised).
    pub phone: String,
    /// 接種券番号
    pub ticket_number: TicketNumber,
    /// 接種回数
    pub dose: Dose,
    /// ワクチン's code.
    pub vaccine: String,
}

/// 接種回数 as stored and sent: 1 or 2.
pub fn dose_number(dose: Dose) -> i64 {
    match dose {
        Dose::First => 1,
        Dose::Second => 2,
    }
}

/// The dose of a stored or sent number.
pub fn dose_of_number(number: i64) -> Option<Dose> {
    match number {
        1 => Some(Dose::First),
        2 => Some(Dose::Second),
        _ => None,
    }
}

impl BookingForm {
    /// Checks the booking: a date today or later and an hour of [`SLOT_HOURS`], a name, a reading
    /// in hiragana, a birth date not in the future, a phone number, a ten-digit 接種券番号, the
    /// dose, and one of `vaccines` (the site's). Whether the slot exists and has room, and
    /// whether the number is already booked, the server decides.
    pub fn validate(
        &self,
        vaccines: &[String],
        today: NaiveDate,
    ) -> Result<NewBooking, FieldErrors> {
        let mut errors = FieldErrors::new();
        let day = errors.check("day", parse_coming_date(&self.day, today));
        let hour = match self.hour.trim() {
            "" => {
                errors.add("hour", FieldError::Required);
                None
            }
            typed => match typed.parse::<u8>() {
                Ok(hour) if SLOT_HOURS.contains(&hour) => Some(hour),
                _ => {
                    errors.add("hour", FieldError::InvalidChoice);
                    None
                }
            },
        };
        let name = clean(&self.name).trim().to_string();
        if name.is_empty() {
            errors.add("name", FieldError::Required);
        } else if name.chars().count() > MAX_NAME {
            errors.add("name", FieldError::TooLong { max: MAX_NAME });
        }
        let kana = errors.check("kana", Furigana::parse(&self.kana));
        let birth_date = errors.check("birth_date", parse_past_date(&self.birth_date, today));
        let phone = errors.check("phone", PhoneNumber::parse(&self.phone).map(String::from));
        let ticket_number = errors.check("ticket_number", TicketNumber::parse(&self.ticket_number));
        let dose = match self.dose.as_str() {
            "" => {
                errors.add("dose", FieldError::Required);
                None
            }
            typed => errors.check(
                "dose",
                typed
                    .parse::<i64>()
                    .ok()
                    .and_then(dose_of_number)
                    .ok_or(FieldError::InvalidChoice),
            ),
        };
        let vaccine = self.vaccine.trim().to_string();
        if vaccine.is_empty() {
            errors.add("vaccine", FieldError::Required);
        } else if !vaccines.contains(&vaccine) {
            errors.add("vaccine", FieldError::VaccineNotHandled);
        }
        match (day, hour, kana, birth_date, phone, ticket_number, dose) {
            (
                Some(day),
                Some(hour),
                Some(kana),
                Some(birth_date),
                Some(phone),
                Some(ticket_number),
                Some(dose),
            ) if errors.is_empty() => Ok(NewBooking {
                day,
                hour,
                name,
                kana,
                birth_date,
                phone,
                ticket_number,
                dose,
                vaccine,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests;
