//! ナレッジ: articles, their attachments' versions, their passages and the two engines' full-text
//! indexes (SQLite FTS5 with the trigram tokenizer; PostgreSQL pg_trgm), and the chatbot's log.
//!
//! The searches differ by engine and are built at run time from fixed fragments, the user's
//! words always bound, so they go through `sqlx::query_as` rather than the checked macros.

use super::files::FileMeta;
use super::{DbKind, StoredTime};
use app::domain::help::knowledge::script_terms;
use app::domain::help::{ArticleCategory, ArticleKind};
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// An article row.
#[derive(Debug, Clone, FromRow)]
pub struct ArticleRecord {
    pub id: i64,
    pub number: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub kind: ArticleKind,
    #[sqlx(try_from = "String")]
    pub category: ArticleCategory,
    pub audiences: String,
    pub body: String,
    pub published_on: String,
}

/// An article in a list.
#[derive(Debug, Clone, FromRow)]
pub struct ArticleListRow {
    pub number: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub kind: ArticleKind,
    pub published_on: String,
}

/// An article to store (demo content, imports).
#[derive(Debug, Clone)]
pub struct NewArticle<'a> {
    pub number: &'a str,
    pub title: &'a str,
    pub kind: ArticleKind,
    pub category: ArticleCategory,
    /// `,site,municipality,`.
    pub audiences: String,
    pub body: &'a str,
    pub published_on: &'a str,
}

/// The filters of the ナレッジ tab, as the repository takes them.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Words, each matched anywhere in the title or body (all must match).
    pub words: Vec<String>,
    /// `%,site,%`, or none.
    pub audience: Option<String>,
    pub category: Option<ArticleCategory>,
    pub kind: Option<ArticleKind>,
}

/// A passage the chatbot found, with its article.
#[derive(Debug, Clone, FromRow)]
pub struct PassageHit {
    pub article_id: i64,
    pub number: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub kind: ArticleKind,
    pub published_on: String,
    pub text: String,
    pub terms: String,
}

/// A version of an attachment.
#[derive(Debug, Clone)]
pub struct VersionRecord {
    pub version: i64,
    pub file: FileMeta,
}

/// The paragraphs of a body (separated by blank lines), trimmed, none empty.
pub fn paragraphs(body: &str) -> Vec<String> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Stores an article with its passages and index rows; returns its id.
pub async fn insert_article(
    conn: &mut AnyConnection,
    kind: DbKind,
    article: &NewArticle<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let id: i64 = checked_scalar!(
        "INSERT INTO articles (number, title, kind, category, audiences, body, published_on,
             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        article.number,
        article.title,
        article.kind.as_str(),
        article.category.as_str(),
        article.audiences.clone(),
        article.body,
        article.published_on,
        now.timestamp()
    )
    .fetch_one(&mut *conn)
    .await?;
    if kind == DbKind::Sqlite {
        sqlx::query("INSERT INTO article_fts (rowid, title, body) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(article.title)
            .bind(article.body)
            .execute(&mut *conn)
            .await?;
    }
    for (position, text) in paragraphs(article.body).iter().enumerate() {
        let terms = script_terms(&format!("{}\n{text}", article.title));
        let passage: i64 = checked_scalar!(
            "INSERT INTO article_passages (article_id, position, text, terms)
             VALUES ($1, $2, $3, $4) RETURNING id",
            id,
            position as i64,
            text.clone(),
            terms.clone()
        )
        .fetch_one(&mut *conn)
        .await?;
        if kind == DbKind::Sqlite {
            sqlx::query("INSERT INTO passage_fts (rowid, terms) VALUES ($1, $2)")
                .bind(passage)
                .bind(terms)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(id)
}

/// A phrase for FTS5's MATCH: the text between double quotes, its own quotes doubled.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The articles matching `filter`: with words of three characters or more, through the
/// engine's trigram index and ranked by it (FTS5's bm25, the title weighing five times the
/// body; pg_trgm's similarity to the title, then to the body); shorter words are matched as
/// substrings. Without words, the newest 最終公開日 first.
pub async fn search(
    conn: &mut AnyConnection,
    kind: DbKind,
    filter: &ArticleFilter,
) -> sqlx::Result<Vec<ArticleListRow>> {
    let long: Vec<&String> = filter
        .words
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .collect();
    let mut binds: Vec<String> = Vec::new();
    let mut conditions: Vec<String> = Vec::new();
    let bind = |value: String, binds: &mut Vec<String>| {
        binds.push(value);
        format!("${}", binds.len())
    };
    let fts = kind == DbKind::Sqlite && !long.is_empty();
    if fts {
        let phrases: Vec<String> = long.iter().map(|w| fts_phrase(w)).collect();
        let p = bind(phrases.join(" AND "), &mut binds);
        conditions.push(format!("article_fts MATCH {p}"));
    }
    for word in &filter.words {
        if fts && word.chars().count() >= 3 {
            continue;
        }
        let pattern = super::notices::contains_pattern(word);
        let p = bind(pattern, &mut binds);
        let like = if kind == DbKind::Postgres {
            "ILIKE"
        } else {
            "LIKE"
        };
        conditions.push(format!(
            "(a.title {like} {p} ESCAPE '\\' OR a.body {like} {p} ESCAPE '\\')"
        ));
    }
    if let Some(audience) = &filter.audience {
        let p = bind(audience.clone(), &mut binds);
        conditions.push(format!("a.audiences LIKE {p}"));
    }
    if let Some(category) = filter.category {
        let p = bind(category.as_str().to_string(), &mut binds);
        conditions.push(format!("a.category = {p}"));
    }
    if let Some(article_kind) = filter.kind {
        let p = bind(article_kind.as_str().to_string(), &mut binds);
        conditions.push(format!("a.kind = {p}"));
    }
    let order = match (kind, filter.words.is_empty()) {
        (_, true) => "a.published_on DESC, a.number DESC".to_string(),
        (DbKind::Sqlite, false) if fts => "bm25(article_fts, 5.0, 1.0), a.published_on DESC".into(),
        (DbKind::Sqlite, false) => "a.published_on DESC, a.number DESC".into(),
        (DbKind::Postgres, false) => {
            let p = bind(filter.words.join(" "), &mut binds);
            format!(
                "word_similarity({p}, a.title) DESC, word_similarity({p}, a.body) DESC, \
                 a.published_on DESC"
            )
        }
    };
    let from = if fts {
        "article_fts JOIN articles a ON a.id = article_fts.rowid"
    } else {
        "articles a"
    };
    let filter_sql = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT a.number, a.title, a.kind, a.published_on FROM {from} {filter_sql} \
         ORDER BY {order} LIMIT 200"
    );
    let mut query = sqlx::query_as::<_, ArticleListRow>(&sql);
    for value in binds {
        query = query.bind(value);
    }
    query.fetch_all(conn).await
}

/// The passages that best match the question's `terms` (content words), best first: FTS5's
/// bm25 over the trigram index of the passages' script-spaced terms (a two-character word is
/// matched as a word start or end, " 請求" / "請求 ", a longer one anywhere), or pg_trgm's
/// similarity of the terms to each passage (better than its word similarity on the evaluation
/// set: 90 % against 80 % of the right articles in the top 3).
pub async fn passages(
    conn: &mut AnyConnection,
    kind: DbKind,
    terms: &[String],
    limit: i64,
) -> sqlx::Result<Vec<PassageHit>> {
    const COLUMNS: &str =
        "p.article_id, a.number, a.title, a.kind, a.published_on, p.text, p.terms";
    match kind {
        DbKind::Sqlite => {
            let phrases: Vec<String> = terms
                .iter()
                .flat_map(|term| {
                    if term.chars().count() >= 3 {
                        vec![fts_phrase(term)]
                    } else {
                        vec![
                            fts_phrase(&format!(" {term}")),
                            fts_phrase(&format!("{term} ")),
                        ]
                    }
                })
                .collect();
            let sql = format!(
                "SELECT {COLUMNS} FROM passage_fts
                 JOIN article_passages p ON p.id = passage_fts.rowid
                 JOIN articles a ON a.id = p.article_id
                 WHERE passage_fts MATCH $1 ORDER BY bm25(passage_fts) LIMIT $2"
            );
            sqlx::query_as::<_, PassageHit>(&sql)
                .bind(phrases.join(" OR "))
                .bind(limit)
                .fetch_all(conn)
                .await
        }
        DbKind::Postgres => {
            let sql = format!(
                "SELECT {COLUMNS} FROM article_passages p JOIN articles a ON a.id = p.article_id
                 WHERE similarity($1, p.terms) > 0
                 ORDER BY similarity($1, p.terms) DESC, p.id LIMIT $2"
            );
            sqlx::query_as::<_, PassageHit>(&sql)
                .bind(format!(" {} ", terms.join(" ")))
                .bind(limit)
                .fetch_all(conn)
                .await
        }
    }
}

/// One article by its number.
pub async fn by_number(
    conn: &mut AnyConnection,
    number: &str,
) -> sqlx::Result<Option<ArticleRecord>> {
    checked_query_as!(
        ArticleRecord,
        "SELECT id, number, title, kind, category, audiences, body, published_on
         FROM articles WHERE number = $1",
        number
    )
    .fetch_optional(conn)
    .await
}

#[derive(FromRow)]
struct VersionRow {
    version: i64,
    id: i64,
    name: String,
    media_type: String,
    size: i64,
    #[sqlx(try_from = "StoredTime")]
    uploaded_at: DateTime<Utc>,
    owner: String,
}

/// Every version of an article's attachment, newest first.
pub async fn versions(
    conn: &mut AnyConnection,
    article_id: i64,
) -> sqlx::Result<Vec<VersionRecord>> {
    let rows = checked_query_as!(
        VersionRow,
        "SELECT v.version, f.id, f.name, f.media_type, f.size, f.uploaded_at,
                u.display_name AS owner
         FROM article_files v JOIN files f ON f.id = v.file_id
         JOIN users u ON u.id = f.uploaded_by
         WHERE v.article_id = $1 ORDER BY v.version DESC",
        article_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| VersionRecord {
            version: r.version,
            file: FileMeta {
                id: r.id,
                name: r.name,
                media_type: r.media_type,
                size: r.size,
                uploaded_at: r.uploaded_at,
                owner: r.owner,
            },
        })
        .collect())
}

/// Adds `file_id` as the next version of the article's attachment; returns its number.
pub async fn add_version(
    conn: &mut AnyConnection,
    article_id: i64,
    file_id: i64,
) -> sqlx::Result<i64> {
    checked_scalar!(
        "INSERT INTO article_files (article_id, version, file_id)
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2 FROM article_files WHERE article_id = $1
         RETURNING version",
        article_id,
        file_id
    )
    .fetch_one(conn)
    .await
}

/// Logs a question put to the chatbot.
pub async fn log_question(
    conn: &mut AnyConnection,
    question: &str,
    normalized: &str,
    article_id: Option<i64>,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO chat_questions (question, normalized, answered, article_id, user_id, asked_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        question,
        normalized,
        i64::from(article_id.is_some()),
        article_id,
        user_id,
        now.timestamp()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An unanswered question, grouped by its normalized form.
#[derive(Debug, Clone, FromRow)]
pub struct UnansweredRow {
    pub question: String,
    pub count: i64,
    #[sqlx(try_from = "StoredTime")]
    pub last_asked: DateTime<Utc>,
}

/// The questions the chatbot could not answer, most asked first (then the latest).
pub async fn unanswered(conn: &mut AnyConnection) -> sqlx::Result<Vec<UnansweredRow>> {
    checked_query_as!(
        UnansweredRow,
        "SELECT MAX(question) AS question, CAST(COUNT(*) AS BIGINT) AS count,
                MAX(asked_at) AS last_asked
         FROM chat_questions WHERE answered = 0
         GROUP BY normalized ORDER BY COUNT(*) DESC, MAX(asked_at) DESC LIMIT 200",
    )
    .fetch_all(conn)
    .await
}

/// How many articles there are (the demo loads them once).
pub async fn count(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    checked_scalar!("SELECT CAST(COUNT(*) AS BIGINT) FROM articles")
        .fetch_one(conn)
        .await
}
