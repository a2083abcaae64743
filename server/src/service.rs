//! The implementation of every server function: [`RequestBackend`] is built per request with
//! the caller's cookies and address, checks role and scope, and calls the repository functions.
//!
//! One file per area, named as the area's file of server function declarations in
//! `app/src/api/`; each implements that area's trait (`app::api::LoginApi` in `login.rs`, …)
//! directly on [`RequestBackend`]. This file holds what every area shares: the caller, the
//! session, cookies and rate limits.

mod access;
mod accounts;
mod allocation;
mod audit;
mod billing;
mod bookings;
mod change_requests;
mod delivery;
mod doctors;
mod finder;
mod inquiries;
mod knowledge;
mod links;
mod login;
mod master_names;
mod notices;
mod org;
mod out_of_area;
mod outbox;
mod place_names;
mod records;
mod reports;
mod reservation;
mod setup;
mod site_record;
mod stock;
mod suppliers;
mod supply;

use crate::db::audit::Actor;
use crate::db::auth::SessionRecord;
use crate::db::users::UserRecord;
use crate::db::{auth, policy, throttle, users};
use crate::security::sha256_hex;
use crate::state::AppState;
use app::api::{SessionInfo, SiteRef};
use app::domain::Role;
use app::error::{AppError, OnboardingStep};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

pub use access::Scope;
pub use allocation::{allocation_table, save_allocation_table};
pub use bookings::erase_expired as erase_expired_bookings;
pub use knowledge::{answer as chatbot_answer, ANSWER_COVERAGE};
pub use master_names::MasterNames;
pub use reports::report_page;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "vsys_session";
/// Name of the cookie that marks a browser the user has verified before.
pub const DEVICE_COOKIE: &str = "vsys_device";
/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// A session's activity is recorded at most this often (the idle timeout counts from the last
/// recorded activity, so it ends up to this much earlier than a per-request count would).
pub const TOUCH_AFTER: TimeDelta = TimeDelta::minutes(1);
/// A session ends this long after login, however active.
pub const ABSOLUTE_TIMEOUT: TimeDelta = TimeDelta::hours(12);
/// One-time links are valid this long.
pub const LINK_VALID: TimeDelta = TimeDelta::hours(24);
/// E-mailed codes are valid this long.
pub const CODE_VALID: TimeDelta = TimeDelta::minutes(10);
/// The window of the request rate limits.
const RATE_WINDOW: TimeDelta = TimeDelta::minutes(1);
/// Rate windows and login throttles older than this are dropped now and then.
const THROTTLE_KEPT: TimeDelta = TimeDelta::days(1);
/// Wrong codes allowed per attempt.
pub const CODE_MAX_TRIES: i64 = 5;

/// Logs an internal error with context and turns it into [`AppError::Internal`], so no SQL or
/// internal text reaches the browser.
pub trait OrInternal<T> {
    /// See the trait.
    fn or_internal(self, context: &'static str) -> Result<T, AppError>;
}

impl<T, E: std::fmt::Display> OrInternal<T> for Result<T, E> {
    fn or_internal(self, context: &'static str) -> Result<T, AppError> {
        self.map_err(|error| {
            tracing::error!(%error, context, "internal error");
            AppError::Internal
        })
    }
}

/// Cookies and other response changes a server function asks for.
#[derive(Debug, Default)]
pub struct ResponseChanges {
    /// `Set-Cookie` header values.
    pub set_cookies: Vec<String>,
}

/// Where a request comes from.
#[derive(Debug, Clone)]
pub struct RequestClient {
    /// The address of the TCP peer (a trusted proxy, or the client itself).
    pub peer: IpAddr,
    /// The client's address: the peer, or what a trusted proxy forwarded.
    pub ip: IpAddr,
    /// The `Host` header, as sent.
    pub host: Option<String>,
}

/// The backend for one request.
pub struct RequestBackend {
    state: AppState,
    ip: IpAddr,
    client: RequestClient,
    cookies: HashMap<String, String>,
    response: Arc<Mutex<ResponseChanges>>,
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user: UserRecord,
    /// The user's role.
    pub role: Role,
    /// Hash of the session token.
    pub session_hash: String,
    /// The session.
    pub session: SessionRecord,
}

impl Caller {
    /// Who to record in the audit log.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            acting_for_site_id: self.session.acting_for_site_id,
        }
    }
}

impl RequestBackend {
    /// A backend for a request from `client` carrying the `Cookie` header `cookie_header`.
    pub fn new(
        state: AppState,
        client: RequestClient,
        cookie_header: Option<&str>,
        response: Arc<Mutex<ResponseChanges>>,
    ) -> Self {
        let cookies = cookie_header
            .unwrap_or_default()
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self {
            state,
            ip: client.ip,
            client,
            cookies,
            response,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn set_cookie(&self, name: &str, value: &str, max_age: Option<TimeDelta>) {
        let secure = if self.state.config.is_https() {
            "; Secure"
        } else {
            ""
        };
        let age = max_age
            .map(|a| format!("; Max-Age={}", a.num_seconds()))
            .unwrap_or_default();
        let header = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}{age}");
        self.response
            .lock()
            .expect("response lock")
            .set_cookies
            .push(header);
    }

    /// The source this request is throttled as (the client address, an IPv6 client's /64).
    fn source(&self) -> String {
        crate::security::throttle_source(self.ip)
    }

    /// Counts a request of the client's address in `bucket` (login, reset, link), in the
    /// database so that every server process counts it; refuses past the configured limit.
    async fn rate_limit(&self, bucket: &'static str) -> Result<(), AppError> {
        let limit = self.state.config.auth_rate_limit_per_minute;
        self.count_in_window(bucket, &format!("ip:{}", self.source()), limit)
            .await
    }

    /// Counts a request for the account `login_key` in `bucket`, from every address together.
    /// Unknown user names are counted the same, so the answer tells nothing about existence.
    async fn account_rate_limit(
        &self,
        bucket: &'static str,
        login_key: &str,
    ) -> Result<(), AppError> {
        let limit = self.state.config.account_rate_limit_per_minute;
        self.count_in_window(bucket, &format!("id:{login_key}"), limit)
            .await
    }

    /// Counts one request of `subject` in a fixed window of [`RATE_WINDOW`];
    /// `TooManyRequests` once more than `limit` were counted in the window.
    async fn count_in_window(
        &self,
        bucket: &'static str,
        subject: &str,
        limit: u32,
    ) -> Result<(), AppError> {
        let now = self.now();
        let window_start = now
            .duration_trunc(RATE_WINDOW)
            .or_internal("start of the rate window")?;
        let mut conn = self.conn().await?;
        let hits = throttle::hit(&mut conn, bucket, subject, window_start)
            .await
            .or_internal("count request")?;
        // Now and then, drop windows and throttles a day old, so the tables stay small.
        if crate::security::random_bytes::<1>()[0] == 0 {
            throttle::prune(&mut conn, now - THROTTLE_KEPT)
                .await
                .or_internal("prune throttles")?;
        }
        if hits > i64::from(limit) {
            return Err(AppError::TooManyRequests {
                retry_after_secs: (window_start + RATE_WINDOW - now).num_seconds().max(1) as u64,
            });
        }
        Ok(())
    }

    /// A pooled connection.
    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, AppError> {
        self.state.db.pool.acquire().await.or_internal("acquire")
    }

    /// The caller, if the request carries a live session. Expired sessions are deleted.
    async fn current(&self) -> Result<Option<Caller>, AppError> {
        let Some(token) = self.cookie(SESSION_COOKIE) else {
            return Ok(None);
        };
        let session_hash = sha256_hex(token);
        let now = self.now();
        let mut conn = self.conn().await?;
        let Some(session) = auth::session(&mut conn, &session_hash)
            .await
            .or_internal("load session")?
        else {
            return Ok(None);
        };
        let idle = now - session.last_seen_at > IDLE_TIMEOUT;
        let too_old = now - session.created_at > ABSOLUTE_TIMEOUT;
        let user = users::by_id(&mut conn, session.user_id)
            .await
            .or_internal("load user")?;
        let user = match user {
            Some(user) if !idle && !too_old && !user.disabled => user,
            _ => {
                auth::delete_session(&mut conn, &session_hash)
                    .await
                    .or_internal("end session")?;
                return Ok(None);
            }
        };
        // A write on every request would queue each read behind the writers (SQLite has one);
        // the idle timeout needs activity to the minute, not to the request.
        if now - session.last_seen_at >= TOUCH_AFTER {
            auth::touch_session(&mut conn, &session_hash, now)
                .await
                .or_internal("touch session")?;
        }
        let role = user.role;
        Ok(Some(Caller {
            user,
            role,
            session_hash,
            session,
        }))
    }

    /// The caller, or [`AppError::Unauthenticated`]; first-login steps may be unfinished.
    async fn require_session(&self) -> Result<Caller, AppError> {
        self.current().await?.ok_or(AppError::Unauthenticated)
    }

    /// The caller with every first-login step done and one of `roles`.
    async fn require_role(&self, roles: &[Role]) -> Result<Caller, AppError> {
        let caller = self.require_session().await?;
        if let Some(step) = self.onboarding_step(&caller.user).await? {
            return Err(AppError::OnboardingRequired(step));
        }
        if !roles.contains(&caller.role) {
            return Err(AppError::Forbidden);
        }
        Ok(caller)
    }

    async fn onboarding_step(&self, user: &UserRecord) -> Result<Option<OnboardingStep>, AppError> {
        if user.totp_secret.is_none() && (user.requires_totp() || !user.totp_offered) {
            return Ok(Some(OnboardingStep::Totp));
        }
        let mut conn = self.conn().await?;
        let current = policy::current(&mut conn)
            .await
            .or_internal("load policy")?;
        if user.consent_version < current.version {
            return Ok(Some(OnboardingStep::Consent));
        }
        Ok(None)
    }

    async fn session_info_of(&self, caller: &Caller) -> Result<SessionInfo, AppError> {
        let user = &caller.user;
        let mut conn = self.conn().await?;
        let site_ref = |site: crate::db::master::SiteRecord| SiteRef {
            id: site.id,
            name: site.name,
        };
        let own_site = match user.site_id {
            Some(id) => crate::db::master::site(&mut conn, id)
                .await
                .or_internal("load site")?
                .map(site_ref),
            None => None,
        };
        let acting_for = match caller.session.acting_for_site_id {
            Some(id) => crate::db::master::site(&mut conn, id)
                .await
                .or_internal("load site")?
                .map(site_ref),
            None => None,
        };
        drop(conn);
        // National and admin users belong to no organisation beyond their role's name.
        let organisation = user.organisation.clone().unwrap_or_default();
        Ok(SessionInfo {
            user_id: user.id,
            login_id: user.login_id.clone(),
            display_name: user.display_name.clone(),
            role: caller.role,
            organisation,
            own_site,
            acting_for,
            onboarding: self.onboarding_step(user).await?,
            totp_enrolled: user.totp_secret.is_some(),
            prefecture_code: user.region_prefecture.and_then(|p| u8::try_from(p).ok()),
            municipality_code: user.region_municipality.clone(),
        })
    }

    /// Reloads the caller after a change to the user or the session.
    async fn refreshed_info(&self) -> Result<SessionInfo, AppError> {
        let caller = self.require_session().await?;
        self.session_info_of(&caller).await
    }
}

/// Each area's trait is implemented in the service file of the same name.
impl app::backend::Backend for RequestBackend {}
