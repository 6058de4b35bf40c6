using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Hotspots.Accounts;
using Hotspots.Records;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Deadlines;

/// <summary>Default deadlines by layer and kind, given to new records and imported rows, changed by admins; levels at fixed days.</summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class DeadlineDefaultsTests(ImportsApp app)
{
    // Reported at 20:00 UTC on 10 March: 03:00 on 11 March in Hanoi, so the days count from the 11th.
    private async Task<string?> DeadlineOfNewAsync(string category, string? subtype, string source = "test:deadlines", bool sample = false, string? deadline = null)
    {
        var written = await app.ScalarAsync<string>("""
            INSERT INTO hotspots (category, subtype, title, severity, status, reported_at, deadline, geom, source, external_id, is_sample)
            SELECT @category, @subtype, 'Hạn mặc định', 3, 'reported', '2026-03-10T20:00:00Z', @deadline::date, ST_PointOnSurface(geom), @source,
                   gen_random_uuid()::text, @sample
            FROM current_wards WHERE code = '00004'
            RETURNING coalesce(deadline::text, 'none')
            """, ("category", category), ("subtype", (object?)subtype ?? DBNull.Value), ("source", source), ("sample", sample),
            ("deadline", (object?)deadline ?? DBNull.Value));
        return written == "none" ? null : written;
    }

    [Fact]
    public async Task A_record_without_a_deadline_gets_its_kinds_days_else_its_layers_counted_from_the_hanoi_day_it_was_reported()
    {
        Assert.Equal("2026-03-14", await DeadlineOfNewAsync("urban_order", "illegal_parking")); // 3 days
        Assert.Equal("2026-03-26", await DeadlineOfNewAsync("urban_order", "awning"));          // no own row: the layer's 15
        Assert.Equal("2026-03-26", await DeadlineOfNewAsync("urban_order", null));
        Assert.Equal("2026-04-10", await DeadlineOfNewAsync("flooding", null));                  // 30
        Assert.Equal("2026-05-01", await DeadlineOfNewAsync("flooding", null, deadline: "2026-05-01")); // its own stands
        Assert.Null(await DeadlineOfNewAsync("flooding", null, sample: true));                                   // the generator's own
        Assert.Null(await DeadlineOfNewAsync("flooding", null, source: "official:test-list"));                   // a plan's list is no report
    }

    [Fact]
    public async Task A_record_made_in_the_dashboard_gets_the_default_from_its_report_day()
    {
        using var planner = app.CreateClient();
        var response = await planner.PostAsJsonAsync("/api/hotspots", new { layer = "environment", subtype = "burning_spot", title = "Đốt rơm rạ", lon = 105.85, lat = 21.03 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();

        Assert.Equal(3, await app.ScalarAsync<int>("""
            SELECT deadline - (reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM hotspots WHERE id = @id
            """, ("id", id)));
    }

    [Fact]
    public async Task An_admin_changes_a_kinds_days_audited_a_planner_may_not_and_an_emptied_kind_follows_its_layer_again()
    {
        using var planner = app.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await planner.PutAsJsonAsync("/api/admin/deadlines", new { layer = "food-safety", kind = "market", days = 2 })).StatusCode);
        using var admin = app.CreateClient();
        TestUsers.Authorize(admin, await TestUsers.CreateWithTokenAsync(app.Services, $"admin-{Guid.NewGuid():N}@hotspots.test", Roles.Admin));

        var put = await admin.PutAsJsonAsync("/api/admin/deadlines", new { layer = "food-safety", kind = "market", days = 2 });
        Assert.True(put.StatusCode == HttpStatusCode.NoContent, await put.Content.ReadAsStringAsync());
        Assert.Equal("2026-03-13", await DeadlineOfNewAsync("food_safety", "market"));
        Assert.Equal(1, await app.ScalarAsync<long>("""
            SELECT count(*) FROM audit_log WHERE entity = 'deadline_defaults' AND entity_id = 'food_safety/market' AND old_value IS NULL AND new_value = '2'
            """));
        var listed = await admin.JsonAsync("/api/deadlines");
        Assert.Contains(listed.GetProperty("defaults").EnumerateArray(), d => d.GetProperty("layer").GetString() == "food-safety"
            && d.GetProperty("kind").GetString() == "market" && d.GetProperty("days").GetInt32() == 2);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/admin/deadlines", new { layer = "food-safety", kind = "market", days = (int?)null })).StatusCode);
        Assert.Equal("2026-03-26", await DeadlineOfNewAsync("food_safety", "market")); // the layer's 15 again
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/admin/deadlines", new { layer = "food-safety", days = (int?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/admin/deadlines", new { layer = "food-safety", kind = "market", days = 0 })).StatusCode);
    }

    [Fact]
    public async Task An_imports_first_load_gives_rows_without_a_deadline_the_default_and_keeps_the_files_own()
    {
        var source = $"test:deadline-import-{Guid.NewGuid():N}";
        var csv = "id,title,lat,lon,kind,reported_at,deadline\n" +
                  "D-1,Đỗ xe trái phép,21.0245,105.8412,illegal_parking,2026-03-11,\n" +
                  "D-2,Lấn chiếm vỉa hè,21.0246,105.8413,sidewalk_encroachment,2026-03-11,2026-06-30\n";
        var run = await app.UploadAsync(Encoding.UTF8.GetBytes(csv), "han.csv", "urban-order", new Dictionary<string, string> { ["source"] = source });
        var done = await app.WaitAsync(run.GetProperty("id").GetString()!);
        Assert.Equal(2, done.GetProperty("counts").GetProperty("inserted").GetInt32());

        Assert.Equal("2026-03-14", await app.ScalarAsync<string>("SELECT deadline::text FROM hotspots WHERE source = @s AND external_id = 'D-1'", ("s", source)));
        Assert.Equal("2026-06-30", await app.ScalarAsync<string>("SELECT deadline::text FROM hotspots WHERE source = @s AND external_id = 'D-2'", ("s", source)));
    }

    // Given 7 days (reported 1 January, due 8 January): due soon from the 6th, overdue from the 9th, three times overdue
    // on the 22nd (21 days gone by); closed or without a deadline, none.
    [Theory]
    [InlineData("2026-01-04", null)]
    [InlineData("2026-01-06", Escalation.DueSoon)]
    [InlineData("2026-01-08", Escalation.DueSoon)]
    [InlineData("2026-01-09", Escalation.Overdue)]
    [InlineData("2026-01-21", Escalation.Overdue)]
    [InlineData("2026-01-22", Escalation.ThreeTimes)]
    public async Task The_level_on_a_fixed_day_is_the_same_in_the_map_filter_and_in_csharp(string day, string? expected)
    {
        var id = await app.ScalarAsync<long>("""
            INSERT INTO hotspots (category, title, severity, status, reported_at, deadline, geom, source, external_id)
            VALUES ('urban_order', 'Mức hạn', 3, 'reported', '2026-01-01T02:00:00Z', '2026-01-08', ST_SetSRID(ST_MakePoint(105.79, 21.30), 4326),
                    'test:levels', gen_random_uuid()::text)
            RETURNING id
            """);
        var on = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(expected, Escalation.Of("reported", new DateOnly(2026, 1, 8), new DateOnly(2026, 1, 1), on));

        using var client = app.CreateClient();
        foreach (var level in Escalation.Levels)
        {
            var found = await client.JsonAsync($"/api/features/urban-order?at={day}&level={level}&bbox=105.78,21.29,105.80,21.31&limit=20000");
            var has = found.GetProperty("features").EnumerateArray().Any(f => f.GetProperty("id").GetInt64() == id);
            var shouldHave = level == expected || level == Escalation.Overdue && expected == Escalation.ThreeTimes;
            Assert.True(has == shouldHave, $"{day}: level={level} {(has ? "holds" : "misses")} the record");
        }
        await app.ScalarAsync<long>("WITH d AS (DELETE FROM hotspots WHERE id = @id RETURNING 1) SELECT count(*) FROM d", ("id", id));
    }
}
