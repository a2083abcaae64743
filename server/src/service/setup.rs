//! The first login (and resets): link → 検証コード → 新しいパスワード → authenticator app →
//! consent to the privacy policy.

use super::login::{refuse_if_throttled, Failure};
use super::{OrInternal, RequestBackend, Scope, CODE_MAX_TRIES, CODE_VALID};
use crate::db::audit::{self, Actor, Change};
use crate::db::auth::{AttemptRecord, SetupTokenRecord};
use crate::db::users::UserRecord;
use crate::db::{auth, policy, throttle, users};
use crate::mail::templates;
use crate::security::{
    hash_password, random_token, recovery_code, same_hash, sha256_hex, six_digit_code, totp,
};
use app::api::{
    PrivacyPolicy, SessionInfo, SetPasswordForm, SetupApi, SetupProgress, SetupStarted,
    SetupVerified, TotpEnrolment, VerifyCodeForm,
};
use app::domain::{EmailAddress, OneTimeCode, Role, SecondFactor};
use app::error::{AppError, FieldError};
use chrono::{DateTime, TimeDelta, Utc};

/// A verified attempt may set the password for this long.
const VERIFIED_VALID: TimeDelta = TimeDelta::minutes(30);
/// 検証コード one link may send; opening it (or asking for a new code) once more voids the link,
/// so one link allows at most this many × [`CODE_MAX_TRIES`] guesses.
pub const MAX_CODES_PER_LINK: i64 = 3;
/// The cookie that ties an opened link to this browser, so a reload or a second tab continues
/// the same attempt (HttpOnly: scripts never see it).
pub const SETUP_COOKIE: &str = "vsys_setup";

impl RequestBackend {
    /// The attempt whose token this browser's setup cookie holds.
    async fn browser_attempt(
        &self,
        conn: &mut sqlx::AnyConnection,
    ) -> Result<Option<AttemptRecord>, AppError> {
        let Some(token) = self.cookie(SETUP_COOKIE) else {
            return Ok(None);
        };
        auth::attempt_by_hash(conn, &sha256_hex(token))
            .await
            .or_internal("load attempt")
    }

    /// Stores a new attempt with a new code for `link` and ties it to this browser; returns
    /// its token and code. Once the link has sent [`MAX_CODES_PER_LINK`] codes it is voided
    /// instead (committed, then answered with [`AppError::LinkInvalid`]).
    async fn new_attempt(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        link: &SetupTokenRecord,
        now: DateTime<Utc>,
    ) -> Result<(String, String), AppError> {
        let sent = auth::attempt_count(&mut tx, link.id)
            .await
            .or_internal("count attempts")?;
        if sent >= MAX_CODES_PER_LINK {
            auth::void_setup_token(&mut tx, link.id)
                .await
                .or_internal("void link")?;
            let change = Change::user(
                link.user_id,
                "setup_link",
                None,
                Some("voided: too many codes".into()),
            );
            audit::record(&mut tx, now, Actor::SYSTEM, change)
                .await
                .or_internal("audit")?;
            tx.commit().await.or_internal("commit")?;
            return Err(AppError::LinkInvalid);
        }
        let attempt = random_token();
        let code = six_digit_code();
        auth::insert_attempt(
            &mut tx,
            link.id,
            &sha256_hex(&attempt),
            &sha256_hex(&code),
            now,
            now + CODE_VALID,
        )
        .await
        .or_internal("store attempt")?;
        tx.commit().await.or_internal("commit")?;
        self.set_cookie(SETUP_COOKIE, &attempt, Some(VERIFIED_VALID));
        Ok((attempt, code))
    }

    async fn mail_code(
        &self,
        user: &UserRecord,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let (subject, body) = templates::verification_code(code);
        self.state
            .mailer
            .send(&self.state.db, now, &user.email, &subject, &body)
            .await
            .or_internal("send code")?;
        Ok(())
    }

    fn started(&self, user: &UserRecord, link: &SetupTokenRecord, attempt: String) -> SetupStarted {
        SetupStarted {
            attempt,
            login_id: user.login_id.clone(),
            sent_to: EmailAddress::parse(&user.email)
                .map(|e| e.masked())
                .unwrap_or_default(),
            is_reset: link.purpose == "reset",
        }
    }
}
#[async_trait::async_trait]
impl SetupApi for RequestBackend {
    async fn setup_begin(&self, token: String) -> Result<SetupStarted, AppError> {
        self.rate_limit("link").await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let link = auth::setup_token_by_hash(&mut tx, &sha256_hex(token.trim()))
            .await
            .or_internal("load link")?;
        let (link, user) = usable_link(&mut tx, link, now).await?;
        // The same link opened again in this browser (a reload, a second tab) continues the
        // attempt already under way instead of sending another code.
        if let Some(open) = self.browser_attempt(&mut tx).await? {
            if open.token_id == link.id && is_open(&open, now) {
                drop(tx);
                let token = self.cookie(SETUP_COOKIE).unwrap_or_default().to_string();
                return Ok(self.started(&user, &link, token));
            }
        }
        let (attempt, code) = self.new_attempt(tx, &link, now).await?;
        self.mail_code(&user, &code, now).await?;
        Ok(self.started(&user, &link, attempt))
    }

    /// 送信し直す: a new 検証コード for the link this browser opened.
    async fn setup_resend(&self) -> Result<SetupStarted, AppError> {
        self.rate_limit("link").await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let current = self
            .browser_attempt(&mut tx)
            .await?
            .filter(|a| a.verified_at.is_none())
            .ok_or(AppError::AttemptExpired)?;
        let link = auth::setup_token(&mut tx, current.token_id)
            .await
            .or_internal("load link")?;
        let (link, user) = usable_link(&mut tx, link, now).await?;
        let (attempt, code) = self.new_attempt(tx, &link, now).await?;
        self.mail_code(&user, &code, now).await?;
        Ok(self.started(&user, &link, attempt))
    }

    /// Where this browser's attempt stands, after a reload or in a second tab: the code step, or
    /// the password step when the code was verified.
    async fn setup_resume(&self) -> Result<SetupProgress, AppError> {
        let now = self.now();
        let mut conn = self.conn().await?;
        let attempt = self
            .browser_attempt(&mut conn)
            .await?
            .filter(|a| a.completed_at.is_none() && !a.voided)
            .ok_or(AppError::AttemptExpired)?;
        let (link, user) = link_and_user(&mut conn, &attempt).await?;
        if user.disabled {
            return Err(AppError::LinkInvalid);
        }
        let token = self.cookie(SETUP_COOKIE).unwrap_or_default().to_string();
        let verified = match attempt.verified_at {
            Some(at) if now - at < VERIFIED_VALID => Some(verified_for(&user)),
            Some(_) => return Err(AppError::AttemptExpired),
            None if is_open(&attempt, now) && is_usable(&link, now) => None,
            None => return Err(closed_attempt_error(&link, now)),
        };
        Ok(SetupProgress {
            started: self.started(&user, &link, token),
            verified,
        })
    }

    async fn setup_verify(&self, form: VerifyCodeForm) -> Result<SetupVerified, AppError> {
        self.rate_limit("link").await?;
        let code: OneTimeCode = form.validate().map_err(AppError::Validation)?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let attempt = auth::attempt_by_hash(&mut tx, &sha256_hex(&form.attempt))
            .await
            .or_internal("load attempt")?
            .filter(|a| is_open(a, now))
            .ok_or(AppError::AttemptExpired)?;
        let tries = auth::claim_attempt_try(&mut tx, attempt.id, CODE_MAX_TRIES)
            .await
            .or_internal("claim try")?
            .ok_or(AppError::AttemptExpired)?;
        if !same_hash(&attempt.code_hash, &sha256_hex(code.as_str())) {
            tx.commit().await.or_internal("commit")?;
            return Err(if tries >= CODE_MAX_TRIES {
                AppError::AttemptExpired
            } else {
                AppError::field("code", FieldError::CodeRejected)
            });
        }
        let link = auth::setup_token(&mut tx, attempt.token_id)
            .await
            .or_internal("load link")?
            .ok_or(AppError::LinkInvalid)?;
        if now >= link.expires_at
            || !auth::use_setup_token(&mut tx, link.id, now)
                .await
                .or_internal("use link")?
        {
            return Err(AppError::LinkInvalid);
        }
        auth::attempt_verified(&mut tx, attempt.id, now)
            .await
            .or_internal("verify attempt")?;
        let user = users::by_id(&mut tx, link.user_id)
            .await
            .or_internal("load user")?
            .ok_or(AppError::LinkInvalid)?;
        let change = Change::user(user.id, "email_verified", None, Some(user.email.clone()));
        audit::record(&mut tx, now, Actor::user(user.id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        Ok(verified_for(&user))
    }

    async fn setup_password(&self, form: SetPasswordForm) -> Result<SessionInfo, AppError> {
        self.rate_limit("link").await?;
        let now = self.now();
        let mut conn = self.conn().await?;
        let attempt = auth::attempt_by_hash(&mut conn, &sha256_hex(&form.attempt))
            .await
            .or_internal("load attempt")?
            .filter(|a| {
                a.completed_at.is_none() && a.verified_at.is_some_and(|v| now - v < VERIFIED_VALID)
            })
            .ok_or(AppError::AttemptExpired)?;
        let (link, user) = link_and_user(&mut conn, &attempt).await?;
        let password = form
            .validate(&user.login_id, &user.email)
            .map_err(AppError::Validation)?;
        // The mailbox alone must not replace a second factor the user enrolled (ASVS 5.0 6.4.3):
        // a reset of such an account also needs the authenticator's code or a recovery code.
        if user.totp_secret.is_some() {
            let throttled = throttle::state(&mut conn, &user.login_id, &self.source())
                .await
                .or_internal("load throttle")?;
            refuse_if_throttled(throttled.as_ref(), now)?;
            if let Some(until) = user.locked_until.filter(|&until| until > now) {
                return Err(AppError::AccountLocked {
                    until: crate::clock::to_jst_rfc3339(until),
                });
            }
            let factor = SecondFactor::parse(&form.second_factor)
                .map_err(|e| AppError::field("second_factor", e))?;
            if !self.check_authenticator(&mut conn, &user, &factor).await? {
                drop(conn);
                let failure = self
                    .count_failure(&user.login_id, Failure::Code(&user))
                    .await?;
                return Err(match failure {
                    AppError::AccountLocked { .. } => failure,
                    _ => AppError::field("second_factor", FieldError::CodeRejected),
                });
            }
        }
        drop(conn);
        let secret = password.expose().to_string();
        let hash = tokio::task::spawn_blocking(move || hash_password(&secret))
            .await
            .or_internal("hash")?;
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        if !auth::attempt_completed(&mut tx, attempt.id, now)
            .await
            .or_internal("complete attempt")?
        {
            return Err(AppError::AttemptExpired);
        }
        users::set_password_hash(&mut tx, user.id, &hash)
            .await
            .or_internal("set password")?;
        users::clear_failures(&mut tx, user.id)
            .await
            .or_internal("clear failures")?;
        throttle::clear_all(&mut tx, &user.login_id)
            .await
            .or_internal("clear throttle")?;
        // A new password ends every session that the old one opened.
        auth::delete_user_sessions(&mut tx, user.id)
            .await
            .or_internal("end sessions")?;
        let field = if link.purpose == "reset" {
            "password_reset"
        } else {
            "password_set"
        };
        let change = Change::user(user.id, field, None, None);
        audit::record(&mut tx, now, Actor::user(user.id), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        self.set_cookie(SETUP_COOKIE, "", Some(TimeDelta::zero()));
        // The mailbox was just proven, so this browser counts as known.
        self.remember_browser(user.id).await?;
        let caller = self.start_session(user.id).await?;
        self.session_info_of(&caller).await
    }

    async fn totp_begin(&self) -> Result<TotpEnrolment, AppError> {
        let caller = self.require_session().await?;
        // Replacing an enrolled app would let a stolen session remove the second factor; a lost
        // app is reset by an administrator or the user's municipality/prefecture (reset_totp).
        if caller.user.totp_secret.is_some() {
            return Err(AppError::Forbidden);
        }
        let secret = totp::new_secret();
        let mut conn = self.conn().await?;
        let sealed = self.state.secrets.seal_totp(caller.user.id, &secret);
        users::set_totp_pending(&mut conn, caller.user.id, &sealed)
            .await
            .or_internal("store secret")?;
        let uri = totp::otpauth_uri(&secret, &caller.user.login_id);
        let qr = qrcode::QrCode::new(uri.as_bytes()).or_internal("qr")?;
        let svg = qr
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .build();
        let grouped = secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(TotpEnrolment {
            secret: grouped,
            otpauth_uri: uri,
            qr_svg_data_uri: format!(
                "data:image/svg+xml;base64,{}",
                data_encoding::BASE64.encode(svg.as_bytes())
            ),
            required: caller.user.requires_totp(),
        })
    }

    async fn totp_confirm(&self, code: String) -> Result<Vec<String>, AppError> {
        let caller = self.require_session().await?;
        if caller.user.totp_secret.is_some() {
            return Err(AppError::Forbidden);
        }
        let code = OneTimeCode::parse(&code).map_err(|e| AppError::field("code", e))?;
        let now = self.now();
        let sealed = caller
            .user
            .totp_pending_secret
            .clone()
            .ok_or(AppError::AttemptExpired)?;
        let secret = self
            .state
            .secrets
            .open_totp(caller.user.id, &sealed)
            .ok_or(AppError::AttemptExpired)?;
        let step = totp::verify(&secret, code.as_str(), now, 0)
            .ok_or_else(|| AppError::field("code", FieldError::CodeRejected))?;
        let codes: Vec<String> = (0..10).map(|_| recovery_code()).collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| sha256_hex(&c.replace('-', "")))
            .collect();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        users::confirm_totp(&mut tx, caller.user.id, &sealed, step)
            .await
            .or_internal("confirm totp")?;
        auth::replace_recovery_codes(&mut tx, caller.user.id, &hashes)
            .await
            .or_internal("store recovery codes")?;
        let change = Change::user(caller.user.id, "totp", None, Some("enrolled".into()));
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        Ok(codes)
    }

    async fn totp_skip(&self) -> Result<SessionInfo, AppError> {
        let caller = self.require_session().await?;
        if caller.user.requires_totp() {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        users::set_totp_offered(&mut tx, caller.user.id)
            .await
            .or_internal("decline totp")?;
        let change = Change::user(caller.user.id, "totp", None, Some("declined".into()));
        audit::record(&mut tx, self.now(), caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        self.refreshed_info().await
    }

    async fn current_policy(&self) -> Result<PrivacyPolicy, AppError> {
        self.require_session().await?;
        let mut conn = self.conn().await?;
        let current = policy::current(&mut conn)
            .await
            .or_internal("load policy")?;
        Ok(PrivacyPolicy {
            version: current.version,
            body_ja: current.body_ja,
            body_en: current.body_en,
            published_at: crate::clock::to_jst_rfc3339(current.published_at),
        })
    }

    async fn give_consent(&self, version: i64) -> Result<SessionInfo, AppError> {
        let caller = self.require_session().await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let current = policy::current(&mut tx).await.or_internal("load policy")?;
        if version != current.version {
            return Err(AppError::field("version", FieldError::InvalidChoice));
        }
        policy::consent(&mut tx, caller.user.id, version, now)
            .await
            .or_internal("consent")?;
        let change = Change::user(
            caller.user.id,
            "consent_version",
            Some(caller.user.consent_version.to_string()),
            Some(version.to_string()),
        );
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        self.refreshed_info().await
    }

    async fn publish_policy(&self, body_ja: String, body_en: String) -> Result<i64, AppError> {
        let caller = self.authorize(&[Role::Admin], Scope::Own).await?;
        let (body_ja, body_en) = (
            app::text::multi_line(&body_ja),
            app::text::multi_line(&body_en),
        );
        if body_ja.trim().is_empty() {
            return Err(AppError::field("body_ja", FieldError::Required));
        }
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let version = policy::publish(&mut tx, body_ja.trim(), body_en.trim(), now)
            .await
            .or_internal("publish")?;
        let change = Change {
            entity: "privacy_policy",
            entity_id: version.to_string(),
            field: "published",
            old_value: None,
            new_value: Some(body_ja),
        };
        audit::record(&mut tx, now, caller.actor(), change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        Ok(version)
    }
}

/// The link an attempt was opened from, and the user it was issued to; a link or user that
/// no longer exists reads as an invalid link.
async fn link_and_user(
    conn: &mut sqlx::AnyConnection,
    attempt: &AttemptRecord,
) -> Result<(SetupTokenRecord, UserRecord), AppError> {
    let link = auth::setup_token(conn, attempt.token_id)
        .await
        .or_internal("load link")?
        .ok_or(AppError::LinkInvalid)?;
    let user = users::by_id(conn, link.user_id)
        .await
        .or_internal("load user")?
        .ok_or(AppError::LinkInvalid)?;
    Ok((link, user))
}

/// True while an attempt's code may still be entered.
fn is_open(attempt: &AttemptRecord, now: DateTime<Utc>) -> bool {
    !attempt.voided
        && attempt.verified_at.is_none()
        && attempt.tries < CODE_MAX_TRIES
        && now < attempt.code_expires_at
}

/// What the password step needs to know about the user.
fn verified_for(user: &UserRecord) -> SetupVerified {
    SetupVerified {
        login_id: user.login_id.clone(),
        email: user.email.clone(),
        needs_second_factor: user.totp_secret.is_some(),
    }
}

/// True while a link can still be opened: unused, not voided, not expired.
fn is_usable(link: &SetupTokenRecord, now: DateTime<Utc>) -> bool {
    link.used_at.is_none() && !link.voided && now < link.expires_at
}

/// The link, if still usable, with its user, if still active; else [`AppError::LinkInvalid`].
async fn usable_link(
    conn: &mut sqlx::AnyConnection,
    link: Option<SetupTokenRecord>,
    now: DateTime<Utc>,
) -> Result<(SetupTokenRecord, UserRecord), AppError> {
    let link = link
        .filter(|t| is_usable(t, now))
        .ok_or(AppError::LinkInvalid)?;
    let user = users::by_id(conn, link.user_id)
        .await
        .or_internal("load user")?
        .filter(|u| !u.disabled)
        .ok_or(AppError::LinkInvalid)?;
    Ok((link, user))
}

/// The error for an attempt that can no longer take its code: [`AppError::LinkInvalid`] when the
/// link itself is gone, else [`AppError::AttemptExpired`] (a new code can be asked for).
fn closed_attempt_error(link: &SetupTokenRecord, now: DateTime<Utc>) -> AppError {
    if is_usable(link, now) {
        AppError::AttemptExpired
    } else {
        AppError::LinkInvalid
    }
}
