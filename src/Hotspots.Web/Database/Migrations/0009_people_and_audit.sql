-- People, their roles and wards, API tokens, the sign-in log, Data Protection keys (shared by every node) and an
-- append-only audit trail of every change made through the product.

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               text NOT NULL,
    display_name        text NOT NULL,
    role                text NOT NULL CHECK (role IN ('admin', 'planner', 'ward_lead', 'viewer')),
    password_hash       text NOT NULL,
    -- Changes whenever the password, role, wards or status change: sign-ins made before then stop working.
    security_stamp      uuid NOT NULL DEFAULT gen_random_uuid(),
    disabled            boolean NOT NULL DEFAULT false,
    failed_sign_ins     integer NOT NULL DEFAULT 0,
    locked_until        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE user_wards (
    user_id   bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ward_code text NOT NULL,   -- checked against the current wards when assigned (a new boundary set replaces rows)
    PRIMARY KEY (user_id, ward_code)
);

CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,   -- SHA-256 of the token; the token itself is shown once
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sign_in_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    email      text NOT NULL,
    user_id    bigint REFERENCES users(id) ON DELETE SET NULL,
    method     text NOT NULL CHECK (method IN ('password', 'token')),
    outcome    text NOT NULL CHECK (outcome IN ('ok', 'bad_password', 'unknown_user', 'locked', 'disabled')),
    address    text,
    user_agent text
);
CREATE INDEX sign_in_log_at ON sign_in_log (at DESC);

CREATE TABLE data_protection_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text NOT NULL UNIQUE,
    xml          text NOT NULL
);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     bigint,            -- no foreign key: the trail outlives the account
    user_email  text NOT NULL,
    entity      text NOT NULL CHECK (entity IN ('hotspot', 'project', 'milestone', 'field_report', 'user', 'token')),
    entity_id   text NOT NULL,
    ward_code   text,
    field       text NOT NULL,
    old_value   text,
    new_value   text,
    note        text
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);

-- Append-only, whoever asks: the trail is evidence ("6 rõ"), so the database refuses to rewrite it.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Who sent an import, so that its rows are held to that person's wards.
ALTER TABLE import_runs ADD COLUMN submitted_by bigint REFERENCES users(id) ON DELETE SET NULL;
