-- Pre-aggregated grid cells for tiles below the individual-feature zoom. Level L has 64×64 cells per
-- tile of zoom L (Web Mercator), so a tile of zoom z reads at most 4,096 rows of level z instead of
-- aggregating every hotspot under it. cx grows east, cy grows south (the XYZ tile scheme).
-- Rebuilt with ward_stats; counts per status are columns, so the status filter needs no raw scan.
CREATE TABLE hotspot_cells (
    category     text NOT NULL,
    level        smallint NOT NULL,
    is_sample    boolean NOT NULL,
    cx           integer NOT NULL,
    cy           integer NOT NULL,
    reported     integer NOT NULL,
    verified     integer NOT NULL,
    in_progress  integer NOT NULL,
    resolved     integer NOT NULL,
    rejected     integer NOT NULL,
    overdue      integer NOT NULL,
    max_severity smallint NOT NULL,
    sum_x        double precision NOT NULL,
    sum_y        double precision NOT NULL,
    first_id     bigint NOT NULL,
    -- the tile of zoom `level` holding the cell: a tile request is one index equality
    tx           integer GENERATED ALWAYS AS (cx / 64) STORED,
    ty           integer GENERATED ALWAYS AS (cy / 64) STORED,
    PRIMARY KEY (category, level, cx, cy, is_sample)
);
CREATE INDEX hotspot_cells_tile ON hotspot_cells (category, level, tx, ty);
