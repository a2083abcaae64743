//! 予約の受付情報: a site's reservation status (set by the site, or by its municipality acting
//! for it) and the municipality's overview.

use super::access::MUNICIPALITY_READERS;
use super::{OrInternal, RequestBackend, Scope};
use crate::clock::to_jst_rfc3339;
use crate::db::audit::{self, Change};
use crate::db::master::{self, ReservationRecord};
use app::api::{ReservationApi, ReservationState, ReservationSummary, SiteRef};
use app::domain::{ReservationStatus, Role};
use app::error::AppError;

/// Who may read a site's status: the site, and those above it.
const READERS: &[Role] = &[
    Role::Site,
    Role::Municipality,
    Role::Prefecture,
    Role::National,
    Role::Admin,
];
/// Who may change it: the site, and its municipality (代理入力 needs no setting).
const WRITERS: &[Role] = &[Role::Site, Role::Municipality];

fn state_of(record: ReservationRecord) -> ReservationState {
    ReservationState {
        site: SiteRef {
            id: record.id,
            name: record.name,
        },
        status: record.reservation_status,
        updated_at: record.reservation_updated_at.map(to_jst_rfc3339),
    }
}

#[async_trait::async_trait]
impl ReservationApi for RequestBackend {
    async fn load_reservation_state(&self, site_id: i64) -> Result<ReservationState, AppError> {
        self.authorize(READERS, Scope::Site(site_id)).await?;
        let mut conn = self.conn().await?;
        let record = master::reservation(&mut conn, site_id)
            .await
            .or_internal("load reservation status")?
            .ok_or(AppError::NotFound)?;
        Ok(state_of(record))
    }

    async fn set_reservation_status(
        &self,
        site_id: i64,
        status: ReservationStatus,
    ) -> Result<ReservationState, AppError> {
        let caller = self.authorize(WRITERS, Scope::Site(site_id)).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let before = master::reservation(&mut tx, site_id)
            .await
            .or_internal("load reservation status")?
            .ok_or(AppError::NotFound)?;
        master::set_reservation(&mut tx, site_id, status.as_str(), now)
            .await
            .or_internal("set reservation status")?;
        // A municipality user changing a site's status acts for that site, whether or not the
        // session switched to 代理入力 first.
        let mut actor = caller.actor();
        if caller.role == Role::Municipality {
            actor.acting_for_site_id = Some(site_id);
        }
        let change = Change {
            entity: "site",
            entity_id: site_id.to_string(),
            field: "reservation_status",
            old_value: Some(before.reservation_status.as_str().to_string()),
            new_value: Some(status.as_str().to_string()),
        };
        audit::record(&mut tx, now, actor, change)
            .await
            .or_internal("audit")?;
        let after = master::reservation(&mut tx, site_id)
            .await
            .or_internal("load reservation status")?
            .ok_or(AppError::NotFound)?;
        tx.commit().await.or_internal("commit")?;
        Ok(state_of(after))
    }

    async fn load_reservation_summary(
        &self,
        municipality: String,
    ) -> Result<ReservationSummary, AppError> {
        self.authorize(
            MUNICIPALITY_READERS,
            Scope::Municipality(municipality.clone()),
        )
        .await?;
        let mut conn = self.conn().await?;
        let counts = master::reservation_counts(&mut conn, &municipality)
            .await
            .or_internal("count reservation statuses")?;
        let unregistered = master::unregistered_sites(&mut conn, &municipality)
            .await
            .or_internal("list unregistered sites")?;
        Ok(ReservationSummary {
            counts: ReservationStatus::ALL
                .into_iter()
                .map(|status| {
                    let count = counts
                        .iter()
                        .find(|(s, _)| s == status.as_str())
                        .map(|(_, n)| *n)
                        .unwrap_or(0);
                    (status, count)
                })
                .collect(),
            unregistered: unregistered
                .into_iter()
                .map(|(id, name)| SiteRef { id, name })
                .collect(),
        })
    }
}
