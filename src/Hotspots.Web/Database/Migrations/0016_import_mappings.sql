-- The column mapping a person confirmed for a source: the next file from that source with the same columns is
-- read the same way without asking.
CREATE TABLE import_mappings (
    source    text PRIMARY KEY,
    header    text[] NOT NULL,
    mapping   jsonb NOT NULL,
    saved_by  text NOT NULL,
    saved_at  timestamptz NOT NULL DEFAULT now()
);

-- When a run last moved: one that has not for a while is flagged on the imports page.
ALTER TABLE import_runs ADD COLUMN progress_at timestamptz;
