-- The import run that last wrote a record, in place of a status-history line per imported record (a million lines
-- cost ~10 s of a million-row import). The record's history reads "imported from file … by … at …" from it; status
-- changes an import makes to existing records still go to hotspot_status_history (the outreach index counts them).
ALTER TABLE hotspots ADD COLUMN import_run uuid;
