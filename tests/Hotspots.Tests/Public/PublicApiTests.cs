using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Public;

[Collection(PublicCollection.Name)]
[Trait("Category", "Database")]
public sealed class PublicApiTests(PublicApp app)
{
    private readonly HttpClient _client = app.CreateClient();
    private static readonly string[] Layers = ["flooding", "congestion", "urban-order", "environment", "food-safety", "projects"];

    private static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var r = lat * Math.PI / 180;
        return ((int)((lon + 180) / 360 * n), (int)((1 - Math.Log(Math.Tan(r) + 1 / Math.Cos(r)) / Math.PI) / 2 * n));
    }

    // Every public route and format a reader (or a scraper) can reach, with the canaries' neighbourhood in the tiles.
    private static IEnumerable<string> PublicUrls()
    {
        yield return "/api/public/wards";
        yield return "/api/public/wards?tolerance=0";
        yield return "/api/public/stats/wards";
        yield return "/api/public/stats/wards?period=365d";
        foreach (var layer in Layers)
        {
            yield return $"/api/public/features/{layer}?limit=20000&status=all";
            yield return $"/api/public/features/{layer}?limit=20000&status=all&details=true";
            yield return $"/api/public/features/{layer}?bbox=105.82,21.01,105.85,21.04&status=all";
            foreach (var z in new[] { 0, 8, 12, 14, 15, 16, 18 })
            {
                foreach (var (lon, lat) in new[] { (PublicApp.HouseLon, PublicApp.HouseLat), (105.8412, 21.0301) })
                {
                    var (x, y) = TileOf(lon, lat, z);
                    yield return $"/api/public/tiles/{layer}/{z}/{x}/{y}.mvt?status=all";
                }
            }
        }
        yield return "/embed";
        yield return "/embed?lang=en&search=1&panel=1";
        yield return "/embed?kiosk=1&cycle=00004";
    }

    [Fact]
    public async Task Records_that_share_a_generalised_place_are_one_symbol_with_their_count()
    {
        // The busiest 250 m cell centre of urban order on the public map, and how many records stand there.
        await using var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("""
            SELECT ST_X(geom), ST_Y(geom), count(*), count(*) FILTER (WHERE status IN ('reported', 'verified', 'in_progress'))
            FROM public_hotspots WHERE category = 'urban_order' AND generalized
            GROUP BY geom HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 1
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), "the test data has stacked generalised records");
        var (lon, lat, n, open) = (r.GetDouble(0), r.GetDouble(1), r.GetInt64(2), r.GetInt64(3));
        var (x, y) = TileOf(lon, lat, 16);
        var bytes = await _client.GetByteArrayAsync($"/api/public/tiles/urban-order/16/{x}/{y}.mvt?status=all");
        var layer = Assert.Single(MvtReader.Read(bytes));
        var stacks = layer.Features.Where(f => f.Properties.ContainsKey("count")).ToList();
        var stack = Assert.Single(stacks, f => Convert.ToInt64(f.Properties["count"], System.Globalization.CultureInfo.InvariantCulture) == n);
        Assert.Equal(open, Convert.ToInt64(stack.Properties["open"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(stack.Properties.ContainsKey("status")); // many records: no one status, no one id
        Assert.False(stack.Properties.ContainsKey("id"));
    }

    [Fact]
    public async Task No_personal_data_reaches_any_public_route_in_any_format()
    {
        var crawled = 0;
        foreach (var url in PublicUrls())
        {
            using var response = await _client.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{url}: {(int)response.StatusCode}");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var text = Encoding.UTF8.GetString(bytes);
            if (url.EndsWith(".mvt?status=all", StringComparison.Ordinal) && bytes.Length > 0)
            {
                // Decoded too: every string value of every feature.
                text += string.Join('\n', MvtReader.Read(bytes).SelectMany(l => l.Values).Select(v => v.ToString()));
            }
            Assert.DoesNotContain(PublicApp.Canary, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(PublicApp.CanaryPhone, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Nguyễn Văn A", text, StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{url} sets a cookie");
            crawled++;
        }
        Assert.True(crawled > 90);
        // The internal API does hold them (for a signed-in planner; the public gets 401 there): the canaries are
        // real, the public model leaves them out.
        using (var anonymous = await _client.GetAsync("/api/features/urban-order?limit=20000&status=all"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using var planner = app.CreateClient();
        TestUsers.Authorize(planner, app.PlannerToken);
        var internalAnswer = await planner.GetStringAsync("/api/features/urban-order?limit=20000&status=all");
        Assert.Contains($"{PublicApp.Canary}-OWNER", internalAnswer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_household_record_is_placed_at_its_250_m_cell_and_named_by_kind_and_ward()
    {
        var fc = await _client.JsonAsync("/api/public/features/urban-order?limit=20000&status=all");
        var house = fc.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("id").GetInt64() == app.HouseId);
        var p = house.GetProperty("properties");
        Assert.True(p.GetProperty("generalized").GetBoolean());
        Assert.StartsWith("Vi phạm trật tự đô thị – Phường", p.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.False(p.TryGetProperty("reportedAt", out _)); // a day, not an hour
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", p.GetProperty("reportedOn").GetString());
        var c = house.GetProperty("geometry").GetProperty("coordinates");
        var (x, y) = (c[0].GetDouble() * 20037508.342789244 / 180,
                      Math.Log(Math.Tan((90 + c[1].GetDouble()) * Math.PI / 360)) * 20037508.342789244 / Math.PI);
        Assert.Equal(125, ((x % 250) + 250) % 250, 0.5); // the centre of its cell…
        Assert.Equal(125, ((y % 250) + 250) % 250, 0.5);
        var metres = Math.Sqrt(Math.Pow((c[0].GetDouble() - PublicApp.HouseLon) * 103_900, 2) + Math.Pow((c[1].GetDouble() - PublicApp.HouseLat) * 110_800, 2));
        Assert.InRange(metres, 1, 170);                   // …not where the house is
        // Flooding points are public places and keep their exact position and official title.
        var flood = (await _client.JsonAsync("/api/public/features/flooding?sample=false&status=all")).GetProperty("features")[0].GetProperty("properties");
        Assert.False(flood.GetProperty("generalized").GetBoolean());

        // Where it came from, in the public's words: a kind and a day, never the source's key, a file or a person.
        var official = (await _client.JsonAsync("/api/public/features/flooding?sample=false&status=all")).GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties")).Single(q => q.GetProperty("title").GetString() == "Đường Nguyễn Khuyến trước cổng Trường THCS Lý Thường Kiệt");
        Assert.Equal("official", official.GetProperty("origin").GetString());
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", official.GetProperty("updatedOn").GetString());
        Assert.False(official.TryGetProperty("source", out _));
        Assert.Contains(p.GetProperty("origin").GetString(), new[] { "sample", "import", "field-report", "person", "feed" });
    }

    [Fact]
    public async Task A_kind_is_only_ever_one_of_the_layers_catalogue_and_nothing_else_reaches_the_public()
    {
        // Hardening: subtype was free text (100 kB accepted) and went verbatim to the public GeoJSON and tiles.
        using var planner = app.CreateClient();
        TestUsers.Authorize(planner, app.PlannerToken);
        using var planted = await planner.PostAsJsonAsync("/api/hotspots",
            new { layer = "urban-order", subtype = "Nguyễn Văn A 0912345678", title = "Lấn chiếm", severity = 3, lon = 105.8452, lat = 21.0285 });
        Assert.Equal(HttpStatusCode.BadRequest, planted.StatusCode);
        Assert.Contains("sidewalk_encroachment", await planted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var good = await planner.PostAsJsonAsync("/api/hotspots",
            new { layer = "urban-order", subtype = "awning", title = "Mái vẩy sai phép", severity = 3, lon = 105.8452, lat = 21.0285 });
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);

        // A value written before kinds were checked stays inside.
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var cmd = db.CreateCommand("""
            UPDATE hotspots h SET subtype = 'PLANTED Nguyễn Văn A' FROM (SELECT max(id) AS id, max(subtype) AS old FROM hotspots WHERE category = 'congestion') m
            WHERE h.id = m.id RETURNING m.old
            """))
        {
            var old = await cmd.ExecuteScalarAsync();
            await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
            var answer = await _client.GetStringAsync("/api/public/features/congestion?status=all&limit=20000");
            Assert.DoesNotContain("PLANTED", answer, StringComparison.Ordinal);
            await using var undo = db.CreateCommand("UPDATE hotspots SET subtype = @old WHERE subtype = 'PLANTED Nguyễn Văn A'");
            undo.Parameters.AddWithValue("old", old ?? DBNull.Value);
            await undo.ExecuteNonQueryAsync();
            await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
        }
    }

    [Fact]
    public async Task A_bounding_box_cannot_find_a_household_more_precisely_than_its_cell()
    {
        // A box around the exact house but away from its cell centre: the record is not there in public.
        var fc = await _client.JsonAsync(FormattableString.Invariant(
            $"/api/public/features/urban-order?status=all&bbox={PublicApp.HouseLon - 0.00002},{PublicApp.HouseLat - 0.00002},{PublicApp.HouseLon + 0.00002},{PublicApp.HouseLat + 0.00002}"));
        Assert.DoesNotContain(fc.GetProperty("features").EnumerateArray(), f => f.GetProperty("id").GetInt64() == app.HouseId);
    }

    [Theory]
    [InlineData("/api/public/tiles/congestion/12/3252/1803.mvt?status=open")]
    [InlineData("/api/public/features/environment?status=open")]
    [InlineData("/api/public/stats/wards")]
    [InlineData("/api/public/wards")]
    public async Task Repeats_get_304_and_a_proxy_may_cache(string url)
    {
        using var first = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Contains("public", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        using var again = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Theory]
    [InlineData("/api/public/tiles/congestion/12/3252/1803.mvt?status=open")]
    [InlineData("/api/public/features/environment?status=open")]
    public async Task An_answer_naming_the_current_data_version_is_kept_for_a_year_and_one_naming_another_is_revalidated(string url)
    {
        var version = app.Services.GetRequiredService<Hotspots.Snapshots.DataVersion>().Current;
        using var current = await _client.GetAsync($"{url}&v={version}");
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.True(current.Headers.CacheControl is { Public: true, MaxAge.TotalDays: 365 }, current.Headers.CacheControl?.ToString());
        Assert.Contains("immutable", current.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var other = await _client.GetAsync($"{url}&v={version - 1}");
        Assert.True(other.Headers.CacheControl is { Public: true, NoCache: true, MaxAge: null }, other.Headers.CacheControl?.ToString());
        Assert.Equal(await current.Content.ReadAsByteArrayAsync(), await other.Content.ReadAsByteArrayAsync()); // the same data: only how long it may be kept differs
    }

    [Fact]
    public async Task A_data_change_changes_the_etag_and_the_answer()
    {
        const string url = "/api/public/features/congestion?status=resolved&limit=20000";
        using var before = await _client.GetAsync(url);
        var count = JsonDocument.Parse(await before.Content.ReadAsStringAsync()).RootElement.GetProperty("numberReturned").GetInt32();
        await using (var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            UPDATE hotspots SET status = 'resolved', resolved_at = now()
            WHERE id = (SELECT min(id) FROM hotspots WHERE category = 'congestion' AND status = 'reported')
            """))
        {
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        await app.Services.GetRequiredService<Hotspots.Snapshots.SnapshotRefresher>().RefreshAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        using var after = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal(count + 1, JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("numberReturned").GetInt32());
    }

    [Fact]
    public async Task Too_many_requests_from_one_client_get_429_with_retry_after()
    {
        using var strict = app.WithWebHostBuilder(b => b.UseSetting("PUBLIC_RATE_BURST", "5").UseSetting("PUBLIC_RATE_PER_SECOND", "1"));
        using var client = strict.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 12; i++)
        {
            var r = await client.GetAsync("/api/public/stats/wards");
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests) limited ??= r; else r.Dispose();
        }
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.NotNull(limited);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        // The dashboard's own API is not limited.
        TestUsers.Authorize(client, app.PlannerToken);
        for (var i = 0; i < 12; i++)
        {
            using var r = await client.GetAsync("/api/stats/wards");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        limited.Dispose();
    }

    [Fact]
    public async Task Only_the_embed_may_be_framed_and_only_by_allowed_origins_with_no_inline_script()
    {
        using var embed = await _client.GetAsync("/embed?layers=flooding");
        var csp = embed.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"frame-ancestors 'self' {PublicApp.AllowedOrigin}", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.False(embed.Headers.Contains("X-Frame-Options"));
        var html = await embed.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html); // every script is a file
        Assert.DoesNotContain("blazor", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<html lang=\"vi\">", html, StringComparison.Ordinal);

        using var dashboard = await _client.GetAsync("/");
        Assert.Equal("DENY", dashboard.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", dashboard.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var api = await _client.GetAsync("/api/public/stats/wards");
        Assert.Equal("DENY", api.Headers.GetValues("X-Frame-Options").Single());
    }
}
