//! The development outbox: mail kept by a demo server without SMTP, shown only to this machine.

use super::{OrInternal, RequestBackend, RequestClient};
use crate::clock::to_jst_rfc3339;
use crate::db::outbox;
use app::api::{OutboxApi, OutboxMail};
use app::error::AppError;

#[async_trait::async_trait]
impl OutboxApi for RequestBackend {
    /// The development outbox: only when switched on (`VSYS_DEV_OUTBOX=1`) with no SMTP server,
    /// and only to a browser on this machine that names this server by a loopback host (a page
    /// of another site that points its own name at 127.0.0.1, DNS rebinding, is refused).
    async fn dev_outbox(&self) -> Result<Vec<OutboxMail>, AppError> {
        if !self.dev_outbox_open().await? {
            return Err(AppError::NotFound);
        }
        let mut conn = self.conn().await?;
        let mails = outbox::latest(&mut conn).await.or_internal("load outbox")?;
        Ok(mails
            .into_iter()
            .map(|m| OutboxMail {
                id: m.id,
                at: to_jst_rfc3339(m.created_at),
                to: m.to_addr,
                subject: m.subject,
                body: m.body,
            })
            .collect())
    }

    async fn dev_outbox_open(&self) -> Result<bool, AppError> {
        let config = &self.state.config;
        Ok(config.dev_outbox
            && self.state.mailer.uses_outbox()
            && dev_outbox_reachable(&self.client, config.bind.port()))
    }
}

/// True when the request comes from this machine and names this server by a loopback host.
pub fn dev_outbox_reachable(client: &RequestClient, port: u16) -> bool {
    let host_is_loopback = client.host.as_deref().is_some_and(|host| {
        [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ]
        .iter()
        .any(|allowed| host.eq_ignore_ascii_case(allowed))
    });
    client.peer.is_loopback() && client.ip.is_loopback() && host_is_loopback
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(peer: &str, host: Option<&str>) -> RequestClient {
        RequestClient {
            peer: peer.parse().unwrap(),
            ip: peer.parse().unwrap(),
            host: host.map(str::to_owned),
        }
    }

    #[test]
    fn the_dev_outbox_answers_only_loopback_clients_naming_a_loopback_host() {
        assert!(dev_outbox_reachable(
            &client("127.0.0.1", Some("127.0.0.1:3000")),
            3000
        ));
        assert!(dev_outbox_reachable(
            &client("::1", Some("localhost:3000")),
            3000
        ));
        assert!(!dev_outbox_reachable(
            &client("127.0.0.1", Some("evil.example:3000")),
            3000
        ));
        assert!(!dev_outbox_reachable(
            &client("127.0.0.1", Some("127.0.0.1:3001")),
            3000
        ));
        assert!(!dev_outbox_reachable(&client("127.0.0.1", None), 3000));
        assert!(!dev_outbox_reachable(
            &client("192.0.2.7", Some("127.0.0.1:3000")),
            3000
        ));
    }
}
