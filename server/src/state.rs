//! The application state shared by every request.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::mail::Mailer;
use crate::security::SecretBox;
use crate::service::MasterNames;
use std::sync::Arc;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Configuration.
    pub config: Arc<Config>,
    /// Mail.
    pub mailer: Mailer,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// Encrypts the secrets kept in the database (authenticator secrets).
    pub secrets: SecretBox,
    /// The master data's names, read once at start (the finder names places and vaccines).
    pub master_names: Arc<MasterNames>,
}
