using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Records;

/// <summary>
/// Likely duplicates of a new report, on a fixture whose distances are worked by hand: at latitude 21.28° a metre
/// north is 1/110,740° and a metre east 1/103,880° (the ellipsoid's meridian and parallel there), so the records
/// below lie 20, 40, 60, 140 and 165 m from the point asked about.
/// </summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class NearbyRecordsTests(ImportsApp app)
{
    // A quiet place in Sóc Sơn, away from the other tests' records.
    private const double Lon = 105.7800, Lat = 21.2800;
    private const double North = 1 / 110_740.0, East = 1 / 103_880.0;

    private async Task<long> AddAsync(string category, string? subtype, double dLon, double dLat, string status = "reported", int daysAgo = 0)
    {
        return await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, subtype, title, severity, status, reported_at, resolved_at, updated_at, geom, source, external_id)
            VALUES (@category, @subtype, 'Gần nhau ' || @category, 3, @status, now() - make_interval(days => @days),
                    CASE WHEN @status = 'resolved' THEN now() END, now() - make_interval(days => @days),
                    ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 'test:nearby', gen_random_uuid()::text)
            RETURNING id
            """, ("category", category), ("subtype", (object?)subtype ?? DBNull.Value), ("status", status), ("days", daysAgo),
            ("lon", Lon + dLon), ("lat", Lat + dLat));
    }

    private async Task<JsonElement> NearbyAsync(string layer, string? kind = null) =>
        await app.CreateClient().JsonAsync(string.Create(CultureInfo.InvariantCulture,
            $"/api/hotspots/nearby?lon={Lon}&lat={Lat}&layer={layer}{(kind is null ? "" : "&kind=" + kind)}"));

    [Fact]
    public async Task Open_recent_records_of_the_same_layer_and_kind_within_the_layers_distance_come_nearest_first()
    {
        await app.ScalarAsync<long>("""
            WITH gone AS (DELETE FROM hotspots WHERE geom && ST_Expand(ST_SetSRID(ST_MakePoint(105.78, 21.28), 4326), 0.01) RETURNING 1)
            SELECT count(*) FROM gone
            """);
        var drain = await AddAsync("flooding", "drainage_blockage", 0, 20 * North);     // 20 m north, another kind
        var north = await AddAsync("flooding", null, 0, 40 * North);                    // 40 m north, no kind
        var east = await AddAsync("flooding", "flood_point", 60 * East, 0);             // 60 m east
        var south = await AddAsync("flooding", "flood_point", 0, -140 * North);         // 140 m south
        await AddAsync("flooding", "flood_point", -165 * East, 0);                      // 165 m west: beyond flooding's 150 m
        await AddAsync("flooding", "flood_point", 0, 30 * North, status: "resolved");   // closed
        await AddAsync("flooding", "flood_point", 30 * East, 0, daysAgo: 200);          // untouched for 200 days
        var stall = await AddAsync("urban_order", null, 0, -40 * North);               // another layer, 40 m south
        await AddAsync("urban_order", null, 60 * East, 0);                              // beyond urban order's 50 m

        var flooding = await NearbyAsync("flooding");
        Assert.Equal(150, flooding.GetProperty("radiusMetres").GetInt32());
        var found = flooding.GetProperty("records").EnumerateArray().Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("metres").GetInt32())).ToList();
        Assert.Equal([drain, north, east, south], found.Select(f => f.Item1));
        foreach (var ((_, metres), expected) in found.Zip(new[] { 20, 40, 60, 140 }))
        {
            Assert.InRange(metres, expected - 1, expected + 1);
        }
        // Of a kind: the same kind, or a record that has none.
        var points = await NearbyAsync("flooding", "flood_point");
        Assert.Equal([north, east, south], points.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        var order = await NearbyAsync("urban-order");
        Assert.Equal(50, order.GetProperty("radiusMetres").GetInt32());
        Assert.Equal([stall], order.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task An_import_says_which_new_records_lie_near_an_open_one_of_another_source_and_still_writes_them()
    {
        var open = await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('environment', 'Bãi rác tự phát cạnh kênh', 3, 'verified', now(), ST_SetSRID(ST_MakePoint(105.82, 21.30), 4326), 'test:ward-list', 'r1')
            RETURNING id
            """);
        // 30 m north of it, and 2 km away.
        var csv = string.Create(CultureInfo.InvariantCulture, $"Mã,Tiêu đề,Vĩ độ,Kinh độ\nD-1,Rác đổ trộm bờ kênh,{21.30 + 30 * North:0.000000},105.820000\nD-2,Khói đốt rác,21.318000,105.820000\n");
        var run = await app.ImportAsync(System.Text.Encoding.UTF8.GetBytes(csv), "rac-thai.csv", "environment", new Dictionary<string, string> { ["source"] = "test:dup-import" });
        Assert.Equal(2, ImportsApp.Count(run, "inserted"));
        Assert.Contains(ImportsApp.Notes(run), n => n.StartsWith("1 điểm mới nằm gần điểm đang mở của nguồn khác (trong vòng 100 m)", StringComparison.Ordinal)
            && n.Contains($"“Rác đổ trộm bờ kênh” cách #{open} “Bãi rác tự phát cạnh kênh” 30 m", StringComparison.Ordinal));
        // The same file again adds nothing, and says nothing of duplicates.
        var again = await app.ImportAsync(System.Text.Encoding.UTF8.GetBytes(csv), "rac-thai.csv", "environment", new Dictionary<string, string> { ["source"] = "test:dup-import" });
        Assert.DoesNotContain(ImportsApp.Notes(again), n => n.Contains("có thể trùng", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_field_report_near_an_open_record_of_its_field_is_offered_that_record_to_link_to()
    {
        var open = await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('urban_order', 'Lấn chiếm vỉa hè chợ Kim Anh', 3, 'reported', now(), ST_SetSRID(ST_MakePoint(105.84, 21.31), 4326), 'test:ward-list', 'k1')
            RETURNING id
            """);
        var csv = string.Create(CultureInfo.InvariantCulture,
            $"Mã phản ánh,Lĩnh vực,Nội dung phản ánh,Vĩ độ,Kinh độ\nKA-1,Trật tự đô thị,Hàng rong bày kín lối đi cổng chợ,{21.31 + 40 * North:0.000000},105.840000\nKA-2,Trật tự đô thị,Quảng cáo rao vặt dán cột điện,21.330000,105.840000\n");
        var run = await app.ImportAsync(System.Text.Encoding.UTF8.GetBytes(csv), "kim-anh.csv", "field-reports", new Dictionary<string, string> { ["source"] = "test:kim-anh" });
        Assert.Equal(2, ImportsApp.Count(run, "inserted"));
        var reports = (await app.CreateClient().JsonAsync("/api/field-reports?limit=1000")).GetProperty("reports").EnumerateArray()
            .Where(r => r.GetProperty("text").GetString() is "Hàng rong bày kín lối đi cổng chợ" or "Quảng cáo rao vặt dán cột điện")
            .ToDictionary(r => r.GetProperty("text").GetString()!);
        var near = reports["Hàng rong bày kín lối đi cổng chợ"].GetProperty("nearby");
        Assert.Equal(open, near.GetProperty("id").GetInt64());
        Assert.InRange(near.GetProperty("metres").GetInt32(), 39, 41);
        Assert.Equal(JsonValueKind.Null, reports["Quảng cáo rao vặt dán cột điện"].GetProperty("nearby").ValueKind);
    }

    [Fact]
    public async Task A_record_marked_a_duplicate_is_closed_with_its_link_and_history_and_counted_once_until_reopened()
    {
        async Task<long> Add(double dLat) => await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('environment', 'Bãi rác bờ sông Cà Lồ', 3, 'reported', now(), ST_SetSRID(ST_MakePoint(105.86, 21.32 + @d), 4326), 'test:dups', gen_random_uuid()::text)
            RETURNING id
            """, ("d", dLat));
        var refresher = app.Services.GetRequiredService<global::Hotspots.Snapshots.SnapshotRefresher>();
        var first = await Add(0);
        var ward = await app.ScalarAsync<string>("SELECT ward_code FROM hotspots WHERE id = @id", ("id", first));
        // The ward's statistic after each step equals its records not marked a repeat, counted at the same moment (other
        // tests of this collection — imports finishing in the background — may add or remove records in the ward
        // meanwhile: a count compared with the one before a step flaked once in CI).
        async Task WardTotalFollows()
        {
            await refresher.RefreshAsync();
            var (kept, counted) = (await app.ScalarAsync<int>("SELECT total FROM ward_stats WHERE ward_code = @w AND category = 'environment'", ("w", ward)),
                await app.ScalarAsync<int>("SELECT count(*)::int FROM hotspots WHERE ward_code = @w AND category = 'environment' AND duplicate_of IS NULL", ("w", ward)));
            Assert.Equal(counted, kept);
        }
        await WardTotalFollows();
        var second = await Add(10 * North);
        await WardTotalFollows();

        var client = app.CreateClient();
        using (var marked = await client.PatchAsJsonAsync($"/api/hotspots/{second}", new { duplicateOf = first, note = "cùng bãi rác" }))
        {
            Assert.True(marked.IsSuccessStatusCode, await marked.Content.ReadAsStringAsync());
        }
        Assert.Equal($"rejected {first}", await app.ScalarAsync<string>("SELECT status || ' ' || duplicate_of FROM hotspots WHERE id = @id", ("id", second)));
        Assert.Equal($"trùng với điểm #{first}: cùng bãi rác", await app.ScalarAsync<string>(
            "SELECT note FROM hotspot_status_history WHERE hotspot_id = @id AND to_status = 'rejected'", ("id", second)));
        await WardTotalFollows(); // the same problem, counted once
        var record = await client.JsonAsync($"/api/hotspots/{second}");
        Assert.Equal(first, record.GetProperty("duplicateOf").GetInt64());

        // Refused: itself, a closed record, a missing one, another layer.
        var other = await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, geom, source, external_id)
            VALUES ('flooding', 'Ngập', 3, 'reported', now(), ST_SetSRID(ST_MakePoint(105.86, 21.32), 4326), 'test:dups', gen_random_uuid()::text) RETURNING id
            """);
        foreach (var (id, target) in new[] { (first, first), (second, first), (first, 999_999_999L), (other, first) })
        {
            using var refused = await client.PatchAsJsonAsync($"/api/hotspots/{id}", new { duplicateOf = target });
            Assert.False(refused.IsSuccessStatusCode, $"#{id} → #{target}");
        }
        // A record marked as repeating a duplicate repeats the first report.
        var third = await Add(20 * North);
        using (var chained = await client.PatchAsJsonAsync($"/api/hotspots/{third}", new { duplicateOf = second }))
        {
            Assert.True(chained.IsSuccessStatusCode);
        }
        Assert.Equal(first, await app.ScalarAsync<long>("SELECT duplicate_of FROM hotspots WHERE id = @id", ("id", third)));
        // Reopened: no longer a duplicate, counted again.
        using (var reopened = await client.PatchAsJsonAsync($"/api/hotspots/{second}", new { status = "reported", note = "hai bãi rác khác nhau" }))
        {
            Assert.True(reopened.IsSuccessStatusCode, await reopened.Content.ReadAsStringAsync());
        }
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(duplicate_of) FROM hotspots WHERE id = @id", ("id", second)));
        await WardTotalFollows();
    }

    [Fact]
    public async Task A_question_without_a_place_a_known_layer_or_a_kind_of_that_layer_is_refused()
    {
        var client = app.CreateClient();
        foreach (var query in new[] { "layer=flooding", "lon=105.8&lat=21&layer=roads", "lon=105.8&lat=21&layer=flooding&kind=sidewalk_encroachment", "lon=abc&lat=21&layer=flooding" })
        {
            using var response = await client.GetAsync($"/api/hotspots/nearby?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        using var closed = await anonymous.GetAsync("/api/hotspots/nearby?lon=105.8&lat=21&layer=flooding");
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
    }

    [Fact]
    public async Task A_record_to_link_is_found_by_its_number_or_by_words_without_diacritics_within_five_km_same_layer_first()
    {
        // Around a point in Sóc Sơn at 21.29: a congestion record 200 m north, a flooding one 400 m east, one 6 km away, one closed.
        const double lat = 21.2900;
        var congestion = await AddAtAsync("congestion", "Ùn tắc cổng chợ Nỉ", 0, 200 * North, lat);
        var flooding = await AddAtAsync("flooding", "Ngập cổng chợ Nỉ", 400 * East, 0, lat);
        var far = await AddAtAsync("flooding", "Ngập cổng chợ Nỉ xa", 6_000 * East, 0, lat);
        await AddAtAsync("flooding", "Ngập cổng chợ Nỉ đã xong", 0, -100 * North, lat, "resolved");
        var nearby = app.Services.GetRequiredService<Hotspots.Records.NearbyRecords>();

        var found = await nearby.SearchAsync("cong cho ni", "flooding", Lon, lat);
        Assert.Equal([flooding, congestion], found.Select(f => f.Id));
        Assert.InRange(found[0].Metres, 398, 402);
        Assert.Equal([far], (await nearby.SearchAsync($"#{far}", "flooding", Lon, lat)).Select(f => f.Id)); // a number is found anywhere
        Assert.Empty(await nearby.SearchAsync("n", "flooding", Lon, lat)); // one letter asks nothing
    }

    private async Task<long> AddAtAsync(string category, string title, double dLon, double dLat, double lat, string status = "verified") =>
        await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, resolved_at, geom, source, external_id)
            VALUES (@category, @title, 3, @status, now(), CASE WHEN @status = 'resolved' THEN now() END,
                    ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 'test:search', gen_random_uuid()::text)
            RETURNING id
            """, ("category", category), ("title", title), ("status", status), ("lon", Lon + dLon), ("lat", lat + dLat));
}
