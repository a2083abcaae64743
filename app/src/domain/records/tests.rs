use super::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn tally(first: [u32; 5], second: [u32; 5]) -> Tally {
    let mut cells = [0; CELLS];
    cells[..5].copy_from_slice(&first);
    cells[5..].copy_from_slice(&second);
    Tally(cells)
}

fn grid(vaccine: &str, t: &Tally) -> TallyForm {
    TallyForm {
        vaccine: vaccine.into(),
        cells: t.0.iter().map(u32::to_string).collect(),
        lot: String::new(),
    }
}

fn basis(latest: Option<(&str, Tally)>, before: Option<(&str, Tally)>) -> Vec<VaccineBasis> {
    let point = |(on, tally): (&str, Tally)| RecordPoint { on: day(on), tally };
    vec![VaccineBasis {
        code: "pfizer".into(),
        latest: latest.map(point),
        before_latest: before.map(point),
        lots: vec![7],
    }]
}

fn form(on: &str, t: &Tally) -> RecordForm {
    RecordForm {
        administered_on: on.into(),
        vaccines: vec![grid("pfizer", t)],
        confirm_correction: false,
    }
}

const TODAY: &str = "2026-04-10";

fn no_contract() -> ContractDates {
    ContractDates::default()
}

#[test]
fn a_days_figure_is_the_cumulative_less_the_last_registration() {
    let last = tally([10, 5, 0, 0, 1], [2, 0, 0, 0, 0]);
    let now = tally([12, 9, 1, 0, 1], [4, 0, 0, 0, 0]);
    let checked = form("2026-04-09", &now)
        .validate(
            &basis(Some(("2026-04-08", last)), None),
            no_contract(),
            day(TODAY),
        )
        .unwrap();
    let daily = checked.vaccines[0].daily;
    assert_eq!(daily.dose_total(Dose::First), 7);
    assert_eq!(daily.dose_total(Dose::Second), 2);
    assert_eq!(daily.total(), 9);
    assert!(!checked.vaccines[0].correction);
}

#[test]
fn registering_the_latest_day_again_counts_from_the_registration_before_it() {
    let before = tally([10, 0, 0, 0, 0], [0; 5]);
    let latest = tally([14, 0, 0, 0, 0], [0; 5]);
    let again = tally([15, 0, 0, 0, 0], [0; 5]);
    let checked = form("2026-04-09", &again)
        .validate(
            &basis(Some(("2026-04-09", latest)), Some(("2026-04-08", before))),
            no_contract(),
            day(TODAY),
        )
        .unwrap();
    assert_eq!(checked.vaccines[0].daily.total(), 5);
}

#[test]
fn a_lower_cumulative_asks_for_confirmation_and_once_confirmed_is_a_correction() {
    let last = tally([10, 5, 0, 0, 0], [0; 5]);
    let lower = tally([8, 6, 0, 0, 0], [0; 5]);
    let basis = basis(Some(("2026-04-08", last)), None);
    let errors = form("2026-04-09", &lower)
        .validate(&basis, no_contract(), day(TODAY))
        .unwrap_err();
    assert_eq!(
        errors.get(&cell_field(0, 0)),
        Some(&FieldError::CumulativeDecreased { previous: 10 })
    );
    assert_eq!(errors.get(&cell_field(0, 1)), None);
    let confirmed = RecordForm {
        confirm_correction: true,
        ..form("2026-04-09", &lower)
    };
    let checked = confirmed
        .validate(&basis, no_contract(), day(TODAY))
        .unwrap();
    assert!(checked.vaccines[0].correction);
    assert_eq!(checked.vaccines[0].daily.total(), -1);
}

#[test]
fn the_day_may_be_neither_in_the_future_nor_before_the_latest_registration() {
    let t = tally([1, 0, 0, 0, 0], [0; 5]);
    let basis = basis(Some(("2026-04-08", Tally::default())), None);
    let future = form("2026-04-11", &t).validate(&basis, no_contract(), day(TODAY));
    assert_eq!(
        future.unwrap_err().get("administered_on"),
        Some(&FieldError::DateInFuture)
    );
    let earlier = form("2026-04-07", &t).validate(&basis, no_contract(), day(TODAY));
    assert_eq!(
        earlier.unwrap_err().get("administered_on"),
        Some(&FieldError::BeforeLastRecord {
            last: "2026-04-08".into()
        })
    );
}

#[test]
fn the_day_lies_within_the_sites_contract() {
    let t = tally([1, 0, 0, 0, 0], [0; 5]);
    let contract = ContractDates {
        joined: Some(day("2026-04-05")),
        left: Some(day("2026-04-08")),
    };
    let before = form("2026-04-04", &t).validate(&basis(None, None), contract, day(TODAY));
    assert_eq!(
        before.unwrap_err().get("administered_on"),
        Some(&FieldError::BeforeContract {
            joined: "2026-04-05".into()
        })
    );
    let after = form("2026-04-09", &t).validate(&basis(None, None), contract, day(TODAY));
    assert_eq!(
        after.unwrap_err().get("administered_on"),
        Some(&FieldError::AfterContract {
            left: "2026-04-08".into()
        })
    );
    assert!(form("2026-04-05", &t)
        .validate(&basis(None, None), contract, day(TODAY))
        .is_ok());
}

#[test]
fn every_cell_is_a_count_and_full_width_digits_are_read() {
    let mut f = form("2026-04-09", &Tally::default());
    f.vaccines[0].cells[0] = "１２".into();
    f.vaccines[0].cells[3] = "three".into();
    f.vaccines[0].cells[9] = String::new();
    let errors = f
        .validate(&basis(None, None), no_contract(), day(TODAY))
        .unwrap_err();
    assert_eq!(errors.get(&cell_field(0, 0)), None);
    assert_eq!(
        errors.get(&cell_field(0, 3)),
        Some(&FieldError::CountFormat)
    );
    assert_eq!(errors.get(&cell_field(0, 9)), Some(&FieldError::Required));
    f.vaccines[0].cells[3] = "0".into();
    f.vaccines[0].cells[9] = "0".into();
    let checked = f
        .validate(&basis(None, None), no_contract(), day(TODAY))
        .unwrap();
    assert_eq!(checked.vaccines[0].tally.0[0], 12);
}

#[test]
fn a_vaccine_the_site_does_not_handle_or_a_foreign_lot_is_refused() {
    let mut f = form("2026-04-09", &Tally::default());
    f.vaccines.push(grid("moderna", &Tally::default()));
    f.vaccines[0].lot = "99".into();
    let errors = f
        .validate(&basis(None, None), no_contract(), day(TODAY))
        .unwrap_err();
    assert_eq!(
        errors.get("vaccines.1.vaccine"),
        Some(&FieldError::InvalidChoice)
    );
    assert_eq!(
        errors.get("vaccines.0.lot"),
        Some(&FieldError::InvalidChoice)
    );
    f.vaccines.pop();
    f.vaccines[0].lot = "7".into();
    let checked = f
        .validate(&basis(None, None), no_contract(), day(TODAY))
        .unwrap();
    assert_eq!(checked.vaccines[0].lot, Some(7));
}

#[test]
fn a_days_doses_take_whole_vials_and_a_correction_returns_only_whole_vials() {
    assert_eq!(vials_for(0, 6), 0);
    assert_eq!(vials_for(1, 6), 1);
    assert_eq!(vials_for(6, 6), 1);
    assert_eq!(vials_for(7, 6), 2);
    assert_eq!(vials_for(-5, 6), 0);
    assert_eq!(vials_for(-12, 6), -2);
    assert_eq!(vials_for(-13, 6), -2);
}

#[test]
fn cells_are_laid_out_dose_by_dose_in_the_order_of_the_groups() {
    assert_eq!(cell(Dose::First, Group::Medical), 0);
    assert_eq!(cell(Dose::First, Group::Other), 4);
    assert_eq!(cell(Dose::Second, Group::Medical), 5);
    assert_eq!(cell(Dose::Second, Group::Other), 9);
    let t = tally([1, 2, 3, 4, 5], [10, 0, 0, 0, 1]);
    assert_eq!(t.dose_total(Dose::First), 15);
    assert_eq!(t.dose_total(Dose::Second), 11);
    assert_eq!(t.total(), 26);
}
