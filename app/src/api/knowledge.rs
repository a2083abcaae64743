//! ナレッジ and the AI自動応答チャットボット: articles, their searched list, their attachments'
//! versions, and answers from the articles.
//!
//! The server implements [`KnowledgeApi`] in `server/src/service/knowledge.rs`. Attachments are
//! downloaded from `/files/{id}` (a plain GET, `Content-Disposition: attachment`).

use crate::api::AppHttp;
use crate::domain::help::{ArticleCategory, ArticleKind, MediaType, Upload};
use crate::domain::Role;
use crate::error::AppError;
use leptos::server;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::backend::backend;

/// The search box and filters of the ナレッジ tab.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleQuery {
    /// ナレッジを検索... (any part of a word; empty for every article).
    pub text: String,
    /// 対象者.
    pub audience: Option<Role>,
    /// 情報種類.
    pub category: Option<ArticleCategory>,
    /// 記事タイプ (empty: すべての記事タイプ).
    pub kind: Option<ArticleKind>,
}

/// An article in a list: 000001031 • FAQ • 最終公開日.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    /// 000001031.
    pub number: String,
    /// Title.
    pub title: String,
    /// 記事タイプ.
    pub kind: ArticleKind,
    /// 最終公開日 (YYYY-MM-DD).
    pub published_on: String,
}

/// One version of an article's attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileVersion {
    /// バージョン N.
    pub version: i64,
    /// The file to download from `/files/{file_id}`.
    pub file_id: i64,
    /// File name.
    pub name: String,
    /// Its type.
    pub media_type: MediaType,
    /// Bytes.
    pub size: u64,
    /// 所有者: who uploaded it.
    pub owner: String,
    /// 最終更新日 (YYYY-MM-DD).
    pub uploaded_on: String,
}

/// A whole article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    /// Number, title, type and date.
    pub summary: ArticleSummary,
    /// 情報種類.
    pub category: ArticleCategory,
    /// 対象者.
    pub audiences: Vec<Role>,
    /// The body, paragraphs separated by blank lines.
    pub body: String,
    /// Every version of the attachment, newest first.
    pub versions: Vec<FileVersion>,
    /// Whether the caller may upload a new version.
    pub can_upload: bool,
}

/// The chatbot's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatAnswer {
    /// The question, as asked.
    pub question: String,
    /// False when the best match is weak: the chatbot says so and offers the inquiry form.
    pub answered: bool,
    /// The best passage (a paragraph of the best article).
    pub passage: Option<String>,
    /// The best article, then up to two more.
    pub articles: Vec<ArticleSummary>,
}

/// A question the chatbot could not answer, with how often it was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnansweredQuestion {
    /// The question (its latest wording).
    pub question: String,
    /// Times asked.
    pub count: u32,
    /// Last asked (RFC 3339, JST).
    pub last_asked: String,
}

/// ナレッジ: the articles for the caller's role matching `query`, best match first (newest first
/// without search text).
#[server(prefix = "/api", endpoint = "search_articles", protocol = AppHttp<Json>)]
pub async fn search_articles(query: ArticleQuery) -> Result<Vec<ArticleSummary>, AppError> {
    backend()?.search_articles(query).await
}

/// One article by its number.
#[server(prefix = "/api", endpoint = "load_article", protocol = AppHttp<Json>)]
pub async fn load_article(number: String) -> Result<ArticleView, AppError> {
    backend()?.load_article(number).await
}

/// Uploads a new version of an article's attachment (national and admin users).
#[server(prefix = "/api", endpoint = "upload_article_file", protocol = AppHttp<Json>)]
pub async fn upload_article_file(number: String, file: Upload) -> Result<ArticleView, AppError> {
    backend()?.upload_article_file(number, file).await
}

/// Asks the chatbot.
#[server(prefix = "/api", endpoint = "ask_chatbot", protocol = AppHttp<Json>)]
pub async fn ask_chatbot(question: String) -> Result<ChatAnswer, AppError> {
    backend()?.ask_chatbot(question).await
}

/// The questions the chatbot could not answer, most asked first (the service desk).
#[server(prefix = "/api", endpoint = "unanswered_questions", protocol = AppHttp<Json>)]
pub async fn unanswered_questions() -> Result<Vec<UnansweredQuestion>, AppError> {
    backend()?.unanswered_questions().await
}

/// The server side of this area's server functions; implemented by the server crate.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait KnowledgeApi: Send + Sync {
    /// ナレッジ's list.
    async fn search_articles(&self, query: ArticleQuery) -> Result<Vec<ArticleSummary>, AppError>;
    /// One article.
    async fn load_article(&self, number: String) -> Result<ArticleView, AppError>;
    /// A new version of the attachment.
    async fn upload_article_file(
        &self,
        number: String,
        file: Upload,
    ) -> Result<ArticleView, AppError>;
    /// The chatbot.
    async fn ask_chatbot(&self, question: String) -> Result<ChatAnswer, AppError>;
    /// Unanswered questions.
    async fn unanswered_questions(&self) -> Result<Vec<UnansweredQuestion>, AppError>;
}
