//! The seam between server function bodies (declared here, in the shared crate) and their
//! implementation in the server crate, which owns the database, sessions and mail.
//!
//! The server runs every server function inside [`scope`] with a per-request [`Backend`] that
//! knows the caller's cookies, address and the application state.

use crate::api::*;
use crate::error::AppError;
use std::future::Future;
use std::sync::Arc;

/// One method per server function, with the same arguments and result.
#[async_trait::async_trait]
#[allow(missing_docs)]
pub trait Backend: Send + Sync {
    async fn current_session(&self) -> Result<Option<SessionInfo>, AppError>;
    async fn login(&self, form: LoginForm) -> Result<LoginOutcome, AppError>;
    async fn login_second_factor(&self, form: SecondFactorForm) -> Result<SessionInfo, AppError>;
    async fn logout(&self) -> Result<(), AppError>;
    async fn request_password_reset(&self, login_id: String) -> Result<(), AppError>;
    async fn setup_begin(&self, token: String) -> Result<SetupStarted, AppError>;
    async fn setup_verify(&self, form: VerifyCodeForm) -> Result<SetupVerified, AppError>;
    async fn setup_resume(&self) -> Result<SetupProgress, AppError>;
    async fn setup_resend(&self) -> Result<SetupStarted, AppError>;
    async fn setup_password(&self, form: SetPasswordForm) -> Result<SessionInfo, AppError>;
    async fn totp_begin(&self) -> Result<TotpEnrolment, AppError>;
    async fn totp_confirm(&self, code: String) -> Result<Vec<String>, AppError>;
    async fn totp_skip(&self) -> Result<SessionInfo, AppError>;
    async fn current_policy(&self) -> Result<PrivacyPolicy, AppError>;
    async fn give_consent(&self, version: i64) -> Result<SessionInfo, AppError>;
    async fn publish_policy(&self, body_ja: String, body_en: String) -> Result<i64, AppError>;
    async fn load_issue_options(&self) -> Result<IssueOptions, AppError>;
    async fn issue_user(&self, form: IssueUserForm) -> Result<IssuedUser, AppError>;
    async fn list_users(&self, text: String) -> Result<Vec<UserRow>, AppError>;
    async fn resend_setup_link(&self, user_id: i64) -> Result<(), AppError>;
    async fn unlock_user(&self, user_id: i64) -> Result<(), AppError>;
    async fn reset_totp(&self, user_id: i64) -> Result<(), AppError>;
    async fn set_user_disabled(&self, user_id: i64, disabled: bool) -> Result<(), AppError>;
    async fn list_municipalities(&self, prefecture: u8) -> Result<Vec<MunicipalityRow>, AppError>;
    async fn list_prefectures(&self) -> Result<Vec<Choice>, AppError>;
    async fn list_sites(&self, municipality: String) -> Result<Vec<SiteRow>, AppError>;
    async fn load_reservation_state(&self, site_id: i64) -> Result<ReservationState, AppError>;
    async fn set_reservation_status(
        &self,
        site_id: i64,
        status: crate::domain::ReservationStatus,
    ) -> Result<ReservationState, AppError>;
    async fn load_reservation_summary(
        &self,
        municipality: String,
    ) -> Result<ReservationSummary, AppError>;
    async fn act_for_site(&self, site_id: i64) -> Result<SessionInfo, AppError>;
    async fn stop_acting(&self) -> Result<SessionInfo, AppError>;
    async fn list_audit(&self, query: AuditQuery) -> Result<Vec<AuditRow>, AppError>;
    async fn dev_outbox(&self) -> Result<Vec<OutboxMail>, AppError>;
    async fn load_site_record(&self, site_id: i64) -> Result<SiteRecordView, AppError>;
    async fn save_site_record(&self, save: SiteRecordEdit) -> Result<SiteSaved, AppError>;
    async fn site_history(
        &self,
        site_id: i64,
        before_id: Option<i64>,
    ) -> Result<HistoryPage, AppError>;
    async fn list_change_requests(
        &self,
        municipality: String,
    ) -> Result<Vec<ChangeRequestView>, AppError>;
    async fn load_change_request(&self, id: i64) -> Result<ChangeRequestView, AppError>;
    async fn decide_change_request(
        &self,
        decision: DecideRequest,
    ) -> Result<ChangeRequestView, AppError>;
    async fn load_doctors(&self, site_id: i64) -> Result<DoctorList, AppError>;
    async fn save_doctor(&self, save: DoctorEdit) -> Result<DoctorRow, AppError>;
    async fn delete_doctor(&self, site_id: i64, doctor_id: i64) -> Result<(), AppError>;
    async fn finder_options(&self, prefecture: Option<u8>) -> Result<FinderChoices, AppError>;
    async fn finder_search(&self, query: FinderQuery) -> Result<FinderResult, AppError>;
}

tokio::task_local! {
    static BACKEND: Arc<dyn Backend>;
}

/// The backend of the request being served.
///
/// # Panics
/// Outside [`scope`]: a server function was called without the server's request handler.
pub fn backend() -> Arc<dyn Backend> {
    BACKEND.with(Arc::clone)
}

/// Runs `future` (a server function call) with `backend` as the request's backend.
pub async fn scope<F: Future>(backend: Arc<dyn Backend>, future: F) -> F::Output {
    BACKEND.scope(backend, future).await
}
