-- お知らせ, ナレッジ, the chatbot's log and the service desk (SPEC §10; seed 000's ナレッジ screen,
-- seed 001's 最近追加になった新機能② and 5/31リリース機能④). The PostgreSQL twin must stay
-- column-for-column identical; each engine has its own full-text index (FTS5 trigram here,
-- pg_trgm there), which the schema comparison leaves out.

-- A notice written by a national, prefecture or municipality user. `valid_from`/`valid_until`
-- (unix seconds, until exclusive) are 掲載開始 and the end of 掲載終了's day. `roles` lists the
-- audience's roles between commas (`,site,municipality,`) so one LIKE finds a role. The author's
-- organisation (`author_role` with its prefecture or municipality) owns the notice: any of its
-- users may edit or withdraw it. A withdrawn notice (`withdrawn_at`) is kept for the audit trail.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    important INTEGER NOT NULL DEFAULT 0 CHECK (important IN (0, 1)),
    valid_from INTEGER NOT NULL,
    valid_until INTEGER NOT NULL,
    roles TEXT NOT NULL,
    author_role TEXT NOT NULL CHECK (author_role IN ('national', 'prefecture', 'municipality')),
    author_prefecture INTEGER REFERENCES prefectures(code),
    author_municipality TEXT REFERENCES municipalities(code),
    author_name TEXT NOT NULL,
    withdrawn_at INTEGER,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (valid_from < valid_until)
);
CREATE INDEX notices_valid_from ON notices(valid_from);

-- The regions a notice reaches: a prefecture or a municipality each. None: everyone of the
-- audience's roles (only national notices may have none; the service writes the author's own
-- region otherwise).
CREATE TABLE notice_regions (
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    prefecture_code INTEGER REFERENCES prefectures(code),
    municipality_code TEXT REFERENCES municipalities(code),
    CHECK ((prefecture_code IS NULL) <> (municipality_code IS NULL))
);
CREATE INDEX notice_regions_notice ON notice_regions(notice_id);

-- Which user has opened which notice (未読 is the absence of a row).
CREATE TABLE notice_reads (
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    read_at INTEGER NOT NULL,
    PRIMARY KEY (notice_id, user_id)
);

-- Uploaded files (ナレッジ attachments, inquiry attachments), in the database so that every
-- server process serves them and a backup holds them. `media_type` is what the content was
-- checked to be (application/pdf, video/mp4, image/png, image/jpeg), never what the browser said.
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    uploaded_at INTEGER NOT NULL
);

-- ナレッジ articles. `number` is the 9-digit article number users quote (000001031). `audiences`
-- lists the 対象者 between commas as `roles` does; `kind` is the 記事タイプ, `category` the 情報種類.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('faq', 'manual', 'video')),
    category TEXT NOT NULL CHECK (category IN ('howto', 'rules', 'trouble')),
    audiences TEXT NOT NULL,
    body TEXT NOT NULL,
    published_on TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);

-- The versions of an article's attachment (バージョン 1, 2, …), newest served by default.
CREATE TABLE article_files (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    file_id INTEGER NOT NULL REFERENCES files(id),
    PRIMARY KEY (article_id, version)
);

-- Each paragraph of an article, the chatbot's unit of answer. `terms` is the paragraph with the
-- title before it and a space at every change of script (漢字, かな, カナ, Latin), so that a
-- two-kanji word like 請求 stands between spaces, where a trigram index sees it (" 請求", "請求 ").
CREATE TABLE article_passages (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    terms TEXT NOT NULL,
    UNIQUE (article_id, position)
);

-- The ナレッジ search box's index: FTS5's trigram tokenizer finds any substring of three characters
-- or more, inside words, without word spaces. Kept by the repository in the same transaction.
CREATE VIRTUAL TABLE article_fts USING fts5(title, body, tokenize = 'trigram');
-- The chatbot's index over the passages' terms.
CREATE VIRTUAL TABLE passage_fts USING fts5(terms, tokenize = 'trigram');

-- Every question put to the chatbot, with whether it was answered, so the service desk sees the
-- unanswered ones by frequency (`normalized`: trimmed, spaces folded, NFKC-like width folding).
CREATE TABLE chat_questions (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    normalized TEXT NOT NULL,
    answered INTEGER NOT NULL CHECK (answered IN (0, 1)),
    article_id INTEGER REFERENCES articles(id),
    user_id INTEGER REFERENCES users(id),
    asked_at INTEGER NOT NULL
);
CREATE INDEX chat_questions_unanswered ON chat_questions(answered, normalized);

-- 問い合わせ: one per question a user sends. `status` is open (未対応), in_progress (対応中) or
-- closed (完了); `assignee_id` the service desk member handling it.
CREATE TABLE inquiries (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    category TEXT NOT NULL CHECK (category IN ('login', 'site', 'supply', 'records', 'billing', 'other')),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
    assignee_id INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX inquiries_user ON inquiries(user_id);
CREATE INDEX inquiries_status ON inquiries(status);

-- The messages of an inquiry: the user's question and follow-ups, the desk's replies, and the
-- desk's internal notes (never shown to the user).
CREATE TABLE inquiry_messages (
    id INTEGER PRIMARY KEY,
    inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('question', 'reply', 'note')),
    body TEXT NOT NULL,
    file_id INTEGER REFERENCES files(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX inquiry_messages_inquiry ON inquiry_messages(inquiry_id);
