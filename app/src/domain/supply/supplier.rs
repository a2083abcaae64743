//! 製薬メーカー・卸 and their 担当地域 (service areas): a supplier sees and acts only on the
//! deliveries to sites inside its area, a whole prefecture or single municipalities in it.
//! National and admin users register suppliers and set their areas.

use super::{text, SupplySection};
use crate::domain::form_fields::{Field, Form, Input, Label, Options, TextRule};
use crate::error::{FieldError, FieldErrors};

/// The list of suppliers an area form chooses from.
pub const SUPPLIER_LIST: &str = "suppliers";
/// The list of municipalities of the prefecture shown.
pub const AREA_MUNICIPALITY_LIST: &str = "area_municipalities";

/// Longest supplier name.
const NAME_MAX: usize = 100;

/// 製薬メーカー・卸の登録, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SupplierForm {
    /// 名称
    pub name: String,
}

/// The fields of [`SupplierForm`].
pub const SUPPLIER_FIELDS: &[Field<SupplierForm>] = &[text::<SupplierForm>(
    "name",
    SupplySection::Supplier,
    Label::new(
        "名称（製薬メーカー・卸）",
        "Name (manufacturer or wholesaler)",
    ),
    Input::Text,
    |f| &f.name,
    |f| &mut f.name,
    TextRule::Line(NAME_MAX),
)
.required()];

impl Form for SupplierForm {
    type Section = SupplySection;

    fn fields() -> &'static [Field<Self>] {
        SUPPLIER_FIELDS
    }
}

impl SupplierForm {
    /// The name to store (cleaned of controls and invisible characters, trimmed), unless it
    /// is one of `taken` already.
    pub fn validate(&self, taken: &[String]) -> Result<String, FieldErrors> {
        let (out, mut errors) = self.check_fields(|_| Vec::new());
        if errors.is_empty() && taken.iter().any(|t| t == &out.name) {
            errors.add("name", FieldError::NameTaken);
        }
        if errors.is_empty() {
            Ok(out.name)
        } else {
            Err(errors)
        }
    }
}

/// 担当地域の追加 in one prefecture, as chosen: the supplier and a municipality (blank: the
/// whole prefecture).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AreaForm {
    /// 製薬メーカー・卸: a supplier id.
    pub supplier: String,
    /// 市区町村: a municipality code, or blank for the whole prefecture.
    pub municipality: String,
}

/// The fields of [`AreaForm`].
pub const AREA_FIELDS: &[Field<AreaForm>] = &[
    text::<AreaForm>(
        "supplier",
        SupplySection::Area,
        Label::new("製薬メーカー・卸", "Manufacturer or wholesaler"),
        Input::Select {
            options: Options::Given(SUPPLIER_LIST),
            blank: true,
        },
        |f| &f.supplier,
        |f| &mut f.supplier,
        TextRule::Chosen,
    )
    .required(),
    text::<AreaForm>(
        "municipality",
        SupplySection::Area,
        Label::new("市区町村", "Municipality"),
        // The list offered begins with the whole prefecture (the value "").
        Input::Select {
            options: Options::Given(AREA_MUNICIPALITY_LIST),
            blank: false,
        },
        |f| &f.municipality,
        |f| &mut f.municipality,
        TextRule::Chosen,
    ),
];

impl Form for AreaForm {
    type Section = SupplySection;

    fn fields() -> &'static [Field<Self>] {
        AREA_FIELDS
    }
}

/// A part of a service area in the prefecture shown, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewArea {
    /// The supplier's id.
    pub supplier: i64,
    /// The municipality's code; `None`: the whole prefecture.
    pub municipality: Option<String>,
}

/// A supplier's area in one prefecture as it stands: `(supplier id, municipality code)`, the
/// code `None` for the whole prefecture.
pub type AreaEntry = (i64, Option<String>);

impl AreaForm {
    /// Checks the choice against the suppliers and the prefecture's municipalities offered,
    /// and against what the supplier already covers there: a municipality inside a prefecture it
    /// serves whole, or one it already serves, is refused. (The whole prefecture may be added
    /// over single municipalities: it replaces them.)
    pub fn validate(
        &self,
        suppliers: &[String],
        municipalities: &[String],
        existing: &[AreaEntry],
    ) -> Result<NewArea, FieldErrors> {
        let (out, mut errors) = self.check_fields(|list| match list {
            SUPPLIER_LIST => suppliers.to_vec(),
            _ => municipalities.to_vec(),
        });
        let supplier = out.supplier.parse::<i64>().ok();
        if let (Some(supplier), true) = (supplier, errors.is_empty()) {
            let municipality = (!out.municipality.is_empty()).then(|| out.municipality.clone());
            let covered = existing.iter().any(|(s, m)| {
                *s == supplier && (m.is_none() || (municipality.is_some() && *m == municipality))
            });
            if covered {
                let field = if municipality.is_some() {
                    "municipality"
                } else {
                    "supplier"
                };
                errors.add(field, FieldError::AreaAlreadyCovered);
            } else {
                return Ok(NewArea {
                    supplier,
                    municipality,
                });
            }
        }
        if errors.is_empty() {
            errors.add("supplier", FieldError::InvalidChoice);
        }
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(supplier: &str, municipality: &str) -> AreaForm {
        AreaForm {
            supplier: supplier.into(),
            municipality: municipality.into(),
        }
    }

    fn check(f: AreaForm, existing: &[AreaEntry]) -> Result<NewArea, FieldErrors> {
        f.validate(
            &["1".into(), "2".into()],
            &["131016".into(), "131032".into()],
            existing,
        )
    }

    #[test]
    fn an_area_is_a_supplier_offered_and_a_municipality_of_the_prefecture_or_none() {
        assert_eq!(
            check(form("1", "131032"), &[]),
            Ok(NewArea {
                supplier: 1,
                municipality: Some("131032".into())
            })
        );
        assert_eq!(
            check(form("2", ""), &[]),
            Ok(NewArea {
                supplier: 2,
                municipality: None
            })
        );
        let errors = check(form("", "271004"), &[]).unwrap_err();
        assert_eq!(errors.get("supplier"), Some(&FieldError::Required));
        assert_eq!(errors.get("municipality"), Some(&FieldError::InvalidChoice));
        let errors = check(form("9", ""), &[]).unwrap_err();
        assert_eq!(errors.get("supplier"), Some(&FieldError::InvalidChoice));
    }

    #[test]
    fn what_the_supplier_already_covers_is_refused_but_the_whole_prefecture_may_replace_parts() {
        let whole: &[AreaEntry] = &[(1, None)];
        let part: &[AreaEntry] = &[(1, Some("131016".into()))];
        assert_eq!(
            check(form("1", "131016"), whole)
                .unwrap_err()
                .get("municipality"),
            Some(&FieldError::AreaAlreadyCovered)
        );
        assert_eq!(
            check(form("1", ""), whole).unwrap_err().get("supplier"),
            Some(&FieldError::AreaAlreadyCovered)
        );
        assert_eq!(
            check(form("1", "131016"), part)
                .unwrap_err()
                .get("municipality"),
            Some(&FieldError::AreaAlreadyCovered)
        );
        assert!(check(form("1", "131032"), part).is_ok());
        assert!(check(form("1", ""), part).is_ok());
        // Another supplier's area is no obstacle.
        assert!(check(form("2", "131016"), whole).is_ok());
    }

    #[test]
    fn a_supplier_name_is_required_and_unique() {
        let taken = ["さくら医薬品卸（デモ）".to_string()];
        let named = |name: &str| SupplierForm { name: name.into() }.validate(&taken);
        assert_eq!(named("  つばき薬品  "), Ok("つばき薬品".into()));
        assert_eq!(
            named("").unwrap_err().get("name"),
            Some(&FieldError::Required)
        );
        assert_eq!(
            named("さくら医薬品卸（デモ）").unwrap_err().get("name"),
            Some(&FieldError::NameTaken)
        );
    }
}
