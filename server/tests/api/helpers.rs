//! The test harness.
//!
//! [`spawn_app`] starts the real server in-process on `127.0.0.1:0` against a fresh database
//! (chosen by `VSYS_TEST_DB`: unset or `sqlite` for a new SQLite file in a temporary folder,
//! `postgres` for a new database on the server at `VSYS_TEST_PG_ADMIN_URL`, by default
//! `postgres://127.0.0.1:5432/postgres`), with mail kept in the database outbox and a
//! [`ManualClock`] that tests move to check expiry rules to the second.
//!
//! A [`TestClient`] is one browser: its own cookie jar, posting JSON to `/api/…` as the
//! frontend does. The `TestApp` methods log demo users in (answering the authenticator or
//! e-mailed-code step), read mail from the outbox and walk the first-login flow.

use app::api::{LoginOutcome, SessionInfo, SetupStarted, SetupVerified};
use app::error::AppError;
use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use server::clock::{Clock, ManualClock};
use server::config::{Config, MailConfig};
use server::security::totp;
use server::state::AppState;
use sqlx::AnyPool;
use std::path::PathBuf;
use std::sync::{Arc, Once};

pub use server::seed::DEMO_PASSWORD;

/// A password that passes the password rules for every test user.
pub const NEW_PASSWORD: &str = "a long and unusual pass phrase";

/// How long the outbox is polled for a mail that is sent in a background task.
const MAIL_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The instant every test's clock starts at (2026-04-01 09:00 JST).
pub fn start_instant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap()
}

/// A running server with its state, its clock and the database it owns.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`, also the configured public URL.
    pub address: String,
    /// The server's state (the database pool is `state.db.pool`).
    pub state: AppState,
    /// The clock the server reads; [`TestApp::advance`] moves it.
    pub clock: ManualClock,
    cleanup: Cleanup,
}

/// What to remove when the test ends.
enum Cleanup {
    /// The temporary folder of the SQLite file.
    SqliteDir(PathBuf),
    /// The test database on the PostgreSQL server.
    Postgres { admin_url: String, database: String },
}

impl Drop for TestApp {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres {
                admin_url,
                database,
            } => {
                // Drop runs inside the test's runtime: use a thread with a runtime of its own.
                let admin_url = admin_url.clone();
                let sql = format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    runtime.block_on(async move {
                        use sqlx::{Connection, Executor};
                        let mut conn = sqlx::postgres::PgConnection::connect(&admin_url).await?;
                        conn.execute(sql.as_str()).await?;
                        conn.close().await
                    })
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("warning: could not drop the test database {database}");
                }
            }
        }
    }
}

/// Starts a server on a fresh database with the test configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts a server on a fresh database after `configure` has adjusted the test configuration
/// (for example a low `auth_rate_limit_per_minute`).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    init_logging();
    let (database_url, cleanup) = fresh_database().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let bind = listener.local_addr().expect("local address");
    let address = format!("http://{bind}");
    let mut config = Config {
        database_url,
        bind,
        public_url: address.clone(),
        dist_dir: std::env::temp_dir().join("vsys-test-no-frontend"),
        mail: MailConfig::Outbox,
        mail_from: "V-SYS <noreply@vsys.example.jp>".into(),
        auth_rate_limit_per_minute: 10_000,
        account_rate_limit_per_minute: 10_000,
        dev_outbox: false,
        totp_key: server::security::SecretKey::random(),
        trusted_proxies: Vec::new(),
        booking_retention_days: 90,
        // The retention job runs often, so a test that moves the clock sees it act at once.
        retention_check_every: std::time::Duration::from_millis(50),
    };
    configure(&mut config);
    let clock = ManualClock::new(start_instant());
    let state = server::build_state(config, Arc::new(clock.clone()))
        .await
        .expect("build the server state");
    tokio::spawn(server::serve(listener, state.clone()));
    TestApp {
        address,
        state,
        clock,
        cleanup,
    }
}

/// Server logs on stderr when `VSYS_TEST_LOG` is set (an `EnvFilter`, e.g. `debug`).
fn init_logging() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        if let Ok(filter) = std::env::var("VSYS_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

/// A random lower-case hex name part.
fn random_hex() -> String {
    data_encoding::HEXLOWER.encode(&server::security::random_bytes::<8>())
}

/// Creates the database of one test and returns its URL and how to remove it.
async fn fresh_database() -> (String, Cleanup) {
    match std::env::var("VSYS_TEST_DB").ok().as_deref() {
        None | Some("") | Some("sqlite") => {
            let dir = std::env::temp_dir().join(format!("vsys-test-{}", random_hex()));
            std::fs::create_dir_all(&dir).expect("create the temporary folder");
            let url = format!("sqlite://{}", dir.join("vsys.db").display());
            (url, Cleanup::SqliteDir(dir))
        }
        Some("postgres") => {
            use sqlx::{Connection, Executor};
            let admin_url = std::env::var("VSYS_TEST_PG_ADMIN_URL")
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "postgres://127.0.0.1:5432/postgres".into());
            let mut conn = match sqlx::postgres::PgConnection::connect(&admin_url).await {
                Ok(conn) => conn,
                Err(error) => postgres_unreachable(&admin_url, &error),
            };
            let database = format!("vsys_test_{}", random_hex());
            conn.execute(format!("CREATE DATABASE {database}").as_str())
                .await
                .expect("create the test database");
            conn.close().await.expect("close the admin connection");
            let mut url = url::Url::parse(&admin_url).expect("VSYS_TEST_PG_ADMIN_URL is a URL");
            url.set_path(&format!("/{database}"));
            (
                url.to_string(),
                Cleanup::Postgres {
                    admin_url,
                    database,
                },
            )
        }
        Some(other) => panic!("VSYS_TEST_DB must be `sqlite` or `postgres`, not `{other}`"),
    }
}

/// Fails the test loudly: a test run asked for PostgreSQL must never pass without it.
fn postgres_unreachable(admin_url: &str, error: &sqlx::Error) -> ! {
    let message = format!(
        "VSYS_TEST_DB=postgres but PostgreSQL is unreachable at {admin_url}: {error}. \
         Start it (e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start`) or set \
         VSYS_TEST_PG_ADMIN_URL."
    );
    if std::env::var_os("CI").is_some() {
        panic!("CI: {message}");
    }
    eprintln!("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    eprintln!("!!! WARNING: {message}");
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
    panic!("{message}");
}

/// One mail from the development outbox.
#[derive(Debug, Clone)]
pub struct Mail {
    /// Its id (increasing).
    pub id: i64,
    /// Subject with the 【V-SYS】 prefix.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

impl Mail {
    /// The token of the `/setup?token=…` link in the body.
    pub fn link_token(&self) -> String {
        let start = self
            .body
            .find("/setup?token=")
            .unwrap_or_else(|| panic!("no setup link in mail: {}", self.body))
            + "/setup?token=".len();
        self.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect()
    }

    /// The six digits after `label` (e.g. `検証コード: `) in the body.
    pub fn code_after(&self, label: &str) -> String {
        let start = self
            .body
            .find(label)
            .unwrap_or_else(|| panic!("no {label:?} in mail: {}", self.body))
            + label.len();
        let code: String = self.body[start..].chars().take(6).collect();
        assert!(
            code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
            "not a six-digit code after {label:?}: {code:?}"
        );
        code
    }

    /// The 検証コード of a verification-code mail.
    pub fn verification_code(&self) -> String {
        self.code_after("検証コード: ")
    }

    /// The 確認コード of a login-code mail.
    pub fn login_code(&self) -> String {
        self.code_after("確認コード: ")
    }
}

/// The answer to one request: status and body.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// The raw body.
    pub body: String,
}

impl Answer {
    /// Asserts 200 and decodes the body.
    #[track_caller]
    pub fn ok<T: DeserializeOwned>(&self) -> T {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "expected 200, got {}: {}",
            self.status,
            self.body
        );
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("cannot decode the answer ({e}): {}", self.body))
    }

    /// The body as an [`AppError`] (panics when it is not one).
    #[track_caller]
    pub fn error(&self) -> AppError {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not an AppError ({e}), {}: {}", self.status, self.body))
    }

    /// Asserts that the answer is `expected` with its status code.
    #[track_caller]
    pub fn assert_error(&self, expected: AppError) {
        assert_eq!(
            (self.status.as_u16(), self.error()),
            (expected.status_code(), expected.clone()),
            "expected {expected:?}; body: {}",
            self.body
        );
    }

    /// Asserts a 422 with exactly one field error.
    #[track_caller]
    pub fn assert_field_error(&self, field: &str, error: app::error::FieldError) {
        self.assert_error(AppError::field(field, error));
    }
}

/// One browser: a cookie jar and the server's address.
pub struct TestClient {
    http: reqwest::Client,
    jar: Option<Arc<Jar>>,
    base: String,
}

impl TestClient {
    /// Posts `body` as JSON to `/api/{function}`.
    pub async fn call(&self, function: &str, body: Value) -> Answer {
        self.call_with_headers(function, body, HeaderMap::new())
            .await
    }

    /// Posts `body` as JSON to `/api/{function}` with extra headers.
    pub async fn call_with_headers(
        &self,
        function: &str,
        body: Value,
        headers: HeaderMap,
    ) -> Answer {
        let response = self
            .http
            .post(format!("{}/api/{function}", self.base))
            .headers(headers)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /api/{function} failed: {e}"));
        let status = response.status();
        let body = response.text().await.expect("read the body");
        Answer { status, body }
    }

    /// Posts `body` to `/api/{function}` as the app in the browser does: its arguments in
    /// postcard, asking for a postcard answer.
    pub async fn call_compact(&self, function: &str, body: Vec<u8>) -> reqwest::Response {
        let postcard = app::api::protocol::POSTCARD;
        self.http
            .post(format!("{}/api/{function}", self.base))
            .header(reqwest::header::CONTENT_TYPE, postcard)
            .header(reqwest::header::ACCEPT, postcard)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /api/{function} failed: {e}"))
    }

    /// Calls the server function `function` with the method it is registered for: POST with
    /// `args` as JSON, or GET (the public finder's reads) with `args` in the query string.
    pub async fn call_with_method(
        &self,
        method: &http::Method,
        function: &str,
        args: Value,
    ) -> Answer {
        if method == http::Method::GET {
            self.call_get(function, &args).await
        } else {
            self.call(function, args).await
        }
    }

    /// Calls a public read (a GET server function) with `args` in the query string, encoded as
    /// the browser's server-function client encodes them.
    pub async fn call_get(&self, function: &str, args: &Value) -> Answer {
        let response = self.get_response(function, args, HeaderMap::new()).await;
        let status = response.status();
        let body = response.text().await.expect("read the body");
        Answer { status, body }
    }

    /// The whole response (headers too) of a GET server function called with `args` and extra
    /// request headers.
    pub async fn get_response(
        &self,
        function: &str,
        args: &Value,
        headers: HeaderMap,
    ) -> reqwest::Response {
        let query = serde_qs::to_string(args).expect("arguments encode as a query string");
        self.http
            .get(format!("{}/api/{function}?{query}", self.base))
            .headers(headers)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET /api/{function} failed: {e}"))
    }

    /// The whole response (headers too) of a GET of `path` (which starts with `/`).
    pub async fn get_path(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path} failed: {e}"))
    }

    /// Sends a request of any method to `path` (which starts with `/`).
    pub async fn request(&self, method: reqwest::Method, path: &str) -> Answer {
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .send()
            .await
            .expect("send the request");
        let status = response.status();
        let body = response.text().await.expect("read the body");
        Answer { status, body }
    }

    /// The value of a cookie this browser holds for the server, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let jar = self.jar.as_ref()?;
        let url: reqwest::Url = self.base.parse().expect("base URL");
        let header = jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    /// The current session as the server sees it (`None` when not logged in).
    pub async fn session(&self) -> Option<SessionInfo> {
        self.call("current_session", json!({})).await.ok()
    }

    /// 新しいパスワード for a verified attempt: `password`, confirmed.
    pub async fn set_password(&self, attempt: &str, password: &str) -> Answer {
        self.call("setup_password", password_form(attempt, password, password))
            .await
    }

    /// Logs out.
    pub async fn logout(&self) {
        self.call("logout", json!({})).await.ok::<()>();
    }
}

impl TestApp {
    /// A new browser with an empty cookie jar.
    pub fn client(&self) -> TestClient {
        let jar = Arc::new(Jar::default());
        TestClient {
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .build()
                .expect("build the HTTP client"),
            jar: Some(jar),
            base: self.address.clone(),
        }
    }

    /// A client without a cookie jar, sending `cookie` as its `Cookie` header on every request
    /// (to replay a cookie the way an attacker who copied it would).
    pub fn client_with_cookie_header(&self, cookie: &str) -> TestClient {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::COOKIE,
            cookie.parse().expect("a valid header value"),
        );
        TestClient {
            http: reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .expect("build the HTTP client"),
            jar: None,
            base: self.address.clone(),
        }
    }

    /// The database pool.
    pub fn db(&self) -> &AnyPool {
        &self.state.db.pool
    }

    /// Now, as the server sees it, in Unix seconds.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Moves the server's clock forward.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Loads the demo data set (users admin, mhlw, tokyo, chiyoda, minato, site-a, supplier).
    pub async fn load_demo(&self) {
        server::seed::load_demo(&self.state.db, &self.state.secrets, self.now())
            .await
            .expect("load the demo data");
    }

    /// The id of the user `login_id`.
    pub async fn user_id(&self, login_id: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM users WHERE login_id = $1")
            .bind(login_id)
            .fetch_one(self.db())
            .await
            .unwrap_or_else(|e| panic!("no user {login_id}: {e}"))
    }

    /// The e-mail address of the user `login_id`.
    pub async fn email_of(&self, login_id: &str) -> String {
        sqlx::query_scalar("SELECT email FROM users WHERE login_id = $1")
            .bind(login_id)
            .fetch_one(self.db())
            .await
            .unwrap_or_else(|e| panic!("no user {login_id}: {e}"))
    }

    /// The id of the site named `name`.
    pub async fn site_id(&self, name: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM sites WHERE name = $1")
            .bind(name)
            .fetch_one(self.db())
            .await
            .unwrap_or_else(|e| panic!("no site {name}: {e}"))
    }

    /// A cool's 希望量 window and delivery weeks, as stored.
    pub async fn cool_window(&self, cool_id: i64) -> app::domain::CoolWindow {
        let (opens, closes, from, until): (i64, i64, String, String) = sqlx::query_as(
            "SELECT request_opens_at, request_closes_at, delivery_from, delivery_until
             FROM cools WHERE id = $1",
        )
        .bind(cool_id)
        .fetch_one(self.db())
        .await
        .expect("load the cool");
        let moment = |s| DateTime::from_timestamp(s, 0).expect("a stored moment");
        app::domain::CoolWindow {
            opens: moment(opens),
            closes: moment(closes),
            delivery_from: from.parse().expect("a stored date"),
            delivery_until: until.parse().expect("a stored date"),
        }
    }

    /// The number of rows in the audit log.
    pub async fn audit_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(self.db())
            .await
            .expect("count the audit log")
    }

    /// The id of the newest mail in the outbox (0 when empty).
    pub async fn last_mail_id(&self) -> i64 {
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM mail_outbox")
            .fetch_one(self.db())
            .await
            .expect("read the outbox")
    }

    /// The newest mail to `to`, if any.
    pub async fn latest_mail(&self, to: &str) -> Option<Mail> {
        sqlx::query_as::<_, (i64, String, String)>(
            "SELECT id, subject, body FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(to)
        .fetch_optional(self.db())
        .await
        .expect("read the outbox")
        .map(|(id, subject, body)| Mail { id, subject, body })
    }

    /// The newest mail to `to` newer than the mail `after_id`, waiting up to two seconds for it
    /// (some mail is sent in a background task after the answer).
    pub async fn wait_for_mail(&self, to: &str, after_id: i64) -> Mail {
        let deadline = tokio::time::Instant::now() + MAIL_WAIT;
        loop {
            if let Some(mail) = self.latest_mail(to).await.filter(|m| m.id > after_id) {
                return mail;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("no mail to {to} after mail {after_id} within {MAIL_WAIT:?}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The authenticator code of `login_id` that the server accepts now: the first step in the
    /// ±1-step window not used yet. When every step of the window is used, the clock moves on
    /// 30 seconds first (a code works once per user).
    pub async fn totp_code(&self, login_id: &str) -> String {
        let secret = self.totp_secret(login_id).await;
        let last_step: i64 =
            sqlx::query_scalar("SELECT totp_last_step FROM users WHERE login_id = $1")
                .bind(login_id)
                .fetch_one(self.db())
                .await
                .unwrap_or_else(|e| panic!("no user {login_id}: {e}"));
        loop {
            let current = totp::step_at(self.now());
            if let Some(step) = (current - 1..=current + 1).find(|&s| s > last_step) {
                return totp::code_at(&secret, step).expect("a valid secret");
            }
            self.advance(Duration::seconds(totp::STEP));
        }
    }

    /// The authenticator secret of `login_id`, decrypted with the server's key (the database
    /// holds it only encrypted).
    pub async fn totp_secret(&self, login_id: &str) -> String {
        let (id, sealed): (i64, Option<String>) =
            sqlx::query_as("SELECT id, totp_secret FROM users WHERE login_id = $1")
                .bind(login_id)
                .fetch_one(self.db())
                .await
                .unwrap_or_else(|e| panic!("no user {login_id}: {e}"));
        let sealed = sealed.unwrap_or_else(|| panic!("{login_id} has no authenticator app"));
        self.state
            .secrets
            .open_totp(id, &sealed)
            .unwrap_or_else(|| panic!("the secret of {login_id} does not open with the key"))
    }

    /// Logs `login_id` in with the demo password in `client`, answering the second step.
    pub async fn login(&self, client: &TestClient, login_id: &str) -> SessionInfo {
        self.login_with(client, login_id, DEMO_PASSWORD).await
    }

    /// Logs `login_id` in with `password` in `client`, answering the second step: the
    /// authenticator code computed from the stored secret, or the code e-mailed for an unknown
    /// browser.
    pub async fn login_with(
        &self,
        client: &TestClient,
        login_id: &str,
        password: &str,
    ) -> SessionInfo {
        let outcome: LoginOutcome = client
            .call(
                "login",
                json!({"form": {"login_id": login_id, "password": password}}),
            )
            .await
            .ok();
        let (challenge, code) = match outcome {
            LoginOutcome::LoggedIn(info) => return info,
            LoginOutcome::Totp { challenge } => (challenge, self.totp_code(login_id).await),
            LoginOutcome::EmailCode { challenge, .. } => {
                let email = self.email_of(login_id).await;
                let mail = self
                    .latest_mail(&email)
                    .await
                    .expect("the login code was mailed");
                (challenge, mail.login_code())
            }
        };
        let info: SessionInfo = client
            .call(
                "login_second_factor",
                json!({"form": {"challenge": challenge, "code": code}}),
            )
            .await
            .ok();
        assert_eq!(info.login_id, login_id);
        info
    }

    /// A new browser with `login_id` logged in.
    pub async fn logged_in(&self, login_id: &str) -> TestClient {
        let client = self.client();
        self.login(&client, login_id).await;
        client
    }

    /// Issues an ID through `issuer` (`form` is an `IssueUserForm` as JSON) and returns the new
    /// user's id and the token of the link mailed to `form.email`.
    pub async fn issue_user(&self, issuer: &TestClient, form: Value) -> (i64, String) {
        let email = form["email"].as_str().expect("form.email").to_string();
        let after = self.last_mail_id().await;
        let issued: Value = issuer
            .call("issue_user", json!({ "form": form }))
            .await
            .ok();
        let mail = self.wait_for_mail(&email, after).await;
        assert!(mail.subject.starts_with("【V-SYS】"), "{}", mail.subject);
        (
            issued["user_id"].as_i64().expect("user_id"),
            mail.link_token(),
        )
    }

    /// Opens a link in `client` (setup_begin) and returns the attempt and the 検証コード mailed
    /// for it.
    pub async fn open_link(&self, client: &TestClient, token: &str) -> (SetupStarted, String) {
        let after = self.last_mail_id().await;
        let started: SetupStarted = client
            .call("setup_begin", json!({ "token": token }))
            .await
            .ok();
        let email: String = sqlx::query_scalar("SELECT u.email FROM users u WHERE u.login_id = $1")
            .bind(&started.login_id)
            .fetch_one(self.db())
            .await
            .expect("the user of the link");
        let mail = self.wait_for_mail(&email, after).await;
        let code = mail.verification_code();
        (started, code)
    }

    /// Opens a link again in a browser that already opened it (a reload with the link, a
    /// second tab): returns what the server answers, which continues the open attempt.
    pub async fn open_link_again(&self, client: &TestClient, token: &str) -> SetupStarted {
        client
            .call("setup_begin", json!({ "token": token }))
            .await
            .ok()
    }

    /// Walks a link to the end in `client`: open, enter the code, set `password`. Returns the
    /// session the password step logs in.
    pub async fn complete_setup(
        &self,
        client: &TestClient,
        token: &str,
        password: &str,
    ) -> SessionInfo {
        let (started, code) = self.open_link(client, token).await;
        let verified: SetupVerified = client
            .call("setup_verify", verify_form(&started.attempt, &code))
            .await
            .ok();
        assert_eq!(verified.login_id, started.login_id);
        client
            .call(
                "setup_password",
                password_form(&started.attempt, password, password),
            )
            .await
            .ok()
    }
}

/// The body of `setup_verify`: the attempt and the code typed.
pub fn verify_form(attempt: &str, code: &str) -> Value {
    json!({"form": {"attempt": attempt, "code": code}})
}

/// The body of `setup_password`: the attempt, the password and its confirmation.
pub fn password_form(attempt: &str, password: &str, confirm: &str) -> Value {
    json!({"form": {"attempt": attempt, "password": password, "confirm": confirm}})
}

/// An `IssueUserForm` as JSON for a site user of `site_id`.
pub fn site_user_form(login_id: &str, site_id: i64) -> Value {
    json!({
        "login_id": login_id,
        "email": format!("{login_id}@example.jp"),
        "display_name": "接種 太郎",
        "role": "site",
        "prefecture": "",
        "municipality": "",
        "site_id": site_id.to_string(),
        "supplier_id": "",
    })
}

/// An `IssueUserForm` as JSON for a municipality user of `code`.
pub fn municipality_user_form(login_id: &str, code: &str) -> Value {
    json!({
        "login_id": login_id,
        "email": format!("{login_id}@example.jp"),
        "display_name": "市町 花子",
        "role": "municipality",
        "prefecture": "",
        "municipality": code,
        "site_id": "",
        "supplier_id": "",
    })
}
