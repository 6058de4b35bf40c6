using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Map;

[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class FeaturesApiTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    public static TheoryData<string> HotspotLayers => new() { "flooding", "congestion", "urban-order", "environment", "food-safety" };

    [Theory]
    [MemberData(nameof(HotspotLayers))]
    public async Task Every_bottleneck_layer_returns_features_with_record_ids(string layer)
    {
        var fc = await _client.JsonAsync($"/api/features/{layer}?limit=50&details=true");
        Assert.Equal("FeatureCollection", fc.GetProperty("type").GetString());
        var features = fc.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(50, features.Count);
        Assert.True(fc.GetProperty("truncated").GetBoolean());
        Assert.All(features, f =>
        {
            Assert.Equal("Feature", f.GetProperty("type").GetString());
            Assert.True(f.GetProperty("id").GetInt64() > 0);
            Assert.Equal(f.GetProperty("id").GetInt64(), f.GetProperty("properties").GetProperty("id").GetInt64());
            Assert.Equal(layer, f.GetProperty("properties").GetProperty("layer").GetString());
            Assert.Matches("^[0-9]{5}$", f.GetProperty("properties").GetProperty("wardCode").GetString());
            Assert.Equal(JsonValueKind.Object, f.GetProperty("properties").GetProperty("details").ValueKind);
        });
    }

    [Fact]
    public async Task Details_come_only_when_asked_for()
    {
        var plain = await _client.JsonAsync("/api/features/food-safety?limit=5");
        Assert.All(plain.GetProperty("features").EnumerateArray(), f => Assert.False(f.GetProperty("properties").TryGetProperty("details", out _)));
        var detailed = await _client.JsonAsync("/api/features/food-safety?limit=5&details=true");
        Assert.All(detailed.GetProperty("features").EnumerateArray(), f =>
            Assert.Contains(f.GetProperty("properties").GetProperty("details").GetProperty("result").GetString(), new[] { "pass", "fail" }));
    }

    [Fact]
    public async Task Projects_layer_returns_every_key_project_with_its_wards()
    {
        var fc = await _client.JsonAsync("/api/features/projects");
        var ids = fc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToHashSet();
        foreach (var id in new[] { "ring-road-1", "ring-road-2", "ring-road-2-5", "ring-road-3", "ring-road-3-5", "ring-road-4",
                     "red-river-boulevard", "metro-2a", "metro-3", "low-emission-zone", "river-to-lich", "river-kim-nguu",
                     "river-lu", "river-set", "olympic-sports-city" })
        {
            Assert.Contains(id, ids);
        }
        Assert.All(fc.GetProperty("features").EnumerateArray(), f =>
        {
            Assert.True(f.GetProperty("properties").GetProperty("approximate").GetBoolean());
            Assert.NotEmpty(f.GetProperty("properties").GetProperty("wards").EnumerateArray());
        });
    }

    [Fact]
    public async Task Overdue_true_returns_exactly_the_overdue_records()
    {
        var all = (await _client.JsonAsync("/api/features/urban-order?status=open&limit=20000")).GetProperty("features").EnumerateArray().ToList();
        var overdue = (await _client.JsonAsync("/api/features/urban-order?status=open&overdue=true&limit=20000")).GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(overdue);
        Assert.All(overdue, f => Assert.True(f.GetProperty("properties").GetProperty("overdue").GetBoolean()));
        Assert.Equal(all.Count(f => f.GetProperty("properties").GetProperty("overdue").GetBoolean()), overdue.Count);
    }

    [Fact]
    public async Task Bbox_returns_only_features_inside_it()
    {
        var fc = await _client.JsonAsync("/api/features/urban-order?bbox=105.83,21.01,105.86,21.04&limit=20000");
        var features = fc.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(features);
        Assert.False(fc.GetProperty("truncated").GetBoolean());
        Assert.All(features, f =>
        {
            var c = f.GetProperty("geometry").GetProperty("coordinates");
            Assert.InRange(c[0].GetDouble(), 105.83, 105.86);
            Assert.InRange(c[1].GetDouble(), 21.01, 21.04);
        });
    }

    // The bbox filter runs on the Web Mercator copy (the one spatial index); a lon/lat box must select exactly the
    // records that the same box in lon/lat does, and a box up to the poles must still work (clamped, not an error).
    [Theory]
    [InlineData("105.83,21.01,105.86,21.04")]
    [InlineData("105.3,20.6,105.9,21.3")]
    [InlineData("-180,-90,180,90")]
    public async Task Bbox_selects_exactly_the_records_a_lon_lat_box_does(string bbox)
    {
        var fc = await _client.JsonAsync($"/api/features/flooding?bbox={bbox}&status=all&limit=20000");
        Assert.False(fc.GetProperty("truncated").GetBoolean());
        var ids = fc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("id").GetInt64()).Order().ToList();
        var b = bbox.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT id FROM hotspots WHERE category = 'flooding' AND geom && ST_MakeEnvelope(@a, @b, @c, @d, 4326) ORDER BY id");
        cmd.Parameters.AddWithValue("a", b[0]);
        cmd.Parameters.AddWithValue("b", b[1]);
        cmd.Parameters.AddWithValue("c", b[2]);
        cmd.Parameters.AddWithValue("d", b[3]);
        var expected = new List<long>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                expected.Add(r.GetInt64(0));
            }
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Filters_by_ward_status_severity_and_date()
    {
        var fc = await _client.JsonAsync("/api/features/urban-order?ward=00004&status=open&severity=3,4&from=2025-01-01&limit=20000");
        var features = fc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        Assert.NotEmpty(features);
        Assert.All(features, p =>
        {
            Assert.Equal("00004", p.GetProperty("wardCode").GetString());
            Assert.Contains(p.GetProperty("status").GetString(), new[] { "reported", "verified", "in_progress" });
            Assert.Contains(p.GetProperty("severity").GetInt32(), new[] { 3, 4 });
            Assert.True(p.GetProperty("reportedAt").GetDateTimeOffset() >= new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(7)));
        });
    }

    [Fact]
    public async Task Sample_false_returns_only_the_official_flood_points()
    {
        var fc = await _client.JsonAsync("/api/features/flooding?sample=false");
        var features = fc.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(15, features.Count);
        Assert.All(features, f => Assert.False(f.GetProperty("properties").GetProperty("isSample").GetBoolean()));
        var sample = await _client.JsonAsync("/api/features/flooding?sample=true&limit=10");
        Assert.All(sample.GetProperty("features").EnumerateArray(), f => Assert.True(f.GetProperty("properties").GetProperty("isSample").GetBoolean()));
    }

    [Fact]
    public async Task Repeat_requests_get_304_and_the_same_answer()
    {
        const string url = "/api/features/congestion?limit=100";
        using var first = await _client.GetAsync(url);
        var body = await first.Content.ReadAsStringAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await _client.SendAsync(again);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(body, await _client.GetStringAsync(url));
    }

    [Theory]
    [InlineData("/api/features/parks", "layer")]
    [InlineData("/api/features/flooding?bbox=1,2,3", "bbox")]
    [InlineData("/api/features/flooding?bbox=106,21,105,22", "bbox")]
    [InlineData("/api/features/flooding?bbox=a,b,c,d", "bbox")]
    [InlineData("/api/features/flooding?ward=123", "ward")]
    [InlineData("/api/features/flooding?ward=99999", "ward")]
    [InlineData("/api/features/flooding?status=done", "status")]
    [InlineData("/api/features/flooding?severity=9", "severity")]
    [InlineData("/api/features/flooding?from=yesterday", "from")]
    [InlineData("/api/features/flooding?from=2026-02-01&to=2026-01-01", "from")]
    [InlineData("/api/features/flooding?to=2026-13-01", "to")]
    [InlineData("/api/features/flooding?limit=0", "limit")]
    [InlineData("/api/features/flooding?limit=1000000", "limit")]
    [InlineData("/api/features/flooding?sample=maybe", "sample")]
    [InlineData("/api/features/flooding?subtype=DROP%20TABLE", "subtype")]
    public async Task Bad_parameters_get_400_naming_the_parameter(string url, string parameter) =>
        await _client.AssertBadParameterAsync(url, parameter);
}
