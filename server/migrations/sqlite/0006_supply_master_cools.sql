-- The supply chain's first part (SPEC §5): the vaccine master becomes editable data, lots are
-- registered, national users open cools (クール), basic sites register what they want (希望量),
-- and every vial a site holds is on one append-only ledger per site and lot.
-- The PostgreSQL twin must stay column-for-column identical.

-- ワクチン・針・シリンジマスタ: until now the vaccines were constants; a national user edits them
-- from here on, so each row gets a version for concurrent edits. What a box holds and what
-- travels with each vial (針・シリンジ) is new. The demo values are set below for databases
-- created before this migration; new databases get them from the seed.
ALTER TABLE vaccines ADD COLUMN vials_per_box INTEGER NOT NULL DEFAULT 1;
ALTER TABLE vaccines ADD COLUMN needles_per_vial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vaccines ADD COLUMN syringes_per_vial INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vaccines ADD COLUMN needle_syringe_note TEXT NOT NULL DEFAULT '';
ALTER TABLE vaccines ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE vaccines SET vials_per_box = 195, needles_per_vial = 6, syringes_per_vial = 6 WHERE code = 'pfizer';
UPDATE vaccines SET vials_per_box = 10, needles_per_vial = 10, syringes_per_vial = 10 WHERE code = 'moderna';
UPDATE vaccines SET vials_per_box = 10, needles_per_vial = 10, syringes_per_vial = 10 WHERE code = 'astrazeneca';

-- 納入ロット: a lot number is unique per vaccine. Expiry is a calendar date (JST), 'YYYY-MM-DD'.
CREATE TABLE lots (
    id INTEGER PRIMARY KEY,
    vaccine_code TEXT NOT NULL REFERENCES vaccines(code),
    lot_number TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    supplier_id INTEGER REFERENCES suppliers(id),
    created_at INTEGER NOT NULL,
    UNIQUE (vaccine_code, lot_number)
);

-- クール: one distribution cycle of one vaccine. The 希望量 window is [request_opens_at,
-- request_closes_at) in Unix seconds; deliveries fall on the dates delivery_from..delivery_until.
-- Its state (準備中 → 希望量受付中 → 締切 → …) follows from these and from what was done, so it is
-- computed, never stored.
CREATE TABLE cools (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    vaccine_code TEXT NOT NULL REFERENCES vaccines(code),
    total_boxes INTEGER NOT NULL CHECK (total_boxes > 0),
    request_opens_at INTEGER NOT NULL,
    request_closes_at INTEGER NOT NULL,
    delivery_from TEXT NOT NULL,
    delivery_until TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (request_closes_at > request_opens_at),
    CHECK (delivery_until >= delivery_from)
);

-- 希望量: boxes a basic site wants in a cool (0 is an answer: "none this time"; no row means the
-- site did not register and receives nothing). updated_by is whoever saved it last, the site
-- itself or its municipality (代理入力; the audit log says which).
CREATE TABLE cool_requests (
    cool_id INTEGER NOT NULL REFERENCES cools(id),
    site_id INTEGER NOT NULL REFERENCES sites(id),
    boxes INTEGER NOT NULL CHECK (boxes >= 0),
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    PRIMARY KEY (cool_id, site_id)
);
CREATE INDEX cool_requests_site ON cool_requests(site_id);

-- The stock ledger: one append-only row per movement of vials of one lot at one site, signed
-- (+ in, − out). The kinds: receipt 受領, transfer_out 移送（出）, transfer_in 移送（受）,
-- use 接種使用, waste 廃棄, adjustment 棚卸調整. reference_id points at the delivery, transfer,
-- waste or count the movement belongs to.
CREATE TABLE stock_movements (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'transfer_out', 'transfer_in', 'use', 'waste', 'adjustment')),
    vials INTEGER NOT NULL CHECK (vials <> 0),
    occurred_on TEXT NOT NULL,
    reference_id INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX stock_movements_site ON stock_movements(site_id, lot_id, id);

-- The balance per site and lot, kept with every movement in the same transaction. The CHECK is
-- what makes two simultaneous withdrawals unable to overdraw a lot on either engine: each one
-- updates this row (PostgreSQL locks it; SQLite has one writer), and the second fails the CHECK
-- or sees the first's result.
CREATE TABLE stock_balances (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    vials INTEGER NOT NULL CHECK (vials >= 0),
    PRIMARY KEY (site_id, lot_id)
);
