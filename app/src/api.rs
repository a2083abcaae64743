//! Server function declarations and the request and response types they carry.
//!
//! Form types hold what the user typed, as strings, and `validate` them into domain types; the
//! browser calls `validate` on every keystroke and the server calls it again before acting.
//! Each server function body hands over to the server crate through [`crate::backend`].

use crate::domain::{
    Affiliation, DisplayName, EmailAddress, LoginId, MunicipalityCode, NewPassword, OneTimeCode,
    PrefectureCode, ReservationStatus, Role, SiteType,
};
use crate::error::{AppError, FieldError, FieldErrors, OnboardingStep};
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

pub mod site;
pub use site::*;

/// A site as a reference in lists and headers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRef {
    /// The site's id.
    pub id: i64,
    /// 医療機関・接種会場名
    pub name: String,
}

/// The logged-in user as the browser sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The user's id.
    pub user_id: i64,
    /// The user name (ID).
    pub login_id: String,
    /// The user's name.
    pub display_name: String,
    /// The role.
    pub role: Role,
    /// The name of the organisation the user belongs to.
    pub organisation: String,
    /// The user's own site (site users) — where "own record" pages point.
    pub own_site: Option<SiteRef>,
    /// The site a municipality user is acting for (代理入力), if any.
    pub acting_for: Option<SiteRef>,
    /// The first-login step still to do, if any; the app shows nothing else until it is done.
    pub onboarding: Option<OnboardingStep>,
    /// Whether an authenticator app is enrolled.
    pub totp_enrolled: bool,
    /// The prefecture the user's organisation lies in, if any.
    pub prefecture_code: Option<u8>,
    /// The municipality the user's organisation lies in, if any.
    pub municipality_code: Option<String>,
}

/// The login form: ユーザ名 and パスワード.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginForm {
    /// ユーザ名
    pub login_id: String,
    /// パスワード
    pub password: String,
}

impl LoginForm {
    /// Checks that both fields are filled and the user name has the right shape.
    pub fn validate(&self) -> Result<LoginId, FieldErrors> {
        let mut errors = FieldErrors::new();
        let login_id = errors.check("login_id", LoginId::parse(&self.login_id));
        if self.password.is_empty() {
            errors.add("password", FieldError::Required);
        }
        match login_id {
            Some(id) if errors.is_empty() => Ok(id),
            _ => Err(errors),
        }
    }
}

/// What happens after a correct password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginOutcome {
    /// Logged in.
    LoggedIn(SessionInfo),
    /// This browser is unknown: a code was e-mailed to the address shown (masked).
    EmailCode {
        /// Opaque id of this login attempt.
        challenge: String,
        /// Where the code went, masked.
        sent_to: String,
    },
    /// Enter the authenticator app's code (or a recovery code).
    Totp {
        /// Opaque id of this login attempt.
        challenge: String,
    },
}

/// The second step of a login: the attempt and the code the user typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorForm {
    /// The attempt from [`LoginOutcome`].
    pub challenge: String,
    /// The code as typed.
    pub code: String,
}

/// The start of the first login (or of a reset) after opening the e-mailed link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupStarted {
    /// Opaque id of this attempt; the 検証コード is bound to it.
    pub attempt: String,
    /// The user name, so the user sees whose password they are setting.
    pub login_id: String,
    /// Where the code went, masked.
    pub sent_to: String,
    /// True for a password reset, false for the first login.
    pub is_reset: bool,
}

/// The 検証 step: the attempt and the code as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyCodeForm {
    /// The attempt from [`SetupStarted`].
    pub attempt: String,
    /// 検証コード as typed.
    pub code: String,
}

impl VerifyCodeForm {
    /// Checks the code's shape.
    pub fn validate(&self) -> Result<OneTimeCode, FieldErrors> {
        OneTimeCode::parse(&self.code).map_err(|e| single("code", e))
    }
}

/// What the password step needs to know to check a password against the user's identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupVerified {
    /// The user name.
    pub login_id: String,
    /// The user's e-mail address.
    pub email: String,
    /// True when the user has an authenticator app: resetting the password then also needs its
    /// code (or a recovery code), because the mailbox alone must not replace a second factor.
    pub needs_second_factor: bool,
}

/// Where this browser's first-login (or reset) attempt stands, for a reload or a second tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupProgress {
    /// The attempt, as when the link was opened.
    pub started: SetupStarted,
    /// Present once the 検証コード was accepted: the password step is next.
    pub verified: Option<SetupVerified>,
}

/// 新しいパスワード and 確認.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetPasswordForm {
    /// The verified attempt.
    pub attempt: String,
    /// 新しいパスワード
    pub password: String,
    /// 確認
    pub confirm: String,
    /// The authenticator's code or a recovery code, when [`SetupVerified::needs_second_factor`].
    #[serde(default)]
    pub second_factor: String,
}

impl SetPasswordForm {
    /// Checks the password rules for this user and that the confirmation matches.
    pub fn validate(&self, login_id: &str, email: &str) -> Result<NewPassword, FieldErrors> {
        let mut errors = FieldErrors::new();
        let password = errors.check(
            "password",
            NewPassword::parse(&self.password, login_id, email),
        );
        if self.confirm.is_empty() {
            errors.add("confirm", FieldError::Required);
        } else if self.confirm != self.password {
            errors.add("confirm", FieldError::PasswordMismatch);
        }
        match password {
            Some(password) if errors.is_empty() => Ok(password),
            _ => Err(errors),
        }
    }
}

/// An authenticator-app enrolment in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    /// The shared secret in base32, grouped by four for typing.
    pub secret: String,
    /// The otpauth:// URI the QR code encodes.
    pub otpauth_uri: String,
    /// The QR code as an SVG data URI.
    pub qr_svg_data_uri: String,
    /// Whether the role must enrol (true) or may skip (false).
    pub required: bool,
}

/// One version of 「V-SYSにおける個人情報保護方針」.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyPolicy {
    /// The version number; consent is recorded against it.
    pub version: i64,
    /// The policy text in Japanese.
    pub body_ja: String,
    /// The policy text in English.
    pub body_en: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
}

/// The form to issue an ID (ID発行).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueUserForm {
    /// The new user name.
    pub login_id: String,
    /// Where the ID and link are sent.
    pub email: String,
    /// The person's name.
    pub display_name: String,
    /// One of [`Role::as_str`].
    pub role: String,
    /// Prefecture code for prefecture users.
    pub prefecture: String,
    /// Municipality code for municipality users.
    pub municipality: String,
    /// Site id for site users.
    pub site_id: String,
    /// Supplier id for supplier users.
    pub supplier_id: String,
}

/// A validated [`IssueUserForm`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    /// User name.
    pub login_id: LoginId,
    /// Address.
    pub email: EmailAddress,
    /// Name.
    pub display_name: DisplayName,
    /// Role.
    pub role: Role,
    /// Where the user belongs.
    pub affiliation: Affiliation,
}

impl IssueUserForm {
    /// Checks every field; the affiliation field that the role needs must be filled.
    pub fn validate(&self) -> Result<NewUser, FieldErrors> {
        let mut errors = FieldErrors::new();
        let login_id = errors.check("login_id", LoginId::parse(&self.login_id));
        let email = errors.check("email", EmailAddress::parse(&self.email));
        let display_name = errors.check("display_name", DisplayName::parse(&self.display_name));
        let role = if self.role.is_empty() {
            errors.add("role", FieldError::Required);
            None
        } else {
            errors.check("role", Role::parse(&self.role))
        };
        let affiliation = role.and_then(|role| match role {
            Role::National | Role::Admin => Some(Affiliation::Nationwide),
            Role::Prefecture => errors
                .check("prefecture", PrefectureCode::parse(&self.prefecture))
                .map(Affiliation::Prefecture),
            Role::Municipality => errors
                .check("municipality", MunicipalityCode::parse(&self.municipality))
                .map(Affiliation::Municipality),
            Role::Site => errors
                .check("site_id", parse_id(&self.site_id))
                .map(Affiliation::Site),
            Role::Supplier => errors
                .check("supplier_id", parse_id(&self.supplier_id))
                .map(Affiliation::Supplier),
        });
        match (login_id, email, display_name, role, affiliation) {
            (Some(login_id), Some(email), Some(display_name), Some(role), Some(affiliation))
                if errors.is_empty() =>
            {
                Ok(NewUser {
                    login_id,
                    email,
                    display_name,
                    role,
                    affiliation,
                })
            }
            _ => Err(errors),
        }
    }
}

fn parse_id(input: &str) -> Result<i64, FieldError> {
    let value = crate::text::clean(input);
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    value.parse::<i64>().map_err(|_| FieldError::InvalidChoice)
}

fn single(field: &str, error: FieldError) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(field, error);
    errors
}

/// The result of issuing an ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedUser {
    /// The new user's id.
    pub user_id: i64,
    /// The user name.
    pub login_id: String,
    /// Where the link went, masked.
    pub sent_to: String,
}

/// A choice in a select box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The value sent back.
    pub value: String,
    /// What the user sees.
    pub label: String,
}

/// What the issuer may choose from when issuing an ID: only roles and organisations in scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueOptions {
    /// Roles this issuer may issue.
    pub roles: Vec<Role>,
    /// Prefectures in scope.
    pub prefectures: Vec<Choice>,
    /// Suppliers (admin only).
    pub suppliers: Vec<Choice>,
}

/// A municipality in lists (都道府県管内の市町村一覧).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityRow {
    /// 全国地方公共団体コード
    pub code: String,
    /// Name.
    pub name: String,
    /// Reading in hiragana.
    pub name_kana: String,
    /// Number of sites in it.
    pub site_count: i64,
}

/// A site in lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRow {
    /// Id.
    pub id: i64,
    /// 医療機関・接種会場名
    pub name: String,
    /// 基本型 or サテライト型.
    pub site_type: SiteType,
    /// The basic site of a satellite.
    pub basic_site: Option<SiteRef>,
    /// Municipality code.
    pub municipality_code: String,
    /// Municipality name.
    pub municipality_name: String,
}

/// A user in the user list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    /// Id.
    pub id: i64,
    /// User name.
    pub login_id: String,
    /// Name.
    pub display_name: String,
    /// Masked address.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Organisation name.
    pub organisation: String,
    /// Whether the password is set (first login done).
    pub activated: bool,
    /// Locked until (RFC 3339), when locked now.
    pub locked_until: Option<String>,
    /// Failed logins since the last success.
    pub failed_logins: i64,
    /// Disabled users cannot log in.
    pub disabled: bool,
    /// Whether an authenticator app is enrolled.
    pub totp_enrolled: bool,
}

/// One row of the append-only audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// Id (increasing).
    pub id: i64,
    /// When (RFC 3339, JST).
    pub at: String,
    /// Who acted (user name), if a user.
    pub actor: Option<String>,
    /// The site acted for (代理入力), if any.
    pub acting_for: Option<String>,
    /// The kind of thing changed.
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// The field changed.
    pub field: String,
    /// Value before.
    pub old_value: Option<String>,
    /// Value after.
    pub new_value: Option<String>,
}

/// A filter for the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Only this entity kind, when set.
    pub entity: String,
    /// Free text matched against the actor, entity id and values.
    pub text: String,
    /// Rows before this id (for paging back), when set.
    pub before_id: Option<i64>,
}

/// One mail in the development outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    /// Id.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Recipient.
    pub to: String,
    /// Subject, with the 【V-SYS】 prefix.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// A site's 予約の受付情報.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationState {
    /// The site.
    pub site: SiteRef,
    /// Its status.
    pub status: ReservationStatus,
    /// When it last changed (RFC 3339, JST), if ever.
    pub updated_at: Option<String>,
}

/// A municipality's sites by reservation status, and those still 未登録.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationSummary {
    /// Number of sites per status, every status listed (zero included), in display order.
    pub counts: Vec<(ReservationStatus, i64)>,
    /// The sites that never registered a status (未登録医療機関・接種会場).
    pub unregistered: Vec<SiteRef>,
}

/// Returns the logged-in user, or `None` when not logged in.
#[server(prefix = "/api", endpoint = "current_session", input = Json, output = Json)]
pub async fn current_session() -> Result<Option<SessionInfo>, AppError> {
    backend().current_session().await
}

/// Checks the user name and password; may ask for a second step.
#[server(prefix = "/api", endpoint = "login", input = Json, output = Json)]
pub async fn login(form: LoginForm) -> Result<LoginOutcome, AppError> {
    backend().login(form).await
}

/// Completes a login with an e-mailed code, an authenticator code or a recovery code.
#[server(prefix = "/api", endpoint = "login_second_factor", input = Json, output = Json)]
pub async fn login_second_factor(form: SecondFactorForm) -> Result<SessionInfo, AppError> {
    backend().login_second_factor(form).await
}

/// Ends the session on the server and clears the cookie.
#[server(prefix = "/api", endpoint = "logout", input = Json, output = Json)]
pub async fn logout() -> Result<(), AppError> {
    backend().logout().await
}

/// Sends a reset link if the user exists; answers the same either way.
#[server(prefix = "/api", endpoint = "request_password_reset", input = Json, output = Json)]
pub async fn request_password_reset(login_id: String) -> Result<(), AppError> {
    backend().request_password_reset(login_id).await
}

/// Opens an e-mailed link: checks it and e-mails a 検証コード bound to a new attempt.
#[server(prefix = "/api", endpoint = "setup_begin", input = Json, output = Json)]
pub async fn setup_begin(token: String) -> Result<SetupStarted, AppError> {
    backend().setup_begin(token).await
}

/// 検証: checks the code of an attempt; on success the link is used up.
#[server(prefix = "/api", endpoint = "setup_verify", input = Json, output = Json)]
pub async fn setup_verify(form: VerifyCodeForm) -> Result<SetupVerified, AppError> {
    backend().setup_verify(form).await
}

/// After a reload or in a second tab: where this browser's attempt stands (its HttpOnly cookie
/// identifies it).
#[server(prefix = "/api", endpoint = "setup_resume", input = Json, output = Json)]
pub async fn setup_resume() -> Result<SetupProgress, AppError> {
    backend().setup_resume().await
}

/// 送信し直す: a new 検証コード for the link this browser opened (at most three per link).
#[server(prefix = "/api", endpoint = "setup_resend", input = Json, output = Json)]
pub async fn setup_resend() -> Result<SetupStarted, AppError> {
    backend().setup_resend().await
}

/// Sets the new password of a verified attempt and logs the user in (with the authenticator's
/// code too, for a user who enrolled one).
#[server(prefix = "/api", endpoint = "setup_password", input = Json, output = Json)]
pub async fn setup_password(form: SetPasswordForm) -> Result<SessionInfo, AppError> {
    backend().setup_password(form).await
}

/// Starts (or restarts) authenticator-app enrolment for the logged-in user.
#[server(prefix = "/api", endpoint = "totp_begin", input = Json, output = Json)]
pub async fn totp_begin() -> Result<TotpEnrolment, AppError> {
    backend().totp_begin().await
}

/// Confirms enrolment with a code from the app; returns the recovery codes, shown once.
#[server(prefix = "/api", endpoint = "totp_confirm", input = Json, output = Json)]
pub async fn totp_confirm(code: String) -> Result<Vec<String>, AppError> {
    backend().totp_confirm(code).await
}

/// Declines the authenticator app (only for roles that are not required to enrol).
#[server(prefix = "/api", endpoint = "totp_skip", input = Json, output = Json)]
pub async fn totp_skip() -> Result<SessionInfo, AppError> {
    backend().totp_skip().await
}

/// The current version of 「V-SYSにおける個人情報保護方針」.
#[server(prefix = "/api", endpoint = "current_policy", input = Json, output = Json)]
pub async fn current_policy() -> Result<PrivacyPolicy, AppError> {
    backend().current_policy().await
}

/// 同意する → 次へ: records consent to the given version.
#[server(prefix = "/api", endpoint = "give_consent", input = Json, output = Json)]
pub async fn give_consent(version: i64) -> Result<SessionInfo, AppError> {
    backend().give_consent(version).await
}

/// Publishes a new version of the privacy policy; every user is asked again (admin only).
#[server(prefix = "/api", endpoint = "publish_policy", input = Json, output = Json)]
pub async fn publish_policy(body_ja: String, body_en: String) -> Result<i64, AppError> {
    backend().publish_policy(body_ja, body_en).await
}

/// What the caller may choose from when issuing an ID.
#[server(prefix = "/api", endpoint = "load_issue_options", input = Json, output = Json)]
pub async fn load_issue_options() -> Result<IssueOptions, AppError> {
    backend().load_issue_options().await
}

/// ID発行: creates a user and e-mails the ID and a one-time link.
#[server(prefix = "/api", endpoint = "issue_user", input = Json, output = Json)]
pub async fn issue_user(form: IssueUserForm) -> Result<IssuedUser, AppError> {
    backend().issue_user(form).await
}

/// The users in the caller's scope, optionally filtered by text.
#[server(prefix = "/api", endpoint = "list_users", input = Json, output = Json)]
pub async fn list_users(text: String) -> Result<Vec<UserRow>, AppError> {
    backend().list_users(text).await
}

/// Sends a new first-login (or reset) link; older links stop working.
#[server(prefix = "/api", endpoint = "resend_setup_link", input = Json, output = Json)]
pub async fn resend_setup_link(user_id: i64) -> Result<(), AppError> {
    backend().resend_setup_link(user_id).await
}

/// Lifts a lockout and clears the failure counter.
#[server(prefix = "/api", endpoint = "unlock_user", input = Json, output = Json)]
pub async fn unlock_user(user_id: i64) -> Result<(), AppError> {
    backend().unlock_user(user_id).await
}

/// Removes a user's authenticator app and recovery codes (a lost phone), ending the user's
/// sessions; the user enrols a new app at the next login.
#[server(prefix = "/api", endpoint = "reset_totp", input = Json, output = Json)]
pub async fn reset_totp(user_id: i64) -> Result<(), AppError> {
    backend().reset_totp(user_id).await
}

/// Disables (ending every session) or re-enables a user.
#[server(prefix = "/api", endpoint = "set_user_disabled", input = Json, output = Json)]
pub async fn set_user_disabled(user_id: i64, disabled: bool) -> Result<(), AppError> {
    backend().set_user_disabled(user_id, disabled).await
}

/// The municipalities of a prefecture (都道府県管内の市町村一覧).
#[server(prefix = "/api", endpoint = "list_municipalities", input = Json, output = Json)]
pub async fn list_municipalities(prefecture: u8) -> Result<Vec<MunicipalityRow>, AppError> {
    backend().list_municipalities(prefecture).await
}

/// The 47 prefectures, for choosing one (national, admin and prefecture users).
#[server(prefix = "/api", endpoint = "list_prefectures", input = Json, output = Json)]
pub async fn list_prefectures() -> Result<Vec<Choice>, AppError> {
    backend().list_prefectures().await
}

/// The sites of a municipality.
#[server(prefix = "/api", endpoint = "list_sites", input = Json, output = Json)]
pub async fn list_sites(municipality: String) -> Result<Vec<SiteRow>, AppError> {
    backend().list_sites(municipality).await
}

/// A site's reservation status (the site itself, its municipality, its prefecture, national).
#[server(prefix = "/api", endpoint = "reservation_state", input = Json, output = Json)]
pub async fn load_reservation_state(site_id: i64) -> Result<ReservationState, AppError> {
    backend().load_reservation_state(site_id).await
}

/// 予約の受付情報の変更: the site (or its municipality, 代理入力) sets the status, time-stamped.
#[server(prefix = "/api", endpoint = "set_reservation_status", input = Json, output = Json)]
pub async fn set_reservation_status(
    site_id: i64,
    status: ReservationStatus,
) -> Result<ReservationState, AppError> {
    backend().set_reservation_status(site_id, status).await
}

/// The count of a municipality's sites per status and its 未登録医療機関・接種会場.
#[server(prefix = "/api", endpoint = "reservation_summary", input = Json, output = Json)]
pub async fn load_reservation_summary(
    municipality: String,
) -> Result<ReservationSummary, AppError> {
    backend().load_reservation_summary(municipality).await
}

/// 代理入力: a municipality user starts acting for one of its sites.
#[server(prefix = "/api", endpoint = "act_for_site", input = Json, output = Json)]
pub async fn act_for_site(site_id: i64) -> Result<SessionInfo, AppError> {
    backend().act_for_site(site_id).await
}

/// Ends 代理入力.
#[server(prefix = "/api", endpoint = "stop_acting", input = Json, output = Json)]
pub async fn stop_acting() -> Result<SessionInfo, AppError> {
    backend().stop_acting().await
}

/// The audit log, newest first, 100 rows a page (admin only).
#[server(prefix = "/api", endpoint = "list_audit", input = Json, output = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<Vec<AuditRow>, AppError> {
    backend().list_audit(query).await
}

/// The development outbox (only when no SMTP server is configured).
#[server(prefix = "/api", endpoint = "dev_outbox", input = Json, output = Json)]
pub async fn dev_outbox() -> Result<Vec<OutboxMail>, AppError> {
    backend().dev_outbox().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_form_reports_both_missing_fields() {
        let errors = LoginForm::default().validate().unwrap_err();
        assert_eq!(errors.get("login_id"), Some(&FieldError::Required));
        assert_eq!(errors.get("password"), Some(&FieldError::Required));
    }

    #[test]
    fn set_password_form_checks_confirmation() {
        let form = SetPasswordForm {
            attempt: "a".into(),
            password: "a fine long passphrase".into(),
            confirm: "a fine long passphrasE".into(),
            ..Default::default()
        };
        let errors = form.validate("user1", "u@x.jp").unwrap_err();
        assert_eq!(errors.get("confirm"), Some(&FieldError::PasswordMismatch));
        assert!(errors.get("password").is_none());
    }

    #[test]
    fn issue_user_form_needs_the_affiliation_of_the_role() {
        let form = IssueUserForm {
            login_id: "muni-user".into(),
            email: "m@example.jp".into(),
            display_name: "市町村 花子".into(),
            role: "municipality".into(),
            ..Default::default()
        };
        let errors = form.validate().unwrap_err();
        assert_eq!(errors.get("municipality"), Some(&FieldError::Required));
        let ok = IssueUserForm {
            municipality: "131016".into(),
            ..form
        }
        .validate()
        .unwrap();
        assert_eq!(
            ok.affiliation,
            Affiliation::Municipality(MunicipalityCode::parse("131016").unwrap())
        );
    }

    #[test]
    fn issue_user_form_for_admin_needs_no_affiliation() {
        let form = IssueUserForm {
            login_id: "admin2".into(),
            email: "a@example.jp".into(),
            display_name: "管理 者".into(),
            role: "admin".into(),
            ..Default::default()
        };
        assert_eq!(
            form.validate().unwrap().affiliation,
            Affiliation::Nationwide
        );
    }

    #[test]
    fn verify_code_form_accepts_full_width_digits() {
        let form = VerifyCodeForm {
            attempt: "x".into(),
            code: "０１２３４５".into(),
        };
        assert_eq!(form.validate().unwrap().as_str(), "012345");
    }
}
