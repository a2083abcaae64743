//! ワクチン・針・シリンジマスタ (one vaccine as edited) and 納入ロットの登録.

use super::{bounded_number, text, SupplySection, DATE_PATTERN};
use crate::domain::form_fields::{Field, Form, Input, Label, Options, TextRule};
use crate::domain::{parse_date, VACCINE_LIST};
use crate::error::{FieldError, FieldErrors};
use crate::text::normalize_width;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
