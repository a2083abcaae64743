//! コロナワクチンナビ: the public finder (no login), showing only 一般向け sites and their public fields.
//!
//! The server implements [`FinderApi`] in `server/src/service/finder.rs`.

use crate::api::AppHttp;
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// A choice named in Japanese and English (English falls back to Japanese where none exists).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedChoice {
    /// The value sent back.
    pub value: String,
    /// 日本語
    pub ja: String,
    /// English
    pub en: String,
}

/// What the finder offers to choose from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderChoices {
    /// 都道府県
    pub prefectures: Vec<NamedChoice>,
    /// The municipalities of the chosen prefecture.
    pub municipalities: Vec<NamedChoice>,
    /// The vaccines.
    pub vaccines: Vec<NamedChoice>,
}

/// A finder search: the filters, and where the page starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderQuery {
    /// 都道府県 code (required).
    pub prefecture: u8,
    /// 市町村 code, or empty for all.
    pub municipality: String,
    /// Vaccine code, or empty for all.
    pub vaccine: String,
    /// Reservation status, or empty for all.
    pub status: String,
    /// The first page when absent; else the page after this site (a [`FinderResult::next`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<FinderCursor>,
}

impl FinderQuery {
    /// The same search, from the page after `cursor`.
    pub fn after(&self, cursor: FinderCursor) -> Self {
        Self {
            after: Some(cursor),
            ..self.clone()
        }
    }
}

/// A place in the finder's order (municipality code, then name, then id): a page holds the sites
/// after it. Keyset paging, so a page never repeats or skips a site while others change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderCursor {
    /// 市町村 code of the last site shown.
    pub municipality: String,
    /// Its name.
    pub name: String,
    /// Its id.
    pub id: i64,
}

/// One 一般向け site as the public sees it (▼コロナワクチンナビでの公開情報).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderSite {
    /// Id.
    pub id: i64,
    /// 医療機関・接種会場名
    pub name: String,
    /// (ふりがな)
    pub name_kana: String,
    /// (英語)
    pub name_en: String,
    /// 都道府県 and 市町村
    pub municipality: String,
    /// 市町村 and 都道府県 in English (Chiyoda-ku, Tokyo).
    pub municipality_en: String,
    /// 郵便番号
    pub postal_code: String,
    /// 町名・番地
    pub address: String,
    /// 予約受付の電話番号
    pub phone: String,
    /// 予約受付サイトURL
    pub url: String,
    /// 予約可否(電話番号)
    pub booking_phone: String,
    /// 予約可否(Web)
    pub booking_web: String,
    /// 受付時間
    pub hours: String,
    /// 受付時間(英語)
    pub hours_en: String,
    /// お知らせ
    pub notice: String,
    /// お知らせ(やさしい日本語)
    pub notice_easy: String,
    /// お知らせ(英語)
    pub notice_en: String,
    /// ホームページ
    pub homepage: String,
    /// 駐車場
    pub parking: String,
    /// Vaccines.
    pub vaccines: Vec<NamedChoice>,
    /// 予約の受付情報 (stored name).
    pub status: String,
    /// When the status last changed (RFC 3339, JST).
    pub status_updated_at: Option<String>,
    /// Not updated for 14 days: may be out of date.
    pub stale: bool,
}

/// One page of a finder search: at most [`FINDER_PAGE_SIZE`] sites.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderResult {
    /// The sites, in the finder's order (municipality code, name, id).
    pub sites: Vec<FinderSite>,
    /// When more sites match: the cursor that asks for the next page ([`FinderQuery::after`]).
    pub next: Option<FinderCursor>,
}

/// How many sites one finder page lists.
pub const FINDER_PAGE_SIZE: usize = 50;

/// The finder's choices (no login). A GET whose answer is the same for everyone, so a CDN or
/// reverse proxy may keep it for a short time (see the server's cache policy).
#[server(prefix = "/api", endpoint = "finder_options", protocol = AppHttp<GetUrl>)]
pub async fn finder_options(prefecture: Option<u8>) -> Result<FinderChoices, AppError> {
    backend()?.finder_options(prefecture).await
}

/// Searches 一般向け sites (no login), one page at a time. A GET like [`finder_options`].
#[server(prefix = "/api", endpoint = "finder_search", protocol = AppHttp<GetUrl>)]
pub async fn finder_search(query: FinderQuery) -> Result<FinderResult, AppError> {
    backend()?.finder_search(query).await
}

/// The server side of this area's server functions, one method each with the same arguments
/// and result; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait FinderApi: Send + Sync {
    /// The finder's choices (no login).
    async fn finder_options(&self, prefecture: Option<u8>) -> Result<FinderChoices, AppError>;
    /// Searches 一般向け sites (no login).
    async fn finder_search(&self, query: FinderQuery) -> Result<FinderResult, AppError>;
}
