//! Japan Standard Time: every date and time users type or read is in it.

use crate::domain::parse_date;
use crate::error::FieldError;
use crate::text::normalize_width;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Japan Standard Time, the zone of every date and time users type or read.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("nine hours is a valid offset")
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse_jst_minute(text).unwrap()
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
}
