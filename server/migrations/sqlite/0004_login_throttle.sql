-- Login throttling that slows the attacker rather than the user, and rate limits that hold across
-- server processes.
--
-- login_throttle counts failed logins per (user name as typed, client source). The delays and the
-- 15-minute lock apply to that pair only, so a stranger hammering an ID from one address locks out
-- only that address, not the user at the clinic. The user name is counted whether or not it
-- exists: an unknown ID answers exactly like a known one, so the answers reveal nothing.
CREATE TABLE login_throttle (
    login_key TEXT NOT NULL,
    source TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    last_failed_at INTEGER NOT NULL,
    locked_until INTEGER,
    PRIMARY KEY (login_key, source)
);

-- Fixed one-minute (or longer) windows per (bucket, subject): per client address and per account,
-- in the database so that every server process counts the same requests.
CREATE TABLE rate_windows (
    bucket TEXT NOT NULL,
    subject TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, subject)
);

-- Wrong second-step codes after a correct password: only someone who knows the password can make
-- these, so ten of them lock the account itself (users.locked_until) for 15 minutes.
ALTER TABLE users ADD COLUMN failed_codes INTEGER NOT NULL DEFAULT 0;
