//! How a row of the 監査ログ reads: what was changed, which field, and the values before and after
//! in the words users know (the site form's labels, reservation statuses by name, 代理入力 as
//! such), instead of the stored keys. A key this module does not know is shown as stored.

use super::site::{display_value, field_label};
use super::{reservation_status_name, role_name, short_time, Lang};
use crate::api::{Choice, RequestStatus};
use crate::domain::{Form, ReservationStatus, Role, VaccineForm};

/// Who acted: the user name, or the system itself (imports, demo data).
pub fn audit_actor(lang: Lang, actor: Option<&str>) -> String {
    match (actor, lang) {
        (Some(name), _) => name.to_string(),
        (None, Lang::Ja) => "システム".into(),
        (None, Lang::En) => "System".into(),
    }
}

/// What a row changed: 医療機関・接種会場 #12, ユーザ #3, …
pub fn audit_entity(lang: Lang, entity: &str, entity_id: &str) -> String {
    let ja = lang == Lang::Ja;
    let kind = match entity {
        "site" if ja => "医療機関・接種会場",
        "site" => "Site",
        "user" | "session" if ja => "ユーザ",
        "user" | "session" => "User",
        "privacy_policy" if ja => "プライバシーポリシー 第",
        "privacy_policy" => "Privacy policy version",
        "master" if ja => "マスタデータ",
        "master" => "Master data",
        "vaccine" if ja => "ワクチン・針・シリンジマスタ",
        "vaccine" => "Vaccine master",
        "lot" if ja => "納入ロット",
        "lot" => "Lot",
        "cool" if ja => "クール",
        "cool" => "Cool",
        "supplier" if ja => "製薬メーカー・卸",
        "supplier" => "Supplier",
        "out_of_area" if ja => "住所地外接種の申請",
        "out_of_area" => "Out-of-area application",
        "bookings" if ja => "予約の個人情報",
        "bookings" => "Bookings' personal data",
        other => other,
    };
    match entity {
        "privacy_policy" if ja => format!("{kind}{entity_id}版"),
        "privacy_policy" => format!("{kind} {entity_id}"),
        "master" => format!("{kind} ({})", master_name(lang, entity_id)),
        "bookings" => kind.to_string(),
        _ => format!("{kind} #{entity_id}"),
    }
}

fn master_name(lang: Lang, id: &str) -> &str {
    match (lang, id) {
        (Lang::Ja, "prefectures") => "都道府県",
        (Lang::Ja, "municipalities") => "市町村",
        (Lang::Ja, "vaccines") => "ワクチン",
        (Lang::En, "prefectures") => "prefectures",
        (Lang::En, "municipalities") => "municipalities",
        (Lang::En, "vaccines") => "vaccines",
        (_, other) => other,
    }
}

/// The field of a row as users know it.
pub fn audit_field(lang: Lang, entity: &str, field: &str) -> String {
    if entity == "site" {
        return field_label(lang, field);
    }
    if entity == "cool" {
        if let Some(rest) = field.strip_prefix("allocation:") {
            return match lang {
                Lang::Ja => format!("分配量（{}）", allocation_target(rest)),
                Lang::En => format!("Allocation ({})", allocation_target(rest)),
            };
        }
        if let Some(prefecture) = field.strip_prefix("data_lock:") {
            return match lang {
                Lang::Ja => format!("データロック（都道府県 {prefecture}）"),
                Lang::En => format!("Data lock (prefecture {prefecture})"),
            };
        }
    }
    if let Some(field) = (entity == "vaccine")
        .then(|| VaccineForm::field(field))
        .flatten()
    {
        return field.label.get(lang).to_string();
    }
    let ja = lang == Lang::Ja;
    let label = match field {
        "acting_for_site_id" if ja => "代理入力",
        "acting_for_site_id" => "Acting for a site (代理入力)",
        "login" if ja => "ログイン",
        "login" => "Login",
        "logout" if ja => "ログアウト",
        "logout" => "Logout",
        "issued" if ja => "ID発行",
        "issued" => "ID issued",
        "setup_link" if ja => "ログインユーザ初期設定のリンク送信",
        "setup_link" => "Setup link sent",
        "reset_link" if ja => "パスワード再設定のリンク送信",
        "reset_link" => "Password reset link sent",
        "locked_until" if ja => "ロック（解除日時）",
        "locked_until" => "Locked until",
        "totp" if ja => "認証アプリ",
        "totp" => "Authenticator app",
        "disabled" if ja => "利用停止",
        "disabled" => "Disabled",
        "email_verified" if ja => "メールアドレスの確認",
        "email_verified" => "E-mail address verified",
        "password_set" if ja => "パスワードの設定",
        "password_set" => "Password set",
        "password_reset" if ja => "パスワードの再設定",
        "password_reset" => "Password reset",
        "consent_version" if ja => "プライバシーポリシーへの同意（版）",
        "consent_version" => "Privacy policy consent (version)",
        "published" if ja => "公開",
        "published" => "Published",
        "imported" if ja => "取込",
        "imported" => "Imported",
        "registered" if ja => "登録",
        "registered" => "Registered",
        "created" if ja => "作成",
        "created" => "Created",
        "area_added" if ja => "担当地域の追加",
        "area_added" => "Service area added",
        "area_removed" if ja => "担当地域の削除",
        "area_removed" => "Service area removed",
        "received" if ja => "受付",
        "received" => "Received",
        "status" if ja => "状況",
        "status" => "Status",
        "list_read" if ja => "一覧の閲覧（個人情報）",
        "list_read" => "List read (personal data)",
        "erased" if ja => "保存期間経過による削除",
        "erased" => "Erased after the retention period",
        other => other,
    };
    label.to_string()
}

/// `national:13` → `13`, `prefecture:13:131016` → `131016`, `municipality:131016:7` → `#7`: the
/// row an allocation entry changed.
fn allocation_target(rest: &str) -> String {
    match rest.rsplit_once(':') {
        Some((scope, target)) if scope.starts_with("municipality") => format!("#{target}"),
        Some((_, target)) => target.to_string(),
        None => rest.to_string(),
    }
}

/// A value before or after, as users read it; empty when there is none.
pub fn audit_value(
    lang: Lang,
    entity: &str,
    field: &str,
    raw: Option<&str>,
    vaccines: &[Choice],
) -> String {
    let ja = lang == Lang::Ja;
    if field == "acting_for_site_id" {
        // Before: whether the user was acting; after: the start or the end of 代理入力.
        return match (raw, ja) {
            (Some(_), true) => "代理入力中",
            (Some(_), false) => "Acting",
            (None, true) => "なし",
            (None, false) => "None",
        }
        .to_string();
    }
    let Some(raw) = raw else {
        return String::new();
    };
    if entity == "site" {
        return site_value(lang, field, raw, vaccines);
    }
    match (field, raw) {
        ("issued", _) => issued_value(lang, raw),
        ("locked_until", _) => short_time(raw),
        ("setup_link", "initial") if ja => "初回".into(),
        ("setup_link", "initial") => "First login".into(),
        ("setup_link", "reset") if ja => "パスワード再設定".into(),
        ("setup_link", "reset") => "Password reset".into(),
        ("reset_link", "sent") if ja => "送信済み".into(),
        ("reset_link", "sent") => "Sent".into(),
        ("totp", "enrolled") if ja => "登録済み".into(),
        ("totp", "enrolled") => "Set up".into(),
        ("totp", "reset") if ja => "リセット（再登録が必要）".into(),
        ("totp", "reset") => "Reset (to set up again)".into(),
        ("totp", "declined") if ja => "利用しない".into(),
        ("totp", "declined") => "Not used".into(),
        ("disabled", "true") if ja => "停止".into(),
        ("disabled", "true") => "Disabled".into(),
        ("disabled", "false") if ja => "利用可".into(),
        ("disabled", "false") => "Enabled".into(),
        _ => raw.to_string(),
    }
}

/// "chiyoda municipality a@b.jp" → "chiyoda 市町村 a@b.jp".
fn issued_value(lang: Lang, raw: &str) -> String {
    raw.split(' ')
        .enumerate()
        .map(|(i, word)| match Role::parse(word) {
            Ok(role) if i == 1 => role_name(lang, role).to_string(),
            _ => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn site_value(lang: Lang, field: &str, raw: &str, vaccines: &[Choice]) -> String {
    if field.starts_with("request:") {
        // "pending", "approved", "rejected: the municipality's comment".
        let (status, comment) = raw.split_once(": ").unwrap_or((raw, ""));
        let name = match RequestStatus::parse(status) {
            Some(status) => super::site::request_status_name(lang, status).to_string(),
            None => status.to_string(),
        };
        return if comment.is_empty() {
            name
        } else {
            format!("{name}: {comment}")
        };
    }
    if let Some(rest) = field.strip_prefix("doctor:") {
        let key = rest.rsplit(':').next().unwrap_or_default();
        let as_field = if key == "vaccines" {
            "doctor_vaccines"
        } else {
            key
        };
        return display_value(lang, as_field, raw, vaccines, &[]);
    }
    if field == "reservation_status" {
        if let Ok(status) = ReservationStatus::parse(raw) {
            return reservation_status_name(lang, status).to_string();
        }
    }
    display_value(lang, field, raw, vaccines, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_fields_read_by_their_form_labels_and_statuses_by_name() {
        assert_eq!(audit_field(Lang::Ja, "site", "hours"), "受付時間");
        assert_eq!(audit_field(Lang::En, "site", "hours"), "Reception hours");
        assert_eq!(
            audit_field(Lang::Ja, "site", "reservation_status"),
            "予約空き状況"
        );
        let value = |raw| audit_value(Lang::Ja, "site", "reservation_status", Some(raw), &[]);
        assert_eq!(value("unregistered"), "未登録");
        assert_eq!(value("full"), "予約不可");
        assert_eq!(
            audit_entity(Lang::Ja, "site", "12"),
            "医療機関・接種会場 #12"
        );
    }

    #[test]
    fn supply_entries_read_by_their_labels() {
        assert_eq!(
            audit_field(Lang::Ja, "vaccine", "vials_per_box"),
            "1箱あたりバイアル数"
        );
        assert_eq!(
            audit_entity(Lang::Ja, "vaccine", "pfizer"),
            "ワクチン・針・シリンジマスタ #pfizer"
        );
        assert_eq!(
            audit_field(Lang::Ja, "site", "cool:3:boxes"),
            "希望量（箱） クール #3"
        );
        assert_eq!(audit_field(Lang::Ja, "lot", "registered"), "登録");
        assert_eq!(audit_entity(Lang::En, "cool", "3"), "Cool #3");
        assert_eq!(
            audit_field(Lang::Ja, "cool", "allocation:prefecture:13:131016"),
            "分配量（131016）"
        );
        assert_eq!(
            audit_field(Lang::Ja, "cool", "data_lock:13"),
            "データロック（都道府県 13）"
        );
    }

    #[test]
    fn booking_entries_read_by_their_labels() {
        assert_eq!(
            audit_field(Lang::Ja, "site", "slots:2026-04-02"),
            "予約受付枠（2026-04-02）"
        );
        assert_eq!(
            audit_field(Lang::Ja, "site", "bookings_read:2026-04-02"),
            "予約者一覧の閲覧（2026-04-02）"
        );
        assert_eq!(audit_field(Lang::En, "site", "booking:7"), "Booking #7");
        assert_eq!(
            audit_entity(Lang::Ja, "bookings", "retention"),
            "予約の個人情報"
        );
        assert_eq!(
            audit_field(Lang::Ja, "bookings", "erased"),
            "保存期間経過による削除"
        );
    }

    #[test]
    fn acting_for_a_site_reads_as_daiharinyuryoku() {
        assert_eq!(
            audit_field(Lang::Ja, "session", "acting_for_site_id"),
            "代理入力"
        );
        assert_eq!(
            audit_value(Lang::Ja, "session", "acting_for_site_id", Some("7"), &[]),
            "代理入力中"
        );
        assert_eq!(
            audit_value(Lang::Ja, "session", "acting_for_site_id", None, &[]),
            "なし"
        );
    }

    #[test]
    fn account_fields_and_values_have_names() {
        assert_eq!(audit_field(Lang::Ja, "user", "totp"), "認証アプリ");
        assert_eq!(
            audit_value(Lang::Ja, "user", "totp", Some("enrolled"), &[]),
            "登録済み"
        );
        assert_eq!(
            audit_value(Lang::Ja, "user", "disabled", Some("true"), &[]),
            "停止"
        );
        assert_eq!(
            audit_value(
                Lang::Ja,
                "user",
                "issued",
                Some("chiyoda municipality a@example.jp"),
                &[]
            ),
            "chiyoda 市町村 a@example.jp"
        );
        assert_eq!(
            audit_value(
                Lang::Ja,
                "user",
                "locked_until",
                Some("2026-11-21T09:15:00+09:00"),
                &[]
            ),
            "2026-11-21 09:15"
        );
    }

    #[test]
    fn request_and_doctor_entries_read_as_such() {
        assert_eq!(
            audit_value(
                Lang::Ja,
                "site",
                "request:3",
                Some("rejected: 書類不備"),
                &[]
            ),
            "却下: 書類不備"
        );
        let vaccines = [Choice {
            value: "pfizer".into(),
            label: "ファイザー社".into(),
        }];
        assert_eq!(
            audit_value(
                Lang::Ja,
                "site",
                "doctor:5:vaccines",
                Some("pfizer"),
                &vaccines
            ),
            "ファイザー社"
        );
    }
}
