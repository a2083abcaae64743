//! V-SYS server: configuration, database, mail, the server-function implementations and the
//! HTTP router. `main.rs` is a thin command line over [`start`].

pub mod clock;
pub mod config;
pub mod db;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod security;
pub mod seed;
pub mod service;
pub mod state;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::security::SecretBox;
use crate::state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Connects and migrates the database, loads master data, and builds the state.
pub async fn build_state(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    let db = Db::connect_and_migrate(&config.database_url).await?;
    seed::ensure_master_data(&db, clock.now()).await?;
    let master_names = Arc::new(service::MasterNames::load(&db).await?);
    let secrets = SecretBox::new(&config.totp_key);
    seed::seal_plain_totp_secrets(&db, &secrets).await?;
    let mailer = mail::Mailer::new(&config)?;
    Ok(AppState {
        secrets,
        db,
        config: Arc::new(config),
        mailer,
        clock,
        master_names,
    })
}

/// Serves `state` on `listener` until the process ends, with the jobs that run on their own
/// ([`jobs`]) beside it.
pub async fn serve(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    jobs::spawn_retention(state.clone());
    let router = http::router(state);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
