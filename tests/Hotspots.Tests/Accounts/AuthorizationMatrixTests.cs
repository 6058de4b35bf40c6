using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Hotspots.Tests.Infrastructure;

namespace Hotspots.Tests.Accounts;

/// <summary>
/// Who may do what, where: each role (and nobody signed in) against every kind of endpoint, in the ward lead's own
/// ward (Đống Đa) and in another (Ba Đình). The table is the specification; each row runs against the real service.
/// </summary>
[Collection(PeopleCollection.Name)]
[Trait("Category", "Database")]
public sealed class AuthorizationMatrixTests(PeopleApp app)
{
    // action             admin planner lead-own lead-other viewer anonymous
    private static readonly string[] Table =
    [
        "read-record        200   200     200      200        200    401",
        "edit               200   200     200      403        403    401",
        "bulk-edit          200   200     200      403        403    401",
        "create             201   201     201      403        403    401",
        "read-reports       200   200     200      200        403    401",
        "triage-report      200   200     200      403        403    401",
        "import             202   202     202      202        403    401",
        "export             200   200     200      403        200    401",
        "edit-project       200   200     403      403        403    401",
        "manage-users       200   403     403      403        403    401",
        "sign-in-log        200   403     403      403        403    401",
    ];

    public static TheoryData<string, string, bool, int> Cases()
    {
        var data = new TheoryData<string, string, bool, int>();
        foreach (var line in Table)
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var codes = cells[1..].Select(int.Parse).ToArray();
            data.Add("admin", cells[0], true, codes[0]);
            data.Add("planner", cells[0], false, codes[1]);
            data.Add("ward_lead", cells[0], true, codes[2]);
            data.Add("ward_lead", cells[0], false, codes[3]);
            data.Add("viewer", cells[0], true, codes[4]);
            data.Add("anonymous", cells[0], false, codes[5]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_may_do_what_the_table_says_in_its_own_ward_and_in_another(string role, string action, bool ownWard, int expected)
    {
        var ward = ownWard ? PeopleApp.DongDa : PeopleApp.BaDinh;
        using var client = app.ClientAs(role == "anonymous" ? null : role);
        using var response = await SendAsync(client, action, ward);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == (int)response.StatusCode, $"{role} {action} in {ward}: expected {expected}, got {(int)response.StatusCode} {body}");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, string action, string ward)
    {
        var (lon, lat) = app.Inside[ward];
        switch (action)
        {
            case "read-record":
                return await client.GetAsync($"/api/hotspots/{app.FoodRecord[ward]}");
            case "edit":
                return await client.PatchAsync($"/api/hotspots/{await app.NewHotspotAsync(ward)}", JsonContent.Create(new { severity = 5, responsibleUnit = "UBND phường" }));
            case "bulk-edit":
                var ids = new[] { await app.NewHotspotAsync(ward), await app.NewHotspotAsync(ward) };
                return await client.PostAsJsonAsync("/api/hotspots/bulk", new { ids, status = "verified" });
            case "create":
                return await client.PostAsJsonAsync("/api/hotspots", new { layer = "flooding", title = "Ngập sau mưa", severity = 3, lon, lat });
            case "read-reports":
                return await client.GetAsync($"/api/field-reports?ward={ward}");
            case "triage-report":
                return await client.PostAsJsonAsync($"/api/field-reports/{await app.NewReportAsync(ward)}/reject", new { note = "Trùng phản ánh đã xử lý" });
            case "import":
                using (var form = ImportForm.Csv($"id,title,lat,lon,severity\nM-{Guid.NewGuid():N},Ùn tắc,{PeopleApp.Num(lat)},{PeopleApp.Num(lon)},3\n",
                    "matrix.csv", "congestion", "test:matrix"))
                {
                    return await client.PostAsync("/api/imports", form);
                }
            case "export":
                return await client.GetAsync($"/api/export/hotspots.csv?ward={ward}");
            case "edit-project":
                return await client.PatchAsync("/api/projects/ring-road-2", JsonContent.Create(new { progressPct = 40 + Random.Shared.Next(10), note = "Báo cáo tháng" }));
            case "manage-users":
                return await client.GetAsync("/api/admin/users");
            case "sign-in-log":
                return await client.GetAsync("/api/admin/sign-ins");
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }
}
