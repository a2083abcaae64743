//! Server function declarations and the request and response types they carry, one file per
//! area (accounts, login, set-up, org, site record, change requests, doctors, reservation,
//! finder, audit, outbox, supply, allocation, delivery, stock, records, bookings, reports,
//! billing, notices, knowledge, inquiries). The server's implementation of each area lies in the file of the
//! same name under `server/src/service/`.
//!
//! A server function is written twice: here, its `#[server]` declaration (whose body, on the
//! server, calls the area's trait on the request's [`crate::backend::backend`]) with the trait
//! method's signature beside it; and its implementation, in the server crate.
//!
//! Form types hold what the user typed, as strings, and `validate` them into domain types; the
//! browser calls `validate` on every keystroke and the server calls it again before acting.

use crate::domain::Role;
use crate::error::{FieldError, FieldErrors, OnboardingStep};
use serde::{Deserialize, Serialize};

pub mod accounts;
pub mod allocation;
pub mod audit;
pub mod billing;
pub mod bookings;
pub mod change_requests;
pub mod delivery;
pub mod doctors;
pub mod finder;
pub mod inquiries;
pub mod knowledge;
pub mod login;
pub mod notices;
pub mod org;
pub mod out_of_area;
pub mod outbox;
pub mod protocol;
pub mod records;
pub mod reports;
pub mod reservation;
pub mod setup;
pub mod site_record;
pub mod stock;
pub mod suppliers;
pub mod supply;

pub use accounts::*;
pub use allocation::*;
pub use audit::*;
pub use billing::*;
pub use bookings::*;
pub use change_requests::*;
pub use delivery::*;
pub use doctors::*;
pub use finder::*;
pub use inquiries::*;
pub use knowledge::*;
pub use login::*;
pub use notices::*;
pub use org::*;
pub use out_of_area::*;
pub use outbox::*;
pub use protocol::AppHttp;
pub use records::*;
pub use reports::*;
pub use reservation::*;
pub use setup::*;
pub use site_record::*;
pub use stock::*;
pub use suppliers::*;
pub use supply::*;

/// A site as a reference in lists and headers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRef {
    /// The site's id.
    pub id: i64,
    /// 医療機関・接種会場名
    pub name: String,
}

/// The logged-in user as the browser sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The user's id.
    pub user_id: i64,
    /// The user name (ID).
    pub login_id: String,
    /// The user's name.
    pub display_name: String,
    /// The role.
    pub role: Role,
    /// The name of the organisation the user belongs to.
    pub organisation: String,
    /// The user's own site (site users) — where "own record" pages point.
    pub own_site: Option<SiteRef>,
    /// The site a municipality user is acting for (代理入力), if any.
    pub acting_for: Option<SiteRef>,
    /// The first-login step still to do, if any; the app shows nothing else until it is done.
    pub onboarding: Option<OnboardingStep>,
    /// Whether an authenticator app is enrolled.
    pub totp_enrolled: bool,
    /// The prefecture the user's organisation lies in, if any.
    pub prefecture_code: Option<u8>,
    /// The municipality the user's organisation lies in, if any.
    pub municipality_code: Option<String>,
}

/// A choice in a select box.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The value sent back.
    pub value: String,
    /// What the user sees.
    pub label: String,
}

pub(crate) fn parse_id(input: &str) -> Result<i64, FieldError> {
    let value = crate::text::clean(input);
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    value.parse::<i64>().map_err(|_| FieldError::InvalidChoice)
}

pub(crate) fn single(field: &str, error: FieldError) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(field, error);
    errors
}
