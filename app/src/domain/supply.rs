//! The supply chain's master data and cools (SPEC §5): the vaccine master (ワクチン・針・シリンジ
//! マスタ), 納入ロット, the cool (クール) with its 希望量 window and its state, and 希望量 itself.
//! The forms are field tables (see [`crate::domain::form_fields`]) checked in the browser and
//! again on the server.

mod cool;
mod delivery;
mod jst;
mod ledger;
mod master;
mod stock;
mod supplier;

pub use cool::*;
pub use delivery::*;
pub use jst::*;
pub use ledger::*;
pub use master::*;
pub use stock::*;
pub use supplier::*;

use crate::domain::form_fields::{Access, Field, Form, Input, Label, Section, TextRule};
use crate::domain::Count;
use crate::error::FieldError;
use crate::text::normalize_width;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most boxes a cool, an allocation or a request may count.
pub const MAX_BOXES: u32 = 1_000_000;

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

/// The one section of the small supply forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SupplySection {
    /// クールの作成
    Cool,
    /// 納入ロットの登録
    Lot,
    /// ワクチン・針・シリンジマスタ
    Vaccine,
    /// 移送・融通の登録
    Transfer,
    /// 廃棄の登録
    Waste,
    /// 製薬メーカー・卸の登録
    Supplier,
    /// 担当地域の追加
    Area,
}

impl Section for SupplySection {
    const ALL: &'static [Self] = &[
        Self::Cool,
        Self::Lot,
        Self::Vaccine,
        Self::Transfer,
        Self::Waste,
        Self::Supplier,
        Self::Area,
    ];

    fn title(self) -> Label {
        match self {
            SupplySection::Cool => Label::new("クールの作成", "New cool"),
            SupplySection::Lot => Label::new("納入ロットの登録", "Register a lot"),
            SupplySection::Vaccine => Label::new(
                "ワクチン・針・シリンジマスタ",
                "Vaccines, needles and syringes",
            ),
            SupplySection::Transfer => Label::new("移送・融通の登録", "Register a transfer"),
            SupplySection::Waste => Label::new("廃棄の登録", "Register waste"),
            SupplySection::Supplier => Label::new("製薬メーカー・卸の登録", "Register a supplier"),
            SupplySection::Area => Label::new("担当地域の追加", "Add to a service area"),
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

form_serde!(
    CoolForm,
    LotForm,
    VaccineForm,
    TransferForm,
    WasteForm,
    SupplierForm,
    AreaForm
);

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

const DATE_PATTERN: Input = Input::Patterned("2026-04-20");

#[cfg(test)]
mod tests {
    use super::*;

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
}
