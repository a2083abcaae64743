//! Login with lockout, the second step (e-mailed code or authenticator), logout, and the
//! password-reset request.

use super::links;
use super::{
    Caller, OrInternal, RequestBackend, CODE_MAX_TRIES, CODE_VALID, DEVICE_COOKIE, SESSION_COOKIE,
};
use crate::db::audit::{self, Actor, Change};
use crate::db::throttle::{self, ThrottleRecord};
use crate::db::users::UserRecord;
use crate::db::{auth, users};
use crate::mail::templates;
use crate::security::{
    random_token, same_hash, sha256_hex, six_digit_code, totp, verify_password,
    verify_password_dummy,
};
use app::api::{LoginApi, LoginForm, LoginOutcome, SecondFactorForm, SessionInfo};
use app::domain::{EmailAddress, LoginId, SecondFactor};
use app::error::{AppError, FieldError};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};

/// Failures of one user name from one source before each further attempt has to wait.
pub const DELAY_FROM_FAILURE: i64 = 5;
/// Failures of one user name from one source that lock that source out of that name.
pub const LOCK_AT_FAILURE: i64 = 10;
/// How long a lock lasts.
pub const LOCK: TimeDelta = TimeDelta::minutes(15);
/// Wrong passwords for one account, from all sources together, from which a correct password
/// alone no longer logs in: the second step (authenticator or e-mailed code) is always asked.
pub const STEP_UP_AT_FAILURE: i64 = 10;
/// Wrong second-step codes after a correct password that lock the account itself (only someone
/// who knows the password can make them).
pub const CODE_LOCK_AT_FAILURE: i64 = 10;
/// How long a browser stays known.
const DEVICE_KNOWN: TimeDelta = TimeDelta::days(400);

/// The wait after `failures` failed logins: none before the 5th, then 2, 4, 8, 16, 32 seconds.
pub fn delay_after(failures: i64) -> TimeDelta {
    if failures < DELAY_FROM_FAILURE {
        TimeDelta::zero()
    } else {
        TimeDelta::seconds(1 << (failures - DELAY_FROM_FAILURE + 1).min(10))
    }
}

/// Refuses an attempt from a source locked out of this user name (423) or within the wait after
/// its failures (429). Known and unknown user names are throttled alike.
pub(super) fn refuse_if_throttled(
    state: Option<&ThrottleRecord>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(state) = state else {
        return Ok(());
    };
    if let Some(until) = state.locked_until.filter(|&until| until > now) {
        return Err(AppError::AccountLocked {
            until: crate::clock::to_jst_rfc3339(until),
        });
    }
    let wait = state.last_failed_at + delay_after(state.failures) - now;
    if wait > TimeDelta::zero() {
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait.num_seconds().max(1) as u64,
        });
    }
    Ok(())
}

/// Refuses a login to an account locked after wrong second-step codes.
fn refuse_if_account_locked(user: &UserRecord, now: DateTime<Utc>) -> Result<(), AppError> {
    match user.locked_until.filter(|&until| until > now) {
        Some(until) => Err(AppError::AccountLocked {
            until: crate::clock::to_jst_rfc3339(until),
        }),
        None => Ok(()),
    }
}

/// What failed, for [`RequestBackend::count_failure`].
#[derive(Clone, Copy)]
pub(super) enum Failure<'a> {
    /// A wrong password, or any password for an unknown or inactive user name.
    Password(Option<&'a UserRecord>),
    /// A wrong second-step code after the right password.
    Code(&'a UserRecord),
}

impl RequestBackend {
    /// Forgets the failures of a user who completed a login: the account's counts and those of
    /// this source for the user name.
    async fn clear_failures(&self, user: &UserRecord) -> Result<(), AppError> {
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        users::clear_failures(&mut tx, user.id)
            .await
            .or_internal("clear failures")?;
        throttle::clear(&mut tx, &user.login_id, &self.source())
            .await
            .or_internal("clear throttle")?;
        tx.commit().await.or_internal("commit")
    }

    /// Counts a failure atomically and returns the error to answer with.
    ///
    /// Every failure counts against the user name from this source (delays from the 5th, a
    /// 15-minute lock of this source at the 10th), for unknown names exactly as for known ones.
    /// A wrong password also counts for the account from all sources (from the 10th, a correct
    /// password alone no longer suffices); a wrong code after the right password counts toward
    /// locking the account itself.
    pub(super) async fn count_failure(
        &self,
        login_key: &str,
        failure: Failure<'_>,
    ) -> Result<AppError, AppError> {
        let now = self.now();
        let source = self.source();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let failures = throttle::record_failure(&mut tx, login_key, &source, now)
            .await
            .or_internal("count failure")?;
        let mut answer = AppError::InvalidCredentials;
        if failures >= LOCK_AT_FAILURE {
            let until = now + LOCK;
            throttle::lock(&mut tx, login_key, &source, until)
                .await
                .or_internal("lock source")?;
            if let Failure::Password(Some(user)) | Failure::Code(user) = failure {
                let change = Change::user(
                    user.id,
                    "locked_source",
                    None,
                    Some(format!(
                        "{source} → {}",
                        crate::clock::to_jst_rfc3339(until)
                    )),
                );
                audit::record(&mut tx, now, Actor::SYSTEM, change)
                    .await
                    .or_internal("audit lock")?;
            }
            answer = AppError::AccountLocked {
                until: crate::clock::to_jst_rfc3339(until),
            };
        }
        match failure {
            Failure::Password(Some(user)) => {
                users::record_failure(&mut tx, user.id, now)
                    .await
                    .or_internal("count account failure")?;
            }
            Failure::Password(None) => {}
            Failure::Code(user) => {
                let codes = users::record_code_failure(&mut tx, user.id, now)
                    .await
                    .or_internal("count code failure")?;
                if codes >= CODE_LOCK_AT_FAILURE {
                    let until = now + LOCK;
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
                    answer = AppError::AccountLocked {
                        until: crate::clock::to_jst_rfc3339(until),
                    };
                }
            }
        }
        tx.commit().await.or_internal("commit")?;
        Ok(answer)
    }

    async fn is_known_browser(&self, user_id: i64) -> Result<bool, AppError> {
        let Some(token) = self.cookie(DEVICE_COOKIE) else {
            return Ok(false);
        };
        let mut conn = self.conn().await?;
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
        let mut conn = self.conn().await?;
        auth::insert_known_device(&mut conn, user_id, &sha256_hex(&token), self.now())
            .await
            .or_internal("remember device")?;
        self.set_cookie(DEVICE_COOKIE, &token, Some(DEVICE_KNOWN));
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
        let mut conn = self.conn().await?;
        auth::insert_challenge(
            &mut conn,
            &sha256_hex(&challenge),
            user.id,
            kind,
            code_hash,
            now,
            now + CODE_VALID,
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
            .ok_or("the user of the new session is gone")
            .or_internal("load user")?;
        let session = auth::session(&mut tx, &hash)
            .await
            .or_internal("load session")?
            .ok_or("the session just stored is gone")
            .or_internal("load session")?;
        tx.commit().await.or_internal("commit")?;
        self.set_cookie(SESSION_COOKIE, &token, None);
        let role = user.role;
        Ok(Caller {
            user,
            role,
            session_hash: hash,
            session,
        })
    }

    /// True when `factor` is the user's current authenticator code (used once: the step
    /// advances) or one of the user's unused recovery codes (used up).
    pub(super) async fn check_authenticator(
        &self,
        conn: &mut sqlx::AnyConnection,
        user: &UserRecord,
        factor: &SecondFactor,
    ) -> Result<bool, AppError> {
        let now = self.now();
        match factor {
            SecondFactor::Code(code) => {
                let Some(secret) = user
                    .totp_secret
                    .as_deref()
                    .and_then(|sealed| self.state.secrets.open_totp(user.id, sealed))
                else {
                    if user.totp_secret.is_some() {
                        tracing::error!(
                            user_id = user.id,
                            "authenticator secret does not open with the configured key"
                        );
                        return Err(AppError::Internal);
                    }
                    return Ok(false);
                };
                match totp::verify(&secret, code.as_str(), now, user.totp_last_step) {
                    Some(step) => users::advance_totp_step(conn, user.id, step)
                        .await
                        .or_internal("advance step"),
                    None => Ok(false),
                }
            }
            SecondFactor::Recovery(code) => {
                auth::use_recovery_code(conn, user.id, &sha256_hex(code.as_str()), now)
                    .await
                    .or_internal("use recovery code")
            }
        }
    }
}
#[async_trait::async_trait]
impl LoginApi for RequestBackend {
    async fn current_session(&self) -> Result<Option<SessionInfo>, AppError> {
        match self.current().await? {
            Some(caller) => Ok(Some(self.session_info_of(&caller).await?)),
            None => Ok(None),
        }
    }

    async fn login(&self, form: LoginForm) -> Result<LoginOutcome, AppError> {
        self.rate_limit("login").await?;
        let login_id = form.validate().map_err(AppError::Validation)?;
        let key = login_id.as_str();
        self.account_rate_limit("login", key).await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let throttled = throttle::state(&mut conn, key, &self.source())
            .await
            .or_internal("load throttle")?;
        refuse_if_throttled(throttled.as_ref(), now)?;
        let user = users::by_login_id(&mut conn, key)
            .await
            .or_internal("load user")?;
        drop(conn);
        let user = user.filter(|u| !u.disabled && u.password_hash.is_some());
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let password = form.password.clone();
        // The same argon2 work, off the async workers, whether or not the user exists.
        let matches = tokio::task::spawn_blocking(move || match hash {
            Some(hash) => verify_password(&hash, &password),
            None => {
                verify_password_dummy(&password);
                false
            }
        })
        .await
        .or_internal("verify password")?;
        let user = match user {
            Some(user) if matches => user,
            user => {
                return Err(self
                    .count_failure(key, Failure::Password(user.as_ref()))
                    .await?)
            }
        };
        refuse_if_account_locked(&user, now)?;
        // The failure counts are cleared only when the whole login succeeds (below, or after the
        // second step): the right password alone must not restart the count of wrong codes.

        if user.totp_secret.is_some() {
            let challenge = self.new_challenge(&user, "totp", None).await?;
            return Ok(LoginOutcome::Totp { challenge });
        }
        // Under attack (many wrong passwords from anywhere), a correct password alone is not
        // trusted: even a known browser must prove the mailbox again.
        let stepped_up = user.failed_logins >= STEP_UP_AT_FAILURE;
        if stepped_up || !self.is_known_browser(user.id).await? {
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
        self.clear_failures(&user).await?;
        let caller = self.start_session(user.id).await?;
        Ok(LoginOutcome::LoggedIn(self.session_info_of(&caller).await?))
    }

    async fn login_second_factor(&self, form: SecondFactorForm) -> Result<SessionInfo, AppError> {
        self.rate_limit("login").await?;
        let factor = SecondFactor::parse(&form.code).map_err(|e| AppError::field("code", e))?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let challenge = auth::challenge_by_hash(&mut conn, &sha256_hex(&form.challenge))
            .await
            .or_internal("load challenge")?
            .filter(|c| c.used_at.is_none() && c.expires_at > now && c.tries < CODE_MAX_TRIES)
            .ok_or(AppError::AttemptExpired)?;
        let user = users::by_id(&mut conn, challenge.user_id)
            .await
            .or_internal("load user")?
            .filter(|u| !u.disabled)
            .ok_or(AppError::AttemptExpired)?;
        // A wrong code is a failure like a wrong password: the same waits and locks.
        let throttled = throttle::state(&mut conn, &user.login_id, &self.source())
            .await
            .or_internal("load throttle")?;
        refuse_if_throttled(throttled.as_ref(), now)?;
        refuse_if_account_locked(&user, now)?;
        let tries = auth::claim_challenge_try(&mut conn, challenge.id, CODE_MAX_TRIES)
            .await
            .or_internal("claim try")?
            .ok_or(AppError::AttemptExpired)?;
        let accepted = match challenge.kind.as_str() {
            "email" => matches!(&factor, SecondFactor::Code(code) if challenge
                .code_hash
                .as_deref()
                .is_some_and(|expected| same_hash(expected, &sha256_hex(code.as_str())))),
            "totp" => self.check_authenticator(&mut conn, &user, &factor).await?,
            _ => false,
        };
        if !accepted {
            drop(conn);
            let failure = self
                .count_failure(&user.login_id, Failure::Code(&user))
                .await?;
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
        self.clear_failures(&user).await?;
        self.remember_browser(user.id).await?;
        let caller = self.start_session(user.id).await?;
        self.session_info_of(&caller).await
    }

    async fn logout(&self) -> Result<(), AppError> {
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
        self.set_cookie(SESSION_COOKIE, "", Some(TimeDelta::zero()));
        Ok(())
    }

    /// Answers the same, at the same speed, whether or not the user exists: the lookup and the
    /// mail run in the background after the answer.
    async fn request_password_reset(&self, login_id: String) -> Result<(), AppError> {
        self.rate_limit("reset").await?;
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

/// Reset mails one account may be sent per hour; past it, requests are answered the same and
/// nothing is sent (a mailbox cannot be flooded, and nothing tells whether the account exists).
const RESET_MAILS_PER_HOUR: i64 = 5;
/// The window [`RESET_MAILS_PER_HOUR`] counts in.
const RESET_MAIL_WINDOW: TimeDelta = TimeDelta::hours(1);

async fn send_reset_link(state: &crate::state::AppState, login_id: &str) -> anyhow::Result<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let hour = now.duration_trunc(RESET_MAIL_WINDOW)?;
    if throttle::hit(&mut tx, "reset_mail", &format!("id:{login_id}"), hour).await?
        > RESET_MAILS_PER_HOUR
    {
        tx.commit().await?;
        tracing::warn!(%login_id, "password reset mails for this account are over the hourly limit");
        return Ok(());
    }
    let Some(user) = users::by_login_id(&mut tx, login_id).await? else {
        return Ok(());
    };
    if user.disabled {
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
        assert_eq!(delay_after(4), TimeDelta::zero());
        assert_eq!(delay_after(5), TimeDelta::seconds(2));
        assert_eq!(delay_after(6), TimeDelta::seconds(4));
        assert_eq!(delay_after(9), TimeDelta::seconds(32));
    }
}
