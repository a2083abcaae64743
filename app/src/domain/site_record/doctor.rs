//! A doctor of a site (医師情報の編集): a small form of its own, on the same machinery as the
//! site record.

use crate::domain::form_fields::{
    deserialize_form, serialize_form, Access, Field, Form, Input, Label, Options, Section, TextRule,
};
use crate::domain::{EmailAddress, Furigana, PhoneNumber};
use crate::error::{FieldError, FieldErrors};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The one section of the doctor form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoctorSection {
    /// 医師情報
    Doctor,
}

impl Section for DoctorSection {
    const ALL: &'static [Self] = &[Self::Doctor];

    fn title(self) -> Label {
        Label::new("医師情報", "Doctors")
    }
}

/// A doctor of a site as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DoctorForm {
    /// (医師)氏名(厚労 太郎)
    pub name: String,
    /// (医師)氏名(こうろう たろう)
    pub kana: String,
    /// 電話番号
    pub phone: String,
    /// メールアドレス
    pub email: String,
    /// 取扱ワクチン(医師個人): vaccine codes.
    pub vaccines: Vec<String>,
}

/// The list of the vaccines the site handles, the only ones a doctor may be given.
pub const SITE_VACCINE_LIST: &str = "site_vaccines";

const fn field(
    key: &'static str,
    label: Label,
    input: Input,
    access: Access<DoctorForm>,
) -> Field<DoctorForm> {
    Field::new(key, DoctorSection::Doctor, label, input, access)
}

const fn parsed(
    parse: fn(&str) -> Result<String, FieldError>,
    get: fn(&DoctorForm) -> &String,
    get_mut: fn(&mut DoctorForm) -> &mut String,
) -> Access<DoctorForm> {
    Access::Text {
        get,
        get_mut,
        rule: TextRule::Parsed(parse),
    }
}

/// The doctor's fields, in form order.
pub const DOCTOR_FIELDS: &[Field<DoctorForm>] = &[
    field(
        "name",
        Label::new("(医師)氏名(厚労 太郎)", "Doctor's name"),
        Input::Text,
        Access::Text {
            get: |d| &d.name,
            get_mut: |d| &mut d.name,
            rule: TextRule::Line(50),
        },
    )
    .required(),
    field(
        "kana",
        Label::new("(医師)氏名(こうろう たろう)", "Doctor's name (hiragana)"),
        Input::Text,
        parsed(
            |v| Furigana::parse(v).map(|f| f.as_str().to_string()),
            |d| &d.kana,
            |d| &mut d.kana,
        ),
    )
    .required(),
    field(
        "phone",
        Label::new("電話番号", "Phone"),
        Input::Tel,
        parsed(
            |v| PhoneNumber::parse(v).map(|p| p.as_str().to_string()),
            |d| &d.phone,
            |d| &mut d.phone,
        ),
    ),
    field(
        "email",
        Label::new("メールアドレス", "E-mail"),
        Input::Email,
        parsed(
            |v| EmailAddress::parse(v).map(|e| e.as_str().to_string()),
            |d| &d.email,
            |d| &mut d.email,
        ),
    ),
    field(
        "vaccines",
        Label::new("取扱ワクチン(医師個人)", "Vaccines (this doctor)"),
        Input::Checks(Options::Given(SITE_VACCINE_LIST)),
        Access::List {
            get: |d| &d.vaccines,
            get_mut: |d| &mut d.vaccines,
        },
    ),
];

impl Form for DoctorForm {
    type Section = DoctorSection;

    fn fields() -> &'static [Field<Self>] {
        DOCTOR_FIELDS
    }
}

impl Serialize for DoctorForm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_form(self, serializer)
    }
}

impl<'de> Deserialize<'de> for DoctorForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_form(deserializer)
    }
}

impl DoctorForm {
    /// Checks the doctor; `site_vaccines` are the vaccines the site handles, the only ones a
    /// doctor may be given.
    pub fn validate(&self, site_vaccines: &[String]) -> Result<DoctorForm, FieldErrors> {
        let (out, mut errors) = self.check_fields(|_| site_vaccines.to_vec());
        // A vaccine outside the site's list is one the site does not handle: say so.
        if errors.get("vaccines") == Some(&FieldError::InvalidChoice) {
            errors
                .0
                .insert("vaccines".into(), FieldError::VaccineNotHandled);
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doctor_may_only_take_vaccines_the_site_handles() {
        let doctor = DoctorForm {
            name: "厚労 太郎".into(),
            kana: "こうろう　たろう".into(),
            vaccines: vec!["pfizer".into()],
            ..DoctorForm::default()
        };
        assert_eq!(
            doctor
                .validate(&["moderna".into()])
                .unwrap_err()
                .get("vaccines"),
            Some(&FieldError::VaccineNotHandled)
        );
        let stored = doctor.validate(&["pfizer".into()]).unwrap();
        assert_eq!(stored.kana, "こうろう たろう");
    }

    #[test]
    fn a_doctor_needs_a_name_and_its_reading_and_nothing_else() {
        let errors = DoctorForm::default().validate(&[]).unwrap_err();
        assert_eq!(errors.get("name"), Some(&FieldError::Required));
        assert_eq!(errors.get("kana"), Some(&FieldError::Required));
        assert_eq!(errors.0.len(), 2);
    }

    #[test]
    fn a_doctor_reads_from_the_json_of_today_with_missing_fields_empty() {
        let doctor: DoctorForm =
            serde_json::from_str(r#"{"name":"厚労 太郎","kana":"こうろう たろう"}"#).unwrap();
        assert_eq!(doctor.name, "厚労 太郎");
        assert!(doctor.vaccines.is_empty());
        let full = r#"{"name":"厚労 太郎","kana":"こうろう たろう","phone":"03-1234-5678","email":"a@example.jp","vaccines":["pfizer"]}"#;
        let doctor: DoctorForm = serde_json::from_str(full).unwrap();
        assert_eq!(serde_json::to_string(&doctor).unwrap(), full);
    }
}
