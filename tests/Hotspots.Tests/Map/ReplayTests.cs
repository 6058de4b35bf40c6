using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Map;

/// <summary>The time slider's `at` filter: the city as it stood at the end of a day, checked against the status history.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Database")]
public sealed class ReplayTests(HotspotsApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    // What the status history says was open (or resolved) at the end of a Hanoi day.
    private async Task<long> HistoryCountAsync(string category, DateOnly day, string[] statuses)
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            SELECT count(*) FROM hotspots h
            WHERE h.category = @category AND h.is_sample
              AND (SELECT s.to_status FROM hotspot_status_history s
                   WHERE s.hotspot_id = h.id AND s.changed_at < (@day + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
                   ORDER BY s.changed_at DESC, s.id DESC LIMIT 1) = ANY(@statuses)
            """);
        cmd.Parameters.AddWithValue("category", category);
        cmd.Parameters.AddWithValue("day", day);
        cmd.Parameters.AddWithValue("statuses", statuses);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static DateOnly DaysAgo(int days) => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(-days);

    [Theory]
    [InlineData("urban-order", "urban_order", 400)]
    [InlineData("food-safety", "food_safety", 200)]
    [InlineData("flooding", "flooding", 30)]
    public async Task Open_at_a_day_matches_the_status_history(string layer, string category, int daysAgo)
    {
        var day = DaysAgo(daysAgo);
        var open = await _client.JsonAsync($"/api/features/{layer}?sample=true&status=open&at={day:yyyy-MM-dd}&limit=20000");
        Assert.Equal(await HistoryCountAsync(category, day, ["reported", "verified", "in_progress"]), open.GetProperty("numberReturned").GetInt64());
        var resolved = await _client.JsonAsync($"/api/features/{layer}?sample=true&status=resolved&at={day:yyyy-MM-dd}&limit=20000");
        Assert.Equal(await HistoryCountAsync(category, day, ["resolved"]), resolved.GetProperty("numberReturned").GetInt64());
        Assert.True(open.GetProperty("numberReturned").GetInt64() > 0);
    }

    [Fact]
    public async Task Going_back_in_time_drops_what_was_reported_later_and_reopens_what_was_resolved_later()
    {
        var day = DaysAgo(365);
        var then = await _client.JsonAsync($"/api/features/congestion?sample=true&at={day:yyyy-MM-dd}&limit=20000");
        var cutoff = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7));
        var features = then.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        Assert.NotEmpty(features);
        Assert.All(features, p => Assert.True(p.GetProperty("reportedAt").GetDateTimeOffset() < cutoff));
        // Resolved since then: shown with the status it had on that day, not today's.
        var laterResolved = features.Where(p => p.GetProperty("resolvedAt").ValueKind == System.Text.Json.JsonValueKind.String
                                                && p.GetProperty("resolvedAt").GetDateTimeOffset() >= cutoff).ToList();
        Assert.NotEmpty(laterResolved);
        Assert.All(laterResolved, p => Assert.Contains(p.GetProperty("status").GetString(), new[] { "reported", "verified" }));
        var now = await _client.JsonAsync("/api/features/congestion?sample=true&limit=20000");
        Assert.True(now.GetProperty("numberReturned").GetInt32() > features.Count);
    }

    [Fact]
    public async Task Tiles_replay_the_same_day_as_the_features()
    {
        var day = DaysAgo(180).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tile = MvtReader.Read(await _client.GetByteArrayAsync($"/tiles/environment/0/0/0.mvt?status=open&at={day}")).Single();
        var features = await _client.JsonAsync($"/api/features/environment?status=open&at={day}&limit=20000");
        Assert.Equal(features.GetProperty("numberReturned").GetInt32(), tile.Sum("count"));
        Assert.Equal(features.GetProperty("features").EnumerateArray().Count(f => f.GetProperty("properties").GetProperty("overdue").GetBoolean()),
            tile.Sum("overdue"));
    }

    [Fact]
    public Task A_bad_day_is_a_clear_400() => _client.AssertBadParameterAsync("/api/features/flooding?at=31-12-2025", "at");
}
