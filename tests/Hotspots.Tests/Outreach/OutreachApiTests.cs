using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hotspots.Tests.Outreach;

/// <summary>GET /api/outreach and the weights, on the seeded sample: numbers checked against the other APIs' data.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class OutreachApiTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    private static double Factor(JsonElement ward, string id) => ward.GetProperty("factors").EnumerateArray()
        .Single(f => f.GetProperty("id").GetString() == id) is var f && f.GetProperty("value").ValueKind == JsonValueKind.Null ? double.NaN : f.GetProperty("value").GetDouble();

    private async Task<HttpClient> ClientAsAsync(string role)
    {
        var client = app.CreateClient();
        TestUsers.Authorize(client, await TestUsers.CreateWithTokenAsync(app.Services, $"outreach-{role}-{Guid.NewGuid():N}@hotspots.test", role,
            role == Roles.WardLead ? ["00004"] : []));
        return client;
    }

    [Fact]
    public async Task Every_ward_is_ranked_and_its_breakdown_sums_to_its_score()
    {
        var json = await _client.JsonAsync("/api/outreach?weights=open_weighted:25,overdue:15,open_per_km2:10,reports:10,unanswered_share:10,food_fail_rate:10,recurrence:5,clearance_todo:4,households:3,active_works:3");
        var wards = json.GetProperty("wards").EnumerateArray().ToList();
        Assert.Equal(126, wards.Count);
        Assert.Equal(Enumerable.Range(1, 126), wards.Select(w => w.GetProperty("rank").GetInt32()));
        Assert.True(wards.Zip(wards.Skip(1)).All(p => p.First.GetProperty("score").GetDouble() >= p.Second.GetProperty("score").GetDouble()));
        foreach (var w in wards)
        {
            var factors = w.GetProperty("factors").EnumerateArray().ToList();
            Assert.Equal(Hotspots.Outreach.OutreachFactor.All.Count, factors.Count);
            Assert.Equal(w.GetProperty("score").GetDouble(), factors.Sum(f => f.GetProperty("contribution").GetDouble()), 6);
            // Shares of the weights actually used sum to 1 (per-10,000 has no population anywhere, so it is left out).
            Assert.Equal(1.0, factors.Sum(f => f.GetProperty("share").GetDouble()), 3);
            Assert.Equal(JsonValueKind.Null, factors.Single(f => f.GetProperty("id").GetString() == "open_per_10k").GetProperty("value").ValueKind);
            // The previous quarter's end is precomputed too, so every ward has a rank change.
            Assert.Equal(w.GetProperty("previousRank").GetInt32() - w.GetProperty("rank").GetInt32(), w.GetProperty("rankChange").GetInt32());
        }
        Assert.True(wards[0].GetProperty("score").GetDouble() > wards[^1].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Factors_equal_the_ward_statistics()
    {
        var ranking = await _client.JsonAsync("/api/outreach");
        var stats = (await _client.JsonAsync("/api/stats/wards")).GetProperty("wards").EnumerateArray()
            .ToDictionary(w => w.GetProperty("code").GetString()!);
        foreach (var w in ranking.GetProperty("wards").EnumerateArray())
        {
            var s = stats[w.GetProperty("code").GetString()!];
            Assert.Equal(s.GetProperty("totals").GetProperty("overdue").GetInt32(), Factor(w, "overdue"));
            Assert.Equal(s.GetProperty("openPerKm2").GetDouble(), Factor(w, "open_per_km2"), 0.006); // the stats API rounds
        }
    }

    [Fact]
    public async Task Ten_wards_for_flooding_and_food_safety_with_the_open_problems_behind_them()
    {
        var json = await _client.JsonAsync("/api/outreach?layers=flooding,food-safety&top=10&weights=open_weighted:1");
        Assert.Equal(["flooding", "food-safety"], json.GetProperty("layers").EnumerateArray().Select(l => l.GetString()));
        var asOf = json.GetProperty("asOf").GetDateTimeOffset();
        var wards = json.GetProperty("wards").EnumerateArray().ToList();
        Assert.Equal(10, wards.Count);
        Assert.Equal(126, json.GetProperty("wardCount").GetInt32());
        foreach (var w in wards.Take(3))
        {
            // Redone from the features API: severity × (1 + age in whole Hanoi days, at most 365, / 365) over the open records.
            var code = w.GetProperty("code").GetString();
            var expected = 0.0;
            foreach (var layer in new[] { "flooding", "food-safety" })
            {
                var fc = await _client.JsonAsync($"/api/features/{layer}?ward={code}&status=open&limit=20000");
                foreach (var p in fc.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")))
                {
                    var reported = DateTimeOffset.Parse(p.GetProperty("reportedAt").GetString()!, CultureInfo.InvariantCulture);
                    var age = Math.Clamp(Hotspots.Calendar.HanoiTime.Local(asOf).Date.Subtract(Hotspots.Calendar.HanoiTime.Local(reported).Date).TotalDays, 0, 365);
                    expected += p.GetProperty("severity").GetInt32() * (1 + age / 365);
                }
            }
            Assert.Equal(expected, Factor(w, "open_weighted"), 1);
        }
        // Only the chosen layers: food-safety failures count, congestion does not.
        var floodOnly = await _client.JsonAsync("/api/outreach?layers=flooding&top=5");
        Assert.All(floodOnly.GetProperty("wards").EnumerateArray(), w => Assert.True(double.IsNaN(Factor(w, "food_fail_rate"))));
    }

    [Fact]
    public async Task One_weight_orders_the_wards_by_that_factor()
    {
        var wards = (await _client.JsonAsync("/api/outreach?weights=overdue:1")).GetProperty("wards").EnumerateArray().ToList();
        var expected = wards.OrderByDescending(w => Factor(w, "overdue")).ThenBy(w => w.GetProperty("code").GetString(), StringComparer.Ordinal)
            .Select(w => w.GetProperty("code").GetString());
        Assert.Equal(expected, wards.Select(w => w.GetProperty("code").GetString()));
        Assert.Equal(100.0, wards[0].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Why_this_ward_lists_the_hotspots_and_projects_that_drive_it()
    {
        var top = (await _client.JsonAsync("/api/outreach?top=1")).GetProperty("wards")[0].GetProperty("code").GetString();
        var json = await _client.JsonAsync($"/api/outreach/{top}");
        Assert.Equal(top, json.GetProperty("ward").GetProperty("code").GetString());
        Assert.Equal(1, json.GetProperty("ward").GetProperty("rank").GetInt32());
        var hotspots = json.GetProperty("hotspots").EnumerateArray().ToList();
        Assert.NotEmpty(hotspots);
        Assert.True(hotspots.Zip(hotspots.Skip(1)).All(p => p.First.GetProperty("weight").GetDouble() >= p.Second.GetProperty("weight").GetDouble()));
        foreach (var h in hotspots)
        {
            var record = await _client.JsonAsync($"/api/hotspots/{h.GetProperty("id").GetInt64()}");
            Assert.Equal(top, record.GetProperty("wardCode").GetString());
            Assert.Contains(record.GetProperty("status").GetString(), new[] { "reported", "verified", "in_progress" });
        }
        // Ba Đình is crossed by key projects (ring road 1, metro): they are listed with their pressure.
        var baDinh = await _client.JsonAsync("/api/outreach/00004");
        Assert.NotEmpty(baDinh.GetProperty("projects").EnumerateArray());
    }

    [Fact]
    public async Task Weights_are_saved_per_person_and_the_city_default_only_by_admins()
    {
        using var mine = await ClientAsAsync(Roles.WardLead);
        using var other = await ClientAsAsync(Roles.Viewer);
        using var admin = await ClientAsAsync(Roles.Admin);
        var saved = await mine.PutAsJsonAsync("/api/outreach/weights", new { weights = new { reports = 3, overdue = 1 } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var used = (await mine.JsonAsync("/api/outreach?top=1")).GetProperty("weights");
        Assert.Equal((3.0, 1.0, 0.0), (used.GetProperty("reports").GetDouble(), used.GetProperty("overdue").GetDouble(), used.GetProperty("open_weighted").GetDouble()));
        // Someone else still ranks with the defaults.
        Assert.Equal(25.0, (await other.JsonAsync("/api/outreach?top=1")).GetProperty("weights").GetProperty("open_weighted").GetDouble());

        Assert.Equal(HttpStatusCode.Forbidden, (await _client.PutAsJsonAsync("/api/outreach/weights/city", new { weights = new { recurrence = 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/outreach/weights/city", new { weights = new { nothing = 1 } })).StatusCode);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/outreach/weights/city", new { weights = new { recurrence = 2, overdue = 1 } })).StatusCode);
            var city = await other.JsonAsync("/api/outreach/weights");
            Assert.Equal(2.0, city.GetProperty("effective").GetProperty("recurrence").GetDouble());
            Assert.Equal(3.0, (await mine.JsonAsync("/api/outreach/weights")).GetProperty("effective").GetProperty("reports").GetDouble());
            Assert.Equal(HttpStatusCode.NoContent, (await mine.DeleteAsync("/api/outreach/weights")).StatusCode);
            Assert.Equal(2.0, (await mine.JsonAsync("/api/outreach/weights")).GetProperty("effective").GetProperty("recurrence").GetDouble());
        }
        finally
        {
            await using var cmd = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("DELETE FROM outreach_weights WHERE scope = 'city'");
            await cmd.ExecuteNonQueryAsync();
        }
    }

    [Theory]
    [InlineData("/api/outreach?layers=projects", "layers")]
    [InlineData("/api/outreach?weights=overdue", "weights")]
    [InlineData("/api/outreach?weights=overdue:-2", "weights")]
    [InlineData("/api/outreach?top=0", "top")]
    [InlineData("/api/outreach/99999", "code")]
    public async Task Bad_parameters_get_400(string url, string parameter) =>
        await _client.AssertBadParameterAsync(url, parameter);
}
