using Hotspots.Records;
using Hotspots.Database;
using Hotspots.Geo;
using Hotspots.Layers;
using Npgsql;
using NpgsqlTypes;

namespace Hotspots.Imports;

/// <summary>
/// Writes a run's accepted rows all at once: COPY into a temporary staging table, then in one transaction —
/// rows outside every ward rejected, records edited in the dashboard since their last import reported as
/// conflicts and left alone, the rest upserted by (source, external id) only where their content changed, each
/// record marked with the run that wrote it, status changes kept in the history, the run's counts and final status
/// set. A crash or cancel before COMMIT leaves nothing behind. A new source's first load skips the staging (BulkAsync).
/// </summary>
public static class ImportWriter
{
    public sealed record Counts(int Inserted, int Updated, int Unchanged, int Rejected, int Conflicts);

    public static async Task StageAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IAsyncEnumerable<ImportRecord> records, CancellationToken ct)
    {
        await conn.ExecAsync("""
            CREATE TEMP TABLE import_staging (
                row_number int, external_id text, title text, description text, subtype text, severity smallint, status text,
                responsible_unit text, deadline date, reported_at timestamptz, resolved_at timestamptz, geom geometry, import_hash text,
                ward_code text, details jsonb, assignee text, authority text, result text
            ) ON COMMIT DROP
            """, tx, ct);
        await using var copy = await conn.BeginBinaryImportAsync(
            "COPY import_staging FROM STDIN (FORMAT BINARY)", ct);
        await foreach (var r in records)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(r.Row, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(r.ExternalId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.Title, NpgsqlDbType.Text, ct);
            await Nullable(copy, r.Description, ct);
            await Nullable(copy, r.Subtype, ct);
            await copy.WriteAsync(r.Severity, NpgsqlDbType.Smallint, ct);
            await copy.WriteAsync(r.Status, NpgsqlDbType.Text, ct);
            await Nullable(copy, r.ResponsibleUnit, ct);
            if (r.Deadline is { } d) await copy.WriteAsync(d, NpgsqlDbType.Date, ct); else await copy.WriteNullAsync(ct);
            if (r.ReportedAt is { } rep) await copy.WriteAsync(rep.UtcDateTime, NpgsqlDbType.TimestampTz, ct); else await copy.WriteNullAsync(ct);
            if (r.ResolvedAt is { } res) await copy.WriteAsync(res.UtcDateTime, NpgsqlDbType.TimestampTz, ct); else await copy.WriteNullAsync(ct);
            await copy.WriteAsync(r.Geometry, NpgsqlDbType.Geometry, ct);
            await copy.WriteAsync(r.Hash, NpgsqlDbType.Text, ct);
            await Nullable(copy, r.WardCode, ct);
            await Nullable(copy, r.Details, ct, NpgsqlDbType.Jsonb);
            await Nullable(copy, r.Assignee, ct);
            await Nullable(copy, r.Authority, ct);
            await Nullable(copy, r.Result, ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>
    /// A new source's first load: the accepted rows go straight into the layer by COPY, with no staging table and
    /// no second pass — there is nothing of the source to compare with, the worker has already placed each row and
    /// held it to the sender's wards, and a new record's history is its import run. Every value is what the
    /// staged insert would write (the database's transaction time where the file gives no date). An id repeated
    /// within the file stops the COPY with a unique violation; the caller then imports the file the staged way,
    /// which reports the repeats row by row.
    /// </summary>
    public static async Task<int> BulkAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IAsyncEnumerable<ImportRecord> records, Guid runId, Layer layer,
        string source, Deadlines.DeadlineTable deadlines, CancellationToken ct)
    {
        var now = (DateTime)(await conn.ScalarAsync("SELECT now()", tx, ct))!;
        // One change row for the whole load (the snapshot finds the records by their run): the per-row change
        // triggers stand aside for the COPY.
        await conn.ExecAsync(Snapshots.SnapshotBatch.BulkWriteSql(byRun: true), tx, ct, ("run", runId));
        await using var copy = await conn.BeginBinaryImportAsync("""
            COPY hotspots (category, subtype, title, description, severity, status, responsible_unit, deadline, assignee, authority, result,
                           reported_at, verified_at, resolved_at, ward_code, geom, source, external_id, is_sample, import_hash, imported_at, updated_at, import_run)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        var count = 0;
        await foreach (var r in records)
        {
            if (r.Details is not null)
            {
                throw new InvalidOperationException("A row with details reached the bulk load; details are written the staged way.");
            }
            var reported = r.ReportedAt?.UtcDateTime ?? now;
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(layer.Category!, NpgsqlDbType.Text, ct);
            await Nullable(copy, r.Subtype, ct);
            await copy.WriteAsync(r.Title, NpgsqlDbType.Text, ct);
            await Nullable(copy, r.Description, ct);
            await copy.WriteAsync(r.Severity, NpgsqlDbType.Smallint, ct);
            await copy.WriteAsync(r.Status, NpgsqlDbType.Text, ct);
            await Nullable(copy, r.ResponsibleUnit, ct);
            // No deadline in the file: the layer's and kind's default, as the database's trigger gives every other insert.
            if ((r.Deadline ?? deadlines.For(layer.Category!, r.Subtype, Calendar.HanoiTime.DateOf(reported))) is { } d)
            {
                await copy.WriteAsync(d, NpgsqlDbType.Date, ct);
            }
            else
            {
                await copy.WriteNullAsync(ct);
            }
            await Nullable(copy, r.Assignee, ct);
            await Nullable(copy, r.Authority, ct);
            await Nullable(copy, r.Result, ct);
            await copy.WriteAsync(reported, NpgsqlDbType.TimestampTz, ct);
            if (r.Status is HotspotStatus.Verified or HotspotStatus.InProgress) await copy.WriteAsync(reported, NpgsqlDbType.TimestampTz, ct); else await copy.WriteNullAsync(ct);
            if (r.Status == HotspotStatus.Resolved) await copy.WriteAsync(r.ResolvedAt?.UtcDateTime ?? now, NpgsqlDbType.TimestampTz, ct); else await copy.WriteNullAsync(ct);
            await copy.WriteAsync(r.WardCode!, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.Geometry, NpgsqlDbType.Geometry, ct);
            await copy.WriteAsync(source, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(r.ExternalId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(r.Hash, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(runId, NpgsqlDbType.Uuid, ct);
            count++;
        }
        await copy.CompleteAsync(ct);
        await copy.DisposeAsync(); // the connection leaves COPY only when the importer is disposed
        await conn.ExecAsync(Snapshots.SnapshotBatch.BulkWriteEndSql, tx, ct);
        return count;
    }

    /// <summary>Whether a source has no records yet (its first load may take <see cref="BulkAsync"/>).</summary>
    public static async Task<bool> IsNewSourceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string source, CancellationToken ct) =>
        (bool)(await conn.ScalarAsync("SELECT NOT EXISTS (SELECT 1 FROM hotspots WHERE source = @source)", tx, ct, ("source", source)))!;

    internal static async Task Nullable(NpgsqlBinaryImporter copy, string? value, CancellationToken ct, NpgsqlDbType type = NpgsqlDbType.Text)
    {
        if (value is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(value, type, ct);
    }

    /// <summary>Applies the staged rows (inside the caller's transaction) and returns the counts.</summary>
    /// <param name="wardScope">The wards the sender may write (a ward lead's), or null for the whole city.</param>
    /// <param name="dryRun">Count what the writes would do, and write nothing to the layer (a preview; the caller rolls back).</param>
    public static async Task<Counts> ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid runId, Layer layer, string source, string user, string fileName,
        int rejectedBefore, IReadOnlyCollection<string>? wardScope, bool withDetails, CancellationToken ct, bool dryRun = false)
    {
        int existing;
        await using (var prepare = Command(PrepareSql))
        {
            existing = (int)(await prepare.ExecuteScalarAsync(ct))!;
        }
        var isNew = existing == 0 ? "" : "AND NOT EXISTS (SELECT 1 FROM import_existing e WHERE e.row_number = s.row_number)";
        await using var cmd = Command(dryRun
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, CountSql, isNew)
            : string.Format(System.Globalization.CultureInfo.InvariantCulture, WriteSql, isNew,
                withDetails && DetailFields.For(layer.Category!) is { } table ? DetailsSql(table) : ""));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var outside = r.GetInt32(0);
        var conflicts = r.GetInt32(1);
        var inserted = r.GetInt32(2);
        var updated = r.GetInt32(3);
        var staged = r.GetInt32(4);
        var repeated = r.GetInt32(6);
        var refused = r.GetInt32(7);
        var otherLayer = r.GetInt32(8);
        return new Counts(inserted, updated, staged - outside - conflicts - inserted - updated, rejectedBefore + outside + refused + repeated + otherLayer, conflicts);

        NpgsqlCommand Command(string sql)
        {
            var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
            cmd.Parameters.AddWithValue("run", runId);
            cmd.Parameters.Add(new NpgsqlParameter<string[]?>("scope", wardScope?.ToArray()) { DataTypeName = "text[]" });
            cmd.Parameters.AddWithValue("category", layer.Category!);
            cmd.Parameters.AddWithValue("source", source);
            cmd.Parameters.AddWithValue("user", user);
            cmd.Parameters.AddWithValue("note", $"Nhập từ tệp {fileName}");
            return cmd;
        }
    }

    // The layer's details for the records written: the file's values over the table's defaults; a value the new row
    // leaves blank keeps what the record had.
    private static string DetailsSql(DetailFields.Table table) => $$"""
        ,
        details AS (
            INSERT INTO {{table.Name}}
            SELECT d.* FROM (SELECT id, external_id FROM inserted UNION ALL SELECT id, external_id FROM updated) w
            JOIN import_staging s ON s.external_id = w.external_id AND s.details IS NOT NULL
            CROSS JOIN LATERAL jsonb_populate_record(NULL::{{table.Name}}, '{{table.Defaults}}'::jsonb || s.details || jsonb_build_object('hotspot_id', w.id)) d
            ON CONFLICT (hotspot_id) DO UPDATE SET {{string.Join(", ", table.Fields.Select(f => $"{f.Column} = coalesce(excluded.{f.Column}, {table.Name}.{f.Column})"))}}
            RETURNING 1)
        """;

    // Written for big files: the staged rows are read in place (no copies of the staging table), rows already in
    // the layer are found once through the natural key, and unchanged ones cost nothing more.
    private const string PrepareSql = """
        -- Temporary tables are never analysed on their own; the joins below need the row count and the keys' figures
        -- (not the geometries': their statistics cost most of an ANALYZE and no plan here uses them).
        ANALYZE import_staging (row_number, external_id, ward_code, import_hash);

        -- An id repeated within the file: the first row counts, the others are rejected with its row number.
        WITH firsts AS (
            SELECT external_id, min(row_number) AS first FROM import_staging GROUP BY external_id HAVING count(*) > 1),
        repeated AS (
            DELETE FROM import_staging s USING firsts f
            WHERE s.external_id = f.external_id AND s.row_number > f.first
            RETURNING s.row_number, s.external_id, f.first)
        INSERT INTO import_rejects (run_id, row_number, column_name, value, reason_vi, reason_en)
        SELECT @run, row_number, 'id', external_id, 'Trùng mã với dòng ' || first || ' trong cùng tệp.', 'The same id as row ' || first || ' of this file.'
        FROM repeated;

        -- The source's records this file names (found once through the natural key), and whether the file changes them.
        CREATE TEMP TABLE import_existing ON COMMIT DROP AS
            SELECT s.row_number, h.id AS existing_id, h.category AS old_category, h.status AS old_status, h.ward_code AS old_ward,
                   h.import_hash IS NOT DISTINCT FROM s.import_hash AS same,
                   h.imported_at IS NOT NULL AND h.updated_at > h.imported_at AS edited
            FROM import_staging s JOIN hotspots h ON h.source = @source AND h.external_id = s.external_id;
        CREATE UNIQUE INDEX ON import_existing (row_number);

        -- A source's ids are its own within one layer: a row naming a record of another layer is refused, not moved.
        WITH other AS (
            DELETE FROM import_existing e WHERE e.old_category <> @category RETURNING e.row_number),
        gone AS (
            DELETE FROM import_staging s USING other o WHERE s.row_number = o.row_number
            RETURNING s.row_number, s.external_id)
        INSERT INTO import_rejects (run_id, row_number, column_name, value, reason_vi, reason_en)
        SELECT @run, row_number, 'id', external_id, 'Mã này thuộc một lớp khác của cùng nguồn; không chuyển lớp bản ghi.',
               'This id belongs to another layer of the same source; records are not moved between layers.'
        FROM gone;
        ANALYZE import_existing;

        -- Rows come placed by the worker (WardLocator, PostGIS's rule); one that does not is placed here. A row no
        -- ward covers is outside Hanoi.
        UPDATE import_staging SET ward_code = ward_of(geom) WHERE ward_code IS NULL;

        -- A ward lead's file writes only inside their wards: a new or changed row placed elsewhere, or one that would
        -- change (or move away) a record of another ward, is refused row by row; the rest of the file goes ahead.
        WITH outside_scope AS (
            SELECT s.row_number, CASE WHEN NOT e.old_ward = ANY(@scope::text[]) THEN e.old_ward ELSE s.ward_code END AS ward
            FROM import_staging s LEFT JOIN import_existing e USING (row_number)
            WHERE @scope::text[] IS NOT NULL AND s.ward_code IS NOT NULL AND e.same IS NOT TRUE
              AND (NOT s.ward_code = ANY(@scope::text[]) OR NOT e.old_ward = ANY(@scope::text[]))),
        refused AS (
            DELETE FROM import_staging s USING outside_scope o WHERE s.row_number = o.row_number
            RETURNING o.row_number, o.ward)
        INSERT INTO import_rejects (run_id, row_number, column_name, value, reason_vi, reason_en)
        SELECT @run, r.row_number, 'ward', coalesce(w.name || ' (' || r.ward || ')', r.ward),
               'Ngoài phường/xã bạn được giao; người gửi tệp chỉ được cập nhật địa bàn của mình.',
               'Outside the wards assigned to the sender, who may only write their own area.'
        FROM refused r LEFT JOIN current_wards w ON w.code = r.ward;
        SELECT count(*)::int FROM import_existing;
        """;

    // Rows no ward covers are rejected; the same in a run and in its preview.
    private const string OutsideSql = """
        WITH outside AS (
            INSERT INTO import_rejects (run_id, row_number, column_name, value, reason_vi, reason_en)
            SELECT @run, row_number, 'geometry', round(ST_X(ST_PointOnSurface(geom))::numeric, 6) || ', ' || round(ST_Y(ST_PointOnSurface(geom))::numeric, 6),
                   'Vị trí không thuộc phường, xã nào của Hà Nội.', 'The location is in no ward or commune of Hanoi.'
            FROM import_staging WHERE ward_code IS NULL
            RETURNING 1)
        """;

    // The rejects PrepareSql wrote, counted the same way after a run and a preview.
    private const string RepeatedAndRefusedSql = """
        (SELECT count(*) FROM import_rejects WHERE run_id = @run AND column_name = 'id' AND reason_en LIKE 'The same id as row %')::int,
        (SELECT count(*) FROM import_rejects WHERE run_id = @run AND column_name = 'ward' AND reason_en LIKE 'Outside the wards assigned%')::int,
        (SELECT count(*) FROM import_rejects WHERE run_id = @run AND column_name = 'id' AND reason_en LIKE 'This id belongs to another layer%')::int
        """;

    // A preview: what WriteSql would insert, update and leave, counted by the same conditions, nothing written.
    private const string CountSql = OutsideSql + """
        SELECT (SELECT count(*) FROM outside)::int,
               (SELECT count(*) FROM import_staging s JOIN import_existing e USING (row_number) WHERE s.ward_code IS NOT NULL AND NOT e.same AND e.edited)::int,
               (SELECT count(*) FROM import_staging s WHERE s.ward_code IS NOT NULL {0})::int,
               (SELECT count(*) FROM import_staging s JOIN import_existing e USING (row_number) WHERE s.ward_code IS NOT NULL AND NOT e.same AND NOT e.edited)::int,
               (SELECT count(*) FROM import_staging)::int, 0,
        """ + RepeatedAndRefusedSql + ";";

    // The writes; {0} selects the new rows (all of them when the layer has none of the file's ids yet: an anti-join
    // against an empty table still costs a probe per row, ~3 s per million).
    private const string WriteSql = OutsideSql + $$"""
        ,
        -- Edited in the dashboard since the last import, and the file says something else: the person's edit stands.
        conflicted AS (
            INSERT INTO import_rejects (run_id, row_number, column_name, value, reason_vi, reason_en, kind)
            SELECT @run, s.row_number, 'id', s.external_id,
                   'Bản ghi đã được sửa trên bảng điều khiển sau lần nhập trước; không ghi đè.',
                   'The record was edited in the dashboard since it was last imported; not overwritten.', 'conflict'
            FROM import_staging s JOIN import_existing e USING (row_number)
            WHERE s.ward_code IS NOT NULL AND NOT e.same AND e.edited
            RETURNING 1),
        -- No ON CONFLICT: the source's advisory lock (taken by the caller) means nobody else writes these keys now,
        -- and a plain insert skips the speculative-insertion round per row.
        inserted AS (
            INSERT INTO hotspots (category, subtype, title, description, severity, status, responsible_unit, deadline,
                                  assignee, authority, result,
                                  reported_at, verified_at, resolved_at, ward_code, geom, source, external_id, is_sample,
                                  import_hash, imported_at, updated_at, import_run)
            SELECT @category, s.subtype, s.title, s.description, s.severity, s.status, s.responsible_unit, s.deadline,
                   s.assignee, s.authority, s.result,
                   coalesce(s.reported_at, now()), CASE WHEN s.status IN ('verified', 'in_progress') THEN coalesce(s.reported_at, now()) END,
                   CASE WHEN s.status = 'resolved' THEN coalesce(s.resolved_at, now()) END, s.ward_code, s.geom, @source, s.external_id, false,
                   s.import_hash, now(), now(), @run
            FROM import_staging s
            WHERE s.ward_code IS NOT NULL {0}
            RETURNING id, status, external_id),
        updated AS (
            UPDATE hotspots h SET
                category = @category, subtype = s.subtype, title = s.title, description = s.description, severity = s.severity,
                status = s.status, responsible_unit = s.responsible_unit, deadline = s.deadline,
                -- a file without the officer, authority or result columns keeps what the record has
                assignee = coalesce(s.assignee, h.assignee), authority = coalesce(s.authority, h.authority), result = coalesce(s.result, h.result),
                reported_at = coalesce(s.reported_at, h.reported_at),
                verified_at = CASE WHEN s.status IN ({{HotspotStatus.VerifiedOrLaterSql}}) THEN coalesce(h.verified_at, s.reported_at, now()) ELSE h.verified_at END,
                resolved_at = CASE WHEN s.status = 'resolved' THEN coalesce(h.resolved_at, s.resolved_at, now()) END,
                ward_code = s.ward_code, geom = s.geom, import_hash = s.import_hash, imported_at = now(), updated_at = now(), import_run = @run
            FROM import_staging s JOIN import_existing e USING (row_number)
            WHERE h.id = e.existing_id AND s.ward_code IS NOT NULL AND NOT e.same AND NOT e.edited
            RETURNING h.id, h.status, e.old_status, h.external_id),
        -- A new record's history is its import_run; only a status an import changes is a history line.
        history AS (
            INSERT INTO hotspot_status_history (hotspot_id, changed_at, changed_by, from_status, to_status, note)
            SELECT id, now(), @user, old_status, status, @note FROM updated WHERE old_status IS DISTINCT FROM status
            RETURNING 1){1}
        SELECT (SELECT count(*) FROM outside)::int,
               (SELECT count(*) FROM conflicted)::int,
               (SELECT count(*) FROM inserted)::int, (SELECT count(*) FROM updated)::int,
               (SELECT count(*) FROM import_staging)::int, (SELECT count(*) FROM history)::int,
        """ + RepeatedAndRefusedSql + ";";
}
