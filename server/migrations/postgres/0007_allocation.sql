-- 分配 and データロック (SPEC §5): national users give each prefecture boxes of a cool, the
-- prefecture gives its municipalities, the municipality its basic sites. One table per level
-- keeps each row's key a real foreign key. The SQLite twin must stay column-for-column
-- identical.
CREATE TABLE prefecture_allocations (
    cool_id BIGINT NOT NULL REFERENCES cools(id),
    prefecture_code BIGINT NOT NULL REFERENCES prefectures(code),
    boxes BIGINT NOT NULL CHECK (boxes >= 0),
    PRIMARY KEY (cool_id, prefecture_code)
);

CREATE TABLE municipality_allocations (
    cool_id BIGINT NOT NULL REFERENCES cools(id),
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    boxes BIGINT NOT NULL CHECK (boxes >= 0),
    PRIMARY KEY (cool_id, municipality_code)
);

CREATE TABLE site_allocations (
    cool_id BIGINT NOT NULL REFERENCES cools(id),
    site_id BIGINT NOT NULL REFERENCES sites(id),
    boxes BIGINT NOT NULL CHECK (boxes >= 0),
    PRIMARY KEY (cool_id, site_id)
);
CREATE INDEX site_allocations_site ON site_allocations(site_id);

-- One version per allocation table (the national table of a cool, a prefecture's, a
-- municipality's), so that two people saving the same table find out: the second save names
-- what the first changed and saves nothing. scope is 'national', 'prefecture:13' or
-- 'municipality:131016'.
CREATE TABLE allocation_versions (
    cool_id BIGINT NOT NULL REFERENCES cools(id),
    scope TEXT NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (cool_id, scope)
);

-- データロック: a row means the prefecture has locked the cool for its area.
CREATE TABLE cool_locks (
    cool_id BIGINT NOT NULL REFERENCES cools(id),
    prefecture_code BIGINT NOT NULL REFERENCES prefectures(code),
    locked_at BIGINT NOT NULL,
    locked_by BIGINT REFERENCES users(id),
    PRIMARY KEY (cool_id, prefecture_code)
);
