-- Outreach priority index: raw factors per ward, precomputed by the snapshot rebuild for "now" and for the ends
-- of recent quarters (rank change, quarterly reports), so a ranking with any weights is arithmetic on ~1,000 rows.
CREATE TABLE outreach_factors (
    as_of              timestamptz NOT NULL,
    ward_code          text NOT NULL,
    -- a hotspot category, 'other' (field reports only) or 'projects' (project pressure only)
    category           text NOT NULL,
    open_count         integer NOT NULL DEFAULT 0,
    open_weighted      double precision NOT NULL DEFAULT 0,
    overdue            integer NOT NULL DEFAULT 0,
    recurrence         integer NOT NULL DEFAULT 0,
    inspections        integer NOT NULL DEFAULT 0,
    inspection_fails   integer NOT NULL DEFAULT 0,
    reports            integer NOT NULL DEFAULT 0,
    reports_unanswered integer NOT NULL DEFAULT 0,
    clearance_todo     double precision NOT NULL DEFAULT 0,
    households         double precision NOT NULL DEFAULT 0,
    active_works       integer NOT NULL DEFAULT 0,
    PRIMARY KEY (as_of, ward_code, category)
);

-- Weights: one row for the city default (set by admins) and one per person who saved their own.
CREATE TABLE outreach_weights (
    scope      text PRIMARY KEY CHECK (scope = 'city' OR scope ~ '^user:[0-9]+$'),
    weights    jsonb NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Changes to the city default are audited like other shared settings.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check
    CHECK (entity IN ('hotspot', 'project', 'milestone', 'field_report', 'user', 'token', 'outreach_weights'));
