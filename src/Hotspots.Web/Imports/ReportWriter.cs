using Hotspots.Database;
using Npgsql;
using NpgsqlTypes;

namespace Hotspots.Imports;

/// <summary>
/// Writes a run's accepted field reports (ReportRows) into the triage list, inside the run's transaction: COPY into
/// a staging table, then ids repeated in the file rejected with the first row's number, reports staff have already
/// triaged left as they are where the file now says something else (a conflict, listed with the rejects), the rest
/// upserted by (source, external id) only where something changed, and the reporters' names and phones kept in
/// their own table, which no public query reads. A file without times keeps the times of its first import.
/// </summary>
public static class ReportWriter
{
    /// <summary>Streams the accepted rows into the staging table; returns how many.</summary>
    public static async Task<int> StageAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IAsyncEnumerable<ImportRecord> records, CancellationToken ct)
    {
        await conn.ExecAsync("""
            CREATE TEMP TABLE report_staging (
                row_number int, external_id text, category text, kind text, text text, photo_url text, channel text,
                received_at timestamptz, geom geometry, ward_code text, reporter_name text, reporter_phone text
            ) ON COMMIT DROP
            """, tx, ct);
        var staged = 0;
        await using (var copy = await conn.BeginBinaryImportAsync("COPY report_staging FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var r in records)
            {
                var report = r.Report ?? throw new InvalidOperationException("A row without report fields reached the field-report writer.");
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.Row, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.ExternalId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(report.Category, NpgsqlDbType.Text, ct);
                await ImportWriter.Nullable(copy, r.Subtype, ct);
                await copy.WriteAsync(r.Description!, NpgsqlDbType.Text, ct);
                await ImportWriter.Nullable(copy, report.PhotoUrl, ct);
                await copy.WriteAsync(report.Channel, NpgsqlDbType.Text, ct);
                if (r.ReportedAt is { } at) await copy.WriteAsync(at.UtcDateTime, NpgsqlDbType.TimestampTz, ct); else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(r.Geometry, NpgsqlDbType.Geometry, ct);
                await copy.WriteAsync(r.WardCode!, NpgsqlDbType.Text, ct);
                await ImportWriter.Nullable(copy, report.ReporterName, ct);
                await ImportWriter.Nullable(copy, report.ReporterPhone, ct);
                staged++;
            }
            await copy.CompleteAsync(ct);
        }
        return staged;
    }

    /// <summary>Applies the staged reports and returns the counts (rejectedBefore: the rows the worker refused).</summary>
    public static async Task<ImportWriter.Counts> ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid runId, string source, int staged,
        int rejectedBefore, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(WriteSql, conn, tx);
        cmd.Parameters.AddWithValue("run", runId);
        cmd.Parameters.AddWithValue("source", source);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (repeated, conflicts, inserted, updated) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        return new ImportWriter.Counts(inserted, updated, staged - repeated - conflicts - inserted - updated, rejectedBefore + repeated, conflicts);
    }

    private const string WriteSql = """
        ANALYZE report_staging;

        -- An id repeated within the file: the first row counts, the others are rejected with its row number.
        CREATE TEMP TABLE report_repeated ON COMMIT DROP AS
        WITH firsts AS (
            SELECT external_id, min(row_number) AS first FROM report_staging GROUP BY external_id HAVING count(*) > 1)
        SELECT s.row_number, s.external_id, f.first FROM report_staging s JOIN firsts f USING (external_id) WHERE s.row_number > f.first;
        DELETE FROM report_staging s USING report_repeated r WHERE s.row_number = r.row_number;
        INSERT INTO import_rejects (run_id, row_number, column_name, value, reason_vi, reason_en)
        SELECT @run, row_number, 'id', external_id, 'Trùng mã với dòng ' || first || ' trong cùng tệp.', 'The same id as row ' || first || ' of this file.'
        FROM report_repeated;

        -- A report imported before keeps its time when the file gives none; a new one is received now.
        UPDATE report_staging s SET received_at = f.received_at
        FROM field_reports f WHERE s.received_at IS NULL AND f.source = @source AND f.external_id = s.external_id;
        UPDATE report_staging SET received_at = now() WHERE received_at IS NULL;

        -- Staff have linked, converted or rejected it, and the file now says something else: their decision stands.
        CREATE TEMP TABLE report_conflicts ON COMMIT DROP AS
        SELECT s.row_number, s.external_id FROM report_staging s JOIN field_reports f ON f.source = @source AND f.external_id = s.external_id
        WHERE f.status <> 'new'
          AND (f.category, f.kind, f.text, f.photo_url, f.channel, f.received_at, f.ward_code, f.geom)
              IS DISTINCT FROM (s.category, s.kind, s.text, s.photo_url, s.channel, s.received_at, s.ward_code, s.geom);
        DELETE FROM report_staging s USING report_conflicts c WHERE s.row_number = c.row_number;
        INSERT INTO import_rejects (run_id, row_number, column_name, value, reason_vi, reason_en, kind)
        SELECT @run, row_number, 'id', external_id, 'Phản ánh đã được cán bộ xử lý sau lần nhập trước; không ghi đè.',
               'The report was triaged by staff since it was last imported; not overwritten.', 'conflict'
        FROM report_conflicts;

        WITH written AS (
            -- the ward is given (the worker placed the row), so the table's trigger does not look it up again
            INSERT INTO field_reports (category, kind, text, photo_url, channel, received_at, geom, ward_code, source, external_id)
            SELECT category, kind, text, photo_url, channel, received_at, geom, ward_code, @source, external_id FROM report_staging
            ON CONFLICT (source, external_id) DO UPDATE
                SET category = EXCLUDED.category, kind = EXCLUDED.kind, text = EXCLUDED.text, photo_url = EXCLUDED.photo_url,
                    channel = EXCLUDED.channel, received_at = EXCLUDED.received_at, geom = EXCLUDED.geom, ward_code = EXCLUDED.ward_code
                WHERE (field_reports.category, field_reports.kind, field_reports.text, field_reports.photo_url, field_reports.channel,
                       field_reports.received_at, field_reports.ward_code, field_reports.geom)
                      IS DISTINCT FROM (EXCLUDED.category, EXCLUDED.kind, EXCLUDED.text, EXCLUDED.photo_url, EXCLUDED.channel,
                       EXCLUDED.received_at, EXCLUDED.ward_code, EXCLUDED.geom)
            RETURNING id, external_id, xmax = 0 AS added),
        reporters AS (
            INSERT INTO field_report_reporters (report_id, reporter_name, reporter_phone)
            SELECT w.id, s.reporter_name, s.reporter_phone FROM written w JOIN report_staging s USING (external_id)
            WHERE s.reporter_name IS NOT NULL OR s.reporter_phone IS NOT NULL
            ON CONFLICT (report_id) DO UPDATE SET reporter_name = EXCLUDED.reporter_name, reporter_phone = EXCLUDED.reporter_phone)
        SELECT (SELECT count(*) FROM report_repeated)::int, (SELECT count(*) FROM report_conflicts)::int,
               count(*) FILTER (WHERE added)::int, count(*) FILTER (WHERE NOT added)::int
        FROM written;
        """;
}
