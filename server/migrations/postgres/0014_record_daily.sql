-- 接種実績の推移 (X208, X308): doses per day for an area, from the national level down. Records are
-- cumulative per site, so a day's doses are each site's cumulative less its previous one; summing
-- that over 70,000 sites and a year of daily rows at read time takes seconds. This table keeps the
-- sum per municipality, vaccine and 接種日, changed by a trigger in the same transaction as every
-- registration, so a national chart reads at most 1,741 rows a day.
-- A registration adds (its cumulative − the one before it) to its day and, when a later day is
-- already registered (rows stored out of date order), takes the same back from that later day;
-- a replacement of a day adds the difference to it and takes it back from the next. A correction
-- (a lower cumulative) is a negative figure, as R308 shows it. d1 and d2 are the 1回目 and 2回目
-- people over every group.
-- The SQLite twin must stay column-for-column identical.
CREATE TABLE record_daily (
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    vaccine_code TEXT NOT NULL REFERENCES vaccines(code),
    administered_on TEXT NOT NULL,
    d1 BIGINT NOT NULL,
    d2 BIGINT NOT NULL,
    PRIMARY KEY (municipality_code, vaccine_code, administered_on)
);
-- A national or prefectural chart reads every municipality's days in date order.
CREATE INDEX record_daily_day ON record_daily(administered_on);

INSERT INTO record_daily
SELECT municipality_code, vaccine_code, administered_on, SUM(d1 - previous_d1), SUM(d2 - previous_d2)
FROM (SELECT s.municipality_code, r.vaccine_code, r.administered_on,
             r.d1_medical + r.d1_elderly + r.d1_underlying + r.d1_facility_staff + r.d1_other AS d1,
             r.d2_medical + r.d2_elderly + r.d2_underlying + r.d2_facility_staff + r.d2_other AS d2,
             COALESCE(LAG(r.d1_medical + r.d1_elderly + r.d1_underlying + r.d1_facility_staff + r.d1_other)
                 OVER (PARTITION BY r.site_id, r.vaccine_code ORDER BY r.administered_on), 0) AS previous_d1,
             COALESCE(LAG(r.d2_medical + r.d2_elderly + r.d2_underlying + r.d2_facility_staff + r.d2_other)
                 OVER (PARTITION BY r.site_id, r.vaccine_code ORDER BY r.administered_on), 0) AS previous_d2
      FROM vaccination_records r
      JOIN sites s ON s.id = r.site_id) AS deltas
GROUP BY municipality_code, vaccine_code, administered_on;

-- R308's first page at national scale reads the sites in the reports' own order (municipality,
-- name, id) straight from this index, a hundred at a time.
CREATE INDEX sites_report_order ON sites(municipality_code, name, id);

CREATE FUNCTION record_daily_keep() RETURNS trigger AS $$
DECLARE
    place TEXT;
    new_d1 BIGINT := NEW.d1_medical + NEW.d1_elderly + NEW.d1_underlying + NEW.d1_facility_staff + NEW.d1_other;
    new_d2 BIGINT := NEW.d2_medical + NEW.d2_elderly + NEW.d2_underlying + NEW.d2_facility_staff + NEW.d2_other;
    -- What NEW's day adds: from the registration before it (on insert) or from the old row.
    from_d1 BIGINT := 0;
    from_d2 BIGINT := 0;
    next_day TEXT;
BEGIN
    SELECT municipality_code INTO place FROM sites WHERE id = NEW.site_id;
    IF TG_OP = 'UPDATE' THEN
        from_d1 := OLD.d1_medical + OLD.d1_elderly + OLD.d1_underlying + OLD.d1_facility_staff + OLD.d1_other;
        from_d2 := OLD.d2_medical + OLD.d2_elderly + OLD.d2_underlying + OLD.d2_facility_staff + OLD.d2_other;
    ELSE
        SELECT b.d1_medical + b.d1_elderly + b.d1_underlying + b.d1_facility_staff + b.d1_other,
               b.d2_medical + b.d2_elderly + b.d2_underlying + b.d2_facility_staff + b.d2_other
          INTO from_d1, from_d2
          FROM vaccination_records b
         WHERE b.site_id = NEW.site_id AND b.vaccine_code = NEW.vaccine_code
           AND b.administered_on < NEW.administered_on
         ORDER BY b.administered_on DESC LIMIT 1;
        from_d1 := COALESCE(from_d1, 0);
        from_d2 := COALESCE(from_d2, 0);
    END IF;
    INSERT INTO record_daily VALUES (place, NEW.vaccine_code, NEW.administered_on,
                                     new_d1 - from_d1, new_d2 - from_d2)
    ON CONFLICT (municipality_code, vaccine_code, administered_on) DO UPDATE SET
        d1 = record_daily.d1 + excluded.d1, d2 = record_daily.d2 + excluded.d2;
    -- The later day's figure was measured from what NEW replaces: now it is measured from NEW.
    SELECT MIN(a.administered_on) INTO next_day FROM vaccination_records a
     WHERE a.site_id = NEW.site_id AND a.vaccine_code = NEW.vaccine_code
       AND a.administered_on > NEW.administered_on;
    IF next_day IS NOT NULL THEN
        UPDATE record_daily SET d1 = d1 + from_d1 - new_d1, d2 = d2 + from_d2 - new_d2
         WHERE municipality_code = place AND vaccine_code = NEW.vaccine_code
           AND administered_on = next_day;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER record_daily_insert AFTER INSERT OR UPDATE ON vaccination_records
    FOR EACH ROW EXECUTE FUNCTION record_daily_keep();
