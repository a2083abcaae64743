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
    failures BIGINT NOT NULL DEFAULT 0,
    last_failed_at BIGINT NOT NULL,
    locked_until BIGINT,
    PRIMARY KEY (login_key, source)
);

-- Fixed one-minute (or longer) windows per (bucket, subject): per client address and per account,
-- in the database so that every server process counts the same requests.
CREATE TABLE rate_windows (
    bucket TEXT NOT NULL,
    subject TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, subject)
);

-- Wrong second-step codes after a correct password: only someone who knows the password can make
-- these, so ten of them lock the account itself (users.locked_until) for 15 minutes.
ALTER TABLE users ADD COLUMN failed_codes BIGINT NOT NULL DEFAULT 0;
