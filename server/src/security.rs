//! Cryptographic building blocks: random tokens and codes, hashing, password hashing (argon2id),
//! TOTP (RFC 6238), encryption of secrets at rest, and the client address behind trusted proxies.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::{BASE32_NOPAD, BASE64, BASE64URL_NOPAD, HEXLOWER};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::path::Path;
use std::sync::OnceLock;
use subtle::ConstantTimeEq;

/// `N` bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    bytes
}

/// A URL-safe token with 256 bits of entropy (links, sessions, attempts, browsers).
pub fn random_token() -> String {
    BASE64URL_NOPAD.encode(&random_bytes::<32>())
}

/// SHA-256 of a secret, hex. Tokens carry 256 random bits, so a fast hash suffices.
pub fn sha256_hex(secret: &str) -> String {
    sha256_hex_bytes(secret.as_bytes())
}

/// SHA-256 of bytes (an uploaded file's fingerprint), lowercase hex.
pub fn sha256_hex_bytes(bytes: &[u8]) -> String {
    HEXLOWER.encode(&Sha256::digest(bytes))
}

/// Compares two hashes in constant time.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// A uniformly random six-digit code (rejection sampling avoids modulo bias).
pub fn six_digit_code() -> String {
    loop {
        let value = u32::from_le_bytes(random_bytes::<4>());
        // The largest multiple of 1,000,000 below 2^32.
        if value < 4_294_000_000 {
            return format!("{:06}", value % 1_000_000);
        }
    }
}

/// A recovery code: ten characters from an alphabet without look-alikes, as `xxxxx-xxxxx`.
pub fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut out = String::with_capacity(11);
    let mut i = 0;
    while i < 10 {
        let byte = random_bytes::<1>()[0];
        // 31 symbols: accept 0..248 (8 × 31) to stay unbiased.
        if byte < 248 {
            out.push(ALPHABET[(byte % 31) as usize] as char);
            if i == 4 {
                out.push('-');
            }
            i += 1;
        }
    }
    out
}

/// Hashes a password with argon2id (OWASP parameters: 19 MiB, 2 iterations, 1 lane).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 accepts any password length")
        .to_string()
}

/// Verifies a password against a stored argon2 hash.
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A 256-bit key for [`SecretBox`]. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// A new random key.
    pub fn random() -> Self {
        Self(random_bytes::<32>())
    }

    /// A key written as 64 hex digits or as base64 of 32 bytes (`VSYS_TOTP_KEY`).
    pub fn decode(encoded: &str) -> anyhow::Result<Self> {
        let encoded = encoded.trim();
        let bytes = HEXLOWER
            .decode(encoded.to_ascii_lowercase().as_bytes())
            .or_else(|_| BASE64.decode(encoded.as_bytes()))
            .map_err(|_| anyhow::anyhow!("the TOTP key must be 64 hex digits or base64"))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("the TOTP key must be 32 bytes (256 bits)"))?;
        Ok(Self(key))
    }

    /// The key in `path` (64 hex digits), creating the file (owner-only) with a new key when it
    /// does not exist yet.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::decode(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::random();
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                write_owner_only(path, &HEXLOWER.encode(&key.0))?;
                tracing::warn!(
                    path = %path.display(),
                    "created a new key for authenticator secrets; keep it apart from database backups (or set VSYS_TOTP_KEY)"
                );
                Ok(key)
            }
            Err(error) => Err(anyhow::anyhow!("{}: {error}", path.display())),
        }
    }
}

#[cfg(unix)]
fn write_owner_only(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?
        .write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_owner_only(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Encrypts secrets kept in the database (authenticator secrets) with XChaCha20-Poly1305, bound
/// to the row they belong to, so a copy of the database alone verifies no code, and a secret
/// moved to another user's row does not decrypt.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

/// The prefix of a sealed value (and of the format version).
const SEALED_PREFIX: &str = "v1:";

impl SecretBox {
    /// A box with `key`.
    pub fn new(key: &SecretKey) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new((&key.0).into()),
        }
    }

    /// Seals `secret` for `context` (e.g. `totp:42`): `v1:` + base64 of nonce and ciphertext.
    pub fn seal(&self, context: &str, secret: &str) -> String {
        let nonce_bytes = random_bytes::<24>();
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce_bytes),
                Payload {
                    msg: secret.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any length");
        let mut out = nonce_bytes.to_vec();
        out.extend_from_slice(&sealed);
        format!("{SEALED_PREFIX}{}", BASE64URL_NOPAD.encode(&out))
    }

    /// Opens a value sealed for `context`; `None` when it is not sealed, was sealed with another
    /// key, or for another context.
    pub fn open(&self, context: &str, sealed: &str) -> Option<String> {
        let bytes = BASE64URL_NOPAD
            .decode(sealed.strip_prefix(SEALED_PREFIX)?.as_bytes())
            .ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }

    /// True when `value` is in the sealed format (not a legacy plain-text secret).
    pub fn is_sealed(value: &str) -> bool {
        value.starts_with(SEALED_PREFIX)
    }

    /// Seals a user's authenticator secret.
    pub fn seal_totp(&self, user_id: i64, secret: &str) -> String {
        self.seal(&format!("totp:{user_id}"), secret)
    }

    /// Opens a user's authenticator secret.
    pub fn open_totp(&self, user_id: i64, sealed: &str) -> Option<String> {
        self.open(&format!("totp:{user_id}"), sealed)
    }
}

/// An address range of trusted reverse proxies (`10.0.0.1` or `10.0.0.0/8`, IPv4 or IPv6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyRange {
    network: IpAddr,
    prefix: u8,
}

impl ProxyRange {
    /// Parses `address` or `address/prefix`.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>()?)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| anyhow::anyhow!("not an IP address: {address}"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        anyhow::ensure!(prefix <= max, "prefix /{prefix} is too long for {network}");
        Ok(Self { network, prefix })
    }

    /// True when `ip` lies in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        fn bits(ip: IpAddr) -> (u128, u8) {
            match ip {
                IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
                IpAddr::V6(v6) => (u128::from(v6), 128),
            }
        }
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        let ((net, width), (addr, addr_width)) = (bits(self.network), bits(ip));
        if width != addr_width {
            return false;
        }
        let host_bits = u32::from(width - self.prefix);
        net.checked_shr(host_bits).unwrap_or(0) == addr.checked_shr(host_bits).unwrap_or(0)
    }
}

/// The client's address: the peer, unless the peer is a trusted proxy, in which case the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries further left
/// can be written by the client and are never believed).
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[ProxyRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let Some(list) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for entry in list.rsplit(',') {
        match entry.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

/// The throttling source of a client: its IPv4 address, or the /64 network of an IPv6 address
/// (one subscriber usually holds a whole /64).
pub fn throttle_source(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Spends the same time as a real verification, for unknown users, so the answer's timing
/// does not tell whether a user name exists.
pub fn verify_password_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("dummy password for timing"));
    let _ = verify_password(hash, password);
}

/// TOTP (RFC 6238) with SHA-1, six digits and 30-second steps: what every authenticator app uses.
pub mod totp {
    use super::*;

    /// Step length in seconds.
    pub const STEP: i64 = 30;

    /// A new 160-bit secret, base32 (no padding).
    pub fn new_secret() -> String {
        BASE32_NOPAD.encode(&random_bytes::<20>())
    }

    /// The code for a time step.
    pub fn code_at(secret_base32: &str, step: i64) -> Option<String> {
        let key = BASE32_NOPAD.decode(secret_base32.as_bytes()).ok()?;
        let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(&key).ok()?;
        mac.update(&(step as u64).to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = (digest[19] & 0x0f) as usize;
        let binary = u32::from_be_bytes([
            digest[offset],
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]) & 0x7fff_ffff;
        Some(format!("{:06}", binary % 1_000_000))
    }

    /// The time step that `at` falls in.
    pub fn step_at(at: chrono::DateTime<chrono::Utc>) -> i64 {
        at.timestamp().div_euclid(STEP)
    }

    /// The step that `code` matches at time `at`, allowing one step of clock drift either way,
    /// and only steps after `last_used_step` (so a code works once).
    pub fn verify(
        secret_base32: &str,
        code: &str,
        at: chrono::DateTime<chrono::Utc>,
        last_used_step: i64,
    ) -> Option<i64> {
        let current = step_at(at);
        (current - 1..=current + 1)
            .filter(|&step| step > last_used_step)
            .find(|&step| {
                code_at(secret_base32, step)
                    .map(|expected| bool::from(expected.as_bytes().ct_eq(code.as_bytes())))
                    .unwrap_or(false)
            })
    }

    /// The otpauth:// URI that authenticator apps scan.
    pub fn otpauth_uri(secret_base32: &str, login_id: &str) -> String {
        let label = url::form_urlencoded::byte_serialize(format!("V-SYS:{login_id}").as_bytes())
            .collect::<String>();
        format!("otpauth://totp/{label}?secret={secret_base32}&issuer=V-SYS&algorithm=SHA1&digits=6&period=30")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_different_each_time() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
    }

    #[test]
    fn six_digit_codes_are_six_digits() {
        for _ in 0..100 {
            let code = six_digit_code();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn recovery_codes_have_the_documented_shape() {
        let code = recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        assert!(app::domain::RecoveryCode::parse(&code).is_ok());
    }

    #[test]
    fn password_hash_verifies_only_the_same_password() {
        let hash = hash_password("correct horse battery");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse battery"));
        assert!(!verify_password(&hash, "correct horse batterY"));
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_context() {
        let key = SecretKey::random();
        let sealed_box = SecretBox::new(&key);
        let sealed = sealed_box.seal_totp(7, "JBSWY3DPEHPK3PXP");
        assert!(SecretBox::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            sealed_box.open_totp(7, &sealed).as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        assert_eq!(sealed_box.open_totp(8, &sealed), None);
        assert_eq!(
            SecretBox::new(&SecretKey::random()).open_totp(7, &sealed),
            None
        );
        assert_ne!(sealed, sealed_box.seal_totp(7, "JBSWY3DPEHPK3PXP"));
    }

    #[test]
    fn secret_keys_decode_from_hex_or_base64_and_must_be_256_bits() {
        let hex = "00".repeat(32);
        assert!(SecretKey::decode(&hex).is_ok());
        assert!(SecretKey::decode(&BASE64.encode(&[1u8; 32])).is_ok());
        assert!(SecretKey::decode("abcd").is_err());
        assert_eq!(format!("{:?}", SecretKey::random()), "SecretKey(…)");
    }

    #[test]
    fn a_key_file_is_created_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("vsys-key-{}", random_token()));
        let path = dir.join("totp.key");
        let first = SecretKey::load_or_create(&path).unwrap();
        let again = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(first.0, again.0);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted = vec![ProxyRange::parse("10.0.0.0/24").unwrap()];
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(client_ip(proxy, Some("203.0.113.9"), &trusted), client);
        // A client-written entry on the left is never believed.
        assert_eq!(
            client_ip(proxy, Some("1.2.3.4, 203.0.113.9, 10.0.0.7"), &trusted),
            client
        );
        assert_eq!(client_ip(client, Some("1.2.3.4"), &trusted), client);
        assert_eq!(client_ip(proxy, Some("1.2.3.4"), &[]), proxy);
        assert_eq!(client_ip(proxy, Some("garbage"), &trusted), proxy);
    }

    #[test]
    fn proxy_ranges_parse_addresses_and_prefixes() {
        let range = ProxyRange::parse("192.168.1.0/24").unwrap();
        assert!(range.contains("192.168.1.200".parse().unwrap()));
        assert!(!range.contains("192.168.2.1".parse().unwrap()));
        assert!(ProxyRange::parse("::1")
            .unwrap()
            .contains("::1".parse().unwrap()));
        assert!(ProxyRange::parse("10.0.0.0/33").is_err());
        assert!(ProxyRange::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn ipv6_clients_are_throttled_by_their_64_bit_network() {
        assert_eq!(
            throttle_source("2001:db8:1:2:aaaa::1".parse().unwrap()),
            throttle_source("2001:db8:1:2:bbbb::2".parse().unwrap())
        );
        assert_eq!(throttle_source("192.0.2.1".parse().unwrap()), "192.0.2.1");
    }

    #[test]
    fn totp_matches_the_rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890", T = 59 s → 94287082 (8 digits).
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        assert_eq!(totp::code_at(&secret, 59 / 30).unwrap(), "287082");
        assert_eq!(totp::code_at(&secret, 1111111109 / 30).unwrap(), "081804");
    }

    #[test]
    fn totp_accepts_one_step_of_drift_and_never_a_used_step() {
        let secret = totp::new_secret();
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let step = totp::step_at(now);
        assert_eq!(step, 1_800_000_000 / 30);
        let previous = totp::code_at(&secret, step - 1).unwrap();
        assert_eq!(totp::verify(&secret, &previous, now, 0), Some(step - 1));
        assert_eq!(totp::verify(&secret, &previous, now, step - 1), None);
        let old = totp::code_at(&secret, step - 3).unwrap();
        assert_eq!(totp::verify(&secret, &old, now, 0), None);
    }
}
