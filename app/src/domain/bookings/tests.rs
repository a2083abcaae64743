use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
}

fn booking() -> BookingForm {
    BookingForm {
        day: "2026-04-02".into(),
        hour: "9".into(),
        name: "厚労 花子".into(),
        kana: "こうろう はなこ".into(),
        birth_date: "1950/1/2".into(),
        phone: "03-1234-5678".into(),
        ticket_number: "０１２３４５６７８９".into(),
        dose: "1".into(),
        vaccine: "pfizer".into(),
    }
}

fn vaccines() -> Vec<String> {
    vec!["pfizer".into()]
}

#[test]
fn a_slot_form_keeps_the_hours_with_a_number_and_skips_the_blank_ones() {
    let mut capacities = vec![String::new(); SLOT_HOURS.count()];
    capacities[2] = "５".into();
    capacities[3] = "0".into();
    let form = SlotForm {
        day: "2026-04-01".into(),
        capacities,
    };
    let checked = form.validate(today()).unwrap();
    assert_eq!(checked.capacities, vec![(9, 5), (10, 0)]);
    assert_eq!(SlotForm::of(checked.day, &checked.capacities), {
        let mut expected = form.clone();
        expected.capacities[2] = "5".into();
        expected
    });
}

#[test]
fn a_slot_form_names_the_hour_of_a_bad_number_and_refuses_a_past_date() {
    let mut capacities = vec![String::new(); SLOT_HOURS.count()];
    capacities[0] = "many".into();
    capacities[1] = "1000".into();
    let errors = SlotForm {
        day: "2026-03-31".into(),
        capacities,
    }
    .validate(today())
    .unwrap_err();
    assert_eq!(errors.get("day"), Some(&FieldError::DateInPast));
    assert_eq!(errors.get("capacities.7"), Some(&FieldError::CountFormat));
    assert_eq!(
        errors.get("capacities.8"),
        Some(&FieldError::TooLarge { max: MAX_PER_HOUR })
    );
}

#[test]
fn a_ticket_number_is_ten_digits_typed_in_any_width_with_spaces_or_hyphens() {
    assert_eq!(
        TicketNumber::parse("０１２３-４５６ ７８９")
            .unwrap()
            .as_str(),
        "0123456789"
    );
    assert_eq!(TicketNumber::parse(""), Err(FieldError::Required));
    assert_eq!(
        TicketNumber::parse("123456789"),
        Err(FieldError::TenDigitCode)
    );
    assert_eq!(
        TicketNumber::parse("12345678901"),
        Err(FieldError::TenDigitCode)
    );
    assert_eq!(
        TicketNumber::parse("12345a7890"),
        Err(FieldError::TenDigitCode)
    );
}

#[test]
fn a_complete_booking_parses_into_its_values() {
    let checked = booking().validate(&vaccines(), today()).unwrap();
    assert_eq!(checked.hour, 9);
    assert_eq!(checked.ticket_number.as_str(), "0123456789");
    assert_eq!(checked.dose, Dose::First);
    assert_eq!(
        checked.birth_date,
        NaiveDate::from_ymd_opt(1950, 1, 2).unwrap()
    );
}

#[test]
fn every_missing_or_malformed_booking_field_is_named() {
    let form = BookingForm {
        day: "2026-03-01".into(),
        hour: "3".into(),
        name: " ".into(),
        kana: "カタカナ".into(),
        birth_date: "2030-01-01".into(),
        phone: "12".into(),
        ticket_number: "12".into(),
        dose: "3".into(),
        vaccine: "moderna".into(),
    };
    let errors = form.validate(&vaccines(), today()).unwrap_err();
    assert_eq!(errors.get("day"), Some(&FieldError::DateInPast));
    assert_eq!(errors.get("hour"), Some(&FieldError::InvalidChoice));
    assert_eq!(errors.get("name"), Some(&FieldError::Required));
    assert_eq!(errors.get("kana"), Some(&FieldError::FuriganaFormat));
    assert_eq!(errors.get("birth_date"), Some(&FieldError::DateInFuture));
    assert_eq!(errors.get("phone"), Some(&FieldError::PhoneFormat));
    assert_eq!(errors.get("ticket_number"), Some(&FieldError::TenDigitCode));
    assert_eq!(errors.get("dose"), Some(&FieldError::InvalidChoice));
    assert_eq!(errors.get("vaccine"), Some(&FieldError::VaccineNotHandled));
}

#[test]
fn doses_travel_as_the_numbers_one_and_two() {
    for dose in Dose::ALL {
        assert_eq!(dose_of_number(dose_number(dose)), Some(dose));
    }
    assert_eq!(dose_of_number(0), None);
}
