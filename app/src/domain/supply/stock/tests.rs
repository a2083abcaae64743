use super::*;
use crate::domain::{
    parse_delivery_date, CoolWindow, DeliveryStatus, KnownLot, LotLineForm, ShipmentForm,
};
use chrono::{TimeZone, Utc};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn window() -> CoolWindow {
    CoolWindow {
        opens: Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
        closes: Utc.with_ymd_and_hms(2026, 4, 8, 8, 0, 0).unwrap(),
        delivery_from: day("2026-04-20"),
        delivery_until: day("2026-05-01"),
    }
}

fn lots() -> Vec<KnownLot> {
    vec![
        KnownLot {
            id: 1,
            lot_number: "FF2153".into(),
            expires_on: day("2026-08-31"),
        },
        KnownLot {
            id: 2,
            lot_number: "EW4811".into(),
            expires_on: day("2026-04-25"),
        },
    ]
}

fn line(lot_number: &str, vials: &str) -> LotLineForm {
    LotLineForm {
        lot_number: lot_number.into(),
        vials: vials.into(),
    }
}

#[test]
fn a_delivery_date_must_fall_inside_the_delivery_weeks_edges_included() {
    assert_eq!(
        parse_delivery_date("2026-04-20", &window()),
        Ok(day("2026-04-20"))
    );
    assert_eq!(
        parse_delivery_date("2026/5/1", &window()),
        Ok(day("2026-05-01"))
    );
    let outside = FieldError::OutsideDeliveryWeeks {
        from: "2026-04-20".into(),
        until: "2026-05-01".into(),
    };
    assert_eq!(
        parse_delivery_date("2026-04-19", &window()),
        Err(outside.clone())
    );
    assert_eq!(parse_delivery_date("2026-05-02", &window()), Err(outside));
}

#[test]
fn the_delivery_status_follows_what_was_entered() {
    use DeliveryStatus::*;
    assert_eq!(DeliveryStatus::of(false, 390, 0, 0), Unscheduled);
    assert_eq!(DeliveryStatus::of(true, 390, 0, 0), Scheduled);
    assert_eq!(DeliveryStatus::of(true, 390, 200, 200), Partial);
    assert_eq!(DeliveryStatus::of(true, 390, 390, 200), Delivered);
    assert_eq!(DeliveryStatus::of(true, 390, 390, 390), Received);
}

#[test]
fn a_delivery_names_known_lots_of_the_vaccine_not_expired_when_it_is_entered() {
    let form = ShipmentForm {
        delivered_on: "2026-04-24".into(),
        lines: vec![
            line("ｆｆ２１５３", "200"),
            line("EW4811", "190"),
            line("", ""),
        ],
    };
    let shipment = form.validate(&lots(), 390, day("2026-04-24")).unwrap();
    assert_eq!(shipment.lots, vec![(1, 200), (2, 190)]);

    let late = ShipmentForm {
        delivered_on: "2026-04-26".into(),
        ..form.clone()
    };
    let errors = late.validate(&lots(), 390, day("2026-04-26")).unwrap_err();
    assert_eq!(
        errors.get("lines.1.lot_number"),
        Some(&FieldError::LotExpired {
            expired_on: "2026-04-25".into()
        })
    );
    // Backdated to a day before the expiry, entered after it: still refused.
    let backdated = ShipmentForm {
        delivered_on: "2026-04-24".into(),
        ..form.clone()
    };
    let errors = backdated
        .validate(&lots(), 390, day("2026-04-26"))
        .unwrap_err();
    assert_eq!(
        errors.get("lines.1.lot_number"),
        Some(&FieldError::LotExpired {
            expired_on: "2026-04-25".into()
        })
    );

    let unknown = ShipmentForm {
        delivered_on: "2026-04-24".into(),
        lines: vec![line("ZZ0001", "1"), line("FF2153", "0")],
    };
    let errors = unknown
        .validate(&lots(), 390, day("2026-04-24"))
        .unwrap_err();
    assert_eq!(
        errors.get("lines.0.lot_number"),
        Some(&FieldError::UnknownLot)
    );
    assert_eq!(
        errors.get("lines.1.vials"),
        Some(&FieldError::TooSmall { min: 1 })
    );
}

#[test]
fn a_delivery_may_not_bring_more_than_is_outstanding_nor_name_a_lot_twice() {
    let over = ShipmentForm {
        delivered_on: "2026-04-24".into(),
        lines: vec![line("FF2153", "200"), line("EW4811", "191")],
    };
    let errors = over.validate(&lots(), 390, day("2026-04-24")).unwrap_err();
    assert_eq!(
        errors.get("lines.1.vials"),
        Some(&FieldError::OverDelivered { outstanding: 390 })
    );
    let twice = ShipmentForm {
        delivered_on: "2026-04-24".into(),
        lines: vec![line("FF2153", "1"), line("ff2153", "1")],
    };
    let errors = twice.validate(&lots(), 390, day("2026-04-24")).unwrap_err();
    assert_eq!(
        errors.get("lines.1.lot_number"),
        Some(&FieldError::DuplicateLot)
    );
    let empty = ShipmentForm {
        delivered_on: "2026-04-24".into(),
        lines: vec![line("", "")],
    };
    let errors = empty.validate(&lots(), 390, day("2026-04-24")).unwrap_err();
    assert_eq!(
        errors.get("lines.0.lot_number"),
        Some(&FieldError::Required)
    );
}

#[test]
fn a_transfer_needs_an_offered_site_and_lot_and_a_day_not_in_the_future() {
    let form = TransferForm {
        to_site: "7".into(),
        lot: "1".into(),
        vials: "３本".into(),
        sent_on: "2026-04-25".into(),
    };
    let lots = ["1".to_string()];
    let targets = ["7".to_string()];
    assert_eq!(
        form.validate(&lots, &targets, day("2026-04-25")),
        Ok(NewTransfer {
            to_site: 7,
            lot: 1,
            vials: 3,
            sent_on: day("2026-04-25"),
        })
    );
    let errors = form
        .validate(&lots, &targets, day("2026-04-24"))
        .unwrap_err();
    assert_eq!(errors.get("sent_on"), Some(&FieldError::DateInFuture));
    let elsewhere = TransferForm {
        to_site: "8".into(),
        ..form
    };
    let errors = elsewhere
        .validate(&lots, &targets, day("2026-04-25"))
        .unwrap_err();
    assert_eq!(errors.get("to_site"), Some(&FieldError::InvalidChoice));
}

#[test]
fn a_waste_of_reason_other_needs_its_text() {
    let form = WasteForm {
        lot: "1".into(),
        vials: "1".into(),
        occurred_on: "2026-04-25".into(),
        reason: "other".into(),
        note: String::new(),
    };
    let lots = ["1".to_string()];
    let errors = form.validate(&lots, day("2026-04-25")).unwrap_err();
    assert_eq!(errors.get("note"), Some(&FieldError::Required));
    let explained = WasteForm {
        note: "落下".into(),
        ..form.clone()
    };
    assert_eq!(
        explained
            .validate(&lots, day("2026-04-25"))
            .map(|w| w.reason),
        Ok(WasteReason::Other)
    );
    let damaged = WasteForm {
        reason: "damaged".into(),
        note: "ignored".into(),
        ..form
    };
    let waste = damaged.validate(&lots, day("2026-04-25")).unwrap();
    assert_eq!(
        (waste.reason, waste.note.as_str()),
        (WasteReason::Damaged, "")
    );
}

#[test]
fn a_count_that_differs_from_the_ledger_needs_a_reason() {
    let form = CountForm {
        counted_on: "2026-04-25".into(),
        lines: vec![
            CountLineForm {
                lot: 1,
                counted: "10".into(),
                reason: String::new(),
            },
            CountLineForm {
                lot: 2,
                counted: "4".into(),
                reason: String::new(),
            },
        ],
    };
    let expected = [(1, 10), (2, 5)];
    let errors = form.validate(&expected, day("2026-04-25")).unwrap_err();
    assert_eq!(errors.get("lines.1.reason"), Some(&FieldError::Required));
    assert_eq!(errors.get("lines.0.reason"), None);
    let mut explained = form.clone();
    explained.lines[1].reason = "破損を未登録".into();
    let (_, lines) = explained.validate(&expected, day("2026-04-25")).unwrap();
    assert_eq!((lines[1].expected, lines[1].counted), (5, 4));
}
