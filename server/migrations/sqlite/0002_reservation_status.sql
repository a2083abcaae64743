-- 予約の受付情報 (SPEC §4): each site's reservation status and when it last changed. A site that
-- never set one is 未登録 ('unregistered'), which the municipality's home lists.
ALTER TABLE sites ADD COLUMN reservation_status TEXT NOT NULL DEFAULT 'unregistered'
    CHECK (reservation_status IN ('available', 'full', 'not_accepting', 'not_required', 'unregistered'));
ALTER TABLE sites ADD COLUMN reservation_updated_at INTEGER;
CREATE INDEX sites_municipality_reservation ON sites(municipality_code, reservation_status);
