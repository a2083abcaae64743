//! Domain types that parse user input into values that are valid by construction.
//!
//! Each `parse` runs in the browser while the user types and again on the server, which is the
//! authority. They return a [`crate::error::FieldError`] that the form shows next to the field.
//! Forms are described as data in [`form_fields`].

/// Lets a validated text type cross the wire only through its `parse`: it deserializes with
/// `#[serde(try_from = "String", into = "String")]`, so no request can carry an unchecked value.
macro_rules! parsed_from_string {
    ($($ty:ident),* $(,)?) => {$(
        impl TryFrom<String> for $ty {
            type Error = crate::error::FieldError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }
    )*};
}

/// Lets a stored or sent name of a choice (a role, a site type, …) become the enum only through
/// its `parse`: the server's repository decodes rows with it, so an unknown stored value is an
/// error, never a default.
macro_rules! choice_from_string {
    ($($ty:ident),* $(,)?) => {$(
        impl TryFrom<String> for $ty {
            type Error = crate::error::FieldError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
    )*};
}

pub mod account;
pub mod allocation;
pub mod billing;
pub mod bookings;
pub mod form_fields;
pub mod help;
pub mod org;
pub mod out_of_area;
pub mod records;
pub mod reports;
pub mod search;
pub mod site;
pub mod site_record;
pub mod supply;

pub use account::*;
pub use allocation::*;
pub use bookings::*;
pub use form_fields::{Choice, FieldChange, Form};
pub use org::*;
pub use out_of_area::*;
pub use records::*;
pub use search::*;
pub use site::*;
pub use site_record::*;
pub use supply::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validated_types_refuse_unchecked_values_on_the_wire() {
        assert!(serde_json::from_str::<LoginId>("\"site a\"").is_err());
        assert!(serde_json::from_str::<EmailAddress>("\"no-at-sign\"").is_err());
        assert!(serde_json::from_str::<MunicipalityCode>("\"13\"").is_err());
        assert!(serde_json::from_str::<PrefectureCode>("48").is_err());
        assert!(serde_json::from_str::<PostalCode>("\"12\"").is_err());
        assert!(serde_json::from_str::<WebUrl>("\"javascript:alert(1)\"").is_err());
    }

    #[test]
    fn validated_types_cross_the_wire_as_their_plain_value() {
        let id = LoginId::parse("site-a").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"site-a\"");
        assert_eq!(serde_json::from_str::<LoginId>(&json).unwrap(), id);
        let code = PrefectureCode::new(13).unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "13");
        assert_eq!(serde_json::from_str::<PrefectureCode>("13").unwrap(), code);
    }
}
