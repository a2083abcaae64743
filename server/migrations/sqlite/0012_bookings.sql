-- 市町村による予約受付支援 (seed 001: 最近追加になった新機能③; R305 予約者一覧).
--
-- `sites.proxy_booking` mirrors the approved 代行入力フラグ of the record's JSON `details` as a
-- column, because the login guard (authenticator required) and the municipality's list of sites
-- ask it on every request, and JSON functions differ between the engines. The record's save path
-- keeps both in step; the UPDATE below carries over the flags approved before this migration.
ALTER TABLE sites ADD COLUMN proxy_booking INTEGER NOT NULL DEFAULT 0 CHECK (proxy_booking IN (0, 1));
UPDATE sites SET proxy_booking = 1 WHERE json_extract(details, '$.proxy_booking') = 'required';
-- 予約受付支援: the municipality lists its sites whose bookings it takes.
CREATE INDEX sites_proxy_booking ON sites(municipality_code) WHERE proxy_booking = 1;

-- 予約受付枠: per site, day and hour, how many people it takes. `booked` counts the live
-- bookings, so that taking a place is one conditional UPDATE (booked < capacity) which no two
-- simultaneous bookings can both pass, on either engine; the CHECK is the last line of defence.
CREATE TABLE booking_slots (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    day TEXT NOT NULL,
    hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    capacity INTEGER NOT NULL CHECK (capacity >= 0),
    booked INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
    UNIQUE (site_id, day, hour)
);
-- The retention job looks for slots older than the retention period.
CREATE INDEX booking_slots_day ON booking_slots(day);

-- 予約: personal data (氏名, ふりがな, 生年月日, 電話番号, 接種券番号), read only by the site and its
-- municipality. `anonymised_at` is set when the retention job has erased it; the row stays so the
-- counts per slot and the audit trail keep their meaning.
CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    slot_id INTEGER NOT NULL REFERENCES booking_slots(id),
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    vaccine_code TEXT NOT NULL REFERENCES vaccines(code),
    dose INTEGER NOT NULL CHECK (dose IN (1, 2)),
    -- 接種券番号 (10 digits); NULL once anonymised.
    ticket_number TEXT,
    name TEXT NOT NULL,
    kana TEXT NOT NULL,
    -- NULL once anonymised.
    birth_date TEXT,
    phone TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL,
    anonymised_at INTEGER
);
CREATE INDEX bookings_slot ON bookings(slot_id, status);
-- 接種券番号 is unique per municipality, vaccine and dose among live bookings: a cancelled
-- booking frees its number for a new one.
CREATE UNIQUE INDEX bookings_ticket ON bookings(municipality_code, vaccine_code, dose, ticket_number)
    WHERE status = 'booked' AND ticket_number IS NOT NULL;
