//! Issuing IDs and managing users (admins, and prefectures and municipalities for the users
//! under them).

use super::access::{
    issuable_roles, may_manage_user, municipality_in_scope, prefecture_in_scope, site_in_scope,
};
use super::links;
use super::{Caller, OrInternal, RequestBackend, Scope};
use crate::clock::to_jst_rfc3339;
use crate::db::audit::{self, Change};
use crate::db::users::{NewUserRecord, UserRecord, UserScope};
use crate::db::{auth, master, throttle, users};
use app::api::{AccountsApi, Choice, IssueOptions, IssueUserForm, IssuedUser, UserRow};
use app::domain::{Affiliation, EmailAddress, Role, SearchText};
use app::error::{AppError, FieldError};

const ISSUERS: &[Role] = &[Role::Admin, Role::Prefecture, Role::Municipality];

impl RequestBackend {
    /// True when the affiliation exists and lies in the issuer's scope.
    async fn affiliation_in_scope(
        &self,
        caller: &Caller,
        affiliation: &Affiliation,
    ) -> Result<bool, AppError> {
        let mut conn = self.conn().await?;
        Ok(match affiliation {
            Affiliation::Nationwide => caller.role == Role::Admin,
            Affiliation::Prefecture(code) => {
                let code = i64::from(code.get());
                master::prefecture(&mut conn, code)
                    .await
                    .or_internal("load prefecture")?
                    .is_some()
                    && prefecture_in_scope(caller, code)
            }
            Affiliation::Municipality(code) => match master::municipality(&mut conn, code.as_str())
                .await
                .or_internal("load municipality")?
            {
                Some(m) => municipality_in_scope(caller, &m.code, m.prefecture_code),
                None => false,
            },
            Affiliation::Site(id) => match master::site(&mut conn, *id)
                .await
                .or_internal("load site")?
            {
                Some(site) => site_in_scope(
                    caller,
                    site.id,
                    &site.municipality_code,
                    site.prefecture_code,
                ),
                None => false,
            },
            Affiliation::Supplier(id) => {
                caller.role == Role::Admin
                    && master::supplier_name(&mut conn, *id)
                        .await
                        .or_internal("load supplier")?
                        .is_some()
            }
        })
    }

    /// Loads a user the caller may manage.
    async fn managed_user(&self, caller: &Caller, user_id: i64) -> Result<UserRecord, AppError> {
        let mut conn = self.conn().await?;
        users::by_id(&mut conn, user_id)
            .await
            .or_internal("load user")?
            .filter(|u| may_manage_user(caller, u))
            .ok_or(AppError::Forbidden)
    }
}
#[async_trait::async_trait]
impl AccountsApi for RequestBackend {
    async fn load_issue_options(&self) -> Result<IssueOptions, AppError> {
        let caller = self.authorize(ISSUERS, Scope::Own).await?;
        let mut conn = self.conn().await?;
        let prefectures = master::prefectures(&mut conn)
            .await
            .or_internal("load prefectures")?
            .into_iter()
            .filter(|p| {
                prefecture_in_scope(&caller, p.code)
                    || caller.role == Role::Municipality
                        && caller.user.region_prefecture == Some(p.code)
            })
            .map(|p| Choice {
                value: p.code.to_string(),
                label: p.name,
            })
            .collect();
        let suppliers = if caller.role == Role::Admin {
            super::suppliers::supplier_choices(&mut conn).await?
        } else {
            Vec::new()
        };
        Ok(IssueOptions {
            roles: issuable_roles(caller.role),
            prefectures,
            suppliers,
        })
    }

    async fn issue_user(&self, form: IssueUserForm) -> Result<IssuedUser, AppError> {
        let caller = self.authorize(ISSUERS, Scope::Own).await?;
        let new_user = form.validate().map_err(AppError::Validation)?;
        if !issuable_roles(caller.role).contains(&new_user.role) {
            return Err(AppError::field("role", FieldError::InvalidChoice));
        }
        if !self
            .affiliation_in_scope(&caller, &new_user.affiliation)
            .await?
        {
            let field = match new_user.affiliation {
                Affiliation::Prefecture(_) => "prefecture",
                Affiliation::Municipality(_) => "municipality",
                Affiliation::Site(_) => "site_id",
                Affiliation::Supplier(_) => "supplier_id",
                Affiliation::Nationwide => "role",
            };
            return Err(AppError::field(field, FieldError::OrganisationOutOfScope));
        }
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        if users::login_id_exists(&mut tx, new_user.login_id.as_str())
            .await
            .or_internal("check id")?
        {
            return Err(AppError::field("login_id", FieldError::LoginIdTaken));
        }
        let record = NewUserRecord {
            login_id: new_user.login_id.as_str(),
            email: new_user.email.as_str(),
            display_name: new_user.display_name.as_str(),
            role: new_user.role.as_str(),
            prefecture_code: match &new_user.affiliation {
                Affiliation::Prefecture(p) => Some(i64::from(p.get())),
                _ => None,
            },
            municipality_code: match &new_user.affiliation {
                Affiliation::Municipality(m) => Some(m.as_str()),
                _ => None,
            },
            site_id: match &new_user.affiliation {
                Affiliation::Site(id) => Some(*id),
                _ => None,
            },
            supplier_id: match &new_user.affiliation {
                Affiliation::Supplier(id) => Some(*id),
                _ => None,
            },
            created_by: Some(caller.user.id),
        };
        let user_id = users::insert(&mut tx, &record, now)
            .await
            .or_internal("insert user")?;
        let token = links::store(&mut tx, user_id, "initial", now)
            .await
            .or_internal("store link")?;
        let issued = format!(
            "{} {} {}",
            new_user.login_id.as_str(),
            new_user.role.as_str(),
            new_user.email.as_str()
        );
        let change = Change::user(user_id, "issued", None, Some(issued));
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        links::send(
            &self.state,
            new_user.login_id.as_str(),
            new_user.email.as_str(),
            "initial",
            &token,
            now,
        )
        .await
        .or_internal("send link")?;
        Ok(IssuedUser {
            user_id,
            login_id: new_user.login_id.as_str().to_string(),
            sent_to: new_user.email.masked(),
        })
    }

    async fn list_users(&self, text: String) -> Result<Vec<UserRow>, AppError> {
        let caller = self.authorize(ISSUERS, Scope::Own).await?;
        let scope = match caller.role {
            Role::Admin => UserScope::All,
            Role::Prefecture => {
                UserScope::Prefecture(caller.user.prefecture_code.ok_or(AppError::Forbidden)?)
            }
            Role::Municipality => UserScope::Municipality(
                caller
                    .user
                    .municipality_code
                    .as_deref()
                    .ok_or(AppError::Forbidden)?,
            ),
            _ => return Err(AppError::Forbidden),
        };
        let text = SearchText::parse(&text).map_err(|e| AppError::field("text", e))?;
        let mut conn = self.conn().await?;
        let rows = users::list(&mut conn, scope, &text.like_pattern(true))
            .await
            .or_internal("list users")?;
        let now = self.now();
        Ok(rows
            .into_iter()
            .filter(|u| caller.role == Role::Admin || may_manage_user(&caller, u))
            .map(|u| user_row(u, now))
            .collect())
    }

    async fn resend_setup_link(&self, user_id: i64) -> Result<(), AppError> {
        let caller = self.authorize(ISSUERS, Scope::Own).await?;
        let user = self.managed_user(&caller, user_id).await?;
        let now = self.now();
        let purpose = links::purpose_for(user.password_hash.is_some());
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let token = links::store(&mut tx, user.id, purpose, now)
            .await
            .or_internal("store link")?;
        let change = Change::user(user.id, "setup_link", None, Some(purpose.into()));
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        links::send(
            &self.state,
            &user.login_id,
            &user.email,
            purpose,
            &token,
            now,
        )
        .await
        .or_internal("send link")?;
        Ok(())
    }

    async fn unlock_user(&self, user_id: i64) -> Result<(), AppError> {
        let caller = self.authorize(ISSUERS, Scope::Own).await?;
        let user = self.managed_user(&caller, user_id).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        users::clear_failures(&mut tx, user.id)
            .await
            .or_internal("unlock")?;
        throttle::clear_all(&mut tx, &user.login_id)
            .await
            .or_internal("unlock sources")?;
        let change = Change::user(
            user.id,
            "locked_until",
            user.locked_until.map(to_jst_rfc3339),
            None,
        );
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        Ok(())
    }

    async fn reset_totp(&self, user_id: i64) -> Result<(), AppError> {
        let caller = self.authorize(ISSUERS, Scope::Own).await?;
        let user = self.managed_user(&caller, user_id).await?;
        if user.totp_secret.is_none() {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        users::clear_totp(&mut tx, user.id)
            .await
            .or_internal("clear totp")?;
        auth::replace_recovery_codes(&mut tx, user.id, &[])
            .await
            .or_internal("clear recovery codes")?;
        auth::delete_user_sessions(&mut tx, user.id)
            .await
            .or_internal("end sessions")?;
        let change = Change::user(
            user.id,
            "totp",
            Some("enrolled".into()),
            Some("reset".into()),
        );
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        Ok(())
    }

    async fn set_user_disabled(&self, user_id: i64, disabled: bool) -> Result<(), AppError> {
        let caller = self.authorize(ISSUERS, Scope::Own).await?;
        let user = self.managed_user(&caller, user_id).await?;
        if user.id == caller.user.id {
            return Err(AppError::Forbidden);
        }
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        users::set_disabled(&mut tx, user.id, disabled)
            .await
            .or_internal("disable")?;
        if disabled {
            auth::delete_user_sessions(&mut tx, user.id)
                .await
                .or_internal("end sessions")?;
        }
        let was_disabled = user.disabled.to_string();
        let change = Change::user(
            user.id,
            "disabled",
            Some(was_disabled),
            Some(disabled.to_string()),
        );
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        Ok(())
    }
}

fn user_row(u: UserRecord, now: chrono::DateTime<chrono::Utc>) -> UserRow {
    UserRow {
        id: u.id,
        login_id: u.login_id,
        display_name: u.display_name,
        email: EmailAddress::parse(&u.email)
            .map(|e| e.masked())
            .unwrap_or_default(),
        role: u.role,
        organisation: u.organisation.unwrap_or_default(),
        activated: u.password_hash.is_some(),
        locked_until: u.locked_until.filter(|&t| t > now).map(to_jst_rfc3339),
        failed_logins: u.failed_logins,
        disabled: u.disabled,
        totp_enrolled: u.totp_secret.is_some(),
    }
}
