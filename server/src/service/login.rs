//! Login with lockout, the second step (e-mailed code or authenticator), logout, and the
//! password-reset request.

use super::links;
use super::{
    Caller, OrInternal, RequestBackend, CODE_MAX_TRIES, CODE_VALID_SECS, DEVICE_COOKIE,
    SESSION_COOKIE,
};
use crate::db::audit::{self, Actor, Change};
use crate::db::users::UserRecord;
use crate::db::{auth, users};
use crate::mail::templates;
use crate::security::{
    random_token, same_hash, sha256_hex, six_digit_code, totp, verify_password,
    verify_password_dummy,
};
use app::api::{LoginForm, LoginOutcome, SecondFactorForm, SessionInfo};
use app::domain::{EmailAddress, LoginId, Role, SecondFactor};
use app::error::{AppError, FieldError};

/// Failures before each further attempt has to wait.
pub const DELAY_FROM_FAILURE: i64 = 5;
/// Failures that lock the account.
pub const LOCK_AT_FAILURE: i64 = 10;
/// How long a lock lasts.
pub const LOCK_SECS: i64 = 15 * 60;
/// How long a browser stays known.
const DEVICE_COOKIE_SECS: i64 = 400 * 24 * 3600;

/// The wait after `failures` failed logins: none before the 5th, then 2, 4, 8, 16, 32 seconds.
pub fn delay_after(failures: i64) -> i64 {
    if failures < DELAY_FROM_FAILURE {
        0
    } else {
        1 << (failures - DELAY_FROM_FAILURE + 1).min(10)
    }
}

/// Refuses an attempt for a locked account (423) or within the wait after failures (429).
fn refuse_if_locked_or_waiting(user: &UserRecord, now: i64) -> Result<(), AppError> {
    if let Some(until) = user.locked_until.filter(|&until| until > now) {
        return Err(AppError::AccountLocked {
            until: crate::clock::to_jst_rfc3339(until),
        });
    }
    let wait = user
        .last_failed_at
        .map(|at| at + delay_after(user.failed_logins) - now)
        .unwrap_or(0);
    if wait > 0 {
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait as u64,
        });
    }
    Ok(())
}

impl RequestBackend {
    pub(super) async fn login(&self, form: LoginForm) -> Result<LoginOutcome, AppError> {
        self.rate_limit("login")?;
        let login_id = form.validate().map_err(AppError::Validation)?;
        let now = self.now();
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
        let user = users::by_login_id(&mut conn, login_id.as_str())
            .await
            .or_internal("load user")?;
        let Some(user) = user.filter(|u| u.disabled == 0 && u.password_hash.is_some()) else {
            verify_password_dummy(&form.password);
            return Err(AppError::InvalidCredentials);
        };
        refuse_if_locked_or_waiting(&user, now)?;
        let hash = user.password_hash.clone().unwrap_or_default();
        let password = form.password.clone();
        let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
            .await
            .or_internal("verify password")?;
        drop(conn);
        if !matches {
            return Err(self.count_failure(&user).await?);
        }
        // The failure count is cleared only when the whole login succeeds (below, or after the
        // second step): the right password alone must not restart the count of wrong codes.

        if user.totp_secret.is_some() {
            let challenge = self.new_challenge(&user, "totp", None).await?;
            return Ok(LoginOutcome::Totp { challenge });
        }
        if !self.is_known_browser(user.id).await? {
            let code = six_digit_code();
            let challenge = self
                .new_challenge(&user, "email", Some(&sha256_hex(&code)))
                .await?;
            let (subject, body) = templates::login_code(&code);
            self.state
                .mailer
                .send(&self.state.db, now, &user.email, &subject, &body)
                .await
                .or_internal("send login code")?;
            let sent_to = EmailAddress::parse(&user.email)
                .map(|e| e.masked())
                .unwrap_or_default();
            return Ok(LoginOutcome::EmailCode { challenge, sent_to });
        }
        self.clear_failures(user.id).await?;
        let caller = self.start_session(user.id).await?;
        Ok(LoginOutcome::LoggedIn(self.session_info_of(&caller).await?))
    }

    async fn clear_failures(&self, user_id: i64) -> Result<(), AppError> {
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
        users::clear_failures(&mut conn, user_id)
            .await
            .or_internal("clear failures")
    }

    /// Counts a failure atomically, locking at the 10th; returns the error to answer with.
    async fn count_failure(&self, user: &UserRecord) -> Result<AppError, AppError> {
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let failures = users::record_failure(&mut tx, user.id, now)
            .await
            .or_internal("count failure")?;
        if failures >= LOCK_AT_FAILURE {
            let until = now + LOCK_SECS;
            users::lock(&mut tx, user.id, until)
                .await
                .or_internal("lock")?;
            let change = Change::user(
                user.id,
                "locked_until",
                None,
                Some(crate::clock::to_jst_rfc3339(until)),
            );
            audit::record(&mut tx, now, Actor::SYSTEM, change)
                .await
                .or_internal("audit lock")?;
            tx.commit().await.or_internal("commit")?;
            return Ok(AppError::AccountLocked {
                until: crate::clock::to_jst_rfc3339(until),
            });
        }
        tx.commit().await.or_internal("commit")?;
        Ok(AppError::InvalidCredentials)
    }

    async fn is_known_browser(&self, user_id: i64) -> Result<bool, AppError> {
        let Some(token) = self.cookie(DEVICE_COOKIE) else {
            return Ok(false);
        };
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
        auth::is_known_device(&mut conn, user_id, &sha256_hex(token), self.now())
            .await
            .or_internal("check device")
    }

    /// Remembers this browser for the user (after it proved the mailbox or a second factor).
    pub(super) async fn remember_browser(&self, user_id: i64) -> Result<(), AppError> {
        let token = match self.cookie(DEVICE_COOKIE) {
            Some(existing) => existing.to_string(),
            None => random_token(),
        };
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
        auth::insert_known_device(&mut conn, user_id, &sha256_hex(&token), self.now())
            .await
            .or_internal("remember device")?;
        self.set_cookie(DEVICE_COOKIE, &token, Some(DEVICE_COOKIE_SECS));
        Ok(())
    }

    async fn new_challenge(
        &self,
        user: &UserRecord,
        kind: &str,
        code_hash: Option<&str>,
    ) -> Result<String, AppError> {
        let challenge = random_token();
        let now = self.now();
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
        auth::insert_challenge(
            &mut conn,
            &sha256_hex(&challenge),
            user.id,
            kind,
            code_hash,
            now,
            now + CODE_VALID_SECS,
        )
        .await
        .or_internal("store challenge")?;
        Ok(challenge)
    }

    /// Starts a session with a new id (never reusing one the browser brought), ends the old one.
    pub(super) async fn start_session(&self, user_id: i64) -> Result<Caller, AppError> {
        let now = self.now();
        let token = random_token();
        let hash = sha256_hex(&token);
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        if let Some(old) = self.cookie(SESSION_COOKIE) {
            auth::delete_session(&mut tx, &sha256_hex(old))
                .await
                .or_internal("end old session")?;
        }
        auth::insert_session(&mut tx, &hash, user_id, now)
            .await
            .or_internal("store session")?;
        let change = Change {
            entity: "session",
            entity_id: user_id.to_string(),
            field: "login",
            old_value: None,
            new_value: Some(self.ip.to_string()),
        };
        audit::record(&mut tx, now, Actor::user(user_id), change)
            .await
            .or_internal("audit login")?;
        let user = users::by_id(&mut tx, user_id)
            .await
            .or_internal("load user")?
            .ok_or(AppError::Internal)?;
        let session = auth::session(&mut tx, &hash)
            .await
            .or_internal("load session")?
            .ok_or(AppError::Internal)?;
        tx.commit().await.or_internal("commit")?;
        self.set_cookie(SESSION_COOKIE, &token, None);
        let role = Role::parse(&user.role).map_err(|_| AppError::Internal)?;
        Ok(Caller {
            user,
            role,
            session_hash: hash,
            session,
        })
    }

    pub(super) async fn login_second_factor(
        &self,
        form: SecondFactorForm,
    ) -> Result<SessionInfo, AppError> {
        self.rate_limit("login")?;
        let factor = SecondFactor::parse(&form.code).map_err(|e| AppError::field("code", e))?;
        let now = self.now();
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
        let challenge = auth::challenge_by_hash(&mut conn, &sha256_hex(&form.challenge))
            .await
            .or_internal("load challenge")?
            .filter(|c| c.used_at.is_none() && c.expires_at > now && c.tries < CODE_MAX_TRIES)
            .ok_or(AppError::AttemptExpired)?;
        let user = users::by_id(&mut conn, challenge.user_id)
            .await
            .or_internal("load user")?
            .filter(|u| u.disabled == 0)
            .ok_or(AppError::AttemptExpired)?;
        // A wrong code is an account failure like a wrong password: the same wait and lock.
        refuse_if_locked_or_waiting(&user, now)?;
        let tries = auth::claim_challenge_try(&mut conn, challenge.id, CODE_MAX_TRIES)
            .await
            .or_internal("claim try")?
            .ok_or(AppError::AttemptExpired)?;
        let accepted = match (challenge.kind.as_str(), &factor) {
            ("email", SecondFactor::Code(code)) => challenge
                .code_hash
                .as_deref()
                .is_some_and(|expected| same_hash(expected, &sha256_hex(code.as_str()))),
            ("totp", SecondFactor::Code(code)) => {
                let secret = user.totp_secret.clone().unwrap_or_default();
                match totp::verify(&secret, code.as_str(), now, user.totp_last_step) {
                    Some(step) => users::advance_totp_step(&mut conn, user.id, step)
                        .await
                        .or_internal("advance step")?,
                    None => false,
                }
            }
            ("totp", SecondFactor::Recovery(code)) => {
                auth::use_recovery_code(&mut conn, user.id, &sha256_hex(code.as_str()), now)
                    .await
                    .or_internal("use recovery code")?
            }
            _ => false,
        };
        if !accepted {
            drop(conn);
            let failure = self.count_failure(&user).await?;
            return Err(if matches!(failure, AppError::AccountLocked { .. }) {
                failure
            } else if tries >= CODE_MAX_TRIES {
                AppError::AttemptExpired
            } else {
                AppError::field("code", FieldError::CodeRejected)
            });
        }
        if !auth::use_challenge(&mut conn, challenge.id, now)
            .await
            .or_internal("use challenge")?
        {
            return Err(AppError::AttemptExpired);
        }
        drop(conn);
        self.clear_failures(user.id).await?;
        self.remember_browser(user.id).await?;
        let caller = self.start_session(user.id).await?;
        self.session_info_of(&caller).await
    }

    pub(super) async fn logout(&self) -> Result<(), AppError> {
        if let Some(token) = self.cookie(SESSION_COOKIE) {
            let hash = sha256_hex(token);
            let mut tx = self.state.db.begin().await.or_internal("begin")?;
            if let Some(session) = auth::session(&mut tx, &hash)
                .await
                .or_internal("load session")?
            {
                auth::delete_session(&mut tx, &hash)
                    .await
                    .or_internal("end session")?;
                let change = Change {
                    entity: "session",
                    entity_id: session.user_id.to_string(),
                    field: "logout",
                    old_value: None,
                    new_value: None,
                };
                audit::record(&mut tx, self.now(), Actor::user(session.user_id), change)
                    .await
                    .or_internal("audit logout")?;
            }
            tx.commit().await.or_internal("commit")?;
        }
        self.set_cookie(SESSION_COOKIE, "", Some(0));
        Ok(())
    }

    /// Answers the same, at the same speed, whether or not the user exists: the lookup and the
    /// mail run in the background after the answer.
    pub(super) async fn request_password_reset(&self, login_id: String) -> Result<(), AppError> {
        self.rate_limit("reset")?;
        let login_id = LoginId::parse(&login_id).map_err(|e| AppError::field("login_id", e))?;
        let state = self.state.clone();
        tokio::spawn(async move {
            if let Err(error) = send_reset_link(&state, login_id.as_str()).await {
                tracing::error!(%error, "password reset mail failed");
            }
        });
        Ok(())
    }
}

async fn send_reset_link(state: &crate::state::AppState, login_id: &str) -> anyhow::Result<()> {
    let now = state.clock.unix();
    let mut tx = state.db.begin().await?;
    let Some(user) = users::by_login_id(&mut tx, login_id).await? else {
        return Ok(());
    };
    if user.disabled != 0 {
        return Ok(());
    }
    let purpose = links::purpose_for(user.password_hash.is_some());
    let token = links::store(&mut tx, user.id, purpose, now).await?;
    let change = Change::user(user.id, "reset_link", None, Some("sent".into()));
    audit::record(&mut tx, now, Actor::SYSTEM, change).await?;
    tx.commit().await?;
    links::send(state, &user.login_id, &user.email, purpose, &token, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_starts_at_the_fifth_failure_and_doubles() {
        assert_eq!(delay_after(4), 0);
        assert_eq!(delay_after(5), 2);
        assert_eq!(delay_after(6), 4);
        assert_eq!(delay_after(9), 32);
    }
}
