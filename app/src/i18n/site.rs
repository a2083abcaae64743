//! Words of the site record pages and the change requests, and how a stored
//! field value reads (基本型, 一般向け, vaccine names, …) in each language.

use super::fields::{self, GivenOptions};
use super::Lang;
use crate::api::{Choice, RequestStatus, SiteRef};
use crate::domain::{DoctorForm, Form, SiteForm, BASIC_SITE_LIST, SITE_VACCINE_LIST, VACCINE_LIST};

/// The strings of the site pages.
#[allow(missing_docs)]
pub struct SiteTexts {
    pub detail_title: &'static str,
    pub edit_title: &'static str,
    pub edit_button: &'static str,
    pub save_request_button: &'static str,
    pub cancel_button: &'static str,
    pub municipality_label: &'static str,
    pub reservation_updated_label: &'static str,
    pub old_insurance_code: &'static str,
    pub old_care_code: &'static str,
    pub needs_approval_hint: &'static str,
    pub approval_applies_directly: &'static str,
    pub pending_title: &'static str,
    pub pending_intro: &'static str,
    pub decided_approved: &'static str,
    pub decided_rejected: &'static str,
    pub comment_label: &'static str,
    pub no_doctor_warning: &'static str,
    pub doctors_title: &'static str,
    pub new_doctor_button: &'static str,
    pub history_title: &'static str,
    pub history_empty: &'static str,
    pub col_when: &'static str,
    pub col_who: &'static str,
    pub col_acting_for: &'static str,
    pub col_field: &'static str,
    pub col_old: &'static str,
    pub col_new: &'static str,
    pub saved_applied: &'static str,
    pub saved_requested: &'static str,
    pub saved_nothing: &'static str,
    pub conflict_title: &'static str,
    pub conflict_take_latest: &'static str,
    pub conflict_merged: &'static str,
    pub draft_found: &'static str,
    pub draft_restore: &'static str,
    pub draft_discard: &'static str,
    pub draft_kept: &'static str,
    pub doctor_edit_title: &'static str,
    pub doctor_new_title: &'static str,
    pub doctor_site: &'static str,
    pub save_button: &'static str,
    pub save_and_new_button: &'static str,
    pub delete_button: &'static str,
    pub doctor_saved: &'static str,
    pub doctor_deleted: &'static str,
    pub confirm_delete: &'static str,
    pub requests_title: &'static str,
    pub requests_empty: &'static str,
    pub request_title: &'static str,
    pub requested_at: &'static str,
    pub requested_by: &'static str,
    pub request_state: &'static str,
    pub col_site: &'static str,
    pub col_fields: &'static str,
    pub col_current: &'static str,
    pub col_requested: &'static str,
    pub approve_button: &'static str,
    pub reject_button: &'static str,
    pub request_approved: &'static str,
    pub request_rejected: &'static str,
    pub open_button: &'static str,
    pub task_site_detail: &'static str,
    pub task_requests: &'static str,
    pub finder_link: &'static str,
    // usability findings (branch u1)
    pub home_site_button: &'static str,
    pub doctor_vaccines_pending: &'static str,
    pub doctor_vaccines_none: &'static str,
    pub delete_confirm_button: &'static str,
    pub delete_cannot_undo: &'static str,
    pub history_more: &'static str,
    pub history_shown: &'static str,
}

/// 日本語.
pub const JA: SiteTexts = SiteTexts {
    detail_title: "医療機関・接種会場の詳細",
    edit_title: "医療機関・接種会場の編集",
    edit_button: "編集",
    save_request_button: "申請・保存",
    cancel_button: "キャンセル",
    municipality_label: "市町村",
    reservation_updated_label: "予約空き状況更新日時",
    old_insurance_code: "旧保険医療機関コード",
    old_care_code: "旧介護保険事業所番号",
    needs_approval_hint: "市町村の承認が必要な項目です（申請になります）。",
    approval_applies_directly: "市町村による変更のため、承認が必要な項目もすぐに反映されます。",
    pending_title: "市町村の承認待ちの申請があります",
    pending_intro: "承認されるまで、次の項目は現在の値のままです。承認中は再修正できません。",
    decided_approved: "情報変更申請が承認されました",
    decided_rejected: "情報変更申請が却下されました",
    comment_label: "コメント",
    no_doctor_warning: "医師情報が登録されていません。「新規医師情報」から接種に責任を持つ医師を登録してください。",
    doctors_title: "医師情報",
    new_doctor_button: "新規医師情報",
    history_title: "変更履歴",
    history_empty: "変更履歴はまだありません。",
    col_when: "日時",
    col_who: "変更者",
    col_acting_for: "代理入力",
    col_field: "項目",
    col_old: "変更前",
    col_new: "変更後",
    saved_applied: "保存しました。",
    saved_requested: "承認が必要な項目を市町村へ申請しました。",
    saved_nothing: "変更はありませんでした。",
    conflict_title: "他の利用者による変更",
    conflict_take_latest: "最新の内容を取り込む（自分の入力は保持）",
    conflict_merged: "最新の内容を取り込みました。自分の入力はそのままです。確認して再度「申請・保存」を押してください。",
    draft_found: "保存されていない入力があります。復元しますか？",
    draft_restore: "復元する",
    draft_discard: "破棄する",
    draft_kept: "入力内容はこのブラウザに一時保存されています。",
    doctor_edit_title: "医師情報の編集",
    doctor_new_title: "新規医師情報",
    doctor_site: "医療機関・接種会場",
    save_button: "保存",
    save_and_new_button: "保存 & 新規",
    delete_button: "削除",
    doctor_saved: "医師情報を保存しました。",
    doctor_deleted: "医師情報を削除しました。",
    confirm_delete: "この医師情報を削除しますか？",
    requests_title: "市町村内の医療機関からの情報変更申請一覧（申請中のみ）",
    requests_empty: "申請中の情報変更申請はありません。",
    request_title: "情報変更申請",
    requested_at: "申請日時",
    requested_by: "申請者",
    request_state: "状態",
    col_site: "医療機関・接種会場名",
    col_fields: "申請項目",
    col_current: "現在の値",
    col_requested: "申請内容",
    approve_button: "承認",
    reject_button: "却下",
    request_approved: "申請を承認しました。医療機関・接種会場へ通知しました。",
    request_rejected: "申請を却下しました。医療機関・接種会場へ通知しました。",
    open_button: "開く",
    task_site_detail: "医療機関・接種会場の詳細",
    task_requests: "情報変更申請一覧",
    finder_link: "コロナワクチンナビ（接種会場を探す）",
    // usability findings (branch u1)
    home_site_button: "この医療機関の情報を見る",
    doctor_vaccines_pending: "この医療機関の取扱ワクチンは市町村の承認待ちです。承認後に選択できるワクチン:",
    doctor_vaccines_none: "この医療機関の取扱ワクチンが登録されていません。医療機関・接種会場の編集で取扱ワクチンを登録してください（市町村の承認後に選択できます）。",
    delete_confirm_button: "削除する",
    delete_cannot_undo: "削除すると元に戻せません。",
    history_more: "さらに表示",
    history_shown: "件を表示中",
};

/// English.
pub const EN: SiteTexts = SiteTexts {
    detail_title: "Site details",
    edit_title: "Edit site",
    edit_button: "Edit",
    save_request_button: "Save / request",
    cancel_button: "Cancel",
    municipality_label: "Municipality",
    reservation_updated_label: "Reservation status updated",
    old_insurance_code: "Old medical institution code",
    old_care_code: "Old care insurance provider number",
    needs_approval_hint: "Needs the municipality's approval (a request is filed).",
    approval_applies_directly: "You are the municipality: fields that need approval apply at once.",
    pending_title: "A change request is waiting for the municipality",
    pending_intro:
        "Until it is approved these fields keep their current values and cannot be changed again.",
    decided_approved: "Your change request was approved",
    decided_rejected: "Your change request was rejected",
    comment_label: "Comment",
    no_doctor_warning:
        "No doctor is registered. Add the doctor responsible for vaccination with \"New doctor\".",
    doctors_title: "Doctors",
    new_doctor_button: "New doctor",
    history_title: "Change history",
    history_empty: "No changes yet.",
    col_when: "When",
    col_who: "By",
    col_acting_for: "Acting for",
    col_field: "Field",
    col_old: "Before",
    col_new: "After",
    saved_applied: "Saved.",
    saved_requested: "The fields that need approval were sent to the municipality.",
    saved_nothing: "Nothing changed.",
    conflict_title: "Changes by someone else",
    conflict_take_latest: "Take the latest (keep my input)",
    conflict_merged: "The latest record is loaded and your input is kept. Check it and save again.",
    draft_found: "There is unsaved input. Restore it?",
    draft_restore: "Restore",
    draft_discard: "Discard",
    draft_kept: "Your input is kept in this browser until you save.",
    doctor_edit_title: "Edit doctor",
    doctor_new_title: "New doctor",
    doctor_site: "Site",
    save_button: "Save",
    save_and_new_button: "Save & new",
    delete_button: "Delete",
    doctor_saved: "Doctor saved.",
    doctor_deleted: "Doctor deleted.",
    confirm_delete: "Delete this doctor?",
    requests_title: "Change requests from sites in the municipality (pending only)",
    requests_empty: "No pending change requests.",
    request_title: "Change request",
    requested_at: "Requested",
    requested_by: "Requested by",
    request_state: "State",
    col_site: "Site",
    col_fields: "Fields",
    col_current: "Current",
    col_requested: "Requested",
    approve_button: "Approve",
    reject_button: "Reject",
    request_approved: "Approved. The site has been told.",
    request_rejected: "Rejected. The site has been told.",
    open_button: "Open",
    task_site_detail: "Site details",
    task_requests: "Change requests",
    finder_link: "COVID-19 Vaccine Navi (find a site)",
    // usability findings (branch u1)
    home_site_button: "View this medical institution's information",
    doctor_vaccines_pending: "The vaccines of this site await the municipality's approval. Selectable after approval:",
    doctor_vaccines_none: "This site has no vaccines registered. Register them in the site's edit form (selectable after the municipality's approval).",
    delete_confirm_button: "Delete",
    delete_cannot_undo: "This cannot be undone.",
    history_more: "Show more",
    history_shown: "entries shown",
};

/// The site texts of `lang`.
pub fn site_texts(lang: Lang) -> &'static SiteTexts {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// The label of a field key; doctor and request entries of the history read as such.
pub fn field_label(lang: Lang, key: &str) -> String {
    if let Some(field) = SiteForm::field(key) {
        return field.label.get(lang).to_string();
    }
    let t = site_texts(lang);
    if let Some(rest) = key.strip_prefix("doctor:") {
        let (id, field) = rest.split_once(':').unwrap_or((rest, ""));
        let field = DoctorForm::field(field).map_or(field, |f| f.label.get(lang));
        return format!("{} #{id} {field}", t.doctors_title);
    }
    if let Some(id) = key.strip_prefix("request:") {
        return format!("{} #{id}", t.request_title);
    }
    if let Some(id) = key
        .strip_prefix("cool:")
        .and_then(|rest| rest.strip_suffix(":boxes"))
    {
        return match lang {
            Lang::Ja => format!("希望量（箱） クール #{id}"),
            Lang::En => format!("Requested boxes, cool #{id}"),
        };
    }
    if let Some(day) = key.strip_prefix("slots:") {
        return match lang {
            Lang::Ja => format!("予約受付枠（{day}）"),
            Lang::En => format!("Booking slots ({day})"),
        };
    }
    if let Some(day) = key.strip_prefix("bookings_read:") {
        return match lang {
            Lang::Ja => format!("予約者一覧の閲覧（{day}）"),
            Lang::En => format!("Bookings viewed ({day})"),
        };
    }
    if let Some(id) = key.strip_prefix("booking:") {
        return match lang {
            Lang::Ja => format!("予約 #{id}"),
            Lang::En => format!("Booking #{id}"),
        };
    }
    if let Some((vaccine, day)) = key
        .strip_prefix("records:")
        .and_then(|rest| rest.split_once(':'))
    {
        return match lang {
            Lang::Ja => format!("接種実績（{vaccine} {day}）"),
            Lang::En => format!("Vaccinations ({vaccine} {day})"),
        };
    }
    key.to_string()
}

/// The name of a request status.
pub fn request_status_name(lang: Lang, status: RequestStatus) -> &'static str {
    match (lang, status) {
        (Lang::Ja, RequestStatus::Pending) => "申請中",
        (Lang::Ja, RequestStatus::Approved) => "承認",
        (Lang::Ja, RequestStatus::Rejected) => "却下",
        (Lang::En, RequestStatus::Pending) => "Pending",
        (Lang::En, RequestStatus::Approved) => "Approved",
        (Lang::En, RequestStatus::Rejected) => "Rejected",
    }
}

/// The lists the site record's choices offer: every vaccine (also the doctor's choices) and
/// the basic sites a satellite may name.
pub fn site_options(vaccines: &[Choice], sites: &[SiteRef]) -> GivenOptions {
    let sites = sites
        .iter()
        .map(|s| Choice {
            value: s.id.to_string(),
            label: s.name.clone(),
        })
        .collect();
    GivenOptions::from([
        (VACCINE_LIST, vaccines.to_vec()),
        (SITE_VACCINE_LIST, vaccines.to_vec()),
        (BASIC_SITE_LIST, sites),
    ])
}

/// A stored value of `field` (a site field, or `doctor_vaccines`) as users read it: choices by
/// name, vaccines by name, the basic site by name, flags as はい/いいえ, dates and text as they
/// are.
pub fn display_value(
    lang: Lang,
    field: &str,
    raw: &str,
    vaccines: &[Choice],
    sites: &[SiteRef],
) -> String {
    let given = site_options(vaccines, sites);
    if field == "doctor_vaccines" {
        if let Some(doctor_vaccines) = DoctorForm::field("vaccines") {
            return fields::display_value(lang, doctor_vaccines, raw, &given);
        }
    }
    match SiteForm::field(field) {
        Some(field) => fields::display_value(lang, field, raw, &given),
        None if raw.is_empty() => fields::NOT_SET.get(lang).to_string(),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_as_users_know_them() {
        let vaccines = vec![Choice {
            value: "pfizer".into(),
            label: "ファイザー社".into(),
        }];
        assert_eq!(
            display_value(Lang::Ja, "site_type", "satellite", &[], &[]),
            "サテライト型"
        );
        assert_eq!(
            display_value(Lang::Ja, "vaccines", "pfizer", &vaccines, &[]),
            "ファイザー社"
        );
        assert_eq!(display_value(Lang::Ja, "name", "", &[], &[]), "（未入力）");
        assert_eq!(
            display_value(Lang::Ja, "name", "clinic", &[], &[]),
            "clinic"
        );
    }

    #[test]
    fn every_input_kind_reads_by_its_options_in_both_languages() {
        let vaccines = vec![
            Choice {
                value: "pfizer".into(),
                label: "ファイザー社".into(),
            },
            Choice {
                value: "moderna".into(),
                label: "モデルナ社".into(),
            },
        ];
        let sites = vec![SiteRef {
            id: 7,
            name: "千代田区A病院".into(),
        }];
        let read = |lang, field, raw| display_value(lang, field, raw, &vaccines, &sites);
        assert_eq!(read(Lang::Ja, "facility_class", "hospital"), "病院");
        assert_eq!(
            read(Lang::En, "facility_class", "venue"),
            "Vaccination venue"
        );
        assert_eq!(
            read(Lang::Ja, "reservation_status", "unregistered"),
            "未登録"
        );
        assert_eq!(read(Lang::Ja, "booking_web", "impossible"), "不可");
        assert_eq!(
            read(Lang::Ja, "general_public", "general"),
            "一般向け:誰でも来られる"
        );
        assert_eq!(read(Lang::En, "proxy_booking", "required"), "Yes");
        assert_eq!(read(Lang::Ja, "doctor_no_email", "true"), "はい");
        assert_eq!(read(Lang::En, "doctor_no_email", "false"), "No");
        assert_eq!(read(Lang::Ja, "basic_site_id", "7"), "千代田区A病院");
        assert_eq!(read(Lang::Ja, "basic_site_id", "8"), "#8");
        assert_eq!(
            read(Lang::Ja, "explanation_declined", "moderna,pfizer"),
            "モデルナ社、ファイザー社"
        );
        assert_eq!(
            read(Lang::Ja, "doctor_vaccines", "pfizer,retired"),
            "ファイザー社、retired"
        );
        assert_eq!(read(Lang::En, "hours", ""), "(not set)");
        assert_eq!(read(Lang::Ja, "kana", "こうろう"), "こうろう");
    }

    #[test]
    fn history_keys_of_doctors_and_requests_have_labels() {
        assert_eq!(field_label(Lang::Ja, "representative"), "代表者名");
        assert_eq!(field_label(Lang::Ja, "request:3"), "情報変更申請 #3");
        assert_eq!(
            field_label(Lang::Ja, "doctor:5:kana"),
            "医師情報 #5 (医師)氏名(こうろう たろう)"
        );
    }
}
