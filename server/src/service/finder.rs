//! コロナワクチンナビ: the public finder. No login; only 一般向け sites and only the fields of
//! ▼コロナワクチンナビでの公開情報. One query per page; place and vaccine names come from the
//! master names read at start ([`super::MasterNames`]).

use super::{OrInternal, RequestBackend};
use crate::clock::to_jst_rfc3339;
use crate::db::finder::{self as db, FinderFilter, FinderRecord};
use app::api::{
    FinderApi, FinderChoices, FinderCursor, FinderQuery, FinderResult, FinderSite, NamedChoice,
    FINDER_PAGE_SIZE,
};
use app::domain::ReservationStatus;
use app::error::{AppError, FieldError};
use chrono::{DateTime, TimeDelta, Utc};

/// A status older than this may be out of date.
pub const STALE_AFTER: TimeDelta = TimeDelta::days(14);

#[async_trait::async_trait]
impl FinderApi for RequestBackend {
    async fn finder_options(&self, prefecture: Option<u8>) -> Result<FinderChoices, AppError> {
        let names = &self.state.master_names;
        Ok(FinderChoices {
            prefectures: names.prefectures().to_vec(),
            municipalities: prefecture
                .map(|code| names.municipalities_of(i64::from(code)).to_vec())
                .unwrap_or_default(),
            vaccines: names.vaccines().to_vec(),
        })
    }

    async fn finder_search(&self, query: FinderQuery) -> Result<FinderResult, AppError> {
        if !(1..=47).contains(&query.prefecture) {
            return Err(AppError::field("prefecture", FieldError::Required));
        }
        if !query.status.is_empty() && ReservationStatus::parse(&query.status).is_err() {
            return Err(AppError::field("status", FieldError::InvalidChoice));
        }
        let names = &self.state.master_names;
        // A municipality code begins with its prefecture's two digits (JIS X 0402), so a
        // prefecture is one range of codes; a municipality of another prefecture finds nothing.
        let (first, last) = if query.municipality.is_empty() {
            (
                format!("{:02}0000", query.prefecture),
                format!("{:02}9999", query.prefecture),
            )
        } else if names
            .place(&query.municipality)
            .is_some_and(|p| p.prefecture == i64::from(query.prefecture))
        {
            (query.municipality.clone(), query.municipality.clone())
        } else {
            return Ok(FinderResult::default());
        };
        let start = FinderCursor {
            municipality: first,
            name: String::new(),
            id: 0,
        };
        // The cursor is the search's lower bound: one from before the range starts at its start.
        // (Codes are six digits, which every collation orders as bytes.)
        let after = query
            .after
            .as_ref()
            .filter(|cursor| cursor.municipality >= start.municipality)
            .unwrap_or(&start);
        let filter = FinderFilter {
            after: (&after.municipality, &after.name, after.id),
            last_municipality: &last,
            vaccine: Some(query.vaccine.as_str()).filter(|v| !v.is_empty()),
            status: Some(query.status.as_str()).filter(|s| !s.is_empty()),
            limit: FINDER_PAGE_SIZE as i64 + 1,
        };
        let mut conn = self.conn().await?;
        let mut records = db::finder_search(&mut conn, filter)
            .await
            .or_internal("finder search")?;
        drop(conn);
        let next = (records.len() > FINDER_PAGE_SIZE).then(|| {
            records.truncate(FINDER_PAGE_SIZE);
            let last = &records[FINDER_PAGE_SIZE - 1];
            FinderCursor {
                municipality: last.municipality_code.clone(),
                name: last.name.clone(),
                id: last.id,
            }
        });
        let now = self.now();
        let sites = records
            .into_iter()
            .map(|record| self.public_site(record, now))
            .collect::<Result<_, _>>()?;
        Ok(FinderResult { sites, next })
    }
}

impl RequestBackend {
    /// What the public sees of a site.
    fn public_site(
        &self,
        record: FinderRecord,
        now: DateTime<Utc>,
    ) -> Result<FinderSite, AppError> {
        let names = &self.state.master_names;
        let place = names
            .place(&record.municipality_code)
            .ok_or_else(|| format!("site {} lies in an unknown municipality", record.id))
            .or_internal("name the site's municipality")?;
        let vaccines = names
            .vaccines()
            .iter()
            .filter(|v| record.vaccines.contains(&v.value))
            .cloned()
            .collect::<Vec<NamedChoice>>();
        if vaccines.len() != record.vaccines.len() {
            return Err(format!("site {} handles an unknown vaccine", record.id))
                .or_internal("name the site's vaccines");
        }
        let details = record.details;
        Ok(FinderSite {
            id: record.id,
            name: record.name,
            name_kana: details.name_kana,
            name_en: details.name_en,
            municipality: place.ja.clone(),
            municipality_en: place.en.clone(),
            postal_code: record.postal_code,
            address: record.address,
            phone: details.public_phone,
            url: details.public_url,
            booking_phone: details.booking_phone,
            booking_web: details.booking_web,
            hours: details.hours,
            hours_en: details.hours_en,
            notice: details.notice,
            notice_easy: details.notice_easy,
            notice_en: details.notice_en,
            homepage: details.homepage,
            parking: details.parking,
            vaccines,
            status: record.reservation_status,
            status_updated_at: record.reservation_updated_at.map(to_jst_rfc3339),
            stale: record
                .reservation_updated_at
                .is_none_or(|at| now - at > STALE_AFTER),
        })
    }
}
