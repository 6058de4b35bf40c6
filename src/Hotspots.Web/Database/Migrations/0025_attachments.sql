-- Photos and files on records and field reports (issue 18, Attachments/). Kept in PostgreSQL, so every node sees
-- them, backups hold them and a record's deletion takes its files with it. Only the cleaned copy is stored: a photo
-- is decoded and encoded again (no EXIF, no location, no device) and a PDF is checked by its first bytes. The place
-- and time read from a photo's EXIF are kept beside it for staff (they propose the record's place), never served.
CREATE TABLE attachments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hotspot_id      bigint REFERENCES hotspots(id) ON DELETE CASCADE,
    field_report_id bigint REFERENCES field_reports(id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('photo', 'document')),
    content_type    text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    size_bytes      integer NOT NULL,
    sha256          bytea NOT NULL,
    width           integer,
    height          integer,
    taken_at        timestamptz,
    taken_geom      geometry(Point, 4326),
    is_public       boolean NOT NULL DEFAULT false,
    uploaded_by     text NOT NULL,
    uploaded_at     timestamptz NOT NULL DEFAULT now(),
    content         bytea NOT NULL,
    thumbnail       bytea,
    CHECK (hotspot_id IS NOT NULL OR field_report_id IS NOT NULL)
);
-- Already compressed: PostgreSQL should not try to compress them again.
ALTER TABLE attachments ALTER COLUMN content SET STORAGE EXTERNAL, ALTER COLUMN thumbnail SET STORAGE EXTERNAL;
CREATE INDEX attachments_hotspot ON attachments (hotspot_id) WHERE hotspot_id IS NOT NULL;
CREATE INDEX attachments_field_report ON attachments (field_report_id) WHERE field_report_id IS NOT NULL;
-- The same file sent twice to one record (a retry from a phone on a bad line) is kept once.
CREATE UNIQUE INDEX attachments_once_per_record ON attachments (hotspot_id, sha256) WHERE hotspot_id IS NOT NULL;
CREATE UNIQUE INDEX attachments_once_per_report ON attachments (field_report_id, sha256) WHERE field_report_id IS NOT NULL AND hotspot_id IS NULL;
