using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotspots.Accounts;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Records;

/// <summary>Where a record came from and when it was last verified, for each kind of source; who, only for staff who edit.</summary>
[Collection(ImportsCollection.Name)]
[Trait("Category", "Database")]
public sealed class ProvenanceTests(ImportsApp app)
{
    private static async Task<JsonElement> OfAsync(HttpClient client, long id) => await client.JsonAsync($"/api/hotspots/{id}/provenance");

    [Fact]
    public async Task Each_record_says_where_it_came_from_and_when_it_was_last_verified()
    {
        using var planner = app.CreateClient();
        using var viewer = app.CreateClient();
        TestUsers.Authorize(viewer, await TestUsers.CreateWithTokenAsync(app.Services, $"viewer-{Guid.NewGuid():N}@hotspots.test", Roles.Viewer));

        var official = await app.ScalarAsync<long>("SELECT min(id) FROM hotspots WHERE source = 'official:hanoi-flood-points'");
        var o = await OfAsync(planner, official);
        Assert.Equal("official", o.GetProperty("kind").GetString());
        Assert.Contains("138/KH-UBND", o.GetProperty("reference").GetString());
        Assert.StartsWith("2024-05-0", o.GetProperty("verifiedAt").GetString()); // verified when the plan listed it
        Assert.Equal(JsonValueKind.Null, o.GetProperty("verifiedBy").ValueKind); // by the plan, not a person (nor a code)

        var sample = await app.ScalarAsync<long>("SELECT min(id) FROM hotspots WHERE is_sample");
        Assert.Equal("sample", (await OfAsync(viewer, sample)).GetProperty("kind").GetString());

        var made = await planner.PostAsJsonAsync("/api/hotspots", new { layer = "urban-order", title = "Lấn chiếm vỉa hè — nguồn", lon = 105.85, lat = 21.03 });
        var id = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var byPlanner = await OfAsync(planner, id);
        Assert.Equal(("person", "planner@hotspots.test"), (byPlanner.GetProperty("kind").GetString(), byPlanner.GetProperty("madeBy").GetString()));
        Assert.Equal(JsonValueKind.Null, (await OfAsync(viewer, id)).GetProperty("madeBy").ValueKind); // no person for a viewer
        Assert.Equal(JsonValueKind.Null, byPlanner.GetProperty("verifiedAt").ValueKind);
        Assert.True((await planner.PatchAsJsonAsync($"/api/hotspots/{id}", new { status = "verified" })).IsSuccessStatusCode);
        var verified = await OfAsync(planner, id);
        Assert.Equal("planner@hotspots.test", verified.GetProperty("verifiedBy").GetString());
        Assert.Equal(JsonValueKind.Null, (await OfAsync(viewer, id)).GetProperty("verifiedBy").ValueKind);

        var source = $"test:provenance-{Guid.NewGuid():N}";
        var run = await app.UploadAsync(Encoding.UTF8.GetBytes("id,title,lat,lon\nP-1,Điểm nhập có nguồn,21.0245,105.8412\n"), "danh-sach-phuong.csv", "urban-order",
            new Dictionary<string, string> { ["source"] = source });
        await app.WaitAsync(run.GetProperty("id").GetString()!);
        var imported = await app.ScalarAsync<long>("SELECT id FROM hotspots WHERE source = @s", ("s", source));
        var i = await OfAsync(viewer, imported);
        Assert.Equal(("import", "danh-sach-phuong.csv", source), (i.GetProperty("kind").GetString(), i.GetProperty("file").GetString(), i.GetProperty("source").GetString()));
    }
}
