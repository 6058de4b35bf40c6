-- Failed sign-ins counted per account and address together, per address and per account, each with its own lock
-- that grows (minutes × 2^(locks in a row), at most a day). Keyed by the email as typed (lower case), not by the
-- user's id, so an email with no account is counted and answered exactly like one with an account. Failures older
-- than a day no longer count. The users' own counters go: one person at another address no longer locks anyone out.
CREATE TABLE sign_in_throttle (
    scope           text NOT NULL CHECK (scope IN ('pair', 'address', 'account')),
    email           text NOT NULL,   -- '' for scope 'address'
    address         text NOT NULL,   -- '' for scope 'account'
    failures        integer NOT NULL DEFAULT 0,
    locks           integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    last_failure_at timestamptz NOT NULL,
    PRIMARY KEY (scope, email, address)
);
CREATE INDEX sign_in_throttle_stale ON sign_in_throttle (last_failure_at);

-- "Has this account signed in from this address before?": such an address is not held by the account-wide lock.
CREATE INDEX sign_in_log_known ON sign_in_log (lower(email), address) WHERE outcome = 'ok';

ALTER TABLE users DROP COLUMN failed_sign_ins, DROP COLUMN locked_until;
