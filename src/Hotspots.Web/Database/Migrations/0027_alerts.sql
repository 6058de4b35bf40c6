-- Alerts (issue 18, Alerts/): what each person wants to be told, and every message sent, once.
-- A person has at most one subscription. A ward lead without one is subscribed by default to their wards (a daily
-- email); "unsubscribe" keeps the row, switched off. Wards null: every ward the person may see; layers null: all.
CREATE TABLE alert_subscriptions (
    user_id           bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    active            boolean NOT NULL DEFAULT true,
    wards             text[],
    layers            text[],
    area              geometry(MultiPolygon, 4326),
    events            text[] NOT NULL DEFAULT '{new,status,level}' CHECK (events <@ '{new,status,level}' AND cardinality(events) > 0),
    cadence           text NOT NULL DEFAULT 'daily' CHECK (cadence IN ('instant', 'daily')),
    channel           text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'webhook')),
    webhook_url       text CHECK (webhook_url IS NULL OR webhook_url ~ '^https?://'),
    webhook_secret    text,
    unsubscribe_token uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (channel <> 'webhook' OR webhook_url IS NOT NULL AND webhook_secret IS NOT NULL)
);

-- One row per person, period and channel: the key is what makes a message go once, whichever node builds it
-- (INSERT … ON CONFLICT DO NOTHING claims it). A message not yet sent is retried with back-off (next_attempt_at).
CREATE TABLE alert_deliveries (
    user_id         bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period          text NOT NULL,
    channel         text NOT NULL CHECK (channel IN ('email', 'webhook')),
    subject         text NOT NULL,
    body_text       text NOT NULL,
    body_json       json NOT NULL, -- json, not jsonb: a retry sends the very bytes signed the first time
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    PRIMARY KEY (user_id, period, channel)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending';

-- Where the instant alerts have read up to (one row): each round takes what changed since, up to a few seconds ago.
CREATE TABLE alert_state (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_until timestamptz NOT NULL
);
INSERT INTO alert_state (last_until) VALUES (now());

-- The rounds find what changed by time: records made (a BRIN: rows are written in time order, and a million-row
-- import should not pay a btree for it), and status changes.
CREATE INDEX hotspots_created_at ON hotspots USING brin (created_at);
CREATE INDEX hotspot_status_history_changed_at ON hotspot_status_history (changed_at);
