-- Rain arrives at run time too (a gauge file through the import jobs, issue 20): what is computed from rain and kept
-- by a process (the flood scenario's thresholds, the wettest days) follows this number, bumped once per statement that
-- changes the gauges or their days, on every node alike.
CREATE TABLE rain_state (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version bigint NOT NULL);
INSERT INTO rain_state (version) VALUES (1);

CREATE FUNCTION bump_rain_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rain_state SET version = version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER rain_daily_version AFTER INSERT OR UPDATE OR DELETE ON rain_daily FOR EACH STATEMENT EXECUTE FUNCTION bump_rain_version();
CREATE TRIGGER rain_gauges_version AFTER INSERT OR UPDATE OR DELETE ON rain_gauges FOR EACH STATEMENT EXECUTE FUNCTION bump_rain_version();
