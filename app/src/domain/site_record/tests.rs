//! The site record's table against the behaviour it replaced (the lists the form had before it
//! was data), its JSON against what is stored today, and its rules.

use super::*;
use crate::domain::form_fields::{Access, FieldChange, Form, Input, Options, Section};
use crate::domain::{ReservationStatus, SiteType};
use crate::error::FieldError;

pub(super) fn rules() -> SiteRules {
    SiteRules {
        vaccine_codes: vec!["pfizer".into(), "moderna".into(), "astrazeneca".into()],
        basic_site_ids: vec![7],
    }
}

/// A clinic record that passes every rule.
pub(super) fn valid_clinic() -> SiteForm {
    SiteForm {
        reservation_status: Some(ReservationStatus::Available),
        name: "千代田区A病院".into(),
        postal_code: "100-0001".into(),
        address: "千代田1-1".into(),
        vaccines: vec!["moderna".into()],
        doctor_phone: "03-1234-5678".into(),
        doctor_name: "厚労 太郎".into(),
        doctor_kana: "こうろう たろう".into(),
        doctor_email: "taro@example.jp".into(),
        general_public: Some(GeneralPublic::General),
        ..SiteForm::default()
    }
}

/// The keys of the form before it was data, in form order.
const TODAYS_KEYS: [&str; 58] = [
    "facility_class",
    "fax",
    "homepage",
    "freezer_deep",
    "freezer_cold",
    "parking",
    "delivery_name",
    "delivery_address",
    "reservation_status",
    "insurance_code",
    "care_code",
    "name",
    "representative",
    "postal_code",
    "address",
    "phone",
    "contract_joined",
    "contract_left",
    "insurance_code_new",
    "care_code_new",
    "code_change_date",
    "vaccines",
    "site_type",
    "basic_site_id",
    "explanation_declined",
    "doctor_affiliation",
    "doctor_phone",
    "doctor_name",
    "doctor_kana",
    "doctor_email",
    "doctor_no_email",
    "storage_affiliation",
    "storage_phone",
    "storage_name",
    "storage_email",
    "needle_affiliation",
    "needle_phone",
    "needle_name",
    "needle_email",
    "dryice_affiliation",
    "dryice_phone",
    "dryice_name",
    "dryice_email",
    "weekend_name",
    "weekend_phone",
    "public_phone",
    "public_url",
    "booking_phone",
    "booking_web",
    "hours",
    "hours_en",
    "general_public",
    "name_kana",
    "name_en",
    "notice",
    "notice_easy",
    "notice_en",
    "proxy_booking",
];

/// The fields whose change needed the municipality's approval before the table.
const TODAYS_APPROVAL_KEYS: [&str; 11] = [
    "representative",
    "contract_joined",
    "contract_left",
    "insurance_code_new",
    "care_code_new",
    "code_change_date",
    "vaccines",
    "site_type",
    "basic_site_id",
    "general_public",
    "proxy_booking",
];

/// `SiteForm::is_required` as it was written before the table.
fn todays_is_required(form: &SiteForm, key: &str) -> bool {
    match key {
        "facility_class" | "reservation_status" | "name" | "postal_code" | "address"
        | "vaccines" | "site_type" | "doctor_phone" | "doctor_name" | "doctor_kana"
        | "general_public" | "proxy_booking" => true,
        "doctor_email" => !form.doctor_no_email,
        "basic_site_id" => form.is_satellite(),
        "storage_affiliation" | "storage_phone" | "storage_name" => form.is_hospital(),
        "delivery_address" => !form.delivery_name.trim().is_empty(),
        "code_change_date" => {
            !form.insurance_code_new.trim().is_empty() || !form.care_code_new.trim().is_empty()
        }
        _ => false,
    }
}

/// How the edit page entered each field before the table (its `kind_of`), as a word.
fn todays_kind(key: &str) -> &'static str {
    match key {
        "fax" | "phone" | "doctor_phone" | "storage_phone" | "needle_phone" | "dryice_phone"
        | "weekend_phone" | "public_phone" => "tel",
        "doctor_email" | "storage_email" | "needle_email" | "dryice_email" => "email",
        "homepage" | "public_url" => "url",
        "contract_joined" | "contract_left" | "code_change_date" => "date",
        "freezer_deep" | "freezer_cold" | "parking" => "numeric",
        "insurance_code" | "care_code" | "insurance_code_new" | "care_code_new" => "numeric",
        "notice" | "notice_easy" | "notice_en" => "area",
        "facility_class" | "booking_phone" | "booking_web" => "select",
        "site_type" | "general_public" | "proxy_booking" => "radio",
        "doctor_no_email" => "check",
        "vaccines" => "vaccines",
        "basic_site_id" => "basic_site",
        "reservation_status" => "status",
        "explanation_declined" => "explanation",
        _ => "text",
    }
}

fn kind_of(input: Input) -> &'static str {
    match input {
        Input::Text => "text",
        Input::Tel => "tel",
        Input::Email => "email",
        Input::Url => "url",
        Input::Numeric => "numeric",
        Input::Patterned("2021-03-06") => "date",
        Input::Patterned(_) => "text",
        Input::Lines => "area",
        Input::Select {
            options: Options::Given(BASIC_SITE_LIST),
            blank: true,
        } => "basic_site",
        Input::Select { blank: false, .. } => "status",
        Input::Select { .. } => "select",
        Input::Radio(_) => "radio",
        Input::Checks(Options::Given(VACCINE_LIST)) => "vaccines",
        Input::Checks(_) => "checks",
        Input::Flag => "check",
        Input::AnswerEach { .. } => "explanation",
    }
}

/// A spread of records on which the conditions of the table differ.
fn varied_forms() -> Vec<SiteForm> {
    let mut forms = vec![SiteForm::default(), valid_clinic()];
    let mut hospital = valid_clinic();
    hospital.facility_class = Some(FacilityClass::Hospital);
    hospital.doctor_no_email = true;
    hospital.site_type = Some(SiteType::Satellite);
    hospital.delivery_name = "倉庫".into();
    hospital.care_code_new = "1234567890".into();
    forms.push(hospital);
    let mut venue = valid_clinic();
    venue.facility_class = Some(FacilityClass::Venue);
    venue.insurance_code_new = " 1".into();
    venue.delivery_name = " ".into();
    forms.push(venue);
    let mut empty = valid_clinic();
    empty.facility_class = None;
    empty.site_type = None;
    forms.push(empty);
    forms
}

#[test]
fn the_table_lists_the_fields_of_today_in_the_same_order() {
    let keys: Vec<&str> = SITE_FIELDS.iter().map(|f| f.key).collect();
    assert_eq!(keys, TODAYS_KEYS);
}

#[test]
fn every_field_has_a_label_in_both_languages_and_no_two_share_one() {
    for field in SITE_FIELDS {
        assert!(!field.label.ja.trim().is_empty(), "{}", field.key);
        assert!(!field.label.en.trim().is_empty(), "{}", field.key);
        let same_ja = SITE_FIELDS.iter().filter(|f| f.label.ja == field.label.ja);
        let same_en = SITE_FIELDS.iter().filter(|f| f.label.en == field.label.en);
        assert_eq!(same_ja.count(), 1, "{}", field.label.ja);
        assert_eq!(same_en.count(), 1, "{}", field.label.en);
    }
    for section in SiteSection::ALL {
        assert!(!section.title().ja.is_empty() && !section.title().en.is_empty());
        assert!(
            SITE_FIELDS.iter().any(|f| f.section == *section),
            "{section:?} has no field"
        );
    }
}

#[test]
fn the_required_rules_are_those_of_today_on_every_kind_of_record() {
    for form in varied_forms() {
        for key in TODAYS_KEYS {
            assert_eq!(
                form.is_required(key),
                todays_is_required(&form, key),
                "{key} on {form:?}"
            );
        }
    }
}

#[test]
fn the_fields_that_need_approval_are_those_of_today() {
    let approval: Vec<&str> = SITE_FIELDS
        .iter()
        .filter(|f| f.needs_approval)
        .map(|f| f.key)
        .collect();
    assert_eq!(approval, TODAYS_APPROVAL_KEYS);
}

#[test]
fn every_field_is_entered_as_it_was_on_the_edit_page() {
    for field in SITE_FIELDS {
        assert_eq!(
            kind_of(field.input),
            todays_kind(field.key),
            "{}",
            field.key
        );
    }
    // Choices are kept as choices, lists as lists, the one flag as a flag.
    for field in SITE_FIELDS {
        let access = match field.access {
            Access::Text { .. } => "text",
            Access::Choice { .. } => "choice",
            Access::List { .. } => "list",
            Access::Flag { .. } => "flag",
        };
        let expected = match todays_kind(field.key) {
            "select" | "radio" | "status" => "choice",
            "vaccines" | "explanation" => "list",
            "check" => "flag",
            _ => "text",
        };
        assert_eq!(access, expected, "{}", field.key);
    }
}

#[test]
fn the_sections_that_apply_are_those_of_today() {
    let mut form = valid_clinic();
    let shown = |form: &SiteForm| -> Vec<SiteSection> {
        SiteSection::ALL
            .iter()
            .copied()
            .filter(|s| form.section_applies(*s))
            .collect()
    };
    assert!(!shown(&form).contains(&SiteSection::Storage));
    assert!(!shown(&form).contains(&SiteSection::Needle));
    assert!(!shown(&form).contains(&SiteSection::DryIce));
    form.facility_class = Some(FacilityClass::Hospital);
    form.vaccines.push(PFIZER.into());
    assert_eq!(shown(&form), SiteSection::ALL);
    assert!(!SiteForm::field("basic_site_id").unwrap().applies_to(&form));
    form.site_type = Some(SiteType::Satellite);
    assert!(SiteForm::field("basic_site_id").unwrap().applies_to(&form));
}

/// A record as the form wrote it to the database and the API before the table: every key, in
/// the order of the struct it was, choices and lists as they were stored.
const TODAYS_STORED_JSON: &str = r#"{"facility_class":"hospital","fax":"03-3251-0001","homepage":"https://a.example.jp/","freezer_deep":"1","freezer_cold":"","parking":"20","delivery_name":"","delivery_address":"","reservation_status":"available","insurance_code":"1312345678","care_code":"","name":"千代田区A病院","representative":"厚労 一郎","postal_code":"100-0001","address":"千代田1-2-3","phone":"03-3251-0000","contract_joined":"2021-03-06","contract_left":"","insurance_code_new":"","care_code_new":"","code_change_date":"","vaccines":["pfizer","moderna"],"site_type":"satellite","basic_site_id":"7","explanation_declined":["moderna"],"doctor_affiliation":"内科","doctor_phone":"03-3251-1111","doctor_name":"厚労 太郎","doctor_kana":"こうろう たろう","doctor_email":"","doctor_no_email":true,"storage_affiliation":"薬剤部","storage_phone":"03-3251-2222","storage_name":"保管 花子","storage_email":"","needle_affiliation":"","needle_phone":"","needle_name":"針 次郎","needle_email":"","dryice_affiliation":"","dryice_phone":"03-3251-3333","dryice_name":"氷 三郎","dryice_email":"","weekend_name":"週末 四郎","weekend_phone":"090-1234-5678","public_phone":"03-3251-4444","public_url":"https://a.example.jp/yoyaku","booking_phone":"possible","booking_web":"impossible","hours":"月〜金 9:00〜17:00","hours_en":"Mon–Fri 9:00–17:00","general_public":"general","name_kana":"ちよだく えいびょういん","name_en":"Chiyoda A Hospital","notice":"予約は電話で。\n当日は予診票を。","notice_easy":"","notice_en":"","proxy_booking":"not_required"}"#;

#[test]
fn the_json_stored_today_decodes_into_typed_fields_and_encodes_back_unchanged() {
    let form: SiteForm = serde_json::from_str(TODAYS_STORED_JSON).unwrap();
    assert_eq!(form.facility_class, Some(FacilityClass::Hospital));
    assert_eq!(form.site_type, Some(SiteType::Satellite));
    assert_eq!(form.reservation_status, Some(ReservationStatus::Available));
    assert_eq!(form.booking_phone, Some(Booking::Possible));
    assert_eq!(form.booking_web, Some(Booking::Impossible));
    assert_eq!(form.general_public, Some(GeneralPublic::General));
    assert_eq!(form.proxy_booking, Some(ProxyBooking::NotRequired));
    assert_eq!(form.storage.name, "保管 花子");
    assert_eq!(form.needle.name, "針 次郎");
    assert_eq!(form.dryice.phone, "03-3251-3333");
    assert_eq!(form.weekend.phone, "090-1234-5678");
    assert_eq!(form.vaccines, ["pfizer", "moderna"]);
    assert!(form.doctor_no_email);
    assert_eq!(serde_json::to_string(&form).unwrap(), TODAYS_STORED_JSON);
    // It is a valid record, and checking it changes nothing.
    assert_eq!(form.validate(&rules()), Ok(form.clone()));
}

#[test]
fn older_documents_with_missing_keys_empty_choices_and_unknown_keys_still_decode() {
    let form: SiteForm = serde_json::from_str(
        r#"{"name":"港区B","general_public":"","booking_web":"","retired_field":"x"}"#,
    )
    .unwrap();
    assert_eq!(form.name, "港区B");
    assert_eq!(form.general_public, None);
    assert_eq!(form.facility_class, Some(FacilityClass::Clinic));
    assert_eq!(form.proxy_booking, Some(ProxyBooking::NotRequired));
    assert_eq!(
        serde_json::from_str::<SiteForm>("{}").unwrap(),
        SiteForm::default()
    );
}

#[test]
fn a_document_with_an_unknown_choice_or_a_wrong_type_is_an_error_not_a_default() {
    for json in [
        r#"{"facility_class":"castle"}"#,
        r#"{"site_type":"mobile"}"#,
        r#"{"name":1}"#,
        r#"{"vaccines":"pfizer"}"#,
        r#"{"doctor_no_email":"yes"}"#,
    ] {
        assert!(serde_json::from_str::<SiteForm>(json).is_err(), "{json}");
    }
}

#[test]
fn values_are_the_strings_of_today_and_rebuild_the_same_form() {
    let form: SiteForm = serde_json::from_str(TODAYS_STORED_JSON).unwrap();
    let values = form.values();
    assert_eq!(values.len(), 58);
    assert_eq!(values["vaccines"], "pfizer,moderna");
    assert_eq!(values["doctor_no_email"], "true");
    assert_eq!(values["site_type"], "satellite");
    assert_eq!(values["storage_phone"], "03-3251-2222");
    assert_eq!(SiteForm::from_values(&values), form);
}

#[test]
fn a_value_that_is_not_an_option_is_refused_by_with_value() {
    let form = valid_clinic();
    assert_eq!(
        form.with_value("facility_class", "castle"),
        Err(FieldError::InvalidChoice)
    );
    assert_eq!(
        form.with_value("no_such_field", "x"),
        Err(FieldError::InvalidChoice)
    );
    let hospital = form.with_value("facility_class", "hospital").unwrap();
    assert!(hospital.is_hospital());
}

#[test]
fn changes_name_only_the_fields_that_differ_in_form_order() {
    let before = valid_clinic();
    let mut after = before.clone();
    after.representative = "厚労 一郎".into();
    after.vaccines = vec!["pfizer".into(), "moderna".into()];
    let changes = after.changes_from(&before);
    assert_eq!(
        changes,
        vec![
            FieldChange {
                field: "representative".into(),
                old: "".into(),
                new: "厚労 一郎".into()
            },
            FieldChange {
                field: "vaccines".into(),
                old: "moderna".into(),
                new: "pfizer,moderna".into()
            },
        ]
    );
    let mut applied = before.clone();
    for change in &changes {
        applied = applied.with_value(&change.field, &change.new).unwrap();
    }
    assert_eq!(applied, after);
}

#[test]
fn a_form_rebuilt_from_its_values_is_the_same_form() {
    let mut form = valid_clinic();
    form.doctor_no_email = true;
    form.vaccines = vec!["pfizer".into(), "moderna".into()];
    form.weekend.name = "週末 四郎".into();
    assert_eq!(SiteForm::from_values(&form.values()), form);
}

#[test]
fn the_required_mark_follows_the_conditions() {
    let mut form = valid_clinic();
    assert!(form.is_required("doctor_email"));
    assert!(!form.is_required("storage_name"));
    form.doctor_no_email = true;
    form.facility_class = Some(FacilityClass::Hospital);
    assert!(!form.is_required("doctor_email"));
    assert!(form.is_required("storage_name"));
}

#[test]
fn a_rebase_keeps_the_users_edits_and_takes_the_others() {
    let base = valid_clinic();
    let mut mine = base.clone();
    mine.phone = "03-0000-0000".into();
    let mut theirs = base.clone();
    theirs.hours = "9:00-17:00".into();
    let merged = mine.rebased(&base, &theirs);
    assert_eq!(merged.phone, "03-0000-0000");
    assert_eq!(merged.hours, "9:00-17:00");
}
