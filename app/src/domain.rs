//! Domain types that parse user input into values that are valid by construction.
//!
//! Each `parse` runs in the browser while the user types and again on the server, which is the
//! authority. They return a [`crate::error::FieldError`] that the form shows next to the field.
//! Forms are described as data in [`form_fields`].

pub mod account;
pub mod form_fields;
pub mod org;
pub mod search;
pub mod site;
pub mod site_record;

pub use account::*;
pub use form_fields::{Choice, FieldChange, Form};
pub use org::*;
pub use search::*;
pub use site::*;
pub use site_record::*;
