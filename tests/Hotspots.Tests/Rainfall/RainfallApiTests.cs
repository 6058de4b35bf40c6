using System.Globalization;
using System.Net;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Rainfall;

/// <summary>The gauges and their days as anyone reads them, loaded at first start from `../shared/data`.</summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class RainfallApiTests(ImportsApp app)
{
    [Fact]
    public async Task Anyone_reads_the_48_gauges_placed_at_their_wards_and_a_gauges_days_as_the_file_has_them()
    {
        using var anyone = app.CreateClient();
        TestUsers.Authorize(anyone, null);

        var gauges = (await anyone.JsonAsync("/api/public/rain/gauges")).GetProperty("gauges").EnumerateArray().ToList();
        Assert.Equal(48, gauges.Count);
        Assert.All(gauges, g => Assert.Equal("ward-interior-point", g.GetProperty("placed").GetString()));
        Assert.Contains(gauges, g => g.GetProperty("name").GetString() == "Ô Chợ Dừa" && g.GetProperty("wardName").GetString()!.EndsWith("Ô Chợ Dừa", StringComparison.Ordinal));
        Assert.True(gauges.Sum(g => g.GetProperty("suspectDays").GetInt64()) > 0);

        var expected = File.ReadLines(TestDatabase.SharedData("hanoi-daily-rainfall-2020-2025.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => f[2] == "3" && f[1].EndsWith("/07/2024", StringComparison.Ordinal))
            .ToDictionary(f => DateOnly.ParseExact(f[1], "dd/MM/yyyy", CultureInfo.InvariantCulture).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                f => decimal.Parse(f[4], CultureInfo.InvariantCulture));
        var days = (await anyone.JsonAsync("/api/public/rain/gauges/3/days?from=2024-07-01&to=2024-07-31")).GetProperty("days").EnumerateArray()
            .ToDictionary(d => d.GetProperty("day").GetString()!, d => d.GetProperty("mm").GetDecimal());
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(kv => kv.Key), days.OrderBy(kv => kv.Key));

        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync("/api/public/rain/gauges/999/days")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anyone.GetAsync("/api/public/rain/gauges/3/days?from=hôm-qua")).StatusCode);
    }

    [Fact]
    public async Task A_ward_is_read_by_its_three_nearest_gauges_its_own_first()
    {
        using var anyone = app.CreateClient();
        TestUsers.Authorize(anyone, null);

        var own = (await anyone.JsonAsync("/api/public/rain/wards/00190")).GetProperty("gauges").EnumerateArray().ToList();
        Assert.Equal(3, own.Count);
        Assert.Equal((3, 0), (own[0].GetProperty("id").GetInt32(), own[0].GetProperty("metres").GetInt32())); // Ô Chợ Dừa's own gauge stands in it

        var without = await app.ScalarAsync<string>("SELECT min(code) FROM current_wards WHERE code NOT IN (SELECT ward_code FROM rain_gauges)");
        var nearest = (await anyone.JsonAsync($"/api/public/rain/wards/{without}")).GetProperty("gauges").EnumerateArray()
            .Select(g => g.GetProperty("metres").GetInt32()).ToList();
        Assert.Equal(3, nearest.Count);
        Assert.True(nearest[0] > 0 && nearest[0] <= nearest[1] && nearest[1] <= nearest[2], string.Join(", ", nearest));
        // The nearest is no further than any gauge, worked out here from the gauges' own places.
        var closest = await app.ScalarAsync<double>($"""
            SELECT min(ST_Distance(ST_PointOnSurface(w.geom)::geography, g.geom::geography)) FROM current_wards w, rain_gauges g WHERE w.code = '{without}'
            """);
        Assert.Equal(Math.Round(closest), nearest[0], 0);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync("/api/public/rain/wards/99999")).StatusCode);
    }
}
