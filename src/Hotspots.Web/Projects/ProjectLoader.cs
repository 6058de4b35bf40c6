using Hotspots.Layers;
using System.Text.Json;
using Hotspots.Geo;
using NetTopologySuite.Operation.Valid;
using Npgsql;
using NpgsqlTypes;

namespace Hotspots.Projects;

/// <summary>
/// Loads the key-project alignments the team authors in gis-data/ (each marked approximate). Upserts by
/// project id, so re-loading refines geometry without duplicating; PostGIS recomputes the wards crossed.
/// </summary>
public static partial class ProjectLoader
{
    public static readonly string[] Kinds = ProjectKinds.All.Select(k => k.Id).ToArray();

    public static async Task<int> LoadAsync(NpgsqlDataSource dataSource, string path, ILogger logger, CancellationToken ct = default)
    {
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(path, ct));
        var problems = new List<string>();
        var rows = new List<(JsonElement Props, NetTopologySuite.Geometries.Geometry Geometry)>();
        var index = 0;
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            index++;
            var p = f.GetProperty("properties");
            var id = p.TryGetProperty("id", out var idEl) ? idEl.GetString() : null;
            var kind = p.TryGetProperty("kind", out var k) ? k.GetString() : null;
            if (string.IsNullOrWhiteSpace(id) || kind is null || !Kinds.Contains(kind))
            {
                problems.Add($"feature #{index}: needs an \"id\" and a \"kind\" from {string.Join(", ", Kinds)}");
                continue;
            }
            try
            {
                var g = GeoJsonGeometry.Read(f.GetProperty("geometry"));
                var error = new IsValidOp(g).ValidationError;
                if (error is not null || !HanoiExtent.Envelope.Intersects(g.EnvelopeInternal))
                {
                    problems.Add($"feature #{index} ({id}): {error?.Message ?? "outside Hanoi"}");
                    continue;
                }
                g.SRID = 4326;
                rows.Add((p, g));
            }
            catch (FormatException e)
            {
                problems.Add($"feature #{index} ({id}): {e.Message}");
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} refused: " + string.Join("; ", problems));
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var (p, geometry) in rows)
        {
            string? Str(string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Normalize() : null;
            DateOnly? Date(string name) => Str(name) is { } s ? DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO projects (id, name, name_en, kind, owner, start_date, planned_end, approximate, source, geom)
                VALUES (@id, @name, @en, @kind, @owner, @start, @end, @approximate, @source, @geom)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
                    owner = excluded.owner, start_date = excluded.start_date, planned_end = excluded.planned_end,
                    approximate = excluded.approximate, geom = excluded.geom, updated_at = now()
                """, conn, tx);
            cmd.Parameters.AddWithValue("id", Str("id")!);
            cmd.Parameters.AddWithValue("name", Str("name") ?? Str("id")!);
            cmd.Parameters.AddWithValue("en", Str("nameEn") ?? Str("name") ?? Str("id")!);
            cmd.Parameters.AddWithValue("kind", Str("kind")!);
            cmd.Parameters.AddWithValue("owner", (object?)Str("owner") ?? DBNull.Value);
            cmd.Parameters.AddWithValue("start", NpgsqlDbType.Date, (object?)Date("startDate") ?? DBNull.Value);
            cmd.Parameters.AddWithValue("end", NpgsqlDbType.Date, (object?)Date("plannedEnd") ?? DBNull.Value);
            cmd.Parameters.AddWithValue("approximate", !p.TryGetProperty("approximate", out var a) || a.ValueKind != JsonValueKind.False);
            cmd.Parameters.AddWithValue("source", "gis-data/" + Path.GetFileName(path));
            cmd.Parameters.AddWithValue("geom", geometry);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        LogLoaded(logger, rows.Count, path);
        return rows.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} key projects from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, string path);
}
