//! Organisations: a prefecture's municipalities, a municipality's sites, and 代理入力.

use super::{OrInternal, RequestBackend, Scope};
use crate::db::audit::{self, Change};
use crate::db::{auth, master};
use app::api::{Choice, MunicipalityRow, OrgApi, SessionInfo, SiteRef, SiteRow};
use app::domain::Role;
use app::error::AppError;

#[async_trait::async_trait]
impl OrgApi for RequestBackend {
    async fn list_municipalities(&self, prefecture: u8) -> Result<Vec<MunicipalityRow>, AppError> {
        let code = i64::from(prefecture);
        self.authorize(
            &[Role::National, Role::Admin, Role::Prefecture],
            Scope::Prefecture(code),
        )
        .await?;
        let mut conn = self.conn().await?;
        let rows = master::municipalities_of(&mut conn, code)
            .await
            .or_internal("list municipalities")?;
        Ok(rows
            .into_iter()
            .map(|m| MunicipalityRow {
                code: m.code,
                name: m.name,
                name_kana: m.name_kana,
                site_count: m.site_count,
            })
            .collect())
    }

    async fn list_prefectures(&self) -> Result<Vec<Choice>, AppError> {
        let caller = self
            .authorize(&[Role::National, Role::Admin, Role::Prefecture], Scope::Own)
            .await?;
        let mut conn = self.conn().await?;
        let rows = master::prefectures(&mut conn)
            .await
            .or_internal("list prefectures")?;
        Ok(rows
            .into_iter()
            .filter(|p| super::access::prefecture_in_scope(&caller, p.code))
            .map(|p| Choice {
                value: p.code.to_string(),
                label: p.name,
            })
            .collect())
    }

    async fn list_sites(&self, municipality: String) -> Result<Vec<SiteRow>, AppError> {
        self.authorize(
            &[
                Role::National,
                Role::Admin,
                Role::Prefecture,
                Role::Municipality,
            ],
            Scope::Municipality(municipality.clone()),
        )
        .await?;
        let mut conn = self.conn().await?;
        let rows = master::sites_of(&mut conn, &municipality)
            .await
            .or_internal("list sites")?;
        Ok(rows
            .into_iter()
            .map(|s| SiteRow {
                id: s.id,
                name: s.name,
                site_type: s.site_type,
                basic_site: s
                    .basic_site_id
                    .zip(s.basic_site_name)
                    .map(|(id, name)| SiteRef { id, name }),
                municipality_code: s.municipality_code,
                municipality_name: s.municipality_name,
            })
            .collect())
    }

    async fn act_for_site(&self, site_id: i64) -> Result<SessionInfo, AppError> {
        let caller = self
            .authorize(&[Role::Municipality], Scope::Site(site_id))
            .await?;
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        auth::set_acting_for(&mut tx, &caller.session_hash, Some(site_id))
            .await
            .or_internal("act for")?;
        let change = Change {
            entity: "session",
            entity_id: caller.user.id.to_string(),
            field: "acting_for_site_id",
            old_value: caller.session.acting_for_site_id.map(|id| id.to_string()),
            new_value: Some(site_id.to_string()),
        };
        let actor = crate::db::audit::Actor {
            user_id: Some(caller.user.id),
            acting_for_site_id: Some(site_id),
        };
        audit::record(&mut tx, self.now(), actor, change)
            .await
            .or_internal("audit")?;
        tx.commit().await.or_internal("commit")?;
        self.refreshed_info().await
    }

    async fn stop_acting(&self) -> Result<SessionInfo, AppError> {
        let caller = self.authorize(&[Role::Municipality], Scope::Own).await?;
        if caller.session.acting_for_site_id.is_some() {
            let mut tx = self.state.db.begin().await.or_internal("begin")?;
            auth::set_acting_for(&mut tx, &caller.session_hash, None)
                .await
                .or_internal("stop acting")?;
            let change = Change {
                entity: "session",
                entity_id: caller.user.id.to_string(),
                field: "acting_for_site_id",
                old_value: caller.session.acting_for_site_id.map(|id| id.to_string()),
                new_value: None,
            };
            audit::record(&mut tx, self.now(), caller.actor(), change)
                .await
                .or_internal("audit")?;
            tx.commit().await.or_internal("commit")?;
        }
        self.refreshed_info().await
    }
}
