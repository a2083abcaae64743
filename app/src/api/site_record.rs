//! 医療機関・接種会場の詳細 and 編集: one site's record, its saving (straight, or as a change request where approval is needed) and its history.
//!
//! The server implements [`SiteRecordApi`] in `server/src/service/site_record.rs`.

use super::{ChangeRequestView, Choice, DoctorRow, SiteRef};
use crate::api::AppHttp;
use crate::domain::{FieldChange, Form, SiteForm, SiteRules, SITE_FIELDS};
use crate::error::{AppError, FieldError, FieldErrors};
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use crate::backend::backend;

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

/// 医療機関・接種会場の詳細 (the site itself, its municipality, and those above read it).
#[server(prefix = "/api", endpoint = "load_site_record", protocol = AppHttp<Json>)]
pub async fn load_site_record(site_id: i64) -> Result<SiteRecordView, AppError> {
    backend()?.load_site_record(site_id).await
}

/// 申請・保存: applies the fields that need no approval and files a request for the others.
#[server(prefix = "/api", endpoint = "save_site_record", protocol = AppHttp<Json>)]
pub async fn save_site_record(save: SiteRecordEdit) -> Result<SiteSaved, AppError> {
    backend()?.save_site_record(save).await
}

/// The changes to a site's record, newest first, one page at a time: the newest page, or
/// (with `before_id`, a page's [`HistoryPage::next_before`]) the page after it.
#[server(prefix = "/api", endpoint = "site_history", protocol = AppHttp<Json>)]
pub async fn site_history(site_id: i64, before_id: Option<i64>) -> Result<HistoryPage, AppError> {
    backend()?.site_history(site_id, before_id).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SiteRecordApi: Send + Sync {
    /// 医療機関・接種会場の詳細 (the site itself, its municipality, and those above read it).
    async fn load_site_record(&self, site_id: i64) -> Result<SiteRecordView, AppError>;
    /// 申請・保存: applies the fields that need no approval and files a request for the others.
    async fn save_site_record(&self, save: SiteRecordEdit) -> Result<SiteSaved, AppError>;
    /// The changes to a site's record, newest first, one page at a time: the newest page, or
    /// (with `before_id`, a page's [`HistoryPage::next_before`]) the page after it.
    async fn site_history(
        &self,
        site_id: i64,
        before_id: Option<i64>,
    ) -> Result<HistoryPage, AppError>;
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
