-- Quartz.NET's job store tables (qrtz_*) are created by Quartz itself at start-up (ProvisionSchema): its 4.7
-- schema has columns the classic DDL lacks, and Quartz validates them. It only ever creates, never alters.

-- One import of one file into one layer: who, what, how far, with what result.
CREATE TABLE import_runs (
    id            uuid PRIMARY KEY,
    created_by    text NOT NULL,
    file_name     text NOT NULL,
    size_bytes    bigint NOT NULL,
    content_hash  text NOT NULL,
    layer         text NOT NULL,
    options       jsonb NOT NULL DEFAULT '{}',
    status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    rows_read     integer NOT NULL DEFAULT 0,
    rows_total    integer,
    inserted      integer NOT NULL DEFAULT 0,
    updated       integer NOT NULL DEFAULT 0,
    unchanged     integer NOT NULL DEFAULT 0,
    rejected      integer NOT NULL DEFAULT 0,
    conflicts     integer NOT NULL DEFAULT 0,
    crs_used      text,
    notes         text[] NOT NULL DEFAULT '{}',
    error         text,
    cancel_requested boolean NOT NULL DEFAULT false,
    queued_at     timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz
);
CREATE INDEX import_runs_queued ON import_runs (queued_at DESC);

-- The uploaded bytes, so whichever node of the cluster runs the job can read them; dropped when the run ends.
CREATE TABLE import_files (
    run_id  uuid PRIMARY KEY REFERENCES import_runs(id) ON DELETE CASCADE,
    content bytea NOT NULL
);

-- Each rejected row (or conflict), with a reason a ward clerk understands, in Vietnamese and English.
CREATE TABLE import_rejects (
    run_id     uuid NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
    row_number integer NOT NULL,
    column_name text,
    value      text,
    reason_vi  text NOT NULL,
    reason_en  text NOT NULL,
    kind       text NOT NULL DEFAULT 'rejected' CHECK (kind IN ('rejected', 'conflict'))
);
CREATE INDEX import_rejects_run ON import_rejects (run_id, row_number);

-- What an import last wrote to a record: a re-import of the same content is unchanged, and a record edited
-- since (updated_at later than imported_at) is a conflict, not overwritten.
ALTER TABLE hotspots ADD COLUMN import_hash text, ADD COLUMN imported_at timestamptz;

-- updated_at follows every change of what a person edits (not the ward re-assignment of a new boundary set),
-- unless the writer sets it itself (imports set it together with imported_at).
CREATE FUNCTION touch_hotspot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_at = OLD.updated_at
       AND (NEW.title, NEW.description, NEW.subtype, NEW.severity, NEW.status, NEW.responsible_unit, NEW.deadline)
           IS DISTINCT FROM (OLD.title, OLD.description, OLD.subtype, OLD.severity, OLD.status, OLD.responsible_unit, OLD.deadline)
       OR NEW.updated_at = OLD.updated_at AND NOT ST_Equals(NEW.geom, OLD.geom) THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER hotspots_touch BEFORE UPDATE ON hotspots FOR EACH ROW EXECUTE FUNCTION touch_hotspot();
