//! Jobs that run on their own while the server serves.

use crate::state::AppState;
use tokio::time::MissedTickBehavior;

/// The retention job: every `retention_check_every`, erases the personal data of bookings past
/// the retention period (`booking_retention_days` after their slot). A failed run is logged and
/// retried at the next tick; the job ends with the process.
pub fn spawn_retention(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(state.config.retention_check_every);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match crate::service::erase_expired_bookings(&state).await {
                Ok(0) => {}
                Ok(erased) => tracing::info!(erased, "retention: booking personal data erased"),
                // The cause is already logged with its context; the next tick tries again.
                Err(_) => tracing::warn!("retention: run failed; retrying at the next check"),
            }
        }
    })
}
