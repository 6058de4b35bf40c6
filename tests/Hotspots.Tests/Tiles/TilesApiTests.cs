using System.Net;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Tiles;

[Collection(ApiCollection.Name)]
public sealed class TilesApiTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    // Central Hanoi (Hoàn Kiếm Lake at 105.852, 21.029) at each zoom.
    private static (int X, int Y) Centre(int z)
    {
        var n = 1 << z;
        var lat = 21.029 * Math.PI / 180;
        return ((int)((105.852 + 180) / 360 * n), (int)((1 - Math.Log(Math.Tan(lat) + 1 / Math.Cos(lat)) / Math.PI) / 2 * n));
    }

    private async Task<byte[]> Tile(string layer, int z, string query = "")
    {
        var (x, y) = Centre(z);
        using var response = await _client.GetAsync($"/tiles/{layer}/{z}/{x}/{y}.mvt{query}");
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{layer} z{z}: {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        }
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Theory]
    [InlineData("flooding")]
    [InlineData("congestion")]
    [InlineData("urban-order")]
    [InlineData("environment")]
    [InlineData("food-safety")]
    public async Task Each_layer_has_individual_features_when_zoomed_in(string layer)
    {
        var tile = MvtReader.Read(await Tile(layer, 13));
        var l = Assert.Single(tile);
        Assert.Equal(layer, l.Name);
        Assert.True(l.Features > 0);
        Assert.Contains("status", l.Keys);
        Assert.Contains("severity", l.Keys);
        Assert.Contains("overdue", l.Keys);
    }

    [Fact]
    public async Task Low_zooms_aggregate_into_counted_cells_that_add_up()
    {
        var tile = MvtReader.Read(await Tile("urban-order", 9));
        var l = Assert.Single(tile);
        Assert.Contains("count", l.Keys);
        Assert.Contains("open", l.Keys);
        Assert.DoesNotContain("title", l.Keys);
        Assert.InRange(l.Features, 1, 64 * 64);
    }

    [Fact]
    public async Task Projects_tile_draws_the_ring_roads()
    {
        var tile = MvtReader.Read(await Tile("projects", 12));
        var l = Assert.Single(tile);
        Assert.Contains("Đường Vành đai 1", l.StringValues);
        Assert.Contains("Đường Vành đai 2", l.StringValues);
    }

    [Fact]
    public async Task Filters_apply_to_tiles()
    {
        var all = MvtReader.Read(await Tile("urban-order", 14)).Single().Features;
        var severe = MvtReader.Read(await Tile("urban-order", 14, "?severity=5")).SingleOrDefault()?.Features ?? 0;
        Assert.True(severe < all, $"severity=5 kept {severe} of {all}");
    }

    [Fact]
    public async Task No_tile_exceeds_500_KB()
    {
        foreach (var layer in new[] { "urban-order", "food-safety", "projects" })
        {
            for (var z = 6; z <= 16; z += 2)
            {
                Assert.True((await Tile(layer, z)).Length <= 500 * 1024, $"{layer} z{z}");
            }
        }
    }

    [Fact]
    public async Task Empty_tile_is_204()
    {
        using var response = await _client.GetAsync("/tiles/flooding/14/0/0.mvt");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("/tiles/parks/10/812/450.mvt", "layer")]
    [InlineData("/tiles/flooding/23/0/0.mvt", "z")]
    [InlineData("/tiles/flooding/-1/0/0.mvt", "z")]
    [InlineData("/tiles/flooding/ten/0/0.mvt", "z")]
    [InlineData("/tiles/flooding/10/1024/450.mvt", "x")]
    [InlineData("/tiles/flooding/10/812/1024.mvt", "y")]
    [InlineData("/tiles/flooding/10/812/450.mvt?ward=00000", "ward")]
    [InlineData("/tiles/flooding/10/812/450.mvt?status=closed", "status")]
    [InlineData("/tiles/flooding/10/812/450.mvt?bbox=105,21,106,22", "bbox")]
    public async Task Bad_tile_parameters_get_400(string url, string parameter) =>
        await _client.AssertBadParameterAsync(url, parameter);
}
