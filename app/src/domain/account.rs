//! Accounts: user names, e-mail addresses, passwords and one-time codes.

use crate::error::FieldError;
use crate::text::{clean, digits_only};
use serde::{Deserialize, Serialize};

/// A V-SYS user name (the "ID" an issuer hands out). Letters, digits and `. _ - @`, 3–64
/// characters, compared case-insensitively (stored lower-case).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LoginId(String);

impl LoginId {
    /// Parses a user name as typed (full-width letters are accepted and normalised).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        // ASCII folding is enough: anything else is refused below. (Unicode's full table would
        // also weigh on the login form's download.)
        let value = clean(input).to_ascii_lowercase();
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.chars().count() < 3 {
            return Err(FieldError::TooShort { min: 3 });
        }
        if value.chars().count() > 64 {
            return Err(FieldError::TooLong { max: 64 });
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
        if !value.chars().all(allowed) {
            return Err(FieldError::LoginIdFormat);
        }
        Ok(Self(value))
    }

    /// The normalised user name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address: one `@`, a non-empty local part, a domain with a dot, no spaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses an address as typed; full-width characters are normalised, the domain lower-cased.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = clean(input);
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.len() > 254 {
            return Err(FieldError::TooLong { max: 254 });
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(FieldError::EmailFormat);
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local.chars().all(|c| c.is_ascii_graphic() && c != '@');
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !local_ok || !domain_ok {
            return Err(FieldError::EmailFormat);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address with most of the local part hidden, for screens that confirm where mail went.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or((&self.0, ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    }
}

/// A person's name as shown in the header and in the audit log: 1–100 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses a name; surrounding spaces (also full-width) are trimmed.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = crate::text::single_line(input)
            .trim_matches(|c: char| c.is_whitespace())
            .to_string();
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.chars().count() > 100 {
            return Err(FieldError::TooLong { max: 100 });
        }
        Ok(Self(value))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Minimum password length, in characters (Unicode scalar values).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Maximum password length: long enough for any passphrase, short enough to bound hashing cost.
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Words that make a password guessable for this system in particular.
const CONTEXT_WORDS: &[&str] = &[
    "vsys",
    "v-sys",
    "v_sys",
    "ワクチン",
    "わくちん",
    "vaccine",
    "vaccination",
    "コロナ",
    "corona",
    "covid",
    "mhlw",
    "厚労",
    "厚生労働",
    "接種",
];

/// Common passwords (and their stems) that attackers try first. Compared after lower-casing and
/// stripping trailing digits and symbols, so `Password2024!` is caught as `password`.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "qwerty",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "letmein",
    "welcome",
    "iloveyou",
    "admin",
    "administrator",
    "abc",
    "abcdef",
    "abcdefgh",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "master",
    "shadow",
    "superman",
    "trustno",
    "whatever",
    "qazwsx",
    "1q2w3e4r",
    "1qaz2wsx",
    "changeme",
    "secret",
    "login",
    "test",
    "guest",
    "hello",
    "freedom",
    "starwars",
    "pokemon",
    "tokyo",
    "japan",
    "nippon",
    "sakura",
    "doraemon",
    "passwordpassword",
    "qwertyqwerty",
    "iloveyoutoo",
    "welcomewelcome",
    "administrator1",
    "abcdefghijkl",
    "abcdefghijklmn",
    "qwertyuiopasdf",
    "pass",
    "user",
    "root",
    "default",
    "hospital",
    "clinic",
    "byouin",
    "iryou",
    "doctor",
    "パスワード",
    "ぱすわーど",
];

/// A new password that passes the rules of NIST SP 800-63B / OWASP ASVS: at least 12 characters,
/// any Unicode, no composition rules, no truncation, not common, not built on the user's own ID.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// Checks `input` for the user `login_id` with address `email`. The password itself is kept
    /// exactly as typed (no trimming, no normalisation): what the user typed is what they must type.
    pub fn parse(input: &str, login_id: &str, email: &str) -> Result<Self, FieldError> {
        let length = input.chars().count();
        if length == 0 {
            return Err(FieldError::Required);
        }
        if length < PASSWORD_MIN_CHARS {
            return Err(FieldError::TooShort {
                min: PASSWORD_MIN_CHARS,
            });
        }
        if length > PASSWORD_MAX_CHARS {
            return Err(FieldError::TooLong {
                max: PASSWORD_MAX_CHARS,
            });
        }
        // User names and e-mail addresses are ASCII, so ASCII folding finds them.
        let folded = crate::text::normalize_width(input).to_ascii_lowercase();
        let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
        let email_local = email.split('@').next().unwrap_or("").to_ascii_lowercase();
        let login = login_id.to_ascii_lowercase();
        for identity in [login.as_str(), email_local.as_str()] {
            if identity.chars().count() >= 3 && compact.contains(identity) {
                return Err(FieldError::PasswordContainsIdentity);
            }
        }
        if CONTEXT_WORDS.iter().any(|word| compact.contains(word)) {
            return Err(FieldError::PasswordCommon);
        }
        let stem =
            compact.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
        let stem =
            stem.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
        if COMMON_PASSWORDS.contains(&stem) || is_repetitive(&compact) {
            return Err(FieldError::PasswordCommon);
        }
        Ok(Self(input.to_string()))
    }

    /// The password as typed, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// True for passwords made of one repeated short unit ("aaaaaaaaaaaa", "abcabcabcabc") or a
/// run of consecutive characters ("123456789012", "abcdefghijkl").
fn is_repetitive(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    let n = chars.len();
    if n == 0 {
        return true;
    }
    for unit in 1..=3 {
        if n.is_multiple_of(unit)
            && n / unit >= 3
            && chars.chunks(unit).all(|c| c == &chars[..unit])
        {
            return true;
        }
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| w[1] as i64 - w[0] as i64)
        .collect();
    let ascending = steps.iter().all(|&s| s == 1 || s == -9);
    let descending = steps.iter().all(|&s| s == -1 || s == 9);
    ascending || descending
}

/// A six-digit one-time code (the e-mailed 検証コード, or an authenticator app's code).
/// Full-width digits and spaces are accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OneTimeCode(String);

impl OneTimeCode {
    /// Parses a code as typed.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let trimmed = clean(input);
        if trimmed.is_empty() {
            return Err(FieldError::Required);
        }
        match digits_only(&trimmed) {
            Some(digits) if digits.len() == 6 => Ok(Self(digits)),
            _ => Err(FieldError::CodeFormat),
        }
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A recovery code for an authenticator-app account: ten characters from a case-insensitive
/// alphabet, shown as `xxxxx-xxxxx`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RecoveryCode(String);

impl RecoveryCode {
    /// Parses a recovery code; case, spaces and hyphens do not matter.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let compact: String = clean(input)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect::<String>()
            .to_ascii_lowercase();
        if compact.is_empty() {
            return Err(FieldError::Required);
        }
        if compact.len() != 10 || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(FieldError::CodeFormat);
        }
        Ok(Self(compact))
    }

    /// The ten characters, lower-case, without the hyphen.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the login's second step accepts: a six-digit code, or a recovery code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactor {
    /// A code from e-mail or an authenticator app.
    Code(OneTimeCode),
    /// One of the recovery codes shown at TOTP enrolment.
    Recovery(RecoveryCode),
}

impl SecondFactor {
    /// Six digits are a code; anything of recovery-code shape is a recovery code.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        match OneTimeCode::parse(input) {
            Ok(code) => Ok(Self::Code(code)),
            Err(FieldError::Required) => Err(FieldError::Required),
            Err(_) => RecoveryCode::parse(input).map(Self::Recovery),
        }
    }
}

parsed_from_string!(
    LoginId,
    EmailAddress,
    DisplayName,
    OneTimeCode,
    RecoveryCode
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_id_is_lower_cased_and_full_width_is_accepted() {
        assert_eq!(
            LoginId::parse(" ＨＥＣ02@vsys.jp ").unwrap().as_str(),
            "hec02@vsys.jp"
        );
    }

    #[test]
    fn login_id_refuses_empty_short_long_and_odd_characters() {
        assert_eq!(LoginId::parse(""), Err(FieldError::Required));
        assert_eq!(LoginId::parse("ab"), Err(FieldError::TooShort { min: 3 }));
        assert_eq!(
            LoginId::parse(&"a".repeat(65)),
            Err(FieldError::TooLong { max: 64 })
        );
        assert_eq!(LoginId::parse("山田太郎"), Err(FieldError::LoginIdFormat));
        assert_eq!(LoginId::parse("a b c"), Err(FieldError::LoginIdFormat));
    }

    #[test]
    fn email_accepts_ordinary_addresses_and_lower_cases_the_domain() {
        let email = EmailAddress::parse("Taro.Koro@Example.JP").unwrap();
        assert_eq!(email.as_str(), "Taro.Koro@example.jp");
        assert_eq!(email.masked(), "T***@example.jp");
    }

    #[test]
    fn email_accepts_full_width_input() {
        assert_eq!(
            EmailAddress::parse("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ")
                .unwrap()
                .as_str(),
            "taro@example.jp"
        );
    }

    #[test]
    fn email_refuses_addresses_without_at_or_domain_dot() {
        for bad in [
            "taro",
            "taro@",
            "@example.jp",
            "taro@example",
            "taro@@example.jp",
            "ta ro@example.jp",
            "taro@example..jp",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(FieldError::EmailFormat),
                "{bad}"
            );
        }
        assert_eq!(EmailAddress::parse("  "), Err(FieldError::Required));
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("　厚労 太郎　").unwrap().as_str(),
            "厚労 太郎"
        );
        assert_eq!(DisplayName::parse(" "), Err(FieldError::Required));
        assert_eq!(
            DisplayName::parse(&"あ".repeat(101)),
            Err(FieldError::TooLong { max: 100 })
        );
    }

    #[test]
    fn password_needs_twelve_characters_counted_as_characters_not_bytes() {
        assert_eq!(
            NewPassword::parse("short", "user1", "u@x.jp"),
            Err(FieldError::TooShort { min: 12 })
        );
        assert!(NewPassword::parse("桜が咲く春の小川で遊ぶ子ら", "user1", "u@x.jp").is_ok());
        assert_eq!(
            NewPassword::parse("桜が咲く春の小川", "user1", "u@x.jp"),
            Err(FieldError::TooShort { min: 12 })
        );
    }

    #[test]
    fn password_has_no_composition_rules_and_keeps_spaces() {
        let password = NewPassword::parse("  correct horse battery  ", "user1", "u@x.jp").unwrap();
        assert_eq!(password.expose(), "  correct horse battery  ");
    }

    #[test]
    fn password_refuses_common_passwords_even_with_digits_appended() {
        assert_eq!(
            NewPassword::parse("Password2024!", "user1", "u@x.jp"),
            Err(FieldError::PasswordCommon)
        );
        assert_eq!(
            NewPassword::parse("qwertyuiop123", "user1", "u@x.jp"),
            Err(FieldError::PasswordCommon)
        );
    }

    #[test]
    fn password_refuses_system_words() {
        assert_eq!(
            NewPassword::parse("my-V-SYS-secret-key", "user1", "u@x.jp"),
            Err(FieldError::PasswordCommon)
        );
        assert_eq!(
            NewPassword::parse("ワクチンを打ちに行こう", "user1", "u@x.jp"),
            Err(FieldError::TooShort { min: 12 })
        );
        assert_eq!(
            NewPassword::parse("ワクチンを打ちに行こうよ今日", "user1", "u@x.jp"),
            Err(FieldError::PasswordCommon)
        );
    }

    #[test]
    fn password_refuses_the_users_own_id_or_mail_name() {
        assert_eq!(
            NewPassword::parse("clinic-tanaka-2026", "clinic-tanaka", "t@x.jp"),
            Err(FieldError::PasswordContainsIdentity)
        );
        assert_eq!(
            NewPassword::parse("hello yamada hanako", "user1", "yamada@x.jp"),
            Err(FieldError::PasswordContainsIdentity)
        );
    }

    #[test]
    fn password_refuses_repeats_and_sequences() {
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaa", "user1", "u@x.jp"),
            Err(FieldError::PasswordCommon)
        );
        assert_eq!(
            NewPassword::parse("abcabcabcabc", "user1", "u@x.jp"),
            Err(FieldError::PasswordCommon)
        );
        assert_eq!(
            NewPassword::parse("123456789012", "user1", "u@x.jp"),
            Err(FieldError::PasswordCommon)
        );
    }

    #[test]
    fn password_debug_never_shows_the_password() {
        let password = NewPassword::parse("a fine long passphrase", "user1", "u@x.jp").unwrap();
        assert!(!format!("{password:?}").contains("passphrase"));
    }

    #[test]
    fn one_time_code_accepts_full_width_digits_and_spaces() {
        assert_eq!(
            OneTimeCode::parse("１２３ ４５６").unwrap().as_str(),
            "123456"
        );
        assert_eq!(OneTimeCode::parse("12345"), Err(FieldError::CodeFormat));
        assert_eq!(OneTimeCode::parse("12345a"), Err(FieldError::CodeFormat));
        assert_eq!(OneTimeCode::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn recovery_code_ignores_case_and_hyphen() {
        assert_eq!(
            RecoveryCode::parse("AB12C-D34EF").unwrap().as_str(),
            "ab12cd34ef"
        );
        assert_eq!(RecoveryCode::parse("ab12c"), Err(FieldError::CodeFormat));
    }

    #[test]
    fn second_factor_tells_codes_from_recovery_codes() {
        assert!(matches!(
            SecondFactor::parse("123456"),
            Ok(SecondFactor::Code(_))
        ));
        assert!(matches!(
            SecondFactor::parse("ab12c-d34ef"),
            Ok(SecondFactor::Recovery(_))
        ));
        assert_eq!(SecondFactor::parse("12"), Err(FieldError::CodeFormat));
    }
}
