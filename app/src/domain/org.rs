//! Organisations and roles: who a user is and which part of the country they act in.

use crate::error::FieldError;
use crate::text::{clean, digits_only};
use serde::{Deserialize, Serialize};

/// The role of a user. It fixes what a user may do; the scope fixes where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 国（厚生労働省）: reads everything.
    National,
    /// 都道府県: its own municipalities.
    Prefecture,
    /// 市町村: its own sites.
    Municipality,
    /// 医療機関・接種会場: its own record.
    Site,
    /// 製薬メーカー・卸: deliveries assigned to it.
    Supplier,
    /// システム管理者: issues IDs, unlocks, service desk.
    Admin,
}

impl Role {
    /// Every role, in the order screens list them.
    pub const ALL: [Role; 6] = [
        Role::National,
        Role::Prefecture,
        Role::Municipality,
        Role::Site,
        Role::Supplier,
        Role::Admin,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::National => "national",
            Role::Prefecture => "prefecture",
            Role::Municipality => "municipality",
            Role::Site => "site",
            Role::Supplier => "supplier",
            Role::Admin => "admin",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or(FieldError::InvalidChoice)
    }

    /// Roles that see personal data must enrol an authenticator app; the others are
    /// offered it.
    pub fn requires_totp(self) -> bool {
        matches!(
            self,
            Role::National | Role::Prefecture | Role::Municipality | Role::Admin
        )
    }
}

/// A prefecture's JIS code, 1 (北海道) to 47 (沖縄県).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct PrefectureCode(u8);

impl TryFrom<u8> for PrefectureCode {
    type Error = FieldError;
    fn try_from(number: u8) -> Result<Self, FieldError> {
        Self::new(number).ok_or(FieldError::InvalidChoice)
    }
}

impl From<PrefectureCode> for u8 {
    fn from(code: PrefectureCode) -> u8 {
        code.0
    }
}

impl PrefectureCode {
    /// Parses "13", "１３" or "01".
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits = digits_only(&clean(input)).ok_or(FieldError::InvalidChoice)?;
        if digits.is_empty() {
            return Err(FieldError::Required);
        }
        let number: u8 = digits.parse().map_err(|_| FieldError::InvalidChoice)?;
        Self::new(number).ok_or(FieldError::InvalidChoice)
    }

    /// A code from a number, when it is 1–47.
    pub fn new(number: u8) -> Option<Self> {
        (1..=47).contains(&number).then_some(Self(number))
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// A municipality's 全国地方公共団体コード: six digits, the last a check digit (JIS X 0402).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MunicipalityCode(String);

impl MunicipalityCode {
    /// Parses six digits (full-width accepted) and verifies the check digit. Five digits (the
    /// code without its check digit, as some lists print it) get the check digit appended.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits = digits_only(&clean(input)).ok_or(FieldError::InvalidChoice)?;
        match digits.len() {
            0 => Err(FieldError::Required),
            5 => {
                let check = check_digit(&digits);
                Ok(Self(format!("{digits}{check}")))
            }
            6 => {
                let check = check_digit(&digits[..5]);
                if digits.as_bytes()[5] - b'0' == check {
                    Ok(Self(digits))
                } else {
                    Err(FieldError::InvalidChoice)
                }
            }
            _ => Err(FieldError::InvalidChoice),
        }
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The prefecture the municipality lies in (the first two digits).
    pub fn prefecture(&self) -> PrefectureCode {
        PrefectureCode(self.0[..2].parse().expect("validated digits"))
    }
}

/// JIS X 0402 check digit: weights 6,5,4,3,2; 11 minus the remainder mod 11, last digit.
fn check_digit(first_five: &str) -> u8 {
    let sum: u32 = first_five
        .bytes()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ((11 - sum % 11) % 10) as u8
}

/// 基本型 receives deliveries; サテライト型 receives stock only by transfer from a basic site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SiteType {
    /// 基本型
    Basic,
    /// サテライト型
    Satellite,
}

impl SiteType {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteType::Basic => "basic",
            SiteType::Satellite => "satellite",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        match value {
            "basic" => Ok(SiteType::Basic),
            "satellite" => Ok(SiteType::Satellite),
            _ => Err(FieldError::InvalidChoice),
        }
    }
}

/// Where a user belongs. The variant must fit the role: a site user belongs to a site, and so on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Affiliation {
    /// National and admin users belong to no region.
    Nationwide,
    /// A prefecture user.
    Prefecture(PrefectureCode),
    /// A municipality user.
    Municipality(MunicipalityCode),
    /// A site user (the site's id).
    Site(i64),
    /// A supplier user (the supplier's id).
    Supplier(i64),
}

impl Affiliation {
    /// True when this affiliation is the kind the role needs.
    pub fn fits(&self, role: Role) -> bool {
        matches!(
            (role, self),
            (Role::National | Role::Admin, Affiliation::Nationwide)
                | (Role::Prefecture, Affiliation::Prefecture(_))
                | (Role::Municipality, Affiliation::Municipality(_))
                | (Role::Site, Affiliation::Site(_))
                | (Role::Supplier, Affiliation::Supplier(_))
        )
    }
}

parsed_from_string!(MunicipalityCode);

choice_from_string!(Role, SiteType);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_round_trips_through_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse("emperor"), Err(FieldError::InvalidChoice));
    }

    #[test]
    fn roles_that_see_personal_data_require_totp() {
        assert!(Role::Municipality.requires_totp());
        assert!(Role::Admin.requires_totp());
        assert!(!Role::Site.requires_totp());
        assert!(!Role::Supplier.requires_totp());
    }

    #[test]
    fn prefecture_code_accepts_one_to_forty_seven() {
        assert_eq!(PrefectureCode::parse("１３").unwrap().get(), 13);
        assert_eq!(PrefectureCode::parse("01").unwrap().get(), 1);
        assert_eq!(PrefectureCode::parse("48"), Err(FieldError::InvalidChoice));
        assert_eq!(PrefectureCode::parse("0"), Err(FieldError::InvalidChoice));
        assert_eq!(PrefectureCode::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn municipality_code_verifies_the_check_digit() {
        assert_eq!(
            MunicipalityCode::parse("131016").unwrap().as_str(),
            "131016"
        );
        assert_eq!(
            MunicipalityCode::parse("011002").unwrap().as_str(),
            "011002"
        );
        assert_eq!(
            MunicipalityCode::parse("131017"),
            Err(FieldError::InvalidChoice)
        );
    }

    #[test]
    fn municipality_code_completes_a_five_digit_code_and_knows_its_prefecture() {
        let code = MunicipalityCode::parse("１３１０１").unwrap();
        assert_eq!(code.as_str(), "131016");
        assert_eq!(code.prefecture().get(), 13);
    }

    #[test]
    fn site_type_round_trips() {
        assert_eq!(SiteType::parse("satellite"), Ok(SiteType::Satellite));
        assert_eq!(
            SiteType::parse(SiteType::Basic.as_str()),
            Ok(SiteType::Basic)
        );
        assert_eq!(SiteType::parse("other"), Err(FieldError::InvalidChoice));
    }

    #[test]
    fn affiliation_must_fit_the_role() {
        assert!(Affiliation::Site(1).fits(Role::Site));
        assert!(!Affiliation::Site(1).fits(Role::Municipality));
        assert!(Affiliation::Nationwide.fits(Role::Admin));
        assert!(!Affiliation::Nationwide.fits(Role::Prefecture));
    }
}
