//! Server functions of the site record (医療機関・接種会場の詳細 and 編集), its
//! history, change requests and their approval, doctors, and the public finder.

use super::{Choice, SiteRef};
use crate::domain::{DoctorForm, FieldChange, SiteForm, SiteRules, SITE_FIELDS};
use crate::error::{AppError, FieldError, FieldErrors};
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::{GetUrl, Json};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// State of a change request (申請).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    /// 申請中
    Pending,
    /// 承認
    Approved,
    /// 却下
    Rejected,
}

impl RequestStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// A change request: the fields it changes, old and new side by side, and its decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequestView {
    /// Id.
    pub id: i64,
    /// The site that asked.
    pub site: SiteRef,
    /// 申請中, 承認 or 却下.
    pub status: RequestStatus,
    /// Each field with its value when asked and the value asked for.
    pub changes: Vec<FieldChange>,
    /// When it was asked (RFC 3339, JST).
    pub requested_at: String,
    /// Who asked.
    pub requested_by: Option<String>,
    /// When it was decided.
    pub decided_at: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// The municipality's comment.
    pub comment: String,
}

/// One doctor of a site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorRow {
    /// Id.
    pub id: i64,
    /// The doctor's fields.
    pub doctor: DoctorForm,
}

/// 医療機関・接種会場の詳細: the record with everything the detail page and the edit form need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRecordView {
    /// The site.
    pub site: SiteRef,
    /// 市町村 (code).
    pub municipality_code: String,
    /// 市町村 (name, with its prefecture).
    pub municipality_name: String,
    /// The version the form saves against (refused when someone saved in between).
    pub version: i64,
    /// The live record.
    pub record: SiteForm,
    /// 予約空き状況更新日時 (RFC 3339, JST).
    pub reservation_updated_at: Option<String>,
    /// When the record last changed.
    pub updated_at: Option<String>,
    /// Every vaccine (code, name).
    pub vaccines: Vec<Choice>,
    /// The basic sites a satellite of this municipality may name.
    pub basic_sites: Vec<SiteRef>,
    /// The request waiting for the municipality, if any.
    pub pending: Option<ChangeRequestView>,
    /// The latest approved or rejected request, if any.
    pub last_decided: Option<ChangeRequestView>,
    /// The site's doctors.
    pub doctors: Vec<DoctorRow>,
    /// Fields the caller cannot change now, and why.
    pub locked: BTreeMap<String, FieldError>,
    /// The caller's changes apply at once (the municipality approves its own edits).
    pub caller_approves: bool,
    /// The caller may edit (the site itself or its municipality).
    pub editable: bool,
}

impl SiteRecordView {
    /// The choices the form validates against.
    pub fn rules(&self) -> SiteRules {
        SiteRules {
            vaccine_codes: self.vaccines.iter().map(|v| v.value.clone()).collect(),
            basic_site_ids: self.basic_sites.iter().map(|s| s.id).collect(),
        }
    }

    /// Checks `form` as the server will, adding the refusals of locked fields the user changed.
    pub fn validate(&self, form: &SiteForm) -> Result<SiteForm, FieldErrors> {
        let mut errors = match form.validate(&self.rules()) {
            Ok(_) => FieldErrors::new(),
            Err(errors) => errors,
        };
        for change in form.changes_from(&self.record) {
            if let Some(reason) = self.locked.get(&change.field) {
                errors.add(&change.field, reason.clone());
            }
        }
        if errors.is_empty() {
            form.validate(&self.rules())
        } else {
            Err(errors)
        }
    }
}

/// The names of the fields that need approval.
pub fn approval_fields() -> impl Iterator<Item = &'static str> {
    SITE_FIELDS
        .iter()
        .filter(|f| f.needs_approval)
        .map(|f| f.key)
}

/// 申請・保存: the edited record with the version and the record as loaded (the base), so the
/// server can refuse a stale save and name what changed since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRecordEdit {
    /// The site.
    pub site_id: i64,
    /// The version loaded.
    pub version: i64,
    /// The record as loaded.
    pub base: SiteForm,
    /// The record as edited.
    pub record: SiteForm,
}

/// What a save did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSaved {
    /// The record after the save.
    pub view: SiteRecordView,
    /// Changes applied at once.
    pub applied: Vec<FieldChange>,
    /// Changes sent to the municipality as a request.
    pub requested: Vec<FieldChange>,
}

/// One entry of a record's change history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    /// The audit row's id (the paging cursor).
    pub id: i64,
    /// When (RFC 3339, JST).
    pub at: String,
    /// Who (display name and organisation), if a user.
    pub actor: Option<String>,
    /// The site acted for (代理入力), if any.
    pub acting_for: Option<String>,
    /// The field key (a [`SITE_FIELDS`] key, `doctor:<id>:<field>`, or `request:<id>`).
    pub field: String,
    /// Before.
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
}

/// How many entries one page of 変更履歴 holds.
pub const HISTORY_PAGE_SIZE: usize = 20;

/// One page of a record's change history, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// At most [`HISTORY_PAGE_SIZE`] entries.
    pub rows: Vec<HistoryRow>,
    /// When older entries exist: the `before_id` that asks for the next page.
    pub next_before: Option<i64>,
}

/// The municipality's decision on a request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideRequest {
    /// The request.
    pub id: i64,
    /// 承認 (true) or 却下 (false).
    pub approve: bool,
    /// コメント (required to reject, so the site knows why).
    pub comment: String,
}

impl DecideRequest {
    /// The comment as it will be stored (several lines; hidden characters removed, trimmed). A
    /// rejection needs one; comments are at most 1000 characters.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        let comment = crate::text::multi_line(&self.comment).trim().to_string();
        if !self.approve && comment.is_empty() {
            errors.add("comment", FieldError::Required);
        }
        if comment.chars().count() > 1000 {
            errors.add("comment", FieldError::TooLong { max: 1000 });
        }
        if errors.is_empty() {
            Ok(comment)
        } else {
            Err(errors)
        }
    }
}

/// 医師情報の編集: a new doctor (no id) or a change to one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorEdit {
    /// The site.
    pub site_id: i64,
    /// The doctor, when editing one.
    pub doctor_id: Option<i64>,
    /// The fields.
    pub doctor: DoctorForm,
}

/// A site's doctors with the vaccines the site handles (the choices for each doctor).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorList {
    /// The site.
    pub site: SiteRef,
    /// The vaccines the site handles.
    pub site_vaccines: Vec<Choice>,
    /// The vaccines the site's pending request adds (selectable once it is approved).
    pub pending_vaccines: Vec<Choice>,
    /// The doctors.
    pub doctors: Vec<DoctorRow>,
}

/// A choice named in Japanese and English (English falls back to Japanese where none exists).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedChoice {
    /// The value sent back.
    pub value: String,
    /// 日本語
    pub ja: String,
    /// English
    pub en: String,
}

/// What the finder offers to choose from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderChoices {
    /// 都道府県
    pub prefectures: Vec<NamedChoice>,
    /// The municipalities of the chosen prefecture.
    pub municipalities: Vec<NamedChoice>,
    /// The vaccines.
    pub vaccines: Vec<NamedChoice>,
}

/// A finder search: the filters, and where the page starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderQuery {
    /// 都道府県 code (required).
    pub prefecture: u8,
    /// 市町村 code, or empty for all.
    pub municipality: String,
    /// Vaccine code, or empty for all.
    pub vaccine: String,
    /// Reservation status, or empty for all.
    pub status: String,
    /// The first page when absent; else the page after this site (a [`FinderResult::next`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<FinderCursor>,
}

impl FinderQuery {
    /// The same search, from the page after `cursor`.
    pub fn after(&self, cursor: FinderCursor) -> Self {
        Self {
            after: Some(cursor),
            ..self.clone()
        }
    }
}

/// A place in the finder's order (municipality code, then name, then id): a page holds the sites
/// after it. Keyset paging, so a page never repeats or skips a site while others change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderCursor {
    /// 市町村 code of the last site shown.
    pub municipality: String,
    /// Its name.
    pub name: String,
    /// Its id.
    pub id: i64,
}

/// One 一般向け site as the public sees it (▼コロナワクチンナビでの公開情報).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderSite {
    /// Id.
    pub id: i64,
    /// 医療機関・接種会場名
    pub name: String,
    /// (ふりがな)
    pub name_kana: String,
    /// (英語)
    pub name_en: String,
    /// 都道府県 and 市町村
    pub municipality: String,
    /// 市町村 and 都道府県 in English (Chiyoda-ku, Tokyo).
    pub municipality_en: String,
    /// 郵便番号
    pub postal_code: String,
    /// 町名・番地
    pub address: String,
    /// 予約受付の電話番号
    pub phone: String,
    /// 予約受付サイトURL
    pub url: String,
    /// 予約可否(電話番号)
    pub booking_phone: String,
    /// 予約可否(Web)
    pub booking_web: String,
    /// 受付時間
    pub hours: String,
    /// 受付時間(英語)
    pub hours_en: String,
    /// お知らせ
    pub notice: String,
    /// お知らせ(やさしい日本語)
    pub notice_easy: String,
    /// お知らせ(英語)
    pub notice_en: String,
    /// ホームページ
    pub homepage: String,
    /// 駐車場
    pub parking: String,
    /// Vaccines.
    pub vaccines: Vec<NamedChoice>,
    /// 予約の受付情報 (stored name).
    pub status: String,
    /// When the status last changed (RFC 3339, JST).
    pub status_updated_at: Option<String>,
    /// Not updated for 14 days: may be out of date.
    pub stale: bool,
}

/// One page of a finder search: at most [`FINDER_PAGE_SIZE`] sites.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderResult {
    /// The sites, in the finder's order (municipality code, name, id).
    pub sites: Vec<FinderSite>,
    /// When more sites match: the cursor that asks for the next page ([`FinderQuery::after`]).
    pub next: Option<FinderCursor>,
}

/// How many sites one finder page lists.
pub const FINDER_PAGE_SIZE: usize = 50;

/// 医療機関・接種会場の詳細 (the site itself, its municipality, and those above read it).
#[server(prefix = "/api", endpoint = "load_site_record", input = Json, output = Json)]
pub async fn load_site_record(site_id: i64) -> Result<SiteRecordView, AppError> {
    backend().load_site_record(site_id).await
}

/// 申請・保存: applies the fields that need no approval and files a request for the others.
#[server(prefix = "/api", endpoint = "save_site_record", input = Json, output = Json)]
pub async fn save_site_record(save: SiteRecordEdit) -> Result<SiteSaved, AppError> {
    backend().save_site_record(save).await
}

/// The changes to a site's record, newest first, one page at a time: the newest page, or
/// (with `before_id`, a page's [`HistoryPage::next_before`]) the page after it.
#[server(prefix = "/api", endpoint = "site_history", input = Json, output = Json)]
pub async fn site_history(site_id: i64, before_id: Option<i64>) -> Result<HistoryPage, AppError> {
    backend().site_history(site_id, before_id).await
}

/// 市町村内の医療機関からの情報変更申請一覧（申請中のみ）.
#[server(prefix = "/api", endpoint = "list_change_requests", input = Json, output = Json)]
pub async fn list_change_requests(
    municipality: String,
) -> Result<Vec<ChangeRequestView>, AppError> {
    backend().list_change_requests(municipality).await
}

/// One change request.
#[server(prefix = "/api", endpoint = "load_change_request", input = Json, output = Json)]
pub async fn load_change_request(id: i64) -> Result<ChangeRequestView, AppError> {
    backend().load_change_request(id).await
}

/// 承認 or 却下 (the site's municipality only).
#[server(prefix = "/api", endpoint = "decide_change_request", input = Json, output = Json)]
pub async fn decide_change_request(decision: DecideRequest) -> Result<ChangeRequestView, AppError> {
    backend().decide_change_request(decision).await
}

/// A site's doctors.
#[server(prefix = "/api", endpoint = "load_doctors", input = Json, output = Json)]
pub async fn load_doctors(site_id: i64) -> Result<DoctorList, AppError> {
    backend().load_doctors(site_id).await
}

/// 医師情報の編集 → 保存.
#[server(prefix = "/api", endpoint = "save_doctor", input = Json, output = Json)]
pub async fn save_doctor(save: DoctorEdit) -> Result<DoctorRow, AppError> {
    backend().save_doctor(save).await
}

/// Deletes a doctor (never the last one).
#[server(prefix = "/api", endpoint = "delete_doctor", input = Json, output = Json)]
pub async fn delete_doctor(site_id: i64, doctor_id: i64) -> Result<(), AppError> {
    backend().delete_doctor(site_id, doctor_id).await
}

/// The finder's choices (no login). A GET whose answer is the same for everyone, so a CDN or
/// reverse proxy may keep it for a short time (see the server's cache policy).
#[server(prefix = "/api", endpoint = "finder_options", input = GetUrl, output = Json)]
pub async fn finder_options(prefecture: Option<u8>) -> Result<FinderChoices, AppError> {
    backend().finder_options(prefecture).await
}

/// Searches 一般向け sites (no login), one page at a time. A GET like [`finder_options`].
#[server(prefix = "/api", endpoint = "finder_search", input = GetUrl, output = Json)]
pub async fn finder_search(query: FinderQuery) -> Result<FinderResult, AppError> {
    backend().finder_search(query).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_needs_a_comment_and_an_approval_does_not() {
        let reject = DecideRequest {
            id: 1,
            approve: false,
            comment: " ".into(),
        };
        assert_eq!(
            reject.validate().unwrap_err().get("comment"),
            Some(&FieldError::Required)
        );
        let approve = DecideRequest {
            approve: true,
            ..reject
        };
        assert!(approve.validate().is_ok());
        let hidden = DecideRequest {
            comment: "\u{202E}再提出\u{200B}してください\r\n以上".into(),
            ..approve
        };
        assert_eq!(hidden.validate().unwrap(), "再提出してください\n以上");
    }

    #[test]
    fn the_fields_that_need_approval_are_those_of_the_spec() {
        let fields: Vec<_> = approval_fields().collect();
        for key in [
            "representative",
            "contract_joined",
            "contract_left",
            "proxy_booking",
            "vaccines",
            "site_type",
            "basic_site_id",
            "general_public",
            "insurance_code_new",
            "care_code_new",
        ] {
            assert!(fields.contains(&key), "{key}");
        }
        assert!(!fields.contains(&"phone"));
    }

    #[test]
    fn request_statuses_round_trip_through_their_stored_names() {
        for status in [
            RequestStatus::Pending,
            RequestStatus::Approved,
            RequestStatus::Rejected,
        ] {
            assert_eq!(RequestStatus::parse(status.as_str()), Some(status));
        }
    }
}
