-- An uploaded file is kept in 1 MB pieces: writing and reading a 100 MB file then never needs it whole in the
-- service's memory (one bytea value is sent and received in one piece).
CREATE TABLE import_file_chunks (
    run_id uuid NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
    seq    integer NOT NULL,
    data   bytea NOT NULL,
    PRIMARY KEY (run_id, seq)
);
INSERT INTO import_file_chunks (run_id, seq, data)
    SELECT f.run_id, g.i, substring(f.content FROM g.i * 1048576 + 1 FOR 1048576)
    FROM import_files f, generate_series(0, greatest(length(f.content) - 1, 0) / 1048576) AS g(i);
DROP TABLE import_files;
