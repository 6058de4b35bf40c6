using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Accounts;

/// <summary>Reporters and inspected people: planners everywhere, the ward lead in their ward, nobody else.</summary>
[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class PersonalDataScopeTests(PeopleApp app)
{
    [Theory]
    [InlineData("admin", PeopleApp.DongDa, true)]
    [InlineData("planner", PeopleApp.BaDinh, true)]
    [InlineData("ward_lead", PeopleApp.DongDa, true)]
    [InlineData("ward_lead", PeopleApp.BaDinh, false)]
    [InlineData("viewer", PeopleApp.DongDa, false)]
    public async Task The_inspected_person_shows_only_to_those_whose_ward_it_is(string role, string ward, bool sees)
    {
        using var client = app.ClientAs(role);
        var text = await client.GetStringAsync($"/api/hotspots/{app.FoodRecord[ward]}");
        Assert.Equal(sees, text.Contains(PeopleApp.InspectedName, StringComparison.Ordinal));
        Assert.Equal(sees, text.Contains(PeopleApp.InspectedPhone, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("planner", PeopleApp.BaDinh, true)]
    [InlineData("ward_lead", PeopleApp.DongDa, true)]
    [InlineData("ward_lead", PeopleApp.BaDinh, false)]
    public async Task Reporters_show_only_to_planners_and_the_wards_lead_and_phones_in_the_text_are_masked_for_others(string role, string ward, bool sees)
    {
        var id = await app.NewReportAsync(ward);
        using var client = app.ClientAs(role);
        var json = JsonDocument.Parse(await client.GetStringAsync($"/api/field-reports?ward={ward}&status=new"));
        if (role == "ward_lead" && !sees)
        {
            // Another ward's reports are not listed for a ward lead at all (issue 15, item 8: every lead read every ward's texts).
            Assert.DoesNotContain(json.RootElement.GetProperty("reports").EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
            return;
        }
        var report = json.RootElement.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal(sees, report.GetProperty("reporter").ValueKind == JsonValueKind.Object);
        Assert.Equal(sees, report.GetRawText().Contains(PeopleApp.ReporterPhone, StringComparison.Ordinal));
        Assert.Equal(sees, report.GetRawText().Contains(PeopleApp.ReporterName, StringComparison.Ordinal));
        Assert.Equal(sees, report.GetProperty("mayTriage").GetBoolean());
    }

    [Fact]
    public async Task Nothing_a_viewer_can_reach_holds_a_reporter_or_an_inspected_person()
    {
        await app.NewReportAsync(PeopleApp.DongDa);
        using var viewer = app.ClientAs("viewer");
        var urls = new List<string> { "/api/wards", "/api/layers", "/api/stats/wards", "/api/wards/00235/stats", "/api/auth/me" };
        foreach (var layer in new[] { "flooding", "congestion", "urban-order", "environment", "food-safety", "projects" })
        {
            urls.Add($"/api/features/{layer}?limit=20000&status=all&details=true");
        }
        // Exports, the outreach index, the quarterly reports and the posters are open to a viewer: none holds a person.
        urls.AddRange(["/api/export/hotspots.csv", "/api/export/food-safety.xlsx", "/api/export/food-safety.geojson", "/api/outreach",
            $"/api/outreach/{PeopleApp.DongDa}", $"/api/reports/quarterly/{PeopleApp.DongDa}.json", $"/reports/quarterly/{PeopleApp.DongDa}",
            "/api/reports/quarterly/all.json", $"/print/ward/{PeopleApp.DongDa}"]);
        foreach (var id in app.FoodRecord.Values)
        {
            urls.Add($"/api/hotspots/{id}");
            urls.Add($"/api/hotspots/{id}/history");
        }
        foreach (var url in urls)
        {
            using var response = await viewer.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            var text = await response.Content.ReadAsStringAsync();
            foreach (var secret in new[] { PeopleApp.InspectedName, PeopleApp.InspectedPhone, PeopleApp.ReporterName, PeopleApp.ReporterPhone })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
        foreach (var closed in new[] { "/api/field-reports", "/api/export/food-safety.csv?fields=id,inspected_name", "/api/imports" })
        {
            using var response = await viewer.GetAsync(closed);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_ward_leads_import_writes_rows_in_their_ward_and_refuses_rows_elsewhere_row_by_row()
    {
        var (lon1, lat1) = app.Inside[PeopleApp.DongDa];
        var (lon2, lat2) = app.Inside[PeopleApp.BaDinh];
        var csv = $"id,title,lat,lon,severity\nS-1,Ở Đống Đa,{PeopleApp.Num(lat1)},{PeopleApp.Num(lon1)},3\nS-2,Ở Ba Đình,{PeopleApp.Num(lat2)},{PeopleApp.Num(lon2)},3\n";
        using var lead = app.ClientAs("ward_lead");
        using var form = ImportForm.Csv(csv, "scope.csv", "congestion", "test:scope");
        using var posted = await lead.PostAsync("/api/imports", form);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        JsonElement run = default;
        for (var i = 0; i < 600; i++)
        {
            run = JsonDocument.Parse(await lead.GetStringAsync($"/api/imports/{id}")).RootElement;
            if (run.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("counts").GetProperty("inserted").GetInt32());
        Assert.Equal(1, run.GetProperty("counts").GetProperty("rejected").GetInt32());
        var rejects = JsonDocument.Parse(await lead.GetStringAsync($"/api/imports/{id}/rejects")).RootElement.GetProperty("rejects").EnumerateArray().ToList();
        var reject = Assert.Single(rejects);
        Assert.Equal(3, reject.GetProperty("row").GetInt32());
        Assert.Equal("ward", reject.GetProperty("column").GetString());
        Assert.Contains("Ba Đình", reject.GetProperty("value").GetString(), StringComparison.Ordinal);
        await using var cmd = app.DataSource.CreateCommand("SELECT array_agg(ward_code) FROM hotspots WHERE source = 'test:scope'");
        Assert.Equal([PeopleApp.DongDa], (string[])(await cmd.ExecuteScalarAsync())!);

        // A planner sees every run.
        using var planner = app.ClientAs("planner");
        Assert.Equal(HttpStatusCode.OK, (await planner.GetAsync($"/api/imports/{id}/rejects")).StatusCode);
    }

    [Fact]
    public async Task Internal_map_answers_stay_in_the_signed_in_browser_and_public_ones_may_be_shared()
    {
        using var viewer = app.ClientAs("viewer");
        foreach (var url in new[] { "/api/features/urban-order?limit=10", "/tiles/urban-order/12/3255/1803.mvt" })
        {
            using var response = await viewer.GetAsync(url);
            Assert.True(response.Headers.CacheControl is { Private: true, NoCache: true }, $"{url}: {response.Headers.CacheControl}");
        }
        using var anonymous = app.ClientAs(null);
        using var open = await anonymous.GetAsync("/api/public/features/urban-order?limit=10");
        Assert.True(open.Headers.CacheControl is { Public: true }, open.Headers.CacheControl?.ToString());
    }
}
