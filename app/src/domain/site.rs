//! Values of the site record (医療機関・接種会場): postal codes, phone numbers, web addresses,
//! readings in hiragana, counts and contract dates. Each parses what clinic staff type on a
//! Japanese keyboard (full-width digits, the many dash look-alikes) into one normal form.

use crate::error::FieldError;
use crate::text::{clean, digits_only, normalize_width};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 予約の受付情報: whether a site takes reservations now (one of the five statuses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReservationStatus {
    /// 予約可能
    Available,
    /// 予約不可 (fully booked)
    Full,
    /// 予約受付不可 (not taking reservations)
    NotAccepting,
    /// 予約不要 (walk in)
    NotRequired,
    /// 未登録 (never set)
    Unregistered,
}

impl ReservationStatus {
    /// Every status, in the order the seed lists them.
    pub const ALL: [ReservationStatus; 5] = [
        ReservationStatus::Available,
        ReservationStatus::Full,
        ReservationStatus::NotAccepting,
        ReservationStatus::NotRequired,
        ReservationStatus::Unregistered,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ReservationStatus::Available => "available",
            ReservationStatus::Full => "full",
            ReservationStatus::NotAccepting => "not_accepting",
            ReservationStatus::NotRequired => "not_required",
            ReservationStatus::Unregistered => "unregistered",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or(FieldError::InvalidChoice)
    }
}

/// 郵便番号, always stored as `000-0000`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);

impl PostalCode {
    /// Accepts `1000001`, `100-0001`, `１００－０００１`, `〒100ー0001`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = clean(input);
        let value = value.trim_start_matches('〒').trim();
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        let shaped = value.len() == 7 || (value.len() == 8 && value.as_bytes()[3] == b'-');
        match digits_only(value) {
            Some(digits) if shaped && digits.len() == 7 => {
                Ok(Self(format!("{}-{}", &digits[..3], &digits[3..])))
            }
            _ => Err(FieldError::PostalCodeFormat),
        }
    }

    /// `000-0000`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Japanese phone or fax number: 10 digits (landlines, 0120, 0570) or 11 (mobile 070/080/090,
/// IP 050), starting with 0; `+81` is read as the leading 0. Kept with the user's hyphens, or
/// as plain digits when none were typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts `03-1234-5678`, `０３（１２３４）５６７８`, `+81 3 1234 5678`, `09012345678`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = clean(input);
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        let value = match value.strip_prefix("+81") {
            Some(rest) => format!(
                "0{}",
                rest.trim_start_matches([' ', '-', '('])
                    .trim_start_matches('0')
            ),
            None => value,
        };
        let shaped: String = value
            .chars()
            .map(|c| if matches!(c, '(' | ')' | ' ') { '-' } else { c })
            .collect();
        let shaped = shaped.trim_matches('-').to_string();
        let digits = digits_only(&shaped).ok_or(FieldError::PhoneFormat)?;
        let mobile_or_ip = ["070", "080", "090", "050"]
            .iter()
            .any(|p| digits.starts_with(p));
        let length_ok = if mobile_or_ip {
            digits.len() == 11
        } else {
            digits.len() == 10
        };
        if !digits.starts_with('0') || !length_ok || shaped.contains("--") {
            return Err(FieldError::PhoneFormat);
        }
        Ok(Self(shaped))
    }

    /// The number, ASCII digits and hyphens.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A web address (ホームページ, 予約受付サイトURL): http or https, a host with a dot, no spaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WebUrl(String);

impl WebUrl {
    /// Parses an address; full-width characters are normalised.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = clean(input);
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.len() > 2048 {
            return Err(FieldError::TooLong { max: 2048 });
        }
        let rest = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"))
            .ok_or(FieldError::UrlFormat)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
        let host_name = host.split(':').next().unwrap_or_default();
        let host_ok = host_name.contains('.')
            && !host_name.starts_with('.')
            && !host_name.ends_with('.')
            && host_name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !host_ok || value.chars().any(char::is_whitespace) {
            return Err(FieldError::UrlFormat);
        }
        Ok(Self(value))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A reading in hiragana (氏名（こうろう たろう）, 医療機関・接種会場名(ふりがな)): hiragana, the
/// long-vowel mark ー and spaces. A full-width space becomes a space; runs of spaces become one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Furigana(String);

impl Furigana {
    /// Parses a reading.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let spaced = input.replace('\u{3000}', " ");
        let value = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.chars().count() > 100 {
            return Err(FieldError::TooLong { max: 100 });
        }
        let allowed = |c: char| matches!(c, '\u{3041}'..='\u{3096}' | 'ゝ' | 'ゞ' | 'ー' | ' ');
        if !value.chars().all(allowed) {
            return Err(FieldError::FuriganaFormat);
        }
        Ok(Self(value))
    }

    /// The reading.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A count of things (ディープフリーザー(台), 駐車場): a whole number from 0 to `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count(u32);

impl Count {
    /// Parses `3`, `３`, `3台`; refuses negatives, fractions and words.
    pub fn parse(input: &str, max: u32) -> Result<Self, FieldError> {
        let value = clean(input);
        let value = value.trim_end_matches(['台', '人']).trim();
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if !value.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::CountFormat);
        }
        let number: u64 = value.parse().map_err(|_| FieldError::TooLarge { max })?;
        if number > u64::from(max) {
            return Err(FieldError::TooLarge { max });
        }
        Ok(Self(number as u32))
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// Parses a calendar date: `2021-03-06`, `2021/3/6`, `２０２１／０３／０６`.
pub fn parse_date(input: &str) -> Result<NaiveDate, FieldError> {
    let value = normalize_width(input).trim().replace(['/', '.'], "-");
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    // By hand rather than `NaiveDate::parse_from_str`: chrono's format parser would add about
    // 9 KB to the browser's code for this one pattern.
    let mut parts = value.split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(FieldError::DateFormat);
    };
    let number = |text: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    match (
        number(year, 4..=4),
        number(month, 1..=2),
        number(day, 1..=2),
    ) {
        (Some(year), Some(month), Some(day)) => {
            NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(FieldError::DateFormat)
        }
        _ => Err(FieldError::DateFormat),
    }
}

/// 集合契約加入日 and 集合契約脱退日: both optional, and leaving not before joining.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractDates {
    /// 集合契約加入日
    pub joined: Option<NaiveDate>,
    /// 集合契約脱退日
    pub left: Option<NaiveDate>,
}

impl ContractDates {
    /// Parses both fields; the error names the field it belongs to (`joined` or `left`).
    pub fn parse(joined: &str, left: &str) -> Result<Self, (&'static str, FieldError)> {
        let optional = |field: &'static str, input: &str| match parse_date(input) {
            Ok(date) => Ok(Some(date)),
            Err(FieldError::Required) => Ok(None),
            Err(error) => Err((field, error)),
        };
        let joined = optional("joined", joined)?;
        let left = optional("left", left)?;
        if let (Some(j), Some(l)) = (joined, left) {
            if l < j {
                return Err(("left", FieldError::DateOrder));
            }
        }
        Ok(Self { joined, left })
    }
}

parsed_from_string!(PostalCode, PhoneNumber, WebUrl, Furigana);

choice_from_string!(ReservationStatus);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservation_status_round_trips_through_its_stored_name() {
        for status in ReservationStatus::ALL {
            assert_eq!(ReservationStatus::parse(status.as_str()), Ok(status));
        }
        assert_eq!(
            ReservationStatus::parse("maybe"),
            Err(FieldError::InvalidChoice)
        );
    }

    #[test]
    fn postal_code_accepts_full_width_and_dash_variants() {
        for input in [
            "1000001",
            "100-0001",
            "１００－０００１",
            "〒100ー0001",
            " 100‐0001 ",
            "100−0001",
        ] {
            assert_eq!(
                PostalCode::parse(input).unwrap().as_str(),
                "100-0001",
                "{input}"
            );
        }
    }

    #[test]
    fn postal_code_refuses_wrong_lengths_and_misplaced_hyphens() {
        for input in ["100-001", "10000011", "10-00001", "100-00a1", "abc-defg"] {
            assert_eq!(
                PostalCode::parse(input),
                Err(FieldError::PostalCodeFormat),
                "{input}"
            );
        }
        assert_eq!(PostalCode::parse("　"), Err(FieldError::Required));
    }

    #[test]
    fn phone_accepts_landlines_mobiles_and_full_width_with_parentheses() {
        assert_eq!(
            PhoneNumber::parse("03-1234-5678").unwrap().as_str(),
            "03-1234-5678"
        );
        assert_eq!(
            PhoneNumber::parse("０３（１２３４）５６７８")
                .unwrap()
                .as_str(),
            "03-1234-5678"
        );
        assert_eq!(
            PhoneNumber::parse("090-1234-5678").unwrap().as_str(),
            "090-1234-5678"
        );
        assert_eq!(
            PhoneNumber::parse("0120-123-456").unwrap().as_str(),
            "0120-123-456"
        );
        assert_eq!(
            PhoneNumber::parse("0312345678").unwrap().as_str(),
            "0312345678"
        );
        assert_eq!(
            PhoneNumber::parse("+81 3 1234 5678").unwrap().as_str(),
            "03-1234-5678"
        );
    }

    #[test]
    fn phone_refuses_wrong_lengths_and_letters() {
        for input in [
            "03-1234-567",
            "090-1234-567",
            "3-1234-5678",
            "03-1234-56789",
            "03-ABCD-5678",
            "03--1234-5678",
        ] {
            assert_eq!(
                PhoneNumber::parse(input),
                Err(FieldError::PhoneFormat),
                "{input}"
            );
        }
    }

    #[test]
    fn url_needs_http_or_https_and_a_host_with_a_dot() {
        assert!(WebUrl::parse("https://www.example-clinic.jp/yoyaku?x=1").is_ok());
        assert!(WebUrl::parse("ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ").is_ok());
        assert!(WebUrl::parse("http://病院.jp/").is_ok());
        for input in [
            "www.example.jp",
            "ftp://example.jp",
            "https://localhost",
            "https://exa mple.jp",
            "https://.jp",
        ] {
            assert_eq!(WebUrl::parse(input), Err(FieldError::UrlFormat), "{input}");
        }
    }

    #[test]
    fn furigana_allows_hiragana_spaces_and_the_long_vowel_mark() {
        assert_eq!(
            Furigana::parse("こうろう　たろう").unwrap().as_str(),
            "こうろう たろう"
        );
        assert_eq!(
            Furigana::parse("  ちよだく  みなみ  くりにっく ")
                .unwrap()
                .as_str(),
            "ちよだく みなみ くりにっく"
        );
        assert!(Furigana::parse("せんたー").is_ok());
        for input in ["コウロウ タロウ", "厚労 太郎", "korou taro", "こうろう1"] {
            assert_eq!(
                Furigana::parse(input),
                Err(FieldError::FuriganaFormat),
                "{input}"
            );
        }
    }

    #[test]
    fn count_accepts_full_width_digits_and_a_unit_and_refuses_negatives() {
        assert_eq!(Count::parse("３", 1000).unwrap().get(), 3);
        assert_eq!(Count::parse("10台", 1000).unwrap().get(), 10);
        assert_eq!(Count::parse("0", 1000).unwrap().get(), 0);
        assert_eq!(Count::parse("-1", 1000), Err(FieldError::CountFormat));
        assert_eq!(Count::parse("1.5", 1000), Err(FieldError::CountFormat));
        assert_eq!(
            Count::parse("1001", 1000),
            Err(FieldError::TooLarge { max: 1000 })
        );
        assert_eq!(
            Count::parse("99999999999999999999", 1000),
            Err(FieldError::TooLarge { max: 1000 })
        );
    }

    #[test]
    fn dates_accept_slashes_and_full_width() {
        let expected = NaiveDate::from_ymd_opt(2021, 3, 6).unwrap();
        assert_eq!(parse_date("2021-03-06"), Ok(expected));
        assert_eq!(parse_date("2021/3/6"), Ok(expected));
        assert_eq!(parse_date("２０２１／０３／０６"), Ok(expected));
        assert_eq!(parse_date("2021-02-30"), Err(FieldError::DateFormat));
        for malformed in [
            "2021-03",
            "2021-03-06-01",
            "21-03-06",
            "2021-003-06",
            "2021-+3-06",
            "2021-03-6x",
            "令和3-03-06",
        ] {
            assert_eq!(
                parse_date(malformed),
                Err(FieldError::DateFormat),
                "{malformed}"
            );
        }
    }

    #[test]
    fn contract_dates_are_optional_but_leaving_cannot_precede_joining() {
        assert_eq!(
            ContractDates::parse("", ""),
            Ok(ContractDates {
                joined: None,
                left: None
            })
        );
        assert!(ContractDates::parse("2021-03-06", "2021-03-06").is_ok());
        assert_eq!(
            ContractDates::parse("2021-03-06", "2021-03-05"),
            Err(("left", FieldError::DateOrder))
        );
        assert_eq!(
            ContractDates::parse("2021-13-01", ""),
            Err(("joined", FieldError::DateFormat))
        );
    }
}
