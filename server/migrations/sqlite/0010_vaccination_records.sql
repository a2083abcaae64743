-- 接種実績 (SPEC §6, seed 001: 接種があった日は、毎日登録; 累計で登録). One row per site, vaccine
-- and 接種日 holding the cumulative number of people vaccinated up to that day, per dose
-- (d1_ 1回目, d2_ 2回目) and group. A day's figure is the difference from the row before it, so
-- it is derived, never stored: a correction (a lower cumulative, 次回登録時に正しい累計数を登録)
-- changes one row and every figure after it stays consistent. Registering a day again replaces
-- its row (the UNIQUE key). Counts are columns, not a document, because the reports (R208,
-- R308) sum them per group over tens of thousands of sites.
-- The PostgreSQL twin must stay column-for-column identical.
CREATE TABLE vaccination_records (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    vaccine_code TEXT NOT NULL REFERENCES vaccines(code),
    administered_on TEXT NOT NULL,
    d1_medical INTEGER NOT NULL CHECK (d1_medical >= 0),
    d1_elderly INTEGER NOT NULL CHECK (d1_elderly >= 0),
    d1_underlying INTEGER NOT NULL CHECK (d1_underlying >= 0),
    d1_facility_staff INTEGER NOT NULL CHECK (d1_facility_staff >= 0),
    d1_other INTEGER NOT NULL CHECK (d1_other >= 0),
    d2_medical INTEGER NOT NULL CHECK (d2_medical >= 0),
    d2_elderly INTEGER NOT NULL CHECK (d2_elderly >= 0),
    d2_underlying INTEGER NOT NULL CHECK (d2_underlying >= 0),
    d2_facility_staff INTEGER NOT NULL CHECK (d2_facility_staff >= 0),
    d2_other INTEGER NOT NULL CHECK (d2_other >= 0),
    -- 1 when some cell went down against the row before it (a correction, confirmed by the user).
    correction INTEGER NOT NULL DEFAULT 0 CHECK (correction IN (0, 1)),
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    UNIQUE (site_id, vaccine_code, administered_on)
);
-- ホーム asks, per municipality, which sites registered the last day with vaccinations.
CREATE INDEX vaccination_records_day ON vaccination_records(administered_on, site_id);

-- The 接種使用 movements of a record point at it (reference_id): registering a day again asks
-- what that day already took, lot by lot.
CREATE INDEX stock_movements_reference ON stock_movements(reference_id, kind);
