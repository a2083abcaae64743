//! コロナワクチンナビ: the public finder. No login; only 一般向け sites and only the fields of
//! ▼コロナワクチンナビでの公開情報.

use super::place_names::place_name_en;
use super::{OrInternal, RequestBackend};
use crate::clock::to_jst_rfc3339;
use crate::db::master;
use crate::db::site_record as db;
use app::api::{
    FinderApi, FinderChoices, FinderQuery, FinderResult, FinderSite, NamedChoice, FINDER_LIMIT,
};
use app::domain::form_fields::choice_name;
use app::domain::{ReservationStatus, SiteForm};
use app::error::{AppError, FieldError};
use std::collections::HashMap;

/// A status older than this may be out of date.
pub const STALE_AFTER_SECS: i64 = 14 * 24 * 3600;

#[async_trait::async_trait]
impl FinderApi for RequestBackend {
    async fn finder_options(&self, prefecture: Option<u8>) -> Result<FinderChoices, AppError> {
        let mut conn = self.conn().await?;
        let prefectures = master::prefectures(&mut conn)
            .await
            .or_internal("list prefectures")?
            .into_iter()
            .map(|p| NamedChoice {
                value: p.code.to_string(),
                ja: p.name,
                en: p.name_en,
            })
            .collect();
        let municipalities = match prefecture {
            Some(code) => master::municipalities_of(&mut conn, i64::from(code))
                .await
                .or_internal("list municipalities")?
                .into_iter()
                .map(|m| NamedChoice {
                    value: m.code,
                    en: place_name_en(&m.name, &m.name_kana),
                    ja: m.name,
                })
                .collect(),
            None => Vec::new(),
        };
        let vaccines = db::vaccine_names(&mut conn)
            .await
            .or_internal("list vaccines")?
            .into_iter()
            .map(|(value, ja, en)| NamedChoice { value, ja, en })
            .collect();
        Ok(FinderChoices {
            prefectures,
            municipalities,
            vaccines,
        })
    }

    async fn finder_search(&self, query: FinderQuery) -> Result<FinderResult, AppError> {
        if !(1..=47).contains(&query.prefecture) {
            return Err(AppError::field("prefecture", FieldError::Required));
        }
        if !query.status.is_empty() && ReservationStatus::parse(&query.status).is_err() {
            return Err(AppError::field("status", FieldError::InvalidChoice));
        }
        let now = self.now();
        let optional = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let mut conn = self.conn().await?;
        let vaccine_names = db::vaccine_names(&mut conn)
            .await
            .or_internal("list vaccines")?;
        let mut rows = db::finder_search(
            &mut conn,
            i64::from(query.prefecture),
            optional(&query.municipality).as_deref(),
            optional(&query.vaccine).as_deref(),
            optional(&query.status).as_deref(),
            FINDER_LIMIT as i64 + 1,
        )
        .await
        .or_internal("finder search")?;
        // Every site found is in the one prefecture searched, whose municipalities' names are
        // unique in it: their English names, once.
        let prefecture_en = master::prefecture(&mut conn, i64::from(query.prefecture))
            .await
            .or_internal("load prefecture")?
            .map(|p| p.name_en)
            .unwrap_or_default();
        let municipalities_en: HashMap<String, String> =
            master::municipalities_of(&mut conn, i64::from(query.prefecture))
                .await
                .or_internal("list municipalities")?
                .into_iter()
                .map(|m| {
                    let english = place_name_en(&m.name, &m.name_kana);
                    (m.name, english)
                })
                .collect();
        let more = rows.len() > FINDER_LIMIT;
        rows.truncate(FINDER_LIMIT);
        let mut sites = Vec::with_capacity(rows.len());
        for row in rows {
            let codes = db::vaccines_of(&mut conn, row.id)
                .await
                .or_internal("load site vaccines")?;
            let details: SiteForm =
                serde_json::from_str(&row.details).or_internal("decode site details")?;
            sites.push(FinderSite {
                id: row.id,
                name: row.name,
                name_kana: details.name_kana,
                name_en: details.name_en,
                municipality: format!("{}{}", row.prefecture_name, row.municipality_name),
                municipality_en: format!(
                    "{}, {prefecture_en}",
                    municipalities_en
                        .get(&row.municipality_name)
                        .map(String::as_str)
                        .unwrap_or_default()
                ),
                postal_code: row.postal_code,
                address: row.address,
                phone: details.public_phone,
                url: details.public_url,
                booking_phone: choice_name(details.booking_phone).into(),
                booking_web: choice_name(details.booking_web).into(),
                hours: details.hours,
                hours_en: details.hours_en,
                notice: details.notice,
                notice_easy: details.notice_easy,
                notice_en: details.notice_en,
                homepage: details.homepage,
                parking: details.parking,
                vaccines: vaccine_names
                    .iter()
                    .filter(|(code, _, _)| codes.contains(code))
                    .map(|(value, ja, en)| NamedChoice {
                        value: value.clone(),
                        ja: ja.clone(),
                        en: en.clone(),
                    })
                    .collect(),
                status: row.reservation_status,
                status_updated_at: row.reservation_updated_at.map(to_jst_rfc3339),
                stale: row
                    .reservation_updated_at
                    .is_none_or(|at| now - at > STALE_AFTER_SECS),
            });
        }
        Ok(FinderResult { sites, more })
    }
}
