using System.Text.Json;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Wards;

[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class WardsApiTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Health_answers_when_the_database_does()
    {
        var health = await _client.JsonAsync("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Wards_returns_the_126_official_units()
    {
        var fc = await _client.JsonAsync("/api/wards");
        var features = fc.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(126, features.Count);
        Assert.Equal(51, features.Count(f => f.GetProperty("properties").GetProperty("kind").GetString() == "phuong"));
        var baDinh = features.Single(f => f.GetProperty("properties").GetProperty("code").GetString() == "00004").GetProperty("properties");
        Assert.Equal("Ba Đình", baDinh.GetProperty("name").GetString());
        Assert.InRange(baDinh.GetProperty("areaKm2").GetDouble(), 2.5, 3.5);
        Assert.Contains(features, f => f.GetProperty("properties").GetProperty("name").GetString() == "Đống Đa");
        Assert.All(features, f => Assert.Contains(f.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" }));
        Assert.InRange(features.Sum(f => f.GetProperty("properties").GetProperty("areaKm2").GetDouble()), 3300, 3420);
    }

    [Fact]
    public async Task Any_number_of_distinct_tolerances_holds_at_most_one_answer_per_step_of_the_ladder()
    {
        // Hardening: every distinct tolerance used to be built and kept forever (anonymous memory exhaustion).
        var etags = new HashSet<string>();
        for (var i = 1; i <= 60; i++)
        {
            using var response = await _client.GetAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/api/wards?tolerance={0.0001 + i * 0.0000137:0.0000000}"));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            etags.Add(response.Headers.ETag!.Tag);
        }
        Assert.InRange(etags.Count, 1, 5);
        Assert.InRange(Hotspots.Wards.WardsApi.CachedAnswers, 1, Hotspots.Wards.WardsApi.Tolerances.Count);
        Assert.Equal(0.0002, Hotspots.Wards.WardsApi.Snap(0.00021));
        Assert.Equal(0, Hotspots.Wards.WardsApi.Snap(0));
    }

    [Fact]
    public async Task A_larger_tolerance_gives_lighter_geometry()
    {
        var fine = (await _client.GetByteArrayAsync("/api/wards?tolerance=0")).Length;
        var coarse = (await _client.GetByteArrayAsync("/api/wards?tolerance=0.002")).Length;
        Assert.True(coarse < fine / 3, $"{coarse} vs {fine}");
    }

    [Fact]
    public async Task Layers_lists_the_five_bottlenecks_and_projects_with_counts()
    {
        var layers = (await _client.JsonAsync("/api/layers")).GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(new[] { "flooding", "congestion", "urban-order", "environment", "food-safety", "projects" },
            layers.Select(l => l.GetProperty("id").GetString()));
        Assert.All(layers, l =>
        {
            Assert.True(l.GetProperty("count").GetInt64() > 0);
            Assert.Matches("^#[0-9a-f]{6}$", l.GetProperty("color").GetString());
            Assert.False(string.IsNullOrEmpty(l.GetProperty("nameVi").GetString()));
        });
        Assert.Equal("Ùn tắc giao thông", layers[1].GetProperty("nameVi").GetString());
    }

    [Theory]
    [InlineData("/api/wards?tolerance=big", "tolerance")]
    [InlineData("/api/wards?tolerance=-1", "tolerance")]
    public async Task Bad_tolerance_gets_400(string url, string parameter) =>
        await _client.AssertBadParameterAsync(url, parameter);
}
