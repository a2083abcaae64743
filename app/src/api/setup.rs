//! The first login (and a password reset) from an e-mailed link: 検証, the new password, the authenticator app, and consent to 「V-SYSにおける個人情報保護方針」.
//!
//! The server implements [`SetupApi`] in `server/src/service/setup.rs`.

use super::{single, SessionInfo};
use crate::api::AppHttp;
use crate::domain::{NewPassword, OneTimeCode};
use crate::error::{AppError, FieldError, FieldErrors};
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

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

/// Opens an e-mailed link: checks it and e-mails a 検証コード bound to a new attempt.
#[server(prefix = "/api", endpoint = "setup_begin", protocol = AppHttp<Json>)]
pub async fn setup_begin(token: String) -> Result<SetupStarted, AppError> {
    backend()?.setup_begin(token).await
}

/// 検証: checks the code of an attempt; on success the link is used up.
#[server(prefix = "/api", endpoint = "setup_verify", protocol = AppHttp<Json>)]
pub async fn setup_verify(form: VerifyCodeForm) -> Result<SetupVerified, AppError> {
    backend()?.setup_verify(form).await
}

/// After a reload or in a second tab: where this browser's attempt stands (its HttpOnly cookie
/// identifies it).
#[server(prefix = "/api", endpoint = "setup_resume", protocol = AppHttp<Json>)]
pub async fn setup_resume() -> Result<SetupProgress, AppError> {
    backend()?.setup_resume().await
}

/// 送信し直す: a new 検証コード for the link this browser opened (at most three per link).
#[server(prefix = "/api", endpoint = "setup_resend", protocol = AppHttp<Json>)]
pub async fn setup_resend() -> Result<SetupStarted, AppError> {
    backend()?.setup_resend().await
}

/// Sets the new password of a verified attempt and logs the user in (with the authenticator's
/// code too, for a user who enrolled one).
#[server(prefix = "/api", endpoint = "setup_password", protocol = AppHttp<Json>)]
pub async fn setup_password(form: SetPasswordForm) -> Result<SessionInfo, AppError> {
    backend()?.setup_password(form).await
}

/// Starts (or restarts) authenticator-app enrolment for the logged-in user.
#[server(prefix = "/api", endpoint = "totp_begin", protocol = AppHttp<Json>)]
pub async fn totp_begin() -> Result<TotpEnrolment, AppError> {
    backend()?.totp_begin().await
}

/// Confirms enrolment with a code from the app; returns the recovery codes, shown once.
#[server(prefix = "/api", endpoint = "totp_confirm", protocol = AppHttp<Json>)]
pub async fn totp_confirm(code: String) -> Result<Vec<String>, AppError> {
    backend()?.totp_confirm(code).await
}

/// Declines the authenticator app (only for roles that are not required to enrol).
#[server(prefix = "/api", endpoint = "totp_skip", protocol = AppHttp<Json>)]
pub async fn totp_skip() -> Result<SessionInfo, AppError> {
    backend()?.totp_skip().await
}

/// The current version of 「V-SYSにおける個人情報保護方針」.
#[server(prefix = "/api", endpoint = "current_policy", protocol = AppHttp<Json>)]
pub async fn current_policy() -> Result<PrivacyPolicy, AppError> {
    backend()?.current_policy().await
}

/// 同意する → 次へ: records consent to the given version.
#[server(prefix = "/api", endpoint = "give_consent", protocol = AppHttp<Json>)]
pub async fn give_consent(version: i64) -> Result<SessionInfo, AppError> {
    backend()?.give_consent(version).await
}

/// Publishes a new version of the privacy policy; every user is asked again (admin only).
#[server(prefix = "/api", endpoint = "publish_policy", protocol = AppHttp<Json>)]
pub async fn publish_policy(body_ja: String, body_en: String) -> Result<i64, AppError> {
    backend()?.publish_policy(body_ja, body_en).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SetupApi: Send + Sync {
    /// Opens an e-mailed link: checks it and e-mails a 検証コード bound to a new attempt.
    async fn setup_begin(&self, token: String) -> Result<SetupStarted, AppError>;
    /// 検証: checks the code of an attempt; on success the link is used up.
    async fn setup_verify(&self, form: VerifyCodeForm) -> Result<SetupVerified, AppError>;
    /// After a reload or in a second tab: where this browser's attempt stands (its HttpOnly cookie
    /// identifies it).
    async fn setup_resume(&self) -> Result<SetupProgress, AppError>;
    /// 送信し直す: a new 検証コード for the link this browser opened (at most three per link).
    async fn setup_resend(&self) -> Result<SetupStarted, AppError>;
    /// Sets the new password of a verified attempt and logs the user in (with the authenticator's
    /// code too, for a user who enrolled one).
    async fn setup_password(&self, form: SetPasswordForm) -> Result<SessionInfo, AppError>;
    /// Starts (or restarts) authenticator-app enrolment for the logged-in user.
    async fn totp_begin(&self) -> Result<TotpEnrolment, AppError>;
    /// Confirms enrolment with a code from the app; returns the recovery codes, shown once.
    async fn totp_confirm(&self, code: String) -> Result<Vec<String>, AppError>;
    /// Declines the authenticator app (only for roles that are not required to enrol).
    async fn totp_skip(&self) -> Result<SessionInfo, AppError>;
    /// The current version of 「V-SYSにおける個人情報保護方針」.
    async fn current_policy(&self) -> Result<PrivacyPolicy, AppError>;
    /// 同意する → 次へ: records consent to the given version.
    async fn give_consent(&self, version: i64) -> Result<SessionInfo, AppError>;
    /// Publishes a new version of the privacy policy; every user is asked again (admin only).
    async fn publish_policy(&self, body_ja: String, body_en: String) -> Result<i64, AppError>;
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn verify_code_form_accepts_full_width_digits() {
        let form = VerifyCodeForm {
            attempt: "x".into(),
            code: "０１２３４５".into(),
        };
        assert_eq!(form.validate().unwrap().as_str(), "012345");
    }
}
