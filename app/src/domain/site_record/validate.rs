//! The rules that turn a typed site record into the stored one: each field by its rule in the
//! table, then the rules that join fields (contract dates in order, new codes with their date),
//! and the fields a user may not change now.

use super::{SiteForm, BASIC_SITE_LIST, VACCINE_LIST};
use crate::domain::form_fields::Form;
use crate::domain::ContractDates;
use crate::error::{FieldError, FieldErrors};
use std::collections::BTreeMap;

/// What the municipality's choices allow: vaccines that exist and the basic sites a satellite
/// may name. The browser gets these with the record and the server reads them again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteRules {
    /// Codes of every vaccine.
    pub vaccine_codes: Vec<String>,
    /// Ids of the basic sites of the municipality, other than the site itself.
    pub basic_site_ids: Vec<i64>,
}

impl SiteRules {
    /// The values a list of the form offers (see [`VACCINE_LIST`], [`BASIC_SITE_LIST`]).
    pub fn offered(&self, list: &str) -> Vec<String> {
        match list {
            VACCINE_LIST => self.vaccine_codes.clone(),
            BASIC_SITE_LIST => self.basic_site_ids.iter().map(i64::to_string).collect(),
            _ => Vec::new(),
        }
    }
}

impl SiteForm {
    /// Checks every field under `rules` and returns the normalised record to store, or every
    /// field's error. Fields that do not apply (hospital-only, dry ice, the basic site of a
    /// basic site) are emptied, so what is stored is what the site actually declared.
    pub fn validate(&self, rules: &SiteRules) -> Result<SiteForm, FieldErrors> {
        let (out, mut errors) = self.check_fields(|list| rules.offered(list));
        if let Err((field, error)) = ContractDates::parse(&out.contract_joined, &out.contract_left)
        {
            let key = if field == "joined" {
                "contract_joined"
            } else {
                "contract_left"
            };
            errors.add(key, error);
        }
        // A change date alone changes nothing: it needs the new codes it dates.
        if !self.has_new_codes() && !self.code_change_date.trim().is_empty() {
            errors.add("insurance_code_new", FieldError::Required);
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

/// Fields the user may not change now, and why: pending requests and approved codes.
pub fn locked_fields(current: &SiteForm, pending: &[String]) -> BTreeMap<String, FieldError> {
    let mut locked = BTreeMap::new();
    for key in pending {
        locked.insert(key.clone(), FieldError::PendingApproval);
    }
    if current.codes_fixed() {
        for key in ["insurance_code_new", "care_code_new", "code_change_date"] {
            locked.insert(key.to_string(), FieldError::LockedAfterApproval);
        }
    }
    locked
}

#[cfg(test)]
mod tests {
    use super::super::tests::{rules, valid_clinic};
    use super::*;
    use crate::domain::site_record::FacilityClass;
    use crate::domain::SiteType;

    #[test]
    fn a_complete_clinic_record_is_valid_and_normalised() {
        let mut form = valid_clinic();
        form.postal_code = "１００－０００１".into();
        form.parking = "10台".into();
        let stored = form.validate(&rules()).unwrap();
        assert_eq!(stored.postal_code, "100-0001");
        assert_eq!(stored.parking, "10");
    }

    #[test]
    fn a_bad_postal_code_is_reported_on_its_field_and_the_typed_value_is_kept() {
        let mut form = valid_clinic();
        form.postal_code = "100-001".into();
        let errors = form.validate(&rules()).unwrap_err();
        assert_eq!(
            errors.get("postal_code"),
            Some(&FieldError::PostalCodeFormat)
        );
        assert_eq!(form.postal_code, "100-001");
    }

    #[test]
    fn hospitals_must_name_a_storage_manager_and_clinics_need_not() {
        let mut form = valid_clinic();
        assert!(form.validate(&rules()).is_ok());
        form.facility_class = Some(FacilityClass::Hospital);
        let errors = form.validate(&rules()).unwrap_err();
        for key in ["storage_affiliation", "storage_phone", "storage_name"] {
            assert_eq!(errors.get(key), Some(&FieldError::Required), "{key}");
        }
    }

    #[test]
    fn required_choices_left_empty_ask_for_a_choice() {
        let mut form = valid_clinic();
        form.facility_class = None;
        form.general_public = None;
        form.booking_web = None;
        let errors = form.validate(&rules()).unwrap_err();
        assert_eq!(errors.get("facility_class"), Some(&FieldError::Required));
        assert_eq!(errors.get("general_public"), Some(&FieldError::Required));
        assert_eq!(errors.get("booking_web"), None);
    }

    #[test]
    fn sections_that_do_not_apply_are_not_stored() {
        let mut form = valid_clinic();
        form.storage.name = "保管 花子".into();
        form.dryice.name = "氷 次郎".into();
        let stored = form.validate(&rules()).unwrap();
        assert_eq!(stored.storage.name, "");
        assert_eq!(stored.dryice.name, "");
        form.vaccines = vec!["pfizer".into()];
        assert_eq!(form.validate(&rules()).unwrap().dryice.name, "氷 次郎");
    }

    #[test]
    fn a_satellite_must_name_one_of_the_basic_sites_offered() {
        let mut form = valid_clinic();
        form.site_type = Some(SiteType::Satellite);
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("basic_site_id"),
            Some(&FieldError::Required)
        );
        form.basic_site_id = "8".into();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("basic_site_id"),
            Some(&FieldError::InvalidChoice)
        );
        form.basic_site_id = "7".into();
        assert_eq!(form.validate(&rules()).unwrap().basic_site_id, "7");
        form.site_type = Some(SiteType::Basic);
        assert_eq!(form.validate(&rules()).unwrap().basic_site_id, "");
    }

    #[test]
    fn the_vaccines_must_be_offered_ones_and_are_stored_in_master_order() {
        let mut form = valid_clinic();
        form.vaccines = vec!["astrazeneca".into(), "pfizer".into()];
        form.explanation_declined = vec!["astrazeneca".into(), "retired".into()];
        let stored = form.validate(&rules()).unwrap();
        assert_eq!(stored.vaccines, ["pfizer", "astrazeneca"]);
        assert_eq!(stored.explanation_declined, ["astrazeneca"]);
        form.vaccines.push("sputnik".into());
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("vaccines"),
            Some(&FieldError::InvalidChoice)
        );
        form.vaccines.clear();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("vaccines"),
            Some(&FieldError::Required)
        );
    }

    #[test]
    fn the_doctor_email_is_required_unless_the_site_declines_to_register_one() {
        let mut form = valid_clinic();
        form.doctor_email.clear();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("doctor_email"),
            Some(&FieldError::Required)
        );
        form.doctor_no_email = true;
        assert!(form.validate(&rules()).is_ok());
    }

    #[test]
    fn contract_dates_must_be_in_order() {
        let mut form = valid_clinic();
        form.contract_joined = "2021/03/06".into();
        form.contract_left = "2021/03/05".into();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("contract_left"),
            Some(&FieldError::DateOrder)
        );
        form.contract_left = "２０２２／０１／０１".into();
        let stored = form.validate(&rules()).unwrap();
        assert_eq!(
            (
                stored.contract_joined.as_str(),
                stored.contract_left.as_str()
            ),
            ("2021-03-06", "2022-01-01")
        );
    }

    #[test]
    fn new_codes_need_a_change_date_and_ten_digits_and_a_date_needs_new_codes() {
        let mut form = valid_clinic();
        form.insurance_code_new = "131234567".into();
        let errors = form.validate(&rules()).unwrap_err();
        assert_eq!(
            errors.get("insurance_code_new"),
            Some(&FieldError::TenDigitCode)
        );
        assert_eq!(errors.get("code_change_date"), Some(&FieldError::Required));
        form.insurance_code_new = "１３１２３４５６７８".into();
        form.code_change_date = "2021-06-01".into();
        assert_eq!(
            form.validate(&rules()).unwrap().insurance_code_new,
            "1312345678"
        );
        form.insurance_code_new.clear();
        assert_eq!(
            form.validate(&rules())
                .unwrap_err()
                .get("insurance_code_new"),
            Some(&FieldError::Required)
        );
    }

    #[test]
    fn furigana_counts_and_the_delivery_address_are_checked() {
        let mut form = valid_clinic();
        form.name_kana = "チヨダ".into();
        form.freezer_deep = "-1".into();
        form.delivery_name = "倉庫".into();
        form.delivery_address = "千代田1-1".into();
        let errors = form.validate(&rules()).unwrap_err();
        assert_eq!(errors.get("name_kana"), Some(&FieldError::FuriganaFormat));
        assert_eq!(errors.get("freezer_deep"), Some(&FieldError::CountFormat));
        assert_eq!(
            errors.get("delivery_address"),
            Some(&FieldError::AddressNeedsPrefecture)
        );
        form.delivery_address.clear();
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("delivery_address"),
            Some(&FieldError::Required)
        );
    }

    #[test]
    fn text_is_cleaned_and_held_to_its_length() {
        let mut form = valid_clinic();
        form.name = " 千代田区\u{200B}A病院 ".into();
        form.notice = "一行目\r\n二行目".into();
        let stored = form.validate(&rules()).unwrap();
        assert_eq!(stored.name, "千代田区A病院");
        assert_eq!(stored.notice, "一行目\n二行目");
        form.representative = "あ".repeat(51);
        assert_eq!(
            form.validate(&rules()).unwrap_err().get("representative"),
            Some(&FieldError::TooLong { max: 50 })
        );
    }

    #[test]
    fn approved_codes_and_pending_fields_are_locked() {
        let mut current = valid_clinic();
        current.code_change_date = "2021-06-01".into();
        let locked = locked_fields(&current, &["representative".into()]);
        assert_eq!(
            locked.get("representative"),
            Some(&FieldError::PendingApproval)
        );
        assert_eq!(
            locked.get("insurance_code_new"),
            Some(&FieldError::LockedAfterApproval)
        );
    }
}
