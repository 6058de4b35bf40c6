-- Data quality per ward and layer (issue 20, item 2; Quality/): the four words of the city's plans measured as
-- counts, so every share can be worked out again from the row. Kept by the snapshot like ward_stats.
CREATE TABLE ward_quality (
    ward_code      text NOT NULL,
    category       text NOT NULL,      -- a layer's category, or 'all'
    records        integer NOT NULL,   -- records counted (rejected ones only as marked duplicates)
    correct        integer NOT NULL,   -- đúng: the point lies in its ward and the dates hold together
    complete       integer NOT NULL,   -- đủ: kind, responsible unit, a deadline while open, the layer's own measure
    duplicates     integer NOT NULL,   -- sạch (its opposite): marked duplicates and open repeats of the same kind at the same place
    open           integer NOT NULL,
    live           integer NOT NULL,   -- sống: open records touched (edited or verified) within the last 90 days
    untouched      integer NOT NULL,   -- open records nobody has touched since they came in, older than 90 days
    PRIMARY KEY (ward_code, category)
);
