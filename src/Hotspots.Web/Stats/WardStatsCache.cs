using System.Collections.Concurrent;
using System.Text.Json;
using Hotspots.Layers;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Hotspots.Snapshots;
using Npgsql;

namespace Hotspots.Stats;

/// <summary>The snapshot as API answers, built once per period and data version.</summary>
public sealed class WardStatsCache
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly JsonSerializerOptions _json;
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _entries = new();

    private sealed record Entry(long Version, IReadOnlyDictionary<string, WardStats> Wards, byte[] Json);

    public WardStatsCache(NpgsqlDataSource dataSource, IOptions<JsonOptions> json, DataVersion version)
    {
        _dataSource = dataSource;
        _json = json.Value.SerializerOptions;
        version.Changed += _ => _entries.Clear();
    }

    public async Task<(byte[] Json, string ETag)> AllAsync(string period, CancellationToken ct)
    {
        var e = await GetAsync(period, ct);
        return (e.Json, $"\"stats-{e.Version}-{period}\"");
    }

    public async Task<WardStats> OneAsync(string code, string period, CancellationToken ct) => (await GetAsync(period, ct)).Wards[code];

    private async Task<Entry> GetAsync(string period, CancellationToken ct)
    {
        var lazy = _entries.GetOrAdd(period, p => new Lazy<Task<Entry>>(() => BuildAsync(p)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _entries.TryRemove(KeyValuePair.Create(period, lazy)); // a failed build is not cached
            throw;
        }
    }

    private async Task<Entry> BuildAsync(string period)
    {
        var suffix = period switch { "30d" => "30d", "365d" => "365d", _ => "90d" };
        await using var conn = await _dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"""
            SELECT w.code, w.name, w.kind, w.area_km2, w.population, st.as_of, st.version, s.category,
                   s.total, s.reported, s.verified, s.in_progress, s.resolved, s.rejected, s.open, s.overdue,
                   s.resolved_{suffix}, s.median_days_{suffix}
            FROM current_wards w
            JOIN ward_stats s ON s.ward_code = w.code
            CROSS JOIN ward_stats_state st
            ORDER BY w.code, s.category
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var wards = new Dictionary<string, WardStats>();
        var version = 0L;
        string? code = null;
        (string Name, string Kind, double Area, int? Pop, DateTimeOffset AsOf) meta = default;
        var cats = new Dictionary<string, CategoryStats>();
        CategoryStats? totals = null;
        void Flush()
        {
            if (code is not null && totals is not null)
            {
                wards[code] = new WardStats(code, meta.Name!, meta.Kind!, Math.Round(meta.Area, 3), meta.Pop, period, meta.AsOf, cats, totals);
            }
        }
        while (await r.ReadAsync())
        {
            var c = r.GetString(0);
            if (c != code)
            {
                Flush();
                code = c;
                cats = [];
                totals = null;
                meta = (r.GetString(1), r.GetString(2), r.GetDouble(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.GetFieldValue<DateTimeOffset>(5));
            }
            version = r.GetInt64(6);
            var stats = new CategoryStats(r.GetInt32(8), r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12),
                r.GetInt32(13), r.GetInt32(14), r.GetInt32(15), r.GetInt32(16),
                r.IsDBNull(17) ? null : Math.Round(r.GetDouble(17), 1));
            var category = r.GetString(7);
            if (category == "all")
            {
                totals = stats;
            }
            else
            {
                cats[LayerCatalog.OfCategory(category)!.Id] = stats;
            }
        }
        Flush();
        await r.CloseAsync();
        // Data quality (ward_quality): the ward's over all layers, and each layer's.
        await using (var q = new NpgsqlCommand("SELECT ward_code, category, records, correct, complete, duplicates, open, live, untouched FROM ward_quality", conn))
        await using (var qr = await q.ExecuteReaderAsync())
        {
            var byWard = new Dictionary<string, (QualityParts? All, Dictionary<string, QualityParts> Layers)>();
            while (await qr.ReadAsync())
            {
                var parts = new QualityParts(qr.GetInt32(2), qr.GetInt32(3), qr.GetInt32(4), qr.GetInt32(5), qr.GetInt32(6), qr.GetInt32(7), qr.GetInt32(8));
                var entry = byWard.TryGetValue(qr.GetString(0), out var e) ? e : (null, new Dictionary<string, QualityParts>());
                if (qr.GetString(1) == "all")
                {
                    entry.All = parts;
                }
                else
                {
                    entry.Layers[LayerCatalog.OfCategory(qr.GetString(1))!.Id] = parts;
                }
                byWard[qr.GetString(0)] = entry;
            }
            foreach (var (wardCode, (all, layers)) in byWard)
            {
                if (wards.TryGetValue(wardCode, out var w))
                {
                    wards[wardCode] = w with { Quality = all, QualityByLayer = layers };
                }
            }
        }
        // Whether what the maps show includes generated sample records: the public map says so when it does.
        await using var sampleCmd = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM public_hotspots WHERE is_sample)", conn);
        var hasSample = (bool)(await sampleCmd.ExecuteScalarAsync())!;
        var asOf = wards.Values.FirstOrDefault()?.AsOf;
        var json = JsonSerializer.SerializeToUtf8Bytes(new { asOf, period, version, hasSample, wards = wards.Values }, _json);
        return new Entry(version, wards, json);
    }
}
