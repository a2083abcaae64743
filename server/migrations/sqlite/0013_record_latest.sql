-- レポート at national scale (R208, R308): each site's latest cumulative per vaccine, kept by a
-- trigger in the same transaction as every registration, so a report reads one row per site and
-- vaccine (about 140,000 nationally) instead of searching a year of daily rows (tens of millions).
-- A registration never goes before the latest (the app refuses it), and a registration of the
-- same day replaces the row; the trigger's condition keeps the newest day whatever the order.
-- The PostgreSQL twin must stay column-for-column identical.
CREATE TABLE record_latest (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    vaccine_code TEXT NOT NULL REFERENCES vaccines(code),
    administered_on TEXT NOT NULL,
    d1_medical INTEGER NOT NULL,
    d1_elderly INTEGER NOT NULL,
    d1_underlying INTEGER NOT NULL,
    d1_facility_staff INTEGER NOT NULL,
    d1_other INTEGER NOT NULL,
    d2_medical INTEGER NOT NULL,
    d2_elderly INTEGER NOT NULL,
    d2_underlying INTEGER NOT NULL,
    d2_facility_staff INTEGER NOT NULL,
    d2_other INTEGER NOT NULL,
    PRIMARY KEY (site_id, vaccine_code)
);

INSERT INTO record_latest
SELECT r.site_id, r.vaccine_code, r.administered_on, r.d1_medical, r.d1_elderly, r.d1_underlying,
       r.d1_facility_staff, r.d1_other, r.d2_medical, r.d2_elderly, r.d2_underlying,
       r.d2_facility_staff, r.d2_other
FROM vaccination_records r
WHERE r.administered_on = (SELECT MAX(l.administered_on) FROM vaccination_records l
                           WHERE l.site_id = r.site_id AND l.vaccine_code = r.vaccine_code);

-- SQLite has no trigger for INSERT OR UPDATE (PostgreSQL has): the same statement, twice.
CREATE TRIGGER record_latest_insert AFTER INSERT ON vaccination_records
BEGIN
    INSERT INTO record_latest VALUES (NEW.site_id, NEW.vaccine_code, NEW.administered_on,
        NEW.d1_medical, NEW.d1_elderly, NEW.d1_underlying, NEW.d1_facility_staff, NEW.d1_other,
        NEW.d2_medical, NEW.d2_elderly, NEW.d2_underlying, NEW.d2_facility_staff, NEW.d2_other)
    ON CONFLICT (site_id, vaccine_code) DO UPDATE SET
        administered_on = excluded.administered_on,
        d1_medical = excluded.d1_medical, d1_elderly = excluded.d1_elderly,
        d1_underlying = excluded.d1_underlying, d1_facility_staff = excluded.d1_facility_staff,
        d1_other = excluded.d1_other, d2_medical = excluded.d2_medical,
        d2_elderly = excluded.d2_elderly, d2_underlying = excluded.d2_underlying,
        d2_facility_staff = excluded.d2_facility_staff, d2_other = excluded.d2_other
    WHERE excluded.administered_on >= record_latest.administered_on;
END;

CREATE TRIGGER record_latest_update AFTER UPDATE ON vaccination_records
BEGIN
    INSERT INTO record_latest VALUES (NEW.site_id, NEW.vaccine_code, NEW.administered_on,
        NEW.d1_medical, NEW.d1_elderly, NEW.d1_underlying, NEW.d1_facility_staff, NEW.d1_other,
        NEW.d2_medical, NEW.d2_elderly, NEW.d2_underlying, NEW.d2_facility_staff, NEW.d2_other)
    ON CONFLICT (site_id, vaccine_code) DO UPDATE SET
        administered_on = excluded.administered_on,
        d1_medical = excluded.d1_medical, d1_elderly = excluded.d1_elderly,
        d1_underlying = excluded.d1_underlying, d1_facility_staff = excluded.d1_facility_staff,
        d1_other = excluded.d1_other, d2_medical = excluded.d2_medical,
        d2_elderly = excluded.d2_elderly, d2_underlying = excluded.d2_underlying,
        d2_facility_staff = excluded.d2_facility_staff, d2_other = excluded.d2_other
    WHERE excluded.administered_on >= record_latest.administered_on;
END;
