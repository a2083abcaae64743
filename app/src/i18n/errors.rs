//! Errors in words: a field error next to its field, a choice left empty, and every
//! [`AppError`] as the message above a form or page.

use super::{short_time, Lang};
use crate::error::{AppError, FieldError, RefusalReason};
use std::cell::Cell;

/// A field error in words, for a choice (select, radios, check boxes): a missing choice says
/// 「選択してください。」 rather than 「入力してください。」.
pub fn choice_error(lang: Lang, error: &FieldError) -> String {
    match (lang, error) {
        (Lang::Ja, FieldError::Required) => "選択してください。".into(),
        (Lang::En, FieldError::Required) => "Choose one.".into(),
        _ => field_error(lang, error),
    }
}

/// A field error in words.
///
/// The words of the errors the login form can show (the main module's) are here; the others
/// come from [`area_field_error`], which every lazily loaded page registers (see
/// [`use_area_words`]) so that its texts travel with the pages, not with the login form.
pub fn field_error(lang: Lang, error: &FieldError) -> String {
    if let Some(words) = account_field_error(lang, error) {
        return words;
    }
    match AREA_WORDS.with(Cell::get) {
        Some(area_words) => area_words(lang, error),
        None => app_error(lang, &AppError::Validation(Default::default())),
    }
}

/// A field error in words, for one language.
type Words = fn(Lang, &FieldError) -> String;

thread_local! {
    /// The words of the errors beyond the login form's, once a lazily loaded page registered them.
    static AREA_WORDS: Cell<Option<Words>> = const { Cell::new(None) };
}

/// Registers [`area_field_error`]: every lazily loaded page calls this before it is shown
/// (`ui::routes`), so the words leave the main module for the pages' shared one.
pub fn use_area_words() {
    // Hidden from the optimiser: a cell only ever set to one function is otherwise folded into
    // a flag and a direct call from `field_error`, which pulls the words back into the main
    // module.
    let words: Words = std::hint::black_box(area_field_error);
    AREA_WORDS.with(|cell| cell.set(Some(words)));
}

/// The words of the field errors the login and password-reset forms can show.
fn account_field_error(lang: Lang, error: &FieldError) -> Option<String> {
    let words = match lang {
        Lang::Ja => match error {
            FieldError::Required => "入力してください。".into(),
            FieldError::TooLong { max } => format!("{max}文字以内で入力してください。"),
            FieldError::TooShort { min } => format!("{min}文字以上で入力してください。"),
            FieldError::LoginIdFormat => "半角英数字と . _ - @ で入力してください。".into(),
            FieldError::EmailFormat => {
                "メールアドレスの形式で入力してください（例: taro@example.jp）。".into()
            }
            FieldError::CodeFormat => "6桁の数字で入力してください。".into(),
            FieldError::CodeRejected => "コードが正しくありません。".into(),
            FieldError::PasswordCommon => {
                "推測されやすいパスワードです。別のパスワードにしてください。".into()
            }
            FieldError::PasswordContainsIdentity => {
                "ユーザ名やメールアドレスを含むパスワードは使えません。".into()
            }
            FieldError::PasswordMismatch => "新しいパスワードと一致しません。".into(),
            _ => return None,
        },
        Lang::En => match error {
            FieldError::Required => "Required.".into(),
            FieldError::TooLong { max } => format!("At most {max} characters."),
            FieldError::TooShort { min } => format!("At least {min} characters."),
            FieldError::LoginIdFormat => "Use letters, digits and . _ - @ only.".into(),
            FieldError::EmailFormat => "Enter an e-mail address (e.g. taro@example.jp).".into(),
            FieldError::CodeFormat => "Enter the 6 digits.".into(),
            FieldError::CodeRejected => "The code is not correct.".into(),
            FieldError::PasswordCommon => "Too easy to guess. Choose another password.".into(),
            FieldError::PasswordContainsIdentity => {
                "The password must not contain your user name or e-mail name.".into()
            }
            FieldError::PasswordMismatch => "Does not match the new password.".into(),
            _ => return None,
        },
    };
    Some(words)
}

/// The words of every other field error.
pub fn area_field_error(lang: Lang, error: &FieldError) -> String {
    match lang {
        Lang::Ja => match error {
            FieldError::LoginIdTaken => "このユーザ名は既に使われています。".into(),
            FieldError::InvalidChoice => "選択肢から選んでください。".into(),
            FieldError::OrganisationOutOfScope => "所管外の組織は選べません。".into(),
            FieldError::PostalCodeFormat => "郵便番号は000-0000の形式で入力してください。".into(),
            FieldError::PhoneFormat => {
                "電話番号の形式で入力してください（例: 03-1234-5678）。".into()
            }
            FieldError::UrlFormat => {
                "http:// または https:// で始まるURLを入力してください。".into()
            }
            FieldError::FuriganaFormat => "ひらがなで入力してください。".into(),
            FieldError::CountFormat => "0以上の整数で入力してください。".into(),
            FieldError::TooLarge { max } => format!("{max}以下で入力してください。"),
            FieldError::DateFormat => "日付は2021-03-06の形式で入力してください。".into(),
            FieldError::DateOrder => "集合契約加入日より前の日付は入力できません。".into(),
            FieldError::TenDigitCode => "10桁の数字で入力してください。".into(),
            FieldError::PendingApproval => {
                "市町村の承認待ちの申請があるため、承認されるまで変更できません（承認中は再修正不可）。".into()
            }
            FieldError::LockedAfterApproval => "承認後は変更できません。".into(),
            FieldError::StockHeld => {
                "ワクチンの在庫があるため、基本型とサテライト型は切り替えられません。".into()
            }
            FieldError::VaccineNotHandled => {
                "医療機関・接種会場が取り扱っていないワクチンは選べません。".into()
            }
            FieldError::AddressNeedsPrefecture => {
                "都道府県名から入力してください（例: 東京都千代田区…）。".into()
            }
            FieldError::TooSmall { min } => format!("{min}以上で入力してください。"),
            FieldError::DateTimeFormat => {
                "日時は2026-04-01 09:00の形式で入力してください。".into()
            }
            FieldError::LotNumberFormat => {
                "ロット番号は英大文字・数字・ハイフンで入力してください（例: FA7484）。".into()
            }
            FieldError::LotNumberTaken => {
                "このロット番号は、このワクチンで既に登録されています。".into()
            }
            FieldError::NameTaken => "この名前は既に使われています。".into(),
            FieldError::EndsBeforeStart => "開始より後の日時を入力してください。".into(),
            FieldError::DeliveryBeforeClose => {
                "希望量登録期間の締切日以降の日付を入力してください。".into()
            }
            FieldError::NotRequested => {
                "希望量が未登録の医療機関には分配できません（希望量が入っていないと、分配されません）。".into()
            }
            FieldError::OverAllocated { available } => {
                format!("分配量の合計が、分配された {available} 箱を超えています。")
            }
            FieldError::OutsideDeliveryWeeks { from, until } => {
                format!("納入予定日は納入期間（{from}〜{until}）の日付を入力してください。")
            }
            FieldError::UnknownLot => {
                "このワクチンの納入ロットに、このロット番号は登録されていません。".into()
            }
            FieldError::LotExpired { expired_on } => {
                format!("有効期限（{expired_on}）を過ぎたロットです。納入・移送はできません（廃棄のみ）。")
            }
            FieldError::DuplicateLot => "同じロット番号が2回入力されています。".into(),
            FieldError::OverDelivered { outstanding } => {
                format!("バイアル本数の合計が、未納入の {outstanding} 本を超えています。")
            }
            FieldError::MoreThanHeld { held } => {
                format!("このロットの在庫は {held} 本です。在庫を超える本数は登録できません。")
            }
            FieldError::DateInFuture => "今日より後の日付は入力できません。".into(),
            FieldError::TransferTargetNotAllowed => {
                "サテライト型へは、その基本型からのみ移送できます。その他の移送は同じ都道府県内に限られます。".into()
            }
            FieldError::BelowPassedOn { given } => {
                format!("この分配先は既に {given} 箱を配下に分配しています。それより少なくはできません。")
            }
            FieldError::AreaAlreadyCovered => {
                "この製薬メーカー・卸は、この地域を既に担当しています。".into()
            }
            FieldError::BeforeContract { joined } => {
                format!("集合契約加入日（{joined}）より前の接種日は登録できません。")
            }
            FieldError::AfterContract { left } => {
                format!("集合契約脱退日（{left}）より後の接種日は登録できません。")
            }
            FieldError::BeforeLastRecord { last } => format!(
                "最後に登録した接種日（{last}）より前の日は登録できません。誤りは、次回の登録で正しい累計を入力して訂正してください。"
            ),
            FieldError::CumulativeDecreased { previous } => format!(
                "前回の累計（{previous}人）より少なくなっています。訂正の場合は、登録時の確認で「訂正として登録」を選んでください。"
            ),
            FieldError::DateInPast => "今日より前の日付は選べません。".into(),
            FieldError::BelowBooked { booked } => {
                format!("この時間には既に {booked} 人の予約があります。{booked} 人以上にしてください。")
            }
            FieldError::NoSlot => "この日時には予約受付枠がありません。".into(),
            FieldError::SlotFull => "この時間の予約受付枠は満員です。別の時間を選んでください。".into(),
            FieldError::TicketAlreadyBooked => {
                "この接種券番号は、同じワクチン・接種回数で既に予約されています。".into()
            }
            FieldError::MonthFormat => "年月は 2026-11 のように入力してください。".into(),
            FieldError::ExtrasExceedVisits { visits } => format!(
                "時間外と休日は、1回目・2回目・予診のみの合計（{visits}人）のうちの人数です。合わせて{visits}人以下にしてください。"
            ),
            FieldError::DuplicateLine => "この市区町村は既にこの期間の行にあります。同じ行に合計して入力してください。".into(),
            FieldError::DifferenceNotAcknowledged => "請求する接種回数が接種実績と異なります。差異を確認し、「差異を確認しました」にチェックしてください。".into(),
            FieldError::FileName => "ファイル名は200文字以内で、フォルダの区切り（/ \\）を含めないでください。".into(),
            FieldError::FileTypeNotTaken => "この種類のファイルは添付できません。添付できるファイルの種類を確認してください。".into(),
            FieldError::FileTooLarge { max_mb } => format!("ファイルが大きすぎます。{max_mb} MB以下のファイルを選んでください。"),
            FieldError::FileContentMismatch => "ファイルの中身が拡張子と一致しません（例：.pdf なのにPDFではない）。正しいファイルを選んでください。".into(),
            FieldError::ResidenceIsOwnMunicipality => {
                "住所地が自市区町村です。住所地外接種の申請には、住民票のある市区町村を選んでください。".into()
            }
            FieldError::StockShort {
                needed,
                held,
                awaiting,
            } => {
                let mut text = format!(
                    "この日の接種にはバイアルが {needed} 本必要ですが、受領済みの在庫は {held} 本です。"
                );
                if *awaiting > 0 {
                    text.push_str(&format!(
                        "未受領の {awaiting} 本は、在庫・移送のページで受領を登録すると使えます。"
                    ));
                }
                text
            }

            _ => account_field_error(lang, error).unwrap_or_default(),
        },
        Lang::En => match error {
            FieldError::LoginIdTaken => "This user name is taken.".into(),
            FieldError::InvalidChoice => "Choose one of the options.".into(),
            FieldError::OrganisationOutOfScope => "This organisation is outside your area.".into(),
            FieldError::PostalCodeFormat => "Enter the postal code as 000-0000.".into(),
            FieldError::PhoneFormat => "Enter a Japanese phone number (e.g. 03-1234-5678).".into(),
            FieldError::UrlFormat => "Enter an address starting with http:// or https://.".into(),
            FieldError::FuriganaFormat => "Write the reading in hiragana.".into(),
            FieldError::CountFormat => "Enter a whole number, 0 or more.".into(),
            FieldError::TooLarge { max } => format!("At most {max}."),
            FieldError::DateFormat => "Enter the date as 2021-03-06.".into(),
            FieldError::DateOrder => "This date cannot be before the date it follows.".into(),
            FieldError::TenDigitCode => "Enter the 10 digits.".into(),
            FieldError::PendingApproval => {
                "A change request for this field is waiting for the municipality's approval.".into()
            }
            FieldError::LockedAfterApproval => "Cannot be changed after approval.".into(),
            FieldError::StockHeld => {
                "The site holds vaccine stock, so basic and satellite cannot be switched.".into()
            }
            FieldError::VaccineNotHandled => "The site does not handle this vaccine.".into(),
            FieldError::AddressNeedsPrefecture => {
                "Start with the prefecture (e.g. 東京都千代田区…).".into()
            }
            FieldError::TooSmall { min } => format!("At least {min}."),
            FieldError::DateTimeFormat => "Enter the date and time as 2026-04-01 09:00.".into(),
            FieldError::LotNumberFormat => {
                "Use capital letters, digits and hyphens (e.g. FA7484).".into()
            }
            FieldError::LotNumberTaken => {
                "This lot number is already registered for this vaccine.".into()
            }
            FieldError::NameTaken => "This name is already used.".into(),
            FieldError::EndsBeforeStart => "Enter a time after the start.".into(),
            FieldError::DeliveryBeforeClose => {
                "Enter a date on or after the day requests close.".into()
            }
            FieldError::NotRequested => {
                "A site that registered no request cannot be allocated any.".into()
            }
            FieldError::OverAllocated { available } => {
                format!("The allocations add up to more than the {available} boxes given.")
            }
            FieldError::OutsideDeliveryWeeks { from, until } => {
                format!("Choose a delivery date within the delivery weeks ({from} to {until}).")
            }
            FieldError::UnknownLot => "No lot of this number is registered for this vaccine.".into(),
            FieldError::LotExpired { expired_on } => {
                format!("This lot expired on {expired_on}: it cannot be delivered or transferred, only wasted.")
            }
            FieldError::DuplicateLot => "The same lot number is entered twice.".into(),
            FieldError::OverDelivered { outstanding } => {
                format!("The vials add up to more than the {outstanding} still outstanding.")
            }
            FieldError::MoreThanHeld { held } => {
                format!("The site holds {held} vials of this lot: no more can leave it.")
            }
            FieldError::DateInFuture => "The date may not be after today.".into(),
            FieldError::TransferTargetNotAllowed => {
                "A satellite receives only from its basic site; other transfers stay within the prefecture.".into()
            }
            FieldError::BelowPassedOn { given } => {
                format!("This row has already passed {given} boxes on beneath it: it cannot get fewer.")
            }
            FieldError::AreaAlreadyCovered => {
                "This supplier already serves this area.".into()
            }
            FieldError::BeforeContract { joined } => {
                format!("The site joined the collective contract on {joined}: no earlier day can be recorded.")
            }
            FieldError::AfterContract { left } => {
                format!("The site left the collective contract on {left}: no later day can be recorded.")
            }
            FieldError::BeforeLastRecord { last } => format!(
                "The latest record is for {last}: no earlier day can be recorded. Correct a mistake by entering the right cumulative next time."
            ),
            FieldError::CumulativeDecreased { previous } => format!(
                "Lower than the last cumulative ({previous}). If this corrects a mistake, confirm it as a correction when saving."
            ),
            FieldError::DateInPast => "The date may not be before today.".into(),
            FieldError::BelowBooked { booked } => {
                format!("This hour already has {booked} bookings: enter {booked} or more.")
            }
            FieldError::NoSlot => "The site takes no bookings at this time.".into(),
            FieldError::SlotFull => "This hour is fully booked: choose another.".into(),
            FieldError::TicketAlreadyBooked => {
                "This ticket number is already booked for this vaccine and dose.".into()
            }
            FieldError::MonthFormat => "Write the month as 2026-11.".into(),
            FieldError::ExtrasExceedVisits { visits } => format!(
                "After-hours and holiday visits are counted among the doses and screenings ({visits}): together no more than {visits}."
            ),
            FieldError::DuplicateLine => "This municipality already has a line in this part: add the counts to that line.".into(),
            FieldError::DifferenceNotAcknowledged => "The doses billed differ from the vaccination records. Check the difference and tick \"I have checked the difference\".".into(),
            FieldError::FileName => "A file name has at most 200 characters and no folder separators (/ \\).".into(),
            FieldError::FileTypeNotTaken => "Files of this type cannot be attached here.".into(),
            FieldError::FileTooLarge { max_mb } => format!("The file is too large: choose one of at most {max_mb} MB."),
            FieldError::FileContentMismatch => "The file's content does not match its name (a .pdf that is not a PDF). Choose the right file.".into(),
            FieldError::ResidenceIsOwnMunicipality => {
                "This is your own municipality: choose the one where the person is registered as resident.".into()
            }
            FieldError::StockShort {
                needed,
                held,
                awaiting,
            } => {
                let mut text = format!(
                    "The day's doses need {needed} vials; the site holds {held} received vials."
                );
                if *awaiting > 0 {
                    text.push_str(&format!(
                        " {awaiting} more can be used once their receipt is registered on the stock page."
                    ));
                }
                text
            }

            _ => account_field_error(lang, error).unwrap_or_default(),
        },
    }
}

/// An error that is not about one field, in words.
pub fn app_error(lang: Lang, error: &AppError) -> String {
    match lang {
        Lang::Ja => match error {
            AppError::Validation(_) => "入力内容を確認してください。".into(),
            AppError::Unauthenticated => "ログインしてください。".into(),
            AppError::Forbidden => "この操作を行う権限がありません。".into(),
            AppError::NotFound => "見つかりません。".into(),
            AppError::OnboardingRequired(_) => "初期設定を完了してください。".into(),
            AppError::InvalidCredentials => "ユーザ名またはパスワードが正しくありません。".into(),
            AppError::AccountLocked { until } => format!("ログインの失敗が続いたため、{} までログインできません。時間をおいて再度お試しいただくか、管理者にロック解除を依頼してください。", short_time(until)),
            AppError::TooManyRequests { retry_after_secs } => format!("試行回数が多すぎます。{retry_after_secs}秒後に再度お試しください。"),
            AppError::LinkInvalid => "このリンクは有効期限切れか、使用済み、または新しいリンクに置き換えられています。IDを発行した担当者またはサービスデスクへご連絡ください。".into(),
            AppError::AttemptExpired => "有効期限が切れたか、試行回数の上限に達しました。最初からやり直してください。".into(),
            AppError::CrossSiteRequest => "他のサイトからの要求は受け付けません。".into(),
            AppError::Disabled => "この機能は無効です。".into(),
            AppError::Internal => "システムエラーが発生しました。時間をおいて再度お試しください。".into(),
            AppError::Network(_) => "サーバに接続できません。入力内容は保持されています。通信状況を確認して再度お試しください。".into(),
            AppError::EditConflict(_) => "他の利用者がこの情報を先に保存したため、保存しませんでした。入力内容は保持されています。下の変更点を確認してください。".into(),
            AppError::Refused(RefusalReason::LastDoctor) => "医師は1人以上登録が必要です。最後の医師は削除できません。先に別の医師を登録してください。".into(),
            AppError::Refused(RefusalReason::AlreadyDecided) => "この申請は既に承認または却下されています。".into(),
            AppError::BadRequest => "要求の形式が正しくありません。ページを再読み込みして、もう一度お試しください。".into(),
            AppError::PayloadTooLarge => "送信内容が大きすぎます。内容を減らして再度お試しください。".into(),
            AppError::Refused(RefusalReason::SatelliteRequest) => "サテライト型は希望量を登録しません。基本型の医療機関から移送を受けてください。".into(),
            AppError::Refused(RefusalReason::WindowStillOpen) => "希望量登録期間が終わるまで分配はできません。".into(),
            AppError::Refused(RefusalReason::NotLocked) => "都道府県のデータロックの後に納入予定日を登録できます。".into(),
            AppError::Refused(RefusalReason::NothingAllocated) => "この医療機関への分配量はありません。".into(),
            AppError::Refused(RefusalReason::NoDeliveryDate) => "先に納入予定日を登録してください。".into(),
            AppError::Refused(RefusalReason::AlreadyReceived) => "この納入は既に受領確認されています。".into(),
            AppError::Refused(RefusalReason::TransferSettled) => "この移送は既に受領または取消されています。".into(),
            AppError::Refused(RefusalReason::DeliveriesScheduled) => "納入予定日が登録済みのため、データロックは解除できません。解除が必要な場合は国に依頼してください。".into(),
            AppError::Refused(RefusalReason::BillSubmitted) => "この請求は提出済みです。修正するには市区町村からの差戻しが必要です。".into(),
            AppError::Refused(RefusalReason::BillNotSubmitted) => "提出されていない請求は差戻しできません。".into(),
            AppError::Refused(RefusalReason::MonthNotOver) => "請求は月が終わってから提出できます。".into(),
            AppError::Refused(RefusalReason::NoUnitPrice) => "この月の接種日に適用される単価が登録されていません。国に単価の登録を依頼してください。".into(),
            AppError::Refused(RefusalReason::NoticeClosed) => "取り下げ済み、または掲載終了日を過ぎたお知らせは編集できません。".into(),
            AppError::Refused(RefusalReason::InquiryClosed) => "この問い合わせは完了しています。新しい問い合わせとして送ってください。".into(),
            AppError::DataLocked { prefecture } => format!("{prefecture}がデータロックしているため、分配量は変更できません。変更が必要な場合は{prefecture}にロック解除を依頼してください。"),
            AppError::RequestWindowClosed { opens, closes } => format!("希望量登録期間（{} 〜 {}）外のため登録できません。", short_time(opens), short_time(closes)),
        },
        Lang::En => match error {
            AppError::Validation(_) => "Please check the highlighted fields.".into(),
            AppError::Unauthenticated => "Please log in.".into(),
            AppError::Forbidden => "You are not allowed to do this.".into(),
            AppError::NotFound => "Not found.".into(),
            AppError::OnboardingRequired(_) => "Please finish the first-login setup.".into(),
            AppError::InvalidCredentials => "The user name or password is not correct.".into(),
            AppError::AccountLocked { until } => format!("Too many failed logins: logging in is blocked until {}. Try again later or ask an administrator to unlock it.", short_time(until)),
            AppError::TooManyRequests { retry_after_secs } => format!("Too many attempts. Try again in {retry_after_secs} seconds."),
            AppError::LinkInvalid => "This link has expired, was used, or was replaced by a newer one. Contact whoever issued your ID or the service desk.".into(),
            AppError::AttemptExpired => "This step expired or ran out of tries. Please start again.".into(),
            AppError::CrossSiteRequest => "Requests from other sites are refused.".into(),
            AppError::Disabled => "This feature is switched off.".into(),
            AppError::Internal => "A system error occurred. Please try again later.".into(),
            AppError::Network(_) => "Cannot reach the server. What you typed is kept; check the connection and try again.".into(),
            AppError::EditConflict(_) => "Someone else saved this record first, so nothing was saved. What you typed is kept; see their changes below.".into(),
            AppError::Refused(RefusalReason::LastDoctor) => "A site needs at least one doctor, so the last one cannot be deleted. Add another doctor first.".into(),
            AppError::Refused(RefusalReason::AlreadyDecided) => "This request has already been approved or rejected.".into(),
            AppError::BadRequest => "The request was not in the expected form. Reload the page and try again.".into(),
            AppError::PayloadTooLarge => "What was sent is too large. Send less and try again.".into(),
            AppError::Refused(RefusalReason::SatelliteRequest) => "A satellite site registers no request: it receives vaccine by transfer from its basic site.".into(),
            AppError::Refused(RefusalReason::WindowStillOpen) => "Allocation begins once the request window has closed.".into(),
            AppError::Refused(RefusalReason::NotLocked) => "Delivery dates can be entered once the prefecture has locked the data.".into(),
            AppError::Refused(RefusalReason::NothingAllocated) => "Nothing was allocated to this site.".into(),
            AppError::Refused(RefusalReason::NoDeliveryDate) => "Enter the delivery date first.".into(),
            AppError::Refused(RefusalReason::AlreadyReceived) => "This delivery was already confirmed.".into(),
            AppError::Refused(RefusalReason::TransferSettled) => "This transfer was already received or cancelled.".into(),
            AppError::Refused(RefusalReason::DeliveriesScheduled) => "Delivery dates have been entered, so the lock stays. Ask a national user if it must be lifted.".into(),
            AppError::Refused(RefusalReason::BillSubmitted) => "This bill has been submitted. It can be changed once a municipality returns it.".into(),
            AppError::Refused(RefusalReason::BillNotSubmitted) => "Only a submitted bill can be returned.".into(),
            AppError::Refused(RefusalReason::MonthNotOver) => "A month is billed once it is over.".into(),
            AppError::Refused(RefusalReason::NoUnitPrice) => "No unit price applies to this month's vaccination dates. Ask a national user to register one.".into(),
            AppError::Refused(RefusalReason::NoticeClosed) => "A withdrawn or expired notice can no longer be edited.".into(),
            AppError::Refused(RefusalReason::InquiryClosed) => "This inquiry is completed. Send a new one.".into(),
            AppError::DataLocked { prefecture } => format!("{prefecture} has locked this cool's data, so allocations cannot change. Ask {prefecture} to unlock it if a change is needed."),
            AppError::RequestWindowClosed { opens, closes } => format!("Requests can only be registered inside the window ({} to {}).", short_time(opens), short_time(closes)),
        },
    }
}
