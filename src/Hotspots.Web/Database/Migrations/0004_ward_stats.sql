-- Ward statistics snapshot: the stats endpoints read this table and never join space on the request path.
-- It is rebuilt (set-based, from hotspots.ward_code) after every load or change.
CREATE TABLE ward_stats (
    ward_code          text NOT NULL,
    category           text NOT NULL,
    total              integer NOT NULL,
    reported           integer NOT NULL,
    verified           integer NOT NULL,
    in_progress        integer NOT NULL,
    resolved           integer NOT NULL,
    rejected           integer NOT NULL,
    open               integer NOT NULL,
    overdue            integer NOT NULL,
    resolved_30d       integer NOT NULL,
    resolved_90d       integer NOT NULL,
    resolved_365d      integer NOT NULL,
    median_days_30d    double precision,
    median_days_90d    double precision,
    median_days_365d   double precision,
    median_days_all    double precision,
    PRIMARY KEY (ward_code, category)
);

CREATE TABLE ward_stats_state (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    as_of     timestamptz NOT NULL,
    version   bigint NOT NULL
);
