using System.Globalization;
using Hotspots.Rainfall;
using Hotspots.Tests.Infrastructure;
using Hotspots.Wards;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotspots.Tests.Rainfall;

/// <summary>The drainage company's rainfall loaded from `../shared/data`, checked against the file's own totals.</summary>
[Trait("Category", "Database")]
public sealed class RainfallLoaderTests : IAsyncLifetime
{
    private MigratedDatabase _db = null!;
    private static readonly string Gauges = TestDatabase.SharedData("hanoi-rain-station-wards.csv");
    private static readonly string Series = TestDatabase.SharedData("hanoi-daily-rainfall-2020-2025.csv");

    public async Task InitializeAsync()
    {
        _db = await MigratedDatabase.CreateAsync();
        await BoundaryLoader.LoadAsync(_db.DataSource, TestDatabase.SharedData("hanoi-wards-2025.geojson"), BoundarySet.Hanoi2025,
            BoundaryExpectations.Hanoi2025, NullLogger.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    // The file read plainly here (no CSV library, no loader code): millimetres per gauge and year, in tenths.
    private static Dictionary<(int Gauge, int Year), long> FileTotals() => File.ReadLines(Series).Skip(1)
        .Select(l => l.Split(','))
        .GroupBy(f => (int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[0], CultureInfo.InvariantCulture)))
        .ToDictionary(g => g.Key, g => g.Sum(f => (long)Math.Round(decimal.Parse(f[4], CultureInfo.InvariantCulture) * 10)));

    [Fact]
    public async Task Every_gauge_and_year_totals_what_the_file_says_and_each_gauge_stands_in_its_ward()
    {
        var result = await RainfallLoader.LoadAsync(_db.DataSource, Gauges, Series, NullLogger.Instance);

        Assert.Equal(48, result.Gauges);
        Assert.Empty(result.Rejected);
        Assert.Equal(File.ReadLines(Series).Count() - 1, result.Days);
        var expected = FileTotals();
        var loaded = new Dictionary<(int, int), long>();
        await using (var cmd = _db.DataSource.CreateCommand("""
            SELECT gauge_id, extract(year FROM day)::int, (sum(rain_mm) * 10)::bigint FROM rain_daily GROUP BY 1, 2
            """))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                loaded[(r.GetInt32(0), r.GetInt32(1))] = r.GetInt64(2);
            }
        }
        Assert.Equal(expected.OrderBy(kv => kv.Key), loaded.OrderBy(kv => kv.Key));
        Assert.True(expected.Count > 48 * 4, $"{expected.Count} gauge-years"); // most gauges over most of the six years
        Assert.Equal(0L, await _db.ScalarAsync<long>("""
            SELECT count(*) FROM rain_gauges g JOIN current_wards w ON w.code = g.ward_code
            WHERE NOT ST_Within(g.geom, w.geom) OR g.placed <> 'ward-interior-point'
            """));
        Assert.Equal("Ô Chợ Dừa 00190", await _db.ScalarAsync<string>("SELECT name || ' ' || ward_code FROM rain_gauges WHERE id = 3"));
        // Days beyond belief (the file has 7,947.8 mm in a day) are kept as sent and marked to be checked.
        var implausible = File.ReadLines(Series).Skip(1).Count(l => decimal.Parse(l.Split(',')[4], CultureInfo.InvariantCulture) > RainfallLoader.PlausibleMm);
        Assert.InRange(implausible, 10, 100);
        Assert.Equal(implausible, await _db.ScalarAsync<long>("SELECT count(*) FROM rain_daily WHERE suspect"));
        Assert.Equal(7947.8m, await _db.ScalarAsync<decimal>("SELECT max(rain_mm) FROM rain_daily WHERE suspect"));
    }

    [Fact]
    public async Task Loading_again_changes_nothing_and_bad_rows_are_refused_one_by_one_with_their_reasons()
    {
        await RainfallLoader.LoadAsync(_db.DataSource, Gauges, Series, NullLogger.Instance);
        var before = await _db.ScalarAsync<long>("SELECT count(*) FROM rain_daily");
        await RainfallLoader.LoadAsync(_db.DataSource, Gauges, Series, NullLogger.Instance);
        Assert.Equal(before, await _db.ScalarAsync<long>("SELECT count(*) FROM rain_daily"));

        var bad = Path.Combine(Directory.CreateTempSubdirectory("hotspots-rain-").FullName, "rain.csv");
        await File.WriteAllLinesAsync(bad, [
            "year,date,station_col,station_name,rain_mm",
            "2026,01/06/2026,3,Ô Chợ Dừa,12.5",     // good: a new day
            "2026,31/06/2026,3,Ô Chợ Dừa,1",        // no such day
            "2025,02/06/2026,3,Ô Chợ Dừa,1",        // not of its year
            "2026,02/06/2026,999,Trạm lạ,1",        // unknown gauge
            "2026,02/06/2026,8,Ô Chợ Dừa,1",        // a known number under another gauge's name
            "2026,02/06/2026,3,Ô Chợ Dừa,-4",       // no millimetres
            "2026,03/06/2026,3,Ô Chợ Dừa,12000",    // not a day's rain anywhere
            "2026,02/06/2026,3,Ô Chợ Dừa,nhiều",
            "2026,01/06/2026,3,Ô Chợ Dừa,99",       // the same gauge and day again
        ]);
        var result = await RainfallLoader.LoadAsync(_db.DataSource, Gauges, bad, NullLogger.Instance);

        Assert.Equal(1, result.Days);
        Assert.Equal(8, result.Rejected.Count);
        Assert.Contains(result.Rejected, r => r.StartsWith("dòng 3:", StringComparison.Ordinal) && r.Contains("dd/MM/yyyy", StringComparison.Ordinal));
        Assert.Contains(result.Rejected, r => r.StartsWith("dòng 5:", StringComparison.Ordinal) && r.Contains("không có trong danh sách trạm", StringComparison.Ordinal));
        Assert.Contains(result.Rejected, r => r.StartsWith("dòng 10:", StringComparison.Ordinal) && r.Contains("đã có ở dòng trước", StringComparison.Ordinal));
        Assert.Equal(12.5m, await _db.ScalarAsync<decimal>("SELECT rain_mm FROM rain_daily WHERE gauge_id = 3 AND day = '2026-06-01'"));
        Assert.Equal(before + 1, await _db.ScalarAsync<long>("SELECT count(*) FROM rain_daily"));
    }
}
