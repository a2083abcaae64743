//! Translations. Every user-visible string lives in [`Texts`], once per language; a missing
//! translation is a compile error, not a blank on screen. Japanese is the default.

pub mod audit;
pub mod errors;
pub mod fields;
pub mod finder;
pub mod site;
pub mod stock;
pub mod supply;

pub use errors::{app_error, choice_error, field_error};

use crate::domain::{Choice, ReservationStatus, Role, SiteType};
use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 日本語
    #[default]
    Ja,
    /// English
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
}

/// Every fixed string of the interface.
#[allow(missing_docs)]
pub struct Texts {
    pub app_title: &'static str,
    pub app_subtitle: &'static str,
    pub switch_language: &'static str,
    pub loading: &'static str,
    pub required_mark: &'static str,
    pub login_title: &'static str,
    pub user_name: &'static str,
    pub password: &'static str,
    pub remember_me: &'static str,
    pub login_button: &'static str,
    pub forgot_password: &'static str,
    pub logout: &'static str,
    pub email_code_intro: &'static str,
    pub login_code: &'static str,
    pub totp_code_intro: &'static str,
    pub totp_or_recovery: &'static str,
    pub reset_needs_authenticator: &'static str,
    pub verify_button: &'static str,
    pub back_to_login: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub send_button: &'static str,
    pub forgot_sent: &'static str,
    pub setup_title: &'static str,
    pub setup_reset_title: &'static str,
    pub setup_code_sent: &'static str,
    pub verification_code: &'static str,
    pub resend_code: &'static str,
    pub new_password: &'static str,
    pub confirm_password: &'static str,
    pub password_rules: &'static str,
    pub change_password_button: &'static str,
    pub setup_for_user: &'static str,
    pub totp_title: &'static str,
    pub totp_required_intro: &'static str,
    pub totp_optional_intro: &'static str,
    pub totp_secret: &'static str,
    pub totp_code: &'static str,
    pub totp_register: &'static str,
    pub totp_skip: &'static str,
    pub recovery_title: &'static str,
    pub recovery_intro: &'static str,
    pub next_button: &'static str,
    pub consent_title: &'static str,
    pub consent_intro: &'static str,
    pub consent_agree: &'static str,
    pub policy_version: &'static str,
    pub tab_home: &'static str,
    pub tab_sites: &'static str,
    pub tab_municipalities: &'static str,
    pub tab_users: &'static str,
    pub tab_audit: &'static str,
    pub home_title: &'static str,
    pub home_tasks: &'static str,
    pub task_own_site: &'static str,
    pub task_sites: &'static str,
    pub task_municipalities: &'static str,
    pub task_issue_id: &'static str,
    pub task_users: &'static str,
    pub task_audit: &'static str,
    pub task_outbox: &'static str,
    pub acting_for: &'static str,
    pub reservation_title: &'static str,
    pub reservation_current: &'static str,
    pub reservation_updated: &'static str,
    pub reservation_summary_title: &'static str,
    pub unregistered_sites: &'static str,
    pub none_unregistered: &'static str,
    pub stop_acting: &'static str,
    pub act_for: &'static str,
    pub site_type: &'static str,
    pub basic_site: &'static str,
    pub site_name: &'static str,
    pub municipality: &'static str,
    pub municipality_code: &'static str,
    pub prefecture: &'static str,
    pub reading: &'static str,
    pub site_count: &'static str,
    pub no_rows: &'static str,
    pub users_title: &'static str,
    pub search: &'static str,
    pub display_name: &'static str,
    pub email: &'static str,
    pub role: &'static str,
    pub organisation: &'static str,
    pub status: &'static str,
    pub status_active: &'static str,
    pub status_pending: &'static str,
    pub status_locked: &'static str,
    pub status_disabled: &'static str,
    pub unlock: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub resend_link: &'static str,
    pub reset_totp: &'static str,
    pub done: &'static str,
    pub issue_title: &'static str,
    pub issue_intro: &'static str,
    pub issue_button: &'static str,
    pub choose: &'static str,
    pub site_id: &'static str,
    pub supplier: &'static str,
    pub issued: &'static str,
    pub audit_title: &'static str,
    pub audit_at: &'static str,
    pub audit_acting_for: &'static str,
    pub audit_actor: &'static str,
    pub audit_entity: &'static str,
    pub audit_field: &'static str,
    pub audit_old: &'static str,
    pub audit_new: &'static str,
    pub older: &'static str,
    pub outbox_title: &'static str,
    pub outbox_intro: &'static str,
    pub outbox_empty: &'static str,
    pub not_found_title: &'static str,
    /// Shown when a page's code could not be downloaded.
    pub page_load_failed: &'static str,
    pub reload: &'static str,
    pub session_expired: &'static str,
    // usability findings (branch u1)
    /// The heading of the error summary above a form.
    pub error_summary_title: &'static str,
    // usability findings (branch u2)
    /// The heading of a column of buttons (read by screen readers, not shown).
    pub actions_column: &'static str,
}

/// 日本語.
pub static JA: Texts = Texts {
    app_title: "V-SYS",
    app_subtitle: "ワクチン接種円滑化システム",
    switch_language: "English",
    loading: "読み込み中…",
    required_mark: "※",
    login_title: "ログイン",
    user_name: "ユーザ名",
    password: "パスワード",
    remember_me: "ログイン情報を保存する",
    login_button: "ログイン",
    forgot_password: "パスワードをお忘れですか?",
    logout: "ログアウト",
    email_code_intro: "新しいブラウザからのログインです。メールで送信した確認コードを入力してください。送信先:",
    login_code: "確認コード",
    totp_code_intro: "認証アプリに表示されている6桁のコードを入力してください。アプリが使えない場合は回復コードを入力できます。",
    totp_or_recovery: "認証コード（または回復コード）",
    reset_needs_authenticator: "認証アプリを登録済みのため、パスワードの再設定には認証アプリのコード（または回復コード）も必要です。認証アプリを紛失した場合は、管理者または所属の市町村・都道府県の担当者に認証アプリのリセットを依頼してください。",
    verify_button: "検証",
    back_to_login: "ログイン画面に戻る",
    forgot_title: "パスワードの再設定",
    forgot_intro: "ユーザ名を入力してください。登録されたメールアドレスに再設定用のリンクを送信します（有効期限24時間）。",
    send_button: "送信",
    forgot_sent: "ユーザ名が登録されている場合、再設定用のリンクをメールで送信しました。メールをご確認ください。",
    setup_title: "ログインユーザ初期設定",
    setup_reset_title: "パスワードの再設定",
    setup_code_sent: "検証コードをメールで送信しました。送信先:",
    verification_code: "検証コード",
    resend_code: "検証コードを再送信する",
    new_password: "新しいパスワード",
    confirm_password: "確認",
    password_rules: "12文字以上で入力してください。記号や大文字の必須はありません。長い文章（パスフレーズ）がおすすめです。ユーザ名や「ワクチン」「V-SYS」などの推測されやすい語は使えません。",
    change_password_button: "パスワードを変更",
    setup_for_user: "ユーザ名:",
    totp_title: "認証アプリの登録",
    totp_required_intro: "この役割では個人情報を扱うため、認証アプリ（Google Authenticator、Microsoft Authenticator など）の登録が必要です。QRコードを読み取るか、キーを入力して、表示された6桁のコードを入力してください。",
    totp_optional_intro: "認証アプリ（Google Authenticator など）を登録すると、ログインがより安全になります。登録しない場合は「後で設定する」を押してください。",
    totp_secret: "キー（手入力用）",
    totp_code: "認証アプリのコード",
    totp_register: "登録",
    totp_skip: "後で設定する",
    recovery_title: "回復コード",
    recovery_intro: "認証アプリが使えなくなったときのための回復コードです。各コードは1回だけ使えます。印刷するか安全な場所に保管してください。この画面は再表示できません。",
    next_button: "次へ",
    consent_title: "V-SYSにおける個人情報保護方針",
    consent_intro: "「V-SYSにおける個人情報保護方針」を確認の上、同意するにチェックを入れ「次へ」を押してください。",
    consent_agree: "同意する",
    policy_version: "版",
    tab_home: "ホーム",
    tab_sites: "医療機関・接種会場",
    tab_municipalities: "市町村マスタ",
    tab_users: "ユーザ管理",
    tab_audit: "監査ログ",
    home_title: "ホーム",
    home_tasks: "業務メニュー",
    task_own_site: "この医療機関の情報を見る",
    task_sites: "医療機関・接種会場一覧",
    task_municipalities: "都道府県管内の市町村一覧",
    task_issue_id: "ID発行",
    task_users: "ユーザ一覧",
    task_audit: "監査ログ",
    task_outbox: "開発用メール送信箱",
    acting_for: "代理入力中:",
    reservation_title: "予約の受付情報の変更",
    reservation_current: "現在の状態:",
    reservation_updated: "更新日時:",
    reservation_summary_title: "医療機関・接種会場の予約の受付状況",
    unregistered_sites: "未登録医療機関・接種会場",
    none_unregistered: "未登録の医療機関・接種会場はありません。",
    stop_acting: "代理入力を終了",
    act_for: "代理入力",
    site_type: "型",
    basic_site: "基本型の医療機関",
    site_name: "医療機関・接種会場名",
    municipality: "市町村",
    municipality_code: "全国地方公共団体コード",
    prefecture: "都道府県",
    reading: "ふりがな",
    site_count: "医療機関・接種会場数",
    no_rows: "該当するデータはありません。",
    users_title: "ユーザ一覧",
    search: "検索",
    display_name: "氏名",
    email: "メールアドレス",
    role: "役割",
    organisation: "所属",
    status: "状態",
    status_active: "有効",
    status_pending: "初期設定待ち",
    status_locked: "ロック中",
    status_disabled: "無効",
    unlock: "ロック解除",
    disable: "無効にする",
    enable: "有効にする",
    resend_link: "リンク再送信",
    reset_totp: "認証アプリをリセット",
    done: "完了しました。",
    issue_title: "ID発行",
    issue_intro: "IDと初期設定用のリンク（有効期限24時間、1回のみ有効）を、入力したメールアドレスに送信します。",
    issue_button: "IDを発行する",
    choose: "選択してください",
    site_id: "医療機関・接種会場",
    supplier: "製薬メーカー・卸",
    issued: "IDを発行し、メールを送信しました。",
    audit_title: "監査ログ",
    audit_at: "日時",
    audit_acting_for: "代理入力の対象",
    audit_actor: "操作者",
    audit_entity: "対象",
    audit_field: "項目",
    audit_old: "変更前",
    audit_new: "変更後",
    older: "さらに表示",
    outbox_title: "開発用メール送信箱",
    outbox_intro: "開発用の補助機能です。SMTPサーバを設定せず VSYS_DEV_OUTBOX=1 で起動した開発環境で、このコンピュータ（ループバック）からだけ、送信されたメールを表示します。本番環境では表示されません。",
    outbox_empty: "まだメールはありません。",
    not_found_title: "ページが見つかりません",
    page_load_failed: "このページを読み込めませんでした。通信状態を確認して、もう一度お試しください。",
    reload: "再読み込み",
    session_expired: "セッションの有効期限が切れました。もう一度ログインしてください。",
    // usability findings (branch u1)
    error_summary_title: "入力内容に問題があります",
    // usability findings (branch u2)
    actions_column: "操作",
};

/// English.
pub static EN: Texts = Texts {
    app_title: "V-SYS",
    app_subtitle: "Vaccination System",
    switch_language: "日本語",
    loading: "Loading…",
    required_mark: "*",
    login_title: "Log in",
    user_name: "User name",
    password: "Password",
    remember_me: "Remember my user name",
    login_button: "Log in",
    forgot_password: "Forgot your password?",
    logout: "Log out",
    email_code_intro: "This is a login from a new browser. Enter the code we e-mailed to",
    login_code: "Login code",
    totp_code_intro: "Enter the 6-digit code shown in your authenticator app, or one of your recovery codes.",
    totp_or_recovery: "Authenticator code (or recovery code)",
    reset_needs_authenticator: "Your account has an authenticator app, so resetting the password also needs its code (or a recovery code). If you lost the app, ask an administrator or your municipality or prefecture to reset it.",
    verify_button: "Verify",
    back_to_login: "Back to login",
    forgot_title: "Reset your password",
    forgot_intro: "Enter your user name. We will e-mail a reset link to your registered address (valid for 24 hours).",
    send_button: "Send",
    forgot_sent: "If the user name is registered, a reset link has been e-mailed. Please check your mail.",
    setup_title: "First-login setup",
    setup_reset_title: "Reset your password",
    setup_code_sent: "We e-mailed a verification code to",
    verification_code: "Verification code",
    resend_code: "Send a new code",
    new_password: "New password",
    confirm_password: "Confirm",
    password_rules: "At least 12 characters. No symbols or capitals required; a long passphrase is best. Your user name and guessable words such as \"V-SYS\" or \"vaccine\" are not allowed.",
    change_password_button: "Set password",
    setup_for_user: "User name:",
    totp_title: "Authenticator app",
    totp_required_intro: "Your role handles personal data, so an authenticator app (Google Authenticator, Microsoft Authenticator, …) is required. Scan the QR code or type the key, then enter the 6-digit code the app shows.",
    totp_optional_intro: "An authenticator app makes your login safer. Press \"Later\" to skip.",
    totp_secret: "Key (for typing)",
    totp_code: "Code from the app",
    totp_register: "Register",
    totp_skip: "Later",
    recovery_title: "Recovery codes",
    recovery_intro: "Use these if you lose your authenticator app. Each works once. Print them or keep them somewhere safe: this page is shown only once.",
    next_button: "Next",
    consent_title: "Personal Information Protection Policy of V-SYS",
    consent_intro: "Read the policy, tick \"I agree\" and press \"Next\".",
    consent_agree: "I agree",
    policy_version: "Version",
    tab_home: "Home",
    tab_sites: "Sites",
    tab_municipalities: "Municipalities",
    tab_users: "Users",
    tab_audit: "Audit log",
    home_title: "Home",
    home_tasks: "Tasks",
    task_own_site: "View this site's record",
    task_sites: "Medical institutions and vaccination sites",
    task_municipalities: "Municipalities in the prefecture",
    task_issue_id: "Issue an ID",
    task_users: "Users",
    task_audit: "Audit log",
    task_outbox: "Development outbox",
    acting_for: "Acting for:",
    reservation_title: "Change reservation status",
    reservation_current: "Now:",
    reservation_updated: "Updated:",
    reservation_summary_title: "Reservation status of your sites",
    unregistered_sites: "Sites that have not registered a status",
    none_unregistered: "Every site has registered a status.",
    stop_acting: "Stop acting",
    act_for: "Act for",
    site_type: "Type",
    basic_site: "Basic site",
    site_name: "Site name",
    municipality: "Municipality",
    municipality_code: "Local government code",
    prefecture: "Prefecture",
    reading: "Reading",
    site_count: "Sites",
    no_rows: "Nothing to show.",
    users_title: "Users",
    search: "Search",
    display_name: "Name",
    email: "E-mail",
    role: "Role",
    organisation: "Organisation",
    status: "Status",
    status_active: "Active",
    status_pending: "Awaiting first login",
    status_locked: "Locked",
    status_disabled: "Disabled",
    unlock: "Unlock",
    disable: "Disable",
    enable: "Enable",
    resend_link: "Resend link",
    reset_totp: "Reset authenticator",
    done: "Done.",
    issue_title: "Issue an ID",
    issue_intro: "The ID and a first-login link (valid 24 hours, works once) are e-mailed to the address below.",
    issue_button: "Issue ID",
    choose: "Choose…",
    site_id: "Site",
    supplier: "Supplier",
    issued: "The ID was issued and the e-mail sent.",
    audit_title: "Audit log",
    audit_at: "When",
    audit_acting_for: "Acting for",
    audit_actor: "By",
    audit_entity: "What",
    audit_field: "Field",
    audit_old: "Before",
    audit_new: "After",
    older: "Show more",
    outbox_title: "Development outbox",
    outbox_intro: "A development aid: with no SMTP server and VSYS_DEV_OUTBOX=1, sent mail is shown here, and only to this computer (loopback). It never appears in production.",
    outbox_empty: "No mail yet.",
    not_found_title: "Page not found",
    page_load_failed: "This page could not be loaded. Check the connection and try again.",
    reload: "Reload",
    session_expired: "Your session has expired. Please log in again.",
    // usability findings (branch u1)
    error_summary_title: "There is a problem",
    // usability findings (branch u2)
    actions_column: "Actions",
};

/// The name of a role.
pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match (lang, role) {
        (Lang::Ja, Role::National) => "国（厚生労働省）",
        (Lang::Ja, Role::Prefecture) => "都道府県",
        (Lang::Ja, Role::Municipality) => "市町村",
        (Lang::Ja, Role::Site) => "医療機関・接種会場",
        (Lang::Ja, Role::Supplier) => "製薬メーカー・卸",
        (Lang::Ja, Role::Admin) => "システム管理者",
        (Lang::En, Role::National) => "National (MHLW)",
        (Lang::En, Role::Prefecture) => "Prefecture",
        (Lang::En, Role::Municipality) => "Municipality",
        (Lang::En, Role::Site) => "Medical institution / site",
        (Lang::En, Role::Supplier) => "Manufacturer / wholesaler",
        (Lang::En, Role::Admin) => "System administrator",
    }
}

/// The name of a site type.
pub fn site_type_name(lang: Lang, site_type: SiteType) -> &'static str {
    site_type.label().get(lang)
}

/// The name of a reservation status, as the seed labels it.
pub fn reservation_status_name(lang: Lang, status: ReservationStatus) -> &'static str {
    status.label().get(lang)
}

/// "2026-11-21T09:15:00+09:00" → "2026-11-21 09:15".
pub fn short_time(rfc3339: &str) -> String {
    let mut out = rfc3339.replacen('T', " ", 1);
    out.truncate(16);
    out
}

#[cfg(test)]
mod tests {
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
                | AreaAlreadyCovered => {}
            }
        }
        all
    }

    #[test]
    fn every_field_error_reads_in_both_languages() {
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
    fn a_missing_choice_asks_to_choose_and_other_errors_read_as_usual() {
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
}
