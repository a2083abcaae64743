//! Logging in and out: 「ログイン」, the second step (e-mailed code or authenticator), logout and the password-reset request.
//!
//! The server implements [`LoginApi`] in `server/src/service/login.rs`.

use super::SessionInfo;
use crate::api::AppHttp;
use crate::domain::LoginId;
use crate::error::{AppError, FieldError, FieldErrors};
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

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

/// Returns the logged-in user, or `None` when not logged in.
#[server(prefix = "/api", endpoint = "current_session", protocol = AppHttp<Json>)]
pub async fn current_session() -> Result<Option<SessionInfo>, AppError> {
    backend()?.current_session().await
}

/// Checks the user name and password; may ask for a second step.
#[server(prefix = "/api", endpoint = "login", protocol = AppHttp<Json>)]
pub async fn login(form: LoginForm) -> Result<LoginOutcome, AppError> {
    backend()?.login(form).await
}

/// Completes a login with an e-mailed code, an authenticator code or a recovery code.
#[server(prefix = "/api", endpoint = "login_second_factor", protocol = AppHttp<Json>)]
pub async fn login_second_factor(form: SecondFactorForm) -> Result<SessionInfo, AppError> {
    backend()?.login_second_factor(form).await
}

/// Ends the session on the server and clears the cookie.
#[server(prefix = "/api", endpoint = "logout", protocol = AppHttp<Json>)]
pub async fn logout() -> Result<(), AppError> {
    backend()?.logout().await
}

/// Sends a reset link if the user exists; answers the same either way.
#[server(prefix = "/api", endpoint = "request_password_reset", protocol = AppHttp<Json>)]
pub async fn request_password_reset(login_id: String) -> Result<(), AppError> {
    backend()?.request_password_reset(login_id).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait LoginApi: Send + Sync {
    /// Returns the logged-in user, or `None` when not logged in.
    async fn current_session(&self) -> Result<Option<SessionInfo>, AppError>;
    /// Checks the user name and password; may ask for a second step.
    async fn login(&self, form: LoginForm) -> Result<LoginOutcome, AppError>;
    /// Completes a login with an e-mailed code, an authenticator code or a recovery code.
    async fn login_second_factor(&self, form: SecondFactorForm) -> Result<SessionInfo, AppError>;
    /// Ends the session on the server and clears the cookie.
    async fn logout(&self) -> Result<(), AppError>;
    /// Sends a reset link if the user exists; answers the same either way.
    async fn request_password_reset(&self, login_id: String) -> Result<(), AppError>;
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
}
