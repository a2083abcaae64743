-- 請求 (SPEC §8; seed 001: 毎月10日までにやること, 5/31リリース機能① 新旧コード).
-- The PostgreSQL twin must stay column-for-column identical.

-- 単価マスタ: the unit prices (tax excluded, integer yen) a bill uses, each from the first
-- vaccination date it applies to. National users add prices for days to come; a bill prices each
-- part of its month with those in force on its days. The demo prices apply from the first day of
-- vaccination in Japan.
CREATE TABLE unit_prices (
    applies_from TEXT PRIMARY KEY,
    vaccination INTEGER NOT NULL CHECK (vaccination >= 0),
    screening_only INTEGER NOT NULL CHECK (screening_only >= 0),
    after_hours INTEGER NOT NULL CHECK (after_hours >= 0),
    holiday INTEGER NOT NULL CHECK (holiday >= 0),
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);
INSERT INTO unit_prices (applies_from, vaccination, screening_only, after_hours, holiday,
                         updated_at)
VALUES ('2021-02-17', 2070, 1540, 730, 2130, 0);

-- One bill per site and month of vaccinations (`month`, 2026-11). `status` is draft, submitted
-- (locked) or returned (差戻し by a municipality of residence, with its comment). `code_choice` is
-- the site's choice of code (by_date, old, new): recorded because the seed lets the site override
-- the date rule. The four codes are those of the approved site record when the bill was last
-- saved, so a submitted bill keeps the codes it was submitted under. `batch_month` and `late`
-- are set on submission: a bill submitted after the 10th goes into a later month's batch.
CREATE TABLE bills (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    month TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned')),
    code_choice TEXT NOT NULL CHECK (code_choice IN ('by_date', 'old', 'new')),
    insurance_code TEXT NOT NULL,
    care_code TEXT NOT NULL,
    insurance_code_new TEXT NOT NULL,
    care_code_new TEXT NOT NULL,
    difference_acknowledged INTEGER NOT NULL DEFAULT 0
        CHECK (difference_acknowledged IN (0, 1)),
    submitted_at INTEGER,
    batch_month TEXT,
    late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    return_comment TEXT NOT NULL DEFAULT '',
    returned_by TEXT REFERENCES municipalities(code),
    returned_at INTEGER,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    UNIQUE (site_id, month)
);
-- A municipality's sites and the area totals are read month by month.
CREATE INDEX bills_month ON bills(month);

-- The counts of one municipality of residence in one part of the month (`part_from`, the part's
-- first day). `code_side` (old, new) is the code the part is billed under after the site's choice
-- and `amount` its yen at the part's prices, both written on every save, so that a municipality
-- of residence reads its own lines, and an area its totals, without pricing the month again.
CREATE TABLE bill_lines (
    bill_id INTEGER NOT NULL REFERENCES bills(id),
    part_from TEXT NOT NULL,
    residence_code TEXT NOT NULL REFERENCES municipalities(code),
    code_side TEXT NOT NULL CHECK (code_side IN ('old', 'new')),
    first_doses INTEGER NOT NULL CHECK (first_doses >= 0),
    second_doses INTEGER NOT NULL CHECK (second_doses >= 0),
    screening_only INTEGER NOT NULL CHECK (screening_only >= 0),
    after_hours INTEGER NOT NULL CHECK (after_hours >= 0),
    holiday INTEGER NOT NULL CHECK (holiday >= 0),
    amount INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (bill_id, part_from, residence_code)
);
-- A municipality of residence reads the lines addressed to it, from any site in Japan.
CREATE INDEX bill_lines_residence ON bill_lines(residence_code);
