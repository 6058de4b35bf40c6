using System.Globalization;
using System.Text;
using Hotspots.Features;
using Hotspots.Layers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace Hotspots.Components.Dashboard;

public sealed record WardName(string Code, string Name, string FullName, string Kind, string Key);

public sealed record LayerCount(string LayerId, long Count, long Overdue);

/// <summary>What the dashboard shows beside the map: the ward list for search and the counts for its filters.</summary>
public sealed class DashboardQueries(NpgsqlDataSource dataSource)
{
    private IReadOnlyList<WardName>? _wards;

    public async Task<IReadOnlyList<WardName>> WardsAsync(CancellationToken ct = default)
    {
        if (_wards is not null)
        {
            return _wards;
        }
        var list = new List<WardName>();
        await using var cmd = dataSource.CreateCommand("SELECT code, name, full_name, kind FROM current_wards ORDER BY name");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new WardName(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), SearchKey(r.GetString(2))));
        }
        return _wards = list;
    }

    /// <summary>Diacritics- and case-insensitive: "dong da" finds "Đống Đa".</summary>
    public static string SearchKey(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c is 'đ' or 'Đ' ? 'd' : char.ToLowerInvariant(c));
            }
        }
        return sb.ToString();
    }

    /// <summary>Counts per layer under exactly the filters the map's tiles get (same parser, same SQL).</summary>
    public async Task<IReadOnlyList<LayerCount>> CountsAsync(DashboardState state, CancellationToken ct = default)
    {
        var query = new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(state.ApiFilter)
            .ToDictionary(kv => kv.Key, kv => new StringValues(kv.Value.ToArray())));
        var (filter, _, _) = HotspotFilter.Parse(query);
        await using var cmd = dataSource.CreateCommand();
        cmd.CommandText = $"""
            SELECT h.category, count(*), count(*) FILTER (WHERE {HotspotFilter.OverdueSql})
            FROM hotspots h WHERE true {filter!.Sql(cmd)}
            GROUP BY h.category
            """;
        var counts = new Dictionary<string, (long, long)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            counts[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2));
        }
        return LayerCatalog.All.Where(l => l.Category is not null)
            .Select(l => counts.TryGetValue(l.Category!, out var c) ? new LayerCount(l.Id, c.Item1, c.Item2) : new LayerCount(l.Id, 0, 0))
            .ToList();
    }
}
