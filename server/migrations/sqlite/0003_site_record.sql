-- The whole site record of SPEC §3 (医療機関・接種会場の編集).
--
-- Fields that lists, scope checks and the public finder filter on stay columns (name, address,
-- type, 一般受入, reservation status, and the vaccines in their own table). The rest of the form
-- is one JSON document in `details`: about fifty free-text fields that are only ever read and
-- written whole, with the record, so a column each would add nothing but migrations.
ALTER TABLE sites ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
-- 一般受入: '' until the site chooses, 'general' (一般向け) or 'restricted' (一般不可).
ALTER TABLE sites ADD COLUMN general_public TEXT NOT NULL DEFAULT ''
    CHECK (general_public IN ('', 'general', 'restricted'));
ALTER TABLE sites ADD COLUMN updated_at BIGINT;
CREATE INDEX sites_finder ON sites(municipality_code, general_public);

-- 取扱ワクチン: which vaccines a site handles (the finder searches by vaccine).
CREATE TABLE site_vaccines (
    site_id BIGINT NOT NULL REFERENCES sites(id),
    vaccine_code TEXT NOT NULL REFERENCES vaccines(code),
    PRIMARY KEY (site_id, vaccine_code)
);
CREATE INDEX site_vaccines_vaccine ON site_vaccines(vaccine_code, site_id);

-- 医師情報: the doctors of a site. A site keeps at least one; the code refuses deleting the
-- last, since a trigger could not tell a site being set up from one losing its doctor.
CREATE TABLE doctors (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    kana TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    -- vaccine codes joined by ',' (always a subset of the site's vaccines, checked in code)
    vaccines TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX doctors_site ON doctors(site_id);

-- 情報変更申請: changes to fields that need the municipality's approval wait here. `changes`
-- is the JSON list of {field, old, new}; the live record keeps the old values until approval.
CREATE TABLE change_requests (
    id INTEGER PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    changes TEXT NOT NULL,
    requested_by BIGINT REFERENCES users(id),
    requested_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    comment TEXT NOT NULL DEFAULT ''
);
-- 承認中は再修正不可: at most one pending request per site, also under concurrent saves.
CREATE UNIQUE INDEX change_requests_one_pending ON change_requests(site_id) WHERE status = 'pending';
CREATE INDEX change_requests_status ON change_requests(status, site_id);
