//! Mail over STARTTLS and over implicit TLS against a real SMTP server (aiosmtpd, the sink of the
//! browser tests) with a certificate made for the test: delivered when the test's CA is trusted
//! (`SMTP_CA_FILE`), refused when it is not, or when the server offers no STARTTLS at all.

use crate::helpers::spawn_app_with;
use server::config::{MailConfig, SmtpSecurity};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A CA and a server certificate for `localhost` signed by it, made with openssl.
struct TestCertificates {
    dir: PathBuf,
}

impl TestCertificates {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!(
            "vsys-tls-{}",
            data_encoding::HEXLOWER.encode(&server::security::random_bytes::<6>())
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let run = |args: &[&str]| {
            let status = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("openssl runs (Debian package openssl)");
            assert!(status.success(), "openssl {args:?} failed");
        };
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=V-SYS test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for TestCertificates {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The SMTP sink, running until dropped.
struct Sink {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Sink {
    fn start(tls: &str, certificates: &TestCertificates) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let out = certificates.path(&format!("mail-{tls}.jsonl"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/smtp_sink.py");
        let child = Command::new("python3")
            .arg(script)
            .args(["--port", &port.to_string(), "--tls", tls])
            .arg("--out")
            .arg(&out)
            .arg("--cert")
            .arg(certificates.path("server.pem"))
            .arg("--key")
            .arg(certificates.path("server.key"))
            .stdout(Stdio::null())
            // A refused handshake makes aiosmtpd print a traceback; the test checks the outcome.
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs end2end/smtp_sink.py (needs aiosmtpd: scripts/setup.sh --test)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the SMTP sink did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, port, out }
    }

    fn received(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends one mail through a server configured for `security` against `sink`, trusting the
/// test's CA or not; returns whether it was accepted.
async fn send(sink: &Sink, security: SmtpSecurity, ca: Option<PathBuf>) -> anyhow::Result<()> {
    let port = sink.port;
    let app = spawn_app_with(move |config| {
        config.mail = MailConfig::Smtp {
            host: "localhost".into(),
            port,
            security,
            credentials: None,
            extra_root_pem: ca,
        };
    })
    .await;
    app.state
        .mailer
        .send(
            &app.state.db,
            app.now(),
            "clinic@example.jp",
            "TLS test",
            "本文",
        )
        .await
        .map(|_| ())
}

#[tokio::test]
async fn mail_goes_over_starttls_to_a_trusted_certificate_and_never_to_an_untrusted_one() {
    let certificates = TestCertificates::new();
    let sink = Sink::start("starttls", &certificates);
    send(
        &sink,
        SmtpSecurity::StartTls,
        Some(certificates.path("ca.pem")),
    )
    .await
    .expect("delivered over STARTTLS");
    assert!(
        sink.received().contains("【V-SYS】TLS test"),
        "{}",
        sink.received()
    );
    let before = sink.received();
    let refused = send(&sink, SmtpSecurity::StartTls, None).await;
    assert!(refused.is_err(), "an untrusted certificate must be refused");
    assert_eq!(sink.received(), before);
}

#[tokio::test]
async fn mail_goes_over_implicit_tls_to_a_trusted_certificate_and_never_to_an_untrusted_one() {
    let certificates = TestCertificates::new();
    let sink = Sink::start("implicit", &certificates);
    send(&sink, SmtpSecurity::Tls, Some(certificates.path("ca.pem")))
        .await
        .expect("delivered over implicit TLS");
    assert!(
        sink.received().contains("【V-SYS】TLS test"),
        "{}",
        sink.received()
    );
    let before = sink.received();
    assert!(send(&sink, SmtpSecurity::Tls, None).await.is_err());
    assert_eq!(sink.received(), before);
}

#[tokio::test]
async fn starttls_is_required_not_merely_attempted() {
    let certificates = TestCertificates::new();
    // A server that offers no STARTTLS (a downgrade): the mail is not sent in the clear.
    let plain = Sink::start("none", &certificates);
    let refused = send(
        &plain,
        SmtpSecurity::StartTls,
        Some(certificates.path("ca.pem")),
    )
    .await;
    assert!(refused.is_err());
    assert_eq!(plain.received(), "");
}
