using Hotspots.Text;
using Npgsql;

namespace Hotspots.Wards;

/// <summary>A ward or commune as lists and searches show it; <see cref="Key"/> is its full name folded for search,
/// <see cref="Bbox"/> its extent (west, south, east, north).</summary>
public sealed record WardName(string Code, string Name, string FullName, string Kind, string Key, double[]? Bbox = null);

/// <summary>The current wards and communes by name, read once (boundaries change only by a new load and restart).</summary>
public sealed class WardDirectory(NpgsqlDataSource dataSource)
{
    private IReadOnlyList<WardName>? _wards;

    public async Task<IReadOnlyList<WardName>> AllAsync(CancellationToken ct = default)
    {
        if (_wards is not null)
        {
            return _wards;
        }
        var list = new List<WardName>();
        await using var cmd = dataSource.CreateCommand("""
            SELECT code, name, full_name, kind, ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM current_wards ORDER BY name
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new WardName(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), SearchKey.Of(r.GetString(2)),
                [r.GetDouble(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7)]));
        }
        return _wards = list;
    }
}
