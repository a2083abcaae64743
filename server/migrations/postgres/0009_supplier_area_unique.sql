-- 製薬メーカー・卸の担当地域 became editable by national and admin users (the page 製薬メーカー・卸).
-- One supplier lists a prefecture, or a municipality, at most once: two people adding the same
-- area at the same moment get one row and one "already covered" answer, never two rows. Partial
-- indexes, because a whole prefecture has no municipality (NULLs are never equal in a unique
-- index). The SQLite twin is identical.
CREATE UNIQUE INDEX supplier_areas_whole_prefecture
    ON supplier_areas(supplier_id, prefecture_code) WHERE municipality_code IS NULL;
CREATE UNIQUE INDEX supplier_areas_municipality
    ON supplier_areas(supplier_id, municipality_code) WHERE municipality_code IS NOT NULL;
