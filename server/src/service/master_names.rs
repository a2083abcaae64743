//! The master data's names in Japanese and English (prefectures, municipalities, vaccines), read
//! once when the server starts. The master data is loaded before the server serves and nothing
//! changes it while it runs, so the public finder names places and vaccines without a query and
//! romanises each place name once, not once per search.

use super::place_names::place_name_en;
use crate::db::site_record::vaccine_names;
use crate::db::{master, Db};
use app::api::NamedChoice;
use std::collections::HashMap;

/// Where a municipality lies, as the finder shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Its prefecture's code.
    pub prefecture: i64,
    /// 都道府県 and 市町村 (東京都千代田区).
    pub ja: String,
    /// 市町村 and 都道府県 in English (Chiyoda-ku, Tokyo).
    pub en: String,
}

/// The names of the master data, in master order.
#[derive(Debug, Default)]
pub struct MasterNames {
    prefectures: Vec<NamedChoice>,
    municipalities: HashMap<i64, Vec<NamedChoice>>,
    places: HashMap<String, Place>,
    vaccines: Vec<NamedChoice>,
}

impl MasterNames {
    /// Reads the master data (after it was loaded).
    pub async fn load(db: &Db) -> anyhow::Result<Self> {
        let mut conn = db.pool.acquire().await?;
        let prefectures = master::prefectures(&mut conn).await?;
        let municipalities = master::municipality_names(&mut conn).await?;
        let vaccines = vaccine_names(&mut conn).await?;
        let mut names = Self {
            prefectures: prefectures
                .iter()
                .map(|p| NamedChoice {
                    value: p.code.to_string(),
                    ja: p.name.clone(),
                    en: p.name_en.clone(),
                })
                .collect(),
            vaccines: vaccines
                .into_iter()
                .map(|(value, ja, en)| NamedChoice { value, ja, en })
                .collect(),
            ..Self::default()
        };
        let prefecture_names: HashMap<i64, (&str, &str)> = prefectures
            .iter()
            .map(|p| (p.code, (p.name.as_str(), p.name_en.as_str())))
            .collect();
        for m in municipalities {
            let (prefecture_ja, prefecture_en) = prefecture_names
                .get(&m.prefecture_code)
                .copied()
                .unwrap_or_default();
            let english = place_name_en(&m.name, &m.name_kana);
            names.places.insert(
                m.code.clone(),
                Place {
                    prefecture: m.prefecture_code,
                    ja: format!("{prefecture_ja}{}", m.name),
                    en: format!("{english}, {prefecture_en}"),
                },
            );
            names
                .municipalities
                .entry(m.prefecture_code)
                .or_default()
                .push(NamedChoice {
                    value: m.code,
                    ja: m.name,
                    en: english,
                });
        }
        Ok(names)
    }

    /// The 47 prefectures, by code.
    pub fn prefectures(&self) -> &[NamedChoice] {
        &self.prefectures
    }

    /// The municipalities of a prefecture, by code (none for an unknown prefecture).
    pub fn municipalities_of(&self, prefecture: i64) -> &[NamedChoice] {
        self.municipalities
            .get(&prefecture)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Where the municipality `code` lies.
    pub fn place(&self, code: &str) -> Option<&Place> {
        self.places.get(code)
    }

    /// Every vaccine, in master order.
    pub fn vaccines(&self) -> &[NamedChoice] {
        &self.vaccines
    }
}
