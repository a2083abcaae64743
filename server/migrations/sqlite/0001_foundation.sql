-- Foundation schema (SQLite). The PostgreSQL twin in ../postgres must stay column-for-column
-- identical: the repository functions run the same SQL on both.
--
-- Conventions that keep one set of SQL portable across SQLite and PostgreSQL through sqlx::Any:
--  * every integer is BIGINT-sized (SQLite INTEGER is 64-bit), so rows decode to i64 on both;
--  * booleans are 0/1 integers, because Any cannot decode SQLite integers as bool;
--  * instants are Unix seconds (UTC) and calendar dates ISO 'YYYY-MM-DD' text.

-- Master data: the 47 prefectures and 1,741 municipalities (全国地方公共団体コード).
CREATE TABLE prefectures (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE municipalities (
    code TEXT PRIMARY KEY,
    prefecture_code INTEGER NOT NULL REFERENCES prefectures(code),
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL
);
CREATE INDEX municipalities_prefecture ON municipalities(prefecture_code);

-- Vaccines the system distributes.
CREATE TABLE vaccines (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_ja TEXT NOT NULL,
    name_en TEXT NOT NULL,
    doses_per_vial INTEGER NOT NULL,
    storage_min_c INTEGER NOT NULL,
    storage_max_c INTEGER NOT NULL
);

-- 医療機関・接種会場. A satellite (サテライト型) names the basic site (基本型) it receives stock from;
-- the CHECK keeps that rule in the database as well as in the code.
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    name TEXT NOT NULL,
    site_type TEXT NOT NULL CHECK (site_type IN ('basic', 'satellite')),
    basic_site_id INTEGER REFERENCES sites(id),
    facility_class TEXT NOT NULL DEFAULT 'clinic',
    postal_code TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    CHECK ((site_type = 'satellite') = (basic_site_id IS NOT NULL))
);
CREATE INDEX sites_municipality ON sites(municipality_code);

-- Manufacturers and wholesalers (製薬メーカー・卸).
CREATE TABLE suppliers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- Users. Exactly one affiliation column is set, matching the role (checked in code, where the
-- rule reads clearly, and by the CHECK below so no import can break it).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login_id TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('national', 'prefecture', 'municipality', 'site', 'supplier', 'admin')),
    prefecture_code INTEGER REFERENCES prefectures(code),
    municipality_code TEXT REFERENCES municipalities(code),
    site_id INTEGER REFERENCES sites(id),
    supplier_id INTEGER REFERENCES suppliers(id),
    password_hash TEXT,
    totp_secret TEXT,
    totp_pending_secret TEXT,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    totp_offered INTEGER NOT NULL DEFAULT 0,
    consent_version INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    last_failed_at INTEGER,
    locked_until INTEGER,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    CHECK (
        (role IN ('national', 'admin') AND prefecture_code IS NULL AND municipality_code IS NULL AND site_id IS NULL AND supplier_id IS NULL)
        OR (role = 'prefecture' AND prefecture_code IS NOT NULL AND municipality_code IS NULL AND site_id IS NULL AND supplier_id IS NULL)
        OR (role = 'municipality' AND municipality_code IS NOT NULL AND prefecture_code IS NULL AND site_id IS NULL AND supplier_id IS NULL)
        OR (role = 'site' AND site_id IS NOT NULL AND prefecture_code IS NULL AND municipality_code IS NULL AND supplier_id IS NULL)
        OR (role = 'supplier' AND supplier_id IS NOT NULL AND prefecture_code IS NULL AND municipality_code IS NULL AND site_id IS NULL)
    )
);
CREATE INDEX users_site ON users(site_id);
CREATE INDEX users_municipality ON users(municipality_code);

-- One-time links for the first login and for resets. Only a SHA-256 of the token is stored, so a
-- leaked database does not leak usable links. A newer link voids the older ones (voided = 1).
CREATE TABLE setup_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('initial', 'reset')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    voided INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX setup_tokens_user ON setup_tokens(user_id);

-- An opened link: the 検証コード is bound to one attempt, and a verified attempt may set the
-- password once.
CREATE TABLE setup_attempts (
    id INTEGER PRIMARY KEY,
    attempt_hash TEXT NOT NULL UNIQUE,
    token_id INTEGER NOT NULL REFERENCES setup_tokens(id),
    code_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    code_expires_at INTEGER NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    voided INTEGER NOT NULL DEFAULT 0,
    verified_at INTEGER,
    completed_at INTEGER
);

-- The second step of a login (e-mailed code for an unknown browser, or an authenticator code).
CREATE TABLE login_challenges (
    id INTEGER PRIMARY KEY,
    challenge_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('email', 'totp')),
    code_hash TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    used_at INTEGER
);

-- Browsers that have proven the user's mailbox or second factor once.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
);
CREATE INDEX known_devices_user ON known_devices(user_id);

-- Recovery codes for authenticator-app users, hashed, each usable once.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- Sessions live in the database so they survive restarts and work across server processes.
-- The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    acting_for_site_id INTEGER REFERENCES sites(id)
);
CREATE INDEX sessions_user ON sessions(user_id);

-- 「V-SYSにおける個人情報保護方針」, versioned: a user whose consent_version is below the newest
-- version is asked again.
CREATE TABLE privacy_policies (
    version INTEGER PRIMARY KEY,
    body_ja TEXT NOT NULL,
    body_en TEXT NOT NULL,
    published_at INTEGER NOT NULL
);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    version INTEGER NOT NULL REFERENCES privacy_policies(version),
    given_at INTEGER NOT NULL
);

-- The audit log: who (and for which site, 代理入力) changed which field from what to what.
-- Append-only: the triggers refuse updates and deletes.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_user_id INTEGER REFERENCES users(id),
    acting_for_site_id INTEGER REFERENCES sites(id),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Development outbox: with no SMTP server configured, mail is kept here for the /dev/outbox page.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    message_id TEXT NOT NULL
);

INSERT INTO privacy_policies (version, body_ja, body_en, published_at) VALUES (
    1,
    'V-SYSにおける個人情報保護方針

1. 取得する情報: 利用者の氏名、所属、メールアドレス、電話番号、ならびに医療機関・接種会場の情報を取得します。市町村による予約受付支援では、予約者の氏名と連絡先を取得します。
2. 利用目的: ワクチンの分配・配送、接種実績の把握、請求、コロナワクチンナビでの公開、および利用者への連絡のためにのみ利用します。
3. 第三者提供: 法令に基づく場合を除き、本人の同意なく第三者に提供しません。ワクチン製造販売業者には、医療機関の接種医師の連絡先を情報提供のために提供します。
4. 安全管理: アクセスは役割と所管範囲で制限し、すべての変更を記録します。
5. 問い合わせ: サービスデスクまでご連絡ください。',
    'Personal Information Protection Policy of V-SYS

1. What we collect: users'' names, organisations, e-mail addresses and phone numbers, and the details of medical institutions and vaccination sites. For reservation support by municipalities, the names and contacts of the people who book.
2. Purpose: only for distributing and delivering vaccine, recording vaccinations, billing, publishing on the vaccine finder, and contacting users.
3. Disclosure: never to third parties without consent except where the law requires; vaccine manufacturers receive the contacts of vaccinating doctors so that they can provide product information.
4. Security: access is limited by role and scope, and every change is recorded.
5. Contact: the service desk.',
    0
);
