using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Map;

[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class TilesApiTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    // Central Hanoi (Hoàn Kiếm Lake at 105.852, 21.029) at each zoom.
    private static (int X, int Y) Centre(int z) => TileOf(105.852, 21.029, z);

    private static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var r = lat * Math.PI / 180;
        return ((int)((lon + 180) / 360 * n), (int)((1 - Math.Log(Math.Tan(r) + 1 / Math.Cos(r)) / Math.PI) / 2 * n));
    }

    private Task<byte[]> Tile(string layer, int z, string query = "")
    {
        var (x, y) = Centre(z);
        return Tile(layer, z, x, y, query);
    }

    private async Task<byte[]> Tile(string layer, int z, int x, int y, string query = "")
    {
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
        var first = (await _client.JsonAsync($"/api/features/{layer}?limit=1")).GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
        var (x, y) = TileOf(first[0].GetDouble(), first[1].GetDouble(), 16);
        var tile = MvtReader.Read(await Tile(layer, 16, x, y));
        var l = Assert.Single(tile);
        Assert.Equal(layer, l.Name);
        Assert.True(l.Count > 0);
        Assert.All(l.Features, f => Assert.True(f.Properties.ContainsKey("id")));
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
        Assert.InRange(l.Count, 1, 20 * 20); // 16×16 cells per tile, with two rows of neighbours' cells around it
    }

    [Theory]
    [InlineData("urban-order", "")]
    [InlineData("food-safety", "?status=resolved")]
    [InlineData("congestion", "?status=open&sample=true")]
    [InlineData("flooding", "?sample=false")]
    public async Task The_world_tile_counts_every_record_the_stats_count(string layer, string query)
    {
        var world = MvtReader.Read(await Tile(layer, 0, query)).Single();
        var filter = query.Length == 0 ? "" : "&" + query[1..];
        var features = await _client.JsonAsync($"/api/features/{layer}?limit=20000{filter}");
        Assert.Equal(features.GetProperty("numberReturned").GetInt32(), world.Sum("count"));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(15)]
    public async Task Pre_built_cells_and_live_aggregation_agree(int z)
    {
        // severity=1..5 keeps every record but needs the live aggregation; no filter reads the cells.
        var cells = MvtReader.Read(await Tile("urban-order", z, "?status=open")).Single();
        var live = MvtReader.Read(await Tile("urban-order", z, "?status=open&severity=1,2,3,4,5")).Single();
        Assert.Equal(live.Sum("count"), cells.Sum("count"));
        Assert.Equal(live.Sum("overdue"), cells.Sum("overdue"));
        Assert.Equal(live.Count, cells.Count);
    }

    [Fact]
    public async Task A_cell_holding_one_record_carries_its_id()
    {
        var tile = MvtReader.Read(await Tile("flooding", 14, "?sample=false")).Single();
        Assert.All(tile.Features.Where(f => (long)f.Properties["count"] == 1), f => Assert.True(f.Properties.ContainsKey("id")));
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
        var all = MvtReader.Read(await Tile("urban-order", 16)).Single().Count;
        var severe = MvtReader.Read(await Tile("urban-order", 16, "?severity=5")).SingleOrDefault()?.Count ?? 0;
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
    public async Task Repeat_requests_get_304_until_the_data_changes()
    {
        const string url = "/tiles/urban-order/12/3252/1803.mvt";
        using var first = await _client.GetAsync(url);
        var etag = first.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await _client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RebuildAsync(); // a rebuild moves the version
        using var after = new HttpRequestMessage(HttpMethod.Get, url);
        after.Headers.IfNoneMatch.Add(etag);
        using var changed = await _client.SendAsync(after);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await changed.Content.ReadAsByteArrayAsync());
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
