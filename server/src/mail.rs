//! Outgoing mail: real SMTP through lettre, or, in development, the database outbox.
//! Every mail comes from one fixed sender, carries the 【V-SYS】 subject prefix (so users can sort
//! V-SYS mail with one mail rule, as municipalities were advised to) and a Message-ID.

use crate::config::{Config, MailConfig, SmtpSecurity};
use crate::db::{outbox, Db};
use crate::security::random_token;
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::Path;

/// The subject prefix of every mail.
pub const SUBJECT_PREFIX: &str = "【V-SYS】";

/// Sends mail.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox,
}

impl Mailer {
    /// Builds the mailer from configuration.
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let from: Mailbox = config.mail_from.parse()?;
        let transport = match &config.mail {
            MailConfig::Outbox => Transport::Outbox,
            MailConfig::Smtp {
                host,
                port,
                security,
                credentials,
                extra_root_pem,
            } => {
                let tls = || tls_parameters(host, extra_root_pem.as_deref());
                let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host);
                let builder = match security {
                    SmtpSecurity::None => builder,
                    SmtpSecurity::StartTls => builder.tls(Tls::Required(tls()?)),
                    SmtpSecurity::Tls => builder.tls(Tls::Wrapper(tls()?)),
                };
                let builder = builder.port(*port);
                let builder = match credentials {
                    Some((user, password)) => {
                        builder.credentials(Credentials::new(user.clone(), password.clone()))
                    }
                    None => builder,
                };
                Transport::Smtp(builder.build())
            }
        };
        Ok(Self { from, transport })
    }

    /// True in development, where mail is kept in the outbox.
    pub fn uses_outbox(&self) -> bool {
        matches!(self.transport, Transport::Outbox)
    }

    /// Sends one plain-text mail; `subject` gets the prefix. Returns the Message-ID.
    pub async fn send(
        &self,
        db: &Db,
        at: chrono::DateTime<chrono::Utc>,
        to: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<String> {
        let subject = format!("{SUBJECT_PREFIX}{subject}");
        let domain = self.from.email.domain().to_string();
        let message_id = format!("<{}@{}>", random_token(), domain);
        match &self.transport {
            Transport::Outbox => {
                let mut conn = db.pool.acquire().await?;
                outbox::insert(&mut conn, at, to, &subject, body, &message_id).await?;
                tracing::info!(%to, %subject, "mail kept in the development outbox:\n{body}");
            }
            Transport::Smtp(transport) => {
                let message = Message::builder()
                    .from(self.from.clone())
                    .to(to.parse()?)
                    .subject(subject.clone())
                    .message_id(Some(message_id.clone()))
                    .header(ContentType::TEXT_PLAIN)
                    .body(body.to_string())?;
                transport.send(message).await?;
                tracing::info!(%to, %subject, %message_id, "mail sent");
            }
        }
        Ok(message_id)
    }
}

/// TLS for `host`: the system's web roots, plus the certificates of `extra_root_pem` (a private
/// CA, or a test's own). The server's certificate must be valid for `host`.
fn tls_parameters(host: &str, extra_root_pem: Option<&Path>) -> anyhow::Result<TlsParameters> {
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(path) = extra_root_pem {
        let pem = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("SMTP_CA_FILE {}: {e}", path.display()))?;
        builder = builder.add_root_certificate(Certificate::from_pem(&pem)?);
    }
    Ok(builder.build()?)
}

/// The texts of the mails the system sends (Japanese, with English below).
pub mod templates {
    /// The mail that hands out a new ID with its first-login link.
    pub fn id_issued(login_id: &str, link: &str) -> (String, String) {
        (
            "V-SYSのIDが発行されました / Your V-SYS ID".into(),
            format!(
                "V-SYSのIDが発行されました。\n\nユーザ名: {login_id}\n\n\
                 次のリンクを開き、初期設定（検証コードの入力とパスワードの設定）を行ってください。\n\
                 このリンクは24時間で有効期限が切れ、1回だけ使えます。\n{link}\n\n\
                 24時間が過ぎてしまった場合は、IDを発行した担当者またはサービスデスクへご連絡ください。\n\
                 このメールは保存してください。\n\n\
                 ---\nA V-SYS ID has been issued for you. User name: {login_id}\n\
                 Open the link above within 24 hours to set your password. It works once.\n"
            ),
        )
    }

    /// The mail with a password-reset link.
    pub fn reset_link(login_id: &str, link: &str) -> (String, String) {
        (
            "パスワードの再設定 / Password reset".into(),
            format!(
                "ユーザ名 {login_id} のパスワード再設定が要求されました。\n\n\
                 次のリンクを開き、検証コードを入力して新しいパスワードを設定してください。\n\
                 このリンクは24時間で有効期限が切れ、1回だけ使えます。\n{link}\n\n\
                 心当たりがない場合は、このメールを無視してください。パスワードは変わりません。\n\n\
                 ---\nA password reset was requested for {login_id}. Open the link within 24 hours.\n\
                 If you did not ask for it, ignore this mail.\n"
            ),
        )
    }

    /// The mail with the 検証コード for an opened link.
    pub fn verification_code(code: &str) -> (String, String) {
        (
            "検証コード / Verification code".into(),
            format!(
                "V-SYSの初期設定画面で、次の検証コードを入力してください。\n\n検証コード: {code}\n\n\
                 このコードは10分間有効です。心当たりがない場合は、サービスデスクへご連絡ください。\n\n\
                 ---\nVerification code: {code} (valid for 10 minutes)\n"
            ),
        )
    }

    /// The mail with the code for a login from an unknown browser.
    pub fn login_code(code: &str) -> (String, String) {
        (
            "ログインの確認コード / Login code".into(),
            format!(
                "新しいブラウザからV-SYSへのログインがありました。本人確認のため、次のコードを入力してください。\n\n\
                 確認コード: {code}\n\nこのコードは10分間有効です。\
                 ログインしていない場合は、パスワードを変更し、サービスデスクへご連絡ください。\n\n\
                 ---\nLogin from a new browser. Code: {code} (valid for 10 minutes)\n"
            ),
        )
    }

    /// The mail telling a site the municipality decided its change request.
    pub fn request_decided(site_name: &str, approved: bool, comment: &str) -> (String, String) {
        let (ja, en) = if approved {
            ("承認されました", "approved")
        } else {
            ("却下されました", "rejected")
        };
        let comment_line = if comment.is_empty() {
            String::new()
        } else {
            format!("\n市町村からのコメント: {comment}\n")
        };
        (
            format!("情報変更申請が{ja} / Change request {en}"),
            format!(
                "{site_name} の情報変更申請が{ja}。\n{comment_line}\n\
                 V-SYSにログインし、「医療機関・接種会場の詳細」で内容を確認してください。\n\n\
                 ---\nThe change request of {site_name} was {en} by the municipality.\n"
            ),
        )
    }

    /// The mail telling a user the service desk answered their inquiry.
    pub fn inquiry_answered(id: i64, subject: &str, answer: &str) -> (String, String) {
        (
            format!("お問い合わせへの回答（受付番号 {id}） / Answer to your inquiry"),
            format!(
                "お問い合わせ「{subject}」（受付番号 {id}）に、サービスデスクから回答がありました。\n\n\
                 {answer}\n\n\
                 V-SYSにログインし、「問い合わせ」で内容を確認してください。続けて質問することもできます。\n\n\
                 ---\nThe service desk answered your inquiry No. {id}. Log in to V-SYS to read it.\n"
            ),
        )
    }
}
