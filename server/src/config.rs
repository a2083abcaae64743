//! Configuration from environment variables, with development defaults.

use crate::security::{ProxyRange, SecretKey};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where mail goes.
#[derive(Clone, Debug)]
pub enum MailConfig {
    /// A real SMTP server.
    Smtp {
        /// Host name.
        host: String,
        /// Port.
        port: u16,
        /// `none`, `starttls` or `tls`.
        security: SmtpSecurity,
        /// User name and password, when the server needs them.
        credentials: Option<(String, String)>,
        /// A PEM file of extra root certificates to trust (a private CA, or a test's own).
        extra_root_pem: Option<PathBuf>,
    },
    /// No SMTP server: mail is kept in the database outbox and logged, never delivered. It is
    /// readable over HTTP only when [`Config::dev_outbox`] is on.
    Outbox,
}

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection (local relays and test sinks only).
    None,
    /// STARTTLS upgrade.
    StartTls,
    /// TLS from the start (SMTPS).
    Tls,
}

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// The URL users reach the app at, for links in e-mail (no trailing slash).
    pub public_url: String,
    /// The built frontend (index.html and assets/).
    pub dist_dir: PathBuf,
    /// Mail delivery.
    pub mail: MailConfig,
    /// The one fixed sender of every mail.
    pub mail_from: String,
    /// Requests per minute per client address on the login, reset and link endpoints.
    pub auth_rate_limit_per_minute: u32,
    /// Login attempts per minute per user name, from all addresses together.
    pub account_rate_limit_per_minute: u32,
    /// `VSYS_DEV_OUTBOX=1`: the development outbox page answers (on loopback only). Without it,
    /// and without SMTP, `vsys serve` refuses to start.
    pub dev_outbox: bool,
    /// The key that encrypts authenticator secrets at rest.
    pub totp_key: SecretKey,
    /// Reverse proxies whose `X-Forwarded-For` is believed; empty = use the peer address.
    pub trusted_proxies: Vec<ProxyRange>,
    /// `VSYS_BOOKING_RETENTION_DAYS`: days after its slot that a booking's personal data is
    /// erased (default 90).
    pub booking_retention_days: u32,
    /// `VSYS_RETENTION_CHECK_SECS`: how often the retention job looks for data to erase
    /// (default hourly).
    pub retention_check_every: std::time::Duration,
}

impl Config {
    /// Reads `VSYS_*`, `DATABASE_URL` and `SMTP_*` variables; unset ones take development defaults.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let bind: SocketAddr = var("VSYS_BIND")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()?;
        let mail = match var("SMTP_HOST") {
            Some(host) => MailConfig::Smtp {
                host,
                port: var("SMTP_PORT")
                    .map(|p| p.parse())
                    .transpose()?
                    .unwrap_or(587),
                security: match var("SMTP_SECURITY").as_deref().unwrap_or("starttls") {
                    "none" => SmtpSecurity::None,
                    "tls" => SmtpSecurity::Tls,
                    "starttls" => SmtpSecurity::StartTls,
                    other => {
                        anyhow::bail!("SMTP_SECURITY must be none, starttls or tls, not {other}")
                    }
                },
                credentials: var("SMTP_USER").zip(var("SMTP_PASSWORD")),
                extra_root_pem: var("SMTP_CA_FILE").map(PathBuf::from),
            },
            None => MailConfig::Outbox,
        };
        Ok(Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/vsys.db".into()),
            public_url: var("VSYS_PUBLIC_URL")
                .unwrap_or_else(|| format!("http://{bind}"))
                .trim_end_matches('/')
                .to_string(),
            bind,
            dist_dir: var("VSYS_DIST_DIR").unwrap_or_else(|| "dist".into()).into(),
            mail,
            mail_from: var("VSYS_MAIL_FROM")
                .unwrap_or_else(|| "V-SYS <noreply@vsys.example.jp>".into()),
            auth_rate_limit_per_minute: var("VSYS_AUTH_RATE_LIMIT")
                .map(|v| v.parse())
                .transpose()?
                .unwrap_or(30),
            account_rate_limit_per_minute: var("VSYS_ACCOUNT_RATE_LIMIT")
                .map(|v| v.parse())
                .transpose()?
                .unwrap_or(20),
            dev_outbox: var("VSYS_DEV_OUTBOX").is_some_and(|v| v == "1" || v == "true"),
            totp_key: match var("VSYS_TOTP_KEY") {
                Some(encoded) => SecretKey::decode(&encoded)?,
                None => SecretKey::load_or_create(
                    var("VSYS_TOTP_KEY_FILE")
                        .unwrap_or_else(|| "data/totp.key".into())
                        .as_ref(),
                )?,
            },
            trusted_proxies: var("VSYS_TRUSTED_PROXIES")
                .map(|list| {
                    list.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(ProxyRange::parse)
                        .collect::<anyhow::Result<Vec<_>>>()
                })
                .transpose()?
                .unwrap_or_default(),
            booking_retention_days: var("VSYS_BOOKING_RETENTION_DAYS")
                .map(|v| v.parse())
                .transpose()?
                .unwrap_or(90),
            retention_check_every: std::time::Duration::from_secs(
                var("VSYS_RETENTION_CHECK_SECS")
                    .map(|v| v.parse())
                    .transpose()?
                    .unwrap_or(3600),
            ),
        })
    }

    /// Why `vsys serve` must not start with this configuration, if it must not: without an SMTP
    /// server mail would pile up unread, and an outbox readable over HTTP hands out every login
    /// code and reset link, so it needs the explicit development switch.
    pub fn refusal_to_serve(&self) -> Option<&'static str> {
        match (&self.mail, self.dev_outbox) {
            (MailConfig::Outbox, false) => Some(
                "No SMTP server is configured (SMTP_HOST), so no mail (ID links, codes) could \
                 be delivered. Set SMTP_HOST (and SMTP_PORT, SMTP_SECURITY, SMTP_USER, \
                 SMTP_PASSWORD), or, for development on this machine only, VSYS_DEV_OUTBOX=1 \
                 to read mail at /dev/outbox from loopback.",
            ),
            _ => None,
        }
    }

    /// True when links are served over HTTPS, so cookies get the `Secure` attribute.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(mail: MailConfig, dev_outbox: bool) -> Config {
        Config {
            database_url: "sqlite::memory:".into(),
            bind: "127.0.0.1:3000".parse().unwrap(),
            public_url: "http://127.0.0.1:3000".into(),
            dist_dir: "dist".into(),
            mail,
            mail_from: "V-SYS <noreply@vsys.example.jp>".into(),
            auth_rate_limit_per_minute: 30,
            account_rate_limit_per_minute: 20,
            dev_outbox,
            totp_key: SecretKey::random(),
            trusted_proxies: Vec::new(),
            booking_retention_days: 90,
            retention_check_every: std::time::Duration::from_secs(3600),
        }
    }

    #[test]
    fn serving_without_smtp_needs_the_explicit_development_switch() {
        assert!(config(MailConfig::Outbox, false)
            .refusal_to_serve()
            .is_some());
        assert!(config(MailConfig::Outbox, true)
            .refusal_to_serve()
            .is_none());
        let smtp = MailConfig::Smtp {
            host: "mail.example.jp".into(),
            port: 587,
            security: SmtpSecurity::StartTls,
            credentials: None,
            extra_root_pem: None,
        };
        assert!(config(smtp, false).refusal_to_serve().is_none());
    }
}
