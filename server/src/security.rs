//! Cryptographic building blocks: random tokens and codes, hashing, password hashing (argon2id)
//! and TOTP (RFC 6238).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use data_encoding::{BASE32_NOPAD, BASE64URL_NOPAD, HEXLOWER};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
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
    HEXLOWER.encode(&Sha256::digest(secret.as_bytes()))
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
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).ok()?;
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

    /// The step that `code` matches at `unix` time, allowing one step of clock drift either way,
    /// and only steps after `last_used_step` (so a code works once).
    pub fn verify(secret_base32: &str, code: &str, unix: i64, last_used_step: i64) -> Option<i64> {
        let current = unix.div_euclid(STEP);
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
    fn totp_matches_the_rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890", T = 59 s → 94287082 (8 digits).
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        assert_eq!(totp::code_at(&secret, 59 / 30).unwrap(), "287082");
        assert_eq!(totp::code_at(&secret, 1111111109 / 30).unwrap(), "081804");
    }

    #[test]
    fn totp_accepts_one_step_of_drift_and_never_a_used_step() {
        let secret = totp::new_secret();
        let now = 1_800_000_000;
        let previous = totp::code_at(&secret, now / 30 - 1).unwrap();
        assert_eq!(totp::verify(&secret, &previous, now, 0), Some(now / 30 - 1));
        assert_eq!(totp::verify(&secret, &previous, now, now / 30 - 1), None);
        let old = totp::code_at(&secret, now / 30 - 3).unwrap();
        assert_eq!(totp::verify(&secret, &old, now, 0), None);
    }
}
