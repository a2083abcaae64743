//! The table of the site record's fields, in form order: key, label, section, input, rule,
//! required condition, approval flag and accessor of each. Everything else about a field
//! (its stored string, its check, its ※, its JSON, how it renders and reads) follows from here.
//! The table is written in three parts: the institution and its vaccines, the people
//! responsible, and what the public sees.

mod contacts;
mod institution;
mod public;

use super::{SiteForm, SiteSection};
use crate::domain::form_fields::{join_fields, Access, Field, Form, Input, Label, TextRule};
use crate::domain::{parse_date, Count, EmailAddress, Furigana, PhoneNumber, PostalCode, WebUrl};
use crate::error::FieldError;

/// The list of vaccines the server sends with the record (every vaccine of the master).
pub const VACCINE_LIST: &str = "vaccines";
/// The list of basic sites a satellite may name, sent with the record.
pub const BASIC_SITE_LIST: &str = "basic_sites";

type Get = fn(&SiteForm) -> &String;
type GetMut = fn(&mut SiteForm) -> &mut String;

/// A field of free text on one line, at most `max` characters.
const fn line(
    key: &'static str,
    section: SiteSection,
    label: Label,
    max: usize,
    get: Get,
    get_mut: GetMut,
) -> Field<SiteForm> {
    let rule = TextRule::Line(max);
    Field::new(
        key,
        section,
        label,
        Input::Text,
        Access::Text { get, get_mut, rule },
    )
}

/// A field of free text over several lines (the notices), at most 1000 characters.
const fn notice(key: &'static str, label: Label, get: Get, get_mut: GetMut) -> Field<SiteForm> {
    let rule = TextRule::Lines(1000);
    Field::new(
        key,
        SiteSection::Public,
        label,
        Input::Lines,
        Access::Text { get, get_mut, rule },
    )
}

/// A field with one normal form, entered as `input`.
const fn parsed(
    key: &'static str,
    section: SiteSection,
    label: Label,
    input: Input,
    parse: fn(&str) -> Result<String, FieldError>,
    get: Get,
    get_mut: GetMut,
) -> Field<SiteForm> {
    let rule = TextRule::Parsed(parse);
    Field::new(
        key,
        section,
        label,
        input,
        Access::Text { get, get_mut, rule },
    )
}

/// A field entered as `input`, read and written by `access`.
const fn field(
    key: &'static str,
    section: SiteSection,
    label: Label,
    input: Input,
    access: Access<SiteForm>,
) -> Field<SiteForm> {
    Field::new(key, section, label, input, access)
}

const fn l(ja: &'static str, en: &'static str) -> Label {
    Label::new(ja, en)
}

const DATE: Input = Input::Patterned("2021-03-06");

fn phone(value: &str) -> Result<String, FieldError> {
    PhoneNumber::parse(value).map(|p| p.as_str().to_string())
}

fn email(value: &str) -> Result<String, FieldError> {
    EmailAddress::parse(value).map(|e| e.as_str().to_string())
}

fn web_url(value: &str) -> Result<String, FieldError> {
    WebUrl::parse(value).map(|u| u.as_str().to_string())
}

fn date(value: &str) -> Result<String, FieldError> {
    parse_date(value).map(|d| d.to_string())
}

fn postal_code(value: &str) -> Result<String, FieldError> {
    PostalCode::parse(value).map(|p| p.as_str().to_string())
}

fn furigana(value: &str) -> Result<String, FieldError> {
    Furigana::parse(value).map(|f| f.as_str().to_string())
}

fn freezers(value: &str) -> Result<String, FieldError> {
    Count::parse(value, 100).map(|c| c.get().to_string())
}

fn parking_spaces(value: &str) -> Result<String, FieldError> {
    Count::parse(value, 10_000).map(|c| c.get().to_string())
}

/// 保険医療機関コード and 介護保険事業所番号: ten digits (hyphens and full width allowed).
pub fn parse_ten_digit_code(input: &str) -> Result<String, FieldError> {
    use crate::text::{clean, digits_only};
    match digits_only(&clean(input)) {
        Some(digits) if digits.len() == 10 => Ok(digits),
        _ => Err(FieldError::TenDigitCode),
    }
}

/// A full address begins with its prefecture (東京都…, 北海道…, 大阪府…, 神奈川県…).
fn full_address(input: &str) -> Result<String, FieldError> {
    let value = input.trim().to_string();
    let head: String = value.chars().take(4).collect();
    if head.contains(['都', '道', '府', '県']) {
        Ok(value)
    } else {
        Err(FieldError::AddressNeedsPrefecture)
    }
}

fn delivery_named(form: &SiteForm) -> bool {
    !form.delivery_name.trim().is_empty()
}

fn wants_doctor_email(form: &SiteForm) -> bool {
    !form.doctor_no_email
}

/// Every field of the record, in form order.
/// Every field of the record, in form order.
pub const SITE_FIELDS: &[Field<SiteForm>] =
    &join_fields::<SiteForm, 58>(&[institution::FIELDS, contacts::FIELDS, public::FIELDS]);

impl Form for SiteForm {
    type Section = SiteSection;

    fn fields() -> &'static [Field<Self>] {
        SITE_FIELDS
    }
}

/// The field with this key.
pub fn site_field(key: &str) -> Option<&'static Field<SiteForm>> {
    SiteForm::field(key)
}
