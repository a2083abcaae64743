-- The supply chain's second part: who delivers where, 納入予定日, deliveries by lot and their
-- 受領確認, 移送・融通 between sites, 廃棄 and 棚卸. Every vial that moves is also a row of the
-- stock ledger (stock_movements, 0006); these tables hold what the ledger's reference_id points
-- at. The PostgreSQL twin must stay column-for-column identical.

-- A supplier's service area (製薬メーカー・卸の担当地域): a whole prefecture (municipality_code
-- NULL) or one municipality in it. A supplier sees and acts only on deliveries to sites inside.
CREATE TABLE supplier_areas (
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    prefecture_code INTEGER NOT NULL REFERENCES prefectures(code),
    municipality_code TEXT REFERENCES municipalities(code)
);
CREATE INDEX supplier_areas_supplier ON supplier_areas(supplier_id);
CREATE INDEX supplier_areas_prefecture ON supplier_areas(prefecture_code);

-- 納入予定日: one per site and cool, entered by the supplier once the prefecture has locked the
-- cool (データロック), a JST date inside the cool's delivery weeks ('YYYY-MM-DD').
CREATE TABLE delivery_schedules (
    cool_id INTEGER NOT NULL REFERENCES cools(id),
    site_id INTEGER NOT NULL REFERENCES sites(id),
    scheduled_on TEXT NOT NULL,
    supplier_id INTEGER REFERENCES suppliers(id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (cool_id, site_id)
);
CREATE INDEX delivery_schedules_site ON delivery_schedules(site_id);

-- 納入: one shipment to a site for a cool, with its lots below. A cool's allocation may arrive in
-- several shipments (一部納入 until the vials add up to the boxes allocated). The site confirms
-- each shipment (受領確認); only then do its vials enter the site's ledger.
CREATE TABLE shipments (
    id INTEGER PRIMARY KEY,
    cool_id INTEGER NOT NULL REFERENCES cools(id),
    site_id INTEGER NOT NULL REFERENCES sites(id),
    supplier_id INTEGER REFERENCES suppliers(id),
    delivered_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    received_at INTEGER,
    received_by INTEGER REFERENCES users(id),
    receipt_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX shipments_site ON shipments(site_id, cool_id);
CREATE INDEX shipments_cool ON shipments(cool_id);

CREATE TABLE shipment_lots (
    shipment_id INTEGER NOT NULL REFERENCES shipments(id),
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    vials INTEGER NOT NULL CHECK (vials > 0),
    PRIMARY KEY (shipment_id, lot_id)
);

-- 移送・融通: vials of one lot sent from one site to another. They leave the sender when sent
-- (in transit) and reach the receiver's ledger only when it registers the receipt; until then
-- the sender may cancel, which returns them. Exactly one of received_at and cancelled_at ends it.
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    from_site_id INTEGER NOT NULL REFERENCES sites(id),
    to_site_id INTEGER NOT NULL REFERENCES sites(id),
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    vials INTEGER NOT NULL CHECK (vials > 0),
    sent_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    received_on TEXT,
    received_at INTEGER,
    received_by INTEGER REFERENCES users(id),
    cancelled_at INTEGER,
    cancelled_by INTEGER REFERENCES users(id),
    CHECK (from_site_id <> to_site_id),
    CHECK (received_at IS NULL OR cancelled_at IS NULL)
);
CREATE INDEX transfers_from ON transfers(from_site_id);
CREATE INDEX transfers_to ON transfers(to_site_id);

-- 廃棄: vials of one lot wasted, with the reason. Unused vials count whole.
CREATE TABLE wastes (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    vials INTEGER NOT NULL CHECK (vials > 0),
    occurred_on TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('expired', 'temperature', 'damaged', 'unused_expired', 'other')),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX wastes_site ON wastes(site_id);

-- 棚卸: a physical count of a site's lots. Each line keeps what the ledger said and what was
-- counted; a difference is also a 棚卸調整 movement of the ledger, with the line's reason.
CREATE TABLE stock_counts (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    counted_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX stock_counts_site ON stock_counts(site_id);

CREATE TABLE stock_count_lines (
    count_id INTEGER NOT NULL REFERENCES stock_counts(id),
    lot_id INTEGER NOT NULL REFERENCES lots(id),
    expected INTEGER NOT NULL,
    counted INTEGER NOT NULL CHECK (counted >= 0),
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (count_id, lot_id)
);
