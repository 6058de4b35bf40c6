using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Basemap;

/// <summary>
/// A vector base map from this site's MBTiles is drawn under the hotspots, in the quiet style: the lake is water-blue
/// where it is, the place's name is written, and the hotspots' pane lies above it. The same checks fail on a map
/// with no base map (see the default-map test).
/// </summary>
[Trait("Category", "Browser")]
public sealed class VectorBasemapBrowserTests(VectorBasemapApp app) : IClassFixture<VectorBasemapApp>
{
    private static readonly (byte, byte, byte) Water = Pixels.Hex("#aacbe3"), Text = Pixels.Hex("#4f4a40");

    [Fact]
    public async Task The_embed_draws_the_lake_the_roads_and_the_place_name_under_the_hotspots()
    {
        var page = await app.EmbedAsync(TestBasemap.LakeLat, TestBasemap.LakeLon, 16);
        Assert.Equal("vector", await page.Locator(".leaflet-container").GetAttributeAsync("data-basemap"));
        var (lx, ly) = await Pixels.PointOfAsync(page, TestBasemap.LakeLat, TestBasemap.LakeLon);
        var (px, py) = await Pixels.PointOfAsync(page, TestBasemap.LabelLat, TestBasemap.LabelLon);
        // Labels are placed after the tiles are painted, later on a busy machine: look again for a few seconds.
        var screen = await Pixels.UntilAsync(page, s => s.Count(lx, ly, 12, Water, 10) > 300 && s.Count(px, py, 40, Text, 40) > 20);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardApp.Screenshots, "basemap-vector-embed.png") });
        Assert.True(screen.Count(lx, ly, 12, Water, 10) > 300, $"the lake's colour at its place ({lx},{ly}): {screen.At(lx, ly)}");
        Assert.True(screen.Count(px, py, 40, Text, 40) > 20, $"the place name's letters around ({px},{py})");
        // Under the data: the base map's tiles are in Leaflet's tile pane, below the panes the wards and hotspots use.
        var order = await page.EvaluateAsync<int[]>("""
            () => ['.leaflet-tile-pane', '.leaflet-overlay-pane', '.leaflet-marker-pane'].map((s) => Number(getComputedStyle(document.querySelector(s)).zIndex))
            """);
        Assert.True(order[0] < order[1] && order[1] < order[2]);
        Assert.True(await page.Locator(".leaflet-tile-pane canvas.leaflet-tile-loaded").CountAsync() > 0);
    }

    [Fact]
    public async Task Tiles_are_served_compressed_and_cacheable_and_a_tile_outside_is_empty()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
        var (x, y) = TestBasemap.Tile(15, TestBasemap.LakeLon, TestBasemap.LakeLat);
        var tile = await http.GetAsync($"{app.BaseUrl}/basemap/15/{x}/{y}.mvt");
        Assert.Equal(System.Net.HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal("gzip", Assert.Single(tile.Content.Headers.ContentEncoding));
        Assert.Contains("public", tile.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var again = new HttpRequestMessage(HttpMethod.Get, $"{app.BaseUrl}/basemap/15/{x}/{y}.mvt");
        again.Headers.IfNoneMatch.ParseAdd(tile.Headers.ETag!.ToString());
        Assert.Equal(System.Net.HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.GetAsync($"{app.BaseUrl}/basemap/15/0/0.mvt")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync($"{app.BaseUrl}/basemap/3/9/0.mvt")).StatusCode);
    }

    [Fact]
    public async Task The_printed_poster_draws_the_lake_the_streets_and_their_names()
    {
        var code = await app.WardOfAsync(TestBasemap.LakeLat, TestBasemap.LakeLon);
        var page = await app.SignedInAsync(1200, 1600);
        await page.GotoAsync($"{app.BaseUrl}/print/ward/{code}");
        Assert.Equal("vector", await page.Locator("svg.print-map [data-basemap]").GetAttributeAsync("data-basemap"));
        Assert.True(await page.Locator("svg.print-map path[data-base=water]").CountAsync() > 0);
        Assert.True(await page.Locator("svg.print-map path[data-base=major]").CountAsync() > 0);
        var names = await page.Locator("svg.print-map [data-base-name]").AllTextContentsAsync();
        Assert.Contains("Phố Đinh Tiên Hoàng", names);
        Assert.Contains(TestBasemap.PlaceName, names);
        Assert.Contains("© OpenStreetMap (test)", await page.Locator("svg.print-map").TextContentAsync() ?? "");
        var (lx, ly) = await Pixels.PrintedPointOfAsync(page, TestBasemap.LakeLat, TestBasemap.LakeLon);
        var screen = await Pixels.OfAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardApp.Screenshots, "basemap-vector-poster.png") });
        Assert.True(screen.Count(lx, ly, 4, Water, 10) > 40, $"the lake's colour at its place ({lx},{ly}) on the poster: {screen.At(lx, ly)}");
    }

    [Fact]
    public async Task The_dashboard_draws_the_same_base_map()
    {
        var page = await app.DashboardAsync(TestBasemap.LakeLat, TestBasemap.LakeLon, 16);
        Assert.Equal("vector", await page.Locator(".leaflet-container").GetAttributeAsync("data-basemap"));
        var (lx, ly) = await Pixels.PointOfAsync(page, TestBasemap.LakeLat, TestBasemap.LakeLon);
        var screen = await Pixels.UntilAsync(page, s => s.Count(lx, ly, 12, Water, 10) > 300);
        Assert.True(screen.Count(lx, ly, 12, Water, 10) > 300, $"the lake's colour at its place ({lx},{ly}): {screen.At(lx, ly)}");
    }
}

/// <summary>A raster base map (HOTSPOTS_BASEMAP_URL) is drawn by the embed and the dashboard alike.</summary>
[Trait("Category", "Browser")]
public sealed class RasterBasemapBrowserTests(RasterBasemapApp app) : IClassFixture<RasterBasemapApp>
{
    [Fact]
    public async Task The_embed_and_the_dashboard_draw_the_raster_tiles_under_the_wards()
    {
        var magenta = RasterBasemapApp.Color;
        foreach (var page in new[] { await app.EmbedAsync(21.0287, 105.8522, 14), await app.DashboardAsync(21.0287, 105.8522, 14) })
        {
            Assert.Equal("raster", await page.Locator(".leaflet-container").GetAttributeAsync("data-basemap"));
            var (x, y) = await Pixels.PointOfAsync(page, 21.0287, 105.8522);
            var screen = await Pixels.UntilAsync(page, s => s.Count(x, y, 30, magenta, 12) > 1000);
            Assert.True(screen.Count(x, y, 30, magenta, 12) > 1000, $"the raster tiles' colour around ({x},{y}): {screen.At(x, y)}");
        }
        Assert.True(app.Tiles.Served > 0);
    }

    [Fact]
    public async Task The_printed_poster_lays_the_raster_tiles_under_the_ward_and_names_their_source()
    {
        var code = await app.WardOfAsync(21.0287, 105.8522);
        var page = await app.SignedInAsync(1200, 1600);
        var response = await page.GotoAsync($"{app.BaseUrl}/print/ward/{code}");
        Assert.Contains(new Uri(app.Tiles.TileUrl.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal)).GetLeftPart(UriPartial.Authority),
            response!.Headers["content-security-policy"], StringComparison.Ordinal); // the page may show the tiles
        Assert.True(await page.Locator("svg.print-map [data-basemap=raster] image").CountAsync() > 0);
        var (x, y) = await Pixels.PrintedPointOfAsync(page, 21.0287, 105.8522);
        var magenta = RasterBasemapApp.Color;
        var screen = await Pixels.UntilAsync(page, s => s.Count(x, y, 20, magenta, 90) > 400);
        Assert.True(screen.Count(x, y, 20, magenta, 90) > 400, $"the raster tiles' colour around ({x},{y}) on the poster: {screen.At(x, y)}");
    }
}

/// <summary>The place search: wards and projects from the product's data, streets and places from the base map file.</summary>
[Trait("Category", "Browser")]
public sealed class PlaceSearchTests(VectorBasemapApp app) : IClassFixture<VectorBasemapApp>
{
    private async Task<System.Text.Json.JsonElement[]> SearchAsync(string q, int tries = 50)
    {
        using var http = new HttpClient();
        TestUsers.Authorize(http, await TestUsers.CreateWithTokenAsync(app.Services, $"search-{Guid.NewGuid():N}@hotspots.test", Hotspots.Accounts.Roles.Viewer));
        // The base map's names are read in the background after start: wait for them.
        for (var i = 0; i < tries; i++)
        {
            var places = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{app.BaseUrl}/api/places?q={Uri.EscapeDataString(q)}"))
                .RootElement.GetProperty("places").EnumerateArray().ToArray();
            if (places.Length > 0)
            {
                return places;
            }
            await Task.Delay(200);
        }
        return [];
    }

    [Fact]
    public async Task A_street_of_the_base_map_is_found_without_diacritics_with_its_extent()
    {
        var street = Assert.Single(await SearchAsync("dinh tien hoang"), p => p.GetProperty("kind").GetString() == "street");
        Assert.Equal("Phố Đinh Tiên Hoàng", street.GetProperty("name").GetString());
        var b = street.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.InRange(105.8498, b[0] - 0.0005, b[2] + 0.0005);
        Assert.InRange(21.029, b[1] - 0.0005, b[3] + 0.0005);
        Assert.Contains(await SearchAsync("thu nghiem"), p => p.GetProperty("kind").GetString() == "place" && p.GetProperty("name").GetString() == TestBasemap.PlaceName);
    }

    [Fact]
    public async Task Wards_and_projects_come_first_from_the_product_s_own_data()
    {
        var wards = await SearchAsync("hoan kiem");
        Assert.Equal("ward", wards[0].GetProperty("kind").GetString());
        Assert.Equal("00070", wards[0].GetProperty("code").GetString());
        Assert.Contains(await SearchAsync("vanh dai 3"), p => p.GetProperty("kind").GetString() == "project");
        Assert.Empty(await SearchAsync("x", tries: 1)); // one letter finds nothing
    }
}
