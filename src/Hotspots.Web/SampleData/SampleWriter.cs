using Hotspots.Database;
using Hotspots.Geo;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Hotspots.SampleData;

/// <summary>
/// Replaces the sample data in the database with a freshly generated set, in one transaction: binary COPY
/// into staging tables, then set-based inserts that assign wards from the ward parts. Real records are
/// never touched.
/// </summary>
public static partial class SampleWriter
{
    public const string Source = "sample";

    public static async Task<SampleWorld> LoadWorldAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var wards = new List<SampleWorld.Ward>();
        await using (var cmd = new NpgsqlCommand("SELECT code, full_name, kind, geom, area_km2 FROM current_wards", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                wards.Add(new SampleWorld.Ward(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<NetTopologySuite.Geometries.Geometry>(3), r.GetDouble(4)));
            }
        }
        var lines = new List<SampleWorld.Line>();
        await using (var cmd = new NpgsqlCommand("SELECT id, kind, geom FROM projects", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                lines.Add(new SampleWorld.Line(r.GetString(0), r.GetString(1), r.GetFieldValue<NetTopologySuite.Geometries.Geometry>(2)));
            }
        }
        var points = new List<Coordinate>();
        await using (var cmd = new NpgsqlCommand("SELECT ST_X(geom), ST_Y(geom) FROM hotspots WHERE source = 'official:hanoi-flood-points'", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                points.Add(new Coordinate(r.GetDouble(0), r.GetDouble(1)));
            }
        }
        if (wards.Count == 0)
        {
            throw new InvalidOperationException("No ward boundaries are loaded; the sample generator places records in wards.");
        }
        return new SampleWorld(wards, lines, points);
    }

    public static async Task<(int Hotspots, int Reports)> ReplaceAsync(NpgsqlDataSource dataSource, int count, int seed, DateOnly asOf,
        ILogger logger, CancellationToken ct = default)
    {
        var world = await LoadWorldAsync(dataSource, ct);
        var generator = new SampleGenerator(world, seed, asOf);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The whole sample set changes at once: one 'all' change (a rebuild follows) instead of a change row per record.
        await conn.ExecAsync(Snapshots.SnapshotBatch.BulkWriteSql(byRun: false) + """
            DELETE FROM field_reports WHERE is_sample;
            DELETE FROM hotspots WHERE is_sample;
            DELETE FROM project_milestones WHERE is_sample;
            CREATE TEMP TABLE staging_hotspots (
                idx int, category text, subtype text, title text, description text, severity smallint, status text,
                responsible_unit text, deadline date, reported_at timestamptz, verified_at timestamptz,
                started_at timestamptz, resolved_at timestamptz, rejected_at timestamptz, lon float8, lat float8,
                details jsonb, assignee text, authority text, result text) ON COMMIT DROP;
            CREATE TEMP TABLE staging_reports (
                idx int, category text, text text, status text, hotspot_idx int, received_at timestamptz,
                lon float8, lat float8, reporter_name text, reporter_phone text) ON COMMIT DROP;
            """, tx, ct);

        var anchors = new List<(int, string, double, double)>();
        await using (var copy = await conn.BeginBinaryImportAsync("COPY staging_hotspots FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var h in generator.Hotspots(count))
            {
                if (h.Index % 10 == 0)
                {
                    anchors.Add((h.Index, h.Category, h.Lon, h.Lat));
                }
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(h.Index, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(h.Category, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(h.Subtype, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(h.Title, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(h.Description, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(h.Severity, NpgsqlDbType.Smallint, ct);
                await copy.WriteAsync(h.Status, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(h.ResponsibleUnit, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(h.Deadline, NpgsqlDbType.Date, ct);
                await WriteTime(copy, h.ReportedAt, ct);
                await WriteTime(copy, h.VerifiedAt, ct);
                await WriteTime(copy, h.StartedAt, ct);
                await WriteTime(copy, h.ResolvedAt, ct);
                await WriteTime(copy, h.RejectedAt, ct);
                await copy.WriteAsync(h.Lon, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(h.Lat, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(h.DetailsJson, NpgsqlDbType.Jsonb, ct);
                if (h.Assignee is { } assignee) await copy.WriteAsync(assignee, NpgsqlDbType.Text, ct); else await copy.WriteNullAsync(ct);
                if (h.Authority is { } authority) await copy.WriteAsync(authority, NpgsqlDbType.Text, ct); else await copy.WriteNullAsync(ct);
                if (h.Result is { } result) await copy.WriteAsync(result, NpgsqlDbType.Text, ct); else await copy.WriteNullAsync(ct);
            }
            await copy.CompleteAsync(ct);
        }
        var reportCount = Math.Max(count / 10, Math.Min(count, 50));
        await using (var copy = await conn.BeginBinaryImportAsync("COPY staging_reports FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var r in generator.FieldReports(reportCount, anchors))
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.Index, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Category, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Text, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Status, NpgsqlDbType.Text, ct);
                if (r.HotspotIndex is { } hi) await copy.WriteAsync(hi, NpgsqlDbType.Integer, ct); else await copy.WriteNullAsync(ct);
                await WriteTime(copy, r.ReceivedAt, ct);
                await copy.WriteAsync(r.Lon, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(r.Lat, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(r.ReporterName, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.ReporterPhone, NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }

        await conn.ExecAsync(InsertSql, tx, ct);
        var projects = new List<(string, DateOnly?, DateOnly?)>();
        await using (var cmd = new NpgsqlCommand("SELECT id, start_date, planned_end FROM projects", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                projects.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2)));
            }
        }
        foreach (var p in generator.ProjectProgress(projects))
        {
            await using var cmd = new NpgsqlCommand("""
                UPDATE projects SET progress_pct = @progress, land_clearance_pct = @clearance,
                    households_to_resettle = @households, is_sample = true WHERE id = @id
                """, conn, tx);
            cmd.Parameters.AddWithValue("id", p.ProjectId);
            cmd.Parameters.AddWithValue("progress", p.ProgressPct);
            cmd.Parameters.AddWithValue("clearance", p.LandClearancePct);
            cmd.Parameters.AddWithValue("households", p.HouseholdsToResettle);
            await cmd.ExecuteNonQueryAsync(ct);
            foreach (var (name, planned, done) in p.Milestones)
            {
                await using var m = new NpgsqlCommand("""
                    INSERT INTO project_milestones (project_id, name, planned_date, done_date, is_sample)
                    VALUES (@id, @name, @planned, @done, true)
                    """, conn, tx);
                m.Parameters.AddWithValue("id", p.ProjectId);
                m.Parameters.AddWithValue("name", name);
                m.Parameters.AddWithValue("planned", planned);
                m.Parameters.AddWithValue("done", NpgsqlDbType.Date, done is { } d ? d : DBNull.Value);
                await m.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
        await conn.ExecAsync("SELECT hotspots_analyze('hotspots'), hotspots_analyze('field_reports')", null, ct);
        LogGenerated(logger, count, reportCount, seed);
        return (count, reportCount);
    }

    // Ward assignment is set-based here (a lateral lookup in ward_parts), so the per-row trigger skips it.
    private const string InsertSql = """
        INSERT INTO hotspots (category, subtype, title, description, severity, status, responsible_unit, deadline,
                              assignee, authority, result,
                              reported_at, verified_at, resolved_at, closed_at, ward_code, geom, source, external_id, is_sample,
                              created_at, updated_at)
        SELECT s.category, s.subtype, s.title, s.description, s.severity, s.status, s.responsible_unit, s.deadline,
               s.assignee, s.authority, s.result,
               s.reported_at, s.verified_at, s.resolved_at, coalesce(s.resolved_at, s.rejected_at), w.ward_code, g.geom, 'sample', 'sample-' || s.idx, true,
               -- entered when reported, last touched at its last change of status: how fresh the data is looks real too
               s.reported_at, greatest(s.reported_at, s.verified_at, s.resolved_at, s.rejected_at)
        FROM staging_hotspots s
        CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS geom) g
        LEFT JOIN LATERAL (SELECT p.ward_code FROM ward_parts p WHERE ST_Covers(p.geom, g.geom) ORDER BY p.ward_code LIMIT 1) w ON true
        ORDER BY ST_GeoHash(g.geom, 9); -- neighbours on the same pages: bbox and tile reads touch few blocks

        CREATE TEMP TABLE staging_ids ON COMMIT DROP AS
            SELECT s.*, h.id FROM staging_hotspots s JOIN hotspots h ON h.source = 'sample' AND h.external_id = 'sample-' || s.idx;

        INSERT INTO flooding_details (hotspot_id, depth_cm, duration_minutes, drainage_basin, rain_scenario, last_event_at)
            SELECT id, (details->>'depth_cm')::int, (details->>'duration_minutes')::int, details->>'drainage_basin',
                   details->>'rain_scenario', reported_at
            FROM staging_ids WHERE category = 'flooding' ORDER BY id;
        INSERT INTO congestion_details (hotspot_id, peak_hours, cause, police_post)
            SELECT id, details->>'peak_hours', details->>'cause', (details->>'police_post')::boolean
            FROM staging_ids WHERE category = 'congestion' ORDER BY id;
        INSERT INTO urban_order_details (hotspot_id, violation_type)
            SELECT id, details->>'violation_type' FROM staging_ids WHERE category = 'urban_order' ORDER BY id; -- same page order as hotspots
        INSERT INTO environment_details (hotspot_id, pollution_source, aqi, pm25, measurements, measured_at)
            SELECT id, details->>'pollution_source', (details->>'aqi')::int, (details->>'pm25')::float8,
                   details->'measurements', reported_at
            FROM staging_ids WHERE category = 'environment' ORDER BY id;
        INSERT INTO food_safety_inspections (hotspot_id, establishment_kind, inspection_date, result, violations)
            SELECT id, details->>'establishment_kind', (details->>'inspection_date')::date, details->>'result',
                   ARRAY(SELECT jsonb_array_elements_text(details->'violations'))
            FROM staging_ids WHERE category = 'food_safety' ORDER BY id;

        INSERT INTO hotspot_status_history (hotspot_id, changed_at, changed_by, from_status, to_status, note)
        SELECT id, t.at, 'sample-generator', t.from_status, t.to_status, t.note
        FROM staging_ids,
        LATERAL (VALUES (reported_at, NULL, 'reported', NULL),
                        (verified_at, 'reported', 'verified', NULL),
                        (started_at, 'verified', 'in_progress', NULL),
                        (resolved_at, CASE WHEN started_at IS NOT NULL THEN 'in_progress' WHEN verified_at IS NOT NULL THEN 'verified' ELSE 'reported' END, 'resolved', 'Đã khắc phục (dữ liệu mẫu)'),
                        (rejected_at, 'reported', 'rejected', 'Không thuộc thẩm quyền (dữ liệu mẫu)')) AS t(at, from_status, to_status, note)
        WHERE t.at IS NOT NULL;

        WITH ins AS (
            INSERT INTO field_reports (category, text, status, hotspot_id, received_at, ward_code, geom, channel, source, external_id, is_sample)
            SELECT r.category, r.text, r.status, h.id, r.received_at, w.ward_code, g.geom, 'ihanoi', 'sample', 'sample-report-' || r.idx, true
            FROM staging_reports r
            CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) AS geom) g
            LEFT JOIN LATERAL (SELECT p.ward_code FROM ward_parts p WHERE ST_Covers(p.geom, g.geom) ORDER BY p.ward_code LIMIT 1) w ON true
            LEFT JOIN hotspots h ON h.source = 'sample' AND h.external_id = 'sample-' || r.hotspot_idx
            RETURNING id, external_id)
        INSERT INTO field_report_reporters (report_id, reporter_name, reporter_phone)
        SELECT ins.id, r.reporter_name, r.reporter_phone FROM ins JOIN staging_reports r ON ins.external_id = 'sample-report-' || r.idx;
        """;

    private static async Task WriteTime(NpgsqlBinaryImporter copy, DateTimeOffset? t, CancellationToken ct)
    {
        if (t is { } v)
        {
            await copy.WriteAsync(v.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
        }
        else
        {
            await copy.WriteNullAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated {Count} sample hotspots and {Reports} sample field reports (seed {Seed})")]
    private static partial void LogGenerated(ILogger logger, int count, int reports, int seed);
}
