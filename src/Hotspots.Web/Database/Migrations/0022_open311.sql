-- Open311 GeoReport v2 (FieldReports/Open311): the client systems that may send reports (iHanoi, a ward's staff app,
-- a hotline), each with its own API key — only its SHA-256 is kept, the key is shown once — made and revoked by admins.
CREATE TABLE open311_clients (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key_hash     bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

-- The kind a report names (a layer's catalogued kind, as Open311's service_code), when it names one.
ALTER TABLE field_reports ADD COLUMN kind text;
