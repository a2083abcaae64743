//! 接種実績 (SPEC §6): a site's cumulative registrations per vaccine, with the day's figures,
//! what they took from the stock and the reconciliation of vials and doses; and, for its
//! municipality, which sites have not registered the last day with vaccinations.
//!
//! The server implements [`RecordsApi`] in `server/src/service/records.rs`.

use super::{Choice, SiteRef};
use crate::api::AppHttp;
use crate::domain::{Daily, RecordForm, Tally, VaccineBasis};
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// One day's registration of one vaccine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordDay {
    /// 接種日 (YYYY-MM-DD).
    pub on: String,
    /// The cumulative registered.
    pub cumulative: Tally,
    /// The people vaccinated since the registration before it (negative on a correction).
    pub daily: Daily,
    /// A correction: some cell went down.
    pub correction: bool,
    /// Vials the day took from the stock, net of what a correction gave back.
    pub vials: i64,
}

/// Vials and doses of one vaccine at one site, side by side: what the received vials could
/// give, and what became of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// Doses a vial gives.
    pub doses_per_vial: u32,
    /// Vials received: deliveries confirmed and transfers received, less transfers sent.
    pub received_vials: i64,
    /// Vials wasted (廃棄).
    pub wasted_vials: i64,
    /// Vials held now.
    pub held_vials: i64,
    /// People vaccinated, as registered (the latest cumulative).
    pub recorded_doses: i64,
}

impl Reconciliation {
    /// Doses the received vials could give.
    pub fn possible_doses(&self) -> i64 {
        self.received_vials * i64::from(self.doses_per_vial)
    }

    /// Doses accounted for: registered, wasted and still held (in doses).
    pub fn accounted_doses(&self) -> i64 {
        self.recorded_doses + (self.wasted_vials + self.held_vials) * i64::from(self.doses_per_vial)
    }

    /// Doses the received vials could give that are not accounted for (negative: more were
    /// registered than the vials could give).
    pub fn difference(&self) -> i64 {
        self.possible_doses() - self.accounted_doses()
    }

    /// Whether the difference exceeds one vial either way (the screen highlights it).
    pub fn flagged(&self) -> bool {
        self.difference().abs() > i64::from(self.doses_per_vial)
    }
}

/// One vaccine the site handles, with its registrations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccineRecords {
    /// The vaccine's name.
    pub name: String,
    /// Doses a vial gives.
    pub doses_per_vial: u32,
    /// What the rules need: the latest registrations and the lots that may be picked.
    pub basis: VaccineBasis,
    /// The lots that may be picked (有効期限の近い順), labelled with expiry and vials.
    pub lots: Vec<Choice>,
    /// The registrations of the last year, oldest first.
    pub history: Vec<RecordDay>,
    /// Vials and doses side by side.
    pub reconciliation: Reconciliation,
}

/// A site's 接種実績 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRecords {
    /// The site.
    pub site: SiteRef,
    /// Today (JST, YYYY-MM-DD), the form's default day.
    pub today: String,
    /// 集合契約加入日 (YYYY-MM-DD, empty when not entered).
    pub contract_joined: String,
    /// 集合契約脱退日 (YYYY-MM-DD, empty when not entered).
    pub contract_left: String,
    /// One per vaccine the site handles, in master order.
    pub vaccines: Vec<VaccineRecords>,
    /// Whether some vaccine's record for today is in.
    pub today_registered: bool,
    /// Whether the caller may register (the site, its municipality on its behalf).
    pub editable: bool,
}

/// One site of a municipality on its records overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRecordStatus {
    /// The site.
    pub site: SiteRef,
    /// Its latest 接種日 (YYYY-MM-DD), none when it never registered.
    pub last_on: Option<String>,
    /// People vaccinated, both doses, every vaccine (latest cumulatives).
    pub total: u64,
    /// Whether a vaccine's vials and doses differ by more than a vial.
    pub flagged: bool,
}

impl SiteRecordStatus {
    /// Whether it has not registered `day` (the last day with vaccinations).
    pub fn missing(&self, day: &str) -> bool {
        self.last_on.as_deref().is_none_or(|last| last < day)
    }
}

/// A municipality's sites and their registrations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordsOverview {
    /// The last day with vaccinations in the municipality, up to today (YYYY-MM-DD).
    pub last_day: Option<String>,
    /// Its sites that handle a vaccine, by name.
    pub sites: Vec<SiteRecordStatus>,
}

/// A site's 接種実績: grids, history, reconciliation.
#[server(prefix = "/api", endpoint = "load_site_records", protocol = AppHttp<Json>)]
pub async fn load_site_records(site_id: i64) -> Result<SiteRecords, AppError> {
    backend()?.load_site_records(site_id).await
}

/// 接種実績の登録: one day's cumulatives; the doses since the last registration come off the
/// stock in the same transaction.
#[server(prefix = "/api", endpoint = "register_records", protocol = AppHttp<Json>)]
pub async fn register_records(site_id: i64, form: RecordForm) -> Result<SiteRecords, AppError> {
    backend()?.register_records(site_id, form).await
}

/// A municipality's sites: who registered the last day with vaccinations, and whose vials and
/// doses differ.
#[server(prefix = "/api", endpoint = "load_records_overview", protocol = AppHttp<Json>)]
pub async fn load_records_overview(municipality: String) -> Result<RecordsOverview, AppError> {
    backend()?.load_records_overview(municipality).await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait RecordsApi: Send + Sync {
    /// A site's 接種実績.
    async fn load_site_records(&self, site_id: i64) -> Result<SiteRecords, AppError>;
    /// 接種実績の登録.
    async fn register_records(
        &self,
        site_id: i64,
        form: RecordForm,
    ) -> Result<SiteRecords, AppError>;
    /// A municipality's overview.
    async fn load_records_overview(
        &self,
        municipality: String,
    ) -> Result<RecordsOverview, AppError>;
}
