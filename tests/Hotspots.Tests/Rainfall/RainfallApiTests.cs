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
}
