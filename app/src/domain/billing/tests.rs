use super::*;
use crate::domain::jst;
use chrono::{DateTime, TimeZone, Utc};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn jst_at(text: &str) -> DateTime<Utc> {
    let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap();
    jst()
        .from_local_datetime(&local)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn demo_prices(from: &str) -> UnitPrices {
    UnitPrices {
        applies_from: day(from),
        vaccination: 2070,
        screening_only: 1540,
        after_hours: 730,
        holiday: 2130,
    }
}

fn month(text: &str) -> BillingMonth {
    BillingMonth::parse(text).unwrap()
}

fn line(residence: &str, counts: [&str; 5]) -> LineForm {
    LineForm {
        residence: residence.into(),
        first: counts[0].into(),
        second: counts[1].into(),
        screening_only: counts[2].into(),
        after_hours: counts[3].into(),
        holiday: counts[4].into(),
    }
}

fn form_for(parts: &[BillPart], lines: Vec<Vec<LineForm>>) -> BillForm {
    let mut form = BillForm::empty(parts);
    for (part, lines) in form.parts.iter_mut().zip(lines) {
        part.lines = lines;
    }
    form
}

const KNOWN: [&str; 3] = ["131016", "131032", "011002"];

fn known(code: &str) -> bool {
    KNOWN.contains(&code)
}

#[test]
fn a_month_is_read_as_people_write_it_and_knows_its_days_and_deadline() {
    for typed in ["2026-11", "2026/11", "２０２６－１１", "2026-1"] {
        assert!(BillingMonth::parse(typed).is_ok(), "{typed}");
    }
    assert_eq!(BillingMonth::parse(""), Err(FieldError::Required));
    for wrong in ["2026-13", "26-11", "2026", "十一月"] {
        assert_eq!(
            BillingMonth::parse(wrong),
            Err(FieldError::MonthFormat),
            "{wrong}"
        );
    }
    let november = month("2026-11");
    assert_eq!(november.to_string(), "2026-11");
    assert_eq!(november.first_day(), day("2026-11-01"));
    assert_eq!(november.last_day(), day("2026-11-30"));
    assert_eq!(november.due_on(), day("2026-12-10"));
    assert_eq!(month("2026-12").next(), month("2027-01"));
    assert_eq!(month("2027-01").previous(), month("2026-12"));
    assert_eq!(month("2024-02").last_day(), day("2024-02-29"));
    assert_eq!(november.japanese(), "2026年11月");
    assert_eq!(
        serde_json::from_str::<BillingMonth>("\"2026-13\"").ok(),
        None,
        "a month crosses the wire only through its parse"
    );
}

#[test]
fn home_bills_the_month_before_the_current_one_in_japan() {
    assert_eq!(
        BillingMonth::billed_at(jst_at("2026-12-01 00:00:00")),
        month("2026-11")
    );
    assert_eq!(
        BillingMonth::billed_at(jst_at("2026-11-30 23:59:59")),
        month("2026-10")
    );
    assert_eq!(
        BillingMonth::billed_at(jst_at("2027-01-05 09:00:00")),
        month("2026-12")
    );
}

#[test]
fn a_bill_is_on_time_until_the_tenth_at_23_59_59_in_japan_and_late_from_the_eleventh() {
    let november = month("2026-11");
    assert_eq!(
        batch_of(november, jst_at("2026-12-10 23:59:59")),
        (month("2026-12"), false)
    );
    assert_eq!(
        batch_of(november, jst_at("2026-12-11 00:00:00")),
        (month("2027-01"), true)
    );
    assert_eq!(
        batch_of(november, jst_at("2026-12-01 09:00:00")),
        (month("2026-12"), false)
    );
    // Later still: the batch of the month it reaches by that month's 10th.
    assert_eq!(
        batch_of(november, jst_at("2027-01-10 12:00:00")),
        (month("2027-01"), true)
    );
    assert_eq!(
        batch_of(november, jst_at("2027-01-11 00:00:00")),
        (month("2027-02"), true)
    );
}

#[test]
fn the_prices_of_a_day_are_the_latest_that_apply_from_it_or_before() {
    let prices = [demo_prices("2021-02-17"), {
        let mut raised = demo_prices("2026-11-16");
        raised.vaccination = 2270;
        raised
    }];
    assert_eq!(prices_on(&prices, day("2021-02-16")), None);
    assert_eq!(
        prices_on(&prices, day("2026-11-15")).map(|p| p.vaccination),
        Some(2070)
    );
    assert_eq!(
        prices_on(&prices, day("2026-11-16")).map(|p| p.vaccination),
        Some(2270)
    );
}

#[test]
fn the_code_changes_on_the_change_day_itself_not_the_day_before_or_after() {
    let prices = [demo_prices("2021-02-17")];
    let parts = parts_of(month("2026-11"), Some(day("2026-11-16")), &prices);
    assert_eq!(parts.len(), 2);
    assert_eq!(
        (parts[0].from, parts[0].until, parts[0].dated_code),
        (day("2026-11-01"), day("2026-11-15"), CodeSide::Old)
    );
    assert_eq!(
        (parts[1].from, parts[1].until, parts[1].dated_code),
        (day("2026-11-16"), day("2026-11-30"), CodeSide::New)
    );
    // A change on the 1st: the whole month is new; one before the month: also new.
    let whole = parts_of(month("2026-11"), Some(day("2026-11-01")), &prices);
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0].dated_code, CodeSide::New);
    let earlier = parts_of(month("2026-11"), Some(day("2026-10-31")), &prices);
    assert_eq!(earlier[0].dated_code, CodeSide::New);
    // A change the month after: all old.
    let later = parts_of(month("2026-11"), Some(day("2026-12-01")), &prices);
    assert_eq!((later.len(), later[0].dated_code), (1, CodeSide::Old));
    // A change on the last day: the last day alone is new.
    let last = parts_of(month("2026-11"), Some(day("2026-11-30")), &prices);
    assert_eq!(last[1].from, day("2026-11-30"));
    assert_eq!(last[0].until, day("2026-11-29"));
    assert_eq!(parts_of(month("2026-11"), None, &prices).len(), 1);
}

#[test]
fn a_price_that_applies_mid_month_cuts_the_month_and_prices_each_part_by_its_own_days() {
    let mut raised = demo_prices("2026-11-20");
    raised.vaccination = 3000;
    let prices = [demo_prices("2021-02-17"), raised];
    let parts = parts_of(month("2026-11"), Some(day("2026-11-10")), &prices);
    let cuts: Vec<_> = parts
        .iter()
        .map(|p| (p.from, p.dated_code, p.prices.vaccination))
        .collect();
    assert_eq!(
        cuts,
        vec![
            (day("2026-11-01"), CodeSide::Old, 2070),
            (day("2026-11-10"), CodeSide::New, 2070),
            (day("2026-11-20"), CodeSide::New, 3000),
        ]
    );
    let form = form_for(
        &parts,
        vec![
            vec![line("131016", ["1", "", "", "", ""])],
            vec![line("131016", ["2", "", "", "", ""])],
            vec![line("131016", ["", "3", "", "", ""])],
        ],
    );
    let bill = form.validate(&parts, known).unwrap();
    let invoices = invoices(&parts, &bill);
    assert_eq!(invoices.len(), 2);
    assert_eq!(invoices[0].amounts.total(), 2070);
    assert_eq!(invoices[1].amounts.total(), 2 * 2070 + 3 * 3000);
    assert_eq!(invoices[1].municipalities.len(), 1);
    assert_eq!(
        (invoices[1].from, invoices[1].until),
        (day("2026-11-10"), day("2026-11-30"))
    );
    // Days before the first price are not billable.
    assert!(parts_of(month("2021-01"), None, &prices).is_empty());
}

#[test]
fn amounts_are_integer_yen_at_the_demo_prices() {
    let counts = BillCounts {
        first: 120,
        second: 80,
        screening_only: 3,
        after_hours: 15,
        holiday: 7,
    };
    let amounts = counts.amounts(&demo_prices("2021-02-17"));
    assert_eq!(amounts.vaccination, 200 * 2070);
    assert_eq!(amounts.screening_only, 3 * 1540);
    assert_eq!(amounts.after_hours, 15 * 730);
    assert_eq!(amounts.holiday, 7 * 2130);
    assert_eq!(amounts.total(), 414_000 + 4_620 + 10_950 + 14_910);
    // A million of each stays exact.
    let big = BillCounts {
        first: MAX_COUNT,
        second: MAX_COUNT,
        screening_only: MAX_COUNT,
        after_hours: MAX_COUNT,
        holiday: MAX_COUNT,
    };
    assert_eq!(
        big.amounts(&demo_prices("2021-02-17")).total(),
        1_000_000 * (2 * 2070 + 1540 + 730 + 2130)
    );
}

#[test]
fn the_split_bill_has_one_invoice_per_code_with_one_municipal_bill_per_residence() {
    let prices = [demo_prices("2021-02-17")];
    let parts = parts_of(month("2026-11"), Some(day("2026-11-16")), &prices);
    let form = form_for(
        &parts,
        vec![
            vec![
                line("131016", ["10", "5", "1", "2", "0"]),
                line("131032", ["3", "", "", "", "1"]),
            ],
            vec![line("131016", ["4", "4", "", "", ""])],
        ],
    );
    let bill = form.validate(&parts, known).unwrap();
    assert_eq!(bill.doses(), (17, 9));
    let by_date = invoices(&parts, &bill);
    assert_eq!(by_date.len(), 2);
    assert_eq!(by_date[0].code, CodeSide::Old);
    assert_eq!(by_date[0].municipalities.len(), 2);
    assert_eq!(
        by_date[0].municipalities[0].amounts.total(),
        15 * 2070 + 1540 + 2 * 730
    );
    assert_eq!(
        by_date[0].municipalities[1].amounts.total(),
        3 * 2070 + 2130
    );
    assert_eq!(by_date[1].code, CodeSide::New);
    assert_eq!(by_date[1].amounts.total(), 8 * 2070);
    // The site's choice of one code for the month: one invoice, the residence summed.
    let mut chosen = bill.clone();
    chosen.code_choice = CodeChoice::New;
    let one = invoices(&parts, &chosen);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].code, CodeSide::New);
    assert_eq!(one[0].municipalities[0].counts.first, 14);
    assert_eq!(
        one[0].amounts.total(),
        by_date[0].amounts.total() + by_date[1].amounts.total()
    );
}

#[test]
fn bad_lines_are_refused_field_by_field() {
    let prices = [demo_prices("2021-02-17")];
    let parts = parts_of(month("2026-11"), None, &prices);
    let form = form_for(
        &parts,
        vec![vec![
            line("", ["1", "", "", "", ""]),
            line("999999", ["-1", "", "", "", ""]),
            line("131016", ["1", "1", "", "2", "1"]),
            line("131032", ["１０人", "", "", "", ""]),
            line("131032", ["1", "", "", "", ""]),
        ]],
    );
    let errors = form.validate(&parts, known).unwrap_err();
    assert_eq!(
        errors.get("parts.0.lines.0.residence"),
        Some(&FieldError::Required)
    );
    assert_eq!(
        errors.get("parts.0.lines.1.residence"),
        Some(&FieldError::InvalidChoice)
    );
    assert_eq!(
        errors.get("parts.0.lines.1.first"),
        Some(&FieldError::CountFormat)
    );
    assert_eq!(
        errors.get("parts.0.lines.2.after_hours"),
        Some(&FieldError::ExtrasExceedVisits { visits: 2 })
    );
    assert_eq!(
        errors.get("parts.0.lines.3.first"),
        None,
        "１０人 reads as 10"
    );
    assert_eq!(
        errors.get("parts.0.lines.4.residence"),
        Some(&FieldError::DuplicateLine)
    );
    let mut stale = form_for(&parts, vec![vec![]]);
    stale.parts[0].from = "2026-11-02".into();
    assert_eq!(
        stale.validate(&parts, known).unwrap_err().get("parts"),
        Some(&FieldError::InvalidChoice)
    );
    let mut unknown_choice = form_for(&parts, vec![vec![]]);
    unknown_choice.code_choice = "newest".into();
    assert_eq!(
        unknown_choice
            .validate(&parts, known)
            .unwrap_err()
            .get("code_choice"),
        Some(&FieldError::InvalidChoice)
    );
    assert_eq!(
        parse_bill_count("1000001"),
        Err(FieldError::TooLarge { max: MAX_COUNT })
    );
}

#[test]
fn the_dose_check_agrees_only_when_both_doses_match() {
    let check = DoseCheck {
        billed: (10, 4),
        recorded: (10, 4),
    };
    assert!(check.agrees());
    assert!(!DoseCheck {
        recorded: (10, 5),
        ..check
    }
    .agrees());
}

#[test]
fn amounts_in_words_write_every_digit_in_daiji() {
    assert_eq!(yen_in_words(0), "金零円也");
    assert_eq!(yen_in_words(2070), "金弐千七拾円也");
    assert_eq!(yen_in_words(10), "金壱拾円也");
    assert_eq!(yen_in_words(123_456), "金壱拾弐万参千四百伍拾六円也");
    assert_eq!(yen_in_words(10_000), "金壱万円也");
    assert_eq!(yen_in_words(100_010_001), "金壱億壱万壱円也");
    assert_eq!(yen_in_words(-730), "金マイナス七百参拾円也");
}

#[test]
fn unit_prices_are_whole_yen_applying_from_today_or_later() {
    let today = day("2026-12-07");
    let form = PriceForm {
        applies_from: "2026/12/07".into(),
        vaccination: "2,270円".into(),
        screening_only: "1540".into(),
        after_hours: "７３０".into(),
        holiday: "2130".into(),
    };
    let prices = form.validate(today).unwrap();
    assert_eq!(prices.applies_from, today);
    assert_eq!(prices.vaccination, 2270);
    assert_eq!(prices.after_hours, 730);
    let past = PriceForm {
        applies_from: "2026-12-06".into(),
        vaccination: "-1".into(),
        holiday: "".into(),
        ..form
    };
    let errors = past.validate(today).unwrap_err();
    assert_eq!(errors.get("applies_from"), Some(&FieldError::DateInPast));
    assert_eq!(errors.get("vaccination"), Some(&FieldError::CountFormat));
    assert_eq!(errors.get("holiday"), Some(&FieldError::Required));
}
