using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Hotspots.Snapshots;
using Hotspots.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Snapshots;

/// <summary>
/// Issue 22: a change reaches the public map, its statistics and the data version by itself, within seconds —
/// no test calls the refresher here. The service's own follower hears the database.
/// </summary>
[Collection(PublicCollection.Name)]
[Trait("Category", "Database")]
public sealed class LiveInSecondsTests(PublicApp app)
{
    private readonly HttpClient _public = app.CreateClient();

    /// <summary>Polls until <paramref name="seen"/> holds; the time it took, or a failure after 10 s.</summary>
    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> seen)
    {
        var clock = Stopwatch.StartNew();
        while (!await seen())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the change did not reach the public map within 10 s");
            await Task.Delay(50);
        }
        return clock.Elapsed;
    }

    private async Task<string?> PublicStatusAsync(long id)
    {
        var fc = JsonDocument.Parse(await _public.GetStringAsync($"/api/public/features/congestion?status=all&ids={id}")).RootElement;
        var features = fc.GetProperty("features");
        return features.GetArrayLength() == 0 ? null : features[0].GetProperty("properties").GetProperty("status").GetString();
    }

    private async Task<long> ReportedCongestionAsync()
    {
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT min(id) FROM hotspots WHERE category = 'congestion' AND status = 'reported' AND ward_code IS NOT NULL");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_planners_edit_shows_on_the_public_map_and_in_the_ward_statistics_by_itself()
    {
        var id = await ReportedCongestionAsync();
        Assert.Equal("reported", await PublicStatusAsync(id));
        var version = app.Services.GetRequiredService<DataVersion>().Current;
        using var planner = app.CreateClient();
        TestUsers.Authorize(planner, app.PlannerToken);
        using (var r = await planner.PatchAsync($"/api/hotspots/{id}", JsonContent.Create(new { status = "verified" })))
        {
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        }
        var took = await UntilAsync(async () => await PublicStatusAsync(id) == "verified");
        Assert.True(took < TimeSpan.FromSeconds(2), $"took {took.TotalMilliseconds:F0} ms");
        Assert.True(app.Services.GetRequiredService<DataVersion>().Current > version);
        await using var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            SELECT s.verified = (SELECT count(*) FROM hotspots h WHERE h.ward_code = s.ward_code AND h.category = 'congestion' AND h.status = 'verified')
            FROM ward_stats s JOIN hotspots h ON h.ward_code = s.ward_code AND s.category = 'congestion' WHERE h.id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_write_made_elsewhere_reaches_this_node_through_the_databases_notification()
    {
        // As another node, or psql, would: straight into the table. The trigger logs it and wakes every listener.
        var id = await ReportedCongestionAsync();
        await using (var cmd = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "UPDATE hotspots SET status = 'verified', verified_at = now() WHERE id = @id"))
        {
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteNonQueryAsync();
        }
        var took = await UntilAsync(async () => await PublicStatusAsync(id) == "verified");
        Assert.True(took < TimeSpan.FromSeconds(2), $"took {took.TotalMilliseconds:F0} ms");
    }
}
