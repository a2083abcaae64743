-- 住所地外接種 (seed 001, R300 住所地外接種の申請状況一覧): applications, registered by the
-- municipality where the person will be vaccinated (municipality_code), from people who live in
-- another (residence_code, from the master). They hold personal data: the registering
-- municipality reads all of them; the municipality of residence reads those of its residents,
-- without the phone number. The PostgreSQL twin must stay column-for-column identical.
CREATE TABLE out_of_area_applications (
    id INTEGER PRIMARY KEY,
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    applicant_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    phone TEXT NOT NULL,
    residence_code TEXT NOT NULL REFERENCES municipalities(code),
    reason TEXT NOT NULL CHECK (reason IN ('hospitalised', 'birth_at_home', 'posted_alone', 'student', 'own_doctor', 'other')),
    reason_note TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'rejected')),
    -- Required when status is 'rejected' (却下 with a reason); empty otherwise.
    rejection_reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    decided_by INTEGER REFERENCES users(id),
    CHECK (residence_code <> municipality_code),
    CHECK ((status = 'rejected') = (rejection_reason <> ''))
);
CREATE INDEX out_of_area_municipality ON out_of_area_applications(municipality_code, received_on);
CREATE INDEX out_of_area_residence ON out_of_area_applications(residence_code, received_on);
