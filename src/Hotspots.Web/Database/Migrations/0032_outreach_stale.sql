-- The outreach index can weigh "data not live here" (issue 20): open records nobody has edited or verified for 90 days.
ALTER TABLE outreach_factors ADD COLUMN stale integer NOT NULL DEFAULT 0;
