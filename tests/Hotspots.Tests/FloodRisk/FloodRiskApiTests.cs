using System.Globalization;
using System.Net;
using System.Text;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.FloodRisk;

/// <summary>
/// The plan's flood points and the gauges' real rain, as anyone reads them: a storm day's observations go in as a
/// clerk's file, and that day's scenario says where flooding was expected and how it met what was seen.
/// </summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class FloodRiskApiTests(ImportsApp app)
{
    [Fact]
    public async Task A_storm_days_observations_meet_the_plans_expectation_and_the_hit_rate_says_how()
    {
        using var anyone = app.CreateClient();
        TestUsers.Authorize(anyone, null);

        // 30 September 2025 (about 210 mm across the gauges): three floods 40 m north of three of the plan's points, one far from all.
        var points = new List<(long Id, double Lon, double Lat)>();
        await using (var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("SELECT id, ST_X(geom), ST_Y(geom) FROM hotspots WHERE source = 'official:hanoi-flood-points' ORDER BY id LIMIT 3"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                points.Add((r.GetInt64(0), r.GetDouble(1), r.GetDouble(2)));
            }
        }
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = new StringBuilder("ma,ten_diem,vi_do,kinh_do,thoi_gian\n");
        for (var i = 0; i < points.Count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"B{i},Ngập {tag} gần điểm {i},{points[i].Lat + 40 / 111_000.0:0.000000},{points[i].Lon:0.000000},30/09/2025 18:00\n");
        }
        csv.Append(CultureInfo.InvariantCulture, $"B9,Ngập {tag} xa mọi điểm,21.1500,105.6500,30/09/2025 19:30\n");
        var run = await app.UploadAsync(Encoding.UTF8.GetBytes(csv.ToString()), "bao-ngap-30-9.csv", "flooding",
            new Dictionary<string, string> { ["source"] = $"test:storm-{tag}" });
        Assert.Equal("succeeded", (await app.WaitAsync(run.GetProperty("id").GetString()!)).GetProperty("status").GetString());

        var day = await anyone.JsonAsync("/api/public/flood-risk/scenario?day=2025-09-30");
        Assert.True(day.GetProperty("rainKnown").GetBoolean());
        var all = day.GetProperty("points").EnumerateArray().ToList();
        foreach (var (id, _, _) in points)
        {
            var p = all.Single(x => x.GetProperty("id").GetInt64() == id);
            Assert.True(p.GetProperty("flooded").GetBoolean());
            Assert.True(p.GetProperty("rainMm").GetDecimal() >= p.GetProperty("planMm").GetInt32()); // a storm over every plan scenario
            Assert.True(p.GetProperty("expected").GetBoolean());
        }
        var mine = day.GetProperty("observations").EnumerateArray().Where(o => o.GetProperty("title").GetString()!.Contains(tag, StringComparison.Ordinal)).ToList();
        Assert.Equal(4, mine.Count);
        Assert.Empty(mine.Single(o => o.GetProperty("title").GetString()!.Contains("xa mọi điểm", StringComparison.Ordinal)).GetProperty("nearPoints").EnumerateArray());
        // The three counts are the points' and observations' own, worked out again here.
        var hits = day.GetProperty("hits");
        var expected = all.Where(p => p.GetProperty("expected").GetBoolean()).ToList();
        Assert.Equal(expected.Count(p => p.GetProperty("flooded").GetBoolean()), hits.GetProperty("expectedFlooded").GetInt32());
        Assert.Equal(expected.Count(p => !p.GetProperty("flooded").GetBoolean()), hits.GetProperty("expectedDry").GetInt32());
        var expectedIds = expected.Select(p => p.GetProperty("id").GetInt64()).ToHashSet();
        var observations = day.GetProperty("observations").EnumerateArray().ToList();
        Assert.Equal(observations.Count(o => !o.GetProperty("nearPoints").EnumerateArray().Any(n => expectedIds.Contains(n.GetInt64()))),
            hits.GetProperty("floodedUnexpected").GetInt32());
        Assert.True(hits.GetProperty("floodedUnexpected").GetInt32() >= 1);

        // A point's recurrence links its flood to that day's rain at its nearest gauge.
        var rec = await anyone.JsonAsync($"/api/public/flood-risk/records/{points[0].Id}");
        var storm = rec.GetProperty("days").EnumerateArray().Single(d => d.GetProperty("day").GetString() == "2025-09-30");
        var rain = await app.ScalarAsync<decimal>("SELECT (rain_at(geom, '2025-09-30')).rain_mm FROM hotspots WHERE id = @id", ("id", points[0].Id));
        Assert.Equal(rain, storm.GetProperty("rainMm").GetDecimal());
        Assert.Equal(3, rec.GetProperty("gauges").GetArrayLength());

        // 100 mm everywhere: every plan point, whichever its scenario.
        var hundred = (await anyone.JsonAsync("/api/public/flood-risk/scenario?mm=100")).GetProperty("points").EnumerateArray()
            .Where(p => p.GetProperty("planMm").ValueKind == System.Text.Json.JsonValueKind.Number).ToList();
        Assert.Equal(15, hundred.Count);
        Assert.All(hundred, p => Assert.True(p.GetProperty("byPlan").GetBoolean()));
        Assert.Equal(6, (await anyone.JsonAsync("/api/public/flood-risk/scenario?mm=60")).GetProperty("points").EnumerateArray()
            .Count(p => p.GetProperty("byPlan").GetBoolean())); // the six 50–70 mm points

        Assert.Equal(HttpStatusCode.BadRequest, (await anyone.GetAsync("/api/public/flood-risk/scenario")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anyone.GetAsync("/api/public/flood-risk/scenario?mm=nhiều")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anyone.GetAsync("/api/public/flood-risk/scenario?day=30/09/2025")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync("/api/public/flood-risk/records/-5")).StatusCode);
    }
}
