//! User accounts: ID発行, ユーザ一覧 and what an issuer may do to an account (resend the link, unlock, reset the authenticator, disable).
//!
//! The server implements [`AccountsApi`] in `server/src/service/accounts.rs`.

use super::{parse_id, Choice};
use crate::api::AppHttp;
use crate::domain::{
    Affiliation, DisplayName, EmailAddress, LoginId, MunicipalityCode, PrefectureCode, Role,
};
use crate::error::{AppError, FieldError, FieldErrors};
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

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

/// What the caller may choose from when issuing an ID.
#[server(prefix = "/api", endpoint = "load_issue_options", protocol = AppHttp<Json>)]
pub async fn load_issue_options() -> Result<IssueOptions, AppError> {
    backend()?.load_issue_options().await
}

/// ID発行: creates a user and e-mails the ID and a one-time link.
#[server(prefix = "/api", endpoint = "issue_user", protocol = AppHttp<Json>)]
pub async fn issue_user(form: IssueUserForm) -> Result<IssuedUser, AppError> {
    backend()?.issue_user(form).await
}

/// The users in the caller's scope, optionally filtered by text.
#[server(prefix = "/api", endpoint = "list_users", protocol = AppHttp<Json>)]
pub async fn list_users(text: String) -> Result<Vec<UserRow>, AppError> {
    backend()?.list_users(text).await
}

/// Sends a new first-login (or reset) link; older links stop working.
#[server(prefix = "/api", endpoint = "resend_setup_link", protocol = AppHttp<Json>)]
pub async fn resend_setup_link(user_id: i64) -> Result<(), AppError> {
    backend()?.resend_setup_link(user_id).await
}

/// Lifts a lockout and clears the failure counter.
#[server(prefix = "/api", endpoint = "unlock_user", protocol = AppHttp<Json>)]
pub async fn unlock_user(user_id: i64) -> Result<(), AppError> {
    backend()?.unlock_user(user_id).await
}

/// Removes a user's authenticator app and recovery codes (a lost phone), ending the user's
/// sessions; the user enrols a new app at the next login.
#[server(prefix = "/api", endpoint = "reset_totp", protocol = AppHttp<Json>)]
pub async fn reset_totp(user_id: i64) -> Result<(), AppError> {
    backend()?.reset_totp(user_id).await
}

/// Disables (ending every session) or re-enables a user.
#[server(prefix = "/api", endpoint = "set_user_disabled", protocol = AppHttp<Json>)]
pub async fn set_user_disabled(user_id: i64, disabled: bool) -> Result<(), AppError> {
    backend()?.set_user_disabled(user_id, disabled).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AccountsApi: Send + Sync {
    /// What the caller may choose from when issuing an ID.
    async fn load_issue_options(&self) -> Result<IssueOptions, AppError>;
    /// ID発行: creates a user and e-mails the ID and a one-time link.
    async fn issue_user(&self, form: IssueUserForm) -> Result<IssuedUser, AppError>;
    /// The users in the caller's scope, optionally filtered by text.
    async fn list_users(&self, text: String) -> Result<Vec<UserRow>, AppError>;
    /// Sends a new first-login (or reset) link; older links stop working.
    async fn resend_setup_link(&self, user_id: i64) -> Result<(), AppError>;
    /// Lifts a lockout and clears the failure counter.
    async fn unlock_user(&self, user_id: i64) -> Result<(), AppError>;
    /// Removes a user's authenticator app and recovery codes (a lost phone), ending the user's
    /// sessions; the user enrols a new app at the next login.
    async fn reset_totp(&self, user_id: i64) -> Result<(), AppError>;
    /// Disables (ending every session) or re-enables a user.
    async fn set_user_disabled(&self, user_id: i64, disabled: bool) -> Result<(), AppError>;
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
