namespace Hotspots.Snapshots;

/// <summary>
/// The batch tables the refresher fills from <c>snapshot_changes</c> for the parts' <see cref="SnapshotPart.Apply"/>
/// (temporary, dropped at commit):
/// <list type="bullet">
/// <item><c>batch_records(id)</c> — records written, deleted or moved;</item>
/// <item><c>batch_added(id)</c> — records the snapshot never counted (inserted since, by a bulk first load too): the
/// cells add them where they are, without counting their cells again;</item>
/// <item><c>batch_points(category, is_sample, x, y)</c> — where the other records counted before and count after (Web
/// Mercator): the cells count these again;</item>
/// <item><c>batch_wards(ward_code)</c> — wards whose statistics move (a record's ward, when what they count changed);</item>
/// <item><c>batch_outreach(ward_code, category)</c> — the outreach factors that move (a ward's factors of one layer, of
/// field reports of a kind, of projects), with what the clock moved;</item>
/// <item><c>batch_was</c> — each record as the snapshot counted it: its first row in the log (an OLD row, <c>was_status</c>
/// set), or nothing (<c>was_status</c> null) for a record inserted since — by a bulk first load too, edited since or not;</item>
/// <item><c>batch_public_points</c>, <c>batch_public_added</c> — the same for the public read model (which fills them), read by the public cells.</item>
/// </list>
/// </summary>
public static class SnapshotBatch
{
    /// <summary>
    /// For a writer of hundreds of thousands of rows in one transaction: the per-row change triggers stand aside
    /// (0018's WHEN) and the write is logged once — by its import run (a first load: the records are found by it) or,
    /// without one, as "everything" (a rebuild follows). Undone by <see cref="BulkWriteEndSql"/> or the transaction's end.
    /// </summary>
    public static string BulkWriteSql(bool byRun) =>
        "SET LOCAL hotspots.bulk_write = 'on';" + (byRun
            ? "INSERT INTO snapshot_changes (scope, import_run) VALUES ('run', @run);"
            : "INSERT INTO snapshot_changes (scope) VALUES ('all');");

    public const string BulkWriteEndSql = "SET LOCAL hotspots.bulk_write = 'off'";

    /// <summary>
    /// Fresh statistics for a table a rebuild wrote (<see cref="CountWritesSql"/> at its start), when the rebuild changed a
    /// tenth of its rows or more (autovacuum's own measure of "changed enough") or it has none yet. A rebuild that finds
    /// the snapshot as it was changes no plan, and analysing the public read model and both cell pyramids was over a
    /// second of its longest path.
    /// </summary>
    public static string AnalyzeWhenRewrittenSql(string table) => $"""
        SELECT hotspots_analyze('{table}')
        WHERE {Writes(table)} - (SELECT n FROM {table}_writes_before) >= 0.1 * greatest((SELECT reltuples FROM pg_class WHERE oid = '{table}'::regclass), 0);
        """;

    /// <summary>
    /// The table's write counters before a rebuild writes it. They are compared, not read alone: they also hold what
    /// earlier transactions on the connection wrote and the server has not yet added to its statistics.
    /// </summary>
    public static string CountWritesSql(string table) => $"""
        CREATE TEMP TABLE {table}_writes_before ON COMMIT DROP AS SELECT {Writes(table)} AS n;
        """;

    private static string Writes(string table) =>
        $"(pg_stat_get_xact_tuples_inserted('{table}'::regclass) + pg_stat_get_xact_tuples_updated('{table}'::regclass) + pg_stat_get_xact_tuples_deleted('{table}'::regclass))";

    /// <summary>Takes every change this transaction can see; changes committed later stay for the next batch.</summary>
    public const string TakeSql = """
        CREATE TEMP TABLE batch_changes ON COMMIT DROP AS SELECT * FROM snapshot_changes LIMIT 0;
        WITH taken AS (DELETE FROM snapshot_changes RETURNING *) INSERT INTO batch_changes SELECT * FROM taken;
        SELECT count(*) FILTER (WHERE scope = 'all') > 0, count(*) FILTER (WHERE scope = 'run') > 0 FROM batch_changes;
        """;

    public const string RowsSql = """
        CREATE TEMP TABLE batch_rows ON COMMIT DROP AS
            SELECT hotspot_id AS id, ward_code, category, is_sample, x, y, stats FROM batch_changes WHERE scope = 'record';
        """;

    /// <summary>A bulk first load logged its run once: its records are found by it (the table is read once).</summary>
    public const string RunRowsSql = """
        INSERT INTO batch_rows
        SELECT h.id, h.ward_code, h.category, h.is_sample, ST_X(h.pt_web), ST_Y(h.pt_web), true
        FROM hotspots h WHERE h.import_run IN (SELECT import_run FROM batch_changes WHERE scope = 'run');
        """;

    /// <summary>The batch's records, the table's (the planner's estimate: no count of a million rows), and the wards they lie in.</summary>
    public const string CountSql = """
        SELECT (SELECT count(*) FROM batch_rows), greatest((SELECT reltuples FROM pg_class WHERE oid = 'hotspots'::regclass), 0)::bigint,
               (SELECT count(DISTINCT ward_code) FROM batch_rows)
        """;

    public const string TablesSql = """
        CREATE TEMP TABLE batch_records ON COMMIT DROP AS SELECT DISTINCT id FROM batch_rows;
        CREATE TEMP TABLE batch_wards ON COMMIT DROP AS SELECT DISTINCT ward_code FROM batch_rows WHERE ward_code IS NOT NULL AND stats;
        CREATE TEMP TABLE batch_outreach ON COMMIT DROP AS
            SELECT ward_code, category FROM batch_rows WHERE ward_code IS NOT NULL
            UNION SELECT ward_code, category FROM batch_changes WHERE scope = 'outreach' AND ward_code IS NOT NULL
            UNION SELECT h.ward_code, h.category FROM batch_changes c JOIN hotspots h ON h.id = c.hotspot_id
                  WHERE c.scope = 'outreach' AND h.ward_code IS NOT NULL;
        CREATE TEMP TABLE batch_public_points (category text, is_sample boolean, x float8, y float8) ON COMMIT DROP;
        CREATE TEMP TABLE batch_was ON COMMIT DROP AS
            SELECT DISTINCT ON (hotspot_id) hotspot_id AS id, ward_code, category, x, y, was_status, was_deadline, was_reported_at,
                   was_resolved_at, was_duplicate, was_import_run, was_geom, was_subtype, was_responsible_unit, was_created_at,
                   was_updated_at, was_verified_at, was_measured, was_severity, was_closed_at
            FROM batch_changes WHERE scope = 'record' ORDER BY hotspot_id, seq;
        UPDATE batch_was SET was_status = NULL WHERE was_import_run IN (SELECT import_run FROM batch_changes WHERE scope = 'run');
        INSERT INTO batch_was (id) SELECT id FROM batch_records EXCEPT SELECT id FROM batch_was;
        CREATE TEMP TABLE batch_added ON COMMIT DROP AS SELECT id FROM batch_was WHERE was_status IS NULL;
        CREATE TEMP TABLE batch_points ON COMMIT DROP AS
            SELECT DISTINCT category, is_sample, x, y FROM batch_rows WHERE x IS NOT NULL AND NOT EXISTS (SELECT FROM batch_added a WHERE a.id = batch_rows.id);
        CREATE TEMP TABLE batch_public_added (id bigint) ON COMMIT DROP;
        ANALYZE batch_records, batch_points, batch_wards, batch_outreach, batch_was, batch_added;
        """;

    /// <summary>
    /// A batch is many small statements over tables of a few rows: the planner must know they are small (temporary
    /// tables have no statistics until analysed — parts ANALYZE what they fill), and compiling them (JIT) would
    /// cost more than running them. What a batch reads by key (its records in the public read model, their cells) is
    /// in memory: an index probe costs about what a page read in order does (random_page_cost 1.1 rather than the
    /// disk-era 4), so the 10,000 records of an import are looked up by their keys, not found by reading a million
    /// rows (the public read model's share of such a batch: 1.2 s → 0.7 s on the bench's million).
    /// </summary>
    public const string SettingsSql = "SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1";

    /// <summary>Whether the batch, with what the clock moved, touched anything (if not, it is rolled back: nothing moves).</summary>
    public const string TouchedSql = """
        SELECT EXISTS (SELECT 1 FROM batch_records) OR EXISTS (SELECT 1 FROM batch_points) OR EXISTS (SELECT 1 FROM batch_wards)
            OR EXISTS (SELECT 1 FROM batch_outreach) OR EXISTS (SELECT 1 FROM batch_public_points)
        """;
}
