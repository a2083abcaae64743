//! Configuration from environment variables, with development defaults.

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
    },
    /// Development: kept in the database outbox and logged.
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
    /// Requests per minute per IP address on the login, reset and link endpoints.
    pub auth_rate_limit_per_minute: u32,
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
        })
    }

    /// True when links are served over HTTPS, so cookies get the `Secure` attribute.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
