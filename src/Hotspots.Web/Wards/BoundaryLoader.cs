using System.Text.Json;
using System.Text.RegularExpressions;
using Hotspots.Database;
using Hotspots.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using Npgsql;
using NpgsqlTypes;

namespace Hotspots.Wards;

public sealed record BoundaryLoadReport(
    string BoundarySet, int Units, int Phuong, int Xa, double AreaKm2, IReadOnlyList<string> Repaired);

public sealed class BoundaryLoadException(string message, IReadOnlyList<string> problems)
    : Exception(message + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Loads a GeoJSON FeatureCollection of ward/commune boundaries as one boundary set: every geometry is
/// validated in process, repaired in PostGIS with ST_MakeValid where needed (and logged), and the load is
/// refused whole with every problem listed if anything cannot be repaired or the totals do not add up.
/// The set becomes current, its parts are rebuilt and every record's ward is re-assigned in the same
/// transaction.
/// </summary>
public static partial class BoundaryLoader
{
    private sealed record Unit(int Index, string Code, string Name, string FullName, string NameEn, string FullNameEn,
        string Kind, Geometry Geometry, string? Invalid);

    private static Geometry WithSrid(Geometry g)
    {
        g.SRID = 4326;
        return g;
    }

    public static async Task<BoundaryLoadReport> LoadAsync(NpgsqlDataSource dataSource, string path, BoundarySet set,
        BoundaryExpectations? expect, ILogger logger, CancellationToken ct = default)
    {
        if (!File.Exists(path))
        {
            throw new BoundaryLoadException($"Boundary file not found: {path}", ["set HOTSPOTS_DATA_DIR to the folder holding it"]);
        }
        var (units, problems) = Parse(await File.ReadAllBytesAsync(path, ct));
        if (problems.Count > 0)
        {
            throw new BoundaryLoadException($"Boundary file {Path.GetFileName(path)} refused: {problems.Count} problem(s)", problems);
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecAsync("""
            INSERT INTO boundary_sets (id, name, effective_from, source, attribution)
            VALUES (@id, @name, @from, @source, @attribution)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, effective_from = excluded.effective_from,
                source = excluded.source, attribution = excluded.attribution, loaded_at = now();
            DELETE FROM wards WHERE boundary_set = @id;
            """, tx, ct, ("id", set.Id), ("name", set.Name), ("from", set.EffectiveFrom), ("source", set.Source), ("attribution", set.Attribution));

        var repaired = new List<string>();
        foreach (var u in units)
        {
            // Repair only what NTS found invalid; keep only the areal part of what ST_MakeValid returns.
            await using var cmd = new NpgsqlCommand("""
                WITH g AS (SELECT @geom::geometry AS raw),
                     fixed AS (SELECT CASE WHEN ST_IsValid(raw) THEN ST_Multi(raw)
                                           ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(raw), 3)) END AS geom FROM g)
                INSERT INTO wards (boundary_set, code, name, full_name, name_en, full_name_en, kind, area_km2, geom)
                SELECT @set, @code, @name, @full, @en, @fullEn, @kind, ST_Area(geom::geography) / 1e6, geom
                FROM fixed WHERE NOT ST_IsEmpty(geom) AND ST_IsValid(geom)
                """, conn, tx);
            cmd.Parameters.AddWithValue("geom", u.Geometry);
            cmd.Parameters.AddWithValue("set", set.Id);
            cmd.Parameters.AddWithValue("code", u.Code);
            cmd.Parameters.AddWithValue("name", u.Name);
            cmd.Parameters.AddWithValue("full", u.FullName);
            cmd.Parameters.AddWithValue("en", u.NameEn);
            cmd.Parameters.AddWithValue("fullEn", u.FullNameEn);
            cmd.Parameters.AddWithValue("kind", u.Kind);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                problems.Add($"feature #{u.Index} ({u.Code} {u.Name}): cannot be repaired ({u.Invalid ?? "empty after repair"})");
            }
            else if (u.Invalid is not null)
            {
                repaired.Add($"{u.Code} {u.Name}: {u.Invalid}");
                LogRepaired(logger, u.Code, u.Name, u.Invalid);
            }
        }
        if (problems.Count > 0)
        {
            throw new BoundaryLoadException($"Boundary file {Path.GetFileName(path)} refused: {problems.Count} geometry(ies) cannot be repaired", problems);
        }

        var (count, phuong, xa, area) = await Totals(conn, tx, set.Id, ct);
        if (expect is not null)
        {
            var off = new List<string>();
            if (count != expect.Units) off.Add($"{count} units loaded, {expect.Units} expected");
            if (phuong != expect.Phuong) off.Add($"{phuong} phường, {expect.Phuong} expected");
            if (xa != expect.Xa) off.Add($"{xa} xã, {expect.Xa} expected");
            if (Math.Abs(area - expect.AreaKm2) > expect.AreaKm2 * expect.AreaTolerance)
                off.Add($"total area {area:F1} km², about {expect.AreaKm2} km² expected");
            if (off.Count > 0)
            {
                throw new BoundaryLoadException($"Boundary set {set.Id} does not add up", off);
            }
        }

        await conn.ExecAsync("""
            UPDATE boundary_sets SET is_current = false WHERE is_current AND id <> @id;
            UPDATE boundary_sets SET is_current = true WHERE id = @id;
            TRUNCATE ward_parts;
            INSERT INTO ward_parts (ward_code, geom)
                SELECT code, (ST_Dump(ST_Subdivide(geom, 128))).geom FROM wards WHERE boundary_set = @id;
            SELECT hotspots_analyze('ward_parts'); -- the service owns no table: the owner's function analyses it
            UPDATE hotspots h SET ward_code = n.code
                FROM (SELECT id, ward_of(geom) AS code FROM hotspots) n
                WHERE n.id = h.id AND h.ward_code IS DISTINCT FROM n.code;
            UPDATE field_reports r SET ward_code = n.code
                FROM (SELECT id, ward_of(geom) AS code FROM field_reports) n
                WHERE n.id = r.id AND r.ward_code IS DISTINCT FROM n.code;
            DELETE FROM project_wards;
            INSERT INTO project_wards (project_id, ward_code)
                SELECT DISTINCT pr.id, p.ward_code FROM projects pr JOIN ward_parts p ON ST_Intersects(p.geom, pr.geom);
            """, tx, ct, ("id", set.Id));
        await tx.CommitAsync(ct);
        LogLoaded(logger, set.Id, count, phuong, xa, area, repaired.Count);
        return new BoundaryLoadReport(set.Id, count, phuong, xa, area, repaired);
    }

    private static (List<Unit> Units, List<string> Problems) Parse(byte[] json)
    {
        var units = new List<Unit>();
        var problems = new List<string>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return (units, [$"not valid JSON: {e.Message}"]);
        }
        using var _ = doc;
        if (!doc.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            return (units, ["not a GeoJSON FeatureCollection (no \"features\" array)"]);
        }
        var seen = new HashSet<string>();
        var index = 0;
        foreach (var f in features.EnumerateArray())
        {
            index++;
            var props = f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            string? Prop(string name) => props.ValueKind == JsonValueKind.Object && props.TryGetProperty(name, out var v)
                && v.ValueKind == JsonValueKind.String ? v.GetString()!.Normalize() : null;
            var code = Prop("code");
            var label = $"feature #{index} ({code ?? "no code"})";
            if (code is null || !CodePattern().IsMatch(code))
            {
                problems.Add($"{label}: \"code\" must be the official 5-digit code");
                continue;
            }
            if (!seen.Add(code))
            {
                problems.Add($"{label}: code {code} appears twice");
                continue;
            }
            var name = Prop("name");
            var kind = Prop("unitType");
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add($"{label}: \"name\" is missing");
                continue;
            }
            if (kind is not ("phuong" or "xa"))
            {
                problems.Add($"{label}: \"unitType\" must be phuong or xa, not \"{kind}\"");
                continue;
            }
            Geometry geometry;
            try
            {
                geometry = GeoJsonGeometry.Read(f.GetProperty("geometry"));
            }
            catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
            {
                problems.Add($"{label}: geometry unreadable: {e.Message}");
                continue;
            }
            if (geometry is not (Polygon or MultiPolygon))
            {
                problems.Add($"{label}: a boundary must be a Polygon or MultiPolygon, not {geometry.GeometryType}");
                continue;
            }
            if (!HanoiExtent.Envelope.Contains(geometry.EnvelopeInternal))
            {
                problems.Add($"{label}: lies outside Hanoi's extent ({geometry.EnvelopeInternal})");
                continue;
            }
            var validity = new IsValidOp(geometry).ValidationError;
            var kindWord = kind == "phuong" ? "Phường" : "Xã";
            units.Add(new Unit(index, code, name, Prop("fullName") ?? $"{kindWord} {name}",
                Prop("nameEn") ?? name, Prop("fullNameEn") ?? name, kind, WithSrid(geometry),
                validity is null ? null : $"{validity.Message} at {validity.Coordinate}"));
        }
        if (index == 0)
        {
            problems.Add("the FeatureCollection is empty");
        }
        return (units, problems);
    }

    private static async Task<(int, int, int, double)> Totals(NpgsqlConnection conn, NpgsqlTransaction tx, string set, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*)::int, count(*) FILTER (WHERE kind = 'phuong')::int, count(*) FILTER (WHERE kind = 'xa')::int,
                   coalesce(sum(area_km2), 0)
            FROM wards WHERE boundary_set = @set
            """, conn, tx);
        cmd.Parameters.AddWithValue("set", set);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetDouble(3));
    }

    [GeneratedRegex("^[0-9]{5}$")]
    private static partial Regex CodePattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ward {Code} {Name}: invalid geometry repaired with ST_MakeValid ({Reason})")]
    private static partial void LogRepaired(ILogger logger, string code, string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Boundary set {Set} loaded: {Units} units ({Phuong} phường, {Xa} xã), {Area:F1} km², {Repaired} repaired")]
    private static partial void LogLoaded(ILogger logger, string set, int units, int phuong, int xa, double area, int repaired);
}
