//! Tests of the texts in both languages.

use super::*;
use crate::error::FieldError;

/// Every [`FieldError`] once. The match makes this fail to compile when a variant is added
/// without being listed.
fn every_field_error() -> Vec<FieldError> {
    use FieldError::*;
    let all = vec![
        Required,
        TooLong { max: 100 },
        TooShort { min: 12 },
        LoginIdFormat,
        LoginIdTaken,
        EmailFormat,
        CodeFormat,
        CodeRejected,
        PasswordCommon,
        PasswordContainsIdentity,
        PasswordMismatch,
        InvalidChoice,
        OrganisationOutOfScope,
        PostalCodeFormat,
        PhoneFormat,
        UrlFormat,
        FuriganaFormat,
        CountFormat,
        TooLarge { max: 999 },
        DateFormat,
        DateOrder,
        TenDigitCode,
        PendingApproval,
        LockedAfterApproval,
        StockHeld,
        VaccineNotHandled,
        AddressNeedsPrefecture,
        TooSmall { min: 1 },
        DateTimeFormat,
        LotNumberFormat,
        LotNumberTaken,
        NameTaken,
        EndsBeforeStart,
        DeliveryBeforeClose,
        NotRequested,
        OverAllocated { available: 10 },
        OutsideDeliveryWeeks {
            from: "2026-05-01".into(),
            until: "2026-05-14".into(),
        },
        UnknownLot,
        LotExpired {
            expired_on: "2026-05-01".into(),
        },
        DuplicateLot,
        OverDelivered { outstanding: 5 },
        MoreThanHeld { held: 3 },
        DateInFuture,
        TransferTargetNotAllowed,
        BelowPassedOn { given: 4 },
        AreaAlreadyCovered,
        BeforeContract {
            joined: "2021-03-06".into(),
        },
        AfterContract {
            left: "2022-03-31".into(),
        },
        BeforeLastRecord {
            last: "2026-04-08".into(),
        },
        CumulativeDecreased { previous: 12 },
        StockShort {
            needed: 3,
            held: 1,
            awaiting: 10,
        },
        ResidenceIsOwnMunicipality,
        DateInPast,
        BelowBooked { booked: 3 },
        NoSlot,
        SlotFull,
        TicketAlreadyBooked,
        MonthFormat,
        ExtrasExceedVisits { visits: 4 },
        DuplicateLine,
        DifferenceNotAcknowledged,
        FileName,
        FileTypeNotTaken,
        FileTooLarge { max_mb: 20 },
        FileContentMismatch,
    ];
    for error in &all {
        match error {
            Required
            | TooLong { .. }
            | TooShort { .. }
            | LoginIdFormat
            | LoginIdTaken
            | EmailFormat
            | CodeFormat
            | CodeRejected
            | PasswordCommon
            | PasswordContainsIdentity
            | PasswordMismatch
            | InvalidChoice
            | OrganisationOutOfScope
            | PostalCodeFormat
            | PhoneFormat
            | UrlFormat
            | FuriganaFormat
            | CountFormat
            | TooLarge { .. }
            | DateFormat
            | DateOrder
            | TenDigitCode
            | PendingApproval
            | LockedAfterApproval
            | StockHeld
            | VaccineNotHandled
            | AddressNeedsPrefecture
            | TooSmall { .. }
            | DateTimeFormat
            | LotNumberFormat
            | LotNumberTaken
            | NameTaken
            | EndsBeforeStart
            | DeliveryBeforeClose
            | NotRequested
            | OverAllocated { .. }
            | OutsideDeliveryWeeks { .. }
            | UnknownLot
            | LotExpired { .. }
            | DuplicateLot
            | OverDelivered { .. }
            | MoreThanHeld { .. }
            | DateInFuture
            | TransferTargetNotAllowed
            | BelowPassedOn { .. }
            | AreaAlreadyCovered
            | BeforeContract { .. }
            | AfterContract { .. }
            | BeforeLastRecord { .. }
            | CumulativeDecreased { .. }
            | StockShort { .. }
            | ResidenceIsOwnMunicipality
            | DateInPast
            | BelowBooked { .. }
            | NoSlot
            | SlotFull
            | TicketAlreadyBooked
            | MonthFormat
            | ExtrasExceedVisits { .. }
            | DuplicateLine
            | DifferenceNotAcknowledged
            | FileName
            | FileTypeNotTaken
            | FileTooLarge { .. }
            | FileContentMismatch => {}
        }
    }
    all
}

#[test]
fn every_field_error_reads_in_both_languages() {
    errors::use_area_words();
    for error in every_field_error() {
        let ja = field_error(Lang::Ja, &error);
        let en = field_error(Lang::En, &error);
        assert!(!ja.is_empty() && !en.is_empty(), "{error:?}");
        assert_ne!(ja, en, "{error:?} is not translated");
        assert!(!ja.is_ascii(), "{error:?} in Japanese: {ja}");
        // English texts may quote a Japanese example (東京都…), but are English sentences.
        assert!(
            en.starts_with(|c: char| c.is_ascii_uppercase()),
            "{error:?} in English: {en}"
        );
    }
    assert_eq!(
        field_error(Lang::Ja, &FieldError::TooShort { min: 12 }),
        "12文字以上で入力してください。"
    );
}

#[test]
fn the_login_form_s_errors_read_before_any_lazy_page_registered_the_others() {
    // Tests run on their own threads: nothing is registered on this one.
    assert_eq!(
        field_error(Lang::Ja, &FieldError::LoginIdFormat),
        "半角英数字と . _ - @ で入力してください。"
    );
    assert_eq!(
        field_error(Lang::Ja, &FieldError::SlotFull),
        "入力内容を確認してください。"
    );
    errors::use_area_words();
    assert_eq!(
        field_error(Lang::Ja, &FieldError::SlotFull),
        "この時間の予約受付枠は満員です。別の時間を選んでください。"
    );
}

#[test]
fn the_area_words_cover_the_login_form_s_errors_too() {
    for error in every_field_error() {
        assert!(
            !errors::area_field_error(Lang::Ja, &error).is_empty(),
            "{error:?}"
        );
        assert!(
            !errors::area_field_error(Lang::En, &error).is_empty(),
            "{error:?}"
        );
    }
}

#[test]
fn a_missing_choice_asks_to_choose_and_other_errors_read_as_usual() {
    errors::use_area_words();
    assert_eq!(
        choice_error(Lang::Ja, &FieldError::Required),
        "選択してください。"
    );
    assert_eq!(choice_error(Lang::En, &FieldError::Required), "Choose one.");
    assert_eq!(
        choice_error(Lang::Ja, &FieldError::InvalidChoice),
        field_error(Lang::Ja, &FieldError::InvalidChoice)
    );
}

#[test]
fn short_time_drops_seconds_and_offset() {
    assert_eq!(short_time("2026-11-21T09:15:00+09:00"), "2026-11-21 09:15");
}

#[test]
fn login_screen_uses_the_labels_users_know() {
    assert_eq!(JA.user_name, "ユーザ名");
    assert_eq!(JA.remember_me, "ログイン情報を保存する");
    assert_eq!(JA.forgot_password, "パスワードをお忘れですか?");
    assert_eq!(JA.setup_title, "ログインユーザ初期設定");
}

#[test]
fn the_audit_log_names_vaccination_records_and_out_of_area_applications_as_users_know_them() {
    use super::audit::{audit_entity, audit_field};
    assert_eq!(
        audit_field(Lang::Ja, "site", "records:pfizer:2026-04-01"),
        "接種実績（pfizer 2026-04-01）"
    );
    assert_eq!(
        audit_entity(Lang::Ja, "out_of_area", "5"),
        "住所地外接種の申請 #5"
    );
    assert_eq!(
        audit_field(Lang::Ja, "out_of_area", "list_read"),
        "一覧の閲覧（個人情報）"
    );
    assert_eq!(audit_field(Lang::En, "out_of_area", "status"), "Status");
}
