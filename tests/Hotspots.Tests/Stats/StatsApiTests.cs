using System.Text.Json;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Stats;

[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class StatsApiTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();
    private static readonly string[] Layers = ["flooding", "congestion", "urban-order", "environment", "food-safety"];

    [Fact]
    public async Task Ward_stats_add_up_with_the_features_of_that_ward()
    {
        var stats = await _client.JsonAsync("/api/wards/00004/stats");
        Assert.Equal("Ba Đình", stats.GetProperty("name").GetString());
        var total = 0;
        foreach (var layer in Layers)
        {
            var s = stats.GetProperty("categories").GetProperty(layer);
            var fc = await _client.JsonAsync($"/api/features/{layer}?ward=00004&limit=20000");
            var features = fc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
            Assert.Equal(s.GetProperty("total").GetInt32(), features.Count);
            Assert.Equal(s.GetProperty("open").GetInt32(), features.Count(p => p.GetProperty("status").GetString() is "reported" or "verified" or "in_progress"));
            Assert.Equal(s.GetProperty("resolved").GetInt32(), features.Count(p => p.GetProperty("status").GetString() == "resolved"));
            Assert.Equal(s.GetProperty("overdue").GetInt32(), features.Count(p => p.GetProperty("overdue").GetBoolean()));
            Assert.Equal(s.GetProperty("total").GetInt32(),
                new[] { "reported", "verified", "inProgress", "resolved", "rejected" }.Sum(k => s.GetProperty(k).GetInt32()));
            total += s.GetProperty("total").GetInt32();
        }
        Assert.True(total > 0);
        Assert.Equal(total, stats.GetProperty("totals").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task All_wards_stats_cover_126_units_and_sum_to_the_layer_counts()
    {
        var all = await _client.JsonAsync("/api/stats/wards?period=365d");
        var wards = all.GetProperty("wards").EnumerateArray().ToList();
        Assert.Equal(126, wards.Count);
        var layers = await _client.JsonAsync("/api/layers");
        foreach (var layer in layers.GetProperty("layers").EnumerateArray().Where(l => l.GetProperty("kind").GetString() == "hotspots"))
        {
            var id = layer.GetProperty("id").GetString()!;
            Assert.Equal(layer.GetProperty("count").GetInt64(), wards.Sum(w => (long)w.GetProperty("categories").GetProperty(id).GetProperty("total").GetInt32()));
        }
        Assert.Equal(HotspotsApp.SampleCount + 15, wards.Sum(w => w.GetProperty("totals").GetProperty("total").GetInt32()));
    }

    [Fact]
    public async Task Median_days_to_resolve_is_reported_where_something_was_resolved()
    {
        var all = await _client.JsonAsync("/api/stats/wards?period=365d");
        var withResolved = all.GetProperty("wards").EnumerateArray()
            .Select(w => w.GetProperty("totals"))
            .Where(t => t.GetProperty("resolvedInPeriod").GetInt32() > 0).ToList();
        Assert.NotEmpty(withResolved);
        // Passed food-safety inspections close the day they are made, so a median may be 0 but never missing.
        Assert.All(withResolved, t => Assert.True(t.GetProperty("medianDaysToResolve").GetDouble() >= 0));
        Assert.Contains(withResolved, t => t.GetProperty("medianDaysToResolve").GetDouble() > 1);
    }

    [Fact]
    public async Task Stats_carry_an_etag()
    {
        using var response = await _client.GetAsync("/api/stats/wards");
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("/api/wards/99999/stats", "code")]
    [InlineData("/api/wards/abc/stats", "code")]
    [InlineData("/api/stats/wards?period=7y", "period")]
    [InlineData("/api/wards/00004/stats?period=week", "period")]
    public async Task Bad_parameters_get_400(string url, string parameter) =>
        await _client.AssertBadParameterAsync(url, parameter);
}
