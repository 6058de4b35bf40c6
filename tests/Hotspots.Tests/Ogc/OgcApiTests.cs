using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Ogc;

/// <summary>
/// Issue 21, part 3: OGC API – Features at /ogc, checked by GDAL's own client (gdal-bin from Debian: ogrinfo and
/// ogr2ogr, as QGIS uses it) and by its shapes: landing, conformance, collections, items with paging and filters,
/// one item, the public variant, and the same access rules as the map API.
/// </summary>
[Collection(OgcCollection.Name)]
[Trait("Category", "Database")]
public sealed class OgcApiTests(OgcApp app)
{
    private static readonly string[] Collections = ["flooding", "congestion", "urban-order", "environment", "food-safety", "projects", "wards"];

    // Runs a GDAL program with the bearer token in a header file (never on its command line), and returns what it printed.
    private async Task<string> GdalAsync(string program, string token, params string[] args)
    {
        var headers = Path.GetTempFileName();
        await File.WriteAllTextAsync(headers, $"Authorization: Bearer {token}\n");
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }
            start.Environment["GDAL_HTTP_HEADER_FILE"] = headers;
            start.Environment["CPL_DEBUG"] = "OFF";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
            return await output;
        }
        finally
        {
            File.Delete(headers);
        }
    }

    private async Task<int> FeaturesApiCountAsync(string layer, string query, string? token = null)
    {
        using var http = app.Client(token ?? app.PlannerToken);
        var json = JsonDocument.Parse(await http.GetStringAsync($"/api/features/{layer}?limit=20000&{query}")).RootElement;
        Assert.False(json.GetProperty("truncated").GetBoolean());
        return json.GetProperty("numberReturned").GetInt32();
    }

    private static int GeoJsonCount(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("features").GetArrayLength();

    [Fact]
    public async Task Gdal_lists_every_layer_and_the_ward_boundaries()
    {
        var info = await GdalAsync("ogrinfo", app.PlannerToken, "-ro", "-q", $"OAPIF:{app.BaseUrl}/ogc");
        foreach (var c in Collections)
        {
            Assert.Contains($": {c}", info, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("flooding", new string[0], "")]
    [InlineData("urban-order", new[] { "-spat", "105.80", "21.00", "105.86", "21.05" }, "bbox=105.80,21.00,105.86,21.05")]
    [InlineData("congestion", new[] { "-where", "severity >= 4" }, "severity=4,5")]
    public async Task Gdal_copies_a_layer_page_by_page_with_every_feature_the_map_api_has(string layer, string[] filter, string query)
    {
        var output = Path.Combine(Path.GetTempPath(), $"ogc-{Guid.NewGuid():N}.geojson");
        try
        {
            // Pages of 100, so the copy walks several next links.
            await GdalAsync("ogr2ogr", app.PlannerToken, ["-f", "GeoJSON", output, $"OAPIF:{app.BaseUrl}/ogc", layer, "-oo", "PAGE_SIZE=100", .. filter]);
            var expected = await FeaturesApiCountAsync(layer, query);
            Assert.True(expected > 100, $"{layer}: only {expected} features, fewer than a page");
            Assert.Equal(expected, GeoJsonCount(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task The_landing_page_conformance_and_collections_say_what_the_standard_asks()
    {
        using var http = app.Client(app.PlannerToken);
        var landing = JsonDocument.Parse(await http.GetStringAsync("/ogc")).RootElement;
        var rels = landing.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("rel").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "self", "service-desc", "conformance", "data" }, rels.ToHashSet());
        var conformance = JsonDocument.Parse(await http.GetStringAsync("/ogc/conformance")).RootElement.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", conformance);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson", conformance);
        var collections = JsonDocument.Parse(await http.GetStringAsync("/ogc/collections")).RootElement.GetProperty("collections").EnumerateArray().ToList();
        Assert.Equal(Collections, collections.Select(c => c.GetProperty("id").GetString()));
        Assert.All(collections, c => Assert.Contains(c.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "items"));
        var api = JsonDocument.Parse(await http.GetStringAsync("/ogc/api")).RootElement;
        Assert.StartsWith("3.0", api.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ogc/collections/volcanoes")).StatusCode);
    }

    [Fact]
    public async Task Next_links_walk_every_feature_once_and_one_item_is_the_same_feature()
    {
        using var http = app.Client(app.PlannerToken);
        var seen = new List<long>();
        string? next = "/ogc/collections/environment/items?limit=250";
        long matched = 0;
        while (next is not null)
        {
            var page = JsonDocument.Parse(await http.GetStringAsync(next)).RootElement;
            // The count comes with the first page only (later pages cost their rows alone).
            Assert.Equal(seen.Count == 0, page.TryGetProperty("numberMatched", out var count));
            matched = seen.Count == 0 ? count.GetInt64() : matched;
            seen.AddRange(page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
            next = page.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == "next").Select(l => l.GetProperty("href").GetString()).FirstOrDefault();
        }
        Assert.Equal(matched, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(await FeaturesApiCountAsync("environment", ""), seen.Count);
        var one = JsonDocument.Parse(await http.GetStringAsync($"/ogc/collections/environment/items/{seen[7]}")).RootElement;
        Assert.Equal(seen[7], one.GetProperty("id").GetInt64());
        Assert.Equal("Feature", one.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ogc/collections/environment/items/999999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ogc/collections/environment/items/abc")).StatusCode);
    }

    [Fact]
    public async Task A_ward_leads_token_reads_the_same_features_as_the_map_api_gives_it_and_datetime_narrows_by_report_time()
    {
        using var lead = app.Client(app.LeadToken);
        var items = JsonDocument.Parse(await lead.GetStringAsync($"/ogc/collections/food-safety/items?ward={OgcApp.LeadWard}&limit=10000")).RootElement;
        Assert.Equal(await FeaturesApiCountAsync("food-safety", $"ward={OgcApp.LeadWard}", app.LeadToken), items.GetProperty("numberReturned").GetInt32());
        Assert.All(items.GetProperty("features").EnumerateArray(), f => Assert.Equal(OgcApp.LeadWard, f.GetProperty("properties").GetProperty("wardCode").GetString()));

        var all = JsonDocument.Parse(await lead.GetStringAsync("/ogc/collections/flooding/items?limit=1")).RootElement.GetProperty("numberMatched").GetInt64();
        var recent = JsonDocument.Parse(await lead.GetStringAsync($"/ogc/collections/flooding/items?limit=1&datetime={DateTimeOffset.UtcNow.AddDays(-60):yyyy-MM-ddTHH:mm:ssZ}/..")).RootElement.GetProperty("numberMatched").GetInt64();
        Assert.InRange(recent, 1, all - 1);
        Assert.Equal(HttpStatusCode.BadRequest, (await lead.GetAsync("/ogc/collections/flooding/items?datetime=yesterday")).StatusCode);
    }

    [Fact]
    public async Task Anyone_reads_the_public_variant_and_nobody_reads_the_internal_one_without_signing_in()
    {
        using var anonymous = app.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/ogc/collections/flooding/items")).StatusCode);
        var page = await anonymous.GetStringAsync("/ogc/public/collections/food-safety/items?limit=200");
        var features = JsonDocument.Parse(page).RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(features);
        Assert.All(features, f =>
        {
            var p = f.GetProperty("properties");
            Assert.False(p.TryGetProperty("source", out _));
            Assert.False(p.TryGetProperty("reportedAt", out _)); // the day only, as on the public map
            Assert.True(p.GetProperty("generalized").GetBoolean());
        });
        var info = await GdalAsync("ogrinfo", "none", "-ro", "-q", $"OAPIF:{app.BaseUrl}/ogc/public");
        Assert.Contains(": food-safety", info, StringComparison.Ordinal);
    }
}
