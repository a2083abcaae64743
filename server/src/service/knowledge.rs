//! ナレッジ and the chatbot: every user reads the articles; national and admin users upload the
//! attachments' versions; the chatbot answers from the passages and logs what it could not.

use super::{OrInternal, RequestBackend};
use crate::clock::to_jst_rfc3339;
use crate::db::audit::{self, Change};
use crate::db::files::{self, FileRecord};
use crate::db::knowledge::{self as db, ArticleFilter, ArticleListRow, ArticleRecord, PassageHit};
use crate::db::notices::parse_roles;
use app::api::{
    ArticleQuery, ArticleSummary, ArticleView, ChatAnswer, FileVersion, KnowledgeApi,
    UnansweredQuestion,
};
use app::domain::help::knowledge::question_terms;
use app::domain::help::{ArticleKind, FileRules, MediaType, Upload};
use app::domain::Role;
use app::error::{AppError, FieldErrors};

/// Every role reads ナレッジ and asks the chatbot.
const READERS: &[Role] = &Role::ALL;
/// Who uploads attachments.
pub const FILE_KEEPERS: &[Role] = &[Role::National, Role::Admin];
/// Who reads the questions the chatbot could not answer: the service desk.
const DESK: &[Role] = &[Role::Admin];
/// The longest question the chatbot takes.
const QUESTION_MAX: usize = 500;
/// How many passages the chatbot reads before choosing its three articles.
const PASSAGES_READ: i64 = 40;
/// The share of the question's content words that the best passage must hold for an answer;
/// below it the chatbot says it found nothing sure and offers the inquiry form.
pub const ANSWER_COVERAGE: f64 = 0.6;

#[async_trait::async_trait]
impl KnowledgeApi for RequestBackend {
    async fn search_articles(&self, query: ArticleQuery) -> Result<Vec<ArticleSummary>, AppError> {
        self.require_role(READERS).await?;
        let text = fold_width(&query.text);
        let filter = ArticleFilter {
            words: text
                .split_whitespace()
                .take(8)
                .map(str::to_string)
                .collect(),
            audience: query.audience.map(|r| format!("%,{},%", r.as_str())),
            category: query.category,
            kind: query.kind,
        };
        let mut conn = self.conn().await?;
        let rows = db::search(&mut conn, self.state.db.kind, &filter)
            .await
            .or_internal("search articles")?;
        Ok(rows.into_iter().map(summary).collect())
    }

    async fn load_article(&self, number: String) -> Result<ArticleView, AppError> {
        let caller = self.require_role(READERS).await?;
        let mut conn = self.conn().await?;
        let article = db::by_number(&mut conn, &number)
            .await
            .or_internal("load article")?
            .ok_or(AppError::NotFound)?;
        article_view(&mut conn, article, FILE_KEEPERS.contains(&caller.role)).await
    }

    async fn upload_article_file(
        &self,
        number: String,
        file: Upload,
    ) -> Result<ArticleView, AppError> {
        let caller = self.require_role(FILE_KEEPERS).await?;
        let now = self.now();
        let mut tx = self.state.db.begin().await.or_internal("begin")?;
        let article = db::by_number(&mut tx, &number)
            .await
            .or_internal("load article")?
            .ok_or(AppError::NotFound)?;
        let rules = match article.kind {
            ArticleKind::Video => FileRules::VIDEO_ARTICLE,
            ArticleKind::Faq | ArticleKind::Manual => FileRules::ARTICLE,
        };
        let media_type = rules.check(&file).map_err(|error| {
            let mut errors = FieldErrors::new();
            errors.add("file", error);
            AppError::Validation(errors)
        })?;
        let name = file.name.trim();
        let file_id = files::insert(
            &mut tx,
            name,
            media_type.mime(),
            &file.content.0,
            caller.user.id,
            now,
        )
        .await
        .or_internal("store file")?;
        let version = db::add_version(&mut tx, article.id, file_id)
            .await
            .or_internal("add version")?;
        audit::record(
            &mut tx,
            now,
            caller.actor(),
            Change {
                entity: "article",
                entity_id: article.number.clone(),
                field: "file",
                old_value: None,
                new_value: Some(format!(
                    "バージョン {version}: {name} ({} bytes)",
                    file.content.0.len()
                )),
            },
        )
        .await
        .or_internal("audit")?;
        let view = article_view(&mut tx, article, true).await?;
        tx.commit().await.or_internal("commit")?;
        Ok(view)
    }

    async fn ask_chatbot(&self, question: String) -> Result<ChatAnswer, AppError> {
        let caller = self.require_role(READERS).await?;
        let question: String = question.trim().chars().take(QUESTION_MAX).collect();
        if question.is_empty() {
            let mut errors = FieldErrors::new();
            errors.add("question", app::error::FieldError::Required);
            return Err(AppError::Validation(errors));
        }
        let mut conn = self.conn().await?;
        let answer = answer(&mut conn, self.state.db.kind, &question).await?;
        let normalized = fold_width(&question)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let article_id = answer.1;
        // The log is for the service desk, not a change to any record: no audit row.
        db::log_question(
            &mut conn,
            &question,
            &normalized,
            article_id,
            caller.user.id,
            self.now(),
        )
        .await
        .or_internal("log question")?;
        Ok(answer.0)
    }

    async fn unanswered_questions(&self) -> Result<Vec<UnansweredQuestion>, AppError> {
        self.require_role(DESK).await?;
        let mut conn = self.conn().await?;
        let rows = db::unanswered(&mut conn)
            .await
            .or_internal("load unanswered questions")?;
        Ok(rows
            .into_iter()
            .map(|r| UnansweredQuestion {
                question: r.question,
                count: r.count as u32,
                last_asked: to_jst_rfc3339(r.last_asked),
            })
            .collect())
    }
}

/// The chatbot's answer to `question`, with the answering article's id when it answered.
pub async fn answer(
    conn: &mut sqlx::AnyConnection,
    kind: crate::db::DbKind,
    question: &str,
) -> Result<(ChatAnswer, Option<i64>), AppError> {
    let terms = question_terms(question);
    let hits = if terms.is_empty() {
        Vec::new()
    } else {
        db::passages(conn, kind, &terms, PASSAGES_READ)
            .await
            .or_internal("search passages")?
    };
    let mut articles: Vec<&PassageHit> = Vec::new();
    for hit in &hits {
        if !articles.iter().any(|a| a.article_id == hit.article_id) {
            articles.push(hit);
        }
        if articles.len() == 3 {
            break;
        }
    }
    let best = hits.first();
    let answered = best.is_some_and(|best| coverage(&terms, &best.terms) >= ANSWER_COVERAGE);
    Ok((
        ChatAnswer {
            question: question.to_string(),
            answered,
            passage: best.filter(|_| answered).map(|b| b.text.clone()),
            articles: articles
                .into_iter()
                .map(|hit| ArticleSummary {
                    number: hit.number.clone(),
                    title: hit.title.clone(),
                    kind: hit.kind,
                    published_on: hit.published_on.clone(),
                })
                .collect(),
        },
        best.filter(|_| answered).map(|b| b.article_id),
    ))
}

/// The share of `terms` that the passage's terms hold (how sure the answer is; the ranking is
/// the engine's).
pub fn coverage(terms: &[String], passage_terms: &str) -> f64 {
    if terms.is_empty() {
        return 0.0;
    }
    let found = terms
        .iter()
        .filter(|term| passage_terms.contains(term.as_str()))
        .count();
    found as f64 / terms.len() as f64
}

fn summary(row: ArticleListRow) -> ArticleSummary {
    ArticleSummary {
        number: row.number,
        title: row.title,
        kind: row.kind,
        published_on: row.published_on,
    }
}

async fn article_view(
    conn: &mut sqlx::AnyConnection,
    article: ArticleRecord,
    can_upload: bool,
) -> Result<ArticleView, AppError> {
    let versions = db::versions(conn, article.id)
        .await
        .or_internal("load versions")?;
    let mut files = Vec::with_capacity(versions.len());
    for v in versions {
        files.push(FileVersion {
            version: v.version,
            file_id: v.file.id,
            media_type: MediaType::from_mime(&v.file.media_type)
                .ok_or("unknown media type")
                .or_internal("decode file type")?,
            name: v.file.name,
            size: v.file.size as u64,
            owner: v.file.owner,
            uploaded_on: app::domain::jst_date(v.file.uploaded_at).to_string(),
        });
    }
    Ok(ArticleView {
        category: article.category,
        audiences: parse_roles(&article.audiences).or_internal("decode audiences")?,
        body: article.body,
        summary: ArticleSummary {
            number: article.number,
            title: article.title,
            kind: article.kind,
            published_on: article.published_on,
        },
        versions: files,
        can_upload,
    })
}

impl RequestBackend {
    /// A file for `/files/{id}`: an article's attachment for every user with a finished first
    /// login; an inquiry's for its sender and the service desk. Another reads as not found.
    pub async fn download_file(&self, id: i64) -> Result<(FileRecord, MediaType), AppError> {
        let caller = self.require_role(READERS).await?;
        let mut conn = self.conn().await?;
        let owners = files::owners(&mut conn, id)
            .await
            .or_internal("load file owners")?;
        let allowed = owners.article
            || caller.role == Role::Admin
            || owners.inquiry_users.contains(&caller.user.id);
        if !allowed {
            return Err(AppError::NotFound);
        }
        let file = files::load(&mut conn, id)
            .await
            .or_internal("load file")?
            .ok_or(AppError::NotFound)?;
        let media_type = MediaType::from_mime(&file.media_type)
            .ok_or("unknown media type")
            .or_internal("decode file type")?;
        Ok((file, media_type))
    }
}

/// Full-width Latin letters and digits as ASCII and the ideographic space as a space, and
/// nothing else (`app::text::normalize_width` also turns the long vowel mark ー into a hyphen,
/// which would break パスワード).
fn fold_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .collect()
}
