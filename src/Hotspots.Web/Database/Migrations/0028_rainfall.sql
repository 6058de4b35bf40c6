-- Rainfall (issue 20, Rainfall/): the daily totals of the city drainage company's gauges. The gauges' coordinates are
-- not published: each is placed at the interior point of the 2025 ward it is named after, and says so (placed).
CREATE TABLE rain_gauges (
    id        integer PRIMARY KEY,  -- the company's column number for the gauge
    name      text NOT NULL,
    ward_code text NOT NULL,
    geom      geometry(Point, 4326) NOT NULL,
    placed    text NOT NULL DEFAULT 'ward-interior-point' CHECK (placed IN ('ward-interior-point', 'surveyed')),
    source    text NOT NULL
);

CREATE TABLE rain_daily (
    gauge_id integer NOT NULL REFERENCES rain_gauges(id) ON DELETE CASCADE,
    day      date NOT NULL,
    rain_mm  numeric(6, 1) NOT NULL CHECK (rain_mm >= 0 AND rain_mm < 10000),
    -- More than a day's rain can plausibly be here (the file has days of 1,000–8,000 mm): kept as sent, marked to be
    -- checked, and left out of what is computed from rain until someone confirms or corrects it.
    suspect  boolean NOT NULL DEFAULT false,
    source   text NOT NULL,
    PRIMARY KEY (gauge_id, day)
);
CREATE INDEX rain_daily_day ON rain_daily (day);
