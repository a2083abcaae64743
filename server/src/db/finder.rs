//! コロナワクチンナビ: one query per page of 一般向け sites, with only their public fields.

use super::StoredOptionalTime;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{AnyConnection, FromRow};

/// The fields of a stored record that the public finder shows (▼コロナワクチンナビでの公開情報),
/// read from the record's JSON by the same names as [`app::domain::SiteForm`]'s, skipping the rest (about
/// forty fields the finder never shows) instead of building them for every row of every page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PublicDetails {
    pub name_kana: String,
    pub name_en: String,
    pub public_phone: String,
    pub public_url: String,
    pub booking_phone: String,
    pub booking_web: String,
    pub hours: String,
    pub hours_en: String,
    pub notice: String,
    pub notice_easy: String,
    pub notice_en: String,
    pub homepage: String,
    pub parking: String,
}

/// A 一般向け site as the finder reads it: its columns, its record's public details, and the
/// codes of the vaccines it handles.
#[derive(Debug, Clone)]
pub struct FinderRecord {
    pub id: i64,
    pub municipality_code: String,
    pub name: String,
    pub postal_code: String,
    pub address: String,
    pub reservation_status: String,
    pub reservation_updated_at: Option<DateTime<Utc>>,
    pub details: PublicDetails,
    pub vaccines: Vec<String>,
}

/// The row as stored.
#[derive(FromRow)]
struct FinderRow {
    id: i64,
    municipality_code: String,
    name: String,
    postal_code: String,
    address: String,
    reservation_status: String,
    #[sqlx(try_from = "StoredOptionalTime")]
    reservation_updated_at: Option<DateTime<Utc>>,
    details: String,
    vaccines: Option<String>,
}

impl TryFrom<FinderRow> for FinderRecord {
    type Error = sqlx::Error;

    /// Decodes the details; a record that does not decode is an error naming the site, never
    /// an empty record.
    fn try_from(row: FinderRow) -> sqlx::Result<Self> {
        let details = serde_json::from_str(&row.details).map_err(|error| {
            sqlx::Error::Decode(
                format!("the details of site {} do not decode: {error}", row.id).into(),
            )
        })?;
        Ok(Self {
            id: row.id,
            municipality_code: row.municipality_code,
            name: row.name,
            postal_code: row.postal_code,
            address: row.address,
            reservation_status: row.reservation_status,
            reservation_updated_at: row.reservation_updated_at,
            details,
            vaccines: row
                .vaccines
                .map(|codes| codes.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    }
}

/// What a finder page asks for.
#[derive(Debug, Clone, Copy)]
pub struct FinderFilter<'a> {
    /// The page holds the sites after this (municipality code, name, id), which must not lie
    /// before the first municipality searched: it is the lower bound of the search.
    pub after: (&'a str, &'a str, i64),
    /// The last municipality code searched: a prefecture's codes begin with its two digits
    /// (`130000`–`139999`), one municipality is its own range.
    pub last_municipality: &'a str,
    /// Only sites that handle this vaccine.
    pub vaccine: Option<&'a str>,
    /// Only sites with this reservation status.
    pub status: Option<&'a str>,
    /// At most this many sites.
    pub limit: i64,
}

/// 一般向け sites in the finder's order (municipality code, name, id), one page: one query,
/// which seeks the `sites_finder_order` index to the cursor and stops at the page's end (the
/// cursor is the only lower bound: given a second one, SQLite seeks by that and walks every
/// earlier site of the prefecture). A 一般不可 site can never match: the filter is in the SQL.
pub async fn finder_search(
    conn: &mut AnyConnection,
    filter: FinderFilter<'_>,
) -> sqlx::Result<Vec<FinderRecord>> {
    let rows = checked_query_as!(
        FinderRow,
        "SELECT s.id, s.municipality_code, s.name, s.postal_code, s.address,
            s.reservation_status, s.reservation_updated_at, s.details,
            (SELECT string_agg(sv.vaccine_code, ',') FROM site_vaccines sv
             WHERE sv.site_id = s.id) AS vaccines
         FROM sites s
         WHERE s.general_public = 'general'
           AND (s.municipality_code, s.name, s.id) > ($1, $2, $3)
           AND s.municipality_code <= $4
           AND (CAST($5 AS TEXT) IS NULL OR EXISTS (
                SELECT 1 FROM site_vaccines sf WHERE sf.site_id = s.id AND sf.vaccine_code = $5))
           AND (CAST($6 AS TEXT) IS NULL OR s.reservation_status = $6)
         ORDER BY s.municipality_code, s.name, s.id
         LIMIT $7",
        filter.after.0,
        filter.after.1,
        filter.after.2,
        filter.last_municipality,
        filter.vaccine,
        filter.status,
        filter.limit
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(FinderRecord::try_from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::SiteForm;

    #[test]
    fn the_public_details_read_each_public_field_of_a_stored_site_form() {
        let form = SiteForm {
            name_kana: "name_kana".into(),
            name_en: "name_en".into(),
            public_phone: "public_phone".into(),
            public_url: "public_url".into(),
            booking_phone: Some(app::domain::Booking::Possible),
            booking_web: Some(app::domain::Booking::Impossible),
            hours: "hours".into(),
            hours_en: "hours_en".into(),
            notice: "notice".into(),
            notice_easy: "notice_easy".into(),
            notice_en: "notice_en".into(),
            homepage: "homepage".into(),
            parking: "parking".into(),
            representative: "not public".into(),
            ..SiteForm::default()
        };
        let stored = serde_json::to_string(&form).unwrap();
        let public: PublicDetails = serde_json::from_str(&stored).unwrap();
        assert_eq!(
            public,
            PublicDetails {
                name_kana: form.name_kana,
                name_en: form.name_en,
                public_phone: form.public_phone,
                public_url: form.public_url,
                booking_phone: "possible".into(),
                booking_web: "impossible".into(),
                hours: form.hours,
                hours_en: form.hours_en,
                notice: form.notice,
                notice_easy: form.notice_easy,
                notice_en: form.notice_en,
                homepage: form.homepage,
                parking: form.parking,
            }
        );
        assert!(serde_json::from_str::<PublicDetails>("{\"hours\": 5}").is_err());
        assert!(serde_json::from_str::<PublicDetails>("{\"hours\": ").is_err());
    }
}
