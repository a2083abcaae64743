//! The first login (and resets): link → 検証コード → 新しいパスワード → authenticator app →
//! consent to the privacy policy.

use super::{OrInternal, RequestBackend, Scope, CODE_MAX_TRIES, CODE_VALID_SECS};
use crate::db::audit::{self, Actor, Change};
use crate::db::{auth, policy, users};
use crate::mail::templates;
use crate::security::{
    hash_password, random_token, recovery_code, same_hash, sha256_hex, six_digit_code, totp,
};
use app::api::{
    PrivacyPolicy, SessionInfo, SetPasswordForm, SetupStarted, SetupVerified, TotpEnrolment,
    VerifyCodeForm,
};
use app::domain::{EmailAddress, OneTimeCode, Role};
use app::error::{AppError, FieldError};

/// A verified attempt may set the password for this long.
const VERIFIED_VALID_SECS: i64 = 30 * 60;

impl RequestBackend {
    pub(super) async fn setup_begin(&self, token: String) -> Result<SetupStarted, AppError> {
        self.rate_limit("link")?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let link = auth::setup_token_by_hash(&mut tx, &sha256_hex(token.trim()))
            .await
            .or_internal("load link")?
            .filter(|t| t.used_at.is_none() && t.voided == 0 && now < t.expires_at)
            .ok_or(AppError::LinkInvalid)?;
        let user = users::by_id(&mut tx, link.user_id)
            .await
            .or_internal("load user")?
            .filter(|u| u.disabled == 0)
            .ok_or(AppError::LinkInvalid)?;
        let attempt = random_token();
        let code = six_digit_code();
        auth::insert_attempt(
            &mut tx,
            link.id,
            &sha256_hex(&attempt),
            &sha256_hex(&code),
            now,
            now + CODE_VALID_SECS,
        )
        .await
        .or_internal("store attempt")?;
        tx.commit().await.or_internal("commit")?;
        let (subject, body) = templates::verification_code(&code);
        self.state
            .mailer
            .send(&self.state.db, now, &user.email, &subject, &body)
            .await
            .or_internal("send code")?;
        Ok(SetupStarted {
            attempt,
            login_id: user.login_id,
            sent_to: EmailAddress::parse(&user.email)
                .map(|e| e.masked())
                .unwrap_or_default(),
            is_reset: link.purpose == "reset",
        })
    }

    pub(super) async fn setup_verify(
        &self,
        form: VerifyCodeForm,
    ) -> Result<SetupVerified, AppError> {
        self.rate_limit("link")?;
        let code: OneTimeCode = form.validate().map_err(AppError::Validation)?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let attempt = auth::attempt_by_hash(&mut tx, &sha256_hex(&form.attempt))
            .await
            .or_internal("load attempt")?
            .filter(|a| {
                a.voided == 0
                    && a.verified_at.is_none()
                    && a.tries < CODE_MAX_TRIES
                    && now < a.code_expires_at
            })
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
        Ok(SetupVerified {
            login_id: user.login_id,
            email: user.email,
        })
    }

    pub(super) async fn setup_password(
        &self,
        form: SetPasswordForm,
    ) -> Result<SessionInfo, AppError> {
        self.rate_limit("link")?;
        let now = self.now();
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
        let attempt = auth::attempt_by_hash(&mut conn, &sha256_hex(&form.attempt))
            .await
            .or_internal("load attempt")?
            .filter(|a| {
                a.completed_at.is_none()
                    && a.verified_at.is_some_and(|v| now - v < VERIFIED_VALID_SECS)
            })
            .ok_or(AppError::AttemptExpired)?;
        let link = auth::setup_token(&mut conn, attempt.token_id)
            .await
            .or_internal("load link")?
            .ok_or(AppError::LinkInvalid)?;
        let user = users::by_id(&mut conn, link.user_id)
            .await
            .or_internal("load user")?
            .ok_or(AppError::LinkInvalid)?;
        drop(conn);
        let password = form
            .validate(&user.login_id, &user.email)
            .map_err(AppError::Validation)?;
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
        // The mailbox was just proven, so this browser counts as known.
        self.remember_browser(user.id).await?;
        let caller = self.start_session(user.id).await?;
        self.session_info_of(&caller).await
    }

    pub(super) async fn totp_begin(&self) -> Result<TotpEnrolment, AppError> {
        let caller = self.require_session().await?;
        // Replacing an enrolled app would let a stolen session remove the second factor; a lost
        // app is reset by an administrator or the user's municipality/prefecture (reset_totp).
        if caller.user.totp_secret.is_some() {
            return Err(AppError::Forbidden);
        }
        let secret = totp::new_secret();
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
        users::set_totp_pending(&mut conn, caller.user.id, &secret)
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
            required: caller.role.requires_totp(),
        })
    }

    pub(super) async fn totp_confirm(&self, code: String) -> Result<Vec<String>, AppError> {
        let caller = self.require_session().await?;
        if caller.user.totp_secret.is_some() {
            return Err(AppError::Forbidden);
        }
        let code = OneTimeCode::parse(&code).map_err(|e| AppError::field("code", e))?;
        let now = self.now();
        let secret = caller
            .user
            .totp_pending_secret
            .clone()
            .ok_or(AppError::AttemptExpired)?;
        let step = totp::verify(&secret, code.as_str(), now, 0)
            .ok_or_else(|| AppError::field("code", FieldError::CodeRejected))?;
        let codes: Vec<String> = (0..10).map(|_| recovery_code()).collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| sha256_hex(&c.replace('-', "")))
            .collect();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        users::confirm_totp(&mut tx, caller.user.id, &secret, step)
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

    pub(super) async fn totp_skip(&self) -> Result<SessionInfo, AppError> {
        let caller = self.require_session().await?;
        if caller.role.requires_totp() {
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

    pub(super) async fn current_policy(&self) -> Result<PrivacyPolicy, AppError> {
        self.require_session().await?;
        let mut conn = self.state.db.pool.acquire().await.or_internal("acquire")?;
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

    pub(super) async fn give_consent(&self, version: i64) -> Result<SessionInfo, AppError> {
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

    pub(super) async fn publish_policy(
        &self,
        body_ja: String,
        body_en: String,
    ) -> Result<i64, AppError> {
        let caller = self.authorize(&[Role::Admin], Scope::Own).await?;
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
